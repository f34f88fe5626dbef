//! The outcome of Test connection, as the form shows it: good or not, and its words in the
//! current locale. A result is about the values it tested: any change of a credential drops
//! it (`FormCtx::credentials_changed`).

use connections_api::State;

use crate::i18n::{self as msg, Locale, Msg};

/// The outcome of Test connection.
#[derive(Debug, Clone, PartialEq)]
pub struct Tested {
    pub ok: bool,
    pub text: TestedText,
}

/// What Test connection shows, rendered in the current locale.
#[derive(Debug, Clone, PartialEq)]
pub enum TestedText {
    Msg(Msg),
    /// The verification state, the server's detail and when a rate limit ends.
    Result(State, Option<String>, Option<String>),
}

impl TestedText {
    pub fn render(&self, l: Locale) -> String {
        match self {
            TestedText::Msg(m) => m.text(l).into(),
            TestedText::Result(state, detail, retry_at) => match retry_at {
                Some(at) => msg::retry_after(l, *state, at),
                None => msg::tested(l, *state, detail.as_deref()),
            },
        }
    }
}
