//! Validation problems, env-var errors and the drivers' texts, in each locale.
//!
//! The server and `connections_api` say what is wrong as codes ([`Problem`],
//! [`EnvVarError`]); these functions say it in the user's language. Drivers, fields and
//! choices are translated by driver id and field key; an unknown one keeps the server's text.

use connections_api::{BadChar, EnvVarError, Problem, DEFAULT_DRIVER_ID};

use super::Locale;

/// A validation problem. `label` names the field (already in `l`); `None` is the name.
pub fn problem(l: Locale, p: &Problem, label: Option<&str>) -> String {
    match l {
        Locale::En => p.message(label),
        Locale::De => german(p, label),
    }
}

fn german(p: &Problem, label: Option<&str>) -> String {
    let subj = match label {
        None => "Der Name".to_string(),
        Some(l) => format!("Das Feld „{l}“"),
    };
    let found = |b: &BadChar| match b {
        BadChar::Space => "ein Leerzeichen".to_string(),
        BadChar::Control => "ein Steuerzeichen".to_string(),
        BadChar::Char(c) => format!("„{c}“"),
    };
    match p {
        Problem::Required => match label {
            None => "Geben Sie einen Namen für die Verbindung ein.".into(),
            Some(l) => format!("Bitte „{l}“ eingeben."),
        },
        Problem::TooLong { len, max } => {
            format!("{subj} ist {len} Zeichen lang; erlaubt sind höchstens {max}.")
        }
        Problem::TooShort { min } => format!("{subj} hat mindestens {min} Zeichen."),
        Problem::StartsWithLetter => format!("{subj} beginnt mit einem Buchstaben."),
        Problem::CloudNameCharacters { found: b } => format!(
            "{subj} darf nur Buchstaben, Ziffern und „-“ enthalten, nicht {}.",
            found(b)
        ),
        Problem::DigitsOnly { found: b } => {
            format!("{subj} besteht nur aus Ziffern, nicht {}.", found(b))
        }
        Problem::TokenCharacters => {
            format!("{subj} darf nur Buchstaben, Ziffern, „-“ und „_“ enthalten.")
        }
        Problem::NotAChoice { choices } => {
            format!("Wählen Sie eines von: {}.", choices.join(", "))
        }
        Problem::ControlCharacters => format!("{subj} darf keine Steuerzeichen enthalten."),
        Problem::InvisibleCharacters => format!(
            "{subj} darf keine unsichtbaren Zeichen (etwa ein Leerzeichen ohne Breite) enthalten."
        ),
        Problem::DriverRequired => "Wählen Sie einen Treiber.".into(),
        Problem::UnknownDriver => {
            "Diesen Treiber bietet der Server nicht an. Wählen Sie einen aus der Liste.".into()
        }
        Problem::UnknownField { driver, key } => format!("{driver} hat kein Feld „{key}“."),
        Problem::Taken => "Es gibt bereits eine Verbindung mit diesem Namen.".into(),
    }
}

/// What is wrong with a pasted API environment variable.
pub fn env_var_error(l: Locale, e: &EnvVarError) -> String {
    match l {
        Locale::En => e.to_string(),
        Locale::De => match e {
            EnvVarError::Empty => "Fügen Sie die API-Umgebungsvariable von der Seite „API Keys“ Ihrer Cloudinary-Konsole ein.".into(),
            EnvVarError::WrongScheme => "Der Wert muss mit cloudinary:// beginnen (zum Beispiel cloudinary://123456789012345:abcd@my-cloud).".into(),
            EnvVarError::MissingAt => "Das „@“ vor dem Cloud-Namen fehlt: Verwenden Sie cloudinary://<api_key>:<api_secret>@<cloud_name>.".into(),
            EnvVarError::MissingKey => "Der API-Key vor dem „:“ fehlt.".into(),
            EnvVarError::MissingSecret => "Das API-Secret fehlt: Ersetzen Sie <your_api_secret> durch Ihr tatsächliches Secret.".into(),
            EnvVarError::MissingCloudName => "Der Cloud-Name nach dem „@“ fehlt.".into(),
            EnvVarError::UnknownUploadPrefix(h) => format!("Das upload_prefix „{h}“ ist kein Cloudinary-API-Host (api.cloudinary.com, api-eu.cloudinary.com oder api-ap.cloudinary.com)."),
            EnvVarError::UnknownParameter(p) => format!("„{p}“ ist kein Name einer Einstellung: Ein Parameter ist ein Name aus Buchstaben, Ziffern und _, dann = und sein Wert."),
        },
    }
}

/// The name of driver `id`; `fallback` (the server's) for a driver the app does not know.
pub fn driver_name(l: Locale, id: &str, fallback: &str) -> String {
    match (l, id) {
        (Locale::En, DEFAULT_DRIVER_ID) => "Cloudinary default driver".into(),
        (Locale::De, DEFAULT_DRIVER_ID) => "Cloudinary-Standardtreiber".into(),
        _ => fallback.into(),
    }
}

/// The label of field `key` of driver `driver` (the same words in both languages for the
/// default driver: Cloud-Name, API-Key, API-Secret, Region).
pub fn field_label(_l: Locale, driver: &str, key: &str, fallback: &str) -> String {
    match (driver, key) {
        (DEFAULT_DRIVER_ID, "cloud_name") => "Cloud-Name".into(),
        (DEFAULT_DRIVER_ID, "api_key") => "API-Key".into(),
        (DEFAULT_DRIVER_ID, "api_secret") => "API-Secret".into(),
        (DEFAULT_DRIVER_ID, "region") => "Region".into(),
        _ => fallback.into(),
    }
}

