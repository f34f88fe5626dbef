//! Browser tests of the list screen: the real app (`app`) in headless Chromium, with `fetch`
//! answered in the page from in-memory connections (no server needed).
#![cfg(target_arch = "wasm32")]

use std::cell::RefCell;
use std::collections::BTreeMap;

use cloudinary_connections::dom;
use cloudinary_connections::i18n::Msg;
use cloudinary_connections::list::STORAGE_KEY;
use cloudinary_connections::locale::Locale;
use cloudinary_connections::{app, HostConfig, Live};
use connections_api::{Connection, Page, Status};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::{Element, HtmlElement, HtmlInputElement};

mod support;
use support::fetch::{self, Reply};
use support::{
    accessible_text, address, all, button, button_names, checkbox, document, has_focus,
    host_element, input, one, press, type_into, until,
};

wasm_bindgen_test_configure!(run_in_browser);

thread_local! {
    /// Connections served per API base (each test mounts under its own base).
    static DATA: RefCell<BTreeMap<String, Vec<Connection>>> = const { RefCell::new(BTreeMap::new()) };
    /// Filter values answered late (after the answers that follow them).
    static SLOW: RefCell<Vec<String>> = const { RefCell::new(Vec::new()) };
}

/// Base of the test whose `POST …/verify` answers are held (see [`fetch::release`]).
const HOLD_BASE: &str = "/mock-bulk/api";

/// The verify requests of the bulk test asked so far.
fn verifies_asked() -> usize {
    fetch::requests_by("POST")
        .iter()
        .filter(|r| r.path.starts_with(HOLD_BASE) && r.path.ends_with("/verify"))
        .count()
}

fn conn(id: i64, name: &str) -> Connection {
    Connection {
        id,
        name: name.into(),
        driver: "cloudinary-default".into(),
        fields: [("cloud_name".to_string(), format!("cloud{id}"))].into(),
        secrets_set: vec!["api_secret".into()],
        status: Status::default(),
        created_at: "2026-01-01T10:00:00Z".into(),
        updated_at: "2026-01-01T10:00:00Z".into(),
        version: 1,
    }
}

/// Answers `GET <base>/connections` from [`DATA`] (paged, filtered by name), `GET
/// <base>/drivers`, `DELETE <base>/connections/{id}` and `POST <base>/connections/{id}/verify`
/// (the row, now checked; held under [`HOLD_BASE`]); anything else with 404. A filter of
/// [`SLOW`] is answered late.
fn answer(req: &fetch::Request) -> Reply {
    let reply = DATA.with(|d| answer_from(&mut d.borrow_mut(), req));
    let q = req.param("q").unwrap_or_default();
    if req.method == "POST" && req.path.starts_with(HOLD_BASE) {
        reply.held()
    } else if SLOW.with(|s| s.borrow().contains(&q)) {
        reply.after(300)
    } else {
        reply
    }
}

fn answer_from(data: &mut BTreeMap<String, Vec<Connection>>, req: &fetch::Request) -> Reply {
    let path = req.path.as_str();
    for (base, items) in data.iter_mut() {
        let one = path
            .strip_prefix(&format!("{base}/connections/"))
            .map(|rest| rest.split('/').collect::<Vec<_>>());
        match (req.method.as_str(), one.as_deref()) {
            ("DELETE", Some([id])) => {
                let before = items.len();
                items.retain(|c| c.id.to_string() != *id);
                return if items.len() < before {
                    Reply::no_content()
                } else {
                    Reply::error(404, "not_found")
                };
            }
            ("POST", Some([id, "verify"])) => {
                if let Some(c) = items.iter().find(|c| c.id.to_string() == *id) {
                    let mut c = c.clone();
                    c.status = Status {
                        state: connections_api::State::Ok,
                        checked_at: Some("2026-02-01T10:00:00Z".into()),
                        ..Status::default()
                    };
                    return Reply::json(200, &c);
                }
            }
            _ => {}
        }
        if path == format!("{base}/drivers") {
            // The compiled drivers and one only the server knows.
            let mut ds = connections_api::drivers();
            let mut other = ds[0].clone();
            other.id = "other-driver".into();
            other.name = "Other storage".into();
            ds.push(other);
            return Reply::json(200, &ds);
        }
        if path == format!("{base}/connections") {
            let number = |k: &str| req.param(k).and_then(|v| v.parse::<usize>().ok());
            let offset = number("offset").unwrap_or(0);
            let limit = number("limit").unwrap_or(25);
            let q = req.param("q").unwrap_or_default().to_lowercase();
            let matching: Vec<&Connection> = items
                .iter()
                .filter(|c| c.name.to_lowercase().contains(&q))
                .collect();
            let page = Page {
                items: matching
                    .iter()
                    .skip(offset)
                    .take(limit)
                    .map(|c| (*c).clone())
                    .collect(),
                total: matching.len() as u64,
                offset: offset as u64,
                limit: limit as u64,
                next: None,
                prev: None,
            };
            return Reply::json(200, &page);
        }
    }
    Reply::error(404, "not_found")
}

