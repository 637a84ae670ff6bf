//! Sharing the list live with the app's other tabs (and other instances on the page).
//! Each tab saves the whole list ([`JournalSharing`]); the `storage` event tells the
//! others, which take in what changed and show it at once. Web Locks say who is doing
//! what: a tab holds a job's sending lock while the job is queued or being sent from it,
//! and the following lock while it polls the job. A tab that shows a job another tab is
//! sending waits in line for its sending lock; when its turn comes, that tab has sent
//! the job or closed, and only in the second case is the job marked interrupted.

use super::Jobs;
use crate::platform::locks;
use crate::platform::{browser, storage};
use leptos::prelude::*;
use leptos::task::spawn_local;
use mass_updater_domain::{
    sending_lock, Job, JobId, JobState, JOURNAL_STAMP_KEY, JOURNAL_STORAGE_KEY,
};
use send_wrapper::SendWrapper;

/// How long a save in one tab may take to reach another tab's storage, at most as far
/// as this app counts on it (it is usually a few milliseconds).
const STORAGE_SETTLES_MS: u64 = 300;

impl Jobs {
    /// Runs `then` (which queues job `id` and saves it) once this tab holds the job's
    /// sending lock: so a tab that hears of the queued job always finds the lock taken.
    /// At once where the browser has no Web Locks; never if the app is unmounted first.
    pub(super) fn with_sending_lock(&self, id: &JobId, then: impl FnOnce() + 'static) {
        let Some(pending) = locks::request(&sending_lock(id), self.zuora.signal().as_ref()) else {
            return then();
        };
        let (this, id) = (*self, id.clone());
        spawn_local(async move {
            let Some(held) = pending.granted().await else {
                return;
            };
            this.holds
                .try_update_value(|h| h.insert(id.clone(), SendWrapper::new(held)));
            then();
            if let Some(job) = this
                .journal
                .try_with_value(|j| j.get(&id).cloned())
                .flatten()
            {
                this.release_sending_lock(&job);
            } else {
                this.holds.try_update_value(|h| h.remove(&id));
            }
        });
    }

    /// Lets `job`'s sending lock go once the job no longer awaits Zuora's answer from
    /// this tab (dropping it releases it).
    pub(super) fn release_sending_lock(&self, job: &Job) {
        if !(job.state.awaits_answer() && self.has_file(&job.id)) {
            self.holds.try_update_value(|h| h.remove(&job.id));
        }
    }

    pub(super) fn has_file(&self, id: &JobId) -> bool {
        self.files
            .try_with_value(|f| f.contains_key(id))
            .unwrap_or(false)
    }

    /// A job that awaits Zuora's answer without its file here: another tab is sending
    /// it, or a tab was closed (or reloaded) while it was. Waits for its sending lock;
    /// once this tab has it, the job is marked interrupted if it still awaits an answer.
    /// Without Web Locks it is marked at once, as before they were used.
    pub(super) fn watch(&self, id: JobId) {
        if self.has_file(&id) {
            return;
        }
        let fresh = self
            .watched
            .try_update_value(|w| w.insert(id.clone()))
            .unwrap_or(false);
        if !fresh {
            return;
        }
        let Some(pending) = locks::request(&sending_lock(&id), self.zuora.signal().as_ref()) else {
            self.interrupted(&id);
            self.watched.update_value(|w| {
                w.remove(&id);
            });
            return;
        };
        let this = *self;
        spawn_local(async move {
            if let Some(_held) = pending.granted().await {
                // The other tab saved before letting the lock go, but its save may reach
                // this tab's storage after the lock does: wait for it, then judge.
                browser::sleep(STORAGE_SETTLES_MS).await;
                this.take_in_stored();
                this.interrupted(&id);
            }
            this.watched.try_update_value(|w| w.remove(&id));
        });
    }

    /// Resolves a job nobody is sending any more, as after a reload.
    fn interrupted(&self, id: &JobId) {
        let stranded = !self.has_file(id)
            && self
                .journal
                .try_with_value(|j| j.get(id).is_some_and(|job| job.state.awaits_answer()))
                .unwrap_or(false);
        if stranded {
            let now = browser::now_ms();
            self.change(id, |job| {
                job.recover_after_reload(now, false);
                Ok(())
            });
        }
    }

    /// Takes in what is stored now, unless nobody has saved since this tab last saved
    /// or loaded (the stamp beside the list says so without reading the list).
    pub(super) fn take_in_stored(&self) {
        let stamp = storage::load(JOURNAL_STAMP_KEY).ok().flatten();
        let current = self
            .sharing
            .try_with_value(|s| s.is_current(stamp.as_deref()))
            .unwrap_or(true);
        if !current {
            self.take_in(storage::load(JOURNAL_STORAGE_KEY).ok().flatten());
        }
    }

    /// Takes in the list another tab saved (`stored`): its new jobs and newer versions
    /// are shown at once; its jobs still sending are watched, and its followed jobs are
    /// followed (polled by whichever tab holds the following lock).
    pub(super) fn take_in(&self, stored: Option<String>) {
        let changed = self
            .sharing
            .try_with_value(|sharing| {
                self.journal
                    .try_update_value(|j| sharing.absorb(j, stored.as_deref()))
            })
            .flatten()
            .unwrap_or_default();
        if changed.is_empty() {
            return;
        }
        let mut added = false;
        for id in changed {
            let Some(job) = self.journal.with_value(|j| j.get(&id).cloned()) else {
                continue;
            };
            match self.row(&id) {
                Some(row) => row.job.set(job.clone()),
                None => added = true,
            }
            match job.state {
                JobState::Following { .. } => self.follow(id),
                ref state if state.awaits_answer() => self.watch(id),
                _ => {}
            }
        }
        if added {
            self.list_changed();
        } else {
            self.outcomes.notify();
        }
    }
}
