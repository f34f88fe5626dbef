//! The table of one page: headers that sort, a checkbox per row, read-only cells.

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, OnceLock};

use connections_api::{Connection, SortKey, State, Status};
use leptos::prelude::*;
use wasm_bindgen::JsCast;

use super::columns::Column;
use super::query::{aria_sort, Sort};
use super::selection::{AllState, Selection};
use crate::messages as msg;

/// The words for a verification state (never colour alone).
pub fn status_word(state: State) -> &'static str {
    match state {
        State::Ok => msg::STATUS_OK,
        State::InvalidCredentials => msg::STATUS_INVALID,
        State::RateLimited => msg::STATUS_RATE_LIMITED,
        State::Unreachable => msg::STATUS_UNREACHABLE,
        State::Unverified => msg::STATUS_UNVERIFIED,
        State::Error => msg::STATUS_ERROR,
    }
}

/// CSS class giving the state its colour.
pub fn status_class(state: State) -> &'static str {
    match state {
        State::Ok => "cc-status cc-status-ok",
        State::InvalidCredentials | State::Error => "cc-status cc-status-bad",
        State::RateLimited | State::Unreachable => "cc-status cc-status-warn",
        State::Unverified => "cc-status cc-status-none",
    }
}

/// The newer of a row's status and one a Test returned later (compared by `checked_at`,
/// RFC 3339 UTC, so text order is time order).
pub fn newest<'a>(row: &'a Status, tested: Option<&'a Status>) -> &'a Status {
    match tested {
        Some(t) if t.checked_at >= row.checked_at => t,
        _ => row,
    }
}

/// "2026-11-22T10:00:00Z" → "2026-11-22 10:00 UTC"; anything else is shown as it is.
pub fn format_time(s: &str) -> String {
    let b = s.as_bytes();
    let looks_right = b.len() >= 16
        && b[4] == b'-'
        && b[7] == b'-'
        && (b[10] == b'T' || b[10] == b' ')
        && b[13] == b':';
    if looks_right && (s.ends_with('Z') || s.ends_with("+00:00")) {
        format!("{} {} UTC", &s[..10], &s[11..16])
    } else {
        s.to_string()
    }
}

/// Display name of a driver id (the name the server's drivers declare; the id if unknown).
pub fn driver_name(id: &str) -> String {
    static NAMES: OnceLock<Vec<(String, String)>> = OnceLock::new();
    NAMES
        .get_or_init(|| {
            connections_api::drivers()
                .into_iter()
                .map(|d| (d.id, d.name))
                .collect()
        })
        .iter()
        .find(|(i, _)| i == id)
        .map(|(_, n)| n.clone())
        .unwrap_or_else(|| id.to_string())
}

/// Everything the table reads and writes besides the rows.
#[derive(Clone, Copy)]
pub struct TableState {
    pub columns: Memo<Vec<Column>>,
    pub selection: RwSignal<Selection>,
    pub sort: Signal<Option<Sort>>,
    /// Statuses returned by Test after the page was loaded.
    pub tested: RwSignal<HashMap<i64, Status>>,
    /// Rows being tested right now.
    pub testing: RwSignal<HashSet<i64>>,
    /// The row the form just saved.
    pub highlight: RwSignal<Option<i64>>,
}

fn focus_row(tr: Option<web_sys::Element>) {
    if let Some(el) = tr.and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok()) {
        let _ = el.focus();
    }
}

