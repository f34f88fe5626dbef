//! The Driver control: a choice while creating (choosing one shows its Credentials), the
//! driver's name, read only, once the connection exists.

use leptos::ev;
use leptos::prelude::*;

use super::fields::{leaves_for_button, FieldError, FormCtx, Label};
use super::state::FieldKey;
use crate::i18n::{self as msg, t, Msg};

/// `driver_id`: the chosen driver's id (empty: none yet).
#[component]
pub fn DriverControl(ctx: FormCtx, driver_id: Memo<String>, is_edit: bool) -> impl IntoView {
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
        view! {
            <div class="cc-field">
                <Label for_id="cc-driver" text=t(Msg::Driver) required=false/>
                <input id="cc-driver" class="cc-input" type="text" readonly
                    aria-describedby="cc-driver-help" prop:value=name/>
                <p id="cc-driver-help" class="cc-hint">{t(Msg::DriverReadonlyHelp)}</p>
            </div>
        }
        .into_any()
    } else {
        let on_change = move |ev: ev::Event| {
            let v = event_target_value(&ev);
            drivers.with_value(|ds| form.update(|f| f.set_driver(&v, ds)));
            ctx.env_note.set(None);
            ctx.credentials_changed();
            ctx.check(&FieldKey::Driver);
        };
        let invalid = move || ctx.error(&FieldKey::Driver).is_some().to_string();
        let described_by = move || ctx.error(&FieldKey::Driver).map(|_| "cc-driver-error");
        let on_blur = move |ev: ev::FocusEvent| {
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
                    view! {
                        <option value=d.id.clone() prop:selected=move || driver_id.get() == id>
                            {label}
                        </option>
                    }
                })
                .collect_view()
        });
        view! {
            <div class="cc-field">
                <Label for_id="cc-driver" text=t(Msg::Driver) required=true/>
                <select
                    id="cc-driver"
                    class="cc-input"
                    aria-required="true"
                    aria-invalid=invalid
                    aria-describedby=described_by
                    on:change=on_change
                    on:blur=on_blur
                >
                    <option value="" prop:selected=move || driver_id.get().is_empty()>""</option>
                    {options}
                </select>
                <FieldError ctx=ctx key=FieldKey::Driver/>
            </div>
        }
        .into_any()
    }
}
