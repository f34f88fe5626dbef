//! The Credentials block, which appears once a driver is picked: the API environment
//! variable (for drivers that take one), the driver's declared fields, and Test connection
//! with its result. Before a driver is picked, a hint to choose one.

use leptos::prelude::*;

use super::fields::{CredentialField, EnvVarField, FormCtx};
use crate::i18n::{t, Msg};

/// `driver_id`: the chosen driver (empty: none yet); `testing`: Test connection under way;
/// `on_test`: the Test connection button.
#[component]
pub fn Credentials(
    ctx: FormCtx,
    driver_id: Memo<String>,
    testing: Signal<bool>,
    on_test: UnsyncCallback<()>,
) -> impl IntoView {
    let FormCtx {
        drivers,
        tested,
        locale,
        ..
    } = ctx;
    let on_test = move |_| on_test.run(());
    let busy = move || testing.get().to_string();
    let tested_ok = move || tested.with(|t| t.as_ref().is_some_and(|t| t.ok));
    let tested_bad = move || tested.with(|t| t.as_ref().is_some_and(|t| !t.ok));
    let result = move || {
        if testing.get() {
            Some(Msg::FormTesting.text(locale.get()).to_string())
        } else {
            tested.get().map(|t| t.text.render(locale.get()))
        }
    };
    move || {
        let id = driver_id.get();
        let driver = drivers.with_value(|ds| ds.iter().find(|d| d.id == id).cloned());
        match driver {
            None => {
                view! { <p class="cc-hint cc-choose">{t(Msg::ChooseDriverHint)}</p> }.into_any()
            }
            Some(d) => {
                let env = d.takes_env_var().then(|| view! { <EnvVarField ctx=ctx/> });
                let fields = d
                    .fields
                    .into_iter()
                    .map(|f| view! { <CredentialField ctx=ctx field=f/> })
                    .collect_view();
                view! {
                    <fieldset class="cc-credentials">
                        <legend>{t(Msg::Credentials)}</legend>
                        {env}
                        {fields}
                        <div class="cc-test">
                            <button
                                type="button"
                                class="cc-btn"
                                aria-busy=busy
                                disabled=move || testing.get()
                                on:click=on_test
                            >
                                {t(Msg::TestConnection)}
                            </button>
                            <p
                                class="cc-test-result"
                                class:cc-ok=tested_ok
                                class:cc-error=tested_bad
                            >
                                {result}
                            </p>
                        </div>
                    </fieldset>
                }
                .into_any()
            }
        }
    }
}
