//! The mass action's clock, stop requests and the response file.

use reqwest::StatusCode;
use serde_json::Value;
use zuora_sandbox::{Config, CountsAs};

use crate::common::*;

/// Successes among the first `n` rows of LIFECYCLE_CSV.
fn expected_successes(n: usize) -> u64 {
    LIFECYCLE_OUTCOMES[..n].iter().filter(|ok| **ok).count() as u64
}

fn num(v: &Value) -> u64 {
    v.as_u64().unwrap_or_else(|| panic!("not a number: {v}"))
}

fn is_timestamp(v: &Value) -> bool {
    let Some(s) = v.as_str() else { return false };
    let b = s.as_bytes();
    s.len() == 19
        && b[4] == b'-'
        && b[7] == b'-'
        && b[10] == b' '
        && b[13] == b':'
        && b[16] == b':'
        && s.bytes()
            .enumerate()
            .all(|(i, c)| [4, 7, 10, 13, 16].contains(&i) || c.is_ascii_digit())
}

const FIELDS: [&str; 15] = [
    "actionType",
    "endedOn",
    "errorCount",
    "inputSize",
    "outputSize",
    "outputType",
    "outputURL",
    "processedCount",
    "startedOn",
    "status",
    "success",
    "successCount",
    "totalCount",
    "uploadedBy",
    "uploadedOn",
];

#[tokio::test]
async fn action_goes_pending_processing_completed_with_counts_from_the_failure_rule() {
    let sb = Sandbox::start().await; // tick 400 ms, 2 rows per tick
    let key = sb
        .upload(
            "accounting.csv",
            LIFECYCLE_CSV.as_bytes(),
            "UpdateAccountingCode",
        )
        .await;

    let first = sb.status(&key).await;
    let keys: Vec<&String> = first.as_object().expect("object").keys().collect();
    assert_eq!(
        keys,
        FIELDS.iter().collect::<Vec<_>>(),
        "exactly the documented fields"
    );
    assert_eq!(first["status"], "Pending");
    for field in ["totalCount", "processedCount", "successCount", "errorCount"] {
        assert!(first[field].is_null(), "{field} is null while Pending");
    }
    assert!(first["startedOn"].is_null() && first["endedOn"].is_null());
    assert!(first["outputURL"].is_null() && first["outputType"].is_null());
    assert!(first["outputSize"].is_null());
    assert_eq!(first["success"], true);
    assert_eq!(first["actionType"], "UpdateAccountingCode");
    assert_eq!(first["inputSize"], LIFECYCLE_CSV.len());
    assert_eq!(first["uploadedBy"], "sandbox.user@example.com");
    assert!(
        is_timestamp(&first["uploadedOn"]),
        "{}",
        first["uploadedOn"]
    );

    let seen = sb.poll_until(&key, |s| s["status"] == "Completed").await;
    let mut processing_seen = 0;
    let mut last_processed = 0;
    for s in &seen {
        match s["status"].as_str() {
            Some("Pending") => assert!(s["processedCount"].is_null()),
            Some("Processing") => {
                processing_seen += 1;
                let processed = num(&s["processedCount"]);
                assert_eq!(num(&s["totalCount"]), 7);
                assert_eq!(processed % 2, 0, "whole ticks of 2 rows");
                assert!(processed < 7 && processed >= last_processed);
                last_processed = processed;
                assert_eq!(
                    num(&s["successCount"]),
                    expected_successes(processed as usize)
                );
                assert_eq!(processed, num(&s["successCount"]) + num(&s["errorCount"]));
                assert!(is_timestamp(&s["startedOn"]));
                assert!(s["endedOn"].is_null() && s["outputURL"].is_null());
            }
            Some("Completed") => {}
            other => panic!("unexpected status {other:?}"),
        }
    }
    assert!(processing_seen > 0, "Processing was observed");

    let done = seen.last().expect("last");
    assert_eq!(num(&done["totalCount"]), 7);
    assert_eq!(num(&done["processedCount"]), 7);
    assert_eq!(num(&done["successCount"]), 4);
    assert_eq!(num(&done["errorCount"]), 3);
    assert!(is_timestamp(&done["startedOn"]) && is_timestamp(&done["endedOn"]));
    assert!(done["startedOn"].as_str() <= done["endedOn"].as_str());
    assert_eq!(done["outputType"], "(url:.csv.zip)");
    assert!(done["outputSize"].as_u64().is_some());
}

