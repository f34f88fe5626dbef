//! Handlers of `/api/*`: thin, each a call into `service` (or the store).

use axum::extract::rejection::PathRejection;
use axum::extract::{DefaultBodyLimit, Path, Query, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::middleware;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use connections_api::{
    Connection, ConnectionInput, Driver, ErrorBody, EventPage, HistoryQuery, ListQuery, Me, Page,
    VerifyRequest, VerifyResult,
};
use serde_json::{json, Value};
use tower_http::set_header::SetResponseHeaderLayer;

use crate::auth::Caller;
use crate::error::ApiError;
use crate::extract::ApiJson;
use crate::{require_token, service, AppState};

/// Largest accepted request body.
pub const BODY_LIMIT: usize = 64 * 1024;
/// Longest accepted `Idempotency-Key`.
pub const IDEMPOTENCY_KEY_MAX: usize = 255;

pub fn router(state: AppState) -> Router {
    let protected = Router::new()
        .route("/drivers", get(drivers))
        .route("/openapi.json", get(crate::openapi::openapi_json))
        .route("/connections", get(list).post(create))
        .route("/connections/{id}", get(get_one).put(update).delete(delete))
        .route("/connections/{id}/verify", post(verify_stored))
        .route("/connections/{id}/history", get(history))
        .route("/me", get(me))
        .route("/verify", post(verify))
        .route("/metrics", get(crate::metrics::endpoint))
        .route_layer(middleware::from_fn_with_state(state.clone(), require_token));
    Router::new()
        .route("/health", get(health))
        .route("/ready", get(crate::ready::ready))
        .merge(protected)
        // After routing, so each request is counted under its route pattern.
        .route_layer(middleware::from_fn_with_state(
            state.clone(),
            crate::metrics::layer,
        ))
        .fallback(not_found)
        .layer(DefaultBodyLimit::max(BODY_LIMIT))
        // API answers are about credentials: never kept by a cache.
        .layer(SetResponseHeaderLayer::overriding(
            header::CACHE_CONTROL,
            HeaderValue::from_static("no-store"),
        ))
        .with_state(state)
}

#[utoipa::path(get, path = "/api/health", tag = "health",
    responses((status = 200, description = "The server is alive: `{\"status\":\"ok\"}`")))]
async fn health() -> Json<Value> {
    Json(json!({"status": "ok"}))
}

async fn not_found() -> impl IntoResponse {
    ApiError::NotFound("There is no such API endpoint.".into())
}

#[utoipa::path(get, path = "/api/drivers", tag = "drivers",
    responses((status = 200, description = "The drivers the server offers", body = [Driver]),
              (status = 401, description = "No valid token", body = ErrorBody)))]
async fn drivers(State(state): State<AppState>) -> Json<Vec<Driver>> {
    Json(state.drivers.as_ref().clone())
}

#[utoipa::path(get, path = "/api/connections", tag = "connections", params(ListQuery),
    responses((status = 200, description = "One page of connections", body = Page),
              (status = 400, description = "Invalid query", body = ErrorBody),
              (status = 401, description = "No valid token", body = ErrorBody)))]
async fn list(
    State(state): State<AppState>,
    query: Result<Query<ListQuery>, axum::extract::rejection::QueryRejection>,
) -> Result<(StatusCode, Json<Page>), ApiError> {
    let Query(query) = query.map_err(|e| {
        ApiError::BadRequest(format!("The list query is not valid: {}", e.body_text()))
    })?;
    if query
        .limit
        .is_some_and(|l| l == 0 || l > connections_api::MAX_LIMIT)
    {
        return Err(ApiError::BadRequest(format!(
            "limit must be between 1 and {}.",
            connections_api::MAX_LIMIT
        )));
    }
    Ok((StatusCode::OK, Json(state.store.list(&query).await?)))
}

#[utoipa::path(post, path = "/api/connections", tag = "connections", request_body = ConnectionInput,
    params(("Idempotency-Key" = Option<String>, Header, description = "The same key again returns the first result and creates nothing")),
    responses((status = 201, description = "Created, stored, then verified; `Location` and `ETag` headers", body = Connection),
              (status = 400, description = "Malformed JSON", body = ErrorBody),
              (status = 413, description = "Body over 64 KiB", body = ErrorBody),
              (status = 422, description = "Invalid values, unknown fields, a taken name or a reused Idempotency-Key", body = ErrorBody)))]
