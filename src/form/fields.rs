//! The form's fields: a label, the control, its help and its error, wired with
//! `aria-invalid` and `aria-describedby`.

use crate::cell::{Derived, Stash, Var};
use connections_api::{Driver, Field};
use wasm_bindgen::JsCast;
use web_sys::{Event, FocusEvent, Node};

use super::state::{ErrorText, FieldKey, FormState};
use super::tested::Tested;
use crate::context::use_locale;
use crate::dom::{h, target_value, when, El};
use crate::i18n::{self as msg, t, Locale, Msg};

/// What every field works on; cheap to copy.
#[derive(Clone, Copy)]
pub struct FormCtx {
    pub form: Var<FormState>,
    pub errors: Var<super::state::Errors>,
    pub drivers: Stash<Vec<Driver>>,
    /// The note after the API environment variable filled the fields.
    pub env_note: Var<Option<Msg>>,
    /// The result of Test connection shown now.
    pub tested: Var<Option<Tested>>,
    /// The language errors are shown in.
    pub locale: Derived<Locale>,
}

impl FormCtx {
    /// A credential changed: an earlier Test connection result no longer holds.
    pub fn credentials_changed(&self) {
        if self.tested.with_untracked(Option::is_some) {
            self.tested.set(None);
        }
    }

    /// Checks one field (the user left it) and shows or clears its error.
    pub fn check(&self, key: &FieldKey) {
        let err = self
            .drivers
            .with_value(|ds| self.form.with_untracked(|f| f.validate_one(key, ds)));
        self.errors.update(|m| match err {
            Some(e) => {
                m.insert(key.clone(), e);
            }
            None => {
                m.remove(key);
            }
        });
    }

    /// Re-checks a field as the user types, but only if it already shows an error.
    pub fn recheck(&self, key: &FieldKey) {
        if self.errors.with_untracked(|m| m.contains_key(key)) {
            self.check(key);
        }
    }

    /// The error at `key`, in the current locale.
    pub fn error(&self, key: &FieldKey) -> Option<String> {
        let l = self.locale.get();
        self.errors.with(|m| m.get(key).map(|e| e.render(l)))
    }

    /// Fills the credentials from a pasted API environment variable, or shows
    /// what is wrong with it (and changes nothing).
    pub fn apply_env_var(&self, text: &str) {
        if text.trim().is_empty() {
            self.errors.update(|m| {
                m.remove(&FieldKey::EnvVar);
            });
            return;
        }
        let result = self.drivers.with_value(|ds| {
            let mut out = None;
            self.form.update(|f| {
                f.env_var = text.to_string();
                out = Some(f.apply_env_var(text, ds));
            });
            out
        });
        match result {
            Some(Ok((filled, ignoring))) => {
                self.errors.update(|m| {
                    m.remove(&FieldKey::EnvVar);
                });
                for k in filled {
                    self.check(&FieldKey::Field(k));
                }
                self.env_note.set(Some(if ignoring {
                    Msg::EnvVarFilledIgnoring
                } else {
                    Msg::EnvVarFilled
                }));
                self.credentials_changed();
            }
            Some(Err(e)) => {
                self.env_note.set(None);
                self.errors.update(|m| {
                    m.insert(FieldKey::EnvVar, ErrorText::EnvVar(e));
                });
            }
            None => {}
        }
    }
}

/// Whether focus leaves a field for a button (Save, Back, Test connection).
/// Such a blur shows no error: the button checks the form itself, and an
/// error appearing between mousedown and mouseup would move the button away
/// from under the pointer, so the click would be lost.
pub fn leaves_for_button(ev: &FocusEvent) -> bool {
    ev.related_target()
        .and_then(|t| t.dyn_into::<web_sys::HtmlButtonElement>().ok())
        .is_some()
}

/// `aria-describedby` from the ids that exist (`None` removes the attribute).
fn described_by(ids: Vec<String>) -> Option<String> {
    if ids.is_empty() {
        None
    } else {
        Some(ids.join(" "))
    }
}

/// `maxlength`, where the driver declares one.
fn max_length(el: El, max: Option<u32>) -> El {
    match max {
        Some(m) => el.attr("maxlength", &m.to_string()),
        None => el,
    }
}

/// The error text at a field, when there is one.
pub fn field_error(ctx: FormCtx, key: FieldKey) -> Node {
    let id = format!("{}-error", key.dom_id());
    let shown = key.clone();
    when(
        move || ctx.error(&shown).is_some(),
        move || {
            let key = key.clone();
            h("p")
                .id(&id)
                .class("cc-field-error")
                .child(
                    h("span")
                        .attr("aria-hidden", "true")
                        .class("cc-field-error-icon")
                        .text("!"),
                )
                .text_with(move || ctx.error(&key).unwrap_or_default())
        },
    )
}

