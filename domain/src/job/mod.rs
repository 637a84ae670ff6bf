//! A job: one file sent as one mass action, from the moment it is queued until Zuora's
//! last word on it. It owns the state machine the UI drives:
//!
//! ```text
//! Queued ──start──▶ Sending{attempt} ──answer: bulk key──▶ Following{status} ──poll──▶ Completed
//!   ▲                 │  ▲                                     │                 ├──▶ Stopped
//!   │                 │  └──start (at_ms reached)──┐           └─poll (same)     └──▶ Failed
//!   │                 ├─answer: transient──▶ WaitingToRetry{attempt, of, at_ms, error}
//!   │                 ├─answer: 4xx (not 409/429 retried)──▶ Refused{error}
//!   │                 └─answer: 500, unreadable, retries spent──▶ Unknown{why}
//!   └─send_again_same_key── Unknown (not ZuoraFailed) / Cancelled after an attempt
//! Queued | Sending | WaitingToRetry ──cancel──▶ Cancelled{reason}
//! Sending | WaitingToRetry ──recover (file gone)──▶ Unknown{Interrupted}; (file at hand)──▶ Queued
//! ```
//!
//! Every transition is a method taking `now_ms` that either applies and returns `Ok`, or
//! returns [`IllegalTransition`] and leaves the job exactly as it was, so a late or
//! doubled event from the browser can never corrupt a job or panic.

mod values;

use values::clip;
pub use values::{Batch, JobId, JobState, Progress, SendAgain};

use crate::action_type::ActionType;
use crate::checksum::Checksum;
use crate::error::{CancelReason, IllegalTransition, JobEvent, SubmitError, UnknownOutcome};
use crate::intake::{AcceptedFile, FileKind};
use crate::request::{IdempotencyKey, TrackId};
use crate::retry::{RetryDecision, RetryPolicy};
use crate::wire::{read_submit_reply, BulkKey, HttpReply, MassActionResult, MassActionStatus};
use serde::{Deserialize, Serialize};

/// Zuora keeps an `Idempotency-Key` for 24 hours. An hour's margin keeps a resend from
/// racing the expiry (after which the same key could create a second mass action).
pub const SAME_KEY_WINDOW_MS: u64 = 23 * 60 * 60 * 1000;

/// At most this many of Zuora's reasons are kept with an error (each text is clipped,
/// see [`clip`]), so one odd answer cannot fill the journal.
const MAX_KEPT_REASONS: usize = 20;

/// One file sent (or to be sent) as one mass action.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Job {
    pub id: JobId,
    pub file_name: String,
    pub size: u64,
    pub checksum: Checksum,
    pub action_type: ActionType,
    pub idempotency_key: IdempotencyKey,
    pub track_id: TrackId,
    #[serde(default)]
    pub batch: Option<Batch>,
    /// The job this one re-sends with a new key, if any.
    #[serde(default)]
    pub resent_from: Option<JobId>,
    pub created_ms: u64,
    /// When the key first went out: Zuora's 24-hour clock for it starts here.
    #[serde(default)]
    pub first_sent_ms: Option<u64>,
    pub updated_ms: u64,
    /// Attempts started with this key, over all runs.
    #[serde(default)]
    pub attempts: u32,
    #[serde(default)]
    pub bulk_key: Option<BulkKey>,
    /// `Zuora-Request-Id` of the answer that gave the bulk key (or of the last error).
    #[serde(default)]
    pub request_id: Option<String>,
    #[serde(default)]
    pub progress: Option<Progress>,
    #[serde(default)]
    pub last_error: Option<SubmitError>,
    /// Set when the user confirmed a stop and the `PUT …/stop` went out.
    #[serde(default)]
    pub stop_requested_ms: Option<u64>,
    pub state: JobState,
}

type Transition = Result<(), IllegalTransition>;

impl Job {
    /// A queued job for a checked file. It belongs in the journal (saved) before its
    /// first request leaves.
    pub fn new(
        id: JobId,
        file: &AcceptedFile,
        action_type: ActionType,
        idempotency_key: IdempotencyKey,
        track_id: TrackId,
        now_ms: u64,
    ) -> Job {
        Job {
            id,
            file_name: clip(&file.name),
            size: file.size,
            checksum: file.checksum.clone(),
            action_type,
            idempotency_key,
            track_id,
            batch: None,
            resent_from: None,
            created_ms: now_ms,
            first_sent_ms: None,
            updated_ms: now_ms,
            attempts: 0,
            bulk_key: None,
            request_id: None,
            progress: None,
            last_error: None,
            stop_requested_ms: None,
            state: JobState::Queued,
        }
    }

