//! The history of a connection (`GET /api/connections/{id}/history`) and who
//! is calling (`GET /api/me`): every change recorded in its transaction, with
//! its actor, never a secret value.

mod support;

use std::sync::Arc;

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use serde_json::json;
use support::database::{fetch_text, Arg};
use support::*;

const TOKEN: &str = "history-test-token-0123456789abcdef";

fn authed(mut req: Request<Body>) -> Request<Body> {
    req.headers_mut().insert(
        header::AUTHORIZATION,
        format!("Bearer {TOKEN}").parse().expect("header"),
    );
    req
}

async fn history(router: &axum::Router, id: i64, query: &str) -> Answer {
    send(
        router,
        get(&format!("/api/connections/{id}/history{query}")),
    )
    .await
}

#[tokio::test]
async fn every_change_is_recorded_newest_first_without_secrets() {
    let h = harness().await;
    let c = created(&h.router, "Shop", "demo").await;
    let id = c["id"].as_i64().expect("id");
    let uri = format!("/api/connections/{id}");

    // Rename and move to another cloud, keeping the secret.
    let a = put(&h.router, &uri, &input("Shop 2", "demo2", ""), 1).await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.text());
    // A new secret only.
    let new_secret = "NEWsecretVALUE_0987654321zyx";
    let a = put(&h.router, &uri, &input("Shop 2", "demo2", new_secret), 2).await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.text());
    // Test, then delete.
    let a = verify_stored(&h.router, &uri).await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.text());
    let a = delete(&h.router, &uri).await;
    assert_eq!(a.status, StatusCode::NO_CONTENT);

    // The deleted connection's history still answers.
    let a = history(&h.router, id, "").await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.text());
    let page = a.json();
    assert_eq!(
        item_texts(&page, "action"),
        [
            "deleted",
            "verified",
            "verified",
            "secret_replaced",
            "verified",
            "updated",
            "verified",
            "created"
        ]
    );
    assert_eq!(page["total"], 8);
    assert_eq!(page["offset"], 0);
    assert_eq!(page["limit"], 50);
    let items = page["items"].as_array().expect("items");
    for e in items {
        assert_eq!(
            e["actor"],
            json!({"id": "local", "name": "Local administrator"})
        );
        assert_eq!(e["connection_id"], id);
        assert!(e["at"].as_str().expect("at").ends_with('Z'));
    }
    let updated = &items[5];
    assert_eq!(updated["changed"], json!(["name", "fields.cloud_name"]));
    assert_eq!(items[3]["changed"], json!(["fields.api_secret"]));
    assert_eq!(items[1]["status"]["state"], "ok");
    assert!(items[0].get("status").is_none());
    // Ids grow: newest first.
    let ids: Vec<i64> = items
        .iter()
        .map(|e| e["id"].as_i64().expect("id"))
        .collect();
    assert!(ids.windows(2).all(|w| w[0] > w[1]), "{ids:?}");

    // Paging.
    let a = history(&h.router, id, "?offset=2&limit=3").await;
    assert_eq!(a.status, StatusCode::OK);
    let p = a.json();
    assert_eq!(
        item_texts(&p, "action"),
        ["verified", "secret_replaced", "verified"]
    );
    assert_eq!(p["total"], 8);
    assert_eq!(p["offset"], 2);
    assert_eq!(p["limit"], 3);
    for q in ["?limit=0", "?limit=501", "?offset=x"] {
        let a = history(&h.router, id, q).await;
        assert_eq!(a.status, StatusCode::BAD_REQUEST, "{q}");
        assert_eq!(a.json()["error"]["code"], "bad_request");
    }

    // No secret in any answer or anywhere in the table.
    let mut everything = page.to_string();
    let agg = if support::database::on_postgres(&h.state.store) {
        "string_agg"
    } else {
        "group_concat"
    };
    let dump = fetch_text(
        &h.state.store,
        &format!(
            "SELECT COALESCE({agg}(CAST(id AS TEXT) || '|' || COALESCE(actor_id, '') || '|' || \
         COALESCE(actor_name, '') || '|' || action || '|' || COALESCE(changed, '') || '|' || \
         COALESCE(status, '') || '|' || at, ';'), '') FROM events"
        ),
        &[],
    )
    .await;
    everything.push_str(&dump);
    assert!(dump.contains("secret_replaced"), "{dump}");
    for secret in [SECRET, new_secret] {
        assert!(!everything.contains(secret), "a secret in the history");
    }
}

