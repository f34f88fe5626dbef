//! Browser tests: components mounted in headless Chromium by wasm-bindgen-test.
#![cfg(target_arch = "wasm32")]

use cloudinary_connections::cell::Var;
use cloudinary_connections::dom::{self, h};
use cloudinary_connections::{app, HostConfig};
use leptos::prelude::*;
use wasm_bindgen_test::*;
use web_sys::Element;

mod support;
use support::{all, host_element, one, until, until_within};

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
    std::mem::forget(dom::mount(&root, move || app(config, None, None)));

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

/// A [`Loader`](cloudinary_connections::loader::Loader) whose futures the test ends by hand:
/// the value of the latest future wins, an older one that ends later is dropped, and a
/// refetch keeps the value until its own future ends.
#[wasm_bindgen_test]
async fn a_loaders_latest_future_wins_and_the_value_stays_while_it_reloads() {
    use std::cell::RefCell;
    use std::rc::Rc;

    use cloudinary_connections::loader::Loader;

    let owner = Owner::new();
    owner.set();
    let n = Var::new(1u32);
    // Each future's `resolve`, in the order the fetcher was called; and how many ended.
    let ends: Rc<RefCell<Vec<js_sys::Function>>> = Rc::default();
    let ended = Rc::new(RefCell::new(0u32));
    let loader = Loader::new({
        let (ends, ended) = (ends.clone(), ended.clone());
        move || {
            let k = n.get();
            let mut resolve = None;
            let promise = js_sys::Promise::new(&mut |r, _| resolve = Some(r));
            ends.borrow_mut().extend(resolve);
            let ended = ended.clone();
            async move {
                let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
                *ended.borrow_mut() += 1;
                k
            }
        }
    });
    let end = |i: usize| {
        let f = ends.borrow()[i].clone();
        f.call0(&wasm_bindgen::JsValue::NULL).expect("resolve");
    };
    assert!(until(|| ends.borrow().len() == 1).await);
    assert_eq!(loader.get_untracked(), None, "nothing until a future ends");
    n.set(2);
    assert!(
        until(|| ends.borrow().len() == 2).await,
        "a change loads again"
    );

    end(1);
    assert!(until(|| loader.get_untracked() == Some(2)).await);
    end(0);
    assert!(until(|| *ended.borrow() == 2).await);
    assert_eq!(
        loader.get_untracked(),
        Some(2),
        "the older value is dropped"
    );

    loader.refetch();
    assert!(
        until(|| ends.borrow().len() == 3).await,
        "a refetch loads again"
    );
    assert_eq!(
        loader.get_untracked(),
        Some(2),
        "the value stays while it reloads"
    );
    n.set(3);
    assert!(until(|| ends.borrow().len() == 4).await);
    end(3);
    end(2);
    assert!(until(|| *ended.borrow() == 4).await);
    assert_eq!(loader.get_untracked(), Some(3));
    owner.unset();
}

/// `when` shows what it builds while its condition holds, and builds it again only when the
/// condition turns true, not on every change of what the condition reads; what it built
/// before (its effects) stops when it is taken away.
#[wasm_bindgen_test]
async fn when_shows_its_content_while_true_and_builds_it_only_when_it_turns_true() {
    use std::cell::Cell;
    use std::rc::Rc;

    let root = host_element();
    let n = Var::new(1u32);
    let builds = Rc::new(Cell::new(0u32));
    let inner_runs = Rc::new(Cell::new(0u32));
    let (b, r) = (builds.clone(), inner_runs.clone());
    let _mounted = dom::mount(&root, move || {
        h("div")
            .when(
                move || n.get() % 2 == 1,
                move || {
                    b.set(b.get() + 1);
                    let r = r.clone();
                    vec![
                        h("p").class("shown").text("Shown"),
                        h("span").text_with(move || {
                            r.set(r.get() + 1);
                            n.get().to_string()
                        }),
                    ]
                },
            )
            // Woken by the same changes as `when`, after it: once it shows a value, `when`
            // has had its turn for that value.
            .child(h("output").text_with(move || n.get().to_string()))
    });
    let shown = || one(&root, "p.shown").is_some();
    let drawn = |v: &str| {
        one(&root, "output")
            .and_then(|o| o.text_content())
            .as_deref()
            == Some(v)
    };
    assert!(shown(), "true at first: shown at once, in the same task");
    assert_eq!(
        one(&root, "div").map(|d| d.child_element_count()),
        Some(3),
        "no wrapper: both built elements and the output are the div's children"
    );
    assert_eq!(builds.get(), 1);
    n.set(3);
    assert!(until(|| drawn("3")).await, "the change went through");
    assert!(shown(), "still true: still shown");
    assert_eq!(builds.get(), 1, "still true: not built again");
    assert_eq!(
        one(&root, "span").and_then(|s| s.text_content()).as_deref(),
        Some("3"),
        "what it built follows the signal"
    );
    n.set(4);
    assert!(until(|| !shown()).await, "false: gone");
    assert!(one(&root, "span").is_none(), "all it built is gone");
    let runs = inner_runs.get();
    n.set(6);
    assert!(until(|| drawn("6")).await);
    assert_eq!(
        inner_runs.get(),
        runs,
        "taken away: its effects run no more"
    );
    n.set(7);
    assert!(until(shown).await, "true again: shown again");
    assert_eq!(builds.get(), 2, "built again once it turned true");
}

