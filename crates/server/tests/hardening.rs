//! What a hostile page in the administrator's browser, or a hostile client,
//! would try: each numbered item of the hardening review, from outside.

mod support;

use std::io::Read;
use std::net::TcpStream;
use std::time::Duration;

use axum::http::StatusCode;
use serde_json::{json, Value};
use support::binary::{authority, command, raw, refused, start, stop};
use support::database::{execute, fetch_text, Arg};
use support::*;

const TOKEN: &str = "k7Qw2vR9xL4pN8sT1yU6zA3bC5dE0fGh";

// 1. DNS rebinding: without a token only the loopback names of the bound
//    address are answered; a foreign Origin may change nothing.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_a_token_a_foreign_host_is_refused_and_a_foreign_origin_changes_nothing() {
    let fake = FakeCloudinary::start().await;
    let dir = tempfile::tempdir().expect("dir");
    let (mut child, url) = start(command(dir.path(), &key(1), &fake.base, "127.0.0.1:0")).await;
    let at = authority(&url);
    let port = at.rsplit(':').next().expect("port").to_string();

    for host in [
        "evil.example".to_string(),
        format!("evil.example:{port}"),
        format!("127.0.0.1:{}", port.parse::<u32>().expect("n") + 1),
    ] {
        let a = raw(
            &at,
            &format!("GET /api/connections HTTP/1.1\r\nHost: {host}"),
            "",
        )
        .await;
        assert_eq!(a.status, 421, "Host {host}: {}", a.head);
        let body: Value = serde_json::from_str(&a.body).expect("Error body");
        assert_eq!(body["error"]["code"], "bad_request");
        // the app's page too: a rebinding page learns nothing from here
        let a = raw(&at, &format!("GET / HTTP/1.1\r\nHost: {host}"), "").await;
        assert_eq!(a.status, 421, "Host {host}");
    }
    for host in [
        format!("127.0.0.1:{port}"),
        format!("localhost:{port}"),
        format!("LOCALHOST:{port}"),
    ] {
        let a = raw(
            &at,
            &format!("GET /api/connections HTTP/1.1\r\nHost: {host}"),
            "",
        )
        .await;
        assert_eq!(a.status, 200, "Host {host}: {}", a.head);
    }

    let create = |origin: String| {
        let at = at.clone();
        let port = port.clone();
        async move {
            let body = input("Shop EU", "demo", SECRET).to_string();
            raw(
                &at,
                &format!(
                    "POST /api/connections HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n\
                     Content-Type: application/json\r\nOrigin: {origin}"
                ),
                &body,
            )
            .await
        }
    };
    for origin in ["http://evil.example", "null", "http://127.0.0.1:1"] {
        let a = create(origin.to_string()).await;
        assert_eq!(a.status, 403, "Origin {origin}: {}", a.head);
        let body: Value = serde_json::from_str(&a.body).expect("Error body");
        assert_eq!(body["error"]["code"], "forbidden");
    }
    assert!(fake.calls().is_empty(), "nothing reached Cloudinary");
    let a = create(format!("http://127.0.0.1:{port}")).await;
    assert_eq!(a.status, 201, "the app's own origin: {}", a.body);
    stop(&mut child);
}

#[tokio::test]
async fn with_a_token_any_host_is_answered_but_a_foreign_origin_still_changes_nothing() {
    let h = harness_with(|s| s.token = Some(TOKEN.into())).await;
    let auth = format!("Bearer {TOKEN}");
    let body = input("Shop", "demo", SECRET);
    let a = create_with(
        &h.router,
        &body,
        &[
            ("authorization", &auth),
            ("origin", "https://evil.example"),
            ("host", "connections.example.com"),
        ],
    )
    .await;
    assert_eq!(a.status, StatusCode::FORBIDDEN, "{}", a.text());
    let a = create_with(
        &h.router,
        &body,
        &[("authorization", &auth), ("sec-fetch-site", "cross-site")],
    )
    .await;
    assert_eq!(a.status, StatusCode::FORBIDDEN, "{}", a.text());
    let a = create_with(&h.router, &body, &[("authorization", &auth)]).await;
    assert_eq!(a.status, StatusCode::CREATED, "{}", a.text());
}

