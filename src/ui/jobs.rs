//! The job list of one app instance: every file handed over for sending, what became of
//! it, and the I/O that moves each job along (upload, retry timers, polling, stop,
//! response file). The rules live in `mass_updater_domain::{job, journal, retry,
//! polling, response_file}`; this module applies their transitions, saves the journal
//! after each one, and performs the requests they call for.
//!
//! File bytes are never stored: the blobs live in memory only, so after a reload a job
//! caught mid-send cannot be re-sent and becomes "unknown: check Zuora" (the domain's
//! `recover_after_reload`). Handing the same file over again reuses its key.

use super::{Announcer, Host};
use crate::config::Config;
use crate::platform::{browser, download, file_reader, http, storage};
use leptos::prelude::*;
use leptos::task::spawn_local;
use mass_updater_domain::multipart::{gzip, multipart};
use mass_updater_domain::wording::jobs::{
    confirm_clear_all_sentence, confirm_send_again_sentence, confirm_stop_sentence, job_sentence,
    stop_failed_sentence,
};
use mass_updater_domain::FileKind;
use mass_updater_domain::{
    next_poll_delay, output_url_to_proxy_path, params_json, read_submit_reply, response_file_name,
    resubmit_file_name, AcceptedFile, ActionType, Batch, IdempotencyKey, IllegalTransition, Job,
    JobId, JobState, Journal, JournalProblem, MassActionResult, ResponseFileError, ResponseSummary,
    RetryPolicy, SendAgain, TrackId, JOURNAL_STAMP_KEY, JOURNAL_STORAGE_KEY,
};
use send_wrapper::SendWrapper;
use std::collections::{HashMap, HashSet};
use std::sync::Arc;

/// A file's bytes, kept in memory while its job may still need them.
pub type FileBlob = SendWrapper<web_sys::Blob>;

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

/// A response file as far as it has been fetched and read.
#[derive(Clone, Debug, PartialEq)]
pub enum ResponseState {
    Loading,
    Ready {
        summary: ResponseSummary,
        zip: Arc<Vec<u8>>,
    },
    Failed(String),
}

