//! The Connection view (routes `/new` and `/{id}`).

use leptos::prelude::*;
use leptos_router::hooks::use_navigate;

#[component]
pub fn ConnectionView() -> impl IntoView {
    let navigate = use_navigate();
    view! {
        <section class="cc-form" aria-labelledby="cc-form-title">
            <h2 id="cc-form-title">"Connection"</h2>
            <button type="button" class="cc-btn" on:click=move |_| navigate("/", Default::default())>"Back"</button>
        </section>
    }
}
