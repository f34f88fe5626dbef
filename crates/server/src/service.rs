//! The rules of the connections API between the handlers and the store:
//! validate (the same code the app runs), split secrets off, store, then verify
//! and store the status.

use std::collections::BTreeMap;

use connections_api::{
    check_fields, check_input, find_driver, Actor, Connection, ConnectionInput, Driver, EventPage,
    Problem, Status, VerifyRequest, VerifyResult, MAX_LIMIT,
};
use secrecy::SecretString;

use crate::error::ApiError;
use crate::if_match::IfMatch;
use crate::store::{now_rfc3339, Record, Row, StoreError};
use crate::verify::{target_host, Verifier};
use crate::AppState;

/// A created connection and whether an earlier request with the same
/// Idempotency-Key had created it.
pub struct CreateOutcome {
    pub connection: Connection,
    pub replayed: bool,
}

/// Splits validated input into non-secret values and secrets, as the driver declares.
pub(crate) fn record(driver: &Driver, input: ConnectionInput) -> Record {
    let mut fields = BTreeMap::new();
    let mut secrets = BTreeMap::new();
    for (key, value) in input.fields {
        if driver.is_secret(&key) {
            if !value.is_empty() {
                secrets.insert(key, SecretString::from(value));
            }
        } else {
            fields.insert(key, value);
        }
    }
    Record {
        name: input.name,
        driver: input.driver,
        fields,
        secrets,
    }
}

fn driver<'a>(state: &'a AppState, id: &str) -> Result<&'a Driver, ApiError> {
    find_driver(&state.drivers, id).ok_or_else(|| {
        ApiError::problems(
            &BTreeMap::from([("driver".to_string(), Problem::UnknownDriver)]),
            None,
        )
    })
}

fn verifier(state: &AppState) -> Verifier<'_> {
    Verifier {
        http: &state.http,
        api_base: state.cloudinary_api_base.as_deref(),
        timeout: state.verify_timeout,
    }
}

/// The name in Unicode's composed form (NFC): "Café" is one name however it was typed.
pub(crate) fn composed(mut input: ConnectionInput) -> ConnectionInput {
    use unicode_normalization::UnicodeNormalization;
    input.name = input.name.nfc().collect();
    input
}

pub async fn create(
    state: &AppState,
    input: ConnectionInput,
    idempotency_key: Option<&str>,
    actor: &Actor,
) -> Result<CreateOutcome, ApiError> {
    let input = composed(input);
    let valid = check_input(&input, &state.drivers, &[])
        .map_err(|p| ApiError::problems(&p, find_driver(&state.drivers, &input.driver)))?;
    let driver = driver(state, &valid.driver)?;
    let fingerprint = idempotency_key.map(|_| {
        let canonical = serde_json::to_vec(&valid).unwrap_or_default();
        state.store.cipher().fingerprint(&canonical)
    });
    let idempotency = idempotency_key.zip(fingerprint.as_deref());
    let created = state
        .store
        .create(&record(driver, valid), idempotency, Some(actor))
        .await?;
    if let Some(first) = created.replayed {
        // The first answer as it was; a key stored before answers were kept
        // replays the row as it is now.
        let connection = match serde_json::from_str::<Connection>(&first) {
            Ok(c) => c,
            Err(_) if created.row.version > 0 => created.row.to_connection(),
            Err(_) => return Err(StoreError::NotFound.into()),
        };
        return Ok(CreateOutcome {
            connection,
            replayed: true,
        });
    }
    let connection = verify_row(state, created.row, actor).await?;
    if let Some(key) = idempotency_key {
        state.store.remember_response(key, &connection).await?;
    }
    Ok(CreateOutcome {
        connection,
        replayed: false,
    })
}

pub async fn get(state: &AppState, id: i64) -> Result<Connection, ApiError> {
    // Lets the tests of the real binary make a handler panic (`--features failpoints`).
    fail::fail_point!("service::get");
    Ok(found(state.store.get(id).await?)?.to_connection())
}

