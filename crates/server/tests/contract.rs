//! Error bodies, OpenAPI, headers and compression as the contract and issue 3 say.

mod support;

use std::sync::Arc;

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use serde_json::json;
use support::*;

fn raw_post(uri: &str, body: impl Into<Body>) -> Request<Body> {
    Request::post(uri)
        .header(header::CONTENT_TYPE, "application/json")
        .body(body.into())
        .expect("request")
}

fn assert_error(a: &Answer, status: StatusCode, code: &str) {
    assert_eq!(a.status, status, "{}", a.text());
    let e = a.json();
    assert_eq!(e["error"]["code"], code, "{e}");
    let message = e["error"]["message"].as_str().expect("message");
    assert!(!message.is_empty());
    for leak in ["SELECT", "INSERT", "sqlite", "panicked", "src/"] {
        assert!(!a.text().contains(leak), "{leak} in {}", a.text());
    }
}

#[tokio::test]
async fn malformed_json_is_400_unknown_fields_422_big_bodies_413() {
    let h = harness().await;
    let a = send(&h.router, raw_post("/api/connections", "{\"name\": ")).await;
    assert_error(&a, StatusCode::BAD_REQUEST, "bad_request");

    let mut extra = input("Shop", "demo", SECRET);
    extra["colour"] = json!("red");
    let a = create(&h.router, &extra).await;
    assert_error(&a, StatusCode::UNPROCESSABLE_ENTITY, "validation");

    let a = send(&h.router, raw_post("/api/connections", "{\"name\": 5}")).await;
    assert_error(&a, StatusCode::UNPROCESSABLE_ENTITY, "validation");

    let big = json!({"name": "x".repeat(70 * 1024), "driver": "cloudinary-default"});
    let a = create(&h.router, &big).await;
    assert_error(&a, StatusCode::PAYLOAD_TOO_LARGE, "payload_too_large");
    let a = send(&h.router, raw_post("/api/verify", big.to_string())).await;
    assert_error(&a, StatusCode::PAYLOAD_TOO_LARGE, "payload_too_large");
}

#[tokio::test]
async fn invalid_values_answer_field_messages_from_the_shared_rules() {
    let h = harness().await;
    let body = json!({
        "name": "  ",
        "driver": "cloudinary-default",
        "fields": {"cloud_name": "1demo", "api_key": "12ab", "api_secret": "", "region": "mars", "colour": "red"}
    });
    let a = create(&h.router, &body).await;
    assert_error(&a, StatusCode::UNPROCESSABLE_ENTITY, "validation");
    let fields = a.json()["error"]["fields"].clone();
    let input: connections_api::ConnectionInput = serde_json::from_value(body).expect("input");
    let expected = connections_api::validate_input(&input, &connections_api::drivers(), &[])
        .expect_err("invalid");
    assert_eq!(fields, serde_json::to_value(&expected).expect("json"));
    assert_eq!(fields["fields.api_secret"], "Enter the API-Secret.");
    assert_eq!(fields["name"], "Enter a name for the connection.");
    // The same errors as codes with parameters, for a user interface to translate.
    let details = a.json()["error"]["details"].clone();
    assert_eq!(details["name"], json!({"code": "required"}));
    assert_eq!(
        details["fields.cloud_name"],
        json!({"code": "starts_with_letter"})
    );
    assert_eq!(
        details["fields.api_key"],
        json!({"code": "digits_only", "params": {"found": "a"}})
    );
    assert_eq!(details["fields.colour"]["code"], "unknown_field");
    assert_eq!(
        details.as_object().map(|o| o.len()),
        fields.as_object().map(|o| o.len()),
        "a code for every message"
    );

    let a = create(
        &h.router,
        &json!({"name": "Shop", "driver": "nope", "fields": {}}),
    )
    .await;
    assert_error(&a, StatusCode::UNPROCESSABLE_ENTITY, "validation");
    assert!(a.json()["error"]["fields"]["driver"].is_string());
    assert_eq!(
        a.json()["error"]["details"]["driver"]["code"],
        "unknown_driver"
    );
    assert!(h.fake.calls().is_empty(), "nothing invalid is verified");
}

