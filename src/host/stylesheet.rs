//! The app's stylesheet for a host page that did not link it: a `<link>` inside the host
//! element (so nothing is added outside it), removed again on unmount. Its rules all start
//! at `.cc-root`, so the page around is not touched either way.

use wasm_bindgen::prelude::*;
use web_sys::{Element, HtmlElement};

/// File name of the stylesheet in `dist/` (written by the build, see `Trunk.toml`).
pub const FILE: &str = "cloudinary-connections.css";

#[wasm_bindgen(module = "/src/host/stylesheet.js")]
extern "C" {
    #[wasm_bindgen(js_name = stylesheetUrl)]
    fn stylesheet_url() -> String;
}

/// Puts a `<link rel="stylesheet">` first into `host` unless the page links the stylesheet
/// already; returns it to be removed on unmount.
pub fn ensure(host: &HtmlElement) -> Option<Element> {
    let document = host.owner_document()?;
    let selector = format!("link[rel~=\"stylesheet\"][href$=\"{FILE}\"]");
    if document.query_selector(&selector).ok().flatten().is_some() {
        return None;
    }
    let link = document.create_element("link").ok()?;
    link.set_attribute("rel", "stylesheet").ok()?;
    link.set_attribute("href", &stylesheet_url()).ok()?;
    host.prepend_with_node_1(&link).ok()?;
    Some(link)
}
