//! The Connection view (routes `/new` and `/{id}`): create and edit a
//! connection, with the driver's Credentials, paste-to-fill, validation at the
//! fields and safe saving.
//!
//! One idea per file: `view.rs` ([`connection_view`]) reads the route and loads the drivers
//! and the connection; this file's [`connection_form`] is the form itself (its state, Save,
//! Test, leaving) and takes them as parameters (the browser tests mount it with data in
//! memory).
//! Its sections: `header.rs` (Back, title, created, health via `health.rs`; the Save row),
//! `driver.rs` (the Driver control), `credentials.rs` (the Credentials block that appears
//! once a driver is picked, with Test connection), `fields.rs` (one field: label, control,
//! help, error), `banner.rs` (the message after Save), `tested.rs` (Test's outcome),
//! `dom.rs` (focus, random keys). The rules live in [`state`]; the discard dialog is the
//! app's one [`Confirm`](crate::dialog::Confirm).

mod banner;
mod credentials;
mod dom;
mod driver;
mod fields;
mod header;
mod health;
pub mod history;
pub mod state;
mod tested;
mod view;

use crate::cell::{Calc, Derived, Stash, Var};
use connections_api::{Connection, ConnectionInput, Driver, State, VerifyRequest, VerifyResult};
use leptos::prelude::*;
use web_sys::{Event, FocusEvent, Node, SubmitEvent};

use crate::api::ApiError;
use crate::context::{use_client, use_list_place, use_locale};
use crate::dialog::Confirm;
use crate::dom::{h, target_value, El, Slot};
use crate::history_guard::use_back_guard;
use crate::host::events::HostEvent;
use crate::i18n::{t, Msg};
use banner::{banner_view, Banner};
use credentials::credentials;
use dom::{focus_id, random_key};
use driver::driver_control;
use fields::{field_error, label, leaves_for_button, FormCtx};
use header::{actions, form_header};
use state::{first_invalid, map_server_errors, verify_problem, ErrorText, Errors, FieldKey};
pub use state::{FormState, Idempotency, Mode};
use tested::{Tested, TestedText};
pub use view::connection_view;

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

/// The create and edit form in its `<section>`: a new draft, or with `connection` the
/// stored connection to edit.
pub fn connection_form(drivers: Vec<Driver>, connection: Option<Connection>) -> El {
    let section = h("section")
        .class("cc-form")
        .attr("aria-labelledby", "cc-form-title");
    form_parts(drivers, connection, false, None)
        .into_iter()
        .fold(section, El::child)
}

