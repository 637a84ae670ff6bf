//! Stopping a mass action the user confirmed stopping; a refused stop is said in the
//! job's row and the Stop button comes back.

use super::Jobs;
use crate::platform::browser;
use leptos::prelude::*;
use leptos::task::spawn_local;
use mass_updater_domain::wording::jobs::stop_failed_sentence;
use mass_updater_domain::{read_stop_reply, JobId, StopError};

impl Jobs {
    pub(super) fn stop(&self, id: &JobId) {
        let now = browser::now_ms();
        let Some(job) = self.change(id, |job| job.request_stop(now)) else {
            return;
        };
        self.failed_stops.update(|n| {
            n.remove(id);
        });
        let Some(key) = job.bulk_key.as_ref().map(|k| k.to_string()) else {
            return;
        };
        let this = *self;
        let id = id.clone();
        spawn_local(async move {
            let answer = this.zuora.stop(&key).await;
            if !this.alive() {
                return;
            }
            let failure = match &answer {
                Ok(reply) => read_stop_reply(reply),
                Err(why) => Some(StopError::NoAnswer(why.clone())),
            };
            let Some(failure) = failure else {
                return;
            };
            this.announcer
                .say(stop_failed_sentence(&job.file_name, &failure));
            this.change(&id, |job| job.stop_failed(browser::now_ms()));
            this.failed_stops.update(|n| {
                n.insert(id.clone(), failure);
            });
        });
    }
}
