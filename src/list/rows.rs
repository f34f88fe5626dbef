//! The table's rows, written straight into `tbody` and reused by position.
//!
//! A 500-row page drawn as 500 reactive views (an owner, memos, effects and four listeners
//! per row, keyed diffing) cost about 100 ms of script per page change, plus the style and
//! layout of 4,000 new elements. Here a page change rewrites only what differs in the rows
//! already there (usually the id, the name and the checkbox's name), new rows are clones of
//! one prototype row, and events are handled once on `tbody` (see `table.rs`). What each cell
//! shows is plain data ([`cell_value`], tested natively); [`Body`] only writes the DOM.
//! Every cell is written as text, never as HTML.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use connections_api::{Connection, State, Status};
use wasm_bindgen::JsCast;
use web_sys::{Document, Element, HtmlElement, HtmlInputElement};

use super::cells::{driver_name, newest, status_class, status_word};
use super::columns::Column;
use super::selection::Selection;
use crate::i18n::{self as msg, Locale, Msg};

/// What one cell shows. Equal values need no DOM write.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CellValue {
    Text(String),
    /// The name, with the "Saved" note after the row the form just saved.
    Name {
        name: String,
        saved: bool,
    },
    /// `<time datetime=raw>` with the time formatted for reading.
    Time(String),
    /// Last verified: a time, or "Never".
    Checked(Option<String>),
    Status {
        state: State,
        message: String,
        busy: bool,
        /// Changed since the user last looked (see `seen.rs`).
        changed: bool,
    },
}

/// What row state besides the data changes a cell: Test results, rows being tested, the
/// row the form just saved.
pub struct Extra<'a> {
    pub tested: &'a HashMap<i64, Status>,
    pub testing: &'a HashSet<i64>,
    pub saved: Option<i64>,
    /// Rows whose state changed since the user last looked.
    pub changed: &'a HashSet<i64>,
    /// The language the rows are written in.
    pub locale: Locale,
    /// Driver names by id, as `GET /api/drivers` gave them.
    pub drivers: &'a [(String, String)],
}

/// The value of `col` for `conn`.
pub fn cell_value(col: Column, conn: &Connection, extra: &Extra) -> CellValue {
    let field = |key: &str| conn.fields.get(key).cloned().unwrap_or_default();
    let status = || newest(&conn.status, extra.tested.get(&conn.id));
    match col {
        Column::Id => CellValue::Text(conn.id.to_string()),
        Column::Name => CellValue::Name {
            name: conn.name.clone(),
            saved: extra.saved == Some(conn.id),
        },
        Column::Driver => CellValue::Text(driver_name(extra.locale, &conn.driver, extra.drivers)),
        Column::CloudName => CellValue::Text(field(connections_api::CLOUD_NAME)),
        Column::ApiKey => CellValue::Text(field(connections_api::API_KEY)),
        Column::Status => {
            let s = status();
            CellValue::Status {
                state: s.state,
                message: s.message.clone().unwrap_or_default(),
                busy: extra.testing.contains(&conn.id),
                changed: extra.changed.contains(&conn.id),
            }
        }
        Column::LastVerified => CellValue::Checked(status().checked_at.clone()),
        Column::Created => CellValue::Time(conn.created_at.clone()),
        Column::Updated => CellValue::Time(conn.updated_at.clone()),
    }
}

/// Classes of a column's cells (`cc-col-<key>` gives the column its width).
pub fn cell_class(col: Column) -> String {
    let extra = match col {
        Column::Id => " cc-num",
        Column::Name => " cc-name",
        Column::ApiKey => " cc-mono",
        _ => "",
    };
    format!("cc-col-{}{extra}", col.key())
}

/// A row's classes.
fn row_class(checked: bool, saved: bool) -> &'static str {
    match (checked, saved) {
        (false, false) => "",
        (true, false) => "cc-selected",
        (false, true) => "cc-row-saved",
        (true, true) => "cc-selected cc-row-saved",
    }
}

/// One drawn row and what it shows.
struct Row {
    tr: HtmlElement,
    check: HtmlInputElement,
    cells: Vec<Element>,
    values: Vec<Option<CellValue>>,
    id: Option<i64>,
    name: Option<String>,
    checked: bool,
    tab_stop: bool,
    saved: bool,
}

