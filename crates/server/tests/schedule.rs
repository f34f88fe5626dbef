//! Scheduled checks against a loopback stand-in for Cloudinary that can revoke
//! a secret and rate-limit an account: a revoked secret shows as "Invalid
//! credentials" without a user asking, the calls per account keep to the
//! schedule and come one at a time, a 420 with a reset time pauses the account
//! until then, two instances on one database do not double the calls, and the
//! loop stops cleanly. On SQLite, or PostgreSQL with `CONNECTIONS_TEST_POSTGRES`.

mod support;

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime};

use axum::extract::{Path as UrlPath, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use base64::Engine;
use connections_server::schedule::Scheduler;
use connections_server::{app, AppState};
use serde_json::{json, Value};
use support::*;

const INTERVAL: Duration = Duration::from_secs(2);
const DEADLINE: Duration = Duration::from_secs(40);

/// One call the stand-in received.
#[derive(Debug, Clone)]
struct Hit {
    cloud: String,
    api_key: String,
    at: SystemTime,
}

/// A stateful loopback Cloudinary: revoked secrets answer 401, a rate-limited
/// cloud 420 with `X-FeatureRateLimit-Reset` until its time; each call takes
/// 100 ms, so that overlapping calls of one account would be seen.
#[derive(Clone, Default)]
struct StandIn {
    hits: Arc<Mutex<Vec<Hit>>>,
    revoked: Arc<Mutex<HashSet<String>>>,
    limited: Arc<Mutex<HashMap<String, SystemTime>>>,
    in_flight: Arc<Mutex<HashMap<String, usize>>>,
    most_at_once: Arc<Mutex<HashMap<String, usize>>>,
}

impl StandIn {
    async fn start() -> (StandIn, String) {
        let s = StandIn::default();
        let router = axum::Router::new()
            .route("/v1_1/{cloud}/ping", axum::routing::get(ping))
            .with_state(s.clone());
        let addr = serve_on_loopback(router).await;
        (s, format!("http://{addr}"))
    }

    fn hits(&self) -> Vec<Hit> {
        self.hits.lock().expect("lock").clone()
    }

    fn hits_of(&self, cloud: &str) -> Vec<Hit> {
        self.hits()
            .into_iter()
            .filter(|h| h.cloud == cloud)
            .collect()
    }

    fn clear(&self) {
        self.hits.lock().expect("lock").clear();
    }
}

async fn ping(
    State(s): State<StandIn>,
    UrlPath(cloud): UrlPath<String>,
    headers: HeaderMap,
) -> Response {
    let credentials = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Basic "))
        .and_then(|b| base64::engine::general_purpose::STANDARD.decode(b).ok())
        .and_then(|b| String::from_utf8(b).ok())
        .unwrap_or_default();
    let (api_key, secret) = credentials.split_once(':').unwrap_or(("", ""));
    let (api_key, secret) = (api_key.to_string(), secret.to_string());
    s.hits.lock().expect("lock").push(Hit {
        cloud: cloud.clone(),
        api_key: api_key.clone(),
        at: SystemTime::now(),
    });
    {
        let mut flying = s.in_flight.lock().expect("lock");
        let n = flying.entry(api_key.clone()).or_default();
        *n += 1;
        let mut most = s.most_at_once.lock().expect("lock");
        let m = most.entry(api_key.clone()).or_default();
        *m = (*m).max(*n);
    }
    // Latency of a real call, so that two overlapping calls of one account overlap here.
    tokio::time::sleep(Duration::from_millis(100)).await;
    if let Some(n) = s.in_flight.lock().expect("lock").get_mut(&api_key) {
        *n -= 1;
    }
    let until = s.limited.lock().expect("lock").get(&cloud).copied();
    if let Some(until) = until.filter(|u| *u > SystemTime::now()) {
        let reset = time::OffsetDateTime::from(until)
            .format(time::macros::format_description!(
                "[weekday repr:short], [day] [month repr:short] [year] [hour]:[minute]:[second] GMT"
            ))
            .expect("format");
        return (
            StatusCode::from_u16(420).expect("420"),
            [("X-FeatureRateLimit-Reset", reset)],
            axum::Json(json!({"error": {"message": "Rate Limit Exceeded"}})),
        )
            .into_response();
    }
    if s.revoked.lock().expect("lock").contains(&secret) {
        return (
            StatusCode::UNAUTHORIZED,
            axum::Json(json!({"error": {"message": "Invalid api_key"}})),
        )
            .into_response();
    }
    axum::Json(json!({"status": "ok"})).into_response()
}

/// A create body with its own API key and secret.
fn account_input(name: &str, cloud: &str, api_key: &str, secret: &str) -> Value {
    let mut body = input(name, cloud, secret);
    body["fields"]["api_key"] = json!(api_key);
    body
}

async fn create_ok(h: &Harness, body: &Value) -> i64 {
    let a = create(&h.router, body).await;
    assert_eq!(a.status, StatusCode::CREATED, "{}", a.text());
    a.json()["id"].as_i64().expect("id")
}

async fn connection(h: &Harness, id: i64) -> Value {
    send(&h.router, get(&format!("/api/connections/{id}")))
        .await
        .json()
}

async fn history(h: &Harness, id: i64) -> Vec<Value> {
    send(&h.router, get(&format!("/api/connections/{id}/history")))
        .await
        .json()["items"]
        .as_array()
        .cloned()
        .unwrap_or_default()
}

/// Polls `check` until it gives a value, failing after [`DEADLINE`].
async fn until<T, F, Fut>(what: &str, mut check: F) -> T
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Option<T>>,
{
    let start = Instant::now();
    loop {
        if let Some(v) = check().await {
            return v;
        }
        assert!(start.elapsed() < DEADLINE, "gave up waiting: {what}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

async fn stand_in_harness() -> (Harness, StandIn) {
    let (cloud, base) = StandIn::start().await;
    let h = harness_with(|s| s.cloudinary_api_base = Some(Arc::from(base.as_str()))).await;
    (h, cloud)
}

/// Stops a scheduler, which must end well within the deadline.
async fn stop(s: Scheduler) {
    tokio::time::timeout(DEADLINE, s.stop())
        .await
        .expect("the scheduled checks stop when asked");
}

#[tokio::test]
async fn a_revoked_secret_shows_as_invalid_credentials_without_a_user_asking() {
    let (h, cloud) = stand_in_harness().await;
    let id = create_ok(
        &h,
        &account_input("Shop", "shop", "111111111111111", SECRET),
    )
    .await;
    assert_eq!(connection(&h, id).await["status"]["state"], "ok");
    let scheduler = Scheduler::spawn(h.state.clone(), INTERVAL);

    // Someone revokes the secret in the Cloudinary Console.
    cloud
        .revoked
        .lock()
        .expect("lock")
        .insert(SECRET.to_string());
    let shown = until("the list shows Invalid credentials", || async {
        let page = send(&h.router, get("/api/connections")).await.json();
        let row = page["items"][0].clone();
        (row["status"]["state"] == "invalid_credentials").then_some(row)
    })
    .await;
    assert!(shown["status"]["checked_at"].is_string(), "{shown}");

    // Checked again at least twice more, with the same result: one event only.
    let seen = cloud.hits_of("shop").len();
    until("two more scheduled checks", || async {
        (cloud.hits_of("shop").len() >= seen + 2).then_some(())
    })
    .await;
    stop(scheduler).await;
    let events = history(&h, id).await;
    let by_server: Vec<&Value> = events.iter().filter(|e| e["actor"].is_null()).collect();
    assert_eq!(
        by_server.len(),
        1,
        "only the change is recorded: {events:?}"
    );
    assert_eq!(by_server[0]["action"], "verified");
    assert_eq!(by_server[0]["status"]["state"], "invalid_credentials");
    let text = serde_json::to_string(&events).expect("json");
    assert!(!text.contains(SECRET), "no secret in the history");
}

#[tokio::test]
async fn calls_per_account_keep_to_the_schedule_and_come_one_at_a_time() {
    let (h, cloud) = stand_in_harness().await;
    // Two connections of one account, one of another.
    let a1 = account_input("A one", "a-one", "222222222222222", SECRET);
    let a2 = account_input("A two", "a-two", "222222222222222", SECRET);
    let b = account_input("B", "b-one", "333333333333333", SECRET);
    for body in [&a1, &a2, &b] {
        create_ok(&h, body).await;
    }
    cloud.clear();
    let started = Instant::now();
    let scheduler = Scheduler::spawn(h.state.clone(), INTERVAL);
    until("each connection checked three times", || async {
        ["a-one", "a-two", "b-one"]
            .iter()
            .all(|c| cloud.hits_of(c).len() >= 3)
            .then_some(())
    })
    .await;
    stop(scheduler).await;
    let elapsed = started.elapsed();
    // The first check lies within the first interval, each next one an interval later.
    let most = 1 + (elapsed.as_millis() / INTERVAL.as_millis()) as usize;
    for c in ["a-one", "a-two", "b-one"] {
        let n = cloud.hits_of(c).len();
        assert!(n <= most, "{c}: {n} calls in {elapsed:?}, at most {most}");
    }
    let at_once = cloud.most_at_once.lock().expect("lock").clone();
    assert_eq!(at_once.get("222222222222222"), Some(&1), "{at_once:?}");
    assert_eq!(at_once.get("333333333333333"), Some(&1), "{at_once:?}");
    let metrics = send(&h.router, get("/api/metrics")).await.text();
    assert!(
        metrics.contains("connections_scheduled_checks_due"),
        "{metrics}"
    );
}

#[tokio::test]
async fn a_rate_limit_with_a_reset_time_pauses_that_account_until_then() {
    let (h, cloud) = stand_in_harness().await;
    let limited = create_ok(
        &h,
        &account_input("Limited", "limited-shop", "444444444444444", SECRET),
    )
    .await;
    create_ok(
        &h,
        &account_input("Same account", "same-shop", "444444444444444", SECRET),
    )
    .await;
    create_ok(
        &h,
        &account_input("Other account", "other-shop", "555555555555555", SECRET),
    )
    .await;
    cloud.clear();
    // From now on, the limited cloud answers 420 until a reset 8 s ahead (whole seconds).
    let reset_secs = time::OffsetDateTime::now_utc().unix_timestamp() + 8;
    let reset = SystemTime::UNIX_EPOCH + Duration::from_secs(reset_secs as u64);
    cloud
        .limited
        .lock()
        .expect("lock")
        .insert("limited-shop".into(), reset);
    let scheduler = Scheduler::spawn(h.state.clone(), INTERVAL);
    until("a scheduled check hits the rate limit", || async {
        let c = connection(&h, limited).await;
        (c["status"]["state"] == "rate_limited").then_some(())
    })
    .await;
    // The other account goes on meanwhile; this one is called again only after the reset.
    until(
        "the limited connection is checked after the reset",
        || async {
            let c = connection(&h, limited).await;
            (c["status"]["state"] == "ok").then_some(())
        },
    )
    .await;
    stop(scheduler).await;
    let hits = cloud.hits();
    let limit_hit = hits
        .iter()
        .position(|x| x.cloud == "limited-shop")
        .expect("a call of the limited cloud");
    let limit_at = hits[limit_hit].at;
    let during: Vec<&Hit> = hits
        .iter()
        .skip(limit_hit + 1)
        .filter(|x| x.api_key == "444444444444444" && x.at < reset)
        .collect();
    assert!(
        during.is_empty(),
        "calls of the paused account before its reset: {during:?}"
    );
    let after: Vec<&Hit> = hits
        .iter()
        .filter(|x| x.api_key == "444444444444444" && x.at >= reset)
        .collect();
    assert!(
        !after.is_empty(),
        "the account is called again after the reset"
    );
    let others_during = hits
        .iter()
        .filter(|x| x.cloud == "other-shop" && x.at > limit_at && x.at < reset)
        .count();
    assert!(
        others_during >= 1,
        "another account is checked during the pause: {hits:?}"
    );
}

#[tokio::test]
async fn two_instances_on_one_database_do_not_double_the_calls() {
    let (cloud, base) = StandIn::start().await;
    let dir = tempfile::tempdir().expect("dir");
    let fake = FakeCloudinary::start().await;
    let mut states: Vec<AppState> = Vec::new();
    for _ in 0..2 {
        // Two stores (two pools) on one database: SQLite's file, or one PostgreSQL database.
        let mut s = state_in(dir.path(), &key(1), &fake).await;
        s.cloudinary_api_base = Some(Arc::from(base.as_str()));
        states.push(s);
    }
    let router = app(states[0].clone());
    let mut ids = Vec::new();
    for (i, name) in ["One", "Two", "Three", "Four"].iter().enumerate() {
        let body = account_input(
            name,
            &format!("cloud-{i}"),
            &format!("66666666666666{i}"),
            SECRET,
        );
        let a = create(&router, &body).await;
        assert_eq!(a.status, StatusCode::CREATED, "{}", a.text());
        ids.push(a.json()["id"].as_i64().expect("id"));
    }
    cloud.clear();
    let started = Instant::now();
    let schedulers: Vec<Scheduler> = states
        .iter()
        .map(|s| Scheduler::spawn(s.clone(), INTERVAL))
        .collect();
    until("each connection checked three times", || async {
        (0..4)
            .all(|i| cloud.hits_of(&format!("cloud-{i}")).len() >= 3)
            .then_some(())
    })
    .await;
    for s in schedulers {
        stop(s).await;
    }
    let elapsed = started.elapsed();
    let most = 1 + (elapsed.as_millis() / INTERVAL.as_millis()) as usize;
    for i in 0..4 {
        let n = cloud.hits_of(&format!("cloud-{i}")).len();
        assert!(
            n <= most,
            "cloud-{i}: {n} calls in {elapsed:?}, at most {most}"
        );
    }
    let at_once = cloud.most_at_once.lock().expect("lock").clone();
    assert!(at_once.values().all(|n| *n == 1), "{at_once:?}");
}

#[tokio::test]
async fn a_deleted_connection_is_no_longer_checked() {
    let (h, cloud) = stand_in_harness().await;
    let gone = create_ok(
        &h,
        &account_input("Gone", "gone-shop", "777777777777777", SECRET),
    )
    .await;
    create_ok(
        &h,
        &account_input("Kept", "kept-shop", "888888888888888", SECRET),
    )
    .await;
    let a = delete(&h.router, &format!("/api/connections/{gone}")).await;
    assert_eq!(a.status, StatusCode::NO_CONTENT);
    cloud.clear();
    let scheduler = Scheduler::spawn(h.state.clone(), INTERVAL);
    until("the kept connection is checked twice", || async {
        (cloud.hits_of("kept-shop").len() >= 2).then_some(())
    })
    .await;
    stop(scheduler).await;
    assert!(cloud.hits_of("gone-shop").is_empty());
}
