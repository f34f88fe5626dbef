//! The routed view of `/new`, `/new?from=<id>` (Duplicate) and `/{id}`: reads the route,
//! loads the drivers and the connection, then shows [`ConnectionForm`] (or why it cannot).

use connections_api::Connection;
use leptos::prelude::*;

use super::ConnectionForm;
use crate::api::ApiError;
use crate::context::{use_client, use_live};
use crate::i18n::{t, Msg};
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

/// The routed view: loads the drivers (and the connection on edit or
/// duplicate), then shows [`ConnectionForm`].
#[component]
pub fn ConnectionView() -> impl IntoView {
    let nav = use_nav();
    // While the app leaves for the list, the form keeps what it shows until it goes.
    let target = Memo::new(move |prev: Option<&Target>| match nav.screen() {
        Screen::Connection(id) => Target::Edit(id),
        Screen::New => Target::New {
            from: nav.query("from").and_then(|s| s.parse().ok()),
        },
        Screen::List => prev.cloned().unwrap_or(Target::New { from: None }),
    });
    let client = use_client();
    let drivers = crate::loader::Loader::new({
        let client = client.clone();
        move || {
            let client = client.clone();
            async move { client.drivers().await }
        }
    });
    let loaded = crate::loader::Loader::new(move || {
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
    let nav = use_nav();
    let (text, retry) = match error {
        ApiError::NotFound(_) => (Msg::NotFound, false),
        ApiError::Network => (Msg::LoadUnreachable, true),
        ApiError::Unauthorized => (Msg::LoadUnauthorized, true),
        _ => (Msg::LoadServer, true),
    };
    let back = move |_| nav.push("/");
    let retry = retry.then(|| {
        view! {
            <button type="button" class="cc-btn" on:click=move |_| on_retry()>
                {t(Msg::Retry)}
            </button>
        }
    });
    view! {
        <section class="cc-form">
            <div class="cc-form-head">
                <button type="button" class="cc-btn" on:click=back>
                    <span aria-hidden="true">"←"</span>
                    {t(Msg::Back)}
                </button>
            </div>
            <div class="cc-state cc-error" role="alert">
                <p>{t(text)}</p>
                {retry}
            </div>
        </section>
    }
}
