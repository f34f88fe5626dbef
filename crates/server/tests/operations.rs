//! What an operator reads: request ids, metrics, JSON logs.

mod support;

use axum::http::StatusCode;
use serde_json::{json, Value};
use support::binary::{
    authority, command, created_over_http, get_over_http, raw, refused, start, stop,
    verify_over_http,
};
use support::*;

const TOKEN: &str = "k7Qw2vR9xL4pN8sT1yU6zA3bC5dE0fGh";

#[tokio::test]
async fn every_answer_has_a_request_id_and_errors_carry_it() {
    let h = harness().await;
    let a = send(&h.router, get("/api/connections/999")).await;
    assert_eq!(a.status, StatusCode::NOT_FOUND);
    let id = a.header("x-request-id").to_string();
    assert_eq!(id.len(), 32, "a fresh id: {id:?}");
    assert_eq!(a.json()["error"]["request_id"], json!(id));
    let b = send(&h.router, get("/api/health")).await;
    assert_ne!(b.header("x-request-id"), id, "one id per request");
    assert_eq!(
        send(&h.router, get("/")).await.header("x-request-id").len(),
        32
    );

    let mut req = get("/api/connections/999");
    req.headers_mut()
        .insert("x-request-id", "shell-req.42".parse().expect("value"));
    let a = send(&h.router, req).await;
    assert_eq!(
        a.header("x-request-id"),
        "shell-req.42",
        "the caller's id is kept"
    );
    assert_eq!(a.json()["error"]["request_id"], "shell-req.42");
    let mut req = get("/api/health");
    req.headers_mut()
        .insert("x-request-id", "forged\tline".parse().expect("value"));
    let a = send(&h.router, req).await;
    assert_eq!(
        a.header("x-request-id").len(),
        32,
        "a forged id is replaced"
    );
}

