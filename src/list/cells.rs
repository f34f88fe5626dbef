//! What a cell shows of a connection's status and driver, shared by the rows (`rows.rs`) and
//! the list's Test results (`mod.rs`); plain functions, no component.

use std::sync::OnceLock;

use connections_api::{State, Status};

use crate::i18n::{self as msg, Locale};

/// The words for a verification state (never colour alone).
pub fn status_word(locale: Locale, state: State) -> &'static str {
    msg::status_label(locale, state)
}

/// CSS class giving the state its colour.
pub fn status_class(state: State) -> &'static str {
    match state {
        State::Ok => "cc-status cc-status-ok",
        State::InvalidCredentials | State::Error => "cc-status cc-status-bad",
        State::RateLimited | State::Unreachable => "cc-status cc-status-warn",
        State::Unverified => "cc-status cc-status-none",
    }
}

/// The newer of a row's status and one a Test returned later (compared by `checked_at`,
/// RFC 3339 UTC, so text order is time order).
pub fn newest<'a>(row: &'a Status, tested: Option<&'a Status>) -> &'a Status {
    match tested {
        Some(t) if t.checked_at >= row.checked_at => t,
        _ => row,
    }
}

/// Display name of a driver id in `l` (the name the drivers declare; the id if unknown).
pub fn driver_name(l: Locale, id: &str) -> String {
    static NAMES: OnceLock<Vec<(String, String)>> = OnceLock::new();
    NAMES
        .get_or_init(|| {
            connections_api::drivers()
                .into_iter()
                .map(|d| (d.id, d.name))
                .collect()
        })
        .iter()
        .find(|(i, _)| i == id)
        .map(|(_, n)| msg::driver_name(l, id, n))
        .unwrap_or_else(|| id.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn status(state: State, at: Option<&str>) -> Status {
        Status {
            state,
            checked_at: at.map(str::to_string),
            ..Status::default()
        }
    }

    #[test]
    fn status_words_are_words() {
        assert_eq!(status_word(Locale::En, State::Ok), "Connected");
        assert_eq!(
            status_word(Locale::En, State::InvalidCredentials),
            "Invalid credentials"
        );
        assert_eq!(status_word(Locale::En, State::RateLimited), "Rate limited");
        assert_eq!(status_word(Locale::En, State::Unreachable), "Unreachable");
        assert_eq!(status_word(Locale::En, State::Unverified), "Not verified");
        assert_eq!(status_word(Locale::En, State::Error), "Error");
        assert!(status_class(State::Ok).contains("cc-status-ok"));
    }

    #[test]
    fn a_later_test_result_wins_over_the_page() {
        let row = status(State::Unverified, None);
        let t = status(State::Ok, Some("2026-01-02T00:00:00Z"));
        assert_eq!(newest(&row, Some(&t)).state, State::Ok);
        assert_eq!(newest(&row, None).state, State::Unverified);
        // A page loaded after the test carries a newer status: the page wins.
        let fresh = status(State::InvalidCredentials, Some("2026-01-03T00:00:00Z"));
        assert_eq!(newest(&fresh, Some(&t)).state, State::InvalidCredentials);
    }

    #[test]
    fn driver_names() {
        assert_eq!(
            driver_name(Locale::En, "cloudinary-default"),
            "Cloudinary default driver"
        );
        assert_eq!(
            driver_name(Locale::De, "cloudinary-default"),
            "Cloudinary-Standardtreiber"
        );
        assert_eq!(driver_name(Locale::De, "other"), "other");
    }
}
