//! The list's columns: which are shown and in what order ([`ColumnState`]), and the columns bar.

use crate::cell::{Calc, Var};
use connections_api::json::{FromJson, Json};
use connections_api::SortKey;
use leptos::prelude::*;
use serde::Serialize;
use wasm_bindgen::JsCast;

use crate::context::use_locale;
use crate::dom::{bind, h, target_checked, El};
use crate::i18n::{self as msg, t, Locale, Msg};

/// A column the list can show.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Column {
    Id,
    Name,
    Driver,
    CloudName,
    ApiKey,
    Status,
    LastVerified,
    Created,
    Updated,
}

impl Column {
    /// Every column, in the default order.
    pub const ALL: [Column; 9] = [
        Column::Id,
        Column::Name,
        Column::Driver,
        Column::CloudName,
        Column::ApiKey,
        Column::Status,
        Column::LastVerified,
        Column::Created,
        Column::Updated,
    ];

    /// Shown by default.
    pub const DEFAULT_SHOWN: [Column; 3] = [Column::Id, Column::Name, Column::Status];

    /// Stable key, used in browser storage and as a DOM data attribute.
    pub fn key(self) -> &'static str {
        match self {
            Column::Id => "id",
            Column::Name => "name",
            Column::Driver => "driver",
            Column::CloudName => "cloud_name",
            Column::ApiKey => "api_key",
            Column::Status => "status",
            Column::LastVerified => "last_verified",
            Column::Created => "created",
            Column::Updated => "updated",
        }
    }

    pub fn from_key(key: &str) -> Option<Column> {
        Column::ALL.into_iter().find(|c| c.key() == key)
    }

    pub fn label(self, l: Locale) -> &'static str {
        match self {
            Column::Id => Msg::ColId,
            Column::Name => Msg::ColName,
            Column::Driver => Msg::ColDriver,
            Column::CloudName => Msg::ColCloudName,
            Column::ApiKey => Msg::ColApiKey,
            Column::Status => Msg::ColStatus,
            Column::LastVerified => Msg::ColLastVerified,
            Column::Created => Msg::ColCreated,
            Column::Updated => Msg::ColUpdated,
        }
        .text(l)
    }

    /// The server-side sort of this column; `None` if it cannot be sorted.
    pub fn sort_key(self) -> Option<SortKey> {
        Some(match self {
            Column::Id => SortKey::Id,
            Column::Name => SortKey::Name,
            Column::Driver => SortKey::Driver,
            Column::CloudName => SortKey::CloudName,
            Column::ApiKey => return None,
            Column::Status => SortKey::Status,
            Column::LastVerified => SortKey::LastVerified,
            Column::Created => SortKey::CreatedAt,
            Column::Updated => SortKey::UpdatedAt,
        })
    }

    pub fn numeric(self) -> bool {
        self == Column::Id
    }
}

/// Every column in display order, each shown or hidden. At least one is always shown.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ColumnState {
    items: Vec<(Column, bool)>,
}

impl Default for ColumnState {
    fn default() -> Self {
        ColumnState {
            items: Column::ALL
                .into_iter()
                .map(|c| (c, Column::DEFAULT_SHOWN.contains(&c)))
                .collect(),
        }
    }
}

/// One column as kept in browser storage.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StoredColumn {
    pub key: String,
    pub shown: bool,
}

impl FromJson for StoredColumn {
    fn from_json(j: Json) -> Option<StoredColumn> {
        let mut o = j.into_object()?;
        Some(StoredColumn {
            key: o.field("key")?,
            shown: o.field("shown")?,
        })
    }
}

impl ColumnState {
    /// All columns in display order with their shown flag.
    pub fn items(&self) -> &[(Column, bool)] {
        &self.items
    }

    /// The shown columns, in order.
    pub fn shown(&self) -> Vec<Column> {
        self.items
            .iter()
            .filter(|(_, s)| *s)
            .map(|(c, _)| *c)
            .collect()
    }

    pub fn shown_count(&self) -> usize {
        self.items.iter().filter(|(_, s)| *s).count()
    }

    pub fn is_shown(&self, col: Column) -> bool {
        self.items.iter().any(|(c, s)| *c == col && *s)
    }

