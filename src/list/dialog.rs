//! The delete confirmation: the app's [`ConfirmDialog`] naming what will be deleted.

use leptos::html;
use leptos::prelude::*;

use crate::context::use_locale;
use crate::dialog::ConfirmDialog;
use crate::i18n::{self as msg, t, Msg};

/// How many names the dialog lists before "and N more".
const MAX_NAMES: usize = 10;

/// Open while `targets` is `Some`. Escape or Cancel closes it; Delete calls `on_confirm` with
/// the ids.
#[component]
pub fn DeleteDialog(
    targets: RwSignal<Option<Vec<(i64, String)>>>,
    on_confirm: UnsyncCallback<Vec<i64>>,
    /// Gets focus back when the dialog closes.
    return_focus: NodeRef<html::Button>,
) -> impl IntoView {
    let locale = use_locale();
    let close = move || {
        targets.set(None);
        if let Some(b) = return_focus.get_untracked() {
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
    let title = Signal::derive(move || {
        targets.with(|t| msg::delete_title(locale.get(), t.as_ref().map_or(0, Vec::len)))
    });
    let names = move || {
        targets.with(|t| {
            let t = t.as_deref().unwrap_or_default();
            let mut items: Vec<_> = t
                .iter()
                .take(MAX_NAMES)
                .map(|(_, name)| view! { <li>{name.clone()}</li> }.into_any())
                .collect();
            if t.len() > MAX_NAMES {
                let more = t.len() - MAX_NAMES;
                items.push(
                    view! { <li class="cc-muted">{move || msg::and_more(locale.get(), more)}</li> }
                        .into_any(),
                );
            }
            items
        })
    };
    view! {
        <ConfirmDialog
            open=Signal::derive(move || targets.with(Option::is_some))
            id_prefix="cc-delete"
            title=title
            cancel=Msg::Cancel
            confirm=Msg::Delete
            on_cancel=UnsyncCallback::new(move |()| close())
            on_confirm=UnsyncCallback::new(confirm)
        >
            <p>{t(Msg::DeleteBody)}</p>
            <ul class="cc-delete-names">{names}</ul>
        </ConfirmDialog>
    }
}
