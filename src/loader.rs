//! A value a future loads, loaded again whenever a signal its fetcher reads changes or
//! [`Loader::refetch`] is called: what the app used leptos' `LocalResource` for, without its
//! async-derived machinery (a tenth of what was left of the wasm after the router,
//! docs/benchmarks.md). A render effect calls the fetcher (tracking what it reads) and spawns the
//! future; the latest future's value wins (an older one that ends later is dropped), and the
//! value shown stays until the next one arrives.

use crate::cell::{Stash, Var};
use std::future::Future;

use leptos::prelude::*;
use leptos::task::spawn_local;

/// `None` until the first future ends; then the latest value.
pub struct Loader<T: 'static> {
    value: Var<Option<T>>,
    again: Trigger,
}

impl<T: 'static> Clone for Loader<T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T: 'static> Copy for Loader<T> {}

impl<T: Clone + 'static> Loader<T> {
    pub fn new<Fut>(fetcher: impl Fn() -> Fut + 'static) -> Self
    where
        Fut: Future<Output = T> + 'static,
    {
        let value = Var::new(None);
        let again = Trigger::new();
        // Which future's value is the one to keep: the one started last.
        let started = Stash::new(0u64);
        // A render effect's first run is now, not in a later task: the request goes out while
        // the screen is still being built, as `LocalResource`'s did (an `Effect` waited for
        // the whole view to be built and mounted first).
        let effect = RenderEffect::new(move |_| {
            again.track();
            let future = fetcher();
            let Some(this) = started.try_update_value(|n| {
                *n += 1;
                *n
            }) else {
                return;
            };
            spawn_local(async move {
                let out = future.await;
                if started.try_get_value() == Some(this) {
                    value.try_set(Some(out));
                }
            });
        });
        // Runs until the owner goes.
        let _ = Stash::new(effect);
        Loader { value, again }
    }

    /// The value, tracked.
    pub fn get(&self) -> Option<T> {
        self.value.get()
    }

    /// The value, untracked.
    pub fn get_untracked(&self) -> Option<T> {
        self.value.get_untracked()
    }

    /// `f` of the value, tracked.
    pub fn with<R>(&self, f: impl FnOnce(&Option<T>) -> R) -> R {
        self.value.with(f)
    }

    /// `f` of the value, untracked.
    pub fn with_untracked<R>(&self, f: impl FnOnce(&Option<T>) -> R) -> R {
        self.value.with_untracked(f)
    }

    /// Loads again, keeping the value until the new one arrives.
    pub fn refetch(&self) {
        self.again.notify();
    }
}
