//! A list page's JSON written straight from its rows: `fields` is stored as the
//! JSON it is sent as, so it is copied, not parsed and written again; of the
//! encrypted secrets only the keys are read. The same JSON as [`Page`] of
//! [`connections_api::Connection`]s (a test below compares them).

use connections_api::State;
use serde::Serialize;
use serde_json::value::RawValue;

use super::ListRow;

/// A page as `GET /api/connections` sends it.
#[derive(Serialize)]
pub(super) struct PageJson<'a> {
    pub items: Vec<ItemJson<'a>>,
    pub total: u64,
    pub offset: u64,
    pub limit: u64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub prev: Option<String>,
}

#[derive(Serialize)]
pub(super) struct ItemJson<'a> {
    id: i64,
    name: &'a str,
    driver: &'a str,
    fields: &'a RawValue,
    secrets_set: Vec<String>,
    status: StatusJson<'a>,
    created_at: &'a str,
    updated_at: &'a str,
    version: i64,
}

#[derive(Serialize)]
struct StatusJson<'a> {
    state: State,
    #[serde(skip_serializing_if = "Option::is_none")]
    message: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    checked_at: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    field: Option<&'a str>,
}

/// `{}` for a `fields` column that is not JSON (never written so).
fn empty() -> &'static RawValue {
    serde_json::from_str("{}").unwrap_or_else(|_| unreachable!("{{}} is JSON"))
}

impl<'a> ItemJson<'a> {
    pub fn of(list_row: &'a ListRow) -> ItemJson<'a> {
        let row = &list_row.row;
        ItemJson {
            id: row.id,
            name: &row.name,
            driver: &row.driver,
            fields: serde_json::from_str(&row.fields).unwrap_or_else(|_| empty()),
            secrets_set: row.secret_keys(),
            status: StatusJson {
                state: State::parse(&row.status_state).unwrap_or_default(),
                message: row.status_message.as_deref(),
                checked_at: row.checked_at.as_deref(),
                field: row.status_field.as_deref(),
            },
            created_at: &row.created_at,
            updated_at: &row.updated_at,
            version: row.version,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::Row;

    #[test]
    fn an_item_is_the_json_of_its_connection() {
        for (fields, secrets, message) in [
            (
                r#"{"cloud_name":"demo","region":"eu \"x\""}"#,
                r#"{"api_secret":"v2.abc"}"#,
                Some("no"),
            ),
            ("{}", "{}", None),
        ] {
            let row = ListRow {
                row: Row {
                    id: 7,
                    name: "Shop \u{e9}".into(),
                    driver: "cloudinary-default".into(),
                    fields: fields.into(),
                    secrets: secrets.into(),
                    status_state: "invalid_credentials".into(),
                    status_message: message.map(str::to_string),
                    status_field: message.map(|_| "api_key".to_string()),
                    checked_at: message.map(|_| "2026-11-26T10:00:00Z".to_string()),
                    created_at: "2026-11-25T10:00:00Z".into(),
                    updated_at: "2026-11-26T10:00:00Z".into(),
                    version: 3,
                },
                sort_value: None,
            };
            let ours: serde_json::Value = serde_json::to_value(ItemJson::of(&row)).expect("json");
            let theirs = serde_json::to_value(row.row.to_connection()).expect("json");
            assert_eq!(ours, theirs);
        }
    }
}
