//! The request-body schemas of the OpenAPI document, written from the drivers'
//! field declarations and the name rule, so that a body the document calls
//! valid is one the server accepts, and the other way round.
//!
//! The server trims names and values (Unicode White_Space, as Rust's
//! `str::trim`), so every pattern allows that whitespace around the part it
//! checks, and lengths count the trimmed part.

use connections_api::{Driver, Field, Format};
use serde_json::{json, Value};

/// Unicode White_Space, what `str::trim` removes.
const SPACE: &str = r"\t\n\x0B\f\r \x85\xA0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000";

/// What a name may not contain: control characters (Cc) and invisible format
/// characters (Cf) of the Basic Multilingual Plane.
const NOT_IN_NAME: &str = concat!(
    r"\x00-\x1F\x7F-\x9F",
    r"\xAD\u0600-\u0605\u061C\u06DD\u070F\u0890\u0891\u08E2\u180E\u200B-\u200F",
    r"\u202A-\u202E\u2060-\u2064\u2066-\u206F\uFEFF\uFFF9-\uFFFB"
);

/// A connection name: after trimming, 1 to `NAME_MAX_CHARS` characters, none of
/// them a control or format character.
pub fn name_pattern() -> String {
    let max = connections_api::NAME_MAX_CHARS;
    let edge = format!("[^{SPACE}{NOT_IN_NAME}]");
    format!(
        "^[{SPACE}]*{edge}(?:[^{NOT_IN_NAME}]{{0,{inner}}}{edge})?[{SPACE}]*$",
        inner = max - 2
    )
}

/// What `validate_field` accepts for `field`; `may_be_empty` for optional
/// fields and for secrets a stored value can stand in for.
pub fn field_pattern(field: &Field, may_be_empty: bool) -> String {
    let max = field.max_length.map(|m| m as usize);
    let bounded = |at_least: usize| match max {
        Some(m) => format!("{{{at_least},{m}}}"),
        None => format!("{{{at_least},}}"),
    };
    let core = match field.format {
        Format::CloudName => format!(
            "[A-Za-z][A-Za-z0-9-]{}",
            match max {
                Some(m) => format!("{{1,{}}}", m.saturating_sub(1)),
                None => "{1,}".into(),
            }
        ),
        Format::Digits => format!("[0-9]{}", bounded(1)),
        Format::Token => format!("[A-Za-z0-9_-]{}", bounded(1)),
        Format::Choice => {
            let values: Vec<String> = field
                .choices
                .iter()
                .flatten()
                .map(|c| regex_escape(&c.value))
                .collect();
            values.join("|")
        }
        Format::Text => {
            let edge = format!("[^{SPACE}]");
            match max {
                Some(m) if m >= 2 => format!("{edge}(?:[\\s\\S]{{0,{}}}{edge})?", m - 2),
                Some(_) => edge,
                None => format!("{edge}(?:[\\s\\S]*{edge})?"),
            }
        }
    };
    let optional = if may_be_empty { "?" } else { "" };
    format!("^[{SPACE}]*(?:{core}){optional}[{SPACE}]*$")
}

fn regex_escape(s: &str) -> String {
    s.chars()
        .flat_map(|c| {
            let special = "\\^$.|?*+()[]{}".contains(c);
            special.then_some('\\').into_iter().chain([c])
        })
        .collect()
}

/// Which body the schema is for.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Use {
    /// Create, or verify without a stored connection: every required field.
    Complete,
    /// Update, or verify with `connection_id`: a secret may be left out or
    /// empty, the stored one stands in.
    SecretsKept,
}

/// The `fields` object of `driver`.
fn fields_schema(driver: &Driver, usage: Use) -> Value {
    let mut properties = serde_json::Map::new();
    let mut required = Vec::new();
    for field in &driver.fields {
        let kept = usage == Use::SecretsKept && field.secret;
        let must = field.required && !kept;
        if must {
            required.push(field.key.clone());
        }
        let mut description = field.label.clone();
        if let Some(help) = &field.help {
            description = format!("{description}: {help}");
        }
        if kept {
            description.push_str(" Left out or empty: the stored secret is kept.");
        }
        if let Some(default) = &field.default {
            description.push_str(&format!(" Empty: {default}."));
        }
        properties.insert(
            field.key.clone(),
            json!({
                "type": "string",
                "description": description,
                "pattern": field_pattern(field, !must),
                "writeOnly": field.secret,
            }),
        );
    }
    json!({
        "type": "object",
        "description": format!("The values of the {}; surrounding whitespace is trimmed.", driver.name),
        "properties": properties,
        "required": required,
        "additionalProperties": false,
    })
}

fn name_schema() -> Value {
    json!({
        "type": "string",
        "minLength": 1,
        "description": format!(
            "Trimmed, 1 to {} characters, unique case-insensitively (a taken name is a 422); \
             no control or invisible format characters, so a name of only spaces is refused.",
            connections_api::NAME_MAX_CHARS
        ),
        "pattern": name_pattern(),
    })
}

/// One schema per driver, or `oneOf` them when the server offers several.
fn per_driver(drivers: &[Driver], one: impl Fn(&Driver) -> Value) -> Value {
    match drivers {
        [only] => one(only),
        many => json!({ "oneOf": many.iter().map(one).collect::<Vec<_>>() }),
    }
}

/// Body of `POST /api/connections`.
pub fn connection_input(drivers: &[Driver]) -> Value {
    connection_body(drivers, Use::Complete)
}

/// Body of `PUT /api/connections/{id}`.
pub fn connection_update(drivers: &[Driver]) -> Value {
    connection_body(drivers, Use::SecretsKept)
}

fn connection_body(drivers: &[Driver], usage: Use) -> Value {
    per_driver(drivers, |d| {
        let fields = fields_schema(d, usage);
        // `fields` may be left out only when none of them must be given.
        let mut required = vec!["name", "driver"];
        if fields["required"].as_array().is_some_and(|r| !r.is_empty()) {
            required.push("fields");
        }
        json!({
            "type": "object",
            "properties": {
                "name": name_schema(),
                "driver": { "type": "string", "enum": [d.id], "description": d.name },
                "fields": fields,
            },
            "required": required,
            "additionalProperties": false,
        })
    })
}

/// Body of `POST /api/verify`: without `connection_id` every required field;
/// with it, a secret may be left out and the stored one is used.
pub fn verify_request(drivers: &[Driver]) -> Value {
    per_driver(drivers, |d| {
        let driver = json!({ "type": "string", "enum": [d.id], "description": d.name });
        json!({
            "oneOf": [
                {
                    "type": "object",
                    "title": "New credentials",
                    "properties": { "driver": driver, "fields": fields_schema(d, Use::Complete) },
                    "required": ["driver", "fields"],
                    "additionalProperties": false,
                },
                {
                    "type": "object",
                    "title": "Changed credentials of a stored connection",
                    "properties": {
                        "driver": driver,
                        "fields": fields_schema(d, Use::SecretsKept),
                        "connection_id": {
                            "type": "integer",
                            "format": "int64",
                            "description": "A stored connection of the same driver and region: its secret stands in for one left out (else 422); an unknown ID is a 404."
                        },
                    },
                    "required": ["driver", "fields", "connection_id"],
                    "additionalProperties": false,
                },
            ]
        })
    })
}

/// Body of `POST /api/connections/{id}/verify`: the empty object.
pub fn verify_stored_request() -> Value {
    json!({
        "type": "object",
        "description": "Always the empty object `{}`.",
        "properties": {},
        "additionalProperties": false,
    })
}
