//! The list as a whole: removing ended jobs, clearing it, and exporting it.

use super::Jobs;
use crate::platform::browser;
use leptos::prelude::*;
use mass_updater_domain::wording::jobs::LIST_CLEARED;
use mass_updater_domain::{Confirmation, JobId, Journal};

impl Jobs {
    /// Removes one ended job from the list.
    pub fn remove(&self, id: &JobId) {
        let finished = self
            .journal
            .with_value(|j| j.get(id).is_some_and(|job| job.state.is_finished()));
        if !finished {
            return;
        }
        self.journal.update_value(|j| {
            j.remove(id);
        });
        self.forget(std::slice::from_ref(id));
        self.list_changed();
        self.save();
    }

    /// Whether a job is being sent or waits to be, whose answer a clear would lose.
    /// Tracked: follows the jobs' states.
    pub fn any_sending(&self) -> bool {
        self.outcomes.track();
        self.journal
            .with_value(|j| j.jobs.iter().any(|job| job.state.awaits_answer()))
    }

    pub(super) fn clear_all(&self) {
        if self.any_sending() {
            return;
        }
        let ids: Vec<JobId> = self
            .journal
            .with_value(|j| j.jobs.iter().map(|job| job.id.clone()).collect());
        self.journal.update_value(Journal::clear_all);
        self.forget(&ids);
        self.list_changed();
        self.save();
        self.announcer.say(LIST_CLEARED);
    }

    pub(super) fn forget(&self, ids: &[JobId]) {
        if ids.is_empty() {
            return;
        }
        self.sharing.try_update_value(|s| s.forget(ids));
        self.files
            .update_value(|f| f.retain(|id, _| !ids.contains(id)));
        self.responses
            .update(|r| r.retain(|id, _| !ids.contains(id)));
        self.failed_stops
            .update(|n| n.retain(|id, _| !ids.contains(id)));
        // A question about a job that is gone is not asked any more.
        let about_them = self.confirm.with_untracked(|c| {
            matches!(c, Some(Confirmation::Stop(id) | Confirmation::SendAgain(id)) if ids.contains(id))
        });
        if about_them {
            self.confirm.set(None);
        }
    }

    pub fn export_csv(&self) {
        let text = self.journal.with_value(|j| j.export_csv(browser::now_ms()));
        self.download(text.as_bytes(), "mass-actions.csv", "text/csv");
    }

    pub fn export_json(&self) {
        let text = self.journal.with_value(Journal::export_json);
        self.download(text.as_bytes(), "mass-actions.json", "application/json");
    }
}
