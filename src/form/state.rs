//! The Connection view's state in plain types: what the user typed, what was
//! loaded, what changed, what is sent, and where each error is shown.
//!
//! No Leptos here: the view keeps one [`FormState`] in a signal, and every rule
//! is unit tested natively. Validation is `connections_api`'s, the same code the
//! server runs.

use std::collections::hash_map::DefaultHasher;
use std::collections::{BTreeMap, BTreeSet};
use std::hash::{Hash, Hasher};

use connections_api::{
    check_field, check_input, check_name, find_driver, parse_env_var, Connection, ConnectionInput,
    Driver, EnvVarError, Field, Problem, ProblemDetail, State, VerifyRequest, API_KEY, API_SECRET,
    CLOUD_NAME, REGION,
};

use crate::i18n::{self as msg, Locale, Msg};
use crate::inserted::Inserted;

/// A place in the form an error can be shown at.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum FieldKey {
    Name,
    Driver,
    /// A credential field the driver declares, by its key.
    Field(String),
    /// The API environment variable (never stored).
    EnvVar,
}

impl FieldKey {
    /// The key of a server error (`name`, `driver`, `fields.<key>`); `None` for others.
    pub fn from_server(key: &str) -> Option<FieldKey> {
        match key {
            "name" => Some(FieldKey::Name),
            "driver" => Some(FieldKey::Driver),
            _ => key
                .strip_prefix("fields.")
                .filter(|k| !k.is_empty())
                .map(|k| FieldKey::Field(k.to_string())),
        }
    }

    /// The `id` of the control in the DOM.
    pub fn dom_id(&self) -> String {
        match self {
            FieldKey::Name => "cc-name".into(),
            FieldKey::Driver => "cc-driver".into(),
            FieldKey::Field(k) => format!("cc-field-{k}"),
            FieldKey::EnvVar => "cc-env-var".into(),
        }
    }
}

/// Errors shown at fields.
pub type Errors = BTreeMap<FieldKey, ErrorText>;

/// An error at a field, rendered in the locale shown when it is drawn.
#[derive(Debug, Clone, PartialEq)]
pub enum ErrorText {
    /// A text as it came (the server's English message).
    Text(String),
    /// A fixed text of the catalogue.
    Msg(Msg),
    /// A validation problem (a code) at the server key `name`, `driver` or `fields.<key>`
    /// of driver `driver`; `label` is the driver's label of the field (the fallback).
    Problem {
        problem: Problem,
        driver: String,
        key: Option<String>,
        label: String,
        /// The server's English message, shown as it is in English.
        english: Option<String>,
    },
    /// What is wrong with a pasted API environment variable.
    EnvVar(EnvVarError),
    /// A verification problem at the field `key` labelled `label`.
    Verify {
        state: State,
        key: String,
        label: String,
    },
}

impl ErrorText {
    /// The text in `l`.
    pub fn render(&self, l: Locale) -> String {
        match self {
            ErrorText::Text(t) => t.clone(),
            ErrorText::Msg(m) => m.text(l).into(),
            ErrorText::Verify { state, key, label } => {
                msg::verify_field_problem(l, *state, key, label)
            }
            ErrorText::Problem {
                english: Some(e), ..
            } if l == Locale::En => e.clone(),
            ErrorText::Problem {
                problem,
                driver,
                key,
                label,
                ..
            } => {
                let label = key.as_ref().map(|k| msg::field_label(l, driver, k, label));
                msg::problem(l, problem, label.as_deref())
            }
            ErrorText::EnvVar(e) => msg::env_var_error(l, e),
        }
    }

    /// `problem` at the server key `server_key`, with labels from `driver`.
    pub fn problem(server_key: &str, problem: Problem, driver: Option<&Driver>) -> ErrorText {
        let key = server_key.strip_prefix("fields.").map(str::to_string);
        let label = key
            .as_ref()
            .and_then(|k| driver?.fields.iter().find(|f| &f.key == k))
            .map(|f| f.label.clone())
            .or_else(|| key.clone())
            .unwrap_or_default();
        ErrorText::Problem {
            problem,
            driver: driver.map(|d| d.id.clone()).unwrap_or_default(),
            key,
            label,
            english: None,
        }
    }
}

