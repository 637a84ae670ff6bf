//! Injected faults: status, drop, hang, delay, and how rules are matched.

use std::time::{Duration, Instant};

use reqwest::StatusCode;
use serde_json::{json, Value};

use crate::common::*;

#[tokio::test]
async fn status_fault_503_sends_an_html_page_with_retry_after_before_auth() {
    let sb = Sandbox::start().await;
    sb.add_fault(json!({"kind": "status", "status": 503, "retryAfter": 2}))
        .await;
    // No token: the fault answers before authentication would.
    let response = sb
        .client
        .get(sb.url("/v1/bulk/abc"))
        .send()
        .await
        .expect("send");
    assert_eq!(response.status(), StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(response.headers()["retry-after"], "2");
    assert_eq!(response.headers()["content-type"], "text/html");
    assert_eq!(response.headers()["zuora-request-id"].len(), 36);
    let page = response.text().await.expect("text");
    assert!(page.contains("503 Service Unavailable"), "{page}");

    // count defaults to 1: the next request is handled normally.
    let response = sb
        .client
        .get(sb.url("/v1/bulk/abc"))
        .send()
        .await
        .expect("send");
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    let log = sb.requests().await;
    assert_eq!(log[0]["fault"], "status 503");
    assert_eq!(log[0]["responseStatus"], 503);
    assert!(log[1]["fault"].is_null());
}

#[tokio::test]
async fn status_fault_500_uses_zuoras_500_shape() {
    let sb = Sandbox::start().await;
    sb.add_fault(json!({"kind": "status", "status": 500})).await;
    let response = sb.post_form(form("a.csv", b"h\n1\n", "MPU")).await;
    assert_eq!(response.status(), StatusCode::INTERNAL_SERVER_ERROR);
    let body: Value = response.json().await.expect("json");
    assert_eq!(
        body,
        json!({"reasons": [{"code": "SystemError", "message": "internal server error"}]})
    );
    assert!(sb.mass_actions().await.is_empty());
}

#[tokio::test]
async fn status_fault_429_uses_the_4xx_shape_with_a_limit_code() {
    let sb = Sandbox::start().await;
    sb.add_fault(json!({"kind": "status", "status": 429, "retryAfter": 1, "count": 2}))
        .await;
    for _ in 0..2 {
        let response = sb.post_form(form("a.csv", b"h\n1\n", "MPU")).await;
        assert_eq!(response.headers()["retry-after"], "1");
        assert_zuora_error(response, StatusCode::TOO_MANY_REQUESTS, "67990170").await;
    }
    sb.upload("a.csv", b"h\n1\n", "MPU").await;
    let faults = sb
        .control(reqwest::Method::GET, "/__sandbox/faults", None)
        .await;
    assert_eq!(faults, json!([]), "both counts consumed");
}

#[tokio::test]
async fn drop_fault_closes_the_connection_without_a_response() {
    let sb = Sandbox::start().await;
    sb.add_fault(json!({"kind": "drop", "method": "POST", "path": "/v1/bulk"}))
        .await;
    let client = reqwest::Client::new();
    let started = Instant::now();
    let result = client
        .post(sb.url("/v1/bulk"))
        .bearer_auth(DEV_TOKEN)
        .multipart(form("a.csv", b"h\n1\n", "MPU"))
        .timeout(Duration::from_secs(10))
        .send()
        .await;
    let error = result.expect_err("the connection is closed");
    assert!(!error.is_timeout(), "{error:?}");
    assert!(started.elapsed() < Duration::from_secs(5));
    assert!(sb.mass_actions().await.is_empty());
    let log = sb.requests().await;
    assert_eq!(log.len(), 1);
    assert_eq!(log[0]["fault"], "drop");
    assert!(log[0]["responseStatus"].is_null());
    // Still recorded in full when it arrived.
    assert_eq!(log[0]["parts"].as_array().map(Vec::len), Some(2));
}

#[tokio::test]
async fn drop_fault_sends_not_a_single_byte() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let sb = Sandbox::start().await;
    sb.add_fault(json!({"kind": "drop"})).await;
    let addr = sb.base.trim_start_matches("http://").to_string();
    let mut stream = tokio::net::TcpStream::connect(addr).await.expect("connect");
    stream
        .write_all(b"GET /v1/bulk/x HTTP/1.1\r\nHost: sandbox\r\n\r\n")
        .await
        .expect("write");
    let mut received = Vec::new();
    // A clean EOF or a reset are both fine; what matters is that the
    // connection ends promptly with nothing written to it.
    let _ = tokio::time::timeout(Duration::from_secs(5), stream.read_to_end(&mut received))
        .await
        .expect("connection closed in time");
    assert!(
        received.is_empty(),
        "{}",
        String::from_utf8_lossy(&received)
    );
}

