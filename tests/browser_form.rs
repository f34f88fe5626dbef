//! Browser tests of the Connection view, in headless Chromium.
//!
//! The form is mounted with drivers and connections in memory; where the whole
//! app runs (routing, base path, saving), `window.fetch` is replaced by a small
//! stand-in for the API (`support::fetch`) so no server is needed.
#![cfg(target_arch = "wasm32")]

use cloudinary_connections::api::Client;
use cloudinary_connections::dom::{self, Mounted};
use cloudinary_connections::form::connection_form;
use cloudinary_connections::locale::Locale;
use cloudinary_connections::{app, HostConfig, Live};
use connections_api::{drivers, Connection, Status, DEFAULT_DRIVER_ID};
use leptos::prelude::*;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::*;
use web_sys::{Element, HtmlElement, HtmlInputElement};

mod support;
use support::fetch::{release_all, requests, requests_by, Route};
use support::{
    accessible_text, active_id, address, all, button, choose, control, document, fetch, fire,
    has_focus, host_element, input, leave, one, press, select, type_into, until,
};

wasm_bindgen_test_configure!(run_in_browser);

// ---- helpers ---------------------------------------------------------------------------------

fn legends(root: &Element) -> Vec<String> {
    all(root, "fieldset > legend")
        .iter()
        .map(|l| accessible_text(l).trim().to_string())
        .collect()
}

/// The error text shown at a control, found through its `aria-describedby`.
fn error_at(el: &Element) -> Option<String> {
    if el.get_attribute("aria-invalid").as_deref() != Some("true") {
        return None;
    }
    let ids = el.get_attribute("aria-describedby")?;
    ids.split_whitespace()
        .filter(|id| id.ends_with("-error"))
        .find_map(|id| document().get_element_by_id(id))
        .map(|e| accessible_text(&e).trim().to_string())
}

fn stored() -> Connection {
    Connection {
        id: 17,
        name: "Shop EU".into(),
        driver: DEFAULT_DRIVER_ID.into(),
        fields: [
            ("cloud_name", "demo"),
            ("api_key", "123456789012345"),
            ("region", "eu"),
        ]
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect(),
        secrets_set: vec!["api_secret".into()],
        status: Status::default(),
        created_at: "2026-11-22T10:00:00Z".into(),
        updated_at: "2026-11-22T10:00:00Z".into(),
        version: 3,
    }
}

/// Mounts the form alone (inside a router, as in the app).
fn mount_form(connection: Option<Connection>) -> (HtmlElement, Mounted) {
    let root = host_element();
    let handle = dom::mount(&root, move || {
        provide_context(Client::new("/api", None));
        connection_form(drivers(), connection)
    });
    (root, handle)
}

// ---- the stand-in for the API (`support::fetch`) and the navigations -------------------------

/// Answers `routes` from now on (see [`fetch::routes`]), and records the navigations anew.
fn fake_api(routes: &[Route]) {
    fetch::routes(routes);
    js_sys::Function::new_no_args(RECORD_NAVIGATION)
        .call0(&JsValue::NULL)
        .expect("record navigation");
}

/// Every URL the app navigates to (`pushState`), in order, into `window.__ccNavigations`.
const RECORD_NAVIGATION: &str = r#"
window.__ccNavigations = [];
if (!history.__ccOriginalPush) {
  history.__ccOriginalPush = history.pushState;
  history.pushState = function (state, title, url) {
    window.__ccNavigations.push(String(url));
    return history.__ccOriginalPush.call(history, state, title, url);
  };
}
"#;

/// URLs the app navigated to (pushState) since [`fake_api`].
fn navigations() -> Vec<String> {
    let list =
        js_sys::Reflect::get(&js_sys::global(), &"__ccNavigations".into()).expect("navigations");
    js_sys::Array::from(&list)
        .iter()
        .filter_map(|u| u.as_string())
        .collect()
}

/// `GET /api/drivers`: the built-in drivers.
fn drivers_route() -> Route {
    let body = serde_json::to_value(drivers()).expect("json");
    ("GET", "/api/drivers", 200, body, false)
}

