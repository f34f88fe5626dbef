//! Browser tests of the host handle: `mount(element, options)` in headless Chromium with
//! `fetch` answered in the page, recording what each request carried (token, content type).
#![cfg(target_arch = "wasm32")]

use std::cell::{Cell, RefCell};

use cloudinary_connections::mount;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use wasm_bindgen_test::*;

mod support;
use support::{button, host_element, one, until};

wasm_bindgen_test_configure!(run_in_browser);

const FRESH: &str = "fresh-token-0123456789abcdef0123456789";
const STALE: &str = "stale-token-0123456789abcdef0123456789";

/// What one request carried.
#[derive(Debug, Clone, PartialEq)]
struct Seen {
    method: String,
    path: String,
    authorization: String,
    content_type: String,
    body: String,
}

thread_local! {
    static SEEN: RefCell<Vec<Seen>> = const { RefCell::new(Vec::new()) };
}

const CONNECTION: &str = r#"{"id":1,"name":"Shop EU","driver":"cloudinary-default",
"fields":{"cloud_name":"demo"},"secrets_set":["api_secret"],"status":{"state":"ok"},
"created_at":"2026-01-01T10:00:00Z","updated_at":"2026-01-01T10:00:00Z","version":1}"#;

fn header(req: &JsValue, name: &str) -> String {
    let headers = js_sys::Reflect::get(req, &"headers".into()).expect("headers");
    let get: js_sys::Function = js_sys::Reflect::get(&headers, &"get".into())
        .expect("get")
        .unchecked_into();
    get.call1(&headers, &name.into())
        .ok()
        .and_then(|v| v.as_string())
        .unwrap_or_default()
}

fn text(req: &JsValue, key: &str) -> String {
    js_sys::Reflect::get(req, &key.into())
        .ok()
        .and_then(|v| v.as_string())
        .unwrap_or_default()
}

/// Answers with the one connection for the fresh token, 401 for any other.
fn install_fetch() {
    let f = Closure::<dyn Fn(JsValue) -> js_sys::Promise>::new(|req: JsValue| {
        let url = text(&req, "url");
        let path = url
            .split_once("://")
            .and_then(|(_, rest)| rest.find('/').map(|i| rest[i..].to_string()))
            .unwrap_or(url);
        let authorization = header(&req, "authorization");
        let text_of: js_sys::Function = js_sys::Reflect::get(&req, &"text".into())
            .expect("text")
            .unchecked_into();
        let body_promise: js_sys::Promise = text_of.call0(&req).expect("text()").unchecked_into();
        let seen = Seen {
            method: text(&req, "method"),
            path: path.clone(),
            authorization: authorization.clone(),
            content_type: header(&req, "content-type"),
            body: String::new(),
        };
        let (status, body) = if authorization != format!("Bearer {FRESH}") {
            (
                401,
                r#"{"error":{"code":"unauthorized","message":"no"}}"#.to_string(),
            )
        } else if path.ends_with("/verify") {
            (200, CONNECTION.to_string())
        } else {
            (
                200,
                format!(r#"{{"items":[{CONNECTION}],"total":1,"offset":0,"limit":25}}"#),
            )
        };
        js_sys::Promise::new(&mut |ok, _| {
            let seen = seen.clone();
            let body = body.clone();
            let body_promise = body_promise.clone();
            wasm_bindgen_futures::spawn_local(async move {
                let sent = JsFuture::from(body_promise)
                    .await
                    .ok()
                    .and_then(|v| v.as_string())
                    .unwrap_or_default();
                SEEN.with(|s| s.borrow_mut().push(Seen { body: sent, ..seen }));
                let ctor: js_sys::Function =
                    js_sys::Reflect::get(&js_sys::global(), &"Response".into())
                        .expect("Response")
                        .unchecked_into();
                let init = js_sys::Object::new();
                js_sys::Reflect::set(&init, &"status".into(), &status.into()).expect("set");
                let resp =
                    js_sys::Reflect::construct(&ctor, &js_sys::Array::of2(&body.into(), &init))
                        .expect("construct");
                let _ = ok.call1(&JsValue::NULL, &resp);
            });
        })
    });
    js_sys::Reflect::set(&js_sys::global(), &"fetch".into(), f.as_ref()).expect("set fetch");
    f.forget();
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

fn seen_under(base: &str) -> Vec<Seen> {
    SEEN.with(|s| {
        s.borrow()
            .iter()
            .filter(|x| x.path.starts_with(base))
            .cloned()
            .collect()
    })
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
    let auth: Vec<_> = seen.iter().map(|s| s.authorization.as_str()).collect();
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
        seen_under("/retry/drivers")[0].authorization,
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
    assert_eq!(post.content_type, "application/json");
    assert_eq!(post.body, "{}");
    handle.unmount();
}