async fn create(
    State(state): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    ApiJson(input): ApiJson<ConnectionInput>,
) -> Result<Response, ApiError> {
    let key = idempotency_key(&headers)?;
    let outcome = service::create(&state, input, key.as_deref(), &caller.actor).await?;
    let location = format!("/api/connections/{}", outcome.connection.id);
    let mut response = with_etag(StatusCode::CREATED, outcome.connection);
    if let Ok(v) = HeaderValue::from_str(&location) {
        response.headers_mut().insert(header::LOCATION, v);
    }
    if outcome.replayed {
        response
            .headers_mut()
            .insert("idempotent-replayed", HeaderValue::from_static("true"));
    }
    Ok(response)
}

#[utoipa::path(get, path = "/api/connections/{id}", tag = "connections",
    params(("id" = i64, Path, description = "Connection ID")),
    responses((status = 200, description = "The connection, with `ETag: \"<version>\"`", body = Connection),
              (status = 404, description = "No such connection", body = ErrorBody)))]
async fn get_one(
    State(state): State<AppState>,
    id: Result<Path<i64>, PathRejection>,
) -> Result<Response, ApiError> {
    let id = path_id(id)?;
    Ok(with_etag(StatusCode::OK, service::get(&state, id).await?))
}

#[utoipa::path(put, path = "/api/connections/{id}", tag = "connections", request_body = ConnectionInput,
    params(("id" = i64, Path, description = "Connection ID"),
           ("If-Match" = String, Header, description = "`\"<version>\"` of the edited connection")),
    responses((status = 200, description = "Replaced, then verified; a secret left out or empty is kept", body = Connection),
              (status = 404, description = "No such connection", body = ErrorBody),
              (status = 409, description = "The version is stale", body = ErrorBody),
              (status = 422, description = "Invalid values", body = ErrorBody),
              (status = 428, description = "If-Match missing", body = ErrorBody)))]
async fn update(
    State(state): State<AppState>,
    caller: Caller,
    id: Result<Path<i64>, PathRejection>,
    headers: HeaderMap,
    ApiJson(input): ApiJson<ConnectionInput>,
) -> Result<Response, ApiError> {
    let id = path_id(id)?;
    let version = if_match(&headers)?;
    let connection = service::update(&state, id, version, input, &caller.actor).await?;
    Ok(with_etag(StatusCode::OK, connection))
}

#[utoipa::path(delete, path = "/api/connections/{id}", tag = "connections",
    params(("id" = i64, Path, description = "Connection ID")),
    responses((status = 204, description = "Deleted"),
              (status = 404, description = "No such connection", body = ErrorBody)))]
async fn delete(
    State(state): State<AppState>,
    caller: Caller,
    id: Result<Path<i64>, PathRejection>,
) -> Result<StatusCode, ApiError> {
    service::delete(&state, path_id(id)?, &caller.actor).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(post, path = "/api/connections/{id}/verify", tag = "verification",
    params(("id" = i64, Path, description = "Connection ID")),
    responses((status = 200, description = "Verified now; the status is stored", body = Connection),
              (status = 404, description = "No such connection", body = ErrorBody)))]
async fn verify_stored(
    State(state): State<AppState>,
    caller: Caller,
    id: Result<Path<i64>, PathRejection>,
) -> Result<Response, ApiError> {
    let id = path_id(id)?;
    Ok(with_etag(
        StatusCode::OK,
        service::verify_stored(&state, id, &caller.actor).await?,
    ))
}

#[utoipa::path(get, path = "/api/connections/{id}/history", tag = "connections",
    params(("id" = i64, Path, description = "Connection ID, also of a deleted connection"), HistoryQuery),
    responses((status = 200, description = "The connection's changes, newest first; never a secret value", body = EventPage),
              (status = 400, description = "Invalid query", body = ErrorBody),
              (status = 404, description = "No connection ever had this ID", body = ErrorBody)))]
