//! Browser tests: components mounted in headless Chromium by wasm-bindgen-test.
#![cfg(target_arch = "wasm32")]

use cloudinary_connections::{App, HostConfig};
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
    let n = RwSignal::new(1u32);
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

/// `When` shows its children while its condition holds, and builds them again only when the
/// condition turns true, not on every change of what the condition reads.
#[wasm_bindgen_test]
async fn when_shows_its_children_while_true_and_builds_them_only_when_it_turns_true() {
    use std::cell::Cell;
    use std::rc::Rc;

    use cloudinary_connections::erased::When;

    let root = host_element();
    let n = RwSignal::new(1u32);
    let builds = Rc::new(Cell::new(0u32));
    let b = builds.clone();
    let counted = send_wrapper::SendWrapper::new(move || b.set(b.get() + 1));
    let el = root.clone();
    leptos::mount::mount_to(el, move || {
        let counted = counted.clone();
        view! {
            <When when=Signal::derive(move || n.get() % 2 == 1)>
                {(*counted)()}
                <p class="shown">"Shown"</p>
            </When>
            // Woken by the same changes as `When`, after it: once it shows a value, `When`
            // has had its turn for that value.
            <output>{move || n.get().to_string()}</output>
        }
    })
    .forget();
    let shown = || one(&root, "p.shown").is_some();
    let drawn = |v: &str| {
        one(&root, "output")
            .and_then(|o| o.text_content())
            .as_deref()
            == Some(v)
    };
    assert!(until(shown).await, "true at first: shown");
    assert_eq!(builds.get(), 1);
    n.set(3);
    assert!(until(|| drawn("3")).await, "the change went through");
    assert!(shown(), "still true: still shown");
    assert_eq!(builds.get(), 1, "still true: not built again");
    n.set(4);
    assert!(until(|| !shown()).await, "false: gone");
    n.set(5);
    assert!(until(shown).await, "true again: shown again");
    assert_eq!(builds.get(), 2, "built again once it turned true");
}

/// `effect` runs its closure, then again each time what it read changes, and no more once
/// its owner is gone.
#[wasm_bindgen_test]
async fn an_effect_runs_again_when_what_it_read_changes_until_its_owner_is_gone() {
    use std::cell::RefCell;
    use std::rc::Rc;

    // Effects run on the executor, which mounting starts.
    leptos::mount::mount_to(host_element(), || ()).forget();
    let owner = Owner::new();
    let n = RwSignal::new(1u32);
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