impl From<&str> for ErrorText {
    fn from(t: &str) -> Self {
        ErrorText::Text(t.into())
    }
}

impl From<String> for ErrorText {
    fn from(t: String) -> Self {
        ErrorText::Text(t)
    }
}

impl PartialEq<&str> for ErrorText {
    fn eq(&self, other: &&str) -> bool {
        self.render(Locale::En) == *other
    }
}

/// What is being edited.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Mode {
    /// A new connection (Add, or Duplicate with a prefilled draft).
    Create,
    /// A stored connection.
    Edit {
        id: i64,
        version: i64,
        /// The stored name (the title names the connection as stored).
        name: String,
        created_at: String,
    },
}

/// The values the dirty check compares against.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
struct Snapshot {
    name: String,
    driver: String,
    values: BTreeMap<String, String>,
}

/// Everything the user can change, plus what was loaded.
#[derive(Clone, PartialEq, Eq)]
pub struct FormState {
    pub mode: Mode,
    pub name: String,
    /// The chosen driver's id; empty while none is chosen.
    pub driver: String,
    /// Field values by key, for every driver chosen so far (changing the driver
    /// keeps the values of fields with the same key). Secrets included while typed.
    pub values: BTreeMap<String, String>,
    /// The API environment variable as typed (not stored, not sent).
    pub env_var: String,
    /// Secret keys the server holds a value for (edit).
    pub stored_secrets: Vec<String>,
    initial: Snapshot,
}

impl std::fmt::Debug for FormState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Values may hold a secret: only their keys are printed.
        f.debug_struct("FormState")
            .field("mode", &self.mode)
            .field("name", &self.name)
            .field("driver", &self.driver)
            .field("keys", &self.values.keys().collect::<Vec<_>>())
            .finish_non_exhaustive()
    }
}

impl FormState {
    /// An empty form for a new connection: no driver chosen.
    pub fn create() -> Self {
        let mut s = FormState {
            mode: Mode::Create,
            name: String::new(),
            driver: String::new(),
            values: BTreeMap::new(),
            env_var: String::new(),
            stored_secrets: Vec::new(),
            initial: Snapshot::default(),
        };
        s.initial = s.snapshot();
        s
    }

    /// A new draft copied from `source` (the list's Duplicate): name "<name> (copy)",
    /// the same driver and every non-secret field; secrets empty.
    pub fn duplicate(source: &Connection, drivers: &[Driver], locale: Locale) -> Self {
        let mut s = FormState::create();
        s.name = msg::copy_name(locale, &source.name);
        s.driver = source.driver.clone();
        s.values = non_secret_values(source, drivers);
        s.fill_defaults(drivers);
        s.initial = s.snapshot();
        s
    }

    /// The form for editing `conn`: its values, secrets empty (kept unless typed).
    pub fn edit(conn: &Connection, drivers: &[Driver]) -> Self {
        let mut s = FormState {
            mode: Mode::Edit {
                id: conn.id,
                version: conn.version,
                name: conn.name.clone(),
                created_at: conn.created_at.clone(),
            },
            name: conn.name.clone(),
            driver: conn.driver.clone(),
            values: non_secret_values(conn, drivers),
            env_var: String::new(),
            stored_secrets: conn.secrets_set.clone(),
            initial: Snapshot::default(),
        };
        s.fill_defaults(drivers);
        s.initial = s.snapshot();
        s
    }

    pub fn is_edit(&self) -> bool {
        matches!(self.mode, Mode::Edit { .. })
    }

    /// The id of the stored connection (edit).
    pub fn id(&self) -> Option<i64> {
        match self.mode {
            Mode::Edit { id, .. } => Some(id),
            Mode::Create => None,
        }
    }

