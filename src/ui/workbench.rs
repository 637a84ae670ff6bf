//! The state of one app instance and the two things a user does to it: hand over a file
//! and submit it. Components read these signals and call these methods; the rules
//! themselves live in `mass_updater_domain`.

use crate::config::Config;
use crate::platform::file_reader::{read_in_chunks, Next, CHUNK_BYTES};
use crate::platform::{browser, http};
use leptos::prelude::*;
use leptos::task::spawn_local;
use mass_updater_domain::{
    params_json, read_submit_reply, AcceptedFile, ActionType, IdempotencyKey, Intake, IntakeError,
    Outcome, Submission, SubmitError, TrackId,
};
use send_wrapper::SendWrapper;

/// The file the user handed over, as far as we know it.
#[derive(Clone, Debug)]
pub enum Picked {
    Reading {
        name: String,
        size: u64,
        read: u64,
    },
    Refused {
        name: String,
        size: u64,
        error: IntakeError,
    },
    Ready {
        file: SendWrapper<web_sys::File>,
        accepted: AcceptedFile,
    },
}

impl Picked {
    /// The file and its verdict, when it passed every check.
    fn ready(&self) -> Option<(SendWrapper<web_sys::File>, AcceptedFile)> {
        match self {
            Picked::Ready { file, accepted } => Some((file.clone(), accepted.clone())),
            _ => None,
        }
    }
}

#[derive(Clone, Copy)]
pub struct Workbench {
    pub config: StoredValue<Config>,
    pub picked: RwSignal<Option<Picked>>,
    pub action_type: RwSignal<Option<ActionType>>,
    /// Newest first.
    pub submissions: RwSignal<Vec<Submission>>,
    pub sending: RwSignal<bool>,
    /// The latest thing worth telling a screen-reader user.
    pub announcement: RwSignal<String>,
    /// Bumped for every new file, so a slow read of an older one is abandoned.
    intake_generation: StoredValue<u64>,
}

impl Workbench {
    pub fn new(config: Config) -> Workbench {
        Workbench {
            config: StoredValue::new(config),
            picked: RwSignal::new(None),
            action_type: RwSignal::new(None),
            submissions: RwSignal::new(Vec::new()),
            sending: RwSignal::new(false),
            announcement: RwSignal::new(String::new()),
            intake_generation: StoredValue::new(0),
        }
    }

    /// Checks a file: name and size at once, then its content and MD5 in one chunked pass.
    pub fn take_file(&self, file: web_sys::File) {
        let this = *self;
        let generation = self.intake_generation.get_value() + 1;
        self.intake_generation.set_value(generation);
        let name = file.name();
        let size = file.size().max(0.0) as u64;
        let limit = self.config.with_value(|c| c.max_file_bytes.value);

        let mut intake = match Intake::start(&name, size, limit) {
            Ok(intake) => intake,
            Err(error) => return self.refuse(name, size, error),
        };
        self.picked.set(Some(Picked::Reading {
            name: name.clone(),
            size,
            read: 0,
        }));
        self.announce(format!("Checking “{name}”…"));

        spawn_local(async move {
            let current = || this.intake_generation.get_value() == generation;
            let mut refusal = None;
            let read = read_in_chunks(&file, CHUNK_BYTES, |chunk| {
                if !current() {
                    return Next::Stop;
                }
                if let Err(e) = intake.feed(chunk) {
                    refusal = Some(e);
                    return Next::Stop;
                }
                let done = intake.bytes_read();
                this.picked.update(|p| {
                    if let Some(Picked::Reading { read, .. }) = p {
                        *read = done;
                    }
                });
                Next::Continue
            })
            .await;
            if !current() {
                return;
            }
            let verdict = match (refusal, read) {
                (Some(error), _) => Err(error),
                (None, Err(detail)) => Err(IntakeError::Unreadable {
                    name: name.clone(),
                    detail,
                }),
                (None, Ok(())) => intake.finish(),
            };
            match verdict {
                Ok(accepted) => {
                    this.announce(format!(
                        "“{}” is ready to submit. MD5 {}.",
                        accepted.name, accepted.checksum
                    ));
                    this.picked.set(Some(Picked::Ready {
                        file: SendWrapper::new(file),
                        accepted,
                    }));
                }
                Err(error) => this.refuse(name, size, error),
            }
        });
    }

    fn refuse(&self, name: String, size: u64, error: IntakeError) {
        self.announce(error.to_string());
        self.picked.set(Some(Picked::Refused { name, size, error }));
    }

    fn announce(&self, message: String) {
        self.announcement.set(message);
    }

    /// The file ready to go, if there is one.
    pub fn ready_file(&self) -> Option<(SendWrapper<web_sys::File>, AcceptedFile)> {
        self.picked.with(|p| p.as_ref().and_then(Picked::ready))
    }

    /// Sends the ready file. Safe to call repeatedly: while one request is in flight,
    /// further calls do nothing, so a double click sends one request.
    pub fn submit(&self) {
        // The flag is read and set synchronously, before any re-render could disable
        // the button, which is what makes a double click harmless.
        if self.sending.get_untracked() {
            return;
        }
        let Some((file, accepted)) = self
            .picked
            .with_untracked(|p| p.as_ref().and_then(Picked::ready))
        else {
            return;
        };
        let Some(action_type) = self.action_type.get_untracked() else {
            return;
        };
        self.sending.set(true);

        let key = self
            .submissions
            .with_untracked(|list| {
                list.first()
                    .and_then(|last| last.key_to_reuse(&accepted, action_type))
                    .cloned()
            })
            .unwrap_or_else(|| IdempotencyKey::from_random_bytes(browser::random_bytes()));
        let track_id = self.track_id_for(&key);
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
        self.announce(format!(
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
            this.finish_submission(&key, sent_at, &accepted, outcome);
        });
    }

    fn finish_submission(
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
        let accepted_now = matches!(outcome, Outcome::Accepted { .. });
        self.submissions.update(|list| {
            if let Some(s) = list
                .iter_mut()
                .find(|s| &s.idempotency_key == key && s.sent_at_ms == sent_at)
            {
                s.outcome = outcome;
            }
        });
        if accepted_now {
            // Once Zuora has the file, it leaves the form, so it cannot be sent twice by
            // accident. A different file picked meanwhile stays.
            self.picked.update(|p| {
                if matches!(p, Some(Picked::Ready { accepted: a, .. }) if a == accepted) {
                    *p = None;
                }
            });
        }
        self.announce(message);
        self.sending.set(false);
    }

    fn track_id_for(&self, key: &IdempotencyKey) -> TrackId {
        self.config
            .with_value(|c| TrackId::for_submission(&c.track_id_prefix.value, key))
    }
}
