//! `Content-Encoding: gzip` on request bodies: the decoded body goes through
//! the same checks, log and idempotency store as a plain one.

use std::io::Write;
use std::time::{Duration, Instant};

use reqwest::StatusCode;
use serde_json::Value;
use zuora_sandbox::Config;

use crate::common::*;

const BOUNDARY: &str = "sandbox-gzip-test-7f3a";
const CSV: &[u8] = b"Object Key,Object Type\r\nK-1,Invoice Item\r\nK-2,Invoice Item\r\n";

/// A multipart body with a `file` part and a `params` text part, built by
/// hand so the test knows its exact bytes.
fn multipart_body(file_name: &str, file: &[u8], params: &str) -> Vec<u8> {
    let mut body = Vec::new();
    write!(
        body,
        "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{file_name}\"\r\n\
         Content-Type: text/csv\r\n\r\n"
    )
    .expect("write");
    body.extend_from_slice(file);
    write!(
        body,
        "\r\n--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"params\"\r\n\r\n{params}\r\n--{BOUNDARY}--\r\n"
    )
    .expect("write");
    body
}

fn gz(bytes: &[u8]) -> Vec<u8> {
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    e.write_all(bytes).expect("gzip");
    e.finish().expect("gzip")
}

fn params_with_checksum(file: &[u8]) -> String {
    format!(
        r#"{{"actionType":"UpdateAccountingCode","checksum":"{}"}}"#,
        md5_hex(file)
    )
}

/// `POST /v1/bulk` with a raw multipart body and, optionally, a
/// `Content-Encoding` and an `Idempotency-Key`.
async fn post_raw(
    sb: &Sandbox,
    body: Vec<u8>,
    encoding: &[&str],
    key: Option<&str>,
) -> reqwest::Response {
    let mut request = sb
        .client
        .post(sb.url("/v1/bulk"))
        .bearer_auth(DEV_TOKEN)
        .header(
            "Content-Type",
            format!("multipart/form-data; boundary={BOUNDARY}"),
        );
    for e in encoding {
        request = request.header("Content-Encoding", *e);
    }
    if let Some(k) = key {
        request = request.header("Idempotency-Key", k);
    }
    request.body(body).send().await.expect("send")
}

async fn bulk_key(response: reqwest::Response) -> String {
    assert_eq!(response.status(), StatusCode::OK);
    let body: Value = response.json().await.expect("json");
    assert_eq!(body["success"], true);
    body["bulkKey"].as_str().expect("bulkKey").to_string()
}

#[tokio::test]
async fn gzip_upload_is_accepted_and_logged_with_the_decoded_bytes() {
    let sb = Sandbox::start().await;
    let params = params_with_checksum(CSV);
    let plain = multipart_body("accounting.csv", CSV, &params);
    let encoded = gz(&plain);
    let key = bulk_key(post_raw(&sb, encoded.clone(), &["gzip"], None).await).await;

    // The mass action holds the decoded file.
    let file = sb
        .get_bytes(&format!("/__sandbox/mass-actions/{key}/file"))
        .await;
    assert_eq!(&file[..], CSV);
    assert_eq!(sb.status(&key).await["inputSize"], CSV.len());

    let log = sb.requests().await;
    let entry = &log[0];
    assert_eq!(entry["contentEncoding"], "gzip");
    assert_eq!(entry["headers"]["content-encoding"], "gzip");
    // bodySize / bodyMd5: the bytes on the wire; decoded*: after gunzip.
    assert_eq!(entry["bodySize"], encoded.len());
    assert_eq!(entry["bodyMd5"], md5_hex(&encoded).as_str());
    assert_eq!(entry["decodedBodySize"], plain.len());
    assert_eq!(entry["decodedBodyMd5"], md5_hex(&plain).as_str());
    assert_eq!(entry["responseStatus"], 200);
    let parts = entry["parts"].as_array().expect("decoded parts");
    assert_eq!(parts.len(), 2);
    assert_eq!(parts[0]["name"], "file");
    assert_eq!(parts[0]["size"], CSV.len());
    assert_eq!(parts[0]["md5"], md5_hex(CSV).as_str());
    assert_eq!(parts[1]["text"], params.as_str());
    let seq = entry["seq"].as_u64().expect("seq");
    let part = sb
        .get_bytes(&format!("/__sandbox/requests/{seq}/parts/0"))
        .await;
    assert_eq!(&part[..], CSV, "the logged part is the decoded file");

    // A plain upload logs no encoding.
    bulk_key(post_raw(&sb, plain, &[], None).await).await;
    let log = sb.requests().await;
    let entry = log.last().expect("entry");
    assert_eq!(entry["method"], "POST");
    assert!(entry["contentEncoding"].is_null());
    assert!(entry["decodedBodySize"].is_null() && entry["decodedBodyMd5"].is_null());
    assert_eq!(entry["parts"][0]["md5"], md5_hex(CSV).as_str());
}

