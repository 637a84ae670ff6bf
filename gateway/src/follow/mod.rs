//! Following mass actions to their end: the upstream status source (implemented on the
//! Zuora client), the [`Poller`] that browser polls and the [`Follower`] share, and the
//! follower task itself.

mod follower;
mod poller;

pub use follower::{Follower, FollowerSettings};
pub use poller::{Poller, FRESH_FOR};

use bytes::Bytes;
use std::fmt;
use std::future::Future;

/// Where statuses come from: `GET /v1/bulk/{bulk_key}` upstream, credentials included.
pub trait StatusSource: Send + Sync + 'static {
    fn fetch_status(
        &self,
        bulk_key: &str,
    ) -> impl Future<Output = Result<UpstreamReply, UpstreamError>> + Send;
}

/// Zuora's answer as it came: any status, its content type and body.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UpstreamReply {
    pub status: u16,
    pub content_type: Option<String>,
    pub body: Bytes,
}

/// Why no answer came from upstream. Cloneable: one failed request is handed to every
/// poll that shared it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum UpstreamError {
    /// The connection failed or broke before a whole answer arrived.
    Unreachable { detail: String },
    /// No answer within the time allowed.
    TimedOut,
    /// No access token could be had from Zuora's `/oauth/token`.
    Credentials { detail: String },
    /// The shared request ended without an answer (its task was stopped).
    Interrupted,
}

impl fmt::Display for UpstreamError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            UpstreamError::Unreachable { detail } => {
                write!(f, "Zuora could not be reached: {detail}.")
            }
            UpstreamError::TimedOut => f.write_str("Zuora did not answer in time."),
            UpstreamError::Credentials { detail } => write!(
                f,
                "The gateway could not get an access token from Zuora: {detail}."
            ),
            UpstreamError::Interrupted => {
                f.write_str("The status request ended before Zuora answered.")
            }
        }
    }
}

impl std::error::Error for UpstreamError {}
