//! The Zuora-facing routes: `/oauth/token`, `/v1/bulk`, `/v1/files`.
//! Everything here runs behind `front.rs`, which has already read the body,
//! applied faults, checked the track id and (for `/v1`) the bearer token.

use std::time::{Duration, Instant};

use axum::body::Body;
use axum::extract::rejection::PathRejection;
use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode, Uri};
use axum::response::Response;
use axum::Extension;
use serde_json::{json, Value};
use time::macros::format_description;
use time::OffsetDateTime;

use crate::action::{self, MassAction, NewAction, Sheet};
use crate::codes;
use crate::config::CountsAs;
use crate::front::Ctx;
use crate::respond::{self, json, zuora_error};
use crate::state::SharedApp;
use crate::upload;

/// Shown as `uploadedBy` on every mass action.
pub const UPLOADED_BY: &str = "sandbox.user@example.com";
/// The OAuth scope string of issued tokens (fixed ids of a pretend tenant).
pub const TOKEN_SCOPE: &str =
    "user.5a4db0c0de0140008000000000000001 entity.5a4db0c0-de01-4000-8000-000000000002 tenant.9999";

/// OAuth answers carry credentials or say why none were given: never cached.
fn no_store(mut response: Response) -> Response {
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

fn oauth_error(status: StatusCode, error: &str, description: &str) -> Response {
    let response = json(
        status,
        &json!({"error": error, "error_description": description}),
    );
    no_store(response)
}

/// `POST /oauth/token` (client credentials).
pub async fn token(
    State(app): State<SharedApp>,
    Extension(ctx): Extension<Ctx>,
    headers: HeaderMap,
) -> Response {
    let bad =
        |description: &str| oauth_error(StatusCode::BAD_REQUEST, "invalid_request", description);
    if headers.contains_key(header::AUTHORIZATION) {
        return bad(codes::OAUTH_HAS_AUTHORIZATION);
    }
    let is_form = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .is_some_and(|v| {
            v.trim()
                .eq_ignore_ascii_case("application/x-www-form-urlencoded")
        });
    if !is_form {
        return bad(codes::OAUTH_NOT_FORM);
    }
    let Ok(pairs) = serde_urlencoded::from_bytes::<Vec<(String, String)>>(&ctx.body) else {
        return bad(codes::OAUTH_BAD_FORM);
    };
    let mut client_id = None;
    let mut client_secret = None;
    let mut grant_type = None;
    for (name, value) in pairs {
        let slot = match name.as_str() {
            "client_id" => &mut client_id,
            "client_secret" => &mut client_secret,
            "grant_type" => &mut grant_type,
            // Unknown parameters are ignored, as OAuth servers do (RFC 6749 §3.2).
            _ => continue,
        };
        if slot.is_some() {
            return bad(&format!("{}{name}", codes::OAUTH_DUPLICATE_PARAM));
        }
        *slot = Some(value);
    }
    let Some(client_id) = client_id else {
        return bad(codes::OAUTH_CLIENT_ID_MISSING);
    };
    let id_len = client_id.chars().count();
    if id_len != 36 {
        return bad(&format!("{}{id_len}.", codes::OAUTH_CLIENT_ID_LENGTH));
    }
    let Some(client_secret) = client_secret else {
        return bad(codes::OAUTH_CLIENT_SECRET_MISSING);
    };
    let secret_len = client_secret.chars().count();
    if secret_len > 42 {
        return bad(&format!(
            "{}{secret_len}.",
            codes::OAUTH_CLIENT_SECRET_LENGTH
        ));
    }
    let Some(grant_type) = grant_type else {
        return bad(codes::OAUTH_GRANT_TYPE_MISSING);
    };
    if grant_type != "client_credentials" {
        return oauth_error(
            StatusCode::BAD_REQUEST,
            "unsupported_grant_type",
            &format!("{}'{grant_type}'.", codes::OAUTH_GRANT_TYPE_UNSUPPORTED),
        );
    }
    let config = app.config();
    if client_id != config.client_id || client_secret != config.client_secret {
        return oauth_error(
            StatusCode::UNAUTHORIZED,
            "invalid_client",
            codes::OAUTH_BAD_CLIENT,
        );
    }
    let token = respond::new_hex_id();
    app.issue_token(token.clone(), Duration::from_secs(config.token_ttl_secs));
    let response = json(
        StatusCode::OK,
        &json!({
            "access_token": token,
            "token_type": "bearer",
            "expires_in": config.token_ttl_secs,
            "scope": TOKEN_SCOPE,
            "jti": respond::new_hex_id(),
        }),
    );
    no_store(response)
}

/// `POST /v1/bulk`.
pub async fn bulk_post(
    State(app): State<SharedApp>,
    Extension(ctx): Extension<Ctx>,
    headers: HeaderMap,
) -> Response {
    let config = app.config();
    if config.processing_delay_ms > 0 {
        // Holds the request (and its idempotency key) in flight.
        tokio::time::sleep(Duration::from_millis(config.processing_delay_ms)).await;
    }
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned());
    let upload = match upload::check(
        content_type.as_deref(),
        ctx.body.clone(),
        config.max_file_bytes,
    )
    .await
    {
        Ok(u) => u,
        Err(reason) => return zuora_error(StatusCode::BAD_REQUEST, &ctx.request_id, reason),
    };

    let bulk_key = respond::new_hex_id();
    let parsed = action::parse_csv(&upload.csv_bytes);
    let now = Instant::now();
    let wall = OffsetDateTime::now_utc();
    let key_for_build = bulk_key.clone();
    app.add_action(move |next_rs_number| {
        let sheet = parsed.map(|(header, rows)| {
            let outcomes = action::decide_outcomes(&header, &rows, |row| {
                action::success_values(upload.action_type, &key_for_build, row, next_rs_number)
            });
            Sheet::new(header, rows, outcomes)
        });
        MassAction::new(
            NewAction {
                bulk_key: key_for_build.clone(),
                file_id: respond::new_hex_id(),
                action_type: upload.action_type,
                file_name: upload.file_name,
                file_bytes: upload.file_bytes,
                csv_bytes: upload.csv_bytes,
                idempotency_key: ctx.idempotency_key.clone(),
                tick: Duration::from_millis(config.tick_ms),
                rows_per_tick: config.rows_per_tick,
                sheet,
            },
            now,
            wall,
        )
    });
    json(
        StatusCode::OK,
        &json!({"bulkKey": bulk_key, "success": true}),
    )
}

