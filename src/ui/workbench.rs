//! The state of one app instance and the two things a user does to it: hand over a file
//! and submit it. Components read these signals and call these methods; the rules
//! themselves live in `mass_updater_domain`.

use super::{Announcer, Jobs};
use crate::config::Config;
use crate::platform::file_reader::{read_in_chunks, Next, CHUNK_BYTES};
use leptos::prelude::*;
use leptos::task::spawn_local;
use mass_updater_domain::{AcceptedFile, ActionType, Intake, IntakeError};
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
    announcer: Announcer,
    /// Bumped for every new file, so a slow read of an older one is abandoned.
    intake_generation: StoredValue<u64>,
}

impl Workbench {
    pub fn new(config: Config, announcer: Announcer) -> Workbench {
        Workbench {
            config: StoredValue::new(config),
            picked: RwSignal::new(None),
            action_type: RwSignal::new(None),
            announcer,
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
        self.announcer.say(message);
    }

    /// The file ready to go, if there is one.
    pub fn ready_file(&self) -> Option<(SendWrapper<web_sys::File>, AcceptedFile)> {
        self.picked.with(|p| p.as_ref().and_then(Picked::ready))
    }

    /// Hands the ready file to the job list, which sends it. The file leaves the form
    /// at once (synchronously, before any re-render), so a double click queues it once.
    pub fn submit(&self, jobs: &Jobs) {
        let Some((file, accepted)) = self
            .picked
            .with_untracked(|p| p.as_ref().and_then(Picked::ready))
        else {
            return;
        };
        let Some(action_type) = self.action_type.get_untracked() else {
            return;
        };
        self.picked.set(None);
        jobs.enqueue(file, accepted, action_type);
    }
}
