//! Zuora's answers reach the browser as they came, less the headers the gateway keeps;
//! no answer is a 502 or 504 in Zuora's shape.

use axum::http::header;
use axum::response::IntoResponse;
use axum::routing::{get, post};
use serde_json::json;

use crate::common::{config, dev_identity, fixture_dist, pair_with, start_gateway, zuora_code};

/// A stand-in for Zuora whose file answer carries an encoding and a cookie.
async fn fake_zuora() -> String {
    let app = axum::Router::new()
        .route(
            "/oauth/token",
            post(|| async { axum::Json(json!({"access_token": "t1", "expires_in": 3599})) }),
        )
        .route(
            "/v1/files/{id}",
            get(|| async {
                (
                    [
                        (header::CONTENT_TYPE, "application/zip"),
                        (header::CONTENT_ENCODING, "gzip"),
                        (header::SET_COOKIE, "zsession=abc"),
                        (header::WWW_AUTHENTICATE, "Basic realm=Zuora"),
                    ],
                    vec![0x1f_u8, 0x8b, 1, 2, 3],
                )
                    .into_response()
            }),
        );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await });
    format!("http://{addr}")
}

#[tokio::test]
async fn answers_pass_as_they_came_without_cookies() {
    let zuora = fake_zuora().await;
    let dist = fixture_dist();
    let gateway = start_gateway(config(&zuora, dist.path(), "secret", dev_identity())).await;
    let response = reqwest::get(gateway.url("/v1/files/f1")).await.unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["content-type"], "application/zip");
    assert_eq!(response.headers()["content-encoding"], "gzip");
    assert!(response.headers().get("set-cookie").is_none());
    assert!(response.headers().get("www-authenticate").is_none());
    assert_eq!(&response.bytes().await.unwrap()[..], &[0x1f, 0x8b, 1, 2, 3]);
}

#[tokio::test]
async fn no_answer_in_time_is_a_504() {
    let pair = pair_with(
        |_| {},
        |c| c.timeouts.answer = std::time::Duration::from_millis(300),
    )
    .await;
    pair.fault(json!({"kind": "hang", "path": "/v1/files/"}))
        .await;
    let response = pair
        .client
        .get(pair.gateway.url("/v1/files/x"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 504);
    zuora_code(response).await;
}

#[tokio::test]
async fn a_dropped_connection_is_a_502() {
    let pair = pair_with(|_| {}, |_| {}).await;
    pair.fault(json!({"kind": "drop", "path": "/v1/files/"}))
        .await;
    let response = pair
        .client
        .get(pair.gateway.url("/v1/files/x"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 502);
    zuora_code(response).await;
}