/// Mounts the app with `items` served under `base` into a fresh element, at the list's
/// address without a query (an earlier test's view stays out of this one).
fn mount(base: &str, items: Vec<Connection>) -> HtmlElement {
    mount_at(base, items, "/")
}

/// [`mount`] at `address` (a path with its query).
fn mount_at(base: &str, items: Vec<Connection>, address: &str) -> HtmlElement {
    fetch::answer_with(answer);
    DATA.with(|d| d.borrow_mut().insert(base.to_string(), items));
    let window = web_sys::window().expect("window");
    if let Ok(Some(s)) = window.local_storage() {
        let _ = s.remove_item(STORAGE_KEY);
    }
    window
        .history()
        .expect("history")
        .replace_state_with_url(&JsValue::NULL, "", Some(address))
        .expect("address");
    let el = host_element();
    let config = HostConfig::new(Some(base.to_string()), None, None, None);
    std::mem::forget(dom::mount(&el, move || app(config, None, None)));
    el
}

/// Text of a node without the parts hidden from assistive technology (icons).
fn visible_text(n: &web_sys::Node) -> String {
    if let Some(e) = n.dyn_ref::<Element>() {
        if e.get_attribute("aria-hidden").as_deref() == Some("true") {
            return String::new();
        }
    } else {
        return n.text_content().unwrap_or_default();
    }
    let kids = n.child_nodes();
    (0..kids.length())
        .filter_map(|i| kids.item(i))
        .map(|k| visible_text(&k))
        .collect()
}

/// A label's text as a screen reader reads it.
fn label_text(label: &Element) -> String {
    accessible_text(label).trim().to_string()
}

fn headers(root: &Element) -> Vec<String> {
    all(root, "thead th[scope=col]")
        .iter()
        .map(|t| t.text_content().unwrap_or_default())
        .map(|t| t.trim_end_matches(['▲', '▼', '↕']).trim().to_string())
        .filter(|t| !t.is_empty())
        .collect()
}

/// The table's body while it is shown: a hidden table keeps the rows of its last page.
const SHOWN_BODY: &str = ".cc-table-wrap:not([hidden]) tbody";

fn rows(root: &Element) -> usize {
    all(root, &format!("{SHOWN_BODY} tr")).len()
}

fn three() -> Vec<Connection> {
    vec![conn(1, "Shop EU"), conn(2, "Shop US"), conn(3, "Archive")]
}

#[wasm_bindgen_test]
async fn columns_count_follows_the_choice() {
    let root = mount("/mock-columns/api", three());
    assert!(until(|| rows(&root) == 3).await, "rows appear");
    assert_eq!(headers(&root), ["ID", "Name", "Status"]);

    button(&root, "Columns (3)")
        .unwrap_or_else(|| panic!("{:?}", button_names(&root)))
        .click();
    assert!(
        until(|| checkbox(&root, "Driver").is_some()).await,
        "the columns bar opens"
    );
    checkbox(&root, "Driver").expect("Driver").click();
    assert!(
        until(|| button(&root, "Columns (4)").is_some()).await,
        "{:?}",
        button_names(&root)
    );
    assert_eq!(headers(&root), ["ID", "Name", "Driver", "Status"]);
    let cell = all(&root, "tbody tr")[0].text_content().unwrap_or_default();
    assert!(cell.contains("Cloudinary default driver"), "{cell}");

    // Hide all but one: the last shown column cannot be hidden.
    for name in ["ID", "Name", "Driver"] {
        let names: Vec<String> = all(&root, "label").iter().map(label_text).collect();
        checkbox(&root, name)
            .unwrap_or_else(|| panic!("{name} in {names:?}"))
            .click();
    }
    assert!(until(|| button(&root, "Columns (1)").is_some()).await);
    let status = checkbox(&root, "Status").expect("Status");
    assert!(
        status.checked() && status.disabled(),
        "the last column stays shown"
    );

    // The columns bar lists the columns in their order; Move up swaps Status with the one
    // before it.
    let order = || -> Vec<String> {
        all(&root, "#cc-columns-bar input[type=checkbox]")
            .iter()
            .filter_map(|c| c.closest("label").ok().flatten())
            .map(|l| label_text(&l))
            .collect()
    };
    let before = order();
    let at = before
        .iter()
        .position(|n| n == "Status")
        .expect("Status listed");
    assert!(at > 0, "{before:?}");
    button(&root, "Move Status up")
        .expect("Move Status up")
        .click();
    let mut expected = before.clone();
    expected.swap(at - 1, at);
    assert!(
        until(|| order() == expected).await,
        "{:?} → {:?}",
        before,
        order()
    );
    button(&root, "Reset columns")
        .expect("Reset columns")
        .click();
    assert!(until(|| button(&root, "Columns (3)").is_some()).await);
    assert_eq!(headers(&root), ["ID", "Name", "Status"]);
}

