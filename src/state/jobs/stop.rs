//! Stopping a mass action the user confirmed stopping; a refused stop is said in the
//! job's row and the Stop button comes back.

use super::Jobs;
use crate::platform::{browser, http};
use leptos::prelude::*;
use leptos::task::spawn_local;
use mass_updater_domain::wording::jobs::stop_failed_sentence;
use mass_updater_domain::{read_submit_reply, JobId};

impl Jobs {
    pub(super) fn stop(&self, id: &JobId) {
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
        let this = *self;
        let id = id.clone();
        spawn_local(async move {
            let answer = this.zuora.stop(&key).await;
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
}
