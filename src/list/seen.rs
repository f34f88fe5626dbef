//! Connections whose status changed since the user last looked: the state each
//! connection had when this browser last showed it is kept in `localStorage`
//! (by id); a row whose state differs now is marked for as long as the list stays
//! open. Kept simple on purpose: per browser, not per user.

use crate::cell::Var;
use std::collections::{BTreeMap, HashSet};

use connections_api::Connection;
use leptos::prelude::*;

/// The `localStorage` key.
pub const STORAGE_KEY: &str = "cloudinary-connections.seen-states";
/// Most remembered connections (the oldest ids are dropped beyond this).
const MOST: usize = 5000;

/// The marked ids of the open list; in context for the table.
#[derive(Debug, Clone, Copy)]
pub struct Marks(pub Var<HashSet<i64>>);

impl Marks {
    pub fn provide() -> Marks {
        let marks = Marks(Var::new(HashSet::new()));
        provide_context(marks);
        marks
    }

    /// Compares the shown connections with what was seen before, marks the changed
    /// ones and remembers the states now shown.
    pub fn note(&self, shown: &[Connection]) {
        let mut seen = load();
        let changed = compare(&mut seen, shown);
        save(&seen);
        if !changed.is_empty() {
            self.0.update(|m| m.extend(changed));
        }
    }
}

/// The changed ids among `shown`, and `seen` updated to what is shown now.
pub fn compare(seen: &mut BTreeMap<i64, String>, shown: &[Connection]) -> Vec<i64> {
    let mut changed = Vec::new();
    for c in shown {
        let now = c.status.state.as_str().to_string();
        if seen.get(&c.id).is_some_and(|before| *before != now) {
            changed.push(c.id);
        }
        seen.insert(c.id, now);
    }
    while seen.len() > MOST {
        seen.pop_first();
    }
    changed
}

fn storage() -> Option<web_sys::Storage> {
    web_sys::window().and_then(|w| w.local_storage().ok().flatten())
}

fn load() -> BTreeMap<i64, String> {
    storage()
        .and_then(|s| s.get_item(STORAGE_KEY).ok().flatten())
        .and_then(|text| serde_json::from_str(&text).ok())
        .unwrap_or_default()
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

    fn conn(id: i64, state: State) -> Connection {
        Connection {
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
        }
    }

    #[test]
    fn a_changed_state_is_marked_once_and_new_rows_are_not() {
        let mut seen = BTreeMap::new();
        assert!(compare(&mut seen, &[conn(1, State::Ok), conn(2, State::Ok)]).is_empty());
        let shown = [
            conn(1, State::InvalidCredentials),
            conn(2, State::Ok),
            conn(3, State::Ok),
        ];
        assert_eq!(compare(&mut seen, &shown), vec![1]);
        assert!(compare(&mut seen, &shown).is_empty(), "seen now");
    }
}