#[tokio::test]
async fn a_malformed_if_match_is_a_400() {
    let h = harness().await;
    let c = created(&h.router, "Shop", "demo").await;
    for bad in ["\"1", "abc", "\"1\",", "W/1"] {
        let a = put_if(
            &h.router,
            &format!("/api/connections/{}", c["id"]),
            &input("Shop", "demo", ""),
            bad,
        )
        .await;
        assert_error(&a, StatusCode::BAD_REQUEST, "bad_request");
    }
}

#[tokio::test]
async fn if_match_follows_rfc_9110() {
    let h = harness().await;
    let c = created(&h.router, "Shop", "demo").await;
    let uri = format!("/api/connections/{}", c["id"]);
    for (tag, why) in [
        ("W/\"1\"", "a weak tag never matches"),
        ("\"2\"", "not the current version"),
        ("\"2\", \"3\"", "no tag of the list is current"),
        ("\"01\"", "entity tags compare exactly"),
    ] {
        let a = put_if(&h.router, &uri, &input("Shop 2", "demo", ""), tag).await;
        assert_error(&a, StatusCode::PRECONDITION_FAILED, "conflict");
        assert_eq!(a.status, StatusCode::PRECONDITION_FAILED, "{why}");
    }
    let a = put_if(
        &h.router,
        &uri,
        &input("Shop 2", "demo", ""),
        "\"5\", \"1\"",
    )
    .await;
    assert_eq!(a.status, StatusCode::OK, "any tag of a list: {}", a.text());
    assert_eq!(a.json()["version"], 2);
    let a = put_if(&h.router, &uri, &input("Shop 3", "demo", ""), "*").await;
    assert_eq!(a.status, StatusCode::OK, "* matches: {}", a.text());
    assert_eq!(a.json()["version"], 3);
    let a = put_if(
        &h.router,
        "/api/connections/999",
        &input("Shop", "demo", ""),
        "*",
    )
    .await;
    assert_error(&a, StatusCode::NOT_FOUND, "not_found");
    // The precondition is judged before the content: a stale tag with an invalid body is a 412.
    let a = put(&h.router, &uri, &input("", "demo", ""), 1).await;
    assert_error(&a, StatusCode::PRECONDITION_FAILED, "conflict");
}

#[tokio::test]
async fn every_api_answer_has_the_error_shape() {
    let h = harness().await;
    let c = created(&h.router, "Shop", "demo").await;
    let one = format!("/api/connections/{}", c["id"]);
    for (method, uri, allow) in [
        ("PATCH", "/api/connections", "GET,HEAD,POST"),
        ("OPTIONS", "/api/connections", "GET,HEAD,POST"),
        ("PATCH", one.as_str(), "GET,HEAD,PUT,DELETE"),
        ("DELETE", "/api/verify", "POST"),
        ("PUT", "/api/health", "GET,HEAD"),
    ] {
        let a = send(
            &h.router,
            Request::builder()
                .method(method)
                .uri(uri)
                .header(header::CONTENT_TYPE, "application/json")
                .body(Body::from("{}"))
                .expect("request"),
        )
        .await;
        assert_error(&a, StatusCode::METHOD_NOT_ALLOWED, "method_not_allowed");
        let mut got: Vec<&str> = a.header("allow").split(',').map(str::trim).collect();
        let mut want: Vec<&str> = allow.split(',').collect();
        got.sort_unstable();
        want.sort_unstable();
        assert_eq!(got, want, "{method} {uri}");
    }
    // A method the path does not have is a 405 whatever its body: no 415 first.
    for (method, uri) in [
        ("PUT", "/api/drivers"),
        ("POST", one.as_str()),
        ("PATCH", one.as_str()),
    ] {
        let a = send(
            &h.router,
            Request::builder()
                .method(method)
                .uri(uri)
                .body(Body::from("a=1"))
                .expect("request"),
        )
        .await;
        assert_error(&a, StatusCode::METHOD_NOT_ALLOWED, "method_not_allowed");
    }
    for uri in ["/api", "/api/", "/api/nope", "/api/connections/1/nope"] {
        let a = send(&h.router, get(uri)).await;
        assert_error(&a, StatusCode::NOT_FOUND, "not_found");
        assert!(
            a.header("content-type").starts_with("application/json"),
            "{uri}"
        );
    }
}

