//! The Connection view (routes `/new` and `/{id}`): create and edit a
//! connection, with the driver's Credentials, paste-to-fill, validation at the
//! fields and safe saving.
//!
//! [`ConnectionView`] reads the route and loads the drivers and the connection;
//! [`ConnectionForm`] is the form itself and takes them as props (the browser
//! tests mount it with data in memory). The rules live in [`state`].

mod fields;
mod health;
pub mod state;
mod tested;

use connections_api::{Connection, ConnectionInput, Driver, State, VerifyRequest, VerifyResult};
use leptos::ev;
use leptos::html;
use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_params_map, use_query_map};
use leptos_router::NavigateOptions;
use wasm_bindgen::JsCast;

use crate::api::ApiError;
use crate::context::{use_client, use_list_place, use_live, use_locale};
use crate::dialog::ConfirmDialog;
use crate::history_guard::use_back_guard;
use crate::host::events::HostEvent;
use crate::i18n::{self as msg, t, Msg};
use fields::{leaves_for_button, CredentialField, EnvVarField, FieldError, FormCtx, Label};
use state::{
    first_invalid, map_server_errors, takes_env_var, verify_problem, ErrorText, Errors, FieldKey,
};
pub use state::{FormState, Idempotency, Mode};
use tested::{Tested, TestedText};

/// What the route asks for.
#[derive(Debug, Clone, PartialEq)]
enum Target {
    New { from: Option<i64> },
    Edit(i64),
    Invalid,
}

/// What was loaded for the form.
#[derive(Debug, Clone, PartialEq)]
enum Loaded {
    Blank,
    Edit(Connection),
    Duplicate(Connection),
    DuplicateGone,
}

/// The routed view: loads the drivers (and the connection on edit or
/// duplicate), then shows [`ConnectionForm`].
#[component]
pub fn ConnectionView() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let target = Memo::new(move |_| match params.read().get("id") {
        None => Target::New {
            from: query.read().get("from").and_then(|s| s.parse().ok()),
        },
        Some(id) => id
            .parse::<i64>()
            .map(Target::Edit)
            .unwrap_or(Target::Invalid),
    });
    let client = use_client();
    let drivers = LocalResource::new({
        let client = client.clone();
        move || {
            let client = client.clone();
            async move { client.drivers().await }
        }
    });
    let loaded = LocalResource::new(move || {
        let client = client.clone();
        let target = target.get();
        async move {
            match target {
                Target::New { from: None } => Ok(Loaded::Blank),
                Target::New { from: Some(id) } => match client.get(id).await {
                    Ok(c) => Ok(Loaded::Duplicate(c)),
                    Err(ApiError::NotFound(_)) => Ok(Loaded::DuplicateGone),
                    Err(e) => Err(e),
                },
                Target::Edit(id) => client.get(id).await.map(Loaded::Edit),
                Target::Invalid => Err(ApiError::NotFound(String::new())),
            }
        }
    });
    let retry = move || {
        drivers.refetch();
        loaded.refetch();
    };
    // Refused as unauthorised: the host's next token tries again.
    let auth = use_live().auth;
    Effect::new(move |prev: Option<u64>| {
        let n = auth.get();
        let refused =
            |r: Option<Result<_, ApiError>>| matches!(r, Some(Err(ApiError::Unauthorized)));
        if prev.is_some_and(|p| p != n)
            && (refused(drivers.get_untracked().map(|r| r.map(|_| ())))
                || refused(loaded.get_untracked().map(|r| r.map(|_| ()))))
        {
            retry();
        }
        n
    });

    move || match (drivers.get(), loaded.get()) {
        (Some(Ok(ds)), Some(Ok(l))) => {
            let (connection, duplicate, notice) = match l {
                Loaded::Blank => (None, false, None),
                Loaded::Edit(c) => (Some(c), false, None),
                Loaded::Duplicate(c) => (Some(c), true, None),
                Loaded::DuplicateGone => (None, false, Some(Msg::DuplicateGone)),
            };
            view! {
                <ConnectionForm drivers=ds connection=connection duplicate=duplicate notice=notice/>
            }
            .into_any()
        }
        (Some(Err(e)), _) | (_, Some(Err(e))) => {
            view! { <LoadError error=e on_retry=retry/> }.into_any()
        }
        _ => view! {
            <section class="cc-form" aria-busy="true">
                <p class="cc-state" role="status">{t(Msg::FormLoading)}</p>
            </section>
        }
        .into_any(),
    }
}