    pub fn in_batch(mut self, batch: Batch) -> Job {
        self.batch = Some(batch);
        self
    }

    /// Whether this job was for exactly this file and action type.
    pub fn is_for(&self, file: &AcceptedFile, action_type: ActionType) -> bool {
        self.file_name == file.name
            && self.checksum == file.checksum
            && self.action_type == action_type
    }

    fn illegal(&self, event: JobEvent) -> Transition {
        Err(IllegalTransition {
            state: self.state.name(),
            event,
        })
    }

    fn set(&mut self, state: JobState, now_ms: u64) -> Transition {
        self.state = state;
        self.updated_ms = self.updated_ms.max(now_ms);
        Ok(())
    }

    /// The request is about to leave: from `Queued` (attempt 1), or from
    /// `WaitingToRetry` once `at_ms` has come.
    pub fn start_attempt(&mut self, now_ms: u64) -> Transition {
        let attempt = match &self.state {
            JobState::Queued => 1,
            JobState::WaitingToRetry { attempt, at_ms, .. } if now_ms >= *at_ms => *attempt,
            _ => return self.illegal(JobEvent::StartSending),
        };
        self.attempts = self.attempts.saturating_add(1);
        self.first_sent_ms.get_or_insert(now_ms);
        self.set(JobState::Sending { attempt }, now_ms)
    }

    /// The answer to the attempt in flight: an HTTP reply, or `Err(detail)` when there
    /// was none (connection failed or dropped). `random` feeds the retry jitter.
    pub fn record_answer(
        &mut self,
        answer: Result<&HttpReply, &str>,
        policy: &RetryPolicy,
        now_ms: u64,
        random: u32,
    ) -> Transition {
        let JobState::Sending { attempt } = self.state else {
            return self.illegal(JobEvent::TakeAnswer);
        };
        let (result, retry_after) = match answer {
            Ok(reply) => (read_submit_reply(reply), reply.retry_after.as_deref()),
            Err(detail) => (
                Err(SubmitError::Network {
                    detail: clip(detail),
                }),
                None,
            ),
        };
        let error = match result {
            Ok(bulk_key) => {
                self.bulk_key = Some(bulk_key);
                self.request_id = answer.ok().and_then(|r| r.request_id.as_deref()).map(clip);
                self.last_error = None;
                return self.set(
                    JobState::Following {
                        status: MassActionStatus::Pending,
                    },
                    now_ms,
                );
            }
            Err(error) => bounded(error),
        };
        self.request_id = error.request_id().map(clip);
        self.last_error = Some(error.clone());
        let next = match policy.decide(attempt, &error, retry_after, now_ms, random) {
            RetryDecision::RetryIn { ms, attempt, of } => JobState::WaitingToRetry {
                attempt,
                of,
                at_ms: now_ms.saturating_add(ms),
                error,
            },
            RetryDecision::GiveUp => self.give_up(attempt, error),
        };
        self.set(next, now_ms)
    }

    fn give_up(&self, attempt: u32, error: SubmitError) -> JobState {
        let track_id = self.track_id.to_string();
        if error.is_definite_refusal() {
            JobState::Refused { error }
        } else if crate::retry::is_transient(&error) {
            JobState::Unknown {
                why: UnknownOutcome::RetriesExhausted {
                    attempts: attempt,
                    error,
                    track_id,
                },
            }
        } else if error.status().is_some_and(|s| s >= 500) {
            JobState::Unknown {
                why: UnknownOutcome::ZuoraFailed { error, track_id },
            }
        } else {
            JobState::Unknown {
                why: UnknownOutcome::NoClearAnswer { error, track_id },
            }
        }
    }

    /// The user cancelled (the UI aborts a request in flight). Allowed until Zuora has
    /// answered with a bulk key.
    pub fn cancel(&mut self, now_ms: u64) -> Transition {
        if !self.state.awaits_answer() {
            return self.illegal(JobEvent::Cancel);
        }
        self.set(
            JobState::Cancelled {
                reason: CancelReason::ByUser,
            },
            now_ms,
        )
    }

