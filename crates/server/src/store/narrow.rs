//! The part of a search's text that the trigram index reads. A trigram index
//! finds a text by reading the list of rows of each of its trigrams; a
//! trigram that nearly every row holds (`p 0` in "Shop 000120", when every
//! name starts "Shop 0") costs a read of nearly every row, however few rows
//! the whole text matches. So the index reads the run of the text whose
//! trigrams are cheapest to read and still narrow the rows down, and each row
//! it finds is then tested against the whole text. How many rows hold each
//! trigram is counted once and kept while the table keeps about its size:
//! the counts only steer the plan, never decide which rows match.

use std::collections::HashMap;
use std::ops::Range;
use std::sync::{Arc, Mutex};

/// Reading a row's entry in a trigram's list costs 1; testing a row the index
/// found against the whole text costs this much (measured on SQLite at 100,000
/// rows: about 30 ns against 300 ns).
const TEST_COST: f64 = 10.0;

/// Reading part of the text pays only when it saves at least this much
/// (about 30 µs): otherwise the whole text is read, as without counts.
const MIN_SAVING: f64 = 1_000.0;

/// Texts of more trigrams than this are read whole: choosing would cost a
/// count of each and a search over all their runs.
pub(super) const MAX_GRAMS: usize = 30;

/// Trigram counts kept at most; past it, counting starts afresh.
const MAX_KEPT_GRAMS: usize = 4096;

/// The trigrams (three characters each) of `text`, in order, with overlaps.
pub(super) fn trigrams(text: &str) -> Vec<String> {
    let chars: Vec<char> = text.chars().collect();
    chars.windows(3).map(|w| w.iter().collect()).collect()
}

/// The run of `text` (a range of its characters, at least three long) that
/// the index should read, given `rows`: how many of the table's `all` rows
/// hold each of its trigrams, in order. A run costs a read of every one of its
/// trigrams' lists, plus a test of each row they leave: its rarest trigram's
/// rows, narrowed by the others as if they were independent. The cheapest run
/// wins, the longer one on a tie, unless it saves less than [`MIN_SAVING`] on
/// the whole text. A text of fewer than four characters, or an empty table, is
/// its own run.
pub(super) fn cheapest_run(text: &str, rows: &[u64], all: u64) -> Range<usize> {
    let len = text.chars().count();
    if rows.len() != len.saturating_sub(2) || rows.len() < 2 || all == 0 {
        return 0..len;
    }
    let all = all as f64;
    let mut best = (f64::INFINITY, 0..len);
    let mut whole = f64::INFINITY;
    // A run of trigrams first..=last covers characters first..last + 3.
    for first in 0..rows.len() {
        for last in first..rows.len() {
            let run = &rows[first..=last];
            let read: f64 = run.iter().map(|&n| n as f64).sum();
            let rarest = run.iter().copied().min().unwrap_or(0);
            let mut left = rarest as f64;
            let mut skipped = false;
            for &n in run {
                if n == rarest && !skipped {
                    skipped = true;
                } else {
                    left *= (n as f64 / all).min(1.0);
                }
            }
            let cost = read + TEST_COST * left;
            let chars = first..last + 3;
            if chars.len() == len {
                whole = cost;
            }
            if cost < best.0 || (cost == best.0 && chars.len() > best.1.len()) {
                best = (cost, chars);
            }
        }
    }
    if whole - best.0 < MIN_SAVING {
        return 0..len;
    }
    best.1
}

/// The characters `run` of `text`.
pub(super) fn chars_of(text: &str, run: Range<usize>) -> String {
    text.chars().skip(run.start).take(run.len()).collect()
}

/// How many rows hold each trigram, each with the table's size when it was
/// counted. A count is used while the table is within a quarter of that
/// size; it only steers the plan, so an older one does no harm.
#[derive(Clone, Default)]
pub(super) struct GramCounts {
    inner: Arc<Mutex<HashMap<String, (u64, u64)>>>,
}

impl GramCounts {
    /// The kept count of `gram`, if it was counted at about `all` rows.
    pub fn get(&self, gram: &str, all: u64) -> Option<u64> {
        let inner = self.inner.lock().ok()?;
        let &(n, counted_at) = inner.get(gram)?;
        let drift = all.abs_diff(counted_at);
        (drift.saturating_mul(4) <= counted_at).then_some(n)
    }