#[tokio::test]
async fn an_allowed_origin_may_change_connections() {
    let h = harness_with(|s| {
        s.allowed_origins = std::sync::Arc::new(vec!["https://shell.example.com".into()])
    })
    .await;
    let body = input("Shop", "demo", SECRET);
    let a = create_with(&h.router, &body, &[("origin", "https://shell.example.com")]).await;
    assert_eq!(a.status, StatusCode::CREATED, "{}", a.text());
    let evil = [("origin", "https://shell.example.com.evil.example")];
    let a = create_with(&h.router, &body, &evil).await;
    assert_eq!(a.status, StatusCode::FORBIDDEN, "{}", a.text());
}

// 2. CSRF on verify: a body-less POST (what a cross-site form sends) is refused;
//    repeated verifies within a few seconds reuse the last result.
#[tokio::test]
async fn verify_needs_json_and_a_burst_calls_cloudinary_once() {
    let h = harness_with(|s| s.verify_reuse = Duration::from_secs(5)).await;
    let c = created(&h.router, "Shop", "demo").await;
    assert_eq!(h.fake.calls().len(), 1, "the create verified once");
    let uri = format!("/api/connections/{}/verify", c["id"]);
    for content_type in [
        None,
        Some("application/x-www-form-urlencoded"),
        Some("text/plain"),
    ] {
        let mut b = axum::http::Request::post(&uri);
        if let Some(t) = content_type {
            b = b.header("content-type", t);
        }
        let a = send(
            &h.router,
            b.body(axum::body::Body::from("a=1")).expect("req"),
        )
        .await;
        assert_eq!(
            a.status,
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "{content_type:?}"
        );
        assert_eq!(a.json()["error"]["code"], "bad_request");
    }
    for _ in 0..5 {
        let a = send(&h.router, json_request("POST", &uri, &json!({}), &[])).await;
        assert_eq!(a.status, StatusCode::OK, "{}", a.text());
        assert_eq!(a.json()["status"]["state"], "ok");
    }
    assert_eq!(h.fake.calls().len(), 1, "no call within the reuse window");
}

#[tokio::test]
async fn a_changed_connection_is_verified_again_at_once() {
    let h = harness_with(|s| s.verify_reuse = Duration::from_secs(5)).await;
    let c = created(&h.router, "Shop", "demo").await;
    let id = c["id"].as_i64().expect("id");
    let mut body = input("Shop", "demo2", SECRET);
    body["fields"]["api_secret"] = json!("");
    let a = put(&h.router, &format!("/api/connections/{id}"), &body, 1).await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.text());
    assert_eq!(h.fake.calls().len(), 2, "an update verifies the new values");
    assert_eq!(h.fake.calls()[1].path, "/v1_1/demo2/ping");
}

// 3. Slow clients: 140 idle sockets against a server with 128 file descriptors.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn idle_sockets_cannot_take_the_server_down() {
    let fake = FakeCloudinary::start().await;
    let dir = tempfile::tempdir().expect("dir");
    let plain = command(dir.path(), &key(1), &fake.base, "127.0.0.1:0");
    let mut limited = std::process::Command::new("prlimit");
    limited
        .arg("--nofile=128:128")
        .arg(support::binary::BIN)
        .envs(
            plain
                .get_envs()
                .filter_map(|(k, v)| v.map(|v| (k.to_owned(), v.to_owned()))),
        )
        .env("CLOUDINARY_CONNECTIONS_MAX_CONNECTIONS", "16")
        .env("CLOUDINARY_CONNECTIONS_HEADER_TIMEOUT", "1")
        .env_remove("PATH")
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped());
    let (mut child, url) = start(limited).await;
    let at = authority(&url);
    let (idle, health) = tokio::task::spawn_blocking({
        let at = at.clone();
        move || {
            let idle: Vec<TcpStream> = (0..140)
                .map(|_| TcpStream::connect(&at).expect("connect"))
                .collect();
            // One idle socket half-sends its headers and stops (slowloris).
            let mut slow = TcpStream::connect(&at).expect("connect");
            std::io::Write::write_all(&mut slow, b"GET /api/health HTTP/1.1\r\nHost: x")
                .expect("write");
            (idle, slow)
        }
    })
    .await
    .expect("join");
    // A real request still gets its answer, once the idle ones are dropped.
    let a = raw(&at, &format!("GET /api/health HTTP/1.1\r\nHost: {at}"), "").await;
    assert_eq!(a.status, 200, "{}", a.head);
    let closed = tokio::task::spawn_blocking(move || {
        idle.into_iter()
            .chain(std::iter::once(health))
            .filter(|s| {
                let mut s = s.try_clone().expect("clone");
                s.set_read_timeout(Some(Duration::from_secs(30)))
                    .expect("timeout");
                let mut buf = Vec::new();
                // the server closes an idle connection: the read ends
                s.read_to_end(&mut buf).is_ok()
            })
            .count()
    })
    .await
    .expect("join");
    assert_eq!(closed, 141, "every idle socket was closed by the server");
    assert!(child.try_wait().expect("status").is_none(), "still running");
    stop(&mut child);
}