#[tokio::test]
async fn posts_and_puts_need_a_json_content_type() {
    let h = harness().await;
    let c = created(&h.router, "Shop", "demo").await;
    let one = format!("/api/connections/{}", c["id"]);
    let verify_one = format!("{one}/verify");
    let body = input("Shop 2", "demo", SECRET).to_string();
    for (method, uri) in [
        ("POST", "/api/connections"),
        ("PUT", one.as_str()),
        ("POST", verify_one.as_str()),
        ("POST", "/api/verify"),
    ] {
        for content_type in [None, Some("text/plain"), Some("application/jsonx")] {
            let mut req = Request::builder()
                .method(method)
                .uri(uri)
                .header("if-match", "*");
            if let Some(t) = content_type {
                req = req.header(header::CONTENT_TYPE, t);
            }
            let a = send(
                &h.router,
                req.body(Body::from(body.clone())).expect("request"),
            )
            .await;
            assert_error(&a, StatusCode::UNSUPPORTED_MEDIA_TYPE, "bad_request");
        }
    }
    assert_eq!(
        send(&h.router, get(&one)).await.json()["name"],
        "Shop",
        "nothing changed"
    );
    let a = send(
        &h.router,
        Request::post(&verify_one)
            .header(header::CONTENT_TYPE, "application/json; charset=utf-8")
            .body(Body::from("{}"))
            .expect("request"),
    )
    .await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.text());
    for (bad, status, code) in [
        ("", StatusCode::BAD_REQUEST, "bad_request"),
        ("[]", StatusCode::UNPROCESSABLE_ENTITY, "validation"),
        (
            "{\"force\": true}",
            StatusCode::UNPROCESSABLE_ENTITY,
            "validation",
        ),
    ] {
        let a = send(&h.router, raw_post(&verify_one, bad)).await;
        assert_error(&a, status, code);
    }
}

#[tokio::test]
async fn the_filter_is_at_most_200_characters() {
    let h = harness().await;
    let ok = format!(
        "/api/connections?q={}",
        "a".repeat(connections_api::MAX_QUERY_LEN)
    );
    let a = send(&h.router, get(&ok)).await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.text());
    // 201 characters, some of them more than one byte.
    let long = format!("/api/connections?q={}", "%C3%A4".repeat(201));
    let a = send(&h.router, get(&long)).await;
    assert_error(&a, StatusCode::BAD_REQUEST, "bad_request");
    let fits = format!("/api/connections?q={}", "%C3%A4".repeat(200));
    assert_eq!(send(&h.router, get(&fits)).await.status, StatusCode::OK);
}

#[tokio::test]
async fn offsets_beyond_a_signed_64_bit_integer_are_a_400() {
    let h = harness().await;
    let a = send(
        &h.router,
        get("/api/connections?offset=9223372036854775807"),
    )
    .await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.text());
    let a = send(
        &h.router,
        get("/api/connections?offset=9223372036854775808"),
    )
    .await;
    assert_error(&a, StatusCode::BAD_REQUEST, "bad_request");
}

#[tokio::test]
async fn openapi_describes_every_endpoint_and_needs_the_token() {
    let h = harness_with(|s| s.token = Some(Arc::from("tok"))).await;
    let a = send(&h.router, get("/api/openapi.json")).await;
    assert_error(&a, StatusCode::UNAUTHORIZED, "unauthorized");
    let a = send(
        &h.router,
        get_with("/api/openapi.json", &[("authorization", "Bearer tok")]),
    )
    .await;
    assert_eq!(a.status, StatusCode::OK);
    let doc = a.json();
    assert!(doc["openapi"].as_str().expect("version").starts_with("3."));
    let paths = doc["paths"].as_object().expect("paths");
    for (path, method) in [
        ("/api/health", "get"),
        ("/api/ready", "get"),
        ("/api/drivers", "get"),
        ("/api/connections", "get"),
        ("/api/connections", "post"),
        ("/api/connections/{id}", "get"),
        ("/api/connections/{id}", "put"),
        ("/api/connections/{id}", "delete"),
        ("/api/connections/{id}/verify", "post"),
        ("/api/verify", "post"),
        ("/api/connections/{id}/history", "get"),
        ("/api/me", "get"),
    ] {
        assert!(paths[path][method].is_object(), "{method} {path}");
    }
    let schemas = &doc["components"]["schemas"];
    for s in [
        "Connection",
        "ConnectionInput",
        "ErrorBody",
        "VerifyRequest",
        "VerifyResult",
        "Driver",
    ] {
        assert!(schemas[s].is_object(), "{s}");
    }
    assert!(paths["/api/connections/{id}"]["put"]["responses"]["428"].is_object());
}

