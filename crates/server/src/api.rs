//! Handlers of `/api/*`: thin, each a call into `service` (or the store).

use axum::extract::{DefaultBodyLimit, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::middleware;
use axum::response::{IntoResponse, Response};
use axum::routing::{any, get, post};
use axum::{Json, Router};
use connections_api::{
    Connection, ConnectionInput, Driver, ErrorBody, EventPage, HistoryQuery, ListQuery, Me, Page,
    VerifyRequest, VerifyResult, MAX_QUERY_LEN,
};
use serde::Serialize;
use serde_json::{Map, Value};
use tower_http::set_header::SetResponseHeaderLayer;

use crate::auth::Caller;
use crate::error::ApiError;
use crate::extract::ApiJson;
use crate::if_match::IfMatch;
use crate::params::{ApiQuery, ConnectionId, Fresh};
use crate::{require_token, service, AppState};

/// Largest accepted request body.
pub const BODY_LIMIT: usize = 64 * 1024;
/// Longest accepted `Idempotency-Key`.
pub const IDEMPOTENCY_KEY_MAX: usize = 255;

/// The API's routes. `documents` are further routes behind the token (the OpenAPI
/// document, which describes these handlers: it is built from them, so this module
/// does not import it back).
pub fn router(state: AppState, documents: Router<AppState>) -> Router {
    let protected = Router::new()
        .route("/drivers", get(drivers))
        .merge(documents)
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
        // Only for the methods a route has: any other is a 405, whatever its body.
        .route_layer(middleware::from_fn(crate::guard::json_only))
        // `/api` itself is no endpoint either (and not the app's page).
        .route("/", any(not_found))
        .fallback(not_found)
        .method_not_allowed_fallback(method_not_allowed)
        .layer(DefaultBodyLimit::max(BODY_LIMIT))
        // Inside the request's span: a 500's cause is logged with its request id.
        .layer(middleware::from_fn(crate::log_errors::layer))
        // API answers are about credentials: never kept by a cache.
        .layer(SetResponseHeaderLayer::overriding(
            header::CACHE_CONTROL,
            HeaderValue::from_static("no-store"),
        ))
        .with_state(state)
}

/// Body of `GET /api/health`.
#[derive(Serialize, utoipa::ToSchema)]
pub struct Health {
    /// Always `ok`.
    #[schema(pattern = "^ok$")]
    status: &'static str,
}

#[utoipa::path(get, path = "/api/health", tag = "health",
    responses((status = 200, description = "The server is alive", body = Health)))]
async fn health() -> Json<Health> {
    Json(Health { status: "ok" })
}

pub async fn not_found() -> ApiError {
    ApiError::NotFound("There is no such API endpoint.".into())
}

async fn method_not_allowed() -> ApiError {
    ApiError::MethodNotAllowed
}

#[utoipa::path(get, path = "/api/drivers", tag = "drivers",
    responses((status = 200, description = "The drivers the server offers", body = [Driver])))]
async fn drivers(State(state): State<AppState>) -> Json<Vec<Driver>> {
    Json(state.drivers.as_ref().clone())
}

#[utoipa::path(get, path = "/api/connections", tag = "connections",
    params(ListQuery,
           ("Cache-Control" = Option<String>, Header, description = "`no-cache` (or `no-store`, `max-age=0`): read the rows even when the page is kept since the last write; the answer is the same")),
    responses((status = 200, description = "One page of connections", body = Page),
              (status = 400, description = "Invalid query: an unknown sort or order, a limit outside 1–500, an offset over 2^63 − 1, a q over 200 characters, a cursor of another sort or over 1,000 characters, or both after and before", body = ErrorBody)))]
async fn list(
    State(state): State<AppState>,
    Fresh(fresh): Fresh,
    ApiQuery(query): ApiQuery<ListQuery>,
) -> Result<impl IntoResponse, ApiError> {
    if query
        .limit
        .is_some_and(|l| l == 0 || l > connections_api::MAX_LIMIT)
    {
        return Err(ApiError::BadRequest(format!(
            "limit must be between 1 and {}.",
            connections_api::MAX_LIMIT
        )));
    }
    if query.offset.is_some_and(|o| i64::try_from(o).is_err()) {
        return Err(ApiError::BadRequest(format!(
            "offset must be between 0 and {}.",
            i64::MAX
        )));
    }
    if query
        .q
        .as_deref()
        .is_some_and(|q| q.chars().count() > MAX_QUERY_LEN)
    {
        return Err(ApiError::BadRequest(format!(
            "q must be at most {MAX_QUERY_LEN} characters."
        )));
    }
    if let Some(problem) = crate::store::cursor_problem(&query) {
        return Err(ApiError::BadRequest(problem));
    }
    let body = state.store.list_json(&query, fresh).await?;
    Ok((
        StatusCode::OK,
        [(header::CONTENT_TYPE, "application/json")],
        body,
    ))
}

