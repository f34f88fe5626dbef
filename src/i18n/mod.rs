//! Every text a user can see or hear, one catalogue per locale.
//!
//! [`Msg`] names the fixed texts; [`en`] and [`de`] each map every key with an exhaustive
//! `match`, so a text missing in one language does not compile. Texts with parameters are
//! functions here that `match` on the [`Locale`] (again exhaustive). Components read the
//! locale from the live signal ([`crate::context::use_locale`]) through [`t`], so a host's
//! `update({ locale })` re-renders the texts without touching what the user typed.

#[cfg(test)]
mod catalogue;
mod de;
mod en;
pub mod format;
mod problems;

use connections_api::State;

pub use problems::{choice_label, driver_name, env_var_error, field_help, field_label, problem};

pub use crate::locale::Locale;

macro_rules! keys {
    ($($k:ident),* $(,)?) => {
        /// A fixed text of the user interface.
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub enum Msg { $($k),* }

        impl Msg {
            /// Every key (for the catalogue tests).
            pub const ALL: &'static [Msg] = &[$(Msg::$k),*];
        }
    };
}

keys! {
    // The list screen.
    TabTitle, Refresh, Add, AddFirst, Retry, Loading, Empty, EmptyHint, ListCaption,
    ErrUnreachable, ErrUnauthorized, ErrServer,
    ColumnsBar, ResetColumns, ColumnsMinHint, ColumnsOrderHint,
    ColId, ColName, ColDriver, ColCloudName, ColApiKey, ColStatus, ColLastVerified, ColCreated,
    ColUpdated,
    Filter, FilterPlaceholder, ClearFilter, TableHint, SelectAll, SelectionToolbar,
    Edit, Duplicate, Test, Delete, Cancel, Dismiss, Testing, Deleting, Never, DeleteBody,
    Results, Progress, Health, Gone, SavedNote,
    StatusOk, StatusInvalid, StatusRateLimited, StatusUnreachable, StatusUnverified, StatusError,
    Pager, RowsPerPage, FirstPage, PreviousPage, NextPage, LastPage,
    // The Connection view.
    CreateTitle, Back, Save, TestConnection, Reload, Name, NameHelp, Driver, DriverReadonlyHelp,
    ChooseDriverHint, ChooseDriverError, Credentials, Required, RequiredNote,
    EnvVar, EnvVarHelp, EnvVarFilled, EnvVarFilledIgnoring, SecretStored, Show, Hide,
    FormLoading, LoadingDrivers, NotFound, DuplicateGone, LoadUnreachable, LoadUnauthorized,
    LoadServer, Saving, SaveInvalid, SaveUnreachable, SaveUnauthorized, SaveGone, Conflict,
    SaveFailedGeneric, FormTesting, TestUnreachable, TestFailed, TestNeedsFields,
    DiscardTitle, DiscardBody, Discard, KeepEditing,
    // Who may write, the History section and changed rows.
    ReaderNote, History, HistoryLoading, HistoryEmpty, HistoryError, HistoryWhen, HistoryWho,
    HistoryWhat, ActionCreated, ActionUpdated, ActionSecretReplaced, ActionVerified,
    ActionDeleted, ActorServer, ActorLocal, ActorSharedToken, OlderEvents, NewerEvents, ChangedMark,
}

impl Msg {
    /// This text in `locale`.
    pub fn text(self, locale: Locale) -> &'static str {
        match locale {
            Locale::En => en::text(self),
            Locale::De => de::text(self),
        }
    }
}

/// The current locale (the live signal; tracked when read in a reactive scope).
pub fn locale() -> Locale {
    crate::context::use_locale().get()
}

/// A reactive text for views and attributes: re-renders when the locale changes.
/// Call it while building (it reads the locale signal from context).
pub fn t(m: Msg) -> impl Fn() -> &'static str + Copy + Send + Sync + 'static {
    let l = crate::context::use_locale();
    move || m.text(l.get())
}

/// The current text of `m`, untracked (for texts computed in event handlers).
pub fn now(m: Msg) -> &'static str {
    m.text(crate::context::use_locale().get_untracked())
}

