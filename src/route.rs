//! The app's address: which screen the path under the base path names, the query, and moves
//! to another address with the History API. What the app needs of a router and no more (a
//! router crate was a tenth of the wasm, see docs/benchmarks.md): three routes, no links to
//! intercept (the app has no `<a>`; a host's own links stay the host's).
//!
//! [`Nav::provide`] reads the address once and again on every `popstate`; [`Nav::push`] and
//! [`Nav::replace`] change the browser's address first, then the signals, so a screen that
//! comes up reads the address it was moved to.

use crate::cell::{Stash, Var};
use leptos::prelude::*;

use crate::history_guard::{listen, Guard};
use crate::host::events::path_under;

/// The screen a path under the base path names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Screen {
    /// `/`, and any path that names nothing else (a host page's own path under the base).
    List,
    /// `/new`: a new connection (`?from=<id>` duplicates one).
    New,
    /// `/<id>`: that connection.
    Connection(i64),
}

impl Screen {
    /// The screen of `path` (under the base path: `/`, `/new`, `/17`).
    pub fn of(path: &str) -> Screen {
        match path.strip_prefix('/') {
            Some("new") => Screen::New,
            Some(rest) => rest.parse::<i64>().map_or(Screen::List, Screen::Connection),
            None => Screen::List,
        }
    }
}

/// The browser address for `to` (`/`, `/new`, `/?q=a`) under `base` (no trailing `/`).
pub fn join(base: &str, to: &str) -> String {
    if base.is_empty() {
        return to.to_string();
    }
    match to.strip_prefix('/') {
        Some(rest) if rest.is_empty() || rest.starts_with('?') => format!("{base}{rest}"),
        _ => format!("{base}{to}"),
    }
}

/// The value of `key` in a query (`a=1&q=x%20y`, with or without its `?`), decoded once as the
/// browser's `URLSearchParams` does (`+` is a space); the first one if it repeats.
pub fn query_value(search: &str, key: &str) -> Option<String> {
    web_sys::UrlSearchParams::new_with_str(search)
        .ok()
        .and_then(|p| p.get(key))
}

/// The address as signals; `Copy`, provided by [`app`](crate::app::app).
#[derive(Debug, Clone, Copy)]
pub struct Nav {
    base: Stash<String>,
    /// The path under the base path (`/`, `/new`, `/17`).
    path: Var<String>,
    /// The query, with its `?` (empty when there is none).
    search: Var<String>,
}

impl Nav {
    fn new(base: String) -> Nav {
        let nav = Nav {
            base: Stash::new(base),
            path: Var::new("/".to_string()),
            search: Var::new(String::new()),
        };
        nav.read_address();
        nav
    }

    /// Reads the browser's address into the signals (each only if it changed).
    fn read_address(self) {
        let Some(location) = web_sys::window().map(|w| w.location()) else {
            return;
        };
        let pathname = location.pathname().unwrap_or_default();
        let path = self.base.with_value(|b| path_under(b, &pathname));
        let search = location.search().unwrap_or_default();
        if self.path.get_untracked() != path {
            self.path.set(path);
        }
        if self.search.get_untracked() != search {
            self.search.set(search);
        }
    }

    /// Puts a `Nav` for `base` into context. Its `popstate` listener goes with the current
    /// owner; add it after any listener that must see a Back first (`history_guard.rs`).
    pub fn provide(base: String) -> Nav {
        let nav = Nav::new(base);
        let guard: Option<Guard> = listen(move |_| {
            nav.read_address();
            None
        });
        let _ = Stash::new(guard);
        provide_context(nav);
        nav
    }

    /// The path under the base path, tracked.
    pub fn path(self) -> String {
        self.path.get()
    }

    /// The screen the address names, tracked.
    pub fn screen(self) -> Screen {
        self.path.with(|p| Screen::of(p))
    }

    /// The same, untracked.
    pub fn screen_untracked(self) -> Screen {
        self.path.with_untracked(|p| Screen::of(p))
    }

    /// The value of `key` in the address's query, tracked.
    pub fn query(self, key: &str) -> Option<String> {
        self.search.with(|s| query_value(s, key))
    }

    /// The same, untracked.
    pub fn query_untracked(self, key: &str) -> Option<String> {
        self.search.with_untracked(|s| query_value(s, key))
    }

    /// A new history entry at `to` (under the base path), scrolled to the top.
    pub fn push(self, to: &str) {
        self.go(to, false);
        if let Some(w) = web_sys::window() {
            w.scroll_to_with_x_and_y(0.0, 0.0);
        }
    }

    /// The current entry becomes `to`; the page does not scroll.
    pub fn replace(self, to: &str) {
        self.go(to, true);
    }

    fn go(self, to: &str, replace: bool) {
        let url = self.base.with_value(|b| join(b, to));
        if let Some(h) = web_sys::window().and_then(|w| w.history().ok()) {
            let _ = if replace {
                h.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&url))
            } else {
                h.push_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&url))
            };
        }
        self.read_address();
    }
}

/// The [`Nav`] of the [`app`](crate::app::app); outside it (a part mounted alone in a
/// test), one for the page's own address with no base path.
pub fn use_nav() -> Nav {
    use_context::<Nav>().unwrap_or_else(|| Nav::new(String::new()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_name_their_screens() {
        assert_eq!(Screen::of("/"), Screen::List);
        assert_eq!(Screen::of("/new"), Screen::New);
        assert_eq!(Screen::of("/17"), Screen::Connection(17));
        assert_eq!(Screen::of("/host.html"), Screen::List);
        assert_eq!(Screen::of("/17/x"), Screen::List);
        assert_eq!(Screen::of("/new/"), Screen::List);
        assert_eq!(Screen::of(""), Screen::List);
    }

    #[test]
    fn addresses_join_the_base_path() {
        assert_eq!(join("", "/"), "/");
        assert_eq!(join("", "/?q=a"), "/?q=a");
        assert_eq!(join("", "/17"), "/17");
        assert_eq!(join("/shop/cc", "/"), "/shop/cc");
        assert_eq!(join("/shop/cc", "/?q=a"), "/shop/cc?q=a");
        assert_eq!(join("/shop/cc", "/new"), "/shop/cc/new");
        assert_eq!(join("/shop/cc", "/17?x=1"), "/shop/cc/17?x=1");
    }
}
