//! Type-erased stand-ins for two of Leptos' generic helpers. `Show` and `Effect::new` are
//! generic over their closures (and `Show` over its children's view type), so each use got
//! its own copy of the framework's code around them; these take a `Signal<bool>`, boxed
//! children and a boxed closure, so that code exists once. Measured (docs/benchmarks.md):
//! ten `Show`s 10 KB of wasm (2 KB brotli), twelve effects 5 KB (1 KB brotli).

use leptos::prelude::*;

/// Its children while `when` is true, nothing otherwise, as `Show`. The children are built
/// each time `when` turns true, not on every change of what `when` reads (a memo between).
#[component]
pub fn When(#[prop(into)] when: Signal<bool>, children: ChildrenFn) -> impl IntoView {
    let shown = Memo::new(move |_| when.get());
    move || shown.get().then(|| children())
}

/// `Effect::new` for an effect that keeps no value: runs `f` once the current render is
/// done, then again each time what it read changes, until its owner is disposed.
pub fn effect(f: impl FnMut() + 'static) {
    let mut f: Box<dyn FnMut()> = Box::new(f);
    Effect::new(move |_| f());
}
