//! Helpers shared by the browser tests (`mod support;` in each `tests/browser*.rs`): a host
//! element to mount into, waiting for a condition, finding elements by role and accessible
//! name as a user does, and acting on them with the events a user's input fires; `fetch.rs`
//! is the one stand-in for `window.fetch`.
// Each test file uses its own share of these.
#![allow(dead_code)]

pub mod fetch;

use wasm_bindgen::JsCast;
use web_sys::{Document, Element, HtmlElement, HtmlInputElement, HtmlSelectElement, Node};

pub fn document() -> Document {
    web_sys::window()
        .expect("window")
        .document()
        .expect("document")
}

/// A fresh element in the page to mount into, as the host shell would give.
/// Elements of earlier tests leave the page first (their ids would clash).
pub fn host_element() -> HtmlElement {
    for old in all(
        &document().document_element().expect("html"),
        "[data-test-host]",
    ) {
        old.remove();
    }
    let el = document().create_element("div").expect("div");
    el.set_attribute("data-test-host", "").expect("attribute");
    document()
        .body()
        .expect("body")
        .append_child(&el)
        .expect("append");
    el.dyn_into().expect("html element")
}

/// Waits (without sleeping a fixed time) until `f` holds, yielding to the event loop;
/// gives up after 300 looks, 10 ms apart.
pub async fn until(f: impl FnMut() -> bool) -> bool {
    until_within(300, f).await
}

/// [`until`], giving up after `tries` looks.
pub async fn until_within(tries: u32, mut f: impl FnMut() -> bool) -> bool {
    for _ in 0..tries {
        if f() {
            return true;
        }
        gloo_timers::future::TimeoutFuture::new(10).await;
    }
    f()
}

pub fn all(root: &Element, selector: &str) -> Vec<Element> {
    let list = root.query_selector_all(selector).expect("query");
    (0..list.length())
        .filter_map(|i| list.item(i))
        .filter_map(|n| n.dyn_into::<Element>().ok())
        .collect()
}

pub fn one(root: &Element, selector: &str) -> Option<Element> {
    root.query_selector(selector).ok().flatten()
}

/// Text of a node as a screen reader names it: `aria-hidden` parts left out.
pub fn accessible_text(node: &Node) -> String {
    if let Some(el) = node.dyn_ref::<Element>() {
        if el.get_attribute("aria-hidden").as_deref() == Some("true") {
            return String::new();
        }
        if let Some(label) = el.get_attribute("aria-label") {
            return label;
        }
    }
    if node.node_type() == Node::TEXT_NODE {
        return node.text_content().unwrap_or_default();
    }
    let kids = node.child_nodes();
    (0..kids.length())
        .filter_map(|i| kids.item(i))
        .map(|k| accessible_text(&k))
        .collect::<String>()
}

/// The buttons a user can reach: not inside a closed dialog.
fn reachable_buttons(root: &Element) -> Vec<Element> {
    all(root, "button")
        .into_iter()
        .filter(|b| {
            b.closest("dialog:not([open]), [hidden]")
                .ok()
                .flatten()
                .is_none()
        })
        .collect()
}

/// The button a user can reach (not in a closed dialog nor a hidden part) whose accessible
/// name is `name`.
pub fn button(root: &Element, name: &str) -> Option<HtmlElement> {
    reachable_buttons(root)
        .into_iter()
        .find(|b| accessible_text(b).trim() == name)
        .and_then(|b| b.dyn_into().ok())
}

/// The accessible names of the buttons a user can reach, in document order.
pub fn button_names(root: &Element) -> Vec<String> {
    reachable_buttons(root)
        .iter()
        .map(|b| accessible_text(b).trim().to_string())
        .collect()
}

/// The checkbox a user can reach whose accessible name is `name`: its `aria-label`, else its
/// `<label>`'s text.
pub fn checkbox(root: &Element, name: &str) -> Option<HtmlInputElement> {
    all(root, "input[type=checkbox]")
        .into_iter()
        .filter(|c| c.closest("[hidden]").ok().flatten().is_none())
        .find(|c| match c.get_attribute("aria-label") {
            Some(label) => label == name,
            None => c
                .closest("label")
                .ok()
                .flatten()
                .is_some_and(|l| accessible_text(&l).trim() == name),
        })
        .and_then(|c| c.dyn_into().ok())
}

/// The control labelled exactly `label` (through `<label for>`).
pub fn control(root: &Element, label: &str) -> Option<HtmlElement> {
    let l = all(root, "label")
        .into_iter()
        .find(|l| accessible_text(l).trim() == label)?;
    let id = l.get_attribute("for")?;
    one(root, &format!("#{id}")).and_then(|e| e.dyn_into().ok())
}

pub fn input(root: &Element, label: &str) -> HtmlInputElement {
    control(root, label)
        .unwrap_or_else(|| panic!("no control labelled {label}"))
        .dyn_into()
        .unwrap_or_else(|_| panic!("{label} is not an input"))
}

pub fn select(root: &Element, label: &str) -> HtmlSelectElement {
    control(root, label)
        .unwrap_or_else(|| panic!("no control labelled {label}"))
        .dyn_into()
        .unwrap_or_else(|_| panic!("{label} is not a select"))
}

/// The page's address: path and query.
pub fn address() -> String {
    let l = web_sys::window().expect("window").location();
    format!(
        "{}{}",
        l.pathname().unwrap_or_default(),
        l.search().unwrap_or_default()
    )
}

/// The `id` of the focused element (empty when none).
pub fn active_id() -> String {
    document()
        .active_element()
        .map(|e| e.id())
        .unwrap_or_default()
}

/// Whether `el` has the focus.
pub fn has_focus(el: &Element) -> bool {
    document()
        .active_element()
        .is_some_and(|a| a.is_same_node(Some(el.as_ref())))
}

/// Types `value` into `el` as a user would (an `input` event of `kind`).
pub fn type_into(el: &HtmlInputElement, value: &str, kind: &str) {
    el.set_value(value);
    let init = web_sys::InputEventInit::new();
    init.set_bubbles(true);
    init.set_input_type(kind);
    let ev = web_sys::InputEvent::new_with_event_init_dict("input", &init).expect("event");
    el.dispatch_event(&ev).expect("dispatch");
}

/// Focus leaves `el` for `to` (a `blur` event with its `relatedTarget`).
pub fn leave(el: &Element, to: Option<&Element>) {
    let init = web_sys::FocusEventInit::new();
    init.set_related_target(to.map(|t| t.as_ref()));
    let ev = web_sys::FocusEvent::new_with_focus_event_init_dict("blur", &init).expect("event");
    el.dispatch_event(&ev).expect("dispatch");
}

/// A plain event of `kind` at `el` (bubbling, except `blur`).
pub fn fire(el: &Element, kind: &str) {
    let init = web_sys::EventInit::new();
    init.set_bubbles(kind != "blur");
    let ev = web_sys::Event::new_with_event_init_dict(kind, &init).expect("event");
    el.dispatch_event(&ev).expect("dispatch");
}

/// Picks the option `value` of `sel` as a user would (a `change` event).
pub fn choose(sel: &HtmlSelectElement, value: &str) {
    sel.set_value(value);
    fire(sel, "change");
}

/// A `keydown` of `key` at `el`.
pub fn press(el: &Element, key: &str) {
    let init = web_sys::KeyboardEventInit::new();
    init.set_bubbles(true);
    init.set_key(key);
    let ev =
        web_sys::KeyboardEvent::new_with_keyboard_event_init_dict("keydown", &init).expect("event");
    el.dispatch_event(&ev).expect("dispatch");
}
