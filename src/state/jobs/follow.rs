//! Following a mass action Zuora accepted: polling its status until it ends, on the
//! domain's schedule within the configured bounds, paused while the page is hidden.

use super::Jobs;
use crate::platform::browser;
use leptos::prelude::*;
use leptos::task::spawn_local;
use mass_updater_domain::{next_poll_delay, JobId, JobState, MassActionResult, MassActionStatus};

impl Jobs {
    /// Polls a followed job until Zuora reports a final status, pausing while the page
    /// is hidden. One loop per job.
    pub(super) fn follow(&self, id: JobId) {
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
        while let Some((status, key)) = self.still_followed(id) {
            let Some(delay) = self.config.try_with_value(|c| {
                // The domain's schedule, held within the configured bounds.
                let (first, max) = (c.poll_first_ms.value, c.poll_max_ms.value);
                next_poll_delay(polls, browser::now_ms().saturating_sub(began), &status)
                    .clamp(first, max.max(first))
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
        let reply = self.zuora.mass_action(bulk_key).await.ok()?;
        if reply.status != 200 {
            return None;
        }
        MassActionResult::parse(&reply.body).ok()
    }
}