/// The rows in `tbody`.
pub struct Body {
    doc: Document,
    tbody: HtmlElement,
    columns: Vec<Column>,
    /// A row with empty cells for `columns`; new rows are its clones.
    prototype: Option<Element>,
    rows: Vec<Row>,
    /// Rows taken out of `tbody` when a page had fewer rows, with what they showed: the next
    /// longer page reuses them.
    spare: Vec<Row>,
    tab_stop: Option<i64>,
    /// Status badges built once per state, message and busy flag; cells get clones.
    badges: HashMap<(State, String, bool, bool), Element>,
    /// The language the drawn rows are in (another one redraws them).
    locale: Locale,
}

fn el(doc: &Document, tag: &str) -> Element {
    doc.create_element(tag)
        .unwrap_or_else(|_| panic!("create <{tag}>"))
}

impl Body {
    pub fn new(tbody: HtmlElement) -> Option<Body> {
        let doc = tbody.owner_document()?;
        Some(Body {
            doc,
            tbody,
            columns: Vec::new(),
            prototype: None,
            rows: Vec::new(),
            spare: Vec::new(),
            tab_stop: None,
            badges: HashMap::new(),
            locale: Locale::default(),
        })
    }

    fn prototype(&mut self) -> &Element {
        let (doc, columns) = (&self.doc, &self.columns);
        self.prototype.get_or_insert_with(|| {
            let tr = el(doc, "tr");
            let _ = tr.set_attribute("role", "row");
            let _ = tr.set_attribute("tabindex", "-1");
            let td = el(doc, "td");
            let _ = td.set_attribute("role", "cell");
            td.set_class_name("cc-check");
            let input = el(doc, "input");
            let _ = input.set_attribute("type", "checkbox");
            let _ = input.set_attribute("tabindex", "-1");
            let _ = td.append_child(&input);
            let _ = tr.append_child(&td);
            for col in columns {
                let td = el(doc, "td");
                let _ = td.set_attribute("role", "cell");
                td.set_class_name(&cell_class(*col));
                let _ = tr.append_child(&td);
            }
            tr
        })
    }

    fn new_row(&mut self) -> Option<Row> {
        // The prototype's structure is known: no type checks needed.
        let tr: HtmlElement = self
            .prototype()
            .clone_node_with_deep(true)
            .ok()?
            .unchecked_into();
        let first = tr.first_element_child()?;
        let check: HtmlInputElement = first.first_element_child()?.unchecked_into();
        let mut cells = Vec::with_capacity(self.columns.len());
        let mut next = first.next_element_sibling();
        while let Some(td) = next {
            next = td.next_element_sibling();
            cells.push(td);
        }
        Some(Row {
            tr,
            check,
            values: vec![None; cells.len()],
            cells,
            id: None,
            name: None,
            checked: false,
            tab_stop: false,
            saved: false,
        })
    }

    /// Shows `page` with `columns`, writing only what changed.
    pub fn draw(
        &mut self,
        page: &[Arc<Connection>],
        columns: &[Column],
        extra: &Extra,
        selection: &Selection,
    ) {
        if columns != self.columns.as_slice() || extra.locale != self.locale {
            self.badges.clear();
            self.locale = extra.locale;
            for row in self.rows.drain(..) {
                row.tr.remove();
            }
            self.spare.clear();
            self.columns = columns.to_vec();
            self.prototype = None;
        }
        if page.is_empty() && !self.rows.is_empty() {
            // All rows go (a delete emptied the last page): one DOM call, not one per row.
            self.tbody.set_text_content(None);
            self.spare.extend(self.rows.drain(..).rev());
        }
        while self.rows.len() > page.len() {
            if let Some(row) = self.rows.pop() {
                row.tr.remove();
                self.spare.push(row);
            }
        }
        let old = self.rows.len();
        for _ in old..page.len() {
            match self.spare.pop().or_else(|| self.new_row()) {
                Some(row) => self.rows.push(row),
                None => break,
            }
        }
        let tab_stop = self.tab_stop;
        let mut w = Writer {
            doc: &self.doc,
            badges: &mut self.badges,
            locale: extra.locale,
        };
        // New rows go in together: one insertion into the live table, not one per row.
        let batch = (self.rows.len() > old).then(|| self.doc.create_document_fragment());
        for (i, (row, conn)) in self.rows.iter_mut().zip(page).enumerate() {
            fill(&mut w, row, conn, columns, extra);
            set_row_state(row, selection.contains(conn.id), tab_stop == Some(conn.id));
            if let Some(batch) = batch.as_ref().filter(|_| i >= old) {
                let _ = batch.append_child(&row.tr);
            }
        }
        if let Some(batch) = batch {
            let _ = self.tbody.append_child(&batch);
        }
    }

