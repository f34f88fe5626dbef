//! Browser tests: components mounted in headless Chromium by wasm-bindgen-test.
#![cfg(target_arch = "wasm32")]

use cloudinary_connections::{App, HostConfig};
use leptos::prelude::*;
use wasm_bindgen_test::*;
use web_sys::Element;

mod support;
use support::{all, host_element, one, until_within};

wasm_bindgen_test_configure!(run_in_browser);

/// The text of every button (icons included).
fn buttons(root: &Element) -> Vec<String> {
    all(root, "button")
        .iter()
        .map(|n| n.text_content().unwrap_or_default().trim().to_string())
        .collect()
}

#[wasm_bindgen_test]
async fn shell_shows_toolbar_and_an_error_with_retry_when_the_server_is_down() {
    let root = host_element();
    // Nothing listens on port 9 of loopback: the request fails like a server that is down.
    let config = HostConfig::new(Some("http://127.0.0.1:9/api".into()), None, None, None);
    let el = root.clone();
    leptos::mount::mount_to(el, move || view! { <App config=config/> }).forget();

    assert!(
        until_within(200, || !buttons(&root).is_empty()).await,
        "the shell renders"
    );
    let names = buttons(&root);
    assert!(names.iter().any(|b| b.ends_with("Refresh")), "{names:?}");
    assert!(
        names.iter().any(|b| b.ends_with("Columns (3)")),
        "{names:?}"
    );
    assert!(names.iter().any(|b| b.ends_with("Add")), "{names:?}");

    let shown = until_within(200, || one(&root, "[role=alert]").is_some()).await;
    assert!(shown, "an error state appears");
    let alert = one(&root, "[role=alert]").expect("alert");
    let text = alert.text_content().unwrap_or_default();
    assert!(text.contains("cannot be reached"), "{text}");
    assert!(buttons(&root).iter().any(|b| b == "Retry"));
}

/// The address's query is decoded once, `+` is a space, and a repeated key's first value
/// counts (as `index.html`'s script reads it).
#[wasm_bindgen_test]
fn the_address_is_decoded_once_and_a_keys_first_value_counts() {
    use cloudinary_connections::route::query_value;
    assert_eq!(query_value("?q=%2541", "q").as_deref(), Some("%41"));
    assert_eq!(query_value("q=a+b&q=c", "q").as_deref(), Some("a b"));
    assert_eq!(query_value("?page=2", "q"), None);
}
