//! Cache headers of the app's files: Trunk puts a content hash into every file
//! name but `index.html`, so those files never change and are cached for a
//! year; `index.html` (and the routes that fall back to it) is revalidated on
//! every load, so a new version is picked up at once.

use axum::extract::Request;
use axum::http::{header, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::Response;

pub const IMMUTABLE: &str = "public, max-age=31536000, immutable";
pub const REVALIDATE: &str = "no-cache";

/// Whether a file name carries Trunk's content hash: a `-` and the hash, a
/// 64-bit number in lowercase hex without leading zeros (Trunk formats it with
/// `{:x}`), so 16 digits or fewer: `main-6fe6901d2de14bb4.css`,
/// `app-13badb946d79679_bg.wasm` (a hash starting with a zero).
pub fn is_hashed(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or(path);
    let stem = name.split('.').next().unwrap_or(name);
    let stem = stem.strip_suffix("_bg").unwrap_or(stem);
    stem.rsplit_once('-').is_some_and(|(_, hash)| {
        (1..=16).contains(&hash.len())
            && hash.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
    })
}

/// Sets `Cache-Control` and `Vary: Accept-Encoding` on a file answer.
pub async fn cache_headers(req: Request, next: Next) -> Response {
    let hashed = is_hashed(req.uri().path());
    let mut response = next.run(req).await;
    let ok = matches!(
        response.status(),
        StatusCode::OK | StatusCode::PARTIAL_CONTENT | StatusCode::NOT_MODIFIED
    );
    // A hashed name that is not there falls back to `index.html`: that answer
    // must not be kept for a year under the asset's name.
    let fallback_page = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|t| t.starts_with("text/html"));
    let policy = if hashed && ok && !fallback_page {
        IMMUTABLE
    } else {
        REVALIDATE
    };
    let headers = response.headers_mut();
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static(policy));
    headers.insert(header::VARY, HeaderValue::from_static("accept-encoding"));
    response
}

#[cfg(test)]
mod tests {
    use super::is_hashed;

    #[test]
    fn trunk_names_are_hashed_others_not() {
        assert!(is_hashed("/cloudinary-connections-13badb946d796799.js"));
        assert!(is_hashed(
            "/cloudinary-connections-13badb946d796799_bg.wasm"
        ));
        assert!(is_hashed("/main-6fe6901d2de14bb4.css"));
        assert!(!is_hashed("/index.html"));
        assert!(!is_hashed("/"));
        assert!(!is_hashed("/17"));
        assert!(!is_hashed("/new"));
        assert!(
            is_hashed("/cloudinary-connections-fb1d29552046c38.js"),
            "15 digits: the hash began with a zero"
        );
        assert!(is_hashed("/main-a.css"), "one digit");
        assert!(!is_hashed("/main-6fe6901d2de14bb4a.css"), "17 digits");
        assert!(!is_hashed("/main-6fe6901d2de14bbx.css"), "not hex");
        assert!(
            !is_hashed("/main-6FE6901D2DE14BB4.css"),
            "Trunk writes lowercase"
        );
        assert!(!is_hashed("/main-.css"), "no digits");
        assert!(!is_hashed("/cloudinary-connections.css"), "a stable name");
    }
}
