//! The table of one page: headers that sort, a checkbox per row, read-only cells.

use crate::cell::{Calc, Derived, Stash, Var};
use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use connections_api::{Connection, SortKey, Status};
use leptos::prelude::*;
use wasm_bindgen::JsCast;

use super::columns::Column;
use super::query::{aria_sort, Sort};
use super::rows::{Body, Extra};
use super::selection::{AllState, Selection};
use crate::context::use_locale;
use crate::dom::{h, El, Slot};
use crate::i18n::{t, Msg};

/// Everything the table reads and writes besides the rows.
#[derive(Clone, Copy)]
pub struct TableState {
    pub columns: Calc<Vec<Column>>,
    pub selection: Var<Selection>,
    pub sort: Derived<Option<Sort>>,
    /// Statuses returned by Test after the page was loaded.
    pub tested: Var<HashMap<i64, Status>>,
    /// Rows being tested right now.
    pub testing: Var<HashSet<i64>>,
    /// The row the form just saved.
    pub highlight: Var<Option<i64>>,
    /// The saved row to focus (and scroll to the middle) once, when it is drawn.
    pub focus_saved: Stash<Option<i64>>,
    /// Driver names by id (`GET /api/drivers`; empty until it answers).
    pub drivers: Calc<Arc<Vec<(String, String)>>>,
    /// Whether the list has no row to show at all (loading, no match, no connections, an
    /// error): the table is hidden then, its rows kept for the next page with rows.
    pub hidden: Derived<bool>,
}

fn focus_row(tr: Option<web_sys::Element>) {
    if let Some(el) = tr.and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok()) {
        let _ = el.focus();
    }
}

/// The element an event happened on.
fn target_of(ev: &web_sys::Event) -> Option<web_sys::Element> {
    ev.target()?.dyn_into().ok()
}

/// The row an element is in, and its connection id.
fn row_of(el: &web_sys::Element) -> Option<(web_sys::Element, i64)> {
    let tr = el.closest("tr").ok()??;
    let id = tr.get_attribute("data-id")?.parse().ok()?;
    Some((tr, id))
}

