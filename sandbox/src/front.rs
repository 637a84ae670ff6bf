//! The layer in front of every `/v1/*` and `/oauth/*` route.
//!
//! Order of work for each request, and why:
//! 1. Read the whole body (up to the limit), gunzip it if it came with
//!    `Content-Encoding: gzip` (see `encoding.rs`), and record the request in
//!    the log, so that a request that is later hung or dropped still shows up.
//! 2. Apply an injected fault: faults stand for things in front of Zuora.
//! 3. Check `Zuora-Track-Id`, then the body size (413), then the body's
//!    encoding (415 / 400 / 413), then the bearer token (`/v1` only).
//! 4. The idempotency store (`/v1` only), then the route handler.
//! 5. Add `Zuora-Request-Id` / `Zuora-Track-Id` and log the status.

use std::panic::AssertUnwindSafe;
use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, HeaderName, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::Response;
use bytes::{Bytes, BytesMut};
use futures_util::{FutureExt, StreamExt};
use md5::{Digest, Md5};
use tokio::sync::Notify;

use crate::codes;
use crate::encoding::{self, Coding, GunzipError};
use crate::faults::Fault;
use crate::multipart;
use crate::respond::{self, zuora_error};
use crate::state::{Arrival, IdemDecision, LoggedPart, SharedApp, StoredResponse};

pub const ZUORA_REQUEST_ID: HeaderName = HeaderName::from_static("zuora-request-id");
pub const ZUORA_TRACK_ID: HeaderName = HeaderName::from_static("zuora-track-id");
pub const IDEMPOTENCY_KEY: HeaderName = HeaderName::from_static("idempotency-key");

/// What handlers behind the front layer get about their request.
#[derive(Clone, Debug)]
pub struct Ctx {
    pub request_id: String,
    pub body: Bytes,
    pub idempotency_key: Option<String>,
}

/// Fired by a `drop` fault: the connection task closes the socket at once.
#[derive(Clone, Debug)]
pub struct KillSwitch(pub Arc<Notify>);

struct BodyRead {
    /// The body, or empty when it was too large or broke off.
    bytes: Bytes,
    size: u64,
    md5: String,
    too_large: bool,
    error: Option<String>,
}

/// Reads the whole body. Beyond `limit` the bytes are counted and hashed but
/// not kept, so the client still gets a clean 413 instead of a reset.
async fn read_body(body: Body, limit: u64) -> BodyRead {
    let mut stream = body.into_data_stream();
    let mut buf = BytesMut::new();
    let mut hasher = Md5::new();
    let mut size: u64 = 0;
    let mut too_large = false;
    let mut error = None;
    while let Some(chunk) = stream.next().await {
        match chunk {
            Ok(chunk) => {
                size += chunk.len() as u64;
                hasher.update(&chunk);
                if !too_large {
                    if size > limit {
                        too_large = true;
                        buf = BytesMut::new();
                    } else {
                        buf.extend_from_slice(&chunk);
                    }
                }
            }
            Err(e) => {
                error = Some(e.to_string());
                break;
            }
        }
    }
    BodyRead {
        bytes: if too_large || error.is_some() {
            Bytes::new()
        } else {
            buf.freeze()
        },
        size,
        md5: crate::action::hex_lower(&hasher.finalize()),
        too_large,
        error,
    }
}

/// The body after undoing its `Content-Encoding`.
enum Decoded {
    /// The bytes the handlers see: the body as sent, or gunzipped.
    Ready(Bytes),
    /// The raw body was too large or broke off; its own error is answered.
    NotRead,
    Unsupported(String),
    Gzip(GunzipError),
}

async fn decode(coding: Coding, read: &BodyRead, limit: u64) -> Decoded {
    if read.too_large || read.error.is_some() {
        return Decoded::NotRead;
    }
    match coding {
        Coding::Identity => Decoded::Ready(read.bytes.clone()),
        Coding::Unsupported(value) => Decoded::Unsupported(value),
        Coding::Gzip => {
            let raw = read.bytes.clone();
            // Inflating up to `limit` bytes is CPU work; keep it off the
            // async workers.
            match tokio::task::spawn_blocking(move || encoding::gunzip(&raw, limit)).await {
                Ok(Ok(bytes)) => Decoded::Ready(bytes),
                Ok(Err(e)) => Decoded::Gzip(e),
                Err(_) => Decoded::Gzip(GunzipError::Invalid(
                    "the gzip stream is malformed".to_string(),
                )),
            }
        }
    }
}