    /// Gives each row's checkbox and class the selection's state.
    pub fn show_selection(&mut self, selection: &Selection) {
        for row in &mut self.rows {
            let on = row.id.is_some_and(|id| selection.contains(id));
            let tab = row.tab_stop;
            set_row_state(row, on, tab);
        }
    }

    /// Puts the row `id` (only) in the tab order.
    pub fn set_tab_stop(&mut self, id: Option<i64>) {
        self.tab_stop = id;
        for row in &mut self.rows {
            let checked = row.checked;
            let tab = id.is_some() && row.id == id;
            set_row_state(row, checked, tab);
        }
    }
}

fn set_row_state(row: &mut Row, checked: bool, tab_stop: bool) {
    if row.checked != checked {
        row.check.set_checked(checked);
        row.tr.set_class_name(row_class(checked, row.saved));
        row.checked = checked;
    }
    if row.tab_stop != tab_stop {
        row.tr.set_tab_index(if tab_stop { 0 } else { -1 });
        row.tab_stop = tab_stop;
    }
}

/// What writing cells needs besides the cell.
struct Writer<'a> {
    doc: &'a Document,
    badges: &'a mut HashMap<(State, String, bool, bool), Element>,
    locale: Locale,
}

/// Writes `conn` into `row`, skipping cells that already show the same.
fn fill(w: &mut Writer, row: &mut Row, conn: &Connection, columns: &[Column], extra: &Extra) {
    if row.id != Some(conn.id) {
        let _ = row.tr.set_attribute("data-id", &conn.id.to_string());
        row.id = Some(conn.id);
    }
    if row.name.as_deref() != Some(conn.name.as_str()) {
        let _ = row
            .check
            .set_attribute("aria-label", &msg::select_row(extra.locale, &conn.name));
        row.name = Some(conn.name.clone());
    }
    let saved = extra.saved == Some(conn.id);
    if row.saved != saved {
        row.tr.set_class_name(row_class(row.checked, saved));
        let _ = if saved {
            row.tr.set_attribute("aria-current", "true")
        } else {
            row.tr.remove_attribute("aria-current")
        };
        row.saved = saved;
    }
    for ((col, td), shown) in columns.iter().zip(&row.cells).zip(&mut row.values) {
        let value = cell_value(*col, conn, extra);
        if shown.as_ref() != Some(&value) {
            write_cell(w, td, &value);
            *shown = Some(value);
        }
    }
}

fn write_cell(w: &mut Writer, td: &Element, value: &CellValue) {
    let doc = w.doc;
    match value {
        CellValue::Text(text) => td.set_text_content(Some(text)),
        CellValue::Name { name, saved } => {
            td.set_text_content(Some(name));
            if *saved {
                let note = el(doc, "span");
                note.set_class_name("cc-saved-note");
                note.set_text_content(Some(Msg::SavedNote.text(w.locale)));
                let _ = td.append_child(&note);
            }
        }
        CellValue::Time(at) => {
            td.set_text_content(None);
            let _ = td.append_child(&time(doc, w.locale, at));
        }
        CellValue::Checked(at) => {
            td.set_text_content(None);
            let child = match at {
                Some(at) => time(doc, w.locale, at),
                None => {
                    let span = el(doc, "span");
                    span.set_class_name("cc-muted");
                    span.set_text_content(Some(Msg::Never.text(w.locale)));
                    span
                }
            };
            let _ = td.append_child(&child);
        }
        CellValue::Status {
            state,
            message,
            busy,
            changed,
        } => {
            td.set_text_content(None);
            let badge = w
                .badges
                .entry((*state, message.clone(), *busy, *changed))
                .or_insert_with(|| badge(doc, w.locale, *state, message, *busy, *changed));
            if let Ok(copy) = badge.clone_node_with_deep(true) {
                let _ = td.append_child(&copy);
            }
        }
    }
}