/// `GET /api/connections`: an empty list.
fn empty_list_route() -> Route {
    let body = serde_json::json!({ "items": [], "total": 0, "offset": 0, "limit": 25 });
    ("GET", "/api/connections", 200, body, false)
}

/// `GET /api/connections/17`: `connection` (a version of [`stored`]).
fn connection_17_route(connection: &Connection) -> Route {
    let body = serde_json::to_value(connection).expect("json");
    ("GET", "/api/connections/17", 200, body, false)
}

/// Mounts the whole app at `path` (under `base_path`), as a user opening that URL.
fn mount_app(path: &str, base_path: &str) -> (HtmlElement, Mounted) {
    web_sys::window()
        .expect("window")
        .history()
        .expect("history")
        .replace_state_with_url(&JsValue::NULL, "", Some(path))
        .expect("replace state");
    let root = host_element();
    let config = HostConfig::new(Some("/api".into()), None, None, Some(base_path.to_string()));
    let handle = dom::mount(&root, move || app(config, None, None));
    (root, handle)
}

/// Fills in a new connection as a user would: "Shop", the default driver, cloud "demo",
/// key "1234" and `secret`.
async fn fill_in_a_new_connection(root: &Element, secret: &str) {
    type_into(&input(root, "Name"), "Shop", "insertText");
    choose(&select(root, "Driver"), DEFAULT_DRIVER_ID);
    assert!(until(|| control(root, "Cloud-Name").is_some()).await);
    type_into(&input(root, "Cloud-Name"), "demo", "insertText");
    type_into(&input(root, "API-Key"), "1234", "insertText");
    type_into(&input(root, "API-Secret"), secret, "insertText");
}

// ---- the tests -------------------------------------------------------------------------------------

#[wasm_bindgen_test]
async fn credentials_are_absent_until_a_driver_is_chosen() {
    let (root, _handle) = mount_form(None);
    assert!(
        until(|| control(&root, "Name").is_some()).await,
        "form renders"
    );
    let driver = select(&root, "Driver");
    let first = one(&driver, "option").expect("a first option");
    assert_eq!(
        first.get_attribute("value").as_deref(),
        Some(""),
        "empty first choice"
    );
    assert_eq!(driver.value(), "");
    assert!(legends(&root).is_empty(), "no Credentials fieldset yet");
    assert!(control(&root, "Cloud-Name").is_none());

    choose(&driver, DEFAULT_DRIVER_ID);
    assert!(
        until(|| legends(&root) == ["Credentials"]).await,
        "the Credentials fieldset appears: {:?}",
        legends(&root)
    );
    let labels: Vec<String> = all(&root, "fieldset label")
        .iter()
        .map(|l| accessible_text(l).trim().to_string())
        .collect();
    assert_eq!(
        labels,
        [
            "API environment variable",
            "Cloud-Name",
            "API-Key",
            "API-Secret",
            "Region"
        ]
    );
    // The secret is masked but no password field, so the browser offers no password
    // manager or generator for it.
    let secret = input(&root, "API-Secret");
    assert_eq!(secret.type_(), "text");
    assert_eq!(secret.get_attribute("autocomplete").as_deref(), Some("off"));
    assert!(
        secret.class_list().contains("cc-masked"),
        "masked while hidden"
    );
    assert_eq!(select(&root, "Region").value(), "us", "US by default");
    assert!(
        one(&root, "fieldset .cc-required").is_some(),
        "required fields are marked"
    );
    assert!(button(&root, "Test connection").is_some());
    assert!(button(&root, "Save").is_some());
    assert!(button(&root, "Back").is_some());

    // Show/hide toggle of the secret.
    let toggle = button(&root, "Show API-Secret").expect("toggle");
    assert_eq!(
        toggle.get_attribute("aria-pressed").as_deref(),
        Some("false")
    );
    toggle.click();
    assert!(
        until(|| !input(&root, "API-Secret")
            .class_list()
            .contains("cc-masked"))
        .await
    );
    assert_eq!(
        toggle.get_attribute("aria-pressed").as_deref(),
        Some("true")
    );

    // Back to no driver: the section leaves the DOM again.
    choose(&select(&root, "Driver"), "");
    assert!(until(|| legends(&root).is_empty()).await);
}

