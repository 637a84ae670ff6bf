//! Following a mass action Zuora accepted: polling its status until it ends, on the
//! domain's schedule within the configured bounds (each delay jittered, a few polls in
//! flight at most), paused while the page is hidden. Of the tabs that show a job, the
//! one holding its following lock polls it; the others show what that one saves.

use super::Jobs;
use crate::platform::{browser, locks, storage};
use leptos::prelude::*;
use leptos::task::spawn_local;
use mass_updater_domain::{
    following_lock, jittered, next_poll_delay, JobId, JobState, MassActionResult, MassActionStatus,
    JOURNAL_STORAGE_KEY, MAX_POLLS_IN_FLIGHT,
};

impl Jobs {
    /// Polls a followed job until Zuora reports a final status, once this tab holds its
    /// following lock (at once, unless another tab polls it). One loop per job.
    pub(super) fn follow(&self, id: JobId) {
        let fresh = self
            .followed
            .try_update_value(|s| s.insert(id.clone()))
            .unwrap_or(false);
        if !fresh {
            return;
        }
        let pending = locks::request(&following_lock(&id), self.zuora.signal().as_ref());
        let this = *self;
        spawn_local(async move {
            // Without Web Locks, every tab polls.
            let mut held = None;
            if let Some(pending) = pending {
                // Nothing comes when the wait is aborted: the app was unmounted.
                held = pending.granted().await;
                if held.is_none() {
                    return;
                }
                // The tab that polled before may have saved an ending since.
                this.take_in(storage::load(JOURNAL_STORAGE_KEY).ok().flatten());
            }
            this.poll_until_final(&id).await;
            this.followed.try_update_value(|s| s.remove(&id));
            drop(held);
        });
    }

    async fn poll_until_final(&self, id: &JobId) {
        let began = browser::now_ms();
        let mut polls: u32 = 0;
        while let Some((status, key)) = self.still_followed(id) {
            let Some(delay) = self.config.try_with_value(|c| {
                // The domain's schedule, held within the configured bounds.
                let (first, max) = (c.poll_first_ms.value, c.poll_max_ms.value);
                let delay =
                    next_poll_delay(polls, browser::now_ms().saturating_sub(began), &status)
                        .clamp(first, max.max(first));
                jittered(delay, browser::random_u32())
            }) else {
                return;
            };
            browser::sleep(delay).await;
            while self.alive() && browser::page_hidden() {
                browser::sleep(500).await;
            }
            if !self.alive() {
                return;
            }
            polls = polls.saturating_add(1);
            // A failed poll is simply asked again later, more slowly.
            if let Some(result) = self.poll(&key).await {
                let now = browser::now_ms();
                if let Some(job) = self.change(id, |job| job.record_progress(&result, now)) {
                    if job.state.is_finished() {
                        self.say(&job);
                    }
                }
            }
        }
    }

    /// The status and bulk key of a job still being followed.
    fn still_followed(&self, id: &JobId) -> Option<(MassActionStatus, String)> {
        self.journal
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
    }

    /// The mass action's status as Zuora reports it now, when it answers readably.
    async fn poll(&self, bulk_key: &str) -> Option<MassActionResult> {
        while self.polls_in_flight.try_get_value()? >= MAX_POLLS_IN_FLIGHT {
            browser::sleep(jittered(200, browser::random_u32())).await;
        }
        self.polls_in_flight.update_value(|n| *n += 1);
        let reply = self.zuora.mass_action(bulk_key).await;
        self.polls_in_flight
            .try_update_value(|n| *n = n.saturating_sub(1));
        let reply = reply.ok()?;
        if reply.status != 200 {
            return None;
        }
        MassActionResult::parse(&reply.body).ok()
    }
}
