//! The gateway's own JSON API.

use serde_json::Value;

use crate::common::{pair, USER};

#[tokio::test]
async fn me_names_the_signed_in_user() {
    let pair = pair().await;
    let response = pair
        .client
        .get(pair.gateway.url("/api/me"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["cache-control"], "no-store");
    let body: Value = response.json().await.unwrap();
    assert_eq!(body, serde_json::json!({ "user": USER }));
}

#[tokio::test]
async fn an_unknown_api_path_is_a_404_sentence() {
    let pair = pair().await;
    let response = pair
        .client
        .get(pair.gateway.url("/api/nothing"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 404);
    let body: Value = response.json().await.unwrap();
    assert!(body["error"].as_str().unwrap().ends_with('.'));
}