#[component]
pub fn Table(
    rows: Memo<Arc<Vec<Arc<Connection>>>>,
    state: TableState,
    on_sort: UnsyncCallback<SortKey>,
    on_open: UnsyncCallback<i64>,
) -> impl IntoView {
    let TableState {
        columns,
        selection,
        sort,
        tested,
        testing,
        highlight,
    } = state;
    let ids = Memo::new(move |_| rows.with(|r| r.iter().map(|c| c.id).collect::<Vec<_>>()));
    let all_state = Memo::new(move |_| ids.with(|ids| selection.with(|s| s.all_state(ids))));
    // Roving tab stop: one row is in the tab order; arrow keys move between rows.
    let focused = RwSignal::new(None::<i64>);
    let tab_stop = Memo::new(move |_| {
        ids.with(|ids| {
            focused
                .get()
                .filter(|f| ids.contains(f))
                .or_else(|| ids.first().copied())
        })
    });

    let header = move |col: Column| {
        let label = col.label();
        let num = col.numeric();
        match col.sort_key() {
            Some(key) => view! {
                <th scope="col" class:cc-num=num aria-sort=move || aria_sort(sort.get(), key)>
                    <button type="button" class="cc-sort" on:click=move |_| on_sort.run(key)>
                        {label}
                        <span class="cc-sort-icon" aria-hidden="true">
                            {move || match aria_sort(sort.get(), key) {
                                "ascending" => "▲",
                                "descending" => "▼",
                                _ => "↕",
                            }}
                        </span>
                    </button>
                </th>
            }
            .into_any(),
            None => view! { <th scope="col" class:cc-num=num>{label}</th> }.into_any(),
        }
    };

    let each = move || rows.get().iter().cloned().collect::<Vec<Arc<Connection>>>();

    view! {
        <div class="cc-table-wrap">
            <table class="cc-table">
                <caption class="cc-visually-hidden">{msg::LIST_CAPTION} ". " {msg::TABLE_HINT}</caption>
                <thead>
                    <tr>
                        <th scope="col" class="cc-check">
                            <input
                                type="checkbox"
                                aria-label=msg::SELECT_ALL
                                prop:checked=move || all_state.get() == AllState::All
                                prop:indeterminate=move || all_state.get() == AllState::Some
                                disabled=move || ids.with(Vec::is_empty)
                                on:change=move |_| ids.with_untracked(|ids| selection.update(|s| s.toggle_all(ids)))
                            />
                        </th>
                        {move || columns.get().into_iter().map(header).collect_view()}
                    </tr>
                </thead>
                <tbody>
                    <For
                        each=each
                        key=|c| (c.id, c.version, c.status.checked_at.clone())
                        children=move |conn| {
                            let conn: Arc<Connection> = conn;
                            let id = conn.id;
                            let checked = Memo::new(move |_| selection.with(|s| s.contains(id)));
                            let saved = Memo::new(move |_| highlight.get() == Some(id));
                            let is_tab_stop = Memo::new(move |_| tab_stop.get() == Some(id));
                            let name = conn.name.clone();
                            let click_box = move |ev: web_sys::MouseEvent| {
                                ev.stop_propagation();
                                let shift = ev.shift_key();
                                ids.with_untracked(|ids| selection.update(|s| s.click(id, shift, ids)));
                            };
                            let keydown = move |ev: web_sys::KeyboardEvent| {
                                let tr = ev.current_target().and_then(|t| t.dyn_into::<web_sys::Element>().ok());
                                // Keys pressed on the checkbox belong to the checkbox.
                                let on_row = ev.target().and_then(|t| t.dyn_into::<web_sys::Element>().ok()) == tr;
                                if !on_row {
                                    return;
                                }
                                match ev.key().as_str() {
                                    "Enter" => {
                                        ev.prevent_default();
                                        on_open.run(id);
                                    }
                                    " " => {
                                        ev.prevent_default();
                                        let shift = ev.shift_key();
                                        ids.with_untracked(|ids| selection.update(|s| s.click(id, shift, ids)));
                                    }
                                    "ArrowDown" => {
                                        ev.prevent_default();
                                        focus_row(tr.and_then(|t| t.next_element_sibling()));
                                    }
                                    "ArrowUp" => {
                                        ev.prevent_default();
                                        focus_row(tr.and_then(|t| t.previous_element_sibling()));
                                    }
                                    "Home" => {
                                        ev.prevent_default();
                                        focus_row(tr.and_then(|t| t.parent_element()).and_then(|b| b.first_element_child()));
                                    }
                                    "End" => {
                                        ev.prevent_default();
                                        focus_row(tr.and_then(|t| t.parent_element()).and_then(|b| b.last_element_child()));
                                    }
                                    _ => {}
                                }
                            };
                            let row_click = move |ev: web_sys::MouseEvent| {
                                let in_check = ev
                                    .target()
                                    .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
                                    .and_then(|e| e.closest(".cc-check").ok().flatten())
                                    .is_some();
                                if !in_check {
                                    on_open.run(id);
                                }
                            };
                            let conn_cells = conn.clone();
                            view! {
                                <tr
                                    data-id=id
                                    tabindex=move || if is_tab_stop.get() { "0" } else { "-1" }
                                    class:cc-selected=move || checked.get()
                                    class:cc-row-saved=move || saved.get()
                                    aria-current=move || saved.get().then_some("true")
                                    on:focus=move |_| focused.set(Some(id))
                                    on:keydown=keydown
                                    on:click=row_click
                                >
                                    <td class="cc-check">
                                        <input
                                            type="checkbox"
                                            tabindex="-1"
                                            aria-label=msg::select_row(&name)
                                            prop:checked=move || checked.get()
                                            on:click=click_box
                                        />
                                    </td>
                                    {move || {
                                        let conn = conn_cells.clone();
                                        columns
                                            .get()
                                            .into_iter()
                                            .map(|col| cell(col, conn.clone(), tested, testing, saved))
                                            .collect_view()
                                    }}
                                </tr>
                            }
                        }
                    />
                </tbody>
            </table>
        </div>
    }
}

