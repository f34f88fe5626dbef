//! Who the user is (`GET /api/me`) and whether they may add, change and delete
//! connections. A reader (JWT mode without the role `connections:write`) sees no
//! write actions; until the server has answered, and in the modes without roles,
//! everyone may write (the server refuses a reader's change anyway).

use connections_api::Me;
use leptos::prelude::*;

use crate::api::Client;

/// The caller as the server named it; in context under [`crate::App`].
#[derive(Debug, Clone, Copy)]
pub struct Caller {
    me: RwSignal<Option<Me>>,
}

impl Caller {
    /// Asks the server who the caller is now, and again after each change of the host's token.
    pub fn provide(client: Client) {
        let me = RwSignal::new(None);
        provide_context(Caller { me });
        let auth = crate::app::use_live().auth;
        Effect::new(move |_| {
            auth.track();
            let client = client.clone();
            leptos::task::spawn_local(async move {
                if let Ok(m) = client.me().await {
                    me.try_set(Some(m));
                }
            });
        });
    }
}

/// Whether the caller may add, change and delete connections (tracked).
pub fn use_can_write() -> Signal<bool> {
    let caller = use_context::<Caller>();
    Signal::derive(move || {
        caller.is_none_or(|c| c.me.with(|m| m.as_ref().is_none_or(|m| m.can_write)))
    })
}

/// The line that tells a reader why the write actions are missing.
#[component]
pub fn ReaderNote() -> impl IntoView {
    let can_write = use_can_write();
    view! {
        <Show when=move || !can_write.get()>
            <p class="cc-banner cc-banner-info cc-reader-note">{crate::i18n::t(crate::i18n::Msg::ReaderNote)}</p>
        </Show>
    }
}