/// Bound attributes, classes, properties and texts follow their signals; `None` removes an
/// attribute; a listener calls its handler; dropping the mount empties the host and stops
/// everything it made.
#[wasm_bindgen_test]
async fn bound_attributes_texts_and_listeners_follow_until_unmounted() {
    use std::cell::Cell;
    use std::rc::Rc;

    use wasm_bindgen::JsCast;

    let root = host_element();
    let on = Var::new(true);
    let clicks = Rc::new(Cell::new(0u32));
    let c = clicks.clone();
    let seen = Rc::new(std::cell::RefCell::new((String::new(), false)));
    let s = seen.clone();
    let bound = Rc::new(Cell::new(None::<bool>));
    let b = bound.clone();
    let mounted = dom::mount(&root, move || {
        dom::bind(move || b.set(Some(on.get())));
        h("div")
            .child(
                h("button")
                    .attr_with("aria-pressed", move || on.get().to_string())
                    .attr_opt("title", move || on.get().then(|| "on".to_string()))
                    .attr_if("disabled", move || !on.get())
                    .class_if("cc-on", move || on.get())
                    .on("click", move |_| c.set(c.get() + 1))
                    .text_with(move || if on.get() { "On" } else { "Off" }),
            )
            .child(
                h("input")
                    .attr("type", "checkbox")
                    .flag_with("checked", move || on.get())
                    .value_with(move || on.get().to_string())
                    .on("change", move |ev| {
                        *s.borrow_mut() = (dom::target_value(&ev), dom::target_checked(&ev));
                    }),
            )
    });
    let button = one(&root, "button").expect("a button");
    let input: web_sys::HtmlInputElement = one(&root, "input")
        .expect("an input")
        .dyn_into()
        .expect("an input element");
    assert_eq!(
        button.get_attribute("aria-pressed").as_deref(),
        Some("true")
    );
    assert_eq!(button.get_attribute("title").as_deref(), Some("on"));
    assert!(!button.has_attribute("disabled"));
    assert!(button.class_list().contains("cc-on"));
    assert_eq!(button.text_content().as_deref(), Some("On"));
    assert!(input.checked());
    assert_eq!(input.value(), "true");
    input.click();
    assert_eq!(
        *seen.borrow(),
        ("true".to_string(), false),
        "the handler reads the target's value and checked state"
    );
    input.click();
    assert_eq!(*seen.borrow(), ("true".to_string(), true));
    assert_eq!(bound.get(), Some(true), "bind runs at once");
    button.unchecked_ref::<web_sys::HtmlElement>().click();
    assert_eq!(clicks.get(), 1, "the listener ran");

    on.set(false);
    assert!(until(|| button.text_content().as_deref() == Some("Off")).await);
    assert_eq!(
        button.get_attribute("aria-pressed").as_deref(),
        Some("false")
    );
    assert_eq!(bound.get(), Some(false), "bind runs again on a change");
    assert!(!button.has_attribute("title"), "None removes the attribute");
    assert!(button.has_attribute("disabled"));
    assert!(!button.class_list().contains("cc-on"));
    assert!(!input.checked());
    assert_eq!(input.value(), "false");

    drop(mounted);
    assert_eq!(
        root.child_nodes().length(),
        0,
        "unmounted: the host is empty"
    );
    button
        .remove_attribute("disabled")
        .expect("an attribute removed");
    button.unchecked_ref::<web_sys::HtmlElement>().click();
    assert_eq!(clicks.get(), 1, "unmounted: the listener is gone");
    on.set(true);
    // A second tree woken by the same change proves the first had its chance to run.
    let other = host_element();
    let _other = dom::mount(&other, move || {
        h("output").text_with(move || on.get().to_string())
    });
    assert!(until(|| other.text_content().as_deref() == Some("true")).await);
    assert_eq!(
        button.text_content().as_deref(),
        Some("Off"),
        "no effect runs"
    );
    assert_eq!(
        button.get_attribute("aria-pressed").as_deref(),
        Some("false")
    );
}