#[tokio::test]
async fn counts_are_strings_when_configured() {
    let sb = Sandbox::start_with(Config {
        counts_as: CountsAs::String,
        ..fast_config()
    })
    .await;
    let key = sb
        .upload("a.csv", LIFECYCLE_CSV.as_bytes(), "ImportFXRate")
        .await;
    let pending = sb.status(&key).await;
    assert!(pending["totalCount"].is_null(), "still null while Pending");
    let seen = sb.poll_until(&key, |s| s["status"] == "Completed").await;
    let done = seen.last().expect("last");
    assert_eq!(done["totalCount"], "7");
    assert_eq!(done["processedCount"], "7");
    assert_eq!(done["successCount"], "4");
    assert_eq!(done["errorCount"], "3");
    assert!(done["inputSize"].is_number() && done["outputSize"].is_number());

    // Switching back at run time applies to the next GET.
    sb.put_config(serde_json::json!({"countsAs": "number"}))
        .await;
    assert_eq!(sb.status(&key).await["totalCount"], 7);
}

#[tokio::test]
async fn response_file_has_the_upload_plus_result_columns() {
    let sb = Sandbox::start_with(Config {
        tick_ms: 100,
        rows_per_tick: 50,
        ..Config::default()
    })
    .await;
    let key = sb
        .upload(
            "accounting.csv",
            LIFECYCLE_CSV.as_bytes(),
            "UpdateAccountingCode",
        )
        .await;
    let seen = sb.poll_until(&key, |s| s["status"] == "Completed").await;
    let (name, rows) = sb.response_file(seen.last().expect("last")).await;
    assert_eq!(name, "accounting-response.csv");
    assert_eq!(
        rows[0],
        [
            "Group ID",
            "Object Key",
            "Object Type",
            "#Comment",
            "Success",
            "Error Message"
        ]
    );
    assert_eq!(rows.len(), 8, "header + 7 rows; the blank line is dropped");
    let expect = [
        ("OK-1", "Y", ""),
        ("OK-2", "Y", ""),
        ("FAIL-3", "N", "Sandbox rule: the row contains FAIL"),
        ("OK-4", "N", "A previous row with the same Group ID failed"),
        ("OK-5", "Y", ""),
        ("FAILED-6", "N", "Sandbox rule: the row contains FAIL"),
        ("fail-7", "Y", ""),
    ];
    for (row, (object_key, success, message)) in rows[1..].iter().zip(expect) {
        assert_eq!(row[1], object_key);
        assert_eq!(row[4], success, "{row:?}");
        assert_eq!(row[5], message, "{row:?}");
    }
    assert_eq!(rows[1][3], "FAIL is ignored here", "cells are unchanged");
}

#[tokio::test]
async fn response_file_quotes_cells_and_adds_revenue_schedule_numbers() {
    let sb = Sandbox::start_with(Config {
        tick_ms: 100,
        rows_per_tick: 50,
        ..Config::default()
    })
    .await;
    let csv = "Subscription Charge Key,Revenue Schedule Notes\n\
               C-00000001,\"Notes, with a comma and \"\"quotes\"\"\"\n\
               C-FAIL,x\n\
               C-00000003,\"two\nlines\"\n";
    let key = sb
        .upload("Create RS.csv", csv.as_bytes(), "CreateRevenueSchedule")
        .await;
    let seen = sb.poll_until(&key, |s| s["status"] == "Completed").await;
    let (name, rows) = sb.response_file(seen.last().expect("last")).await;
    assert_eq!(name, "Create RS-response.csv");
    assert_eq!(
        rows[0],
        [
            "Subscription Charge Key",
            "Revenue Schedule Notes",
            "Success",
            "Error Message",
            "Revenue Schedule Number"
        ]
    );
    assert_eq!(rows[1][1], "Notes, with a comma and \"quotes\"");
    assert_eq!(rows[3][1], "two\nlines");
    for i in [1, 3] {
        let rs = &rows[i][4];
        assert!(rs.starts_with("RS-") && rs.len() == 11, "{rs}");
        assert!(rs[3..].bytes().all(|b| b.is_ascii_digit()), "{rs}");
    }
    assert_ne!(rows[1][4], rows[3][4]);
    assert_eq!(rows[2][2], "N");
    assert_eq!(rows[2][4], "", "no schedule for a failed row");
}