    fn snapshot(&self) -> Snapshot {
        Snapshot {
            name: self.name.clone(),
            driver: self.driver.clone(),
            values: self
                .values
                .iter()
                .filter(|(_, v)| !v.is_empty())
                .map(|(k, v)| (k.clone(), v.clone()))
                .into_map(),
        }
    }

    /// Whether anything differs from what the form opened with (Back asks first).
    pub fn is_dirty(&self) -> bool {
        !self.env_var.is_empty() || self.snapshot() != self.initial
    }

    /// The value of field `key` ("" when none).
    pub fn value(&self, key: &str) -> String {
        self.values.get(key).cloned().unwrap_or_default()
    }

    pub fn set_value(&mut self, key: &str, value: String) {
        self.values.insert(key.to_string(), value);
    }

    /// Chooses a driver; values of fields with the same key are kept, empty
    /// fields with a default get it.
    pub fn set_driver(&mut self, driver: &str, drivers: &[Driver]) {
        self.driver = driver.to_string();
        self.fill_defaults(drivers);
    }

    fn fill_defaults(&mut self, drivers: &[Driver]) {
        let Some(driver) = find_driver(drivers, &self.driver) else {
            return;
        };
        for f in &driver.fields {
            if let Some(d) = &f.default {
                let v = self.values.entry(f.key.clone()).or_default();
                if v.is_empty() {
                    *v = d.clone();
                }
            }
        }
    }