// 4. A secret sent in the wrong place or as the wrong type is not echoed.
#[tokio::test]
async fn a_misplaced_secret_is_not_repeated_in_the_error() {
    let h = harness().await;
    let bodies = [
        json!({"name": "Shop", "driver": "cloudinary-default",
               "fields": format!("cloudinary://123456789012345:{SECRET}@demo")}),
        json!({"name": "Shop", "driver": "cloudinary-default",
               "fields": {"cloud_name": "demo", "api_key": "1", "api_secret": 987_654_321_012_u64}}),
        json!({"name": SECRET.len(), "driver": "cloudinary-default", "fields": {},
               SECRET: 1}),
        json!([SECRET]),
    ];
    for body in bodies {
        let a = create(&h.router, &body).await;
        assert_eq!(a.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", a.text());
        let text = a.text();
        assert!(!text.contains(SECRET), "{text}");
        assert!(!text.contains("987654321012"), "{text}");
        assert!(text.contains("does not fit"), "{text}");
    }
    let a = create(
        &h.router,
        &json!({"name": "Shop", "driver": "cloudinary-default",
                "fields": {"cloud_name": "demo", "api_key": "1", "api_secret": 5}}),
    )
    .await;
    assert!(
        a.text().contains("`fields.api_secret`"),
        "names the place: {}",
        a.text()
    );
}

// 6. The log has the path, never the query (it holds the filter text).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_log_names_the_path_not_the_query() {
    let fake = FakeCloudinary::start().await;
    let dir = tempfile::tempdir().expect("dir");
    let mut cmd = command(dir.path(), &key(1), &fake.base, "127.0.0.1:0");
    cmd.env("RUST_LOG", "info");
    let (mut child, url) = start(cmd).await;
    let a = raw(
        &authority(&url),
        "GET /api/connections?q=FilterTextTyped HTTP/1.1\r\nHost: 127.0.0.1",
        "",
    )
    .await;
    assert_eq!(
        a.status, 421,
        "Host without the port is not a loopback name of this server"
    );
    let a = raw(
        &authority(&url),
        &format!(
            "GET /api/connections?q=FilterTextTyped HTTP/1.1\r\nHost: {}",
            authority(&url)
        ),
        "",
    )
    .await;
    assert_eq!(a.status, 200);
    child.kill().expect("kill");
    let out = child.wait_with_output().expect("output");
    let log = String::from_utf8_lossy(&out.stderr);
    assert!(log.contains("/api/connections"), "{log}");
    assert!(!log.contains("FilterTextTyped"), "{log}");
}

// 8. A ciphertext moved to another row does not decrypt there.
#[tokio::test]
async fn a_secret_swapped_between_rows_is_never_sent() {
    let h = harness().await;
    let a = created(&h.router, "A", "demo-a").await;
    let other_secret = "OtherSecretValue_99";
    let b = create(&h.router, &input("B", "demo-b", other_secret)).await;
    assert_eq!(b.status, StatusCode::CREATED);
    let store = &h.state.store;
    let b_id = b.json()["id"].as_i64().expect("id");
    let b_secrets = fetch_text(
        store,
        "SELECT secrets FROM connections WHERE id = ?1",
        &[Arg::Int(b_id)],
    )
    .await;
    let a_id = a["id"].as_i64().expect("id");
    let swapped = execute(
        store,
        "UPDATE connections SET secrets = ?1 WHERE id = ?2",
        &[Arg::Text(&b_secrets), Arg::Int(a_id)],
    )
    .await;
    assert_eq!(swapped, 1);
    let calls_before = h.fake.calls().len();
    let r = verify_stored(&h.router, &format!("/api/connections/{}", a["id"])).await;
    assert_eq!(r.status, StatusCode::INTERNAL_SERVER_ERROR, "{}", r.text());
    assert_eq!(h.fake.calls().len(), calls_before, "nothing was sent");
}

