//! The app's one live region: what screen readers hear when something happens without a
//! change of focus ("“Shop EU” was saved.", "2 selected", "Deleted “Shop EU”.", a Test's
//! result). [`app`](crate::app::app) puts the region into the page once, outside the routes, so it
//! is present before anything is said and stays across screens; every screen speaks through
//! [`use_announcer`] instead of a live region of its own.

use crate::cell::Var;
use leptos::prelude::*;

use crate::dom::{h, El};

/// Says a text through the live region.
#[derive(Clone, Copy)]
pub struct Announcer(Var<String>);

impl Announcer {
    fn new() -> Self {
        Announcer(Var::new(String::new()))
    }

    /// Puts `text` into the live region (an empty text clears it). Does nothing once the
    /// app is gone.
    pub fn say(self, text: impl Into<String>) {
        self.0.try_set(text.into());
    }

    /// Empties the live region if it still says `text` (and leaves anything said since).
    pub fn retract(self, text: &str) {
        if self.0.try_with_untracked(|t| t == text) == Some(true) {
            self.0.try_set(String::new());
        }
    }
}

/// Provides the announcer (called once, by `app`).
pub fn provide_announcer() -> Announcer {
    let a = Announcer::new();
    provide_context(a);
    a
}

/// The announcer `app` provides (outside it, one that speaks into no region).
pub fn use_announcer() -> Announcer {
    use_context::<Announcer>().unwrap_or_else(Announcer::new)
}

/// The live region itself, visually hidden.
pub fn live_region(announcer: Announcer) -> El {
    h("p")
        .class("cc-visually-hidden")
        .attr("role", "status")
        .attr("aria-live", "polite")
        .attr("aria-atomic", "true")
        .text_with(move || announcer.0.get())
}
