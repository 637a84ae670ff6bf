//! Tokens, 401s, and the headers every response carries.

use std::time::Duration;

use reqwest::StatusCode;
use serde_json::Value;
use zuora_sandbox::Config;

use crate::common::*;

const CLIENT_ID: &str = "5a1b0c2d-0000-4000-8000-5a4db0c0de01";
const CLIENT_SECRET: &str = "sandbox-dev-secret";

fn credentials() -> Vec<(&'static str, &'static str)> {
    vec![
        ("client_id", CLIENT_ID),
        ("client_secret", CLIENT_SECRET),
        ("grant_type", "client_credentials"),
    ]
}

async fn token_request(sb: &Sandbox, form: &[(&str, &str)]) -> reqwest::Response {
    sb.client
        .post(sb.url("/oauth/token"))
        .form(form)
        .send()
        .await
        .expect("send")
}

async fn oauth_error(response: reqwest::Response, status: StatusCode, error: &str) -> String {
    assert_eq!(response.status(), status);
    assert_eq!(response.headers()["zuora-request-id"].len(), 36);
    let body: Value = response.json().await.expect("json");
    assert_eq!(body["error"], error, "{body}");
    body["error_description"]
        .as_str()
        .expect("description")
        .to_string()
}

#[tokio::test]
async fn token_is_issued_for_the_configured_client_and_opens_v1() {
    let sb = Sandbox::start().await;
    let response = token_request(&sb, &credentials()).await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.headers()["zuora-request-id"].len(), 36);
    assert_eq!(
        response.headers()["content-type"],
        "application/json; charset=utf-8"
    );
    let body: Value = response.json().await.expect("json");
    let token = body["access_token"].as_str().expect("token").to_string();
    assert_hex(&token, 32);
    assert_hex(body["jti"].as_str().expect("jti"), 32);
    assert_eq!(body["token_type"], "bearer");
    assert_eq!(body["expires_in"], 3599);
    let scope = body["scope"].as_str().expect("scope");
    let words: Vec<&str> = scope.split(' ').collect();
    assert_eq!(words.len(), 3);
    assert!(words[0].starts_with("user.") && words[1].starts_with("entity."));
    assert!(words[2].starts_with("tenant."));

    // The issued token passes auth: an unknown key is then a 404, not a 401.
    let response = sb
        .client
        .get(sb.url("/v1/bulk/0123456789abcdef0123456789abcdef"))
        .bearer_auth(&token)
        .send()
        .await
        .expect("send");
    assert_zuora_error(response, StatusCode::NOT_FOUND, "50000040").await;
}

#[tokio::test]
async fn v1_without_a_token_is_401_with_the_zuora_challenge() {
    let sb = Sandbox::start().await;
    let response = sb
        .client
        .get(sb.url("/v1/bulk/abc"))
        .send()
        .await
        .expect("send");
    assert_eq!(
        response.headers()["www-authenticate"],
        "Basic realm=Zuora API, ZSession realm=Zuora API, Bearer realm=Zuora API"
    );
    assert_zuora_error(response, StatusCode::UNAUTHORIZED, "90000011").await;

    // The upload route is protected too, before any validation.
    let response = sb
        .client
        .post(sb.url("/v1/bulk"))
        .multipart(form("a.csv", b"h\n1\n", "MPU"))
        .send()
        .await
        .expect("send");
    assert_zuora_error(response, StatusCode::UNAUTHORIZED, "90000011").await;
    assert!(sb.mass_actions().await.is_empty());
}

#[tokio::test]
async fn v1_with_an_unknown_token_is_401() {
    let sb = Sandbox::start().await;
    let response = sb
        .client
        .get(sb.url("/v1/bulk/abc"))
        .bearer_auth("0123456789abcdef0123456789abcdef")
        .send()
        .await
        .expect("send");
    assert!(response.headers().contains_key("www-authenticate"));
    assert_zuora_error(response, StatusCode::UNAUTHORIZED, "90000011").await;

    let response = sb
        .client
        .get(sb.url("/v1/bulk/abc"))
        .header("Authorization", "Basic c2FuZGJveDpzYW5kYm94")
        .send()
        .await
        .expect("send");
    assert_zuora_error(response, StatusCode::UNAUTHORIZED, "90000011").await;
}

#[tokio::test]
async fn issued_token_expires_after_its_ttl() {
    let sb = Sandbox::start_with(Config {
        token_ttl_secs: 1,
        ..fast_config()
    })
    .await;
    let body: Value = token_request(&sb, &credentials())
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(body["expires_in"], 1);
    let token = body["access_token"].as_str().expect("token").to_string();
    tokio::time::sleep(Duration::from_millis(1300)).await;
    let response = sb
        .client
        .get(sb.url("/v1/bulk/abc"))
        .bearer_auth(&token)
        .send()
        .await
        .expect("send");
    assert_zuora_error(response, StatusCode::UNAUTHORIZED, "90000011").await;
}