#[tokio::test]
async fn mpu_response_file_has_payment_columns() {
    let sb = Sandbox::start_with(Config {
        tick_ms: 100,
        rows_per_tick: 50,
        ..Config::default()
    })
    .await;
    let csv = "Billing Account ID,Payment Amount,Currency,Payment Date,Payment Method ID\n\
               A1,10.00,USD,2024-01-31,PM1\n\
               A2,FAIL,USD,2024-01-31,PM1\n";
    let key = sb.upload("payments.csv", csv.as_bytes(), "MPU").await;
    let seen = sb.poll_until(&key, |s| s["status"] == "Completed").await;
    let (_, rows) = sb.response_file(seen.last().expect("last")).await;
    assert_eq!(
        rows[0][5..],
        [
            "Success",
            "Error Message",
            "Payment ID",
            "Gateway Response Code",
            "Gateway Response Message",
            "Payment Status"
        ]
    );
    assert_eq!(rows[1][5], "Y");
    assert_hex(&rows[1][7], 32);
    assert_eq!(rows[1][10], "Processed");
    assert_eq!(rows[2][5], "N");
    assert!(rows[2][7..].iter().all(String::is_empty));
}

#[tokio::test]
async fn stop_while_processing_goes_stopping_then_stopped_and_leaves_rest_blank() {
    let sb = Sandbox::start_with(Config {
        tick_ms: 600,
        rows_per_tick: 1,
        ..Config::default()
    })
    .await;
    let key = sb
        .upload(
            "accounting.csv",
            LIFECYCLE_CSV.as_bytes(),
            "UpdateAccountingCode",
        )
        .await;
    sb.poll_until(&key, |s| {
        s["status"] == "Processing" && s["processedCount"].as_u64() >= Some(2)
    })
    .await;
    let response = sb.stop(&key).await;
    assert_eq!(response.status(), StatusCode::OK);
    let body: Value = response.json().await.expect("json");
    assert_eq!(body, serde_json::json!({"success": true}));

    let stopping = sb.status(&key).await;
    assert_eq!(stopping["status"], "Stopping");
    assert!(stopping["outputURL"].is_null() && stopping["endedOn"].is_null());
    let frozen = num(&stopping["processedCount"]);
    assert!((2..7).contains(&frozen), "{frozen}");

    let seen = sb.poll_until(&key, |s| s["status"] == "Stopped").await;
    for s in &seen {
        assert_eq!(
            num(&s["processedCount"]),
            frozen,
            "nothing more is processed"
        );
    }
    let stopped = seen.last().expect("last");
    assert_eq!(num(&stopped["totalCount"]), 7);
    assert_eq!(
        num(&stopped["successCount"]),
        expected_successes(frozen as usize)
    );
    assert!(is_timestamp(&stopped["endedOn"]) && is_timestamp(&stopped["startedOn"]));

    let (_, rows) = sb.response_file(stopped).await;
    for (i, row) in rows[1..].iter().enumerate() {
        if (i as u64) < frozen {
            let want = if LIFECYCLE_OUTCOMES[i] { "Y" } else { "N" };
            assert_eq!(row[4], want, "row {i}");
        } else {
            assert_eq!(row[4], "", "row {i} was not processed");
            assert_eq!(row[5], "");
        }
    }

    // A second stop names the current status.
    let message =
        assert_zuora_error(sb.stop(&key).await, StatusCode::BAD_REQUEST, "66020130").await;
    assert!(message.contains("Stopped"), "{message}");
}

#[tokio::test]
async fn stop_while_pending_gives_no_response_file() {
    let sb = Sandbox::start_with(Config {
        tick_ms: 1500,
        ..Config::default()
    })
    .await;
    let key = sb
        .upload("a.csv", LIFECYCLE_CSV.as_bytes(), "DeleteRevenueSchedule")
        .await;
    assert_eq!(sb.status(&key).await["status"], "Pending");
    assert_eq!(sb.stop(&key).await.status(), StatusCode::OK);
    assert_eq!(sb.status(&key).await["status"], "Stopping");
    let seen = sb.poll_until(&key, |s| s["status"] == "Stopped").await;
    let stopped = seen.last().expect("last");
    assert!(stopped["outputURL"].is_null());
    assert!(stopped["outputType"].is_null() && stopped["outputSize"].is_null());
    assert!(stopped["startedOn"].is_null(), "never started");
    assert!(is_timestamp(&stopped["endedOn"]));
    assert_eq!(num(&stopped["processedCount"]), 0);
}

