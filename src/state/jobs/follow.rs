//! Following a mass action Zuora accepted: polling its status until it ends, on the
//! domain's schedule within the configured bounds, paused while the page is hidden.

use super::Jobs;
use crate::platform::{browser, http};
use leptos::prelude::*;
use leptos::task::spawn_local;
use mass_updater_domain::{next_poll_delay, JobId, JobState, MassActionResult};

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
}
