//! Shared parts of the integration tests: a server state on a real database
//! (SQLite in a temp dir, or PostgreSQL: see `database.rs`), request helpers,
//! and a loopback stand-in for Cloudinary.
#![allow(dead_code)]

pub mod binary;
pub mod database;

use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::body::Body;
use axum::extract::{Path as UrlPath, State};
use axum::http::{header, HeaderMap, Request, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing;
use axum::Router;
use base64::Engine;
use connections_server::store::Record;
use connections_server::{app, AppState};
use http_body_util::BodyExt;
use secrecy::SecretString;
use serde_json::{json, Value};
use tower::ServiceExt;

/// The reset time the fake sends with 420/429.
pub const RESET_AT: &str = "Wed, 25 Nov 2026 11:00:00 GMT";
pub const SECRET: &str = "Zq9xSECRETvalue_-42abcdefgh";

/// A key in base64, different per `seed`.
pub fn key(seed: u8) -> SecretString {
    SecretString::from(base64::engine::general_purpose::STANDARD.encode([seed; 32]))
}

/// One request the fake Cloudinary received.
#[derive(Debug, Clone)]
pub struct Call {
    pub path: String,
    pub authorization: String,
}

/// A real HTTP server on loopback answering `GET /v1_1/{cloud}/ping` by the
/// cloud name's prefix: `bad-json` 401 JSON, `bad-html` 401 HTML, `forbidden` 403,
/// `missing` 404, `limited` 429 and `enhance` 420 (both with
/// `X-FeatureRateLimit-Reset`), `broken` 500, `moved` 302 elsewhere, `slow` never
/// answers; anything else 200.
pub struct FakeCloudinary {
    pub base: String,
    pub calls: Arc<Mutex<Vec<Call>>>,
}

impl FakeCloudinary {
    pub async fn start() -> FakeCloudinary {
        let calls: Arc<Mutex<Vec<Call>>> = Arc::default();
        let router = Router::new()
            .route("/v1_1/{cloud}/ping", routing::get(ping))
            .with_state(calls.clone());
        let addr = serve_on_loopback(router).await;
        FakeCloudinary {
            base: format!("http://{addr}"),
            calls,
        }
    }

    pub fn calls(&self) -> Vec<Call> {
        self.calls.lock().expect("lock").clone()
    }
}

/// Serves `router` on a free port of 127.0.0.1 for the rest of the test; returns the address.
pub async fn serve_on_loopback(router: Router) -> SocketAddr {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind loopback");
    let addr = listener.local_addr().expect("addr");
    tokio::spawn(async move {
        let _ = axum::serve(listener, router).await;
    });
    addr
}

async fn ping(
    State(calls): State<Arc<Mutex<Vec<Call>>>>,
    UrlPath(cloud): UrlPath<String>,
    headers: HeaderMap,
) -> Response {
    calls.lock().expect("lock").push(Call {
        path: format!("/v1_1/{cloud}/ping"),
        authorization: headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_string(),
    });
    let json = |status: StatusCode, body: Value| (status, axum::Json(body)).into_response();
    if cloud.starts_with("bad-json") {
        json(
            StatusCode::UNAUTHORIZED,
            json!({"error": {"message": "Invalid api_key 1234"}}),
        )
    } else if cloud.starts_with("bad-html") {
        (
            StatusCode::UNAUTHORIZED,
            [(header::CONTENT_TYPE, "text/html")],
            "<html><body><h1>401 Unauthorized</h1></body></html>",
        )
            .into_response()
    } else if cloud.starts_with("forbidden") {
        json(StatusCode::FORBIDDEN, json!({"error": {"message": "no"}}))
    } else if cloud.starts_with("missing") {
        json(
            StatusCode::NOT_FOUND,
            json!({"error": {"message": "Unknown cloud"}}),
        )
    } else if cloud.starts_with("limited") || cloud.starts_with("enhance") {
        let status = if cloud.starts_with("limited") {
            StatusCode::TOO_MANY_REQUESTS
        } else {
            StatusCode::from_u16(420).expect("420")
        };
        (
            status,
            [("X-FeatureRateLimit-Reset", RESET_AT)],
            axum::Json(json!({"error": {"message": "Rate Limit Exceeded"}})),
        )
            .into_response()
    } else if cloud.starts_with("broken") {
        json(StatusCode::INTERNAL_SERVER_ERROR, json!({}))
    } else if cloud.starts_with("moved") {
        (
            StatusCode::FOUND,
            [(header::LOCATION, "http://127.0.0.2:9/v1_1/elsewhere/ping")],
        )
            .into_response()
    } else if cloud.starts_with("slow") {
        std::future::pending::<()>().await;
        StatusCode::OK.into_response()
    } else {
        json(StatusCode::OK, json!({"status": "ok"}))
    }
}

pub struct Harness {
    pub dir: tempfile::TempDir,
    pub state: AppState,
    pub router: Router,
    pub fake: FakeCloudinary,
}

/// Opens the store of `dir` (on the test backend) with `key` and builds the
/// app pointed at `fake`.
pub async fn state_in(dir: &Path, key: &SecretString, fake: &FakeCloudinary) -> AppState {
    let dist = dir.join("dist");
    std::fs::create_dir_all(&dist).expect("dist");
    std::fs::write(
        dist.join("index.html"),
        "<html><body><script type=\"module\">init()</script></body></html>",
    )
    .expect("index");
    let store = database::open(dir, Some(key)).await.expect("store opens");
    let mut state = AppState::new(store, dist).expect("state");
    state.cloudinary_api_base = Some(Arc::from(fake.base.as_str()));
    state.verify_timeout = Duration::from_millis(300);
    // Every verify calls the stand-in; `hardening.rs` tests the reuse window.
    state.verify_reuse = Duration::ZERO;
    state
}

pub async fn harness() -> Harness {
    harness_with(|_| {}).await
}

pub async fn harness_with(configure: impl FnOnce(&mut AppState)) -> Harness {
    let dir = tempfile::tempdir().expect("temp dir");
    let fake = FakeCloudinary::start().await;
    let mut state = state_in(dir.path(), &key(1), &fake).await;
    configure(&mut state);
    Harness {
        router: app(state.clone()),
        state,
        dir,
        fake,
    }
}

/// A response: status, headers, body bytes.
pub struct Answer {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: Vec<u8>,
}

impl Answer {
    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(&self.body)))
    }

    pub fn header(&self, name: &str) -> &str {
        self.headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
    }

    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