    /// The chosen driver, if it is offered.
    pub fn current_driver<'a>(&self, drivers: &'a [Driver]) -> Option<&'a Driver> {
        find_driver(drivers, &self.driver)
    }

    /// Whether a stored secret is kept when `field` is left empty.
    pub fn keeps_secret(&self, field: &Field) -> bool {
        field.secret && self.stored_secrets.contains(&field.key)
    }

    /// The body of create or update: the chosen driver's fields only; a secret
    /// only if the user typed one (an empty secret keeps the stored one on edit).
    pub fn to_input(&self, drivers: &[Driver]) -> ConnectionInput {
        let mut fields = BTreeMap::new();
        if let Some(driver) = self.current_driver(drivers) {
            for f in &driver.fields {
                let v = self.value(&f.key);
                if f.secret && v.trim().is_empty() {
                    continue;
                }
                fields.insert(f.key.clone(), v);
            }
        }
        ConnectionInput {
            name: self.name.clone(),
            driver: self.driver.clone(),
            fields,
        }
    }

    /// The body of `POST /api/verify` for the form's current values.
    pub fn to_verify_request(&self, drivers: &[Driver]) -> VerifyRequest {
        VerifyRequest {
            driver: self.driver.clone(),
            fields: self.to_input(drivers).fields,
            connection_id: self.id(),
        }
    }

    /// Every error, by the same rules as the server.
    pub fn validate(&self, drivers: &[Driver]) -> Errors {
        match check_input(&self.to_input(drivers), drivers, &self.stored_secrets) {
            Ok(_) => Errors::new(),
            Err(problems) => {
                let driver = self.current_driver(drivers);
                problems
                    .into_iter()
                    .filter_map(|(k, p)| {
                        let key = FieldKey::from_server(&k)?;
                        Some((key, ErrorText::problem(&k, p, driver)))
                    })
                    .into_map()
            }
        }
    }

    /// Errors of the credential fields only (Test connection needs no name).
    pub fn validate_credentials(&self, drivers: &[Driver]) -> Errors {
        self.validate(drivers)
            .into_iter()
            .filter(|(k, _)| matches!(k, FieldKey::Driver | FieldKey::Field(_)))
            .into_map()
    }

    /// The error of one field, as checked when the user leaves it.
    pub fn validate_one(&self, key: &FieldKey, drivers: &[Driver]) -> Option<ErrorText> {
        match key {
            FieldKey::Name => check_name(&self.name)
                .err()
                .map(|p| ErrorText::problem("name", p, None)),
            FieldKey::Driver => {
                if self.driver.is_empty() {
                    Some(ErrorText::Msg(Msg::ChooseDriverError))
                } else {
                    None
                }
            }
            FieldKey::Field(k) => {
                let driver = self.current_driver(drivers)?;
                let field = driver.fields.iter().find(|f| &f.key == k)?;
                check_field(field, &self.value(k), self.keeps_secret(field))
                    .err()
                    .map(|p| ErrorText::problem(&format!("fields.{k}"), p, Some(driver)))
            }
            FieldKey::EnvVar => None,
        }
    }

    /// Fills the credential fields from a pasted API environment variable.
    /// A malformed value changes nothing. Returns the keys that were filled, and whether the
    /// value had delivery settings that were left out.
    pub fn apply_env_var(
        &mut self,
        text: &str,
        drivers: &[Driver],
    ) -> Result<(Vec<String>, bool), EnvVarError> {
        let creds = parse_env_var(text)?;
        let declared: BTreeSet<String> = self
            .current_driver(drivers)
            .map(|d| d.fields.iter().map(|f| f.key.clone()).into_set())
            .unwrap_or_default();
        let mut filled = Vec::new();
        for (key, value) in [
            (CLOUD_NAME, creds.cloud_name.clone()),
            (API_KEY, creds.api_key.clone()),
            (API_SECRET, creds.api_secret.clone()),
            (REGION, creds.region.as_str().to_string()),
        ] {
            if declared.contains(key) {
                self.values.insert(key.to_string(), value);
                filled.push(key.to_string());
            }
        }
        self.env_var.clear();
        Ok((filled, !creds.ignored.is_empty()))
    }

    /// Removes every secret the user typed (after Save or Back).
    pub fn clear_secrets(&mut self, drivers: &[Driver]) {
        let secret_keys: Vec<String> = drivers
            .iter()
            .flat_map(|d| d.secret_fields().map(|f| f.key.clone()))
            .chain(std::iter::once(API_SECRET.to_string()))
            .collect();
        for k in secret_keys {
            self.values.remove(&k);
        }
        self.env_var.clear();
    }

    /// Whether any secret value is held.
    pub fn holds_secret(&self, drivers: &[Driver]) -> bool {
        !self.env_var.is_empty()
            || drivers
                .iter()
                .flat_map(Driver::secret_fields)
                .any(|f| !self.value(&f.key).is_empty())
    }
}

fn non_secret_values(conn: &Connection, drivers: &[Driver]) -> BTreeMap<String, String> {
    let secret = |k: &str| find_driver(drivers, &conn.driver).is_some_and(|d| d.is_secret(k));
    conn.fields
        .iter()
        .filter(|(k, _)| !secret(k))
        .map(|(k, v)| (k.clone(), v.clone()))
        .into_map()
}

/// Splits server field errors (`name`, `driver`, `fields.<key>`) into errors at
/// form fields and messages that belong to no field.
///
/// A message whose code (`details`) this version knows is shown in the user's language,
/// with labels from `driver`; any other keeps the server's English text.
pub fn map_server_errors(
    fields: &BTreeMap<String, String>,
    details: &BTreeMap<String, ProblemDetail>,
    driver: Option<&Driver>,
) -> (Errors, Vec<String>) {
    let mut at_fields = Errors::new();
    let mut other = Vec::new();
    for (k, v) in fields {
        match FieldKey::from_server(k) {
            Some(key) => {
                let text = match details.get(k).and_then(Problem::from_detail) {
                    Some(p) => match ErrorText::problem(k, p, driver) {
                        ErrorText::Problem {
                            problem,
                            driver,
                            key,
                            label,
                            ..
                        } => ErrorText::Problem {
                            problem,
                            driver,
                            key,
                            label,
                            english: Some(v.clone()),
                        },
                        other => other,
                    },
                    None => ErrorText::Text(v.clone()),
                };
                at_fields.insert(key, text);
            }
            None => other.push(v.clone()),
        }
    }
    (at_fields, other)
}

