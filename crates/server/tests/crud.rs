//! Create, get, update, delete: the contract's answers, driven through
//! `app().oneshot(...)` against a real SQLite file and a loopback Cloudinary.

mod support;

use axum::http::StatusCode;
use serde_json::json;
use support::*;

#[tokio::test]
async fn create_answers_201_with_location_etag_and_verified_status() {
    let h = harness().await;
    let a = create(&h.router, &input("  Shop EU ", "demo", SECRET)).await;
    assert_eq!(a.status, StatusCode::CREATED, "{}", a.text());
    let c = a.json();
    let id = c["id"].as_i64().expect("id");
    assert_eq!(a.header("location"), format!("/api/connections/{id}"));
    assert_eq!(a.header("etag"), format!("\"{}\"", c["version"]));
    assert_eq!(c["name"], "Shop EU", "name trimmed");
    assert_eq!(c["fields"]["cloud_name"], "demo");
    assert_eq!(c["fields"]["region"], "us", "region defaults to us");
    assert!(c["fields"].get("api_secret").is_none());
    assert_eq!(c["secrets_set"], json!(["api_secret"]));
    assert_eq!(c["status"]["state"], "ok");
    assert!(c["status"]["checked_at"].is_string());
    // verified once, with the stored credentials
    let calls = h.fake.calls();
    assert_eq!(calls.len(), 1);
    assert_eq!(calls[0].path, "/v1_1/demo/ping");
    assert_eq!(calls[0].authorization, basic("123456789012345", SECRET));
}

#[tokio::test]
async fn get_answers_the_connection_with_etag_and_404_for_unknown_ids() {
    let h = harness().await;
    let c = created(&h.router, "Shop", "demo").await;
    let a = send(&h.router, get(&format!("/api/connections/{}", c["id"]))).await;
    assert_eq!(a.status, StatusCode::OK);
    assert_eq!(a.header("etag"), "\"1\"");
    assert_eq!(a.json(), c);
    for uri in ["/api/connections/999", "/api/connections/abc"] {
        let a = send(&h.router, get(uri)).await;
        assert_eq!(a.status, StatusCode::NOT_FOUND, "{uri}");
        assert_eq!(a.json()["error"]["code"], "not_found");
    }
}

#[tokio::test]
async fn failed_verification_does_not_undo_the_save() {
    let h = harness().await;
    let a = create(&h.router, &input("Shop", "missing-cloud", SECRET)).await;
    assert_eq!(a.status, StatusCode::CREATED);
    let c = a.json();
    assert_eq!(c["status"]["state"], "invalid_credentials");
    assert_eq!(c["status"]["field"], "cloud_name");
    let again = send(&h.router, get(&format!("/api/connections/{}", c["id"]))).await;
    assert_eq!(again.json()["status"]["state"], "invalid_credentials");
    assert_eq!(again.json()["status"]["field"], "cloud_name");
}

#[tokio::test]
async fn update_needs_if_match_and_refuses_stale_versions() {
    let h = harness().await;
    let c = created(&h.router, "Shop", "demo").await;
    let uri = format!("/api/connections/{}", c["id"]);
    let body = input("Shop 2", "demo", "");

    let a = send(&h.router, json_request("PUT", &uri, &body, &[])).await;
    assert_eq!(a.status, StatusCode::PRECONDITION_REQUIRED);
    assert_eq!(a.json()["error"]["code"], "precondition_required");

    let a = put(&h.router, &uri, &body, 1).await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.text());
    assert_eq!(a.header("etag"), "\"2\"");
    assert_eq!(a.json()["name"], "Shop 2");
    assert_eq!(a.json()["version"], 2);

    let a = put(&h.router, &uri, &body, 1).await;
    assert_eq!(a.status, StatusCode::PRECONDITION_FAILED);
    assert_eq!(a.json()["error"]["code"], "conflict");

    // without quotes too
    let a = put_if(&h.router, &uri, &input("Shop 3", "demo", ""), "2").await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.text());
    assert_eq!(a.json()["version"], 3);

    let a = put(&h.router, "/api/connections/999", &body, 1).await;
    assert_eq!(a.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn update_keeps_the_stored_secret_when_left_out_or_empty_and_replaces_it_when_given() {
    let h = harness().await;
    let c = created(&h.router, "Shop", "demo").await;
    let uri = format!("/api/connections/{}", c["id"]);
    let mut left_out = input("Shop", "demo", "");
    left_out["fields"]
        .as_object_mut()
        .expect("object")
        .remove("api_secret");
    let a = put(&h.router, &uri, &left_out, 1).await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.text());
    assert_eq!(a.json()["secrets_set"], json!(["api_secret"]));
    let a = put(&h.router, &uri, &input("Shop", "demo", ""), 2).await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.text());
    let a = put(&h.router, &uri, &input("Shop", "demo", "newSecret_1"), 3).await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.text());
    let auths: Vec<String> = h
        .fake
        .calls()
        .into_iter()
        .map(|c| c.authorization)
        .collect();
    assert_eq!(
        auths,
        [
            basic("123456789012345", SECRET),
            basic("123456789012345", SECRET),
            basic("123456789012345", SECRET),
            basic("123456789012345", "newSecret_1"),
        ],
        "the kept secret is the stored one; a typed one replaces it"
    );
}

