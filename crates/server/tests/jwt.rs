//! JWT mode with keys made here (RSA, P-256, Ed25519) and a key set served by
//! a loopback HTTP server or read from a file: valid tokens pass, every kind of
//! bad token is a 401, a reader may read and test but not write (403), and a
//! rotated key set is picked up.

mod support;

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use base64::engine::general_purpose::URL_SAFE_NO_PAD as B64;
use base64::Engine;
use connections_server::jwt::{JwksSource, JwtSettings, Verifier};
use jsonwebtoken::{Algorithm, EncodingKey, Header};
use serde_json::{json, Value};
use support::*;

const ISSUER: &str = "https://id.example.test";
const AUDIENCE: &str = "cloudinary-connections";
const WRITE: &str = "connections:write";

/// A signing key made in the test and its public JWK.
struct TestKey {
    kid: String,
    alg: Algorithm,
    private: EncodingKey,
    jwk: Value,
}

fn rsa_key(kid: &str) -> TestKey {
    use rsa::pkcs1::EncodeRsaPrivateKey;
    use rsa::traits::PublicKeyParts;
    let private = rsa::RsaPrivateKey::new(&mut rand::thread_rng(), 2048).expect("rsa key");
    let der = private.to_pkcs1_der().expect("pkcs1");
    TestKey {
        kid: kid.into(),
        alg: Algorithm::RS256,
        private: EncodingKey::from_rsa_der(der.as_bytes()),
        jwk: json!({
            "kty": "RSA", "kid": kid, "use": "sig", "alg": "RS256",
            "n": B64.encode(private.n().to_bytes_be()),
            "e": B64.encode(private.e().to_bytes_be()),
        }),
    }
}

fn ec_key(kid: &str) -> TestKey {
    use p256::elliptic_curve::sec1::ToEncodedPoint;
    use p256::pkcs8::EncodePrivateKey;
    let secret = p256::SecretKey::random(&mut rand::rngs::OsRng);
    let der = secret.to_pkcs8_der().expect("pkcs8");
    let point = secret.public_key().to_encoded_point(false);
    TestKey {
        kid: kid.into(),
        alg: Algorithm::ES256,
        private: EncodingKey::from_ec_der(der.as_bytes()),
        jwk: json!({
            "kty": "EC", "kid": kid, "crv": "P-256",
            "x": B64.encode(point.x().expect("x")),
            "y": B64.encode(point.y().expect("y")),
        }),
    }
}

fn ed_key(kid: &str) -> TestKey {
    use ed25519_dalek::pkcs8::EncodePrivateKey;
    let signing = ed25519_dalek::SigningKey::generate(&mut rand::rngs::OsRng);
    let der = signing.to_pkcs8_der().expect("pkcs8");
    TestKey {
        kid: kid.into(),
        alg: Algorithm::EdDSA,
        private: EncodingKey::from_ed_der(der.as_bytes()),
        jwk: json!({
            "kty": "OKP", "kid": kid, "crv": "Ed25519",
            "x": B64.encode(signing.verifying_key().to_bytes()),
        }),
    }
}

fn now() -> i64 {
    time::OffsetDateTime::now_utc().unix_timestamp()
}

/// Claims of a valid token of `sub`, with `roles`.
fn claims(sub: &str, roles: &[&str]) -> Value {
    json!({
        "iss": ISSUER, "aud": AUDIENCE, "sub": sub, "name": format!("User {sub}"),
        "roles": roles, "iat": now(), "exp": now() + 600,
    })
}

fn sign_with(key: &TestKey, kid: &str, claims: &Value) -> String {
    let mut header = Header::new(key.alg);
    header.kid = Some(kid.into());
    jsonwebtoken::encode(&header, claims, &key.private).expect("sign")
}

fn sign(key: &TestKey, claims: &Value) -> String {
    sign_with(key, &key.kid, claims)
}

fn set(keys: &[&TestKey]) -> Value {
    json!({"keys": keys.iter().map(|k| k.jwk.clone()).collect::<Vec<_>>()})
}

/// A loopback server of the key set: counts its requests, can be "down" (503).
struct JwksServer {
    url: String,
    jwks: Arc<Mutex<Value>>,
    hits: Arc<AtomicUsize>,
    down: Arc<AtomicBool>,
}

