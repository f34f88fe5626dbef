//! The list screen (route `/`): toolbar, table of connections, states.

use connections_api::{ListQuery, Page};
use leptos::prelude::*;
use leptos_router::hooks::use_navigate;

use crate::api::ApiError;
use crate::app::use_client;
use crate::messages as msg;

#[component]
pub fn ConnectionList() -> impl IntoView {
    let client = use_client();
    let page = LocalResource::new(move || {
        let client = client.clone();
        async move { client.list(&ListQuery::default()).await }
    });
    let loading = move || page.get().is_none();
    let navigate = use_navigate();
    let add = move |_| navigate("/new", Default::default());

    view! {
        <section class="cc-list" aria-label=msg::TAB_TITLE>
            <div class="cc-toolbar" role="toolbar" aria-label=msg::TAB_TITLE>
                <button type="button" class="cc-btn" aria-busy=move || loading().to_string()
                    on:click=move |_| page.refetch()>
                    <span aria-hidden="true" class="cc-icon">"⟳"</span>
                    {msg::REFRESH}
                </button>
                <button type="button" class="cc-btn">{msg::columns(2)}</button>
            </div>
            {move || match page.get() {
                None => view! { <p class="cc-state" role="status">{msg::LOADING}</p> }.into_any(),
                Some(Err(e)) => view! { <ErrorState error=e on_retry=move || page.refetch()/> }.into_any(),
                Some(Ok(p)) => view! { <Table page=p/> }.into_any(),
            }}
            <button type="button" class="cc-btn cc-add" on:click=add>
                <span aria-hidden="true" class="cc-icon">"+"</span>
                {msg::ADD}
            </button>
        </section>
    }
}

#[component]
fn Table(page: Page) -> impl IntoView {
    if page.items.is_empty() {
        return view! {
            <div class="cc-state cc-empty" role="status">
                <p><strong>{msg::EMPTY}</strong></p>
                <p>{msg::EMPTY_HINT}</p>
            </div>
        }
        .into_any();
    }
    view! {
        <table class="cc-table">
            <caption class="cc-visually-hidden">{msg::LIST_CAPTION}</caption>
            <thead>
                <tr>
                    <th scope="col">{msg::COL_ID}</th>
                    <th scope="col">{msg::COL_NAME}</th>
                </tr>
            </thead>
            <tbody>
                {page.items.into_iter().map(|c| view! {
                    <tr>
                        <td class="cc-num">{c.id}</td>
                        <td>{c.name}</td>
                    </tr>
                }).collect_view()}
            </tbody>
        </table>
    }
    .into_any()
}

#[component]
fn ErrorState(error: ApiError, on_retry: impl Fn() + 'static) -> impl IntoView {
    let text = match error {
        ApiError::Network => msg::ERR_UNREACHABLE,
        ApiError::Unauthorized => msg::ERR_UNAUTHORIZED,
        _ => msg::ERR_SERVER,
    };
    view! {
        <div class="cc-state cc-error" role="alert">
            <p>{text}</p>
            <button type="button" class="cc-btn" on:click=move |_| on_retry()>{msg::RETRY}</button>
        </div>
    }
}
