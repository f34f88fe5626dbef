//! The user interface's language: which one a host asked for, as plain data.
//!
//! The app reads it from a signal in context ([`crate::context::use_locale`]), so a host's
//! `update({ locale })` changes it without a remount. Texts are English for now; a catalogue
//! per locale hangs on this type.

/// A language the app speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Locale {
    #[default]
    En,
    De,
}

impl Locale {
    /// The locale of a language tag (`de`, `de-AT`, `EN_us`), if the app speaks it.
    pub fn parse(tag: &str) -> Option<Locale> {
        let primary = tag
            .trim()
            .split(['-', '_'])
            .next()
            .unwrap_or_default()
            .to_ascii_lowercase();
        match primary.as_str() {
            "en" => Some(Locale::En),
            "de" => Some(Locale::De),
            _ => None,
        }
    }

    /// The first of `candidates` the app speaks (the host's option, the page's `lang`, the
    /// browser's language, in that order), else English.
    pub fn resolve<'a>(candidates: impl IntoIterator<Item = Option<&'a str>>) -> Locale {
        candidates
            .into_iter()
            .flatten()
            .find_map(Locale::parse)
            .unwrap_or_default()
    }

    /// The BCP 47 tag for `lang` attributes and `Intl`.
    pub fn tag(self) -> &'static str {
        match self {
            Locale::En => "en",
            Locale::De => "de",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_primary_subtag_case_insensitively() {
        assert_eq!(Locale::parse("de"), Some(Locale::De));
        assert_eq!(Locale::parse(" DE-at "), Some(Locale::De));
        assert_eq!(Locale::parse("en_US"), Some(Locale::En));
        assert_eq!(Locale::parse("fr"), None);
        assert_eq!(Locale::parse(""), None);
        assert_eq!(Locale::parse("-"), None);
    }

    #[test]
    fn resolves_the_first_known_candidate_else_english() {
        assert_eq!(
            Locale::resolve([None, Some("fr-FR"), Some("de-DE")]),
            Locale::De
        );
        assert_eq!(Locale::resolve([Some("en"), Some("de")]), Locale::En);
        assert_eq!(Locale::resolve([Some("it"), None]), Locale::En);
        assert_eq!(Locale::resolve([]), Locale::En);
    }

    #[test]
    fn tags_round_trip() {
        for l in [Locale::En, Locale::De] {
            assert_eq!(Locale::parse(l.tag()), Some(l));
        }
    }
}
