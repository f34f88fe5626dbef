//! The real binary: an acknowledged write survives `kill -9`; a different key
//! or a non-loopback address without a token refuses to start.

mod support;

use std::io::{BufRead, BufReader, Read};
use std::path::Path;
use std::process::{Child, Command, Stdio};

use serde_json::{json, Value};
use support::{basic, input, key, FakeCloudinary, SECRET};

const BIN: &str = env!("CARGO_BIN_EXE_connections-server");

fn command(dir: &Path, key_b64: &secrecy::SecretString, api_base: &str, addr: &str) -> Command {
    let mut cmd = Command::new(BIN);
    cmd.env_clear()
        .env("CLOUDINARY_CONNECTIONS_ADDR", addr)
        .env("CLOUDINARY_CONNECTIONS_DATA_DIR", dir)
        .env("CLOUDINARY_CONNECTIONS_DIST", dir.join("dist"))
        .env(
            "CLOUDINARY_CONNECTIONS_KEY",
            secrecy::ExposeSecret::expose_secret(key_b64),
        )
        .env("CLOUDINARY_API_BASE", api_base)
        .env("RUST_LOG", "error")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    cmd
}

/// Starts the server and returns it with its URL, read from its first line.
async fn start(cmd: Command) -> (Child, String) {
    tokio::task::spawn_blocking(move || {
        let mut cmd = cmd;
        let mut child = cmd.spawn().expect("spawn server");
        let stdout = child.stdout.take().expect("stdout");
        let mut line = String::new();
        BufReader::new(stdout).read_line(&mut line).expect("read");
        let url = line
            .split("running at ")
            .nth(1)
            .unwrap_or_else(|| panic!("no URL in {line:?}"))
            .trim()
            .trim_end_matches('/')
            .to_string();
        (child, url)
    })
    .await
    .expect("join")
}

/// Runs a server that must refuse to start; returns its stderr.
async fn refused(mut cmd: Command) -> String {
    tokio::task::spawn_blocking(move || {
        let out = cmd.output().expect("run");
        assert!(!out.status.success(), "must exit non-zero");
        let mut err = String::new();
        out.stderr
            .as_slice()
            .read_to_string(&mut err)
            .expect("utf8");
        err
    })
    .await
    .expect("join")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_acknowledged_write_survives_kill_9_and_a_different_key_refuses_to_start() {
    let fake = FakeCloudinary::start().await;
    let dir = tempfile::tempdir().expect("dir");
    let http = reqwest::Client::new();

    let (mut child, url) = start(command(dir.path(), &key(3), &fake.base, "127.0.0.1:0")).await;
    let resp = http
        .post(format!("{url}/api/connections"))
        .json(&input("Shop EU", "demo", SECRET))
        .send()
        .await
        .expect("create");
    assert_eq!(resp.status().as_u16(), 201);
    let created: Value = resp.json().await.expect("json");
    let id = created["id"].as_i64().expect("id");
    child.kill().expect("kill -9");
    child.wait().expect("reaped");

    let (mut child, url) = start(command(dir.path(), &key(3), &fake.base, "127.0.0.1:0")).await;
    let got: Value = http
        .get(format!("{url}/api/connections/{id}"))
        .send()
        .await
        .expect("get")
        .json()
        .await
        .expect("json");
    assert_eq!(got["name"], "Shop EU");
    assert_eq!(got["secrets_set"], json!(["api_secret"]));
    let verified: Value = http
        .post(format!("{url}/api/connections/{id}/verify"))
        .json(&json!({}))
        .send()
        .await
        .expect("verify")
        .json()
        .await
        .expect("json");
    assert_eq!(verified["status"]["state"], "ok");
    assert_eq!(
        fake.calls().last().expect("call").authorization,
        basic("123456789012345", SECRET),
        "the secret was read back after kill -9"
    );
    child.kill().expect("kill -9");
    child.wait().expect("reaped");

    let err = refused(command(dir.path(), &key(4), &fake.base, "127.0.0.1:0")).await;
    let line = err.trim();
    assert!(
        line.starts_with("connections-server: CLOUDINARY_CONNECTIONS_KEY"),
        "{line}"
    );
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
