//! Request and response bodies, exactly as `api.md` names them.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// A driver the server offers, with the fields its connections declare.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Driver {
    pub id: String,
    pub name: String,
    pub fields: Vec<Field>,
}

/// One credential field a driver declares.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Field {
    pub key: String,
    pub label: String,
    pub secret: bool,
    pub required: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_length: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub help: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub choices: Option<Vec<Choice>>,
    /// Value used when the field is left empty (only for fields that are not required).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default: Option<String>,
    /// How the value is checked; the app and the server apply the same rule.
    #[serde(default)]
    pub format: Format,
}

/// One option of a field with fixed choices.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Choice {
    pub value: String,
    pub label: String,
}

/// The format rule of a field.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Format {
    /// Any text up to `max_length`.
    #[default]
    Text,
    /// 2–128 letters, digits and `-`, starting with a letter (Cloudinary cloud name).
    CloudName,
    /// Digits only (Cloudinary API key).
    Digits,
    /// Letters, digits, `-` and `_` (Cloudinary API secret).
    Token,
    /// One of the field's `choices`.
    Choice,
}

/// Last verification result of a connection.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum State {
    Ok,
    InvalidCredentials,
    RateLimited,
    Unreachable,
    #[default]
    Unverified,
    Error,
}

impl State {
    /// The wire name (`"ok"`, `"invalid_credentials"`, …).
    pub fn as_str(self) -> &'static str {
        match self {
            State::Ok => "ok",
            State::InvalidCredentials => "invalid_credentials",
            State::RateLimited => "rate_limited",
            State::Unreachable => "unreachable",
            State::Unverified => "unverified",
            State::Error => "error",
        }
    }

    /// Parses a wire name; unknown names are `None`.
    pub fn parse(s: &str) -> Option<State> {
        [
            State::Ok,
            State::InvalidCredentials,
            State::RateLimited,
            State::Unreachable,
            State::Unverified,
            State::Error,
        ]
        .into_iter()
        .find(|st| st.as_str() == s)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Status {
    pub state: State,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub checked_at: Option<String>,
    /// Key of the field the problem most likely lies in (`cloud_name` for an unknown
    /// cloud, `api_key` for rejected credentials), so the form can point at it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    /// When a rate limit ends (RFC 3339, UTC): with `rate_limited` when Cloudinary named its
    /// reset time, in the answer of the verification that met the limit (a status stored
    /// earlier keeps the time in `message` only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retry_at: Option<String>,
}

/// A stored connection as the server returns it. Secret values are never part of it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Connection {
    pub id: i64,
    pub name: String,
    pub driver: String,
    /// Non-secret field values only.
    pub fields: BTreeMap<String, String>,
    /// Keys of secret fields that hold a value.
    pub secrets_set: Vec<String>,
    pub status: Status,
    pub created_at: String,
    pub updated_at: String,
    pub version: i64,
}

/// Body of create and update: all fields, secrets included. `Debug` shows the
/// field keys, never their values (see `redact.rs`).
#[derive(Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ConnectionInput {
    pub name: String,
    pub driver: String,
    #[serde(default)]
    pub fields: BTreeMap<String, String>,
}

/// One page of the list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Page {
    pub items: Vec<Connection>,
    pub total: u64,
    pub offset: u64,
    pub limit: u64,
    /// Cursor for `after`: the page that follows this one; absent on the last page.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next: Option<String>,
    /// Cursor for `before`: the page before this one; absent on the first page.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub prev: Option<String>,
}

/// Body of `POST /api/verify`. `Debug` shows the field keys, never their values.
#[derive(Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct VerifyRequest {
    pub driver: String,
    #[serde(default)]
    pub fields: BTreeMap<String, String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub connection_id: Option<i64>,
}

/// Answer of `POST /api/verify`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct VerifyResult {
    pub state: State,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    /// As [`Status::field`].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    /// As [`Status::retry_at`].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retry_at: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    Validation,
    NotFound,
    Conflict,
    Unauthorized,
    PreconditionRequired,
    PayloadTooLarge,
    BadRequest,
    Internal,
    /// 405: the path exists, the method does not.
    MethodNotAllowed,
    /// The request came from a page of another origin, or the caller may not do this.
    Forbidden,
}

/// Every error answer of the API.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ErrorBody {
    pub error: ErrorDetail,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ErrorDetail {
    pub code: ErrorCode,
    pub message: String,
    /// Field errors keyed `name`, `driver` or `fields.<key>`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fields: Option<BTreeMap<String, String>>,
    /// The same field errors as codes with parameters, for a user interface to translate.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub details: Option<BTreeMap<String, ProblemDetail>>,
    /// The `X-Request-Id` of the request, to find its log lines.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub request_id: Option<String>,
}

/// A field problem as a code with parameters (see `validate::Problem`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ProblemDetail {
    pub code: String,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub params: BTreeMap<String, String>,
}

/// Columns the list can be sorted by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum SortKey {
    #[default]
    Id,
    Name,
    Driver,
    CloudName,
    Status,
    LastVerified,
    CreatedAt,
    UpdatedAt,
}