/// The field that gets focus: the first invalid one in the order of the form.
pub fn first_invalid(errors: &Errors, driver: Option<&Driver>) -> Option<FieldKey> {
    let mut order = vec![FieldKey::Name, FieldKey::Driver, FieldKey::EnvVar];
    if let Some(d) = driver {
        order.extend(d.fields.iter().map(|f| FieldKey::Field(f.key.clone())));
    }
    order
        .into_iter()
        .find(|k| errors.contains_key(k))
        .or_else(|| errors.keys().next().cloned())
}

/// Where a verification problem is shown: the field the server names, with a
/// message about that field. `None` when the result is fine or names no field.
pub fn verify_problem(
    state: State,
    field: Option<&str>,
    driver: Option<&Driver>,
) -> Option<(FieldKey, ErrorText)> {
    if state == State::Ok {
        return None;
    }
    let key = field?;
    let label = driver
        .and_then(|d| d.fields.iter().find(|f| f.key == key))
        .map(|f| f.label.clone())?;
    Some((
        FieldKey::Field(key.to_string()),
        ErrorText::Verify {
            state,
            key: key.to_string(),
            label,
        },
    ))
}

/// Idempotency keys of create: one per submission of a given draft, reused when
/// the same draft is sent again after an answer that leaves the outcome unknown.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Idempotency {
    /// Fingerprint of the draft last sent and its key.
    pending: Option<(u64, String)>,
}

impl Idempotency {
    /// The key for sending `input`: the last one if the draft is unchanged, else `fresh()`.
    pub fn key_for(&mut self, input: &ConnectionInput, fresh: impl FnOnce() -> String) -> String {
        let fp = fingerprint(input);
        match &self.pending {
            Some((f, k)) if *f == fp => k.clone(),
            _ => {
                let k = fresh();
                self.pending = Some((fp, k.clone()));
                k
            }
        }
    }

    /// The answer was definite (created, or refused): the next submission gets a new key.
    pub fn settle(&mut self) {
        self.pending = None;
    }
}

fn fingerprint(input: &ConnectionInput) -> u64 {
    let mut h = DefaultHasher::new();
    (&input.name, &input.driver, &input.fields).hash(&mut h);
    h.finish()
}

#[cfg(test)]
mod tests {
    use super::*;
    use connections_api::{drivers, Choice, Format, Status, DEFAULT_DRIVER_ID};

    fn stored() -> Connection {
        Connection {
            id: 17,
            name: "Shop EU".into(),
            driver: DEFAULT_DRIVER_ID.into(),
            fields: [
                ("cloud_name", "demo"),
                ("api_key", "123456789012345"),
                ("region", "eu"),
            ]
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect(),
            secrets_set: vec!["api_secret".into()],
            status: Status::default(),
            created_at: "2026-11-22T10:00:00Z".into(),
            updated_at: "2026-11-22T10:00:00Z".into(),
            version: 3,
        }
    }

    /// A second driver with a field of the same key and one of its own.
    fn other_driver() -> Driver {
        let d = connections_api::default_driver();
        Driver {
            id: "other".into(),
            name: "Other driver".into(),
            fields: vec![
                d.fields[0].clone(),
                Field {
                    key: "token".into(),
                    label: "Token".into(),
                    secret: true,
                    required: true,
                    max_length: None,
                    help: None,
                    choices: None::<Vec<Choice>>,
                    default: None,
                    format: Format::Text,
                },
            ],
        }
    }

    #[test]
    fn create_starts_clean_without_driver() {
        let s = FormState::create();
        assert!(!s.is_dirty());
        assert_eq!(s.driver, "");
        assert_eq!(s.id(), None);
    }