#[tokio::test]
async fn api_answers_are_not_cached_and_are_compressed_when_asked() {
    let h = harness().await;
    for i in 0..30 {
        created(&h.router, &format!("Shop number {i}"), "demo").await;
    }
    let a = send(
        &h.router,
        get_with("/api/connections?limit=30", &[("accept-encoding", "gzip")]),
    )
    .await;
    assert_eq!(a.status, StatusCode::OK);
    assert_eq!(a.header("content-encoding"), "gzip");
    assert_eq!(a.header("cache-control"), "no-store");
    assert_eq!(a.header("x-content-type-options"), "nosniff");
    let a = send(
        &h.router,
        get_with("/api/connections?limit=30", &[("accept-encoding", "br")]),
    )
    .await;
    assert_eq!(a.header("content-encoding"), "br");
    // What Chromium asks with: zstd, about as small as brotli for these answers and a tenth of
    // its time to compress (docs/benchmarks.md).
    let a = send(
        &h.router,
        get_with(
            "/api/connections?limit=30",
            &[("accept-encoding", "gzip, deflate, br, zstd")],
        ),
    )
    .await;
    assert_eq!(a.header("content-encoding"), "zstd");
    assert_eq!(a.header("vary").to_ascii_lowercase(), "accept-encoding");
}

#[tokio::test]
async fn app_pages_carry_csp_nosniff_and_no_referrer() {
    let h = harness().await;
    let a = send(&h.router, get("/")).await;
    assert_eq!(a.status, StatusCode::OK);
    let csp = a.header("content-security-policy");
    assert!(
        csp.contains("script-src 'self' 'wasm-unsafe-eval' 'sha256-"),
        "{csp}"
    );
    assert!(!csp.contains("unsafe-inline"), "{csp}");
    assert!(csp.contains("object-src 'none'"), "{csp}");
    assert_eq!(a.header("x-content-type-options"), "nosniff");
    assert_eq!(a.header("referrer-policy"), "no-referrer");
}

/// Tests unsaved values against the cloud that never answers; returns the result.
async fn verify_slow(h: &Harness) -> serde_json::Value {
    let body = json!({"driver": "cloudinary-default", "fields":
        {"cloud_name": "slow", "api_key": "1", "api_secret": SECRET}});
    send(&h.router, json_request("POST", "/api/verify", &body, &[]))
        .await
        .json()
}

/// Without a setting, a Cloudinary that does not answer is given up after 5 seconds (the
/// server's own wait, not the test's: the answer says how long it waited).
#[tokio::test]
async fn verification_waits_5_seconds_by_default() {
    let dir = tempfile::tempdir().expect("dir");
    let store = database::open(dir.path(), Some(&key(1)))
        .await
        .expect("store");
    let defaults =
        connections_server::AppState::new(store, dir.path().join("dist")).expect("state");
    assert!(
        defaults.cloudinary_api_base.is_none(),
        "regional hosts unless configured"
    );
    let default_wait = defaults.verify_timeout;
    let h = harness_with(|s| s.verify_timeout = default_wait).await;
    let r = verify_slow(&h).await;
    assert_eq!(r["state"], "unreachable");
    assert_eq!(
        r["message"],
        "Cloudinary did not answer within 5 seconds. Try again later."
    );
}

#[tokio::test]
async fn the_timeout_message_names_the_configured_wait() {
    let h = harness_with(|s| s.verify_timeout = std::time::Duration::from_millis(250)).await;
    let r = verify_slow(&h).await;
    assert_eq!(r["state"], "unreachable");
    assert_eq!(
        r["message"],
        "Cloudinary did not answer within 250 ms. Try again later."
    );
    assert_eq!(h.fake.calls().len(), 1, "no retry after a timeout");
}