#[wasm_bindgen_test]
async fn pasting_the_environment_variable_fills_the_fields() {
    let (root, _handle) = mount_form(None);
    assert!(until(|| control(&root, "Driver").is_some()).await);
    choose(&select(&root, "Driver"), DEFAULT_DRIVER_ID);
    assert!(until(|| control(&root, "API environment variable").is_some()).await);

    // A malformed value says what is wrong and changes nothing.
    let env = input(&root, "API environment variable");
    type_into(&input(&root, "Cloud-Name"), "before", "insertText");
    type_into(&env, "cloudinary://123456:@my-cloud", "insertFromPaste");
    assert!(
        until(|| error_at(&env).is_some()).await,
        "error at the field"
    );
    let e = error_at(&env).unwrap_or_default();
    assert!(e.contains("API secret is missing"), "{e}");
    assert_eq!(input(&root, "Cloud-Name").value(), "before");

    type_into(
        &env,
        "CLOUDINARY_URL=cloudinary://123456789012345:abc_DEF-1@my-cloud?upload_prefix=https://api-eu.cloudinary.com",
        "insertFromPaste",
    );
    assert!(until(|| input(&root, "Cloud-Name").value() == "my-cloud").await);
    assert_eq!(input(&root, "API-Key").value(), "123456789012345");
    assert_eq!(input(&root, "API-Secret").value(), "abc_DEF-1");
    assert_eq!(select(&root, "Region").value(), "eu");
    assert_eq!(
        env.value(),
        "",
        "the pasted secret does not stay in the field"
    );
    assert_eq!(error_at(&env), None);
    assert!(accessible_text(&root).contains("Filled in from the API environment variable"));

    // Typed (not pasted) text is applied when the user leaves the field.
    type_into(&env, "cloudinary://1:s@other-cloud", "insertText");
    assert_eq!(
        input(&root, "Cloud-Name").value(),
        "my-cloud",
        "not while typing"
    );
    fire(&env, "change");
    assert!(until(|| input(&root, "Cloud-Name").value() == "other-cloud").await);
    assert_eq!(select(&root, "Region").value(), "us");
}

#[wasm_bindgen_test]
async fn errors_show_at_their_field_and_save_focuses_the_first() {
    let (root, _handle) = mount_form(None);
    assert!(until(|| control(&root, "Name").is_some()).await);
    let name = input(&root, "Name");
    // Leaving for a button shows nothing yet (the error would move the button
    // away under the pointer): the button checks the form itself.
    let back = button(&root, "Back").expect("back");
    leave(&name, Some(&back));
    choose(&select(&root, "Driver"), DEFAULT_DRIVER_ID);
    assert!(
        until(|| control(&root, "Cloud-Name").is_some()).await,
        "rendered since"
    );
    assert_eq!(error_at(&name), None);
    leave(&name, None);
    assert!(until(|| error_at(&name).is_some()).await, "error on blur");
    assert_eq!(
        error_at(&name).as_deref(),
        Some("Enter a name for the connection.")
    );
    type_into(&name, "Shop", "insertText");
    assert!(
        until(|| error_at(&name).is_none()).await,
        "fixed as the user types"
    );

    choose(&select(&root, "Driver"), DEFAULT_DRIVER_ID);
    assert!(until(|| control(&root, "Cloud-Name").is_some()).await);
    type_into(&input(&root, "Cloud-Name"), "1demo", "insertText");
    type_into(&input(&root, "API-Key"), "12ab", "insertText");
    button(&root, "Save").expect("save").click();
    assert!(
        until(|| active_id() == "cc-field-cloud_name").await,
        "first invalid field focused, not {}",
        active_id()
    );
    assert!(until(|| error_at(&input(&root, "Cloud-Name")).is_some()).await);
    let cn = error_at(&input(&root, "Cloud-Name")).unwrap_or_default();
    assert!(cn.contains("starts with a letter"), "{cn}");
    let key = error_at(&input(&root, "API-Key")).unwrap_or_default();
    assert!(key.contains("digits"), "{key}");
    assert_eq!(
        error_at(&input(&root, "API-Secret")).as_deref(),
        Some("Enter the API-Secret.")
    );
    assert!(
        one(&root, "[role=alert]").is_some(),
        "the form says it was not saved"
    );
    assert_eq!(input(&root, "Name").value(), "Shop", "values kept");
}

