//! What the proxy forwards and what it refuses, read back from the sandbox's log.

use mass_updater_gateway::identity::Identity;
use serde_json::Value;

use crate::common::{
    config, fixture_dist, form, pair, pair_with, random_secret, sandbox_config, start_gateway,
    start_sandbox, zuora_code, CSV,
};

#[tokio::test]
async fn only_the_four_routes_are_forwarded() {
    let pair = pair().await;
    for path in [
        "/v1/accounts",
        "/v1",
        "/v1/bulk/a/b",
        "/v1/files",
        "/v1/bulk/k/stop/now",
    ] {
        let response = pair
            .client
            .get(pair.gateway.url(path))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 404, "{path}");
        assert_eq!(zuora_code(response).await, "50000040");
    }
    let response = pair
        .client
        .delete(pair.gateway.url("/v1/bulk/k"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 405);
    assert_eq!(response.headers()["allow"], "GET");
    let response = pair
        .client
        .get(pair.gateway.url("/v1/bulk/k/stop"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 405);
    assert!(pair.requests().await.is_empty(), "nothing reached Zuora");
}

#[tokio::test]
async fn allowed_headers_pass_and_the_browsers_credentials_do_not() {
    let pair = pair().await;
    let response = pair
        .client
        .post(pair.gateway.url("/v1/bulk?probe=1"))
        .header("Idempotency-Key", "key-headers-1")
        .header("Zuora-Track-Id", "track-1")
        .header("Zuora-Entity-Ids", "entity-1")
        .header("Zuora-Org-Ids", "org-1")
        .header("Zuora-Version", "2024-01-01")
        .header("Accept-Encoding", "identity")
        .header("Authorization", "Bearer browser-token")
        .header("Cookie", "session=portal")
        .header("Origin", "https://portal.example.com")
        .header("X-Forwarded-Email", "someone@example.com")
        .multipart(form(
            "accounting.csv",
            CSV.as_bytes(),
            "UpdateAccountingCode",
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(
        response.headers()["zuora-track-id"],
        "track-1",
        "answer headers pass back"
    );
    let log = pair.requests().await;
    let post: &Value = log
        .iter()
        .find(|r| r["method"] == "POST" && r["path"] == "/v1/bulk?probe=1")
        .expect("forwarded");
    let headers = &post["headers"];
    assert_eq!(headers["idempotency-key"], "key-headers-1");
    assert_eq!(headers["zuora-track-id"], "track-1");
    assert_eq!(headers["zuora-entity-ids"], "entity-1");
    assert_eq!(headers["zuora-org-ids"], "org-1");
    assert_eq!(headers["zuora-version"], "2024-01-01");
    assert_eq!(headers["accept-encoding"], "identity");
    assert!(headers["content-type"]
        .as_str()
        .unwrap()
        .starts_with("multipart/form-data; boundary="));
    let authorization = headers["authorization"].as_str().unwrap();
    assert!(authorization.starts_with("Bearer ") && authorization != "Bearer browser-token");
    for dropped in ["cookie", "origin", "x-forwarded-email"] {
        assert!(headers.get(dropped).is_none(), "{dropped} was forwarded");
    }
    assert_eq!(
        post["parts"][0]["md5"],
        crate::common::md5_hex(CSV.as_bytes())
    );
}

#[tokio::test]
async fn a_cross_site_request_is_refused() {
    let pair = pair().await;
    for site in ["cross-site", "same-site"] {
        let response = pair
            .client
            .get(pair.gateway.url("/v1/files/x"))
            .header("Sec-Fetch-Site", site)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 403, "{site}");
        zuora_code(response).await;
    }
    let same_origin = pair
        .client
        .get(pair.gateway.url("/v1/files/x"))
        .header("Sec-Fetch-Site", "same-origin")
        .send()
        .await
        .unwrap();
    assert_eq!(same_origin.status(), 404);
    assert_eq!(pair.count("GET", "/v1/files/x").await, 1);
}

#[tokio::test]
async fn a_body_over_the_limit_is_a_413() {
    let pair = pair_with(|_| {}, |c| c.max_file_bytes = 1000).await;
    let big = vec![b'a'; 70 * 1024];
    let response = pair
        .client
        .put(pair.gateway.url("/v1/bulk/k/stop"))
        .body(big.clone())
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 413);
    zuora_code(response).await;
    // Without Content-Length: the limit holds while the body streams in.
    let frames: Vec<Result<hyper::body::Frame<bytes::Bytes>, std::io::Error>> = big
        .chunks(4096)
        .map(|c| Ok(hyper::body::Frame::data(bytes::Bytes::copy_from_slice(c))))
        .collect();
    let stream = http_body_util::StreamBody::new(futures_util::stream::iter(frames));
    let response = pair
        .client
        .put(pair.gateway.url("/v1/bulk/k/stop"))
        .body(reqwest::Body::wrap(stream))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 413);
    assert_eq!(pair.count("PUT", "/v1/").await, 0);
}

async fn trusting(
    net: &str,
) -> (
    crate::common::Running,
    crate::common::Running,
    tempfile::TempDir,
) {
    let secret = random_secret();
    let sandbox = start_sandbox(sandbox_config(&secret)).await;
    let dist = fixture_dist();
    let identity =
        Identity::new(Some("X-Forwarded-Email"), vec![net.parse().unwrap()], None).unwrap();
    let gateway = start_gateway(config(&sandbox.base, dist.path(), &secret, identity)).await;
    (sandbox, gateway, dist)
}

#[tokio::test]
async fn the_user_header_is_ignored_from_an_untrusted_address() {
    let (_sandbox, gateway, _dist) = trusting("127.0.0.2/32").await;
    let client = reqwest::Client::new();
    let me = client
        .get(gateway.url("/api/me"))
        .header("X-Forwarded-Email", "eve@example.com")
        .send()
        .await
        .unwrap();
    assert_eq!(me.status(), 401);
    let body: Value = me.json().await.unwrap();
    assert!(body["error"].as_str().unwrap().ends_with('.'));
    let v1 = client
        .get(gateway.url("/v1/files/x"))
        .header("X-Forwarded-Email", "eve@example.com")
        .send()
        .await
        .unwrap();
    assert_eq!(v1.status(), 401);
    zuora_code(v1).await;
}

#[tokio::test]
async fn the_user_header_is_honoured_from_a_trusted_address() {
    let (_sandbox, gateway, _dist) = trusting("127.0.0.1/32").await;
    let client = reqwest::Client::new();
    let me = client
        .get(gateway.url("/api/me"))
        .header("X-Forwarded-Email", "bob@example.com")
        .send()
        .await
        .unwrap();
    assert_eq!(me.status(), 200);
    assert_eq!(me.headers()["cache-control"], "no-store");
    let body: Value = me.json().await.unwrap();
    assert_eq!(body["user"], "bob@example.com");
    let without = client.get(gateway.url("/api/me")).send().await.unwrap();
    assert_eq!(without.status(), 401, "no header, no user");
}

#[tokio::test]
async fn an_upload_is_answered_with_zuoras_bulk_key() {
    let pair = pair().await;
    let response = pair.upload("key-upload-1").await;
    assert_eq!(response.status(), 200);
    assert!(response.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("application/json"));
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["success"], true);
    assert_eq!(body["bulkKey"].as_str().map(str::len), Some(32));
}