#[wasm_bindgen_test]
async fn edit_and_duplicate_only_for_exactly_one_selected_row() {
    let root = mount("/mock-edit/api", three());
    assert!(until(|| rows(&root) == 3).await, "rows appear");
    assert!(button(&root, "Edit").is_none(), "no editing toolbar yet");

    checkbox(&root, "Select Shop EU")
        .expect("row checkbox")
        .click();
    assert!(
        until(|| button(&root, "Edit").is_some()).await,
        "Edit for one row"
    );
    assert!(button(&root, "Duplicate").is_some());
    assert!(button(&root, "Delete").is_some());
    assert!(button(&root, "Test").is_some());
    let text = || root.text_content().unwrap_or_default();
    assert!(until(|| text().contains("1 selected")).await, "{}", text());

    checkbox(&root, "Select Archive")
        .expect("row checkbox")
        .click();
    assert!(
        until(|| button(&root, "Edit").is_none()).await,
        "no Edit for two"
    );
    assert!(button(&root, "Duplicate").is_none());
    assert!(button(&root, "Delete").is_some());
    assert!(until(|| text().contains("2 selected")).await, "{}", text());
}

#[wasm_bindgen_test]
async fn select_all_goes_mixed() {
    let root = mount("/mock-all/api", three());
    assert!(until(|| rows(&root) == 3).await, "rows appear");
    let all_box = checkbox(&root, "Select all rows on this page").expect("select all");
    assert!(!all_box.checked() && !all_box.indeterminate());

    checkbox(&root, "Select Shop US").expect("row").click();
    assert!(
        until(|| all_box.indeterminate()).await,
        "one of three: mixed"
    );
    assert!(!all_box.checked());

    all_box.click();
    assert!(until(|| all_box.checked() && !all_box.indeterminate()).await);
    let text = || root.text_content().unwrap_or_default();
    assert!(until(|| text().contains("3 selected")).await, "{}", text());
    assert!(checkbox(&root, "Select Archive").expect("row").checked());

    all_box.click();
    assert!(
        until(|| button(&root, "Delete").is_none()).await,
        "all cleared"
    );
}

#[wasm_bindgen_test]
async fn a_name_containing_markup_renders_as_text() {
    let name = r#"<b>bold</b><img src=x onerror="window.__ccXss=1">"#;
    let root = mount("/mock-markup/api", vec![conn(7, name)]);
    assert!(until(|| rows(&root) == 1).await, "row appears");
    let cell = all(&root, "tbody td.cc-name");
    assert_eq!(cell.len(), 1);
    assert_eq!(cell[0].text_content().unwrap_or_default(), name);
    assert!(
        all(&root, "tbody b, tbody img").is_empty(),
        "no markup made it into the DOM"
    );
    assert!(checkbox(&root, &format!("Select {name}")).is_some());
}

#[wasm_bindgen_test]
async fn pager_counts_and_pages() {
    let items: Vec<Connection> = (1..=30).map(|i| conn(i, &format!("Conn {i}"))).collect();
    let root = mount("/mock-pager/api", items);
    assert!(until(|| rows(&root) == 25).await, "a page of 25");
    assert!(root
        .text_content()
        .unwrap_or_default()
        .contains("1-25 of 30"));
    let prev = button(&root, "Previous page").expect("Previous page");
    assert!(prev.has_attribute("disabled"));
    button(&root, "Next page").expect("Next page").click();
    assert!(until(|| rows(&root) == 5).await, "the second page");
    assert!(root
        .text_content()
        .unwrap_or_default()
        .contains("26-30 of 30"));
    assert!(button(&root, "Last page")
        .expect("Last")
        .has_attribute("disabled"));
}

#[wasm_bindgen_test]
async fn an_empty_list_says_so_and_offers_add() {
    let root = mount("/mock-empty/api", Vec::new());
    assert!(
        until(|| root
            .text_content()
            .unwrap_or_default()
            .contains("No connections have been created yet"))
        .await
    );
    assert!(root.text_content().unwrap_or_default().contains("0-0 of 0"));
    let names = button_names(&root);
    assert!(names.iter().any(|n| n == "Add connection"), "{names:?}");
    let adds = names.iter().filter(|n| *n == "Add").count();
    assert_eq!(adds, 1, "one Add (bottom right): {names:?}");
}

/// Whether a list request filtering by `q` goes out (waited for).
async fn asked_for(q: &str) -> bool {
    until(|| {
        fetch::requests()
            .iter()
            .any(|r| r.param("q").as_deref() == Some(q))
    })
    .await
}

