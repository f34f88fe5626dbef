//! Test and Delete over the selected rows: at most [`MAX_PARALLEL`] requests at a time,
//! progress ("12 of 40"), Cancel (no new request starts; those under way finish), one run at
//! a time, and a summary at the end.

use std::cell::{Cell, RefCell};
use std::collections::VecDeque;
use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;

use crate::i18n::{self as msg, Locale};

/// One row's work in a run: its id and name in, whether it went well and its result line out.
pub type RowWork = Rc<dyn Fn(i64, String) -> Pin<Box<dyn Future<Output = (bool, String)>>>>;

/// What happens at the end of a run: its progress and the result lines in the rows' order.
pub type RunEnd = Box<dyn FnOnce(Progress, Vec<(bool, String)>)>;

/// The end of a run, called by whichever worker stops last.
type Finish = Rc<RefCell<Option<Box<dyn FnOnce()>>>>;

/// How many requests of one run are under way at most.
pub const MAX_PARALLEL: usize = 4;

/// What a run does to each row.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BulkKind {
    Test,
    Delete,
}

/// Where a run is: how many rows are done (whatever their outcome) of how many, and how many
/// failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Progress {
    pub kind: BulkKind,
    pub total: usize,
    pub ok: usize,
    pub failed: usize,
    pub cancelled: bool,
}

impl Progress {
    pub fn new(kind: BulkKind, total: usize) -> Self {
        Progress {
            kind,
            total,
            ok: 0,
            failed: 0,
            cancelled: false,
        }
    }

    /// Rows with an answer.
    pub fn done(&self) -> usize {
        self.ok + self.failed
    }

    /// Counts one row's outcome.
    pub fn record(&mut self, ok: bool) {
        if ok {
            self.ok += 1;
        } else {
            self.failed += 1;
        }
    }

    /// "Testing: 12 of 40".
    pub fn text(&self, l: Locale) -> String {
        msg::bulk_progress(l, self.kind == BulkKind::Delete, self.done(), self.total)
    }

    /// The summary at the end of the run.
    pub fn summary(&self, l: Locale) -> String {
        msg::bulk_summary(
            l,
            self.kind == BulkKind::Delete,
            self.ok,
            self.failed,
            self.total.saturating_sub(self.done()),
        )
    }
}

/// Runs `work` on each item, at most [`MAX_PARALLEL`] at a time, in order of `items`; once
/// `cancelled` is set no further item starts. `finished` runs once, after the last started
/// item's work is over.
pub fn run<T, F, Fut>(
    items: Vec<T>,
    cancelled: Rc<Cell<bool>>,
    work: F,
    finished: impl FnOnce() + 'static,
) where
    T: 'static,
    F: Fn(T) -> Fut + 'static,
    Fut: Future<Output = ()> + 'static,
{
    let workers = items.len().clamp(1, MAX_PARALLEL);
    let queue = Rc::new(RefCell::new(VecDeque::from(items)));
    let work = Rc::new(work);
    let left = Rc::new(Cell::new(workers));
    let finished: Finish = Rc::new(RefCell::new(Some(Box::new(finished))));
    for _ in 0..workers {
        let (queue, work, left, finished, cancelled) = (
            queue.clone(),
            work.clone(),
            left.clone(),
            finished.clone(),
            cancelled.clone(),
        );
        leptos::task::spawn_local(async move {
            loop {
                if cancelled.get() {
                    break;
                }
                let next = queue.borrow_mut().pop_front();
                let Some(item) = next else { break };
                work(item).await;
            }
            left.set(left.get() - 1);
            if left.get() == 0 {
                let f = finished.borrow_mut().take();
                if let Some(f) = f {
                    f();
                }
            }
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn progress_counts_and_words() {
        let mut p = Progress::new(BulkKind::Test, 40);
        for i in 0..12 {
            p.record(i != 3);
        }
        assert_eq!(p.done(), 12);
        assert_eq!(p.text(Locale::En), "Testing: 12 of 40");
        assert_eq!(p.text(Locale::De), "Test läuft: 12 von 40");
        p.cancelled = true;
        assert_eq!(
            p.summary(Locale::En),
            "Test finished: 11 tested, 1 could not be tested, 28 not started (cancelled)."
        );
        let mut d = Progress::new(BulkKind::Delete, 2);
        d.record(true);
        d.record(true);
        assert_eq!(d.summary(Locale::En), "Delete finished: 2 deleted.");
        assert_eq!(d.summary(Locale::De), "Löschen beendet: 2 gelöscht.");
    }
}
