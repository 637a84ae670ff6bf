//! The rules of the Mass Updater app, in plain Rust: which action types exist, what a
//! file must look like before it may be sent, how the request is described to Zuora and
//! how Zuora's answers are read. Nothing here touches the browser, so every rule is
//! tested natively.

// Functions stay short (clippy.toml sets the limit); tests aside.
#![cfg_attr(not(test), warn(clippy::too_many_lines))]

pub mod action_type;
pub mod checksum;
pub mod config;
pub mod confirmation;
pub mod error;
pub mod figures;
pub mod intake;
pub mod job;
pub mod journal;
pub mod journal_sharing;
mod loose;
pub mod multipart;
pub mod order;
pub mod polling;
pub mod preflight;
pub mod readiness;
pub mod repair;
pub mod request;
pub mod response_file;
pub mod retry;
mod tagged;
pub mod team;
pub mod wire;
pub mod wording;

pub use action_type::ActionType;
pub use checksum::{Checksum, Md5Stream};
pub use confirmation::{Confirmation, Question};
pub use error::{
    BrowserError, CancelReason, FitError, IllegalTransition, IntakeError, JobEvent, JournalProblem,
    Lookalike, NoAnswer, OutputUrlError, RepairError, ResponseFileError, StopError, StorageFailure,
    SubmitError, TeamReplyError, TrackIdError, UnknownOutcome, WorkerFailure, WorkerMessage,
};
pub use intake::{file_stem, AcceptedFile, FileKind, Intake, DEFAULT_MAX_FILE_BYTES};
pub use job::{Batch, Job, JobId, JobState, Progress, Recovery, SendAgain};
pub use journal::{Journal, Merged, JOURNAL_STAMP_KEY, JOURNAL_STORAGE_KEY};
pub use journal_sharing::{following_lock, new_stamp, sending_lock, JournalSharing};
pub use polling::{can_stop, is_terminal, jittered, next_poll_delay, MAX_POLLS_IN_FLIGHT};
pub use readiness::{blocker, Blocker, Fit, FitStep, FormFile};
pub use request::{params_json, IdempotencyKey, TrackId};
pub use response_file::{
    output_url_to_proxy_path, response_file_name, resubmit_file_name, FailedRow, ResponseSummary,
};
pub use retry::{RetryDecision, RetryPolicy};
pub use wire::{
    read_stop_reply, read_submit_reply, BulkKey, HttpReply, MassActionResult, MassActionStatus,
    Reason,
};
