//! The `/__sandbox` controls: request log, in-flight counter, config, reset.

use std::time::Duration;

use reqwest::{Method, StatusCode};
use serde_json::{json, Value};
use zuora_sandbox::Config;

use crate::common::*;

#[tokio::test]
async fn request_log_records_headers_parts_md5_and_params_text() {
    let sb = Sandbox::start().await;
    let csv = b"Object Key,Object Type\nK-1,Invoice Item\n";
    let params = r#"{"actionType":"UpdateAccountingCode"}"#;
    let response = sb
        .client
        .post(sb.url("/v1/bulk?source=test"))
        .bearer_auth(DEV_TOKEN)
        .header("Zuora-Track-Id", "log-1")
        .multipart(form_with_params("accounting.csv", csv, params))
        .send()
        .await
        .expect("send");
    assert_eq!(response.status(), StatusCode::OK);
    sb.get_json("/v1/bulk/unknown").await;

    let log = sb.requests().await;
    assert_eq!(log.len(), 2, "control calls are not logged");
    let entry = &log[0];
    assert_eq!(entry["seq"], 1);
    assert_eq!(entry["method"], "POST");
    assert_eq!(entry["path"], "/v1/bulk?source=test");
    assert_eq!(
        entry["headers"]["authorization"],
        "Bearer sandbox-dev-token"
    );
    assert_eq!(entry["headers"]["zuora-track-id"], "log-1");
    assert!(entry["headers"]["content-type"]
        .as_str()
        .expect("content type")
        .starts_with("multipart/form-data; boundary="));
    assert!(entry["bodySize"].as_u64().expect("size") > csv.len() as u64);
    assert_hex(entry["bodyMd5"].as_str().expect("md5"), 32);
    assert!(entry["fault"].is_null());
    assert_eq!(entry["responseStatus"], 200);

    let parts = entry["parts"].as_array().expect("parts");
    assert_eq!(parts.len(), 2);
    assert_eq!(parts[0]["name"], "file");
    assert_eq!(parts[0]["filename"], "accounting.csv");
    assert_eq!(parts[0]["size"], csv.len());
    assert_eq!(parts[0]["md5"], md5_hex(csv).as_str());
    assert!(
        parts[0]["text"].is_null(),
        "file parts are not shown as text"
    );
    assert_eq!(parts[1]["name"], "params");
    assert!(parts[1]["filename"].is_null() && parts[1]["contentType"].is_null());
    assert_eq!(parts[1]["text"], params);
    assert_eq!(parts[1]["md5"], md5_hex(params.as_bytes()).as_str());

    let raw = sb
        .client
        .get(sb.url("/__sandbox/requests/1/parts/0"))
        .send()
        .await
        .expect("send");
    assert_eq!(raw.headers()["content-type"], "application/octet-stream");
    assert_eq!(&raw.bytes().await.expect("bytes")[..], csv);
    let missing = sb
        .client
        .get(sb.url("/__sandbox/requests/1/parts/9"))
        .send()
        .await
        .expect("send");
    assert_eq!(missing.status(), StatusCode::NOT_FOUND);

    assert_eq!(log[1]["seq"], 2);
    assert_eq!(log[1]["responseStatus"], 404);
    assert!(log[1]["parts"].is_null());
    assert_eq!(log[1]["bodySize"], 0);

    sb.control(Method::DELETE, "/__sandbox/requests", None)
        .await;
    assert!(sb.requests().await.is_empty());
    let gone = sb
        .client
        .get(sb.url("/__sandbox/requests/1/parts/0"))
        .send()
        .await
        .expect("send");
    assert_eq!(gone.status(), StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn in_flight_reports_the_maximum_concurrent_uploads() {
    let sb = Sandbox::start_with(Config {
        processing_delay_ms: 700,
        ..fast_config()
    })
    .await;
    assert_eq!(sb.in_flight().await, (0, 0));
    let uploads: Vec<_> = (0..3)
        .map(|i| {
            let client = sb.client.clone();
            let url = sb.url("/v1/bulk");
            tokio::spawn(async move {
                client
                    .post(url)
                    .bearer_auth(DEV_TOKEN)
                    .multipart(form(&format!("f{i}.csv"), b"h\n1\n", "MPU"))
                    .send()
                    .await
                    .expect("send")
                    .status()
            })
        })
        .collect();
    for upload in uploads {
        assert_eq!(upload.await.expect("join"), StatusCode::OK);
    }
    assert_eq!(sb.in_flight().await, (0, 3));
    // Other routes are not counted.
    sb.get_json("/v1/bulk/unknown").await;
    sb.control(Method::POST, "/__sandbox/reset", None).await;
    assert_eq!(sb.in_flight().await, (0, 0));
}

#[tokio::test]
async fn config_can_be_changed_in_part_and_reset_restores_startup_values() {
    let sb = Sandbox::start().await;
    let effective = sb
        .put_config(json!({"rowsPerTick": 9, "countsAs": "string", "maxFileBytes": 10}))
        .await;
    assert_eq!(effective["rowsPerTick"], 9);
    assert_eq!(effective["countsAs"], "string");
    assert_eq!(effective["maxFileBytes"], 10);
    assert_eq!(effective["tickMs"], 400, "untouched");

    let bad = sb
        .client
        .put(sb.url("/__sandbox/config"))
        .json(&json!({"tickMs": 0}))
        .send()
        .await
        .expect("send");
    assert_eq!(bad.status(), StatusCode::BAD_REQUEST);
    let unknown = sb
        .client
        .put(sb.url("/__sandbox/config"))
        .json(&json!({"tick": 5}))
        .send()
        .await
        .expect("send");
    assert_eq!(unknown.status(), StatusCode::BAD_REQUEST);

    // maxFileBytes applies at once.
    let response = sb.post_form(form("a.csv", b"h\n12345678\n", "MPU")).await;
    assert_zuora_error(response, StatusCode::BAD_REQUEST, "66011520").await;

    sb.add_fault(json!({"kind": "delay", "ms": 1})).await;
    sb.control(Method::POST, "/__sandbox/reset", None).await;
    let config = sb.control(Method::GET, "/__sandbox/config", None).await;
    assert_eq!(config["rowsPerTick"], 2);
    assert_eq!(config["countsAs"], "number");
    assert_eq!(config["maxFileBytes"], 4_000_000);
    assert!(sb.requests().await.is_empty());
    assert!(sb.mass_actions().await.is_empty());
    assert_eq!(
        sb.control(Method::GET, "/__sandbox/faults", None).await,
        json!([])
    );
}

#[tokio::test]
async fn reset_forgets_actions_keys_and_issued_tokens() {
    let sb = Sandbox::start().await;
    let token: Value = sb
        .client
        .post(sb.url("/oauth/token"))
        .form(&[
            ("client_id", "5a1b0c2d-0000-4000-8000-5a4db0c0de01"),
            ("client_secret", "sandbox-dev-secret"),
            ("grant_type", "client_credentials"),
        ])
        .send()
        .await
        .expect("send")
        .json()
        .await
        .expect("json");
    let token = token["access_token"].as_str().expect("token").to_string();
    let first: Value = sb
        .client
        .post(sb.url("/v1/bulk"))
        .bearer_auth(&token)
        .header("Idempotency-Key", "k1")
        .multipart(form("a.csv", b"h\n1\n", "MPU"))
        .send()
        .await
        .expect("send")
        .json()
        .await
        .expect("json");

    sb.control(Method::POST, "/__sandbox/reset", None).await;

    let response = sb
        .client
        .get(sb.url("/v1/bulk/x"))
        .bearer_auth(&token)
        .send()
        .await
        .expect("send");
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    let second: Value = sb
        .client
        .post(sb.url("/v1/bulk"))
        .bearer_auth(DEV_TOKEN)
        .header("Idempotency-Key", "k1")
        .multipart(form("a.csv", b"h\n1\n", "MPU"))
        .send()
        .await
        .expect("send")
        .json()
        .await
        .expect("json");
    assert_ne!(first["bulkKey"], second["bulkKey"], "the key was forgotten");
    let response = sb
        .get(&format!(
            "/v1/bulk/{}",
            first["bulkKey"].as_str().expect("key")
        ))
        .await;
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
    assert_eq!(sb.requests().await.len(), 3, "log restarted at reset");
}

#[tokio::test]
async fn mass_actions_lists_actions_in_creation_order_with_current_status() {
    let sb = Sandbox::start_with(Config {
        tick_ms: 600,
        rows_per_tick: 50,
        ..Config::default()
    })
    .await;
    let a = sb.upload("first.csv", b"h\n1\n2\n", "ImportFXRate").await;
    let b = sb.upload("second.csv", b"h\n1\n", "MPU").await;
    let list = sb.mass_actions().await;
    assert_eq!(list.len(), 2);
    assert_eq!(
        list[0],
        json!({
            "bulkKey": a,
            "actionType": "ImportFXRate",
            "fileName": "first.csv",
            "idempotencyKey": null,
            "status": "Pending",
            "totalCount": 2
        })
    );
    assert_eq!(list[1]["bulkKey"], b.as_str());
    tokio::time::sleep(Duration::from_millis(1500)).await;
    let list = sb.mass_actions().await;
    assert_eq!(list[0]["status"], "Completed");
    assert_eq!(list[1]["status"], "Completed");
}

#[tokio::test]
async fn health_answers_ok_and_unknown_control_paths_are_404() {
    let sb = Sandbox::start().await;
    let response = sb
        .client
        .get(sb.url("/__sandbox/health"))
        .send()
        .await
        .expect("send");
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(
        response.json::<Value>().await.expect("json"),
        json!({"ok": true})
    );
    let response = sb
        .client
        .get(sb.url("/__sandbox/nothing"))
        .send()
        .await
        .expect("send");
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
}