#[tokio::test]
async fn history_of_an_id_that_never_existed_is_404() {
    let h = harness().await;
    for uri in [
        "/api/connections/999/history",
        "/api/connections/abc/history",
    ] {
        let a = send(&h.router, get(uri)).await;
        assert_eq!(a.status, StatusCode::NOT_FOUND, "{uri}");
        assert_eq!(a.json()["error"]["code"], "not_found");
    }
}

#[tokio::test]
async fn a_put_that_changes_nothing_is_still_recorded_and_failed_writes_are_not() {
    let h = harness().await;
    let c = created(&h.router, "Shop", "demo").await;
    let id = c["id"].as_i64().expect("id");
    let uri = format!("/api/connections/{id}");
    let a = put(&h.router, &uri, &input("Shop", "demo", ""), 1).await;
    assert_eq!(a.status, StatusCode::OK);
    // Stale and invalid writes leave no event.
    let a = put(&h.router, &uri, &input("Other", "demo", ""), 1).await;
    assert_eq!(a.status, StatusCode::PRECONDITION_FAILED, "{}", a.text());
    let a = put(&h.router, &uri, &input("", "demo", ""), 2).await;
    assert_eq!(a.status, StatusCode::UNPROCESSABLE_ENTITY);
    let p = history(&h.router, id, "").await.json();
    assert_eq!(
        item_texts(&p, "action"),
        ["verified", "updated", "verified", "created"]
    );
    assert_eq!(p["items"][1]["changed"], json!([]));
}

#[tokio::test]
async fn the_shared_token_is_the_actor_and_me_answers_in_every_mode() {
    let h = harness_with(|s| s.token = Some(Arc::from(TOKEN))).await;
    let a = send(
        &h.router,
        authed(json_request(
            "POST",
            "/api/connections",
            &input("Shop", "demo", SECRET),
            &[],
        )),
    )
    .await;
    assert_eq!(a.status, StatusCode::CREATED, "{}", a.text());
    let id = a.json()["id"].as_i64().expect("id");
    let a = send(&h.router, get(&format!("/api/connections/{id}/history"))).await;
    assert_eq!(a.status, StatusCode::UNAUTHORIZED);
    let a = send(
        &h.router,
        authed(get(&format!("/api/connections/{id}/history"))),
    )
    .await;
    assert_eq!(a.status, StatusCode::OK);
    for e in a.json()["items"].as_array().expect("items") {
        assert_eq!(
            e["actor"],
            json!({"id": "shared-token", "name": "Shared token"})
        );
    }
    let a = send(&h.router, get("/api/me")).await;
    assert_eq!(a.status, StatusCode::UNAUTHORIZED);
    let a = send(&h.router, authed(get("/api/me"))).await;
    assert_eq!(a.status, StatusCode::OK);
    assert_eq!(
        a.json(),
        json!({"id": "shared-token", "name": "Shared token", "can_write": true})
    );

    let local = harness().await;
    let a = send(&local.router, get("/api/me")).await;
    assert_eq!(a.status, StatusCode::OK);
    assert_eq!(
        a.json(),
        json!({"id": "local", "name": "Local administrator", "can_write": true})
    );
}

#[tokio::test]
async fn concurrent_writers_lose_no_events() {
    let h = harness().await;
    let c = created(&h.router, "Shop", "demo").await;
    let id = c["id"].as_i64().expect("id");
    let mut tasks = Vec::new();
    // Tests of one connection, creates and deletes of others, all at once.
    for i in 0..12 {
        let router = h.router.clone();
        tasks.push(tokio::spawn(async move {
            let a = verify_stored(&router, &format!("/api/connections/{id}")).await;
            assert_eq!(a.status, StatusCode::OK, "{}", a.text());
            let other = create(&router, &input(&format!("Other {i}"), "demo", SECRET)).await;
            assert_eq!(other.status, StatusCode::CREATED, "{}", other.text());
            let oid = other.json()["id"].as_i64().expect("id");
            let a = delete(&router, &format!("/api/connections/{oid}")).await;
            assert_eq!(a.status, StatusCode::NO_CONTENT);
            oid
        }));
    }
    let mut others = Vec::new();
    for t in tasks {
        others.push(t.await.expect("task"));
    }
    let p = history(&h.router, id, "?limit=500").await.json();
    assert_eq!(p["total"], 14, "created + its verify + 12 Tests");
    for oid in others {
        let p = history(&h.router, oid, "").await.json();
        assert_eq!(
            item_texts(&p, "action"),
            ["deleted", "verified", "created"],
            "{oid}"
        );
    }
    let total = fetch_text(
        &h.state.store,
        "SELECT CAST(COUNT(*) AS TEXT) FROM events WHERE action = ?1",
        &[Arg::Text("deleted")],
    )
    .await;
    assert_eq!(total, "12");
}
