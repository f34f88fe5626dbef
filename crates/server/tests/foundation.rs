//! The first slice of the API, driven through `app().oneshot(...)` against a
//! real SQLite file in a temporary directory.

mod support;

use std::sync::Arc;

use axum::http::{header, StatusCode};
use connections_api::{Driver, ErrorBody, ErrorCode, Page};
use connections_server::store::DB_FILE;
use support::{get, get_with, harness, harness_with, send};

#[tokio::test]
async fn health_is_ok_and_database_file_is_created() {
    let h = harness().await;
    let a = send(&h.router, get("/api/health")).await;
    assert_eq!(a.status, StatusCode::OK);
    assert_eq!(a.body, br#"{"status":"ok"}"#);
    // The SQLite file, unless the tests run on PostgreSQL.
    let on_sqlite = support::database::postgres().is_none();
    assert_eq!(h.dir.path().join(DB_FILE).is_file(), on_sqlite);
}

#[tokio::test]
async fn drivers_lists_the_default_driver() {
    let h = harness().await;
    let a = send(&h.router, get("/api/drivers")).await;
    assert_eq!(a.status, StatusCode::OK);
    let drivers: Vec<Driver> = serde_json::from_slice(&a.body).expect("drivers json");
    assert_eq!(drivers[0].id, "cloudinary-default");
    assert_eq!(drivers[0].name, "Cloudinary default driver");
    let labels: Vec<_> = drivers[0].fields.iter().map(|f| f.label.as_str()).collect();
    assert_eq!(labels, ["Cloud-Name", "API-Key", "API-Secret", "Region"]);
}

#[tokio::test]
async fn list_is_empty_on_first_start() {
    let h = harness().await;
    let a = send(&h.router, get("/api/connections")).await;
    assert_eq!(a.status, StatusCode::OK);
    let page: Page = serde_json::from_slice(&a.body).expect("page json");
    assert_eq!(
        (page.items.len(), page.total, page.offset, page.limit),
        (0, 0, 0, 25)
    );
}

#[tokio::test]
async fn token_is_required_except_for_health() {
    let h = harness_with(|s| s.token = Some(Arc::from("s3cret-token"))).await;
    let a = send(&h.router, get("/api/connections")).await;
    assert_eq!(a.status, StatusCode::UNAUTHORIZED);
    let err: ErrorBody = serde_json::from_slice(&a.body).expect("error json");
    assert_eq!(err.error.code, ErrorCode::Unauthorized);

    let wrong = get_with("/api/drivers", &[("authorization", "Bearer s3cret-tokeN")]);
    assert_eq!(
        send(&h.router, wrong).await.status,
        StatusCode::UNAUTHORIZED
    );

    let right = get_with("/api/drivers", &[("authorization", "Bearer s3cret-token")]);
    assert_eq!(send(&h.router, right).await.status, StatusCode::OK);
    assert_eq!(
        send(&h.router, get("/api/health")).await.status,
        StatusCode::OK
    );
}

#[tokio::test]
async fn unknown_api_path_is_a_json_404_not_the_app() {
    let h = harness().await;
    let a = send(&h.router, get("/api/nope")).await;
    assert_eq!(a.status, StatusCode::NOT_FOUND);
    let err: ErrorBody = serde_json::from_slice(&a.body).expect("error json");
    assert_eq!(err.error.code, ErrorCode::NotFound);
}

#[tokio::test]
async fn bad_list_query_is_a_400_with_the_error_body() {
    let h = harness().await;
    for uri in [
        "/api/connections?sort=colour",
        "/api/connections?limit=501",
        "/api/connections?offset=-1",
    ] {
        let a = send(&h.router, get(uri)).await;
        assert_eq!(a.status, StatusCode::BAD_REQUEST, "{uri}");
        let err: ErrorBody = serde_json::from_slice(&a.body).expect("error json");
        assert_eq!(err.error.code, ErrorCode::BadRequest);
    }
}

#[tokio::test]
async fn app_routes_fall_back_to_index_with_security_headers() {
    let h = harness().await;
    let a = send(&h.router, get("/17")).await;
    assert_eq!(a.status, StatusCode::OK);
    assert!(a.text().contains("init()"));
    let csp = a.headers[header::CONTENT_SECURITY_POLICY]
        .to_str()
        .expect("ascii");
    assert!(
        csp.contains("script-src 'self' 'wasm-unsafe-eval' 'sha256-"),
        "{csp}"
    );
    assert_eq!(a.headers[header::X_CONTENT_TYPE_OPTIONS], "nosniff");
    assert_eq!(a.headers[header::REFERRER_POLICY], "no-referrer");
}
