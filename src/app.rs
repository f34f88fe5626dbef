//! The root component: puts the host settings, the API client and the live settings into
//! context (`context.rs`), and the routes.

use leptos::prelude::*;
use leptos_router::components::{Route, Router, Routes};
use leptos_router::hooks::{use_location, use_params_map};
use leptos_router::path;

use crate::api::Client;
use crate::context::{use_client, HostConfig, ListPlace, Live};
use crate::form::ConnectionView;
use crate::history_guard::{listen, BackGuard};
use crate::host::events::{path_under, HostEvent};
use crate::list::ConnectionList;
use crate::session::Session;

/// The app. `session` links it to its host (token source, aborts, events); without one it
/// uses `config.token`. `live` is what the host may change later; without it, `config`'s.
#[component]
pub fn App(
    #[prop(optional)] config: HostConfig,
    #[prop(optional)] session: Option<Session>,
    #[prop(optional)] live: Option<Live>,
) -> impl IntoView {
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
    provide_context(ListPlace(RwSignal::new("/".to_string())));
    // Before the router's own listener: a form with changes sees the browser's Back first.
    let back_guard = BackGuard::new();
    provide_context(back_guard);
    let _ = StoredValue::new_local(listen(move |ev| back_guard.check(ev)));
    let base = config.base_path.clone();
    view! {
        <div class="cc-root" lang=move || live.locale.get().tag()>
            <crate::announce::LiveRegion announcer=announcer/>
            <Router base=base.clone()>
                <NavigateEvents base=base/>
                <Routes fallback=|| view! { <ConnectionList/> }>
                    <Route path=path!("/") view=ConnectionList/>
                    <Route path=path!("/new") view=ConnectionView/>
                    <Route path=path!("/:id") view=ById/>
                </Routes>
            </Router>
        </div>
    }
}

/// `/{id}`: a connection when `id` is a number; any other path under the base is the list
/// (a host page's own path, `/host.html`, is never "a connection that does not exist").
#[component]
fn ById() -> impl IntoView {
    let params = use_params_map();
    let numeric = Memo::new(move |_| {
        params
            .read()
            .get("id")
            .is_some_and(|s| s.parse::<i64>().is_ok())
    });
    move || {
        if numeric.get() {
            view! { <ConnectionView/> }.into_any()
        } else {
            view! { <ConnectionList/> }.into_any()
        }
    }
}

/// Tells the host (`…:navigate`) each time the app moves to another screen.
#[component]
fn NavigateEvents(base: String) -> impl IntoView {
    let location = use_location();
    let session = use_client().session().clone();
    Effect::new(move |prev: Option<String>| {
        let path = path_under(&base, &location.pathname.get());
        if prev.as_ref().is_some_and(|p| *p != path) {
            session.emit(&HostEvent::Navigate { path: path.clone() });
        }
        path
    });
}
