//! `POST /v1/bulk`, recorded before it is forwarded and its outcome after; and
//! `GET /v1/bulk/{key}`, answered through the follower's shared poller.

use axum::extract::{Path, Request, State};
use axum::http::{HeaderMap, HeaderName, HeaderValue};
use axum::response::{IntoResponse, Response};
use axum::Extension;
use mass_updater_domain::wire::{read_submit_reply, HttpReply};
use time::OffsetDateTime;

use crate::proxy::{answer_response, outgoing, plain_response, User};
use crate::refusal::Refusal;
use crate::state::AppState;
use crate::store::{NewSubmission, Recorded};
use crate::upload::{read_upload, UploadError, UploadFacts};
use crate::upstream::Answer;

const IDEMPOTENCY_KEY: HeaderName = HeaderName::from_static("idempotency-key");
const TRACK_ID: HeaderName = HeaderName::from_static("zuora-track-id");

pub async fn submit(
    State(state): State<AppState>,
    Extension(User(user)): Extension<User>,
    request: Request,
) -> Response {
    match record_and_send(&state, user, request).await {
        Ok(response) => response,
        Err(refusal) => refusal.into_response(),
    }
}

async fn record_and_send(
    state: &AppState,
    user: String,
    request: Request,
) -> Result<Response, Refusal> {
    let mut out = outgoing(state, request).await?;
    let facts = read_upload(&out.headers, &out.body, state.config().max_body_bytes())
        .await
        .map_err(|e| match e {
            UploadError::TooLarge { limit } => Refusal::TooLarge { limit },
            other => Refusal::UploadUnreadable(other.to_string()),
        })?;
    // Without a token nothing would leave: refuse before there is anything to record.
    state.zuora().ensure_token().await?;
    let key = idempotency_key(&mut out.headers);
    let submission = new_submission(key.clone(), user, facts, &out.headers);
    let recorded = state
        .store()
        .record_submission(&submission)
        .await
        .map_err(|e| Refusal::StoreUnavailable(e.to_string()))?;
    let accepted_before = matches!(&recorded, Recorded::Existing(job) if job.bulk_key.is_some());
    match state.zuora().send(&out).await {
        Ok(answer) => {
            record_answer(state, &key, &answer, accepted_before).await;
            Ok(answer_response(answer))
        }
        Err(no_answer) => {
            if let Err(e) = state.store().record_unknown(&key).await {
                eprintln!("mass-updater-gateway: upload {key}: the missing answer could not be recorded: {e}");
            }
            Err(no_answer.into())
        }
    }
}

/// The request's `Idempotency-Key`, or a new one added to the request: every record
/// has a key, and a retry of the same record must reach Zuora with it.
fn idempotency_key(headers: &mut HeaderMap) -> String {
    if let Some(key) = headers.get(&IDEMPOTENCY_KEY).and_then(|v| v.to_str().ok()) {
        if !key.trim().is_empty() {
            return key.to_owned();
        }
    }
    let key = uuid::Uuid::new_v4().hyphenated().to_string();
    if let Ok(value) = HeaderValue::from_str(&key) {
        headers.insert(IDEMPOTENCY_KEY, value);
    }
    key
}

fn new_submission(
    key: String,
    user: String,
    facts: UploadFacts,
    headers: &HeaderMap,
) -> NewSubmission {
    NewSubmission {
        idempotency_key: key,
        submitted_by: user,
        submitted_at: OffsetDateTime::now_utc(),
        file_name: facts.file_name,
        file_size: facts.file_size,
        md5: facts.md5,
        action_type: facts.action_type,
        track_id: headers
            .get(&TRACK_ID)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned),
    }
}

/// Records what Zuora's answer says: a bulk key, a refusal, or that the outcome is not
/// known (a proxy's page in front of Zuora). An answer that cannot be recorded is still
/// passed to the browser: the mass action exists whether or not the history knows.
async fn record_answer(state: &AppState, key: &str, answer: &Answer, accepted_before: bool) {
    let reply = HttpReply {
        status: answer.status.as_u16(),
        body: String::from_utf8_lossy(&answer.body).into_owned(),
        request_id: header_text(&answer.headers, "zuora-request-id"),
        retry_after: header_text(&answer.headers, "retry-after"),
    };
    let store = state.store();
    let recorded = match read_submit_reply(&reply) {
        Ok(bulk_key) => store.record_accepted(key, bulk_key.as_str()).await,
        // Another attempt with this key is in flight; it records the outcome.
        Err(e) if e.status() == Some(409) => Ok(()),
        Err(e) if e.outcome_unknown() => store.record_unknown(key).await,
        // A refusal of a retry does not undo a mass action Zuora already accepted.
        Err(_) if accepted_before => Ok(()),
        Err(e) => store.record_refused(key, reply.status, e.reasons()).await,
    };
    if let Err(e) = recorded {
        eprintln!("mass-updater-gateway: upload {key}: Zuora's answer could not be recorded: {e}");
    }
}

fn header_text(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get(name)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned)
}

/// `GET /v1/bulk/{key}`: through the poller, so concurrent polls of one key make one
/// request to Zuora and a fresh status comes from the store.
pub async fn status(State(state): State<AppState>, Path(key): Path<String>) -> Response {
    if !is_bulk_key(&key) {
        return Refusal::NoRoute {
            path: format!("/v1/bulk/{key}"),
        }
        .into_response();
    }
    match state.poller().poll(&key).await {
        Ok(reply) => plain_response(reply.status, reply.content_type.as_deref(), reply.body),
        Err(e) => Refusal::from(e).into_response(),
    }
}

/// Zuora's keys are hex; anything outside letters, digits, `-` and `_` could not be
/// one and would change the upstream path.
fn is_bulk_key(key: &str) -> bool {
    (1..=128).contains(&key.len())
        && key
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}