/// Replaces a connection when `precondition` matches its current version
/// (RFC 9110: `404`, then `412`, then the content's `422`).
pub async fn update(
    state: &AppState,
    id: i64,
    precondition: &IfMatch,
    input: ConnectionInput,
    actor: &Actor,
) -> Result<Connection, ApiError> {
    let input = composed(input);
    let current = found(state.store.get(id).await?)?;
    if !precondition.matches(current.version) {
        return Err(StoreError::Stale {
            current: current.version,
        }
        .into());
    }
    let version = current.version;
    // Stored secrets may be kept only for the same driver.
    let stored = if current.driver == input.driver {
        current.secret_keys()
    } else {
        Vec::new()
    };
    let valid = check_input(&input, &state.drivers, &stored)
        .map_err(|p| ApiError::problems(&p, find_driver(&state.drivers, &input.driver)))?;
    let driver = driver(state, &valid.driver)?;
    let keep: Vec<String> = driver
        .secret_fields()
        .filter(|f| !valid.fields.contains_key(&f.key) && stored.contains(&f.key))
        .map(|f| f.key.clone())
        .collect();
    let record = record(driver, valid);
    if !keep.is_empty() {
        // A kept secret goes only to the host it was saved for.
        let base = state.cloudinary_api_base.as_deref();
        let saved_for = target_host(&current.driver, &current.field_values(), base);
        if target_host(&record.driver, &record.fields, base) != saved_for {
            return Err(secrets_stay_home(driver, &keep));
        }
    }
    let row = state
        .store
        .update(id, version, &record, &keep, Some(actor))
        .await?;
    verify_row(state, row, actor).await
}

pub async fn delete(state: &AppState, id: i64, actor: &Actor) -> Result<(), ApiError> {
    if state.store.delete(id, Some(actor)).await? {
        Ok(())
    } else {
        Err(StoreError::NotFound.into())
    }
}

/// Verifies a stored connection now and stores the status.
///
/// A request within [`AppState::verify_reuse`] of the last check of the same
/// credentials is answered with that check's result: a page that fires this
/// endpoint in a loop cannot spend the account's Admin API calls.
pub async fn verify_stored(
    state: &AppState,
    id: i64,
    actor: &Actor,
) -> Result<Connection, ApiError> {
    let row = found(state.store.get(id).await?)?;
    if checked_within(row.checked_at.as_deref(), state.verify_reuse) {
        return Ok(row.to_connection());
    }
    verify_row(state, row, actor).await
}

/// Default page size of the history.
pub const HISTORY_LIMIT: u64 = 50;

/// One page of a connection's history, newest first; 404 only when the id
/// never had an event (a deleted connection's history stays readable).
pub async fn history(
    state: &AppState,
    id: i64,
    offset: Option<u64>,
    limit: Option<u64>,
) -> Result<EventPage, ApiError> {
    let limit = limit.unwrap_or(HISTORY_LIMIT);
    if limit == 0 || limit > MAX_LIMIT {
        return Err(ApiError::BadRequest(format!(
            "limit must be between 1 and {MAX_LIMIT}."
        )));
    }
    let offset = offset.unwrap_or(0);
    if i64::try_from(offset).is_err() {
        return Err(ApiError::BadRequest(
            "offset must be at most 9223372036854775807.".into(),
        ));
    }
    let page = state.store.history(id, offset, limit).await?;
    if page.total == 0 {
        return Err(StoreError::NotFound.into());
    }
    Ok(page)
}

/// Whether `checked_at` (RFC 3339) lies less than `window` in the past.
fn checked_within(checked_at: Option<&str>, window: std::time::Duration) -> bool {
    if window.is_zero() {
        return false;
    }
    let Some(at) = checked_at.and_then(|t| {
        time::OffsetDateTime::parse(t, &time::format_description::well_known::Rfc3339).ok()
    }) else {
        return false;
    };
    let age = time::OffsetDateTime::now_utc() - at;
    // Stored times have whole seconds: a check up to a second older still counts.
    age >= -time::Duration::SECOND && age < window + time::Duration::SECOND
}

/// Verifies a stored row's credentials, stores the status (unless the row changed
/// meanwhile) and returns the connection as stored now.
async fn verify_row(state: &AppState, row: Row, actor: &Actor) -> Result<Connection, ApiError> {
    let secrets = state.store.secrets(&row).map_err(StoreError::Decrypt)?;
    let result = verifier(state)
        .verify(&row.driver, &row.field_values(), &secrets)
        .await;
    state.metrics.verified(result.state.as_str());
    let status = Status {
        state: result.state,
        message: result.message,
        checked_at: Some(now_rfc3339()),
        field: result.field,
        retry_at: result.retry_at,
    };
    state
        .store
        .set_status(row.id, row.version, &status, Some(actor), false)
        .await?;
    let mut c = found(state.store.get(row.id).await?)?.to_connection();
    // The store keeps no `retry_at`; the answer to this verification carries it.
    if c.status.checked_at == status.checked_at && c.status.state == status.state {
        c.status.retry_at = status.retry_at;
    }
    Ok(c)
}