/// A field label with its required mark (the mark is not part of the name).
pub fn label<S: Into<String>>(for_id: &str, text: impl Fn() -> S + 'static, required: bool) -> El {
    h("div")
        .class("cc-label-row")
        .child(h("label").attr("for", for_id).text_with(text))
        .child_opt(required.then(|| {
            h("span")
                .class("cc-required")
                .attr("aria-hidden", "true")
                .attr_with("title", t(Msg::Required))
                .text("*")
        }))
}

/// One credential field as its driver declares it: text, secret or choice.
pub fn credential_field(ctx: FormCtx, field: Field) -> El {
    let key = FieldKey::Field(field.key.clone());
    let id = key.dom_id();
    let help_id = format!("{id}-help");
    let stored_id = format!("{id}-stored");
    let error_id = format!("{id}-error");
    let keeps = ctx.form.with_untracked(|f| f.keeps_secret(&field));
    let driver_id = ctx.form.with_untracked(|f| f.driver.clone());
    let locale = ctx.locale;
    // The driver's texts in the user's language (the server's words for an unknown driver).
    let label_text = {
        let (d, k, fallback) = (driver_id.clone(), field.key.clone(), field.label.clone());
        move || msg::field_label(locale.get(), &d, &k, &fallback)
    };
    let has_help = field.help.is_some();
    let describedby = {
        let key = key.clone();
        let (help_id, stored_id, error_id) = (help_id.clone(), stored_id.clone(), error_id.clone());
        move || {
            let mut ids = Vec::new();
            if keeps {
                ids.push(stored_id.clone());
            }
            if has_help {
                ids.push(help_id.clone());
            }
            if ctx.error(&key).is_some() {
                ids.push(error_id.clone());
            }
            described_by(ids)
        }
    };
    let invalid = {
        let key = key.clone();
        move || ctx.error(&key).is_some().to_string()
    };
    let value = {
        let k = field.key.clone();
        move || ctx.form.with(|f| f.value(&k))
    };
    let on_input = {
        let (k, key) = (field.key.clone(), key.clone());
        move |ev: Event| {
            let v = target_value(&ev);
            ctx.form.update(|f| f.set_value(&k, v));
            ctx.credentials_changed();
            ctx.recheck(&key);
        }
    };
    let on_blur = {
        let key = key.clone();
        move |ev: FocusEvent| {
            if !leaves_for_button(&ev) {
                ctx.check(&key)
            }
        }
    };
    let required = field.required && !keeps;

    let control = if let Some(choices) = field.choices.clone() {
        let empty_choice =
            (!field.required && field.default.is_none()).then(|| h("option").attr("value", ""));
        let on_change = on_input.clone();
        let options = choices.into_iter().map(|c| {
            let selected = {
                let (k, v) = (field.key.clone(), c.value.clone());
                move || ctx.form.with(|f| f.value(&k) == v)
            };
            let text = {
                let (d, k, v) = (driver_id.clone(), field.key.clone(), c.value.clone());
                move || msg::choice_label(locale.get(), &d, &k, &v, &c.label)
            };
            h("option")
                .attr("value", &c.value)
                .flag_with("selected", selected)
                .text_with(text)
        });
        h("select")
            .id(&id)
            .class("cc-input")
            .attr_with("aria-invalid", invalid)
            .attr_opt("aria-describedby", describedby)
            .attr("aria-required", &field.required.to_string())
            .on("change", on_change)
            .on_as("blur", on_blur)
            .child_opt(empty_choice)
            .children(options)
    } else if field.secret {
        let shown = Var::new(false);
        // Not `type=password`: Chromium offers its password manager and generator on
        // every password field whatever `autocomplete` says (and treats a field that
        // once was one as one still). A text field masked by `-webkit-text-security`
        // (`.cc-masked`) is not a password to it; `autocomplete="off"` keeps the
        // autofill of other values out, the `data-*` attributes the common managers.
        let input = h("input")
            .id(&id)
            .class("cc-input cc-secret-input")
            .attr("type", "text")
            .class_if("cc-masked", move || !shown.get())
            .attr("autocomplete", "off")
            .attr("spellcheck", "false")
            .attr("autocapitalize", "off")
            .attr("data-1p-ignore", "")
            .attr("data-lpignore", "true")
            .attr("data-bwignore", "")
            .attr("data-form-type", "other")
            .attr("aria-required", &required.to_string())
            .attr_with("aria-invalid", invalid)
            .attr_opt("aria-describedby", describedby);
        let input = max_length(input, field.max_length)
            .value_with(value)
            .on("input", on_input)
            .on_as("blur", on_blur);
        let toggle_label = {
            let label_text = label_text.clone();
            move || msg::show_secret(locale.get(), &label_text())
        };
        h("div").class("cc-secret").child(input).child(
            h("button")
                .attr("type", "button")
                .class("cc-btn cc-toggle")
                .attr_with("aria-label", toggle_label)
                .attr_with("aria-pressed", move || shown.get().to_string())
                .attr("aria-controls", &id)
                .on("click", move |_| shown.update(|s| *s = !*s))
                .text_with(move || {
                    if shown.get() { Msg::Hide } else { Msg::Show }.text(locale.get())
                }),
        )
    } else {
        let input = h("input")
            .id(&id)
            .class("cc-input")
            .attr("type", "text")
            .attr("autocomplete", "off")
            .attr("spellcheck", "false")
            .attr("autocapitalize", "off")
            .attr("aria-required", &required.to_string())
            .attr_with("aria-invalid", invalid)
            .attr_opt("aria-describedby", describedby);
        max_length(input, field.max_length)
            .value_with(value)
            .on("input", on_input)
            .on_as("blur", on_blur)
    };

    let stored = keeps.then(|| {
        h("p")
            .id(&stored_id)
            .class("cc-hint cc-stored")
            .text_with(t(Msg::SecretStored))
    });
    let help = field.help.clone().map(|help| {
        let (d, k) = (driver_id.clone(), field.key.clone());
        let text = move || msg::field_help(locale.get(), &d, &k, &help);
        h("p").id(&help_id).class("cc-hint").text_with(text)
    });
    h("div")
        .class("cc-field")
        .child(label(&id, label_text, required))
        .child(control)
        .child_opt(stored)
        .child_opt(help)
        .child(field_error(ctx, key))
}

