//! Following a mass action Zuora accepted: polling its status until it ends, on the
//! domain's schedule within the configured bounds (each delay jittered, a few polls in
//! flight at most). Of the tabs that show a job, the one holding its following lock
//! polls it; the others show what that one saves. A hidden tab lets the lock go
//! (another tab takes over) and asks for it again once it is shown.

use super::Jobs;
use crate::platform::{browser, locks};
use leptos::prelude::*;
use leptos::task::spawn_local;
use mass_updater_domain::{
    following_lock, jittered, next_poll_delay, JobId, JobState, MassActionResult, MassActionStatus,
    MAX_POLLS_IN_FLIGHT,
};

/// Why polling a job stopped in this tab.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Paused {
    /// The job ended (or is no longer followed).
    Ended,
    /// The page was hidden.
    Hidden,
}

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
        let this = *self;
        spawn_local(async move {
            // A hidden tab stops polling and lets another tab take the job over; it
            // asks for the job again once it is shown.
            while this.follow_while_shown(&id).await == Some(Paused::Hidden) {
                while this.alive() && browser::page_hidden() {
                    browser::sleep(500).await;
                }
            }
            this.followed.try_update_value(|s| s.remove(&id));
        });
    }

    /// Polls job `id` once this tab holds its following lock (at once without Web
    /// Locks: then every tab polls), until it ends or the page is hidden. `None` once
    /// unmounted.
    async fn follow_while_shown(&self, id: &JobId) -> Option<Paused> {
        let mut held = None;
        if let Some(pending) = locks::request(&following_lock(id), self.zuora.signal().as_ref()) {
            // Nothing comes when the wait is aborted: the app was unmounted.
            held = Some(pending.granted().await?);
            // The tab that polled before may have saved an ending since.
            self.take_in_stored();
        }
        let paused = self.poll_until_final(id).await;
        drop(held);
        paused
    }

    async fn poll_until_final(&self, id: &JobId) -> Option<Paused> {
        let began = browser::now_ms();
        let mut polls: u32 = 0;
        while let Some((status, key)) = self.still_followed(id) {
            let delay = self.config.try_with_value(|c| {
                // The domain's schedule, held within the configured bounds.
                let (first, max) = (c.poll_first_ms.value, c.poll_max_ms.value);
                let delay =
                    next_poll_delay(polls, browser::now_ms().saturating_sub(began), &status)
                        .clamp(first, max.max(first));
                jittered(delay, browser::random_u32())
            })?;
            browser::sleep(delay).await;
            if !self.alive() {
                return None;
            }
            if browser::page_hidden() {
                return Some(Paused::Hidden);
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
        Some(Paused::Ended)
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
