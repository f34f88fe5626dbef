//! Validation rules, run by the app as the user types and by the server on
//! every write. Messages are written for the person filling in the form.

use std::collections::BTreeMap;

use crate::drivers::find_driver;
use crate::types::{ConnectionInput, Driver, Field, Format, ProblemDetail};

/// Field errors keyed `name`, `driver` or `fields.<key>`, as in the contract's Error body.
pub type FieldErrors = BTreeMap<String, String>;

pub const NAME_MAX_CHARS: usize = 100;

/// The stored form of a name: surrounding whitespace removed.
pub fn normalize_name(name: &str) -> String {
    name.trim().to_string()
}

/// Field problems keyed `name`, `driver` or `fields.<key>`, as codes.
pub type FieldProblems = BTreeMap<String, Problem>;

/// A character a value must not contain, as named back to the user.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BadChar {
    Space,
    Control,
    Char(char),
}

impl BadChar {
    fn of(c: char) -> BadChar {
        if c == ' ' {
            BadChar::Space
        } else if c.is_control() {
            BadChar::Control
        } else {
            BadChar::Char(c)
        }
    }

    /// The `found` parameter: `space`, `control` or the character itself.
    pub fn param(&self) -> String {
        match self {
            BadChar::Space => "space".into(),
            BadChar::Control => "control".into(),
            BadChar::Char(c) => c.to_string(),
        }
    }

    fn from_param(p: &str) -> Option<BadChar> {
        match p {
            "space" => Some(BadChar::Space),
            "control" => Some(BadChar::Control),
            _ => {
                let mut cs = p.chars();
                match (cs.next(), cs.next()) {
                    (Some(c), None) => Some(BadChar::Char(c)),
                    _ => None,
                }
            }
        }
    }

    /// English: "a space", "a control character", "\"x\"".
    fn english(&self) -> String {
        match self {
            BadChar::Space => "a space".into(),
            BadChar::Control => "a control character".into(),
            BadChar::Char(c) => format!("\"{c}\""),
        }
    }
}

/// What is wrong with a value: a code and its parameters, for a user interface to say in
/// its own language ([`Problem::code`], [`Problem::params`]); [`Problem::message`] is the
/// English sentence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Problem {
    /// Empty, but required.
    Required,
    /// `len` characters, at most `max` allowed.
    TooLong {
        len: usize,
        max: usize,
    },
    /// Fewer than `min` characters.
    TooShort {
        min: usize,
    },
    /// Must start with a letter.
    StartsWithLetter,
    /// Only letters, digits and "-" (a cloud name); `found` is the first other character.
    CloudNameCharacters {
        found: BadChar,
    },
    /// Digits only; `found` is the first other character.
    DigitsOnly {
        found: BadChar,
    },
    /// Only letters, digits, "-" and "_" (the offending character of a secret is not named).
    TokenCharacters,
    /// Not one of the offered choices (their labels).
    NotAChoice {
        choices: Vec<String>,
    },
    ControlCharacters,
    InvisibleCharacters,
    /// No driver chosen.
    DriverRequired,
    /// A driver the server does not offer.
    UnknownDriver,
    /// A field the driver `driver` (its name) does not have.
    UnknownField {
        driver: String,
        key: String,
    },
    /// The name is used by another connection (the server's check).
    Taken,
}

/// Every problem code (for user interfaces that must cover them all).
pub const PROBLEM_CODES: &[&str] = &[
    "required",
    "too_long",
    "too_short",
    "starts_with_letter",
    "cloud_name_characters",
    "digits_only",
    "token_characters",
    "not_a_choice",
    "control_characters",
    "invisible_characters",
    "driver_required",
    "unknown_driver",
    "unknown_field",
    "taken",
];

impl Problem {
    /// One problem of each code, in the order of [`PROBLEM_CODES`], with sample
    /// parameters: for the tests and catalogues that must cover every code.
    pub fn examples() -> Vec<Problem> {
        vec![
            Problem::Required,
            Problem::TooLong { len: 101, max: 100 },
            Problem::TooShort { min: 2 },
            Problem::StartsWithLetter,
            Problem::CloudNameCharacters {
                found: BadChar::Space,
            },
            Problem::DigitsOnly {
                found: BadChar::Char('x'),
            },
            Problem::TokenCharacters,
            Problem::NotAChoice {
                choices: vec!["EU".into(), "AP".into()],
            },
            Problem::ControlCharacters,
            Problem::InvisibleCharacters,
            Problem::DriverRequired,
            Problem::UnknownDriver,
            Problem::UnknownField {
                driver: "D".into(),
                key: "k".into(),
            },
            Problem::Taken,
        ]
    }