/// A file waiting for the user to confirm sending it under a new key.
#[derive(Clone)]
struct PendingSubmit {
    blob: FileBlob,
    accepted: AcceptedFile,
    action_type: ActionType,
    batch: Option<Batch>,
}

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
    /// Jobs this list dropped (removed, cleared, or past the size bound): a save over
    /// what another tab stored must not bring them back.
    forgotten: StoredValue<HashSet<JobId>>,
    /// The stamp this list's last save wrote (or found at loading), and whether that
    /// save kept jobs from another tab: see `save`.
    last_stamp: StoredValue<Option<String>>,
    kept_theirs: StoredValue<bool>,
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
            forgotten: StoredValue::new(HashSet::new()),
            last_stamp: StoredValue::new(storage::load(JOURNAL_STAMP_KEY).ok().flatten()),
            kept_theirs: StoredValue::new(false),
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
            let unseen = jobs.forgotten.try_with_value(|forgotten| {
                jobs.journal
                    .try_with_value(|j| j.unseen_in(stored.as_deref(), forgotten))
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

    /// Writes the journal. Other tabs of the app (or other instances on the page) keep
    /// their own lists under the same key, so the journal is written over what is stored
    /// now and their jobs stay (`Journal::save_over`). Reading the stored list back costs
    /// a few milliseconds for a long one; it is skipped when the stamp is still the one
    /// this list wrote (nobody else saved since) and that save kept nothing of theirs.
    fn save(&self) {
        self.save_due.try_set_value(false);
        let stamp = storage::load(JOURNAL_STAMP_KEY).ok().flatten();
        let alone = stamp.is_some()
            && self.last_stamp.try_with_value(|last| *last == stamp) == Some(true)
            && self.kept_theirs.try_get_value() == Some(false);
        let text = if alone {
            self.journal.try_with_value(Journal::save)
        } else {
            let stored = storage::load(JOURNAL_STORAGE_KEY).ok().flatten();
            let merged = self.forgotten.try_with_value(|forgotten| {
                self.journal
                    .try_with_value(|j| j.save_over(stored.as_deref(), forgotten))
            });
            merged.flatten().map(|m| {
                self.kept_theirs.try_set_value(m.kept_theirs);
                m.text
            })
        };
        let Some(text) = text else {
            return;
        };
        let new_stamp = format!("{:032x}", u128::from_le_bytes(browser::random_bytes()));
        let saved = storage::save(JOURNAL_STORAGE_KEY, &text)
            .and_then(|()| storage::save(JOURNAL_STAMP_KEY, &new_stamp));
        if saved.is_ok() {
            self.last_stamp.try_set_value(Some(new_stamp));
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
            self.tell_host(&was.state, was.progress.as_ref(), job);
        }
        after
    }

    /// The host page hears when Zuora takes a file, when its status changes, and how
    /// it ends (see README, "Host events").
    fn tell_host(
        &self,
        was: &JobState,
        was_progress: Option<&mass_updater_domain::job::Progress>,
        job: &Job,
    ) {
        use serde_json::json;
        // Built only for an event that is sent (most changes are a new count).
        let base = || {
            json!({
                "jobId": job.id.as_str(),
                "fileName": job.file_name,
                "actionType": job.action_type.api_name(),
                "bulkKey": job.bulk_key.as_ref().map(|k| k.to_string()),
                "idempotencyKey": job.idempotency_key.to_string(),
                "trackId": job.track_id.to_string(),
                "batch": job.batch.as_ref().map(|b| b.label.clone()),
            })
        };
        let with = |extra: serde_json::Value| {
            let mut detail = base();
            if let (Some(d), Some(e)) = (detail.as_object_mut(), extra.as_object()) {
                d.extend(e.clone());
            }
            detail
        };
        let following = |s: &JobState| matches!(s, JobState::Following { .. });
        if following(&job.state) && !following(was) && job.bulk_key.is_some() {
            self.host.emit("submitted", base());
        }
        let status = job.progress.as_ref().map(|p| p.status.as_str());
        if status.is_some() && status != was_progress.map(|p| p.status.as_str()) {
            let p = job.progress.as_ref();
            self.host.emit(
                "status-changed",
                with(json!({
                    "status": status,
                    "totalCount": p.and_then(|p| p.total_count),
                    "processedCount": p.and_then(|p| p.processed_count),
                    "successCount": p.and_then(|p| p.success_count),
                    "errorCount": p.and_then(|p| p.error_count),
                })),
            );
        }
        if job.state.name() == was.name() {
            return;
        }
        match &job.state {
            JobState::Completed | JobState::Stopped => self.host.emit(
                "completed",
                with(json!({
                    "status": job.state.name(),
                    "successCount": job.progress.as_ref().and_then(|p| p.success_count),
                    "errorCount": job.progress.as_ref().and_then(|p| p.error_count),
                })),
            ),
            JobState::Failed | JobState::Refused { .. } | JobState::Unknown { .. } => {
                self.host.emit(
                    "failed",
                    with(json!({
                        "state": job.state.name(),
                        "reason": job_sentence(job, browser::now_ms()),
                    })),
                )
            }
            _ => {}
        }
    }

    fn say(&self, job: &Job) {
        self.announcer.say(format!(
            "“{}”: {}",
            job.file_name,
            job_sentence(job, browser::now_ms())
        ));
    }

    /// Takes a checked file and queues it as `action_type`. Sent at once when a slot is
    /// free.
    pub fn enqueue(
        &self,
        file: SendWrapper<web_sys::File>,
        accepted: AcceptedFile,
        action_type: ActionType,
    ) {
        let blob: web_sys::Blob = file.take().into();
        self.enqueue_blob(SendWrapper::new(blob), accepted, action_type, None);
    }

    /// Queues the parts of one file split in several, each its own job, as one batch.
    pub fn enqueue_batch(
        &self,
        parts: Vec<(FileBlob, AcceptedFile)>,
        action_type: ActionType,
        label: String,
    ) {
        let batch = Batch {
            id: JobId::from_random_bytes(browser::random_bytes()).to_string(),
            label,
        };
        for (blob, accepted) in parts {
            self.enqueue_blob(blob, accepted, action_type, Some(batch.clone()));
        }
    }

    /// The latest job for this file and action type.
    fn latest_for(&self, accepted: &AcceptedFile, action_type: ActionType) -> Option<Job> {
        self.journal.with_value(|j| {
            j.jobs
                .iter()
                .filter(|job| job.is_for(accepted, action_type))
                .max_by_key(|job| job.created_ms)
                .cloned()
        })
    }

    pub fn enqueue_blob(
        &self,
        blob: FileBlob,
        accepted: AcceptedFile,
        action_type: ActionType,
        batch: Option<Batch>,
    ) {
        let now = browser::now_ms();
        match self.latest_for(&accepted, action_type) {
            // Zuora may have it: the same key makes the resend safe.
            Some(last) if last.send_again(now) == Some(SendAgain::SameKey) => {
                if let Some(job) = self.change(&last.id, |job| job.send_again_same_key(now)) {
                    self.keep_file(&job.id, Some(blob));
                    self.say(&job);
                    self.pump();
                }
            }
            Some(last) if last.send_again(now) == Some(SendAgain::NewKeyAfterConfirmation) => {
                self.pending.update_value(|p| {
                    p.push(PendingSubmit {
                        blob,
                        accepted,
                        action_type,
                        batch,
                    })
                });
                self.ask_next_pending();
            }
            _ => self.add_job(blob, &accepted, action_type, batch, None),
        }
    }

    /// A new job with a new key, saved before its request can leave, then the queue
    /// moves.
    fn add_job(
        &self,
        blob: FileBlob,
        accepted: &AcceptedFile,
        action_type: ActionType,
        batch: Option<Batch>,
        resending: Option<&Job>,
    ) {
        let now = browser::now_ms();
        let key = IdempotencyKey::from_random_bytes(browser::random_bytes());
        let track_id = self
            .config
            .with_value(|c| TrackId::for_submission(&c.track_id_prefix.value, &key));
        let id = JobId::from_random_bytes(browser::random_bytes());
        let job = match resending {
            Some(old) => old.resend_with_new_key(id, key, track_id, now),
            None => {
                let job = Job::new(id, accepted, action_type, key, track_id, now);
                Some(match batch {
                    Some(b) => job.in_batch(b),
                    None => job,
                })
            }
        };
        let Some(job) = job else {
            return;
        };
        let mut dropped = Vec::new();
        self.journal.update_value(|j| {
            j.upsert(job.clone());
            dropped = j.enforce_bounds();
        });
        self.forget(&dropped);
        self.list_changed();
        self.keep_file(&job.id, Some(blob));
        self.save();
        self.say(&job);
        self.pump();
    }

    fn ask_next_pending(&self) {
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

    /// Starts every job that may start now: due retries, and queued jobs up to the
    /// concurrency cap.
    fn pump(&self) {
        if !self.alive() {
            return;
        }
        let now = browser::now_ms();
        let cap = self
            .config
            .with_value(|c| c.upload_concurrency.value.max(1) as usize);
        let ids = self.journal.with_value(|j| j.to_start(now, cap));
        for id in ids {
            self.start(id);
        }
    }

    fn start(&self, id: JobId) {
        let now = browser::now_ms();
        let Some(blob) = self.files.with_value(|f| f.get(&id).cloned()) else {
            // Cannot happen in one page's life (files are kept until the job has its
            // answer); if it does, the domain resolves it as it would after a reload.
            self.change(&id, |job| {
                job.recover_after_reload(now, false);
                Ok(())
            });
            return;
        };
        let Some(job) = self.change(&id, |job| job.start_attempt(now)) else {
            return;
        };
        let this = *self;
        spawn_local(async move { this.send(job, blob).await });
    }

    async fn send(self, job: Job, blob: FileBlob) {
        let id = job.id.clone();
        let (url, zuora_headers) = self
            .config
            .with_value(|c| (c.bulk_url(), crate::config::request_headers(c)));
        let params = params_json(job.action_type, &job.checksum);
        let key = job.idempotency_key.to_string();
        let track = job.track_id.to_string();
        let mut headers = vec![
            ("Idempotency-Key", key.as_str()),
            ("Zuora-Track-Id", track.as_str()),
        ];
        headers.extend(http::header_refs(&zuora_headers));
        let progress = self.row(&id).map(|row| row.upload);
        let on_progress = move |sent, total| {
            if let Some(p) = &progress {
                p.set(Some((sent, total)));
            }
        };
        let gzip = self
            .config
            .try_with_value(|c| c.gzip_requests.value)
            .unwrap_or(false);
        let started = if gzip {
            match gzipped_body(&blob, &job.file_name, &params).await {
                Ok((body, content_type)) => {
                    headers.push(("Content-Encoding", "gzip"));
                    http::start_upload(
                        &url,
                        http::UploadBody::Raw {
                            blob: &body,
                            content_type: &content_type,
                        },
                        &headers,
                        on_progress,
                    )
                }
                Err(detail) => Err(http::NoAnswer::Network(detail)),
            }
        } else {
            http::start_upload(
                &url,
                http::UploadBody::Form {
                    file: &blob,
                    file_name: &job.file_name,
                    params: &params,
                },
                &headers,
                on_progress,
            )
        };
        let answer = match started {
            Ok((upload, answer)) => {
                self.uploads.try_update_value(|u| {
                    u.insert(id.clone(), SendWrapper::new(upload));
                });
                answer.await
            }
            Err(e) => Err(e),
        };
        self.uploads.try_update_value(|u| u.remove(&id));
        if let Some(row) = self.row(&id) {
            row.upload.set(None);
        }
        if !self.alive() {
            return;
        }
        let answer = match answer {
            Ok(reply) => Ok(reply),
            Err(http::NoAnswer::Network(detail)) => Err(detail),
            // The user's Cancel already moved the job on.
            Err(http::NoAnswer::Cancelled) => return self.pump(),
        };
        let now = browser::now_ms();
        let random = browser::random_u32();
        let after = self.change(&id, |job| {
            job.record_answer(
                answer.as_ref().map_err(String::as_str),
                &RetryPolicy::default(),
                now,
                random,
            )
        });
        if let Some(job) = after {
            self.say(&job);
            match &job.state {
                JobState::WaitingToRetry { at_ms, .. } => self.wake_at(*at_ms),
                JobState::Following { .. } => {
                    // Accepted: the bytes are no longer needed.
                    self.keep_file(&id, None);
                    self.follow(id);
                }
                _ => {}
            }
        }
        self.pump();
    }

    fn wake_at(&self, at_ms: u64) {
        let this = *self;
        spawn_local(async move {
            browser::sleep(at_ms.saturating_sub(browser::now_ms())).await;
            this.pump();
        });
    }

    /// Polls a followed job until Zuora reports a final status, pausing while the page
    /// is hidden. One loop per job.
    fn follow(&self, id: JobId) {
        let fresh = self
            .followed
            .try_update_value(|s| s.insert(id.clone()))
            .unwrap_or(false);
        if !fresh {
            return;
        }
        let this = *self;
        spawn_local(async move {
            this.poll_until_final(&id).await;
            this.followed.try_update_value(|s| s.remove(&id));
        });
    }

    async fn poll_until_final(&self, id: &JobId) {
        let began = browser::now_ms();
        let mut polls: u32 = 0;
        loop {
            let Some((status, key)) = self
                .journal
                .try_with_value(|j| {
                    let job = j.get(id)?;
                    match (&job.state, &job.bulk_key) {
                        (JobState::Following { status }, Some(key)) => {
                            Some((status.clone(), key.to_string()))
                        }
                        _ => None,
                    }
                })
                .flatten()
            else {
                return;
            };
            let Some((first, max, url, zuora_headers)) = self.config.try_with_value(|c| {
                (
                    c.poll_first_ms.value,
                    c.poll_max_ms.value,
                    format!("{}/{key}", c.bulk_url()),
                    crate::config::request_headers(c),
                )
            }) else {
                return;
            };
            // The domain's schedule, held within the configured bounds.
            let delay = next_poll_delay(polls, browser::now_ms().saturating_sub(began), &status)
                .clamp(first, max.max(first));
            browser::sleep(delay).await;
            while self.alive() && browser::page_hidden() {
                browser::sleep(500).await;
            }
            if !self.alive() {
                return;
            }
            polls = polls.saturating_add(1);
            let headers = http::header_refs(&zuora_headers);
            // A failed poll is simply asked again later, more slowly.
            let Ok(reply) = http::call("GET", &url, &headers).await else {
                continue;
            };
            if reply.status != 200 {
                continue;
            }
            let Ok(result) = MassActionResult::parse(&reply.body) else {
                continue;
            };
            let now = browser::now_ms();
            if let Some(job) = self.change(id, |job| job.record_progress(&result, now)) {
                if job.state.is_finished() {
                    self.say(&job);
                }
            }
        }
    }

    /// Cancel: aborts a request in flight, then the job is cancelled.
    pub fn cancel(&self, id: &JobId) {
        if let Some(upload) = self.uploads.with_value(|u| u.get(id).cloned()) {
            upload.cancel();
        }
        if let Some(job) = self.change(id, |job| job.cancel(browser::now_ms())) {
            self.say(&job);
        }
        self.pump();
    }

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
            SendAgain::SameKey => {
                if let Some(job) = self.change(id, |job| job.send_again_same_key(now)) {
                    self.say(&job);
                    self.pump();
                }
            }
            SendAgain::NewKey => self.resend_new_key(id),
            SendAgain::NewKeyAfterConfirmation => self.ask(Confirmation::SendAgain(id.clone())),
        }
    }

    fn resend_new_key(&self, id: &JobId) {
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

    fn stop(&self, id: &JobId) {
        let now = browser::now_ms();
        let Some(job) = self.change(id, |job| job.request_stop(now)) else {
            return;
        };
        self.notices.update(|n| {
            n.remove(id);
        });
        let Some(key) = job.bulk_key.as_ref().map(|k| k.to_string()) else {
            return;
        };
        let (url, zuora_headers) = self.config.with_value(|c| {
            (
                format!("{}/{key}/stop", c.bulk_url()),
                crate::config::request_headers(c),
            )
        });
        let this = *self;
        let id = id.clone();
        spawn_local(async move {
            let headers = http::header_refs(&zuora_headers);
            let answer = http::call("PUT", &url, &headers).await;
            if !this.alive() {
                return;
            }
            let detail = match &answer {
                Ok(reply) if (200..300).contains(&reply.status) => return,
                Ok(reply) => match read_submit_reply(reply) {
                    Err(e) => match e.reasons().first() {
                        Some(r) => format!("HTTP {}: {}", reply.status, r.message),
                        None => format!("HTTP {}", reply.status),
                    },
                    Ok(_) => format!("HTTP {}", reply.status),
                },
                Err(http::NoAnswer::Network(detail)) => detail.clone(),
                Err(http::NoAnswer::Cancelled) => "cancelled".to_owned(),
            };
            let sentence = stop_failed_sentence(&job.file_name, &detail);
            this.change(&id, |job| job.stop_failed(browser::now_ms()));
            this.notices.update(|n| {
                n.insert(id.clone(), sentence.clone());
            });
            this.announcer.say(sentence);
        });
    }

    /// Fetches the response file through the proxy and reads it.
    pub fn open_response(&self, id: &JobId) {
        let Some(output_url) = self.journal.with_value(|j| {
            j.get(id)
                .and_then(|job| job.progress.as_ref()?.output_url.clone())
        }) else {
            return;
        };
        let (path, zuora_headers) = self.config.with_value(|c| {
            (
                output_url_to_proxy_path(&output_url, &c.api_base.value),
                crate::config::request_headers(c),
            )
        });
        let set = move |this: &Jobs, id: &JobId, state: ResponseState| {
            this.responses.try_update(|r| {
                r.insert(id.clone(), state);
            });
        };
        let path = match path {
            Ok(p) => p,
            Err(e) => return set(self, id, ResponseState::Failed(e.to_string())),
        };
        set(self, id, ResponseState::Loading);
        let this = *self;
        let id = id.clone();
        spawn_local(async move {
            let headers = http::header_refs(&zuora_headers);
            let fetched = http::get_bytes(&path, &headers).await;
            let not_fetched = |detail: String| {
                ResponseState::Failed(ResponseFileError::NotFetched { detail }.to_string())
            };
            let state = match fetched {
                Ok((200, bytes)) => match ResponseSummary::from_zip(&bytes) {
                    Ok(summary) => ResponseState::Ready {
                        summary,
                        zip: Arc::new(bytes),
                    },
                    Err(e) => ResponseState::Failed(e.to_string()),
                },
                Ok((status, _)) => not_fetched(format!("HTTP {status}")),
                Err(http::NoAnswer::Network(detail)) => not_fetched(detail),
                Err(http::NoAnswer::Cancelled) => not_fetched("cancelled".to_owned()),
            };
            set(&this, &id, state);
        });
    }

    pub fn close_response(&self, id: &JobId) {
        self.responses.update(|r| {
            r.remove(id);
        });
    }

    fn job_name(&self, id: &JobId) -> Option<String> {
        self.journal
            .with_value(|j| j.get(id).map(|job| job.file_name.clone()))
    }

    pub fn download_response_zip(&self, id: &JobId) {
        let zip = self.responses.with_untracked(|r| match r.get(id) {
            Some(ResponseState::Ready { zip, .. }) => Some(zip.clone()),
            _ => None,
        });
        if let (Some(zip), Some(name)) = (zip, self.job_name(id)) {
            self.offer(&zip, &response_file_name(&name), "application/zip");
        }
    }

    pub fn download_resubmit_csv(&self, id: &JobId) {
        let csv = self.responses.with_untracked(|r| match r.get(id) {
            Some(ResponseState::Ready { summary, .. }) => Some(summary.resubmit_csv()),
            _ => None,
        });
        if let (Some(csv), Some(name)) = (csv, self.job_name(id)) {
            self.offer(csv.as_bytes(), &resubmit_file_name(&name), "text/csv");
        }
    }

    pub fn export_csv(&self) {
        let text = self.journal.with_value(|j| j.export_csv(browser::now_ms()));
        self.offer(text.as_bytes(), "mass-actions.csv", "text/csv");
    }

    pub fn export_json(&self) {
        let text = self.journal.with_value(Journal::export_json);
        self.offer(text.as_bytes(), "mass-actions.json", "application/json");
    }

    fn offer(&self, bytes: &[u8], name: &str, mime: &str) {
        if let Err(detail) = download::save_bytes(bytes, name, mime) {
            browser::warn(&format!("download of {name} failed: {detail}"));
        }
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
        self.journal
            .with_value(|j| j.jobs.iter().any(|job| job.state.awaits_answer()))
    }

    fn clear_all(&self) {
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
        self.forgotten
            .try_update_value(|f| f.extend(ids.iter().cloned()));
        self.files
            .update_value(|f| f.retain(|id, _| !ids.contains(id)));
        self.responses
            .update(|r| r.retain(|id, _| !ids.contains(id)));
        self.notices.update(|n| n.retain(|id, _| !ids.contains(id)));
    }

    /// What the submit panel should add about sending `accepted` as `action_type`
    /// again, given the earlier jobs for the same file.
    pub fn advice_for(&self, accepted: &AcceptedFile, action_type: ActionType) -> Option<String> {
        // Tracked, so the hint follows the list.
        self.outcomes.track();
        let last = self.journal.with_value(|j| {
            j.jobs
                .iter()
                .filter(|job| job.is_for(accepted, action_type))
                .max_by_key(|job| job.created_ms)
                .cloned()
        })?;
        match last.send_again(browser::now_ms())? {
            SendAgain::SameKey => Some("It goes with the same Idempotency-Key as the last attempt, so Zuora cannot run it twice.".to_owned()),
            SendAgain::NewKeyAfterConfirmation => Some(match last.last_error.as_ref().and_then(|e| e.status()) {
                Some(status) => format!("Careful: the last attempt ended with HTTP {status} and Zuora may have processed it. Check Zuora before sending it again."),
                None => "Careful: Zuora may have processed the last attempt. Check Zuora before sending it again.".to_owned(),
            }),
            SendAgain::NewKey => None,
        }
    }
}

/// The upload body written by the app and gzip-compressed, for `gzipRequests`, with its
/// `Content-Type`.
async fn gzipped_body(
    blob: &web_sys::Blob,
    file_name: &str,
    params: &str,
) -> Result<(web_sys::Blob, String), String> {
    let bytes = file_reader::read_all(blob).await?;
    let file_type = match FileKind::from_name(file_name) {
        Some(FileKind::Zip) => "application/zip",
        _ => "text/csv",
    };
    let body = multipart(
        browser::random_bytes(),
        file_name,
        file_type,
        &bytes,
        params,
    );
    let packed = gzip(&body.bytes);
    Ok((
        download::blob(&packed, "application/octet-stream")?,
        body.content_type,
    ))
}
