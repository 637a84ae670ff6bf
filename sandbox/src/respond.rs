//! Building responses in Zuora's shapes.

use axum::body::Body;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::Response;
use serde_json::json;

use crate::codes::{self, Reason};

pub const JSON_CONTENT_TYPE: &str = "application/json; charset=utf-8";
pub const WWW_AUTHENTICATE: &str =
    "Basic realm=Zuora API, ZSession realm=Zuora API, Bearer realm=Zuora API";

/// A JSON body with the exact content type Zuora sends.
pub fn json(status: StatusCode, value: &serde_json::Value) -> Response {
    let body = serde_json::to_vec(value).unwrap_or_else(|_| b"{}".to_vec());
    let mut response = Response::new(Body::from(body));
    *response.status_mut() = status;
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(JSON_CONTENT_TYPE),
    );
    response
}

/// A fresh request id: a hyphenated v4 UUID (36 characters).
pub fn new_request_id() -> String {
    uuid::Uuid::new_v4().hyphenated().to_string()
}

/// A fresh 32-character lowercase hex id, like Zuora object ids.
pub fn new_hex_id() -> String {
    uuid::Uuid::new_v4().simple().to_string()
}

/// Zuora's `processId`: 16 uppercase hex characters.
pub fn new_process_id() -> String {
    let id = uuid::Uuid::new_v4()
        .simple()
        .to_string()
        .to_ascii_uppercase();
    id[..16].to_string()
}

/// The 4XX body (`CommonResponse`): success false, processId, reasons, requestId.
pub fn zuora_error(status: StatusCode, request_id: &str, reason: Reason) -> Response {
    let mut response = json(
        status,
        &json!({
            "success": false,
            "processId": new_process_id(),
            "reasons": [{"code": reason.code, "message": reason.message}],
            "requestId": request_id,
        }),
    );
    if status == StatusCode::UNAUTHORIZED {
        response.headers_mut().insert(
            header::WWW_AUTHENTICATE,
            HeaderValue::from_static(WWW_AUTHENTICATE),
        );
    }
    response
}

/// Zuora's 500 body, which has neither `success` nor `processId`.
pub fn system_error() -> Response {
    json(
        StatusCode::INTERNAL_SERVER_ERROR,
        &json!({"reasons": [{"code": codes::SYSTEM_ERROR_CODE, "message": codes::SYSTEM_ERROR_MESSAGE}]}),
    )
}

/// A small HTML error page like the ones nginx sends for 502/503/504.
pub fn proxy_page(status: StatusCode) -> Response {
    let title = format!(
        "{} {}",
        status.as_u16(),
        status.canonical_reason().unwrap_or("Error")
    );
    let page = format!(
        "<html>\r\n<head><title>{title}</title></head>\r\n<body>\r\n<center><h1>{title}</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n"
    );
    let mut response = Response::new(Body::from(page));
    *response.status_mut() = status;
    response
        .headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static("text/html"));
    response
}

/// The response for an injected `status` fault.
pub fn fault_response(status: u16, retry_after: Option<u64>, request_id: &str) -> Response {
    let code = StatusCode::from_u16(status).unwrap_or(StatusCode::SERVICE_UNAVAILABLE);
    let mut response = match code.as_u16() {
        500 => system_error(),
        502..=504 => proxy_page(code),
        401 => zuora_error(code, request_id, codes::FAULT_401.reason()),
        403 => zuora_error(code, request_id, codes::FAULT_403.reason()),
        404 => zuora_error(code, request_id, codes::FAULT_404.reason()),
        405 => zuora_error(code, request_id, codes::FAULT_405.reason()),
        409 => zuora_error(code, request_id, codes::FAULT_409.reason()),
        422 => zuora_error(code, request_id, codes::FAULT_422.reason()),
        429 => zuora_error(code, request_id, codes::FAULT_429.reason()),
        400..=499 => zuora_error(code, request_id, codes::FAULT_OTHER_4XX.with(&[&status])),
        _ => zuora_error(code, request_id, codes::FAULT_OTHER_5XX.with(&[&status])),
    };
    if let Some(secs) = retry_after {
        if let Ok(v) = HeaderValue::from_str(&secs.to_string()) {
            response.headers_mut().insert(header::RETRY_AFTER, v);
        }
    }
    response
}

/// The plain JSON error used by the `/__sandbox` control endpoints.
pub fn control_error(status: StatusCode, message: impl Into<String>) -> Response {
    json(status, &json!({"ok": false, "error": message.into()}))
}
