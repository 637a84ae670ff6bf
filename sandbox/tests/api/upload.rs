//! `POST /v1/bulk` validation: one test per rejection, plus the accepted
//! variants (checksum, zip, BOM, upper-case extension).

use reqwest::multipart::{Form, Part};
use reqwest::StatusCode;
use serde_json::json;
use zuora_sandbox::Config;

use crate::common::*;

const CSV: &[u8] = b"Object Key,Object Type\nK-1,Invoice Item\n";

async fn rejected(sb: &Sandbox, form: Form, code: &str) -> String {
    let response = sb.post_form(form).await;
    let message = assert_zuora_error(response, StatusCode::BAD_REQUEST, code).await;
    assert!(sb.mass_actions().await.is_empty(), "no mass action created");
    message
}

#[tokio::test]
async fn body_that_is_not_multipart_is_rejected() {
    let sb = Sandbox::start().await;
    let response = sb
        .client
        .post(sb.url("/v1/bulk"))
        .bearer_auth(DEV_TOKEN)
        .json(&json!({"actionType": "MPU"}))
        .send()
        .await
        .expect("send");
    let message = assert_zuora_error(response, StatusCode::BAD_REQUEST, "66010120").await;
    assert!(message.contains("application/json"), "{message}");
}

#[tokio::test]
async fn multipart_without_a_boundary_is_rejected() {
    let sb = Sandbox::start().await;
    let response = sb
        .client
        .post(sb.url("/v1/bulk"))
        .bearer_auth(DEV_TOKEN)
        .header("Content-Type", "multipart/form-data")
        .body("--x\r\n\r\n--x--\r\n")
        .send()
        .await
        .expect("send");
    assert_zuora_error(response, StatusCode::BAD_REQUEST, "66010120").await;
}