    /// The stable code (`snake_case`).
    pub fn code(&self) -> &'static str {
        match self {
            Problem::Required => "required",
            Problem::TooLong { .. } => "too_long",
            Problem::TooShort { .. } => "too_short",
            Problem::StartsWithLetter => "starts_with_letter",
            Problem::CloudNameCharacters { .. } => "cloud_name_characters",
            Problem::DigitsOnly { .. } => "digits_only",
            Problem::TokenCharacters => "token_characters",
            Problem::NotAChoice { .. } => "not_a_choice",
            Problem::ControlCharacters => "control_characters",
            Problem::InvisibleCharacters => "invisible_characters",
            Problem::DriverRequired => "driver_required",
            Problem::UnknownDriver => "unknown_driver",
            Problem::UnknownField { .. } => "unknown_field",
            Problem::Taken => "taken",
        }
    }

    /// The parameters of the code, as strings.
    pub fn params(&self) -> BTreeMap<String, String> {
        let kv = |pairs: &[(&str, String)]| -> BTreeMap<String, String> {
            pairs
                .iter()
                .map(|(k, v)| (k.to_string(), v.clone()))
                .collect()
        };
        match self {
            Problem::TooLong { len, max } => {
                kv(&[("len", len.to_string()), ("max", max.to_string())])
            }
            Problem::TooShort { min } => kv(&[("min", min.to_string())]),
            Problem::CloudNameCharacters { found } | Problem::DigitsOnly { found } => {
                kv(&[("found", found.param())])
            }
            Problem::NotAChoice { choices } => kv(&[("choices", choices.join(", "))]),
            Problem::UnknownField { driver, key } => {
                kv(&[("driver", driver.clone()), ("key", key.clone())])
            }
            _ => BTreeMap::new(),
        }
    }

    /// The code and parameters for an Error body's `details`.
    pub fn detail(&self) -> ProblemDetail {
        ProblemDetail {
            code: self.code().into(),
            params: self.params(),
        }
    }

    /// The problem a `details` entry describes; `None` for a code this version does not know.
    pub fn from_detail(d: &ProblemDetail) -> Option<Problem> {
        let num = |k: &str| d.params.get(k)?.parse::<usize>().ok();
        let text = |k: &str| d.params.get(k).cloned();
        let found = || d.params.get("found").and_then(|f| BadChar::from_param(f));
        Some(match d.code.as_str() {
            "required" => Problem::Required,
            "too_long" => Problem::TooLong {
                len: num("len")?,
                max: num("max")?,
            },
            "too_short" => Problem::TooShort { min: num("min")? },
            "starts_with_letter" => Problem::StartsWithLetter,
            "cloud_name_characters" => Problem::CloudNameCharacters { found: found()? },
            "digits_only" => Problem::DigitsOnly { found: found()? },
            "token_characters" => Problem::TokenCharacters,
            "not_a_choice" => Problem::NotAChoice {
                choices: text("choices")?.split(", ").map(str::to_string).collect(),
            },
            "control_characters" => Problem::ControlCharacters,
            "invisible_characters" => Problem::InvisibleCharacters,
            "driver_required" => Problem::DriverRequired,
            "unknown_driver" => Problem::UnknownDriver,
            "unknown_field" => Problem::UnknownField {
                driver: text("driver")?,
                key: text("key")?,
            },
            "taken" => Problem::Taken,
            _ => return None,
        })
    }

    /// The English sentence. `label` names the field; `None` is the connection's name.
    pub fn message(&self, label: Option<&str>) -> String {
        match (self, label) {
            (Problem::Required, None) => "Enter a name for the connection.".into(),
            (Problem::Required, Some(l)) => format!("Enter the {l}."),
            (Problem::TooLong { len, max }, None) => {
                format!("The name is {len} characters long; at most {max} are allowed.")
            }
            (Problem::TooLong { len, max }, Some(l)) => {
                format!("The {l} is {len} characters long; at most {max} are allowed.")
            }
            (Problem::TooShort { min }, l) => {
                format!("The {} has at least {min} characters.", l.unwrap_or("name"))
            }
            (Problem::StartsWithLetter, l) => {
                format!("The {} starts with a letter.", l.unwrap_or("name"))
            }
            (Problem::CloudNameCharacters { found }, l) => format!(
                "The {} may contain only letters, digits and \"-\", not {}.",
                l.unwrap_or("name"),
                found.english()
            ),
            (Problem::DigitsOnly { found }, l) => format!(
                "The {} consists of digits only, not {}.",
                l.unwrap_or("name"),
                found.english()
            ),
            (Problem::TokenCharacters, l) => format!(
                "The {} may contain only letters, digits, \"-\" and \"_\".",
                l.unwrap_or("name")
            ),
            (Problem::NotAChoice { choices }, _) => {
                format!("Choose one of: {}.", choices.join(", "))
            }
            (Problem::ControlCharacters, l) => format!(
                "The {} must not contain control characters.",
                l.unwrap_or("name")
            ),
            (Problem::InvisibleCharacters, l) => format!(
                "The {} must not contain invisible characters (such as a zero-width space).",
                l.unwrap_or("name")
            ),
            (Problem::DriverRequired, _) => "Choose a driver.".into(),
            (Problem::UnknownDriver, _) => {
                "This driver is not offered by the server. Choose one from the list.".into()
            }
            (Problem::UnknownField { driver, key }, _) => {
                format!("The {driver} does not have a field \"{key}\".")
            }
            (Problem::Taken, _) => "A connection with this name already exists.".into(),
        }
    }
}

