//! The pager as in the Actindo grid: rows per page, "from–to of total", first / previous /
//! next / last.

use crate::cell::Derived;
use leptos::prelude::*;

use crate::context::use_locale;
use crate::dom::{h, target_value, El};
use crate::i18n::{self as msg, t, Locale, Msg};

use super::query::PageMove;

/// Rows-per-page choices.
pub const PAGE_SIZES: [u64; 6] = [5, 10, 25, 50, 100, 500];

pub fn is_page_size(n: u64) -> bool {
    PAGE_SIZES.contains(&n)
}

/// "from-to of total" for `rows` rows shown at `offset` ("0-0 of 0" when empty).
pub fn range_text(l: Locale, offset: u64, rows: u64, total: u64) -> String {
    if rows == 0 {
        msg::range(l, 0, 0, total)
    } else {
        msg::range(l, offset + 1, offset + rows, total)
    }
}

/// Offset of the last page that exists (0 for an empty list).
pub fn last_offset(total: u64, limit: u64) -> u64 {
    let limit = limit.max(1);
    total.saturating_sub(1) / limit * limit
}

/// The offset to show when the list now has `total` rows: the same page if it still exists,
/// else the last page that does.
pub fn clamp_offset(offset: u64, total: u64, limit: u64) -> u64 {
    if offset >= total {
        last_offset(total, limit)
    } else {
        offset
    }
}

pub fn previous_offset(offset: u64, limit: u64) -> u64 {
    offset.saturating_sub(limit)
}

pub fn has_next(offset: u64, limit: u64, total: u64) -> bool {
    offset + limit < total
}

/// The offset after changing the page size: the page that holds the first row shown now.
pub fn offset_for_size(offset: u64, new_limit: u64) -> u64 {
    let new_limit = new_limit.max(1);
    offset / new_limit * new_limit
}

/// The pager bar. `offset`/`limit` are what is asked for, `rows`/`total` what came back;
/// a button asks `on_move` for its page (by the page's cursors, see [`super::query`]).
pub struct Pager {
    pub offset: Derived<u64>,
    pub limit: Derived<u64>,
    pub rows: Derived<u64>,
    pub total: Derived<u64>,
    pub on_move: UnsyncCallback<PageMove>,
    pub on_limit: UnsyncCallback<u64>,
}

impl Pager {
    /// The `<nav>` bar.
    pub fn build(self) -> El {
        let Pager {
            offset,
            limit,
            rows,
            total,
            on_move,
            on_limit,
        } = self;
        let locale = use_locale();
        let at_start = move || offset.get() == 0;
        let at_end = move || !has_next(offset.get(), limit.get(), total.get());
        let (at_start, at_end) = (Derived::new(at_start), Derived::new(at_end));
        let buttons = [
            (PageMove::First, Msg::FirstPage, "«", at_start),
            (PageMove::Previous, Msg::PreviousPage, "‹", at_start),
            (PageMove::Next, Msg::NextPage, "›", at_end),
            (PageMove::Last, Msg::LastPage, "»", at_end),
        ];
        let options = PAGE_SIZES.iter().map(|n| {
            let n = *n;
            h("option")
                .attr("value", &n.to_string())
                .attr_if("selected", move || limit.get() == n)
                .text(&n.to_string())
        });
        let buttons = buttons.into_iter().map(|(m, name, icon, off)| {
            h("button")
                .attr("type", "button")
                .class("cc-btn cc-btn-icon")
                .attr_with("aria-label", t(name))
                .attr_with("title", t(name))
                .attr_if("disabled", move || off.get())
                .on("click", move |_| on_move.run(m))
                .child(h("span").attr("aria-hidden", "true").text(icon))
        });
        h("nav")
            .class("cc-pager")
            .attr_with("aria-label", t(Msg::Pager))
            .child(
                h("label")
                    .class("cc-page-size")
                    .text_with(t(Msg::RowsPerPage))
                    .child(
                        h("select")
                            .children(options)
                            .value_with(move || limit.get().to_string())
                            .on("change", move |ev| {
                                if let Ok(n) = target_value(&ev).parse::<u64>() {
                                    on_limit.run(n);
                                }
                            }),
                    ),
            )
            .child(
                h("span")
                    .class("cc-range")
                    .attr("aria-live", "polite")
                    .text_with(move || {
                        range_text(locale.get(), offset.get(), rows.get(), total.get())
                    }),
            )
            .child(h("span").class("cc-pager-buttons").children(buttons))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn range_texts() {
        assert_eq!(range_text(Locale::En, 0, 0, 0), "0-0 of 0");
        assert_eq!(range_text(Locale::En, 0, 25, 40), "1-25 of 40");
        assert_eq!(range_text(Locale::En, 25, 15, 40), "26-40 of 40");
        assert_eq!(range_text(Locale::De, 0, 25, 40), "1-25 von 40");
    }

    #[test]
    fn last_page_and_shrink() {
        assert_eq!(last_offset(0, 25), 0);
        assert_eq!(last_offset(25, 25), 0);
        assert_eq!(last_offset(26, 25), 25);
        assert_eq!(last_offset(10_000, 500), 9_500);
        // Still there: unchanged.
        assert_eq!(clamp_offset(25, 26, 25), 25);
        // The list shrank under the page shown: the last page that exists.
        assert_eq!(clamp_offset(50, 30, 25), 25);
        assert_eq!(clamp_offset(50, 0, 25), 0);
    }

    #[test]
    fn stepping() {
        assert_eq!(previous_offset(0, 25), 0);
        assert_eq!(previous_offset(30, 25), 5);
        assert!(has_next(0, 25, 26));
        assert!(!has_next(0, 25, 25));
        assert_eq!(offset_for_size(75, 50), 50);
        assert_eq!(offset_for_size(75, 5), 75);
        assert!(is_page_size(500));
        assert!(!is_page_size(7));
    }
}