    pub fn put(&self, gram: &str, all: u64, n: u64) {
        let Ok(mut inner) = self.inner.lock() else {
            return;
        };
        if inner.len() >= MAX_KEPT_GRAMS && !inner.contains_key(gram) {
            inner.clear();
        }
        inner.insert(gram.to_owned(), (n, all));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trigrams_overlap_and_count_characters_not_bytes() {
        assert_eq!(trigrams("p 0001"), ["p 0", " 00", "000", "001"]);
        assert_eq!(trigrams("ünïc"), ["ünï", "nïc"]);
        assert!(trigrams("ab").is_empty());
    }

    #[test]
    fn a_trigram_every_row_holds_is_left_out() {
        // "p 00012" in 100,000 names "Shop 0nnnnn": "p 0" and " 00" are in
        // (nearly) every row; "000", "001", "012" are rarer.
        let rows = [100_000, 10_000, 2_800, 1_400, 1_300];
        let run = cheapest_run("p 00012", &rows, 100_000);
        // "0012": reads 2,700 entries, leaves about 18 rows to test (cost 2,882);
        // "00012" reads 5,500; "012" alone leaves 1,300 to test (14,300).
        assert_eq!(chars_of("p 00012", run), "0012");
    }

    #[test]
    fn a_list_of_every_row_is_not_worth_reading() {
        // Of 1,000 rows: "bcd" alone costs 500 + 5,000; with "abc", which every
        // row holds, 1,500 + 5,000.
        assert_eq!(cheapest_run("abcd", &[1_000, 500], 1_000), 1..4);
        assert_eq!(cheapest_run("abcd", &[50, 1_000], 1_000), 0..3);
    }

    #[test]
    fn two_rare_lists_together_leave_fewer_rows_to_test() {
        // Alone: 10 + 100; together: 20 + 10 × 10 × 1 % = 21.
        assert_eq!(cheapest_run("abcd", &[10, 10], 1_000), 0..4);
    }

    #[test]
    fn a_small_saving_keeps_the_whole_text() {
        // In a table of 10 rows both are in every row: alone 10 + 100, together
        // 20 + 100; 10 saved is not worth it.
        assert_eq!(cheapest_run("abcd", &[10, 10], 10), 0..4);
        // 999 saved: whole; 1,000 saved: the part.
        assert_eq!(cheapest_run("abcd", &[999, 0], 1_000), 0..4);
        assert_eq!(cheapest_run("abcd", &[1_000, 0], 1_000), 1..4);
        // 6,600 against 7,200: 600 saved is not worth it.
        assert_eq!(cheapest_run("abcd", &[600, 600], 600), 0..4);
        // A run that costs more than the whole text is never chosen.
        assert_eq!(cheapest_run("abcd", &[0, 5_000], 1_000), 0..3);
    }

    #[test]
    fn on_a_tie_the_longer_run_wins() {
        // No row holds any of the trigrams: every run costs 0; the whole text.
        assert_eq!(cheapest_run("abcde", &[0, 0, 0], 100), 0..5);
        // A narrowed run: "bcd", "bcde" and "cde" cost 0; the longest, not the last.
        assert_eq!(cheapest_run("abcde", &[5_000, 0, 0], 1_000), 1..5);
    }

    #[test]
    fn short_texts_and_counts_that_do_not_fit_are_the_whole_text() {
        assert_eq!(cheapest_run("abc", &[5], 100), 0..3);
        assert_eq!(cheapest_run("ab", &[], 100), 0..2);
        assert_eq!(cheapest_run("abcdef", &[1, 2], 100), 0..6);
        assert_eq!(cheapest_run("abcd", &[1_000, 5], 0), 0..4, "an empty table");
    }

    #[test]
    fn a_rare_run_in_the_middle_is_found() {
        // "cde" + "def": 5 + 10 × 2 × 0.3 % (5.06); "def" alone 2 + 20.
        let rows = [900, 900, 3, 2, 900, 900];
        assert_eq!(cheapest_run("abcdefgh", &rows, 1_000), 2..6);
    }

    #[test]
    fn chars_of_takes_characters() {
        assert_eq!(chars_of("äbcdé", 1..4), "bcd");
        assert_eq!(chars_of("äbcdé", 2..5), "cdé");
    }

    #[test]
    fn a_count_is_used_while_the_table_is_within_a_quarter_of_its_size() {
        let kept = GramCounts::default();
        assert_eq!(kept.get("abc", 1_000), None);
        kept.put("abc", 1_000, 7);
        assert_eq!(kept.get("abc", 1_000), Some(7));
        assert_eq!(kept.get("abc", 1_250), Some(7));
        assert_eq!(kept.get("abc", 750), Some(7));
        assert_eq!(kept.get("abc", 1_251), None);
        assert_eq!(kept.get("abc", 749), None);
        assert_eq!(kept.get("abd", 1_000), None);
        kept.put("abc", 2_000, 9);
        assert_eq!(kept.get("abc", 2_000), Some(9));
    }

    #[test]
    fn counts_are_bounded() {
        let kept = GramCounts::default();
        for i in 0..MAX_KEPT_GRAMS {
            kept.put(&format!("{i:03}"), 10, 1);
        }
        kept.put("000", 10, 2);
        assert_eq!(kept.get("001", 10), Some(1), "an update keeps the others");
        kept.put("new", 10, 3);
        assert_eq!(kept.get("new", 10), Some(3));
        assert_eq!(kept.get("001", 10), None, "past the bound it starts afresh");
    }
}
