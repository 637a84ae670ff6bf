//! The statuses a recorded submission can have: Zuora's six, and the gateway's own
//! three for submissions that never became a mass action (yet).

use std::fmt;
use std::str::FromStr;

/// Statuses after which nothing changes: such mass actions are no longer followed.
pub const ENDED_STATUSES: [&str; 4] = ["Completed", "Stopped", "Failed", "Refused"];

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Status {
    /// Recorded; Zuora has not answered yet.
    Sending,
    /// Zuora answered with an error (see the HTTP status and reasons).
    Refused,
    /// The answer never came.
    Unknown,
    Pending,
    Processing,
    Stopping,
    Stopped,
    Completed,
    Failed,
}

impl Status {
    pub const ALL: [Status; 9] = [
        Status::Sending,
        Status::Refused,
        Status::Unknown,
        Status::Pending,
        Status::Processing,
        Status::Stopping,
        Status::Stopped,
        Status::Completed,
        Status::Failed,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Status::Sending => "Sending",
            Status::Refused => "Refused",
            Status::Unknown => "Unknown",
            Status::Pending => "Pending",
            Status::Processing => "Processing",
            Status::Stopping => "Stopping",
            Status::Stopped => "Stopped",
            Status::Completed => "Completed",
            Status::Failed => "Failed",
        }
    }

    pub fn is_ended(self) -> bool {
        ENDED_STATUSES.contains(&self.as_str())
    }
}

impl fmt::Display for Status {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A status filter that names none of the statuses.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UnknownStatus(pub String);

impl fmt::Display for UnknownStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{:?} is not a status; use one of Sending, Refused, Unknown, Pending, Processing, Stopping, Stopped, Completed or Failed.",
            self.0
        )
    }
}

impl std::error::Error for UnknownStatus {}

impl FromStr for Status {
    type Err = UnknownStatus;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Status::ALL
            .into_iter()
            .find(|status| status.as_str() == s)
            .ok_or_else(|| UnknownStatus(s.to_owned()))
    }
}