/// Verifies unsaved credentials. With `connection_id`, a secret left out is
/// taken from that stored connection, but only for the same driver and the
/// same target host: no request can send a stored secret anywhere else.
pub async fn verify_unsaved(
    state: &AppState,
    request: VerifyRequest,
) -> Result<VerifyResult, ApiError> {
    let driver = driver(state, &request.driver)?;
    let stored = match request.connection_id {
        Some(id) => Some(found(state.store.get(id).await?)?),
        None => None,
    };
    let stored_keys = match &stored {
        Some(row) if row.driver == driver.id => row.secret_keys(),
        _ => Vec::new(),
    };
    let values = check_fields(driver, &request.fields, &stored_keys)
        .map_err(|p| ApiError::problems(&p, Some(driver)))?;
    let mut fields = BTreeMap::new();
    let mut secrets = BTreeMap::new();
    let mut missing_secrets = Vec::new();
    for field in &driver.fields {
        match (values.get(&field.key), field.secret) {
            (Some(v), true) => {
                secrets.insert(field.key.clone(), SecretString::from(v.clone()));
            }
            (Some(v), false) => {
                fields.insert(field.key.clone(), v.clone());
            }
            (None, true) => missing_secrets.push(field.key.clone()),
            (None, false) => {}
        }
    }
    if let (Some(row), false) = (&stored, missing_secrets.is_empty()) {
        let base = state.cloudinary_api_base.as_deref();
        let requested = target_host(&driver.id, &fields, base);
        let saved_for = target_host(&row.driver, &row.field_values(), base);
        if requested.is_none() || requested != saved_for {
            return Err(secrets_stay_home(driver, &missing_secrets));
        }
        let mut stored_secrets = state.store.secrets(row).map_err(StoreError::Decrypt)?;
        for key in missing_secrets {
            if let Some(value) = stored_secrets.remove(&key) {
                secrets.insert(key, value);
            }
        }
    }
    let result = verifier(state).verify(&driver.id, &fields, &secrets).await;
    state.metrics.verified(result.state.as_str());
    Ok(result)
}

/// 422 for secrets that would be sent to another host than they were saved for.
fn secrets_stay_home(driver: &Driver, keys: &[String]) -> ApiError {
    let errors = keys
        .iter()
        .map(|k| {
            let label = driver
                .fields
                .iter()
                .find(|f| &f.key == k)
                .map_or(k.as_str(), |f| f.label.as_str());
            (
                format!("fields.{k}"),
                format!(
                    "Enter the {label} again: the stored one is only sent to the region it was saved for."
                ),
            )
        })
        .collect();
    ApiError::fields(errors)
}

fn found(row: Option<Row>) -> Result<Row, ApiError> {
    row.ok_or_else(|| StoreError::NotFound.into())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    fn ago(secs: i64) -> String {
        crate::store::format_time(time::OffsetDateTime::now_utc() - time::Duration::seconds(secs))
    }

    #[test]
    fn a_recent_check_is_reused_an_old_one_is_not() {
        let w = Duration::from_secs(5);
        assert!(checked_within(Some(&ago(0)), w));
        assert!(checked_within(Some(&ago(4)), w));
        assert!(!checked_within(Some(&ago(30)), w));
        assert!(!checked_within(None, w));
        assert!(!checked_within(Some("garbage"), w));
        assert!(
            !checked_within(Some(&ago(0)), Duration::ZERO),
            "0 turns it off"
        );
        assert!(
            !checked_within(Some(&ago(-3600)), w),
            "a time in the future is not trusted"
        );
    }

    #[test]
    fn names_are_composed() {
        let input = ConnectionInput {
            name: "Cafe\u{301}".into(),
            driver: "d".into(),
            fields: BTreeMap::new(),
        };
        assert_eq!(composed(input).name, "Caf\u{e9}");
    }
}