#[tokio::test]
async fn token_request_with_an_authorization_header_is_rejected() {
    let sb = Sandbox::start().await;
    let response = sb
        .client
        .post(sb.url("/oauth/token"))
        .bearer_auth(DEV_TOKEN)
        .form(&credentials())
        .send()
        .await
        .expect("send");
    let text = oauth_error(response, StatusCode::BAD_REQUEST, "invalid_request").await;
    assert!(text.contains("Authorization"), "{text}");
}

#[tokio::test]
async fn token_request_with_a_wrong_secret_is_invalid_client() {
    let sb = Sandbox::start().await;
    let response = token_request(
        &sb,
        &[
            ("client_id", CLIENT_ID),
            ("client_secret", "not-the-secret"),
            ("grant_type", "client_credentials"),
        ],
    )
    .await;
    oauth_error(response, StatusCode::UNAUTHORIZED, "invalid_client").await;
}

#[tokio::test]
async fn token_request_checks_lengths_grant_type_and_encoding() {
    let sb = Sandbox::start().await;
    let short_id = &CLIENT_ID[..35];
    let response = token_request(
        &sb,
        &[
            ("client_id", short_id),
            ("client_secret", CLIENT_SECRET),
            ("grant_type", "client_credentials"),
        ],
    )
    .await;
    let text = oauth_error(response, StatusCode::BAD_REQUEST, "invalid_request").await;
    assert!(text.contains("36"), "{text}");

    let long_secret = "s".repeat(43);
    let response = token_request(
        &sb,
        &[
            ("client_id", CLIENT_ID),
            ("client_secret", &long_secret),
            ("grant_type", "client_credentials"),
        ],
    )
    .await;
    let text = oauth_error(response, StatusCode::BAD_REQUEST, "invalid_request").await;
    assert!(text.contains("42"), "{text}");

    let response = token_request(
        &sb,
        &[
            ("client_id", CLIENT_ID),
            ("client_secret", CLIENT_SECRET),
            ("grant_type", "password"),
        ],
    )
    .await;
    oauth_error(response, StatusCode::BAD_REQUEST, "unsupported_grant_type").await;

    let response = sb
        .client
        .post(sb.url("/oauth/token"))
        .json(&serde_json::json!({"client_id": CLIENT_ID}))
        .send()
        .await
        .expect("send");
    oauth_error(response, StatusCode::BAD_REQUEST, "invalid_request").await;
}

#[tokio::test]
async fn track_id_is_echoed_on_success_and_on_errors() {
    let sb = Sandbox::start().await;
    let response = sb
        .client
        .post(sb.url("/v1/bulk"))
        .bearer_auth(DEV_TOKEN)
        .header("Zuora-Track-Id", "app-upload-42")
        .multipart(form("a.csv", b"h\n1\n", "MPU"))
        .send()
        .await
        .expect("send");
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.headers()["zuora-track-id"], "app-upload-42");

    let response = sb
        .client
        .get(sb.url("/v1/bulk/nope"))
        .header("Zuora-Track-Id", "trace 7")
        .send()
        .await
        .expect("send");
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(response.headers()["zuora-track-id"], "trace 7");

    let response = token_request(&sb, &credentials()).await;
    assert!(!response.headers().contains_key("zuora-track-id"));
}

#[tokio::test]
async fn invalid_track_ids_are_rejected_with_400() {
    let sb = Sandbox::start().await;
    let too_long = "t".repeat(65);
    for bad in [
        "has:colon",
        "semi;colon",
        "quote\"d",
        "apo'strophe",
        too_long.as_str(),
    ] {
        let response = sb
            .client
            .get(sb.url("/v1/bulk/abc"))
            .bearer_auth(DEV_TOKEN)
            .header("Zuora-Track-Id", bad)
            .send()
            .await
            .expect("send");
        assert!(
            !response.headers().contains_key("zuora-track-id"),
            "an invalid value is not echoed"
        );
        assert_zuora_error(response, StatusCode::BAD_REQUEST, "66030120").await;
    }
    // Non-ASCII bytes (here UTF-8 for "é").
    let response = sb
        .client
        .get(sb.url("/v1/bulk/abc"))
        .bearer_auth(DEV_TOKEN)
        .header(
            "Zuora-Track-Id",
            reqwest::header::HeaderValue::from_bytes("caf\u{e9}".as_bytes()).expect("value"),
        )
        .send()
        .await
        .expect("send");
    assert_zuora_error(response, StatusCode::BAD_REQUEST, "66030120").await;

    // Exactly 64 characters is fine.
    let response = sb
        .client
        .get(sb.url("/v1/bulk/abc"))
        .bearer_auth(DEV_TOKEN)
        .header("Zuora-Track-Id", "t".repeat(64))
        .send()
        .await
        .expect("send");
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
}
