//! The browser's Back (a `popstate`) seen before the router sees it, so a form with changes
//! can ask first. [`app`](crate::app::app) listens before its router does (listeners of one
//! phase run in the order they were added) and asks the [`BackGuard`] a form put in place.

use crate::cell::Stash;
use std::rc::Rc;

use leptos::prelude::*;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

/// A `popstate` listener on the window. `on_pop` returns the address to stay at when it
/// holds the navigation back: it is put back as a new entry. Removed when dropped.
pub struct Guard {
    listener: Closure<dyn FnMut(web_sys::Event)>,
}

pub fn listen(on_pop: impl Fn(&web_sys::Event) -> Option<String> + 'static) -> Option<Guard> {
    let window = web_sys::window()?;
    let listener = Closure::<dyn FnMut(web_sys::Event)>::new(move |ev: web_sys::Event| {
        if let Some(stay) = on_pop(&ev) {
            if let Some(h) = web_sys::window().and_then(|w| w.history().ok()) {
                let _ = h.push_state_with_url(&JsValue::NULL, "", Some(&stay));
            }
        }
    });
    window
        .add_event_listener_with_callback("popstate", listener.as_ref().unchecked_ref())
        .ok()?;
    Some(Guard { listener })
}

impl Drop for Guard {
    fn drop(&mut self) {
        if let Some(w) = web_sys::window() {
            let _ = w.remove_event_listener_with_callback(
                "popstate",
                self.listener.as_ref().unchecked_ref(),
            );
        }
    }
}

/// What a `popstate` asks: `Some(address)` holds the navigation back at that address.
type Check = Rc<dyn Fn(&web_sys::Event) -> Option<String>>;

/// The check of the screen shown now (none: every Back goes through).
#[derive(Clone, Copy)]
pub struct BackGuard(Stash<Option<Check>>);

impl BackGuard {
    pub fn new() -> Self {
        BackGuard(Stash::new(None))
    }

    /// Puts `check` in place until the current owner (the form) is cleaned up.
    pub fn hold(self, check: impl Fn(&web_sys::Event) -> Option<String> + 'static) {
        self.0.set_value(Some(Rc::new(check)));
        on_cleanup(move || {
            self.0.try_set_value(None);
        });
    }

    /// Where the check in place holds this `popstate`, if it does.
    pub fn check(self, ev: &web_sys::Event) -> Option<String> {
        let check = self.0.try_with_value(Clone::clone).flatten();
        check.and_then(|c| c(ev))
    }
}

impl Default for BackGuard {
    fn default() -> Self {
        Self::new()
    }
}

/// The guard provided by [`app`](crate::app::app) (outside it: one nobody listens to).
pub fn use_back_guard() -> BackGuard {
    use_context::<BackGuard>().unwrap_or_default()
}
