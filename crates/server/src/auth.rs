//! Who is calling: the auth middleware ([`crate::require_token`]) puts a
//! [`Caller`] into the request's extensions; handlers take it as an extractor
//! and hand its [`Actor`] to the service, which records it in the history.

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use connections_api::{Actor, Me};

use crate::error::ApiError;

/// The caller of a request, as the auth middleware established it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Caller {
    pub actor: Actor,
    /// May create, change and delete connections.
    pub can_write: bool,
}

impl Caller {
    /// No token configured: loopback only, the local administrator.
    pub fn local() -> Caller {
        Caller {
            actor: Actor::local(),
            can_write: true,
        }
    }

    /// The shared token.
    pub fn shared_token() -> Caller {
        Caller {
            actor: Actor::shared_token(),
            can_write: true,
        }
    }

    pub fn me(&self) -> Me {
        Me {
            id: self.actor.id.clone(),
            name: self.actor.name.clone(),
            can_write: self.can_write,
        }
    }
}

/// Whether a request changes connections: `POST`, `PUT`, `DELETE` (or any
/// other unsafe method) of `/api/connections…`, but not Test (`…/verify`).
pub fn is_write(req: &axum::extract::Request) -> bool {
    use axum::http::Method;
    if matches!(
        *req.method(),
        Method::GET | Method::HEAD | Method::OPTIONS | Method::TRACE
    ) {
        return false;
    }
    let route = req
        .extensions()
        .get::<axum::extract::MatchedPath>()
        .map(|p| p.as_str().to_string())
        .unwrap_or_else(|| req.uri().path().to_string());
    let route = route.strip_prefix("/api").unwrap_or(&route);
    route.starts_with("/connections") && !route.ends_with("/verify")
}

impl<S: Send + Sync> FromRequestParts<S> for Caller {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        // Only routes behind the auth middleware take a caller; without one, refuse.
        parts
            .extensions
            .get::<Caller>()
            .cloned()
            .ok_or(ApiError::Unauthorized)
    }
}
