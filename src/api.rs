//! The one client of the JSON API (`docs/api.md`), over gloo-net.

use connections_api::json::{self, FromJson, Json};
use connections_api::{
    Connection, ConnectionInput, Driver, ErrorBody, ErrorCode, EventPage, ListQuery, Me,
    ProblemDetail, VerifyRequest, VerifyResult,
};
use gloo_net::http::{Request, RequestBuilder, Response};
use std::collections::BTreeMap;
use std::sync::Arc;

use crate::auth::{self, Next};
use crate::host::events::HostEvent;
use crate::session::Session;

/// One page of the list as the app keeps it: `Page` with each connection shared, so that
/// the table's rows and the list's state hold the same connections, not copies.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ListPage {
    pub items: Vec<Arc<Connection>>,
    pub total: u64,
    pub offset: u64,
    pub limit: u64,
    pub next: Option<String>,
    pub prev: Option<String>,
}

impl FromJson for ListPage {
    fn from_json(j: Json) -> Option<ListPage> {
        let mut o = j.into_object()?;
        Some(ListPage {
            items: o.field("items")?,
            total: o.field("total")?,
            offset: o.field("offset")?,
            limit: o.field("limit")?,
            next: o.field("next")?,
            prev: o.field("prev")?,
        })
    }
}

/// What went wrong with a request, in terms the screens act on.
#[derive(Debug, Clone, PartialEq)]
pub enum ApiError {
    /// No answer: server down, network gone.
    Network,
    Unauthorized,
    NotFound(String),
    /// Someone else changed the connection: `412` (If-Match not current; `409` from older servers).
    Conflict(String),
    /// 422 with field errors keyed `name`, `driver`, `fields.<key>`.
    Validation {
        message: String,
        fields: BTreeMap<String, String>,
        /// The same errors as codes (`details`), for texts in the user's language.
        details: BTreeMap<String, ProblemDetail>,
    },
    /// Any other error answer (4xx/5xx).
    Server {
        status: u16,
        message: String,
    },
}

/// Where the API is and how to authenticate; cheap to clone. Every request awaits the
/// session's token, carries its abort signal, and after a `401` is retried once with a
/// fresh token (see [`crate::auth`]).
#[derive(Debug, Clone, PartialEq)]
pub struct Client {
    base: String,
    session: Session,
}

impl Client {
    /// A client with a fixed token and no host (tests, parts mounted alone).
    pub fn new(base: impl Into<String>, token: Option<String>) -> Self {
        Client::with_session(base, Session::detached(token))
    }

    pub fn with_session(base: impl Into<String>, session: Session) -> Self {
        let base = base.into().trim_end_matches('/').to_string();
        Client { base, session }
    }

    /// The mount's session (events for the host go through it).
    pub fn session(&self) -> &Session {
        &self.session
    }

    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// Sends the request `make` builds (with `body` as JSON), as the session allows.
    async fn send(
        &self,
        make: &dyn Fn() -> RequestBuilder,
        body: Option<String>,
    ) -> Result<Response, ApiError> {
        self.send_with(make, body, self.session.abort_signal())
            .await
    }

    /// [`Client::send`] with another abort signal than the session's (one its owner aborts
    /// also when the session closes).
    ///
    /// `make` is a trait object, not generic: this loop is compiled once, not once per request
    /// kind.
    async fn send_with(
        &self,
        make: &dyn Fn() -> RequestBuilder,
        body: Option<String>,
        signal: Option<web_sys::AbortSignal>,
    ) -> Result<Response, ApiError> {
        let mut retried = false;
        loop {
            let token = self.session.token().await;
            if self.session.is_closed() {
                return Err(ApiError::Network);
            }
            let mut req = make().abort_signal(signal.as_ref());
            if let Some(t) = &token {
                req = req.header("Authorization", &format!("Bearer {t}"));
            }
            let req = match &body {
                Some(b) => req
                    .header("Content-Type", "application/json")
                    .body(b.as_str()),
                None => req.build(),
            }
            .map_err(|_| ApiError::Network)?;
            let resp = req.send().await.map_err(|_| ApiError::Network)?;
            if self.session.is_closed() {
                return Err(ApiError::Network);
            }
            match auth::after(resp.status(), retried, self.session.can_refresh()) {
                Next::Done => {
                    if resp.ok() {
                        self.session.accepted(token);
                    }
                    return Ok(resp);
                }
                Next::Retry => retried = true,
                Next::Unauthorized => {
                    self.session.emit(&HostEvent::Unauthorized {
                        status: resp.status(),
                    });
                    return Err(ApiError::Unauthorized);
                }
            }
        }
    }

