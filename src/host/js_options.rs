//! Reads a host's `options` object (`{ apiBase, token, getToken, locale, basePath }`).

use js_sys::{Function, Reflect};
use wasm_bindgen::{JsCast, JsValue};

use super::options::{Change, Options};

/// The options of one `mount` or `update` call.
#[derive(Debug, Clone, Default)]
pub struct HostOptions {
    pub options: Options,
    pub get_token: Change<Function>,
}

/// Reads `value`; anything that is not an object changes nothing, a key of the wrong type
/// is left out.
pub fn read(value: &JsValue) -> HostOptions {
    if !value.is_object() {
        return HostOptions::default();
    }
    let get = |key: &str| Reflect::get(value, &JsValue::from_str(key)).ok();
    let string = |key: &str| -> Change<String> {
        match get(key) {
            None => Change::Keep,
            Some(v) if v.is_undefined() => Change::Keep,
            Some(v) if v.is_null() => Change::Reset,
            Some(v) => match v.as_string() {
                Some(s) => Change::from_js(Some(Some(s))),
                None => Change::Keep,
            },
        }
    };
    let get_token = match get("getToken") {
        Some(v) if v.is_null() => Change::Reset,
        Some(v) => match v.dyn_into::<Function>() {
            Ok(f) => Change::Set(f),
            Err(_) => Change::Keep,
        },
        None => Change::Keep,
    };
    HostOptions {
        options: Options {
            api_base: string("apiBase"),
            token: string("token"),
            locale: string("locale"),
            base_path: string("basePath"),
        },
        get_token,
    }
}
