//! The Zuora token: fetched once, refreshed ahead of expiry, one refresh for many
//! callers, one renewal and one retry after a 401.

use futures_util::future::join_all;
use serde_json::json;

use crate::common::{pair, pair_with};

#[tokio::test]
async fn token_is_fetched_once_for_many_requests() {
    let pair = pair().await;
    for _ in 0..5 {
        let response = pair
            .client
            .get(pair.gateway.url("/v1/files/nope"))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 404);
    }
    assert_eq!(pair.count("POST", "/oauth/token").await, 1);
    assert_eq!(pair.count("GET", "/v1/files/nope").await, 5);
}

#[tokio::test]
async fn twenty_concurrent_requests_share_one_token_fetch() {
    let pair = pair().await;
    let calls = (0..20).map(|i| {
        pair.client
            .get(pair.gateway.url(&format!("/v1/files/f{i}")))
            .send()
    });
    for response in join_all(calls).await {
        assert_eq!(response.unwrap().status(), 404);
    }
    assert_eq!(pair.count("POST", "/oauth/token").await, 1);
    assert_eq!(pair.count("GET", "/v1/files/").await, 20);
}

#[tokio::test]
async fn token_is_refreshed_before_it_expires() {
    let pair = pair_with(|s| s.token_ttl_secs = 4, |_| {}).await;
    let first = pair
        .client
        .get(pair.gateway.url("/v1/files/a"))
        .send()
        .await
        .unwrap();
    assert_eq!(first.status(), 404);
    // Past the refresh point (four fifths of the four seconds), within the token's life.
    tokio::time::sleep(std::time::Duration::from_millis(3500)).await;
    let second = pair
        .client
        .get(pair.gateway.url("/v1/files/b"))
        .send()
        .await
        .unwrap();
    assert_eq!(second.status(), 404);
    assert_eq!(pair.count("POST", "/oauth/token").await, 2);
    let refused = pair
        .requests()
        .await
        .iter()
        .filter(|r| r["responseStatus"] == 401)
        .count();
    assert_eq!(
        refused, 0,
        "the new token was fetched before the old one was refused"
    );
}

#[tokio::test]
async fn a_401_renews_the_token_and_retries_once() {
    let pair = pair().await;
    pair.fault(json!({"kind": "status", "status": 401, "method": "GET", "path": "/v1/files/"}))
        .await;
    let response = pair
        .client
        .get(pair.gateway.url("/v1/files/x"))
        .send()
        .await
        .unwrap();
    assert_eq!(
        response.status(),
        404,
        "the retry's answer reaches the browser"
    );
    assert_eq!(pair.count("POST", "/oauth/token").await, 2);
    assert_eq!(pair.count("GET", "/v1/files/x").await, 2);
}

#[tokio::test]
async fn a_second_401_is_passed_on_without_its_challenge() {
    let pair = pair().await;
    pair.fault(json!({"kind": "status", "status": 401, "count": 2, "path": "/v1/files/"}))
        .await;
    let response = pair
        .client
        .get(pair.gateway.url("/v1/files/x"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 401);
    assert!(response.headers().get("www-authenticate").is_none());
    assert_eq!(
        pair.count("POST", "/oauth/token").await,
        2,
        "one renewal only"
    );
    assert_eq!(pair.count("GET", "/v1/files/x").await, 2, "one retry only");
}

#[tokio::test]
async fn a_refused_token_is_a_502_naming_the_cause() {
    let pair = pair().await;
    pair.fault(json!({"kind": "status", "status": 401, "path": "/oauth/token"}))
        .await;
    let response = pair
        .client
        .get(pair.gateway.url("/v1/files/x"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 502);
    let body: serde_json::Value = response.json().await.unwrap();
    let message = body["reasons"][0]["message"].as_str().unwrap();
    assert!(message.contains("sign in to Zuora"), "{message}");
    assert!(!message.contains(&pair.secret));
    assert_eq!(
        pair.count("GET", "/v1/files/").await,
        0,
        "nothing forwarded without a token"
    );
}
