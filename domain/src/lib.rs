//! The rules of the Mass Updater app, in plain Rust: which action types exist, what a
//! file must look like before it may be sent, how the request is described to Zuora and
//! how Zuora's answers are read. Nothing here touches the browser, so every rule is
//! tested natively.

pub mod action_type;
pub mod checksum;
pub mod config;
pub mod error;
pub mod figures;
pub mod intake;
pub mod job;
pub mod journal;
pub mod multipart;
pub mod polling;
pub mod preflight;
pub mod request;
pub mod response_file;
pub mod retry;
pub mod settings;
mod tagged;
pub mod wire;
pub mod wording;

pub use action_type::ActionType;
pub use checksum::{Checksum, Md5Stream};
pub use error::{
    CancelReason, IllegalTransition, IntakeError, JournalProblem, OutputUrlError,
    ResponseFileError, SubmitError, TrackIdError, UnknownOutcome,
};
pub use intake::{file_stem, AcceptedFile, FileKind, Intake, DEFAULT_MAX_FILE_BYTES};
pub use job::{Batch, Job, JobId, JobState, Progress, Recovery, SendAgain};
pub use journal::{Journal, Merged, JOURNAL_STAMP_KEY, JOURNAL_STORAGE_KEY};
pub use polling::{can_stop, is_terminal, next_poll_delay};
pub use request::{params_json, IdempotencyKey, TrackId};
pub use response_file::{
    output_url_to_proxy_path, response_file_name, resubmit_file_name, FailedRow, ResponseSummary,
};
pub use retry::{RetryDecision, RetryPolicy};
pub use wire::{read_submit_reply, BulkKey, HttpReply, MassActionResult, MassActionStatus, Reason};
