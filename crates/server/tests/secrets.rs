//! API secrets: never in a response, a log line (all of tracing captured at
//! TRACE) or the database (the SQLite files; PostgreSQL's stored column); read
//! back after a restart; a different key refuses to start.

mod support;

use std::io::Write;
use std::sync::{Arc, Mutex, OnceLock};

use axum::http::StatusCode;
use connections_server::crypto::KEY_FILE;
use connections_server::store::DB_FILE;
use connections_server::{app, AppState};
use serde_json::json;
use support::*;

/// Everything any test in this binary logs, at every level.
fn captured() -> &'static Arc<Mutex<Vec<u8>>> {
    static LOGS: OnceLock<Arc<Mutex<Vec<u8>>>> = OnceLock::new();
    LOGS.get_or_init(|| {
        let buf: Arc<Mutex<Vec<u8>>> = Arc::default();
        let sink = buf.clone();
        tracing_subscriber::fmt()
            .with_max_level(tracing::Level::TRACE)
            .with_ansi(false)
            .with_writer(move || Sink(sink.clone()))
            .init();
        buf
    })
}

struct Sink(Arc<Mutex<Vec<u8>>>);

impl Write for Sink {
    fn write(&mut self, data: &[u8]) -> std::io::Result<usize> {
        self.0.lock().expect("lock").extend_from_slice(data);
        Ok(data.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_secret_is_in_no_response_no_log_line_and_not_in_the_sqlite_files() {
    let logs = captured();
    let h = harness().await;
    let mut answers = Vec::new();
    let c = create(&h.router, &input("Shop", "demo", SECRET)).await;
    let uri = c.header("location").to_string();
    answers.push(c);
    for cloud in [
        "bad-json",
        "bad-html",
        "missing-x",
        "limited",
        "broken",
        "slow",
    ] {
        answers.push(
            send(
                &h.router,
                json_request(
                    "POST",
                    "/api/verify",
                    &json!({"driver": "cloudinary-default", "fields":
                        {"cloud_name": cloud, "api_key": "1", "api_secret": SECRET}}),
                    &[],
                ),
            )
            .await,
        );
    }
    answers.push(send(&h.router, get(&uri)).await);
    answers.push(send(&h.router, get("/api/connections")).await);
    answers.push(put(&h.router, &uri, &input("Shop", "demo", SECRET), 1).await);
    answers.push(verify_stored(&h.router, &uri).await);
    // errors that carry the secret in their request
    answers.push(create(&h.router, &input("Shop", "demo", SECRET)).await); // name taken
    let mut bad = input("Other", "demo", &format!("{SECRET} !"));
    bad["fields"]["api_key"] = json!("12x");
    answers.push(create(&h.router, &bad).await);
    answers.push(
        send(
            &h.router,
            axum::http::Request::post("/api/connections")
                .header("content-type", "application/json")
                .body(axum::body::Body::from(format!(
                    "{{\"name\":\"x\",\"fields\":{{\"api_secret\":\"{SECRET}\"}}"
                )))
                .expect("request"),
        )
        .await,
    );
    assert!(answers
        .iter()
        .any(|a| a.status == StatusCode::UNPROCESSABLE_ENTITY));
    assert!(answers.iter().any(|a| a.status == StatusCode::BAD_REQUEST));
    for a in &answers {
        assert!(!contains(&a.body, SECRET.as_bytes()), "{}", a.text());
        for v in a.headers.values() {
            assert!(!contains(v.as_bytes(), SECRET.as_bytes()));
        }
    }
    // the fake did receive it: the test would notice a secret that went nowhere
    assert!(h
        .fake
        .calls()
        .iter()
        .any(|c| c.authorization == basic("123456789012345", SECRET)));

    let logged = logs.lock().expect("lock").clone();
    assert!(
        contains(&logged, b"verified against Cloudinary"),
        "the server's log lines were captured"
    );
    assert!(!contains(&logged, SECRET.as_bytes()), "secret in the log");
    let encoded = basic("123456789012345", SECRET);
    assert!(
        !contains(&logged, encoded.as_bytes()),
        "Authorization header in the log"
    );

    drop(h.router);
    if database::on_postgres(&h.state.store) {
        let stored = database::fetch_text(
            &h.state.store,
            "SELECT string_agg(secrets || fields || name, ' ') FROM connections",
            &[],
        )
        .await;
        assert!(stored.contains("\"v2."), "the secret is stored: {stored}");
        assert!(!stored.contains(SECRET), "secret in the database: {stored}");
        return;
    }
    h.state.store.close().await;
    let mut files = 0;
    for name in [
        DB_FILE.to_string(),
        format!("{DB_FILE}-wal"),
        format!("{DB_FILE}-shm"),
    ] {
        if let Ok(bytes) = std::fs::read(h.dir.path().join(&name)) {
            files += 1;
            assert!(!contains(&bytes, SECRET.as_bytes()), "secret in {name}");
        }
    }
    assert!(files >= 1, "the database file was read");
}

#[tokio::test]
async fn the_wal_holds_no_secret_while_the_server_runs() {
    let h = harness().await;
    if database::on_postgres(&h.state.store) {
        // SQLite only: PostgreSQL's WAL belongs to its server; the test above
        // reads PostgreSQL's stored column instead.
        return;
    }
    created(&h.router, "Shop", "demo").await;
    let wal = std::fs::read(h.dir.path().join(format!("{DB_FILE}-wal"))).expect("wal exists");
    assert!(!wal.is_empty(), "the write is in the WAL");
    assert!(!contains(&wal, SECRET.as_bytes()));
    let db = std::fs::read(h.dir.path().join(DB_FILE)).expect("db");
    assert!(!contains(&db, SECRET.as_bytes()));
}

#[tokio::test]
async fn a_restart_with_the_same_data_dir_reads_the_secret_back() {
    let fake = FakeCloudinary::start().await;
    let dir = tempfile::tempdir().expect("dir");
    let id = {
        let state = state_in(dir.path(), &key(7), &fake).await;
        let c = created(&app(state.clone()), "Shop", "demo").await;
        state.store.close().await;
        c["id"].clone()
    };
    let state = state_in(dir.path(), &key(7), &fake).await;
    let a = verify_stored(&app(state), &format!("/api/connections/{id}")).await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.text());
    assert_eq!(a.json()["status"]["state"], "ok");
    let calls = fake.calls();
    assert_eq!(calls.len(), 2);
    assert_eq!(calls[1].authorization, basic("123456789012345", SECRET));
}

#[tokio::test]
async fn a_restart_with_a_different_key_refuses_to_start() {
    let fake = FakeCloudinary::start().await;
    let dir = tempfile::tempdir().expect("dir");
    let state = state_in(dir.path(), &key(7), &fake).await;
    created(&app(state.clone()), "Shop", "demo").await;
    state.store.close().await;
    let err = database::open(dir.path(), Some(&key(8)))
        .await
        .err()
        .expect("refused");
    assert!(err.starts_with("CLOUDINARY_CONNECTIONS_KEY"), "{err}");
    assert!(!err.contains('\n'), "one line: {err}");
    assert!(!err.contains(SECRET));
    // a key that is not 32 bytes of base64 is refused as such
    let short = secrecy::SecretString::from("c2hvcnQ=");
    let err = database::open(dir.path(), Some(&short))
        .await
        .err()
        .expect("refused");
    assert!(err.contains("32 bytes"), "{err}");
}

#[cfg(unix)]
#[tokio::test]
async fn without_a_key_setting_a_private_key_file_is_made_and_must_stay() {
    use std::os::unix::fs::PermissionsExt;
    let fake = FakeCloudinary::start().await;
    let dir = tempfile::tempdir().expect("dir");
    let store = database::open(dir.path(), None).await.expect("opens");
    let mode = std::fs::metadata(dir.path().join(KEY_FILE))
        .expect("key file")
        .permissions()
        .mode();
    assert_eq!(mode & 0o777, 0o600);
    let mut state = AppState::new(store, dir.path().join("dist")).expect("state");
    state.cloudinary_api_base = Some(Arc::from(fake.base.as_str()));
    let c = created(&app(state.clone()), "Shop", "demo").await;
    state.store.close().await;

    let store = database::open(dir.path(), None)
        .await
        .expect("reopens with the key file");
    let row = store
        .get(c["id"].as_i64().expect("id"))
        .await
        .expect("query")
        .expect("row");
    let secrets = store.secrets(&row).expect("decrypts");
    assert_eq!(
        secrecy::ExposeSecret::expose_secret(&secrets["api_secret"]),
        SECRET
    );
    store.close().await;

    std::fs::remove_file(dir.path().join(KEY_FILE)).expect("remove");
    let err = database::open(dir.path(), None)
        .await
        .err()
        .expect("refused without the key file");
    assert!(err.starts_with("CLOUDINARY_CONNECTIONS_KEY"), "{err}");
    assert!(
        !dir.path().join(KEY_FILE).exists(),
        "no fresh key is made for a database that holds secrets"
    );
}
