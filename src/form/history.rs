//! The History section of the Connection view (German "Verlauf"): who did what
//! when to this connection, newest first, in the user's locale, a page at a time
//! (`GET /api/connections/{id}/history`).

use crate::cell::{Derived, Var};
use connections_api::{Action, Actor, Event, EventPage};

use crate::api::ApiError;
use crate::context::{use_client, use_locale};
use crate::dom::{h, El};
use crate::i18n::{self as msg, t, Locale, Msg};
use crate::loader::Loader;

/// Events per page.
pub const PAGE: u64 = 10;

/// What an event says under "What": the action, the changed fields, the result.
pub fn describe(l: Locale, e: &Event) -> String {
    let action = match e.action {
        Action::Created => Msg::ActionCreated,
        Action::Updated => Msg::ActionUpdated,
        Action::SecretReplaced => Msg::ActionSecretReplaced,
        Action::Verified => Msg::ActionVerified,
        Action::Deleted => Msg::ActionDeleted,
    }
    .text(l);
    let mut out = action.to_string();
    if let Some(changed) = e.changed.as_ref().filter(|c| !c.is_empty()) {
        if e.action == Action::Updated {
            let names: Vec<String> = changed.iter().map(|f| field_label(l, f)).collect();
            out.push_str(": ");
            out.push_str(&names.join(", "));
        }
    }
    if let Some(status) = &e.status {
        out.push_str(": ");
        out.push_str(msg::status_label(l, status.state));
    }
    out
}

/// The label of a changed field's name (`name`, `fields.cloud_name`, …).
fn field_label(l: Locale, field: &str) -> String {
    let m = match field {
        "name" => Msg::ColName,
        "driver" => Msg::ColDriver,
        "fields.cloud_name" => Msg::ColCloudName,
        "fields.api_key" => Msg::ColApiKey,
        other => return other.strip_prefix("fields.").unwrap_or(other).to_string(),
    };
    m.text(l).to_string()
}

/// Who did it: "Scheduled check" for the server itself, the server's own callers without a
/// sign-in (no token: the local administrator; the shared token) in the user's language, and
/// a signed-in user by the name the token gives.
pub fn who(l: Locale, e: &Event) -> String {
    let Some(a) = &e.actor else {
        return Msg::ActorServer.text(l).to_string();
    };
    // The whole actor, not only its id: a JWT's `sub` could be "local".
    if *a == Actor::local() {
        Msg::ActorLocal.text(l).to_string()
    } else if *a == Actor::shared_token() {
        Msg::ActorSharedToken.text(l).to_string()
    } else {
        a.name.clone()
    }
}

/// What the section shows: its content is built again only when this changes (paging
/// keeps the table and its buttons, and the focus on them).
#[derive(Debug, Clone, Copy, PartialEq)]
enum Shown {
    Loading,
    Empty,
    Failed,
    Table,
}

type Page = Loader<Result<EventPage, ApiError>>;

/// The History section of connection `id`.
pub fn history(id: i64) -> El {
    let client = use_client();
    let locale = use_locale();
    let offset = Var::new(0u64);
    let page: Page = Loader::new(move || {
        let client = client.clone();
        let offset = offset.get();
        async move { client.history(id, offset, PAGE).await }
    });
    let shown = move || {
        page.with(|p| match p {
            None => Shown::Loading,
            Some(Err(ApiError::NotFound(_))) => Shown::Empty,
            Some(Err(_)) => Shown::Failed,
            Some(Ok(p)) if p.items.is_empty() => Shown::Empty,
            Some(Ok(_)) => Shown::Table,
        })
    };
    h("section")
        .class("cc-history")
        .attr("aria-labelledby", "cc-history-title")
        .child(h("h3").id("cc-history-title").text_with(t(Msg::History)))
        .region(shown, move |s| match s {
            Shown::Loading => vec![h("p")
                .class("cc-hint")
                .attr("role", "status")
                .text_with(t(Msg::HistoryLoading))],
            Shown::Empty => vec![h("p").class("cc-hint").text_with(t(Msg::HistoryEmpty))],
            Shown::Failed => vec![h("p")
                .class("cc-hint")
                .attr("role", "alert")
                .text_with(t(Msg::HistoryError))],
            Shown::Table => table(page, locale, offset),
        })
}

/// Where the page shown is: its offset, how many it shows, of how many.
fn place(page: Page) -> (u64, u64, u64) {
    page.with(|p| match p {
        Some(Ok(p)) => (p.offset, p.items.len() as u64, p.total),
        _ => (0, 0, 0),
    })
}

