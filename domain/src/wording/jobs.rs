//! The job list: the sentence each job shows for its state (also announced, exported and
//! sent to the host with a failure), what the user confirms before a resend, a stop or
//! a clear, a stop that failed, and the jobs another tab holds.

use crate::error::StopError;
use crate::figures;
use crate::job::{Job, JobState, SendAgain};
use crate::wire::MassActionStatus;

/// The one sentence the job list shows for a job, by state (`now_ms` counts down a
/// retry).
pub fn job_sentence(job: &Job, now_ms: u64) -> String {
    match &job.state {
        JobState::Queued => "Waiting for its turn to be sent.".to_owned(),
        JobState::Sending { attempt: 1 } => "Sending…".to_owned(),
        JobState::Sending { attempt } => format!("Sending, attempt {attempt}…"),
        JobState::WaitingToRetry {
            attempt,
            of,
            at_ms,
            error,
        } => {
            let seconds = at_ms.saturating_sub(now_ms).div_ceil(1000);
            format!("{error} Retrying in {seconds} s, attempt {attempt} of {of}.")
        }
        JobState::Following { status } => following_sentence(job, status),
        JobState::Completed => format!("Completed: {}.", counts(job)),
        JobState::Stopped => format!(
            "Stopped: {}; the remaining rows were not processed.",
            counts(job)
        ),
        JobState::Failed => {
            "The mass action failed in Zuora: no rows were processed and there is no response file."
                .to_owned()
        }
        JobState::Refused { error } => error.to_string(),
        JobState::Unknown { why } => why.to_string(),
        JobState::Cancelled { reason } => reason.to_string(),
    }
}

/// A job Zuora accepted and that is still running, by the status Zuora last reported.
fn following_sentence(job: &Job, status: &MassActionStatus) -> String {
    let key = job.bulk_key.as_ref().map(|k| k.as_str()).unwrap_or("?");
    let stop = if job.stop_requested_ms.is_some() && *status != MassActionStatus::Stopping {
        " A stop was requested."
    } else {
        ""
    };
    match status {
        MassActionStatus::Pending => format!(
            "Zuora accepted the file (bulk key {key}); the mass action has not started yet.{stop}"
        ),
        MassActionStatus::Processing => format!("Processing: {}.{stop}", counts(job)),
        MassActionStatus::Stopping => format!("Stopping: {}.", counts(job)),
        other => format!("Zuora reports the status “{}”.{stop}", other.as_str()),
    }
}

/// `5 of 12,000 rows processed, ? succeeded, 1 failed` (`?` where Zuora gave no count).
fn counts(job: &Job) -> String {
    let n = |v: Option<u64>| v.map_or_else(|| "?".to_owned(), figures::grouped);
    let p = job.progress.as_ref();
    format!(
        "{} of {} rows processed, {} succeeded, {} failed",
        n(p.and_then(|p| p.processed_count)),
        n(p.and_then(|p| p.total_count)),
        n(p.and_then(|p| p.success_count)),
        n(p.and_then(|p| p.error_count)),
    )
}

/// The confirming buttons of the questions in `crate::confirmation`.
pub const SEND_AGAIN_WITH_NEW_KEY: &str = "Send again with a new key";
pub const STOP_THE_MASS_ACTION: &str = "Stop the mass action";
pub const CLEAR_ALL: &str = "Clear all";

/// What the user confirms before a file whose fate is unknown is sent with a new key.
pub fn confirm_send_again_sentence(file_name: &str, track_id: &str) -> String {
    format!("Zuora may already have processed “{file_name}” (track id {track_id}). Sending it again starts a new mass action and may apply every row a second time. Send it again?")
}

/// What the user confirms before stopping a mass action (reference §3).
pub fn confirm_stop_sentence(file_name: &str) -> String {
    format!("Stop the mass action for “{file_name}”? Rows Zuora has already processed stay processed; they are not rolled back.")
}

/// Said of a job another tab of the app is sending: this tab shows it as that tab saves
/// it, and cannot cancel it.
pub const SENT_FROM_ANOTHER_TAB: &str =
    "Being sent from another tab of this app; it can be cancelled there.";

/// What the user confirms before the whole job list is cleared.
pub fn confirm_clear_all_sentence(count: usize) -> String {
    format!("Remove all {} jobs from this list? The mass actions in Zuora are not affected, but their bulk keys, track ids and progress will no longer be shown here; export the list first if you may need them.", figures::grouped(count as u64))
}

/// Why a confirmed stop did not go through (`why`: the HTTP status and Zuora's reason,
/// or why there was no answer). The Stop button comes back.
pub fn stop_failed_sentence(file_name: &str, why: &StopError) -> String {
    let detail = why.to_string();
    format!(
        "The mass action for “{file_name}” could not be stopped ({detail}); it goes on as before."
    )
}

