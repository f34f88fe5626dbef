//! The delete confirmation: the app's [`Confirm`] dialog naming what will be deleted.

use crate::cell::{Derived, Var};
use leptos::prelude::*;

use crate::context::use_locale;
use crate::dialog::Confirm;
use crate::dom::{h, El, Slot};
use crate::i18n::{self as msg, t, Msg};

/// How many names the dialog lists before "and N more".
const MAX_NAMES: usize = 10;

/// Open while `targets` is `Some`. Escape or Cancel closes it; Delete calls `on_confirm` with
/// the ids. `return_focus` (the Delete button) gets focus back when the dialog closes.
pub fn delete_dialog(
    targets: Var<Option<Vec<(i64, String)>>>,
    on_confirm: UnsyncCallback<Vec<i64>>,
    return_focus: Slot,
) -> El {
    let locale = use_locale();
    let close = move || {
        targets.set(None);
        if let Some(b) = return_focus.get_as::<web_sys::HtmlElement>() {
            let _ = b.focus();
        }
    };
    let confirm = move |()| {
        let ids = targets.with_untracked(|t| {
            t.as_deref()
                .unwrap_or_default()
                .iter()
                .map(|(id, _)| *id)
                .collect::<Vec<_>>()
        });
        close();
        on_confirm.run(ids);
    };
    let title = Derived::new(move || {
        targets.with(|t| msg::delete_title(locale.get(), t.as_ref().map_or(0, Vec::len)))
    });
    let names = move || {
        targets.with(|t| {
            let t = t.as_deref().unwrap_or_default();
            let mut items: Vec<El> = t
                .iter()
                .take(MAX_NAMES)
                .map(|(_, name)| h("li").text(name))
                .collect();
            if t.len() > MAX_NAMES {
                let more = t.len() - MAX_NAMES;
                items.push(
                    h("li")
                        .class("cc-muted")
                        .text_with(move || msg::and_more(locale.get(), more)),
                );
            }
            items
        })
    };
    Confirm {
        open: Derived::new(move || targets.with(Option::is_some)),
        id_prefix: "cc-delete",
        title,
        cancel: Msg::Cancel,
        confirm: Msg::Delete,
        on_cancel: UnsyncCallback::new(move |()| close()),
        on_confirm: UnsyncCallback::new(confirm),
    }
    .build(vec![
        h("p").text_with(t(Msg::DeleteBody)),
        h("ul").class("cc-delete-names").dynamic(names),
    ])
}