#[wasm_bindgen_test]
async fn an_older_filter_answer_never_overwrites_a_newer_one() {
    SLOW.with(|s| *s.borrow_mut() = vec!["shop".to_string()]);
    let root = mount("/mock-filter/api", three());
    assert!(until(|| rows(&root) == 3).await, "rows appear");
    let label = root
        .query_selector("label[for=cc-filter-input]")
        .ok()
        .flatten()
        .and_then(|l| l.text_content());
    assert_eq!(label.as_deref(), Some("Filter"));
    // Enter applies the filter at once (no debounce), as a user pressing it would.
    let type_text = |text: &str| filter_now(&root, text);
    // "shop" is answered late (two rows), "shop e" at once (one row).
    type_text("shop");
    assert!(asked_for("shop").await, "the request for \"shop\" went out");
    type_text("shop e");
    assert!(until(|| rows(&root) == 1).await, "the newer answer shows");
    assert!(
        until(|| fetch::late_answers() == 1).await,
        "the older answer arrived"
    );
    // Let the app handle the late answer, then check it was dropped.
    for _ in 0..5 {
        gloo_timers::future::TimeoutFuture::new(0).await;
    }
    assert_eq!(
        rows(&root),
        1,
        "the older answer did not overwrite the newer"
    );
    assert!(root.text_content().unwrap_or_default().contains("1-1 of 1"));
}

/// A click with Shift held, as a user shift-clicks.
fn shift_click(el: &Element) {
    let init = js_sys::Object::new();
    for (k, v) in [("bubbles", true), ("cancelable", true), ("shiftKey", true)] {
        js_sys::Reflect::set(&init, &k.into(), &v.into()).expect("set");
    }
    let ctor: js_sys::Function = js_sys::Reflect::get(&js_sys::global(), &"MouseEvent".into())
        .expect("MouseEvent")
        .unchecked_into();
    let click: web_sys::Event =
        js_sys::Reflect::construct(&ctor, &js_sys::Array::of2(&"click".into(), &init))
            .expect("click")
            .unchecked_into();
    el.dispatch_event(&click).expect("dispatch");
}

fn row_ids(root: &Element) -> Vec<String> {
    all(root, &format!("{SHOWN_BODY} tr"))
        .iter()
        .filter_map(|r| r.get_attribute("data-id"))
        .collect()
}

#[wasm_bindgen_test]
async fn shift_click_selects_a_range_and_the_next_page_shows_its_own_rows() {
    let items: Vec<Connection> = (1..=30).map(|i| conn(i, &format!("Conn {i}"))).collect();
    let root = mount("/mock-range/api", items);
    assert!(until(|| rows(&root) == 25).await, "a page of 25");
    let text = || root.text_content().unwrap_or_default();

    checkbox(&root, "Select Conn 2").expect("row").click();
    shift_click(&checkbox(&root, "Select Conn 5").expect("row"));
    assert!(until(|| text().contains("4 selected")).await, "{}", text());
    let marked: Vec<String> = all(&root, "tbody tr.cc-selected")
        .iter()
        .filter_map(|r| r.get_attribute("data-id"))
        .collect();
    assert_eq!(marked, ["2", "3", "4", "5"]);
    assert!(checkbox(&root, "Select Conn 3").expect("row").checked());
    assert!(!checkbox(&root, "Select Conn 6").expect("row").checked());

    // The next page's rows carry its connections: ids, names, unselected boxes.
    button(&root, "Next page").expect("Next page").click();
    assert!(until(|| rows(&root) == 5).await, "the second page");
    assert_eq!(row_ids(&root), ["26", "27", "28", "29", "30"]);
    assert!(all(&root, "tbody td.cc-name")
        .iter()
        .map(|c| c.text_content().unwrap_or_default())
        .eq((26..=30).map(|i| format!("Conn {i}"))));
    assert!(checkbox(&root, "Select Conn 2").is_none());
    assert!(!checkbox(&root, "Select Conn 27").expect("row").checked());
    assert!(all(&root, "tbody tr.cc-selected, tbody input:checked").is_empty());
    assert!(until(|| !text().contains("selected")).await, "{}", text());

    // And back: the first page again, the rows it had.
    button(&root, "First page").expect("First page").click();
    assert!(until(|| rows(&root) == 25).await, "the first page again");
    assert_eq!(row_ids(&root).first().map(String::as_str), Some("1"));
    assert!(checkbox(&root, "Select Conn 25").is_some());
}

/// Types into the quick filter and presses Enter (applies at once, no typing pause).
/// Types `text` into the Filter field and presses Enter.
fn filter_now(root: &Element, text: &str) {
    let filter = input(root, "Filter");
    type_into(&filter, text, "insertText");
    press(&filter, "Enter");
}

