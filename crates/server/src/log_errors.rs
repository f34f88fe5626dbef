//! Logs the cause of a `500` once, where the request's span is open: the error's
//! `IntoResponse` only puts the cause into the answer's extensions (never into its
//! body), and this layer writes the log line.

use axum::extract::Request;
use axum::middleware::Next;
use axum::response::Response;

/// The cause of an internal error, carried from the handler to this layer.
#[derive(Clone, Debug)]
pub struct InternalCause(pub String);

pub async fn layer(req: Request, next: Next) -> Response {
    let response = next.run(req).await;
    if let Some(InternalCause(cause)) = response.extensions().get::<InternalCause>() {
        tracing::error!(%cause, "internal error");
    }
    response
}