    /// What a `GET /v1/bulk/{key}` said. Applies while following; a final status ends
    /// the job.
    pub fn record_progress(&mut self, result: &MassActionResult, now_ms: u64) -> Transition {
        if !matches!(self.state, JobState::Following { .. }) {
            return self.illegal(JobEvent::TakeStatus);
        }
        let progress = Progress::from(result);
        let next = match &progress.status {
            MassActionStatus::Completed => JobState::Completed,
            MassActionStatus::Stopped => JobState::Stopped,
            MassActionStatus::Failed => JobState::Failed,
            other => JobState::Following {
                status: other.clone(),
            },
        };
        self.progress = Some(progress);
        self.set(next, now_ms)
    }

    /// Whether this job differs from `before` only in what a status poll refreshes:
    /// its progress (counts, times) and `updated_ms`, in the same state. Such a change
    /// need not be saved at once: if it is lost, the next poll brings it back.
    pub fn only_progress_changed_from(&self, before: &Job) -> bool {
        self.state == before.state
            && Job {
                progress: before.progress.clone(),
                updated_ms: before.updated_ms,
                ..self.clone()
            } == *before
    }

    /// Whether the Stop button applies now: following, `Pending` or `Processing`, and
    /// no stop already on its way.
    pub fn can_stop(&self) -> bool {
        self.stop_requested_ms.is_none()
            && matches!(&self.state, JobState::Following { status } if crate::polling::can_stop(status))
    }

    /// The user confirmed ([`crate::wording::jobs::confirm_stop_sentence`]) and the UI is
    /// sending `PUT …/stop`.
    pub fn request_stop(&mut self, now_ms: u64) -> Transition {
        if !self.can_stop() {
            return self.illegal(JobEvent::Stop);
        }
        self.stop_requested_ms = Some(now_ms);
        self.updated_ms = self.updated_ms.max(now_ms);
        Ok(())
    }

    /// The `PUT …/stop` failed; the Stop button comes back.
    pub fn stop_failed(&mut self, now_ms: u64) -> Transition {
        if self.stop_requested_ms.is_none() || self.state.is_finished() {
            return self.illegal(JobEvent::ReportFailedStop);
        }
        self.stop_requested_ms = None;
        self.updated_ms = self.updated_ms.max(now_ms);
        Ok(())
    }

    /// After a reload: a job caught sending or waiting to retry goes back to the queue
    /// (same key, so Zuora will not run it twice) when its file is still at hand, and
    /// becomes "unknown: check Zuora" when it is not. A queued job whose file is gone
    /// was never sent if it has no attempts, and is cancelled. Other states are kept
    /// (a followed job simply resumes polling).
    pub fn recover_after_reload(&mut self, now_ms: u64, file_at_hand: bool) -> Recovery {
        if !self.state.awaits_answer() {
            return Recovery::Unchanged;
        }
        if file_at_hand {
            if self.state == JobState::Queued {
                return Recovery::Unchanged;
            }
            self.state = JobState::Queued;
            self.updated_ms = self.updated_ms.max(now_ms);
            return Recovery::ResendSameKey;
        }
        let next = if self.attempts == 0 {
            JobState::Cancelled {
                reason: CancelReason::FileGone,
            }
        } else {
            JobState::Unknown {
                why: UnknownOutcome::Interrupted {
                    track_id: self.track_id.to_string(),
                },
            }
        };
        self.state = next;
        self.updated_ms = self.updated_ms.max(now_ms);
        Recovery::CheckZuora
    }

    /// How the same file may be sent again, once this job has ended without a result.
    pub fn send_again(&self, now_ms: u64) -> Option<SendAgain> {
        let key_still_safe = self
            .first_sent_ms
            .is_none_or(|sent| now_ms.saturating_sub(sent) < SAME_KEY_WINDOW_MS);
        match &self.state {
            JobState::Refused { .. } => Some(SendAgain::NewKey),
            JobState::Cancelled { .. } if self.attempts == 0 => Some(SendAgain::NewKey),
            JobState::Unknown {
                why: UnknownOutcome::ZuoraFailed { .. },
            } => Some(SendAgain::NewKeyAfterConfirmation),
            JobState::Unknown { .. } | JobState::Cancelled { .. } => Some(if key_still_safe {
                SendAgain::SameKey
            } else {
                SendAgain::NewKeyAfterConfirmation
            }),
            _ => None,
        }
    }

    /// Puts the job back in the queue with its own key ([`SendAgain::SameKey`] only;
    /// the file must be at hand again).
    pub fn send_again_same_key(&mut self, now_ms: u64) -> Transition {
        if self.send_again(now_ms) != Some(SendAgain::SameKey) {
            return self.illegal(JobEvent::SendAgainSameKey);
        }
        self.set(JobState::Queued, now_ms)
    }

