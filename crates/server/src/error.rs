//! The one error type of the API; it becomes the contract's Error body.

use std::collections::BTreeMap;

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use connections_api::{
    messages, Driver, ErrorBody, ErrorCode, ErrorDetail, FieldProblems, Problem, ProblemDetail,
};

#[derive(Debug)]
pub enum ApiError {
    /// Invalid values; `fields` keyed `name`, `driver`, `fields.<key>`.
    Validation {
        message: String,
        fields: BTreeMap<String, String>,
        /// The same errors as codes with parameters (`details`), where the server has them.
        details: BTreeMap<String, ProblemDetail>,
    },
    NotFound(String),
    /// `If-Match` names no current version (412, code `conflict`).
    PreconditionFailed(String),
    Unauthorized,
    PreconditionRequired,
    PayloadTooLarge,
    /// The path exists, the method does not (405; the router adds `Allow`).
    MethodNotAllowed,
    BadRequest(String),
    /// 403: a foreign `Origin`, or a caller without the right.
    Forbidden(String),
    /// 421: a `Host` this server does not answer for (DNS rebinding).
    MisdirectedRequest,
    /// 408: the request took longer than the server allows.
    Timeout,
    /// 415: a body that is not `application/json`.
    UnsupportedMediaType,
    /// Something broke inside; the cause is logged, never sent.
    Internal(String),
}

impl ApiError {
    pub fn fields(fields: BTreeMap<String, String>) -> Self {
        let message = if fields.len() == 1 {
            "A value is not valid.".to_string()
        } else {
            format!("{} values are not valid.", fields.len())
        };
        ApiError::Validation {
            message,
            fields,
            details: BTreeMap::new(),
        }
    }

    /// Field problems as codes (`details`) and in English (`fields`); `driver` gives the
    /// labels of the English messages.
    pub fn problems(problems: &FieldProblems, driver: Option<&Driver>) -> Self {
        let mut e = ApiError::fields(messages(problems, driver));
        if let ApiError::Validation { details, .. } = &mut e {
            *details = problems
                .iter()
                .map(|(k, p)| (k.clone(), p.detail()))
                .collect();
        }
        e
    }

    pub fn internal(cause: impl std::fmt::Display) -> Self {
        ApiError::Internal(cause.to_string())
    }
}

impl From<sqlx::Error> for ApiError {
    fn from(e: sqlx::Error) -> Self {
        ApiError::internal(format_args!("database: {e}"))
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let mut details = None;
        let mut internal = None;
        let (status, code, message, fields) = match self {
            ApiError::Validation {
                message,
                fields,
                details: d,
            } => {
                details = (!d.is_empty()).then_some(d);
                (
                    StatusCode::UNPROCESSABLE_ENTITY,
                    ErrorCode::Validation,
                    message,
                    (!fields.is_empty()).then_some(fields),
                )
            }
            ApiError::NotFound(m) => (StatusCode::NOT_FOUND, ErrorCode::NotFound, m, None),
            ApiError::PreconditionFailed(m) => {
                (StatusCode::PRECONDITION_FAILED, ErrorCode::Conflict, m, None)
            }
            ApiError::Unauthorized => (
                StatusCode::UNAUTHORIZED,
                ErrorCode::Unauthorized,
                "Sign in again: this request carries no valid token.".into(),
                None,
            ),
            ApiError::PreconditionRequired => (
                StatusCode::PRECONDITION_REQUIRED,
                ErrorCode::PreconditionRequired,
                "Send If-Match with the version you edited.".into(),
                None,
            ),
            ApiError::PayloadTooLarge => (
                StatusCode::PAYLOAD_TOO_LARGE,
                ErrorCode::PayloadTooLarge,
                "The request body is larger than 64 KiB.".into(),
                None,
            ),
            ApiError::MethodNotAllowed => (
                StatusCode::METHOD_NOT_ALLOWED,
                ErrorCode::MethodNotAllowed,
                "This API endpoint does not answer this method; the Allow header lists those it does."
                    .into(),
                None,
            ),
            ApiError::BadRequest(m) => (StatusCode::BAD_REQUEST, ErrorCode::BadRequest, m, None),
            ApiError::Forbidden(m) => (StatusCode::FORBIDDEN, ErrorCode::Forbidden, m, None),
            ApiError::MisdirectedRequest => (
                StatusCode::MISDIRECTED_REQUEST,
                ErrorCode::BadRequest,
                "This server does not answer for the host name in this request.".into(),
                None,
            ),
            ApiError::UnsupportedMediaType => (
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                ErrorCode::BadRequest,
                "Send the body as JSON, with Content-Type: application/json.".into(),
                None,
            ),
            ApiError::Timeout => (
                StatusCode::REQUEST_TIMEOUT,
                ErrorCode::BadRequest,
                "The request took too long. Try again.".into(),
                None,
            ),
            ApiError::Internal(cause) => {
                internal = Some(crate::log_errors::InternalCause(cause));
                (
                    StatusCode::INTERNAL_SERVER_ERROR,
                    ErrorCode::Internal,
                    "Something went wrong on the server. Try again.".into(),
                    None,
                )
            }
        };
        let body = ErrorBody {
            error: ErrorDetail {
                code,
                message,
                fields,
                details,
                request_id: crate::request_id::current(),
            },
        };
        let mut response = (status, Json(body)).into_response();
        if let Some(cause) = internal {
            response.extensions_mut().insert(cause);
        }
        response
    }
}

impl From<crate::store::StoreError> for ApiError {
    fn from(e: crate::store::StoreError) -> Self {
        use crate::store::StoreError;
        match e {
            StoreError::NameTaken(name) => ApiError::Validation {
                message: "A value is not valid.".into(),
                fields: BTreeMap::from([("name".to_string(), name_taken_message(&name))]),
                details: BTreeMap::from([("name".to_string(), Problem::Taken.detail())]),
            },
            StoreError::NotFound => ApiError::NotFound("There is no connection with this ID.".into()),
            StoreError::Stale { .. } => ApiError::PreconditionFailed(
                "Someone else changed this connection in the meantime. Reload it to see the changes, then edit again."
                    .into(),
            ),
            StoreError::KeyReused => ApiError::Validation {
                message: "This Idempotency-Key was already used for a different request. Send a new key for a new connection."
                    .into(),
                fields: BTreeMap::new(),
                details: BTreeMap::new(),
            },
            StoreError::Decrypt(e) => ApiError::internal(e),
            StoreError::Db(e) => e.into(),
        }
    }
}

/// The field message for a name another connection has.
pub fn name_taken_message(name: &str) -> String {
    if name.is_empty() {
        "A connection with this name already exists.".into()
    } else {
        format!("A connection named \"{name}\" already exists.")
    }
}