/// Checks a connection name (uniqueness is the server's business).
pub fn check_name(name: &str) -> Result<(), Problem> {
    let name = name.trim();
    if name.is_empty() {
        return Err(Problem::Required);
    }
    let n = name.chars().count();
    if n > NAME_MAX_CHARS {
        return Err(Problem::TooLong {
            len: n,
            max: NAME_MAX_CHARS,
        });
    }
    if name.chars().any(char::is_control) {
        return Err(Problem::ControlCharacters);
    }
    if name.chars().any(is_invisible_format) {
        return Err(Problem::InvisibleCharacters);
    }
    Ok(())
}

/// [`check_name`] with the English message.
pub fn validate_name(name: &str) -> Result<(), String> {
    check_name(name).map_err(|p| p.message(None))
}

/// Unicode's format characters (general category Cf: zero-width spaces and
/// joiners, direction marks and overrides, the byte order mark, tags, …): they
/// show nothing, so two names that look the same would differ by them.
pub fn is_invisible_format(c: char) -> bool {
    matches!(
        c,
        '\u{00AD}'
            | '\u{0600}'..='\u{0605}'
            | '\u{061C}'
            | '\u{06DD}'
            | '\u{070F}'
            | '\u{0890}'..='\u{0891}'
            | '\u{08E2}'
            | '\u{180E}'
            | '\u{200B}'..='\u{200F}'
            | '\u{202A}'..='\u{202E}'
            | '\u{2060}'..='\u{2064}'
            | '\u{2066}'..='\u{206F}'
            | '\u{FEFF}'
            | '\u{FFF9}'..='\u{FFFB}'
            | '\u{110BD}'
            | '\u{110CD}'
            | '\u{13430}'..='\u{1343F}'
            | '\u{1BCA0}'..='\u{1BCA3}'
            | '\u{1D173}'..='\u{1D17A}'
            | '\u{E0001}'
            | '\u{E0020}'..='\u{E007F}'
    )
}

