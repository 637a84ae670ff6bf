//! Team mode: who is signed in, the team history's sentences and what it announces.

use crate::figures;
use crate::team::{TeamJob, TeamStatus};

/// Beside the page's title, when a gateway names the user.
pub fn signed_in_as(user: &str) -> String {
    format!("Signed in as {user}")
}

pub const LOADING_TEAM_HISTORY: &str = "Loading the team history…";
pub const NO_TEAM_JOBS: &str = "No mass actions match these filters.";

/// Read out when a page of the team history has arrived (not on a refresh).
pub fn team_showing(shown: usize, more: bool) -> String {
    let noun = if shown == 1 {
        "mass action"
    } else {
        "mass actions"
    };
    let tail = if more {
        "; older ones can be shown"
    } else {
        ""
    };
    format!(
        "Team history: {} {noun}, newest first{tail}.",
        figures::grouped(shown as u64)
    )
}

/// The one sentence the team history shows for a mass action, by its status.
pub fn team_job_sentence(job: &TeamJob) -> String {
    match &job.status {
        TeamStatus::Sending => "Sent; Zuora's answer has not come yet.".to_owned(),
        TeamStatus::Pending => {
            "Zuora accepted the file; the mass action has not started yet.".to_owned()
        }
        TeamStatus::Processing => format!("Processing: {}.", counts(job)),
        TeamStatus::Stopping => format!("Stopping: {}.", counts(job)),
        TeamStatus::Stopped => format!("Stopped: {}.", counts(job)),
        TeamStatus::Completed => format!("Completed: {}.", counts(job)),
        TeamStatus::Failed => "The mass action failed in Zuora.".to_owned(),
        TeamStatus::Refused => refused(job),
        TeamStatus::Unknown => {
            "Zuora's answer never came: check Zuora before sending the file again.".to_owned()
        }
        TeamStatus::Other(status) => format!("Zuora reports the status “{status}”."),
    }
}

fn refused(job: &TeamJob) -> String {
    let status = job
        .http_status
        .map_or_else(String::new, |s| format!(" (HTTP {s})"));
    match job.reasons.first() {
        Some(reason) => format!("Zuora refused the file{status}: {}", reason.message),
        None => format!("Zuora refused the file{status}."),
    }
}

/// `5 of 12,000 rows processed, ? succeeded, 1 failed` (`?` where Zuora gave no count).
fn counts(job: &TeamJob) -> String {
    let n = |v: Option<u64>| v.map_or_else(|| "?".to_owned(), figures::grouped);
    format!(
        "{} of {} rows processed, {} succeeded, {} failed",
        n(job.processed_count),
        n(job.total_count),
        n(job.success_count),
        n(job.error_count),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_announcement_counts_the_mass_actions_and_says_when_more_are_older() {
        assert_eq!(
            team_showing(1, false),
            "Team history: 1 mass action, newest first."
        );
        assert_eq!(
            team_showing(1200, true),
            "Team history: 1,200 mass actions, newest first; older ones can be shown."
        );
        assert_eq!(
            signed_in_as("ana@example.com"),
            "Signed in as ana@example.com"
        );
    }
}