/// The status as words and a coloured dot; "Testing…" while a Test runs.
fn badge(
    doc: &Document,
    locale: Locale,
    state: State,
    message: &str,
    busy: bool,
    changed: bool,
) -> Element {
    let span = el(doc, "span");
    if busy {
        span.set_class_name("cc-status cc-status-busy");
        let _ = span.set_attribute("aria-busy", "true");
        span.set_text_content(Some(Msg::Testing.text(locale)));
    } else {
        span.set_class_name(status_class(state));
        // The server's detail is English: a tooltip in English only.
        if !message.is_empty() && locale == Locale::En {
            let _ = span.set_attribute("title", message);
        }
        let dot = el(doc, "span");
        dot.set_class_name("cc-dot");
        let _ = dot.set_attribute("aria-hidden", "true");
        let _ = span.append_child(&dot);
        let _ = span.append_child(&doc.create_text_node(status_word(locale, state)));
        if changed {
            // A visible mark, and its meaning for screen readers and as a tooltip.
            let mark = el(doc, "span");
            mark.set_class_name("cc-changed");
            let _ = mark.set_attribute("title", Msg::ChangedMark.text(locale));
            let dot = el(doc, "span");
            let _ = dot.set_attribute("aria-hidden", "true");
            dot.set_text_content(Some("●"));
            let words = el(doc, "span");
            words.set_class_name("cc-visually-hidden");
            words.set_text_content(Some(Msg::ChangedMark.text(locale)));
            let _ = mark.append_child(&dot);
            let _ = mark.append_child(&words);
            let _ = span.append_child(&mark);
        }
    }
    span
}

fn time(doc: &Document, locale: Locale, at: &str) -> Element {
    let t = el(doc, "time");
    let _ = t.set_attribute("datetime", at);
    t.set_text_content(Some(&crate::i18n::format::instant(locale, at)));
    t
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    fn conn() -> Connection {
        Connection {
            id: 7,
            name: "Shop EU".into(),
            driver: "cloudinary-default".into(),
            fields: BTreeMap::from([
                ("cloud_name".to_string(), "eu-cloud".to_string()),
                ("api_key".to_string(), "1234".to_string()),
            ]),
            secrets_set: vec!["api_secret".into()],
            status: Status {
                state: State::Unverified,
                ..Status::default()
            },
            created_at: "2026-11-22T10:00:00Z".into(),
            updated_at: "2026-11-23T11:30:00Z".into(),
            version: 1,
        }
    }

    fn none<'a>(tested: &'a HashMap<i64, Status>, testing: &'a HashSet<i64>) -> Extra<'a> {
        Extra {
            tested,
            testing,
            saved: None,
            changed: Box::leak(Box::default()),
            locale: Locale::En,
            drivers: &[],
        }
    }

    #[test]
    fn plain_cells() {
        let (t, b) = (HashMap::new(), HashSet::new());
        let e = none(&t, &b);
        let c = conn();
        assert_eq!(cell_value(Column::Id, &c, &e), CellValue::Text("7".into()));
        assert_eq!(
            cell_value(Column::Driver, &c, &e),
            CellValue::Text("Cloudinary default driver".into())
        );
        assert_eq!(
            cell_value(Column::CloudName, &c, &e),
            CellValue::Text("eu-cloud".into())
        );
        assert_eq!(
            cell_value(Column::ApiKey, &c, &e),
            CellValue::Text("1234".into())
        );
        assert_eq!(
            cell_value(Column::Created, &c, &e),
            CellValue::Time("2026-11-22T10:00:00Z".into())
        );
        assert_eq!(
            cell_value(Column::LastVerified, &c, &e),
            CellValue::Checked(None)
        );
        assert_eq!(
            cell_value(Column::Name, &c, &e),
            CellValue::Name {
                name: "Shop EU".into(),
                saved: false
            }
        );
    }

    #[test]
    fn the_saved_row_is_marked() {
        let (t, b) = (HashMap::new(), HashSet::new());
        let e = Extra {
            saved: Some(7),
            ..none(&t, &b)
        };
        assert_eq!(
            cell_value(Column::Name, &conn(), &e),
            CellValue::Name {
                name: "Shop EU".into(),
                saved: true
            }
        );
    }

    #[test]
    fn status_merges_a_later_test_and_shows_testing() {
        let tested = HashMap::from([(
            7,
            Status {
                state: State::Ok,
                message: Some("Fine.".into()),
                checked_at: Some("2026-11-24T08:00:00Z".into()),
                ..Status::default()
            },
        )]);
        let mut testing = HashSet::new();
        let c = conn();
        assert_eq!(
            cell_value(Column::Status, &c, &none(&tested, &testing)),
            CellValue::Status {
                state: State::Ok,
                message: "Fine.".into(),
                busy: false,
                changed: false
            }
        );
        assert_eq!(
            cell_value(Column::LastVerified, &c, &none(&tested, &testing)),
            CellValue::Checked(Some("2026-11-24T08:00:00Z".into()))
        );
        testing.insert(7);
        assert!(matches!(
            cell_value(Column::Status, &c, &none(&tested, &testing)),
            CellValue::Status { busy: true, .. }
        ));
    }
}