fn names(root: &Element) -> Vec<String> {
    all(root, &format!("{SHOWN_BODY} td.cc-name"))
        .iter()
        .map(|c| c.text_content().unwrap_or_default())
        .collect()
}

#[wasm_bindgen_test]
async fn rows_after_no_match_and_a_narrower_filter_are_the_right_ones() {
    let root = mount("/mock-refilter/api", three());
    assert!(until(|| rows(&root) == 3).await, "rows appear");
    let text = || root.text_content().unwrap_or_default();

    // A focused row: the table hidden for "no match" takes the focus away, and keys on a row
    // it keeps neither open nor select anything.
    let second = one(&root, "tbody tr[data-id=\"2\"]").expect("row 2");
    second
        .dyn_ref::<web_sys::HtmlElement>()
        .expect("tr")
        .focus()
        .expect("focus");
    assert!(has_focus(&second));
    filter_now(&root, "zzz");
    assert!(
        until(|| text().contains("No connections match")).await,
        "{}",
        text()
    );
    assert_eq!(rows(&root), 0);
    let wrap = one(&root, ".cc-table-wrap").expect("the table is kept");
    assert!(wrap.has_attribute("hidden") && wrap.has_attribute("inert"));
    // The browser takes the focus out of an inert part when it next updates the rendering.
    assert!(
        until(|| !has_focus(&second)).await,
        "the hidden row lost the focus"
    );
    let before = address();
    press(&second, "Enter");
    press(&second, " ");
    assert_eq!(address(), before, "Enter on a hidden row opens nothing");
    assert!(all(&root, "tbody input:checked, tbody tr.cc-selected").is_empty());
    assert!(!text().contains("1 selected"), "{}", text());

    filter_now(&root, "");
    assert!(until(|| rows(&root) == 3).await, "all rows again");
    assert_eq!(names(&root), ["Shop EU", "Shop US", "Archive"]);
    assert_eq!(row_ids(&root), ["1", "2", "3"]);
    assert!(checkbox(&root, "Select Archive").is_some());

    filter_now(&root, "shop");
    assert!(until(|| rows(&root) == 2).await, "two rows match");
    assert_eq!(names(&root), ["Shop EU", "Shop US"]);
    assert!(checkbox(&root, "Select Archive").is_none());

    filter_now(&root, "archive");
    assert!(
        until(|| names(&root) == ["Archive"]).await,
        "{:?}",
        names(&root)
    );
    assert_eq!(row_ids(&root), ["3"]);
    assert!(checkbox(&root, "Select Archive").is_some());

    // No match, then other rows than the ones the hidden table kept.
    filter_now(&root, "zzz");
    assert!(until(|| rows(&root) == 0).await, "no match again");
    filter_now(&root, "shop");
    assert!(until(|| rows(&root) == 2).await, "two rows match");
    assert_eq!(names(&root), ["Shop EU", "Shop US"]);
    assert_eq!(row_ids(&root), ["1", "2"]);
    assert!(checkbox(&root, "Select Archive").is_none());
    assert!(checkbox(&root, "Select Shop US").is_some());
}

/// Every text node, `aria-label`, `title` and `placeholder` under `root`, trimmed.
fn shown_texts(root: &Element) -> Vec<String> {
    let mut out = Vec::new();
    for e in all(root, "*") {
        for a in ["aria-label", "title", "placeholder"] {
            if let Some(v) = e.get_attribute(a) {
                out.push(v.trim().to_string());
            }
        }
        let kids = e.child_nodes();
        for i in 0..kids.length() {
            if let Some(k) = kids
                .item(i)
                .filter(|k| k.node_type() == web_sys::Node::TEXT_NODE)
            {
                out.push(k.text_content().unwrap_or_default().trim().to_string());
            }
        }
    }
    out.retain(|t| !t.is_empty());
    out
}

/// Catalogue texts of `other` (where they differ from `shown`'s) found on the page.
fn foreign_texts(root: &Element, shown: Locale, other: Locale) -> Vec<String> {
    let foreign: Vec<&str> = Msg::ALL
        .iter()
        .filter(|m| m.text(shown) != m.text(other))
        .map(|m| m.text(other))
        .collect();
    shown_texts(root)
        .into_iter()
        .filter(|t| foreign.contains(&t.as_str()))
        .collect()
}

