//! `mount(element, options)` and the handle it returns: `update(options)`, `unmount()`.
//!
//! Each mount has its own reactive owner, its own [`Session`] (token source, one
//! AbortController for its requests, the element its events go to) and its own [`Live`]
//! signals (locale, token changes). `unmount` closes the session (requests in flight are
//! aborted, their answers ignored, no event goes out), takes the view out and cleans the
//! owner up, which runs every `on_cleanup` (window listeners, timers, `beforeunload`).

use std::cell::RefCell;
use std::rc::Rc;

use js_sys::Function;
use leptos::prelude::*;
use wasm_bindgen::prelude::*;
use web_sys::HtmlElement;

use super::events::HostEvent;
use super::js_options::{self, HostOptions};
use super::options::{Change, Options, Settings};
use super::stylesheet;
use crate::app::app;
use crate::context::{HostConfig, Live};
use crate::locale::Locale;
use crate::session::Session;

/// A mounted app.
struct Mounted {
    element: HtmlElement,
    settings: Settings,
    get_token: Option<Function>,
    session: Session,
    live: Live,
    owner: Owner,
    /// The `<link>` to the stylesheet this mount put into its element, if any.
    stylesheet: Option<web_sys::Element>,
    /// Drops leptos' `UnmountHandle` (its view type has no name).
    unmount: Option<Box<dyn FnOnce()>>,
}

type Slot = Rc<RefCell<Option<Mounted>>>;

thread_local! {
    /// The mounts alive in this page, by element: they keep the apps alive until `unmount`
    /// (a handle the host lets go of, or that the garbage collector frees, unmounts nothing),
    /// and a second mount into one element replaces the first.
    static MOUNTS: RefCell<Vec<(HtmlElement, Slot)>> = const { RefCell::new(Vec::new()) };
}

/// What `mount` returns to the host.
#[wasm_bindgen]
pub struct MountHandle {
    slot: Slot,
}

#[wasm_bindgen]
impl MountHandle {
    /// Applies changed options: a locale or token at once, keeping what the user typed; a
    /// new `apiBase` or `basePath` mounts the app anew.
    pub fn update(&self, options: JsValue) {
        let read = js_options::read(&options);
        let mut slot = self.slot.borrow_mut();
        let Some(m) = slot.as_mut() else { return };
        let (next, fx) = m.settings.updated(&read.options);
        let get_token_changed = !matches!(read.get_token, Change::Keep);
        let get_token = read.get_token.apply(m.get_token.clone());
        if fx.remount {
            let element = m.element.clone();
            if let Some(old) = slot.take() {
                old.stop();
            }
            *slot = Some(start(element, next, get_token));
            return;
        }
        if fx.token_changed {
            m.session.set_token(next.token.clone());
        }
        if get_token_changed {
            m.session.set_get_token(get_token.clone());
            m.get_token = get_token;
        }
        if fx.locale_changed {
            m.live.locale.set(resolve_locale(next.locale.as_deref()));
        }
        if fx.token_changed || get_token_changed {
            m.live.auth.update(|n| *n = n.wrapping_add(1));
        }
        m.settings = next;
    }

    /// Takes the app out of its element with everything it started. Calling it again does
    /// nothing.
    pub fn unmount(&self) {
        MOUNTS.with_borrow_mut(|mounts| mounts.retain(|(_, s)| !Rc::ptr_eq(s, &self.slot)));
        let taken = self.slot.borrow_mut().take();
        if let Some(m) = taken {
            m.stop();
        }
    }
}

impl Mounted {
    fn stop(mut self) {
        self.session.close();
        if let Some(unmount) = self.unmount.take() {
            unmount();
        }
        self.owner.cleanup();
        if let Some(link) = self.stylesheet.take() {
            link.remove();
        }
        // The list's benchmark marks would pile up in the page's performance timeline.
        if let Some(p) = web_sys::window().and_then(|w| w.performance()) {
            p.clear_marks_with_mark_name(crate::list::ROWS_SHOWN_MARK);
        }
    }
}

/// Mounts the app into `element` and returns its handle. `options`: `{ apiBase, token,
/// getToken, locale, basePath }` (see `docs/embedding.md`). Mounting into an element that
/// holds a mounted app replaces that app.
#[wasm_bindgen]
pub fn mount(element: HtmlElement, options: JsValue) -> MountHandle {
    let HostOptions { options, get_token } = js_options::read(&options);
    mount_with(element, &options, get_token.apply(None))
}

/// [`mount`] with options already read.
pub fn mount_with(
    element: HtmlElement,
    options: &Options,
    get_token: Option<Function>,
) -> MountHandle {
    // An app already in this element goes first.
    let old = MOUNTS.with_borrow_mut(|mounts| {
        mounts
            .iter()
            .position(|(e, _)| *e == element)
            .map(|i| mounts.remove(i).1)
    });
    if let Some(old) = old {
        let taken = old.borrow_mut().take();
        if let Some(m) = taken {
            m.stop();
        }
    }
    let slot: Slot = Rc::new(RefCell::new(Some(start(
        element.clone(),
        Settings::from_options(options),
        get_token,
    ))));
    MOUNTS.with_borrow_mut(|mounts| mounts.push((element, slot.clone())));
    MountHandle { slot }
}

fn start(element: HtmlElement, settings: Settings, get_token: Option<Function>) -> Mounted {
    // Debug builds only: the hook's message formatting costs the release wasm its size.
    #[cfg(debug_assertions)]
    console_error_panic_hook::set_once();
    let config = HostConfig::new(
        settings.api_base.clone(),
        settings.token.clone(),
        None,
        settings.base_path.clone(),
    );
    let session = Session::for_host(
        element.clone().into(),
        config.token.clone(),
        get_token.clone(),
    );
    let locale = resolve_locale(settings.locale.as_deref());
    let stylesheet = stylesheet::ensure(&element);
    let owner = Owner::new();
    let (live, handle) = owner.with(|| {
        let live = Live::new(locale);
        let s = session.clone();
        let handle = crate::dom::mount(&element, move || app(config, Some(s), Some(live)));
        (live, handle)
    });
    // The first screen is in the DOM; the event goes out once this task is over.
    session.emit(&HostEvent::Ready);
    Mounted {
        element,
        settings,
        get_token,
        session,
        live,
        owner,
        stylesheet,
        unmount: Some(Box::new(move || drop(handle))),
    }
}

/// The locale from the options, else the host page's `<html lang>`, else the browser's
/// language, else English.
fn resolve_locale(option: Option<&str>) -> Locale {
    let window = web_sys::window();
    let page = window
        .as_ref()
        .and_then(|w| w.document())
        .and_then(|d| d.document_element())
        .and_then(|e| e.get_attribute("lang"));
    let browser = window.and_then(|w| w.navigator().language());
    Locale::resolve([option, page.as_deref(), browser.as_deref()])
}

/// Mounts into the standalone page's `#cloudinary-connections`, if the page has one,
/// reading `data-api-base`, `data-token`, `data-locale` and `data-base-path`; on any other
/// page it does nothing.
pub fn mount_from_page(id: &str) {
    let Some(document) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    let Some(element) = document
        .get_element_by_id(id)
        .and_then(|e| e.dyn_into::<HtmlElement>().ok())
    else {
        return;
    };
    let data = element.dataset();
    let read = |key: &str| Change::from_js(data.get(key).map(Some));
    let options = Options {
        api_base: read("apiBase"),
        token: read("token"),
        locale: read("locale"),
        base_path: read("basePath"),
    };
    // The standalone page's app lives as long as the page (kept by `MOUNTS`).
    mount_with(element, &options, None);
}
