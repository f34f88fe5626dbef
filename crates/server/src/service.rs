//! The rules of the connections API between the handlers and the store:
//! validate (the same code the app runs), split secrets off, store, then verify
//! and store the status.

use std::collections::BTreeMap;

use connections_api::{
    find_driver, validate_fields, validate_input, Connection, ConnectionInput, Driver, Status,
    VerifyRequest, VerifyResult,
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
fn record(driver: &Driver, input: ConnectionInput) -> Record {
    let mut fields = BTreeMap::new();
    let mut secrets = BTreeMap::new();
    for (key, value) in input.fields {
        let secret = driver.fields.iter().any(|f| f.key == key && f.secret);
        if secret {
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
        ApiError::fields(BTreeMap::from([(
            "driver".to_string(),
            "This driver is not offered by the server. Choose one from the list.".to_string(),
        )]))
    })
}

fn verifier(state: &AppState) -> Verifier<'_> {
    Verifier {
        http: &state.http,
        api_base: state.cloudinary_api_base.as_deref(),
        timeout: state.verify_timeout,
    }
}

pub async fn create(
    state: &AppState,
    input: ConnectionInput,
    idempotency_key: Option<&str>,
) -> Result<CreateOutcome, ApiError> {
    let valid = validate_input(&input, &state.drivers, &[]).map_err(ApiError::fields)?;
    let driver = driver(state, &valid.driver)?;
    let fingerprint = idempotency_key.map(|_| {
        let canonical = serde_json::to_vec(&valid).unwrap_or_default();
        state.store.cipher().fingerprint(&canonical)
    });
    let idempotency = idempotency_key.zip(fingerprint.as_deref());
    let created = state
        .store
        .create(&record(driver, valid), idempotency)
        .await?;
    if created.replayed {
        return Ok(CreateOutcome {
            connection: created.row.to_connection(),
            replayed: true,
        });
    }
    let connection = verify_row(state, created.row).await?;
    Ok(CreateOutcome {
        connection,
        replayed: false,
    })
}

pub async fn get(state: &AppState, id: i64) -> Result<Connection, ApiError> {
    Ok(found(state.store.get(id).await?)?.to_connection())
}

/// Replaces a connection when `precondition` matches its current version
/// (RFC 9110: `404`, then `412`, then the content's `422`).
pub async fn update(
    state: &AppState,
    id: i64,
    precondition: &IfMatch,
    input: ConnectionInput,
) -> Result<Connection, ApiError> {
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
    let valid = validate_input(&input, &state.drivers, &stored).map_err(ApiError::fields)?;
    let driver = driver(state, &valid.driver)?;
    let keep: Vec<String> = driver
        .fields
        .iter()
        .filter(|f| f.secret && !valid.fields.contains_key(&f.key) && stored.contains(&f.key))
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
    let row = state.store.update(id, version, &record, &keep).await?;
    verify_row(state, row).await
}

pub async fn delete(state: &AppState, id: i64) -> Result<(), ApiError> {
    if state.store.delete(id).await? {
        Ok(())
    } else {
        Err(StoreError::NotFound.into())
    }
}

/// Verifies a stored connection now and stores the status.
pub async fn verify_stored(state: &AppState, id: i64) -> Result<Connection, ApiError> {
    let row = found(state.store.get(id).await?)?;
    verify_row(state, row).await
}

/// Verifies a stored row's credentials, stores the status (unless the row changed
/// meanwhile) and returns the connection as stored now.
async fn verify_row(state: &AppState, row: Row) -> Result<Connection, ApiError> {
    let secrets = state.store.secrets(&row).map_err(StoreError::Decrypt)?;
    let result = verifier(state)
        .verify(&row.driver, &row.field_values(), &secrets)
        .await;
    let status = Status {
        state: result.state,
        message: result.message,
        checked_at: Some(now_rfc3339()),
        field: result.field,
    };
    state.store.set_status(row.id, row.version, &status).await?;
    Ok(found(state.store.get(row.id).await?)?.to_connection())
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
    let values =
        validate_fields(driver, &request.fields, &stored_keys).map_err(ApiError::fields)?;
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