#[wasm_bindgen_test]
async fn edit_view_names_the_connection_and_keeps_the_secret() {
    let (root, _handle) = mount_form(Some(stored()));
    assert!(
        until(|| control(&root, "Cloud-Name").is_some_and(|c| !c
            .dyn_into::<HtmlInputElement>()
            .map(|i| i.value())
            .unwrap_or_default()
            .is_empty()))
        .await
    );
    // The title is the name as typed, nothing glued to it.
    let title = accessible_text(&one(&root, "h2").expect("title"));
    assert_eq!(title, "Shop EU");
    let text = accessible_text(&root);
    assert!(text.contains("Created") && text.contains("2026"), "{text}");
    let driver = input(&root, "Driver");
    assert!(driver.read_only(), "driver cannot change after creation");
    assert_eq!(driver.value(), "Cloudinary default driver");
    let secret = input(&root, "API-Secret");
    assert_eq!(secret.value(), "", "the stored secret is never shown");
    assert!(text.contains("Stored — leave empty to keep it"));
    let hint = secret.get_attribute("aria-describedby").unwrap_or_default();
    assert!(hint.contains("cc-field-api_secret-stored"), "{hint}");
    assert_eq!(input(&root, "Cloud-Name").value(), "demo");
    assert_eq!(select(&root, "Region").value(), "eu");
    assert_eq!(legends(&root), ["Credentials"]);
}

#[wasm_bindgen_test]
async fn back_asks_only_when_something_changed() {
    fake_api(&[drivers_route(), empty_list_route()]);
    // Unchanged: Back leaves at once.
    let (root, handle) = mount_app("/new", "");
    assert!(until(|| control(&root, "Name").is_some()).await);
    button(&root, "Back").expect("back").click();
    assert!(
        until(|| address() == "/").await,
        "at the list: {}",
        address()
    );
    assert!(one(&root, "dialog[open]").is_none());
    drop(handle);

    let (root, _handle) = mount_app("/new", "");
    assert!(until(|| control(&root, "Name").is_some()).await);
    type_into(&input(&root, "Name"), "Shop", "insertText");
    let back = button(&root, "Back").expect("back");
    back.click();
    assert!(
        until(|| one(&root, "dialog[open]").is_some()).await,
        "asks first"
    );
    let dialog = one(&root, "dialog[open]").expect("dialog");
    assert_eq!(dialog.get_attribute("role").as_deref(), Some("alertdialog"));
    assert_eq!(dialog.get_attribute("aria-modal").as_deref(), Some("true"));
    assert!(
        until(|| document()
            .active_element()
            .is_some_and(|a| dialog.contains(Some(&a))))
        .await,
        "focus moved into the dialog"
    );
    press(&dialog, "Escape");
    assert!(
        until(|| one(&root, "dialog[open]").is_none()).await,
        "Escape cancels"
    );
    assert_eq!(address(), "/new");
    assert_eq!(input(&root, "Name").value(), "Shop", "nothing lost");

    back.click();
    assert!(until(|| one(&root, "dialog[open]").is_some()).await);
    button(&root, "Discard changes").expect("discard").click();
    assert!(until(|| address() == "/").await, "{}", address());
}