    fn index(&self, col: Column) -> usize {
        self.items.iter().position(|(c, _)| *c == col).unwrap_or(0)
    }

    /// Shows or hides `col`; refuses (returns `false`) to hide the last shown column.
    pub fn set_shown(&mut self, col: Column, shown: bool) -> bool {
        if !shown && self.is_shown(col) && self.shown_count() == 1 {
            return false;
        }
        let i = self.index(col);
        self.items[i].1 = shown;
        true
    }

    /// Moves `col` by `delta` places (negative: up); returns whether it moved.
    pub fn move_by(&mut self, col: Column, delta: isize) -> bool {
        let from = self.index(col);
        let to = from as isize + delta;
        if to < 0 || to as usize >= self.items.len() || delta == 0 {
            return false;
        }
        self.move_to(col, to as usize);
        true
    }

    /// Moves `col` so that it ends up at position `to` (clamped).
    pub fn move_to(&mut self, col: Column, to: usize) {
        let from = self.index(col);
        let item = self.items.remove(from);
        let to = to.min(self.items.len());
        self.items.insert(to, item);
    }

    pub fn reset(&mut self) {
        *self = ColumnState::default();
    }

    pub fn to_stored(&self) -> Vec<StoredColumn> {
        self.items
            .iter()
            .map(|(c, s)| StoredColumn {
                key: c.key().into(),
                shown: *s,
            })
            .collect()
    }

    /// Rebuilds from storage. Unknown keys are dropped, columns the value does not name are
    /// appended hidden; `None` if the value is unusable (duplicates, nothing shown).
    pub fn from_stored(stored: &[StoredColumn]) -> Option<ColumnState> {
        let mut items: Vec<(Column, bool)> = Vec::with_capacity(Column::ALL.len());
        for s in stored {
            let Some(c) = Column::from_key(&s.key) else {
                continue;
            };
            if items.iter().any(|(x, _)| *x == c) {
                return None;
            }
            items.push((c, s.shown));
        }
        for c in Column::ALL {
            if !items.iter().any(|(x, _)| *x == c) {
                items.push((c, false));
            }
        }
        let state = ColumnState { items };
        (state.shown_count() > 0).then_some(state)
    }
}

/// Moves keyboard focus to the checkbox of `col` in the columns bar (after a reorder moved it).
fn focus_column(col: Column, control: &str) {
    let selector = format!("[data-column=\"{}\"] {control}", col.key());
    if let Some(el) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.query_selector(&selector).ok().flatten())
        .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
    {
        let _ = el.focus();
    }
}