/// The body as read, and as decoded.
struct Received {
    read: BodyRead,
    decoded: Decoded,
}

fn header_map_json(headers: &HeaderMap) -> serde_json::Map<String, serde_json::Value> {
    let mut map = serde_json::Map::new();
    for name in headers.keys() {
        let values: Vec<String> = headers
            .get_all(name)
            .iter()
            .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned())
            .collect();
        map.insert(
            name.as_str().to_string(),
            serde_json::Value::String(values.join(", ")),
        );
    }
    map
}

/// Checks `Zuora-Track-Id` against Zuora's rules. `Ok(Some)` is echoed back.
fn track_id(headers: &HeaderMap) -> Result<Option<HeaderValue>, String> {
    let mut values = headers.get_all(ZUORA_TRACK_ID).iter();
    let Some(value) = values.next() else {
        return Ok(None);
    };
    if values.next().is_some() {
        return Err("sent more than once".to_string());
    }
    let bytes = value.as_bytes();
    if bytes.len() > 64 {
        return Err(format!("{} characters long", bytes.len()));
    }
    if let Some(b) = bytes.iter().find(|b| !(0x20..=0x7e).contains(*b)) {
        return Err(format!(
            "contains the non-printable or non-ASCII byte 0x{b:02X}"
        ));
    }
    if let Some(b) = bytes.iter().find(|b| b":;\"'".contains(b)) {
        return Err(format!(
            "contains the forbidden character {}",
            char::from(*b)
        ));
    }
    Ok(Some(value.clone()))
}

/// `Ok(None)`: no key. `Err`: a 400 response reason.
fn idempotency_key(headers: &HeaderMap) -> Result<Option<String>, codes::Reason> {
    let Some(value) = headers.get(IDEMPOTENCY_KEY) else {
        return Ok(None);
    };
    let bytes = value.as_bytes();
    if bytes.len() > 255 {
        return Err(codes::IDEMPOTENCY_KEY_TOO_LONG.with(&[&bytes.len()]));
    }
    if bytes.is_empty() || bytes.iter().any(|b| !(0x20..=0x7e).contains(b)) {
        return Err(codes::IDEMPOTENCY_KEY_INVALID.reason());
    }
    Ok(Some(String::from_utf8_lossy(bytes).into_owned()))
}

enum Bearer {
    Missing,
    Invalid,
    Valid,
}

fn bearer(app: &SharedApp, headers: &HeaderMap) -> Bearer {
    let Some(value) = headers.get(header::AUTHORIZATION) else {
        return Bearer::Missing;
    };
    let Ok(text) = value.to_str() else {
        return Bearer::Invalid;
    };
    let mut words = text.trim().splitn(2, ' ');
    let scheme = words.next().unwrap_or("");
    let token = words.next().unwrap_or("").trim();
    if !scheme.eq_ignore_ascii_case("bearer") || token.is_empty() {
        return Bearer::Invalid;
    }
    if app.token_is_valid(token) {
        Bearer::Valid
    } else {
        Bearer::Invalid
    }
}

/// Outcome of the work before the handler.
enum Early {
    /// A fault's answer: it never reaches auth or the idempotency store.
    Respond(Response),
    Continue,
}