pub async fn send(router: &Router, req: Request<Body>) -> Answer {
    let resp = router.clone().oneshot(req).await.expect("response");
    let status = resp.status();
    let headers = resp.headers().clone();
    let body = resp.into_body().collect().await.expect("body").to_bytes();
    Answer {
        status,
        headers,
        body: body.to_vec(),
    }
}

pub fn get(uri: &str) -> Request<Body> {
    get_with(uri, &[])
}

/// `GET uri` with `headers`.
pub fn get_with(uri: &str, headers: &[(&str, &str)]) -> Request<Body> {
    let mut b = Request::get(uri);
    for (k, v) in headers {
        b = b.header(*k, *v);
    }
    b.body(Body::empty()).expect("request")
}

pub fn json_request(
    method: &str,
    uri: &str,
    body: &Value,
    headers: &[(&str, &str)],
) -> Request<Body> {
    let mut b = Request::builder()
        .method(method)
        .uri(uri)
        .header(header::CONTENT_TYPE, "application/json");
    for (k, v) in headers {
        b = b.header(*k, *v);
    }
    b.body(Body::from(body.to_string())).expect("request")
}

/// A create body for the default driver.
pub fn input(name: &str, cloud: &str, secret: &str) -> Value {
    json!({
        "name": name,
        "driver": "cloudinary-default",
        "fields": {"cloud_name": cloud, "api_key": "123456789012345", "api_secret": secret}
    })
}

pub async fn create(router: &Router, body: &Value) -> Answer {
    create_with(router, body, &[]).await
}

/// `POST /api/connections` of `body` with extra `headers`.
pub async fn create_with(router: &Router, body: &Value, headers: &[(&str, &str)]) -> Answer {
    send(
        router,
        json_request("POST", "/api/connections", body, headers),
    )
    .await
}

/// A record for the store of the default driver (API key 1234, no region),
/// with `secret` as its API secret if given.
pub fn record(name: &str, cloud: &str, secret: Option<&str>) -> Record {
    Record {
        name: name.to_string(),
        driver: "cloudinary-default".into(),
        fields: BTreeMap::from([
            ("cloud_name".to_string(), cloud.to_string()),
            ("api_key".to_string(), "1234".to_string()),
            ("region".to_string(), String::new()),
        ]),
        secrets: secret
            .map(|s| ("api_secret".to_string(), SecretString::from(s.to_string())))
            .into_iter()
            .collect(),
    }
}

/// Creates a connection that must succeed; returns its JSON.
pub async fn created(router: &Router, name: &str, cloud: &str) -> Value {
    let a = create(router, &input(name, cloud, SECRET)).await;
    assert_eq!(a.status, StatusCode::CREATED, "{}", a.text());
    a.json()
}

/// `PUT uri` of `body` with `If-Match: if_match` as written.
pub async fn put_if(router: &Router, uri: &str, body: &Value, if_match: &str) -> Answer {
    send(
        router,
        json_request("PUT", uri, body, &[("if-match", if_match)]),
    )
    .await
}

/// `PUT uri` of `body` over `version` (`If-Match: "version"`).
pub async fn put(router: &Router, uri: &str, body: &Value, version: i64) -> Answer {
    put_if(router, uri, body, &format!("\"{version}\"")).await
}

/// `POST {uri}/verify`: a Test of the stored connection at `uri`.
pub async fn verify_stored(router: &Router, uri: &str) -> Answer {
    send(
        router,
        json_request("POST", &format!("{uri}/verify"), &json!({}), &[]),
    )
    .await
}

/// `DELETE uri`.
pub async fn delete(router: &Router, uri: &str) -> Answer {
    send(
        router,
        Request::delete(uri).body(Body::empty()).expect("request"),
    )
    .await
}

/// The text `key` of each item of a page (`{"items": [...]}`), in order.
pub fn item_texts(page: &Value, key: &str) -> Vec<String> {
    page["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|e| e[key].as_str().expect(key).to_string())
        .collect()
}

/// `Basic base64(key:secret)` as Cloudinary receives it.
pub fn basic(key: &str, secret: &str) -> String {
    format!(
        "Basic {}",
        base64::engine::general_purpose::STANDARD.encode(format!("{key}:{secret}"))
    )
}
