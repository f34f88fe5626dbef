//! The app inside someone else's page: `mount(element, options)` and its handle, the
//! `<cloudinary-connections>` element, the options and the events (`docs/embedding.md`).

pub mod element;
pub mod events;
pub mod js_options;
pub mod mount;
pub mod options;
pub mod stylesheet;