/// One read-only cell. Text is inserted as text: markup in a name stays visible as typed.
fn cell(
    col: Column,
    conn: Arc<Connection>,
    tested: RwSignal<HashMap<i64, Status>>,
    testing: RwSignal<HashSet<i64>>,
    saved: Memo<bool>,
) -> AnyView {
    let id = conn.id;
    let field = |key: &str| conn.fields.get(key).cloned().unwrap_or_default();
    match col {
        Column::Id => view! { <td class="cc-num">{id}</td> }.into_any(),
        Column::Name => {
            let name = conn.name.clone();
            view! {
                <td class="cc-name">
                    {name}
                    <Show when=move || saved.get()>
                        <span class="cc-saved-note">{msg::SAVED_NOTE}</span>
                    </Show>
                </td>
            }
            .into_any()
        }
        Column::Driver => view! { <td>{driver_name(&conn.driver)}</td> }.into_any(),
        Column::CloudName => view! { <td>{field("cloud_name")}</td> }.into_any(),
        Column::ApiKey => view! { <td class="cc-mono">{field("api_key")}</td> }.into_any(),
        Column::Status => {
            let row = conn.clone();
            let status =
                Memo::new(move |_| tested.with(|t| newest(&row.status, t.get(&id)).clone()));
            let busy = Memo::new(move |_| testing.with(|t| t.contains(&id)));
            view! {
                <td>
                    {move || {
                        if busy.get() {
                            return view! {
                                <span class="cc-status cc-status-busy" aria-busy="true">{msg::TESTING}</span>
                            }
                            .into_any();
                        }
                        let s = status.get();
                        view! {
                            <span class=status_class(s.state) title=s.message.clone().unwrap_or_default()>
                                <span class="cc-dot" aria-hidden="true"></span>
                                {status_word(s.state)}
                            </span>
                        }
                        .into_any()
                    }}
                </td>
            }
            .into_any()
        }
        Column::LastVerified => {
            let row = conn.clone();
            let checked_at = Memo::new(move |_| {
                tested.with(|t| newest(&row.status, t.get(&id)).checked_at.clone())
            });
            view! {
                <td>
                    {move || match checked_at.get() {
                        Some(at) => view! { <time datetime=at.clone()>{format_time(&at)}</time> }.into_any(),
                        None => view! { <span class="cc-muted">{msg::NEVER}</span> }.into_any(),
                    }}
                </td>
            }
            .into_any()
        }
        Column::Created => time_cell(&conn.created_at),
        Column::Updated => time_cell(&conn.updated_at),
    }
}

fn time_cell(at: &str) -> AnyView {
    view! { <td><time datetime=at.to_string()>{format_time(at)}</time></td> }.into_any()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn status(state: State, at: Option<&str>) -> Status {
        Status {
            state,
            checked_at: at.map(str::to_string),
            ..Status::default()
        }
    }

    #[test]
    fn status_words_are_words() {
        assert_eq!(status_word(State::Ok), "Connected");
        assert_eq!(
            status_word(State::InvalidCredentials),
            "Invalid credentials"
        );
        assert_eq!(status_word(State::RateLimited), "Rate limited");
        assert_eq!(status_word(State::Unreachable), "Unreachable");
        assert_eq!(status_word(State::Unverified), "Not verified");
        assert_eq!(status_word(State::Error), "Error");
        assert!(status_class(State::Ok).contains("cc-status-ok"));
    }

    #[test]
    fn a_later_test_result_wins_over_the_page() {
        let row = status(State::Unverified, None);
        let t = status(State::Ok, Some("2026-01-02T00:00:00Z"));
        assert_eq!(newest(&row, Some(&t)).state, State::Ok);
        assert_eq!(newest(&row, None).state, State::Unverified);
        // A page loaded after the test carries a newer status: the page wins.
        let fresh = status(State::InvalidCredentials, Some("2026-01-03T00:00:00Z"));
        assert_eq!(newest(&fresh, Some(&t)).state, State::InvalidCredentials);
    }

    #[test]
    fn times() {
        assert_eq!(format_time("2026-11-22T10:00:00Z"), "2026-11-22 10:00 UTC");
        assert_eq!(
            format_time("2026-11-22T10:05:59.123+00:00"),
            "2026-11-22 10:05 UTC"
        );
        assert_eq!(format_time("yesterday"), "yesterday");
    }

    #[test]
    fn driver_names() {
        assert_eq!(
            driver_name("cloudinary-default"),
            "Cloudinary default driver"
        );
        assert_eq!(driver_name("other"), "other");
    }
}
