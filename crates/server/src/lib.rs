//! The Cloudinary Connections server: the JSON API of `docs/api.md`
//! and the built app, on one address.
//!
//! `app(state)` builds the whole router, so tests drive it with `oneshot`.

pub mod api;
pub mod assets;
pub mod auth;
pub mod config;
pub mod crypto;
pub mod error;
pub mod extract;
pub mod guard;
pub mod if_match;
pub mod jwt;
pub mod log_errors;
pub mod metrics;
pub mod openapi;
pub mod params;
pub mod ready;
pub mod request_id;
pub mod schedule;
pub mod serve;
pub mod service;
pub mod store;
pub mod transfer;
pub mod verify;

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use axum::extract::{Request, State};
use axum::http::{header, HeaderValue};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::Router;
use connections_api::Driver;
use subtle::ConstantTimeEq;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::compression::CompressionLayer;
use tower_http::services::{ServeDir, ServeFile};
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::trace::{DefaultOnResponse, TraceLayer};
use tracing::Level;

use crate::error::ApiError;
use crate::store::Store;

/// Everything a request handler may use.
#[derive(Clone)]
pub struct AppState {
    pub store: Store,
    pub drivers: Arc<Vec<Driver>>,
    pub token: Option<Arc<str>>,
    /// JWT mode (`CLOUDINARY_CONNECTIONS_JWT_*`): verifies each bearer token.
    pub jwt: Option<Arc<jwt::Verifier>>,
    /// `CLOUDINARY_API_BASE`: replaces the Cloudinary host of every region.
    pub cloudinary_api_base: Option<Arc<str>>,
    /// How long a verification waits for Cloudinary (5 s).
    pub verify_timeout: Duration,
    /// Client of verifications: rustls, no redirects, no proxy.
    pub http: reqwest::Client,
    pub dist: PathBuf,
    /// `Host` values answered (the bound address's loopback names) when no token
    /// is set; `None`: any (a token guards the server, or a test calls `app` directly).
    pub allowed_hosts: Option<Arc<Vec<String>>>,
    /// Origins besides the server's own whose pages may send state-changing
    /// requests (the shell's, when it lives on another host), e.g. `https://shell.example.com`.
    pub allowed_origins: Arc<Vec<String>>,
    /// A stored connection checked less than this ago is not checked again on
    /// `POST …/verify`; the last result is returned (0: always check).
    pub verify_reuse: Duration,
    /// Longest a request may take, body included (verification waits at most 5 s).
    pub request_timeout: Duration,
    /// Counters and histograms of `GET /api/metrics`.
    pub metrics: metrics::Metrics,
}

/// Default of [`AppState::verify_timeout`].
pub const VERIFY_TIMEOUT: Duration = Duration::from_secs(5);
/// Default of [`AppState::verify_reuse`].
pub const VERIFY_REUSE: Duration = Duration::from_secs(5);
/// Default of [`AppState::request_timeout`].
pub const REQUEST_TIMEOUT: Duration = Duration::from_secs(30);

impl AppState {
    /// The state with defaults; fails only if the verification client cannot be
    /// built (the server then refuses to start rather than use a laxer client).
    pub fn new(store: Store, dist: PathBuf) -> Result<Self, String> {
        Ok(AppState {
            store,
            drivers: Arc::new(connections_api::drivers()),
            token: None,
            jwt: None,
            cloudinary_api_base: None,
            verify_timeout: VERIFY_TIMEOUT,
            http: verify::http_client()?,
            dist,
            allowed_hosts: None,
            allowed_origins: Arc::new(Vec::new()),
            verify_reuse: VERIFY_REUSE,
            request_timeout: REQUEST_TIMEOUT,
            metrics: metrics::Metrics::default(),
        })
    }
}

/// Content-Security-Policy of the app's pages. The wasm app needs
/// `'wasm-unsafe-eval'`; the only inline code allowed is Trunk's loader script,
/// by the hash of its exact text (see [`inline_script_hashes`]).
pub fn csp(script_hashes: &[String]) -> String {
    let hashes: String = script_hashes.iter().map(|h| format!(" '{h}'")).collect();
    format!(
        "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'{hashes}; \
         style-src 'self'; img-src 'self' data:; connect-src 'self'; object-src 'none'; \
         base-uri 'self'; frame-ancestors 'self'; form-action 'self'"
    )
}

/// `sha256-…` of every inline `<script>` in `html`.
pub fn inline_script_hashes(html: &str) -> Vec<String> {
    use base64::Engine;
    use sha2::{Digest, Sha256};
    let mut out = Vec::new();
    let mut rest = html;
    while let Some(start) = rest.find("<script") {
        let Some(tag_end) = rest[start..].find('>') else {
            break;
        };
        let body_start = start + tag_end + 1;
        let Some(body_len) = rest[body_start..].find("</script>") else {
            break;
        };
        let body = &rest[body_start..body_start + body_len];
        if !body.trim().is_empty() {
            let digest = Sha256::digest(body.as_bytes());
            out.push(format!(
                "sha256-{}",
                base64::engine::general_purpose::STANDARD.encode(digest)
            ));
        }
        rest = &rest[body_start + body_len..];
    }
    out
}

