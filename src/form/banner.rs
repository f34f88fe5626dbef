//! The message above the form after Save or Test: an error, the fields the server refused
//! that have no place on screen, or a conflict with Reload.

use crate::cell::Var;
use leptos::prelude::*;
use web_sys::Node;

use super::state::ErrorText;
use crate::context::use_locale;
use crate::dom::{h, region};
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
pub fn banner_view(
    banner: Var<Option<Banner>>,
    reloading: Var<bool>,
    on_reload: UnsyncCallback<()>,
) -> Node {
    let locale = use_locale();
    region(
        move || banner.get(),
        move |b| {
            b.map(|b| {
                let alert = |class: &str| h("div").class(class).attr("role", "alert");
                match b {
                    Banner::Error(m) => {
                        alert("cc-banner cc-banner-error").child(h("p").text_with(t(m)))
                    }
                    Banner::Invalid(lines) => {
                        alert("cc-banner cc-banner-error").child(h("p").text_with(move || {
                            let mut all = vec![Msg::SaveInvalid.text(locale.get()).to_string()];
                            all.extend(lines.iter().map(|e| e.render(locale.get())));
                            all.join(" ")
                        }))
                    }
                    Banner::Failed(detail) => alert("cc-banner cc-banner-error")
                        .child(h("p").text_with(move || msg::save_failed(locale.get(), &detail))),
                    Banner::Conflict => alert("cc-banner cc-banner-warn")
                        .child(h("p").text_with(t(Msg::Conflict)))
                        .child(
                            h("button")
                                .attr("type", "button")
                                .class("cc-btn")
                                .on("click", move |_| on_reload.run(()))
                                .attr_if("disabled", move || reloading.get())
                                .text_with(t(Msg::Reload)),
                        ),
                }
            })
        },
    )
}
