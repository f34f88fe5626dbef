//! The message above the form after Save or Test: an error, the fields the server refused
//! that have no place on screen, or a conflict with Reload.

use leptos::prelude::*;

use super::state::ErrorText;
use crate::context::use_locale;
use crate::i18n::{self as msg, t, Msg};

/// A message above the form after Save or Test.
#[derive(Debug, Clone, PartialEq)]
pub enum Banner {
    /// A fixed text.
    Error(Msg),
    /// The server refused the fields: the lines that have no field of their own on screen.
    Invalid(Vec<ErrorText>),
    /// The server failed with this (English) detail.
    Failed(String),
    /// 412 (or 409): someone else changed the connection; offers Reload.
    Conflict,
}

/// Shows `banner` (nothing while it is `None`). Reload (of a conflict) calls `on_reload`.
#[component]
pub fn BannerView(
    banner: RwSignal<Option<Banner>>,
    reloading: RwSignal<bool>,
    on_reload: UnsyncCallback<()>,
) -> impl IntoView {
    let locale = use_locale();
    let reload = move |_| on_reload.run(());
    move || {
        banner.get().map(|b| match b {
            Banner::Error(m) => view! {
                <div class="cc-banner cc-banner-error" role="alert"><p>{t(m)}</p></div>
            }
            .into_any(),
            Banner::Invalid(lines) => view! {
                <div class="cc-banner cc-banner-error" role="alert">
                    <p>{move || {
                        let mut all = vec![Msg::SaveInvalid.text(locale.get()).to_string()];
                        all.extend(lines.iter().map(|e| e.render(locale.get())));
                        all.join(" ")
                    }}</p>
                </div>
            }
            .into_any(),
            Banner::Failed(detail) => view! {
                <div class="cc-banner cc-banner-error" role="alert">
                    <p>{move || msg::save_failed(locale.get(), &detail)}</p>
                </div>
            }
            .into_any(),
            Banner::Conflict => view! {
                <div class="cc-banner cc-banner-warn" role="alert">
                    <p>{t(Msg::Conflict)}</p>
                    <button type="button" class="cc-btn" on:click=reload
                        disabled=move || reloading.get()>{t(Msg::Reload)}</button>
                </div>
            }
            .into_any(),
        })
    }
}
