//! Every upload recorded before it is forwarded, its outcome after, and every mass
//! action followed to its end by the gateway itself.

use std::io::Write;

use futures_util::future::join_all;
use serde_json::{json, Value};

use crate::common::{form, md5_hex, pair, pair_with, CSV, USER};

#[tokio::test]
async fn an_upload_is_recorded_with_its_facts_and_bulk_key() {
    let pair = pair().await;
    let response = pair
        .client
        .post(pair.gateway.url("/v1/bulk"))
        .header("Idempotency-Key", "facts-1")
        .header("Zuora-Track-Id", "track-facts")
        .multipart(form(
            "accounting.csv",
            CSV.as_bytes(),
            "UpdateAccountingCode",
        ))
        .send()
        .await
        .unwrap();
    let answer: Value = response.json().await.unwrap();
    let job = pair.job("facts-1").await.expect("recorded");
    assert_eq!(job["submittedBy"], USER);
    assert_eq!(job["fileName"], "accounting.csv");
    assert_eq!(job["fileSize"], CSV.len());
    assert_eq!(job["md5"], md5_hex(CSV.as_bytes()));
    assert_eq!(job["actionType"], "UpdateAccountingCode");
    assert_eq!(job["trackId"], "track-facts");
    assert_eq!(job["bulkKey"], answer["bulkKey"]);
    assert!(job["submittedAt"].as_str().unwrap().ends_with('Z'));
}

#[tokio::test]
async fn a_retry_with_the_same_key_stays_one_record() {
    let pair = pair().await;
    let first: Value = pair.upload("retry-1").await.json().await.unwrap();
    let second: Value = pair.upload("retry-1").await.json().await.unwrap();
    assert_eq!(
        first["bulkKey"], second["bulkKey"],
        "Zuora replays the same mass action"
    );
    let history = pair.history("?limit=200").await;
    let records = history["jobs"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|j| j["idempotencyKey"] == "retry-1")
        .count();
    assert_eq!(records, 1);
    assert_eq!(
        pair.count("POST", "/v1/bulk").await,
        2,
        "both tries were forwarded"
    );
}

#[tokio::test]
async fn an_upload_without_a_key_is_given_one() {
    let pair = pair().await;
    let response = pair
        .client
        .post(pair.gateway.url("/v1/bulk"))
        .multipart(form("a.csv", CSV.as_bytes(), "UpdateAccountingCode"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let log = pair.requests().await;
    let sent = log
        .iter()
        .find(|r| r["method"] == "POST" && r["path"] == "/v1/bulk")
        .expect("forwarded");
    let key = sent["headers"]["idempotency-key"]
        .as_str()
        .expect("a key was added");
    let job = pair
        .job(key)
        .await
        .expect("recorded under the key Zuora got");
    assert!(job["bulkKey"].is_string());
}

#[tokio::test]
async fn a_gzip_upload_is_recorded_with_the_files_own_md5() {
    let pair = pair().await;
    let boundary = "gw-boundary";
    let body = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"z.csv\"\r\nContent-Type: text/csv\r\n\r\n{CSV}\r\n\
--{boundary}\r\nContent-Disposition: form-data; name=\"params\"\r\n\r\n{{\"actionType\":\"UpdateAccountingCode\"}}\r\n--{boundary}--\r\n"
    );
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    gz.write_all(body.as_bytes()).unwrap();
    let response = pair
        .client
        .post(pair.gateway.url("/v1/bulk"))
        .header("Idempotency-Key", "gzip-1")
        .header(
            "Content-Type",
            format!("multipart/form-data; boundary={boundary}"),
        )
        .header("Content-Encoding", "gzip")
        .body(gz.finish().unwrap())
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let job = pair.job("gzip-1").await.expect("recorded");
    assert_eq!(job["md5"], md5_hex(CSV.as_bytes()));
    assert_eq!(job["fileSize"], CSV.len());
    let log = pair.requests().await;
    let sent = log
        .iter()
        .find(|r| r["method"] == "POST" && r["path"] == "/v1/bulk")
        .expect("forwarded");
    assert_eq!(sent["contentEncoding"], "gzip", "forwarded still encoded");
}

#[tokio::test]
async fn a_refusal_is_recorded_with_zuoras_reasons() {
    let pair = pair().await;
    let response = pair
        .client
        .post(pair.gateway.url("/v1/bulk"))
        .header("Idempotency-Key", "refused-1")
        .multipart(form("a.csv", CSV.as_bytes(), "NoSuchAction"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 400);
    let job = pair.job("refused-1").await.expect("recorded");
    assert_eq!(job["status"], "Refused");
    assert_eq!(job["httpStatus"], 400);
    assert_eq!(job["reasons"][0]["code"], "66011020");
    assert_eq!(job["bulkKey"], Value::Null);
}

#[tokio::test]
async fn no_answer_is_recorded_as_unknown() {
    let pair = pair().await;
    pair.fault(json!({"kind": "drop", "method": "POST", "path": "/v1/bulk"}))
        .await;
    let response = pair.upload("unknown-1").await;
    assert_eq!(response.status(), 502);
    let job = pair.job("unknown-1").await.expect("recorded");
    assert_eq!(job["status"], "Unknown");
}

#[tokio::test]
async fn an_upload_that_cannot_be_recorded_is_not_sent() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("h.db").display());
    let database = url.clone();
    let pair = pair_with(|_| {}, move |c| c.database = database).await;
    let mut db = <sqlx::SqliteConnection as sqlx::Connection>::connect(&url)
        .await
        .unwrap();
    sqlx::query("ALTER TABLE submissions RENAME TO gone")
        .execute(&mut db)
        .await
        .unwrap();
    let response = pair.upload("lost-1").await;
    assert_eq!(response.status(), 503);
    crate::common::zuora_code(response).await;
    assert_eq!(pair.count("POST", "/v1/bulk").await, 0, "nothing forwarded");
}

