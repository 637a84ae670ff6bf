//! The values the job store keeps besides the journal: each job's row signals, the
//! files still at hand, response files as far as they have been read, and files
//! waiting for the user's answer.

use crate::platform::locks::Held;
use leptos::prelude::*;
use mass_updater_domain::{
    AcceptedFile, ActionType, Batch, Job, ResponseFileError, ResponseSummary,
};
use send_wrapper::SendWrapper;
use std::sync::Arc;

/// The sending locks a tab holds, by job (see `tabs.rs`).
pub(super) type Holds = std::collections::HashMap<mass_updater_domain::JobId, SendWrapper<Held>>;

/// A file's bytes, kept in memory while its job may still need them.
pub type FileBlob = SendWrapper<web_sys::Blob>;

/// One job as its row shows it. Each part is a signal of its own, so a change to one
/// job re-renders its row and nothing else.
#[derive(Clone)]
pub struct Row {
    pub job: ArcRwSignal<Job>,
    /// (bytes sent, bytes in total) while its upload is in flight.
    pub upload: ArcRwSignal<Option<(f64, f64)>>,
    /// Whether the file's bytes are still in memory (so it can be sent again).
    pub file_at_hand: ArcRwSignal<bool>,
}

impl Row {
    pub(crate) fn new(job: Job) -> Row {
        Row {
            job: ArcRwSignal::new(job),
            upload: ArcRwSignal::new(None),
            file_at_hand: ArcRwSignal::new(false),
        }
    }
}

/// A response file as far as it has been fetched and read.
#[derive(Clone, Debug, PartialEq)]
pub enum ResponseState {
    Loading,
    Ready {
        summary: ResponseSummary,
        zip: Arc<Vec<u8>>,
    },
    Failed(ResponseFileError),
}

/// A file waiting for the user to confirm sending it under a new key.
#[derive(Clone)]
pub(crate) struct PendingSubmit {
    pub(crate) blob: FileBlob,
    pub(crate) accepted: AcceptedFile,
    pub(crate) action_type: ActionType,
    pub(crate) batch: Option<Batch>,
}
