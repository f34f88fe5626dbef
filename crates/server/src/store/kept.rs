//! Answers kept until the next write: a search's total, a list page's JSON.
//! Every write to `connections` bumps a generation in the database (a trigger,
//! in the write's own transaction: migrations sqlite 0005/0006, postgres
//! 0004/0005), and each request reads it first, so an answer computed under an
//! older generation is never returned, on any instance sharing the database.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

/// Values of type `V` by key, all computed at one generation. Bounded: past
/// `max_entries` entries or `max_weight` total weight, it starts afresh.
#[derive(Clone)]
pub(super) struct Kept<V> {
    inner: Arc<Mutex<Inner<V>>>,
    max_entries: usize,
    max_weight: usize,
}

struct Inner<V> {
    generation: i64,
    weight: usize,
    values: HashMap<String, V>,
}

impl<V: Clone> Kept<V> {
    pub fn new(max_entries: usize, max_weight: usize) -> Kept<V> {
        Kept {
            inner: Arc::new(Mutex::new(Inner {
                generation: i64::MIN,
                weight: 0,
                values: HashMap::new(),
            })),
            max_entries,
            max_weight,
        }
    }

    /// The value kept for `key` at `generation`, if any. A generation lower than
    /// the kept ones (a database restored from a backup counts again from an
    /// older value) forgets them, so they cannot come back when the count
    /// reaches their generation again.
    pub fn get(&self, key: &str, generation: i64) -> Option<V> {
        let mut inner = self.inner.lock().ok()?;
        if generation < inner.generation {
            inner.start(generation);
        }
        if generation != inner.generation {
            return None;
        }
        inner.values.get(key).cloned()
    }

    /// Keeps `value` (of `weight`, e.g. its length in bytes) for `key`, computed
    /// at `generation` or after it. A value of an older generation than the
    /// kept ones is dropped: a write came in between.
    pub fn put(&self, key: &str, generation: i64, value: V, weight: usize) {
        if weight > self.max_weight {
            return;
        }
        let Ok(mut inner) = self.inner.lock() else {
            return;
        };
        if generation < inner.generation {
            return;
        }
        if generation > inner.generation {
            inner.start(generation);
        }
        if inner.values.len() >= self.max_entries || inner.weight + weight > self.max_weight {
            inner.start(generation);
        }
        if inner.values.insert(key.to_string(), value).is_none() {
            inner.weight += weight;
        }
    }
}

impl<V> Inner<V> {
    /// Forgets every value; what is kept from now on is of `generation`.
    fn start(&mut self, generation: i64) {
        self.generation = generation;
        self.values.clear();
        self.weight = 0;
    }
}

#[cfg(test)]
mod tests {
    use super::Kept;

    #[test]
    fn a_value_is_returned_at_its_generation_only() {
        let kept = Kept::new(8, 100);
        kept.put("q=a", 3, 7, 1);
        assert_eq!(kept.get("q=a", 3), Some(7));
        assert_eq!(kept.get("q=b", 3), None);
        assert_eq!(kept.get("q=a", 4), None, "a write came since");
    }

    #[test]
    fn a_newer_generation_forgets_the_older_values() {
        let kept = Kept::new(8, 100);
        kept.put("q=a", 3, 7, 1);
        kept.put("q=b", 4, 8, 1);
        assert_eq!(kept.get("q=b", 4), Some(8));
        assert_eq!(kept.get("q=a", 4), None);
        assert_eq!(kept.get("q=a", 3), None);
    }

    #[test]
    fn a_value_computed_before_a_write_is_not_kept_after_it() {
        let kept = Kept::new(8, 100);
        kept.put("q=b", 4, 8, 1);
        kept.put("q=a", 3, 7, 1);
        assert_eq!(kept.get("q=a", 4), None);
        assert_eq!(kept.get("q=b", 4), Some(8));
    }

    #[test]
    fn a_generation_going_back_forgets_what_was_kept() {
        let kept = Kept::new(8, 100);
        kept.put("q=a", 5, 7, 1);
        // The database was restored: its counter reads 3, then counts up again.
        assert_eq!(kept.get("q=a", 3), None);
        assert_eq!(kept.get("q=a", 5), None, "the old page is gone for good");
        kept.put("q=a", 3, 9, 1);
        assert_eq!(kept.get("q=a", 3), Some(9));
    }

    #[test]
    fn past_the_entry_limit_it_starts_afresh() {
        let kept = Kept::new(2, 100);
        kept.put("a", 1, 1, 1);
        kept.put("b", 1, 2, 1);
        assert_eq!(kept.get("a", 1), Some(1));
        kept.put("c", 1, 3, 1);
        assert_eq!(kept.get("a", 1), None);
        assert_eq!(kept.get("b", 1), None);
        assert_eq!(kept.get("c", 1), Some(3));
    }

    #[test]
    fn past_the_weight_limit_it_starts_afresh() {
        let kept = Kept::new(8, 10);
        kept.put("a", 1, 1, 6);
        kept.put("b", 1, 2, 4);
        assert_eq!(kept.get("a", 1), Some(1), "6 + 4 is within 10");
        assert_eq!(kept.get("b", 1), Some(2));
        kept.put("c", 1, 3, 1);
        assert_eq!(kept.get("a", 1), None);
        assert_eq!(kept.get("c", 1), Some(3));
    }

    #[test]
    fn a_value_heavier_than_the_limit_is_not_kept() {
        let kept = Kept::new(8, 10);
        kept.put("exact", 1, 0, 10);
        assert_eq!(kept.get("exact", 1), Some(0), "as heavy as the limit");
        kept.put("a", 1, 1, 3);
        kept.put("big", 1, 2, 11);
        assert_eq!(kept.get("big", 1), None);
        assert_eq!(kept.get("a", 1), Some(1), "the others stay");
    }

    #[test]
    fn the_same_key_again_does_not_count_twice() {
        let kept = Kept::new(8, 10);
        kept.put("a", 1, 1, 6);
        kept.put("a", 1, 1, 6);
        kept.put("b", 1, 2, 4);
        assert_eq!(kept.get("a", 1), Some(1));
        assert_eq!(kept.get("b", 1), Some(2));
    }
}
