//! Who the user is (`GET /api/me`) and whether they may add, change and delete
//! connections. A reader (JWT mode without the role `connections:write`) sees no
//! write actions; until the server has answered, and in the modes without roles,
//! everyone may write (the server refuses a reader's change anyway).
//!
//! The question is asked after a screen's first answer (and again after the host
//! changes the token), with the token the server just accepted: it costs the host
//! no extra token and never races a screen's own token refresh.

use crate::cell::{Derived, Stash, Var};
use connections_api::Me;
use leptos::prelude::*;

use crate::api::Client;
use crate::dom::{h, when};
use web_sys::Node;

/// The caller as the server named it; in context under [`crate::app::app`].
#[derive(Debug, Clone, Copy)]
pub struct Caller {
    me: Var<Option<Me>>,
    /// The host's token count (`Live::auth`) the last question was asked at.
    asked: Stash<Option<u64>>,
    client: Stash<Client>,
    auth: Var<u64>,
}

impl Caller {
    /// Puts an unknown caller into context.
    pub fn provide(client: Client) {
        provide_context(Caller {
            me: Var::new(None),
            asked: Stash::new(None),
            client: Stash::new(client),
            auth: crate::context::use_live().auth,
        });
    }

    /// Asks the server, unless already asked since the host's last token change.
    fn ask(self) {
        let n = self.auth.get_untracked();
        if self.asked.get_value() == Some(n) {
            return;
        }
        self.asked.set_value(Some(n));
        let client = self.client.get_value();
        let me = self.me;
        leptos::task::spawn_local(async move {
            if let Ok(m) = client.me().await {
                me.try_set(Some(m));
            }
        });
    }
}

/// Asks who the caller is once `loaded` holds (a screen's data arrived), and again
/// when it holds after a change of the host's token.
pub fn load_after(loaded: impl Fn() -> bool + 'static) {
    let Some(caller) = use_context::<Caller>() else {
        return;
    };
    crate::erased::effect(move || {
        caller.auth.track();
        if loaded() {
            caller.ask();
        }
    });
}

/// Whether the caller may add, change and delete connections (tracked).
pub fn use_can_write() -> Derived<bool> {
    let caller = use_context::<Caller>();
    Derived::new(move || {
        caller.is_none_or(|c| c.me.with(|m| m.as_ref().is_none_or(|m| m.can_write)))
    })
}

/// The line that tells a reader why the write actions are missing.
pub fn reader_note() -> Node {
    let can_write = use_can_write();
    let note = crate::i18n::t(crate::i18n::Msg::ReaderNote);
    when(
        move || !can_write.get(),
        move || {
            h("p")
                .class("cc-banner cc-banner-info cc-reader-note")
                .text_with(note)
        },
    )
}