#[wasm_bindgen_test]
async fn the_list_speaks_german_and_switches_language_keeping_the_filter() {
    fetch::answer_with(answer);
    let base = "/mock-de/api";
    DATA.with(|d| d.borrow_mut().insert(base.to_string(), three()));
    let window = web_sys::window().expect("window");
    if let Ok(Some(s)) = window.local_storage() {
        let _ = s.remove_item(STORAGE_KEY);
    }
    let root = host_element();
    let config = HostConfig::new(Some(base.to_string()), None, None, None);
    let live = Live::new(Locale::De);
    std::mem::forget(dom::mount(&root, move || app(config, None, Some(live))));
    let text = || root.text_content().unwrap_or_default();

    assert!(until(|| rows(&root) == 3).await, "{}", text());
    let names = button_names(&root);
    for b in ["Aktualisieren", "Hinzufügen"] {
        assert!(names.iter().any(|n| n == b), "{b}: {names:?}");
    }
    assert!(
        names.iter().any(|n| n.starts_with("Spalten (")),
        "{names:?}"
    );
    assert!(text().contains("1-3 von 3"), "{}", text());
    assert!(text().contains("Zeilen pro Seite"), "{}", text());
    assert!(
        headers(&root).iter().any(|h| h == "Status"),
        "{:?}",
        headers(&root)
    );
    assert!(text().contains("Nicht geprüft"), "{}", text());
    button(&root, "Spalten (3)").expect("columns").click();
    assert!(
        until(|| text().contains("Spalten zurücksetzen")).await,
        "{}",
        text()
    );
    assert!(
        checkbox(&root, "Treiber").is_some(),
        "the columns bar in German"
    );

    checkbox(&root, "Shop EU auswählen")
        .expect("row checkbox")
        .click();
    assert!(
        until(|| text().contains("1 ausgewählt")).await,
        "{}",
        text()
    );
    let names = button_names(&root);
    for b in ["Bearbeiten", "Duplizieren", "Testen", "Löschen"] {
        assert!(names.iter().any(|n| n == b), "{b}: {names:?}");
    }
    let english = foreign_texts(&root, Locale::De, Locale::En);
    assert!(
        english.is_empty(),
        "English on the German page: {english:?}"
    );

    // Typed but not yet applied: a language switch keeps it.
    let filter: HtmlInputElement = root
        .query_selector("input[type=search]")
        .ok()
        .flatten()
        .expect("Filter")
        .dyn_into()
        .expect("input");
    assert_eq!(filter.placeholder(), "Name, Cloud-Name oder ID");
    filter.set_value("Con");
    live.locale.set(Locale::En);
    assert!(until(|| text().contains("1 selected")).await, "{}", text());
    assert!(text().contains("1-3 of 3"), "{}", text());
    assert!(
        button(&root, "Refresh").is_some(),
        "{:?}",
        button_names(&root)
    );
    assert!(checkbox(&root, "Select Shop EU").is_some());
    assert!(text().contains("Reset columns"), "{}", text());
    assert!(checkbox(&root, "Driver").is_some());
    assert_eq!(filter.value(), "Con");
    assert_eq!(filter.placeholder(), "Name, cloud name or ID");
    let german = foreign_texts(&root, Locale::En, Locale::De);
    assert!(german.is_empty(), "German on the English page: {german:?}");
}

fn many(n: i64) -> Vec<Connection> {
    (1..=n).map(|i| conn(i, &format!("Row {i:02}"))).collect()
}

/// The live region's text (the one `role=status` that is always there).
fn announced(root: &Element) -> String {
    all(root, "p[role=status]")
        .first()
        .map(|p| p.text_content().unwrap_or_default())
        .unwrap_or_default()
}

#[wasm_bindgen_test]
async fn bulk_test_runs_four_at_a_time_shows_progress_and_cancels() {
    let root = mount(HOLD_BASE, many(10));
    assert!(until(|| rows(&root) == 10).await, "rows appear");
    checkbox(&root, "Select all rows on this page")
        .expect("select all")
        .click();
    assert!(
        until(|| button(&root, "Test").is_some()).await,
        "the toolbar shows"
    );
    let test = button(&root, "Test").expect("Test");
    test.click();
    assert!(
        until(|| fetch::held() == 4).await,
        "four requests under way"
    );
    assert!(
        until(|| visible_text(&root).contains("Testing: 0 of 10")).await,
        "{}",
        visible_text(&root)
    );
    assert_eq!(test.get_attribute("aria-disabled").as_deref(), Some("true"));

    // A second click while the run goes does not start another.
    test.click();
    fetch::release(2);
    assert!(until(|| visible_text(&root).contains("Testing: 2 of 10")).await);
    assert!(until(|| fetch::held() == 4).await, "the next two started");
    assert_eq!(
        verifies_asked(),
        6,
        "never more than four at a time, no second run"
    );

    let cancel = button(&root, "Cancel").expect("Cancel");
    cancel.focus().expect("focus");
    cancel.click();
    fetch::release(4);
    let summary = "Test finished: 6 tested, 4 not started (cancelled).";
    assert!(
        until(|| visible_text(&root).contains(summary)).await,
        "{}",
        visible_text(&root)
    );
    assert_eq!(verifies_asked(), 6, "no row started after Cancel");
    assert_eq!(
        announced(&root),
        summary,
        "the live region says the summary"
    );
    assert!(button(&root, "Cancel").is_none(), "the progress goes");
    assert_eq!(
        test.get_attribute("aria-disabled").as_deref(),
        Some("false")
    );
    assert!(
        until(|| has_focus(&test)).await,
        "Cancel went away under the focus: it goes back to Test"
    );
}

