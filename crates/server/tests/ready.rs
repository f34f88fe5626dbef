//! `GET /api/ready`: 200 while the database answers and has every migration,
//! 503 otherwise; no token needed, like `/api/health`.

mod support;

use std::sync::Arc;

use axum::http::StatusCode;
use serde_json::json;
use support::database::execute;
use support::*;

const TOKEN: &str = "0123456789abcdef0123456789abcdef";

#[tokio::test]
async fn ready_needs_no_token_and_says_503_without_migrations_or_database() {
    let h = harness_with(|s| s.token = Some(Arc::from(TOKEN))).await;
    let a = send(&h.router, get("/api/ready")).await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.text());
    assert_eq!(a.json(), json!({"status": "ready"}));
    assert_eq!(a.header("cache-control"), "no-store");

    // A migration this server knows is no longer recorded as applied.
    let store = &h.state.store;
    let toggle = "UPDATE _sqlx_migrations SET success = NOT success WHERE version = 1";
    assert_eq!(execute(store, toggle, &[]).await, 1);
    let a = send(&h.router, get("/api/ready")).await;
    assert_eq!(a.status, StatusCode::SERVICE_UNAVAILABLE, "{}", a.text());
    assert_eq!(a.json(), json!({"status": "unavailable"}));
    assert_eq!(execute(store, toggle, &[]).await, 1);
    assert_eq!(
        send(&h.router, get("/api/ready")).await.status,
        StatusCode::OK
    );

    // The database no longer answers.
    store.close().await;
    let a = send(&h.router, get("/api/ready")).await;
    assert_eq!(a.status, StatusCode::SERVICE_UNAVAILABLE, "{}", a.text());
    let health = send(&h.router, get("/api/health")).await;
    assert_eq!(health.status, StatusCode::OK, "the process is still up");
}