async fn history(
    State(state): State<AppState>,
    id: Result<Path<i64>, PathRejection>,
    query: Result<Query<HistoryQuery>, axum::extract::rejection::QueryRejection>,
) -> Result<Json<EventPage>, ApiError> {
    let id = path_id(id)?;
    let Query(query) = query.map_err(|e| {
        ApiError::BadRequest(format!("The history query is not valid: {}", e.body_text()))
    })?;
    Ok(Json(
        service::history(&state, id, query.offset, query.limit).await?,
    ))
}

#[utoipa::path(get, path = "/api/me", tag = "auth",
    responses((status = 200, description = "Who the caller is and whether it may change connections", body = Me),
              (status = 401, description = "No valid token", body = ErrorBody)))]
async fn me(caller: Caller) -> Json<Me> {
    Json(caller.me())
}

#[utoipa::path(post, path = "/api/verify", tag = "verification", request_body = VerifyRequest,
    responses((status = 200, description = "Result of verifying unsaved credentials", body = VerifyResult),
              (status = 404, description = "`connection_id` names no connection", body = ErrorBody),
              (status = 422, description = "Invalid values, or a stored secret that would go to another host", body = ErrorBody)))]
async fn verify(
    State(state): State<AppState>,
    ApiJson(request): ApiJson<VerifyRequest>,
) -> Result<Response, ApiError> {
    Ok(Json(service::verify_unsaved(&state, request).await?).into_response())
}

/// A connection with `ETag: "<version>"`.
fn with_etag(status: StatusCode, connection: Connection) -> Response {
    let etag = format!("\"{}\"", connection.version);
    let mut response = (status, Json(connection)).into_response();
    if let Ok(v) = HeaderValue::from_str(&etag) {
        response.headers_mut().insert(header::ETAG, v);
    }
    response
}

/// An id in the path that is not a number is an unknown connection.
fn path_id(id: Result<Path<i64>, PathRejection>) -> Result<i64, ApiError> {
    id.map(|Path(id)| id)
        .map_err(|_| ApiError::NotFound("There is no connection with this ID.".into()))
}

/// The version of `If-Match: "<version>"` (quotes optional, `W/` accepted).
fn if_match(headers: &HeaderMap) -> Result<i64, ApiError> {
    let Some(value) = headers.get(header::IF_MATCH) else {
        return Err(ApiError::PreconditionRequired);
    };
    parse_version(value.to_str().unwrap_or("")).ok_or_else(|| {
        ApiError::BadRequest(
            "If-Match must be the ETag of the version you edited, like \"3\".".into(),
        )
    })
}

/// Parses an entity tag holding a version: `"3"`, `3` or `W/"3"`.
pub fn parse_version(tag: &str) -> Option<i64> {
    let t = tag.trim();
    let t = t.strip_prefix("W/").unwrap_or(t);
    let t = t
        .strip_prefix('"')
        .and_then(|t| t.strip_suffix('"'))
        .unwrap_or(t);
    t.parse::<i64>().ok().filter(|v| *v > 0)
}

/// The `Idempotency-Key` header: 1–255 visible ASCII characters.
fn idempotency_key(headers: &HeaderMap) -> Result<Option<String>, ApiError> {
    let Some(value) = headers.get("idempotency-key") else {
        return Ok(None);
    };
    let key = value.to_str().unwrap_or("").trim();
    if key.is_empty()
        || key.len() > IDEMPOTENCY_KEY_MAX
        || !key.bytes().all(|b| b.is_ascii_graphic())
    {
        return Err(ApiError::BadRequest(format!(
            "Idempotency-Key must be 1 to {IDEMPOTENCY_KEY_MAX} visible ASCII characters, e.g. a UUID."
        )));
    }
    Ok(Some(key.to_string()))
}

#[cfg(test)]
mod tests {
    use super::parse_version;

    #[test]
    fn versions_in_if_match() {
        assert_eq!(parse_version("\"3\""), Some(3));
        assert_eq!(parse_version("3"), Some(3));
        assert_eq!(parse_version(" W/\"12\" "), Some(12));
        assert_eq!(parse_version("*"), None);
        assert_eq!(parse_version("\"abc\""), None);
        assert_eq!(parse_version("\"0\""), None);
    }
}