pub async fn front(State(app): State<SharedApp>, req: Request, next: Next) -> Response {
    let started = Instant::now();
    let method = req.method().clone();
    let path = req.uri().path().to_string();
    let path_and_query = req
        .uri()
        .path_and_query()
        .map_or_else(|| path.clone(), |p| p.as_str().to_string());
    // Counted from the first moment, so the counter reflects the client's
    // concurrency, including requests that a fault holds up.
    let _bulk_guard = (method == Method::POST && path == "/v1/bulk").then(|| app.enter_bulk());
    let request_id = respond::new_request_id();
    let config = app.config();

    let (parts, body) = req.into_parts();
    let read = read_body(body, config.max_body_bytes).await;
    let coding = encoding::coding(&parts.headers);
    let is_gzip = coding == Coding::Gzip;
    // A decoded body is held to the same limit as a plain one.
    let decoded = decode(coding, &read, config.max_body_bytes).await;

    let content_type = parts
        .headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok());
    let logged_parts = match (&decoded, multipart::boundary(content_type)) {
        (Decoded::Ready(bytes), Some(boundary)) => {
            let (raw, _) = multipart::parse(bytes.clone(), boundary).await;
            Some(raw.iter().map(LoggedPart::from_raw).collect())
        }
        _ => None,
    };
    let (decoded_body_size, decoded_body_md5) = match (&decoded, is_gzip) {
        (Decoded::Ready(bytes), true) => (
            Some(bytes.len() as u64),
            Some(crate::action::hex_lower(&Md5::digest(bytes))),
        ),
        _ => (None, None),
    };
    let uid = app.log_arrival(Arrival {
        method: method.to_string(),
        path: path_and_query.clone(),
        headers: header_map_json(&parts.headers),
        body_size: read.size,
        body_md5: read.md5.clone(),
        content_encoding: encoding::header_value(&parts.headers),
        decoded_body_size,
        decoded_body_md5,
        parts: logged_parts,
    });

    // Injected faults come first.
    let fault = app.take_fault(method.as_str(), &path);
    if let Some(f) = &fault {
        app.log_fault(uid, f);
    }
    let early = match &fault {
        Some(Fault::Status {
            status,
            retry_after,
        }) => Early::Respond(respond::fault_response(*status, *retry_after, &request_id)),
        Some(Fault::Hang) => {
            eprintln!("{method} {path_and_query} -> (hang fault: no answer)");
            std::future::pending::<()>().await;
            Early::Continue
        }
        Some(Fault::Drop) => {
            eprintln!("{method} {path_and_query} -> (drop fault: closing the connection)");
            if let Some(kill) = parts.extensions.get::<KillSwitch>() {
                kill.0.notify_one();
            }
            // The connection task drops this future with the connection.
            std::future::pending::<()>().await;
            Early::Continue
        }
        Some(Fault::Delay { ms }) => {
            tokio::time::sleep(Duration::from_millis(*ms)).await;
            Early::Continue
        }
        None => Early::Continue,
    };

    let track = track_id(&parts.headers);
    let echo = track.as_ref().ok().cloned().flatten();

    let response = match early {
        Early::Respond(r) => r,
        Early::Continue => {
            let received = Received { read, decoded };
            handle(
                &app,
                parts,
                received,
                track.err(),
                &request_id,
                &config,
                next,
            )
            .await
        }
    };

    let mut response = response;
    if let Ok(v) = HeaderValue::from_str(&request_id) {
        response.headers_mut().insert(ZUORA_REQUEST_ID, v);
    }
    if let Some(v) = echo {
        response.headers_mut().insert(ZUORA_TRACK_ID, v);
    }
    let status = response.status().as_u16();
    app.log_response(uid, status);
    let fault_note = fault
        .map(|f| format!(" [fault: {}]", f.label()))
        .unwrap_or_default();
    eprintln!(
        "{method} {path_and_query} -> {status} ({} ms){fault_note}",
        started.elapsed().as_millis()
    );
    response
}

