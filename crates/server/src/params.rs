//! Extractors of the path and the query string whose rejection is the API's own
//! error, so handlers take the value itself (as `ApiJson` does for bodies).

use axum::extract::{FromRequestParts, Path, Query};
use axum::http::request::Parts;
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
