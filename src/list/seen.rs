//! Connections whose status changed since the user last looked: the state each
//! connection had when this browser last showed it is kept in `localStorage`
//! (by id); a row whose state differs now is marked for as long as the list stays
//! open. Kept simple on purpose: per browser, not per user. The list reads the stored
//! states once and writes them back only when a page brought a new or changed state.

use crate::cell::{Stash, Var};
use std::collections::{BTreeMap, HashSet};
use std::sync::Arc;

use connections_api::json::{self, FromJson};
use connections_api::Connection;
use leptos::prelude::*;

/// The `localStorage` key.
pub const STORAGE_KEY: &str = "cloudinary-connections.seen-states";
/// Most remembered connections (the oldest ids are dropped beyond this).
const MOST: usize = 5000;

/// The marked ids of the open list; in context for the table.
#[derive(Debug, Clone, Copy)]
pub struct Marks(pub Var<HashSet<i64>>, Stash<Option<BTreeMap<i64, String>>>);

impl Marks {
    pub fn provide() -> Marks {
        let marks = Marks(Var::new(HashSet::new()), Stash::new(None));
        provide_context(marks);
        marks
    }

    /// Compares the shown connections with what was seen before, marks the changed
    /// ones and remembers the states now shown.
    pub fn note(&self, shown: &[Arc<Connection>]) {
        let changed = self.1.try_update_value(|seen| {
            let just_read = seen.is_none();
            let seen = seen.get_or_insert_with(load);
            let (changed, news) = compare(seen, shown);
            if news && !just_read {
                // Written onto what is stored now, so that what another tab (or another
                // mount on this page) wrote since the list read it stays.
                let mut stored = load();
                compare(&mut stored, shown);
                *seen = stored;
            }
            if news {
                save(seen);
            }
            changed
        });
        let changed = changed.unwrap_or_default();
        if !changed.is_empty() {
            self.0.update(|m| m.extend(changed));
        }
    }
}

/// The changed ids among `shown`, and `seen` updated to what is shown now; with whether
/// `seen` got a new or changed state (else it need not be written back).
pub fn compare(seen: &mut BTreeMap<i64, String>, shown: &[Arc<Connection>]) -> (Vec<i64>, bool) {
    let mut changed = Vec::new();
    let mut news = false;
    for c in shown {
        let now = c.status.state.as_str();
        match seen.get(&c.id) {
            Some(before) if before == now => continue,
            Some(_) => changed.push(c.id),
            None => {}
        }
        seen.insert(c.id, now.to_string());
        news = true;
    }
    while seen.len() > MOST {
        seen.pop_first();
    }
    (changed, news)
}

fn storage() -> Option<web_sys::Storage> {
    web_sys::window().and_then(|w| w.local_storage().ok().flatten())
}

fn load() -> BTreeMap<i64, String> {
    storage()
        .and_then(|s| s.get_item(STORAGE_KEY).ok().flatten())
        .and_then(|text| read(text.as_bytes()))
        .unwrap_or_default()
}

/// The stored states: an object of states by id (ids as texts, as JSON object keys are).
fn read(text: &[u8]) -> Option<BTreeMap<i64, String>> {
    let mut seen = BTreeMap::new();
    for (id, state) in json::parse(text)?.into_object()?.0 {
        seen.insert(id.parse().ok()?, String::from_json(state)?);
    }
    Some(seen)
}

fn save(seen: &BTreeMap<i64, String>) {
    if let (Some(s), Ok(text)) = (storage(), serde_json::to_string(seen)) {
        let _ = s.set_item(STORAGE_KEY, &text);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use connections_api::{State, Status};

    fn conn(id: i64, state: State) -> Arc<Connection> {
        Arc::new(Connection {
            id,
            name: format!("C{id}"),
            driver: "cloudinary-default".into(),
            fields: Default::default(),
            secrets_set: vec![],
            status: Status {
                state,
                ..Status::default()
            },
            created_at: String::new(),
            updated_at: String::new(),
            version: 1,
        })
    }

    #[test]
    fn a_changed_state_is_marked_once_and_new_rows_are_not() {
        let mut seen = BTreeMap::new();
        let first = [conn(1, State::Ok), conn(2, State::Ok)];
        assert_eq!(compare(&mut seen, &first), (vec![], true), "new rows");
        let shown = [
            conn(1, State::InvalidCredentials),
            conn(2, State::Ok),
            conn(3, State::Ok),
        ];
        assert_eq!(compare(&mut seen, &shown), (vec![1], true));
        assert_eq!(
            compare(&mut seen, &shown),
            (vec![], false),
            "seen now: nothing to write"
        );
        assert_eq!(
            seen.get(&1).map(String::as_str),
            Some("invalid_credentials")
        );
    }

    #[test]
    fn the_oldest_ids_go_beyond_the_most_remembered() {
        let mut seen: BTreeMap<i64, String> = (1..=MOST as i64).map(|i| (i, "ok".into())).collect();
        let (_, news) = compare(&mut seen, &[conn(MOST as i64 + 1, State::Ok)]);
        assert!(news);
        assert_eq!(seen.len(), MOST);
        assert!(!seen.contains_key(&1));
        assert!(seen.contains_key(&(MOST as i64 + 1)));
    }

    #[test]
    fn the_stored_states_read_back_as_written() {
        let seen: BTreeMap<i64, String> =
            [(17, "ok".to_string()), (-2, "error".to_string())].into();
        let text = serde_json::to_string(&seen).expect("json");
        assert_eq!(text, r#"{"-2":"error","17":"ok"}"#);
        assert_eq!(read(text.as_bytes()), Some(seen));
        assert_eq!(read(br#"{"x":"ok"}"#), None);
        assert_eq!(read(br#"{"1":2}"#), None);
        assert_eq!(read(b"[]"), None);
    }
}
