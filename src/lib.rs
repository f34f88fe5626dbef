//! Cloudinary Connections: the Connections tab of the Cloudinary module in the
//! Actindo web shell, as a Leptos single-page app.
//!
//! The host page mounts it into an element of its own ([`mount`]), passing the
//! API base URL, an auth token and the locale; the standalone page reads the
//! same settings from `data-*` attributes of `#cloudinary-connections`.

pub mod api;
pub mod app;
pub mod auth;
pub mod form;
pub mod host;
pub mod list;
pub mod locale;
pub mod messages;

use wasm_bindgen::prelude::*;
use web_sys::HtmlElement;

pub use app::{App, HostConfig};

/// Id of the element the standalone page mounts into.
pub const MOUNT_ID: &str = "cloudinary-connections";

/// Mounts the app into `element`. The host keeps the rest of its page.
///
/// `api_base` is the URL the API lives under (for example `/api`), `token` is
/// sent as a bearer token, `base_path` is the path the app's routes hang under
/// (empty when it owns `/`).
#[wasm_bindgen]
pub fn mount(
    element: HtmlElement,
    api_base: Option<String>,
    token: Option<String>,
    locale: Option<String>,
    base_path: Option<String>,
) {
    console_error_panic_hook::set_once();
    let config = HostConfig::new(api_base, token, locale, base_path);
    leptos::mount::mount_to(element, move || leptos::view! { <App config=config/> }).forget();
}

/// Mounts into `#cloudinary-connections`, reading `data-api-base`,
/// `data-token`, `data-locale` and `data-base-path` from it.
pub fn mount_from_page() {
    let Some(document) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    let element = document
        .get_element_by_id(MOUNT_ID)
        .and_then(|e| e.dyn_into::<HtmlElement>().ok())
        .or_else(|| document.body());
    let Some(element) = element else { return };
    let data = element.dataset();
    mount(
        element,
        data.get("apiBase"),
        data.get("token"),
        data.get("locale"),
        data.get("basePath"),
    );
}
