//! A list page's JSON is kept until the next write (`store/kept.rs`): on the
//! test backend (SQLite, or PostgreSQL with `CONNECTIONS_TEST_POSTGRES`), every
//! kind of write — create, bulk create, rename, a changed field, a replaced
//! secret, a new status, delete — shows in the very next list, also when
//! another store on the same database made it (a second instance).

mod support;

use connections_api::{ListQuery, State, Status};
use connections_server::store::Store;
use serde_json::Value;
use support::database::{execute, fetch_text, open, Arg};
use support::*;

async fn page(store: &Store, query: &ListQuery) -> Value {
    let body = store.list_json(query, false).await.expect("list");
    serde_json::from_slice(&body).expect("JSON")
}

fn item(page: &Value, id: i64) -> &Value {
    page["items"]
        .as_array()
        .expect("items")
        .iter()
        .find(|c| c["id"] == id)
        .expect("the row is on the page")
}

/// The write generation the writes bump (`connection_count`).
async fn generation(store: &Store) -> i64 {
    fetch_text(
        store,
        "SELECT CAST(generation AS TEXT) FROM connection_count WHERE id = 1",
        &[],
    )
    .await
    .parse()
    .expect("a number")
}

/// Renames connection `id` behind the server's back and sets the generation
/// back to `to`, which no write of the server does.
async fn rename_unseen(store: &Store, id: i64, name: &str, to: i64) {
    execute(
        store,
        "UPDATE connections SET name = ?1, name_key = lower(?1) WHERE id = ?2",
        &[Arg::Text(name), Arg::Int(id)],
    )
    .await;
    execute(
        store,
        "UPDATE connection_count SET generation = ?1 WHERE id = 1",
        &[Arg::Int(to)],
    )
    .await;
}

#[tokio::test]
async fn every_write_shows_in_the_next_list_of_any_instance() {
    let dir = tempfile::tempdir().expect("temp dir");
    let key = key(7);
    let a = open(dir.path(), Some(&key)).await.expect("first instance");
    let b = open(dir.path(), Some(&key)).await.expect("second instance");
    let all = ListQuery::default();
    let search = ListQuery {
        q: Some("shop".into()),
        ..ListQuery::default()
    };

    let first = a
        .create(&record("Shop A", "alpha", Some("s1")), None, None)
        .await
        .expect("create")
        .row;
    // Read twice: the second answer comes from what was kept.
    assert_eq!(item_texts(&page(&a, &all).await, "name"), ["Shop A"]);
    assert_eq!(item_texts(&page(&a, &all).await, "name"), ["Shop A"]);
    assert_eq!(page(&a, &search).await["total"], 1);

    // Created by the other instance.
    b.create(&record("Shop B", "beta", Some("s2")), None, None)
        .await
        .expect("create");
    assert_eq!(
        item_texts(&page(&a, &all).await, "name"),
        ["Shop A", "Shop B"]
    );
    assert_eq!(page(&a, &search).await["total"], 2);

    // Bulk create.
    b.create_many(&[record("Shop C", "gamma", Some("s3"))], None)
        .await
        .expect("create_many");
    assert_eq!(page(&a, &all).await["total"], 3);

    // Renamed.
    let renamed = b
        .update(
            first.id,
            first.version,
            &record("Shop A2", "alpha", Some("s1")),
            &[],
            None,
        )
        .await
        .expect("rename");
    assert_eq!(
        item_texts(&page(&a, &all).await, "name"),
        ["Shop A2", "Shop B", "Shop C"]
    );

    // A field that is not searched (the API key), kept secret.
    let mut changed = record("Shop A2", "alpha", Some("unused"));
    changed.fields.insert("api_key".into(), "5678".into());
    changed.secrets.clear();
    let refielded = b
        .update(
            first.id,
            renamed.version,
            &changed,
            &["api_secret".to_string()],
            None,
        )
        .await
        .expect("field");
    let listed = page(&a, &all).await;
    assert_eq!(item(&listed, first.id)["fields"]["api_key"], "5678");
    assert_eq!(item(&listed, first.id)["version"], refielded.version);

    // A new status, as Test or a scheduled check writes it.
    let status = Status {
        state: State::InvalidCredentials,
        message: Some("Invalid credentials".into()),
        checked_at: Some("2026-11-26T10:00:00Z".into()),
        field: None,
        retry_at: None,
    };
    assert!(b
        .set_status(first.id, refielded.version, &status, None, false)
        .await
        .expect("status"));
    let listed = page(&a, &all).await;
    assert_eq!(
        item(&listed, first.id)["status"]["state"],
        "invalid_credentials"
    );
    assert_eq!(
        item(&listed, first.id)["status"]["checked_at"],
        "2026-11-26T10:00:00Z"
    );

    // Deleted.
    assert!(b.delete(first.id, None).await.expect("delete"));
    let listed = page(&a, &all).await;
    assert_eq!(item_texts(&listed, "name"), ["Shop B", "Shop C"]);
    assert_eq!(listed["total"], 2);
    assert_eq!(page(&a, &search).await["total"], 2);
}

