//! The events the app dispatches on its host element (`docs/embedding.md`), as plain data.

use serde::Serialize;

/// Prefix of every event name.
pub const PREFIX: &str = "cloudinary-connections:";

/// One event for the host.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HostEvent {
    /// The first screen is drawn.
    Ready,
    /// A connection was created (`created: true`) or changed.
    Saved {
        id: i64,
        name: String,
        created: bool,
    },
    /// Connections were deleted.
    Deleted { ids: Vec<i64> },
    /// The app moved between its screens; `path` is under the base path.
    Navigate { path: String },
    /// The API still answers `status` (401/403) after a fresh token.
    Unauthorized { status: u16 },
}

#[derive(Serialize)]
#[serde(untagged)]
enum Detail<'a> {
    Empty {},
    Saved {
        id: i64,
        name: &'a str,
        created: bool,
    },
    Deleted {
        ids: &'a [i64],
    },
    Navigate {
        path: &'a str,
    },
    Unauthorized {
        status: u16,
    },
}

impl HostEvent {
    /// The event's name, `cloudinary-connections:<kind>`.
    pub fn name(&self) -> String {
        let kind = match self {
            HostEvent::Ready => "ready",
            HostEvent::Saved { .. } => "saved",
            HostEvent::Deleted { .. } => "deleted",
            HostEvent::Navigate { .. } => "navigate",
            HostEvent::Unauthorized { .. } => "unauthorized",
        };
        format!("{PREFIX}{kind}")
    }

    /// The event's `detail` as JSON.
    pub fn detail_json(&self) -> String {
        let detail = match self {
            HostEvent::Ready => Detail::Empty {},
            HostEvent::Saved { id, name, created } => Detail::Saved {
                id: *id,
                name,
                created: *created,
            },
            HostEvent::Deleted { ids } => Detail::Deleted { ids },
            HostEvent::Navigate { path } => Detail::Navigate { path },
            HostEvent::Unauthorized { status } => Detail::Unauthorized { status: *status },
        };
        serde_json::to_string(&detail).unwrap_or_else(|_| "{}".into())
    }
}

/// The path under `base` (`/shop/cc/17`, base `/shop/cc` → `/17`); a path outside it is `/`.
pub fn path_under(base: &str, path: &str) -> String {
    let base = base.trim_end_matches('/');
    let rest = if base.is_empty() {
        Some(path)
    } else {
        path.strip_prefix(base)
            .filter(|r| r.is_empty() || r.starts_with('/'))
    };
    match rest {
        Some("") | None => "/".to_string(),
        Some(r) => r.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_follow_the_contract() {
        assert_eq!(HostEvent::Ready.name(), "cloudinary-connections:ready");
        assert_eq!(
            HostEvent::Unauthorized { status: 401 }.name(),
            "cloudinary-connections:unauthorized"
        );
        assert_eq!(
            HostEvent::Deleted { ids: vec![] }.name(),
            "cloudinary-connections:deleted"
        );
    }

    #[test]
    fn details_follow_the_contract() {
        assert_eq!(HostEvent::Ready.detail_json(), "{}");
        assert_eq!(
            HostEvent::Saved {
                id: 17,
                name: "Shop \"EU\"".into(),
                created: true
            }
            .detail_json(),
            r#"{"id":17,"name":"Shop \"EU\"","created":true}"#
        );
        assert_eq!(
            HostEvent::Deleted { ids: vec![3, 4] }.detail_json(),
            r#"{"ids":[3,4]}"#
        );
        assert_eq!(
            HostEvent::Navigate {
                path: "/new".into()
            }
            .detail_json(),
            r#"{"path":"/new"}"#
        );
        assert_eq!(
            HostEvent::Unauthorized { status: 403 }.detail_json(),
            r#"{"status":403}"#
        );
    }

    #[test]
    fn paths_under_the_base() {
        assert_eq!(path_under("/shop/cc", "/shop/cc/17"), "/17");
        assert_eq!(path_under("/shop/cc/", "/shop/cc"), "/");
        assert_eq!(path_under("/shop/cc", "/shop/ccx/1"), "/");
        assert_eq!(path_under("/shop/cc", "/elsewhere"), "/");
        assert_eq!(path_under("", "/new"), "/new");
        assert_eq!(path_under("", ""), "/");
    }
}