#[component]
fn LoadError(error: ApiError, on_retry: impl Fn() + 'static) -> impl IntoView {
    let navigate = use_navigate();
    let (text, retry) = match error {
        ApiError::NotFound(_) => (Msg::NotFound, false),
        ApiError::Network => (Msg::LoadUnreachable, true),
        ApiError::Unauthorized => (Msg::LoadUnauthorized, true),
        _ => (Msg::LoadServer, true),
    };
    view! {
        <section class="cc-form">
            <div class="cc-form-head">
                <button type="button" class="cc-btn" on:click=move |_| navigate("/", Default::default())>
                    <span aria-hidden="true">"←"</span>{t(Msg::Back)}
                </button>
            </div>
            <div class="cc-state cc-error" role="alert">
                <p>{t(text)}</p>
                {retry.then(|| view! {
                    <button type="button" class="cc-btn" on:click=move |_| on_retry()>{t(Msg::Retry)}</button>
                })}
            </div>
        </section>
    }
}

/// A message above the form after Save or Test.
#[derive(Debug, Clone, PartialEq)]
enum Banner {
    /// A fixed text.
    Error(Msg),
    /// The server refused the fields: the lines that have no field of their own on screen.
    Invalid(Vec<ErrorText>),
    /// The server failed with this (English) detail.
    Failed(String),
    /// 412 (or 409): someone else changed the connection; offers Reload.
    Conflict,
}

/// What Save sends.
#[derive(Debug, Clone)]
enum SaveRequest {
    Create {
        input: ConnectionInput,
        key: String,
    },
    Update {
        id: i64,
        version: i64,
        input: ConnectionInput,
    },
}