#[derive(Clone)]
struct Served {
    jwks: Arc<Mutex<Value>>,
    hits: Arc<AtomicUsize>,
    down: Arc<AtomicBool>,
}

async fn serve_jwks(State(s): State<Served>) -> Response {
    s.hits.fetch_add(1, Ordering::SeqCst);
    if s.down.load(Ordering::SeqCst) {
        return StatusCode::SERVICE_UNAVAILABLE.into_response();
    }
    let body = s.jwks.lock().expect("lock").clone();
    axum::Json(body).into_response()
}

impl JwksServer {
    async fn start(jwks: Value) -> JwksServer {
        let served = Served {
            jwks: Arc::new(Mutex::new(jwks)),
            hits: Arc::default(),
            down: Arc::default(),
        };
        let router = axum::Router::new()
            .route("/jwks.json", axum::routing::get(serve_jwks))
            .with_state(served.clone());
        let addr = serve_on_loopback(router).await;
        JwksServer {
            url: format!("http://{addr}/jwks.json"),
            jwks: served.jwks,
            hits: served.hits,
            down: served.down,
        }
    }

    fn hits(&self) -> usize {
        self.hits.load(Ordering::SeqCst)
    }
}

fn settings(jwks: JwksSource) -> JwtSettings {
    JwtSettings {
        jwks,
        issuer: ISSUER.into(),
        audience: AUDIENCE.into(),
    }
}

async fn harness_for(verifier: Verifier) -> Harness {
    let verifier = Arc::new(verifier);
    harness_with(move |s| s.jwt = Some(verifier)).await
}

fn bearer(token: &str) -> String {
    format!("Bearer {token}")
}

async fn call(h: &Harness, method: &str, uri: &str, body: &Value, token: &str) -> Answer {
    let auth = bearer(token);
    let mut headers = vec![("authorization", auth.as_str())];
    if method == "PUT" {
        headers.push(("if-match", "*"));
    }
    send(&h.router, json_request(method, uri, body, &headers)).await
}

async fn me(h: &Harness, token: &str) -> Answer {
    let auth = bearer(token);
    send(&h.router, get_with("/api/me", &[("authorization", &auth)])).await
}

#[tokio::test]
async fn valid_tokens_of_each_algorithm_pass_with_a_set_from_a_url_and_from_a_file() {
    let keys = [rsa_key("rsa-1"), ec_key("ec-1"), ed_key("ed-1")];
    let jwks = set(&keys.iter().collect::<Vec<_>>());
    let server = JwksServer::start(jwks.clone()).await;
    let dir = tempfile::tempdir().expect("dir");
    let file = dir.path().join("jwks.json");
    std::fs::write(&file, jwks.to_string()).expect("write");
    for source in [JwksSource::Url(server.url.clone()), JwksSource::File(file)] {
        let verifier = Verifier::load(settings(source.clone()))
            .await
            .expect("loads");
        let h = harness_for(verifier).await;
        for key in &keys {
            let a = me(&h, &sign(key, &claims("ada", &[WRITE]))).await;
            assert_eq!(
                a.status,
                StatusCode::OK,
                "{source:?} {:?}: {}",
                key.alg,
                a.text()
            );
            let body = a.json();
            assert_eq!(body["id"], "ada");
            assert_eq!(body["name"], "User ada");
            assert_eq!(body["can_write"], true);
        }
        // Without roles: a reader; `preferred_username` names it when `name` is missing.
        let mut c = claims("bob", &[]);
        c.as_object_mut().expect("object").remove("name");
        c["preferred_username"] = json!("bob@example.test");
        let body = me(&h, &sign(&keys[2], &c)).await.json();
        assert_eq!(body["can_write"], false, "{body}");
        assert_eq!(body["name"], "bob@example.test");
        // Within the 60 s leeway an expired token still passes.
        let mut c = claims("ada", &[]);
        c["exp"] = json!(now() - 20);
        assert_eq!(me(&h, &sign(&keys[0], &c)).await.status, StatusCode::OK);
    }
    assert_eq!(server.hits(), 1, "the set was fetched once and cached");
}

