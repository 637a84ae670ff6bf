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
mod list;
mod resend;
mod response;
mod saving;
mod send;
mod stop;
mod tabs;
mod values;

pub(crate) use response::fetch_response;
pub use response::{save_response_zip, save_resubmit_csv};
pub use values::{FileBlob, ResponseState, Row};

use super::{Announcer, Host};
use crate::config::Config;
use crate::platform::zuora::Zuora;
use crate::platform::{browser, http, storage};
use leptos::prelude::*;
use leptos::task::spawn_local;
use mass_updater_domain::team::TeamJob;
use mass_updater_domain::{
    Confirmation, Job, JobId, Journal, JournalProblem, JournalSharing, StopError,
    JOURNAL_STAMP_KEY, JOURNAL_STORAGE_KEY,
};
use send_wrapper::SendWrapper;
use std::collections::{HashMap, HashSet};
use values::PendingSubmit;

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
    order: RwSignal<Vec<JobId>>,
    /// Notified when a job's state changes or jobs come or go (not on a new count).
    outcomes: Trigger,
    /// A progress-only change is waiting to be saved.
    save_due: StoredValue<bool>,
    /// Why the saved list could not be (fully) read at start-up.
    load_problem: RwSignal<Option<JournalProblem>>,
    /// Why the last save failed, until one succeeds.
    save_problem: RwSignal<Option<JournalProblem>>,
    /// The files still at hand, by job.
    files: StoredValue<HashMap<JobId, FileBlob>>,
    uploads: StoredValue<HashMap<JobId, SendWrapper<http::Upload>>>,
    /// Jobs with a poll loop running (or waiting for their following lock).
    followed: StoredValue<HashSet<JobId>>,
    /// The Web Locks this tab holds, or has asked for, on the jobs it is sending.
    holds: StoredValue<values::Holds>,
    /// Jobs another tab is sending, whose sending lock this tab waits for.
    watched: StoredValue<HashSet<JobId>>,
    /// Status polls in flight now.
    polls_in_flight: StoredValue<usize>,
    /// What this list keeps in mind to share the stored journal with other tabs.
    sharing: StoredValue<JournalSharing>,
    /// Stops that did not go through, by job, until the next one is asked.
    failed_stops: RwSignal<HashMap<JobId, StopError>>,
    responses: RwSignal<HashMap<JobId, ResponseState>>,
    confirm: RwSignal<Option<Confirmation>>,
    pending: StoredValue<Vec<PendingSubmit>>,
    /// The clock, once a second, for "retrying in 4 s".
    now: RwSignal<u64>,
    announcer: Announcer,
    host: Host,
}

impl Jobs {
    /// Loads the saved journal, resolves jobs a reload interrupted, and resumes
    /// following the unfinished ones.
    pub fn new(
        config: StoredValue<Config>,
        zuora: Zuora,
        announcer: Announcer,
        host: Host,
    ) -> Jobs {
        let now = browser::now_ms();
        let (journal, problem) = match storage::load(JOURNAL_STORAGE_KEY) {
            Ok(text) => Journal::load(text.as_deref()),
            Err(why) => (
                Journal::new(),
                Some(JournalProblem::Corrupt {
                    detail: why.to_string(),
                }),
            ),
        };
        let jobs = Jobs {
            config,
            zuora,
            journal: StoredValue::new(journal),
            rows: StoredValue::new(HashMap::new()),
            order: RwSignal::new(Vec::new()),
            outcomes: Trigger::new(),
            save_due: StoredValue::new(false),
            load_problem: RwSignal::new(problem),
            save_problem: RwSignal::new(None),
            files: StoredValue::new(HashMap::new()),
            uploads: StoredValue::new(HashMap::new()),
            followed: StoredValue::new(HashSet::new()),
            holds: StoredValue::new(HashMap::new()),
            watched: StoredValue::new(HashSet::new()),
            polls_in_flight: StoredValue::new(0),
            sharing: StoredValue::new(JournalSharing::new(
                storage::load(JOURNAL_STAMP_KEY).ok().flatten(),
            )),
            failed_stops: RwSignal::new(HashMap::new()),
            responses: RwSignal::new(HashMap::new()),
            confirm: RwSignal::new(None),
            pending: StoredValue::new(Vec::new()),
            now: RwSignal::new(now),
            announcer,
            host,
        };
        jobs.list_changed();
        // No file survives a reload: a job that awaits an answer is another live tab's,
        // or was caught sending when its tab closed; `watch` finds out which.
        let (to_follow, to_watch): (Vec<JobId>, Vec<JobId>) = jobs.journal.with_value(|j| {
            let ids =
                |jobs: &mut dyn Iterator<Item = &Job>| jobs.map(|job| job.id.clone()).collect();
            let awaiting = &mut j.jobs.iter().filter(|job| job.state.awaits_answer());
            (ids(&mut j.to_follow()), ids(awaiting))
        });
        for id in to_watch {
            jobs.watch(id);
        }
        for id in to_follow {
            jobs.follow(id);
        }
        jobs.tick();
        jobs.listen_to_the_page();
        jobs
    }

