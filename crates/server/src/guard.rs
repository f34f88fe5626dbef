//! Requests a page in the administrator's browser could forge: a foreign `Host`
//! (DNS rebinding: evil.example resolving to 127.0.0.1) and a foreign `Origin`
//! on a state-changing request (cross-site forms and scripts). And the time a
//! request may take.

use std::time::Duration;

use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, Method};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::error::ApiError;
use crate::AppState;

/// The `Host` values a server bound to `port` on a loopback address answers.
pub fn loopback_hosts(port: u16) -> Vec<String> {
    vec![
        format!("127.0.0.1:{port}"),
        format!("localhost:{port}"),
        format!("[::1]:{port}"),
    ]
}

/// The request's host: the `Host` header (HTTP/1.1) or the URI's authority (HTTP/2).
fn request_host(req: &Request) -> Option<String> {
    req.headers()
        .get(header::HOST)
        .and_then(|v| v.to_str().ok())
        .map(str::to_string)
        .or_else(|| req.uri().authority().map(|a| a.as_str().to_string()))
        .map(|h| h.trim().to_ascii_lowercase())
}

/// Whether a request of `method` may change something.
fn changes_state(method: &Method) -> bool {
    !matches!(
        *method,
        Method::GET | Method::HEAD | Method::OPTIONS | Method::TRACE
    )
}

/// Whether a state-changing request comes from a page of another site: its
/// `Origin` is neither this host (over http or https) nor an allowed origin, or
/// the browser says `Sec-Fetch-Site: cross-site`.
pub fn is_cross_site(headers: &HeaderMap, host: Option<&str>, allowed: &[String]) -> bool {
    if headers
        .get("sec-fetch-site")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.eq_ignore_ascii_case("cross-site"))
    {
        return true;
    }
    let Some(origin) = headers.get(header::ORIGIN) else {
        // Not sent by a browser's cross-origin request: scripts, curl, same-origin GETs.
        return false;
    };
    let Ok(origin) = origin.to_str() else {
        return true;
    };
    let origin = origin.trim().trim_end_matches('/').to_ascii_lowercase();
    if allowed.iter().any(|a| a.eq_ignore_ascii_case(&origin)) {
        return false;
    }
    let Some(host) = host else { return true };
    let own = [format!("http://{host}"), format!("https://{host}")];
    !own.contains(&origin)
}

/// Refuses a foreign `Host` (when the state names the allowed ones) with 421,
/// and a cross-site state-changing request with 403.
pub async fn same_origin(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let host = request_host(&req);
    if let Some(allowed) = &state.allowed_hosts {
        if !host.as_ref().is_some_and(|h| allowed.contains(h)) {
            return ApiError::MisdirectedRequest.into_response();
        }
    }
    if changes_state(req.method())
        && is_cross_site(req.headers(), host.as_deref(), &state.allowed_origins)
    {
        return ApiError::Forbidden(
            "Requests from pages of other sites are refused. Use the app on this server.".into(),
        )
        .into_response();
    }
    next.run(req).await
}

/// Refuses a `POST`, `PUT` or `PATCH` whose body is not declared JSON (`415`):
/// a plain cross-site form can send only form data or text, so no such form
/// reaches a handler, not even `POST …/verify`. A route layer of the API
/// router: it runs for the methods a route has, so any other method is a `405`.
pub async fn json_only(req: Request, next: Next) -> Response {
    let sends_body = matches!(*req.method(), Method::POST | Method::PUT | Method::PATCH);
    if sends_body && !crate::extract::is_json(req.headers().get(header::CONTENT_TYPE)) {
        return ApiError::UnsupportedMediaType.into_response();
    }
    next.run(req).await
}

/// Answers `408` with the Error body when a request takes longer than `limit`
/// (reading its body included).
pub async fn time_limit(limit: Duration, req: Request, next: Next) -> Response {
    match tokio::time::timeout(limit, next.run(req)).await {
        Ok(response) => response,
        Err(_) => ApiError::Timeout.into_response(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.insert(*k, HeaderValue::from_static(v));
        }
        h
    }

    #[test]
    fn own_origin_passes_foreign_ones_do_not() {
        let host = Some("127.0.0.1:8080");
        assert!(!is_cross_site(&headers(&[]), host, &[]));
        let own = headers(&[("origin", "http://127.0.0.1:8080")]);
        assert!(!is_cross_site(&own, host, &[]));
        let foreign = headers(&[("origin", "http://evil.example")]);
        assert!(is_cross_site(&foreign, host, &[]));
        assert!(is_cross_site(&headers(&[("origin", "null")]), host, &[]));
        let other_port = headers(&[("origin", "http://127.0.0.1:9999")]);
        assert!(is_cross_site(&other_port, host, &[]));
        let shell = headers(&[("origin", "https://shell.example.com")]);
        assert!(!is_cross_site(
            &shell,
            host,
            &["https://shell.example.com".to_string()]
        ));
        let fetch_site = headers(&[("sec-fetch-site", "cross-site")]);
        assert!(is_cross_site(&fetch_site, host, &[]));
        assert!(
            is_cross_site(&own, None, &[]),
            "no host: nothing to compare"
        );
    }

    #[test]
    fn only_safe_methods_pass_unchecked() {
        assert!(!changes_state(&Method::GET));
        assert!(!changes_state(&Method::HEAD));
        assert!(changes_state(&Method::POST));
        assert!(changes_state(&Method::PUT));
        assert!(changes_state(&Method::DELETE));
        assert!(changes_state(&Method::PATCH));
    }

    #[test]
    fn loopback_names_carry_the_port() {
        assert_eq!(
            loopback_hosts(8080),
            ["127.0.0.1:8080", "localhost:8080", "[::1]:8080"]
        );
    }
}