#[tokio::test]
async fn missing_file_part_is_rejected() {
    let sb = Sandbox::start().await;
    let form = Form::new().text("params", r#"{"actionType":"MPU"}"#);
    rejected(&sb, form, "66010322").await;
}

#[tokio::test]
async fn missing_params_part_is_rejected() {
    let sb = Sandbox::start().await;
    let form = Form::new().part("file", Part::bytes(CSV.to_vec()).file_name("a.csv"));
    rejected(&sb, form, "66010422").await;
}

#[tokio::test]
async fn params_that_are_not_json_are_rejected() {
    let sb = Sandbox::start().await;
    rejected(
        &sb,
        form_with_params("a.csv", CSV, "actionType=MPU"),
        "66010790",
    )
    .await;
}

#[tokio::test]
async fn params_that_are_not_an_object_are_rejected() {
    let sb = Sandbox::start().await;
    rejected(
        &sb,
        form_with_params("a.csv", CSV, r#"["MPU"]"#),
        "66010820",
    )
    .await;
}

#[tokio::test]
async fn params_without_action_type_are_rejected() {
    let sb = Sandbox::start().await;
    let checksum = md5_hex(CSV);
    let params = format!(r#"{{"checksum":"{checksum}"}}"#);
    rejected(&sb, form_with_params("a.csv", CSV, &params), "66010922").await;
}

#[tokio::test]
async fn action_type_is_case_sensitive() {
    let sb = Sandbox::start().await;
    let message = rejected(&sb, form("a.csv", CSV, "mpu"), "66011020").await;
    assert!(message.contains("'mpu'"), "{message}");
    rejected(&sb, form("a.csv", CSV, "ImportFxRate"), "66011020").await;
    rejected(
        &sb,
        form_with_params("a.csv", CSV, r#"{"actionType":42}"#),
        "66011020",
    )
    .await;
}

#[tokio::test]
async fn every_documented_action_type_is_accepted() {
    let sb = Sandbox::start().await;
    for action in [
        "UpdateAccountingCode",
        "CreateRevenueSchedule",
        "UpdateRevenueSchedule",
        "DeleteRevenueSchedule",
        "ImportFXRate",
        "MPU",
    ] {
        sb.upload("a.csv", CSV, action).await;
    }
    assert_eq!(sb.mass_actions().await.len(), 6);
}

#[tokio::test]
async fn unknown_params_key_is_rejected_as_unknown_field() {
    let sb = Sandbox::start().await;
    let params = r#"{"actionType":"MPU","checkSum":"x"}"#;
    let message = rejected(&sb, form_with_params("a.csv", CSV, params), "66011121").await;
    assert!(message.contains("checkSum"), "{message}");
}

#[tokio::test]
async fn checksum_that_is_not_32_hex_characters_is_rejected() {
    let sb = Sandbox::start().await;
    for bad in [r#""abc""#, r#""zz345678901234567890123456789012""#, "12"] {
        let params = format!(r#"{{"actionType":"MPU","checksum":{bad}}}"#);
        rejected(&sb, form_with_params("a.csv", CSV, &params), "66011220").await;
    }
}

#[tokio::test]
async fn checksum_that_differs_from_the_file_md5_is_rejected() {
    let sb = Sandbox::start().await;
    let wrong = md5_hex(b"something else");
    let params = format!(r#"{{"actionType":"MPU","checksum":"{wrong}"}}"#);
    let message = rejected(&sb, form_with_params("a.csv", CSV, &params), "66011320").await;
    assert!(message.contains(&md5_hex(CSV)), "{message}");
}

#[tokio::test]
async fn checksum_matching_the_file_md5_in_any_case_is_accepted() {
    let sb = Sandbox::start().await;
    for checksum in [md5_hex(CSV), md5_hex(CSV).to_ascii_uppercase()] {
        let params = format!(r#"{{"actionType":"MPU","checksum":"{checksum}"}}"#);
        let response = sb.post_form(form_with_params("a.csv", CSV, &params)).await;
        assert_eq!(response.status(), StatusCode::OK);
    }
    // For a zip, the checksum covers the uploaded zip bytes.
    let zip = make_zip(&[("a.csv", CSV)]);
    let params = format!(r#"{{"actionType":"MPU","checksum":"{}"}}"#, md5_hex(&zip));
    let response = sb.post_form(form_with_params("a.zip", &zip, &params)).await;
    assert_eq!(response.status(), StatusCode::OK);
}

#[tokio::test]
async fn file_part_without_a_filename_is_rejected() {
    let sb = Sandbox::start().await;
    let form = Form::new()
        .part("file", Part::bytes(CSV.to_vec()))
        .text("params", r#"{"actionType":"MPU"}"#);
    rejected(&sb, form, "66011422").await;
}

#[tokio::test]
async fn file_over_the_size_limit_is_rejected_with_both_sizes() {
    let sb = Sandbox::start_with(Config {
        max_file_bytes: 100,
        ..fast_config()
    })
    .await;
    let big = format!("h\n{}\n", "x".repeat(120));
    let message = rejected(&sb, form("a.csv", big.as_bytes(), "MPU"), "66011520").await;
    assert!(message.contains(&big.len().to_string()), "{message}");
    assert!(message.contains("100"), "{message}");
    // Exactly at the limit is fine.
    let exact = format!("h\n{}\n", "x".repeat(97));
    assert_eq!(exact.len(), 100);
    sb.upload("a.csv", exact.as_bytes(), "MPU").await;
}

#[tokio::test]
async fn empty_file_is_rejected() {
    let sb = Sandbox::start().await;
    rejected(&sb, form("a.csv", b"", "MPU"), "66011620").await;
}

#[tokio::test]
async fn file_that_is_neither_csv_nor_zip_is_rejected() {
    let sb = Sandbox::start().await;
    let message = rejected(&sb, form("report.xlsx", CSV, "MPU"), "66011720").await;
    assert!(message.contains("report.xlsx"), "{message}");
    rejected(&sb, form("csv", CSV, "MPU"), "66011720").await;
}

#[tokio::test]
async fn extension_check_ignores_case() {
    let sb = Sandbox::start().await;
    sb.upload("DATA.CSV", CSV, "MPU").await;
    sb.upload("Data.Zip", &make_zip(&[("data.csv", CSV)]), "MPU")
        .await;
}

#[tokio::test]
async fn csv_with_a_nul_byte_is_rejected() {
    let sb = Sandbox::start().await;
    rejected(&sb, form("a.csv", b"h\n1\0\n", "MPU"), "66011820").await;
}

#[tokio::test]
async fn csv_that_is_not_utf8_is_rejected() {
    let sb = Sandbox::start().await;
    // "café" in Latin-1.
    let message = rejected(&sb, form("a.csv", b"h\ncaf\xe9\n", "MPU"), "66011920").await;
    assert!(message.contains("offset 5"), "{message}");
}

#[tokio::test]
async fn csv_with_a_utf8_bom_is_accepted() {
    let sb = Sandbox::start().await;
    let key = sb
        .upload("a.csv", b"\xef\xbb\xbfObject Key\nK-1\n", "MPU")
        .await;
    let actions = sb.mass_actions().await;
    assert_eq!(actions[0]["bulkKey"], key.as_str());
    assert_eq!(actions[0]["totalCount"], 1);
}

#[tokio::test]
async fn zip_with_one_csv_is_accepted_ignoring_folders_and_mac_metadata() {
    let sb = Sandbox::start().await;
    let zip = make_zip(&[
        ("data/", b""),
        ("data/accounting.csv", CSV),
        ("__MACOSX/data/._accounting.csv", b"\0\x05\x16\x07"),
        ("data/.hidden.csv", b"junk"),
        ("notes.txt", b"not a csv"),
    ]);
    let key = sb.upload("upload.zip", &zip, "UpdateAccountingCode").await;
    let actions = sb.mass_actions().await;
    assert_eq!(actions[0]["bulkKey"], key.as_str());
    assert_eq!(actions[0]["fileName"], "upload.zip");
    assert_eq!(actions[0]["totalCount"], 1);
    // The action keeps the unzipped CSV text.
    let csv = sb
        .get_bytes(&format!("/__sandbox/mass-actions/{key}/csv"))
        .await;
    assert_eq!(&csv[..], CSV);
}

#[tokio::test]
async fn zip_with_two_csv_files_is_rejected() {
    let sb = Sandbox::start().await;
    let zip = make_zip(&[("a.csv", CSV), ("b.CSV", CSV)]);
    let message = rejected(&sb, form("a.zip", &zip, "MPU"), "66012320").await;
    assert!(
        message.contains("a.csv") && message.contains("b.CSV"),
        "{message}"
    );
}

#[tokio::test]
async fn zip_without_a_csv_is_rejected() {
    let sb = Sandbox::start().await;
    let zip = make_zip(&[("readme.txt", b"hello"), ("__MACOSX/._a.csv", b"x")]);
    rejected(&sb, form("a.zip", &zip, "MPU"), "66012220").await;
}

#[tokio::test]
async fn corrupt_zip_is_rejected() {
    let sb = Sandbox::start().await;
    rejected(
        &sb,
        form("a.zip", b"PK\x03\x04 this is not a zip", "MPU"),
        "66012020",
    )
    .await;
    // A real zip cut short loses its central directory.
    let zip = make_zip(&[("a.csv", CSV)]);
    rejected(&sb, form("a.zip", &zip[..zip.len() / 2], "MPU"), "66012020").await;
}

#[tokio::test]
async fn encrypted_zip_is_rejected() {
    let sb = Sandbox::start().await;
    let zip = mark_encrypted(make_zip(&[("a.csv", CSV)]));
    let message = rejected(&sb, form("a.zip", &zip, "MPU"), "66012120").await;
    assert!(message.contains("a.csv"), "{message}");
}

#[tokio::test]
async fn unknown_extra_part_is_rejected_as_unknown_field() {
    let sb = Sandbox::start().await;
    let form = form("a.csv", CSV, "MPU").text("actionType", "MPU");
    let message = rejected(&sb, form, "66010521").await;
    assert!(message.contains("actionType"), "{message}");
}

#[tokio::test]
async fn duplicate_file_or_params_parts_are_rejected() {
    let sb = Sandbox::start().await;
    let twice_file =
        form("a.csv", CSV, "MPU").part("file", Part::bytes(CSV.to_vec()).file_name("b.csv"));
    let message = rejected(&sb, twice_file, "66010620").await;
    assert!(message.contains("'file'"), "{message}");
    let twice_params = form("a.csv", CSV, "MPU").text("params", r#"{"actionType":"MPU"}"#);
    let message = rejected(&sb, twice_params, "66010620").await;
    assert!(message.contains("'params'"), "{message}");
}

#[tokio::test]
async fn body_over_the_body_limit_is_413() {
    let sb = Sandbox::start_with(Config {
        max_body_bytes: 2_000,
        ..fast_config()
    })
    .await;
    let big = vec![b'x'; 5_000];
    let response = sb.post_form(form("a.csv", &big, "MPU")).await;
    let message = assert_zuora_error(response, StatusCode::PAYLOAD_TOO_LARGE, "66012520").await;
    assert!(message.contains("2000"), "{message}");
    // The log still records the real size, without parts.
    let log = sb.requests().await;
    assert!(log[0]["bodySize"].as_u64().expect("size") > 5_000);
    assert!(log[0]["parts"].is_null());
}

#[tokio::test]
async fn params_sent_as_a_file_part_is_accepted() {
    // Open question in the reference: Zuora may or may not accept this. The
    // sandbox is lenient here and records the part's filename in the log.
    let sb = Sandbox::start().await;
    let form = Form::new()
        .part("file", Part::bytes(CSV.to_vec()).file_name("a.csv"))
        .part(
            "params",
            Part::bytes(br#"{"actionType":"MPU"}"#.to_vec())
                .file_name("blob")
                .mime_str("application/json")
                .expect("mime"),
        );
    let response = sb.post_form(form).await;
    assert_eq!(response.status(), StatusCode::OK);
}
