//! `Idempotency-Key` on `POST /v1/bulk`.

use std::time::{Duration, Instant};

use reqwest::StatusCode;
use serde_json::{json, Value};
use zuora_sandbox::Config;

use crate::common::*;

async fn post_with_key(sb: &Sandbox, key: &str, csv: &[u8]) -> reqwest::Response {
    sb.client
        .post(sb.url("/v1/bulk"))
        .bearer_auth(DEV_TOKEN)
        .header("Idempotency-Key", key)
        .multipart(form("a.csv", csv, "MPU"))
        .send()
        .await
        .expect("send")
}

async fn wait_in_flight(sb: &Sandbox, n: u64) {
    let deadline = Instant::now() + Duration::from_secs(5);
    while sb.in_flight().await.0 < n {
        assert!(Instant::now() < deadline, "request never got in flight");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

#[tokio::test]
async fn replay_with_the_same_key_returns_the_same_bulk_key_and_creates_one_action() {
    let sb = Sandbox::start().await;
    let first = post_with_key(&sb, "upload-1", b"h\n1\n").await;
    assert_eq!(first.status(), StatusCode::OK);
    let first_id = first.headers()["zuora-request-id"].clone();
    let first_body: Value = first.json().await.expect("json");

    let second = post_with_key(&sb, "upload-1", b"h\n1\n").await;
    assert_eq!(second.status(), StatusCode::OK);
    assert_eq!(
        second.headers()["content-type"],
        "application/json; charset=utf-8"
    );
    assert_ne!(
        second.headers()["zuora-request-id"],
        first_id,
        "fresh request id"
    );
    let second_body: Value = second.json().await.expect("json");
    assert_eq!(first_body, second_body);

    let actions = sb.mass_actions().await;
    assert_eq!(actions.len(), 1);
    assert_eq!(actions[0]["idempotencyKey"], "upload-1");
    assert_eq!(actions[0]["bulkKey"], first_body["bulkKey"]);

    // Another key is another action.
    sb.upload("b.csv", b"h\n1\n", "MPU").await;
    assert!(sb.mass_actions().await[1]["idempotencyKey"].is_null());
}

#[tokio::test]
async fn validation_errors_are_stored_and_replayed_too() {
    let sb = Sandbox::start().await;
    let first = post_with_key(&sb, "k-bad", b"").await;
    let message = assert_zuora_error(first, StatusCode::BAD_REQUEST, "66011620").await;
    // Even a valid body now gets the stored answer.
    // The stored body is replayed as it was, so its requestId is the first
    // request's, while the Zuora-Request-Id header is fresh.
    let second = post_with_key(&sb, "k-bad", b"h\n1\n").await;
    assert_eq!(second.status(), StatusCode::BAD_REQUEST);
    let header_id = second.headers()["zuora-request-id"]
        .to_str()
        .expect("id")
        .to_string();
    let body: Value = second.json().await.expect("json");
    assert_eq!(body["reasons"][0]["code"], "66011620");
    assert_eq!(body["reasons"][0]["message"], message.as_str());
    assert_ne!(body["requestId"], header_id.as_str());
    assert!(sb.mass_actions().await.is_empty());
}

#[tokio::test]
async fn same_key_while_the_first_is_in_flight_is_409() {
    let sb = Sandbox::start_with(Config {
        processing_delay_ms: 1500,
        ..fast_config()
    })
    .await;
    let first = {
        let client = sb.client.clone();
        let url = sb.url("/v1/bulk");
        tokio::spawn(async move {
            client
                .post(url)
                .bearer_auth(DEV_TOKEN)
                .header("Idempotency-Key", "slow-1")
                .multipart(form("a.csv", b"h\n1\n", "MPU"))
                .send()
                .await
                .expect("send")
        })
    };
    wait_in_flight(&sb, 1).await;
    tokio::time::sleep(Duration::from_millis(200)).await;
    let second = post_with_key(&sb, "slow-1", b"h\n1\n").await;
    assert_zuora_error(second, StatusCode::CONFLICT, "66030450").await;

    let first = first.await.expect("join");
    assert_eq!(first.status(), StatusCode::OK);
    let first_body: Value = first.json().await.expect("json");
    sb.put_config(json!({"processingDelayMs": 0})).await;
    let third: Value = post_with_key(&sb, "slow-1", b"h\n1\n")
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(third["bulkKey"], first_body["bulkKey"]);
    assert_eq!(sb.mass_actions().await.len(), 1);
}

#[tokio::test]
async fn same_key_on_another_method_or_path_is_422() {
    let sb = Sandbox::start().await;
    let bulk_key = {
        let body: Value = post_with_key(&sb, "shared-key", b"h\n1\n")
            .await
            .json()
            .await
            .expect("json");
        body["bulkKey"].as_str().expect("key").to_string()
    };
    let response = sb
        .client
        .put(sb.url(&format!("/v1/bulk/{bulk_key}/stop")))
        .bearer_auth(DEV_TOKEN)
        .header("Idempotency-Key", "shared-key")
        .send()
        .await
        .expect("send");
    let message = assert_zuora_error(response, StatusCode::UNPROCESSABLE_ENTITY, "66030530").await;
    assert!(message.contains("POST /v1/bulk"), "{message}");
    assert_eq!(
        sb.status(&bulk_key).await["status"],
        "Pending",
        "not stopped"
    );
}

#[tokio::test]
async fn key_longer_than_255_characters_is_400() {
    let sb = Sandbox::start().await;
    let response = post_with_key(&sb, &"k".repeat(256), b"h\n1\n").await;
    let message = assert_zuora_error(response, StatusCode::BAD_REQUEST, "66030220").await;
    assert!(message.contains("256"), "{message}");
    let response = post_with_key(&sb, &"k".repeat(255), b"h\n1\n").await;
    assert_eq!(response.status(), StatusCode::OK);
}

#[tokio::test]
async fn fault_and_401_responses_are_not_stored_against_the_key() {
    let sb = Sandbox::start().await;
    sb.add_fault(json!({"kind": "status", "status": 503})).await;
    let faulted = post_with_key(&sb, "retry-me", b"h\n1\n").await;
    assert_eq!(faulted.status(), StatusCode::SERVICE_UNAVAILABLE);

    let unauthorised = sb
        .client
        .post(sb.url("/v1/bulk"))
        .bearer_auth("expired-token")
        .header("Idempotency-Key", "retry-me")
        .multipart(form("a.csv", b"h\n1\n", "MPU"))
        .send()
        .await
        .expect("send");
    assert_eq!(unauthorised.status(), StatusCode::UNAUTHORIZED);

    let ok = post_with_key(&sb, "retry-me", b"h\n1\n").await;
    assert_eq!(ok.status(), StatusCode::OK);
    assert_eq!(sb.mass_actions().await.len(), 1);
}

/// Every kind of injected fault stands for a failure in front of Zuora, so none of them
/// may pin the key: the retry with the same key gets a real answer. By contrast, an
/// answer the sandbox itself gives (here a validation 400) is stored and replayed.
#[tokio::test]
async fn no_injected_fault_is_stored_but_the_sandboxs_own_errors_are() {
    let sb = Sandbox::start().await;
    for status in [429, 500, 502, 503, 504] {
        let key = format!("fault-{status}");
        sb.add_fault(json!({"kind": "status", "status": status, "retryAfter": 1, "method": "POST", "path": "/v1/bulk"}))
            .await;
        let faulted = post_with_key(&sb, &key, b"h\n1\n").await;
        assert_eq!(faulted.status().as_u16(), status);
        let retried = post_with_key(&sb, &key, b"h\n1\n").await;
        assert_eq!(retried.status(), StatusCode::OK, "after a {status} fault");
    }
    sb.add_fault(json!({"kind": "drop", "method": "POST", "path": "/v1/bulk"}))
        .await;
    let dropped = sb
        .client
        .post(sb.url("/v1/bulk"))
        .bearer_auth(DEV_TOKEN)
        .header("Idempotency-Key", "fault-drop")
        .multipart(form("a.csv", b"h\n1\n", "MPU"))
        .send()
        .await;
    assert!(dropped.is_err(), "the connection was dropped");
    let retried = post_with_key(&sb, "fault-drop", b"h\n1\n").await;
    assert_eq!(retried.status(), StatusCode::OK, "after a drop fault");
    assert_eq!(sb.mass_actions().await.len(), 6);

    let refused = post_with_key(&sb, "own-error", b"").await;
    assert_eq!(refused.status(), StatusCode::BAD_REQUEST);
    let replayed = post_with_key(&sb, "own-error", b"h\n1\n").await;
    assert_eq!(
        replayed.status(),
        StatusCode::BAD_REQUEST,
        "the sandbox's own 400 is replayed"
    );
    assert_eq!(sb.mass_actions().await.len(), 6);
}

#[tokio::test]
async fn key_is_released_when_the_client_goes_away_during_processing() {
    let sb = Sandbox::start_with(Config {
        processing_delay_ms: 1500,
        ..fast_config()
    })
    .await;
    let result = sb
        .client
        .post(sb.url("/v1/bulk"))
        .bearer_auth(DEV_TOKEN)
        .header("Idempotency-Key", "abandoned")
        .multipart(form("a.csv", b"h\n1\n", "MPU"))
        .timeout(Duration::from_millis(400))
        .send()
        .await;
    assert!(result.expect_err("gave up").is_timeout());
    let deadline = Instant::now() + Duration::from_secs(5);
    while sb.in_flight().await.0 != 0 {
        assert!(
            Instant::now() < deadline,
            "abandoned request still in flight"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert!(
        sb.mass_actions().await.is_empty(),
        "the handler was cancelled, not run to the end"
    );
    sb.put_config(json!({"processingDelayMs": 0})).await;
    let retry = post_with_key(&sb, "abandoned", b"h\n1\n").await;
    assert_eq!(
        retry.status(),
        StatusCode::OK,
        "not a 409: the key was released"
    );
    assert_eq!(sb.mass_actions().await.len(), 1);
}