#[tokio::test]
async fn a_kept_page_is_the_page_the_rows_give() {
    let dir = tempfile::tempdir().expect("temp dir");
    let key = key(8);
    let store = open(dir.path(), Some(&key)).await.expect("open");
    for n in 0..5 {
        store
            .create(
                &record(&format!("Shop {n}"), "alpha", Some("s")),
                None,
                None,
            )
            .await
            .expect("create");
    }
    let query = ListQuery {
        limit: Some(2),
        ..ListQuery::default()
    };
    let fresh = store.list_json(&query, true).await.expect("list");
    let kept = store.list_json(&query, false).await.expect("list again");
    assert_eq!(fresh, kept);
    assert_eq!(
        store.list_json(&query, true).await.expect("fresh again"),
        kept
    );
    let typed = serde_json::to_value(store.list(&query).await.expect("typed")).expect("JSON");
    let kept: Value = serde_json::from_slice(&kept).expect("JSON");
    assert_eq!(kept, typed);
    // Another page of the same list is not the kept one.
    let next = ListQuery {
        limit: Some(2),
        after: kept["next"].as_str().map(str::to_string),
        ..ListQuery::default()
    };
    assert_eq!(
        item_texts(&page(&store, &next).await, "name"),
        ["Shop 2", "Shop 3"]
    );
    let other_order = ListQuery {
        limit: Some(2),
        order: Some(connections_api::Order::Desc),
        ..ListQuery::default()
    };
    assert_eq!(
        item_texts(&page(&store, &other_order).await, "name"),
        ["Shop 4", "Shop 3"]
    );
}

/// White-box, through HTTP: a page kept at a generation is what the next
/// `GET /api/connections` returns, and one with `Cache-Control: no-cache` reads
/// the rows instead. The test changes a row and then sets the generation back,
/// which no write of the server does, to tell the two answers apart.
#[tokio::test]
async fn no_cache_reads_the_rows_instead_of_the_kept_page() {
    let h = harness().await;
    let id = created(&h.router, "Shop A", "alpha").await["id"]
        .as_i64()
        .expect("id");
    let list = |cache_control: Option<&'static str>| {
        let mut req = get("/api/connections");
        if let Some(v) = cache_control {
            req.headers_mut()
                .insert("cache-control", v.parse().expect("header"));
        }
        send(&h.router, req)
    };
    assert_eq!(item_texts(&list(None).await.json(), "name"), ["Shop A"]);
    let store = &h.state.store;
    let at = generation(store).await;
    rename_unseen(store, id, "Shop Z", at).await;
    assert_eq!(
        item_texts(&list(None).await.json(), "name"),
        ["Shop A"],
        "the kept page"
    );
    assert_eq!(
        item_texts(&list(Some("max-age=60")).await.json(), "name"),
        ["Shop A"],
        "a cache may answer"
    );
    assert_eq!(
        item_texts(&list(Some("no-cache")).await.json(), "name"),
        ["Shop Z"],
        "read from the rows"
    );
}

/// White-box, through HTTP: a search with few matches keeps their ids until
/// the next write, and its pages, also with `Cache-Control: no-cache`, read
/// those rows instead of asking the index again (each page then costs the
/// same at any size of the table). The test renames a row so that it matches
/// and sets the generation back, which no write of the server does: the row
/// is not listed, since it is not among the kept ids. A write of the server
/// ends it. A kept row that stops matching is not listed either: each row is
/// still tested against the search.
#[tokio::test]
async fn a_search_with_few_matches_reads_its_kept_ids_until_the_next_write() {
    let h = harness().await;
    let a = created(&h.router, "Shop A", "alpha").await["id"]
        .as_i64()
        .expect("id");
    created(&h.router, "Shop B", "beta").await;
    let other = created(&h.router, "Other", "gamma").await["id"]
        .as_i64()
        .expect("id");
    let search = || {
        let mut req = get("/api/connections?q=shop");
        req.headers_mut()
            .insert("cache-control", "no-cache".parse().expect("header"));
        send(&h.router, req)
    };
    assert_eq!(
        item_texts(&search().await.json(), "name"),
        ["Shop A", "Shop B"]
    );
    let store = &h.state.store;
    let at = generation(store).await;
    rename_unseen(store, other, "Shop Other", at).await;
    let page = search().await.json();
    assert_eq!(
        item_texts(&page, "name"),
        ["Shop A", "Shop B"],
        "the kept ids"
    );
    assert_eq!(page["total"], 2);
    rename_unseen(store, a, "Renamed", at).await;
    let page = search().await.json();
    assert_eq!(
        item_texts(&page, "name"),
        ["Shop B"],
        "each kept row tested"
    );

    // A write of the server (a new connection) bumps the generation: the index again.
    created(&h.router, "Shop C", "delta").await;
    let page = search().await.json();
    assert_eq!(
        item_texts(&page, "name"),
        ["Shop B", "Shop Other", "Shop C"]
    );
    assert_eq!(page["total"], 3);
}
