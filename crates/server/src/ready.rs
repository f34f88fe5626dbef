//! `GET /api/ready`: whether this instance can serve requests that need the
//! database: it answers and its migrations are applied. No token, like
//! `/api/health`; a load balancer sends traffic only to ready instances.

use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use serde_json::{json, Value};

use crate::AppState;

#[utoipa::path(get, path = "/api/ready", tag = "health",
    responses((status = 200, description = "The database answers and its migrations are applied: `{\"status\":\"ready\"}`"),
              (status = 503, description = "The database does not answer or lacks migrations: `{\"status\":\"unavailable\"}`")))]
pub async fn ready(State(state): State<AppState>) -> (StatusCode, Json<Value>) {
    match state.store.ready().await {
        Ok(()) => (StatusCode::OK, Json(json!({"status": "ready"}))),
        Err(cause) => {
            // The cause stays in the log: it may name the database's host.
            tracing::warn!(%cause, "not ready");
            (
                StatusCode::SERVICE_UNAVAILABLE,
                Json(json!({"status": "unavailable"})),
            )
        }
    }
}