/// The table of `rows`: a header that sorts through `on_sort`, rows that open through
/// `on_open`.
pub fn table(
    rows: Calc<Arc<Vec<Arc<Connection>>>>,
    state: TableState,
    on_sort: UnsyncCallback<SortKey>,
    on_open: UnsyncCallback<i64>,
) -> El {
    let TableState {
        columns,
        selection,
        sort,
        tested,
        testing,
        highlight,
        focus_saved,
        drivers,
        hidden,
    } = state;
    let ids = Calc::new(move |_| rows.with(|r| r.iter().map(|c| c.id).collect::<Vec<_>>()));
    let all_state = Calc::new(move |_| ids.with(|ids| selection.with(|s| s.all_state(ids))));
    // Roving tab stop: one row is in the tab order; arrow keys move between rows.
    let focused = Var::new(None::<i64>);
    let tab_stop = Calc::new(move |_| {
        ids.with(|ids| {
            focused
                .get()
                .filter(|f| ids.contains(f))
                .or_else(|| ids.first().copied())
        })
    });

    // The rows are written by `Body` (see `rows.rs`), not built as elements here. The table
    // stays while the list shows another state (hidden), and so do its rows.
    let tbody = Slot::new();
    let body = Stash::new(None::<Body>);
    let locale = use_locale();
    let drawn = Stash::new(None::<Arc<Vec<Arc<Connection>>>>);
    let marks = use_context::<super::seen::Marks>();
    crate::erased::effect(move || {
        let Some(el) = tbody.get_as::<web_sys::HtmlElement>() else {
            return;
        };
        let page = rows.get();
        // The table is hidden while the list shows "no match" (or another state without
        // rows): its rows stay as they are, so that the next page with rows rewrites only what
        // differs (after "no match", back to the same rows: nothing). An empty page of a
        // list that still has rows (a delete emptied the last page) is drawn empty.
        if page.is_empty() && hidden.get() {
            return;
        }
        let changed = marks.map(|m| m.0.get()).unwrap_or_default();
        let saved = highlight.get();
        let locale = locale.get();
        columns.with(|cols| {
            tested.with(|tested| {
                testing.with(|testing| {
                    let names = drivers.get();
                    let extra = Extra {
                        tested,
                        testing,
                        saved,
                        changed: &changed,
                        locale,
                        drivers: &names,
                    };
                    body.update_value(|b| {
                        let b = b.get_or_insert_with(|| {
                            Body::new(el.clone()).expect("tbody in a document")
                        });
                        b.set_tab_stop(tab_stop.get_untracked());
                        selection.with_untracked(|s| b.draw(&page, cols, &extra, s));
                    });
                })
            })
        });
        // The saved row, now on the page: the focus goes there once.
        if let Some(id) = focus_saved
            .get_value()
            .filter(|id| page.iter().any(|c| c.id == *id))
        {
            focus_saved.set_value(None);
            let tr = el
                .query_selector(&format!("tr[data-id=\"{id}\"]"))
                .ok()
                .flatten();
            if let Some(tr) = tr.and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok()) {
                let _ = tr.focus();
                let opts = web_sys::ScrollIntoViewOptions::new();
                opts.set_block(web_sys::ScrollLogicalPosition::Center);
                tr.scroll_into_view_with_scroll_into_view_options(&opts);
            }
        }
        // Tell the benchmark once a new page's rows are in the DOM.
        let new_page = drawn.with_value(|d| !d.as_ref().is_some_and(|d| Arc::ptr_eq(d, &page)));
        if new_page {
            drawn.set_value(Some(page.clone()));
            if !page.is_empty() {
                super::mark_rows_shown();
            }
        }
    });
    // The selection written at once from the event handlers (the next frame shows it),
    // and again here for changes from elsewhere (a reload pruning it).
    let show_selection = move || {
        selection.with_untracked(|s| {
            body.update_value(|b| {
                if let Some(b) = b {
                    b.show_selection(s)
                }
            })
        })
    };
    crate::erased::effect(move || {
        selection.track();
        show_selection();
    });
    crate::erased::effect(move || {
        let id = tab_stop.get();
        body.update_value(|b| {
            if let Some(b) = b {
                b.set_tab_stop(id)
            }
        });
    });

    let select = move |id: i64, shift: bool| {
        ids.with_untracked(|ids| selection.update(|s| s.click(id, shift, ids)));
        show_selection();
    };
    // One listener of each kind for all rows.
    // A row of the page shown: not one kept in the hidden table.
    let live = move |id: i64| !hidden.get_untracked() && ids.with_untracked(|i| i.contains(&id));
    let on_click = move |ev: web_sys::MouseEvent| {
        let Some(target) = target_of(&ev) else { return };
        let Some((_, id)) = row_of(&target).filter(|(_, id)| live(*id)) else {
            return;
        };
        if target.closest(".cc-check").ok().flatten().is_none() {
            on_open.run(id);
        } else if target.tag_name().eq_ignore_ascii_case("input") {
            select(id, ev.shift_key());
        }
    };
    let on_keydown = move |ev: web_sys::KeyboardEvent| {
        // Keys pressed on the checkbox belong to the checkbox.
        let Some(tr) = target_of(&ev).filter(|t| t.tag_name().eq_ignore_ascii_case("tr")) else {
            return;
        };
        let Some((_, id)) = row_of(&tr).filter(|(_, id)| live(*id)) else {
            return;
        };
        match ev.key().as_str() {
            "Enter" => {
                ev.prevent_default();
                on_open.run(id);
            }
            " " => {
                ev.prevent_default();
                select(id, ev.shift_key());
            }
            "ArrowDown" => {
                ev.prevent_default();
                focus_row(tr.next_element_sibling());
            }
            "ArrowUp" => {
                ev.prevent_default();
                focus_row(tr.previous_element_sibling());
            }
            "Home" => {
                ev.prevent_default();
                focus_row(tr.parent_element().and_then(|b| b.first_element_child()));
            }
            "End" => {
                ev.prevent_default();
                focus_row(tr.parent_element().and_then(|b| b.last_element_child()));
            }
            _ => {}
        }
    };
    let on_focusin = move |ev: web_sys::FocusEvent| {
        if let Some(tr) = target_of(&ev).filter(|t| t.tag_name().eq_ignore_ascii_case("tr")) {
            if let Some((_, id)) = row_of(&tr) {
                focused.set(Some(id));
            }
        }
    };

    let header = move |col: Column| {
        let label = move || col.label(locale.get());
        let class = if col.numeric() {
            format!("cc-col-{} cc-num", col.key())
        } else {
            format!("cc-col-{}", col.key())
        };
        let th = h("th")
            .attr("scope", "col")
            .attr("role", "columnheader")
            .class(&class);
        match col.sort_key() {
            Some(key) => th
                .attr_with("aria-sort", move || aria_sort(sort.get(), key))
                .child(
                    h("button")
                        .attr("type", "button")
                        .class("cc-sort")
                        .on("click", move |_| on_sort.run(key))
                        .text_with(label)
                        .child(
                            h("span")
                                .class("cc-sort-icon")
                                .attr("aria-hidden", "true")
                                .text_with(move || match aria_sort(sort.get(), key) {
                                    "ascending" => "▲",
                                    "descending" => "▼",
                                    _ => "↕",
                                }),
                        ),
                ),
            None => th.text_with(label),
        }
    };

    let toggle_all = move |_| {
        ids.with_untracked(|ids| selection.update(|s| s.toggle_all(ids)));
        show_selection();
    };

    h("div")
        .class("cc-table-wrap")
        .attr_if("hidden", move || hidden.get())
        // Nothing in it can hold the focus or be clicked while hidden (a row focused when the
        // list went to "no match" loses the focus).
        .attr_if("inert", move || hidden.get())
        .child(
            // Explicit roles: the stylesheet lays rows out as flex lines (see list.css), and
            // some browsers drop a table's semantics when its display changes.
            h("table")
                .class("cc-table")
                .attr("role", "table")
                .child(
                    h("caption")
                        .class("cc-visually-hidden")
                        .text_with(t(Msg::ListCaption))
                        .text(". ")
                        .text_with(t(Msg::TableHint)),
                )
                .child(
                    h("thead").attr("role", "rowgroup").child(
                        h("tr")
                            .attr("role", "row")
                            .child(
                                h("th")
                                    .attr("scope", "col")
                                    .attr("role", "columnheader")
                                    .class("cc-check")
                                    .child(
                                        h("input")
                                            .attr("type", "checkbox")
                                            .attr_with("aria-label", t(Msg::SelectAll))
                                            .flag_with("checked", move || {
                                                all_state.get() == AllState::All
                                            })
                                            .flag_with("indeterminate", move || {
                                                all_state.get() == AllState::Some
                                            })
                                            .attr_if("disabled", move || ids.with(Vec::is_empty))
                                            .on("change", toggle_all),
                                    ),
                            )
                            .dynamic(move || {
                                columns.get().into_iter().map(header).collect::<Vec<El>>()
                            }),
                    ),
                )
                .child(
                    h("tbody")
                        .attr("role", "rowgroup")
                        .on_as("click", on_click)
                        .on_as("keydown", on_keydown)
                        .on_as("focusin", on_focusin)
                        .slot(tbody),
                ),
        )
}