/// The create and edit form. `connection` is the stored connection to edit,
/// or with `duplicate` the one whose copy starts a new draft.
#[component]
pub fn ConnectionForm(
    drivers: Vec<Driver>,
    #[prop(default = None)] connection: Option<Connection>,
    #[prop(optional)] duplicate: bool,
    #[prop(default = None)] notice: Option<Msg>,
) -> impl IntoView {
    let health = connection
        .as_ref()
        .filter(|_| !duplicate)
        .map(|c| c.status.clone());
    let initial = match (&connection, duplicate) {
        (Some(c), true) => FormState::duplicate(c, &drivers, use_locale().get_untracked()),
        (Some(c), false) => FormState::edit(c, &drivers),
        (None, _) => FormState::create(),
    };
    let ctx = FormCtx {
        form: RwSignal::new(initial),
        errors: RwSignal::new(Errors::new()),
        drivers: StoredValue::new(drivers),
        env_note: RwSignal::new(None),
        tested: RwSignal::new(None),
        locale: use_locale(),
    };
    let FormCtx {
        form,
        errors,
        drivers,
        tested,
        ..
    } = ctx;
    let locale = use_locale();
    let banner = RwSignal::new(None::<Banner>);
    let confirm_open = RwSignal::new(false);
    let reloading = RwSignal::new(false);
    let idempotency = StoredValue::new(Idempotency::default());
    let back_ref = NodeRef::<html::Button>::new();
    let client = use_client();
    let navigate = StoredValue::new_local(use_navigate());
    let list_place = use_list_place();

    // Leaves the view: no secret stays in the state, then the list.
    let leave = move |path: String| {
        drivers.with_value(|ds| form.update(|f| f.clear_secrets(ds)));
        ctx.env_note.set(None);
        navigate.with_value(|nav| nav(&path, NavigateOptions::default()));
    };

    let save = Action::new_local({
        let client = client.clone();
        move |req: &SaveRequest| {
            let client = client.clone();
            let req = req.clone();
            async move {
                match req {
                    SaveRequest::Create { input, key } => client.create(&input, &key).await,
                    SaveRequest::Update { id, version, input } => {
                        client.update(id, version, &input).await
                    }
                }
            }
        }
    });
    let saving = save.pending();

    let session = client.session().clone();
    Effect::new(move |_| {
        let Some(result) = save.value().get() else {
            return;
        };
        match result {
            Ok(conn) => {
                idempotency.update_value(Idempotency::settle);
                let created = form.with_untracked(|f| f.mode == Mode::Create);
                session.emit(&HostEvent::Saved {
                    id: conn.id,
                    name: conn.name.clone(),
                    created,
                });
                leave(format!("/?saved={}", conn.id));
            }
            Err(e) => {
                let definite = matches!(e, ApiError::Validation { .. } | ApiError::Conflict(_));
                if definite {
                    idempotency.update_value(Idempotency::settle);
                }
                let b = match e {
                    ApiError::Validation {
                        message,
                        fields,
                        details,
                    } => {
                        let (at, other) = drivers.with_value(|ds| {
                            form.with_untracked(|f| {
                                map_server_errors(&fields, &details, f.current_driver(ds))
                            })
                        });
                        let shown = shown_keys(form, drivers);
                        let (at, hidden): (Errors, Errors) =
                            at.into_iter().partition(|(k, _)| shown.contains(k));
                        let mut lines = Vec::new();
                        lines.extend(hidden.into_values());
                        lines.extend(other.into_iter().map(ErrorText::Text));
                        if at.is_empty() && lines.is_empty() && !message.is_empty() {
                            lines.push(ErrorText::Text(message));
                        }
                        let first = drivers.with_value(|ds| {
                            form.with_untracked(|f| first_invalid(&at, f.current_driver(ds)))
                        });
                        errors.set(at);
                        if let Some(k) = first {
                            focus_id(&k.dom_id());
                        }
                        Banner::Invalid(lines)
                    }
                    ApiError::Conflict(_) => Banner::Conflict,
                    ApiError::Network => Banner::Error(Msg::SaveUnreachable),
                    ApiError::Unauthorized => Banner::Error(Msg::SaveUnauthorized),
                    ApiError::NotFound(_) => Banner::Error(Msg::SaveGone),
                    ApiError::Server { message, .. } => Banner::Failed(message),
                };
                banner.set(Some(b));
            }
        }
    });

    let on_submit = move |ev: ev::SubmitEvent| {
        ev.prevent_default();
        if saving.get_untracked() {
            return;
        }
        tested.set(None);
        let (errs, input, driver) = drivers.with_value(|ds| {
            form.with_untracked(|f| {
                (
                    f.validate(ds),
                    f.to_input(ds),
                    f.current_driver(ds).cloned(),
                )
            })
        });
        if !errs.is_empty() {
            let first = first_invalid(&errs, driver.as_ref());
            errors.set(errs);
            banner.set(Some(Banner::Invalid(Vec::new())));
            if let Some(k) = first {
                focus_id(&k.dom_id());
            }
            return;
        }
        errors.set(Errors::new());
        banner.set(None);
        let req = match form.with_untracked(|f| f.mode.clone()) {
            Mode::Create => {
                let key = idempotency.try_update_value(|i| i.key_for(&input, random_key));
                SaveRequest::Create {
                    input,
                    key: key.unwrap_or_else(random_key),
                }
            }
            Mode::Edit { id, version, .. } => SaveRequest::Update { id, version, input },
        };
        save.dispatch(req);
    };

    let test = Action::new_local({
        let client = client.clone();
        move |req: &VerifyRequest| {
            let client = client.clone();
            let req = req.clone();
            async move { client.verify(&req).await }
        }
    });
    let testing = test.pending();
    Effect::new(move |_| {
        let Some(result) = test.value().get() else {
            return;
        };
        tested.set(Some(match result {
            Ok(VerifyResult {
                state,
                message,
                field,
            }) => {
                let problem = drivers.with_value(|ds| {
                    form.with_untracked(|f| {
                        verify_problem(state, field.as_deref(), f.current_driver(ds))
                    })
                });
                if let Some((k, m)) = problem {
                    errors.update(|e| {
                        e.insert(k, m);
                    });
                }
                Tested {
                    ok: state == State::Ok,
                    text: TestedText::Result(state, message),
                }
            }
            Err(ApiError::Network) => Tested {
                ok: false,
                text: TestedText::Msg(Msg::TestUnreachable),
            },
            Err(ApiError::Validation {
                fields, details, ..
            }) => {
                let (at, _) = drivers.with_value(|ds| {
                    form.with_untracked(|f| {
                        map_server_errors(&fields, &details, f.current_driver(ds))
                    })
                });
                errors.update(|e| e.extend(at));
                Tested {
                    ok: false,
                    text: TestedText::Msg(Msg::TestNeedsFields),
                }
            }
            Err(_) => Tested {
                ok: false,
                text: TestedText::Msg(Msg::TestFailed),
            },
        }));
    });
    let on_test = move |_| {
        if testing.get_untracked() {
            return;
        }
        let (errs, req, driver) = drivers.with_value(|ds| {
            form.with_untracked(|f| {
                (
                    f.validate_credentials(ds),
                    f.to_verify_request(ds),
                    f.current_driver(ds).cloned(),
                )
            })
        });
        if !errs.is_empty() {
            let first = first_invalid(&errs, driver.as_ref());
            errors.update(|e| e.extend(errs));
            tested.set(Some(Tested {
                ok: false,
                text: TestedText::Msg(Msg::TestNeedsFields),
            }));
            if let Some(k) = first {
                focus_id(&k.dom_id());
            }
            return;
        }
        tested.set(None);
        test.dispatch(req);
    };

    let on_back = move |_| {
        if form.with_untracked(FormState::is_dirty) {
            confirm_open.set(true);
        } else {
            leave(list_place.get_untracked());
        }
    };

    let reload = {
        let client = client.clone();
        move |_| {
            let Some(id) = form.with_untracked(FormState::id) else {
                return;
            };
            let client = client.clone();
            reloading.set(true);
            leptos::task::spawn_local(async move {
                let result = client.get(id).await;
                reloading.try_set(false);
                match result {
                    Ok(conn) => {
                        drivers.with_value(|ds| form.try_set(FormState::edit(&conn, ds)));
                        errors.try_set(Errors::new());
                        tested.try_set(None);
                        banner.try_set(None);
                        focus_id("cc-name");
                    }
                    Err(ApiError::NotFound(_)) => {
                        banner.try_set(Some(Banner::Error(Msg::SaveGone)));
                    }
                    Err(ApiError::Network) => {
                        banner.try_set(Some(Banner::Error(Msg::LoadUnreachable)));
                    }
                    Err(_) => {
                        banner.try_set(Some(Banner::Error(Msg::LoadServer)));
                    }
                }
            });
        }
    };

    // Reloading or closing the page with changes asks first, as Back does.
    let unload = window_event_listener_untyped("beforeunload", move |ev| {
        if form
            .try_with_untracked(FormState::is_dirty)
            .unwrap_or(false)
        {
            ev.prevent_default();
            let _ = js_sys::Reflect::set(&ev, &"returnValue".into(), &"".into());
        }
    });
    on_cleanup(move || unload.remove());

    // The browser's own Back with changes asks too. The listener runs before the router's
    // (capture, on the window), puts the form's address back and opens the dialog; Discard
    // then goes back for real.
    let from_history = StoredValue::new(false);
    let pass_pop = StoredValue::new(false);
    let here = web_sys::window().and_then(|w| w.location().href().ok());
    use_back_guard().hold(move |ev| {
        if pass_pop.try_get_value() == Some(true) {
            pass_pop.set_value(false);
            return None;
        }
        // Only a form on the page (an app whose element left the page is not asked).
        let shown = back_ref
            .try_get_untracked()
            .flatten()
            .is_some_and(|b| b.is_connected());
        if !shown
            || !form
                .try_with_untracked(FormState::is_dirty)
                .unwrap_or(false)
        {
            return None;
        }
        ev.stop_immediate_propagation();
        from_history.set_value(true);
        confirm_open.set(true);
        here.clone()
    });

    let driver_id = Memo::new(move |_| form.with(|f| f.driver.clone()));
    let is_edit = form.with_untracked(FormState::is_edit);
    let created_at = match form.with_untracked(|f| f.mode.clone()) {
        Mode::Create => None,
        Mode::Edit { created_at, .. } => Some(created_at),
    };
    // The title follows a reload of someone else's version.
    let title = move || match form.with(|f| f.mode.clone()) {
        Mode::Edit { name, .. } => name,
        Mode::Create => Msg::CreateTitle.text(locale.get()).to_string(),
    };

    let driver_control = if is_edit {
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
        view! {
            <div class="cc-field">
                <Label for_id="cc-driver" text=t(Msg::Driver) required=true/>
                <select id="cc-driver" class="cc-input" aria-required="true"
                    aria-invalid=move || ctx.error(&FieldKey::Driver).is_some().to_string()
                    aria-describedby=move || ctx.error(&FieldKey::Driver).map(|_| "cc-driver-error")
                    on:change=on_change on:blur=move |ev| if !leaves_for_button(&ev) { ctx.check(&FieldKey::Driver) }>
                    <option value="" prop:selected=move || driver_id.get().is_empty()>""</option>
                    {drivers.with_value(|ds| ds.iter().map(|d| {
                        let id = d.id.clone();
                        view! {
                            <option value=d.id.clone() prop:selected=move || driver_id.get() == id>
                                {
                                    let (id, name) = (d.id.clone(), d.name.clone());
                                    move || msg::driver_name(locale.get(), &id, &name)
                                }
                            </option>
                        }
                    }).collect_view())}
                </select>
                <FieldError ctx=ctx key=FieldKey::Driver/>
            </div>
        }
        .into_any()
    };

    let credentials = move || {
        let id = driver_id.get();
        let driver = drivers.with_value(|ds| ds.iter().find(|d| d.id == id).cloned());
        match driver {
            None => {
                view! { <p class="cc-hint cc-choose">{t(Msg::ChooseDriverHint)}</p> }.into_any()
            }
            Some(d) => {
                let env = takes_env_var(&d).then(|| view! { <EnvVarField ctx=ctx/> });
                view! {
                    <fieldset class="cc-credentials">
                        <legend>{t(Msg::Credentials)}</legend>
                        {env}
                        {d.fields.into_iter().map(|f| view! { <CredentialField ctx=ctx field=f/> }).collect_view()}
                        <div class="cc-test">
                            <button type="button" class="cc-btn"
                                aria-busy=move || testing.get().to_string()
                                disabled=move || testing.get()
                                on:click=on_test>
                                {t(Msg::TestConnection)}
                            </button>
                            <p class="cc-test-result" role="status"
                                class:cc-ok=move || tested.with(|t| t.as_ref().is_some_and(|t| t.ok))
                                class:cc-error=move || tested.with(|t| t.as_ref().is_some_and(|t| !t.ok))>
                                {move || if testing.get() {
                                    Some(Msg::FormTesting.text(locale.get()).to_string())
                                } else {
                                    tested.get().map(|t| t.text.render(locale.get()))
                                }}
                            </p>
                        </div>
                    </fieldset>
                }
                .into_any()
            }
        }
    };

    let banner_view = move || {
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
                    <button type="button" class="cc-btn" on:click=reload.clone()
                        disabled=move || reloading.get()>{t(Msg::Reload)}</button>
                </div>
            }
            .into_any(),
        })
    };

    let name_describedby = move || {
        if ctx.error(&FieldKey::Name).is_some() {
            "cc-name-help cc-name-error"
        } else {
            "cc-name-help"
        }
    };

    view! {
        <section class="cc-form" aria-labelledby="cc-form-title">
            <div class="cc-form-head">
                <button type="button" class="cc-btn" node_ref=back_ref on:click=on_back>
                    <span aria-hidden="true">"←"</span>{t(Msg::Back)}
                </button>
                <div class="cc-form-title">
                    <h2 id="cc-form-title">{title}</h2>
                    {created_at.map(|c| {
                        view! { <p class="cc-meta">{move || msg::created(locale.get(), &msg::format::instant(locale.get(), &c))}</p> }
                    })}
                </div>
            </div>
            {health.map(|status| view! { <health::Health status=status/> })}
            {notice.map(|n| view! { <div class="cc-banner cc-banner-info" role="status"><p>{t(n)}</p></div> })}
            {banner_view}
            <form class="cc-form-body" novalidate on:submit=on_submit>
                <p class="cc-hint cc-required-note">{t(Msg::RequiredNote)}</p>
                <div class="cc-field">
                    <Label for_id="cc-name" text=t(Msg::Name) required=true/>
                    <input id="cc-name" class="cc-input" type="text" autocomplete="off"
                        aria-required="true"
                        aria-invalid=move || ctx.error(&FieldKey::Name).is_some().to_string()
                        aria-describedby=name_describedby
                        prop:value=move || form.with(|f| f.name.clone())
                        on:input=move |ev| {
                            let v = event_target_value(&ev);
                            form.update(|f| f.name = v);
                            ctx.recheck(&FieldKey::Name);
                        }
                        on:blur=move |ev| if !leaves_for_button(&ev) { ctx.check(&FieldKey::Name) }/>
                    <p id="cc-name-help" class="cc-hint">{t(Msg::NameHelp)}</p>
                    <FieldError ctx=ctx key=FieldKey::Name/>
                </div>
                {driver_control}
                {credentials}
                <div class="cc-actions">
                    <span class="cc-note" role="status">{move || saving.get().then_some(Msg::Saving.text(locale.get()))}</span>
                    <button type="submit" class="cc-btn cc-btn-primary"
                        aria-busy=move || saving.get().to_string()
                        disabled=move || saving.get()>
                        {t(Msg::Save)}
                    </button>
                </div>
            </form>
            <ConfirmDialog
                open=confirm_open.into()
                id_prefix="cc-discard"
                title=Signal::derive(move || Msg::DiscardTitle.text(locale.get()).to_string())
                cancel=Msg::KeepEditing
                confirm=Msg::Discard
                on_cancel=UnsyncCallback::new(move |()| {
                    confirm_open.set(false);
                    from_history.set_value(false);
                    if let Some(b) = back_ref.get_untracked() {
                        let _ = b.focus();
                    }
                })
                on_confirm=UnsyncCallback::new(move |()| {
                    confirm_open.set(false);
                    if from_history.get_value() {
                        // The browser's Back asked: go where it was going.
                        drivers.with_value(|ds| form.update(|f| f.clear_secrets(ds)));
                        ctx.env_note.set(None);
                        pass_pop.set_value(true);
                        if let Some(h) = web_sys::window().and_then(|w| w.history().ok()) {
                            let _ = h.back();
                        }
                    } else {
                        leave(list_place.get_untracked());
                    }
                })
            >
                <p>{t(Msg::DiscardBody)}</p>
            </ConfirmDialog>
        </section>
    }
}

