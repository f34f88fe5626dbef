//! Browser tests: components mounted in headless Chromium by wasm-bindgen-test.
#![cfg(target_arch = "wasm32")]

use cloudinary_connections::{App, HostConfig};
use leptos::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::HtmlElement;

wasm_bindgen_test_configure!(run_in_browser);

/// A fresh element in the page to mount into, as the host shell would give.
fn host_element() -> HtmlElement {
    let document = web_sys::window()
        .expect("window")
        .document()
        .expect("document");
    let el = document.create_element("div").expect("div");
    document
        .body()
        .expect("body")
        .append_child(&el)
        .expect("append");
    el.dyn_into().expect("html element")
}

/// Waits (without sleeping a fixed time) until `f` holds, yielding to the event loop.
async fn until(mut f: impl FnMut() -> bool) -> bool {
    for _ in 0..200 {
        if f() {
            return true;
        }
        gloo_timers::future::TimeoutFuture::new(10).await;
    }
    f()
}

fn buttons(root: &HtmlElement) -> Vec<String> {
    let list = root.query_selector_all("button").expect("query");
    (0..list.length())
        .filter_map(|i| list.item(i))
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
        until(|| !buttons(&root).is_empty()).await,
        "the shell renders"
    );
    let names = buttons(&root);
    assert!(names.iter().any(|b| b.ends_with("Refresh")), "{names:?}");
    assert!(
        names.iter().any(|b| b.ends_with("Columns (3)")),
        "{names:?}"
    );
    assert!(names.iter().any(|b| b.ends_with("Add")), "{names:?}");

    let shown = until(|| root.query_selector("[role=alert]").ok().flatten().is_some()).await;
    assert!(shown, "an error state appears");
    let alert = root
        .query_selector("[role=alert]")
        .ok()
        .flatten()
        .expect("alert");
    let text = alert.text_content().unwrap_or_default();
    assert!(text.contains("cannot be reached"), "{text}");
    assert!(buttons(&root).iter().any(|b| b == "Retry"));
}
