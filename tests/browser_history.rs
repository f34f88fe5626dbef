//! Browser tests of who may write and of the History section, in headless Chromium.
//! `window.fetch` is replaced by a small stand-in for the API (routes by path, one
//! base path per test), so no server is needed.
#![cfg(target_arch = "wasm32")]

use cloudinary_connections::api::Client;
use cloudinary_connections::dom;
use cloudinary_connections::form::history::history;
use cloudinary_connections::locale::Locale;
use cloudinary_connections::{app, HostConfig, Live};
use leptos::prelude::*;
use serde_json::{json, Value};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::*;
use web_sys::{Element, HtmlElement};

mod support;
use support::{accessible_text, all, button, button_names, fetch, host_element, until};

wasm_bindgen_test_configure!(run_in_browser);

/// Answers `routes` (`"GET /path"` → (status, body)) from now on.
fn fake_api(routes: &[(&str, u16, Value)]) {
    let table: Vec<(&str, &str, u16, Value, bool)> = routes
        .iter()
        .map(|(k, status, body)| {
            let (method, path) = k.split_once(' ').expect("\"METHOD /path\"");
            (method, path, *status, body.clone(), false)
        })
        .collect();
    fetch::routes(&table);
}

/// The requests sent, as `"METHOD /path?query"`.
fn requests() -> Vec<String> {
    fetch::requests()
        .iter()
        .map(|r| format!("{} {}{}", r.method, r.path, r.search))
        .collect()
}

fn cells(root: &Element) -> Vec<String> {
    all(root, "tbody tr")
        .iter()
        .map(|r| {
            all(r, "td")
                .iter()
                .map(|c| accessible_text(c).trim().to_string())
                .collect::<Vec<_>>()
                .join(" | ")
        })
        .collect()
}

fn headers(root: &Element) -> Vec<String> {
    all(root, "th")
        .iter()
        .map(|h| accessible_text(h).trim().to_string())
        .collect()
}

/// The History section's heading (the Connection view has other sections before it).
fn heading(root: &Element) -> String {
    all(root, ".cc-history h3")
        .first()
        .map(|h| accessible_text(h).trim().to_string())
        .unwrap_or_default()
}

fn events() -> Value {
    json!({
        "items": [
            {"id": 3, "connection_id": 17, "at": "2026-11-26T09:30:00Z", "actor": null,
             "action": "verified", "status": {"state": "invalid_credentials"}},
            {"id": 2, "connection_id": 17, "at": "2026-11-25T08:15:00Z",
             "actor": {"id": "ada", "name": "Ada Lovelace"},
             "action": "updated", "changed": ["name", "fields.cloud_name"]},
            {"id": 1, "connection_id": 17, "at": "2026-11-24T07:00:00Z",
             "actor": {"id": "local", "name": "Local administrator"}, "action": "created"}
        ],
        "total": 13, "offset": 0, "limit": 10
    })
}

#[wasm_bindgen_test]
async fn the_history_says_who_what_when_in_german_and_english_and_pages() {
    fake_api(&[("GET /api/connections/17/history", 200, events())]);
    let root = host_element();
    let live = Live::new(Locale::De);
    std::mem::forget(dom::mount(&root, move || {
        provide_context(live);
        provide_context(Client::new("/api", None));
        history(17)
    }));
    let text = || root.text_content().unwrap_or_default();
    assert!(until(|| cells(&root).len() == 3).await, "{}", text());
    assert_eq!(heading(&root), "Verlauf");
    assert_eq!(headers(&root), ["Wann", "Wer", "Was"]);
    let rows = cells(&root);
    assert!(
        rows[0].contains("Automatische Prüfung")
            && rows[0].contains("Getestet: Ungültige Zugangsdaten"),
        "{rows:?}"
    );
    assert!(rows[1].contains("Ada Lovelace") && rows[1].contains("Geändert: Name, Cloud-Name"));
    // The server's own caller without a token, in German; a signed-in user by their name.
    assert!(
        rows[2].contains("Angelegt") && rows[2].contains("Lokaler Administrator"),
        "{rows:?}"
    );
    // Dates as German readers write them (the browser's time zone moves the hour only).
    assert!(rows[2].contains(".11.2026"), "{rows:?}");
    assert!(text().contains("1-3 von 13"), "{}", text());

    live.locale.set(Locale::En);
    assert!(until(|| heading(&root) == "History").await, "{}", text());
    assert_eq!(headers(&root), ["When", "Who", "What"]);
    let rows = cells(&root);
    assert!(
        rows[0].contains("Scheduled check") && rows[0].contains("Tested: Invalid credentials"),
        "{rows:?}"
    );
    assert!(rows[1].contains("Changed: Name, Cloud name"), "{rows:?}");
    assert!(
        rows[2].contains("Created")
            && rows[2].contains("Local administrator")
            && rows[2].contains("2026"),
        "{rows:?}"
    );

    // Newer is the first page's limit; Older asks for the next page.
    let newer = button(&root, "Newer").expect("Newer");
    assert!(newer.has_attribute("disabled"));
    button(&root, "Older").expect("Older").click();
    assert!(
        until(|| requests()
            .iter()
            .any(|r| r.starts_with("GET /api/connections/17/history?offset=10&limit=10")))
        .await,
        "{:?}",
        requests()
    );
}

fn one_connection() -> Value {
    json!({
        "items": [{
            "id": 17, "name": "Shop EU", "driver": "cloudinary-default",
            "fields": {"cloud_name": "demo", "api_key": "123456789012345", "region": "eu"},
            "secrets_set": ["api_secret"], "status": {"state": "ok"},
            "created_at": "2026-11-22T10:00:00Z", "updated_at": "2026-11-22T10:00:00Z",
            "version": 1
        }],
        "total": 1, "offset": 0, "limit": 25
    })
}

