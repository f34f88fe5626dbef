//! Two server processes (the real binary, each with its own data dir, as on
//! two hosts behind a load balancer) on one PostgreSQL database: what one
//! writes the other reads, and the rules hold across both because they live in
//! the database. Needs `CONNECTIONS_TEST_POSTGRES` (`make test` provides a
//! throwaway cluster); without it every test here fails, saying so.

mod support;

use std::process::Child;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use serde_json::{json, Value};
use support::binary::{command, created_over_http, get_over_http, start, verify_over_http};
use support::database::{fresh_database, require_postgres};
use support::{input, key, FakeCloudinary, SECRET};

/// Two running instances on one fresh database.
struct Pair {
    urls: [String; 2],
    children: [Child; 2],
    _dirs: [tempfile::TempDir; 2],
    fake: FakeCloudinary,
}

impl Drop for Pair {
    fn drop(&mut self) {
        for child in &mut self.children {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

async fn pair() -> Pair {
    let server = require_postgres();
    let fake = FakeCloudinary::start().await;
    let dirs = [
        tempfile::tempdir().expect("dir"),
        tempfile::tempdir().expect("dir"),
    ];
    let url = fresh_database(&server, dirs[0].path());
    let mut started = Vec::new();
    for dir in &dirs {
        let mut cmd = command(dir.path(), &key(9), &fake.base, "127.0.0.1:0");
        cmd.env("CLOUDINARY_CONNECTIONS_DATABASE_URL", &url);
        started.push(start(cmd).await);
    }
    let [(a, url_a), (b, url_b)]: [(Child, String); 2] =
        started.try_into().unwrap_or_else(|_| panic!("two servers"));
    Pair {
        urls: [url_a, url_b],
        children: [a, b],
        _dirs: dirs,
        fake,
    }
}

fn client() -> reqwest::Client {
    reqwest::Client::new()
}

async fn post(url: &str, body: &Value, idempotency_key: Option<&str>) -> reqwest::Response {
    let mut req = client().post(format!("{url}/api/connections")).json(body);
    if let Some(k) = idempotency_key {
        req = req.header("Idempotency-Key", k);
    }
    req.send().await.expect("create")
}

async fn total(url: &str) -> u64 {
    let page = get_over_http(&format!("{url}/api/connections")).await;
    page["total"].as_u64().expect("total")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_instances_read_each_others_writes_with_the_same_etag() {
    let p = pair().await;
    let created = post(&p.urls[0], &input("Shop EU", "demo", SECRET), None).await;
    assert_eq!(created.status().as_u16(), 201);
    let etag = created.headers()["etag"]
        .to_str()
        .expect("etag")
        .to_string();
    let body: Value = created.json().await.expect("json");
    let id = body["id"].as_i64().expect("id");
    let read = client()
        .get(format!("{}/api/connections/{id}", p.urls[1]))
        .send()
        .await
        .expect("get");
    assert_eq!(read.status().as_u16(), 200);
    assert_eq!(read.headers()["etag"].to_str().expect("etag"), etag);
    let other: Value = read.json().await.expect("json");
    assert_eq!(other, body, "the same connection on both instances");
    assert_eq!(other["secrets_set"], json!(["api_secret"]));
    // The secret written by one instance is read back by the other.
    let verified = verify_over_http(&p.urls[1], id).await;
    assert_eq!(verified["status"]["state"], "ok");
    assert_eq!(
        p.fake.calls().last().expect("call").authorization,
        support::basic("123456789012345", SECRET)
    );
}

/// Sends `n` requests at once, alternating between the two instances.
async fn at_once<F, Fut>(p: &Pair, n: usize, request: F) -> Vec<(u16, Value, bool)>
where
    F: Fn(String, usize) -> Fut,
    Fut: std::future::Future<Output = reqwest::Response> + Send + 'static,
{
    let tasks: Vec<_> = (0..n)
        .map(|i| {
            let fut = request(p.urls[i % 2].clone(), i);
            tokio::spawn(async move {
                let r = fut.await;
                let status = r.status().as_u16();
                let replayed = r.headers().contains_key("idempotent-replayed");
                let body: Value = r.json().await.unwrap_or(Value::Null);
                (status, body, replayed)
            })
        })
        .collect();
    let mut out = Vec::new();
    for t in tasks {
        out.push(t.await.expect("task"));
    }
    out
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_instances_give_one_201_for_concurrent_creates_of_one_name() {
    let p = pair().await;
    let answers = at_once(&p, 16, |url, i| {
        // The same name, in other cases: one name to the unique index.
        let name = if i % 3 == 0 { "Shop EU" } else { "shop eu" };
        let body = input(name, "demo", SECRET);
        async move { post(&url, &body, None).await }
    })
    .await;
    let created = answers.iter().filter(|a| a.0 == 201).count();
    assert_eq!(created, 1, "{answers:?}");
    for (status, body, _) in answers.iter().filter(|a| a.0 != 201) {
        assert_eq!(*status, 422, "{body}");
        assert!(body["error"]["fields"]["name"].is_string(), "{body}");
    }
    assert_eq!(total(&p.urls[0]).await, 1);
    assert_eq!(total(&p.urls[1]).await, 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_instances_make_one_row_for_concurrent_creates_with_one_idempotency_key() {
    let p = pair().await;
    let body = input("Shop EU", "demo", SECRET);
    let answers = at_once(&p, 16, |url, _| {
        let body = body.clone();
        async move { post(&url, &body, Some("one-key-for-all")).await }
    })
    .await;
    assert!(answers.iter().all(|a| a.0 == 201), "{answers:?}");
    let first: Vec<_> = answers.iter().filter(|a| !a.2).collect();
    assert_eq!(first.len(), 1, "one original answer: {answers:?}");
    let id = &first[0].1["id"];
    assert!(answers.iter().all(|a| &a.1["id"] == id), "{answers:?}");
    assert_eq!(total(&p.urls[0]).await, 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_instances_accept_one_of_concurrent_puts_with_one_if_match() {
    let p = pair().await;
    let created = created_over_http(&p.urls[0], "Shop", "demo").await;
    let id = created["id"].as_i64().expect("id");
    let etag = format!("\"{}\"", created["version"]);
    let answers = at_once(&p, 16, |url, i| {
        let req = client()
            .put(format!("{url}/api/connections/{id}"))
            .header("If-Match", etag.clone())
            .json(&json!({
                "name": format!("Shop {i}"),
                "driver": "cloudinary-default",
                "fields": {"cloud_name": "demo", "api_key": "123456789012345"}
            }));
        async move { req.send().await.expect("put") }
    })
    .await;
    let ok: Vec<_> = answers.iter().filter(|a| a.0 == 200).collect();
    assert_eq!(ok.len(), 1, "{answers:?}");
    // The others: 412 Precondition Failed (RFC 9110).
    assert!(
        answers.iter().all(|a| [200, 412].contains(&a.0)),
        "{answers:?}"
    );
    let now = get_over_http(&format!("{}/api/connections/{id}", p.urls[1])).await;
    assert_eq!(now["version"], created["version"].as_i64().expect("v") + 1);
    assert_eq!(now["name"], ok[0].1["name"], "the accepted PUT is stored");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_instances_lose_no_acknowledged_create_when_one_is_killed() {
    let mut p = pair().await;
    let acknowledged: Arc<Mutex<Vec<(i64, String)>>> = Arc::default();
    let count = Arc::new(AtomicUsize::new(0));
    let enough = Arc::new(tokio::sync::Notify::new());
    const KILL_AFTER: usize = 24;
    // Four streams of creates against the first instance, until it is gone.
    let workers: Vec<_> = (0..4)
        .map(|w| {
            let url = p.urls[0].clone();
            let acknowledged = acknowledged.clone();
            let count = count.clone();
            let enough = enough.clone();
            tokio::spawn(async move {
                for i in 0.. {
                    let name = format!("Stream {w}-{i}");
                    let body = input(&name, "demo", SECRET);
                    let sent = client()
                        .post(format!("{url}/api/connections"))
                        .json(&body)
                        .send()
                        .await;
                    let Ok(r) = sent else { break };
                    if r.status().as_u16() != 201 {
                        break;
                    }
                    let Ok(c) = r.json::<Value>().await else {
                        break;
                    };
                    let id = c["id"].as_i64().expect("id");
                    acknowledged.lock().expect("lock").push((id, name));
                    if count.fetch_add(1, Ordering::SeqCst) + 1 == KILL_AFTER {
                        enough.notify_one();
                    }
                }
            })
        })
        .collect();
    enough.notified().await;
    // kill -9 while the streams still send.
    p.children[0].kill().expect("kill -9");
    p.children[0].wait().expect("reaped");
    for w in workers {
        w.await.expect("worker");
    }
    let acknowledged = acknowledged.lock().expect("lock").clone();
    assert!(acknowledged.len() >= KILL_AFTER, "{}", acknowledged.len());
    for (id, name) in &acknowledged {
        let r = client()
            .get(format!("{}/api/connections/{id}", p.urls[1]))
            .send()
            .await
            .expect("get");
        assert_eq!(r.status().as_u16(), 200, "acknowledged create {id} lost");
        let c: Value = r.json().await.expect("json");
        assert_eq!(&c["name"], name);
    }
    let listed = total(&p.urls[1]).await;
    assert!(listed >= acknowledged.len() as u64, "{listed}");
    // The survivor keeps serving writes.
    let after = post(&p.urls[1], &input("After", "demo", SECRET), None).await;
    assert_eq!(after.status().as_u16(), 201);
}
