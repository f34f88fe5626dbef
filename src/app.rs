//! The root component: host settings, the API client in context, and the routes.

use leptos::prelude::*;
use leptos_router::components::{Route, Router, Routes};
use leptos_router::path;

use crate::api::Client;
use crate::form::ConnectionView;
use crate::list::ConnectionList;

/// What the host page passes in.
#[derive(Debug, Clone, PartialEq)]
pub struct HostConfig {
    pub api_base: String,
    pub token: Option<String>,
    pub locale: String,
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
            locale: non_empty(locale).unwrap_or_else(|| "en".into()),
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

#[component]
pub fn App(#[prop(optional)] config: HostConfig) -> impl IntoView {
    provide_context(Client::new(config.api_base.clone(), config.token.clone()));
    provide_context(config.clone());
    let base = config.base_path.clone();
    view! {
        <div class="cc-root" lang=config.locale.clone()>
            <Router base=base>
                <Routes fallback=|| view! { <ConnectionList/> }>
                    <Route path=path!("/") view=ConnectionList/>
                    <Route path=path!("/new") view=ConnectionView/>
                    <Route path=path!("/:id") view=ConnectionView/>
                </Routes>
            </Router>
        </div>
    }
}

/// The API client provided by [`App`].
pub fn use_client() -> Client {
    use_context::<Client>().unwrap_or_else(|| Client::new("/api", None))
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
        assert_eq!(c.locale, "en");
        assert_eq!(c.base_path, "/shop/cloudinary");
    }
}
