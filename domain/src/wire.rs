//! Zuora's answers, read defensively: the `POST /v1/bulk` reply in all its shapes
//! (accepted, refused with reasons, refused by something in front of Zuora, or garbled),
//! and the `GET /v1/bulk/{key}` result (`GETMassUpdateType`, reference §2.1).

use crate::error::{StopError, SubmitError};
use crate::loose::{float_text, Loose};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;

/// One `reasons[]` entry of a refusal; defined with the error that keeps it.
pub use crate::error::Reason;

/// What the transport hands over: nothing here has been trusted yet.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HttpReply {
    pub status: u16,
    pub body: String,
    /// The `Zuora-Request-Id` response header, when present.
    pub request_id: Option<String>,
    /// The `Retry-After` response header, as sent (seconds or an HTTP date); read by
    /// [`crate::retry::RetryPolicy::decide`].
    pub retry_after: Option<String>,
}

/// The key Zuora gives a mass action (32 hex characters in every sample).
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct BulkKey(String);

impl BulkKey {
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for BulkKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[derive(Deserialize)]
struct Envelope {
    success: Option<bool>,
    #[serde(rename = "bulkKey")]
    bulk_key: Option<String>,
    #[serde(default)]
    reasons: Vec<Reason>,
    #[serde(rename = "processId")]
    process_id: Option<String>,
    #[serde(rename = "requestId")]
    request_id: Option<String>,
}

const EXCERPT_CHARS: usize = 160;

/// Reads the reply to `PUT /v1/bulk/{key}/stop`: `None` when the stop went through
/// (2xx), otherwise the status and Zuora's first reason, when it gave one.
pub fn read_stop_reply(reply: &HttpReply) -> Option<StopError> {
    if (200..300).contains(&reply.status) {
        return None;
    }
    let reason = read_submit_reply(reply)
        .err()
        .and_then(|e| e.reasons().first().map(|r| r.message.clone()));
    Some(StopError::Refused {
        status: reply.status,
        reason,
    })
}

/// Reads the reply to `POST /v1/bulk`.
pub fn read_submit_reply(reply: &HttpReply) -> Result<BulkKey, SubmitError> {
    let status = reply.status;
    let header_id = reply.request_id.clone();
    let from_gateway = matches!(status, 502 | 504);
    let body = reply.body.trim();

    if body.is_empty() {
        return Err(if from_gateway {
            SubmitError::Proxy {
                status,
                request_id: header_id,
            }
        } else {
            SubmitError::EmptyBody {
                status,
                request_id: header_id,
            }
        });
    }
    let envelope: Envelope = match serde_json::from_str(body) {
        Ok(envelope) => envelope,
        Err(_) if from_gateway => {
            return Err(SubmitError::Proxy {
                status,
                request_id: header_id,
            })
        }
        Err(_) => {
            return Err(SubmitError::NotJson {
                status,
                request_id: header_id,
                excerpt: body.chars().take(EXCERPT_CHARS).collect(),
            })
        }
    };

    // A bulk key means the mass action exists; never throw one away.
    if (200..300).contains(&status) && envelope.success != Some(false) {
        if let Some(key) = envelope.bulk_key.filter(|k| !k.trim().is_empty()) {
            return Ok(BulkKey(key.trim().to_owned()));
        }
    }
    if !envelope.reasons.is_empty() || envelope.success == Some(false) {
        return Err(SubmitError::Rejected {
            status,
            reasons: envelope.reasons,
            process_id: envelope.process_id,
            request_id: header_id.or(envelope.request_id),
        });
    }
    Err(if from_gateway {
        SubmitError::Proxy {
            status,
            request_id: header_id,
        }
    } else {
        SubmitError::UnexpectedShape {
            status,
            request_id: header_id,
        }
    })
}

/// `status` of a mass action (reference §2.2); unknown values are kept, not rejected.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum MassActionStatus {
    Pending,
    Processing,
    Stopping,
    Stopped,
    Completed,
    Failed,
    Other(String),
}

impl MassActionStatus {
    /// Zuora's spelling; an unknown status is given back as it came.
    pub fn as_str(&self) -> &str {
        match self {
            MassActionStatus::Pending => "Pending",
            MassActionStatus::Processing => "Processing",
            MassActionStatus::Stopping => "Stopping",
            MassActionStatus::Stopped => "Stopped",
            MassActionStatus::Completed => "Completed",
            MassActionStatus::Failed => "Failed",
            MassActionStatus::Other(text) => text,
        }
    }

    pub fn is_final(&self) -> bool {
        matches!(
            self,
            MassActionStatus::Stopped | MassActionStatus::Completed | MassActionStatus::Failed
        )
    }
}