#[wasm_bindgen_test]
async fn save_is_disabled_while_pending_and_goes_to_the_saved_row() {
    let mut created = serde_json::to_value(stored()).expect("json");
    created["id"] = 42.into();
    fake_api(&[
        drivers_route(),
        empty_list_route(),
        ("POST", "/api/connections", 201, created, true),
    ]);
    let (root, _handle) = mount_app("/new", "");
    assert!(until(|| control(&root, "Name").is_some()).await);
    fill_in_a_new_connection(&root, "s3cret_value").await;

    let save = button(&root, "Save").expect("save");
    save.click();
    assert!(
        until(|| save.has_attribute("disabled")).await,
        "Save is disabled while the request is under way"
    );
    save.click();
    let posts = requests_by("POST");
    assert_eq!(posts.len(), 1, "no double submission");
    let post = &posts[0];
    let key = post.header("idempotency-key");
    assert_eq!(key.len(), 32, "an Idempotency-Key is sent: {key:?}");
    let body = post.json();
    assert_eq!(body["name"], "Shop");
    assert_eq!(body["fields"]["api_secret"], "s3cret_value");
    assert_eq!(body["fields"]["region"], "us");

    release_all();
    assert!(
        until(|| navigations().iter().any(|u| u.ends_with("/?saved=42"))).await,
        "back at the list with the saved row: {:?}",
        navigations()
    );
    assert!(
        until(|| control(&root, "Name").is_none()).await,
        "the form closed"
    );
    let html = document().body().expect("body").inner_html();
    assert!(!html.contains("s3cret_value"), "no secret in the DOM");
    let values: Vec<String> = all(&document().document_element().expect("html"), "input")
        .into_iter()
        .filter_map(|e| e.dyn_into::<HtmlInputElement>().ok())
        .map(|i| i.value())
        .collect();
    assert!(
        !values.iter().any(|v| v.contains("s3cret_value")),
        "{values:?}"
    );
}

#[wasm_bindgen_test]
async fn a_failed_save_keeps_everything_and_a_retry_reuses_the_key() {
    fake_api(&[
        drivers_route(),
        (
            "POST",
            "/api/connections",
            503,
            serde_json::json!({ "error": { "code": "internal", "message": "The database is busy." } }),
            false,
        ),
    ]);
    let (root, _handle) = mount_app("/new", "");
    assert!(until(|| control(&root, "Name").is_some()).await);
    fill_in_a_new_connection(&root, "abc").await;
    let save = button(&root, "Save").expect("save");
    save.click();
    assert!(until(|| one(&root, "[role=alert]").is_some()).await);
    let alert = accessible_text(&one(&root, "[role=alert]").expect("alert"));
    assert!(
        alert.contains("not saved") && alert.contains("database is busy"),
        "{alert}"
    );
    assert_eq!(input(&root, "API-Secret").value(), "abc", "values kept");
    assert_eq!(address(), "/new");
    assert!(
        until(|| !save.has_attribute("disabled")).await,
        "can try again"
    );
    save.click();
    let keys = || {
        requests_by("POST")
            .iter()
            .map(|r| r.header("idempotency-key").to_string())
            .collect::<Vec<_>>()
    };
    assert!(until(|| keys().len() == 2).await);
    assert_eq!(keys()[0], keys()[1], "the same draft keeps its key");
}

#[wasm_bindgen_test]
async fn a_412_offers_reload_and_keeps_the_users_values() {
    let mut theirs = stored();
    theirs.name = "Shop EU (theirs)".into();
    theirs.version = 4;
    fake_api(&[
        drivers_route(),
        connection_17_route(&stored()),
        (
            "PUT",
            "/api/connections/17",
            412,
            serde_json::json!({ "error": { "code": "conflict", "message": "stale" } }),
            false,
        ),
    ]);
    let (root, _handle) = mount_app("/17", "");
    assert!(
        until(|| control(&root, "Name").is_some()).await,
        "deep link opens the edit view"
    );
    type_into(&input(&root, "Name"), "Mine", "insertText");
    button(&root, "Save").expect("save").click();
    assert!(
        until(|| button(&root, "Reload").is_some()).await,
        "offers Reload"
    );
    let alert = accessible_text(&one(&root, "[role=alert]").expect("alert"));
    assert!(alert.contains("Someone else changed"), "{alert}");
    assert_eq!(
        input(&root, "Name").value(),
        "Mine",
        "user's values stay visible"
    );
    let put = requests_by("PUT").into_iter().next().expect("put");
    assert_eq!(put.header("if-match"), "\"3\"");
    let body = put.json();
    assert!(
        body["fields"].get("api_secret").is_none(),
        "untouched secret not sent"
    );

    fake_api(&[connection_17_route(&theirs)]);
    button(&root, "Reload").expect("reload").click();
    assert!(until(|| input(&root, "Name").value() == "Shop EU (theirs)").await);
    assert!(button(&root, "Reload").is_none());
    assert_eq!(
        accessible_text(&one(&root, "h2").expect("title")),
        "Shop EU (theirs)"
    );
}

