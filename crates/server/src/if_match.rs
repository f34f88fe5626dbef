//! `If-Match` (RFC 9110 §13.1.1) against a connection's version, whose entity
//! tag is the strong `"<version>"`.

/// The syntax the server accepts, as a regular expression (ECMA-262 and Python
/// alike, for the OpenAPI document): `*`, or a comma-separated list of entity
/// tags (`"3"`, `W/"3"`); a bare version (`3`) is accepted as `"3"`.
pub const PATTERN: &str = r#"^[ \t]*(?:\*|(?:(?:W/)?"[\x21\x23-\x7E]*"|[0-9]+)(?:[ \t]*,[ \t]*(?:(?:W/)?"[\x21\x23-\x7E]*"|[0-9]+))*)[ \t]*$"#;

/// A parsed `If-Match` field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum IfMatch {
    /// `*`: matches any existing connection.
    Any,
    /// The opaque parts of the strong entity tags, in order. Weak tags are left
    /// out: the strong comparison If-Match uses never matches them.
    Tags(Vec<String>),
}

impl IfMatch {
    /// Parses the field's value; `None` when it is not the syntax of [`PATTERN`].
    pub fn parse(value: &str) -> Option<IfMatch> {
        let value = value.trim_matches([' ', '\t']);
        if value == "*" {
            return Some(IfMatch::Any);
        }
        let mut tags = Vec::new();
        let mut rest = value;
        loop {
            rest = rest.trim_start_matches([' ', '\t']);
            let (tag, after) = entity_tag(rest)?;
            if let Some(strong) = tag {
                tags.push(strong);
            }
            rest = after.trim_start_matches([' ', '\t']);
            if rest.is_empty() {
                return Some(IfMatch::Tags(tags));
            }
            rest = rest.strip_prefix(',')?;
        }
    }

    /// Whether a connection at `version` (entity tag `"<version>"`) matches.
    pub fn matches(&self, version: i64) -> bool {
        match self {
            IfMatch::Any => true,
            IfMatch::Tags(tags) => {
                let current = version.to_string();
                tags.contains(&current)
            }
        }
    }
}

/// One entity tag at the start of `s`: its opaque part if it is strong (`None`
/// for a weak one) and what follows it.
fn entity_tag(s: &str) -> Option<(Option<String>, &str)> {
    let (weak, s) = match s.strip_prefix("W/") {
        Some(rest) => (true, rest),
        None => (false, s),
    };
    if let Some(quoted) = s.strip_prefix('"') {
        let end = quoted.find('"')?;
        let opaque = &quoted[..end];
        if !opaque
            .bytes()
            .all(|b| b == 0x21 || (0x23..=0x7E).contains(&b))
        {
            return None;
        }
        let tag = (!weak).then(|| opaque.to_string());
        return Some((tag, &quoted[end + 1..]));
    }
    if weak {
        return None;
    }
    let digits = s.bytes().take_while(u8::is_ascii_digit).count();
    if digits == 0 {
        return None;
    }
    Some((Some(s[..digits].to_string()), &s[digits..]))
}

#[cfg(test)]
mod tests {
    use super::IfMatch;

    fn tags(t: &[&str]) -> Option<IfMatch> {
        Some(IfMatch::Tags(t.iter().map(|s| s.to_string()).collect()))
    }

    #[test]
    fn parses_the_field() {
        assert_eq!(IfMatch::parse("\"3\""), tags(&["3"]));
        assert_eq!(IfMatch::parse("3"), tags(&["3"]));
        assert_eq!(IfMatch::parse(" * "), Some(IfMatch::Any));
        assert_eq!(IfMatch::parse("W/\"3\""), tags(&[]));
        assert_eq!(IfMatch::parse("\"2\", W/\"4\" ,\"3\""), tags(&["2", "3"]));
        assert_eq!(IfMatch::parse("\"a,b\""), tags(&["a,b"]));
        assert_eq!(IfMatch::parse("\"abc\""), tags(&["abc"]));
        for bad in [
            "",
            "\"3",
            "3\"",
            "\"2\",",
            ",\"2\"",
            "\"2\" \"3\"",
            "W/3",
            "*, \"3\"",
            "x",
        ] {
            assert_eq!(IfMatch::parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn strong_comparison_only() {
        let m = |v: &str, version| IfMatch::parse(v).expect("parses").matches(version);
        assert!(m("\"3\"", 3));
        assert!(!m("\"3\"", 4));
        assert!(!m("W/\"3\"", 3), "a weak tag never matches");
        assert!(m("\"2\", \"3\"", 3), "any tag of a list");
        assert!(m("*", 7));
        assert!(!m("\"03\"", 3), "opaque tags compare exactly");
        assert!(!m("\"99999999999999999999\"", 3));
    }

    proptest::proptest! {
        /// The OpenAPI document promises PATTERN: it accepts exactly what the parser does.
        #[test]
        fn pattern_and_parser_agree(v in r#"[ \t]?(\*|W?/?"?[0-9a-c",\x20W/]{0,12}"?)[ \t]?"#) {
            let re = regex::Regex::new(super::PATTERN).expect("pattern compiles");
            proptest::prop_assert_eq!(re.is_match(&v), IfMatch::parse(&v).is_some(), "{:?}", v);
        }
    }
}
