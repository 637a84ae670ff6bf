//! The follower's source of statuses: `GET /v1/bulk/{key}` on the Zuora client, with
//! its token and its one retry after a 401.

use std::future::Future;

use axum::http::{header, HeaderMap, HeaderValue, Method};
use bytes::Bytes;

use crate::follow::{StatusSource, UpstreamError, UpstreamReply};
use crate::refusal::Refusal;
use crate::upstream::{NoAnswer, Outgoing, Zuora};

impl StatusSource for Zuora {
    fn fetch_status(
        &self,
        bulk_key: &str,
    ) -> impl Future<Output = Result<UpstreamReply, UpstreamError>> + Send {
        let mut headers = HeaderMap::new();
        headers.insert(header::ACCEPT, HeaderValue::from_static("application/json"));
        let out = Outgoing {
            method: Method::GET,
            path_and_query: format!("/v1/bulk/{bulk_key}"),
            headers,
            body: Bytes::new(),
        };
        let zuora = self.clone();
        async move {
            let answer = zuora.send(&out).await.map_err(UpstreamError::from)?;
            Ok(UpstreamReply {
                status: answer.status.as_u16(),
                content_type: answer
                    .headers
                    .get(header::CONTENT_TYPE)
                    .and_then(|v| v.to_str().ok())
                    .map(str::to_owned),
                body: answer.body,
            })
        }
    }
}

impl From<NoAnswer> for UpstreamError {
    fn from(e: NoAnswer) -> UpstreamError {
        match e {
            NoAnswer::Token(e) => UpstreamError::Credentials {
                detail: e.to_string(),
            },
            NoAnswer::Unreachable(detail) => UpstreamError::Unreachable { detail },
            NoAnswer::Timeout => UpstreamError::TimedOut,
        }
    }
}

impl From<UpstreamError> for Refusal {
    fn from(e: UpstreamError) -> Refusal {
        match e {
            UpstreamError::Credentials { detail } => Refusal::Token(detail),
            UpstreamError::Unreachable { detail } => Refusal::Unreachable(detail),
            UpstreamError::TimedOut => Refusal::Timeout,
            UpstreamError::Interrupted => {
                Refusal::Unreachable("the status request was interrupted".to_owned())
            }
        }
    }
}