/// Names of the buttons a user can see (not those of a closed dialog).
async fn mount_list_as(base: &str, can_write: bool) -> HtmlElement {
    let me = json!({"id": "bob", "name": "Bob", "can_write": can_write});
    fake_api(&[
        (&format!("GET {base}/me"), 200, me),
        (&format!("GET {base}/connections"), 200, one_connection()),
        (
            &format!("GET {base}/drivers"),
            200,
            serde_json::to_value(connections_api::drivers()).expect("json"),
        ),
    ]);
    let root = host_element();
    let config = HostConfig::new(Some(base.to_string()), None, None, None);
    std::mem::forget(dom::mount(&root, move || app(config, None, None)));
    assert!(
        until(|| !all(&root, "tbody tr").is_empty()).await,
        "{}",
        root.text_content().unwrap_or_default()
    );
    root
}

fn select_row(root: &Element) {
    let check = all(root, "input[type=checkbox]")
        .into_iter()
        .find(|c| c.get_attribute("aria-label").as_deref() == Some("Select Shop EU"))
        .expect("row checkbox");
    check.dyn_into::<HtmlElement>().expect("html").click();
}

#[wasm_bindgen_test]
async fn a_reader_sees_no_write_actions_and_a_line_saying_why() {
    let root = mount_list_as("/reader/api", false).await;
    let text = || root.text_content().unwrap_or_default();
    assert!(
        until(|| text().contains("lacks the role connections:write")).await,
        "{}",
        text()
    );
    assert!(
        !button_names(&root).iter().any(|n| n == "Add"),
        "{:?}",
        button_names(&root)
    );
    select_row(&root);
    assert!(until(|| text().contains("1 selected")).await, "{}", text());
    let names = button_names(&root);
    assert!(
        names.iter().any(|n| n == "Test"),
        "a reader may test: {names:?}"
    );
    for absent in ["Edit", "Duplicate", "Delete", "Add"] {
        assert!(!names.iter().any(|n| n == absent), "{absent}: {names:?}");
    }
}

#[wasm_bindgen_test]
async fn a_writer_sees_every_action_and_no_reader_line() {
    let root = mount_list_as("/writer/api", true).await;
    let text = || root.text_content().unwrap_or_default();
    assert!(until(|| requests().iter().any(|r| r == "GET /writer/api/me")).await);
    select_row(&root);
    assert!(until(|| text().contains("1 selected")).await, "{}", text());
    let names = button_names(&root);
    for present in ["Edit", "Duplicate", "Delete", "Add", "Test"] {
        assert!(names.iter().any(|n| n == present), "{present}: {names:?}");
    }
    assert!(!text().contains("connections:write"), "{}", text());
}

#[wasm_bindgen_test]
async fn a_reader_cannot_save_in_the_connection_view() {
    let base = "/reader-form/api";
    let connection = one_connection()["items"][0].clone();
    fake_api(&[
        (
            &format!("GET {base}/me"),
            200,
            json!({"id": "bob", "name": "Bob", "can_write": false}),
        ),
        (&format!("GET {base}/connections/17"), 200, connection),
        (
            &format!("GET {base}/drivers"),
            200,
            serde_json::to_value(connections_api::drivers()).expect("json"),
        ),
        (&format!("GET {base}/connections/17/history"), 200, events()),
    ]);
    let window = web_sys::window().expect("window");
    let history = window.history().expect("history");
    history
        .push_state_with_url(&JsValue::NULL, "", Some("/reader-form/17"))
        .expect("push");
    let root = host_element();
    let config = HostConfig::new(
        Some(base.to_string()),
        None,
        None,
        Some("/reader-form".to_string()),
    );
    std::mem::forget(dom::mount(&root, move || app(config, None, None)));
    let text = || root.text_content().unwrap_or_default();
    assert!(
        until(|| text().contains("lacks the role connections:write")).await,
        "{}",
        text()
    );
    let save = button(&root, "Save").expect("Save");
    assert!(
        save.has_attribute("disabled"),
        "a reader's Save is disabled"
    );
    assert!(
        until(|| cells(&root).len() == 3).await,
        "the History section: {}",
        text()
    );
    assert_eq!(heading(&root), "History");
}

#[wasm_bindgen_test]
async fn a_status_changed_since_the_last_look_is_marked_once() {
    let storage = web_sys::window()
        .expect("window")
        .local_storage()
        .expect("storage")
        .expect("local storage");
    // Last time, this browser showed connection 17 as "Invalid credentials"; now it is "Connected".
    storage
        .set_item(
            "cloudinary-connections.seen-states",
            r#"{"17":"invalid_credentials"}"#,
        )
        .expect("set");
    let status_cell = |root: &Element| {
        all(root, "tbody td .cc-status")
            .first()
            .map(|c| accessible_text(c).trim().to_string())
            .unwrap_or_default()
    };
    let root = mount_list_as("/seen-1/api", true).await;
    assert!(
        until(|| status_cell(&root).contains("Changed since you last looked")).await,
        "{}",
        status_cell(&root)
    );
    assert!(status_cell(&root).starts_with("Connected"));
    // Looked at now: the next visit shows no mark.
    let root = mount_list_as("/seen-2/api", true).await;
    assert!(until(|| status_cell(&root).starts_with("Connected")).await);
    assert_eq!(status_cell(&root), "Connected");
    let remembered = storage
        .get_item("cloudinary-connections.seen-states")
        .expect("get")
        .unwrap_or_default();
    assert_eq!(remembered, r#"{"17":"ok"}"#);
}
