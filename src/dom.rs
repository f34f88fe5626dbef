//! The app's own small DOM builder, in place of Leptos' typed views. Each call creates or
//! changes a real element at once; what must follow a signal is bound by a render effect
//! that lives as long as the owner it was made in. Every method boxes its closure and hands
//! it to one non-generic function, so the code behind the markup exists once in the wasm,
//! not once per element type and closure (docs/benchmarks.md: where the size went).
//!
//! - [`h`] makes an element, and its methods add attributes, text, children and listeners.
//! - `*_with` methods take a closure and keep the element up to date with what it reads.
//! - [`El::region`] is a place whose content is built again when a key changes (a screen, a
//!   bar shown or hidden); what the old content made (effects, listeners) is dropped then.
//! - [`Slot`] holds an element for later (focus, measuring), as a node ref does.
//! - [`mount`] puts a built tree into a host element; dropping its [`Mounted`] takes it out
//!   and drops everything the tree made.

use crate::cell::{Calc, Stash};
use leptos::prelude::*;
use leptos::reactive::effect::RenderEffect;
use send_wrapper::SendWrapper;
use wasm_bindgen::prelude::Closure;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{Document, Element, Event, Node};

/// The page's document. Every place the app runs in has one.
pub fn document() -> Document {
    #[allow(clippy::expect_used)]
    web_sys::window()
        .and_then(|w| w.document())
        .expect("the app runs in a page with a document")
}

/// An element being built.
pub struct El(Element);

/// A new `<tag>` element.
pub fn h(tag: &str) -> El {
    El(create(tag))
}

fn create(tag: &str) -> Element {
    #[allow(clippy::expect_used)]
    document()
        .create_element(tag)
        .expect("tag names are the app's own literals")
}

/// A text node.
fn text(s: &str) -> Node {
    document().create_text_node(s).into()
}

/// Keeps `f` running: once now, then each time what it read changes, until the current
/// owner is cleaned up.
pub fn bind(f: impl Fn() + 'static) {
    bind_boxed(Box::new(f));
}

fn bind_boxed(f: Box<dyn Fn()>) {
    let effect = RenderEffect::new(move |_: Option<()>| f());
    let effect = SendWrapper::new(effect);
    on_cleanup(move || drop(effect));
}

fn listen_boxed(target: &web_sys::EventTarget, name: &str, mut f: Box<dyn FnMut(Event)>) {
    // The handler runs in the owner it was made in, so that it finds its contexts (the
    // locale, the client) as the code around it does.
    let owner = Owner::current().unwrap_or_default();
    let closure: Closure<dyn FnMut(Event)> =
        Closure::wrap(Box::new(move |ev: Event| owner.with(|| f(ev))));
    let _ = target.add_event_listener_with_callback(name, closure.as_ref().unchecked_ref());
    let target = SendWrapper::new((target.clone(), name.to_string(), closure));
    on_cleanup(move || {
        let (target, name, closure) = target.take();
        let _ = target.remove_event_listener_with_callback(&name, closure.as_ref().unchecked_ref());
    });
}

impl El {
    /// Sets an attribute.
    pub fn attr(self, name: &str, value: &str) -> Self {
        let _ = self.0.set_attribute(name, value);
        self
    }

    /// Sets `class`.
    pub fn class(self, value: &str) -> Self {
        self.attr("class", value)
    }

    /// Sets `id`.
    pub fn id(self, value: &str) -> Self {
        self.attr("id", value)
    }

    /// Keeps an attribute at what `f` gives.
    pub fn attr_with<S: Into<String>>(
        self,
        name: &'static str,
        f: impl Fn() -> S + 'static,
    ) -> Self {
        self.attr_opt_boxed(name, Box::new(move || Some(f().into())))
    }

    /// Keeps an attribute at what `f` gives; `None` removes it.
    pub fn attr_opt(self, name: &'static str, f: impl Fn() -> Option<String> + 'static) -> Self {
        self.attr_opt_boxed(name, Box::new(f))
    }

    /// Keeps an attribute present (empty) while `f` is true, absent otherwise
    /// (`disabled`, `hidden`, `open`).
    pub fn attr_if(self, name: &'static str, f: impl Fn() -> bool + 'static) -> Self {
        self.attr_opt_boxed(name, Box::new(move || f().then(String::new)))
    }

    fn attr_opt_boxed(self, name: &'static str, f: Box<dyn Fn() -> Option<String>>) -> Self {
        let el = SendWrapper::new(self.0.clone());
        bind_boxed(Box::new(move || match f() {
            Some(v) => {
                if el.get_attribute(name).as_deref() != Some(v.as_str()) {
                    let _ = el.set_attribute(name, &v);
                }
            }
            None => {
                let _ = el.remove_attribute(name);
            }
        }));
        self
    }

    /// Keeps class `name` on the element while `f` is true.
    pub fn class_if(self, name: &'static str, f: impl Fn() -> bool + 'static) -> Self {
        self.class_if_boxed(name, Box::new(f))
    }

