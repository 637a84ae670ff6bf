//! The route table: the four Zuora calls under `/v1/`, the gateway's `/api/`, the
//! built app for everything else; the security headers on every answer, and one log
//! line per request.

use axum::extract::Request;
use axum::http::{header, HeaderName, HeaderValue};
use axum::middleware::{self, Next};
use axum::response::Response;
use axum::routing::{any, get, post, put};
use axum::Router;
use tower_http::set_header::SetResponseHeaderLayer;

use crate::proxy::{forward, guard, no_route, not_allowed};
use crate::state::AppState;
use crate::{api, static_files, submit};

pub fn router(state: AppState, csp: HeaderValue) -> Router {
    let statics = static_files::service(&state.config().dist);
    let mut app = Router::new()
        .merge(v1(state.clone()))
        .merge(api::routes())
        .fallback_service(statics)
        .with_state(state);
    for (name, value) in security_headers(csp) {
        app = app.layer(SetResponseHeaderLayer::overriding(name, value));
    }
    app.layer(middleware::from_fn(log))
}

/// Only the calls the app makes; the guard first refuses cross-site requests and
/// requests without a user.
fn v1(state: AppState) -> Router<AppState> {
    Router::new()
        .route(
            "/v1/bulk",
            post(submit::submit).fallback(not_allowed("POST")),
        )
        .route(
            "/v1/bulk/{key}",
            get(submit::status).fallback(not_allowed("GET")),
        )
        .route(
            "/v1/bulk/{key}/stop",
            put(forward).fallback(not_allowed("PUT")),
        )
        .route("/v1/files/{id}", get(forward).fallback(not_allowed("GET")))
        .route("/v1", any(no_route))
        .route("/v1/{*rest}", any(no_route))
        .layer(middleware::from_fn_with_state(state, guard))
}

/// The nginx recipe's `security-headers.conf`, with the build's policy.
fn security_headers(csp: HeaderValue) -> [(HeaderName, HeaderValue); 5] {
    [
        (header::CONTENT_SECURITY_POLICY, csp),
        (
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ),
        (
            header::REFERRER_POLICY,
            HeaderValue::from_static("no-referrer"),
        ),
        (
            HeaderName::from_static("permissions-policy"),
            HeaderValue::from_static(
                "camera=(), microphone=(), geolocation=(), payment=(), usb=()",
            ),
        ),
        (
            header::STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static("max-age=31536000"),
        ),
    ]
}

/// One line per request on stderr: method, path, status. No header or body is logged.
async fn log(request: Request, next: Next) -> Response {
    let method = request.method().clone();
    let path = request.uri().path().to_owned();
    let response = next.run(request).await;
    eprintln!("{method} {path} {}", response.status().as_u16());
    response
}
