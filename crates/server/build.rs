//! `sqlx::migrate!` embeds `migrations/` at compile time: a new or changed
//! migration file must rebuild this crate.
fn main() {
    println!("cargo:rerun-if-changed=migrations");
}
