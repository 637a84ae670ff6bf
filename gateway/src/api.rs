//! The gateway's own JSON API under `/api/`: who is signed in, the team's history, and
//! a health check. Every answer is JSON with `Cache-Control: no-store`; a failure is
//! `{"error": "<one sentence>"}`.

use axum::extract::{Request, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{any, get};
use axum::{Json, Router};
use serde_json::json;

use crate::history_query::{HistoryParams, QueryError, Whose};
use crate::proxy::user_of;
use crate::state::AppState;
use crate::store::{Cursor, HistoryQuery};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/api/me", get(me))
        .route("/api/history", get(history))
        .route("/api/health", get(health))
        .route("/api", any(no_route))
        .route("/api/{*rest}", any(no_route))
}

/// An `/api` failure; `Display` is its one sentence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ApiError {
    NoUser,
    NoRoute(String),
    BadQuery(String),
    Store(String),
}

impl std::fmt::Display for ApiError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ApiError::NoUser => f.write_str(
                "You are not signed in: the request did not come through the sign-on proxy.",
            ),
            ApiError::NoRoute(path) => write!(f, "There is no API at {path}."),
            ApiError::BadQuery(sentence) => f.write_str(sentence),
            ApiError::Store(cause) => write!(
                f,
                "The history could not be read ({}).",
                cause.trim_end_matches('.')
            ),
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let status = match self {
            ApiError::NoUser => StatusCode::UNAUTHORIZED,
            ApiError::NoRoute(_) => StatusCode::NOT_FOUND,
            ApiError::BadQuery(_) => StatusCode::BAD_REQUEST,
            ApiError::Store(_) => StatusCode::SERVICE_UNAVAILABLE,
        };
        no_store(status, json!({ "error": self.to_string() }))
    }
}

/// A JSON answer that no cache keeps.
pub fn no_store(status: StatusCode, body: serde_json::Value) -> Response {
    let mut response = (status, Json(body)).into_response();
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

async fn me(State(state): State<AppState>, request: Request) -> Result<Response, ApiError> {
    let user = user_of(&state, &request).ok_or(ApiError::NoUser)?;
    Ok(no_store(StatusCode::OK, json!({ "user": user })))
}

/// `GET /api/history`: the checked query, `user=me` being the signed-in user.
async fn history(State(state): State<AppState>, request: Request) -> Result<Response, ApiError> {
    let user = user_of(&state, &request).ok_or(ApiError::NoUser)?;
    let params = HistoryParams::parse(request.uri().query()).map_err(bad_query)?;
    let before = match params.before {
        Some(text) => Some(
            text.parse::<Cursor>()
                .map_err(|_| bad_query(QueryError::Cursor(text)))?,
        ),
        None => None,
    };
    let query = HistoryQuery {
        limit: params.limit,
        before,
        user: (params.whose == Whose::Mine).then_some(user),
        status: params.status,
        action_type: params.action_type,
    };
    let page = state
        .store()
        .history(&query)
        .await
        .map_err(|e| ApiError::Store(e.to_string()))?;
    let body = serde_json::to_value(&page).map_err(|e| ApiError::Store(e.to_string()))?;
    Ok(no_store(StatusCode::OK, body))
}

fn bad_query(e: QueryError) -> ApiError {
    ApiError::BadQuery(e.to_string())
}

/// `GET /api/health`: 200 when the store answers a query. Open to anyone, so a load
/// balancer can ask without signing in.
async fn health(State(state): State<AppState>) -> Response {
    let probe = HistoryQuery {
        limit: 1,
        ..HistoryQuery::default()
    };
    match state.store().history(&probe).await {
        Ok(_) => no_store(StatusCode::OK, json!({ "ok": true })),
        Err(e) => no_store(
            StatusCode::SERVICE_UNAVAILABLE,
            json!({ "ok": false, "error": format!("The history store does not answer ({}).", e.to_string().trim_end_matches('.')) }),
        ),
    }
}

async fn no_route(uri: axum::http::Uri) -> ApiError {
    ApiError::NoRoute(uri.path().to_owned())
}