#[tokio::test]
async fn a_mass_action_is_followed_to_its_end_without_a_browser() {
    let pair = pair().await;
    assert_eq!(pair.upload("follow-1").await.status(), 200);
    let job = pair
        .wait_for_job("follow-1", |j| j["status"] == "Completed")
        .await;
    assert_eq!(job["totalCount"], 2);
    assert_eq!(job["processedCount"], 2);
    assert_eq!(job["successCount"], 2);
    assert_eq!(job["errorCount"], 0);
    assert!(job["startedOn"].is_string() && job["endedOn"].is_string());
    assert!(job["outputUrl"].is_string() && job["lastCheckedAt"].is_string());
    assert!(
        pair.count("GET", "/v1/bulk/").await >= 1,
        "the gateway asked Zuora itself"
    );
}

#[tokio::test]
async fn thirty_concurrent_polls_make_one_upstream_request() {
    // The follower stays out of the way: its first round finds nothing to follow.
    let pair = pair_with(
        |_| {},
        |c| c.follow_interval = std::time::Duration::from_secs(3600),
    )
    .await;
    let answer: Value = pair.upload("polls-1").await.json().await.unwrap();
    let key = answer["bulkKey"].as_str().unwrap().to_owned();
    let path = format!("/v1/bulk/{key}");
    // A slow answer keeps the first request in flight while the others arrive.
    pair.fault(json!({"kind": "delay", "ms": 2000, "method": "GET", "path": path}))
        .await;
    let before = pair.count("GET", &path).await;
    let polls = (0..30).map(|_| pair.client.get(pair.gateway.url(&path)).send());
    let mut bodies = Vec::new();
    for response in join_all(polls).await {
        let response = response.unwrap();
        assert_eq!(response.status(), 200);
        bodies.push(response.json::<Value>().await.unwrap());
    }
    assert!(
        bodies.iter().all(|b| b == &bodies[0]),
        "every poll saw the same status"
    );
    assert_eq!(pair.count("GET", &path).await - before, 1);
}

#[tokio::test]
async fn an_unknown_bulk_key_is_zuoras_404() {
    let pair = pair().await;
    let response = pair
        .client
        .get(
            pair.gateway
                .url("/v1/bulk/0123456789abcdef0123456789abcdef"),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 404);
    assert_eq!(crate::common::zuora_code(response).await, "50000040");
}

#[tokio::test]
async fn an_upload_without_a_token_is_neither_recorded_nor_sent() {
    let pair = pair().await;
    pair.fault(json!({"kind": "status", "status": 401, "path": "/oauth/token"}))
        .await;
    let response = pair.upload("no-token-1").await;
    assert_eq!(response.status(), 502);
    assert!(pair.job("no-token-1").await.is_none());
    assert_eq!(pair.count("POST", "/v1/bulk").await, 0);
    let retry = pair.upload("no-token-1").await;
    assert_eq!(
        retry.status(),
        200,
        "the next try gets a token and goes through"
    );
    assert!(pair.job("no-token-1").await.is_some());
}

#[tokio::test]
async fn a_retry_after_no_answer_completes_the_same_record() {
    let pair = pair().await;
    pair.fault(json!({"kind": "drop", "method": "POST", "path": "/v1/bulk"}))
        .await;
    assert_eq!(pair.upload("again-1").await.status(), 502);
    assert_eq!(
        pair.job("again-1").await.expect("recorded")["status"],
        "Unknown"
    );
    let answer: Value = pair.upload("again-1").await.json().await.unwrap();
    let job = pair.job("again-1").await.expect("still recorded");
    assert_eq!(job["bulkKey"], answer["bulkKey"]);
    assert_ne!(job["status"], "Unknown");
    let history = pair.history("?limit=200").await;
    assert_eq!(history["jobs"].as_array().unwrap().len(), 1);
}
