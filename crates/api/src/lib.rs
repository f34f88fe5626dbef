//! The JSON contract between the Cloudinary Connections app and its server
//! (`docs/api.md`), and the rules both sides apply to it.
//!
//! This crate does no I/O and has no platform-specific dependency: it compiles
//! for `wasm32-unknown-unknown` (the app) and natively (the server) alike.

mod drivers;
mod env_var;
mod facts;
mod history;
pub mod json;
mod redact;
mod types;
mod validate;

pub use drivers::{default_driver, drivers, find_driver, Region, DEFAULT_DRIVER_ID};
pub use env_var::{parse_env_var, EnvCredentials, EnvVarError};
pub use facts::{API_KEY, API_SECRET, CLOUD_NAME, ENV_VAR_KEYS, REGION};
pub use history::{Action, Actor, Event, EventPage, EventStatus, HistoryQuery, Me};
pub use types::*;
pub use validate::{
    check_field, check_fields, check_input, check_name, is_invisible_format, messages,
    normalize_name, validate_field, validate_fields, validate_input, validate_name, BadChar,
    FieldErrors, FieldProblems, Problem, NAME_MAX_CHARS, PROBLEM_CODES,
};
