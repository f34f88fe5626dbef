//! The Credentials block, which appears once a driver is picked: the API environment
//! variable (for drivers that take one), the driver's declared fields, and Test connection
//! with its result. Before a driver is picked, a hint to choose one.

use crate::cell::{Calc, Derived};
use leptos::prelude::*;
use web_sys::Node;

use super::fields::{credential_field, env_var_field, FormCtx};
use crate::dom::{h, region};
use crate::i18n::{t, Msg};

/// `driver_id`: the chosen driver (empty: none yet); `testing`: Test connection under way;
/// `on_test`: the Test connection button. Built again when the driver changes.
pub fn credentials(
    ctx: FormCtx,
    driver_id: Calc<String>,
    testing: Derived<bool>,
    on_test: UnsyncCallback<()>,
) -> Node {
    let FormCtx {
        drivers,
        tested,
        locale,
        ..
    } = ctx;
    let busy = move || testing.get().to_string();
    let tested_ok = move || tested.with(|t| t.as_ref().is_some_and(|t| t.ok));
    let tested_bad = move || tested.with(|t| t.as_ref().is_some_and(|t| !t.ok));
    let result = move || {
        if testing.get() {
            Msg::FormTesting.text(locale.get()).to_string()
        } else {
            tested
                .get()
                .map(|t| t.text.render(locale.get()))
                .unwrap_or_default()
        }
    };
    region(
        move || driver_id.get(),
        move |id| {
            let driver = drivers.with_value(|ds| ds.iter().find(|d| d.id == id).cloned());
            match driver {
                None => h("p")
                    .class("cc-hint cc-choose")
                    .text_with(t(Msg::ChooseDriverHint)),
                Some(d) => {
                    let env = d.takes_env_var().then(|| env_var_field(ctx));
                    let fields = d.fields.into_iter().map(|f| credential_field(ctx, f));
                    h("fieldset")
                        .class("cc-credentials")
                        .child(h("legend").text_with(t(Msg::Credentials)))
                        .child_opt(env)
                        .children(fields)
                        .child(
                            h("div")
                                .class("cc-test")
                                .child(
                                    h("button")
                                        .attr("type", "button")
                                        .class("cc-btn")
                                        .attr_with("aria-busy", busy)
                                        .attr_if("disabled", move || testing.get())
                                        .on("click", move |_| on_test.run(()))
                                        .text_with(t(Msg::TestConnection)),
                                )
                                .child(
                                    h("p")
                                        .class("cc-test-result")
                                        .class_if("cc-ok", tested_ok)
                                        .class_if("cc-error", tested_bad)
                                        .text_with(result),
                                ),
                        )
                }
            }
        },
    )
}
