//! Idempotency-Key and races: concurrent requests never lose an update, never
//! make two rows for one key, and a name race is a 422, never a 500.

mod support;

use axum::http::StatusCode;
use connections_server::store::format_time;
use support::database::{execute, Arg};
use support::*;

async fn create_with_key(h: &Harness, body: &serde_json::Value, key: &str) -> Answer {
    create_with(&h.router, body, &[("idempotency-key", key)]).await
}

async fn total(h: &Harness) -> i64 {
    send(&h.router, get("/api/connections")).await.json()["total"]
        .as_i64()
        .expect("total")
}

#[tokio::test]
async fn a_repeated_idempotency_key_returns_the_first_result_and_creates_nothing() {
    let h = harness().await;
    let body = input("Shop", "demo", SECRET);
    let first = create_with_key(&h, &body, "key-1").await;
    assert_eq!(first.status, StatusCode::CREATED, "{}", first.text());
    let again = create_with_key(&h, &body, "key-1").await;
    assert_eq!(again.status, StatusCode::CREATED, "{}", again.text());
    assert_eq!(again.json(), first.json());
    assert_eq!(again.header("location"), first.header("location"));
    assert_eq!(again.header("etag"), first.header("etag"));
    assert_eq!(total(&h).await, 1);
    assert_eq!(h.fake.calls().len(), 1, "a replay verifies nothing");
}

#[tokio::test]
async fn an_idempotency_key_reused_with_another_body_is_a_422() {
    let h = harness().await;
    create_with_key(&h, &input("Shop", "demo", SECRET), "key-1").await;
    let a = create_with_key(&h, &input("Shop 2", "demo", SECRET), "key-1").await;
    assert_eq!(a.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(a.json()["error"]["code"], "validation");
    assert!(a.json()["error"]["message"]
        .as_str()
        .expect("message")
        .contains("Idempotency-Key"));
    // a different secret is a different body too
    let a = create_with_key(&h, &input("Shop", "demo", "other_secret"), "key-1").await;
    assert_eq!(a.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(total(&h).await, 1);
}

#[tokio::test]
async fn idempotency_keys_are_remembered_for_24_hours() {
    let h = harness().await;
    let body = input("Shop", "demo", SECRET);
    let first = create_with_key(&h, &body, "old-key").await.json();
    let age =
        |hours: i64| format_time(time::OffsetDateTime::now_utc() - time::Duration::hours(hours));
    let aged = |at: String| {
        let store = h.state.store.clone();
        async move {
            let sql = "UPDATE idempotency_keys SET created_at = ?1";
            assert_eq!(execute(&store, sql, &[Arg::Text(&at)]).await, 1);
        }
    };
    // 23 hours later: still the first result
    aged(age(23)).await;
    let again = create_with_key(&h, &body, "old-key").await;
    assert_eq!(again.json()["id"], first["id"]);
    // long after: forgotten, so the same body now meets the taken name
    aged(age(49)).await;
    let later = create_with_key(&h, &body, "old-key").await;
    assert_eq!(later.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(later.json()["error"]["fields"]["name"].is_string());
}

#[tokio::test]
async fn a_malformed_idempotency_key_is_a_400() {
    let h = harness().await;
    let long = "k".repeat(256);
    for key in [long.as_str(), "has space"] {
        let a = create_with_key(&h, &input("Shop", "demo", SECRET), key).await;
        assert_eq!(a.status, StatusCode::BAD_REQUEST, "{key}");
        assert_eq!(a.json()["error"]["code"], "bad_request");
    }
    assert_eq!(total(&h).await, 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn the_same_idempotency_key_sent_concurrently_makes_one_row() {
    let h = harness().await;
    let body = input("Shop", "demo", SECRET);
    let tasks: Vec<_> = (0..8)
        .map(|_| {
            let router = h.router.clone();
            let body = body.clone();
            tokio::spawn(async move {
                create_with(&router, &body, &[("idempotency-key", "same")]).await
            })
        })
        .collect();
    let mut ids = Vec::new();
    for t in tasks {
        let a = t.await.expect("task");
        assert_eq!(a.status, StatusCode::CREATED, "{}", a.text());
        ids.push(a.json()["id"].clone());
    }
    assert!(ids.iter().all(|id| *id == ids[0]), "{ids:?}");
    assert_eq!(total(&h).await, 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_concurrent_updates_of_one_version_exactly_one_wins() {
    let h = harness().await;
    let c = created(&h.router, "Shop", "demo").await;
    let uri = format!("/api/connections/{}", c["id"]);
    let tasks: Vec<_> = ["Shop A", "Shop B"]
        .into_iter()
        .map(|name| {
            let router = h.router.clone();
            let uri = uri.clone();
            tokio::spawn(async move {
                let a = put(&router, &uri, &input(name, "demo", ""), 1).await;
                (name, a)
            })
        })
        .collect();
    let mut winners = Vec::new();
    let mut conflicts = 0;
    for t in tasks {
        let (name, a) = t.await.expect("task");
        match a.status {
            StatusCode::OK => winners.push(name),
            StatusCode::PRECONDITION_FAILED => conflicts += 1,
            other => panic!("unexpected {other}: {}", a.text()),
        }
    }
    assert_eq!((winners.len(), conflicts), (1, 1));
    let stored = send(&h.router, get(&uri)).await.json();
    assert_eq!(
        stored["name"], winners[0],
        "the winner's write is what is stored"
    );
    assert_eq!(stored["version"], 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_name_race_is_a_422_never_a_500() {
    let h = harness().await;
    let tasks: Vec<_> = (0..6)
        .map(|i| {
            let router = h.router.clone();
            // different case, same name
            let name = if i % 2 == 0 { "Shop EU" } else { "shop eu" };
            tokio::spawn(async move { create(&router, &input(name, "demo", SECRET)).await })
        })
        .collect();
    let mut created = 0;
    for t in tasks {
        let a = t.await.expect("task");
        match a.status {
            StatusCode::CREATED => created += 1,
            StatusCode::UNPROCESSABLE_ENTITY => {
                let msg = a.json()["error"]["fields"]["name"]
                    .as_str()
                    .expect("name message")
                    .to_string();
                assert!(msg.ends_with("already exists."), "{msg}");
            }
            other => panic!("unexpected {other}: {}", a.text()),
        }
    }
    assert_eq!(created, 1);
    assert_eq!(total(&h).await, 1);
}