/// The columns bar: a checkbox per column, reorder by drag and drop or by keyboard, reset.
pub fn columns_bar(columns: Var<ColumnState>, id: &'static str) -> El {
    let dragging = Var::new(None::<Column>);
    let drop_target = Var::new(None::<Column>);
    let total = Column::ALL.len();
    let locale = use_locale();

    let move_and_focus = move |col: Column, delta: isize, control: &'static str| {
        let mut moved = false;
        columns.update(|c| moved = c.move_by(col, delta));
        if moved {
            // The item's DOM node moved; keep focus on the control the user used.
            request_animation_frame(move || focus_column(col, control));
        }
    };

    // One item of the list: its checkbox, its drag and drop, its move buttons.
    let item = move |col: Column| {
        let shown = Calc::new(move |_| columns.with(|c| c.is_shown(col)));
        let last_shown =
            Calc::new(move |_| columns.with(|c| c.is_shown(col) && c.shown_count() == 1));
        let position = Calc::new(move |_| {
            columns.with(|c| c.items().iter().position(|(x, _)| *x == col).unwrap_or(0))
        });
        let label = move || col.label(locale.get());
        let is_dragged = move || dragging.get() == Some(col);
        let is_target = move || drop_target.get() == Some(col) && dragging.get() != Some(col);
        let on_dragstart = move |ev: web_sys::DragEvent| {
            dragging.set(Some(col));
            if let Some(dt) = ev.data_transfer() {
                let _ = dt.set_data("text/plain", col.key());
                dt.set_effect_allowed("move");
            }
        };
        let on_dragover = move |ev: web_sys::DragEvent| {
            if dragging.get_untracked().is_some() {
                ev.prevent_default();
                drop_target.set(Some(col));
            }
        };
        let on_dragleave = move |_| {
            if drop_target.get_untracked() == Some(col) {
                drop_target.set(None);
            }
        };
        let on_drop = move |ev: web_sys::DragEvent| {
            ev.prevent_default();
            let from = dragging.get_untracked().or_else(|| {
                ev.data_transfer()
                    .and_then(|dt| dt.get_data("text/plain").ok())
                    .and_then(|k| Column::from_key(&k))
            });
            if let Some(from) = from.filter(|f| *f != col) {
                let to = position.get_untracked();
                columns.update(|c| c.move_to(from, to));
            }
            dragging.set(None);
            drop_target.set(None);
        };
        let on_dragend = move |_| {
            dragging.set(None);
            drop_target.set(None);
        };
        let on_keydown = move |ev: web_sys::KeyboardEvent| {
            if !ev.alt_key() {
                return;
            }
            let delta = match ev.key().as_str() {
                "ArrowUp" => -1,
                "ArrowDown" => 1,
                _ => return,
            };
            ev.prevent_default();
            move_and_focus(col, delta, "input");
        };
        let on_change = move |ev: web_sys::Event| {
            let on = target_checked(&ev);
            let mut ok = true;
            columns.update(|c| ok = c.set_shown(col, on));
            if !ok {
                // Refused: put the checkbox back.
                let input = ev
                    .target()
                    .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok());
                if let Some(input) = input {
                    input.set_checked(true);
                }
            }
        };
        let up_label = move || msg::move_up(locale.get(), label());
        let down_label = move || msg::move_down(locale.get(), label());
        let up = move |_| move_and_focus(col, -1, "button[data-move=up]");
        let down = move |_| move_and_focus(col, 1, "button[data-move=down]");
        h("li")
            .class("cc-column-item")
            .class_if("cc-dragging", is_dragged)
            .class_if("cc-drop-target", is_target)
            .attr("data-column", col.key())
            .attr("draggable", "true")
            .on_as("dragstart", on_dragstart)
            .on_as("dragover", on_dragover)
            .on("dragleave", on_dragleave)
            .on_as("drop", on_drop)
            .on("dragend", on_dragend)
            .on_as("keydown", on_keydown)
            .child(
                h("span")
                    .class("cc-grip")
                    .attr("aria-hidden", "true")
                    .text("⠿"),
            )
            .child(
                h("label")
                    .class("cc-column-label")
                    .child(
                        h("input")
                            .attr("type", "checkbox")
                            .flag_with("checked", move || shown.get())
                            .attr_if("disabled", move || last_shown.get())
                            .on("change", on_change),
                    )
                    .text_with(label),
            )
            .child(
                h("span")
                    .class("cc-column-moves")
                    .child(
                        h("button")
                            .attr("type", "button")
                            .class("cc-btn cc-btn-icon")
                            .attr_with("aria-label", up_label)
                            .attr_with("title", up_label)
                            .attr_if("disabled", move || position.get() == 0)
                            .on("click", up)
                            .attr("data-move", "up")
                            .child(h("span").attr("aria-hidden", "true").text("↑")),
                    )
                    .child(
                        h("button")
                            .attr("type", "button")
                            .class("cc-btn cc-btn-icon")
                            .attr_with("aria-label", down_label)
                            .attr_with("title", down_label)
                            .attr_if("disabled", move || position.get() + 1 == total)
                            .on("click", down)
                            .attr("data-move", "down")
                            .child(h("span").attr("aria-hidden", "true").text("↓")),
                    ),
            )
    };
    let order = move || columns.with(|c| c.items().iter().map(|(c, _)| *c).collect::<Vec<_>>());
    let reset = move |_| columns.update(ColumnState::reset);

    // Every column has its item, built once; the list puts them in the current order by
    // moving their elements, as a keyed list does (a moved item keeps its state; the focus
    // goes back to it in `move_and_focus`).
    let items: Vec<(Column, web_sys::Element)> = Column::ALL
        .into_iter()
        .map(|c| (c, item(c).into()))
        .collect();
    let list = h("ul")
        .class("cc-columns-list")
        .attr("aria-describedby", "cc-columns-hint");
    let ul = list.el().clone();
    bind(move || {
        let order = order();
        let wanted: Vec<&web_sys::Element> = order
            .iter()
            .filter_map(|c| items.iter().find(|(x, _)| x == c).map(|(_, e)| e))
            .collect();
        // Every column is listed (shown or not), so the items are only put in order, moving
        // those out of place.
        let mut here = ul.first_element_child();
        for e in wanted {
            if here.as_ref() == Some(e) {
                here = e.next_element_sibling();
            } else {
                let _ = ul.insert_before(e, here.as_ref().map(|h| h.as_ref()));
            }
        }
    });

    h("div")
        .class("cc-columns-bar")
        .id(id)
        .attr("role", "region")
        .attr_with("aria-label", t(Msg::ColumnsBar))
        .child(
            h("p")
                .class("cc-hint")
                .id("cc-columns-hint")
                .text_with(t(Msg::ColumnsOrderHint))
                .text(" ")
                .text_with(t(Msg::ColumnsMinHint)),
        )
        .child(list)
        .child(
            h("button")
                .attr("type", "button")
                .class("cc-btn")
                .on("click", reset)
                .text_with(t(Msg::ResetColumns)),
        )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_shows_id_name_status() {
        let c = ColumnState::default();
        assert_eq!(c.shown(), vec![Column::Id, Column::Name, Column::Status]);
        assert_eq!(c.shown_count(), 3);
        assert_eq!(c.items().len(), 9);
    }

    #[test]
    fn show_hide_keeps_at_least_one() {
        let mut c = ColumnState::default();
        assert!(c.set_shown(Column::Driver, true));
        assert!(c.is_shown(Column::Driver));
        assert!(c.set_shown(Column::Id, false));
        assert!(c.set_shown(Column::Name, false));
        assert!(c.set_shown(Column::Status, false));
        assert_eq!(c.shown(), vec![Column::Driver]);
        assert!(!c.set_shown(Column::Driver, false), "the last column stays");
        assert_eq!(c.shown_count(), 1);
        // Hiding an already hidden column is harmless.
        assert!(c.set_shown(Column::Id, false));
    }

    #[test]
    fn reorder_and_reset() {
        let mut c = ColumnState::default();
        assert!(!c.move_by(Column::Id, -1), "first cannot move up");
        assert!(c.move_by(Column::Status, -4));
        assert_eq!(c.shown(), vec![Column::Id, Column::Status, Column::Name]);
        assert!(!c.move_by(Column::Updated, 1), "last cannot move down");
        c.move_to(Column::Id, 8);
        assert_eq!(c.items()[8].0, Column::Id);
        assert_eq!(c.shown(), vec![Column::Status, Column::Name, Column::Id]);
        c.move_to(Column::Id, 100);
        assert_eq!(c.items()[8].0, Column::Id);
        c.reset();
        assert_eq!(c, ColumnState::default());
    }

    #[test]
    fn stored_round_trip() {
        let mut c = ColumnState::default();
        c.set_shown(Column::CloudName, true);
        c.move_by(Column::CloudName, -3);
        let back = ColumnState::from_stored(&c.to_stored()).expect("parses");
        assert_eq!(back, c);
    }

    #[test]
    fn stored_values_that_do_not_fit() {
        let s = |k: &str, shown| StoredColumn {
            key: k.into(),
            shown,
        };
        // Nothing shown: unusable.
        assert_eq!(ColumnState::from_stored(&[s("id", false)]), None);
        // Duplicates: unusable.
        assert_eq!(
            ColumnState::from_stored(&[s("id", true), s("id", true)]),
            None
        );
        // Unknown keys are dropped, missing columns appended hidden.
        let c = ColumnState::from_stored(&[s("gone", true), s("name", true)]).expect("usable");
        assert_eq!(c.shown(), vec![Column::Name]);
        assert_eq!(c.items().len(), 9);
        assert_eq!(c.items()[0].0, Column::Name);
    }

    #[test]
    fn sortable_columns() {
        assert_eq!(Column::ApiKey.sort_key(), None);
        assert_eq!(Column::Created.sort_key(), Some(SortKey::CreatedAt));
        for c in Column::ALL {
            assert_eq!(Column::from_key(c.key()), Some(c));
        }
    }
}