impl SortKey {
    pub const ALL: [SortKey; 8] = [
        SortKey::Id,
        SortKey::Name,
        SortKey::Driver,
        SortKey::CloudName,
        SortKey::Status,
        SortKey::LastVerified,
        SortKey::CreatedAt,
        SortKey::UpdatedAt,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            SortKey::Id => "id",
            SortKey::Name => "name",
            SortKey::Driver => "driver",
            SortKey::CloudName => "cloud_name",
            SortKey::Status => "status",
            SortKey::LastVerified => "last_verified",
            SortKey::CreatedAt => "created_at",
            SortKey::UpdatedAt => "updated_at",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Order {
    #[default]
    Asc,
    Desc,
}

impl Order {
    pub fn as_str(self) -> &'static str {
        match self {
            Order::Asc => "asc",
            Order::Desc => "desc",
        }
    }
}

/// Default and largest page size of `GET /api/connections`.
pub const DEFAULT_LIMIT: u64 = 25;
pub const MAX_LIMIT: u64 = 500;
/// Longest `q` filter of `GET /api/connections`, in characters.
pub const MAX_QUERY_LEN: usize = 200;

/// Query of `GET /api/connections`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema, utoipa::IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
pub struct ListQuery {
    /// Filters on name, cloud name and ID; at most [`MAX_QUERY_LEN`] characters.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", param(max_length = 200))]
    pub q: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sort: Option<SortKey>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub order: Option<Order>,
    /// Rows to skip, 0 to 2^63 − 1.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", param(maximum = 9_223_372_036_854_775_807_u64))]
    pub offset: Option<u64>,
    /// Page size, 1 to [`MAX_LIMIT`] (default [`DEFAULT_LIMIT`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", param(minimum = 1, maximum = 500))]
    pub limit: Option<u64>,
    /// Keyset paging: the rows that follow this cursor (a page's `next`).
    /// `offset` then skips nothing: it is returned as given, the caller's own
    /// count of the rows before the page.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", param(max_length = 1000))]
    pub after: Option<String>,
    /// Keyset paging: the rows that precede this cursor (a page's `prev`), or
    /// `end` for the last page.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", param(max_length = 1000))]
    pub before: Option<String>,
}

/// The `before` value that asks for the last page.
pub const CURSOR_END: &str = "end";
/// Longest cursor (`after`, `before`) the list takes, in bytes: a name's sort key of 100
/// characters, hex-encoded, fits.
pub const MAX_CURSOR_LEN: usize = 1000;

impl ListQuery {
    /// The query string (without `?`), parameters percent-encoded.
    pub fn to_query_string(&self) -> String {
        let mut parts = Vec::new();
        if let Some(q) = self.q.as_deref().filter(|q| !q.is_empty()) {
            parts.push(format!("q={}", percent_encode(q)));
        }
        if let Some(sort) = self.sort {
            parts.push(format!("sort={}", sort.as_str()));
        }
        if let Some(order) = self.order {
            parts.push(format!("order={}", order.as_str()));
        }
        if let Some(offset) = self.offset {
            parts.push(format!("offset={offset}"));
        }
        if let Some(limit) = self.limit {
            parts.push(format!("limit={limit}"));
        }
        if let Some(after) = &self.after {
            parts.push(format!("after={}", percent_encode(after)));
        }
        if let Some(before) = &self.before {
            parts.push(format!("before={}", percent_encode(before)));
        }
        parts.join("&")
    }
}

/// Percent-encodes everything but RFC 3986 unreserved characters.
pub fn percent_encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn connection_round_trips_with_contract_names() {
        let json = r#"{"id":17,"name":"Shop EU","driver":"cloudinary-default",
            "fields":{"cloud_name":"demo","api_key":"123456789012345"},
            "secrets_set":["api_secret"],
            "status":{"state":"invalid_credentials","message":"no","checked_at":"2026-11-22T10:00:00Z"},
            "created_at":"2026-11-22T10:00:00Z","updated_at":"2026-11-22T10:00:00Z","version":3}"#;
        let c: Connection = serde_json::from_str(json).expect("parses");
        assert_eq!(c.status.state, State::InvalidCredentials);
        assert_eq!(c.fields["cloud_name"], "demo");
        let back = serde_json::to_value(&c).expect("serializes");
        assert_eq!(back["status"]["state"], "invalid_credentials");
    }

    #[test]
    fn input_rejects_unknown_fields() {
        let err = serde_json::from_str::<ConnectionInput>(
            r#"{"name":"a","driver":"d","fields":{},"extra":1}"#,
        );
        assert!(err.is_err());
    }

    #[test]
    fn error_body_shape() {
        let body = ErrorBody {
            error: ErrorDetail {
                code: ErrorCode::PreconditionRequired,
                message: "m".into(),
                fields: None,
                details: None,
                request_id: None,
            },
        };
        assert_eq!(
            serde_json::to_string(&body).expect("serializes"),
            r#"{"error":{"code":"precondition_required","message":"m"}}"#
        );
    }

    #[test]
    fn query_string_encodes_filter() {
        let q = ListQuery {
            q: Some("a b&c".into()),
            sort: Some(SortKey::CloudName),
            order: Some(Order::Desc),
            offset: Some(50),
            limit: Some(25),
            after: Some("name.7.6162".into()),
            before: None,
        };
        assert_eq!(
            q.to_query_string(),
            "q=a%20b%26c&sort=cloud_name&order=desc&offset=50&limit=25&after=name.7.6162"
        );
        assert_eq!(ListQuery::default().to_query_string(), "");
    }

    #[test]
    fn state_names_round_trip() {
        for s in [
            State::Ok,
            State::InvalidCredentials,
            State::RateLimited,
            State::Unreachable,
            State::Unverified,
            State::Error,
        ] {
            assert_eq!(State::parse(s.as_str()), Some(s));
        }
        assert_eq!(State::parse("nope"), None);
    }
}
