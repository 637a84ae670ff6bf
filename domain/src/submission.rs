//! One press of Submit: what was sent, under which keys, and what came back.

use crate::action_type::ActionType;
use crate::checksum::Checksum;
use crate::error::SubmitError;
use crate::intake::AcceptedFile;
use crate::request::{IdempotencyKey, TrackId};
use crate::wire::BulkKey;

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Outcome {
    Sending,
    Accepted {
        bulk_key: BulkKey,
        request_id: Option<String>,
    },
    Failed(SubmitError),
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Submission {
    pub file_name: String,
    pub size: u64,
    pub checksum: Checksum,
    pub action_type: ActionType,
    pub idempotency_key: IdempotencyKey,
    pub track_id: TrackId,
    /// Milliseconds since the Unix epoch, when the request left.
    pub sent_at_ms: u64,
    pub outcome: Outcome,
}

impl Submission {
    /// Whether this submission was for exactly this file and action type.
    pub fn is_for(&self, file: &AcceptedFile, action_type: ActionType) -> bool {
        self.file_name == file.name
            && self.checksum == file.checksum
            && self.action_type == action_type
    }

    /// The key a new attempt at the same file and action type must carry: this one's,
    /// while Zuora may have created the mass action without telling us; otherwise none,
    /// and the attempt gets a fresh key.
    pub fn key_to_reuse(
        &self,
        file: &AcceptedFile,
        action_type: ActionType,
    ) -> Option<&IdempotencyKey> {
        (self.resend_advice(file, action_type) == Some(ResendAdvice::SameKey))
            .then_some(&self.idempotency_key)
    }
}

/// What the user should know before pressing Submit again for the same file and action
/// type, given how the previous attempt ended.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ResendAdvice {
    /// The outcome is unknown; a new attempt reuses the key, so Zuora cannot run it twice.
    SameKey,
    /// Zuora failed (5xx) and may have processed the file; a new attempt is a new mass action.
    CheckZuoraFirst { status: u16 },
}

impl Submission {
    pub fn resend_advice(
        &self,
        file: &AcceptedFile,
        action_type: ActionType,
    ) -> Option<ResendAdvice> {
        if !self.is_for(file, action_type) {
            return None;
        }
        match &self.outcome {
            Outcome::Failed(e) if e.outcome_unknown() => Some(ResendAdvice::SameKey),
            Outcome::Failed(e) => match e.status() {
                Some(status) if status >= 500 => Some(ResendAdvice::CheckZuoraFirst { status }),
                _ => None,
            },
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checksum::md5_of;
    use crate::intake::FileKind;

    fn file() -> AcceptedFile {
        AcceptedFile {
            name: "fx.csv".into(),
            size: 3,
            kind: FileKind::Csv,
            checksum: md5_of(b"abc"),
        }
    }

    fn submission(outcome: Outcome) -> Submission {
        let key = IdempotencyKey::from_random_bytes([1; 16]);
        Submission {
            file_name: "fx.csv".into(),
            size: 3,
            checksum: md5_of(b"abc"),
            action_type: ActionType::ImportFxRate,
            track_id: TrackId::for_submission("t-", &key),
            idempotency_key: key,
            sent_at_ms: 0,
            outcome,
        }
    }

    #[test]
    fn a_network_failure_keeps_the_key_for_the_same_file_and_action() {
        let s = submission(Outcome::Failed(SubmitError::Network {
            detail: "reset".into(),
        }));
        assert_eq!(
            s.key_to_reuse(&file(), ActionType::ImportFxRate),
            Some(&s.idempotency_key)
        );
        assert_eq!(s.key_to_reuse(&file(), ActionType::Mpu), None);
        let mut other = file();
        other.checksum = md5_of(b"abd");
        assert_eq!(s.key_to_reuse(&other, ActionType::ImportFxRate), None);
    }

    #[test]
    fn advice_before_sending_again_depends_on_how_the_last_attempt_ended() {
        let unknown = submission(Outcome::Failed(SubmitError::Proxy {
            status: 504,
            request_id: None,
        }));
        assert_eq!(
            unknown.resend_advice(&file(), ActionType::ImportFxRate),
            Some(ResendAdvice::SameKey)
        );
        let crashed = submission(Outcome::Failed(SubmitError::Rejected {
            status: 500,
            reasons: vec![],
            process_id: None,
            request_id: None,
        }));
        assert_eq!(
            crashed.resend_advice(&file(), ActionType::ImportFxRate),
            Some(ResendAdvice::CheckZuoraFirst { status: 500 })
        );
        assert_eq!(crashed.resend_advice(&file(), ActionType::Mpu), None);
        let refused = submission(Outcome::Failed(SubmitError::Rejected {
            status: 400,
            reasons: vec![],
            process_id: None,
            request_id: None,
        }));
        assert_eq!(
            refused.resend_advice(&file(), ActionType::ImportFxRate),
            None
        );
    }

    #[test]
    fn a_definite_answer_means_a_fresh_key_next_time() {
        let refused = submission(Outcome::Failed(SubmitError::Rejected {
            status: 400,
            reasons: vec![],
            process_id: None,
            request_id: None,
        }));
        assert_eq!(
            refused.key_to_reuse(&file(), ActionType::ImportFxRate),
            None
        );
        let sending = submission(Outcome::Sending);
        assert_eq!(
            sending.key_to_reuse(&file(), ActionType::ImportFxRate),
            None
        );
    }
}