    pub async fn drivers(&self) -> Result<Vec<Driver>, ApiError> {
        let url = self.url("/drivers");
        decode(self.send(&|| Request::get(&url), None).await?).await
    }

    /// One page of the list. `abort`: the list's own controller, so a newer page (the next
    /// keystroke of the filter) aborts this request; its owner aborts it when it goes, as the
    /// session would.
    pub async fn list(
        &self,
        query: &ListQuery,
        abort: Option<&web_sys::AbortController>,
    ) -> Result<ListPage, ApiError> {
        let qs = query.to_query_string();
        let path = if qs.is_empty() {
            "/connections".to_string()
        } else {
            format!("/connections?{qs}")
        };
        let url = self.url(&path);
        // The standalone page may have asked for this very page while the app loaded.
        let signal = match abort {
            Some(c) => Some(c.signal()),
            None => self.session.abort_signal(),
        };
        if let Some(body) = crate::early::take(&url).await {
            // As for a request of its own: an answer that comes after the list was left (or a
            // newer page asked for) is dropped, as an aborted fetch would be.
            if self.session.is_closed() || signal.as_ref().is_some_and(|s| s.aborted()) {
                return Err(ApiError::Network);
            }
            return json::from_slice(&body).ok_or_else(|| not_understood(200));
        }
        decode(self.send_with(&|| Request::get(&url), None, signal).await?).await
    }

    /// One connection; its `version` is what [`Client::update`] sends as If-Match.
    pub async fn get(&self, id: i64) -> Result<Connection, ApiError> {
        let url = self.url(&format!("/connections/{id}"));
        decode(self.send(&|| Request::get(&url), None).await?).await
    }

    /// Creates a connection. `idempotency_key` makes a retried submission create nothing new.
    pub async fn create(
        &self,
        input: &ConnectionInput,
        idempotency_key: &str,
    ) -> Result<Connection, ApiError> {
        let url = self.url("/connections");
        let body = json(input)?;
        // An empty key (no `crypto` to make one) is not sent: the create is then not replayable.
        let make = || {
            let r = Request::post(&url);
            if idempotency_key.is_empty() {
                r
            } else {
                r.header("Idempotency-Key", idempotency_key)
            }
        };
        decode(self.send(&make, Some(body)).await?).await
    }

    /// Replaces a connection if it is still at `version` (else [`ApiError::Conflict`]).
    pub async fn update(
        &self,
        id: i64,
        version: i64,
        input: &ConnectionInput,
    ) -> Result<Connection, ApiError> {
        let url = self.url(&format!("/connections/{id}"));
        let body = json(input)?;
        let if_match = format!("\"{version}\"");
        let make = || Request::put(&url).header("If-Match", &if_match);
        decode(self.send(&make, Some(body)).await?).await
    }

    pub async fn delete(&self, id: i64) -> Result<(), ApiError> {
        let url = self.url(&format!("/connections/{id}"));
        let resp = self.send(&|| Request::delete(&url), None).await?;
        if resp.ok() {
            Ok(())
        } else {
            Err(error_answer(resp).await)
        }
    }

    /// Re-verifies a stored connection and returns it with its new status.
    pub async fn verify_stored(&self, id: i64) -> Result<Connection, ApiError> {
        let url = self.url(&format!("/connections/{id}/verify"));
        // A JSON body, even if empty: the server refuses state-changing requests without one.
        decode(
            self.send(&|| Request::post(&url), Some("{}".into()))
                .await?,
        )
        .await
    }

    /// Verifies unsaved credentials (with `connection_id`, a missing secret is the stored one).
    pub async fn verify(&self, request: &VerifyRequest) -> Result<VerifyResult, ApiError> {
        let url = self.url("/verify");
        let body = json(request)?;
        decode(self.send(&|| Request::post(&url), Some(body)).await?).await
    }

    /// Who the caller is and whether they may change connections. Sent with the token of
    /// the last accepted request, once, without asking the host for a token or telling it
    /// of a refusal: the screens' own requests do that.
    pub async fn me(&self) -> Result<Me, ApiError> {
        let url = self.url("/me");
        let signal = self.session.abort_signal();
        let mut req = Request::get(&url).abort_signal(signal.as_ref());
        if let Some(t) = self.session.accepted_token() {
            req = req.header("Authorization", &format!("Bearer {t}"));
        }
        let resp = req.send().await.map_err(|_| ApiError::Network)?;
        if self.session.is_closed() {
            return Err(ApiError::Network);
        }
        decode(resp).await
    }