#[tokio::test]
async fn x_gzip_any_case_and_concatenated_members_are_gzip_too() {
    let sb = Sandbox::start().await;
    let plain = multipart_body("a.csv", CSV, r#"{"actionType":"MPU"}"#);
    bulk_key(post_raw(&sb, gz(&plain), &["x-gzip"], None).await).await;
    bulk_key(post_raw(&sb, gz(&plain), &["GZip"], None).await).await;
    let (head, tail) = plain.split_at(plain.len() / 2);
    let mut members = gz(head);
    members.extend(gz(tail));
    bulk_key(post_raw(&sb, members, &["gzip"], None).await).await;
    // `identity` means no encoding.
    bulk_key(post_raw(&sb, plain, &["identity"], None).await).await;

    let log = sb.requests().await;
    assert_eq!(log[0]["contentEncoding"], "x-gzip");
    assert_eq!(log[1]["contentEncoding"], "gzip", "lower-cased");
    assert_eq!(log[3]["contentEncoding"], "identity");
    assert!(log[3]["decodedBodySize"].is_null());
    for entry in &log[..3] {
        assert_eq!(entry["parts"][0]["md5"], md5_hex(CSV).as_str());
    }
    assert_eq!(sb.mass_actions().await.len(), 4);
}

#[tokio::test]
async fn decoded_body_goes_through_the_same_upload_checks() {
    let sb = Sandbox::start_with(Config {
        max_file_bytes: 1000,
        ..fast_config()
    })
    .await;
    // The checksum is compared with the decoded file...
    let wrong = format!(r#"{{"actionType":"MPU","checksum":"{}"}}"#, md5_hex(b"x"));
    let body = gz(&multipart_body("a.csv", CSV, &wrong));
    let message = assert_zuora_error(
        post_raw(&sb, body, &["gzip"], None).await,
        StatusCode::BAD_REQUEST,
        "66011320",
    )
    .await;
    assert!(message.contains(&md5_hex(CSV)), "{message}");

    // ...and the file-size limit applies to the decoded file part, however
    // small it is on the wire.
    let big = [b"h\n".as_slice(), [b'1'; 5000].as_slice(), b"\n".as_slice()].concat();
    let body = gz(&multipart_body("a.csv", &big, r#"{"actionType":"MPU"}"#));
    assert!(body.len() < 1000);
    let message = assert_zuora_error(
        post_raw(&sb, body, &["gzip"], None).await,
        StatusCode::BAD_REQUEST,
        "66011520",
    )
    .await;
    assert_eq!(
        message,
        format!(
            "The file is {} bytes, which is over the limit of 1000 bytes.",
            big.len()
        )
    );

    // Multipart framing is checked on the decoded bytes.
    let body = gz(b"--nope\r\n");
    assert_zuora_error(
        post_raw(&sb, body, &["gzip"], None).await,
        StatusCode::BAD_REQUEST,
        "66010220",
    )
    .await;
    assert!(sb.mass_actions().await.is_empty());
}

#[tokio::test]
async fn body_that_claims_gzip_but_is_not_gzip_is_a_400() {
    let sb = Sandbox::start().await;
    let plain = multipart_body("a.csv", CSV, r#"{"actionType":"MPU"}"#);
    let encoded = gz(&plain);
    let mut bad_crc = encoded.clone();
    let n = bad_crc.len();
    bad_crc[n - 6] ^= 0xff;
    let mut trailing = encoded.clone();
    trailing.extend_from_slice(b"junk after the gzip member");
    let cases = [
        plain.clone(),
        encoded[..encoded.len() / 2].to_vec(),
        bad_crc,
        trailing,
    ];
    for body in cases {
        let message = assert_zuora_error(
            post_raw(&sb, body, &["gzip"], None).await,
            StatusCode::BAD_REQUEST,
            "66012820",
        )
        .await;
        assert!(
            message.starts_with(
                "The request body is marked Content-Encoding: gzip but could not be decoded: "
            ),
            "{message}"
        );
    }
    let log = sb.requests().await;
    assert_eq!(log.len(), 4);
    for entry in &log {
        assert_eq!(entry["contentEncoding"], "gzip");
        assert!(
            entry["parts"].is_null(),
            "no parts from an undecodable body"
        );
        assert!(entry["decodedBodySize"].is_null());
        assert_eq!(entry["responseStatus"], 400);
    }
    assert!(sb.mass_actions().await.is_empty());

    // The encoding is checked before the idempotency store, like the body
    // size, so a broken body does not use up its key.
    let response = post_raw(&sb, b"not gzip".to_vec(), &["gzip"], Some("gz-bad")).await;
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    bulk_key(post_raw(&sb, encoded, &["gzip"], Some("gz-bad")).await).await;
}

#[tokio::test]
async fn unsupported_encodings_are_a_415_naming_gzip() {
    let sb = Sandbox::start().await;
    let plain = multipart_body("a.csv", CSV, r#"{"actionType":"MPU"}"#);
    let cases: [(&[&str], &str); 5] = [
        (&["br"], "br"),
        (&["deflate"], "deflate"),
        (&["gzip, br"], "gzip, br"),
        (&["gzip", "gzip"], "gzip, gzip"),
        (&["compress"], "compress"),
    ];
    for (headers, shown) in cases {
        let response = post_raw(&sb, gz(&plain), headers, None).await;
        assert_eq!(response.headers()["accept-encoding"], "gzip");
        let message =
            assert_zuora_error(response, StatusCode::UNSUPPORTED_MEDIA_TYPE, "66012720").await;
        assert_eq!(
            message,
            format!(
                "The Content-Encoding '{shown}' is not supported; send the body unencoded or with Content-Encoding: gzip."
            )
        );
    }
    let log = sb.requests().await;
    assert_eq!(log[3]["contentEncoding"], "gzip, gzip");
    assert!(log.iter().all(|e| e["parts"].is_null()));
    assert!(sb.mass_actions().await.is_empty());
}

#[tokio::test]
async fn gzip_bomb_is_refused_without_decoding_it_all() {
    // 8 MiB for a body, decoded or not.
    let limit: u64 = 8 * 1024 * 1024;
    let sb = Sandbox::start_with(Config {
        max_body_bytes: limit,
        ..fast_config()
    })
    .await;
    // 4096 gzip members of 1 MiB of zeros each: about 4 MB on the wire,
    // 4 GiB decoded. Decoding it all would take far longer than the bound
    // below, and 4 GiB of memory.
    let member = gz(&vec![0u8; 1024 * 1024]);
    let bomb: Vec<u8> = member
        .iter()
        .copied()
        .cycle()
        .take(member.len() * 4096)
        .collect();
    assert!((bomb.len() as u64) < limit, "the bomb passes the raw limit");

    let started = Instant::now();
    let response = post_raw(&sb, bomb.clone(), &["gzip"], None).await;
    let elapsed = started.elapsed();
    let message = assert_zuora_error(response, StatusCode::PAYLOAD_TOO_LARGE, "66012920").await;
    assert_eq!(
        message,
        format!(
            "The gzip-encoded request body decodes to more than {limit} bytes, the limit for a request body; decoding was stopped there."
        )
    );
    assert!(elapsed < Duration::from_secs(15), "took {elapsed:?}");

    let entry = &sb.requests().await[0];
    assert_eq!(entry["bodySize"], bomb.len());
    assert!(entry["decodedBodySize"].is_null() && entry["parts"].is_null());
    assert_eq!(entry["responseStatus"], 413);

    // A compressed body over the raw limit is the plain 413.
    let response = post_raw(&sb, vec![0u8; limit as usize + 1], &["gzip"], None).await;
    assert_zuora_error(response, StatusCode::PAYLOAD_TOO_LARGE, "66012520").await;
}

#[tokio::test]
async fn idempotent_replay_works_the_same_with_gzip() {
    let sb = Sandbox::start().await;
    let body = gz(&multipart_body("a.csv", CSV, r#"{"actionType":"MPU"}"#));
    let first = post_raw(&sb, body.clone(), &["gzip"], Some("gz-1")).await;
    assert_eq!(first.status(), StatusCode::OK);
    let first_body: Value = first.json().await.expect("json");
    let second = post_raw(&sb, body, &["gzip"], Some("gz-1")).await;
    assert_eq!(second.status(), StatusCode::OK);
    let second_body: Value = second.json().await.expect("json");
    assert_eq!(first_body, second_body);
    // The key, not the encoding, identifies the request: the same upload
    // sent plain replays too.
    let plain = multipart_body("a.csv", CSV, r#"{"actionType":"MPU"}"#);
    let third: Value = post_raw(&sb, plain, &[], Some("gz-1"))
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(third, first_body);
    let actions = sb.mass_actions().await;
    assert_eq!(actions.len(), 1);
    assert_eq!(actions[0]["idempotencyKey"], "gz-1");

    // A validation error reached through a gzip body is stored and replayed.
    let empty = gz(&multipart_body("a.csv", b"", r#"{"actionType":"MPU"}"#));
    let message = assert_zuora_error(
        post_raw(&sb, empty.clone(), &["gzip"], Some("gz-2")).await,
        StatusCode::BAD_REQUEST,
        "66011620",
    )
    .await;
    let again = post_raw(&sb, empty, &["gzip"], Some("gz-2")).await;
    assert_eq!(again.status(), StatusCode::BAD_REQUEST);
    let body: Value = again.json().await.expect("json");
    assert_eq!(body["reasons"][0]["message"], message.as_str());
    assert_eq!(sb.mass_actions().await.len(), 1);
}

#[tokio::test]
async fn token_endpoint_accepts_a_gzip_form() {
    let sb = Sandbox::start().await;
    let form = "client_id=5a1b0c2d-0000-4000-8000-5a4db0c0de01\
                &client_secret=sandbox-dev-secret&grant_type=client_credentials";
    let response = sb
        .client
        .post(sb.url("/oauth/token"))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .header("Content-Encoding", "gzip")
        .body(gz(form.as_bytes()))
        .send()
        .await
        .expect("send");
    assert_eq!(response.status(), StatusCode::OK);
    let body: Value = response.json().await.expect("json");
    let token = body["access_token"].as_str().expect("token");
    let status = sb
        .client
        .get(sb.url("/v1/bulk/unknown"))
        .bearer_auth(token)
        .send()
        .await
        .expect("send")
        .status();
    assert_eq!(status, StatusCode::NOT_FOUND, "the token works");
}