/// Announced when a job moves on: its file and its sentence.
pub fn announce(file_name: &str, sentence: &str) -> String {
    format!("“{file_name}”: {sentence}")
}

/// What the submit panel adds about sending a file again, given how it would go and
/// the HTTP status the last attempt ended with.
pub fn resend_advice(how: SendAgain, last_status: Option<u16>) -> Option<String> {
    match how {
        SendAgain::SameKey => Some("It goes with the same Idempotency-Key as the last attempt, so Zuora cannot run it twice.".to_owned()),
        SendAgain::NewKeyAfterConfirmation => Some(match last_status {
            Some(status) => format!("Careful: the last attempt ended with HTTP {status} and Zuora may have processed it. Check Zuora before sending it again."),
            None => "Careful: Zuora may have processed the last attempt. Check Zuora before sending it again.".to_owned(),
        }),
        SendAgain::NewKey => None,
    }
}

/// A job's badge: its state in a word or two (never its colour alone).
pub fn badge(state: &JobState) -> &'static str {
    match state {
        JobState::Queued => "Queued",
        JobState::Sending { .. } => "Sending",
        JobState::WaitingToRetry { .. } => "Retrying",
        JobState::Following { status } => match status {
            MassActionStatus::Pending => "Pending",
            MassActionStatus::Processing => "Processing",
            MassActionStatus::Stopping => "Stopping",
            _ => "In Zuora",
        },
        JobState::Completed => "Completed",
        JobState::Stopped => "Stopped",
        JobState::Failed => "Failed",
        JobState::Refused { .. } => "Not accepted",
        JobState::Unknown { .. } => "Outcome unknown",
        JobState::Cancelled { .. } => "Cancelled",
    }
}

pub const LIST_CLEARED: &str = "The list of submissions was cleared.";
pub const NOTHING_SENT_YET: &str = "Nothing sent yet.";
pub const CLEAR_ALL_WAITS: &str = "Available once no file is being sent.";
pub const SEND_SAME_FILE_AGAIN: &str =
    "To send it again, choose the same file: it goes with the same Idempotency-Key.";
pub const STOP_REQUESTED: &str = "Stop requested…";
pub const FETCHING_RESPONSE_FILE: &str = "Fetching the response file…";

/// Announced when the list shows more of its jobs.
pub fn showing(shown: usize, all: usize) -> String {
    if shown >= all {
        format!("Showing all {} submissions.", figures::grouped(all as u64))
    } else {
        format!(
            "Showing {} of {} submissions.",
            figures::grouped(shown as u64),
            figures::grouped(all as u64)
        )
    }
}

/// The button that shows `n` more jobs.
pub fn show_more(n: usize) -> String {
    format!("Show {n} more")
}

/// The button that downloads the rows to fix and send again.
pub fn download_rows_to_resubmit(rows: u64) -> String {
    format!(
        "Download {} to fix and resubmit (.csv)",
        figures::count(rows, "row", "rows")
    )
}

/// Beside the resubmit download: rows in it that Zuora skipped because an earlier row
/// of their Group ID failed (none: nothing to say).
pub fn rows_kept_for_their_group(rows: u64) -> Option<String> {
    match rows {
        0 => None,
        1 => Some(
            "1 of these rows failed only because an earlier row with the same Group ID failed; it is kept so that its group is sent whole, in order."
                .to_owned(),
        ),
        _ => Some(format!(
            "{} of these rows failed only because an earlier row with the same Group ID failed; they are kept so that each group is sent whole, in order.",
            figures::grouped(rows)
        )),
    }
}

/// Failed rows that the response view does not list.
pub fn more_failed_rows(rows: u64) -> String {
    format!(
        "{} more failed rows are in the files above.",
        figures::grouped(rows)
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::NoAnswer;

    #[test]
    fn job_list_sentences_name_the_file_and_what_happens() {
        assert_eq!(
            stop_failed_sentence(
                "fx.csv",
                &StopError::Refused {
                    status: 400,
                    reason: Some("The mass action is Completed".into())
                }
            ),
            "The mass action for “fx.csv” could not be stopped (HTTP 400: The mass action is Completed); it goes on as before."
        );
        assert_eq!(
            stop_failed_sentence("fx.csv", &StopError::NoAnswer(NoAnswer::Cancelled)),
            "The mass action for “fx.csv” could not be stopped (cancelled); it goes on as before."
        );
        assert!(confirm_clear_all_sentence(1200).starts_with("Remove all 1,200 jobs"));
    }
}