#[wasm_bindgen_test]
async fn after_a_delete_focus_goes_to_the_row_that_took_its_place() {
    let root = mount("/mock-delete-focus/api", three());
    assert!(until(|| rows(&root) == 3).await, "rows appear");
    checkbox(&root, "Select Shop US").expect("row").click();
    assert!(
        until(|| button(&root, "Delete").is_some()).await,
        "the toolbar shows"
    );
    button(&root, "Delete").expect("Delete").click();
    let dialog = one_dialog(&root);
    assert!(
        until(|| dialog.has_attribute("open")).await,
        "the dialog opens"
    );
    button(&dialog, "Delete").expect("confirm").click();
    assert!(until(|| rows(&root) == 2).await, "the row goes");
    let focused = || {
        document()
            .active_element()
            .and_then(|e| e.get_attribute("data-id"))
    };
    assert!(
        until(|| focused().as_deref() == Some("3")).await,
        "focus on Archive, not {:?} {:?}",
        document().active_element().map(|e| e.outer_html()),
        row_ids(&root)
    );
    // One row: the live region says its line rather than a count.
    assert_eq!(announced(&root), "Deleted “Shop US”.");
}

#[wasm_bindgen_test]
async fn a_delete_that_empties_the_last_page_leaves_no_stale_row() {
    // Six connections, five a page: the second page holds one row.
    let root = mount_at("/mock-delete-last/api", many(6), "/?page=2&size=5");
    assert!(
        until(|| row_ids(&root) == ["6"]).await,
        "{:?}",
        row_ids(&root)
    );
    // From now on the first page is held: the empty second page stays on screen.
    fetch::answer_with(|req| {
        let reply = answer(req);
        if req.method == "GET" && req.param("offset").as_deref() == Some("0") {
            reply.held()
        } else {
            reply
        }
    });
    checkbox(&root, "Select Row 06").expect("row").click();
    assert!(until(|| button(&root, "Delete").is_some()).await);
    button(&root, "Delete").expect("Delete").click();
    let dialog = one_dialog(&root);
    assert!(until(|| dialog.has_attribute("open")).await);
    button(&dialog, "Delete").expect("confirm").click();
    assert!(
        until(|| fetch::held() == 1).await,
        "the first page is asked for"
    );
    assert!(
        row_ids(&root).is_empty(),
        "the deleted row is still drawn: {:?}",
        row_ids(&root)
    );
    fetch::release_all();
    assert!(
        until(|| row_ids(&root).len() == 5).await,
        "{:?}",
        row_ids(&root)
    );
}

/// The app's one `<dialog>` (delete confirmation).
fn one_dialog(root: &Element) -> Element {
    let dialogs = all(root, "dialog[role=alertdialog]");
    assert_eq!(dialogs.len(), 1, "one dialog element");
    dialogs.into_iter().next().expect("dialog")
}

#[wasm_bindgen_test]
async fn the_view_lives_in_the_address_and_comes_back_from_it() {
    let root = mount("/mock-url/api", many(30));
    assert!(until(|| rows(&root) == 25).await, "rows appear");
    // Sort by name descending, then page 2 at 10 rows.
    let sort = || button(&root, "Name").expect("Name sort");
    sort().click();
    assert!(
        until(|| address().contains("sort=name")).await,
        "{}",
        address()
    );
    sort().click();
    assert!(
        until(|| address().contains("order=desc")).await,
        "{}",
        address()
    );
    let size: web_sys::HtmlSelectElement = all(&root, "select")
        .into_iter()
        .next()
        .expect("page size")
        .dyn_into()
        .expect("select");
    size.set_value("10");
    size.dispatch_event(&web_sys::Event::new("change").expect("event"))
        .expect("change");
    assert!(
        until(|| address().contains("size=10")).await,
        "{}",
        address()
    );
    button(&root, "Next page").expect("next").click();
    assert!(
        until(|| address().contains("page=2")).await,
        "{}",
        address()
    );
    let here = address();
    assert_eq!(here, "/?sort=name&order=desc&page=2&size=10");

    // A shared link (a fresh mount at that address) shows the same view.
    let again = mount_at("/mock-url/api", many(30), &here);
    assert!(until(|| rows(&again) == 10).await, "rows appear");
    assert_eq!(names(&again).first().map(String::as_str), Some("Row 11"));
    assert!(
        visible_text(&again).contains("11-20 of 30"),
        "{}",
        visible_text(&again)
    );
    assert_eq!(address(), here, "the address stays");
}

