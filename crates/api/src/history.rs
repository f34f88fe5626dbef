//! Who is calling, and the history of a connection (`GET /api/me`,
//! `GET /api/connections/{id}/history`).

use serde::{Deserialize, Serialize};

use crate::State;

/// Who made a change: the caller of a request. In the history, `null` stands
/// for the server itself (scheduled checks).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Actor {
    pub id: String,
    pub name: String,
}

impl Actor {
    /// The caller when the server runs without a token (loopback only).
    pub fn local() -> Actor {
        Actor {
            id: "local".into(),
            name: "Local administrator".into(),
        }
    }

    /// The caller with the shared token.
    pub fn shared_token() -> Actor {
        Actor {
            id: "shared-token".into(),
            name: "Shared token".into(),
        }
    }
}

/// Body of `GET /api/me`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Me {
    pub id: String,
    pub name: String,
    /// Whether the caller may create, change and delete connections.
    pub can_write: bool,
}

/// What an event of the history records.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Action {
    Created,
    Updated,
    SecretReplaced,
    Verified,
    Deleted,
}

impl Action {
    pub fn as_str(self) -> &'static str {
        match self {
            Action::Created => "created",
            Action::Updated => "updated",
            Action::SecretReplaced => "secret_replaced",
            Action::Verified => "verified",
            Action::Deleted => "deleted",
        }
    }

    pub fn parse(s: &str) -> Option<Action> {
        [
            Action::Created,
            Action::Updated,
            Action::SecretReplaced,
            Action::Verified,
            Action::Deleted,
        ]
        .into_iter()
        .find(|a| a.as_str() == s)
    }
}

/// The result a `verified` event records.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct EventStatus {
    pub state: State,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
}

/// One change of a connection. Never holds a secret value.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Event {
    pub id: i64,
    pub connection_id: i64,
    /// RFC 3339 UTC.
    pub at: String,
    /// `null`: the server itself (scheduled checks).
    pub actor: Option<Actor>,
    pub action: Action,
    /// Names of the changed fields (`name`, `fields.cloud_name`, …), never values.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub changed: Option<Vec<String>>,
    /// For `verified`: the result.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<EventStatus>,
}

/// One page of a connection's history, newest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct EventPage {
    pub items: Vec<Event>,
    pub total: u64,
    pub offset: u64,
    pub limit: u64,
}

/// Query of `GET /api/connections/{id}/history`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema, utoipa::IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
pub struct HistoryQuery {
    /// Events to skip (default 0).
    #[cfg_attr(feature = "openapi", param(maximum = 9_223_372_036_854_775_807_u64))]
    pub offset: Option<u64>,
    /// Events per page, 1 to 500 (default 50).
    #[cfg_attr(feature = "openapi", param(minimum = 1, maximum = 500))]
    pub limit: Option<u64>,
}