#[tokio::test]
async fn secrets_stored_before_the_binding_are_bound_at_start() {
    let fake = FakeCloudinary::start().await;
    let dir = tempfile::tempdir().expect("dir");
    let id = {
        let state = state_in(dir.path(), &key(5), &fake).await;
        let c = created(&connections_server::app(state.clone()), "Old", "demo").await;
        let id = c["id"].as_i64().expect("id");
        // Write the secret as the first release did: bound to the field key only.
        let legacy = state
            .store
            .cipher()
            .encrypt("api_secret", &secrecy::SecretString::from(SECRET));
        let legacy = json!({"api_secret": legacy}).to_string();
        let done = execute(
            &state.store,
            "UPDATE connections SET secrets = ?1 WHERE id = ?2",
            &[Arg::Text(&legacy), Arg::Int(id)],
        )
        .await;
        assert_eq!(done, 1);
        state.store.close().await;
        id
    };
    let store = database::open(dir.path(), Some(&key(5)))
        .await
        .expect("reopens");
    let row = store.get(id).await.expect("query").expect("row");
    assert!(
        row.secrets.contains("\"v2."),
        "re-encrypted: {}",
        row.secrets
    );
    let secrets = store.secrets(&row).expect("decrypts");
    assert_eq!(
        secrecy::ExposeSecret::expose_secret(&secrets["api_secret"]),
        SECRET
    );
}

// 9. One name however it is typed; no invisible characters.
#[tokio::test]
async fn composed_and_decomposed_names_are_the_same_name() {
    let h = harness().await;
    let first = created(&h.router, "Caf\u{e9} Berlin", "demo").await;
    assert_eq!(first["name"], "Caf\u{e9} Berlin");
    for same in [
        "Cafe\u{301} Berlin",
        "CAFE\u{301} BERLIN",
        " caf\u{e9} berlin ",
    ] {
        let a = create(&h.router, &input(same, "demo", SECRET)).await;
        assert_eq!(a.status, StatusCode::UNPROCESSABLE_ENTITY, "{same:?}");
        assert!(
            a.json()["error"]["fields"]["name"].is_string(),
            "{}",
            a.text()
        );
    }
    let decomposed = create(&h.router, &input("Cre\u{300}me", "demo", SECRET)).await;
    assert_eq!(decomposed.status, StatusCode::CREATED);
    assert_eq!(decomposed.json()["name"], "Cr\u{e8}me", "stored composed");
    for invisible in ["Caf\u{e9}\u{200B} Berlin", "\u{FEFF}Shop", "Shop\u{202E}"] {
        let a = create(&h.router, &input(invisible, "demo", SECRET)).await;
        assert_eq!(a.status, StatusCode::UNPROCESSABLE_ENTITY, "{invisible:?}");
        let m = a.json()["error"]["fields"]["name"]
            .as_str()
            .unwrap_or("")
            .to_string();
        assert!(m.contains("invisible"), "{m}");
    }
}

// 10. A replay returns the first answer, not the row as it is now.
#[tokio::test]
async fn an_idempotent_replay_returns_the_first_answer_after_a_rename_and_a_delete() {
    let h = harness().await;
    let body = input("Shop EU", "demo", SECRET);
    let key = [("idempotency-key", "create-1")];
    let first = create_with(&h.router, &body, &key).await;
    assert_eq!(first.status, StatusCode::CREATED);
    let id = first.json()["id"].as_i64().expect("id");
    let mut renamed = input("Shop US", "demo", "");
    renamed["fields"]["api_secret"] = json!("");
    let a = put(&h.router, &format!("/api/connections/{id}"), &renamed, 1).await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.text());
    let replay = create_with(&h.router, &body, &key).await;
    assert_eq!(replay.status, StatusCode::CREATED);
    assert_eq!(
        replay.json(),
        first.json(),
        "the first answer, byte for byte"
    );
    assert_eq!(replay.header("etag"), first.header("etag"));
    assert_eq!(replay.header("idempotent-replayed"), "true");
    let a = delete(&h.router, &format!("/api/connections/{id}")).await;
    assert_eq!(a.status, StatusCode::NO_CONTENT);
    let replay = create_with(&h.router, &body, &key).await;
    assert_eq!(replay.status, StatusCode::CREATED, "{}", replay.text());
    assert_eq!(replay.json(), first.json());
    assert_eq!(
        h.fake.calls().len(),
        2,
        "create and update verified; replays did not"
    );
}

