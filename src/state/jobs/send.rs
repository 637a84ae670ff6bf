//! Sending: files queued as jobs, each saved before its request leaves, started up to
//! the configured concurrency, uploaded with progress, retried on the domain's schedule
//! with the same Idempotency-Key, and cancelled on request.

use super::{FileBlob, Jobs, PendingSubmit};
use crate::platform::{browser, download, file_reader, http};
use leptos::prelude::*;
use leptos::task::spawn_local;
use mass_updater_domain::multipart::{gzip, multipart};
use mass_updater_domain::{
    params_json, AcceptedFile, ActionType, Batch, BrowserError, FileKind, HttpReply,
    IdempotencyKey, Job, JobId, JobState, NoAnswer, RetryPolicy, SendAgain, TrackId,
};
use send_wrapper::SendWrapper;

impl Jobs {
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
                self.requeue_same_key(&last.id, Some(blob));
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
    pub(super) fn add_job(
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
        let this = *self;
        self.with_sending_lock(&job.id.clone(), move || {
            let mut dropped = Vec::new();
            this.journal.update_value(|j| {
                j.upsert(job.clone());
                dropped = j.enforce_bounds();
            });
            this.forget(&dropped);
            this.list_changed();
            this.keep_file(&job.id, Some(blob));
            this.save();
            this.say(&job);
            this.start_due_jobs();
        });
    }

    /// Queues an ended job again under its key (Zuora cannot run it twice), with its
    /// file (`blob`, when handed over again), once this tab holds its sending lock.
    pub(super) fn requeue_same_key(&self, id: &JobId, blob: Option<FileBlob>) {
        let (this, id) = (*self, id.clone());
        self.with_sending_lock(&id.clone(), move || {
            if let Some(blob) = blob {
                this.keep_file(&id, Some(blob));
            }
            let now = browser::now_ms();
            if let Some(job) = this.change(&id, |job| job.send_again_same_key(now)) {
                this.say(&job);
                this.start_due_jobs();
            }
        });
    }

    /// Starts every job that may start now: due retries, and queued jobs up to the
    /// concurrency cap.
    pub(super) fn start_due_jobs(&self) {
        if !self.alive() {
            return;
        }
        let now = browser::now_ms();
        let cap = self
            .config
            .with_value(|c| c.upload_concurrency.value.max(1) as usize);
        let ids = self
            .journal
            .with_value(|j| j.to_start(now, cap, |id| self.has_file(id)));
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
        let answer = self.upload(&job, &blob).await;
        self.uploads.try_update_value(|u| u.remove(&id));
        if let Some(row) = self.row(&id) {
            row.upload.set(None);
        }
        if !self.alive() {
            return;
        }
        let answer = match answer {
            Ok(reply) => Ok(reply),
            // The user's Cancel already moved the job on.
            Err(NoAnswer::Cancelled) => return self.start_due_jobs(),
            Err(why) => Err(why.to_string()),
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
        self.start_due_jobs();
    }

    /// Uploads a job's file (its upload can be cancelled meanwhile) and gives Zuora's
    /// answer, or why there is none.
    async fn upload(&self, job: &Job, blob: &FileBlob) -> Result<HttpReply, NoAnswer> {
        let params = params_json(job.action_type, &job.checksum);
        let key = job.idempotency_key.to_string();
        let track = job.track_id.to_string();
        let mut headers = vec![
            ("Idempotency-Key", key.as_str()),
            ("Zuora-Track-Id", track.as_str()),
        ];
        let progress = self.row(&job.id).map(|row| row.upload);
        let on_progress = move |sent, total| {
            if let Some(p) = &progress {
                p.set(Some((sent, total)));
            }
        };
        let gzip = self
            .config
            .try_with_value(|c| c.gzip_requests.value)
            .unwrap_or(false);
        let (upload, answer) = if gzip {
            let (body, content_type) = gzipped_body(blob, &job.file_name, &params)
                .await
                .map_err(|e| NoAnswer::Network { detail: e.detail })?;
            headers.push(("Content-Encoding", "gzip"));
            let body = http::UploadBody::Raw {
                blob: &body,
                content_type: &content_type,
            };
            self.zuora.submit(body, &headers, on_progress)?
        } else {
            let body = http::UploadBody::Form {
                file: blob,
                file_name: &job.file_name,
                params: &params,
            };
            self.zuora.submit(body, &headers, on_progress)?
        };
        self.uploads.try_update_value(|u| {
            u.insert(job.id.clone(), SendWrapper::new(upload));
        });
        answer.await
    }

    fn wake_at(&self, at_ms: u64) {
        let this = *self;
        spawn_local(async move {
            browser::sleep(at_ms.saturating_sub(browser::now_ms())).await;
            this.start_due_jobs();
        });
    }

    /// Cancel: aborts a request in flight, then the job is cancelled.
    pub fn cancel(&self, id: &JobId) {
        if let Some(upload) = self.uploads.with_value(|u| u.get(id).cloned()) {
            upload.cancel();
        }
        if let Some(job) = self.change(id, |job| job.cancel(browser::now_ms())) {
            self.say(&job);
        }
        self.start_due_jobs();
    }
}

/// The upload body written by the app and gzip-compressed, for `gzipRequests`, with its
/// `Content-Type`.
async fn gzipped_body(
    blob: &web_sys::Blob,
    file_name: &str,
    params: &str,
) -> Result<(web_sys::Blob, String), BrowserError> {
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
