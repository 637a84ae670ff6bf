//! The built app as the nginx recipe serves it, and the CSP of scripts/csp.mjs.

use std::io::Read;

use crate::common::{config, dev_identity, fixture_dist, pair, pair_with, run_csp, start_gateway};

const SECURITY: [(&str, &str); 4] = [
    ("x-content-type-options", "nosniff"),
    ("referrer-policy", "no-referrer"),
    (
        "permissions-policy",
        "camera=(), microphone=(), geolocation=(), payment=(), usb=()",
    ),
    ("strict-transport-security", "max-age=31536000"),
];

#[tokio::test]
async fn the_page_types_and_caching_follow_the_recipe() {
    let pair = pair().await;
    let cases = [
        ("/", "text/html; charset=utf-8", "no-cache"),
        ("/index.html", "text/html; charset=utf-8", "no-cache"),
        (
            "/app-1a2b3c4d5e.js",
            "text/javascript; charset=utf-8",
            "public, max-age=31536000, immutable",
        ),
        (
            "/app-1a2b3c4d5e_bg.wasm",
            "application/wasm",
            "public, max-age=31536000, immutable",
        ),
        ("/favicon.ico", "image/x-icon", "no-cache"),
    ];
    for (path, content_type, caching) in cases {
        let response = pair
            .client
            .get(pair.gateway.url(path))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 200, "{path}");
        assert_eq!(response.headers()["content-type"], content_type, "{path}");
        assert_eq!(response.headers()["cache-control"], caching, "{path}");
    }
    let missing = pair
        .client
        .get(pair.gateway.url("/nowhere.js"))
        .send()
        .await
        .unwrap();
    assert_eq!(missing.status(), 404);
}

#[tokio::test]
async fn security_headers_are_on_every_answer() {
    let pair = pair().await;
    for path in ["/", "/nowhere", "/v1/accounts", "/api/me", "/api/nothing"] {
        let response = pair
            .client
            .get(pair.gateway.url(path))
            .send()
            .await
            .unwrap();
        for (name, value) in SECURITY {
            assert_eq!(response.headers()[name], value, "{name} on {path}");
        }
        assert!(
            response.headers().contains_key("content-security-policy"),
            "CSP on {path}"
        );
    }
}

#[tokio::test]
async fn scripts_are_gzipped_for_browsers_that_accept_it() {
    let pair = pair().await;
    let response = pair
        .client
        .get(pair.gateway.url("/app-1a2b3c4d5e.js"))
        .header("Accept-Encoding", "gzip")
        .send()
        .await
        .unwrap();
    assert_eq!(response.headers()["content-encoding"], "gzip");
    let compressed = response.bytes().await.unwrap();
    let mut text = String::new();
    flate2::read::GzDecoder::new(&compressed[..])
        .read_to_string(&mut text)
        .unwrap();
    assert_eq!(
        text,
        std::fs::read_to_string(pair.dist.path().join("app-1a2b3c4d5e.js")).unwrap()
    );
    let small = pair
        .client
        .get(pair.gateway.url("/favicon.ico"))
        .header("Accept-Encoding", "gzip")
        .send()
        .await
        .unwrap();
    assert!(small.headers().get("content-encoding").is_none());
}

#[tokio::test]
async fn the_served_policy_is_csp_mjs_output() {
    let pair = pair().await;
    let expected = run_csp(pair.dist.path(), &["--frame-ancestors", "'self'"]);
    let response = pair.client.get(pair.gateway.url("/")).send().await.unwrap();
    assert_eq!(
        response.headers()["content-security-policy"],
        expected.trim()
    );
    assert!(
        expected.contains("'sha256-"),
        "the fixture has an inline script to hash"
    );
}

#[tokio::test]
async fn frame_ancestors_comes_from_the_flag() {
    let sources = "'self' https://portal.example.com";
    let pair = pair_with(|_| {}, |c| c.frame_ancestors = sources.to_owned()).await;
    let expected = run_csp(pair.dist.path(), &["--frame-ancestors", sources]);
    let response = pair
        .client
        .get(pair.gateway.url("/index.html"))
        .send()
        .await
        .unwrap();
    assert_eq!(
        response.headers()["content-security-policy"],
        expected.trim()
    );
}

#[tokio::test]
async fn a_build_without_its_policy_does_not_start() {
    let dist = fixture_dist();
    std::fs::remove_file(dist.path().join("csp.txt")).unwrap();
    let settings = config("http://127.0.0.1:9", dist.path(), "secret", dev_identity());
    let error = match mass_updater_gateway::Gateway::start(settings).await {
        Ok(_) => panic!("started without a CSP"),
        Err(e) => e.to_string(),
    };
    assert!(error.contains("csp.txt"), "{error}");
    // The fixture itself is fine: putting the file back makes it start.
    let dist = fixture_dist();
    start_gateway(config(
        "http://127.0.0.1:9",
        dist.path(),
        "secret",
        dev_identity(),
    ))
    .await;
}
