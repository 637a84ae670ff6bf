//! `POST /v1/bulk` and `GET /v1/bulk/{key}`.

use axum::extract::{Request, State};
use axum::response::{IntoResponse, Response};

use crate::proxy::{answer_response, outgoing};
use crate::refusal::Refusal;
use crate::state::AppState;

pub async fn submit(State(state): State<AppState>, request: Request) -> Response {
    pass(state, request).await
}

pub async fn status(State(state): State<AppState>, request: Request) -> Response {
    pass(state, request).await
}

async fn pass(state: AppState, request: Request) -> Response {
    let outgoing = match outgoing(&state, request).await {
        Ok(outgoing) => outgoing,
        Err(refusal) => return refusal.into_response(),
    };
    match state.zuora().send(&outgoing).await {
        Ok(answer) => answer_response(answer),
        Err(no_answer) => Refusal::from(no_answer).into_response(),
    }
}