    #[test]
    fn choosing_a_driver_fills_defaults_and_is_a_change() {
        let mut s = FormState::create();
        s.set_driver(DEFAULT_DRIVER_ID, &drivers());
        assert_eq!(s.value("region"), "us");
        assert!(s.is_dirty());
    }

    #[test]
    fn dirty_tracking_on_edit() {
        let ds = drivers();
        let mut s = FormState::edit(&stored(), &ds);
        assert!(!s.is_dirty(), "opened unchanged");
        s.name.push('x');
        assert!(s.is_dirty());
        s.name.pop();
        assert!(!s.is_dirty(), "typing and undoing is no change");
        s.set_value("api_secret", "new".into());
        assert!(s.is_dirty(), "a typed secret is a change");
        s.set_value("api_secret", String::new());
        assert!(!s.is_dirty());
        s.env_var = "cloudinary://".into();
        assert!(
            s.is_dirty(),
            "text in the environment variable field is a change"
        );
    }

    #[test]
    fn edit_sends_secret_only_when_typed() {
        let ds = drivers();
        let mut s = FormState::edit(&stored(), &ds);
        let input = s.to_input(&ds);
        assert_eq!(input.name, "Shop EU");
        assert_eq!(input.fields["cloud_name"], "demo");
        assert_eq!(input.fields["region"], "eu");
        assert!(
            !input.fields.contains_key("api_secret"),
            "untouched secret is not sent"
        );
        assert!(s.validate(&ds).is_empty(), "stored secret may stay empty");

        s.set_value("api_secret", "   ".into());
        assert!(!s.to_input(&ds).fields.contains_key("api_secret"));
        s.set_value("api_secret", "n3w_Secret".into());
        assert_eq!(s.to_input(&ds).fields["api_secret"], "n3w_Secret");
    }

    #[test]
    fn create_requires_the_secret() {
        let ds = drivers();
        let mut s = FormState::create();
        s.name = "Shop".into();
        s.set_driver(DEFAULT_DRIVER_ID, &ds);
        s.set_value("cloud_name", "demo".into());
        s.set_value("api_key", "1234".into());
        let errs = s.validate(&ds);
        assert_eq!(
            errs.keys().collect::<Vec<_>>(),
            [&FieldKey::Field("api_secret".into())]
        );
        s.set_value("api_secret", "abc".into());
        assert!(s.validate(&ds).is_empty());
    }

    #[test]
    fn only_the_chosen_drivers_fields_are_sent_and_same_keys_are_kept() {
        let ds = vec![connections_api::default_driver(), other_driver()];
        let mut s = FormState::create();
        s.set_driver(DEFAULT_DRIVER_ID, &ds);
        s.set_value("cloud_name", "demo".into());
        s.set_value("api_key", "1234".into());
        s.set_driver("other", &ds);
        let input = s.to_input(&ds);
        assert_eq!(
            input.fields.get("cloud_name").map(String::as_str),
            Some("demo")
        );
        assert!(
            !input.fields.contains_key("api_key"),
            "not declared by other"
        );
        s.set_driver(DEFAULT_DRIVER_ID, &ds);
        assert_eq!(s.value("api_key"), "1234", "kept while hidden");
    }

    #[test]
    fn duplicate_copies_non_secret_fields_and_names_the_copy() {
        let ds = drivers();
        let mut src = stored();
        // Even if a server sent a secret value, the copy must not take it.
        src.fields.insert("api_secret".into(), "leak".into());
        let s = FormState::duplicate(&src, &ds, Locale::En);
        assert_eq!(s.mode, Mode::Create);
        assert_eq!(s.name, "Shop EU (copy)");
        assert_eq!(s.driver, DEFAULT_DRIVER_ID);
        assert_eq!(s.value("cloud_name"), "demo");
        assert_eq!(s.value("region"), "eu");
        assert_eq!(s.value("api_secret"), "");
        assert!(s.stored_secrets.is_empty());
        assert!(!s.is_dirty());
        assert_eq!(
            s.validate(&ds).keys().collect::<Vec<_>>(),
            [&FieldKey::Field("api_secret".into())],
            "the secret is required on the copy"
        );
    }