impl Serialize for MassActionStatus {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for MassActionStatus {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        Ok(match text.as_str() {
            "Pending" => MassActionStatus::Pending,
            "Processing" => MassActionStatus::Processing,
            "Stopping" => MassActionStatus::Stopping,
            "Stopped" => MassActionStatus::Stopped,
            "Completed" => MassActionStatus::Completed,
            "Failed" => MassActionStatus::Failed,
            _ => MassActionStatus::Other(text),
        })
    }
}

/// The body of `GET /v1/bulk/{bulk-key}` with its exact field names.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct MassActionResult {
    pub action_type: Option<String>,
    pub status: MassActionStatus,
    pub success: Option<bool>,
    #[serde(default, deserialize_with = "count")]
    pub total_count: Option<u64>,
    #[serde(default, deserialize_with = "count")]
    pub processed_count: Option<u64>,
    #[serde(default, deserialize_with = "count")]
    pub success_count: Option<u64>,
    #[serde(default, deserialize_with = "count")]
    pub error_count: Option<u64>,
    #[serde(default, deserialize_with = "count")]
    pub input_size: Option<u64>,
    #[serde(default, deserialize_with = "count")]
    pub output_size: Option<u64>,
    pub output_type: Option<String>,
    #[serde(rename = "outputURL")]
    pub output_url: Option<String>,
    pub uploaded_by: Option<String>,
    pub uploaded_on: Option<String>,
    pub started_on: Option<String>,
    pub ended_on: Option<String>,
}

impl MassActionResult {
    pub fn parse(body: &str) -> Result<MassActionResult, serde_json::Error> {
        serde_json::from_str(body)
    }
}