#[tokio::test]
async fn every_kind_of_bad_token_is_a_401() {
    let rsa = rsa_key("rsa-1");
    let ec = ec_key("ec-1");
    let ed = ed_key("ed-1");
    let stranger = rsa_key("rsa-1"); // same kid, a key not in the set
    let dir = tempfile::tempdir().expect("dir");
    let file = dir.path().join("jwks.json");
    std::fs::write(&file, set(&[&rsa, &ec, &ed]).to_string()).expect("write");
    let verifier = Verifier::load(settings(JwksSource::File(file)))
        .await
        .expect("loads");
    let h = harness_for(verifier).await;
    let good = claims("ada", &[WRITE]);
    let with = |f: &dyn Fn(&mut Value)| {
        let mut c = good.clone();
        f(&mut c);
        c
    };
    let unsigned = |header: Value, claims: &Value| {
        format!(
            "{}.{}.",
            B64.encode(header.to_string()),
            B64.encode(claims.to_string())
        )
    };
    // HS256 with the RSA key's public modulus as the MAC key (algorithm confusion).
    let public_n = rsa.jwk["n"].as_str().expect("n").to_string();
    let mut hs_header = Header::new(Algorithm::HS256);
    hs_header.kid = Some("rsa-1".into());
    let hs256 = jsonwebtoken::encode(
        &hs_header,
        &good,
        &EncodingKey::from_secret(public_n.as_bytes()),
    )
    .expect("hs256");
    let hs256_der = {
        use rsa::pkcs1::EncodeRsaPublicKey;
        let n = rsa::BigUint::from_bytes_be(&B64.decode(&public_n).expect("n"));
        let e = rsa::BigUint::from_bytes_be(&[1, 0, 1]);
        let public = rsa::RsaPublicKey::new(n, e).expect("public");
        let der = public.to_pkcs1_der().expect("der");
        jsonwebtoken::encode(&hs_header, &good, &EncodingKey::from_secret(der.as_bytes()))
            .expect("hs256")
    };
    let cases: Vec<(&str, String)> = vec![
        (
            "expired",
            sign(&rsa, &with(&|c| c["exp"] = json!(now() - 120))),
        ),
        (
            "not yet valid",
            sign(&ec, &with(&|c| c["nbf"] = json!(now() + 120))),
        ),
        (
            "wrong issuer",
            sign(&ed, &with(&|c| c["iss"] = json!("https://evil.example"))),
        ),
        (
            "wrong audience",
            sign(&rsa, &with(&|c| c["aud"] = json!("another-app"))),
        ),
        ("no exp", sign(&rsa, &with(&|c| c["exp"] = Value::Null))),
        ("unknown kid", sign_with(&rsa, "rsa-9", &good)),
        (
            "alg none",
            unsigned(json!({"alg": "none", "typ": "JWT", "kid": "rsa-1"}), &good),
        ),
        (
            "alg none, no kid",
            unsigned(json!({"alg": "none", "typ": "JWT"}), &good),
        ),
        ("HS256 with the public modulus", hs256),
        ("HS256 with the public key's DER", hs256_der),
        ("a key not in the set", sign(&stranger, &good)),
        (
            "an ES256 token naming the RSA key",
            sign_with(&ec, "rsa-1", &good),
        ),
        (
            "an EdDSA token naming the P-256 key",
            sign_with(&ed, "ec-1", &good),
        ),
        ("garbage", "garbage".into()),
        ("three dots of garbage", "a.b.c".into()),
        ("empty", String::new()),
    ];
    for (what, token) in &cases {
        let a = me(&h, token).await;
        assert_eq!(a.status, StatusCode::UNAUTHORIZED, "{what}: {}", a.text());
        assert_eq!(a.json()["error"]["code"], "unauthorized", "{what}");
    }
    let no_header = send(&h.router, get("/api/connections")).await;
    assert_eq!(no_header.status, StatusCode::UNAUTHORIZED);
    // The good token itself passes: the refusals above are about what was changed.
    assert_eq!(me(&h, &sign(&rsa, &good)).await.status, StatusCode::OK);
}

