//! Test controls under `/__sandbox/` (no auth, not logged, plain JSON errors).

use axum::body::{Body, Bytes};
use axum::extract::{Path, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::Response;
use serde_json::json;

use crate::config::{ConfigPatch, ConfigView};
use crate::faults::FaultRule;
use crate::respond::{control_error, json};
use crate::state::SharedApp;

pub async fn health() -> Response {
    json(StatusCode::OK, &json!({"ok": true}))
}

pub async fn reset(State(app): State<SharedApp>) -> Response {
    app.reset();
    json(StatusCode::OK, &json!({"ok": true}))
}

fn config_json(app: &SharedApp) -> Response {
    let view = ConfigView::from(&app.config());
    json(
        StatusCode::OK,
        &serde_json::to_value(view).unwrap_or_default(),
    )
}

pub async fn get_config(State(app): State<SharedApp>) -> Response {
    config_json(&app)
}

pub async fn put_config(State(app): State<SharedApp>, body: Bytes) -> Response {
    let patch: ConfigPatch = match serde_json::from_slice(&body) {
        Ok(p) => p,
        Err(e) => return control_error(StatusCode::BAD_REQUEST, format!("bad config: {e}")),
    };
    match app.update_config(|c| patch.apply(c)) {
        Ok(_) => config_json(&app),
        Err(e) => control_error(StatusCode::BAD_REQUEST, e),
    }
}

pub async fn add_fault(State(app): State<SharedApp>, body: Bytes) -> Response {
    let rule: FaultRule = match serde_json::from_slice(&body) {
        Ok(r) => r,
        Err(e) => return control_error(StatusCode::BAD_REQUEST, format!("bad fault rule: {e}")),
    };
    let rule = match rule.validated() {
        Ok(r) => r,
        Err(e) => return control_error(StatusCode::BAD_REQUEST, e),
    };
    let all = app.add_fault(rule);
    json(
        StatusCode::OK,
        &serde_json::to_value(all).unwrap_or_default(),
    )
}

pub async fn list_faults(State(app): State<SharedApp>) -> Response {
    json(
        StatusCode::OK,
        &serde_json::to_value(app.faults()).unwrap_or_default(),
    )
}

pub async fn clear_faults(State(app): State<SharedApp>) -> Response {
    app.clear_faults();
    json(StatusCode::OK, &json!({"ok": true}))
}

pub async fn list_requests(State(app): State<SharedApp>) -> Response {
    json(
        StatusCode::OK,
        &serde_json::to_value(app.requests()).unwrap_or_default(),
    )
}

pub async fn clear_requests(State(app): State<SharedApp>) -> Response {
    app.clear_requests();
    json(StatusCode::OK, &json!({"ok": true}))
}

pub async fn request_part(
    State(app): State<SharedApp>,
    path: Result<Path<(u64, usize)>, axum::extract::rejection::PathRejection>,
) -> Response {
    let Ok(Path((seq, index))) = path else {
        return control_error(StatusCode::NOT_FOUND, "no such request or part");
    };
    match app.request_part(seq, index) {
        Some(bytes) => bytes_response(bytes, "application/octet-stream"),
        None => control_error(StatusCode::NOT_FOUND, "no such request or part"),
    }
}

pub async fn mass_actions(State(app): State<SharedApp>) -> Response {
    json(
        StatusCode::OK,
        &serde_json::to_value(app.summaries()).unwrap_or_default(),
    )
}

/// `GET /__sandbox/mass-actions/{key}/csv` (the CSV text, unzipped) and
/// `.../file` (the upload as sent), so tests can check what arrived.
pub async fn action_csv(State(app): State<SharedApp>, Path(key): Path<String>) -> Response {
    match app.action(&key) {
        Some(a) => bytes_response(a.csv_bytes.clone(), "text/csv; charset=utf-8"),
        None => control_error(StatusCode::NOT_FOUND, "no such mass action"),
    }
}

pub async fn action_file(State(app): State<SharedApp>, Path(key): Path<String>) -> Response {
    match app.action(&key) {
        Some(a) => bytes_response(a.file_bytes.clone(), "application/octet-stream"),
        None => control_error(StatusCode::NOT_FOUND, "no such mass action"),
    }
}

fn bytes_response(bytes: Bytes, content_type: &'static str) -> Response {
    let mut response = Response::new(Body::from(bytes));
    response
        .headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    response
}

pub async fn in_flight(State(app): State<SharedApp>) -> Response {
    let (current, max) = app.in_flight();
    json(StatusCode::OK, &json!({"current": current, "max": max}))
}

pub async fn not_found() -> Response {
    control_error(StatusCode::NOT_FOUND, "no such control endpoint")
}