#[wasm_bindgen_test]
async fn routes_work_under_a_base_path_with_the_browsers_back() {
    fake_api(&[
        drivers_route(),
        empty_list_route(),
        connection_17_route(&stored()),
    ]);
    let (root, _handle) = mount_app("/shop/cloudinary", "/shop/cloudinary/");
    assert!(
        until(|| button(&root, "Add").is_some()).await,
        "the list at the base path"
    );
    button(&root, "Add").expect("add").click();
    assert!(
        until(|| control(&root, "Name").is_some()).await,
        "the form opens"
    );
    assert_eq!(address(), "/shop/cloudinary/new");
    button(&root, "Back").expect("back").click();
    assert!(until(|| button(&root, "Add").is_some()).await);
    assert_eq!(address(), "/shop/cloudinary");

    button(&root, "Add").expect("add").click();
    assert!(until(|| control(&root, "Name").is_some()).await);
    web_sys::window()
        .expect("window")
        .history()
        .expect("history")
        .back()
        .expect("back");
    assert!(
        until(|| button(&root, "Add").is_some() && control(&root, "Name").is_none()).await,
        "the browser's Back returns to the list"
    );
    assert_eq!(address(), "/shop/cloudinary");
}

#[wasm_bindgen_test]
async fn a_deep_link_under_a_base_path_opens_the_edit_view() {
    fake_api(&[
        drivers_route(),
        empty_list_route(),
        connection_17_route(&stored()),
    ]);
    let (root, _handle) = mount_app("/shop/cloudinary/17", "/shop/cloudinary");
    assert!(
        until(|| one(&root, "h2").is_some_and(|h| accessible_text(&h) == "Shop EU")).await,
        "edit view of connection 17"
    );
    button(&root, "Back").expect("back").click();
    assert!(
        until(|| address() == "/shop/cloudinary").await,
        "{}",
        address()
    );
}

#[wasm_bindgen_test]
async fn duplicate_prefills_a_new_draft_without_the_secret() {
    fake_api(&[drivers_route(), connection_17_route(&stored())]);
    let (root, _handle) = mount_app("/new?from=17", "");
    assert!(until(|| control(&root, "Cloud-Name").is_some()).await);
    assert_eq!(input(&root, "Name").value(), "Shop EU (copy)");
    assert_eq!(select(&root, "Driver").value(), DEFAULT_DRIVER_ID);
    assert_eq!(input(&root, "Cloud-Name").value(), "demo");
    assert_eq!(input(&root, "API-Key").value(), "123456789012345");
    assert_eq!(select(&root, "Region").value(), "eu");
    let secret = input(&root, "API-Secret");
    assert_eq!(secret.value(), "");
    assert_eq!(
        secret.get_attribute("aria-required").as_deref(),
        Some("true")
    );
    assert_eq!(
        accessible_text(&one(&root, "h2").expect("title")),
        "Create connection"
    );
}