// 11. The data dir is private.
#[cfg(unix)]
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_data_dir_is_created_private_and_an_open_one_is_tightened() {
    use std::os::unix::fs::PermissionsExt;
    let fake = FakeCloudinary::start().await;
    let root = tempfile::tempdir().expect("dir");
    let fresh = root.path().join("new").join("data");
    let open = root.path().join("open");
    std::fs::create_dir(&open).expect("mkdir");
    std::fs::set_permissions(&open, std::fs::Permissions::from_mode(0o755)).expect("chmod");
    for dir in [&fresh, &open] {
        let (mut child, _url) = start(command(dir, &key(1), &fake.base, "127.0.0.1:0")).await;
        let mode = std::fs::metadata(dir).expect("dir").permissions().mode();
        assert_eq!(mode & 0o777, 0o700, "{}", dir.display());
        stop(&mut child);
    }
}

// 12. A panicking handler is a 500 with the Error body; the process lives on.
#[cfg(feature = "failpoints")]
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_panicking_handler_is_a_500_and_the_server_lives_on() {
    let fake = FakeCloudinary::start().await;
    let dir = tempfile::tempdir().expect("dir");
    let mut cmd = command(dir.path(), &key(1), &fake.base, "127.0.0.1:0");
    cmd.env("FAILPOINTS", "service::get=panic");
    let (mut child, url) = start(cmd).await;
    let at = authority(&url);
    for _ in 0..3 {
        let a = raw(
            &at,
            &format!("GET /api/connections/1 HTTP/1.1\r\nHost: {at}"),
            "",
        )
        .await;
        assert_eq!(a.status, 500, "{}", a.head);
        let body: Value = serde_json::from_str(&a.body).expect("Error body");
        assert_eq!(body["error"]["code"], "internal");
    }
    let a = raw(&at, &format!("GET /api/health HTTP/1.1\r\nHost: {at}"), "").await;
    assert_eq!(a.status, 200);
    assert!(child.try_wait().expect("status").is_none(), "still running");
    stop(&mut child);
}

// 13. Tokens: long enough, from the environment or a file; `Bearer` in any case.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_short_token_refuses_to_start_and_a_token_file_works() {
    let fake = FakeCloudinary::start().await;
    let dir = tempfile::tempdir().expect("dir");
    let mut cmd = command(dir.path(), &key(1), &fake.base, "0.0.0.0:0");
    cmd.env("CLOUDINARY_CONNECTIONS_TOKEN", "x");
    let err = refused(cmd).await;
    assert!(err.contains("CLOUDINARY_CONNECTIONS_TOKEN"), "{err}");
    assert!(err.contains("32"), "{err}");
    let mut cmd = command(dir.path(), &key(1), &fake.base, "127.0.0.1:0");
    cmd.arg("--token").arg(TOKEN);
    let err = refused(cmd).await;
    assert!(err.contains("--token"), "no such flag: {err}");

    let file = dir.path().join("token");
    std::fs::write(&file, format!("{TOKEN}\n")).expect("write");
    let mut cmd = command(dir.path(), &key(1), &fake.base, "127.0.0.1:0");
    cmd.env("CLOUDINARY_CONNECTIONS_TOKEN_FILE", &file);
    let (mut child, url) = start(cmd).await;
    let at = authority(&url);
    let a = raw(
        &at,
        &format!("GET /api/connections HTTP/1.1\r\nHost: {at}"),
        "",
    )
    .await;
    assert_eq!(a.status, 401);
    for scheme in ["Bearer", "bearer", "BEARER"] {
        let a = raw(
            &at,
            &format!(
                "GET /api/connections HTTP/1.1\r\nHost: {at}\r\nAuthorization: {scheme} {TOKEN}"
            ),
            "",
        )
        .await;
        assert_eq!(a.status, 200, "{scheme}");
    }
    stop(&mut child);
}