#[tokio::test]
async fn a_reader_may_read_and_test_but_not_change() {
    let key = ed_key("ed-1");
    let dir = tempfile::tempdir().expect("dir");
    let file = dir.path().join("jwks.json");
    std::fs::write(&file, set(&[&key]).to_string()).expect("write");
    let verifier = Verifier::load(settings(JwksSource::File(file)))
        .await
        .expect("loads");
    let h = harness_for(verifier).await;
    let writer = sign(&key, &claims("ada", &["viewer", WRITE]));
    let reader = sign(&key, &claims("bob", &["viewer"]));

    let a = call(
        &h,
        "POST",
        "/api/connections",
        &input("Shop", "demo", SECRET),
        &writer,
    )
    .await;
    assert_eq!(a.status, StatusCode::CREATED, "{}", a.text());
    let id = a.json()["id"].as_i64().expect("id");
    let one = format!("/api/connections/{id}");

    // Reads and Test.
    for uri in [
        "/api/connections".to_string(),
        one.clone(),
        format!("{one}/history"),
    ] {
        let a = call(&h, "GET", &uri, &Value::Null, &reader).await;
        assert_eq!(a.status, StatusCode::OK, "GET {uri}: {}", a.text());
    }
    let a = call(&h, "POST", &format!("{one}/verify"), &json!({}), &reader).await;
    assert_eq!(a.status, StatusCode::OK, "Test: {}", a.text());
    assert_eq!(a.json()["status"]["state"], "ok");
    let unsaved = json!({"driver": "cloudinary-default",
        "fields": {"cloud_name": "demo", "api_key": "123456789012345", "api_secret": SECRET}});
    let a = call(&h, "POST", "/api/verify", &unsaved, &reader).await;
    assert_eq!(
        a.status,
        StatusCode::OK,
        "Test of unsaved values: {}",
        a.text()
    );

    // Writes: 403 forbidden, whatever the body (checked before it is read).
    let writes = [
        (
            "POST",
            "/api/connections".to_string(),
            input("Other", "demo", SECRET),
        ),
        (
            "POST",
            "/api/connections".to_string(),
            json!({"nonsense": true}),
        ),
        ("PUT", one.clone(), input("Renamed", "demo", SECRET)),
        ("DELETE", one.clone(), Value::Null),
    ];
    for (method, uri, body) in &writes {
        let a = call(&h, method, uri, body, &reader).await;
        assert_eq!(
            a.status,
            StatusCode::FORBIDDEN,
            "{method} {uri}: {}",
            a.text()
        );
        assert_eq!(a.json()["error"]["code"], "forbidden");
        assert!(a.text().contains(WRITE), "{}", a.text());
    }
    // Nothing changed, and the writer still may.
    let list = call(&h, "GET", "/api/connections", &Value::Null, &reader)
        .await
        .json();
    assert_eq!(list["total"], 1, "{list}");
    let a = call(&h, "PUT", &one, &input("Renamed", "demo", SECRET), &writer).await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.text());

    // The history names who did what.
    let history = call(&h, "GET", &format!("{one}/history"), &Value::Null, &reader)
        .await
        .json();
    let actors: Vec<(&str, &str)> = history["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|e| {
            (
                e["action"].as_str().unwrap_or(""),
                e["actor"]["id"].as_str().unwrap_or("-"),
            )
        })
        .collect();
    assert!(actors.contains(&("updated", "ada")), "{history}");
    assert!(actors.contains(&("created", "ada")), "{history}");
    assert!(
        actors
            .iter()
            .any(|(action, who)| *action == "verified" && *who == "bob"),
        "the reader's Test is recorded as theirs: {history}"
    );
    assert_eq!(
        call(&h, "DELETE", &one, &Value::Null, &writer).await.status,
        StatusCode::NO_CONTENT
    );
}

#[tokio::test]
async fn a_rotated_key_set_is_picked_up_at_most_once_a_minute() {
    let old = rsa_key("2026-01");
    let new = ec_key("2026-02");
    let newer = ed_key("2026-03");
    let server = JwksServer::start(set(&[&old])).await;
    let verifier = Verifier::load(settings(JwksSource::Url(server.url.clone())))
        .await
        .expect("loads");
    let h = harness_for(verifier).await;
    assert_eq!(
        me(&h, &sign(&old, &claims("ada", &[]))).await.status,
        StatusCode::OK
    );
    assert_eq!(server.hits(), 1);

    // The identity provider rotates: the new key replaces the old one.
    *server.jwks.lock().expect("lock") = set(&[&new]);
    let a = me(&h, &sign(&new, &claims("ada", &[]))).await;
    assert_eq!(
        a.status,
        StatusCode::OK,
        "the new key is fetched: {}",
        a.text()
    );
    assert_eq!(server.hits(), 2);
    assert_eq!(
        me(&h, &sign(&old, &claims("ada", &[]))).await.status,
        StatusCode::UNAUTHORIZED,
        "the old key is gone"
    );
    // Within the minute, unknown kids fetch nothing more.
    *server.jwks.lock().expect("lock") = set(&[&new, &newer]);
    for _ in 0..3 {
        let a = me(&h, &sign(&newer, &claims("ada", &[]))).await;
        assert_eq!(a.status, StatusCode::UNAUTHORIZED);
    }
    assert_eq!(server.hits(), 2, "at most one fetch a minute");
}