fn timestamp(t: OffsetDateTime) -> Value {
    let format = format_description!("[year]-[month]-[day] [hour]:[minute]:[second]");
    t.format(&format).map_or(Value::Null, Value::String)
}

fn count(n: usize, counts_as: CountsAs) -> Value {
    match counts_as {
        CountsAs::Number => json!(n),
        CountsAs::String => json!(n.to_string()),
    }
}

/// `GET /v1/bulk/{key}`.
pub async fn bulk_get(
    State(app): State<SharedApp>,
    Extension(ctx): Extension<Ctx>,
    key: Result<Path<String>, PathRejection>,
) -> Response {
    let key = key.map(|Path(k)| k).unwrap_or_default();
    let Some(action) = app.action(&key) else {
        return zuora_error(
            StatusCode::NOT_FOUND,
            &ctx.request_id,
            codes::BULK_NOT_FOUND.with(&[&key]),
        );
    };
    let config = app.config();
    let now = Instant::now();
    let snap = action.snapshot(now);
    let (output_size, output_type, output_url) = match action.output(now) {
        None => (Value::Null, Value::Null, Value::Null),
        Some(Ok(bytes)) => (
            json!(bytes.len()),
            json!("(url:.csv.zip)"),
            json!(format!("{}/v1/files/{}", config.files_base, action.file_id)),
        ),
        Some(Err(e)) => {
            eprintln!(
                "building the response file of {} failed: {e}",
                action.bulk_key
            );
            return respond::system_error();
        }
    };
    let c = config.counts_as;
    let counts = snap.counts;
    let pick =
        |f: fn(&action::Counts) -> usize| counts.as_ref().map_or(Value::Null, |k| count(f(k), c));
    json(
        StatusCode::OK,
        &json!({
            "actionType": action.action_type.as_str(),
            "endedOn": snap.ended_at.map_or(Value::Null, |t| timestamp(action.wall(t))),
            "errorCount": pick(|k| k.error),
            "inputSize": action.file_bytes.len(),
            "outputSize": output_size,
            "outputType": output_type,
            "outputURL": output_url,
            "processedCount": pick(|k| k.processed),
            "startedOn": snap.started_at.map_or(Value::Null, |t| timestamp(action.wall(t))),
            "status": snap.status.as_str(),
            "success": true,
            "successCount": pick(|k| k.success),
            "totalCount": pick(|k| k.total),
            "uploadedBy": UPLOADED_BY,
            "uploadedOn": timestamp(action.uploaded_wall),
        }),
    )
}

