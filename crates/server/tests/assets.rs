//! The app's files: sent precompressed as `make build` wrote them, hashed files
//! cached for a year, `index.html` revalidated; API answers compressed on the fly.

mod support;

use axum::http::StatusCode;
use support::*;

const CSS: &str = "main-0123456789abcdef.css";

fn write_dist(h: &Harness) {
    let dist = h.dir.path().join("dist");
    std::fs::write(dist.join(CSS), "body { color: black; }").expect("css");
    std::fs::write(dist.join(format!("{CSS}.br")), b"BROTLI-BYTES").expect("br");
    std::fs::write(dist.join(format!("{CSS}.gz")), b"GZIP-BYTES").expect("gz");
    std::fs::write(dist.join("index.html.br"), b"INDEX-BR").expect("index br");
}

async fn fetch(h: &Harness, uri: &str, accept: &str) -> Answer {
    send(&h.router, get_with(uri, &[("accept-encoding", accept)])).await
}

#[tokio::test]
async fn hashed_files_are_sent_precompressed_and_cached_for_a_year() {
    let h = harness().await;
    write_dist(&h);
    let path = format!("/{CSS}");
    let br = fetch(&h, &path, "gzip, deflate, br").await;
    assert_eq!(br.status, StatusCode::OK);
    assert_eq!(br.header("content-encoding"), "br");
    assert_eq!(
        br.body, b"BROTLI-BYTES",
        "the file as written, not compressed again"
    );
    assert_eq!(
        br.header("cache-control"),
        "public, max-age=31536000, immutable"
    );
    assert_eq!(br.header("vary").to_ascii_lowercase(), "accept-encoding");
    assert!(br.header("content-type").starts_with("text/css"));
    let gz = fetch(&h, &path, "gzip").await;
    assert_eq!(gz.header("content-encoding"), "gzip");
    assert_eq!(gz.body, b"GZIP-BYTES");
    let plain = fetch(&h, &path, "identity").await;
    assert_eq!(plain.header("content-encoding"), "");
    assert_eq!(plain.body, b"body { color: black; }");
}

#[tokio::test]
async fn the_page_and_its_routes_are_revalidated() {
    let h = harness().await;
    write_dist(&h);
    for path in ["/", "/index.html", "/17", "/new"] {
        let a = fetch(&h, path, "br").await;
        assert_eq!(a.status, StatusCode::OK, "{path}");
        assert_eq!(a.header("cache-control"), "no-cache", "{path}");
        assert_eq!(a.header("content-encoding"), "br", "{path}");
        assert_eq!(a.body, b"INDEX-BR", "{path}");
        assert!(!a.header("content-security-policy").is_empty(), "{path}");
    }
    let missing = fetch(&h, "/main-0123456789abcdee.css", "br").await;
    assert_ne!(
        missing.header("cache-control"),
        "public, max-age=31536000, immutable",
        "a file that is not there is never cached for a year"
    );
}

#[tokio::test]
async fn api_answers_are_compressed_on_the_fly_and_never_cached() {
    let h = harness().await;
    let a = fetch(&h, "/api/openapi.json", "gzip").await;
    assert_eq!(a.status, StatusCode::OK);
    assert_eq!(a.header("content-encoding"), "gzip");
    assert_eq!(a.header("cache-control"), "no-store");
}

#[tokio::test]
async fn the_stable_entry_is_revalidated_and_the_hashed_module_it_names_is_kept() {
    let h = harness().await;
    let dist = h.dir.path().join("dist");
    let module = "cloudinary-connections-0123456789abcdef.js";
    std::fs::write(dist.join(module), "export default function init() {}").expect("module");
    std::fs::write(
        dist.join("cloudinary-connections.js"),
        format!("export * from './{module}';\nexport {{ default }} from './{module}';\n"),
    )
    .expect("entry");
    let entry = fetch(&h, "/cloudinary-connections.js", "identity").await;
    assert_eq!(entry.status, StatusCode::OK);
    assert_eq!(entry.header("cache-control"), "no-cache");
    assert!(entry.header("content-type").contains("javascript"));
    assert!(entry.text().contains(module));
    let hashed = fetch(&h, &format!("/{module}"), "identity").await;
    assert_eq!(hashed.status, StatusCode::OK);
    assert_eq!(
        hashed.header("cache-control"),
        "public, max-age=31536000, immutable"
    );
}