    #[test]
    fn maps_server_errors_to_fields() {
        let fields: BTreeMap<String, String> = [
            ("name", "A connection named \"Shop\" already exists."),
            ("driver", "unknown"),
            ("fields.api_key", "digits"),
            ("fields.", "odd"),
            ("something", "else"),
        ]
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
        let (at, other) = map_server_errors(&fields, &BTreeMap::new(), None);
        let details: BTreeMap<String, ProblemDetail> =
            [("name".to_string(), Problem::Taken.detail())].into();
        let (coded, _) = map_server_errors(&fields, &details, None);
        assert_eq!(
            coded[&FieldKey::Name].render(Locale::En),
            "A connection named \"Shop\" already exists.",
            "English: the server's own words"
        );
        assert_eq!(
            coded[&FieldKey::Name].render(Locale::De),
            "Es gibt bereits eine Verbindung mit diesem Namen."
        );
        assert_eq!(
            at[&FieldKey::Name],
            "A connection named \"Shop\" already exists."
        );
        assert_eq!(at[&FieldKey::Driver], "unknown");
        assert_eq!(at[&FieldKey::Field("api_key".into())], "digits");
        assert_eq!(at.len(), 3);
        assert_eq!(other, ["odd", "else"]);
    }

    #[test]
    fn first_invalid_follows_the_form_order() {
        let ds = drivers();
        let d = ds.first();
        let mut errs = Errors::new();
        errs.insert(FieldKey::Field("region".into()), "x".into());
        errs.insert(FieldKey::Field("api_key".into()), "x".into());
        assert_eq!(
            first_invalid(&errs, d),
            Some(FieldKey::Field("api_key".into()))
        );
        errs.insert(FieldKey::Name, "x".into());
        assert_eq!(first_invalid(&errs, d), Some(FieldKey::Name));
        assert_eq!(first_invalid(&Errors::new(), d), None);
    }

    #[test]
    fn validate_one_matches_the_server_rules() {
        let ds = drivers();
        let mut s = FormState::create();
        assert!(s.validate_one(&FieldKey::Name, &ds).is_some());
        assert!(s.validate_one(&FieldKey::Driver, &ds).is_some());
        s.set_driver(DEFAULT_DRIVER_ID, &ds);
        s.set_value("cloud_name", "1demo".into());
        let e = s
            .validate_one(&FieldKey::Field("cloud_name".into()), &ds)
            .expect("invalid");
        let (en, de) = (e.render(Locale::En), e.render(Locale::De));
        assert!(en.contains("starts with a letter"), "{en}");
        assert_eq!(de, "Das Feld „Cloud-Name“ beginnt mit einem Buchstaben.");
        s.set_value("cloud_name", "demo".into());
        assert_eq!(
            s.validate_one(&FieldKey::Field("cloud_name".into()), &ds),
            None
        );
    }

    #[test]
    fn env_var_fills_fields_or_changes_nothing() {
        let ds = drivers();
        let mut s = FormState::create();
        s.set_driver(DEFAULT_DRIVER_ID, &ds);
        s.set_value("cloud_name", "before".into());
        let before = s.clone();
        s.env_var = "cloudinary://123:@x".into();
        let err = s
            .apply_env_var("cloudinary://123:@x", &ds)
            .expect_err("no secret");
        assert_eq!(err, EnvVarError::MissingSecret);
        assert_eq!(s.values, before.values, "nothing changed");

        let (filled, ignoring) = s
            .apply_env_var(
                " CLOUDINARY_URL=\"cloudinary://123456:s3cr_et@my-cloud?upload_prefix=https://api-eu.cloudinary.com\" ",
                &ds,
            )
            .expect("valid");
        assert_eq!(filled, ["cloud_name", "api_key", "api_secret", "region"]);
        assert!(!ignoring);
        assert_eq!(s.value("cloud_name"), "my-cloud");
        assert_eq!(s.value("api_key"), "123456");
        assert_eq!(s.value("api_secret"), "s3cr_et");
        assert_eq!(s.value("region"), "eu");
        assert_eq!(
            s.env_var, "",
            "the pasted text (with its secret) is not kept"
        );

        // What the SDKs accept: delivery settings are left out, the cloud name stays its own.
        let (_, ignoring) = s
            .apply_env_var(
                "cloudinary://1:s@other-cloud/media.example.com?secure=true",
                &ds,
            )
            .expect("valid");
        assert!(ignoring);
        assert_eq!(s.value("cloud_name"), "other-cloud");
    }

