//! `X-Request-Id`: every answer carries one (the client's, if it sent a sane
//! one, else a new random id); the request's log lines and its Error body name it.

use std::sync::Arc;

use axum::extract::Request;
use axum::http::HeaderValue;
use axum::middleware::Next;
use axum::response::Response;
use rand::RngCore;

pub const HEADER: &str = "x-request-id";

tokio::task_local! {
    static CURRENT: Arc<str>;
}

/// The id of the request being handled, if any.
pub fn current() -> Option<String> {
    CURRENT.try_with(|id| id.to_string()).ok()
}

/// A client's id is kept when it is 1–64 letters, digits, `-`, `_` or `.`;
/// anything else could forge log lines and is replaced.
pub fn accept(given: Option<&HeaderValue>) -> Option<String> {
    let id = given?.to_str().ok()?.trim();
    let ok = !id.is_empty()
        && id.len() <= 64
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-_.".contains(&b));
    ok.then(|| id.to_string())
}

/// 16 random bytes in hex.
pub fn fresh() -> String {
    let mut bytes = [0u8; 16];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Gives the request its id (as the `x-request-id` header, read by the log
/// span), runs it with the id in scope, and puts the id on the answer.
pub async fn layer(mut req: Request, next: Next) -> Response {
    let id = accept(req.headers().get(HEADER)).unwrap_or_else(fresh);
    let value = HeaderValue::from_str(&id).unwrap_or_else(|_| HeaderValue::from_static("-"));
    req.headers_mut().insert(HEADER, value.clone());
    let mut response = CURRENT.scope(Arc::from(id.as_str()), next.run(req)).await;
    response.headers_mut().insert(HEADER, value);
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sane_ids_are_kept_others_replaced() {
        let v = |s: &'static str| HeaderValue::from_static(s);
        assert_eq!(accept(Some(&v("abc-123_x.y"))), Some("abc-123_x.y".into()));
        assert_eq!(accept(Some(&v("has space"))), None);
        assert_eq!(accept(Some(&v("line\tbreak"))), None);
        assert_eq!(accept(Some(&v(""))), None);
        let long = HeaderValue::from_str(&"a".repeat(65)).expect("value");
        assert_eq!(accept(Some(&long)), None);
        assert_eq!(accept(None), None);
        let a = fresh();
        assert_eq!(a.len(), 32);
        assert_ne!(a, fresh());
    }
}
