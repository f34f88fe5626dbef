//! The edit view's health: the connection's status in words and colour, the message of its
//! last check and when that was (the list's Status column, explained).

use connections_api::Status;

use crate::context::use_locale;
use crate::dom::{h, El};
use crate::i18n::{self as msg, t, Locale, Msg};
use crate::list::{status_class, status_word};

/// The stored connection's status, under the title of the edit view.
pub fn health(status: Status) -> El {
    let locale = use_locale();
    let state = status.state;
    let checked = status.checked_at.clone();
    let message = status.message.clone();
    h("section")
        .class("cc-health")
        .attr("aria-labelledby", "cc-health-title")
        .child(
            h("h3")
                .id("cc-health-title")
                .class("cc-health-title")
                .text_with(t(Msg::Health)),
        )
        .child(
            h("p").child(
                h("span")
                    .class(status_class(state))
                    .child(h("span").class("cc-dot").attr("aria-hidden", "true"))
                    .text_with(move || status_word(locale.get(), state)),
            ),
        )
        .region(
            move || shown_message(locale.get(), message.as_deref()),
            |m| m.map(|m| h("p").class("cc-health-message").text(&m)),
        )
        .child(h("p").class("cc-meta").text_with(move || {
            let l = locale.get();
            let when = checked
                .as_deref()
                .map(|c| msg::format::instant(l, c))
                .unwrap_or_else(|| Msg::Never.text(l).to_string());
            msg::last_checked(l, &when)
        }))
}

/// The server's message of the last check, which is English: shown as Test shows it
/// (`msg::tested`), in English only; other locales have the status in words above it.
fn shown_message(l: Locale, message: Option<&str>) -> Option<String> {
    message
        .filter(|m| l == Locale::En && !m.trim().is_empty())
        .map(str::to_string)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_servers_english_message_shows_in_english_only() {
        let m = Some("Cloudinary accepted the credentials.");
        assert_eq!(shown_message(Locale::En, m).as_deref(), m);
        assert_eq!(shown_message(Locale::De, m), None);
        assert_eq!(shown_message(Locale::En, Some("  ")), None);
        assert_eq!(shown_message(Locale::En, None), None);
    }
}
