//! Totals of list searches, kept until the next write. The writes bump a
//! generation in the database (a trigger, in the same transaction), so a total
//! counted under an older generation is never returned, on any instance.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

/// More searches than this between two writes: the oldest are forgotten.
const MAX_ENTRIES: usize = 512;

#[derive(Clone, Default)]
pub(super) struct Counts(Arc<Mutex<Inner>>);

#[derive(Default)]
struct Inner {
    generation: i64,
    totals: HashMap<String, i64>,
}

impl Counts {
    /// The total of search `q` counted at `generation`, if any.
    pub fn get(&self, q: &str, generation: i64) -> Option<i64> {
        let inner = self.0.lock().ok()?;
        if inner.generation != generation {
            return None;
        }
        inner.totals.get(q).copied()
    }

    /// Keeps `total` of search `q`, counted at `generation` (or after it).
    pub fn put(&self, q: &str, generation: i64, total: i64) {
        let Ok(mut inner) = self.0.lock() else {
            return;
        };
        if inner.generation != generation {
            if generation < inner.generation {
                return;
            }
            inner.generation = generation;
            inner.totals.clear();
        }
        if inner.totals.len() >= MAX_ENTRIES {
            inner.totals.clear();
        }
        inner.totals.insert(q.to_string(), total);
    }
}
