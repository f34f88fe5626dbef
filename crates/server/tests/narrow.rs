//! A search whose text holds a trigram nearly every row holds ("p 0" when every
//! name starts "Shop 0") has the trigram index read only the rarest part of the
//! text (`store/narrow.rs`), and tests each row found against the whole text:
//! the same rows as before, in every sort, on the test backend (SQLite, or
//! PostgreSQL with `CONNECTIONS_TEST_POSTGRES`).

mod support;

use connections_api::{ListQuery, Order, SortKey};
use connections_server::store::Store;
use support::database::open;
use support::*;

/// 3,000 names "Shop 00000"…, so that narrowing saves enough to be chosen,
/// and rows near the text.
async fn seeded() -> (tempfile::TempDir, Store) {
    let dir = tempfile::tempdir().expect("temp dir");
    let store = open(dir.path(), Some(&key(3))).await.expect("store");
    let mut records: Vec<_> = (0..3_000)
        .map(|i| record(&format!("Shop {i:05}"), &format!("cloud{i}"), None))
        .collect();
    // Hold the rarer part ("0012") but not the whole text ("p 0012").
    records.push(record("Shop 10012", "decoy1", None));
    records.push(record("Shop 0-0012", "decoy2", None));
    // The whole text in another case, and in the cloud name only.
    records.push(record("SHOP 0012X", "upper", None));
    records.push(record("Elsewhere", "shop 0012", None));
    store.create_many(&records, None).await.expect("seed");
    (dir, store)
}

/// The names holding "p 0012" in the name or the cloud name, ignoring case,
/// in the order of creation.
fn expected() -> Vec<String> {
    let mut names: Vec<String> = (0..3_000)
        .map(|i| format!("Shop {i:05}"))
        .filter(|n| n.contains("p 0012"))
        .collect();
    names.extend(["SHOP 0012X".to_string(), "Elsewhere".to_string()]);
    names
}

fn names(page: &connections_api::Page) -> Vec<&str> {
    page.items.iter().map(|c| c.name.as_str()).collect()
}

#[tokio::test]
async fn the_index_reads_the_rarest_part_and_every_row_is_tested_against_the_whole_text() {
    let (_dir, store) = seeded().await;
    let search = |sort, order| ListQuery {
        q: Some("P 0012".into()),
        sort: Some(sort),
        order: Some(order),
        limit: Some(50),
        ..ListQuery::default()
    };
    let plan = store
        .list_plan(&search(SortKey::Id, Order::Asc))
        .await
        .expect("plan");
    assert_eq!(plan[0], "index reads: 0012", "{plan:?}");

    let expected = expected();
    assert_eq!(expected.len(), 12);
    let page = store
        .list(&search(SortKey::Id, Order::Asc))
        .await
        .expect("page");
    assert_eq!(names(&page), expected);
    assert_eq!(page.total, 12);
    let page = store
        .list(&search(SortKey::Name, Order::Desc))
        .await
        .expect("page");
    let mut by_name = expected.clone();
    by_name.sort_by_key(|n| std::cmp::Reverse(n.to_lowercase()));
    assert_eq!(names(&page), by_name);
    assert_eq!(page.total, 12);
}

#[tokio::test]
async fn a_text_without_a_common_trigram_is_read_whole() {
    let (_dir, store) = seeded().await;
    for q in ["0012x", "decoy", "els"] {
        let query = ListQuery {
            q: Some(q.into()),
            ..ListQuery::default()
        };
        let plan = store.list_plan(&query).await.expect("plan");
        assert!(!plan[0].starts_with("index reads"), "{q}: {plan:?}");
    }
    let page = store
        .list(&ListQuery {
            q: Some("0012x".into()),
            ..ListQuery::default()
        })
        .await
        .expect("page");
    assert_eq!(names(&page), ["SHOP 0012X"]);
}

/// A search that is also an id matches that row, whether or not the row holds
/// the text, when the index reads only part of it too.
#[tokio::test]
async fn a_narrowed_search_still_matches_the_row_with_that_id() {
    let dir = tempfile::tempdir().expect("temp dir");
    let store = open(dir.path(), Some(&key(3))).await.expect("store");
    // Every name holds "123"; few hold "234".
    let records: Vec<_> = (0..3_000)
        .map(|i| record(&format!("123-{i:04}"), &format!("cloud{i}"), None))
        .collect();
    let ids = store.create_many(&records, None).await.expect("seed");
    let by_id = ids[1_233];
    let text = by_id.to_string();
    let query = ListQuery {
        q: Some(text.clone()),
        ..ListQuery::default()
    };
    if text == "1234" {
        let plan = store.list_plan(&query).await.expect("plan");
        assert_eq!(plan[0], "index reads: 234", "{plan:?}");
    }
    let page = store.list(&query).await.expect("page");
    let mut expected: Vec<i64> = records
        .iter()
        .zip(&ids)
        .filter(|(r, _)| r.name.contains(&text))
        .map(|(_, id)| *id)
        .chain([by_id])
        .collect();
    expected.sort_unstable();
    expected.dedup();
    let got: Vec<i64> = page.items.iter().map(|c| c.id).collect();
    assert_eq!(got, expected);
    assert_eq!(page.total, expected.len() as u64);
}