/// Keys of the fields the form shows now (errors elsewhere go to the banner).
fn shown_keys(
    form: RwSignal<FormState>,
    drivers: StoredValue<Vec<Driver>>,
) -> std::collections::BTreeSet<FieldKey> {
    let mut keys: std::collections::BTreeSet<FieldKey> =
        [FieldKey::Name, FieldKey::Driver].into_iter().collect();
    drivers.with_value(|ds| {
        form.with_untracked(|f| {
            if let Some(d) = f.current_driver(ds) {
                keys.extend(d.fields.iter().map(|x| FieldKey::Field(x.key.clone())));
            }
        })
    });
    keys
}

/// Moves focus to the element with `id` (the first invalid field).
fn focus_id(id: &str) {
    let el = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id(id))
        .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok());
    if let Some(el) = el {
        let _ = el.focus();
    }
}

/// A random Idempotency-Key (128 bits, hex), from `crypto.getRandomValues`, which every
/// browser the app runs in has. Without it (no window) the key is empty and Save sends none.
fn random_key() -> String {
    let mut bytes = [0u8; 16];
    let filled = web_sys::window()
        .and_then(|w| w.crypto().ok())
        .is_some_and(|c| c.get_random_values_with_u8_array(&mut bytes).is_ok());
    if !filled {
        return String::new();
    }
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}