/// Checks one field value against the field's declaration. An empty value is
/// only an error when the field is required; `keep_secret` says a stored secret
/// will be kept, so an empty secret field is fine.
pub fn check_field(field: &Field, value: &str, keep_secret: bool) -> Result<(), Problem> {
    let v = value.trim();
    if v.is_empty() {
        if field.required && !(field.secret && keep_secret) {
            return Err(Problem::Required);
        }
        return Ok(());
    }
    if let Some(max) = field.max_length {
        let n = v.chars().count();
        if n > max as usize {
            return Err(Problem::TooLong {
                len: n,
                max: max as usize,
            });
        }
    }
    match field.format {
        Format::Text => Ok(()),
        Format::CloudName => {
            if v.chars().count() < 2 {
                return Err(Problem::TooShort { min: 2 });
            }
            if !v.starts_with(|c: char| c.is_ascii_alphabetic()) {
                return Err(Problem::StartsWithLetter);
            }
            match v
                .chars()
                .find(|c| !(c.is_ascii_alphanumeric() || *c == '-'))
            {
                Some(bad) => Err(Problem::CloudNameCharacters {
                    found: BadChar::of(bad),
                }),
                None => Ok(()),
            }
        }
        Format::Digits => match v.chars().find(|c| !c.is_ascii_digit()) {
            Some(bad) => Err(Problem::DigitsOnly {
                found: BadChar::of(bad),
            }),
            None => Ok(()),
        },
        Format::Token => match v
            .chars()
            .find(|c| !(c.is_ascii_alphanumeric() || *c == '-' || *c == '_'))
        {
            Some(_) => Err(Problem::TokenCharacters),
            None => Ok(()),
        },
        Format::Choice => {
            let choices = field.choices.as_deref().unwrap_or_default();
            if choices.iter().any(|c| c.value == v) {
                Ok(())
            } else {
                Err(Problem::NotAChoice {
                    choices: choices.iter().map(|c| c.label.clone()).collect(),
                })
            }
        }
    }
}

/// [`check_field`] with the English message.
pub fn validate_field(field: &Field, value: &str, keep_secret: bool) -> Result<(), String> {
    check_field(field, value, keep_secret).map_err(|p| p.message(Some(&field.label)))
}

/// The English messages of `problems` (labels from `drivers`).
pub fn messages(problems: &FieldProblems, driver: Option<&Driver>) -> FieldErrors {
    problems
        .iter()
        .map(|(k, p)| {
            let label = match k.strip_prefix("fields.") {
                Some(key) => driver
                    .and_then(|d| d.fields.iter().find(|f| f.key == key))
                    .map(|f| f.label.as_str())
                    .or(Some(key)),
                None if k == "name" => None,
                None => Some(k.as_str()),
            };
            (k.clone(), p.message(label))
        })
        .collect()
}

/// Validates a whole create or update body against the offered drivers.
///
/// `stored_secrets` lists secret keys that already hold a value (update): such a
/// secret may be left out or empty. On success returns the normalised input:
/// name trimmed, values trimmed, empty optional fields given their default,
/// empty secrets dropped (meaning "keep").
pub fn validate_input(
    input: &ConnectionInput,
    drivers: &[Driver],
    stored_secrets: &[String],
) -> Result<ConnectionInput, FieldErrors> {
    check_input(input, drivers, stored_secrets)
        .map_err(|p| messages(&p, find_driver(drivers, &input.driver)))
}

/// [`validate_input`] with the problems as codes.
pub fn check_input(
    input: &ConnectionInput,
    drivers: &[Driver],
    stored_secrets: &[String],
) -> Result<ConnectionInput, FieldProblems> {
    let mut errors = FieldProblems::new();
    if let Err(e) = check_name(&input.name) {
        errors.insert("name".into(), e);
    }
    let Some(driver) = find_driver(drivers, &input.driver) else {
        let p = if input.driver.trim().is_empty() {
            Problem::DriverRequired
        } else {
            Problem::UnknownDriver
        };
        errors.insert("driver".into(), p);
        return Err(errors);
    };
    match check_fields(driver, &input.fields, stored_secrets) {
        Ok(fields) if errors.is_empty() => Ok(ConnectionInput {
            name: normalize_name(&input.name),
            driver: driver.id.clone(),
            fields,
        }),
        Ok(_) => Err(errors),
        Err(field_errors) => {
            errors.extend(field_errors);
            Err(errors)
        }
    }
}

/// Validates the credential values of `driver` (errors keyed `fields.<key>`).
///
/// On success returns the normalised values: trimmed, empty optional fields
/// given their default, empty fields (and so secrets to keep) left out.
pub fn validate_fields(
    driver: &Driver,
    values: &BTreeMap<String, String>,
    stored_secrets: &[String],
) -> Result<BTreeMap<String, String>, FieldErrors> {
    check_fields(driver, values, stored_secrets).map_err(|p| messages(&p, Some(driver)))
}

