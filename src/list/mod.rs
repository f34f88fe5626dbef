//! The list screen (route `/`): toolbar, columns bar, table of one page, pager, states.
//!
//! The logic lives in plain types with native tests (`columns`, `selection`, `query`,
//! `pager`, `prefs`); the builder functions only wire signals to them and to the elements. The server sorts, filters
//! and pages; the app fetches and draws one page.

mod bulk;
mod cells;
mod columns;
mod dialog;
mod pager;
mod prefs;
mod query;
mod rows;
mod seen;
mod selection;
mod table;
mod url_state;

pub use cells::{status_class, status_word};
pub use columns::{columns_bar, Column, ColumnState};
pub use pager::{clamp_offset, range_text, PAGE_SIZES};
pub use prefs::{Prefs, STORAGE_KEY};
pub use query::{cycle, Locator, Sort, Step, ViewQuery};
pub use selection::{AllState, Selection};

use crate::cell::{Calc, Derived, Stash, Var};
use std::cell::{Cell, RefCell};
use std::collections::{HashMap, HashSet};
use std::rc::Rc;
use std::sync::Arc;

use connections_api::{SortKey, Status, DEFAULT_LIMIT};
use leptos::prelude::*;
use wasm_bindgen::JsCast;

use crate::api::{ApiError, ListPage};
use crate::context::{use_client, use_list_place, use_live, use_locale};
use crate::dom::{h, target_value, El, Slot};
use crate::host::events::HostEvent;
use crate::i18n::{self as msg, t, Locale, Msg};
use crate::route::{use_nav, Nav};
use bulk::{BulkKind, Progress, RowWork, RunEnd};
use pager::Pager;
use table::{table, TableState};

/// Debounce of the quick filter: a burst of keys asks once, and the rows follow within 150 ms
/// of the last key (the request, drawing 500 rows and the next frame take 40–70 ms). Slower
/// typing asks once a key; a keystroke inside a request's flight aborts it, and a search
/// costs the server under a millisecond even at 100,000 connections (docs/benchmarks.md), so
/// the short pause costs little.
const FILTER_DELAY_MS: u64 = 80;
/// How long the saved row stays marked.
const SAVED_MARK_MS: i32 = 4000;
/// Performance mark set each time a page of rows is in the DOM (read by the benchmark).
pub const ROWS_SHOWN_MARK: &str = "cc:rows-shown";

/// The reason to show for a failed request on one row.
fn reason(l: Locale, e: &ApiError) -> String {
    match e {
        ApiError::Network => Msg::ErrUnreachable.text(l).into(),
        ApiError::Unauthorized => Msg::ErrUnauthorized.text(l).into(),
        ApiError::NotFound(_) => Msg::Gone.text(l).into(),
        // The server's own words are English: shown as they are in English only.
        ApiError::Conflict(m) | ApiError::Validation { message: m, .. } if l == Locale::En => {
            m.clone()
        }
        ApiError::Server { message, .. } if l == Locale::En && !message.is_empty() => {
            message.clone()
        }
        ApiError::Conflict(_) | ApiError::Validation { .. } => Msg::ErrServer.text(l).into(),
        ApiError::Server { .. } => Msg::ErrServer.text(l).into(),
    }
}

fn mark_rows_shown() {
    if let Some(p) = web_sys::window().and_then(|w| w.performance()) {
        let _ = p.mark(ROWS_SHOWN_MARK);
    }
}

/// Whether the focus is nowhere in particular (on the body: its element went away).
fn focus_is_lost() -> bool {
    let doc = web_sys::window().and_then(|w| w.document());
    match doc.as_ref().and_then(|d| d.active_element()) {
        None => true,
        Some(el) => doc.and_then(|d| d.body()).is_some_and(|b| {
            let b: &web_sys::Element = b.as_ref();
            *b == el
        }),
    }
}

/// After a delete: focus the row now at `index` (the last row if the page got shorter), else
/// the table, else the empty list's Add button; never the page's body.
fn focus_place(list: &web_sys::Element, index: usize) {
    // The rows of the table on show: a hidden table keeps the rows of its last page.
    let rows = list
        .query_selector_all(".cc-table-wrap:not([hidden]) tbody tr[data-id]")
        .ok();
    let n = rows.as_ref().map_or(0, |r| r.length() as usize);
    let target: Option<web_sys::HtmlElement> = if n > 0 {
        rows.and_then(|r| r.item(index.min(n - 1) as u32))
            .and_then(|e| e.dyn_into().ok())
    } else {
        list.query_selector(".cc-empty button, .cc-add")
            .ok()
            .flatten()
            .and_then(|e| e.dyn_into().ok())
    };
    if let Some(el) = target {
        let _ = el.focus();
    }
}

