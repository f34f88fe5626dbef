//! The real server binary: start it, read its URL, talk raw HTTP/1.1 to it.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use serde_json::{json, Value};

pub const BIN: &str = env!("CARGO_BIN_EXE_connections-server");

/// The binary with a clean environment: data in `dir` (and its database on
/// the test backend), key `key_b64`, Cloudinary at `api_base`, listening on
/// `addr`, every verify calling Cloudinary.
pub fn command(dir: &Path, key_b64: &secrecy::SecretString, api_base: &str, addr: &str) -> Command {
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
        .env("CLOUDINARY_CONNECTIONS_VERIFY_REUSE", "0")
        // No scheduled checks: a test counts the calls its own requests cause.
        .env("CLOUDINARY_CONNECTIONS_RECHECK", "0")
        .env("RUST_LOG", "error")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    if let Some(url) = super::database::database_url(dir) {
        cmd.env(
            "CLOUDINARY_CONNECTIONS_DATABASE_URL",
            secrecy::ExposeSecret::expose_secret(&url),
        );
    }
    cmd
}

/// Starts the server and returns it with its URL, read from its first line.
pub async fn start(cmd: Command) -> (Child, String) {
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

/// Stops a started server as `kill -9` does (SIGKILL) and reaps it.
pub fn stop(child: &mut Child) {
    child.kill().expect("kill -9");
    child.wait().expect("reaped");
}

/// Runs a server that must refuse to start; returns its stderr.
pub async fn refused(mut cmd: Command) -> String {
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

/// `host:port` of a server URL.
pub fn authority(url: &str) -> String {
    url.trim_start_matches("http://").to_string()
}

/// A raw HTTP/1.1 answer: status and body.
pub struct Raw {
    pub status: u16,
    pub head: String,
    pub body: String,
}

/// Sends `head` (request line and headers, without the blank line) plus `body`
/// to `authority` and reads the whole answer (`Connection: close` is added).
pub async fn raw(authority: &str, head: &str, body: &str) -> Raw {
    let authority = authority.to_string();
    let request = format!(
        "{head}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    tokio::task::spawn_blocking(move || {
        let mut s = TcpStream::connect(&authority).expect("connect");
        s.set_read_timeout(Some(Duration::from_secs(20)))
            .expect("timeout");
        s.write_all(request.as_bytes()).expect("write");
        let mut out = Vec::new();
        s.read_to_end(&mut out).expect("read");
        let text = String::from_utf8_lossy(&out).into_owned();
        let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
        let status = head
            .split(' ')
            .nth(1)
            .and_then(|s| s.parse().ok())
            .unwrap_or_else(|| panic!("no status in {head:?}"));
        Raw {
            status,
            head: head.to_string(),
            body: body.to_string(),
        }
    })
    .await
    .expect("join")
}

/// `GET url` over HTTP; returns the answer's JSON.
pub async fn get_over_http(url: &str) -> Value {
    reqwest::get(url)
        .await
        .expect("get")
        .json()
        .await
        .expect("json")
}

/// Creates `input(name, cloud, SECRET)` over HTTP on the server at `url`,
/// which must answer 201; returns the created connection.
pub async fn created_over_http(url: &str, name: &str, cloud: &str) -> Value {
    let r = reqwest::Client::new()
        .post(format!("{url}/api/connections"))
        .json(&super::input(name, cloud, super::SECRET))
        .send()
        .await
        .expect("create");
    assert_eq!(r.status().as_u16(), 201);
    r.json().await.expect("json")
}

/// Tests the stored connection `id` over HTTP on the server at `url`; returns the answer.
pub async fn verify_over_http(url: &str, id: i64) -> Value {
    reqwest::Client::new()
        .post(format!("{url}/api/connections/{id}/verify"))
        .json(&json!({}))
        .send()
        .await
        .expect("verify")
        .json()
        .await
        .expect("json")
}