    /// A new queued job for sending this job's file again under a new key
    /// ([`SendAgain::NewKey`] or, after confirmation, [`SendAgain::NewKeyAfterConfirmation`]).
    pub fn resend_with_new_key(
        &self,
        id: JobId,
        idempotency_key: IdempotencyKey,
        track_id: TrackId,
        now_ms: u64,
    ) -> Option<Job> {
        match self.send_again(now_ms)? {
            SendAgain::SameKey => None,
            SendAgain::NewKey | SendAgain::NewKeyAfterConfirmation => {
                let file = AcceptedFile {
                    name: self.file_name.clone(),
                    size: self.size,
                    kind: FileKind::from_name(&self.file_name).unwrap_or(FileKind::Csv),
                    checksum: self.checksum.clone(),
                };
                let mut job = Job::new(
                    id,
                    &file,
                    self.action_type,
                    idempotency_key,
                    track_id,
                    now_ms,
                );
                job.batch = self.batch.clone();
                job.resent_from = Some(self.id.clone());
                Some(job)
            }
        }
    }
}

/// What [`Job::recover_after_reload`] did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Recovery {
    Unchanged,
    /// Back in the queue, to be sent again with the same key.
    ResendSameKey,
    /// Ended as unknown (or, if never sent, cancelled): the user checks Zuora.
    CheckZuora,
}