/// The table and its pager; they follow the page loaded.
fn table(page: Page, locale: Derived<Locale>, offset: Var<u64>) -> Vec<El> {
    let rows = move || {
        let items = page.with(|p| match p {
            Some(Ok(p)) => p.items.clone(),
            _ => Vec::new(),
        });
        items
            .into_iter()
            .map(|e| {
                let (e1, e2, when) = (e.clone(), e.clone(), e.at.clone());
                let time = move || msg::format::instant(locale.get(), &when);
                let actor = move || who(locale.get(), &e1);
                let what = move || describe(locale.get(), &e2);
                h("tr")
                    .child(h("td").child(h("time").attr("datetime", &e.at).text_with(time)))
                    .child(h("td").text_with(actor))
                    .child(h("td").text_with(what))
            })
            .collect::<Vec<El>>()
    };
    let range = move || {
        let (at, shown, total) = place(page);
        msg::range(locale.get(), at + 1, at + shown, total)
    };
    let older = move || {
        let (at, shown, total) = place(page);
        at + shown < total
    };
    let newer = move || place(page).0 > 0;
    let to_newer = move |_| offset.update(|o| *o = o.saturating_sub(PAGE));
    let to_older = move |_| offset.update(|o| *o += PAGE);
    let th = |m: Msg| h("th").attr("scope", "col").text_with(t(m));
    vec![
        h("table")
            .class("cc-history-table")
            .child(
                h("caption")
                    .class("cc-visually-hidden")
                    .text_with(t(Msg::History)),
            )
            .child(
                h("thead").child(
                    h("tr")
                        .child(th(Msg::HistoryWhen))
                        .child(th(Msg::HistoryWho))
                        .child(th(Msg::HistoryWhat)),
                ),
            )
            .child(h("tbody").dynamic(rows)),
        h("div")
            .class("cc-history-pager")
            .child(h("span").class("cc-count").text_with(range))
            .child(
                h("button")
                    .attr("type", "button")
                    .class("cc-btn")
                    .attr_if("disabled", move || !newer())
                    .on("click", to_newer)
                    .text_with(t(Msg::NewerEvents)),
            )
            .child(
                h("button")
                    .attr("type", "button")
                    .class("cc-btn")
                    .attr_if("disabled", move || !older())
                    .on("click", to_older)
                    .text_with(t(Msg::OlderEvents)),
            ),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;
    use connections_api::{EventStatus, State};

    fn event(action: Action) -> Event {
        Event {
            id: 1,
            connection_id: 7,
            at: "2026-11-26T10:00:00Z".into(),
            actor: Some(Actor {
                id: "ada".into(),
                name: "Ada Lovelace".into(),
            }),
            action,
            changed: None,
            status: None,
        }
    }

    #[test]
    fn events_read_in_both_languages() {
        let mut e = event(Action::Updated);
        e.changed = Some(vec!["name".into(), "fields.cloud_name".into()]);
        assert_eq!(describe(Locale::En, &e), "Changed: Name, Cloud name");
        assert_eq!(describe(Locale::De, &e), "Geändert: Name, Cloud-Name");
        let mut v = event(Action::Verified);
        v.status = Some(EventStatus {
            state: State::InvalidCredentials,
            message: None,
        });
        v.actor = None;
        assert_eq!(describe(Locale::En, &v), "Tested: Invalid credentials");
        assert_eq!(describe(Locale::De, &v), "Getestet: Ungültige Zugangsdaten");
        assert_eq!(who(Locale::De, &v), "Automatische Prüfung");
        assert_eq!(who(Locale::En, &e), "Ada Lovelace");
        assert_eq!(describe(Locale::De, &event(Action::Created)), "Angelegt");
    }

    #[test]
    fn the_servers_own_actors_read_in_the_users_language_and_users_keep_their_names() {
        let mut e = event(Action::Updated);
        e.actor = Some(Actor::local());
        assert_eq!(who(Locale::De, &e), "Lokaler Administrator");
        assert_eq!(who(Locale::En, &e), "Local administrator");
        e.actor = Some(Actor::shared_token());
        assert_eq!(who(Locale::De, &e), "Gemeinsames Token");
        assert_eq!(who(Locale::En, &e), "Shared token");
        // A signed-in user whose `sub` happens to be one of those ids keeps their name.
        e.actor = Some(Actor {
            id: "local".into(),
            name: "Lou Cal".into(),
        });
        assert_eq!(who(Locale::De, &e), "Lou Cal");
        assert_eq!(who(Locale::De, &event(Action::Created)), "Ada Lovelace");
    }
}
