//! What a cell shows of a connection's status and driver, shared by the rows (`rows.rs`) and
//! the list's Test results (`mod.rs`); plain functions.

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

/// Display name of a driver id in `l`: the name `GET /api/drivers` gave (`names`, id →
/// name), in `l`'s words where the catalogue has them; the id if the server named none.
pub fn driver_name(l: Locale, id: &str, names: &[(String, String)]) -> String {
    let fallback = names
        .iter()
        .find(|(i, _)| i == id)
        .map_or(id, |(_, n)| n.as_str());
    msg::driver_name(l, id, fallback)
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
        let names = [
            (
                "cloudinary-default".to_string(),
                "Cloudinary default driver".to_string(),
            ),
            ("s3".to_string(), "Amazon S3".to_string()),
        ];
        assert_eq!(
            driver_name(Locale::De, "cloudinary-default", &names),
            "Cloudinary-Standardtreiber"
        );
        assert_eq!(driver_name(Locale::En, "s3", &names), "Amazon S3");
        assert_eq!(driver_name(Locale::De, "other", &names), "other");
    }
}
