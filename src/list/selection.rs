//! Which rows are selected: a set of connection ids, plus the anchor of a shift-click range.

use std::collections::HashSet;

/// State of the header's select-all checkbox over the rows shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AllState {
    None,
    Some,
    All,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Selection {
    ids: HashSet<i64>,
    /// The row last clicked without shift: where a shift-click range starts.
    anchor: Option<i64>,
}

impl Selection {
    pub fn contains(&self, id: i64) -> bool {
        self.ids.contains(&id)
    }

    pub fn len(&self) -> usize {
        self.ids.len()
    }

    pub fn is_empty(&self) -> bool {
        self.ids.is_empty()
    }

    /// The one selected id, if exactly one is selected.
    pub fn only(&self) -> Option<i64> {
        (self.ids.len() == 1)
            .then(|| self.ids.iter().next().copied())
            .flatten()
    }

    /// Selected ids in the order of `page` (rows not on it are left out).
    pub fn in_page_order(&self, page: &[i64]) -> Vec<i64> {
        page.iter()
            .copied()
            .filter(|id| self.contains(*id))
            .collect()
    }

    pub fn set(&mut self, id: i64, on: bool) {
        if on {
            self.ids.insert(id);
        } else {
            self.ids.remove(&id);
        }
    }

    /// A click on row `id`'s checkbox. Without shift it toggles the row and makes it the
    /// anchor; with shift it gives every row from the anchor to `id` (in `page` order) the
    /// state the clicked row gets.
    pub fn click(&mut self, id: i64, shift: bool, page: &[i64]) {
        let on = !self.contains(id);
        let range = if shift {
            let anchor = self.anchor.and_then(|a| page.iter().position(|x| *x == a));
            let here = page.iter().position(|x| *x == id);
            match (anchor, here) {
                (Some(a), Some(h)) => Some((a.min(h), a.max(h))),
                _ => None,
            }
        } else {
            None
        };
        match range {
            Some((from, to)) => {
                for id in &page[from..=to] {
                    self.set(*id, on);
                }
            }
            None => self.set(id, on),
        }
        self.anchor = Some(id);
    }

    /// The header checkbox: selects every row of `page` unless all already are, then clears them.
    pub fn toggle_all(&mut self, page: &[i64]) {
        let on = self.all_state(page) != AllState::All;
        for id in page {
            self.set(*id, on);
        }
    }

    pub fn all_state(&self, page: &[i64]) -> AllState {
        let n = page.iter().filter(|id| self.contains(**id)).count();
        if n == 0 {
            AllState::None
        } else if n == page.len() {
            AllState::All
        } else {
            AllState::Some
        }
    }

    /// Keeps only rows that still exist (after a reload or a page change).
    pub fn prune(&mut self, existing: &[i64]) {
        let keep: HashSet<i64> = existing.iter().copied().collect();
        self.ids.retain(|id| keep.contains(id));
        if self.anchor.is_some_and(|a| !keep.contains(&a)) {
            self.anchor = None;
        }
    }

    pub fn clear(&mut self) {
        self.ids.clear();
        self.anchor = None;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const PAGE: [i64; 6] = [3, 5, 8, 13, 21, 34];

    #[test]
    fn toggle_and_only() {
        let mut s = Selection::default();
        s.click(5, false, &PAGE);
        assert!(s.contains(5));
        assert_eq!(s.only(), Some(5));
        s.click(8, false, &PAGE);
        assert_eq!(s.len(), 2);
        assert_eq!(s.only(), None);
        s.click(5, false, &PAGE);
        assert!(!s.contains(5));
        assert_eq!(s.only(), Some(8));
    }

    #[test]
    fn shift_click_selects_a_range_both_ways() {
        let mut s = Selection::default();
        s.click(5, false, &PAGE);
        s.click(21, true, &PAGE);
        assert_eq!(s.in_page_order(&PAGE), vec![5, 8, 13, 21]);
        // A range upwards: the clicked row's new state (selected) applies to the range.
        s.click(8, false, &PAGE);
        assert!(!s.contains(8));
        s.click(3, true, &PAGE);
        assert_eq!(s.in_page_order(&PAGE), vec![3, 5, 8, 13, 21]);
        // Shift-clicking a selected row deselects the range from the anchor (3).
        s.click(13, true, &PAGE);
        assert_eq!(s.in_page_order(&PAGE), vec![21]);
    }

    #[test]
    fn shift_click_without_anchor_toggles_one() {
        let mut s = Selection::default();
        s.click(13, true, &PAGE);
        assert_eq!(s.in_page_order(&PAGE), vec![13]);
    }

    #[test]
    fn select_all_goes_mixed_then_all_then_none() {
        let mut s = Selection::default();
        assert_eq!(s.all_state(&PAGE), AllState::None);
        s.click(3, false, &PAGE);
        assert_eq!(s.all_state(&PAGE), AllState::Some);
        s.toggle_all(&PAGE);
        assert_eq!(s.all_state(&PAGE), AllState::All);
        assert_eq!(s.len(), 6);
        s.toggle_all(&PAGE);
        assert_eq!(s.all_state(&PAGE), AllState::None);
        assert!(s.is_empty());
        assert_eq!(s.all_state(&[]), AllState::None);
    }

    #[test]
    fn prune_keeps_rows_that_still_exist() {
        let mut s = Selection::default();
        s.toggle_all(&PAGE);
        s.click(34, false, &PAGE);
        s.click(34, false, &PAGE);
        s.prune(&[5, 13, 99]);
        assert_eq!(s.in_page_order(&[5, 13, 99]), vec![5, 13]);
        assert_eq!(s.len(), 2);
        // The anchor (34) is gone: shift-click starts fresh.
        s.click(99, true, &[5, 13, 99]);
        assert_eq!(s.len(), 3);
        s.clear();
        assert!(s.is_empty());
    }

    #[test]
    fn select_all_of_500_rows() {
        let page: Vec<i64> = (1..=500).collect();
        let mut s = Selection::default();
        s.toggle_all(&page);
        assert_eq!(s.len(), 500);
        assert_eq!(s.all_state(&page), AllState::All);
    }
}
