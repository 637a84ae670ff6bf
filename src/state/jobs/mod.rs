//! The job list of one app instance: every file handed over for sending, what became of
//! it, and the I/O that moves each job along (upload, retry timers, polling, stop,
//! response file). The rules live in `mass_updater_domain::{job, journal, retry,
//! polling, response_file}`; this module applies their transitions, saves the journal
//! after each one, and performs the requests they call for.
//!
//! File bytes are never stored: the blobs live in memory only, so after a reload a job
//! caught mid-send cannot be re-sent and becomes "unknown: check Zuora" (the domain's
//! `recover_after_reload`). Handing the same file over again reuses its key.

mod confirm;
mod follow;
mod resend;
mod response;
mod send;
mod stop;

pub use confirm::Confirmation;
pub use response::ResponseState;

use super::{host_events, Announcer, Host};
use crate::config::Config;
use crate::platform::zuora::Zuora;
use crate::platform::{browser, http, storage};
use leptos::prelude::*;
use leptos::task::spawn_local;
use mass_updater_domain::{
    new_stamp, IllegalTransition, Job, JobId, JobState, Journal, JournalProblem, JournalSharing,
    JOURNAL_STAMP_KEY, JOURNAL_STORAGE_KEY,
};
use resend::PendingSubmit;
use send_wrapper::SendWrapper;
use std::collections::{HashMap, HashSet};

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
    fn new(job: Job) -> Row {
        Row {
            job: ArcRwSignal::new(job),
            upload: ArcRwSignal::new(None),
            file_at_hand: ArcRwSignal::new(false),
        }
    }
}

#[derive(Clone, Copy)]
pub struct Jobs {
    config: StoredValue<Config>,
    /// Every request to Zuora goes through it; unmounting aborts what is in flight.
    zuora: Zuora,
    /// Every job, in the order they were created: the record that is saved. Not a
    /// signal: the UI reads `rows`, `order` and `outcomes`, which change only where
    /// something it shows changed.
    journal: StoredValue<Journal>,
    rows: StoredValue<HashMap<JobId, Row>>,
    /// The jobs' ids, newest first; changes only when jobs come or go.
    pub order: RwSignal<Vec<JobId>>,
    /// Notified when a job's state changes or jobs come or go (not on a new count).
    outcomes: Trigger,
    /// A progress-only change is waiting to be saved.
    save_due: StoredValue<bool>,
    /// Why the saved list could not be (fully) read at start-up.
    pub load_problem: RwSignal<Option<String>>,
    /// Why the last save failed, until one succeeds.
    pub save_problem: RwSignal<Option<String>>,
    /// Jobs another tab of the app has saved that this list does not show (they stay
    /// in storage; a reload shows them).
    pub elsewhere: RwSignal<usize>,
    /// The files still at hand, by job.
    files: StoredValue<HashMap<JobId, FileBlob>>,
    uploads: StoredValue<HashMap<JobId, SendWrapper<http::Upload>>>,
    /// Jobs with a poll loop running.
    followed: StoredValue<HashSet<JobId>>,
    /// What this list keeps in mind to share the stored journal with other tabs.
    sharing: StoredValue<JournalSharing>,
    /// Per-job notes that are not job state (a stop that failed).
    pub notices: RwSignal<HashMap<JobId, String>>,
    pub responses: RwSignal<HashMap<JobId, ResponseState>>,
    pub confirm: RwSignal<Option<Confirmation>>,
    pending: StoredValue<Vec<PendingSubmit>>,
    /// The clock, once a second, for "retrying in 4 s".
    pub now: RwSignal<u64>,
    announcer: Announcer,
    host: Host,
}