/// What the form's `<section>` holds. `connection` is the stored connection to edit,
/// or with `duplicate` the one whose copy starts a new draft; `notice` a line above it.
fn form_parts(
    drivers: Vec<Driver>,
    connection: Option<Connection>,
    duplicate: bool,
    notice: Option<Msg>,
) -> Vec<Node> {
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
        form: Var::new(initial),
        errors: Var::new(Errors::new()),
        drivers: Stash::new(drivers),
        env_note: Var::new(None),
        tested: Var::new(None),
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
    let banner = Var::new(None::<Banner>);
    let confirm_open = Var::new(false);
    let reloading = Var::new(false);
    let idempotency = Stash::new(Idempotency::default());
    let back_ref = Slot::new();
    let client = use_client();
    let nav = crate::route::use_nav();
    let list_place = use_list_place();

    // Leaves the view: no secret stays in the state, then the list.
    let leave = move |path: String| {
        drivers.with_value(|ds| form.update(|f| f.clear_secrets(ds)));
        ctx.env_note.set(None);
        nav.push(&path);
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
    crate::erased::effect(move || {
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

    let on_submit = move |ev: SubmitEvent| {
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

    // Test's outcome, shown directly: the result (and a field it points at), or why there is
    // none.
    let show_test = move |result: Result<VerifyResult, ApiError>| {
        tested.set(Some(match result {
            Ok(VerifyResult {
                state,
                message,
                field,
                retry_at,
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
                    text: TestedText::Result(state, message, retry_at),
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
    };
    let test = Action::new_local({
        let client = client.clone();
        move |req: &VerifyRequest| {
            let client = client.clone();
            let req = req.clone();
            async move {
                let result = client.verify(&req).await;
                // The form may have gone meanwhile.
                if !tested.is_disposed() {
                    show_test(result);
                }
            }
        }
    });
    let testing = test.pending();
    // Test's progress and result are heard through the app's one live region.
    let announce = crate::announce::use_announcer();
    crate::erased::effect(move || {
        let l = locale.get();
        if testing.get() {
            announce.say(Msg::FormTesting.text(l));
        } else {
            // A result about values since changed goes from the region too.
            announce.say(tested.get().map(|t| t.text.render(l)).unwrap_or_default());
        }
    });
    on_cleanup(move || announce.say(String::new()));
    let on_test = move |()| {
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

    let on_back = move |()| {
        if form.with_untracked(FormState::is_dirty) {
            confirm_open.set(true);
        } else {
            leave(list_place.get_untracked());
        }
    };

    let reload = {
        let client = client.clone();
        move |()| {
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
    let from_history = Stash::new(false);
    let pass_pop = Stash::new(false);
    let here = web_sys::window().and_then(|w| w.location().href().ok());
    use_back_guard().hold(move |ev| {
        if pass_pop.try_get_value() == Some(true) {
            pass_pop.set_value(false);
            return None;
        }
        // Only a form on the page (an app whose element left the page is not asked).
        let shown = back_ref.get().is_some_and(|b| b.is_connected());
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

    let driver_id = Calc::new(move |_| form.with(|f| f.driver.clone()));
    let is_edit = form.with_untracked(FormState::is_edit);
    let history_id = match form.with_untracked(|f| f.mode.clone()) {
        Mode::Create => None,
        Mode::Edit { id, .. } => Some(id),
    };
    let name_describedby = move || {
        if ctx.error(&FieldKey::Name).is_some() {
            "cc-name-help cc-name-error"
        } else {
            "cc-name-help"
        }
    };

    let name_invalid = move || ctx.error(&FieldKey::Name).is_some().to_string();
    let name_value = move || form.with(|f| f.name.clone());
    let on_name_input = move |ev: Event| {
        let v = target_value(&ev);
        form.update(|f| f.name = v);
        ctx.recheck(&FieldKey::Name);
    };
    let on_name_blur = move |ev: FocusEvent| {
        if !leaves_for_button(&ev) {
            ctx.check(&FieldKey::Name)
        }
    };
    let notice = notice.map(|n| {
        h("div")
            .class("cc-banner cc-banner-info")
            .attr("role", "status")
            .child(h("p").text_with(t(n)))
    });
    let (on_back, reload, on_test) = (
        UnsyncCallback::new(on_back),
        UnsyncCallback::new(reload),
        UnsyncCallback::new(on_test),
    );
    let discard_title = Derived::new(move || Msg::DiscardTitle.text(locale.get()).to_string());
    let keep_editing = UnsyncCallback::new(move |()| {
        confirm_open.set(false);
        from_history.set_value(false);
        if let Some(b) = back_ref.get_as::<web_sys::HtmlElement>() {
            let _ = b.focus();
        }
    });
    let discard = UnsyncCallback::new(move |()| {
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
    });

    let form_el = h("form")
        .class("cc-form-body")
        .attr("novalidate", "")
        .on_as("submit", on_submit)
        .child(
            h("p")
                .class("cc-hint cc-required-note")
                .text_with(t(Msg::RequiredNote)),
        )
        .child(
            h("div")
                .class("cc-field")
                .child(label("cc-name", t(Msg::Name), true))
                .child(
                    h("input")
                        .id("cc-name")
                        .class("cc-input")
                        .attr("type", "text")
                        .attr("autocomplete", "off")
                        .attr("aria-required", "true")
                        .attr_with("aria-invalid", name_invalid)
                        .attr_with("aria-describedby", name_describedby)
                        .value_with(name_value)
                        .on("input", on_name_input)
                        .on_as("blur", on_name_blur),
                )
                .child(
                    h("p")
                        .id("cc-name-help")
                        .class("cc-hint")
                        .text_with(t(Msg::NameHelp)),
                )
                .child(field_error(ctx, FieldKey::Name)),
        )
        .child(driver_control(ctx, driver_id, is_edit))
        .child(credentials(
            ctx,
            driver_id,
            Derived::new(move || testing.get()),
            on_test,
        ))
        .child(actions(Derived::new(move || saving.get())))
        .child(crate::caller::reader_note());
    let dialog = Confirm {
        open: confirm_open.into(),
        id_prefix: "cc-discard",
        title: discard_title,
        cancel: Msg::KeepEditing,
        confirm: Msg::Discard,
        on_cancel: keep_editing,
        on_confirm: discard,
    }
    .build(h("p").text_with(t(Msg::DiscardBody)));

    let mut parts: Vec<Node> = form_header(form, back_ref, on_back, health)
        .into_iter()
        .map(Node::from)
        .collect();
    parts.extend(notice.map(Node::from));
    parts.push(banner_view(banner, reloading, reload));
    parts.push(form_el.into());
    parts.extend(history_id.map(|id| Node::from(history::history(id))));
    parts.push(dialog.into());
    parts
}

/// Keys of the fields the form shows now (errors elsewhere go to the banner).
fn shown_keys(
    form: Var<FormState>,
    drivers: Stash<Vec<Driver>>,
) -> std::collections::BTreeSet<FieldKey> {
    // Inserted, not collected: `collect()` would bring a sort for `FieldKey` (src/inserted.rs).
    let mut keys = std::collections::BTreeSet::new();
    keys.extend([FieldKey::Name, FieldKey::Driver]);
    drivers.with_value(|ds| {
        form.with_untracked(|f| {
            if let Some(d) = f.current_driver(ds) {
                keys.extend(d.fields.iter().map(|x| FieldKey::Field(x.key.clone())));
            }
        })
    });
    keys
}