    #[test]
    fn clear_secrets_leaves_no_secret() {
        let ds = drivers();
        let mut s = FormState::create();
        s.set_driver(DEFAULT_DRIVER_ID, &ds);
        s.set_value("api_secret", "abc".into());
        s.env_var = "cloudinary://1:abc@x".into();
        assert!(s.holds_secret(&ds));
        s.clear_secrets(&ds);
        assert!(!s.holds_secret(&ds));
        assert!(!format!("{s:?}").contains("abc"));
    }

    #[test]
    fn debug_never_prints_values() {
        let mut s = FormState::create();
        s.set_value("api_secret", "topsecret".into());
        assert!(!format!("{s:?}").contains("topsecret"));
    }

    #[test]
    fn verify_request_uses_the_stored_secret_on_edit() {
        let ds = drivers();
        let s = FormState::edit(&stored(), &ds);
        let r = s.to_verify_request(&ds);
        assert_eq!(r.connection_id, Some(17));
        assert!(!r.fields.contains_key("api_secret"));
        assert_eq!(
            FormState::create().to_verify_request(&ds).connection_id,
            None
        );
    }

    #[test]
    fn verification_problems_point_at_their_field() {
        let ds = drivers();
        let d = ds.first();
        let (k, m) = verify_problem(State::InvalidCredentials, Some("cloud_name"), d)
            .expect("points at cloud name");
        assert_eq!(k, FieldKey::Field("cloud_name".into()));
        let m = m.render(Locale::En);
        assert!(m.contains("Cloud-Name"), "{m}");
        let (k, _) =
            verify_problem(State::InvalidCredentials, Some("api_key"), d).expect("api key");
        assert_eq!(k, FieldKey::Field("api_key".into()));
        assert_eq!(verify_problem(State::Ok, Some("api_key"), d), None);
        assert_eq!(verify_problem(State::Unreachable, None, d), None);
        assert_eq!(
            verify_problem(State::InvalidCredentials, Some("nope"), d),
            None
        );
    }

    #[test]
    fn idempotency_key_is_reused_only_for_the_same_draft() {
        let mut idem = Idempotency::default();
        let mut n = 0;
        let mut fresh = || {
            n += 1;
            format!("k{n}")
        };
        let a = ConnectionInput {
            name: "a".into(),
            ..Default::default()
        };
        let k1 = idem.key_for(&a, &mut fresh);
        assert_eq!(idem.key_for(&a, &mut fresh), k1, "retry of the same draft");
        let mut b = a.clone();
        b.name = "b".into();
        let k2 = idem.key_for(&b, &mut fresh);
        assert_ne!(k2, k1, "a changed draft is a new submission");
        idem.settle();
        assert_ne!(idem.key_for(&b, &mut fresh), k2, "after a definite answer");
    }

    #[test]
    fn field_keys_have_distinct_dom_ids() {
        let ids: BTreeSet<String> = [
            FieldKey::Name,
            FieldKey::Driver,
            FieldKey::EnvVar,
            FieldKey::Field("api_key".into()),
        ]
        .iter()
        .map(FieldKey::dom_id)
        .collect();
        assert_eq!(ids.len(), 4);
    }
}
