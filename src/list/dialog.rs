//! The delete confirmation: a modal alert dialog naming what will be deleted.

use leptos::html;
use leptos::prelude::*;

use crate::app::use_locale;
use crate::i18n::{self as msg, t, Msg};

/// How many names the dialog lists before "and N more".
const MAX_NAMES: usize = 10;

/// A modal `<dialog role="alertdialog">`, open while `targets` is `Some`. Focus moves to
/// Cancel when it opens; Escape or Cancel closes it; Delete calls `on_confirm` with the ids.
#[component]
pub fn DeleteDialog(
    targets: RwSignal<Option<Vec<(i64, String)>>>,
    on_confirm: UnsyncCallback<Vec<i64>>,
    /// Gets focus back when the dialog closes.
    return_focus: NodeRef<html::Button>,
) -> impl IntoView {
    let locale = use_locale();
    let dialog = NodeRef::<html::Dialog>::new();
    let cancel = NodeRef::<html::Button>::new();

    Effect::new(move |_| {
        let open = targets.with(Option::is_some);
        let Some(d) = dialog.get() else { return };
        if open && !d.open() {
            let _ = d.show_modal();
            if let Some(c) = cancel.get() {
                let _ = c.focus();
            }
        } else if !open && d.open() {
            d.close();
        }
    });

    let close = move || {
        targets.set(None);
        if let Some(b) = return_focus.get_untracked() {
            let _ = b.focus();
        }
    };

    view! {
        <dialog
            node_ref=dialog
            class="cc-dialog"
            role="alertdialog"
            aria-modal="true"
            aria-labelledby="cc-delete-title"
            aria-describedby="cc-delete-body"
            // Escape: the browser closes the dialog; keep the state in step.
            on:close=move |_| {
                if targets.with_untracked(Option::is_some) {
                    close();
                }
            }
        >
            <h2 id="cc-delete-title" class="cc-dialog-title">
                {move || targets.with(|t| msg::delete_title(locale.get(), t.as_ref().map_or(0, Vec::len)))}
            </h2>
            <div id="cc-delete-body">
                <p>{t(Msg::DeleteBody)}</p>
                <ul class="cc-delete-names">
                    {move || targets.with(|t| {
                        let t = t.as_deref().unwrap_or_default();
                        let mut items: Vec<_> = t
                            .iter()
                            .take(MAX_NAMES)
                            .map(|(_, name)| view! { <li>{name.clone()}</li> }.into_any())
                            .collect();
                        if t.len() > MAX_NAMES {
                            items.push(view! { <li class="cc-muted">{msg::and_more(locale.get(), t.len() - MAX_NAMES)}</li> }.into_any());
                        }
                        items
                    })}
                </ul>
            </div>
            <div class="cc-dialog-buttons">
                <button type="button" class="cc-btn" node_ref=cancel on:click=move |_| close()>
                    {t(Msg::Cancel)}
                </button>
                <button type="button" class="cc-btn cc-btn-danger-solid"
                    on:click=move |_| {
                        let ids = targets.with_untracked(|t| {
                            t.as_deref().unwrap_or_default().iter().map(|(id, _)| *id).collect::<Vec<_>>()
                        });
                        close();
                        on_confirm.run(ids);
                    }>
                    {t(Msg::Delete)}
                </button>
            </div>
        </dialog>
    }
}
