//! The root of the app: puts the host settings, the API client and the live settings into
//! context (`context.rs`), and the routes.

use crate::cell::{Stash, Var};
use leptos::prelude::*;

use crate::api::Client;
use crate::context::{use_client, HostConfig, ListPlace, Live};
use crate::dom::{h, El};
use crate::form::connection_view;
use crate::history_guard::{listen, BackGuard};
use crate::host::events::HostEvent;
use crate::list::connection_list;
use crate::route::{Nav, Screen};
use crate::session::Session;

/// The app. `session` links it to its host (token source, aborts, events); without one it
/// uses `config.token`. `live` is what the host may change later; without it, `config`'s.
pub fn app(config: HostConfig, session: Option<Session>, live: Option<Live>) -> El {
    let client = match session {
        Some(s) => Client::with_session(config.api_base.clone(), s),
        None => Client::new(config.api_base.clone(), config.token.clone()),
    };
    let live = live.unwrap_or_else(|| Live::new(config.locale));
    provide_context(client.clone());
    provide_context(live);
    crate::caller::Caller::provide(client);
    provide_context(config.clone());
    let announcer = crate::announce::provide_announcer();
    provide_context(ListPlace(Var::new("/".to_string())));
    // Before the address's own listener: a form with changes sees the browser's Back first.
    let back_guard = BackGuard::new();
    provide_context(back_guard);
    let _ = Stash::new(listen(move |ev| back_guard.check(ev)));
    let nav = Nav::provide(config.base_path.clone());
    navigate_events(nav, use_client().session().clone());
    // A screen stays up while only its query or id changes (`/3` to `/4`); `/new` to `/17`
    // is another screen.
    h("div")
        .class("cc-root")
        .attr_with("lang", move || live.locale.get().tag())
        .child(crate::announce::live_region(announcer))
        .region(
            move || std::mem::discriminant(&nav.screen()),
            move |_| match nav.screen_untracked() {
                Screen::List => connection_list(),
                Screen::New | Screen::Connection(_) => connection_view(),
            },
        )
}

/// Tells the host (`…:navigate`) each time the app moves to another screen.
fn navigate_events(nav: Nav, session: Session) {
    Effect::new(move |prev: Option<String>| {
        let path = nav.path();
        if prev.as_ref().is_some_and(|p| *p != path) {
            session.emit(&HostEvent::Navigate { path: path.clone() });
        }
        path
    });
}
