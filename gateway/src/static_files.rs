//! The built app from `--dist`, served as the nginx recipe serves it: its types table,
//! gzip (pre-compressed `.gz` beside a file, else on the fly), `Cache-Control` by name.

use std::convert::Infallible;
use std::path::Path;

use axum::extract::Request;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use tower::util::BoxCloneSyncService;
use tower::{ServiceBuilder, ServiceExt};
use tower_http::compression::predicate::{Predicate, SizeAbove};
use tower_http::compression::CompressionLayer;
use tower_http::services::ServeDir;

/// nginx's `gzip_min_length`.
const GZIP_MIN_BYTES: u16 = 1024;
/// nginx's `gzip_types` (text/html is always compressed by nginx too).
const GZIP_TYPES: [&str; 6] = [
    "text/html",
    "text/css",
    "text/javascript",
    "application/wasm",
    "application/json",
    "image/svg+xml",
];
const NO_CACHE: HeaderValue = HeaderValue::from_static("no-cache");
const IMMUTABLE: HeaderValue = HeaderValue::from_static("public, max-age=31536000, immutable");

pub type StaticService = BoxCloneSyncService<Request, Response, Infallible>;

/// The service answering every path no route claims.
pub fn service(dist: &Path) -> StaticService {
    let compress_when = SizeAbove::new(GZIP_MIN_BYTES).and(
        |_: StatusCode,
         _: axum::http::Version,
         headers: &axum::http::HeaderMap,
         _: &axum::http::Extensions| {
            headers
                .get(header::CONTENT_TYPE)
                .and_then(|v| v.to_str().ok())
                .is_some_and(|t| GZIP_TYPES.iter().any(|g| t.starts_with(g)))
        },
    );
    let files = ServeDir::new(dist)
        .precompressed_gzip()
        .append_index_html_on_directories(true);
    let service = ServiceBuilder::new()
        .layer(
            CompressionLayer::new()
                .gzip(true)
                .compress_when(compress_when),
        )
        .service(files);
    let with_headers = tower::service_fn(move |request: Request| {
        let path = request.uri().path().to_owned();
        let inner = service.clone();
        async move {
            let mut response = match inner.oneshot(request).await {
                Ok(response) => response.into_response(),
                Err(never) => match never {},
            };
            name_headers(&path, &mut response);
            Ok::<_, Infallible>(response)
        }
    });
    BoxCloneSyncService::new(with_headers)
}

/// The type from the nginx table and the caching rule, both by the name asked for.
fn name_headers(path: &str, response: &mut Response) {
    let served = response.status().is_success() || response.status() == StatusCode::NOT_MODIFIED;
    if served && response.headers().contains_key(header::CONTENT_TYPE) {
        let file = if path.ends_with('/') {
            "index.html"
        } else {
            path
        };
        response.headers_mut().insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static(content_type(file)),
        );
    }
    let caching = if is_content_hashed(path) {
        IMMUTABLE
    } else {
        NO_CACHE
    };
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, caching);
}

/// The nginx recipe's `types` block, with its `charset utf-8` on the text types.
pub fn content_type(file: &str) -> &'static str {
    let extension = file.rsplit_once('.').map_or("", |(_, e)| e);
    match extension.to_ascii_lowercase().as_str() {
        "html" => "text/html; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "wasm" => "application/wasm",
        "json" => "application/json; charset=utf-8",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "ico" => "image/x-icon",
        "txt" => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    }
}

/// Trunk's content-hashed names, as the recipe's `-[0-9a-f]{8,16}(_bg)?\.(wasm|js|css)$`.
pub fn is_content_hashed(path: &str) -> bool {
    let Some((stem, extension)) = path.rsplit_once('.') else {
        return false;
    };
    if !matches!(extension, "wasm" | "js" | "css") {
        return false;
    }
    let stem = stem.strip_suffix("_bg").unwrap_or(stem);
    let Some((_, hash)) = stem.rsplit_once('-') else {
        return false;
    };
    (8..=16).contains(&hash.len()) && hash.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trunk_names_are_recognised_as_hashed() {
        assert!(is_content_hashed("/mass-updater-1a2b3c4d5e6f7a8b_bg.wasm"));
        assert!(is_content_hashed("/mass-updater-1a2b3c4d.js"));
        assert!(is_content_hashed("/main-0123456789abcdef.css"));
        assert!(!is_content_hashed("/embed.js"));
        assert!(!is_content_hashed("/a-1234567.js"));
        assert!(!is_content_hashed("/a-1a2b3c4d.html"));
        assert!(!is_content_hashed("/a-1A2B3C4D.js"));
    }

    #[test]
    fn wasm_is_application_wasm() {
        assert_eq!(content_type("/x_bg.wasm"), "application/wasm");
        assert_eq!(content_type("/favicon.ico"), "image/x-icon");
        assert_eq!(content_type("/LICENSE"), "application/octet-stream");
    }
}
