//! Keyset paging (`after`/`before`) on the test backend (SQLite, or PostgreSQL
//! with `CONNECTIONS_TEST_POSTGRES`): walking Next from the first page, or
//! Previous from the last, while rows are inserted and deleted between pages,
//! returns no row twice, skips no row that was there all along, and keeps the
//! sort order; also with a search, through the trigram index and without it.

mod support;

use std::collections::BTreeSet;

use axum::http::StatusCode;
use connections_api::{ListQuery, Order, SortKey, State, Status, CURSOR_END};
use connections_server::store::Store;
use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};
use support::*;

const CLOUDS: [&str; 4] = ["alpha", "Alpha", "beta-one", "gamma"];

/// Adds a row; every third one gets a check time (the "last verified" sort
/// then mixes never-checked rows with checked ones, and ties).
async fn add(store: &Store, serial: &std::cell::Cell<u32>, name_seed: u8, cloud: usize) -> i64 {
    serial.set(serial.get() + 1);
    // Names vary in case and order independently of the id.
    let name = format!(
        "{}{:03} {}",
        if name_seed.is_multiple_of(2) {
            "Shop"
        } else {
            "shop"
        },
        u32::from(name_seed) * 7 % 97,
        serial.get()
    );
    let created = store
        .create(
            &record(&name, CLOUDS[cloud % CLOUDS.len()], None),
            None,
            None,
        )
        .await
        .expect("create");
    let row = created.row;
    if row.id.rem_euclid(3) == 0 {
        let status = Status {
            state: State::Ok,
            message: None,
            checked_at: Some(format!("2026-11-2{}T10:00:00Z", row.id % 2)),
            field: None,
            retry_at: None,
        };
        assert!(store
            .set_status(row.id, row.version, &status, None, false)
            .await
            .expect("status"));
    }
    row.id
}

async fn ids(store: &Store, query: &ListQuery) -> (Vec<i64>, Option<String>, Option<String>) {
    let page = store.list(query).await.expect("list");
    (
        page.items.iter().map(|c| c.id).collect(),
        page.next,
        page.prev,
    )
}

/// Every matching row in the sort order, by offset pages.
async fn whole(store: &Store, base: &ListQuery) -> Vec<i64> {
    let query = ListQuery {
        limit: Some(500),
        offset: Some(0),
        ..base.clone()
    };
    ids(store, &query).await.0
}

#[derive(Debug, Clone)]
enum Change {
    Insert(u8, usize),
    /// Deletes the row at this index (modulo) of the rows present.
    Delete(usize),
}