async fn handle(
    app: &SharedApp,
    parts: axum::http::request::Parts,
    received: Received,
    bad_track_id: Option<String>,
    request_id: &str,
    config: &crate::config::Config,
    next: Next,
) -> Response {
    let read = &received.read;
    if let Some(why) = bad_track_id {
        return zuora_error(
            StatusCode::BAD_REQUEST,
            request_id,
            codes::TRACK_ID_INVALID.with(&[&why]),
        );
    }
    if read.too_large {
        return zuora_error(
            StatusCode::PAYLOAD_TOO_LARGE,
            request_id,
            codes::BODY_TOO_LARGE.with(&[&read.size, &config.max_body_bytes]),
        );
    }
    if let Some(e) = &read.error {
        return zuora_error(
            StatusCode::BAD_REQUEST,
            request_id,
            codes::BODY_UNREADABLE.with(&[e]),
        );
    }
    let body = match received.decoded {
        Decoded::Ready(bytes) => bytes,
        // Unreachable: a body that was not read is answered just above.
        Decoded::NotRead => return respond::system_error(),
        Decoded::Unsupported(value) => {
            let mut response = zuora_error(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                request_id,
                codes::ENCODING_UNSUPPORTED.with(&[&value]),
            );
            // RFC 9110 §12.5.3: Accept-Encoding on a 415 names the codings
            // the server accepts in requests.
            response
                .headers_mut()
                .insert(header::ACCEPT_ENCODING, HeaderValue::from_static("gzip"));
            return response;
        }
        Decoded::Gzip(GunzipError::Invalid(why)) => {
            return zuora_error(
                StatusCode::BAD_REQUEST,
                request_id,
                codes::GZIP_INVALID.with(&[&why]),
            )
        }
        Decoded::Gzip(GunzipError::TooLarge) => {
            return zuora_error(
                StatusCode::PAYLOAD_TOO_LARGE,
                request_id,
                codes::GZIP_TOO_LARGE.with(&[&config.max_body_bytes]),
            )
        }
    };
    let path = parts.uri.path().to_string();
    let is_v1 = path == "/v1" || path.starts_with("/v1/");

    if is_v1 {
        match bearer(app, &parts.headers) {
            Bearer::Valid => {}
            Bearer::Missing => {
                return zuora_error(
                    StatusCode::UNAUTHORIZED,
                    request_id,
                    codes::AUTH_MISSING.reason(),
                )
            }
            Bearer::Invalid => {
                return zuora_error(
                    StatusCode::UNAUTHORIZED,
                    request_id,
                    codes::AUTH_INVALID.reason(),
                )
            }
        }
    }

    let mut key = None;
    let mut guard = None;
    if is_v1 {
        match idempotency_key(&parts.headers) {
            Ok(None) => {}
            Ok(Some(k)) => {
                match app.idempotency(&k, &parts.method, &path) {
                    IdemDecision::Proceed(g) => guard = Some(g),
                    IdemDecision::Ignore => {}
                    IdemDecision::Replay(stored) => return replay(stored),
                    IdemDecision::InFlight => {
                        return zuora_error(
                            StatusCode::CONFLICT,
                            request_id,
                            codes::IDEMPOTENCY_IN_FLIGHT.reason(),
                        )
                    }
                    IdemDecision::Mismatch {
                        method: first_method,
                        path: first_path,
                    } => {
                        return zuora_error(
                            StatusCode::UNPROCESSABLE_ENTITY,
                            request_id,
                            codes::IDEMPOTENCY_MISMATCH.with(&[
                                &first_method,
                                &first_path,
                                &parts.method,
                                &path,
                            ]),
                        )
                    }
                }
                key = Some(k);
            }
            Err(reason) => return zuora_error(StatusCode::BAD_REQUEST, request_id, reason),
        }
    }

    let mut request = Request::from_parts(parts, Body::empty());
    request.extensions_mut().insert(Ctx {
        request_id: request_id.to_string(),
        body,
        idempotency_key: key,
    });
    // A panic in a handler is a sandbox bug; answer like Zuora's 500 rather
    // than killing the connection.
    let response = match AssertUnwindSafe(next.run(request)).catch_unwind().await {
        Ok(r) => r,
        Err(_) => respond::system_error(),
    };

    match guard {
        None => response,
        Some(guard) => {
            let (head, body) = response.into_parts();
            let bytes = match axum::body::to_bytes(body, usize::MAX).await {
                Ok(b) => b,
                // The guard drops here, releasing the key.
                Err(_) => return respond::system_error(),
            };
            guard.complete(StoredResponse {
                status: head.status,
                body: bytes.clone(),
                content_type: head.headers.get(header::CONTENT_TYPE).cloned(),
            });
            Response::from_parts(head, Body::from(bytes))
        }
    }
}

fn replay(stored: StoredResponse) -> Response {
    let mut response = Response::new(Body::from(stored.body));
    *response.status_mut() = stored.status;
    if let Some(ct) = stored.content_type {
        response.headers_mut().insert(header::CONTENT_TYPE, ct);
    }
    response
}
