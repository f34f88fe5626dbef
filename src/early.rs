//! The list's first page, asked for by the standalone page while the app loads: a script at
//! the end of `index.html` works out the list's first address from the page's own (as
//! `list/url_state.rs` and `list/prefs.rs` do) and starts `fetch` for it, leaving
//! `window.ccEarly = { url, body }`: `body` is a promise of the answer's bytes (an
//! `ArrayBuffer`), read by the page while the wasm loads, or of `null` when the request failed
//! or the answer is not a 200. The app's first list request takes those bytes over when it
//! asks for the very same address, instead of asking again once the wasm has started. As the
//! bytes are already read, the rows are drawn in the task that shows the app's first screen,
//! without waiting for a body to be read in a later task (and a frame drawn before it). It is
//! taken once, by the first list request, whether it fits or not; without bytes the app asks
//! itself.

use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

const GLOBAL: &str = "ccEarly";

/// The early answer's body, if the page asked for `url` early and it came back as a 200.
pub async fn take(url: &str) -> Option<Vec<u8>> {
    let promise = take_promise(url)?;
    let body: js_sys::ArrayBuffer = JsFuture::from(promise).await.ok()?.dyn_into().ok()?;
    Some(js_sys::Uint8Array::new(&body).to_vec())
}

/// Takes `window.ccEarly` away (whatever it holds) and gives its body's promise if its
/// address is `url`.
fn take_promise(url: &str) -> Option<js_sys::Promise> {
    let window = web_sys::window()?;
    let key = JsValue::from_str(GLOBAL);
    let early = js_sys::Reflect::get(&window, &key).ok()?;
    if early.is_undefined() || early.is_null() {
        return None;
    }
    let _ = js_sys::Reflect::delete_property(&window, &key);
    let asked = js_sys::Reflect::get(&early, &JsValue::from_str("url"))
        .ok()?
        .as_string()?;
    if asked != url {
        return None;
    }
    js_sys::Reflect::get(&early, &JsValue::from_str("body"))
        .ok()?
        .dyn_into()
        .ok()
}

#[cfg(test)]
mod tests {
    use connections_api::{SortKey, DEFAULT_LIMIT};

    use crate::list::{PAGE_SIZES, STORAGE_KEY};

    const PAGE: &str = include_str!("../index.html");

    /// The JS array literal after `var <name> = ` in `index.html`'s script.
    fn array(name: &str) -> String {
        let start = PAGE.find(&format!("var {name} = [")).expect(name) + name.len() + 8;
        let end = start + PAGE[start..].find(']').expect("]");
        PAGE[start..end].to_string()
    }

    /// The script works the first address out from the same facts as the list.
    #[test]
    fn the_page_script_knows_the_sorts_sizes_and_storage_of_the_list() {
        let sorts: Vec<String> = SortKey::ALL
            .iter()
            .map(|s| format!("'{}'", s.as_str()))
            .collect();
        assert_eq!(array("sorts"), sorts.join(", "));
        let sizes: Vec<String> = PAGE_SIZES.iter().map(u64::to_string).collect();
        assert_eq!(array("sizes"), sizes.join(", "));
        assert!(PAGE.contains(&format!("localStorage.getItem('{STORAGE_KEY}')")));
        assert!(PAGE.contains(&format!("var limit = {DEFAULT_LIMIT};")));
        assert!(PAGE.contains(&format!("window.{} = {{ url: url, body: ", super::GLOBAL)));
    }
}