/// The API environment variable: pasting (or entering) it fills the credentials.
pub fn env_var_field(ctx: FormCtx) -> El {
    let locale = use_locale();
    let key = FieldKey::EnvVar;
    let id = key.dom_id();
    let help_id = format!("{id}-help");
    let error_id = format!("{id}-error");
    let note_id = format!("{id}-note");
    let describedby = {
        let (help_id, error_id) = (help_id.clone(), error_id.clone());
        move || {
            let mut ids = vec![help_id.clone()];
            if ctx.error(&FieldKey::EnvVar).is_some() {
                ids.push(error_id.clone());
            }
            described_by(ids)
        }
    };
    let on_input = move |ev: Event| {
        let v = target_value(&ev);
        let input_type = ev
            .dyn_ref::<web_sys::InputEvent>()
            .map(|e| e.input_type())
            .unwrap_or_default();
        ctx.env_note.set(None);
        if input_type.starts_with("insertFrom") || input_type == "insertReplacementText" {
            // Pasted or dropped: fill at once.
            ctx.apply_env_var(&v);
        } else {
            ctx.form.update(|f| f.env_var = v);
            ctx.errors.update(|m| {
                m.remove(&FieldKey::EnvVar);
            });
        }
    };
    let on_change = move |ev: Event| ctx.apply_env_var(&target_value(&ev));
    let on_keydown = move |ev: web_sys::KeyboardEvent| {
        if ev.key() == "Enter" {
            // Enter fills the fields instead of submitting the form.
            ev.prevent_default();
            ctx.apply_env_var(&target_value(&ev));
        }
    };
    let note = move || {
        ctx.env_note
            .get()
            .map(|m| m.text(locale.get()))
            .unwrap_or_default()
    };
    h("div")
        .class("cc-field cc-env")
        .child(label(&id, t(Msg::EnvVar), false))
        .child(
            h("input")
                .id(&id)
                .class("cc-input cc-mono")
                .attr("type", "text")
                .attr("autocomplete", "off")
                .attr("spellcheck", "false")
                .attr("autocapitalize", "off")
                .attr(
                    "placeholder",
                    "cloudinary://<api_key>:<api_secret>@<cloud_name>",
                )
                .attr_with("aria-invalid", move || {
                    ctx.error(&FieldKey::EnvVar).is_some().to_string()
                })
                .attr_opt("aria-describedby", describedby)
                .value_with(move || ctx.form.with(|f| f.env_var.clone()))
                .on("input", on_input)
                .on("change", on_change)
                .on_as("keydown", on_keydown),
        )
        .child(
            h("p")
                .id(&help_id)
                .class("cc-hint")
                .text_with(t(Msg::EnvVarHelp)),
        )
        .child(field_error(ctx, key))
        .child(
            h("p")
                .id(&note_id)
                .class("cc-note")
                .attr("role", "status")
                .text_with(note),
        )
}