    /// One page of a connection's history, newest first.
    pub async fn history(&self, id: i64, offset: u64, limit: u64) -> Result<EventPage, ApiError> {
        let url = self.url(&format!(
            "/connections/{id}/history?offset={offset}&limit={limit}"
        ));
        decode(self.send(&|| Request::get(&url), None).await?).await
    }
}

fn json<T: serde::Serialize>(value: &T) -> Result<String, ApiError> {
    serde_json::to_string(value).map_err(|_| ApiError::Server {
        status: 0,
        message: "The app could not write the request.".into(),
    })
}

async fn decode<T: FromJson>(resp: Response) -> Result<T, ApiError> {
    let status = resp.status();
    let bytes = ok_bytes(resp).await?;
    json::from_slice::<T>(&bytes).ok_or_else(|| not_understood(status))
}

/// A successful answer's body, or the error an unsuccessful one names. Not generic, so this
/// part of [`decode`] is compiled once, not once per type decoded.
async fn ok_bytes(resp: Response) -> Result<Vec<u8>, ApiError> {
    if resp.ok() {
        // The body's bytes, copied into wasm as they are: as text, a 500-row page (about
        // 175 KB) was decoded into a JS string and encoded back to UTF-8 (9 ms a page).
        return resp
            .binary()
            .await
            .map_err(|_| not_understood(resp.status()));
    }
    Err(error_answer(resp).await)
}

/// The error an unsuccessful answer names (its body read as bytes, as every body is: one
/// JSON reader in the wasm, not a second one for text).
async fn error_answer(resp: Response) -> ApiError {
    let body = resp.binary().await.ok();
    error_from(
        resp.status(),
        body.and_then(|b| json::from_slice::<ErrorBody>(&b)),
    )
}

fn not_understood(status: u16) -> ApiError {
    ApiError::Server {
        status,
        message: "The server sent an answer the app does not understand.".into(),
    }
}

/// Maps an error answer to an [`ApiError`]; `body` is the contract's Error body if it parsed.
pub fn error_from(status: u16, body: Option<ErrorBody>) -> ApiError {
    let message = body
        .as_ref()
        .map(|b| b.error.message.clone())
        .unwrap_or_default();
    match (status, body.as_ref().map(|b| b.error.code)) {
        (401, _) | (_, Some(ErrorCode::Unauthorized)) => ApiError::Unauthorized,
        (404, _) => ApiError::NotFound(message),
        (409 | 412, _) => ApiError::Conflict(message),
        (422, _) => {
            let (fields, details) = body
                .map(|b| (b.error.fields, b.error.details))
                .unwrap_or_default();
            ApiError::Validation {
                message,
                fields: fields.unwrap_or_default(),
                details: details.unwrap_or_default(),
            }
        }
        _ => ApiError::Server { status, message },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use connections_api::ErrorDetail;

    fn body(code: ErrorCode, fields: Option<BTreeMap<String, String>>) -> Option<ErrorBody> {
        Some(ErrorBody {
            error: ErrorDetail {
                code,
                message: "m".into(),
                fields,
                details: None,
                request_id: None,
            },
        })
    }

    #[test]
    fn maps_statuses() {
        assert_eq!(error_from(401, None), ApiError::Unauthorized);
        assert_eq!(
            error_from(409, body(ErrorCode::Conflict, None)),
            ApiError::Conflict("m".into())
        );
        assert_eq!(
            error_from(412, body(ErrorCode::Conflict, None)),
            ApiError::Conflict("m".into())
        );
        let f: BTreeMap<_, _> = [("name".to_string(), "taken".to_string())].into();
        assert_eq!(
            error_from(422, body(ErrorCode::Validation, Some(f.clone()))),
            ApiError::Validation {
                message: "m".into(),
                fields: f,
                details: BTreeMap::new(),
            }
        );
        assert_eq!(
            error_from(502, None),
            ApiError::Server {
                status: 502,
                message: String::new()
            }
        );
    }

    #[test]
    fn base_url_has_no_trailing_slash() {
        assert_eq!(Client::new("/api/", None).url("/drivers"), "/api/drivers");
    }
}
