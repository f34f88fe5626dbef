//! A type-erased stand-in for `Effect::new`, which is generic over its closure, so each use
//! got its own copy of the framework's code around it; `effect` boxes the closure, so that
//! code exists once. Measured (docs/benchmarks.md): twelve effects 5 KB of wasm (1 KB
//! brotli).

use leptos::prelude::*;

/// `Effect::new` for an effect that keeps no value: runs `f` once the current render is
/// done, then again each time what it read changes, until its owner is disposed.
pub fn effect(f: impl FnMut() + 'static) {
    let mut f: Box<dyn FnMut()> = Box::new(f);
    Effect::new(move |_| f());
}
