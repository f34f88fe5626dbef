//! Validation rules, run by the app as the user types and by the server on
//! every write. Messages are written for the person filling in the form.

use std::collections::BTreeMap;

use crate::drivers::find_driver;
use crate::types::{ConnectionInput, Driver, Field, Format};

/// Field errors keyed `name`, `driver` or `fields.<key>`, as in the contract's Error body.
pub type FieldErrors = BTreeMap<String, String>;

pub const NAME_MAX_CHARS: usize = 100;

/// The stored form of a name: surrounding whitespace removed.
pub fn normalize_name(name: &str) -> String {
    name.trim().to_string()
}

/// Checks a connection name (uniqueness is the server's business).
pub fn validate_name(name: &str) -> Result<(), String> {
    let name = name.trim();
    if name.is_empty() {
        return Err("Enter a name for the connection.".into());
    }
    let n = name.chars().count();
    if n > NAME_MAX_CHARS {
        return Err(format!(
            "The name is {n} characters long; at most {NAME_MAX_CHARS} are allowed."
        ));
    }
    if name.chars().any(char::is_control) {
        return Err("The name must not contain control characters.".into());
    }
    if name.chars().any(is_invisible_format) {
        return Err(
            "The name must not contain invisible characters (such as a zero-width space).".into(),
        );
    }
    Ok(())
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
pub fn validate_field(field: &Field, value: &str, keep_secret: bool) -> Result<(), String> {
    let v = value.trim();
    let label = &field.label;
    if v.is_empty() {
        if field.required && !(field.secret && keep_secret) {
            return Err(format!("Enter the {label}."));
        }
        return Ok(());
    }
    if let Some(max) = field.max_length {
        let n = v.chars().count();
        if n > max as usize {
            return Err(format!(
                "The {label} is {n} characters long; at most {max} are allowed."
            ));
        }
    }
    match field.format {
        Format::Text => Ok(()),
        Format::CloudName => {
            let n = v.chars().count();
            if n < 2 {
                return Err(format!("The {label} has at least 2 characters."));
            }
            if !v.starts_with(|c: char| c.is_ascii_alphabetic()) {
                return Err(format!("The {label} starts with a letter."));
            }
            if let Some(bad) = v
                .chars()
                .find(|c| !(c.is_ascii_alphanumeric() || *c == '-'))
            {
                return Err(format!(
                    "The {label} may contain only letters, digits and \"-\", not {}.",
                    describe(bad)
                ));
            }
            Ok(())
        }
        Format::Digits => match v.chars().find(|c| !c.is_ascii_digit()) {
            Some(bad) => Err(format!(
                "The {label} consists of digits only, not {}.",
                describe(bad)
            )),
            None => Ok(()),
        },
        Format::Token => match v
            .chars()
            .find(|c| !(c.is_ascii_alphanumeric() || *c == '-' || *c == '_'))
        {
            // The offending character of a secret is not repeated back.
            Some(_) => Err(format!(
                "The {label} may contain only letters, digits, \"-\" and \"_\"."
            )),
            None => Ok(()),
        },
        Format::Choice => {
            let choices = field.choices.as_deref().unwrap_or_default();
            if choices.iter().any(|c| c.value == v) {
                Ok(())
            } else {
                let names: Vec<_> = choices.iter().map(|c| c.label.as_str()).collect();
                Err(format!("Choose one of: {}.", names.join(", ")))
            }
        }
    }
}

fn describe(c: char) -> String {
    if c == ' ' {
        "a space".into()
    } else if c.is_control() {
        "a control character".into()
    } else {
        format!("\"{c}\"")
    }
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
    let mut errors = FieldErrors::new();
    if let Err(e) = validate_name(&input.name) {
        errors.insert("name".into(), e);
    }
    let Some(driver) = find_driver(drivers, &input.driver) else {
        let msg = if input.driver.trim().is_empty() {
            "Choose a driver.".to_string()
        } else {
            "This driver is not offered by the server. Choose one from the list.".to_string()
        };
        errors.insert("driver".into(), msg);
        return Err(errors);
    };
    match validate_fields(driver, &input.fields, stored_secrets) {
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
    let mut errors = FieldErrors::new();
    for key in values.keys() {
        if !driver.fields.iter().any(|f| &f.key == key) {
            errors.insert(
                format!("fields.{key}"),
                format!("The {} does not have a field \"{key}\".", driver.name),
            );
        }
    }
    let mut fields = BTreeMap::new();
    for field in &driver.fields {
        let value = values.get(&field.key).map(|v| v.trim()).unwrap_or("");
        let keep = stored_secrets.contains(&field.key);
        match validate_field(field, value, keep) {
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
