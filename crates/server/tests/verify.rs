//! Verification against a loopback stand-in for Cloudinary: every answer
//! mapped as api.md says, stored secrets only to the host they were saved for,
//! never more calls than requests.

mod support;

use std::sync::Arc;

use axum::http::StatusCode;
use connections_server::app;
use serde_json::{json, Value};
use support::*;

/// `RESET_AT` as `retry_at` (RFC 3339, UTC).
const RESET_AT_RFC3339: &str = "2026-11-25T11:00:00Z";

fn unsaved(cloud: &str, secret: &str) -> Value {
    json!({
        "driver": "cloudinary-default",
        "fields": {"cloud_name": cloud, "api_key": "123456789012345", "api_secret": secret}
    })
}

async fn verify(h: &Harness, body: &Value) -> Answer {
    send(&h.router, json_request("POST", "/api/verify", body, &[])).await
}

#[tokio::test]
async fn each_cloudinary_answer_maps_to_its_state() {
    let h = harness().await;
    let cases = [
        ("demo", "ok", None),
        ("bad-json", "invalid_credentials", Some("api_key")),
        ("bad-html", "invalid_credentials", Some("api_key")),
        ("forbidden", "invalid_credentials", Some("api_key")),
        ("missing-cloud", "invalid_credentials", Some("cloud_name")),
        ("limited", "rate_limited", None),
        ("enhance", "rate_limited", None),
        ("broken", "error", None),
        ("moved", "error", None),
        ("slow", "unreachable", None),
    ];
    for (cloud, state, field) in cases {
        let a = verify(&h, &unsaved(cloud, SECRET)).await;
        assert_eq!(a.status, StatusCode::OK, "{cloud}: {}", a.text());
        let r = a.json();
        assert_eq!(r["state"], state, "{cloud}: {r}");
        assert_eq!(r["field"].as_str(), field, "{cloud}: {r}");
        let message = r["message"].as_str().expect("message");
        assert!(!message.is_empty());
        assert!(!a.text().contains(SECRET), "{cloud}");
    }
    // one call per verification: no retries, and the redirect was not followed
    let calls = h.fake.calls();
    assert_eq!(calls.len(), cases.len());
    assert!(calls
        .iter()
        .all(|c| c.authorization == basic("123456789012345", SECRET)));
}

#[tokio::test]
async fn rate_limited_keeps_the_reset_time_in_the_message() {
    let h = harness().await;
    for cloud in ["limited", "enhance"] {
        let r = verify(&h, &unsaved(cloud, SECRET)).await.json();
        assert_eq!(r["state"], "rate_limited");
        assert!(
            r["message"].as_str().expect("message").contains(RESET_AT),
            "{r}"
        );
        // The same instant as a code a client renders in its user's language.
        assert_eq!(r["retry_at"], RESET_AT_RFC3339, "{r}");
    }
    // A stored connection's verification answers with it too; a later read has no retry_at.
    let c = created(&h.router, "Limited", "limited").await;
    let uri = format!("/api/connections/{}", c["id"]);
    let v = verify_stored(&h.router, &uri).await.json();
    assert_eq!(v["status"]["state"], "rate_limited", "{v}");
    assert_eq!(v["status"]["retry_at"], RESET_AT_RFC3339, "{v}");
    let read = send(&h.router, get(&uri)).await.json();
    assert_eq!(read["status"]["state"], "rate_limited");
    assert!(read["status"].get("retry_at").is_none(), "{read}");
}

#[tokio::test]
async fn a_closed_port_is_unreachable() {
    let h = harness_with(|s| s.cloudinary_api_base = Some(Arc::from("http://127.0.0.1:1"))).await;
    let r = verify(&h, &unsaved("demo", SECRET)).await.json();
    assert_eq!(r["state"], "unreachable");
}

#[tokio::test]
async fn stored_connection_is_verified_on_request_and_the_status_stored() {
    let h = harness().await;
    let c = created(&h.router, "Shop", "demo").await;
    let uri = format!("/api/connections/{}", c["id"]);
    // reads never call Cloudinary
    send(&h.router, get(&uri)).await;
    send(&h.router, get("/api/connections")).await;
    assert_eq!(h.fake.calls().len(), 1, "only the save verified");

    let a = verify_stored(&h.router, &uri).await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.text());
    let v = a.json();
    assert_eq!(v["status"]["state"], "ok");
    assert_eq!(v["version"], c["version"], "verifying is not an edit");
    assert_eq!(a.header("etag"), format!("\"{}\"", c["version"]));
    assert_eq!(h.fake.calls().len(), 2);

    let a = verify_stored(&h.router, "/api/connections/999").await;
    assert_eq!(a.status, StatusCode::NOT_FOUND);
    assert_eq!(h.fake.calls().len(), 2);
}