    fn class_if_boxed(self, name: &'static str, f: Box<dyn Fn() -> bool>) -> Self {
        let list = SendWrapper::new(self.0.class_list());
        bind_boxed(Box::new(move || {
            let _ = list.toggle_with_force(name, f());
        }));
        self
    }

    /// Keeps `value` at the text `f` gives.
    pub fn value_with(self, f: impl Fn() -> String + 'static) -> Self {
        self.prop_boxed("value", Box::new(move || JsValue::from_str(&f())))
    }

    /// Keeps a boolean property (`checked`, `selected`, `indeterminate`) at what `f` gives.
    pub fn flag_with(self, name: &'static str, f: impl Fn() -> bool + 'static) -> Self {
        self.prop_boxed(name, Box::new(move || JsValue::from_bool(f())))
    }

    /// Keeps a JavaScript property at what `f` gives; set only when it differs, so a caret in
    /// a text field stays where it is.
    fn prop_boxed(self, name: &'static str, f: Box<dyn Fn() -> JsValue>) -> Self {
        let el = SendWrapper::new(self.0.clone());
        let key = JsValue::from_str(name);
        let key = SendWrapper::new(key);
        bind_boxed(Box::new(move || {
            let v = f();
            let now = js_sys::Reflect::get(&el, &key).unwrap_or(JsValue::UNDEFINED);
            if now != v {
                let _ = js_sys::Reflect::set(&el, &key, &v);
            }
        }));
        self
    }

    /// Appends a text.
    pub fn text(self, s: &str) -> Self {
        let _ = self.0.append_child(&text(s));
        self
    }

    /// Appends a text kept at what `f` gives.
    pub fn text_with<S: Into<String>>(self, f: impl Fn() -> S + 'static) -> Self {
        self.text_boxed(Box::new(move || f().into()))
    }

    fn text_boxed(self, f: Box<dyn Fn() -> String>) -> Self {
        let node = document().create_text_node("");
        let _ = self.0.append_child(&node);
        let node = SendWrapper::new(node);
        bind_boxed(Box::new(move || {
            let v = f();
            if node.data() != v {
                node.set_data(&v);
            }
        }));
        self
    }

    /// Appends a child.
    pub fn child(self, child: impl Into<Node>) -> Self {
        let _ = self.0.append_child(&child.into());
        self
    }

    /// Appends a child if there is one.
    pub fn child_opt(self, child: Option<El>) -> Self {
        match child {
            Some(c) => self.child(c),
            None => self,
        }
    }

    /// Appends the nodes of `n`.
    pub fn nodes(self, n: Nodes) -> Self {
        for node in n.0 {
            let _ = self.0.append_child(&node);
        }
        self
    }

    /// Appends children.
    pub fn children(self, children: impl IntoIterator<Item = El>) -> Self {
        for c in children {
            let _ = self.0.append_child(&c.0);
        }
        self
    }

    /// Calls `f` on each `name` event (`click`, `input`, …) while the owner lives.
    pub fn on(self, name: &str, f: impl FnMut(Event) + 'static) -> Self {
        listen_boxed(&self.0, name, Box::new(f));
        self
    }

    /// As [`El::on`] for an event of a known type (`KeyboardEvent`, `FocusEvent`, …).
    pub fn on_as<E: JsCast>(self, name: &str, mut f: impl FnMut(E) + 'static) -> Self {
        self.on(name, move |ev: Event| f(ev.unchecked_into()))
    }

    /// Puts the element into `slot`.
    pub fn slot(self, slot: Slot) -> Self {
        slot.set(self.0.clone());
        self
    }

    /// Appends a [`region`].
    pub fn region<K, N>(
        self,
        key: impl Fn() -> K + Send + Sync + 'static,
        build: impl Fn(K) -> N + 'static,
    ) -> Self
    where
        K: PartialEq + Send + Sync + Clone + 'static,
        N: Into<Nodes>,
    {
        self.child(region(key, build))
    }

    /// Appends a [`when`].
    pub fn when<N: Into<Nodes>>(
        self,
        cond: impl Fn() -> bool + Send + Sync + 'static,
        build: impl Fn() -> N + 'static,
    ) -> Self {
        self.child(when(cond, build))
    }

    /// Appends a [`dynamic`].
    pub fn dynamic<N: Into<Nodes>>(self, f: impl Fn() -> N + 'static) -> Self {
        self.child(dynamic(f))
    }

    /// The element.
    pub fn el(&self) -> &Element {
        &self.0
    }
}

/// A place holding what `build` makes; built again (under a fresh owner, the old content
/// removed and its effects dropped) each time the value of `key` changes. `build` runs
/// untracked. The place is two empty comments with the content between them, so it adds no
/// element of its own: append it where the content belongs.
pub fn region<K, N>(
    key: impl Fn() -> K + Send + Sync + 'static,
    build: impl Fn(K) -> N + 'static,
) -> Node
where
    K: PartialEq + Send + Sync + Clone + 'static,
    N: Into<Nodes>,
{
    let key = Calc::new(move |_| key());
    place(Box::new(move || {
        // `get`, not `track`: a memo only tracked is never computed, so its first change
        // would look like a change from nothing, even to the same value.
        let k = key.get();
        untrack(|| build(k).into())
    }))
}