/// A region holds what its build gives for the key (an element or none), built again only
/// when the key changes; a `Slot` gives back the element put into it.
#[wasm_bindgen_test]
async fn a_region_follows_its_key_and_a_slot_keeps_its_element() {
    use wasm_bindgen::JsCast;

    let root = host_element();
    let n = Var::new(0u32);
    let slot = dom::Slot::new();
    let _mounted = dom::mount(&root, move || {
        h("div")
            .region(
                move || n.get().min(2),
                |k| (k > 0).then(|| h("i").text(&k.to_string())),
            )
            .child(
                h("output")
                    .slot(slot)
                    .text_with(move || n.get().to_string()),
            )
    });
    let drawn = |v: &str| {
        one(&root, "output")
            .and_then(|o| o.text_content())
            .as_deref()
            == Some(v)
    };
    let shown = || one(&root, "i").and_then(|i| i.text_content());
    assert_eq!(shown(), None, "key 0: nothing");
    let output = slot.get().expect("the slot holds its element");
    assert_eq!(output.tag_name(), "OUTPUT");
    assert!(slot.get_as::<web_sys::HtmlElement>().is_some());
    assert!(
        slot.get_as::<web_sys::HtmlInputElement>().is_none(),
        "not an input"
    );
    n.set(1);
    assert!(until(|| drawn("1")).await);
    assert_eq!(shown().as_deref(), Some("1"), "key 1: its element");
    let first = one(&root, "i").expect("an element");
    n.set(5);
    assert!(until(|| drawn("5")).await);
    assert_eq!(shown().as_deref(), Some("2"), "key 2: built again");
    let second = one(&root, "i").expect("an element");
    assert!(first != second, "another element");
    n.set(7);
    assert!(until(|| drawn("7")).await);
    let third = one(&root, "i").expect("an element");
    assert!(
        second == third,
        "same key: the same element, not built again"
    );
    assert!(
        output
            .unchecked_ref::<web_sys::Node>()
            .is_same_node(slot.get().as_ref().map(|e| e.unchecked_ref())),
        "the slot still holds the same element"
    );
}

/// `effect` runs its closure, then again each time what it read changes, and no more once
/// its owner is gone.
#[wasm_bindgen_test]
async fn an_effect_runs_again_when_what_it_read_changes_until_its_owner_is_gone() {
    use std::cell::RefCell;
    use std::rc::Rc;

    // Effects run on the executor, which mounting starts.
    std::mem::forget(dom::mount(&host_element(), || h("div")));
    let owner = Owner::new();
    let n = Var::new(1u32);
    let seen: Rc<RefCell<Vec<u32>>> = Rc::default();
    owner.with(|| {
        let seen = seen.clone();
        cloudinary_connections::erased::effect(move || seen.borrow_mut().push(n.get()));
    });
    assert!(until(|| *seen.borrow() == [1]).await, "{:?}", seen.borrow());
    n.set(2);
    assert!(
        until(|| *seen.borrow() == [1, 2]).await,
        "{:?}",
        seen.borrow()
    );
    drop(owner);
    n.set(3);
    // A change seen by a second effect proves the first had its chance to run.
    let after: Rc<RefCell<Vec<u32>>> = Rc::default();
    let other = Owner::new();
    other.with(|| {
        let after = after.clone();
        cloudinary_connections::erased::effect(move || after.borrow_mut().push(n.get()));
    });
    assert!(
        until(|| *after.borrow() == [3]).await,
        "{:?}",
        after.borrow()
    );
    n.set(4);
    assert!(
        until(|| *after.borrow() == [3, 4]).await,
        "{:?}",
        after.borrow()
    );
    assert_eq!(*seen.borrow(), [1, 2], "its owner gone: it runs no more");
}