#[wasm_bindgen_test]
async fn test_connection_points_at_the_field() {
    fake_api(&[
        drivers_route(),
        connection_17_route(&stored()),
        (
            "POST",
            "/api/verify",
            200,
            serde_json::json!({ "state": "invalid_credentials", "message": "Unknown cloud name.", "field": "cloud_name" }),
            false,
        ),
    ]);
    let (root, _handle) = mount_app("/17", "");
    assert!(until(|| button(&root, "Test connection").is_some()).await);
    button(&root, "Test connection").expect("test").click();
    let cn = input(&root, "Cloud-Name");
    assert!(
        until(|| error_at(&cn).is_some()).await,
        "points at Cloud-Name"
    );
    assert!(error_at(&cn).unwrap_or_default().contains("Cloud-Name"));
    assert!(accessible_text(&root).contains("Invalid credentials: Unknown cloud name."));
    // The result is about the values tested: changing one clears it.
    type_into(&input(&root, "API-Key"), "99", "insertText");
    assert!(
        until(|| !accessible_text(&root).contains("Invalid credentials")).await,
        "a stale result goes away"
    );
    let verify = requests()
        .into_iter()
        .find(|r| r.path == "/api/verify")
        .expect("verify sent");
    let body = verify.json();
    assert_eq!(body["connection_id"], 17, "the stored secret is used");
    assert!(body["fields"].get("api_secret").is_none());
}

#[wasm_bindgen_test]
async fn the_form_speaks_german_with_errors_from_codes_and_switches_language() {
    let live = Live::new(Locale::De);
    let root = host_element();
    let _handle = dom::mount(&root, move || {
        provide_context(live);
        provide_context(Client::new("/api", None));
        connection_form(drivers(), None)
    });
    assert!(until(|| control(&root, "Treiber").is_some()).await);
    assert!(accessible_text(&root).contains("Verbindung anlegen"));
    assert!(button(&root, "Zurück").is_some());
    assert!(button(&root, "Speichern").is_some());
    choose(&select(&root, "Treiber"), DEFAULT_DRIVER_ID);
    assert!(until(|| control(&root, "Cloud-Name").is_some()).await);
    assert_eq!(legends(&root), ["Zugangsdaten"]);
    assert!(button(&root, "Verbindung testen").is_some());
    assert!(accessible_text(&root).contains("Cloudinary-Standardtreiber"));

    let name = input(&root, "Name");
    leave(&name, None);
    assert!(until(|| error_at(&name).is_some()).await, "error on blur");
    assert_eq!(
        error_at(&name).as_deref(),
        Some("Geben Sie einen Namen für die Verbindung ein.")
    );
    type_into(&input(&root, "Cloud-Name"), "1demo", "insertText");
    type_into(&input(&root, "API-Key"), "12ab", "insertText");
    button(&root, "Speichern").expect("save").click();
    assert!(until(|| error_at(&input(&root, "Cloud-Name")).is_some()).await);
    assert_eq!(
        error_at(&input(&root, "Cloud-Name")).as_deref(),
        Some("Das Feld „Cloud-Name“ beginnt mit einem Buchstaben.")
    );
    assert_eq!(
        error_at(&input(&root, "API-Key")).as_deref(),
        Some("Das Feld „API-Key“ besteht nur aus Ziffern, nicht „a“.")
    );
    assert_eq!(
        error_at(&input(&root, "API-Secret")).as_deref(),
        Some("Bitte „API-Secret“ eingeben.")
    );
    let env = input(&root, "API-Umgebungsvariable");
    type_into(&env, "cloudinary://123456:@my-cloud", "insertFromPaste");
    assert!(until(|| error_at(&env).is_some()).await);
    let e = error_at(&env).unwrap_or_default();
    assert!(e.contains("Das API-Secret fehlt"), "{e}");

    // Switching the language re-renders the errors and keeps what was typed.
    live.locale.set(Locale::En);
    assert!(until(|| control(&root, "Driver").is_some()).await);
    let cn = error_at(&input(&root, "Cloud-Name")).unwrap_or_default();
    assert!(cn.contains("starts with a letter"), "{cn}");
    let e = error_at(&input(&root, "API environment variable")).unwrap_or_default();
    assert!(e.contains("API secret is missing"), "{e}");
    assert_eq!(input(&root, "Cloud-Name").value(), "1demo");
    assert_eq!(input(&root, "API-Key").value(), "12ab");
    assert!(button(&root, "Save").is_some());
    assert!(accessible_text(&root).contains("Cloudinary default driver"));
}

