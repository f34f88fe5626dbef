//! The routed view of `/new`, `/new?from=<id>` (Duplicate) and `/{id}`: reads the route,
//! loads the drivers and the connection, then shows the form ([`form_parts`]) or why it
//! cannot.

use crate::cell::Calc;
use connections_api::{Connection, Driver};
use leptos::prelude::*;

use super::form_parts;
use crate::api::ApiError;
use crate::context::{use_client, use_live};
use crate::dom::{h, El, Nodes};
use crate::i18n::{t, Msg};
use crate::loader::Loader;
use crate::route::{use_nav, Screen};

/// What the route asks for.
#[derive(Debug, Clone, PartialEq)]
enum Target {
    New { from: Option<i64> },
    Edit(i64),
}

/// What was loaded for the form.
#[derive(Debug, Clone, PartialEq)]
enum Loaded {
    Blank,
    Edit(Connection),
    Duplicate(Connection),
    DuplicateGone,
}

/// What the view shows.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Phase {
    Loading,
    Failed,
    Form,
}

/// The drivers, loaded.
type Drivers = Loader<Result<Vec<Driver>, ApiError>>;
/// What the route asks for, loaded.
type Wanted = Loader<Result<Loaded, ApiError>>;

/// Which of the three the view shows now (tracked).
fn phase(drivers: Drivers, loaded: Wanted) -> Phase {
    fn state<T>(r: &Option<Result<T, ApiError>>) -> (bool, bool) {
        (matches!(r, Some(Ok(_))), matches!(r, Some(Err(_))))
    }
    let (d_ok, d_failed) = drivers.with(state);
    let (l_ok, l_failed) = loaded.with(state);
    if d_ok && l_ok {
        Phase::Form
    } else if d_failed || l_failed {
        Phase::Failed
    } else {
        Phase::Loading
    }
}

/// The routed view: loads the drivers (and the connection on edit or
/// duplicate), then shows the form. One `<section class="cc-form">` throughout: busy while
/// loading, named by the form's title once the form is in it; its content is built again
/// when what was loaded changes.
pub fn connection_view() -> El {
    let nav = use_nav();
    // While the app leaves for the list, the form keeps what it shows until it goes.
    let target = Calc::new(move |prev: Option<&Target>| match nav.screen() {
        Screen::Connection(id) => Target::Edit(id),
        Screen::New => Target::New {
            from: nav.query("from").and_then(|s| s.parse().ok()),
        },
        Screen::List => prev.cloned().unwrap_or(Target::New { from: None }),
    });
    let client = use_client();
    let drivers = Loader::new({
        let client = client.clone();
        move || {
            let client = client.clone();
            async move { client.drivers().await }
        }
    });
    let loaded = Loader::new(move || {
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
            }
        }
    });
    crate::caller::load_after(move || loaded.with(|l| matches!(l, Some(Ok(_)))));
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

    let section = h("section")
        .class("cc-form")
        .attr_opt("aria-busy", move || {
            (phase(drivers, loaded) == Phase::Loading).then(|| "true".to_string())
        })
        .attr_opt("aria-labelledby", move || {
            (phase(drivers, loaded) == Phase::Form).then(|| "cc-form-title".to_string())
        });
    // Rebuilt when what is shown changes (another connection, another kind of state), not
    // when only an error's text does: Retry (with the focus) stays.
    section.region(
        move || match (drivers.get(), loaded.get()) {
            (Some(Ok(ds)), Some(Ok(l))) => Shown::Form(ds, Box::new(l)),
            (Some(Err(e)), _) | (_, Some(Err(e))) => Shown::Error(error_msg(&e).1),
            _ => Shown::Loading,
        },
        move |shown| match shown {
            Shown::Form(ds, l) => {
                let (connection, duplicate, notice) = match *l {
                    Loaded::Blank => (None, false, None),
                    Loaded::Edit(c) => (Some(c), false, None),
                    Loaded::Duplicate(c) => (Some(c), true, None),
                    Loaded::DuplicateGone => (None, false, Some(Msg::DuplicateGone)),
                };
                Nodes(form_parts(ds, connection, duplicate, notice))
            }
            Shown::Error(offers_retry) => {
                let error = move || match (drivers.get(), loaded.get()) {
                    (Some(Err(e)), _) | (_, Some(Err(e))) => Some(error_msg(&e).0),
                    _ => None,
                };
                load_error(error, offers_retry, retry).into()
            }
            Shown::Loading => h("p")
                .class("cc-state")
                .attr("role", "status")
                .text_with(t(Msg::FormLoading))
                .into(),
        },
    )
}

/// What the view shows: the form for what it loaded, an error (with Retry or not), or that
/// it is loading.
#[derive(Clone, PartialEq)]
enum Shown {
    Loading,
    Error(bool),
    Form(Vec<Driver>, Box<Loaded>),
}

/// The text of a load error, and whether Retry may help.
fn error_msg(error: &ApiError) -> (Msg, bool) {
    match error {
        ApiError::NotFound(_) => (Msg::NotFound, false),
        ApiError::Network => (Msg::LoadUnreachable, true),
        ApiError::Unauthorized => (Msg::LoadUnauthorized, true),
        _ => (Msg::LoadServer, true),
    }
}

/// Why the form cannot be shown (the text `error` gives now), with Back and, where it may
/// help, Retry.
fn load_error(
    error: impl Fn() -> Option<Msg> + 'static,
    retry: bool,
    on_retry: impl Fn() + 'static,
) -> Vec<El> {
    let nav = use_nav();
    let locale = crate::context::use_locale();
    let back = move |_| nav.push("/");
    let retry = retry.then(|| {
        h("button")
            .attr("type", "button")
            .class("cc-btn")
            .on("click", move |_| on_retry())
            .text_with(t(Msg::Retry))
    });
    vec![
        h("div").class("cc-form-head").child(
            h("button")
                .attr("type", "button")
                .class("cc-btn")
                .on("click", back)
                .child(h("span").attr("aria-hidden", "true").text("←"))
                .text_with(t(Msg::Back)),
        ),
        h("div")
            .class("cc-state cc-error")
            .attr("role", "alert")
            .child(h("p").text_with(move || error().map_or("", |m| m.text(locale.get()))))
            .child_opt(retry),
    ]
}
