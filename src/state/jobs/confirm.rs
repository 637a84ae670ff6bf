//! The in-page confirmation of what cannot be undone: the question the dialog asks, and
//! carrying out the answer.

use super::Jobs;
use leptos::prelude::*;
use mass_updater_domain::wording::jobs::{
    confirm_clear_all_sentence, confirm_send_again_sentence, confirm_stop_sentence,
};
use mass_updater_domain::JobId;

/// What the in-page confirmation dialog is asking about.
#[derive(Clone, Debug, PartialEq)]
pub enum Confirmation {
    /// Send an ended job's file again under a new key.
    SendAgain(JobId),
    /// A file handed over (the front of the pending queue) whose last job may have been
    /// processed: send it under a new key?
    SubmitNewKey {
        file_name: String,
        track_id: String,
    },
    Stop(JobId),
    ClearAll,
}

impl Jobs {
    /// Asks for confirmation of what `c` would do; [`Jobs::confirmed`] carries it out.
    pub fn ask(&self, c: Confirmation) {
        self.confirm.set(Some(c));
    }

    /// The question and the confirming button's label.
    pub fn question(&self, c: &Confirmation) -> (String, &'static str) {
        self.outcomes.track();
        let job = |id: &JobId| self.journal.with_value(|j| j.get(id).cloned());
        match c {
            Confirmation::SendAgain(id) => (
                job(id)
                    .map(|j| confirm_send_again_sentence(&j.file_name, j.track_id.as_str()))
                    .unwrap_or_default(),
                "Send again with a new key",
            ),
            Confirmation::SubmitNewKey {
                file_name,
                track_id,
            } => (
                confirm_send_again_sentence(file_name, track_id),
                "Send again with a new key",
            ),
            Confirmation::Stop(id) => (
                job(id)
                    .map(|j| confirm_stop_sentence(&j.file_name))
                    .unwrap_or_default(),
                "Stop the mass action",
            ),
            Confirmation::ClearAll => (
                confirm_clear_all_sentence(self.journal.with_value(|j| j.jobs.len())),
                "Clear all",
            ),
        }
    }

    /// The user answered the dialog.
    pub fn confirmed(&self, yes: bool) {
        let Some(c) = self.confirm.get_untracked() else {
            return;
        };
        self.confirm.set(None);
        match (c, yes) {
            (Confirmation::SubmitNewKey { .. }, yes) => {
                let front = self.pending.try_update_value(|p| {
                    if p.is_empty() {
                        None
                    } else {
                        Some(p.remove(0))
                    }
                });
                if let (Some(Some(p)), true) = (front, yes) {
                    let last = self.latest_for(&p.accepted, p.action_type);
                    self.add_job(p.blob, &p.accepted, p.action_type, p.batch, last.as_ref());
                }
                self.ask_next_pending();
            }
            (_, false) => self.ask_next_pending(),
            (Confirmation::SendAgain(id), true) => self.resend_new_key(&id),
            (Confirmation::Stop(id), true) => self.stop(&id),
            (Confirmation::ClearAll, true) => self.clear_all(),
        }
    }
}
