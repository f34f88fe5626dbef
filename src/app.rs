//! The root component: host settings, the API client and the live settings in context, and
//! the routes.

use leptos::prelude::*;
use leptos_router::components::{Route, Router, Routes};
use leptos_router::hooks::{use_location, use_params_map};
use leptos_router::path;

use crate::api::Client;
use crate::form::ConnectionView;
use crate::host::events::{path_under, HostEvent};
use crate::list::ConnectionList;
use crate::locale::Locale;
use crate::session::Session;

/// What the host page passes in.
#[derive(Debug, Clone, PartialEq)]
pub struct HostConfig {
    pub api_base: String,
    pub token: Option<String>,
    pub locale: Locale,
    /// Path the routes hang under, without a trailing `/` (empty: the app owns `/`).
    pub base_path: String,
}

impl HostConfig {
    pub fn new(
        api_base: Option<String>,
        token: Option<String>,
        locale: Option<String>,
        base_path: Option<String>,
    ) -> Self {
        let non_empty = |s: Option<String>| s.filter(|s| !s.trim().is_empty());
        HostConfig {
            api_base: non_empty(api_base).unwrap_or_else(|| "/api".into()),
            token: non_empty(token),
            locale: locale
                .as_deref()
                .and_then(Locale::parse)
                .unwrap_or_default(),
            base_path: non_empty(base_path)
                .map(|b| b.trim_end_matches('/').to_string())
                .unwrap_or_default(),
        }
    }
}

impl Default for HostConfig {
    fn default() -> Self {
        HostConfig::new(None, None, None, None)
    }
}

/// What a host changes on a mounted app without a remount (`handle.update`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Live {
    pub locale: RwSignal<Locale>,
    /// Counts the host's token changes; a screen refused as unauthorised tries again on each.
    pub auth: RwSignal<u64>,
}

impl Live {
    pub fn new(locale: Locale) -> Self {
        Live {
            locale: RwSignal::new(locale),
            auth: RwSignal::new(0),
        }
    }
}

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

/// The API client provided by [`App`].
pub fn use_client() -> Client {
    use_context::<Client>().unwrap_or_else(|| Client::new("/api", None))
}

/// The live settings provided by [`App`].
pub fn use_live() -> Live {
    use_context::<Live>().unwrap_or_else(|| Live::new(Locale::default()))
}

/// The user interface's language, as the host sets it.
pub fn use_locale() -> Signal<Locale> {
    use_live().locale.into()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn host_config_defaults() {
        let c = HostConfig::new(
            None,
            Some(String::new()),
            None,
            Some("/shop/cloudinary/".into()),
        );
        assert_eq!(c.api_base, "/api");
        assert_eq!(c.token, None);
        assert_eq!(c.locale, Locale::En);
        assert_eq!(c.base_path, "/shop/cloudinary");
    }

    #[test]
    fn host_config_reads_the_locale() {
        let c = HostConfig::new(None, None, Some("de-DE".into()), None);
        assert_eq!(c.locale, Locale::De);
    }
}