/// What `build` makes while `cond` is true, nothing otherwise, as `Show`. Built again each
/// time `cond` turns true, not on every change of what `cond` reads.
pub fn when<N: Into<Nodes>>(
    cond: impl Fn() -> bool + Send + Sync + 'static,
    build: impl Fn() -> N + 'static,
) -> Node {
    region(cond, move |shown| {
        if shown {
            build().into()
        } else {
            Nodes::default()
        }
    })
}

/// A place whose content `f` builds again on every change of what it reads (a short list
/// of plain items: `f` is tracked, all of it).
pub fn dynamic<N: Into<Nodes>>(f: impl Fn() -> N + 'static) -> Node {
    place(Box::new(move || f().into()))
}

fn place(run: Box<dyn Fn() -> Nodes>) -> Node {
    let doc = document();
    let frag = doc.create_document_fragment();
    let start = doc.create_comment("");
    let end = doc.create_comment("");
    let _ = frag.append_child(&start);
    let _ = frag.append_child(&end);
    let marks = SendWrapper::new((start, end));
    bind_boxed(Box::new(move || {
        let (start, end) = &*marks;
        // Whatever the last run put between the marks goes.
        while let Some(n) = start.next_sibling() {
            if n == ***end {
                break;
            }
            if let Some(p) = n.parent_node() {
                let _ = p.remove_child(&n);
            }
        }
        let nodes = run();
        if let Some(parent) = end.parent_node() {
            for node in nodes.0 {
                let _ = parent.insert_before(&node, Some(end));
            }
        }
    }));
    frag.into()
}

impl From<El> for Node {
    fn from(e: El) -> Node {
        e.0.into()
    }
}

impl From<El> for Element {
    fn from(e: El) -> Element {
        e.0
    }
}

/// What a region holds: no node, one, or several.
#[derive(Default)]
pub struct Nodes(pub Vec<Node>);

impl From<El> for Nodes {
    fn from(e: El) -> Nodes {
        Nodes(vec![e.0.into()])
    }
}

impl From<Option<El>> for Nodes {
    fn from(e: Option<El>) -> Nodes {
        Nodes(e.into_iter().map(|e| e.0.into()).collect())
    }
}

impl From<Vec<El>> for Nodes {
    fn from(v: Vec<El>) -> Nodes {
        Nodes(v.into_iter().map(|e| e.0.into()).collect())
    }
}

/// An element kept for later, as a node ref: set when the element is built.
#[derive(Clone, Copy)]
pub struct Slot(Stash<Option<SendWrapper<Element>>>);

impl Default for Slot {
    fn default() -> Self {
        Self::new()
    }
}

impl Slot {
    pub fn new() -> Self {
        Slot(Stash::new(None))
    }

    fn set(self, el: Element) {
        self.0.try_set_value(Some(SendWrapper::new(el)));
    }

    /// The element, once built (and while its owner lives).
    pub fn get(self) -> Option<Element> {
        self.0
            .try_with_value(|e| e.as_ref().map(|e| (**e).clone()))
            .flatten()
    }

    /// The element as `T` (`HtmlElement`, `HtmlDialogElement`, …).
    pub fn get_as<T: JsCast>(self) -> Option<T> {
        self.get().and_then(|e| e.dyn_into().ok())
    }
}

/// The value of the input, select or textarea an event happened on.
pub fn target_value(ev: &Event) -> String {
    ev.target()
        .map(|t| {
            js_sys::Reflect::get(&t, &JsValue::from_str("value"))
                .ok()
                .and_then(|v| v.as_string())
                .unwrap_or_default()
        })
        .unwrap_or_default()
}

/// Whether the checkbox an event happened on is checked.
pub fn target_checked(ev: &Event) -> bool {
    ev.target()
        .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
        .is_some_and(|i| i.checked())
}

/// A built tree in a host element. Dropping it removes the tree and cleans up its owner
/// (its effects, listeners and signals).
pub struct Mounted {
    owner: Owner,
    node: Node,
}

impl Drop for Mounted {
    fn drop(&mut self) {
        if let Some(p) = self.node.parent_node() {
            let _ = p.remove_child(&self.node);
        }
        self.owner.cleanup();
    }
}

/// Builds `f`'s tree under a new owner and appends it to `parent`.
pub fn mount(parent: &Element, f: impl FnOnce() -> El + 'static) -> Mounted {
    mount_boxed(parent, Box::new(f))
}

fn mount_boxed(parent: &Element, f: Box<dyn FnOnce() -> El>) -> Mounted {
    let _ = any_spawner::Executor::init_wasm_bindgen();
    let owner = Owner::new();
    let node: Node = owner.with(|| untrack(f)).into();
    let _ = parent.append_child(&node);
    Mounted { owner, node }
}