/// The view the address names (its sort, filter, page and size; `page_size` when it names
/// none), read untracked.
fn address_view(nav: Nav, page_size: u64) -> ViewQuery {
    let pairs: Vec<(&str, String)> = url_state::KEYS
        .iter()
        .filter_map(|k| nav.query_untracked(k).map(|v| (*k, v)))
        .collect();
    url_state::from_pairs(pairs.iter().map(|(k, v)| (*k, v.as_str())), page_size)
}

/// The list screen.
pub fn connection_list() -> El {
    let client = use_client();
    let locale = use_locale();
    let can_write = crate::caller::use_can_write();
    let nav = use_nav();
    // Drops `?saved=` from the URL without a history entry: the address becomes the view shown.
    let list_place = use_list_place();
    let drop_saved = UnsyncCallback::new(move |view: ViewQuery| {
        nav.replace(&format!("/{}", url_state::to_search(&view, DEFAULT_LIMIT)))
    });

    let prefs = Prefs::load();
    let columns = Var::new(prefs.columns);
    // The view the address names (Back, a shared link), else the default one.
    let query = Var::new(address_view(nav, prefs.page_size));
    let limit = Calc::new(move |_| query.with(|q| q.limit));
    crate::erased::effect(move || {
        Prefs {
            columns: columns.get(),
            page_size: limit.get(),
        }
        .save();
    });

    // The row the form just saved (`/?saved=<id>`): one async loop asks for pages until the
    // `Locator` finds it (or says it is gone), then the view goes to its page once.
    let saved_param = move || {
        nav.query("saved")
            .and_then(|s| s.trim().parse::<i64>().ok())
    };
    let highlight = Var::new(None::<i64>);
    // The saved row to focus once the table has drawn it (see `table.rs`).
    let focus_saved = Stash::new(None::<i64>);
    // The id searched for now; while it is, the view is the first guess and stays out of the
    // address.
    let locating = Stash::new(None::<i64>);
    let locate_abort = Stash::new(None::<web_sys::AbortController>);
    let unmark = Stash::new(None::<TimeoutHandle>);
    on_cleanup(move || {
        if let Some(Some(c)) = locate_abort.try_update_value(Option::take) {
            c.abort();
        }
        if let Some(Some(t)) = unmark.try_update_value(Option::take) {
            t.clear();
        }
    });
    // Everything said goes through the app's one live region (`crate::announce`); it is
    // emptied when the list goes, so a count of another screen is not read out later.
    let announce = crate::announce::use_announcer();
    on_cleanup(move || announce.say(String::new()));
    let locate = {
        let client = client.clone();
        move |id: i64| {
            let limit = query.with_untracked(|q| q.limit);
            let mut locator = Locator::new(id, limit);
            // The first guess is shown at once: right unless rows before it were deleted.
            let guess = ViewQuery {
                offset: locator.first_offset(),
                limit,
                ..ViewQuery::default()
            };
            query.set(guess.clone());
            locating.set_value(Some(id));
            let controller = web_sys::AbortController::new().ok();
            if let Some(Some(old)) =
                locate_abort.try_update_value(|c| std::mem::replace(c, controller.clone()))
            {
                old.abort();
            }
            let client = client.clone();
            leptos::task::spawn_local(async move {
                let mut offset = guess.offset;
                let outcome = loop {
                    let probe = ViewQuery {
                        offset,
                        ..guess.clone()
                    };
                    let page = client
                        .list(&probe.to_list_query(), controller.as_ref())
                        .await;
                    let Ok(p) = page else { break None };
                    let ids: Vec<i64> = p.items.iter().map(|c| c.id).collect();
                    match locator.observe(p.offset, &ids, p.total) {
                        Step::Probe(next) => offset = next,
                        Step::Found => {
                            let name = p.items.iter().find(|c| c.id == id).map(|c| c.name.clone());
                            break Some((probe, name));
                        }
                        Step::Missing => {
                            break Some((
                                ViewQuery {
                                    offset: 0,
                                    ..guess.clone()
                                },
                                None,
                            ))
                        }
                    }
                };
                // Superseded by another saved row, or the list went: nothing more to do.
                if controller.as_ref().is_some_and(|c| c.signal().aborted()) {
                    return;
                }
                if locating.try_update_value(Option::take).is_none() {
                    return;
                }
                // The user moved the view meanwhile (sort, filter, page): theirs stays.
                let moved = query.try_with_untracked(|q| *q != guess).unwrap_or(true);
                let view = match outcome {
                    Some((view, name)) if !moved => {
                        if query.with_untracked(|q| *q != view) {
                            query.set(view.clone());
                        }
                        if let Some(name) = name {
                            highlight.set(Some(id));
                            focus_saved.set_value(Some(id));
                            announce.say(msg::saved_announce(locale.get_untracked(), &name));
                            let timer = set_timeout_with_handle(
                                move || {
                                    if highlight.try_get_untracked() == Some(Some(id)) {
                                        highlight.try_set(None);
                                    }
                                },
                                std::time::Duration::from_millis(SAVED_MARK_MS as u64),
                            )
                            .ok();
                            if let Some(Some(old)) =
                                unmark.try_update_value(|t| std::mem::replace(t, timer))
                            {
                                old.clear();
                            }
                        }
                        view
                    }
                    // A failed request shows in the list's own state; the view stays.
                    _ => query.get_untracked(),
                };
                drop_saved.run(view);
            });
        }
    };
    if let Some(id) = untrack(saved_param) {
        locate(id);
    }
    // A later `?saved=` (a host navigating to it while the list is shown).
    crate::erased::effect(move || {
        if let Some(id) = saved_param() {
            if locating.get_value() != Some(id) && highlight.get_untracked() != Some(id) {
                locate(id);
            }
        }
    });

    // The view goes into the address (replacing the entry: paging is not history) and is
    // where the form's Back returns. While a saved row is searched for, its probes stay out.
    // The address is written once the view's answer is on screen, after the frame that shows
    // it: writing it takes the browser a few milliseconds, which would otherwise fall between
    // the request and its rows (docs/benchmarks.md). The effect below plans the write (the
    // path, and the address it was planned on); an answer schedules it; leaving for another
    // screen carries it out at once.
    let address_pending = Stash::new(None::<(String, String)>);
    let address_frame = Stash::new(None::<AnimationFrameRequestHandle>);
    let address_timer = Stash::new(None::<TimeoutHandle>);
    let cancel_address = move || {
        if let Some(Some(f)) = address_frame.try_update_value(Option::take) {
            f.cancel();
        }
        if let Some(Some(t)) = address_timer.try_update_value(Option::take) {
            t.clear();
        }
    };
    on_cleanup(cancel_address);
    // The view the address names now, as a path.
    let shown_path = move || {
        format!(
            "/{}",
            url_state::to_search(&address_view(nav, DEFAULT_LIMIT), DEFAULT_LIMIT)
        )
    };
    crate::erased::effect(move || {
        // Each run decides afresh: a write the last one planned goes.
        cancel_address();
        let path = format!(
            "/{}",
            query.with(|q| url_state::to_search(q, DEFAULT_LIMIT))
        );
        if list_place.get_untracked() != path {
            list_place.set(path.clone());
        }
        // Only when the address names another view: a host page's own query (or a page path
        // outside the base path, which shows the list too) stays as it is otherwise.
        let shown = shown_path();
        let write = locating.get_value().is_none() && shown != path;
        address_pending.set_value(write.then_some((path, shown)));
    });
    // The planned write, now: only while no saved row is searched for and the address is still
    // the one it was planned on (not another entry the browser's Back or the host went to).
    let flush_address = move || {
        cancel_address();
        if let Some(Some((path, planned_on))) = address_pending.try_update_value(Option::take) {
            if locating.try_get_value().flatten().is_none() && shown_path() == planned_on {
                nav.replace(&path);
            }
        }
    };
    // After an answer (rows, no match or an error): the planned write, after the next frame
    // (in a hidden tab, where frames wait, after the current task).
    let schedule_address = move || {
        let planned = address_pending.with_value(Option::is_some);
        let scheduled =
            address_frame.with_value(Option::is_some) || address_timer.with_value(Option::is_some);
        if !planned || scheduled {
            return;
        }
        let later = move || {
            set_timeout_with_handle(
                move || {
                    address_timer.try_set_value(None);
                    flush_address();
                },
                std::time::Duration::ZERO,
            )
            .ok()
        };
        let tab_hidden = web_sys::window()
            .and_then(|w| w.document())
            .is_some_and(|d| d.hidden());
        if tab_hidden {
            address_timer.set_value(later());
        } else {
            let frame = request_animation_frame_with_handle(move || {
                address_frame.try_set_value(None);
                address_timer.try_set_value(later());
            })
            .ok();
            address_frame.set_value(frame);
        }
    };
    // Leaving for the Connection view: a planned address write is carried out first, so that
    // the entry the browser's Back returns to names the view the form's Back returns to.
    let go = UnsyncCallback::new(move |path: String| {
        flush_address();
        nav.push(&path);
    });

    let filter_text = Var::new(query.with_untracked(|q| q.q.clone()));
    let filter_gen = Stash::new(0u64);
    // The debounce's pending timeout, cleared by the next keystroke and when the list goes.
    let filter_timer = Stash::new(None::<TimeoutHandle>);
    on_cleanup(move || {
        if let Some(Some(t)) = filter_timer.try_update_value(Option::take) {
            t.clear();
        }
    });

    // One page from the server. A newer request supersedes an older one (the resource keeps
    // only the latest run's answer), and the old rows stay until the new ones arrive.
    let in_flight = Var::new(0u32);
    // The request of the page asked for last; a newer one aborts it (and so does the list
    // going away).
    let list_abort = Stash::new(None::<web_sys::AbortController>);
    on_cleanup(move || {
        if let Some(Some(c)) = list_abort.try_update_value(Option::take) {
            c.abort();
        }
    });
    let page = {
        let client = client.clone();
        crate::loader::Loader::new(move || {
            let q = query.get().to_list_query();
            let client = client.clone();
            in_flight.update(|n| *n += 1);
            let controller = web_sys::AbortController::new().ok();
            if let Some(Some(old)) =
                list_abort.try_update_value(|c| std::mem::replace(c, controller.clone()))
            {
                old.abort();
            }
            async move {
                let result = client.list(&q, controller.as_ref()).await.map(Arc::new);
                in_flight.try_update(|n| *n = n.saturating_sub(1));
                result
            }
        })
    };
    let loading = Calc::new(move |_| in_flight.get() > 0);
    // Each answer (the view's page, no match or an error) carries out the address write.
    crate::erased::effect(move || {
        page.with(|_| ());
        untrack(schedule_address);
    });
    // Refused as unauthorised: the host's next token tries again.
    let auth = use_live().auth;
    Effect::new(move |prev: Option<u64>| {
        let n = auth.get();
        if prev.is_some_and(|p| p != n)
            && page.with_untracked(|p| matches!(p, Some(Err(ApiError::Unauthorized))))
        {
            page.refetch();
        }
        n
    });
    let current = Calc::new(move |_| match page.get() {
        Some(Ok(p)) => Some(p),
        _ => None,
    });
    crate::caller::load_after(move || current.with(Option::is_some));
    let marks = seen::Marks::provide();
    crate::erased::effect(move || {
        current.with(|p| p.as_ref().map(|p| marks.note(&p.items)));
    });
    let rows = Calc::new(move |_| {
        current.with(|p| Arc::new(p.as_ref().map(|p| p.items.clone()).unwrap_or_default()))
    });

    let selection = Var::new(Selection::default());
    let tested = Var::new(HashMap::<i64, Status>::new());
    let testing = Var::new(HashSet::<i64>::new());
    let results = Var::new(Vec::<(bool, String)>::new());
    let bulk = Var::new(None::<Progress>);
    // After a delete: the index of the row whose place to focus when the next page arrives.
    let focus_after = Var::new(None::<usize>);
    let list_ref = Slot::new();

    // Each page that arrives: keep the selection of rows that still exist, go to the last
    // page if the list shrank under this one (not while a saved row is searched for), and
    // tell the benchmark once the rows are drawn.
    crate::erased::effect(move || {
        let Some(p) = current.get() else { return };
        let ids: Vec<i64> = p.items.iter().map(|c| c.id).collect();
        selection.update(|s| s.prune(&ids));
        // The table marks a page with rows once they are written. Any other state is
        // drawn by an effect woken with this one: once this round of effects is over.
        if ids.is_empty() {
            queue_microtask(mark_rows_shown);
        }
        if let Some(index) = focus_after.get_untracked() {
            focus_after.set(None);
            let frame = request_animation_frame_with_handle(move || {
                if let Some(list) = list_ref.get() {
                    focus_place(&list, index);
                }
            });
            on_cleanup(move || {
                if let Ok(f) = frame {
                    f.cancel();
                }
            });
        }

        // The first guess of a saved row's page may lie past the end: the search goes on.
        if locating.get_value().is_some() {
            return;
        }
        let clamped = clamp_offset(p.offset, p.total, p.limit);
        if clamped != p.offset && query.with_untracked(|q| q.offset == p.offset) {
            query.update(|q| q.offset = clamped);
        }
    });

    let apply_filter = move |text: String| {
        filter_gen.update_value(|g| *g += 1);
        query.update(|q| {
            if q.q != text {
                q.q = text;
                q.offset = 0;
            }
        });
    };
    let on_filter_input = move |ev: web_sys::Event| {
        let text = target_value(&ev);
        filter_text.set(text.clone());
        filter_gen.update_value(|g| *g += 1);
        let generation = filter_gen.get_value();
        let timer = set_timeout_with_handle(
            move || {
                if filter_gen.try_get_value() == Some(generation) {
                    query.try_update(|q| {
                        if q.q != text {
                            q.q = text;
                            q.offset = 0;
                        }
                    });
                }
            },
            std::time::Duration::from_millis(FILTER_DELAY_MS),
        )
        .ok();
        if let Some(Some(old)) = filter_timer.try_update_value(|t| std::mem::replace(t, timer)) {
            old.clear();
        }
    };
    let clear_filter = move || {
        filter_text.set(String::new());
        apply_filter(String::new());
    };

    let on_sort = UnsyncCallback::new(move |key: SortKey| {
        query.update(|q| {
            q.sort = cycle(q.sort, key);
            q.offset = 0;
        })
    });
    let on_open = UnsyncCallback::new(move |id: i64| go.run(format!("/{id}")));
    let on_move = UnsyncCallback::new(move |m: query::PageMove| {
        let shown = current.get_untracked();
        query.update(|q| q.go(m, shown.as_deref()))
    });
    let on_limit = UnsyncCallback::new(move |n: u64| {
        if pager::is_page_size(n) {
            query.update(|q| {
                q.offset = pager::offset_for_size(q.offset, n);
                q.limit = n;
            })
        }
    });

    let selected_count = Calc::new(move |_| selection.with(Selection::len));
    // Screen readers hear the count through the one live region (`announce`), not a second
    // one in the toolbar that comes and goes with it.
    Effect::new(move |prev: Option<usize>| {
        let n = selected_count.get();
        match prev {
            Some(p) if p != n && n > 0 => announce.say(msg::selected(locale.get_untracked(), n)),
            // Nothing selected any more: the toolbar goes, and so does its count, but not
            // what was said since (the rows a delete removed go from the selection after
            // "Deleted …" was said).
            Some(p) if p != n => announce.retract(&msg::selected(locale.get_untracked(), p)),
            _ => {}
        }
        n
    });
    let only_selected = Calc::new(move |_| selection.with(Selection::only));
    // Selected rows in page order, with their names (for the dialog and the results).
    let selected_rows = move || -> Vec<(i64, String)> {
        selection.with_untracked(|s| {
            rows.with_untracked(|r| {
                r.iter()
                    .filter(|c| s.contains(c.id))
                    .map(|c| (c.id, c.name.clone()))
                    .collect()
            })
        })
    };

    // One bulk run (Test or Delete) at a time; `cancel_run` stops it starting more rows.
    let cancel_run = Stash::new(Rc::new(Cell::new(false)));
    let running = Calc::new(move |_| bulk.with(Option::is_some));
    // Starts a run over `targets`: `work` does one row and says whether it went well;
    // `finished` gets the run's progress and its result lines in the rows' order.
    let start_run =
        move |kind: BulkKind, targets: Vec<(i64, String)>, work: RowWork, finished: RunEnd| {
            let cancelled = Rc::new(Cell::new(false));
            cancel_run.set_value(cancelled.clone());
            bulk.set(Some(Progress::new(kind, targets.len())));
            results.set(Vec::new());
            let lines = Rc::new(RefCell::new(Vec::<(usize, bool, String)>::new()));
            let items: Vec<(usize, i64, String)> = targets
                .into_iter()
                .enumerate()
                .map(|(i, (id, name))| (i, id, name))
                .collect();
            let each = {
                let lines = lines.clone();
                move |(i, id, name): (usize, i64, String)| {
                    let lines = lines.clone();
                    let fut = work(id, name);
                    async move {
                        let (ok, line) = fut.await;
                        lines.borrow_mut().push((i, ok, line));
                        bulk.try_update(|b| {
                            if let Some(b) = b {
                                b.record(ok);
                            }
                        });
                    }
                }
            };
            bulk::run(items, cancelled.clone(), each, move || {
                let Some(Some(mut progress)) = bulk.try_get_untracked() else {
                    return;
                };
                progress.cancelled = cancelled.get();
                let mut lines = std::mem::take(&mut *lines.borrow_mut());
                lines.sort_by_key(|(i, _, _)| *i);
                bulk.try_set(None);
                finished(
                    progress,
                    lines.into_iter().map(|(_, ok, line)| (ok, line)).collect(),
                );
            });
        };
    // The summary goes first and is what the live region says (not one line per row).
    let report = move |l: Locale, progress: Progress, lines: Vec<(bool, String)>| {
        let summary = progress.summary(l);
        // One row: its own line ("Tested “Alpha”: Connected.") says more than a count.
        announce.say(match lines.as_slice() {
            [(_, only)] => only.clone(),
            _ => summary.clone(),
        });
        let mut all = vec![(progress.failed == 0, summary)];
        all.extend(lines);
        results.try_set(all);
    };

    let test_client = client.clone();
    let test_button = Slot::new();
    let run_test = move |_| {
        if running.get_untracked() {
            return;
        }
        let targets = selected_rows();
        if targets.is_empty() {
            return;
        }
        let ids: Vec<i64> = targets.iter().map(|(id, _)| *id).collect();
        testing.update(|t| t.extend(ids.iter().copied()));
        let l = locale.get_untracked();
        let client = test_client.clone();
        let work: RowWork = Rc::new(move |id, name| {
            let client = client.clone();
            Box::pin(async move {
                let out = match client.verify_stored(id).await {
                    Ok(c) => {
                        let line = msg::tested_row(l, &c.name, status_word(l, c.status.state));
                        tested.try_update(|t| t.insert(id, c.status));
                        (true, line)
                    }
                    Err(e) => (false, msg::test_failed(l, &name, &reason(l, &e))),
                };
                testing.try_update(|t| t.remove(&id));
                out
            })
        });
        start_run(
            BulkKind::Test,
            targets,
            work,
            Box::new(move |progress, lines| {
                // Rows a Cancel left out are no longer "being tested".
                testing.try_update(|t| {
                    ids.iter().for_each(|id| {
                        t.remove(id);
                    })
                });
                report(l, progress, lines);
                // The Cancel button goes away under the focus: back to Test, looked at once
                // the progress bar is gone (the effects that remove it run first).
                request_animation_frame(move || {
                    if focus_is_lost() {
                        if let Some(b) = test_button.get_as::<web_sys::HtmlElement>() {
                            let _ = b.focus();
                        }
                    }
                });
            }),
        );
    };

    let delete_targets = Var::new(None::<Vec<(i64, String)>>);
    let delete_button = Slot::new();
    let delete_client = client.clone();
    let on_confirm_delete = UnsyncCallback::new(move |ids: Vec<i64>| {
        if running.get_untracked() {
            return;
        }
        let (targets, first): (Vec<(i64, String)>, Option<usize>) = rows.with_untracked(|r| {
            (
                r.iter()
                    .filter(|c| ids.contains(&c.id))
                    .map(|c| (c.id, c.name.clone()))
                    .collect(),
                r.iter().position(|c| ids.contains(&c.id)),
            )
        });
        let l = locale.get_untracked();
        let client = delete_client.clone();
        let gone = Rc::new(RefCell::new(Vec::<i64>::new()));
        let work: RowWork = {
            let client = client.clone();
            let gone = gone.clone();
            Rc::new(move |id, name| {
                let client = client.clone();
                let gone = gone.clone();
                Box::pin(async move {
                    match client.delete(id).await {
                        // Already deleted by someone else: gone all the same.
                        Ok(()) | Err(ApiError::NotFound(_)) => {
                            gone.borrow_mut().push(id);
                            (true, msg::deleted(l, &name))
                        }
                        Err(e) => (false, msg::delete_failed(l, &name, &reason(l, &e))),
                    }
                })
            })
        };
        start_run(
            BulkKind::Delete,
            targets,
            work,
            Box::new(move |progress, lines| {
                let gone = std::mem::take(&mut *gone.borrow_mut());
                if !gone.is_empty() {
                    client.session().emit(&HostEvent::Deleted { ids: gone });
                    // The row that takes the first deleted row's place gets the focus once
                    // the page without them is drawn.
                    focus_after.try_set(first);
                }
                report(l, progress, lines);
                page.refetch();
            }),
        );
    });

    // Driver names as the server declares them (the Driver column), asked once a page came
    // (a refused token is reported once, by the page's request).
    let page_came = Calc::new(move |_| current.with(Option::is_some));
    let drivers = {
        let client = client.clone();
        crate::loader::Loader::new(move || {
            let client = client.clone();
            let ask = page_came.get();
            async move {
                if ask {
                    client.drivers().await.ok()
                } else {
                    None
                }
            }
        })
    };
    let driver_names = Calc::new(move |_| {
        Arc::new(
            drivers
                .get()
                .flatten()
                .map(|ds| ds.into_iter().map(|d| (d.id, d.name)).collect::<Vec<_>>())
                .unwrap_or_default(),
        )
    });

    let columns_open = Var::new(false);
    let shown = Calc::new(move |_| columns.with(ColumnState::shown));

    // Which state the body is in; the table stays mounted while rows come and go.
    #[derive(Clone, Copy, PartialEq)]
    enum Kind {
        Loading,
        Error(Msg),
        Empty,
        NoMatch,
        Rows,
    }
    let kind = Calc::new(move |_| {
        page.with(|p| match p {
            None => Kind::Loading,
            Some(Err(ApiError::Unauthorized)) => Kind::Error(Msg::ErrUnauthorized),
            Some(Err(ApiError::Network)) => Kind::Error(Msg::ErrUnreachable),
            Some(Err(_)) => Kind::Error(Msg::ErrServer),
            Some(Ok(p)) if p.total == 0 && query.with(|q| q.q.trim().is_empty()) => Kind::Empty,
            Some(Ok(p)) if p.total == 0 => Kind::NoMatch,
            Some(Ok(_)) => Kind::Rows,
        })
    });
    let table_state = TableState {
        columns: shown,
        selection,
        sort: Derived::new(move || query.with(|q| q.sort)),
        tested,
        testing,
        highlight,
        focus_saved,
        drivers: driver_names,
        // The table stays in the page: hidden whenever the kind of state is not `Rows`.
        hidden: Derived::new(move || kind.get() != Kind::Rows),
    };
    let filter_now = move || query.with(|q| q.q.trim().to_string());
    // What the list shows instead of its rows; the table itself is built once, below.
    let state_block = move |shown: Kind| -> Option<El> {
        Some(match shown {
            Kind::Loading => h("p")
                .class("cc-state")
                .attr("role", "status")
                .text_with(t(Msg::Loading)),
            // One error block for every error: another error after Retry changes its text, and
            // the Retry button (with the focus) stays.
            Kind::Error(_) => h("div")
                .class("cc-state cc-error")
                .attr("role", "alert")
                .child(h("p").text_with(move || match kind.get() {
                    Kind::Error(text) => text.text(locale.get()),
                    _ => "",
                }))
                .child(
                    h("button")
                        .attr("type", "button")
                        .class("cc-btn")
                        .on("click", move |_| page.refetch())
                        .text_with(t(Msg::Retry)),
                ),
            Kind::Empty => h("div")
                .class("cc-state cc-empty")
                .attr("role", "status")
                .child(h("p").child(h("strong").text_with(t(Msg::Empty))))
                .child(h("p").text_with(t(Msg::EmptyHint)))
                .when(
                    move || can_write.get(),
                    move || {
                        h("button")
                            .attr("type", "button")
                            .class("cc-btn cc-btn-primary")
                            .on("click", move |_| go.run("/new".into()))
                            .child(icon("+"))
                            .text_with(t(Msg::AddFirst))
                    },
                ),
            Kind::NoMatch => h("div")
                .class("cc-state cc-empty")
                .attr("role", "status")
                .child(h("p").text_with(move || msg::no_match(locale.get(), &filter_now())))
                .child(
                    h("button")
                        .attr("type", "button")
                        .class("cc-btn")
                        .on("click", move |_| clear_filter())
                        .text_with(t(Msg::ClearFilter)),
                ),
            Kind::Rows => return None,
        })
    };

    // The toolbar's actions, named so its markup stays short.
    let count_text = move || msg::selected(locale.get(), selected_count.get());
    // Edit (`prefix` empty: `/{id}`) or Duplicate (`/new?from={id}`) of the one selected row.
    let open_only = move |prefix: &str| {
        if let Some(id) = only_selected.get_untracked() {
            go.run(if prefix.is_empty() {
                format!("/{id}")
            } else {
                format!("{prefix}{id}")
            });
        }
    };
    let deleting = move || bulk.with(|b| b.is_some_and(|b| b.kind == BulkKind::Delete));
    let ask_delete = move || {
        if !running.get_untracked() {
            delete_targets.set(Some(selected_rows()));
        }
    };

    let pager_shown = move || current.with(Option::is_some);
    let page_total =
        Derived::new(move || current.with(|p| p.as_ref().map_or(0, |p: &Arc<ListPage>| p.total)));
    let page_rows = Derived::new(move || rows.with(|r| r.len() as u64));
    let page_offset = Derived::new(move || current.with(|p| p.as_ref().map_or(0, |p| p.offset)));

    // What the markup shows, named here so that the markup stays short.
    let refresh_busy = move || loading.get().to_string();
    let refresh = move |_| page.refetch();
    let columns_expanded = move || columns_open.get().to_string();
    let toggle_columns = move |_| columns_open.update(|o| *o = !*o);
    let columns_label = move || msg::columns(locale.get(), columns.with(ColumnState::shown_count));
    let one_writable = move || only_selected.get().is_some() && can_write.get();
    let running_text = move || running.get().to_string();
    let test_busy = move || (!testing.with(HashSet::is_empty)).to_string();
    let delete_busy = move || deleting().to_string();
    let on_filter_key = move |ev: web_sys::KeyboardEvent| {
        if ev.key() == "Enter" {
            apply_filter(filter_text.get_untracked());
        }
    };
    let progress_max = move || bulk.with(|b| b.map_or(0, |b| b.total)).to_string();
    let progress_done = move || bulk.with(|b| b.map_or(0, |b| b.done())).to_string();
    let progress_text = move || bulk.with(|b| b.map(|b| b.text(locale.get())));
    let cancel = move |_| cancel_run.with_value(|c| c.set(true));
    let has_results = move || results.with(|r| !r.is_empty());
    let result_items = move || {
        results
            .get()
            .into_iter()
            .map(|(ok, line)| {
                let class = if ok { "cc-result-ok" } else { "cc-result-bad" };
                h("li").class(class).text(&line)
            })
            .collect::<Vec<El>>()
    };
    let dismiss_results = move |_| results.set(Vec::new());
    let add = move |_| go.run("/new".into());

    // The bar of the selection: its count and what can be done with the rows.
    let selection_bar = move || {
        h("div")
            .class("cc-toolbar cc-selection-bar")
            .attr("role", "group")
            .attr_with("aria-label", t(Msg::SelectionToolbar))
            .child(h("span").class("cc-count").text_with(count_text))
            .when(one_writable, move || {
                vec![
                    h("button")
                        .attr("type", "button")
                        .class("cc-btn")
                        .on("click", move |_| open_only(""))
                        .child(icon("✎"))
                        .text_with(t(Msg::Edit)),
                    h("button")
                        .attr("type", "button")
                        .class("cc-btn")
                        .on("click", move |_| open_only("/new?from="))
                        .child(icon("⧉"))
                        .text_with(t(Msg::Duplicate)),
                ]
            })
            .child(
                h("button")
                    .attr("type", "button")
                    .class("cc-btn")
                    .slot(test_button)
                    .on("click", run_test.clone())
                    .attr_with("aria-disabled", running_text)
                    .attr_with("aria-busy", test_busy)
                    .child(icon("✓"))
                    .text_with(t(Msg::Test)),
            )
            .when(
                move || can_write.get(),
                move || {
                    h("button")
                        .attr("type", "button")
                        .class("cc-btn cc-btn-danger")
                        .slot(delete_button)
                        .attr_with("aria-disabled", running_text)
                        .attr_with("aria-busy", delete_busy)
                        .on("click", move |_| ask_delete())
                        .child(icon("✕"))
                        .text_with(t(Msg::Delete))
                },
            )
    };

    let topbar = h("div")
        .class("cc-topbar")
        .child(
            h("div")
                .class("cc-toolbar")
                .attr("role", "group")
                .attr_with("aria-label", t(Msg::TabTitle))
                .child(
                    h("button")
                        .attr("type", "button")
                        .class("cc-btn")
                        .attr_with("aria-busy", refresh_busy)
                        .on("click", refresh)
                        .child(icon("⟳"))
                        .text_with(t(Msg::Refresh)),
                )
                .child(
                    h("button")
                        .attr("type", "button")
                        .class("cc-btn")
                        .attr_with("aria-expanded", columns_expanded)
                        .attr("aria-controls", "cc-columns-bar")
                        .on("click", toggle_columns)
                        .child(icon("▥"))
                        .text_with(columns_label),
                ),
        )
        .when(move || selected_count.get() > 0, selection_bar)
        .child(
            h("div")
                .class("cc-filter")
                .child(
                    h("label")
                        .attr("for", "cc-filter-input")
                        .text_with(t(Msg::Filter)),
                )
                .child(
                    h("input")
                        .id("cc-filter-input")
                        .attr("type", "search")
                        .attr_with("placeholder", t(Msg::FilterPlaceholder))
                        .attr("autocomplete", "off")
                        .value_with(move || filter_text.get())
                        .on("input", on_filter_input)
                        .on_as("keydown", on_filter_key),
                ),
        );

    h("section")
        .class("cc-list")
        .attr_with("aria-label", t(Msg::TabTitle))
        .slot(list_ref)
        .child(topbar)
        .child(crate::caller::reader_note())
        .when(
            move || columns_open.get(),
            move || columns_bar(columns, "cc-columns-bar"),
        )
        .when(
            move || running.get(),
            move || {
                h("div")
                    .class("cc-progress")
                    .attr("role", "group")
                    .attr_with("aria-label", t(Msg::Progress))
                    .child(
                        h("progress")
                            .attr_with("max", progress_max)
                            .attr_with("value", progress_done)
                            .attr_opt("aria-label", progress_text),
                    )
                    .child(h("span").text_with(move || progress_text().unwrap_or_default()))
                    .child(
                        h("button")
                            .attr("type", "button")
                            .class("cc-btn")
                            .on("click", cancel)
                            .text_with(t(Msg::Cancel)),
                    )
            },
        )
        .when(has_results, move || {
            h("div")
                .class("cc-results")
                .attr("role", "region")
                .attr_with("aria-label", t(Msg::Results))
                .child(h("ul").dynamic(result_items))
                .child(
                    h("button")
                        .attr("type", "button")
                        .class("cc-btn")
                        .on("click", dismiss_results)
                        .text_with(t(Msg::Dismiss)),
                )
        })
        .region(
            move || std::mem::discriminant(&kind.get()),
            move |_| state_block(kind.get_untracked()),
        )
        .child(table(rows, table_state, on_sort, on_open))
        .when(pager_shown, move || {
            Pager {
                offset: page_offset,
                limit: Derived::new(move || limit.get()),
                rows: page_rows,
                total: page_total,
                on_move,
                on_limit,
            }
            .build()
        })
        .when(
            move || can_write.get(),
            move || {
                h("button")
                    .attr("type", "button")
                    .class("cc-btn cc-add")
                    .on("click", add)
                    .child(icon("+"))
                    .text_with(t(Msg::Add))
            },
        )
        .child(dialog::delete_dialog(
            delete_targets,
            on_confirm_delete,
            delete_button,
        ))
}

/// An icon before a button's text, hidden from assistive technology.
fn icon(glyph: &str) -> El {
    h("span")
        .attr("aria-hidden", "true")
        .class("cc-icon")
        .text(glyph)
}
