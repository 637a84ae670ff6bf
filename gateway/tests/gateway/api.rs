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

#[tokio::test]
async fn health_says_the_store_answers() {
    let pair = pair().await;
    let response = pair
        .client
        .get(pair.gateway.url("/api/health"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["cache-control"], "no-store");
    let body: Value = response.json().await.unwrap();
    assert_eq!(body, serde_json::json!({ "ok": true }));
}

#[tokio::test]
async fn bad_history_queries_are_400s_with_one_sentence() {
    let pair = pair().await;
    let bad = [
        "limit=0",
        "limit=201",
        "limit=ten",
        "limit=1.5",
        "user=bob",
        "status=Done",
        "status=completed",
        "actionType=mpu",
        "before=not-a-cursor",
        "colour=red",
        "limit=5&limit=6",
    ];
    for query in bad {
        let response = pair
            .client
            .get(pair.gateway.url(&format!("/api/history?{query}")))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 400, "{query}");
        assert_eq!(response.headers()["cache-control"], "no-store");
        let body: Value = response.json().await.unwrap();
        let sentence = body["error"].as_str().unwrap();
        assert!(
            sentence.ends_with('.') && sentence.matches(". ").count() == 0,
            "{query}: {sentence}"
        );
    }
    let good = pair
        .client
        .get(
            pair.gateway
                .url("/api/history?limit=200&user=all&status=Sending&actionType=MPU"),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(good.status(), 200);
}

#[tokio::test]
async fn history_pages_newest_first_and_filters_by_user() {
    let pair = crate::common::pair_with(
        |_| {},
        |c| {
            c.identity = mass_updater_gateway::identity::Identity::new(
                Some("X-Forwarded-Email"),
                vec!["127.0.0.1/32".parse().unwrap()],
                None,
            )
            .unwrap();
        },
    )
    .await;
    for (key, user) in [
        ("p-1", "ann@example.com"),
        ("p-2", "bob@example.com"),
        ("p-3", "ann@example.com"),
    ] {
        let response = pair
            .client
            .post(pair.gateway.url("/v1/bulk"))
            .header("Idempotency-Key", key)
            .header("X-Forwarded-Email", user)
            .multipart(crate::common::form(
                "a.csv",
                crate::common::CSV.as_bytes(),
                "UpdateAccountingCode",
            ))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 200);
    }
    let as_ann = |query: &'static str| {
        pair.client
            .get(pair.gateway.url(&format!("/api/history{query}")))
            .header("X-Forwarded-Email", "ann@example.com")
            .send()
    };
    let mine: Value = as_ann("?user=me").await.unwrap().json().await.unwrap();
    let keys: Vec<&str> = mine["jobs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|j| j["idempotencyKey"].as_str().unwrap())
        .collect();
    assert_eq!(keys, ["p-3", "p-1"]);
    let first: Value = as_ann("?limit=2").await.unwrap().json().await.unwrap();
    let keys: Vec<&str> = first["jobs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|j| j["idempotencyKey"].as_str().unwrap())
        .collect();
    assert_eq!(keys, ["p-3", "p-2"]);
    let next = first["next"].as_str().expect("a next page");
    let rest: Value = pair
        .client
        .get(pair.gateway.url("/api/history"))
        .query(&[("limit", "2"), ("before", next)])
        .header("X-Forwarded-Email", "ann@example.com")
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(rest["jobs"][0]["idempotencyKey"], "p-1");
    assert_eq!(rest["jobs"].as_array().unwrap().len(), 1);
    let nobody = pair
        .client
        .get(pair.gateway.url("/api/history"))
        .send()
        .await
        .unwrap();
    assert_eq!(nobody.status(), 401);
}
