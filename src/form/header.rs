//! The form's frame: the header (Back, the title, which is the name as the user typed it,
//! the creation date, and on edit the connection's health) and the actions row (Save).
//! `auth`'s History section goes below the health, in [`form_header`]'s caller.

use crate::cell::{Derived, Var};
use connections_api::Status;
use leptos::prelude::*;

use super::health::health;
use super::state::{FormState, Mode};
use crate::context::use_locale;
use crate::dom::{h, El, Slot};
use crate::i18n::{self as msg, t, Msg};

/// Back, the title and the creation date; the health of a stored connection. `back` gets
/// the Back button.
pub fn form_header(
    form: Var<FormState>,
    back: Slot,
    on_back: UnsyncCallback<()>,
    health_of: Option<Status>,
) -> Vec<El> {
    let locale = use_locale();
    let created_at = match form.with_untracked(|f| f.mode.clone()) {
        Mode::Create => None,
        Mode::Edit { created_at, .. } => Some(created_at),
    };
    // The name as typed (it follows a reload of someone else's version); a new draft is
    // "Create connection".
    let title = move || match form.with(|f| f.mode.clone()) {
        Mode::Edit { name, .. } => name,
        Mode::Create => Msg::CreateTitle.text(locale.get()).to_string(),
    };
    let created = created_at.map(|c| {
        let date = move || msg::format::instant(locale.get(), &c);
        let text = move || msg::created(locale.get(), &date());
        h("p").class("cc-meta").text_with(text)
    });
    let head = h("div")
        .class("cc-form-head")
        .child(
            h("button")
                .attr("type", "button")
                .class("cc-btn")
                .slot(back)
                .on("click", move |_| on_back.run(()))
                .child(h("span").attr("aria-hidden", "true").text("←"))
                .text_with(t(Msg::Back)),
        )
        .child(
            h("div")
                .class("cc-form-title")
                .child(h("h2").id("cc-form-title").text_with(title))
                .child_opt(created),
        );
    let mut out = vec![head];
    out.extend(health_of.map(health));
    out
}

/// The actions row: Save, and "Saving…" while it is under way.
pub fn actions(saving: Derived<bool>) -> El {
    let locale = use_locale();
    let can_write = crate::caller::use_can_write();
    h("div")
        .class("cc-actions")
        .child(
            h("span")
                .class("cc-note")
                .attr("role", "status")
                .text_with(move || {
                    if saving.get() {
                        Msg::Saving.text(locale.get())
                    } else {
                        ""
                    }
                }),
        )
        .child(
            h("button")
                .attr("type", "submit")
                .class("cc-btn cc-btn-primary")
                .attr_with("aria-busy", move || saving.get().to_string())
                .attr_if("disabled", move || saving.get() || !can_write.get())
                .text_with(t(Msg::Save)),
        )
}