/// "Columns (x)": the button that opens the columns bar.
pub fn columns(l: Locale, shown: usize) -> String {
    match l {
        Locale::En => format!("Columns ({shown})"),
        Locale::De => format!("Spalten ({shown})"),
    }
}

/// Accessible name of the button that moves column `col` one place up.
pub fn move_up(l: Locale, col: &str) -> String {
    match l {
        Locale::En => format!("Move {col} up"),
        Locale::De => format!("{col} nach oben verschieben"),
    }
}

/// Accessible name of the button that moves column `col` one place down.
pub fn move_down(l: Locale, col: &str) -> String {
    match l {
        Locale::En => format!("Move {col} down"),
        Locale::De => format!("{col} nach unten verschieben"),
    }
}

/// Shown when the filter matches nothing.
pub fn no_match(l: Locale, q: &str) -> String {
    match l {
        Locale::En => format!("No connections match “{q}”."),
        Locale::De => format!("Keine Verbindung passt zu „{q}“."),
    }
}

/// Accessible name of a row's checkbox.
pub fn select_row(l: Locale, name: &str) -> String {
    match l {
        Locale::En => format!("Select {name}"),
        Locale::De => format!("{name} auswählen"),
    }
}

/// The editing toolbar's count ("2 selected", "2 ausgewählt"; reads right for any count).
pub fn selected(l: Locale, n: usize) -> String {
    match l {
        Locale::En => format!("{n} selected"),
        Locale::De => format!("{n} ausgewählt"),
    }
}

/// Title of the delete confirmation.
pub fn delete_title(l: Locale, n: usize) -> String {
    match (l, n) {
        (Locale::En, 1) => "Delete 1 connection?".into(),
        (Locale::En, n) => format!("Delete {n} connections?"),
        (Locale::De, 1) => "1 Verbindung löschen?".into(),
        (Locale::De, n) => format!("{n} Verbindungen löschen?"),
    }
}

/// Last line of a shortened list of names.
pub fn and_more(l: Locale, n: usize) -> String {
    match l {
        Locale::En => format!("and {n} more"),
        Locale::De => format!("und {n} weitere"),
    }
}

pub fn deleted(l: Locale, name: &str) -> String {
    match l {
        Locale::En => format!("Deleted “{name}”."),
        Locale::De => format!("„{name}“ wurde gelöscht."),
    }
}

pub fn delete_failed(l: Locale, name: &str, reason: &str) -> String {
    match l {
        Locale::En => format!("Could not delete “{name}”: {reason}"),
        Locale::De => format!("„{name}“ konnte nicht gelöscht werden: {reason}"),
    }
}

/// The list's result line of a test.
pub fn tested_row(l: Locale, name: &str, status: &str) -> String {
    match l {
        Locale::En => format!("Tested “{name}”: {status}."),
        Locale::De => format!("„{name}“ getestet: {status}."),
    }
}

pub fn test_failed(l: Locale, name: &str, reason: &str) -> String {
    match l {
        Locale::En => format!("Could not test “{name}”: {reason}"),
        Locale::De => format!("„{name}“ konnte nicht getestet werden: {reason}"),
    }
}

/// Where a bulk Test or Delete is ("Testing: 12 of 40").
pub fn bulk_progress(l: Locale, delete: bool, done: usize, total: usize) -> String {
    match (l, delete) {
        (Locale::En, false) => format!("Testing: {done} of {total}"),
        (Locale::En, true) => format!("Deleting: {done} of {total}"),
        (Locale::De, false) => format!("Test läuft: {done} von {total}"),
        (Locale::De, true) => format!("Löschen läuft: {done} von {total}"),
    }
}