#[tokio::test]
async fn hang_fault_never_answers_until_the_client_gives_up() {
    let sb = Sandbox::start().await;
    sb.add_fault(json!({"kind": "hang", "path": "/v1/bulk"}))
        .await;
    let result = sb
        .client
        .post(sb.url("/v1/bulk"))
        .bearer_auth(DEV_TOKEN)
        .multipart(form("a.csv", b"h\n1\n", "MPU"))
        .timeout(Duration::from_millis(700))
        .send()
        .await;
    assert!(result.expect_err("no answer").is_timeout());
    let log = sb.requests().await;
    assert_eq!(log[0]["fault"], "hang");
    assert!(log[0]["responseStatus"].is_null());
    // Once the client has gone, the request is no longer in flight.
    let deadline = Instant::now() + Duration::from_secs(5);
    while sb.in_flight().await.0 != 0 {
        assert!(Instant::now() < deadline, "hung request still counted");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert_eq!(sb.in_flight().await.1, 1);
}

#[tokio::test]
async fn delay_fault_waits_then_handles_normally() {
    let sb = Sandbox::start().await;
    sb.add_fault(json!({"kind": "delay", "ms": 500})).await;
    let started = Instant::now();
    let key = sb.upload("a.csv", b"h\n1\n", "MPU").await;
    assert!(started.elapsed() >= Duration::from_millis(500));
    assert_eq!(sb.mass_actions().await[0]["bulkKey"], key.as_str());
    assert_eq!(sb.requests().await[0]["fault"], "delay");
}

#[tokio::test]
async fn faults_match_method_and_path_prefix_in_order() {
    let sb = Sandbox::start().await;
    sb.add_fault(json!({"kind": "status", "status": 502, "method": "GET", "path": "/v1/bulk/"}))
        .await;
    sb.add_fault(json!({"kind": "status", "status": 504})).await;
    // POST /v1/bulk does not match the first rule (method and path), so the
    // second, unfiltered rule takes it.
    let response = sb.post_form(form("a.csv", b"h\n1\n", "MPU")).await;
    assert_eq!(response.status(), StatusCode::GATEWAY_TIMEOUT);
    let key = sb.upload("a.csv", b"h\n1\n", "MPU").await;
    let response = sb.get(&format!("/v1/bulk/{key}")).await;
    assert_eq!(response.status(), StatusCode::BAD_GATEWAY);
    // /__sandbox is never subject to faults.
    sb.add_fault(json!({"kind": "status", "status": 500})).await;
    let health = sb
        .control(reqwest::Method::GET, "/__sandbox/health", None)
        .await;
    assert_eq!(health, json!({"ok": true}));
}

#[tokio::test]
async fn faults_can_be_listed_and_cleared() {
    let sb = Sandbox::start().await;
    sb.add_fault(json!({"kind": "hang", "count": 3, "path": "/oauth"}))
        .await;
    sb.add_fault(json!({"kind": "delay"})).await;
    let listed = sb
        .control(reqwest::Method::GET, "/__sandbox/faults", None)
        .await;
    assert_eq!(
        listed,
        json!([
            {"kind": "hang", "count": 3, "path": "/oauth"},
            {"kind": "delay", "count": 1, "ms": 1000}
        ])
    );
    let bad = sb
        .client
        .post(sb.url("/__sandbox/faults"))
        .json(&json!({"kind": "explode"}))
        .send()
        .await
        .expect("send");
    assert_eq!(bad.status(), StatusCode::BAD_REQUEST);
    sb.control(reqwest::Method::DELETE, "/__sandbox/faults", None)
        .await;
    let listed = sb
        .control(reqwest::Method::GET, "/__sandbox/faults", None)
        .await;
    assert_eq!(listed, json!([]));
}