/// [`validate_fields`] with the problems as codes.
pub fn check_fields(
    driver: &Driver,
    values: &BTreeMap<String, String>,
    stored_secrets: &[String],
) -> Result<BTreeMap<String, String>, FieldProblems> {
    let mut errors = FieldProblems::new();
    for key in values.keys() {
        if !driver.fields.iter().any(|f| &f.key == key) {
            errors.insert(
                format!("fields.{key}"),
                Problem::UnknownField {
                    driver: driver.name.clone(),
                    key: key.clone(),
                },
            );
        }
    }
    let mut fields = BTreeMap::new();
    for field in &driver.fields {
        let value = values.get(&field.key).map(|v| v.trim()).unwrap_or("");
        let keep = stored_secrets.contains(&field.key);
        match check_field(field, value, keep) {
            Err(e) => {
                errors.insert(format!("fields.{}", field.key), e);
            }
            Ok(()) if value.is_empty() => {
                if let Some(d) = &field.default {
                    fields.insert(field.key.clone(), d.clone());
                }
            }
            Ok(()) => {
                fields.insert(field.key.clone(), value.to_string());
            }
        }
    }
    if errors.is_empty() {
        Ok(fields)
    } else {
        Err(errors)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::drivers::{default_driver, drivers, DEFAULT_DRIVER_ID};
    use proptest::prelude::*;

    fn input(name: &str, fields: &[(&str, &str)]) -> ConnectionInput {
        ConnectionInput {
            name: name.into(),
            driver: DEFAULT_DRIVER_ID.into(),
            fields: fields
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
        }
    }

    #[test]
    fn problems_round_trip_through_details_and_cover_every_code() {
        let all = Problem::examples();
        let codes: Vec<_> = all.iter().map(Problem::code).collect();
        assert_eq!(codes, PROBLEM_CODES);
        for p in all {
            assert_eq!(
                Problem::from_detail(&p.detail()).as_ref(),
                Some(&p),
                "{p:?}"
            );
            assert!(!p.message(None).is_empty());
        }
        let unknown = ProblemDetail {
            code: "from_the_future".into(),
            params: BTreeMap::new(),
        };
        assert_eq!(Problem::from_detail(&unknown), None);
    }

    #[test]
    fn codes_and_messages_agree() {
        let d = default_driver();
        let mut bad = input(
            "",
            &[("cloud_name", "1x"), ("api_key", "12a"), ("nope", "v")],
        );
        bad.fields.remove("api_secret");
        let problems = check_input(&bad, &drivers(), &[]).expect_err("invalid");
        assert_eq!(problems["name"], Problem::Required);
        assert_eq!(problems["fields.cloud_name"], Problem::StartsWithLetter);
        assert_eq!(
            problems["fields.api_key"],
            Problem::DigitsOnly {
                found: BadChar::Char('a')
            }
        );
        assert_eq!(problems["fields.api_secret"], Problem::Required);
        assert!(matches!(
            problems["fields.nope"],
            Problem::UnknownField { .. }
        ));
        let messages = validate_input(&bad, &drivers(), &[]).expect_err("invalid");
        assert_eq!(messages, super::messages(&problems, Some(&d)));
        assert_eq!(
            messages["fields.api_key"],
            "The API-Key consists of digits only, not \"a\"."
        );
    }

    fn good() -> ConnectionInput {
        input(
            "  Shop EU ",
            &[
                ("cloud_name", "demo-1"),
                ("api_key", "123456789012345"),
                ("api_secret", "abc_DEF-123"),
            ],
        )
    }

    #[test]
    fn accepts_and_normalises() {
        let out = validate_input(&good(), &drivers(), &[]).expect("valid");
        assert_eq!(out.name, "Shop EU");
        assert_eq!(out.fields["region"], "us", "region defaults to us");
        assert_eq!(out.fields["cloud_name"], "demo-1", "case and value kept");
    }

    #[test]
    fn name_rules() {
        assert!(validate_name("   ").is_err());
        assert!(validate_name(&"x".repeat(100)).is_ok());
        let long = validate_name(&"x".repeat(101)).expect_err("too long");
        assert!(long.contains("101"), "{long}");
        assert!(validate_name("a\u{7}b").is_err());
        for invisible in [
            "Shop\u{200B}EU",
            "\u{FEFF}Shop",
            "Shop\u{202E}UE",
            "a\u{2060}b",
        ] {
            let e = validate_name(invisible).expect_err(invisible);
            assert!(e.contains("invisible"), "{e}");
        }
        assert!(validate_name("Café Straße 東京").is_ok());
    }

    #[test]
    fn field_errors_keyed_by_field() {
        let bad = input(
            "",
            &[
                ("cloud_name", "1demo"),
                ("api_key", "12ab"),
                ("api_secret", "sec ret"),
                ("region", "mars"),
            ],
        );
        let errs = validate_input(&bad, &drivers(), &[]).expect_err("invalid");
        assert_eq!(
            errs.keys().map(String::as_str).collect::<Vec<_>>(),
            [
                "fields.api_key",
                "fields.api_secret",
                "fields.cloud_name",
                "fields.region",
                "name"
            ]
        );
        assert!(errs["fields.cloud_name"].contains("starts with a letter"));
        assert!(errs["fields.api_key"].contains("\"a\""));
        assert!(
            !errs["fields.api_secret"].contains("sec"),
            "secret not echoed"
        );
    }

    #[test]
    fn missing_required_and_unknown_field() {
        let errs = validate_input(&input("n", &[("colour", "red")]), &drivers(), &[])
            .expect_err("invalid");
        assert_eq!(errs["fields.cloud_name"], "Enter the Cloud-Name.");
        assert_eq!(errs["fields.api_secret"], "Enter the API-Secret.");
        assert!(errs.contains_key("fields.colour"));
    }

    #[test]
    fn stored_secret_may_be_left_empty() {
        let mut i = good();
        i.fields.remove("api_secret");
        assert!(validate_input(&i, &drivers(), &[]).is_err());
        let out = validate_input(&i, &drivers(), &["api_secret".into()]).expect("keeps secret");
        assert!(!out.fields.contains_key("api_secret"));
    }

    #[test]
    fn unknown_driver() {
        let mut i = good();
        i.driver = "other".into();
        let errs = validate_input(&i, &drivers(), &[]).expect_err("invalid");
        assert!(errs.contains_key("driver"));
        i.driver = String::new();
        let errs = validate_input(&i, &drivers(), &[]).expect_err("invalid");
        assert_eq!(errs["driver"], "Choose a driver.");
    }

    #[test]
    fn cloud_name_limits() {
        let f = &default_driver().fields[0];
        assert!(validate_field(f, "a", false).is_err());
        assert!(validate_field(f, "ab", false).is_ok());
        assert!(validate_field(f, &format!("a{}", "b".repeat(127)), false).is_ok());
        assert!(validate_field(f, &format!("a{}", "b".repeat(128)), false).is_err());
        assert!(validate_field(f, "my cloud", false)
            .expect_err("space")
            .contains("a space"));
    }

    proptest! {
        #[test]
        fn valid_cloud_names_accepted(s in "[a-zA-Z][a-zA-Z0-9-]{1,127}") {
            let f = &default_driver().fields[0];
            prop_assert!(validate_field(f, &s, false).is_ok());
        }

        #[test]
        fn api_keys_are_digits(s in "\\PC{1,40}") {
            let f = &default_driver().fields[1];
            let t = s.trim();
            let ok = !t.is_empty() && t.chars().all(|c| c.is_ascii_digit());
            prop_assert_eq!(validate_field(f, &s, false).is_ok(), ok);
        }

        #[test]
        fn validation_never_panics(name in "\\PC{0,120}", cn in "\\PC{0,20}", key in "\\PC{0,20}", sec in "\\PC{0,20}") {
            let i = input(&name, &[("cloud_name", &cn), ("api_key", &key), ("api_secret", &sec)]);
            let _ = validate_input(&i, &drivers(), &[]);
        }

        #[test]
        fn secret_never_in_messages(sec in "[a-z]{3,10}[ !#]{1,3}[a-z]{3,10}") {
            let i = input("n", &[("cloud_name", "demo"), ("api_key", "1"), ("api_secret", &sec)]);
            let errs = validate_input(&i, &drivers(), &[]).expect_err("bad secret");
            for m in errs.values() {
                prop_assert!(!m.contains(&sec));
            }
        }
    }
}