/// `PUT /v1/bulk/{key}/stop`.
pub async fn bulk_stop(
    State(app): State<SharedApp>,
    Extension(ctx): Extension<Ctx>,
    key: Result<Path<String>, PathRejection>,
) -> Response {
    let key = key.map(|Path(k)| k).unwrap_or_default();
    let Some(action) = app.action(&key) else {
        return zuora_error(
            StatusCode::NOT_FOUND,
            &ctx.request_id,
            codes::BULK_NOT_FOUND.with(&[&key]),
        );
    };
    match action.request_stop(Instant::now()) {
        Ok(()) => json(StatusCode::OK, &json!({"success": true})),
        Err(status) => zuora_error(
            StatusCode::BAD_REQUEST,
            &ctx.request_id,
            codes::STOP_NOT_ALLOWED.with(&[&status.as_str()]),
        ),
    }
}

/// `GET /v1/files/{id}`: the response zip.
pub async fn file_get(
    State(app): State<SharedApp>,
    Extension(ctx): Extension<Ctx>,
    id: Result<Path<String>, PathRejection>,
) -> Response {
    let id = id.map(|Path(k)| k).unwrap_or_default();
    let not_found = || {
        zuora_error(
            StatusCode::NOT_FOUND,
            &ctx.request_id,
            codes::FILE_NOT_FOUND.with(&[&id]),
        )
    };
    let Some(action) = app.action_by_file(&id) else {
        return not_found();
    };
    match action.output(Instant::now()) {
        None => not_found(),
        Some(Err(e)) => {
            eprintln!(
                "building the response file of {} failed: {e}",
                action.bulk_key
            );
            respond::system_error()
        }
        Some(Ok(bytes)) => {
            let mut response = Response::new(Body::from(bytes));
            response.headers_mut().insert(
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/zip;charset=UTF-8"),
            );
            let disposition = format!(
                "attachment; filename=\"{}.zip\"",
                action.response_csv_name().replace(['"', '\\'], "_")
            );
            if let Ok(v) = HeaderValue::from_str(&disposition) {
                response
                    .headers_mut()
                    .insert(header::CONTENT_DISPOSITION, v);
            }
            response
        }
    }
}

/// Any other path under `/v1` or `/oauth`.
pub async fn not_found(Extension(ctx): Extension<Ctx>, uri: Uri) -> Response {
    zuora_error(
        StatusCode::NOT_FOUND,
        &ctx.request_id,
        codes::ROUTE_NOT_FOUND.with(&[&uri.path()]),
    )
}

/// A known path with a method it does not support.
pub fn method_not_allowed(
    ctx: &Ctx,
    method: &Method,
    uri: &Uri,
    allowed: &'static str,
) -> Response {
    let mut response = zuora_error(
        StatusCode::METHOD_NOT_ALLOWED,
        &ctx.request_id,
        codes::METHOD_NOT_ALLOWED.with(&[method, &uri.path(), &allowed]),
    );
    response
        .headers_mut()
        .insert(header::ALLOW, HeaderValue::from_static(allowed));
    response
}
