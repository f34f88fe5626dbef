//! Cloudinary Connections: the Connections tab of the Cloudinary module in the
//! Actindo web shell, as a Leptos single-page app.
//!
//! A host page mounts it into an element of its own ([`host::mount::mount`]) or inserts a
//! `<cloudinary-connections>` element; the standalone page has `#cloudinary-connections`
//! with the same settings as `data-*` attributes. Loading the module does nothing else
//! (`docs/embedding.md`).

pub mod announce;
pub mod api;
pub mod app;
pub mod auth;
pub mod caller;
pub mod cell;
pub mod context;
pub mod dialog;
pub mod dom;
pub mod early;
pub mod erased;
pub mod form;
pub mod history_guard;
pub mod host;
pub mod i18n;
pub mod inserted;
pub mod list;
pub mod loader;
pub mod locale;
pub mod route;
pub mod session;

pub use app::app;
pub use context::{HostConfig, Live};
pub use host::mount::{mount, MountHandle};

/// Id of the element the standalone page mounts into.
pub const MOUNT_ID: &str = "cloudinary-connections";

/// What initialising the module does: defines `<cloudinary-connections>` and mounts into
/// `#cloudinary-connections` if the page has one. Nothing else: no listener, no request.
pub fn start() {
    host::element::define();
    host::mount::mount_from_page(MOUNT_ID);
}