/// The end of a bulk Test or Delete: what was done, what failed, what a Cancel left out.
pub fn bulk_summary(l: Locale, delete: bool, ok: usize, failed: usize, skipped: usize) -> String {
    let mut parts = Vec::new();
    let head = match (l, delete) {
        (Locale::En, false) => "Test finished",
        (Locale::En, true) => "Delete finished",
        (Locale::De, false) => "Test beendet",
        (Locale::De, true) => "Löschen beendet",
    };
    parts.push(match (l, delete) {
        (Locale::En, false) => format!("{ok} tested"),
        (Locale::En, true) => format!("{ok} deleted"),
        (Locale::De, false) => format!("{ok} getestet"),
        (Locale::De, true) => format!("{ok} gelöscht"),
    });
    if failed > 0 {
        parts.push(match (l, delete) {
            (Locale::En, false) => format!("{failed} could not be tested"),
            (Locale::En, true) => format!("{failed} could not be deleted"),
            (Locale::De, false) => format!("{failed} nicht getestet (Fehler)"),
            (Locale::De, true) => format!("{failed} nicht gelöscht (Fehler)"),
        });
    }
    if skipped > 0 {
        parts.push(match l {
            Locale::En => format!("{skipped} not started (cancelled)"),
            Locale::De => format!("{skipped} nicht begonnen (abgebrochen)"),
        });
    }
    format!("{head}: {}.", parts.join(", "))
}

/// Announced when the list shows the row the form just saved.
pub fn saved_announce(l: Locale, name: &str) -> String {
    match l {
        Locale::En => format!("“{name}” was saved."),
        Locale::De => format!("„{name}“ wurde gespeichert."),
    }
}

/// The pager's "from–to of total" ("0-0 of 0" when empty).
pub fn range(l: Locale, from: u64, to: u64, total: u64) -> String {
    let (from, to, total) = (
        format::number(l, from),
        format::number(l, to),
        format::number(l, total),
    );
    match l {
        Locale::En => format!("{from}-{to} of {total}"),
        Locale::De => format!("{from}-{to} von {total}"),
    }
}

/// When the connection was last verified (the edit view's health).
pub fn last_checked(l: Locale, when: &str) -> String {
    match l {
        Locale::En => format!("Last checked: {when}"),
        Locale::De => format!("Zuletzt geprüft: {when}"),
    }
}

/// The creation date under the title.
pub fn created(l: Locale, date: &str) -> String {
    match l {
        Locale::En => format!("Created {date}"),
        Locale::De => format!("Angelegt {date}"),
    }
}

/// Name of a duplicated draft.
pub fn copy_name(l: Locale, name: &str) -> String {
    match l {
        Locale::En => format!("{name} (copy)"),
        Locale::De => format!("{name} (Kopie)"),
    }
}

/// Accessible name of the show/hide toggle of a secret field.
pub fn show_secret(l: Locale, label: &str) -> String {
    match l {
        Locale::En => format!("Show {label}"),
        Locale::De => format!("{label} anzeigen"),
    }
}

/// A save refused by the server for another reason (5xx …). The server's detail is English,
/// so it is added in English only.
pub fn save_failed(l: Locale, detail: &str) -> String {
    if detail.is_empty() || l != Locale::En {
        return Msg::SaveFailedGeneric.text(l).into();
    }
    match l {
        Locale::En => format!("The connection was not saved: {detail} Everything you entered is still here; click Save again in a moment."),
        Locale::De => format!("Die Verbindung wurde nicht gespeichert: {detail} Ihre Eingaben sind noch da; klicken Sie gleich noch einmal auf Speichern."),
    }
}

/// The label of a verification state (the list's words).
pub fn status_label(l: Locale, state: State) -> &'static str {
    match state {
        State::Ok => Msg::StatusOk,
        State::InvalidCredentials => Msg::StatusInvalid,
        State::RateLimited => Msg::StatusRateLimited,
        State::Unreachable => Msg::StatusUnreachable,
        State::Unverified => Msg::StatusUnverified,
        State::Error => Msg::StatusError,
    }
    .text(l)
}

/// The result of Test connection ("Connected", "Invalid credentials: …"): from the state;
/// the server's detail is English, so it is added in English only.
pub fn tested(l: Locale, state: State, detail: Option<&str>) -> String {
    let label = status_label(l, state);
    match detail.filter(|d| l == Locale::En && !d.trim().is_empty()) {
        Some(d) => format!("{label}: {d}"),
        None => label.to_string(),
    }
}