#[test]
fn keyset_pages_skip_and_repeat_nothing_while_rows_come_and_go() {
    let rt = tokio::runtime::Runtime::new().expect("runtime");
    let h = rt.block_on(harness());
    let store = h.state.store.clone();
    let strategy = (
        prop::collection::vec((any::<u8>(), 0..4usize), 0..24),
        prop::sample::select(SortKey::ALL.to_vec()),
        any::<bool>(),
        1..6u64,
        prop::sample::select(vec!["", "", "alp", "a", "shop0", "ha"]),
        any::<bool>(),
        prop::collection::vec(
            prop::collection::vec(
                prop_oneof![
                    (any::<u8>(), 0..4usize).prop_map(|(n, c)| Change::Insert(n, c)),
                    any::<usize>().prop_map(Change::Delete),
                ],
                0..3,
            ),
            12,
        ),
    );
    let serial = std::cell::Cell::new(0u32);
    let walked = std::cell::Cell::new(0u32);
    TestRunner::new(Config {
        cases: 40,
        failure_persistence: None,
        ..Config::default()
    })
    .run(
        &strategy,
        |(start, sort, ascending, limit, q, backward, changes)| {
            rt.block_on(async {
                database::execute(&store, "DELETE FROM connections", &[]).await;
                let mut present = BTreeSet::new();
                for (n, c) in &start {
                    present.insert(add(&store, &serial, *n, *c).await);
                }
                let base = ListQuery {
                    q: (!q.is_empty()).then(|| q.to_string()),
                    sort: Some(sort),
                    order: Some(if ascending { Order::Asc } else { Order::Desc }),
                    limit: Some(limit),
                    ..ListQuery::default()
                };
                let matching_before: BTreeSet<i64> =
                    whole(&store, &base).await.into_iter().collect();
                let mut deleted = BTreeSet::new();
                let mut seen = Vec::new();
                let mut query = ListQuery {
                    before: backward.then(|| CURSOR_END.to_string()),
                    ..base.clone()
                };
                let mut steps = changes.iter();
                loop {
                    let (page, next, prev) = ids(&store, &query).await;
                    prop_assert!(page.len() as u64 <= limit);
                    if backward {
                        seen.splice(0..0, page);
                    } else {
                        seen.extend(page);
                    }
                    let cursor = if backward { prev } else { next };
                    let Some(cursor) = cursor else { break };
                    prop_assert!(seen.len() < 400, "the walk does not end");
                    for change in steps.next().into_iter().flatten() {
                        match change {
                            Change::Insert(n, c) => {
                                present.insert(add(&store, &serial, *n, *c).await);
                            }
                            Change::Delete(i) => {
                                if present.is_empty() {
                                    continue;
                                }
                                let id = *present.iter().nth(i % present.len()).expect("row");
                                present.remove(&id);
                                deleted.insert(id);
                                prop_assert!(store.delete(id, None).await.expect("delete"));
                            }
                        }
                    }
                    query = ListQuery {
                        after: (!backward).then(|| cursor.clone()),
                        before: backward.then_some(cursor),
                        ..base.clone()
                    };
                }
                let unique: BTreeSet<i64> = seen.iter().copied().collect();
                prop_assert_eq!(unique.len(), seen.len(), "a row came twice: {:?}", seen);
                for id in &matching_before {
                    if !deleted.contains(id) {
                        prop_assert!(
                            unique.contains(id),
                            "row {} was skipped: {:?} of {:?}",
                            id,
                            seen,
                            matching_before
                        );
                    }
                }
                // In the order of the whole list now (rows deleted since left out).
                let order = whole(&store, &base).await;
                let kept: Vec<i64> = seen
                    .iter()
                    .copied()
                    .filter(|id| order.contains(id))
                    .collect();
                let expected: Vec<i64> = order
                    .iter()
                    .copied()
                    .filter(|id| unique.contains(id))
                    .collect();
                prop_assert_eq!(kept, expected);
                walked.set(walked.get() + 1);
                Ok(())
            })
        },
    )
    .expect("property");
    assert_eq!(walked.get(), 40);
}

#[tokio::test]
async fn a_cursor_of_another_sort_or_both_directions_is_a_400() {
    let h = harness().await;
    for i in 0..3 {
        created(&h.router, &format!("Shop {i}"), "demo").await;
    }
    let first = send(&h.router, get("/api/connections?sort=name&limit=2")).await;
    assert_eq!(first.status, StatusCode::OK, "{}", first.text());
    let next = first.json()["next"].as_str().expect("next").to_string();
    assert!(first.json().get("prev").is_none());
    let second = send(
        &h.router,
        get(&format!("/api/connections?sort=name&limit=2&after={next}")),
    )
    .await;
    assert_eq!(second.status, StatusCode::OK, "{}", second.text());
    assert_eq!(second.json()["items"][0]["name"], "Shop 2");
    for uri in [
        format!("/api/connections?sort=driver&after={next}"),
        format!("/api/connections?sort=name&after={next}&before=end"),
        "/api/connections?before=nonsense".to_string(),
        format!("/api/connections?after=id.1.{}", "61".repeat(600)),
    ] {
        let a = send(&h.router, get(&uri)).await;
        assert_eq!(a.status, StatusCode::BAD_REQUEST, "{uri}: {}", a.text());
        assert_eq!(a.json()["error"]["code"], "bad_request", "{uri}");
    }
    let last = send(&h.router, get("/api/connections?limit=2&before=end")).await;
    assert_eq!(last.status, StatusCode::OK, "{}", last.text());
    assert_eq!(last.json()["offset"], 1);
    assert_eq!(last.json()["total"], 3);
    assert!(last.json().get("next").is_none());
}
