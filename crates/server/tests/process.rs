//! The real binary: an acknowledged write survives `kill -9`; a different key,
//! a non-loopback address without a token or an unreachable database refuses
//! to start.

mod support;

use serde_json::json;
use support::binary::{
    command, created_over_http, get_over_http, refused, start, stop, verify_over_http,
};
use support::{basic, key, FakeCloudinary, SECRET};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_acknowledged_write_survives_kill_9_and_a_different_key_refuses_to_start() {
    let fake = FakeCloudinary::start().await;
    let dir = tempfile::tempdir().expect("dir");

    let (mut child, url) = start(command(dir.path(), &key(3), &fake.base, "127.0.0.1:0")).await;
    let created = created_over_http(&url, "Shop EU", "demo").await;
    let id = created["id"].as_i64().expect("id");
    stop(&mut child);

    let (mut child, url) = start(command(dir.path(), &key(3), &fake.base, "127.0.0.1:0")).await;
    let got = get_over_http(&format!("{url}/api/connections/{id}")).await;
    assert_eq!(got["name"], "Shop EU");
    assert_eq!(got["secrets_set"], json!(["api_secret"]));
    let verified = verify_over_http(&url, id).await;
    assert_eq!(verified["status"]["state"], "ok");
    assert_eq!(
        fake.calls().last().expect("call").authorization,
        basic("123456789012345", SECRET),
        "the secret was read back after kill -9"
    );
    stop(&mut child);

    let err = refused(command(dir.path(), &key(4), &fake.base, "127.0.0.1:0")).await;
    let line = err.trim();
    assert!(
        line.starts_with("connections-server: CLOUDINARY_CONNECTIONS_KEY"),
        "{line}"
    );
    assert_eq!(line.lines().count(), 1, "{line}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unreachable_database_refuses_to_start_without_showing_the_password() {
    let dir = tempfile::tempdir().expect("dir");
    let mut cmd = command(dir.path(), &key(3), "http://127.0.0.1:9", "127.0.0.1:0");
    // Port 1 of loopback: nothing listens there.
    cmd.env(
        "CLOUDINARY_CONNECTIONS_DATABASE_URL",
        "postgres://app:Pw-Secret-123@127.0.0.1:1/conn?password=Pw-Secret-123",
    );
    let err = refused(cmd).await;
    let line = err.trim();
    assert!(
        line.starts_with("connections-server: CLOUDINARY_CONNECTIONS_DATABASE_URL"),
        "{line}"
    );
    assert!(line.contains("postgres://app@127.0.0.1:1/conn"), "{line}");
    assert!(!line.contains("Pw-Secret-123"), "{line}");
    assert_eq!(line.lines().count(), 1, "{line}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_a_token_a_non_loopback_address_is_refused() {
    let dir = tempfile::tempdir().expect("dir");
    let err = refused(command(
        dir.path(),
        &key(3),
        "http://127.0.0.1:9",
        "0.0.0.0:0",
    ))
    .await;
    assert!(err.contains("CLOUDINARY_CONNECTIONS_ADDR"), "{err}");
    assert!(err.contains("CLOUDINARY_CONNECTIONS_TOKEN"), "{err}");
}
