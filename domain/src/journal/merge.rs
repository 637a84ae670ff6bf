//! Two tabs' lists brought together: what one tab writes over what another stored
//! ([`Journal::save_over`]), and what it takes in from another's save
//! ([`Journal::absorb`]).

use super::{Journal, Merged};
use crate::job::{Job, JobId};
use std::collections::{HashMap, HashSet};

impl Journal {
    /// [`Journal::save`] where the storage is shared: other tabs of the app (or other
    /// instances of it on one page) keep their own journals under the same key, and
    /// each save would otherwise overwrite theirs. Given the text stored now, the JSON
    /// to store holds:
    /// - this journal's jobs, each as the newer of its version here and its version in
    ///   `stored` (by `updated_ms`; this one when equal);
    /// - the jobs in `stored` that this journal does not hold and has not `forgotten`
    ///   (removed, cleared or left out for the size bound since it was loaded): jobs
    ///   another tab sent, which this tab has never shown.
    ///
    /// So a job sent from one tab is never dropped from storage by another tab's save.
    /// A job that one tab removes while another still shows it comes back with the
    /// other's next save: the safe way round, since a lost job can be a lost mass
    /// action. This journal's jobs keep their order and the others go in by creation
    /// time. Unreadable `stored` text counts as no jobs: this journal is written alone,
    /// as [`Journal::save`] writes it.
    pub fn save_over(&self, stored: Option<&str>, forgotten: &HashSet<JobId>) -> Merged {
        let (theirs, _) = Journal::load(stored);
        let mut theirs_by_id: HashMap<&JobId, &Job> =
            theirs.jobs.iter().map(|job| (&job.id, job)).collect();
        let mut kept_theirs = false;
        let ours: Vec<&Job> = self
            .jobs
            .iter()
            .map(|ours| {
                let newer = theirs_by_id
                    .remove(&ours.id)
                    .filter(|t| supersedes(t, ours));
                kept_theirs |= newer.is_some();
                newer.unwrap_or(ours)
            })
            .collect();
        let only_theirs = theirs
            .jobs
            .iter()
            .filter(|job| theirs_by_id.contains_key(&job.id) && !forgotten.contains(&job.id));
        // Each list keeps its order; the other tab's jobs go in by creation time.
        let mut jobs: Vec<&Job> = Vec::with_capacity(ours.len() + theirs_by_id.len());
        let mut ours = ours.into_iter().peekable();
        for job in only_theirs {
            while let Some(next) = ours.next_if(|o| o.created_ms <= job.created_ms) {
                jobs.push(next);
            }
            jobs.push(job);
            kept_theirs = true;
        }
        jobs.extend(ours);
        Merged {
            text: self.save_list(jobs),
            kept_theirs,
        }
    }

    /// Takes in what another tab saved (`stored`), so that this list shows its jobs as
    /// they change: each job this journal lacks (and has not `forgotten`) is added in
    /// creation order, and each version newer than this journal's (by `updated_ms`)
    /// replaces it. Returns the ids added or replaced. Unreadable text changes nothing.
    pub fn absorb(&mut self, stored: Option<&str>, forgotten: &HashSet<JobId>) -> Vec<JobId> {
        let (theirs, _) = Journal::load(stored);
        let mut changed = Vec::new();
        for job in theirs.jobs {
            if forgotten.contains(&job.id) {
                continue;
            }
            match self.get_mut(&job.id) {
                Some(ours) if supersedes(&job, ours) => {
                    changed.push(job.id.clone());
                    *ours = job;
                }
                Some(_) => {}
                None => {
                    changed.push(job.id.clone());
                    let at = self
                        .jobs
                        .iter()
                        .rposition(|ours| ours.created_ms <= job.created_ms)
                        .map_or(0, |i| i + 1);
                    self.jobs.insert(at, job);
                }
            }
        }
        changed
    }
}

/// Whether another tab's version of a job (`theirs`) replaces this one's: when it was
/// updated later, unless it lacks the bulk key this one has. A tab that took a job for
/// interrupted (it could not tell, from what it had read, that the upload had been
/// answered) must not undo Zuora's answer in the tab that got it.
fn supersedes(theirs: &Job, ours: &Job) -> bool {
    theirs.updated_ms > ours.updated_ms && !(ours.bulk_key.is_some() && theirs.bulk_key.is_none())
}