#[tokio::test]
async fn delete_answers_204_then_404() {
    let h = harness().await;
    let c = created(&h.router, "Shop", "demo").await;
    let uri = format!("/api/connections/{}", c["id"]);
    let a = delete(&h.router, &uri).await;
    assert_eq!(a.status, StatusCode::NO_CONTENT);
    assert!(a.body.is_empty());
    assert_eq!(
        send(&h.router, get(&uri)).await.status,
        StatusCode::NOT_FOUND
    );
    let a = delete(&h.router, &uri).await;
    assert_eq!(a.status, StatusCode::NOT_FOUND);
    assert_eq!(a.json()["error"]["code"], "not_found");
}

#[tokio::test]
async fn a_taken_name_is_a_422_on_the_name_field_case_insensitively() {
    let h = harness().await;
    created(&h.router, "Shop EU", "demo").await;
    let a = create(&h.router, &input("shop eu", "demo", SECRET)).await;
    assert_eq!(a.status, StatusCode::UNPROCESSABLE_ENTITY);
    let e = a.json();
    assert_eq!(e["error"]["code"], "validation");
    assert_eq!(
        e["error"]["fields"]["name"],
        "A connection named \"shop eu\" already exists."
    );
    assert_eq!(e["error"]["details"]["name"]["code"], "taken");
    // renaming onto a taken name too
    let other = created(&h.router, "Other", "demo").await;
    let a = put(
        &h.router,
        &format!("/api/connections/{}", other["id"]),
        &input("SHOP EU", "demo", ""),
        1,
    )
    .await;
    assert_eq!(a.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(a.json()["error"]["fields"]["name"]
        .as_str()
        .expect("message")
        .contains("already exists"));
}

#[tokio::test]
async fn list_shows_created_connections_without_secrets() {
    let h = harness().await;
    created(&h.router, "B shop", "demo").await;
    created(&h.router, "a shop", "other-cloud").await;
    let a = send(&h.router, get("/api/connections?sort=name&q=shop")).await;
    assert_eq!(a.status, StatusCode::OK);
    let page = a.json();
    assert_eq!(page["total"], 2);
    assert_eq!(page["items"][0]["name"], "a shop");
    assert_eq!(page["items"][1]["name"], "B shop");
    assert!(!a.text().contains(SECRET));
}

/// The database's plan of a list page, its steps joined by ` | `.
async fn plan(
    store: &connections_server::store::Store,
    query: &connections_api::ListQuery,
) -> String {
    store.list_plan(query).await.expect("plan").join(" | ")
}

#[tokio::test]
async fn every_sort_order_reads_an_index_instead_of_sorting() {
    use connections_api::{ListQuery, Order, SortKey};
    let h = harness().await;
    for i in 0..20 {
        created(&h.router, &format!("Shop {i}"), "demo").await;
    }
    support::database::execute(&h.state.store, "ANALYZE", &[]).await;
    let postgres = support::database::on_postgres(&h.state.store);
    for sort in SortKey::ALL {
        for order in [Order::Asc, Order::Desc] {
            let query = ListQuery {
                sort: Some(sort),
                order: Some(order),
                offset: Some(5),
                limit: Some(5),
                ..ListQuery::default()
            };
            let plan = plan(&h.state.store, &query).await;
            // SQLite sorts in a temp b-tree; PostgreSQL in a Sort step, which
            // its plan shows only when no index gives the order.
            let sorts = if postgres { "Sort" } else { "TEMP B-TREE" };
            let index = if postgres { "Index" } else { "INDEX" };
            assert!(!plan.contains(sorts), "{sort:?} {order:?} sorts: {plan}");
            if sort != SortKey::Id {
                assert!(plan.contains(index), "{sort:?} {order:?}: {plan}");
            }
        }
    }
}

/// A search read in the sort order (many matches) tests each row it reads: it
/// neither sorts nor lists every match through the trigram index first, which
/// at 100,000 matching rows cost 40 ms a page on SQLite.
#[tokio::test]
async fn a_broad_search_walks_the_sort_order_without_listing_every_match() {
    use connections_api::{ListQuery, SortKey};
    let h = harness().await;
    for i in 0..20 {
        created(&h.router, &format!("Shop {i}"), "demo").await;
    }
    support::database::execute(&h.state.store, "ANALYZE", &[]).await;
    let postgres = support::database::on_postgres(&h.state.store);
    for sort in [SortKey::Id, SortKey::Name] {
        let query = ListQuery {
            sort: Some(sort),
            q: Some("shop".into()),
            limit: Some(5),
            ..ListQuery::default()
        };
        let plan = plan(&h.state.store, &query).await;
        let sorts = if postgres { "Sort" } else { "TEMP B-TREE" };
        assert!(!plan.contains(sorts), "{sort:?} sorts: {plan}");
        if !postgres {
            assert!(!plan.contains("connections_search"), "{sort:?}: {plan}");
        }
        let page = h.state.store.list(&query).await.expect("page");
        assert_eq!(page.total, 20);
        assert_eq!(page.items.len(), 5);
    }
}
