//! The one confirmation dialog of the app (delete in the list, discard in the form): a native
//! modal `<dialog role="alertdialog">`. Focus goes to Cancel when it opens (the safe choice),
//! stays inside while it is open (the browser's modal dialog), and Escape cancels.

use crate::cell::Derived;
use leptos::prelude::*;
use web_sys::HtmlDialogElement;

use crate::dom::{h, El, Nodes, Slot};
use crate::i18n::{t, Msg};

/// A confirmation: open while `open` holds. `title` and the body name it for assistive
/// technology through `id_prefix`-title/-body; `confirm` is the destructive button's text.
pub struct Confirm {
    pub open: Derived<bool>,
    /// Ids `<prefix>-title` and `<prefix>-body`.
    pub id_prefix: &'static str,
    pub title: Derived<String>,
    pub cancel: Msg,
    pub confirm: Msg,
    pub on_cancel: UnsyncCallback<()>,
    pub on_confirm: UnsyncCallback<()>,
}

impl Confirm {
    /// The dialog, with `body` as its text (one element or several).
    pub fn build(self, body: impl Into<Nodes>) -> El {
        let Confirm {
            open,
            id_prefix,
            title,
            cancel,
            confirm,
            on_cancel,
            on_confirm,
        } = self;
        let dialog = Slot::new();
        let cancel_button = Slot::new();
        crate::erased::effect(move || {
            let open = open.get();
            let Some(d) = dialog.get_as::<HtmlDialogElement>() else {
                return;
            };
            if open && !d.open() {
                let _ = d.show_modal();
                if let Some(c) = cancel_button.get_as::<web_sys::HtmlElement>() {
                    let _ = c.focus();
                }
            } else if !open && d.open() {
                d.close();
            }
        });
        // Closed at once when a choice is made, before the choice's own code runs: a focus it
        // moves (back to the button that opened the dialog) then lands on a page that is no
        // longer inert behind a modal dialog.
        let shut = move || {
            if let Some(d) = dialog.get_as::<HtmlDialogElement>() {
                if d.open() {
                    d.close();
                }
            }
        };
        let title_id = format!("{id_prefix}-title");
        let body_id = format!("{id_prefix}-body");
        h("dialog")
            .slot(dialog)
            .class("cc-dialog")
            .attr("role", "alertdialog")
            .attr("aria-modal", "true")
            .attr("aria-labelledby", &title_id)
            .attr("aria-describedby", &body_id)
            // Escape cancels (also a key event the browser would not act on by itself).
            .on_as("keydown", move |ev: web_sys::KeyboardEvent| {
                if ev.key() == "Escape" {
                    ev.prevent_default();
                    ev.stop_propagation();
                    shut();
                    on_cancel.run(());
                }
            })
            // Closed by the browser some other way: keep the state in step.
            // (A `close` queued before a quick reopen finds the dialog open again: ignored.)
            .on("close", move |_| {
                let shown = dialog
                    .get_as::<HtmlDialogElement>()
                    .is_some_and(|d| d.open());
                if open.get_untracked() && !shown {
                    on_cancel.run(());
                }
            })
            .child(
                h("h2")
                    .id(&title_id)
                    .class("cc-dialog-title")
                    .text_with(move || title.get()),
            )
            .child(h("div").id(&body_id).nodes(body.into()))
            .child(
                h("div")
                    .class("cc-dialog-buttons")
                    .child(
                        h("button")
                            .attr("type", "button")
                            .class("cc-btn")
                            .slot(cancel_button)
                            .on("click", move |_| {
                                shut();
                                on_cancel.run(());
                            })
                            .text_with(t(cancel)),
                    )
                    .child(
                        h("button")
                            .attr("type", "button")
                            .class("cc-btn cc-btn-danger-solid")
                            .on("click", move |_| {
                                shut();
                                on_confirm.run(());
                            })
                            .text_with(t(confirm)),
                    ),
            )
    }
}
