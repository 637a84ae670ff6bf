//! Checking a file handed over: name and size at once, then one chunked read for its
//! content, every preflight check and (in the hashing worker) its MD5.

use super::{Checked, Picked, Plan, Sendable, Workbench};
use crate::platform::file_reader::CHUNK_BYTES;
use crate::platform::hash_worker;
use crate::platform::md5::{read_while_hashing, worker_md5_or_rehash};
use crate::state::host_events;
use leptos::prelude::*;
use leptos::task::spawn_local;
use mass_updater_domain::preflight::{Preflight, PreflightPass};
use mass_updater_domain::{figures, AcceptedFile, ActionType, Intake, IntakeError};
use send_wrapper::SendWrapper;
use std::ops::ControlFlow;
use std::sync::Arc;

impl Workbench {
    /// Checks a file: name and size at once, then in one chunked pass its content and
    /// every preflight check. Its MD5 is computed by the hashing worker meanwhile, or in
    /// the same pass when there is none (or afterwards, should the worker fail).
    pub fn take_file(&self, file: web_sys::File) {
        let this = *self;
        let generation = self.next_generation();
        self.busy.set(None);
        let name = file.name();
        let size = file.size().max(0.0) as u64;

        let mut intake = match Intake::start(&name, size, self.limit()) {
            Ok(intake) => intake,
            Err(error) => return self.refuse(name, size, error),
        };
        let mut pass = PreflightPass::new(intake.kind(), self.action_type.get_untracked());
        pass.reserve_for(size);
        let mut hashing = hash_worker::begin();
        if hashing.is_some() {
            intake.hash_elsewhere();
        }
        let reading = Picked::Reading {
            name: name.clone(),
            size,
            read: 0,
        };
        if size > CHUNK_BYTES || self.picked.with_untracked(Option::is_some) {
            // Progress to follow, or the previous file's summary (and its Submit) to
            // replace at once.
            self.picked.set(Some(reading));
        } else {
            // Read in one go, the file is usually checked within a tenth of a second: a
            // progress line would only flash, and drawing it delays the verdict. It
            // appears should the check take longer.
            set_timeout(
                move || {
                    if this.is_current(generation) && this.picked.with_untracked(Option::is_none) {
                        this.picked.set(Some(reading));
                    }
                },
                std::time::Duration::from_millis(SHOW_PROGRESS_AFTER_MS),
            );
        }
        self.announce(format!("Checking “{name}”…"));

        spawn_local(async move {
            let mut refusal = None;
            let each = |chunk: &[u8]| {
                if !this.is_current(generation) {
                    return ControlFlow::Break(());
                }
                if let Err(e) = intake.feed(chunk) {
                    refusal = Some(e);
                    return ControlFlow::Break(());
                }
                pass.feed(chunk);
                let done = intake.bytes_read();
                this.picked.update(|p| {
                    if let Some(Picked::Reading { read, .. }) = p {
                        *read = done;
                    }
                });
                ControlFlow::Continue(())
            };
            let read = read_while_hashing(&file, hashing.as_mut(), each).await;
            if !this.is_current(generation) {
                return;
            }
            let verdict = match (refusal, read) {
                (Some(error), _) => Err(error),
                (None, Err(detail)) => Err(IntakeError::Unreadable {
                    name: name.clone(),
                    detail,
                }),
                (None, Ok(())) => {
                    // The row checks end while the worker may still be hashing.
                    let preflight = pass.finish();
                    let accepted = match hashing {
                        None => intake.finish(),
                        Some(hashing) => match worker_md5_or_rehash(&file, hashing).await {
                            Ok(checksum) => intake.finish_with(checksum),
                            Err(detail) => Err(IntakeError::Unreadable {
                                name: name.clone(),
                                detail,
                            }),
                        },
                    };
                    if !this.is_current(generation) {
                        return;
                    }
                    accepted.and_then(|accepted| Ok((accepted, preflight?)))
                }
            };
            match verdict {
                Ok((accepted, preflight)) => this.show_checked(file, accepted, preflight),
                Err(error) => this.refuse(name, size, error),
            }
        });
    }

    pub(super) fn show_checked(
        &self,
        file: web_sys::File,
        accepted: AcceptedFile,
        preflight: Preflight,
    ) {
        let too_big = accepted.size > self.limit();
        let mut message = format!(
            "Checked “{}”: {}, {}, {}.",
            accepted.name,
            figures::count(preflight.csv.data_rows, "row", "rows"),
            figures::count(preflight.errors(), "error", "errors"),
            figures::count(preflight.warnings(), "warning", "warnings")
        );
        if too_big {
            message.push_str(" It is over the size limit; it can be compressed or split.");
        }
        if self.action_type.get_untracked().is_none() {
            if let Some(detected) = preflight.detected {
                message.push_str(&format!(" It looks like {}.", detected.label()));
            }
        }
        self.announce(message);
        self.host
            .emit(host_events::file_accepted(&accepted, &preflight, too_big));
        self.picked.set(Some(Picked::Checked(Checked {
            original: Sendable {
                file: SendWrapper::new(file),
                accepted,
            },
            preflight: Arc::new(preflight),
            plan: if too_big { Plan::TooBig } else { Plan::AsIs },
        })));
        // The user may have chosen an action type while the file was being read.
        self.check_as_chosen();
    }

    pub(super) fn refuse(&self, name: String, size: u64, error: IntakeError) {
        self.announce(error.to_string());
        self.host
            .emit(host_events::file_rejected(&name, size, &error));
        self.picked.set(Some(Picked::Refused { name, size, error }));
    }

    /// Checks the file in the form as `action`, when it has been read and was checked
    /// as something else; a file too large to keep is read again.
    pub(super) fn recheck(&self, action: ActionType) {
        let mut reread = None;
        // Only a change is notified: the summary is not rebuilt for nothing.
        self.picked.maybe_update(|p| {
            let Some(Picked::Checked(checked)) = p else {
                return false;
            };
            if checked.preflight.chosen == Some(action) {
                return false;
            }
            let preflight = Arc::make_mut(&mut checked.preflight);
            if preflight.checked_as == Some(action) {
                // Checked as the detected type already; the user confirmed it.
                preflight.chosen = Some(action);
            } else if !preflight.recheck(action) {
                reread = Some(checked.original.file.clone());
                return false;
            }
            true
        });
        if let Some(file) = reread {
            self.take_file(file.take());
        }
    }
}

/// How long a file read in one go may take to check before its progress line is shown.
const SHOW_PROGRESS_AFTER_MS: u64 = 150;