/// A count that the spec types as a string and the samples show as a number; `null`
/// while `Pending`.
fn count<'de, D: Deserializer<'de>>(d: D) -> Result<Option<u64>, D::Error> {
    use serde::de::Error;
    match Option::<Loose>::deserialize(d)? {
        None => Ok(None),
        Some(Loose::Unsigned(n)) => Ok(Some(n)),
        Some(Loose::Text(s)) if s.trim().is_empty() => Ok(None),
        Some(Loose::Text(s)) => s
            .trim()
            .parse::<u64>()
            .map(Some)
            .map_err(|_| D::Error::custom(format!("count {s:?} is not a whole number"))),
        Some(Loose::Float(f)) if f >= 0.0 && f.fract() == 0.0 && f < 9.0e15 => Ok(Some(f as u64)),
        Some(other) => Err(D::Error::custom(format!(
            "count {} is not a whole number",
            match other {
                Loose::Signed(n) => n.to_string(),
                Loose::Float(n) => float_text(n),
                _ => String::new(),
            }
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_stop_that_went_through_is_none_and_a_refused_one_says_why() {
        let reply = |status: u16, body: &str| HttpReply {
            status,
            body: body.into(),
            request_id: None,
            retry_after: None,
        };
        assert_eq!(read_stop_reply(&reply(200, r#"{"success":true}"#)), None);
        assert_eq!(
            read_stop_reply(&reply(
                400,
                r#"{"success":false,"reasons":[{"code":"53100320","message":"The mass action is Completed"}]}"#
            )),
            Some(StopError::Refused {
                status: 400,
                reason: Some("The mass action is Completed".into())
            })
        );
        assert_eq!(
            read_stop_reply(&reply(502, "")),
            Some(StopError::Refused {
                status: 502,
                reason: None
            })
        );
    }
    use proptest::prelude::*;

    fn reply(status: u16, body: &str) -> HttpReply {
        HttpReply {
            status,
            body: body.to_owned(),
            request_id: Some("d7479cf6-b410-4630-b841-268ccd48f0d2".into()),
            retry_after: None,
        }
    }

    #[test]
    fn accepted_reply_gives_the_bulk_key() {
        let r = reply(
            200,
            r#"{"bulkKey": "402892f04c97b89a014c97bb30a50003", "success": true}"#,
        );
        assert_eq!(
            read_submit_reply(&r).unwrap().as_str(),
            "402892f04c97b89a014c97bb30a50003"
        );
    }

    #[test]
    fn http_200_with_success_false_is_a_rejection() {
        let r = reply(
            200,
            r#"{"success":false,"processId":"738CBB9234B47A47","reasons":[{"code":53100320,"message":"bad"}]}"#,
        );
        match read_submit_reply(&r).unwrap_err() {
            SubmitError::Rejected {
                status,
                reasons,
                process_id,
                request_id,
            } => {
                assert_eq!(status, 200);
                assert_eq!(
                    reasons,
                    vec![Reason {
                        code: "53100320".into(),
                        message: "bad".into()
                    }]
                );
                assert_eq!(process_id.as_deref(), Some("738CBB9234B47A47"));
                assert!(request_id.is_some());
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn server_error_shape_without_success_keeps_its_reasons() {
        let r = reply(
            500,
            r#"{"reasons":[{"code":"SystemError","message":"internal server error"}]}"#,
        );
        let e = read_submit_reply(&r).unwrap_err();
        assert_eq!(e.reasons()[0].code, "SystemError");
        assert!(e.to_string().contains("500"));
        assert!(!e.outcome_unknown());
    }

    #[test]
    fn gateway_errors_without_zuora_json_are_proxy_errors() {
        for (status, body) in [
            (502, ""),
            (504, "<html>Gateway Timeout</html>"),
            (502, "{}"),
        ] {
            assert!(
                matches!(
                    read_submit_reply(&reply(status, body)),
                    Err(SubmitError::Proxy { .. })
                ),
                "{status} {body}"
            );
        }
    }

    #[test]
    fn empty_and_non_json_bodies_each_have_their_own_error() {
        assert!(matches!(
            read_submit_reply(&reply(200, "  ")),
            Err(SubmitError::EmptyBody { status: 200, .. })
        ));
        match read_submit_reply(&reply(200, "<html>Login</html>")) {
            Err(SubmitError::NotJson { excerpt, .. }) => assert_eq!(excerpt, "<html>Login</html>"),
            other => panic!("{other:?}"),
        }
        assert!(matches!(
            read_submit_reply(&reply(200, r#"{"success":true}"#)),
            Err(SubmitError::UnexpectedShape { .. })
        ));
    }

    #[test]
    fn request_id_falls_back_to_the_body() {
        let r = HttpReply {
            status: 400,
            body: r#"{"success":false,"reasons":[],"requestId":"abc"}"#.into(),
            request_id: None,
            retry_after: None,
        };
        assert_eq!(read_submit_reply(&r).unwrap_err().request_id(), Some("abc"));
    }

    #[test]
    fn mass_action_result_reads_the_documented_sample() {
        let body = r#"{"actionType":"UpdateAccountingCode","endedOn":"2015-04-07 14:32:01","errorCount":1,
            "inputSize":354,"outputSize":350,"outputType":"(url:.csv.zip)",
            "outputURL":"https://rest.zuora.com/v1/files/402892c84c9285b1014c9293f5320007",
            "processedCount":3,"startedOn":"2015-04-07 14:22:11","status":"Completed","success":true,
            "successCount":2,"totalCount":3,"uploadedBy":"smith@example.com","uploadedOn":"2015-04-07 14:22:09"}"#;
        let r = MassActionResult::parse(body).unwrap();
        assert_eq!(r.status, MassActionStatus::Completed);
        assert!(r.status.is_final());
        assert_eq!(
            (
                r.total_count,
                r.processed_count,
                r.success_count,
                r.error_count
            ),
            (Some(3), Some(3), Some(2), Some(1))
        );
        assert_eq!(
            r.output_url.as_deref(),
            Some("https://rest.zuora.com/v1/files/402892c84c9285b1014c9293f5320007")
        );
    }

    #[test]
    fn counts_may_be_strings_numbers_or_null() {
        let body = r#"{"status":"Processing","totalCount":"10","processedCount":4,"successCount":"3","errorCount":null}"#;
        let r = MassActionResult::parse(body).unwrap();
        assert_eq!(
            (
                r.total_count,
                r.processed_count,
                r.success_count,
                r.error_count
            ),
            (Some(10), Some(4), Some(3), None)
        );
        let pending = MassActionResult::parse(r#"{"status":"Pending"}"#).unwrap();
        assert_eq!(pending.total_count, None);
        assert!(!pending.status.is_final());
        assert!(MassActionResult::parse(r#"{"status":"Pending","totalCount":"ten"}"#).is_err());
        assert!(MassActionResult::parse(r#"{"status":"Pending","totalCount":-1}"#).is_err());
    }

    #[test]
    fn unknown_status_is_kept_not_rejected() {
        let r = MassActionResult::parse(r#"{"status":"Queued"}"#).unwrap();
        assert_eq!(r.status, MassActionStatus::Other("Queued".into()));
    }

    proptest! {
        #[test]
        fn any_reply_is_read_without_panicking(status in 100u16..600, body in ".{0,200}") {
            let _ = read_submit_reply(&reply(status, &body));
        }

        #[test]
        fn numeric_counts_read_the_same_as_strings(n in 0u64..1_000_000_000) {
            let a = MassActionResult::parse(&format!(r#"{{"status":"Completed","totalCount":{n}}}"#)).unwrap();
            let b = MassActionResult::parse(&format!(r#"{{"status":"Completed","totalCount":"{n}"}}"#)).unwrap();
            prop_assert_eq!(a.total_count, Some(n));
            prop_assert_eq!(b.total_count, Some(n));
        }
    }
}
