//! What a host passes to `mount` and `update`, as plain data, and what an update changes.
//!
//! A key the host leaves out (or sets to `undefined`) keeps its value; `null` (or an empty
//! string) puts it back to its default; anything else sets it.

/// One option of an `update`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Change<T> {
    #[default]
    Keep,
    Reset,
    Set(T),
}

impl Change<String> {
    /// `None`: the key is absent; `Some(None)`: `null`; `Some(Some(s))`: a string (an empty
    /// or blank one counts as `null`).
    pub fn from_js(value: Option<Option<String>>) -> Self {
        match value {
            None => Change::Keep,
            Some(None) => Change::Reset,
            Some(Some(s)) if s.trim().is_empty() => Change::Reset,
            Some(Some(s)) => Change::Set(s),
        }
    }
}

impl<T: Clone> Change<T> {
    /// The value after this change to `current`.
    pub fn apply(&self, current: Option<T>) -> Option<T> {
        match self {
            Change::Keep => current,
            Change::Reset => None,
            Change::Set(v) => Some(v.clone()),
        }
    }
}

/// The string options of `mount(element, options)` and `handle.update(options)`.
/// (`getToken`, a function, is read beside them.)
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Options {
    pub api_base: Change<String>,
    pub token: Change<String>,
    pub locale: Change<String>,
    pub base_path: Change<String>,
}

/// The options in force for one mount.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Settings {
    pub api_base: Option<String>,
    pub token: Option<String>,
    pub locale: Option<String>,
    pub base_path: Option<String>,
}

/// What an update asks of a mounted app.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Effects {
    /// The API base or the base path changed: the routes and the client are built anew.
    pub remount: bool,
    pub token_changed: bool,
    pub locale_changed: bool,
}

impl Settings {
    /// The settings of a first mount.
    pub fn from_options(options: &Options) -> Settings {
        Settings::default().updated(options).0
    }

    /// These settings with `options` applied, and what that changes.
    pub fn updated(&self, options: &Options) -> (Settings, Effects) {
        let next = Settings {
            api_base: options.api_base.apply(self.api_base.clone()),
            token: options.token.apply(self.token.clone()),
            locale: options.locale.apply(self.locale.clone()),
            base_path: options.base_path.apply(self.base_path.clone()),
        };
        let effects = Effects {
            remount: next.api_base != self.api_base
                || normalized_base(&next.base_path) != normalized_base(&self.base_path),
            token_changed: next.token != self.token,
            locale_changed: next.locale != self.locale,
        };
        (next, effects)
    }
}

fn normalized_base(base: &Option<String>) -> &str {
    base.as_deref().unwrap_or_default().trim_end_matches('/')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn set(s: &str) -> Change<String> {
        Change::Set(s.to_string())
    }

    #[test]
    fn absent_keeps_null_and_blank_reset() {
        assert_eq!(Change::from_js(None), Change::Keep);
        assert_eq!(Change::from_js(Some(None)), Change::Reset);
        assert_eq!(Change::from_js(Some(Some("  ".into()))), Change::Reset);
        assert_eq!(Change::from_js(Some(Some("de".into()))), set("de"));
    }

    #[test]
    fn first_mount_takes_what_is_given() {
        let s = Settings::from_options(&Options {
            api_base: set("/api"),
            locale: set("de"),
            ..Options::default()
        });
        assert_eq!(s.api_base.as_deref(), Some("/api"));
        assert_eq!(s.locale.as_deref(), Some("de"));
        assert_eq!(s.token, None);
    }

    #[test]
    fn locale_and_token_apply_in_place() {
        let s = Settings::from_options(&Options {
            api_base: set("/api"),
            token: set("a"),
            ..Options::default()
        });
        let (next, fx) = s.updated(&Options {
            locale: set("de"),
            token: set("b"),
            ..Options::default()
        });
        assert_eq!(next.api_base.as_deref(), Some("/api"), "kept");
        assert_eq!(next.token.as_deref(), Some("b"));
        assert_eq!(
            fx,
            Effects {
                remount: false,
                token_changed: true,
                locale_changed: true
            }
        );
    }

    #[test]
    fn same_values_change_nothing() {
        let s = Settings::from_options(&Options {
            locale: set("en"),
            base_path: set("/shop/cc"),
            ..Options::default()
        });
        let (_, fx) = s.updated(&Options {
            locale: set("en"),
            base_path: set("/shop/cc/"),
            ..Options::default()
        });
        assert_eq!(fx, Effects::default());
    }

    #[test]
    fn a_new_base_remounts() {
        let s = Settings::from_options(&Options::default());
        let (_, fx) = s.updated(&Options {
            base_path: set("/cc"),
            ..Options::default()
        });
        assert!(fx.remount);
        let (_, fx) = s.updated(&Options {
            api_base: set("/v2/api"),
            ..Options::default()
        });
        assert!(fx.remount);
    }

    #[test]
    fn reset_drops_a_token() {
        let s = Settings::from_options(&Options {
            token: set("a"),
            ..Options::default()
        });
        let (next, fx) = s.updated(&Options {
            token: Change::Reset,
            ..Options::default()
        });
        assert_eq!(next.token, None);
        assert!(fx.token_changed);
    }
}
