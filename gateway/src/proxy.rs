//! `/v1/…`: the four Mass Updater calls forwarded to Zuora under the nginx recipe's
//! rules (`deploy/nginx/mass-updater.conf`); every other path is refused.

use std::net::SocketAddr;
use std::time::Duration;

use axum::body::Body;
use axum::extract::{ConnectInfo, Request, State};
use axum::http::{HeaderMap, HeaderName, Method, StatusCode, Uri};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use bytes::Bytes;
use http_body_util::{BodyExt, LengthLimitError, Limited};

use crate::refusal::Refusal;
use crate::state::AppState;
use crate::upstream::{is_withheld, Answer, Outgoing};

/// The signed-in user of a request, set by [`guard`].
#[derive(Clone, Debug)]
pub struct User(pub String);

/// Request headers Zuora gets from the browser, unchanged. Everything else (the
/// browser's `Authorization`, `Cookie`, `Origin`, the sign-on proxy's headers) stays here.
const FORWARDED: [&str; 9] = [
    "idempotency-key",
    "zuora-track-id",
    "zuora-entity-ids",
    "zuora-org-ids",
    "zuora-version",
    "content-type",
    "content-encoding",
    "accept-encoding",
    "accept",
];

/// Refuses what another site started, then what nobody signed in asked for.
pub async fn guard(State(state): State<AppState>, mut request: Request, next: Next) -> Response {
    if is_cross_site(request.headers()) {
        return Refusal::CrossSite.into_response();
    }
    match user_of(&state, &request) {
        Some(user) => {
            request.extensions_mut().insert(User(user));
            next.run(request).await
        }
        None => Refusal::NoUser.into_response(),
    }
}

/// The request's user as the identity layer says, from its TCP peer and headers.
pub fn user_of(state: &AppState, request: &Request) -> Option<String> {
    let peer = request.extensions().get::<ConnectInfo<SocketAddr>>()?.0;
    state
        .config()
        .identity
        .user_of(peer.ip(), request.headers())
}

/// Browsers send `Sec-Fetch-Site`; the app's own calls are `same-origin` (or `none`).
fn is_cross_site(headers: &HeaderMap) -> bool {
    headers
        .get_all("sec-fetch-site")
        .iter()
        .any(|v| matches!(v.as_bytes(), b"cross-site" | b"same-site"))
}

pub async fn no_route(uri: Uri) -> Refusal {
    Refusal::NoRoute {
        path: uri.path().to_owned(),
    }
}

pub fn not_allowed(
    allowed: &'static str,
) -> impl Fn(Method, Uri) -> std::future::Ready<Refusal> + Clone + Send + Sync + 'static {
    move |method, uri| {
        std::future::ready(Refusal::MethodNotAllowed {
            method: method.to_string(),
            path: uri.path().to_owned(),
            allowed,
        })
    }
}

/// `PUT /v1/bulk/{key}/stop`, `GET /v1/files/{id}`: forwarded as they are.
pub async fn forward(State(state): State<AppState>, request: Request) -> Response {
    let outgoing = match outgoing(&state, request).await {
        Ok(outgoing) => outgoing,
        Err(refusal) => return refusal.into_response(),
    };
    match state.zuora().send(&outgoing).await {
        Ok(answer) => answer_response(answer),
        Err(no_answer) => Refusal::from(no_answer).into_response(),
    }
}

/// The browser's request made ready for Zuora: allowed headers only, body buffered
/// within the limit.
pub async fn outgoing(state: &AppState, request: Request) -> Result<Outgoing, Refusal> {
    let (parts, body) = request.into_parts();
    let config = state.config();
    let body = read_body(
        &parts.headers,
        body,
        config.max_body_bytes(),
        config.timeouts.client_body,
    )
    .await?;
    let path_and_query = parts
        .uri
        .path_and_query()
        .map_or_else(|| parts.uri.path().to_owned(), |pq| pq.as_str().to_owned());
    Ok(Outgoing {
        method: parts.method,
        path_and_query,
        headers: forwarded_headers(&parts.headers),
        body,
    })
}

pub fn forwarded_headers(headers: &HeaderMap) -> HeaderMap {
    let mut kept = HeaderMap::new();
    for name in FORWARDED {
        let name = HeaderName::from_static(name);
        for value in headers.get_all(&name) {
            kept.append(name.clone(), value.clone());
        }
    }
    kept
}

async fn read_body(
    headers: &HeaderMap,
    body: Body,
    limit: u64,
    patience: Duration,
) -> Result<Bytes, Refusal> {
    let declared = headers
        .get(axum::http::header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<u64>().ok());
    if declared.is_some_and(|n| n > limit) {
        return Err(Refusal::TooLarge { limit });
    }
    let limited = Limited::new(body, usize::try_from(limit).unwrap_or(usize::MAX));
    match tokio::time::timeout(patience, limited.collect()).await {
        Err(_) => Err(Refusal::BodyTooSlow),
        Ok(Ok(collected)) => Ok(collected.to_bytes()),
        Ok(Err(e)) if e.downcast_ref::<LengthLimitError>().is_some() => {
            Err(Refusal::TooLarge { limit })
        }
        Ok(Err(e)) => Err(Refusal::BodyUnreadable(e.to_string())),
    }
}

/// Zuora's answer for the browser: status, headers and body as they came, less the
/// withheld headers.
pub fn answer_response(answer: Answer) -> Response {
    let mut response = Response::new(Body::from(answer.body));
    *response.status_mut() = answer.status;
    for (name, value) in &answer.headers {
        if !is_withheld(name) {
            response.headers_mut().append(name.clone(), value.clone());
        }
    }
    response
}

/// A reply of status `status` with these content type and body.
pub fn plain_response(status: u16, content_type: Option<&str>, body: Bytes) -> Response {
    let mut response = Response::new(Body::from(body));
    *response.status_mut() = StatusCode::from_u16(status).unwrap_or(StatusCode::BAD_GATEWAY);
    if let Some(value) = content_type.and_then(|t| t.parse().ok()) {
        response
            .headers_mut()
            .insert(axum::http::header::CONTENT_TYPE, value);
    }
    response
}