#[utoipa::path(post, path = "/api/connections", tag = "connections", request_body = ConnectionInput,
    params(("Idempotency-Key" = Option<String>, Header, description = "1–255 visible ASCII characters, e.g. a UUID. The same key with the same body again returns the first result and creates nothing; with another body it is a 422")),
    responses((status = 201, description = "Created, stored, then verified", body = Connection,
                headers(("Location" = String, description = "`/api/connections/{id}`"),
                        ("ETag" = String, description = "`\"<version>\"`, for If-Match"))),
              (status = 400, description = "Malformed JSON or Idempotency-Key", body = ErrorBody),
              (status = 404, description = "The connection this Idempotency-Key created has been deleted since", body = ErrorBody),
              (status = 422, description = "Invalid values, unknown fields, a taken name, or an Idempotency-Key used for another body", body = ErrorBody)))]
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
    responses((status = 200, description = "The connection", body = Connection,
                headers(("ETag" = String, description = "`\"<version>\"`, for If-Match"))),
              (status = 404, description = "No such connection", body = ErrorBody)))]
async fn get_one(
    State(state): State<AppState>,
    ConnectionId(id): ConnectionId,
) -> Result<Response, ApiError> {
    Ok(with_etag(StatusCode::OK, service::get(&state, id).await?))
}

#[utoipa::path(put, path = "/api/connections/{id}", tag = "connections", request_body = ConnectionInput,
    params(("id" = i64, Path, description = "Connection ID"),
           ("If-Match" = String, Header, description = "The ETag of the edited version, `\"<version>\"` (RFC 9110): `*` matches any version, a list matches if one of its tags does, a weak tag `W/\"3\"` never matches")),
    responses((status = 200, description = "Replaced, then verified; a secret left out or empty is kept", body = Connection,
                headers(("ETag" = String, description = "`\"<version>\"` of the new version"))),
              (status = 400, description = "Malformed JSON or If-Match", body = ErrorBody),
              (status = 404, description = "No such connection", body = ErrorBody),
              (status = 412, description = "If-Match names no current version: someone else changed the connection (code `conflict`)", body = ErrorBody),
              (status = 422, description = "Invalid values, unknown fields, a taken name, or a kept secret that would go to another region", body = ErrorBody),
              (status = 428, description = "If-Match missing", body = ErrorBody)))]
async fn update(
    State(state): State<AppState>,
    caller: Caller,
    ConnectionId(id): ConnectionId,
    headers: HeaderMap,
    ApiJson(input): ApiJson<ConnectionInput>,
) -> Result<Response, ApiError> {
    let precondition = if_match(&headers)?;
    let connection = service::update(&state, id, &precondition, input, &caller.actor).await?;
    Ok(with_etag(StatusCode::OK, connection))
}

#[utoipa::path(delete, path = "/api/connections/{id}", tag = "connections",
    params(("id" = i64, Path, description = "Connection ID")),
    responses((status = 204, description = "Deleted"),
              (status = 404, description = "No such connection", body = ErrorBody)))]
async fn delete(
    State(state): State<AppState>,
    caller: Caller,
    ConnectionId(id): ConnectionId,
) -> Result<StatusCode, ApiError> {
    service::delete(&state, id, &caller.actor).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(post, path = "/api/connections/{id}/verify", tag = "verification",
    params(("id" = i64, Path, description = "Connection ID")),
    responses((status = 200, description = "Verified now; the status is stored", body = Connection,
                headers(("ETag" = String, description = "`\"<version>\"`; verifying does not change it"))),
              (status = 400, description = "Malformed JSON", body = ErrorBody),
              (status = 404, description = "No such connection", body = ErrorBody),
              (status = 422, description = "A body other than `{}`", body = ErrorBody)))]
async fn verify_stored(
    State(state): State<AppState>,
    caller: Caller,
    ConnectionId(id): ConnectionId,
    ApiJson(body): ApiJson<Map<String, Value>>,
) -> Result<Response, ApiError> {
    if !body.is_empty() {
        return Err(ApiError::Validation {
            message: "This request takes an empty JSON object, {}.".into(),
            fields: Default::default(),
            details: Default::default(),
        });
    }
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
    ConnectionId(id): ConnectionId,
    ApiQuery(query): ApiQuery<HistoryQuery>,
) -> Result<Json<EventPage>, ApiError> {
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
              (status = 400, description = "Malformed JSON", body = ErrorBody),
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

/// The `If-Match` field: `428` without one, `400` when it is not a list of entity tags or `*`.
fn if_match(headers: &HeaderMap) -> Result<IfMatch, ApiError> {
    let Some(value) = headers.get(header::IF_MATCH) else {
        return Err(ApiError::PreconditionRequired);
    };
    value.to_str().ok().and_then(IfMatch::parse).ok_or_else(|| {
        ApiError::BadRequest(
            "If-Match must be the ETag of the version you edited, like \"3\", or *.".into(),
        )
    })
}

/// The `Idempotency-Key` header: 1–255 visible ASCII characters.
fn idempotency_key(headers: &HeaderMap) -> Result<Option<String>, ApiError> {
    let Some(value) = headers.get("idempotency-key") else {
        return Ok(None);
    };
    let key = value.to_str().unwrap_or("");
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