/// The whole server: `/api/*` and the app from `state.dist`.
pub fn app(state: AppState) -> Router {
    let index = state.dist.join("index.html");
    let hashes = std::fs::read_to_string(&index)
        .map(|html| inline_script_hashes(&html))
        .unwrap_or_default();
    let csp = HeaderValue::from_str(&csp(&hashes))
        .unwrap_or_else(|_| HeaderValue::from_static("default-src 'self'"));
    // The app's files as `make build` wrote them: `.br`/`.gz` beside each one are
    // sent as they are; nothing of the app is compressed per request.
    let files = ServeDir::new(&state.dist)
        .precompressed_br()
        .precompressed_gzip()
        .fallback(
            ServeFile::new(index)
                .precompressed_br()
                .precompressed_gzip(),
        );
    let files = Router::new()
        .fallback_service(files)
        .layer(axum::middleware::from_fn(assets::cache_headers));
    let request_timeout = state.request_timeout;
    Router::new()
        // API answers are compressed on the fly (they change with every write); zstd first
        // when asked for (Chromium does): as small as brotli here, a tenth of its time.
        .nest("/api", api::router(
                state.clone(),
                Router::new().route("/openapi.json", axum::routing::get(openapi::openapi_json)),
            ).layer(CompressionLayer::new()))
        // `nest` does not route `/api/`; it is no endpoint, and not the app's page.
        .route("/api/", axum::routing::any(api::not_found))
        .merge(files)
        .layer(axum::middleware::from_fn(move |req, next| {
            guard::time_limit(request_timeout, req, next)
        }))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            guard::same_origin,
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::CONTENT_SECURITY_POLICY,
            csp,
        ))
        .layer(SetResponseHeaderLayer::overriding(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            header::REFERRER_POLICY,
            HeaderValue::from_static("no-referrer"),
        ))
        .layer(CatchPanicLayer::custom(
            |_: Box<dyn std::any::Any + Send>| {
                ApiError::internal("a request handler panicked").into_response()
            },
        ))
        // One span and one line per request: method, path, status, latency; never
        // the query (it holds the filter text), bodies or headers.
        .layer(
            TraceLayer::new_for_http()
                .make_span_with(|req: &Request| {
                    let id = req
                        .headers()
                        .get(request_id::HEADER)
                        .and_then(|v| v.to_str().ok())
                        .unwrap_or("-");
                    tracing::info_span!("request", method = %req.method(), path = %req.uri().path(), request_id = %id)
                })
                .on_request(())
                .on_response(DefaultOnResponse::new().level(Level::INFO)),
        )
        // Outermost: every answer, refusals included, carries its request's id.
        .layer(axum::middleware::from_fn(request_id::layer))
}

/// Establishes the caller: the JWT of `Authorization: Bearer …` in JWT mode,
/// the shared token when one is configured, else the local administrator.
/// Puts the [`auth::Caller`] into the request's extensions, and refuses a
/// change of connections (`POST`, `PUT`, `DELETE` but Test) to a caller
/// without the write role (`403`, code `forbidden`).
pub async fn require_token(
    State(state): State<AppState>,
    mut req: Request,
    next: Next,
) -> Response {
    let given = req
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(bearer)
        .unwrap_or("")
        .to_string();
    let caller = if let Some(verifier) = &state.jwt {
        match verifier.verify(&given).await {
            Ok(caller) => caller,
            Err(jwt::Refused(why)) => {
                tracing::debug!(why, "refused a bearer token");
                return ApiError::Unauthorized.into_response();
            }
        }
    } else if let Some(token) = &state.token {
        // Digests have one length, so the comparison leaks neither content nor length.
        use sha2::{Digest, Sha256};
        let ok: bool = Sha256::digest(given.as_bytes())
            .ct_eq(&Sha256::digest(token.as_bytes()))
            .into();
        if !ok {
            return ApiError::Unauthorized.into_response();
        }
        auth::Caller::shared_token()
    } else {
        auth::Caller::local()
    };
    if !caller.can_write && auth::is_write(&req) {
        return ApiError::Forbidden(format!(
            "You may read and test connections, but changing them needs the role {}.",
            jwt::WRITE_ROLE
        ))
        .into_response();
    }
    req.extensions_mut().insert(caller);
    next.run(req).await
}

/// The credentials of an `Authorization: Bearer <token>` value; the scheme is
/// matched without regard to case (RFC 9110, 11.1).
pub fn bearer(value: &str) -> Option<&str> {
    let (scheme, rest) = value.trim().split_once(' ')?;
    scheme
        .eq_ignore_ascii_case("bearer")
        .then(|| rest.trim_start())
        .filter(|t| !t.is_empty())
}

#[cfg(test)]
mod tests {
    use super::bearer;

    #[test]
    fn the_bearer_scheme_ignores_case() {
        assert_eq!(bearer("Bearer abc"), Some("abc"));
        assert_eq!(bearer("bearer abc"), Some("abc"));
        assert_eq!(bearer("BEARER   abc"), Some("abc"));
        assert_eq!(bearer("Basic abc"), None);
        assert_eq!(bearer("Bearer "), None);
        assert_eq!(bearer("Bearerabc"), None);
    }
}
