//! Fault rules set through `/__sandbox/faults`.
//!
//! A fault stands for something between the app and Zuora (a proxy, the
//! network, a rate limiter), so it is applied before authentication and
//! before the idempotency store.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum FaultKind {
    /// Answer with the given HTTP status.
    Status,
    /// Never answer; the request stays open until the client gives up.
    Hang,
    /// Close the TCP connection without sending a single response byte.
    Drop,
    /// Wait `ms`, then handle the request normally.
    Delay,
}

/// One rule, as posted (defaults filled in) and as listed.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct FaultRule {
    pub kind: FaultKind,
    #[serde(default = "one")]
    pub count: u32,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<u16>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retry_after: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ms: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub method: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
}

fn one() -> u32 {
    1
}

/// What a request has to do because of the rule it consumed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Fault {
    Status {
        status: u16,
        retry_after: Option<u64>,
    },
    Hang,
    Drop,
    Delay {
        ms: u64,
    },
}

impl Fault {
    /// The text recorded in the request log's `fault` field.
    pub fn label(&self) -> String {
        match self {
            Fault::Status { status, .. } => format!("status {status}"),
            Fault::Hang => "hang".to_string(),
            Fault::Drop => "drop".to_string(),
            Fault::Delay { .. } => "delay".to_string(),
        }
    }
}

impl FaultRule {
    /// Checks a posted rule and fills in the defaults (status 503, 1000 ms).
    pub fn validated(mut self) -> Result<FaultRule, String> {
        if self.count == 0 {
            return Err("count must be at least 1".to_string());
        }
        match self.kind {
            FaultKind::Status => {
                let status = self.status.unwrap_or(503);
                if !(400..=599).contains(&status) {
                    return Err(format!("status must be 400..=599; got {status}"));
                }
                self.status = Some(status);
            }
            FaultKind::Delay => {
                self.ms = Some(self.ms.unwrap_or(1000));
            }
            FaultKind::Hang | FaultKind::Drop => {}
        }
        if let Some(m) = &self.method {
            self.method = Some(m.to_ascii_uppercase());
        }
        Ok(self)
    }

    pub fn matches(&self, method: &str, path: &str) -> bool {
        self.method
            .as_deref()
            .is_none_or(|m| m.eq_ignore_ascii_case(method))
            && self.path.as_deref().is_none_or(|p| path.starts_with(p))
    }

    pub fn fault(&self) -> Fault {
        match self.kind {
            FaultKind::Status => Fault::Status {
                status: self.status.unwrap_or(503),
                retry_after: self.retry_after,
            },
            FaultKind::Hang => Fault::Hang,
            FaultKind::Drop => Fault::Drop,
            FaultKind::Delay => Fault::Delay {
                ms: self.ms.unwrap_or(1000),
            },
        }
    }
}