#[tokio::test]
async fn a_new_status_is_stored_with_its_field() {
    let h = harness().await;
    let c = created(&h.router, "Shop", "demo").await;
    let uri = format!("/api/connections/{}", c["id"]);
    let a = put(&h.router, &uri, &input("Shop", "bad-json", ""), 1).await;
    assert_eq!(a.json()["status"]["state"], "invalid_credentials");
    assert_eq!(a.json()["status"]["field"], "api_key");
    let stored = send(&h.router, get(&uri)).await.json();
    assert_eq!(stored["status"]["field"], "api_key");
    assert_eq!(stored["status"]["state"], "invalid_credentials");
}

#[tokio::test]
async fn connection_id_supplies_the_stored_secret() {
    let h = harness().await;
    let c = created(&h.router, "Shop", "demo").await;
    let body = json!({
        "driver": "cloudinary-default",
        "fields": {"cloud_name": "other-cloud", "api_key": "42", "api_secret": ""},
        "connection_id": c["id"],
    });
    let a = verify(&h, &body).await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.text());
    assert_eq!(a.json()["state"], "ok");
    let last = h.fake.calls().pop().expect("a call");
    assert_eq!(last.path, "/v1_1/other-cloud/ping");
    assert_eq!(last.authorization, basic("42", SECRET));

    // a typed secret wins over the stored one
    let mut typed = body.clone();
    typed["fields"]["api_secret"] = json!("typed_1");
    verify(&h, &typed).await;
    assert_eq!(
        h.fake.calls().pop().expect("a call").authorization,
        basic("42", "typed_1")
    );

    // an unknown connection is a 404, and nothing is sent
    let mut unknown = body.clone();
    unknown["connection_id"] = json!(999);
    let before = h.fake.calls().len();
    assert_eq!(verify(&h, &unknown).await.status, StatusCode::NOT_FOUND);
    assert_eq!(h.fake.calls().len(), before);
}

/// `h`'s app calling Cloudinary's real regional hosts instead of the stand-in.
fn regional_hosts(h: &Harness) -> axum::Router {
    let mut state = h.state.clone();
    state.cloudinary_api_base = None;
    app(state)
}

#[tokio::test]
async fn a_stored_secret_is_never_sent_to_another_regions_host() {
    let h = harness().await;
    let c = created(&h.router, "Shop", "demo").await; // region us
                                                      // the real regional hosts (no override): asking for EU must not send the US secret
    let router = regional_hosts(&h);
    let body = json!({
        "driver": "cloudinary-default",
        "fields": {"cloud_name": "demo", "api_key": "123456789012345", "region": "eu"},
        "connection_id": c["id"],
    });
    let a = send(&router, json_request("POST", "/api/verify", &body, &[])).await;
    assert_eq!(a.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", a.text());
    let e = a.json();
    assert_eq!(e["error"]["code"], "validation");
    assert!(e["error"]["fields"]["fields.api_secret"]
        .as_str()
        .expect("message")
        .contains("region"));
    assert_eq!(h.fake.calls().len(), 1, "only the save's verification");
}

#[tokio::test]
async fn unsaved_values_are_validated_first() {
    let h = harness().await;
    let a = verify(&h, &unsaved("1bad", "sec ret")).await;
    assert_eq!(a.status, StatusCode::UNPROCESSABLE_ENTITY);
    let e = a.json();
    assert!(e["error"]["fields"]["fields.cloud_name"].is_string());
    assert!(e["error"]["fields"]["fields.api_secret"].is_string());
    assert!(!a.text().contains("sec ret"));
    // no secret and no connection to take it from
    let a = verify(&h, &unsaved("demo", "")).await;
    assert_eq!(a.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        a.json()["error"]["fields"]["fields.api_secret"],
        "Enter the API-Secret."
    );
    // unknown JSON fields and drivers
    let a = verify(
        &h,
        &json!({"driver": "cloudinary-default", "fields": {}, "extra": 1}),
    )
    .await;
    assert_eq!(a.status, StatusCode::UNPROCESSABLE_ENTITY);
    let a = verify(&h, &json!({"driver": "nope", "fields": {}})).await;
    assert_eq!(a.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(a.json()["error"]["fields"]["driver"].is_string());
    assert!(h.fake.calls().is_empty());
}

#[tokio::test]
async fn changing_the_region_needs_the_secret_again() {
    let h = harness().await;
    let c = created(&h.router, "Shop", "demo").await; // region us
    let router = regional_hosts(&h);
    let mut body = input("Shop", "demo", "");
    body["fields"]["region"] = json!("ap");
    let a = put(&router, &format!("/api/connections/{}", c["id"]), &body, 1).await;
    assert_eq!(a.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", a.text());
    assert!(a.json()["error"]["fields"]["fields.api_secret"]
        .as_str()
        .expect("message")
        .starts_with("Enter the API-Secret again"));
    let stored = send(&h.router, get(&format!("/api/connections/{}", c["id"]))).await;
    assert_eq!(stored.json()["version"], 1, "nothing was stored");
    assert_eq!(stored.json()["fields"]["region"], "us");
    assert_eq!(h.fake.calls().len(), 1, "only the save's verification");
}
