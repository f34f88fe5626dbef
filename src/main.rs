//! Entry point, run when a page initialises the module: defines the custom element and
//! mounts into `#cloudinary-connections` if the page has one (the standalone page).
fn main() {
    cloudinary_connections::start();
}