#[tokio::test]
async fn metrics_count_requests_by_route_and_verifications_by_state() {
    let h = harness_with(|s| s.token = Some(TOKEN.into())).await;
    let auth = format!("Bearer {TOKEN}");
    let with_token = |uri: &str| get_with(uri, &[("authorization", &auth)]);
    assert_eq!(
        send(&h.router, get("/api/metrics")).await.status,
        StatusCode::UNAUTHORIZED,
        "behind the token"
    );
    let a = create_with(
        &h.router,
        &input("Shop", "demo", SECRET),
        &[("authorization", &auth)],
    )
    .await;
    assert_eq!(a.status, StatusCode::CREATED);
    let id = a.json()["id"].as_i64().expect("id");
    for _ in 0..2 {
        send(&h.router, with_token(&format!("/api/connections/{id}"))).await;
    }
    let m = send(&h.router, with_token("/api/metrics")).await;
    assert_eq!(m.status, StatusCode::OK);
    assert!(m.header("content-type").starts_with("text/plain"));
    let text = m.text();
    let line = |needle: &str| {
        text.lines()
            .find(|l| l.contains(needle) && !l.starts_with('#'))
            .unwrap_or_else(|| panic!("no {needle} in\n{text}"))
            .to_string()
    };
    let get_one = line(r#"route="/api/connections/{id}",status="200""#);
    assert!(get_one.ends_with(" 2"), "{get_one}");
    assert!(line(r#"method="POST",route="/api/connections",status="201""#).ends_with(" 1"));
    assert!(line(r#"connections_verifications_total{state="ok"}"#).ends_with(" 1"));
    assert!(text.contains("connections_http_request_duration_seconds_bucket"));
    assert!(
        !text.contains(&format!("/api/connections/{id}\"")),
        "no series per id"
    );
    assert!(!text.contains(SECRET));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn json_logs_on_request_and_a_bad_format_refuses_to_start() {
    let fake = FakeCloudinary::start().await;
    let dir = tempfile::tempdir().expect("dir");
    let mut cmd = command(dir.path(), &key(1), &fake.base, "127.0.0.1:0");
    cmd.env("CLOUDINARY_CONNECTIONS_LOG_FORMAT", "json")
        .env("RUST_LOG", "info");
    let (mut child, url) = start(cmd).await;
    let at = authority(&url);
    let a = raw(
        &at,
        &format!("GET /api/connections/5 HTTP/1.1\r\nHost: {at}\r\nX-Request-Id: trace-me-1"),
        "",
    )
    .await;
    assert_eq!(a.status, 404);
    child.kill().expect("kill");
    let out = child.wait_with_output().expect("output");
    let log = String::from_utf8_lossy(&out.stderr).to_string();
    assert!(
        !log.contains('\u{1b}'),
        "no colour codes off a terminal: {log}"
    );
    let lines: Vec<Value> = log
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("not JSON ({e}): {l}")))
        .collect();
    assert!(
        lines.iter().any(|l| l["span"]["request_id"] == "trace-me-1"
            && l["span"]["path"] == "/api/connections/5"),
        "{log}"
    );

    let mut cmd = command(dir.path(), &key(1), &fake.base, "127.0.0.1:0");
    cmd.env("CLOUDINARY_CONNECTIONS_LOG_FORMAT", "xml");
    let err = refused(cmd).await;
    assert!(err.contains("CLOUDINARY_CONNECTIONS_LOG_FORMAT"), "{err}");
}

/// Runs a subcommand of the binary to its end; returns (success, stdout, stderr).
async fn run(mut cmd: std::process::Command) -> (bool, Vec<u8>, String) {
    tokio::task::spawn_blocking(move || {
        let out = cmd.output().expect("run");
        (
            out.status.success(),
            out.stdout,
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    })
    .await
    .expect("join")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn export_and_import_move_connections_with_their_secrets_sealed() {
    let fake = FakeCloudinary::start().await;
    let staging = tempfile::tempdir().expect("dir");
    let production = tempfile::tempdir().expect("dir");
    let pass_file = staging.path().join("passphrase");
    std::fs::write(&pass_file, "a long passphrase for moving\n").expect("write");

    let (mut child, url) = start(command(staging.path(), &key(1), &fake.base, "127.0.0.1:0")).await;
    for (name, cloud) in [("Shop EU", "demo-eu"), ("Shop US", "demo-us")] {
        created_over_http(&url, name, cloud).await;
    }
    stop(&mut child);

    let mut export = command(staging.path(), &key(1), &fake.base, "127.0.0.1:0");
    export
        .arg("export")
        .arg("--passphrase-file")
        .arg(&pass_file);
    let (ok, sealed, err) = run(export).await;
    assert!(ok, "{err}");
    assert!(err.contains("exported 2 connections"), "{err}");
    let text = String::from_utf8(sealed.clone()).expect("text");
    assert!(
        text.starts_with("-----BEGIN AGE ENCRYPTED FILE-----"),
        "{text}"
    );
    assert!(
        !text.contains(SECRET) && !text.contains("Shop EU"),
        "sealed whole"
    );
    let file = staging.path().join("connections.age");
    std::fs::write(&file, &sealed).expect("write");

    // Into another installation, with another key.
    let import = |pass: &std::path::Path, file: &std::path::Path| {
        let mut cmd = command(production.path(), &key(2), &fake.base, "127.0.0.1:0");
        cmd.arg("import")
            .arg("--passphrase-file")
            .arg(pass)
            .arg(file);
        cmd
    };
    let (ok, out, err) = run(import(&pass_file, &file)).await;
    assert!(ok, "{err}");
    let out = String::from_utf8_lossy(&out).to_string();
    assert!(out.starts_with("imported 2, skipped 0"), "{out}");
    assert!(!out.contains(SECRET) && !err.contains(SECRET));

    let (ok, out, _) = run(import(&pass_file, &file)).await;
    assert!(ok);
    let out = String::from_utf8_lossy(&out).to_string();
    assert!(
        out.starts_with("imported 0, skipped 2 (name taken)"),
        "{out}"
    );
    assert!(out.contains("\"Shop EU\""), "names what it skipped: {out}");

    let wrong = staging.path().join("wrong");
    std::fs::write(&wrong, "not the right passphrase").expect("write");
    let (ok, _, err) = run(import(&wrong, &file)).await;
    assert!(!ok, "a wrong passphrase is refused");
    assert!(err.contains("passphrase is wrong"), "{err}");
    let mut tampered = sealed.clone();
    let i = tampered.len() / 2;
    tampered[i] = if tampered[i] == b'A' { b'B' } else { b'A' };
    let bad = staging.path().join("tampered.age");
    std::fs::write(&bad, &tampered).expect("write");
    let (ok, _, err) = run(import(&pass_file, &bad)).await;
    assert!(!ok, "a changed file is refused: {err}");

    // The secret arrived: the imported connection verifies with it.
    let (mut child, url) = start(command(
        production.path(),
        &key(2),
        &fake.base,
        "127.0.0.1:0",
    ))
    .await;
    let page = get_over_http(&format!("{url}/api/connections?sort=name")).await;
    assert_eq!(page["total"], 2);
    assert_eq!(page["items"][0]["status"]["state"], "unverified");
    let id = page["items"][0]["id"].as_i64().expect("id");
    let before = fake.calls().len();
    let v = verify_over_http(&url, id).await;
    assert_eq!(v["status"]["state"], "ok");
    assert_eq!(fake.calls().len(), before + 1);
    assert_eq!(
        fake.calls().last().expect("call").authorization,
        basic("123456789012345", SECRET)
    );
    stop(&mut child);
}

fn subcommand(
    dir: &std::path::Path,
    key_b64: &secrecy::SecretString,
    fake: &FakeCloudinary,
    args: &[&std::ffi::OsStr],
) -> std::process::Command {
    let mut cmd = command(dir, key_b64, &fake.base, "127.0.0.1:0");
    cmd.args(args);
    cmd
}

async fn names(url: &str) -> Vec<String> {
    item_texts(
        &get_over_http(&format!("{url}/api/connections?sort=name")).await,
        "name",
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_backup_taken_while_serving_restores_after_the_server_stops() {
    let fake = FakeCloudinary::start().await;
    let dir = tempfile::tempdir().expect("dir");
    let copy = dir.path().join("backup.sqlite3");
    let (mut child, url) = start(command(dir.path(), &key(1), &fake.base, "127.0.0.1:0")).await;
    created_over_http(&url, "Before", "demo").await;
    let (ok, _, err) = run(subcommand(
        dir.path(),
        &key(1),
        &fake,
        &["backup".as_ref(), copy.as_os_str()],
    ))
    .await;
    if support::database::postgres().is_some() {
        assert!(
            !ok && err.contains("pg_dump"),
            "PostgreSQL has its own tools: {err}"
        );
        stop(&mut child);
        return;
    }
    assert!(ok, "online backup: {err}");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&copy).expect("copy").permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
    }
    let bytes = std::fs::read(&copy).expect("read");
    assert!(
        !String::from_utf8_lossy(&bytes).contains(SECRET),
        "secrets stay encrypted"
    );
    created_over_http(&url, "After", "demo").await;

    let restore = || {
        subcommand(
            dir.path(),
            &key(1),
            &fake,
            &["restore".as_ref(), copy.as_os_str()],
        )
    };
    let (ok, _, err) = run(restore()).await;
    assert!(
        !ok && err.contains("stop the server first"),
        "refused while serving: {err}"
    );
    stop(&mut child);

    let (ok, _, err) = run(subcommand(
        dir.path(),
        &key(9),
        &fake,
        &["restore".as_ref(), copy.as_os_str()],
    ))
    .await;
    assert!(
        !ok && err.contains("CLOUDINARY_CONNECTIONS_KEY"),
        "another key: {err}"
    );
    let (ok, _, err) = run(restore()).await;
    assert!(ok, "{err}");

    let (mut child, url) = start(command(dir.path(), &key(1), &fake.base, "127.0.0.1:0")).await;
    assert_eq!(names(&url).await, ["Before"], "the state of the backup");
    stop(&mut child);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rotate_key_is_all_or_nothing_and_the_old_key_is_refused_after() {
    let fake = FakeCloudinary::start().await;
    let dir = tempfile::tempdir().expect("dir");
    let (mut child, url) = start(command(dir.path(), &key(1), &fake.base, "127.0.0.1:0")).await;
    let a = created_over_http(&url, "A", "demo").await["id"]
        .as_i64()
        .expect("id");
    created_over_http(&url, "B", "demo").await;
    stop(&mut child);
    let new_key_file = dir.path().join("new.key");
    std::fs::write(&new_key_file, secrecy::ExposeSecret::expose_secret(&key(2))).expect("write");
    let rotate = |k: u8| {
        subcommand(
            dir.path(),
            &key(k),
            &fake,
            &[
                "rotate-key".as_ref(),
                "--new-key-file".as_ref(),
                new_key_file.as_os_str(),
            ],
        )
    };

    // A crash after the first row: nothing changed.
    let mut crash = rotate(1);
    crash.env("FAILPOINTS", "store::rewrite-secrets=panic");
    let (ok, _, _) = run(crash).await;
    assert!(!ok, "the failpoint stopped it");
    let verify_with = |k: u8| {
        let dir = dir.path().to_path_buf();
        let base = fake.base.clone();
        async move {
            let (mut child, url) = start(command(&dir, &key(k), &base, "127.0.0.1:0")).await;
            let v = verify_over_http(&url, a).await;
            stop(&mut child);
            v
        }
    };
    assert_eq!(
        verify_with(1).await["status"]["state"],
        "ok",
        "old key still opens it"
    );
    assert_eq!(
        fake.calls().last().expect("call").authorization,
        basic("123456789012345", SECRET)
    );

    let (ok, _, err) = run(rotate(1)).await;
    assert!(ok, "{err}");
    assert!(
        err.contains("re-encrypted the secrets of 2 connections"),
        "{err}"
    );
    let err = refused(command(dir.path(), &key(1), &fake.base, "127.0.0.1:0")).await;
    assert!(
        err.contains("does not decrypt"),
        "the old key is refused: {err}"
    );
    let calls = fake.calls().len();
    assert_eq!(verify_with(2).await["status"]["state"], "ok");
    assert_eq!(fake.calls().len(), calls + 1);
    assert_eq!(
        fake.calls().last().expect("call").authorization,
        basic("123456789012345", SECRET),
        "the same secret under the new key"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rotate_key_replaces_the_key_file_it_used() {
    let fake = FakeCloudinary::start().await;
    let dir = tempfile::tempdir().expect("dir");
    let without_key = |args: &[&std::ffi::OsStr]| {
        let mut cmd = command(dir.path(), &key(1), &fake.base, "127.0.0.1:0");
        cmd.env_remove("CLOUDINARY_CONNECTIONS_KEY").args(args);
        cmd
    };
    let (mut child, url) = start(without_key(&[])).await;
    created_over_http(&url, "A", "demo").await;
    stop(&mut child);
    let key_file = dir.path().join("connections.key");
    let old = std::fs::read_to_string(&key_file).expect("key file");
    let new_key_file = dir.path().join("new.key");
    std::fs::write(&new_key_file, secrecy::ExposeSecret::expose_secret(&key(3))).expect("write");
    let (ok, _, err) = run(without_key(&[
        "rotate-key".as_ref(),
        "--new-key-file".as_ref(),
        new_key_file.as_os_str(),
    ]))
    .await;
    assert!(ok, "{err}");
    let now = std::fs::read_to_string(&key_file).expect("key file");
    assert_ne!(now, old);
    assert_eq!(now.trim(), secrecy::ExposeSecret::expose_secret(&key(3)));
    let (mut child, url) = start(without_key(&[])).await;
    assert_eq!(names(&url).await, ["A"]);
    stop(&mut child);
}
