//! Applying the domain's transitions to jobs and saving the journal after each one: at
//! once for a change of state, within a few seconds for a new count.

use super::{FileBlob, Jobs, Row};
use crate::platform::{browser, storage};
use crate::state::host_events;
use leptos::prelude::*;
use leptos::task::spawn_local;
use mass_updater_domain::order::sort_by_number;
use mass_updater_domain::wording::jobs::{announce, job_sentence};
use mass_updater_domain::{
    new_stamp, IllegalTransition, Job, JobId, JournalProblem, JOURNAL_STAMP_KEY,
    JOURNAL_STORAGE_KEY,
};
use std::collections::HashSet;

impl Jobs {
    /// The signals of one job's row.
    pub fn row(&self, id: &JobId) -> Option<Row> {
        self.rows.with_value(|r| r.get(id).cloned())
    }

    /// After jobs came or went: a row for every job in the journal (and none for the
    /// others), and the order of the list.
    pub(super) fn list_changed(&self) {
        let Some(mut order) = self.journal.try_with_value(|j| {
            self.rows.update_value(|rows| {
                let ids: HashSet<&JobId> = j.jobs.iter().map(|job| &job.id).collect();
                rows.retain(|id, _| ids.contains(id));
                // A job that is gone needs no lock.
                self.holds
                    .update_value(|h| h.retain(|id, _| ids.contains(id)));
                for job in &j.jobs {
                    rows.entry(job.id.clone())
                        .or_insert_with(|| Row::new(job.clone()));
                }
            });
            j.jobs
                .iter()
                .map(|job| (job.created_ms, job.id.clone()))
                .collect::<Vec<_>>()
        }) else {
            return;
        };
        // Newest first.
        sort_by_number(&mut order, |(created, _)| u64::MAX - *created);
        self.order
            .try_set(order.into_iter().map(|(_, id)| id).collect());
        self.outcomes.notify();
    }

    /// Keeps a file's bytes for its job (or lets them go), and tells its row.
    pub(super) fn keep_file(&self, id: &JobId, blob: Option<FileBlob>) {
        let at_hand = blob.is_some();
        self.files.try_update_value(|f| match blob {
            Some(b) => f.insert(id.clone(), b),
            None => f.remove(id),
        });
        if let Some(row) = self.row(id) {
            if row.file_at_hand.get_untracked() != at_hand {
                row.file_at_hand.set(at_hand);
            }
        }
    }

    /// Writes the journal, with a new stamp beside it. Other tabs of the app (or other
    /// instances on the page) keep their own lists under the same key: what is written,
    /// and whether the stored list is read first, is [`JournalSharing`]'s to decide.
    pub(super) fn save(&self) {
        self.save_due.try_set_value(false);
        let stored_stamp = storage::load(JOURNAL_STAMP_KEY).ok().flatten();
        let read_stored = || storage::load(JOURNAL_STORAGE_KEY).ok().flatten();
        let text = self.sharing.try_update_value(|sharing| {
            self.journal
                .try_with_value(|j| sharing.text_to_store(j, stored_stamp.as_deref(), read_stored))
        });
        let Some(Some(text)) = text else {
            return;
        };
        let stamp = new_stamp(browser::random_bytes());
        let saved = storage::save(JOURNAL_STORAGE_KEY, &text)
            .and_then(|()| storage::save(JOURNAL_STAMP_KEY, &stamp));
        if saved.is_ok() {
            self.sharing.try_update_value(|s| s.stored(stamp));
        }
        let problem = saved.err().map(|why| JournalProblem::NotSaved {
            detail: why.to_string(),
        });
        self.save_problem.try_set(problem);
    }

    /// Saves a progress-only change within a few seconds, with whatever else changes
    /// meanwhile, rather than writing the whole journal on every count.
    pub(super) fn save_soon(&self) {
        if self.save_due.try_get_value() != Some(false) {
            return;
        }
        self.save_due.set_value(true);
        let this = *self;
        spawn_local(async move {
            browser::sleep(3_000).await;
            if this.save_due.try_get_value() == Some(true) {
                this.save();
            }
        });
    }

    /// Applies one transition to one job and saves the journal if it applied; returns
    /// the job as it is afterwards. An illegal transition (a late or doubled event)
    /// changes nothing.
    pub(super) fn change(
        &self,
        id: &JobId,
        transition: impl FnOnce(&mut Job) -> Result<(), IllegalTransition>,
    ) -> Option<Job> {
        let mut transition = Some(transition);
        self.apply(id, &mut |job| transition.take().map_or(Ok(()), |t| t(job)))
    }

    /// [`Jobs::change`] without its type parameter: one copy for every transition.
    #[inline(never)]
    fn apply(
        &self,
        id: &JobId,
        transition: &mut dyn FnMut(&mut Job) -> Result<(), IllegalTransition>,
    ) -> Option<Job> {
        let mut before = None;
        let mut after = None;
        self.journal.try_update_value(|j| {
            if let Some(job) = j.get_mut(id) {
                let was = job.clone();
                if transition(job).is_ok() {
                    before = Some(was);
                    after = Some(job.clone());
                }
            }
        });
        if let (Some(was), Some(job)) = (&before, &after) {
            self.changed(id, was, job);
        }
        after
    }

    /// What follows a job's change from `was` to `job`: its row shows it, the journal
    /// is saved (a new count within a few seconds, anything else at once), the list and
    /// the host hear of it.
    fn changed(&self, id: &JobId, was: &Job, job: &Job) {
        if let Some(row) = self.row(id) {
            row.job.set(job.clone());
        }
        if job.only_progress_changed_from(was) {
            self.save_soon();
        } else {
            self.save();
        }
        // After the save: a tab waiting for the lock reads what this one saved.
        self.release_sending_lock(job);
        if job.state != was.state {
            self.outcomes.notify();
        }
        let reason = || job_sentence(job, browser::now_ms());
        for event in host_events::job_changed(&was.state, was.progress.as_ref(), job, reason) {
            self.host.emit(event);
        }
    }

    pub(super) fn say(&self, job: &Job) {
        let sentence = job_sentence(job, browser::now_ms());
        self.announcer.say(announce(&job.file_name, &sentence));
    }
}
