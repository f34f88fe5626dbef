//! One mount's link to its host: the token (or the host's `getToken`), the AbortController
//! of its requests, and the element its events go to. Cheap to clone; [`crate::api::Client`]
//! carries it, so every screen of a mount shares one.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use leptos::prelude::queue_microtask;
use send_wrapper::SendWrapper;
use wasm_bindgen::JsValue;
use wasm_bindgen_futures::JsFuture;

use crate::host::events::HostEvent;

#[derive(Clone)]
pub struct Session(SendWrapper<Rc<Inner>>);

#[derive(Default)]
struct Inner {
    token: RefCell<Option<String>>,
    get_token: RefCell<Option<js_sys::Function>>,
    abort: Option<web_sys::AbortController>,
    host: Option<web_sys::EventTarget>,
    closed: Cell<bool>,
    /// The token of the last request the server accepted (for `GET /api/me`).
    accepted: RefCell<Option<String>>,
}

impl std::fmt::Debug for Session {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Never the token.
        f.debug_struct("Session")
            .field("closed", &self.0.closed.get())
            .finish_non_exhaustive()
    }
}

impl PartialEq for Session {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

impl Session {
    /// A session with a fixed token and no host (tests, and parts mounted alone).
    pub fn detached(token: Option<String>) -> Session {
        Session(SendWrapper::new(Rc::new(Inner {
            token: RefCell::new(token),
            ..Inner::default()
        })))
    }

    /// A mount's session: its requests share one AbortController, its events go to `host`.
    pub fn for_host(
        host: web_sys::EventTarget,
        token: Option<String>,
        get_token: Option<js_sys::Function>,
    ) -> Session {
        Session(SendWrapper::new(Rc::new(Inner {
            token: RefCell::new(token),
            get_token: RefCell::new(get_token),
            abort: web_sys::AbortController::new().ok(),
            host: Some(host),
            closed: Cell::new(false),
            accepted: RefCell::new(None),
        })))
    }

    pub fn set_token(&self, token: Option<String>) {
        *self.0.token.borrow_mut() = token;
    }

    pub fn set_get_token(&self, get_token: Option<js_sys::Function>) {
        *self.0.get_token.borrow_mut() = get_token;
    }

    /// Whether the host can hand over a fresh token (it gave a `getToken`).
    pub fn can_refresh(&self) -> bool {
        self.0.get_token.borrow().is_some()
    }

    /// The token for the next request: the host's `getToken()` awaited, else the fixed token.
    /// A `getToken` that throws, rejects or gives no string falls back to the fixed token.
    pub async fn token(&self) -> Option<String> {
        let get_token = self.0.get_token.borrow().clone();
        if let Some(f) = get_token {
            if let Ok(value) = f.call0(&JsValue::UNDEFINED) {
                let promise = js_sys::Promise::resolve(&value);
                if let Ok(v) = JsFuture::from(promise).await {
                    if let Some(t) = v.as_string().filter(|t| !t.trim().is_empty()) {
                        return Some(t);
                    }
                }
            }
        }
        self.0.token.borrow().clone()
    }

    /// Remembers the token of a request the server accepted.
    pub fn accepted(&self, token: Option<String>) {
        *self.0.accepted.borrow_mut() = token;
    }

    /// The token of the last request the server accepted: `GET /api/me` sends it without
    /// asking the host for one (it follows a screen's first answer; see `caller.rs`).
    pub fn accepted_token(&self) -> Option<String> {
        self.0.accepted.borrow().clone()
    }

    /// The signal every request of this mount carries.
    pub fn abort_signal(&self) -> Option<web_sys::AbortSignal> {
        self.0.abort.as_ref().map(|a| a.signal())
    }

    /// The mount is gone: answers that still arrive are ignored.
    pub fn is_closed(&self) -> bool {
        self.0.closed.get()
    }

    /// Ends the session: aborts the requests in flight; no event goes out after this.
    pub fn close(&self) {
        self.0.closed.set(true);
        if let Some(a) = &self.0.abort {
            a.abort();
        }
    }

    /// Dispatches `event` on the host element (`bubbles`, `composed`) in a microtask, unless
    /// the session is closed by then. Not at once: a host's listener may unmount the app,
    /// which must not happen while the effect or task that sent the event is still running.
    /// Events keep their order (microtasks run first in, first out).
    pub fn emit(&self, event: &HostEvent) {
        if self.0.host.is_none() || self.is_closed() {
            return;
        }
        let (name, detail) = (event.name(), event.detail_json());
        let session = self.clone();
        queue_microtask(move || {
            let Some(host) = &session.0.host else { return };
            if session.is_closed() {
                return;
            }
            let detail = js_sys::JSON::parse(&detail).unwrap_or(JsValue::NULL);
            let init = web_sys::CustomEventInit::new();
            init.set_bubbles(true);
            init.set_composed(true);
            init.set_detail(&detail);
            if let Ok(ev) = web_sys::CustomEvent::new_with_event_init_dict(&name, &init) {
                let _ = host.dispatch_event(&ev);
            }
        });
    }
}
