//! What the app's screens and parts take from context: the host's settings ([`HostConfig`]), the
//! API client ([`use_client`]) and the live settings ([`Live`], [`use_locale`]). A leaf: it
//! imports no screen, so every screen may import it and `app.rs` only provides.

use crate::cell::{Derived, Var};
use leptos::prelude::*;

use crate::api::Client;
use crate::locale::Locale;

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
    pub locale: Var<Locale>,
    /// Counts the host's token changes; a screen refused as unauthorised tries again on each.
    pub auth: Var<u64>,
}

impl Live {
    pub fn new(locale: Locale) -> Self {
        Live {
            locale: Var::new(locale),
            auth: Var::new(0),
        }
    }
}

/// The API client provided by [`app`](crate::app::app).
///
/// # Panics
/// Outside [`app`](crate::app::app) (or a test that provides one): a screen without its host's
/// client would talk to a server the host did not choose.
pub fn use_client() -> Client {
    expect_context::<Client>()
}

/// The live settings provided by [`app`](crate::app::app); outside it, the defaults (English), so a
/// part mounted alone still speaks.
pub fn use_live() -> Live {
    use_context::<Live>().unwrap_or_else(|| Live::new(Locale::default()))
}

/// Where the list was last: `/` with its view's query (sort, filter, page), kept by the list
/// and provided by [`app`](crate::app::app), so the form's Back returns to that view. Outside the
/// app: `/`.
pub fn use_list_place() -> Var<String> {
    use_context::<ListPlace>().map_or_else(|| Var::new("/".to_string()), |p| p.0)
}

/// The context value behind [`use_list_place`].
#[derive(Debug, Clone, Copy)]
pub struct ListPlace(pub Var<String>);

/// The user interface's language, as the host sets it.
pub fn use_locale() -> Derived<Locale> {
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