/// Keeps an error's outside-sourced parts small enough for the journal.
fn bounded(error: SubmitError) -> SubmitError {
    match error {
        SubmitError::Rejected {
            status,
            reasons,
            process_id,
            request_id,
        } => SubmitError::Rejected {
            status,
            reasons: reasons
                .into_iter()
                .take(MAX_KEPT_REASONS)
                .map(|mut r| {
                    r.code = r.code.chars().take(64).collect();
                    r.message = clip(&r.message);
                    r
                })
                .collect(),
            process_id: process_id.as_deref().map(clip),
            request_id: request_id.as_deref().map(clip),
        },
        SubmitError::Proxy { status, request_id } => SubmitError::Proxy {
            status,
            request_id: request_id.as_deref().map(clip),
        },
        SubmitError::EmptyBody { status, request_id } => SubmitError::EmptyBody {
            status,
            request_id: request_id.as_deref().map(clip),
        },
        SubmitError::NotJson {
            status,
            request_id,
            excerpt,
        } => SubmitError::NotJson {
            status,
            request_id: request_id.as_deref().map(clip),
            excerpt: clip(&excerpt),
        },
        SubmitError::UnexpectedShape { status, request_id } => SubmitError::UnexpectedShape {
            status,
            request_id: request_id.as_deref().map(clip),
        },
        SubmitError::Network { detail } => SubmitError::Network {
            detail: clip(&detail),
        },
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::values::MAX_KEPT_CHARS;
    use super::*;
    use crate::checksum::md5_of;
    use crate::intake::FileKind;
    use crate::wording::jobs::job_sentence;

    pub(crate) fn file() -> AcceptedFile {
        AcceptedFile {
            name: "fx.csv".into(),
            size: 3,
            kind: FileKind::Csv,
            checksum: md5_of(b"abc"),
        }
    }

    pub(crate) fn job(seed: u8, now_ms: u64) -> Job {
        let key = IdempotencyKey::from_random_bytes([seed; 16]);
        Job::new(
            JobId::from_random_bytes([seed.wrapping_add(100); 16]),
            &file(),
            ActionType::ImportFxRate,
            key.clone(),
            TrackId::for_submission("t-", &key),
            now_ms,
        )
    }

    fn reply(status: u16, body: &str, retry_after: Option<&str>) -> HttpReply {
        HttpReply {
            status,
            body: body.into(),
            request_id: Some("req-1".into()),
            retry_after: retry_after.map(str::to_owned),
        }
    }

    const ACCEPTED: &str = r#"{"bulkKey":"402892f04c97b89a014c97bb30a50003","success":true}"#;

    /// Every variant of the three tagged enums the journal holds, nested as jobs hold them.
    fn every_state() -> Vec<JobState> {
        let rid = || Some("req-1".to_owned());
        let errors = [
            SubmitError::Rejected {
                status: 400,
                reasons: vec![crate::wire::Reason {
                    code: "53100320".into(),
                    message: "bad".into(),
                }],
                process_id: Some("738CBB9234B47A47".into()),
                request_id: None,
            },
            SubmitError::Proxy {
                status: 502,
                request_id: rid(),
            },
            SubmitError::EmptyBody {
                status: 500,
                request_id: None,
            },
            SubmitError::NotJson {
                status: 200,
                request_id: rid(),
                excerpt: "<html>".into(),
            },
            SubmitError::UnexpectedShape {
                status: 200,
                request_id: rid(),
            },
            SubmitError::Network {
                detail: "offline".into(),
            },
        ];
        let track_id = || "t-1".to_owned();
        let mut states = vec![
            JobState::Queued,
            JobState::Sending { attempt: 2 },
            JobState::Following {
                status: MassActionStatus::Processing,
            },
            JobState::Following {
                status: MassActionStatus::Other("Paused".into()),
            },
            JobState::Completed,
            JobState::Stopped,
            JobState::Failed,
            JobState::Unknown {
                why: UnknownOutcome::Interrupted {
                    track_id: track_id(),
                },
            },
            JobState::Cancelled {
                reason: CancelReason::ByUser,
            },
            JobState::Cancelled {
                reason: CancelReason::FileGone,
            },
        ];
        for error in errors {
            states.push(JobState::WaitingToRetry {
                attempt: 2,
                of: 4,
                at_ms: 1_700_000_000_000,
                error: error.clone(),
            });
            states.push(JobState::Refused {
                error: error.clone(),
            });
            for why in [
                UnknownOutcome::RetriesExhausted {
                    attempts: 4,
                    error: error.clone(),
                    track_id: track_id(),
                },
                UnknownOutcome::NoClearAnswer {
                    error: error.clone(),
                    track_id: track_id(),
                },
                UnknownOutcome::ZuoraFailed {
                    error: error.clone(),
                    track_id: track_id(),
                },
            ] {
                states.push(JobState::Unknown { why });
            }
        }
        states
    }

    #[test]
    fn every_state_reads_back_as_it_was_written() {
        for state in every_state() {
            let json = serde_json::to_string(&state).unwrap();
            assert_eq!(
                serde_json::from_str::<JobState>(&json).unwrap(),
                state,
                "{json}"
            );
        }
        // The written form is the tagged one the journal has always held.
        let states = every_state();
        let nested = states.iter().find(|s| {
            matches!(
                s,
                JobState::Unknown {
                    why: UnknownOutcome::RetriesExhausted {
                        error: SubmitError::NotJson { .. },
                        ..
                    }
                }
            )
        });
        let json = serde_json::to_string(&nested).unwrap();
        assert_eq!(
            json,
            r#"{"state":"unknown","why":{"kind":"retriesExhausted","attempts":4,"error":{"kind":"notJson","status":200,"request_id":"req-1","excerpt":"<html>"},"track_id":"t-1"}}"#
        );
    }

    #[test]
    fn a_state_missing_a_field_or_with_an_unknown_tag_is_refused() {
        for (json, problem) in [
            (r#"{"state":"sending"}"#, "missing field `attempt`"),
            (
                r#"{"state":"waitingToRetry","attempt":1,"of":4,"error":{"kind":"network","detail":"x"}}"#,
                "missing field `at_ms`",
            ),
            (
                r#"{"state":"refused","error":{"kind":"proxy"}}"#,
                "missing field `status`",
            ),
            (
                r#"{"state":"unknown","why":{"kind":"noClearAnswer","track_id":"t"}}"#,
                "missing field `error`",
            ),
            (r#"{"state":"paused"}"#, "unknown variant `paused`"),
            (r#"{"attempt":1}"#, "missing field `state`"),
        ] {
            let error = serde_json::from_str::<JobState>(json)
                .unwrap_err()
                .to_string();
            assert!(error.contains(problem), "{json}: {error}");
        }
    }

    fn result(body: &str) -> MassActionResult {
        MassActionResult::parse(body).unwrap()
    }

    pub(crate) fn following(seed: u8) -> Job {
        let mut j = job(seed, 0);
        j.start_attempt(1).unwrap();
        j.record_answer(
            Ok(&reply(200, ACCEPTED, None)),
            &RetryPolicy::default(),
            2,
            0,
        )
        .unwrap();
        j
    }

    #[test]
    fn only_a_new_count_in_the_same_state_is_a_progress_only_change() {
        let processing = |processed: u32| {
            result(&format!(
                r#"{{"status":"Processing","totalCount":10,"processedCount":{processed}}}"#
            ))
        };
        let mut j = following(1);
        j.record_progress(&processing(1), 10).unwrap();
        let before = j.clone();
        j.record_progress(&processing(5), 20).unwrap();
        assert!(j.only_progress_changed_from(&before));
        // A new status is a new state: saved at once.
        let before = j.clone();
        j.record_progress(&result(r#"{"status":"Completed"}"#), 30)
            .unwrap();
        assert!(!j.only_progress_changed_from(&before));
        // A stop request leaves the state alone but must be saved.
        let mut k = following(2);
        k.record_progress(&processing(1), 10).unwrap();
        let before = k.clone();
        k.request_stop(20).unwrap();
        assert!(!k.only_progress_changed_from(&before));
    }

    #[test]
    fn an_accepted_file_is_followed_to_completion() {
        let mut j = job(1, 0);
        assert_eq!(j.state, JobState::Queued);
        j.start_attempt(10).unwrap();
        assert_eq!(j.state, JobState::Sending { attempt: 1 });
        assert_eq!((j.attempts, j.first_sent_ms), (1, Some(10)));
        j.record_answer(
            Ok(&reply(200, ACCEPTED, None)),
            &RetryPolicy::default(),
            20,
            0,
        )
        .unwrap();
        assert_eq!(
            j.state,
            JobState::Following {
                status: MassActionStatus::Pending
            }
        );
        assert_eq!(
            j.bulk_key.as_ref().map(BulkKey::as_str),
            Some("402892f04c97b89a014c97bb30a50003")
        );
        assert_eq!(j.request_id.as_deref(), Some("req-1"));
        j.record_progress(
            &result(r#"{"status":"Processing","totalCount":"10","processedCount":4,"successCount":3,"errorCount":1}"#),
            30,
        )
        .unwrap();
        assert_eq!(
            j.state,
            JobState::Following {
                status: MassActionStatus::Processing
            }
        );
        assert_eq!(j.progress.as_ref().unwrap().processed_count, Some(4));
        assert!(j.can_stop());
        j.record_progress(
            &result(r#"{"status":"Completed","outputURL":"https://rest.zuora.com/v1/files/abc"}"#),
            40,
        )
        .unwrap();
        assert_eq!(j.state, JobState::Completed);
        assert!(j.state.is_finished());
        assert_eq!(j.updated_ms, 40);
        assert_eq!(j.send_again(50), None);
    }

    #[test]
    fn failed_and_stopped_mass_actions_end_the_job() {
        for (status, state) in [("Failed", JobState::Failed), ("Stopped", JobState::Stopped)] {
            let mut j = following(2);
            j.record_progress(&result(&format!(r#"{{"status":"{status}"}}"#)), 5)
                .unwrap();
            assert_eq!(j.state, state);
        }
    }

    #[test]
    fn transient_failures_wait_and_retry_with_the_same_key_then_give_up() {
        let policy = RetryPolicy::default();
        let mut j = job(3, 0);
        let key = j.idempotency_key.clone();
        j.start_attempt(0).unwrap();
        j.record_answer(Ok(&reply(503, "<html>", Some("4"))), &policy, 1_000, 0)
            .unwrap();
        match &j.state {
            JobState::WaitingToRetry {
                attempt: 2,
                of: 4,
                at_ms: 5_000,
                error,
            } => assert_eq!(error.status(), Some(503)),
            other => panic!("{other:?}"),
        }
        // Too early: nothing happens.
        assert!(j.start_attempt(4_999).is_err());
        j.start_attempt(5_000).unwrap();
        assert_eq!(j.state, JobState::Sending { attempt: 2 });
        for (n, now) in [(3, 20_000), (4, 40_000)] {
            j.record_answer(Err("connection reset"), &policy, now, 0)
                .unwrap();
            assert!(matches!(j.state, JobState::WaitingToRetry { attempt, .. } if attempt == n));
            j.start_attempt(now + 60_000).unwrap();
        }
        j.record_answer(Ok(&reply(504, "", None)), &policy, 200_000, 0)
            .unwrap();
        match &j.state {
            JobState::Unknown {
                why:
                    UnknownOutcome::RetriesExhausted {
                        attempts: 4,
                        track_id,
                        ..
                    },
            } => assert_eq!(track_id, j.track_id.as_str()),
            other => panic!("{other:?}"),
        }
        assert_eq!(j.idempotency_key, key);
        assert_eq!(j.attempts, 4);
        assert_eq!(j.send_again(200_000), Some(SendAgain::SameKey));
        j.send_again_same_key(200_001).unwrap();
        assert_eq!(j.state, JobState::Queued);
        assert_eq!(j.idempotency_key, key);
    }

    #[test]
    fn a_4xx_is_refused_and_401_names_the_proxy_credentials() {
        let mut j = job(4, 0);
        j.start_attempt(0).unwrap();
        j.record_answer(
            Ok(&reply(
                401,
                r#"{"success":false,"reasons":[{"code":"90000011","message":"x"}]}"#,
                None,
            )),
            &RetryPolicy::default(),
            1,
            0,
        )
        .unwrap();
        assert!(matches!(j.state, JobState::Refused { .. }));
        assert!(
            job_sentence(&j, 2).contains("credentials were refused"),
            "{}",
            job_sentence(&j, 2)
        );
        assert_eq!(j.send_again(2), Some(SendAgain::NewKey));
        assert!(j.send_again_same_key(2).is_err());
        let fresh_key = IdempotencyKey::from_random_bytes([9; 16]);
        let again = j
            .resend_with_new_key(
                JobId::from_random_bytes([8; 16]),
                fresh_key.clone(),
                TrackId::for_submission("t-", &fresh_key),
                3,
            )
            .unwrap();
        assert_eq!(again.state, JobState::Queued);
        assert_eq!(again.resent_from.as_ref(), Some(&j.id));
        assert_eq!(again.idempotency_key, fresh_key);
        assert_eq!((again.attempts, again.file_name.as_str()), (0, "fx.csv"));
    }

    #[test]
    fn a_500_is_not_retried_and_a_new_key_needs_confirmation() {
        let mut j = job(5, 0);
        j.start_attempt(0).unwrap();
        j.record_answer(
            Ok(&reply(
                500,
                r#"{"reasons":[{"code":"SystemError","message":"internal server error"}]}"#,
                None,
            )),
            &RetryPolicy::default(),
            1,
            0,
        )
        .unwrap();
        assert!(matches!(
            j.state,
            JobState::Unknown {
                why: UnknownOutcome::ZuoraFailed { .. }
            }
        ));
        let text = job_sentence(&j, 2);
        assert!(
            text.contains("may or may not have been processed"),
            "{text}"
        );
        assert!(text.contains(j.track_id.as_str()), "{text}");
        assert_eq!(j.send_again(2), Some(SendAgain::NewKeyAfterConfirmation));
        assert!(j.send_again_same_key(2).is_err());
    }

    #[test]
    fn a_garbled_success_and_a_409_leave_the_outcome_unknown() {
        for (status, body) in [
            (200, "<html>login</html>"),
            (
                409,
                r#"{"success":false,"reasons":[{"code":"1","message":"busy"}]}"#,
            ),
        ] {
            let mut j = job(6, 0);
            j.start_attempt(0).unwrap();
            j.record_answer(
                Ok(&reply(status, body, None)),
                &RetryPolicy::default(),
                1,
                0,
            )
            .unwrap();
            assert!(
                matches!(
                    j.state,
                    JobState::Unknown {
                        why: UnknownOutcome::NoClearAnswer { .. }
                    }
                ),
                "{status}: {:?}",
                j.state
            );
            assert_eq!(j.send_again(2), Some(SendAgain::SameKey));
            // Past Zuora's 24 hours the key no longer protects a resend.
            assert_eq!(
                j.send_again(SAME_KEY_WINDOW_MS),
                Some(SendAgain::NewKeyAfterConfirmation)
            );
        }
    }

    #[test]
    fn cancel_is_allowed_until_zuora_answers() {
        for prepare in [0, 1, 2] {
            let mut j = job(7, 0);
            if prepare >= 1 {
                j.start_attempt(0).unwrap();
            }
            if prepare == 2 {
                j.record_answer(Err("offline"), &RetryPolicy::default(), 1, 0)
                    .unwrap();
            }
            j.cancel(5).unwrap();
            assert_eq!(
                j.state,
                JobState::Cancelled {
                    reason: CancelReason::ByUser
                }
            );
            // Cancelled before sending: a new key is fine; after: same key.
            let expected = if prepare == 0 {
                SendAgain::NewKey
            } else {
                SendAgain::SameKey
            };
            assert_eq!(j.send_again(6), Some(expected));
        }
        let mut f = following(7);
        assert!(f.cancel(9).is_err());
    }

    #[test]
    fn illegal_events_change_nothing() {
        let policy = RetryPolicy::default();
        let any_result = result(r#"{"status":"Completed"}"#);
        let mut states = vec![job(8, 0), following(8)];
        let mut done = following(8);
        done.record_progress(&any_result, 3).unwrap();
        states.push(done);
        let mut refused = job(8, 0);
        refused.start_attempt(0).unwrap();
        refused
            .record_answer(Ok(&reply(400, "{\"success\":false}", None)), &policy, 1, 0)
            .unwrap();
        states.push(refused);

        for original in states {
            let mut j = original.clone();
            let illegal: Vec<Transition> = match &original.state {
                JobState::Queued => vec![
                    j.record_answer(Ok(&reply(200, ACCEPTED, None)), &policy, 9, 0),
                    j.record_progress(&any_result, 9),
                    j.request_stop(9),
                    j.stop_failed(9),
                    j.send_again_same_key(9),
                ],
                JobState::Following { .. } => vec![
                    j.start_attempt(9),
                    j.record_answer(Err("late"), &policy, 9, 0),
                    j.cancel(9),
                    j.stop_failed(9),
                    j.send_again_same_key(9),
                ],
                _ => vec![
                    j.start_attempt(9),
                    j.record_answer(Ok(&reply(200, ACCEPTED, None)), &policy, 9, 0),
                    j.record_progress(&any_result, 9),
                    j.cancel(9),
                    j.request_stop(9),
                    j.stop_failed(9),
                ],
            };
            for outcome in illegal {
                let e = outcome.unwrap_err();
                assert!(e.to_string().ends_with("nothing was changed."), "{e}");
            }
            assert_eq!(j, original);
        }
    }

    #[test]
    fn a_stop_is_requested_once_and_can_be_retried_after_a_failure() {
        let mut j = following(9);
        j.request_stop(5).unwrap();
        assert!(!j.can_stop());
        assert!(j.request_stop(6).is_err());
        j.stop_failed(7).unwrap();
        assert!(j.can_stop());
        j.record_progress(&result(r#"{"status":"Stopping"}"#), 8)
            .unwrap();
        assert!(!j.can_stop());
    }

    #[test]
    fn reload_recovery_follows_the_file_at_hand() {
        let mut sending = job(10, 0);
        sending.start_attempt(1).unwrap();
        let mut a = sending.clone();
        assert_eq!(a.recover_after_reload(100, true), Recovery::ResendSameKey);
        assert_eq!(a.state, JobState::Queued);
        assert_eq!(a.idempotency_key, sending.idempotency_key);
        let mut b = sending.clone();
        assert_eq!(b.recover_after_reload(100, false), Recovery::CheckZuora);
        match &b.state {
            JobState::Unknown {
                why: UnknownOutcome::Interrupted { track_id },
            } => assert_eq!(track_id, sending.track_id.as_str()),
            other => panic!("{other:?}"),
        }
        assert!(job_sentence(&b, 2).contains(sending.track_id.as_str()));

        let mut queued = job(11, 0);
        assert_eq!(queued.recover_after_reload(100, true), Recovery::Unchanged);
        assert_eq!(
            queued.recover_after_reload(100, false),
            Recovery::CheckZuora
        );
        assert_eq!(
            queued.state,
            JobState::Cancelled {
                reason: CancelReason::FileGone
            }
        );
        let mut f = following(12);
        let before = f.clone();
        assert_eq!(f.recover_after_reload(100, false), Recovery::Unchanged);
        assert_eq!(f, before);
    }

    #[test]
    fn outside_text_is_clipped_before_it_is_kept() {
        let mut j = job(13, 0);
        j.start_attempt(0).unwrap();
        let many: Vec<String> = (0..500)
            .map(|i| format!(r#"{{"code":"{i}","message":"{}"}}"#, "m".repeat(5_000)))
            .collect();
        let body = format!(r#"{{"success":false,"reasons":[{}]}}"#, many.join(","));
        j.record_answer(Ok(&reply(400, &body, None)), &RetryPolicy::default(), 1, 0)
            .unwrap();
        let reasons = j.last_error.as_ref().unwrap().reasons();
        assert_eq!(reasons.len(), MAX_KEPT_REASONS);
        assert!(reasons
            .iter()
            .all(|r| r.message.chars().count() == MAX_KEPT_CHARS));
    }

    #[test]
    fn job_ids_are_uuids_from_the_given_bytes() {
        let a = JobId::from_random_bytes([1; 16]);
        assert_eq!(a.as_str().len(), 36);
        assert_ne!(a, JobId::from_random_bytes([2; 16]));
    }
}
