//! The app inside someone else's page: the options and the events (`docs/embedding.md`).

pub mod events;
pub mod options;