#[tokio::test]
async fn stop_after_completed_is_400_naming_the_status() {
    let sb = Sandbox::start_with(Config {
        tick_ms: 100,
        rows_per_tick: 50,
        ..Config::default()
    })
    .await;
    let key = sb.upload("a.csv", b"h\n1\n", "MPU").await;
    sb.poll_until(&key, |s| s["status"] == "Completed").await;
    let message =
        assert_zuora_error(sb.stop(&key).await, StatusCode::BAD_REQUEST, "66020130").await;
    assert!(message.contains("Completed"), "{message}");
}

#[tokio::test]
async fn csv_without_data_rows_or_unreadable_in_a_zip_ends_failed() {
    let sb = Sandbox::start_with(Config {
        tick_ms: 1000,
        ..Config::default()
    })
    .await;
    let header_only = sb
        .upload("a.csv", b"Object Key,Object Type\n\n", "MPU")
        .await;
    let latin1 = make_zip(&[("a.csv", b"h\ncaf\xe9\n")]);
    let not_utf8 = sb.upload("a.zip", &latin1, "MPU").await;
    let ragged = sb.upload("r.csv", b"a,b\n1,2\n3\n", "MPU").await;
    let keys = [header_only, not_utf8, ragged];
    for key in &keys {
        assert_eq!(sb.status(key).await["status"], "Pending");
    }
    for key in keys {
        let seen = sb.poll_until(&key, |s| s["status"] == "Failed").await;
        let failed = seen.last().expect("last");
        assert!(failed["outputURL"].is_null());
        assert_eq!(num(&failed["processedCount"]), 0);
        assert!(is_timestamp(&failed["endedOn"]));
        // A failed action cannot be stopped.
        let message =
            assert_zuora_error(sb.stop(&key).await, StatusCode::BAD_REQUEST, "66020130").await;
        assert!(message.contains("Failed"), "{message}");
    }
}

#[tokio::test]
async fn each_action_keeps_the_clock_it_was_created_with() {
    let sb = Sandbox::start_with(Config {
        tick_ms: 100,
        rows_per_tick: 50,
        ..Config::default()
    })
    .await;
    let fast = sb.upload("a.csv", b"h\n1\n", "MPU").await;
    sb.put_config(serde_json::json!({"tickMs": 60000})).await;
    let slow = sb.upload("b.csv", b"h\n1\n", "MPU").await;
    sb.poll_until(&fast, |s| s["status"] == "Completed").await;
    assert_eq!(sb.status(&slow).await["status"], "Pending");
}

#[tokio::test]
async fn unknown_bulk_key_or_file_id_is_404() {
    let sb = Sandbox::start().await;
    let message = assert_zuora_error(
        sb.get("/v1/bulk/ffffffffffffffffffffffffffffffff").await,
        StatusCode::NOT_FOUND,
        "50000040",
    )
    .await;
    assert!(message.contains("ffffffffffffffffffffffffffffffff"));
    assert_zuora_error(
        sb.stop("ffffffffffffffffffffffffffffffff").await,
        StatusCode::NOT_FOUND,
        "50000040",
    )
    .await;
    assert_zuora_error(
        sb.get("/v1/files/ffffffffffffffffffffffffffffffff").await,
        StatusCode::NOT_FOUND,
        "50000040",
    )
    .await;
    assert_zuora_error(
        sb.get("/v1/nothing-here").await,
        StatusCode::NOT_FOUND,
        "50000040",
    )
    .await;
}

#[tokio::test]
async fn wrong_method_on_a_known_route_is_405() {
    let sb = Sandbox::start().await;
    let key = sb.upload("a.csv", b"h\n1\n", "MPU").await;
    let cases = [
        (reqwest::Method::DELETE, format!("/v1/bulk/{key}"), "GET"),
        (reqwest::Method::GET, "/v1/bulk".to_string(), "POST"),
        (reqwest::Method::POST, format!("/v1/bulk/{key}/stop"), "PUT"),
        (reqwest::Method::GET, "/oauth/token".to_string(), "POST"),
    ];
    for (method, path, allowed) in cases {
        let response = sb
            .client
            .request(method, sb.url(&path))
            .bearer_auth(DEV_TOKEN)
            .send()
            .await
            .expect("send");
        assert_eq!(response.headers()["allow"], allowed);
        assert_zuora_error(response, StatusCode::METHOD_NOT_ALLOWED, "50000045").await;
    }
}