impl Jobs {
    /// Loads the saved journal, resolves jobs a reload interrupted, and resumes
    /// following the unfinished ones.
    pub fn new(config: StoredValue<Config>, announcer: Announcer, host: Host) -> Jobs {
        let now = browser::now_ms();
        let (mut journal, problem) = match storage::load(JOURNAL_STORAGE_KEY) {
            Ok(text) => Journal::load(text.as_deref()),
            Err(detail) => (Journal::new(), Some(JournalProblem::Corrupt { detail })),
        };
        // No file survives a reload: every job caught sending is resolved without one.
        let recovered = journal.recover_after_reload(now, |_| false);
        let jobs = Jobs {
            config,
            zuora: Zuora::new(config),
            journal: StoredValue::new(journal),
            rows: StoredValue::new(HashMap::new()),
            order: RwSignal::new(Vec::new()),
            outcomes: Trigger::new(),
            save_due: StoredValue::new(false),
            load_problem: RwSignal::new(problem.map(|p| p.to_string())),
            save_problem: RwSignal::new(None),
            elsewhere: RwSignal::new(0),
            files: StoredValue::new(HashMap::new()),
            uploads: StoredValue::new(HashMap::new()),
            followed: StoredValue::new(HashSet::new()),
            sharing: StoredValue::new(JournalSharing::new(
                storage::load(JOURNAL_STAMP_KEY).ok().flatten(),
            )),
            notices: RwSignal::new(HashMap::new()),
            responses: RwSignal::new(HashMap::new()),
            confirm: RwSignal::new(None),
            pending: StoredValue::new(Vec::new()),
            now: RwSignal::new(now),
            announcer,
            host,
        };
        jobs.list_changed();
        if !recovered.is_empty() {
            jobs.save();
        }
        let to_follow: Vec<JobId> = jobs
            .journal
            .with_value(|j| j.to_follow().map(|job| job.id.clone()).collect());
        for id in to_follow {
            jobs.follow(id);
        }
        jobs.tick();
        // A count still waiting for its save is written as the page goes away.
        let leaving = window_event_listener(leptos::ev::pagehide, move |_| {
            if jobs.save_due.try_get_value() == Some(true) {
                jobs.save();
            }
        });
        // Another tab saved its list (the event never comes from this tab's own saves).
        let other_tab = window_event_listener(leptos::ev::storage, move |event| {
            if event.key().as_deref() != Some(JOURNAL_STORAGE_KEY) {
                return;
            }
            let stored = event.new_value();
            let unseen = jobs.sharing.try_with_value(|sharing| {
                jobs.journal
                    .try_with_value(|j| sharing.unseen_in(j, stored.as_deref()))
            });
            if let Some(unseen) = unseen.flatten() {
                jobs.elsewhere.try_set(unseen);
            }
        });
        on_cleanup(move || {
            leaving.remove();
            other_tab.remove();
        });
        jobs
    }

    /// False once the app instance that owns this list has been unmounted: every loop
    /// and timer checks it after each wait and ends.
    fn alive(&self) -> bool {
        self.config.try_with_value(|_| ()).is_some()
    }

    fn tick(&self) {
        let this = *self;
        spawn_local(async move {
            loop {
                browser::sleep(1_000).await;
                if this.now.try_set(browser::now_ms()).is_some() {
                    break;
                }
            }
        });
    }

    /// The signals of one job's row.
    pub fn row(&self, id: &JobId) -> Option<Row> {
        self.rows.with_value(|r| r.get(id).cloned())
    }

    /// After jobs came or went: a row for every job in the journal (and none for the
    /// others), and the order of the list.
    fn list_changed(&self) {
        let Some(mut order) = self.journal.try_with_value(|j| {
            self.rows.update_value(|rows| {
                let ids: HashSet<&JobId> = j.jobs.iter().map(|job| &job.id).collect();
                rows.retain(|id, _| ids.contains(id));
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
        order.sort_by_key(|(created, _)| std::cmp::Reverse(*created));
        self.order
            .try_set(order.into_iter().map(|(_, id)| id).collect());
        self.outcomes.notify();
    }

    /// Keeps a file's bytes for its job (or lets them go), and tells its row.
    fn keep_file(&self, id: &JobId, blob: Option<FileBlob>) {
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
    fn save(&self) {
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
        let problem = saved
            .err()
            .map(|detail| JournalProblem::NotSaved { detail }.to_string());
        self.save_problem.try_set(problem);
    }

    /// Saves a progress-only change within a few seconds, with whatever else changes
    /// meanwhile, rather than writing the whole journal on every count.
    fn save_soon(&self) {
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
    fn change(
        &self,
        id: &JobId,
        transition: impl FnOnce(&mut Job) -> Result<(), IllegalTransition>,
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
            if let Some(row) = self.row(id) {
                row.job.set(job.clone());
            }
            if job.only_progress_changed_from(was) {
                self.save_soon();
            } else {
                self.save();
            }
            if job.state != was.state {
                self.outcomes.notify();
            }
            let reason = || job.sentence(browser::now_ms());
            for event in host_events::job_changed(&was.state, was.progress.as_ref(), job, reason) {
                self.host.emit(event);
            }
        }
        after
    }

    fn say(&self, job: &Job) {
        self.announcer.say(format!(
            "“{}”: {}",
            job.file_name,
            job.sentence(browser::now_ms())
        ));
    }

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
        self.journal.with_value(|j| {
            j.jobs.iter().any(|job| {
                matches!(
                    job.state,
                    JobState::Queued | JobState::Sending { .. } | JobState::WaitingToRetry { .. }
                )
            })
        })
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
        self.announcer.say("The list of submissions was cleared.");
    }

    fn forget(&self, ids: &[JobId]) {
        if ids.is_empty() {
            return;
        }
        self.sharing.try_update_value(|s| s.forget(ids));
        self.files
            .update_value(|f| f.retain(|id, _| !ids.contains(id)));
        self.responses
            .update(|r| r.retain(|id, _| !ids.contains(id)));
        self.notices.update(|n| n.retain(|id, _| !ids.contains(id)));
    }
}
