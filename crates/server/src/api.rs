//! Handlers of `/api/*`: thin, each a call into the store or a driver.

use axum::extract::{DefaultBodyLimit, Query, State};
use axum::http::StatusCode;
use axum::middleware;
use axum::response::IntoResponse;
use axum::routing::get;
use axum::{Json, Router};
use connections_api::{Driver, ListQuery, Page};
use serde_json::{json, Value};

use crate::error::ApiError;
use crate::{require_token, AppState};

/// Largest accepted request body.
pub const BODY_LIMIT: usize = 64 * 1024;

pub fn router(state: AppState) -> Router {
    let protected = Router::new()
        .route("/drivers", get(drivers))
        .route("/connections", get(list))
        .route_layer(middleware::from_fn_with_state(state.clone(), require_token));
    Router::new()
        .route("/health", get(health))
        .merge(protected)
        .fallback(not_found)
        .layer(DefaultBodyLimit::max(BODY_LIMIT))
        .with_state(state)
}

async fn health() -> Json<Value> {
    Json(json!({"status": "ok"}))
}

async fn not_found() -> impl IntoResponse {
    ApiError::NotFound("There is no such API endpoint.".into())
}

async fn drivers(State(state): State<AppState>) -> Json<Vec<Driver>> {
    Json(state.drivers.as_ref().clone())
}

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
