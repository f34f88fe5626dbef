//! Extractors of the path, the query string and request headers whose rejection
//! is the API's own error, so handlers take the value itself (as `ApiJson` does
//! for bodies).

use std::convert::Infallible;

use axum::extract::{FromRequestParts, Path, Query};
use axum::http::request::Parts;
use axum::http::{header, HeaderMap};
use serde::de::DeserializeOwned;

use crate::error::ApiError;

/// The `{id}` of `/api/connections/{id}…`. One that is not a number names no
/// connection: `404`, as an unknown number does.
pub struct ConnectionId(pub i64);

impl<S: Send + Sync> FromRequestParts<S> for ConnectionId {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        Path::<i64>::from_request_parts(parts, state)
            .await
            .map(|Path(id)| ConnectionId(id))
            .map_err(|_| ApiError::NotFound("There is no connection with this ID.".into()))
    }
}

/// A query string of type `T`; one that does not parse is a `400` that says which
/// parameter is wrong (axum's text names the parameter and the reason, not the value).
pub struct ApiQuery<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequestParts<S> for ApiQuery<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        Query::<T>::from_request_parts(parts, state)
            .await
            .map(|Query(q)| ApiQuery(q))
            .map_err(|e| ApiError::BadRequest(format!("The query is not valid: {}", e.body_text())))
    }
}

/// Whether the caller asks for an answer read afresh from the database rather
/// than one kept since the last write: `Cache-Control: no-cache` (or
/// `no-store`, `max-age=0`), as a browser's hard reload sends. The answer is
/// the same either way; the database's own cost is what a fresh read measures.
pub struct Fresh(pub bool);

impl Fresh {
    pub fn of(headers: &HeaderMap) -> Fresh {
        Fresh(headers.get_all(header::CACHE_CONTROL).iter().any(|value| {
            value.to_str().is_ok_and(|v| {
                v.split(',').any(|d| {
                    let d = d.trim();
                    d.eq_ignore_ascii_case("no-cache")
                        || d.eq_ignore_ascii_case("no-store")
                        || d.eq_ignore_ascii_case("max-age=0")
                })
            })
        }))
    }
}

impl<S: Send + Sync> FromRequestParts<S> for Fresh {
    type Rejection = Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(Fresh::of(&parts.headers))
    }
}

#[cfg(test)]
mod tests {
    use axum::http::{header, HeaderMap, HeaderValue};

    use super::Fresh;

    fn fresh(values: &[&'static str]) -> bool {
        let mut headers = HeaderMap::new();
        for v in values {
            headers.append(header::CACHE_CONTROL, HeaderValue::from_static(v));
        }
        Fresh::of(&headers).0
    }

    #[test]
    fn no_cache_no_store_and_max_age_0_ask_for_a_fresh_read() {
        assert!(fresh(&["no-cache"]));
        assert!(fresh(&["No-Store"]));
        assert!(fresh(&["max-age=0"]));
        assert!(fresh(&["no-transform, no-cache"]));
        assert!(fresh(&["no-transform", " no-cache "]));
    }

    #[test]
    fn anything_else_may_be_answered_from_what_was_kept() {
        assert!(!fresh(&[]));
        assert!(!fresh(&["max-age=60"]));
        assert!(!fresh(&["max-age=00"]));
        assert!(!fresh(&["no-transform"]));
        assert!(!fresh(&["no-cache-please"]));
        assert!(!fresh(&["private=no-cache"]));
    }
}