#[tokio::test]
async fn a_key_set_from_a_file_rotates_and_a_url_that_is_down_keeps_the_cached_keys() {
    let old = ed_key("a");
    let new = rsa_key("b");
    let dir = tempfile::tempdir().expect("dir");
    let file = dir.path().join("jwks.json");
    std::fs::write(&file, set(&[&old]).to_string()).expect("write");
    let verifier = Verifier::load(settings(JwksSource::File(file.clone())))
        .await
        .expect("loads");
    let h = harness_for(verifier).await;
    assert_eq!(
        me(&h, &sign(&old, &claims("ada", &[]))).await.status,
        StatusCode::OK
    );
    std::fs::write(&file, set(&[&new]).to_string()).expect("rotate");
    assert_eq!(
        me(&h, &sign(&new, &claims("ada", &[]))).await.status,
        StatusCode::OK
    );

    // A key set URL that goes down: the cached keys keep working.
    let server = JwksServer::start(set(&[&old])).await;
    let mut verifier = Verifier::load(settings(JwksSource::Url(server.url.clone())))
        .await
        .expect("loads");
    verifier.min_refetch = Duration::ZERO;
    let h = harness_for(verifier).await;
    server.down.store(true, Ordering::SeqCst);
    let a = me(&h, &sign(&new, &claims("ada", &[]))).await;
    assert_eq!(a.status, StatusCode::UNAUTHORIZED, "unknown kid, set down");
    assert_eq!(server.hits(), 2, "it tried to fetch the set again");
    let a = me(&h, &sign(&old, &claims("ada", &[]))).await;
    assert_eq!(
        a.status,
        StatusCode::OK,
        "the cached key still works: {}",
        a.text()
    );
}

#[tokio::test]
async fn a_bad_jwt_setting_stops_the_server_with_one_line_naming_it() {
    let dir = tempfile::tempdir().expect("dir");
    let cases = [
        ("/nonexistent/jwks.json", "CLOUDINARY_CONNECTIONS_JWT_JWKS"),
        (
            "ftp://id.example.test/jwks",
            "CLOUDINARY_CONNECTIONS_JWT_JWKS",
        ),
    ];
    let empty_set = dir.path().join("hmac-only.json");
    std::fs::write(
        &empty_set,
        r#"{"keys":[{"kty":"oct","kid":"h","k":"c2VjcmV0"}]}"#,
    )
    .expect("write");
    let empty_set = empty_set.to_string_lossy().to_string();
    let all = cases
        .iter()
        .map(|(v, n)| (v.to_string(), *n))
        .chain([(empty_set, "CLOUDINARY_CONNECTIONS_JWT_JWKS")]);
    for (jwks, name) in all {
        let mut cmd = binary::command(dir.path(), &key(1), "http://127.0.0.1:9", "127.0.0.1:0");
        cmd.env("CLOUDINARY_CONNECTIONS_JWT_JWKS", &jwks)
            .env("CLOUDINARY_CONNECTIONS_JWT_ISSUER", ISSUER)
            .env("CLOUDINARY_CONNECTIONS_JWT_AUDIENCE", AUDIENCE);
        let err = binary::refused(cmd).await;
        assert_eq!(err.trim_end().lines().count(), 1, "{jwks}: {err}");
        assert!(
            err.starts_with(&format!("connections-server: {name}")),
            "{jwks}: {err}"
        );
    }
    // Issuer without the rest.
    let mut cmd = binary::command(dir.path(), &key(1), "http://127.0.0.1:9", "127.0.0.1:0");
    cmd.env("CLOUDINARY_CONNECTIONS_JWT_ISSUER", ISSUER);
    let err = binary::refused(cmd).await;
    assert!(
        err.starts_with("connections-server: CLOUDINARY_CONNECTIONS_JWT_JWKS"),
        "{err}"
    );
}