/// The help under field `key` of driver `driver`.
pub fn field_help(l: Locale, driver: &str, key: &str, fallback: &str) -> String {
    let text = match (l, driver, key) {
        (Locale::En, DEFAULT_DRIVER_ID, "cloud_name") => {
            "Shown on the dashboard of your Cloudinary account."
        }
        (Locale::En, DEFAULT_DRIVER_ID, "api_key" | "api_secret") => {
            "Shown on the API Keys page of your Cloudinary Console settings."
        }
        (Locale::En, DEFAULT_DRIVER_ID, "region") => {
            "US unless your enterprise account uses the EU or AP API host."
        }
        (Locale::De, DEFAULT_DRIVER_ID, "cloud_name") => {
            "Steht im Dashboard Ihres Cloudinary-Kontos."
        }
        (Locale::De, DEFAULT_DRIVER_ID, "api_key" | "api_secret") => {
            "Steht auf der Seite „API Keys“ in den Einstellungen Ihrer Cloudinary-Konsole."
        }
        (Locale::De, DEFAULT_DRIVER_ID, "region") => {
            "US, außer Ihr Enterprise-Konto nutzt den API-Host EU oder AP."
        }
        _ => return fallback.into(),
    };
    text.into()
}

/// The label of choice `value` of field `key`.
pub fn choice_label(l: Locale, driver: &str, key: &str, value: &str, fallback: &str) -> String {
    match (l, driver, key, value) {
        (Locale::De, DEFAULT_DRIVER_ID, "region", "us") => "US (Standard)".into(),
        _ => fallback.into(),
    }
}

#[cfg(test)]
pub(super) mod tests {
    use super::*;
    use connections_api::{default_driver, PROBLEM_CODES};

    /// One problem of every code (also for the catalogue file).

    #[test]
    fn every_validation_code_renders_in_both_locales() {
        let all = Problem::examples();
        let codes: Vec<_> = all.iter().map(Problem::code).collect();
        assert_eq!(codes, PROBLEM_CODES, "a code without a test case");
        for p in &all {
            for label in [None, Some("API-Key")] {
                let en = problem(Locale::En, p, label);
                let de = problem(Locale::De, p, label);
                assert!(!en.is_empty() && !de.is_empty(), "{p:?}");
                assert_ne!(en, de, "{p:?} is not translated");
            }
        }
        assert_eq!(
            problem(Locale::De, &Problem::TooLong { len: 101, max: 100 }, None),
            "Der Name ist 101 Zeichen lang; erlaubt sind höchstens 100."
        );
    }

    #[test]
    fn env_var_errors_render_in_both_locales() {
        let all = EnvVarError::examples("x.example");
        for e in &all {
            let (en, de) = (env_var_error(Locale::En, e), env_var_error(Locale::De, e));
            assert_eq!(en, e.to_string());
            assert!(!de.is_empty());
            assert_ne!(en, de, "{e:?}");
        }
    }

    /// The parser's errors, from pasted values, by code, in both languages.
    #[test]
    fn env_var_parser_errors_are_codes_that_render_in_both_locales() {
        let cases = [
            ("", "env_empty"),
            ("https://api.cloudinary.com", "env_wrong_scheme"),
            ("cloudinary://123:secret", "env_missing_at"),
            ("cloudinary://:secret@demo", "env_missing_key"),
            ("cloudinary://123:@demo", "env_missing_secret"),
            ("cloudinary://123:secret@", "env_missing_cloud_name"),
            (
                "cloudinary://123:secret@demo?upload_prefix=https://evil.example",
                "env_unknown_upload_prefix",
            ),
            (
                "cloudinary://123:secret@demo?col-or=red",
                "env_unknown_parameter",
            ),
        ];
        for (input, code) in cases {
            let Err(e) = connections_api::parse_env_var(input) else {
                panic!("{input:?} parsed");
            };
            assert_eq!(e.code(), code, "{input:?}");
            let (en, de) = (env_var_error(Locale::En, &e), env_var_error(Locale::De, &e));
            assert!(!en.is_empty() && !de.is_empty(), "{code}");
            assert_ne!(en, de, "{code} is not translated");
            if let Some((_, value)) = e.param() {
                assert!(
                    de.contains(value),
                    "{code}: the parameter is in the German text"
                );
            }
        }
    }

    #[test]
    fn drivers_in_both_locales_with_the_servers_text_as_fallback() {
        let d = default_driver();
        assert_eq!(driver_name(Locale::En, &d.id, &d.name), d.name);
        assert_eq!(
            driver_name(Locale::De, &d.id, &d.name),
            "Cloudinary-Standardtreiber"
        );
        assert_eq!(
            driver_name(Locale::De, "other", "Other driver"),
            "Other driver"
        );
        for f in &d.fields {
            assert_eq!(field_label(Locale::En, &d.id, &f.key, "?"), f.label);
            assert_eq!(field_label(Locale::De, &d.id, &f.key, "?"), f.label);
            let help = f.help.as_deref().unwrap_or_default();
            assert_eq!(field_help(Locale::En, &d.id, &f.key, "?"), help);
            assert_ne!(field_help(Locale::De, &d.id, &f.key, "?"), help);
        }
        assert_eq!(field_help(Locale::De, "other", "k", "Hilfe"), "Hilfe");
        assert_eq!(
            choice_label(Locale::De, &d.id, "region", "us", "US (default)"),
            "US (Standard)"
        );
    }
}