#[wasm_bindgen_test]
async fn the_edit_view_shows_the_connections_health() {
    let mut c = stored();
    c.status = Status {
        state: connections_api::State::InvalidCredentials,
        message: Some("Cloudinary refused the API key.".into()),
        checked_at: Some("2026-11-23T09:30:00Z".into()),
        field: Some("api_key".into()),
        retry_at: None,
    };
    let (root, _handle) = mount_form(Some(c));
    assert!(
        until(|| one(&root, ".cc-health").is_some()).await,
        "a health section"
    );
    let health = one(&root, ".cc-health").expect("health");
    let text = accessible_text(&health);
    assert!(text.contains("Invalid credentials"), "{text}");
    assert!(text.contains("Cloudinary refused the API key."), "{text}");
    assert!(
        text.contains("Last checked: ") && text.contains("2026"),
        "{text}"
    );
    assert!(
        one(&health, ".cc-status-bad").is_some(),
        "coloured as a problem"
    );

    // Never checked: says so.
    let (root, _handle) = mount_form(Some(stored()));
    assert!(until(|| one(&root, ".cc-health").is_some()).await);
    let text = accessible_text(&one(&root, ".cc-health").expect("health"));
    assert!(
        text.contains("Not verified") && text.contains("Last checked: Never"),
        "{text}"
    );
}

#[wasm_bindgen_test]
async fn the_browsers_back_with_changes_asks_first() {
    fake_api(&[drivers_route(), empty_list_route()]);
    let (root, _handle) = mount_app("/", "");
    assert!(until(|| button(&root, "Add").is_some()).await);
    button(&root, "Add").expect("add").click();
    assert!(until(|| control(&root, "Name").is_some()).await);
    assert_eq!(address(), "/new");
    type_into(&input(&root, "Name"), "Shop", "insertText");

    let history = web_sys::window()
        .expect("window")
        .history()
        .expect("history");
    history.back().expect("back");
    assert!(
        until(|| one(&root, "dialog[open]").is_some()).await,
        "the browser's Back asks first: {} {:?}",
        address(),
        control(&root, "Name").is_some()
    );
    assert_eq!(address(), "/new", "still at the form");
    button(&root, "Keep editing").expect("keep").click();
    assert!(until(|| one(&root, "dialog[open]").is_none()).await);
    assert_eq!(input(&root, "Name").value(), "Shop", "nothing lost");

    history.back().expect("back");
    assert!(until(|| one(&root, "dialog[open]").is_some()).await);
    button(&root, "Discard changes").expect("discard").click();
    assert!(
        until(|| address() == "/").await,
        "at the list: {}",
        address()
    );
    assert!(
        until(|| button(&root, "Add").is_some()).await,
        "the list shows"
    );
}

/// Another load error after Retry changes the alert's text only: the Retry button, with the
/// focus, stays where it was.
#[wasm_bindgen_test]
async fn retry_keeps_its_button_and_focus_when_another_error_comes() {
    let error = serde_json::json!({ "error": { "code": "internal", "message": "m" } });
    fake_api(&[
        drivers_route(),
        ("GET", "/api/connections/17", 500, error.clone(), false),
    ]);
    let (root, _handle) = mount_app("/17", "");
    let alert_says = |text: &str| {
        one(&root, "[role=alert]")
            .and_then(|a| a.text_content())
            .is_some_and(|t| t.contains(text))
    };
    assert!(until(|| alert_says("could not load this connection")).await);
    let retry = button(&root, "Retry").expect("Retry");
    retry.focus().expect("focus");
    fake_api(&[
        drivers_route(),
        ("GET", "/api/connections/17", 401, error, false),
    ]);
    retry.click();
    assert!(
        until(|| alert_says("not authorised to open connections")).await,
        "the other error's text"
    );
    assert!(retry.is_connected(), "the same Retry button");
    assert!(has_focus(&retry), "the focus stays on Retry");
}
