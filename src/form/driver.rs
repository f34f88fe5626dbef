//! The Driver control: a choice while creating (choosing one shows its Credentials), the
//! driver's name, read only, once the connection exists.

use crate::cell::Calc;
use web_sys::{Event, FocusEvent};

use super::fields::{field_error, label, leaves_for_button, FormCtx};
use super::state::FieldKey;
use crate::dom::{h, target_value, El};
use crate::i18n::{self as msg, t, Msg};

/// `driver_id`: the chosen driver's id (empty: none yet).
pub fn driver_control(ctx: FormCtx, driver_id: Calc<String>, is_edit: bool) -> El {
    let FormCtx {
        form,
        drivers,
        locale,
        ..
    } = ctx;
    if is_edit {
        let name = move || {
            drivers.with_value(|ds| {
                let id = driver_id.get();
                let fallback = ds
                    .iter()
                    .find(|d| d.id == id)
                    .map(|d| d.name.clone())
                    .unwrap_or_else(|| id.clone());
                msg::driver_name(locale.get(), &id, &fallback)
            })
        };
        h("div")
            .class("cc-field")
            .child(label("cc-driver", t(Msg::Driver), false))
            .child(
                h("input")
                    .id("cc-driver")
                    .class("cc-input")
                    .attr("type", "text")
                    .attr("readonly", "")
                    .attr("aria-describedby", "cc-driver-help")
                    .value_with(name),
            )
            .child(
                h("p")
                    .id("cc-driver-help")
                    .class("cc-hint")
                    .text_with(t(Msg::DriverReadonlyHelp)),
            )
    } else {
        let on_change = move |ev: Event| {
            let v = target_value(&ev);
            drivers.with_value(|ds| form.update(|f| f.set_driver(&v, ds)));
            ctx.env_note.set(None);
            ctx.credentials_changed();
            ctx.check(&FieldKey::Driver);
        };
        let invalid = move || ctx.error(&FieldKey::Driver).is_some().to_string();
        let described_by = move || {
            ctx.error(&FieldKey::Driver)
                .map(|_| "cc-driver-error".to_string())
        };
        let on_blur = move |ev: FocusEvent| {
            if !leaves_for_button(&ev) {
                ctx.check(&FieldKey::Driver)
            }
        };
        let options = drivers.with_value(|ds| {
            ds.iter()
                .map(|d| {
                    let id = d.id.clone();
                    let (shown_id, name) = (d.id.clone(), d.name.clone());
                    let label = move || msg::driver_name(locale.get(), &shown_id, &name);
                    h("option")
                        .attr("value", &d.id)
                        .flag_with("selected", move || driver_id.get() == id)
                        .text_with(label)
                })
                .collect::<Vec<El>>()
        });
        h("div")
            .class("cc-field")
            .child(label("cc-driver", t(Msg::Driver), true))
            .child(
                h("select")
                    .id("cc-driver")
                    .class("cc-input")
                    .attr("aria-required", "true")
                    .attr_with("aria-invalid", invalid)
                    .attr_opt("aria-describedby", described_by)
                    .on("change", on_change)
                    .on_as("blur", on_blur)
                    .child(
                        h("option")
                            .attr("value", "")
                            .flag_with("selected", move || driver_id.get().is_empty()),
                    )
                    .children(options),
            )
            .child(field_error(ctx, FieldKey::Driver))
    }
}
