//! `BTreeMap` and `BTreeSet` built by inserting, instead of `collect()`.
//!
//! `FromIterator` for both collects into a `Vec`, sorts it (the standard library's stable
//! sort) and builds the tree from the sorted items; every element type collected that way
//! brings its own copy of the sort and the bulk build into the wasm (about 3 KB each,
//! docs/benchmarks.md "Size, step by step"). Inserting one by one reuses `insert`, which
//! the app has for these types anyway. Same result: a later equal key's value wins.

use std::collections::{BTreeMap, BTreeSet};

pub trait Inserted: Iterator + Sized {
    /// `collect::<BTreeMap<_, _>>()` without the sort.
    fn into_map<K: Ord, V>(self) -> BTreeMap<K, V>
    where
        Self: Iterator<Item = (K, V)>,
    {
        let mut map = BTreeMap::new();
        map.extend(self);
        map
    }

    /// `collect::<BTreeSet<_>>()` without the sort.
    fn into_set(self) -> BTreeSet<Self::Item>
    where
        Self::Item: Ord,
    {
        let mut set = BTreeSet::new();
        set.extend(self);
        set
    }
}

impl<I: Iterator> Inserted for I {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_as_collect_with_duplicates_and_any_order() {
        let items = [(3, "c"), (1, "a"), (3, "z"), (2, "b"), (1, "y")];
        let collected: BTreeMap<_, _> = items.into_iter().collect();
        assert_eq!(items.into_iter().into_map(), collected);
        let keys: BTreeSet<_> = items.iter().map(|(k, _)| *k).collect();
        assert_eq!(items.iter().map(|(k, _)| *k).into_set(), keys);
    }
}