/// A view left for the Connection view before its answer came is in the address all the same:
/// the entry the browser's Back returns to names the view the form's Back returns to.
#[wasm_bindgen_test]
async fn a_view_left_before_its_answer_is_the_one_back_returns_to() {
    SLOW.with(|s| s.borrow_mut().push("arch".to_string()));
    let root = mount("/mock-leave/api", three());
    assert!(until(|| rows(&root) == 3).await, "rows appear");
    // The address of the entry each push leaves behind.
    js_sys::eval(
        "window.ccLeft = []; history.pushState = function (s, t, u) { \
         window.ccLeft.push(location.pathname + location.search); \
         return History.prototype.pushState.call(history, s, t, u); };",
    )
    .expect("hook");
    filter_now(&root, "arch");
    assert!(asked_for("arch").await, "the request for \"arch\" went out");
    assert_eq!(address(), "/", "not written before the answer");
    let name = one(&root, "tbody tr[data-id=\"1\"] td.cc-name").expect("row 1");
    name.dyn_ref::<HtmlElement>().expect("td").click();
    assert!(until(|| address() == "/1").await, "{}", address());
    let left = js_sys::eval("const l = window.ccLeft; delete history.pushState; l.join(' ')")
        .expect("left")
        .as_string()
        .unwrap_or_default();
    assert_eq!(left, "/?q=arch");
}

#[wasm_bindgen_test]
async fn the_driver_column_names_drivers_as_the_server_declares_them() {
    let mut items = three();
    items[1].driver = "other-driver".into();
    let root = mount("/mock-drivers/api", items);
    assert!(until(|| rows(&root) == 3).await, "rows appear");
    button(&root, "Columns (3)").expect("columns").click();
    assert!(until(|| checkbox(&root, "Driver").is_some()).await);
    checkbox(&root, "Driver").expect("Driver").click();
    assert!(
        until(|| visible_text(&root).contains("Other storage")).await,
        "{}",
        visible_text(&root)
    );
    assert!(visible_text(&root).contains("Cloudinary default driver"));
}

#[wasm_bindgen_test]
async fn a_saved_row_is_found_on_its_page_marked_focused_and_said() {
    // Rows 3 and 4 were deleted: row 11's first guess (offset 10) lies past the end, and the
    // search goes back to the page that holds it (rows 8 to 12).
    let items: Vec<Connection> = many(12)
        .into_iter()
        .filter(|c| c.id != 3 && c.id != 4)
        .collect();
    let root = mount_at("/mock-saved/api", items, "/?size=5&saved=11");
    let saved_row = || one(&root, "tbody tr[data-id=\"11\"]");
    assert!(
        until(|| saved_row()
            .is_some_and(|r| r.get_attribute("aria-current").as_deref() == Some("true")))
        .await,
        "the saved row is shown and marked: {:?}",
        row_ids(&root)
    );
    assert_eq!(row_ids(&root), ["8", "9", "10", "11", "12"]);
    assert!(
        visible_text(&root).contains("6-10 of 10"),
        "{}",
        visible_text(&root)
    );
    assert!(
        until(|| document()
            .active_element()
            .and_then(|e| e.get_attribute("data-id"))
            .as_deref()
            == Some("11"))
        .await,
        "the focus is on the saved row"
    );
    assert_eq!(announced(&root), "“Row 11” was saved.");
    assert!(
        until(|| address() == "/?page=2&size=5").await,
        "?saved goes, the view stays in the address: {}",
        address()
    );
}

/// Another error after Retry changes the alert's text only: the Retry button, with the focus,
/// stays where it was.
#[wasm_bindgen_test]
async fn retry_keeps_its_button_and_focus_when_another_error_comes() {
    let error = serde_json::json!({ "error": { "code": "internal", "message": "m" } });
    fetch::routes(&[("GET", "/retry-api/connections", 500, error.clone(), false)]);
    web_sys::window()
        .expect("window")
        .history()
        .expect("history")
        .replace_state_with_url(&JsValue::NULL, "", Some("/"))
        .expect("address");
    let root = host_element();
    let config = HostConfig::new(Some("/retry-api".to_string()), None, None, None);
    let _mounted = dom::mount(&root, move || app(config, None, None));
    let alert_says = |text: &str| {
        one(&root, "[role=alert]")
            .and_then(|a| a.text_content())
            .is_some_and(|t| t.contains(text))
    };
    assert!(until(|| alert_says("could not load the connections")).await);
    let retry = button(&root, "Retry").expect("Retry");
    retry.focus().expect("focus");
    fetch::routes(&[("GET", "/retry-api/connections", 401, error, false)]);
    retry.click();
    assert!(
        until(|| alert_says("not authorised to see the connections")).await,
        "the other error's text"
    );
    assert!(retry.is_connected(), "the same Retry button");
    assert!(has_focus(&retry), "the focus stays on Retry");
}