/// The result of a verification that met a rate limit ending at `retry_at` (RFC 3339), the
/// time in the user's language ("Limit erreicht: wieder möglich ab 25.11.2026, 12:00.").
pub fn retry_after(l: Locale, state: State, retry_at: &str) -> String {
    let label = status_label(l, state);
    let at = format::instant(l, retry_at);
    match l {
        Locale::En => format!("{label}: try again after {at}."),
        Locale::De => format!("{label}: wieder möglich ab {at}."),
    }
}

/// A verification problem at the field it lies in.
pub fn verify_field_problem(l: Locale, state: State, key: &str, label: &str) -> String {
    match (l, state, key) {
        (Locale::En, State::InvalidCredentials, "cloud_name") => {
            format!("Cloudinary does not know this {label}. Copy it from your Cloudinary dashboard.")
        }
        (Locale::En, State::InvalidCredentials, _) => format!(
            "Cloudinary rejected this {label} together with the API-Secret. Copy both from the API Keys page of your Cloudinary Console."
        ),
        (Locale::En, _, _) => format!("Cloudinary reported a problem with this {label}."),
        (Locale::De, State::InvalidCredentials, "cloud_name") => {
            format!("Cloudinary kennt diesen {label} nicht. Kopieren Sie ihn aus Ihrem Cloudinary-Dashboard.")
        }
        (Locale::De, State::InvalidCredentials, _) => format!(
            "Cloudinary hat diesen {label} zusammen mit dem API-Secret abgelehnt. Kopieren Sie beide von der Seite „API Keys“ Ihrer Cloudinary-Konsole."
        ),
        (Locale::De, _, _) => format!("Cloudinary hat ein Problem mit diesem {label} gemeldet."),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Keys whose German text is rightly the same as the English one.
    const SAME_IN_BOTH: &[Msg] = &[
        Msg::ColId,
        Msg::ColName,
        Msg::ColStatus,
        Msg::Name,
        Msg::Filter,
    ];

    #[test]
    fn every_key_renders_in_both_locales() {
        for &m in Msg::ALL {
            for l in [Locale::En, Locale::De] {
                assert!(!m.text(l).trim().is_empty(), "{m:?} is empty in {l:?}");
            }
            let (en, de) = (m.text(Locale::En), m.text(Locale::De));
            if SAME_IN_BOTH.contains(&m) {
                assert_eq!(en, de, "{m:?}");
            } else {
                assert_ne!(en, de, "{m:?} is not translated");
            }
        }
    }

    #[test]
    fn german_terms_of_the_table() {
        let de = |m: Msg| m.text(Locale::De);
        assert_eq!(de(Msg::TabTitle), "Verbindungen");
        assert_eq!(de(Msg::Refresh), "Aktualisieren");
        assert_eq!(columns(Locale::De, 3), "Spalten (3)");
        assert_eq!(de(Msg::Add), "Hinzufügen");
        assert_eq!(de(Msg::Edit), "Bearbeiten");
        assert_eq!(de(Msg::Duplicate), "Duplizieren");
        assert_eq!(de(Msg::Delete), "Löschen");
        assert_eq!(de(Msg::Test), "Testen");
        assert_eq!(de(Msg::TestConnection), "Verbindung testen");
        assert_eq!(de(Msg::Save), "Speichern");
        assert_eq!(de(Msg::Back), "Zurück");
        assert_eq!(de(Msg::Name), "Name");
        assert_eq!(de(Msg::Driver), "Treiber");
        assert_eq!(de(Msg::Credentials), "Zugangsdaten");
        assert_eq!(de(Msg::EnvVar), "API-Umgebungsvariable");
        assert_eq!(de(Msg::Filter), "Filter");
        assert_eq!(de(Msg::RowsPerPage), "Zeilen pro Seite");
        assert_eq!(range(Locale::De, 1, 25, 40), "1-25 von 40");
        assert_eq!(range(Locale::En, 1, 25, 40), "1-25 of 40");
        assert_eq!(selected(Locale::De, 2), "2 ausgewählt");
        assert_eq!(de(Msg::Empty), "Es wurden noch keine Verbindungen angelegt");
        assert_eq!(de(Msg::CreateTitle), "Verbindung anlegen");
        assert_eq!(de(Msg::StatusOk), "Verbunden");
        assert_eq!(de(Msg::StatusInvalid), "Ungültige Zugangsdaten");
        assert_eq!(de(Msg::StatusRateLimited), "Limit erreicht");
        assert_eq!(de(Msg::StatusUnreachable), "Nicht erreichbar");
        assert_eq!(de(Msg::StatusUnverified), "Nicht geprüft");
        assert_eq!(de(Msg::StatusError), "Fehler");
    }

    #[test]
    fn verification_results_come_from_the_state() {
        assert_eq!(
            tested(Locale::En, State::InvalidCredentials, Some("Bad key.")),
            "Invalid credentials: Bad key."
        );
        assert_eq!(
            tested(Locale::De, State::InvalidCredentials, Some("Bad key.")),
            "Ungültige Zugangsdaten"
        );
        assert!(save_failed(Locale::En, "The disk is full.").contains("The disk is full."));
        assert_eq!(
            save_failed(Locale::De, "The disk is full."),
            Msg::SaveFailedGeneric.text(Locale::De)
        );
    }

    #[test]
    fn a_rate_limits_end_in_each_locale() {
        assert_eq!(
            retry_after(Locale::En, State::RateLimited, "2026-11-25T11:00:00Z"),
            "Rate limited: try again after 2026-11-25 11:00 UTC."
        );
        assert_eq!(
            retry_after(Locale::De, State::RateLimited, "2026-11-25T11:00:00Z"),
            "Limit erreicht: wieder möglich ab 2026-11-25 11:00 UTC."
        );
    }

    #[test]
    fn plural_forms() {
        assert_eq!(delete_title(Locale::En, 1), "Delete 1 connection?");
        assert_eq!(delete_title(Locale::En, 2), "Delete 2 connections?");
        assert_eq!(delete_title(Locale::De, 1), "1 Verbindung löschen?");
        assert_eq!(delete_title(Locale::De, 2), "2 Verbindungen löschen?");
        assert_eq!(selected(Locale::En, 1), "1 selected");
        assert_eq!(selected(Locale::En, 2), "2 selected");
        assert_eq!(selected(Locale::De, 1), "1 ausgewählt");
        assert_eq!(selected(Locale::De, 2), "2 ausgewählt");
        assert_eq!(and_more(Locale::De, 3), "und 3 weitere");
    }

    #[test]
    fn parameterised_texts_differ_by_locale() {
        type F = fn(Locale) -> String;
        let all: &[F] = &[
            |l| columns(l, 3),
            |l| move_up(l, "X"),
            |l| move_down(l, "X"),
            |l| no_match(l, "q"),
            |l| select_row(l, "X"),
            |l| and_more(l, 2),
            |l| deleted(l, "X"),
            |l| delete_failed(l, "X", "r"),
            |l| tested_row(l, "X", "s"),
            |l| test_failed(l, "X", "r"),
            |l| saved_announce(l, "X"),
            |l| created(l, "d"),
            |l| last_checked(l, "d"),
            |l| copy_name(l, "X"),
            |l| show_secret(l, "X"),
            |l| save_failed(l, ""),
            |l| save_failed(l, "d."),
            |l| save_failed(l, "The disk is full."),
            |l| tested(l, State::Ok, None),
            |l| retry_after(l, State::RateLimited, "2026-11-25T11:00:00Z"),
            |l| verify_field_problem(l, State::InvalidCredentials, "cloud_name", "Cloud-Name"),
            |l| verify_field_problem(l, State::InvalidCredentials, "api_key", "API-Key"),
            |l| verify_field_problem(l, State::Error, "api_key", "API-Key"),
        ];
        for f in all {
            let (en, de) = (f(Locale::En), f(Locale::De));
            assert!(!en.is_empty() && !de.is_empty());
            assert_ne!(en, de);
        }
    }
}
