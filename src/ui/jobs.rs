//! The job list of one app instance: every file handed over for sending, and what became
//! of it. The workbench hands files over with [`Jobs::enqueue`]; the results table shows
//! [`Jobs::submissions`].

use super::Announcer;
use crate::config::Config;
use crate::platform::{browser, http};
use leptos::prelude::*;
use leptos::task::spawn_local;
use mass_updater_domain::{
    params_json, read_submit_reply, AcceptedFile, ActionType, IdempotencyKey, Outcome, Submission,
    SubmitError, TrackId,
};
use send_wrapper::SendWrapper;

#[derive(Clone, Copy)]
pub struct Jobs {
    config: StoredValue<Config>,
    /// Newest first.
    pub submissions: RwSignal<Vec<Submission>>,
    announcer: Announcer,
}

impl Jobs {
    pub fn new(config: Config, announcer: Announcer) -> Jobs {
        Jobs {
            config: StoredValue::new(config),
            submissions: RwSignal::new(Vec::new()),
            announcer,
        }
    }

    /// Takes a checked file and sends it as `action_type`.
    pub fn enqueue(
        &self,
        file: SendWrapper<web_sys::File>,
        accepted: AcceptedFile,
        action_type: ActionType,
    ) {
        let key = self
            .submissions
            .with_untracked(|list| {
                list.iter()
                    .find_map(|last| last.key_to_reuse(&accepted, action_type))
                    .cloned()
            })
            .unwrap_or_else(|| IdempotencyKey::from_random_bytes(browser::random_bytes()));
        let track_id = self
            .config
            .with_value(|c| TrackId::for_submission(&c.track_id_prefix.value, &key));
        let submission = Submission {
            file_name: accepted.name.clone(),
            size: accepted.size,
            checksum: accepted.checksum.clone(),
            action_type,
            idempotency_key: key.clone(),
            track_id: track_id.clone(),
            sent_at_ms: browser::now_ms(),
            outcome: Outcome::Sending,
        };
        let sent_at = submission.sent_at_ms;
        self.submissions.update(|list| list.insert(0, submission));
        self.announcer.say(format!(
            "Sending “{}” as {}…",
            accepted.name,
            action_type.label()
        ));

        let this = *self;
        let (url, zuora_headers) = self
            .config
            .with_value(|c| (c.bulk_url(), c.zuora_headers()));
        let params = params_json(action_type, &accepted.checksum);
        spawn_local(async move {
            let mut headers = vec![
                ("Idempotency-Key", key.as_str()),
                ("Zuora-Track-Id", track_id.as_str()),
            ];
            headers.extend(zuora_headers.iter().map(|(n, v)| (*n, v.as_str())));
            let reply =
                match http::start_upload(&url, &file, &accepted.name, &params, &headers, |_, _| {})
                {
                    Ok((_upload, answer)) => answer.await,
                    Err(e) => Err(e),
                };
            let outcome = match reply {
                Ok(reply) => match read_submit_reply(&reply) {
                    Ok(bulk_key) => Outcome::Accepted {
                        bulk_key,
                        request_id: reply.request_id,
                    },
                    Err(error) => Outcome::Failed(error),
                },
                Err(http::NoAnswer::Network(detail)) => {
                    Outcome::Failed(SubmitError::Network { detail })
                }
                Err(http::NoAnswer::Cancelled) => Outcome::Failed(SubmitError::Network {
                    detail: "the upload was cancelled".into(),
                }),
            };
            this.finish(&key, sent_at, &accepted, outcome);
        });
    }

    fn finish(
        &self,
        key: &IdempotencyKey,
        sent_at: u64,
        accepted: &AcceptedFile,
        outcome: Outcome,
    ) {
        let message = match &outcome {
            Outcome::Accepted { bulk_key, .. } => {
                format!("Zuora accepted “{}”. Bulk key {bulk_key}.", accepted.name)
            }
            Outcome::Failed(error) => format!("“{}” was not accepted. {error}", accepted.name),
            Outcome::Sending => String::new(),
        };
        self.submissions.update(|list| {
            if let Some(s) = list
                .iter_mut()
                .find(|s| &s.idempotency_key == key && s.sent_at_ms == sent_at)
            {
                s.outcome = outcome;
            }
        });
        self.announcer.say(message);
    }

    /// What the submit panel should add about sending `accepted` as `action_type`
    /// again, given the earlier jobs for the same file.
    pub fn advice_for(&self, accepted: &AcceptedFile, action_type: ActionType) -> Option<String> {
        use mass_updater_domain::ResendAdvice;
        let advice = self.submissions.with(|list| {
            list.iter()
                .find_map(|s| s.resend_advice(accepted, action_type))
        })?;
        Some(match advice {
            ResendAdvice::SameKey => "It goes with the same Idempotency-Key as the last attempt, so Zuora cannot run it twice.".to_owned(),
            ResendAdvice::CheckZuoraFirst { status } => format!(
                "Careful: the last attempt ended with HTTP {status} and Zuora may have processed it. Check Zuora before sending it again."
            ),
        })
    }
}