    /// Saves a count still waiting for its save as the page goes away, and hears when
    /// another tab saved its list; until the app is unmounted.
    fn listen_to_the_page(self) {
        let jobs = self;
        let leaving = window_event_listener(leptos::ev::pagehide, move |_| {
            if jobs.save_due.try_get_value() == Some(true) {
                jobs.save();
            }
        });
        // Another tab saved its list (the event never comes from this tab's own saves).
        let other_tab = window_event_listener(leptos::ev::storage, move |event| {
            if event.key().as_deref() == Some(JOURNAL_STORAGE_KEY) {
                jobs.take_in(event.new_value());
            }
        });
        on_cleanup(move || {
            leaving.remove();
            other_tab.remove();
        });
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
}

/// What the list shows, read through the store (tracked): components read these and
/// change the list only through the store's methods.
impl Jobs {
    /// How many jobs the list holds.
    pub fn count(&self) -> usize {
        self.order.with(Vec::len)
    }

    /// The ids of the newest `n` jobs, newest first.
    pub fn newest(&self, n: usize) -> Vec<JobId> {
        self.order.with(|o| o.iter().take(n).cloned().collect())
    }

    pub fn load_problem(&self) -> Option<JournalProblem> {
        self.load_problem.get()
    }

    pub fn save_problem(&self) -> Option<JournalProblem> {
        self.save_problem.get()
    }

    /// Why the last stop asked for a job did not go through, until another is asked.
    pub fn failed_stop(&self, id: &JobId) -> Option<StopError> {
        self.failed_stops.with(|f| f.get(id).cloned())
    }

    /// A job's response file, as far as it has been fetched and read; `None` when it
    /// is not open.
    pub fn response(&self, id: &JobId) -> Option<ResponseState> {
        self.responses.with(|r| r.get(id).cloned())
    }

    pub fn response_open(&self, id: &JobId) -> bool {
        self.responses.with(|r| r.contains_key(id))
    }

    /// Whether this list holds the mass action of `record`, from the team history:
    /// the same Idempotency-Key is the same job.
    pub fn holds(&self, record: &TeamJob) -> bool {
        self.order.track();
        self.rows.with_value(|rows| {
            rows.values()
                .any(|row| row.job.with_untracked(|job| record.is_same_job(job)))
        })
    }

    /// What the confirmation dialog asks, while it is open.
    pub fn confirm(&self) -> Option<Confirmation> {
        self.confirm.get()
    }

    /// The clock, once a second; `tracked: false` reads it without following it.
    pub fn now(&self, tracked: bool) -> u64 {
        if tracked {
            self.now.get()
        } else {
            self.now.get_untracked()
        }
    }
}
