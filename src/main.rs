//! Entry point of the standalone page: mounts the app into `#cloudinary-connections`.
fn main() {
    cloudinary_connections::mount_from_page();
}
