//! The one confirmation dialog of the app (delete in the list, discard in the form): a native
//! modal `<dialog role="alertdialog">`. Focus goes to Cancel when it opens (the safe choice),
//! stays inside while it is open (the browser's modal dialog), and Escape cancels.

use leptos::html;
use leptos::prelude::*;

use crate::i18n::{t, Msg};

/// Open while `open` holds. `title` and `children` (the body) name it for assistive
/// technology through `id_prefix`-title/-body; `confirm` is the destructive button's text.
#[component]
pub fn ConfirmDialog(
    open: Signal<bool>,
    /// Ids `<prefix>-title` and `<prefix>-body`.
    id_prefix: &'static str,
    #[prop(into)] title: Signal<String>,
    cancel: Msg,
    confirm: Msg,
    on_cancel: UnsyncCallback<()>,
    on_confirm: UnsyncCallback<()>,
    children: Children,
) -> impl IntoView {
    let dialog = NodeRef::<html::Dialog>::new();
    let cancel_button = NodeRef::<html::Button>::new();
    crate::erased::effect(move || {
        let open = open.get();
        let Some(d) = dialog.get() else { return };
        if open && !d.open() {
            let _ = d.show_modal();
            if let Some(c) = cancel_button.get() {
                let _ = c.focus();
            }
        } else if !open && d.open() {
            d.close();
        }
    });
    let title_id = format!("{id_prefix}-title");
    let body_id = format!("{id_prefix}-body");
    let (labelled_by, described_by) = (title_id.clone(), body_id.clone());
    view! {
        <dialog
            node_ref=dialog
            class="cc-dialog"
            role="alertdialog"
            aria-modal="true"
            aria-labelledby=labelled_by
            aria-describedby=described_by
            // Escape cancels (also a key event the browser would not act on by itself).
            on:keydown=move |ev: web_sys::KeyboardEvent| {
                if ev.key() == "Escape" {
                    ev.prevent_default();
                    ev.stop_propagation();
                    on_cancel.run(());
                }
            }
            // Closed by the browser some other way: keep the state in step.
            // (A `close` queued before a quick reopen finds the dialog open again: ignored.)
            on:close=move |_| {
                let shown = dialog.get_untracked().is_some_and(|d| d.open());
                if open.get_untracked() && !shown {
                    on_cancel.run(());
                }
            }
        >
            <h2 id=title_id class="cc-dialog-title">{move || title.get()}</h2>
            <div id=body_id>{children()}</div>
            <div class="cc-dialog-buttons">
                <button type="button" class="cc-btn" node_ref=cancel_button
                    on:click=move |_| on_cancel.run(())>
                    {t(cancel)}
                </button>
                <button type="button" class="cc-btn cc-btn-danger-solid"
                    on:click=move |_| on_confirm.run(())>
                    {t(confirm)}
                </button>
            </div>
        </dialog>
    }
}
