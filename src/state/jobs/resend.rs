//! Sending a file again: with the same key when Zuora may have it, with a new key when
//! it certainly has not, and after a confirmation when it may have processed it.

use super::Jobs;
use crate::platform::browser;
use leptos::prelude::*;
use mass_updater_domain::wording::jobs::resend_advice;
use mass_updater_domain::{AcceptedFile, ActionType, Confirmation, Job, JobId, SendAgain};

impl Jobs {
    /// The latest job for this file and action type.
    pub(super) fn latest_for(
        &self,
        accepted: &AcceptedFile,
        action_type: ActionType,
    ) -> Option<Job> {
        self.journal.with_value(|j| {
            j.jobs
                .iter()
                .filter(|job| job.is_for(accepted, action_type))
                .max_by_key(|job| job.created_ms)
                .cloned()
        })
    }

    /// The user answered about the file at the front of the queue: it is sent under a
    /// new key, or let go; then the next one is asked about.
    pub(super) fn answer_pending(&self, yes: bool) {
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

    pub(super) fn ask_next_pending(&self) {
        if self.confirm.with_untracked(Option::is_some) {
            return;
        }
        let front = self.pending.with_value(|p| p.first().cloned());
        if let Some(p) = front {
            let track_id = self
                .latest_for(&p.accepted, p.action_type)
                .map(|j| j.track_id.to_string())
                .unwrap_or_default();
            self.confirm.set(Some(Confirmation::SubmitNewKey {
                file_name: p.accepted.name.clone(),
                track_id,
            }));
        }
    }

    /// Send again, as the domain allows it for this job: same key at once, a new key
    /// at once, or a new key after confirmation.
    pub fn send_again(&self, id: &JobId) {
        let now = browser::now_ms();
        let Some(how) = self
            .journal
            .with_value(|j| j.get(id).and_then(|job| job.send_again(now)))
        else {
            return;
        };
        if !self.files.with_value(|f| f.contains_key(id)) {
            return;
        }
        match how {
            SendAgain::SameKey => self.requeue_same_key(id, None),
            SendAgain::NewKey => self.resend_new_key(id),
            SendAgain::NewKeyAfterConfirmation => self.ask(Confirmation::SendAgain(id.clone())),
        }
    }

    pub(super) fn resend_new_key(&self, id: &JobId) {
        let Some(old) = self.journal.with_value(|j| j.get(id).cloned()) else {
            return;
        };
        // The old job keeps its record; the file moves on to the new one.
        let Some(blob) = self.files.with_value(|f| f.get(id).cloned()) else {
            return;
        };
        self.keep_file(id, None);
        let accepted = AcceptedFile {
            name: old.file_name.clone(),
            size: old.size,
            kind: mass_updater_domain::FileKind::Csv,
            checksum: old.checksum.clone(),
        };
        self.add_job(blob, &accepted, old.action_type, None, Some(&old));
    }

    /// What the submit panel should add about sending `accepted` as `action_type`
    /// again, given the earlier jobs for the same file. Tracked, so the hint follows
    /// the list.
    pub fn advice_for(&self, accepted: &AcceptedFile, action_type: ActionType) -> Option<String> {
        self.outcomes.track();
        let last = self.latest_for(accepted, action_type)?;
        let how = last.send_again(browser::now_ms())?;
        resend_advice(how, last.last_error.as_ref().and_then(|e| e.status()))
    }
}
