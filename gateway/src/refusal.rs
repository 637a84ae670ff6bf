//! The gateway's own answers on `/v1/…`, in Zuora's 4XX shape
//! (`{"success":false,"processId","reasons":[{"code","message"}],"requestId"}`), so the
//! app reads them as it reads Zuora's. The codes are the gateway's own, on Zuora's
//! scheme (a resource code, then a two-digit category: 10 permission, 11
//! authentication, 20 format, 40 not found, 45 unsupported, 60 internal, 61 temporary,
//! 99 external).

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::json;

/// Why the gateway answered a `/v1/…` request itself; each `Display` is one sentence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    NoRoute {
        path: String,
    },
    MethodNotAllowed {
        method: String,
        path: String,
        allowed: &'static str,
    },
    CrossSite,
    NoUser,
    TooLarge {
        limit: u64,
    },
    BodyTooSlow,
    BodyUnreadable(String),
    UploadUnreadable(String),
    Token(String),
    Unreachable(String),
    Timeout,
    StoreUnavailable(String),
}

impl Refusal {
    pub fn status(&self) -> StatusCode {
        match self {
            Refusal::NoRoute { .. } => StatusCode::NOT_FOUND,
            Refusal::MethodNotAllowed { .. } => StatusCode::METHOD_NOT_ALLOWED,
            Refusal::CrossSite => StatusCode::FORBIDDEN,
            Refusal::NoUser => StatusCode::UNAUTHORIZED,
            Refusal::TooLarge { .. } => StatusCode::PAYLOAD_TOO_LARGE,
            Refusal::BodyTooSlow => StatusCode::REQUEST_TIMEOUT,
            Refusal::BodyUnreadable(_) | Refusal::UploadUnreadable(_) => StatusCode::BAD_REQUEST,
            Refusal::Token(_) | Refusal::Unreachable(_) => StatusCode::BAD_GATEWAY,
            Refusal::Timeout => StatusCode::GATEWAY_TIMEOUT,
            Refusal::StoreUnavailable(_) => StatusCode::SERVICE_UNAVAILABLE,
        }
    }

    pub fn code(&self) -> &'static str {
        match self {
            Refusal::NoRoute { .. } => "50000040",
            Refusal::MethodNotAllowed { .. } => "50000045",
            Refusal::CrossSite => "67980110",
            Refusal::NoUser => "67980211",
            Refusal::TooLarge { .. } => "67980320",
            Refusal::BodyTooSlow => "67980420",
            Refusal::BodyUnreadable(_) => "67980520",
            Refusal::UploadUnreadable(_) => "67980620",
            Refusal::Token(_) => "67980799",
            Refusal::Unreachable(_) => "67980899",
            Refusal::Timeout => "67980961",
            Refusal::StoreUnavailable(_) => "67981060",
        }
    }
}

impl std::fmt::Display for Refusal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Refusal::NoRoute { path } => write!(f, "There is no resource at {path}: this gateway forwards only the Mass Updater calls."),
            Refusal::MethodNotAllowed { method, path, allowed } => write!(f, "The method {method} is not supported on {path}; allowed: {allowed}."),
            Refusal::CrossSite => f.write_str("A request started by another site is not forwarded to Zuora."),
            Refusal::NoUser => f.write_str("You are not signed in: the request did not come through the sign-on proxy."),
            Refusal::TooLarge { limit } => write!(f, "The request body is over the limit of {limit} bytes."),
            Refusal::BodyTooSlow => f.write_str("The request body took too long to arrive."),
            Refusal::BodyUnreadable(cause) => write!(f, "The request body could not be read: {cause}."),
            Refusal::UploadUnreadable(cause) => write!(f, "The upload could not be read: {cause}."),
            Refusal::Token(cause) => write!(f, "The gateway could not sign in to Zuora: {cause}."),
            Refusal::Unreachable(cause) => write!(f, "Zuora could not be reached: {cause}."),
            Refusal::Timeout => f.write_str("Zuora did not answer in time."),
            Refusal::StoreUnavailable(cause) => write!(f, "The upload was not sent because the gateway could not record it ({}).", cause.trim_end_matches('.')),
        }
    }
}

impl std::error::Error for Refusal {}

impl IntoResponse for Refusal {
    fn into_response(self) -> Response {
        let process_id = uuid::Uuid::new_v4().simple().to_string()[..16].to_uppercase();
        let body = json!({
            "success": false,
            "processId": process_id,
            "reasons": [{"code": self.code(), "message": self.to_string()}],
            "requestId": uuid::Uuid::new_v4().hyphenated().to_string(),
        });
        let mut response = (self.status(), axum::Json(body)).into_response();
        response.headers_mut().insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/json; charset=utf-8"),
        );
        if let Refusal::MethodNotAllowed { allowed, .. } = self {
            response
                .headers_mut()
                .insert(header::ALLOW, HeaderValue::from_static(allowed));
        }
        response
    }
}
