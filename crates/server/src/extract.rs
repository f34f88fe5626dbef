//! `ApiJson<T>`: the JSON body extractor of the API. Its rejection is the API's
//! own error, and its messages name where the body is wrong (`fields.api_secret`),
//! never what was sent there: a misplaced value may be an API secret.

use axum::body::Bytes;
use axum::extract::{FromRequest, Request};
use axum::http::{header, StatusCode};
use serde::de::DeserializeOwned;

use crate::error::ApiError;

/// A JSON request body of type `T`.
pub struct ApiJson<T>(pub T);

impl<T, S> FromRequest<S> for ApiJson<T>
where
    T: DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        if !is_json(req.headers().get(header::CONTENT_TYPE)) {
            return Err(ApiError::UnsupportedMediaType);
        }
        let bytes = Bytes::from_request(req, state).await.map_err(|r| {
            if r.status() == StatusCode::PAYLOAD_TOO_LARGE {
                ApiError::PayloadTooLarge
            } else {
                ApiError::BadRequest("The request body could not be read.".into())
            }
        })?;
        parse(&bytes).map(ApiJson)
    }
}

/// `Content-Type: application/json`, parameters allowed.
pub fn is_json(value: Option<&axum::http::HeaderValue>) -> bool {
    value
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .is_some_and(|t| t.trim().eq_ignore_ascii_case("application/json"))
}

/// Parses a body; the error names the place in the body, never a value.
pub fn parse<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, ApiError> {
    let mut de = serde_json::Deserializer::from_slice(bytes);
    let value = serde_path_to_error::deserialize(&mut de).map_err(|e| {
        let path = e.path().to_string();
        let inner = e.into_inner();
        if inner.is_data() {
            data_error(&path, &inner.to_string())
        } else {
            ApiError::BadRequest("The request body is not valid JSON.".into())
        }
    })?;
    de.end()
        .map_err(|_| ApiError::BadRequest("The request body is not valid JSON.".into()))?;
    Ok(value)
}

/// 422 for a body that is JSON but not of the contract's shape.
fn data_error(path: &str, serde_text: &str) -> ApiError {
    let place = if path.is_empty() || path == "." {
        "the body".to_string()
    } else {
        format!("`{path}`")
    };
    // serde's own text repeats the value ("invalid type: string \"…\""); only
    // the kind of problem is kept.
    let problem = if serde_text.starts_with("unknown field") {
        "is not a field of this request"
    } else if serde_text.starts_with("missing field") {
        "misses a required field"
    } else if serde_text.starts_with("unknown variant") {
        "is not one of the allowed values"
    } else {
        "has the wrong type"
    };
    let message = if serde_text.starts_with("unknown field") {
        // The path ends in the unknown key, which the caller chose (it could be
        // anything, a secret too): name only where it sits and what is allowed there.
        let parent = match path.rsplit_once('.') {
            Some((parent, _)) => format!("`{parent}`"),
            None => "the body".to_string(),
        };
        let allowed = serde_text
            .split_once("expected")
            .map(|(_, rest)| rest.replace('`', ""))
            .filter(|rest| {
                rest.chars()
                    .all(|c| c.is_ascii_alphanumeric() || " _,".contains(c))
            })
            .map(|rest| format!(" (allowed:{})", rest.replace(" one of", "")))
            .unwrap_or_default();
        format!("The request body does not fit: {parent} has a field that is not part of this request{allowed}.")
    } else if serde_text.starts_with("missing field") {
        // "missing field `name`": the name is the contract's, not the caller's.
        let field = serde_text
            .split('`')
            .nth(1)
            .filter(|f| f.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_'))
            .unwrap_or("?");
        format!("The request body does not fit: {place} misses the field `{field}`.")
    } else {
        format!("The request body does not fit: {place} {problem}.")
    };
    ApiError::Validation {
        message,
        fields: Default::default(),
        details: Default::default(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use connections_api::ConnectionInput;

    fn message(body: &str) -> String {
        match parse::<ConnectionInput>(body.as_bytes()) {
            Err(ApiError::Validation { message, .. }) => message,
            Err(other) => format!("{other:?}"),
            Ok(_) => "ok".into(),
        }
    }

    #[test]
    fn a_misplaced_secret_is_never_repeated() {
        let secret = "cloudinary://123456:S3cr3tVALUE@demo";
        let m = message(&format!(
            r#"{{"name":"a","driver":"cloudinary-default","fields":"{secret}"}}"#
        ));
        assert!(!m.contains("S3cr3tVALUE"), "{m}");
        assert!(m.contains("`fields`") && m.contains("wrong type"), "{m}");
        let m = message(
            r#"{"name":"a","driver":"cloudinary-default","fields":{"api_secret":987654321}}"#,
        );
        assert!(!m.contains("987654321"), "{m}");
        assert!(m.contains("`fields.api_secret`"), "{m}");
    }

    #[test]
    fn unknown_and_missing_fields_are_named() {
        let m = message(r#"{"name":"a","driver":"d","extra":1}"#);
        assert!(m.contains("not part of this request"), "{m}");
        assert!(m.contains("name, driver, fields"), "{m}");
        assert!(
            !m.contains("extra"),
            "the caller's key is not repeated: {m}"
        );
        let m = message(r#"{"driver":"d"}"#);
        assert!(m.contains("misses the field `name`"), "{m}");
    }

    #[test]
    fn broken_json_is_a_bad_request() {
        for body in [
            "{",
            r#"{"name":"#,
            r#"{"name":"a","driver":"d"} trailing"#,
            "",
        ] {
            assert!(
                matches!(
                    parse::<ConnectionInput>(body.as_bytes()),
                    Err(ApiError::BadRequest(_))
                ),
                "{body:?}"
            );
        }
    }

    #[test]
    fn content_types() {
        use axum::http::HeaderValue;
        let ok = HeaderValue::from_static("application/json; charset=utf-8");
        assert!(is_json(Some(&ok)));
        assert!(is_json(Some(&HeaderValue::from_static("Application/JSON"))));
        assert!(!is_json(Some(&HeaderValue::from_static("text/plain"))));
        assert!(!is_json(Some(&HeaderValue::from_static(
            "application/x-www-form-urlencoded"
        ))));
        assert!(!is_json(None));
    }
}
