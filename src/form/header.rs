//! The form's frame: the header (Back, the title, which is the name as the user typed it,
//! the creation date, and on edit the connection's health) and the actions row (Save).
//! `auth`'s History section goes below the health, in [`FormHeader`]'s caller.

use connections_api::Status;
use leptos::html;
use leptos::prelude::*;

use super::health::Health;
use super::state::{FormState, Mode};
use crate::context::use_locale;
use crate::i18n::{self as msg, t, Msg};

/// Back, the title and the creation date; the health of a stored connection.
#[component]
pub fn FormHeader(
    form: RwSignal<FormState>,
    back_ref: NodeRef<html::Button>,
    on_back: UnsyncCallback<()>,
    health: Option<Status>,
) -> impl IntoView {
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
        view! { <p class="cc-meta">{text}</p> }
    });
    let back = move |_| on_back.run(());
    view! {
        <div class="cc-form-head">
            <button type="button" class="cc-btn" node_ref=back_ref on:click=back>
                <span aria-hidden="true">"←"</span>
                {t(Msg::Back)}
            </button>
            <div class="cc-form-title">
                <h2 id="cc-form-title">{title}</h2>
                {created}
            </div>
        </div>
        {health.map(|status| view! { <Health status=status/> })}
    }
}

/// The actions row: Save, and "Saving…" while it is under way.
#[component]
pub fn Actions(saving: Signal<bool>) -> impl IntoView {
    let locale = use_locale();
    let can_write = crate::caller::use_can_write();
    view! {
        <div class="cc-actions">
            <span class="cc-note" role="status">
                {move || saving.get().then_some(Msg::Saving.text(locale.get()))}
            </span>
            <button type="submit" class="cc-btn cc-btn-primary"
                aria-busy=move || saving.get().to_string()
                disabled=move || saving.get() || !can_write.get()>
                {t(Msg::Save)}
            </button>
        </div>
    }
}
