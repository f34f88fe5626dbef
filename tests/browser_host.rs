//! Browser tests of the host handle: `mount(element, options)` in headless Chromium with
//! `fetch` answered in the page by the shared stand-in (`support::fetch`), which records what
//! each request carried (token, content type, body).
#![cfg(target_arch = "wasm32")]

use std::cell::Cell;

use cloudinary_connections::mount;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

mod support;
use support::fetch::{self, Reply};
use support::{button, host_element, one, until};

wasm_bindgen_test_configure!(run_in_browser);

const FRESH: &str = "fresh-token-0123456789abcdef0123456789";
const STALE: &str = "stale-token-0123456789abcdef0123456789";

const CONNECTION: &str = r#"{"id":1,"name":"Shop EU","driver":"cloudinary-default",
"fields":{"cloud_name":"demo"},"secrets_set":["api_secret"],"status":{"state":"ok"},
"created_at":"2026-01-01T10:00:00Z","updated_at":"2026-01-01T10:00:00Z","version":1}"#;

/// Answers with the one connection for the fresh token, 401 for any other.
fn install_fetch() {
    fetch::answer_with(|req| {
        let connection: serde_json::Value = serde_json::from_str(CONNECTION).expect("json");
        if req.header("authorization") != format!("Bearer {FRESH}") {
            Reply::error(401, "unauthorized")
        } else if req.path.ends_with("/verify") {
            Reply::json(200, &connection)
        } else {
            let page =
                serde_json::json!({"items": [connection], "total": 1, "offset": 0, "limit": 25});
            Reply::json(200, &page)
        }
    });
}

/// `{ apiBase, getToken }` where `getToken` hands out `tokens` in turn (the last one after).
fn options(
    api_base: &str,
    tokens: &'static [&'static str],
    calls: &'static Cell<usize>,
) -> JsValue {
    let get_token = Closure::<dyn Fn() -> js_sys::Promise>::new(move || {
        let n = calls.get();
        calls.set(n + 1);
        let t = tokens[n.min(tokens.len() - 1)];
        js_sys::Promise::resolve(&JsValue::from_str(t))
    });
    let o = js_sys::Object::new();
    js_sys::Reflect::set(&o, &"apiBase".into(), &api_base.into()).expect("set");
    js_sys::Reflect::set(&o, &"getToken".into(), get_token.as_ref()).expect("set");
    get_token.forget();
    o.into()
}

/// Counts the `cloudinary-connections:<kind>` events at `el`.
fn count_events(el: &web_sys::HtmlElement, kind: &str) -> &'static Cell<usize> {
    let n: &'static Cell<usize> = Box::leak(Box::new(Cell::new(0)));
    let f = Closure::<dyn Fn()>::new(move || n.set(n.get() + 1));
    el.add_event_listener_with_callback(
        &format!("cloudinary-connections:{kind}"),
        f.as_ref().unchecked_ref(),
    )
    .expect("listen");
    f.forget();
    n
}

/// The requests whose path starts with `base`.
fn seen_under(base: &str) -> Vec<fetch::Request> {
    fetch::requests()
        .into_iter()
        .filter(|r| r.path.starts_with(base))
        .collect()
}

#[wasm_bindgen_test]
async fn a_401_gets_a_fresh_token_and_one_retry() {
    install_fetch();
    let el = host_element();
    let unauthorized = count_events(&el, "unauthorized");
    let calls: &'static Cell<usize> = Box::leak(Box::new(Cell::new(0)));
    let handle = mount(el.clone(), options("/retry", &[STALE, FRESH], calls));

    assert!(
        until(|| el.text_content().unwrap_or_default().contains("Shop EU")).await,
        "the row appears after the retry"
    );
    let seen = seen_under("/retry/connections");
    let auth: Vec<_> = seen.iter().map(|s| s.header("authorization")).collect();
    assert_eq!(
        auth,
        [format!("Bearer {STALE}"), format!("Bearer {FRESH}")],
        "one retry, with the token getToken gave the second time"
    );
    // Then the list asks for the drivers' names, with a token of its own asking.
    assert!(
        until(|| seen_under("/retry/drivers").len() == 1).await,
        "the drivers are asked for once a page came"
    );
    assert!(until(|| calls.get() == 3).await, "{}", calls.get());
    assert_eq!(
        seen_under("/retry/drivers")[0].header("authorization"),
        format!("Bearer {FRESH}")
    );
    assert_eq!(unauthorized.get(), 0, "recovered: nothing to tell the host");
    handle.unmount();
    assert_eq!(el.child_nodes().length(), 0, "unmount empties the element");
}

#[wasm_bindgen_test]
async fn still_refused_after_the_retry_tells_the_host_once() {
    install_fetch();
    let el = host_element();
    let unauthorized = count_events(&el, "unauthorized");
    let calls: &'static Cell<usize> = Box::leak(Box::new(Cell::new(0)));
    let handle = mount(el.clone(), options("/refused", &[STALE], calls));

    assert!(
        until(|| one(&el, "[role=alert]").is_some()).await,
        "the not-authorised state"
    );
    assert!(until(|| unauthorized.get() == 1).await, "the host hears it");
    assert_eq!(seen_under("/refused/connections").len(), 2, "no third try");
    handle.unmount();
}

#[wasm_bindgen_test]
async fn test_of_a_stored_connection_posts_json() {
    install_fetch();
    let el = host_element();
    let calls: &'static Cell<usize> = Box::leak(Box::new(Cell::new(0)));
    let handle = mount(el.clone(), options("/stored", &[FRESH], calls));
    assert!(until(|| el.text_content().unwrap_or_default().contains("Shop EU")).await);

    let checkbox: web_sys::HtmlInputElement = one(&el, "tbody input[type=checkbox]")
        .expect("row checkbox")
        .unchecked_into();
    checkbox.click();
    assert!(until(|| button(&el, "Test").is_some()).await);
    button(&el, "Test").expect("Test").click();
    assert!(until(|| !seen_under("/stored/connections/1/verify").is_empty()).await);

    let post = &seen_under("/stored/connections/1/verify")[0];
    assert_eq!(post.method, "POST");
    assert_eq!(post.header("content-type"), "application/json");
    assert_eq!(post.body, "{}");
    handle.unmount();
}
