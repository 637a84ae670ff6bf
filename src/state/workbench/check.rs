//! Checking a file handed over: name and size at once, then one chunked read for its
//! content, every preflight check and (in the hashing worker) its MD5.

use super::{Checked, Picked, Plan, Sendable, Workbench};
use crate::platform::file_reader::CHUNK_BYTES;
use crate::platform::hash_worker::{self, Hashing};
use crate::platform::md5::{read_while_hashing, worker_md5_or_rehash};
use crate::state::host_events;
use leptos::prelude::*;
use leptos::task::spawn_local;
use mass_updater_domain::preflight::{Preflight, PreflightPass};
use mass_updater_domain::wording::workbench;
use mass_updater_domain::{AcceptedFile, ActionType, Intake, IntakeError};
use send_wrapper::SendWrapper;
use std::ops::ControlFlow;
use std::sync::Arc;

impl Workbench {
    /// Checks a file: name and size at once, then in one chunked pass its content and
    /// every preflight check. Its MD5 is computed by the hashing worker meanwhile, or in
    /// the same pass when there is none (or afterwards, should the worker fail).
    pub fn take_file(&self, file: web_sys::File) {
        self.check_file(file, true);
    }

    /// [`Workbench::take_file`]; `show_progress: false` leaves the verdict of the file
    /// before on screen until this one's is ready (a repaired file replacing its
    /// original: one render instead of two, and no flash of a progress line).
    pub(super) fn check_file(&self, file: web_sys::File, show_progress: bool) {
        self.check(file, None, show_progress);
    }

    /// Checks `file`, just made of `written` (a repaired file), from the bytes themselves:
    /// they are not read back from the file. The verdict before stays on screen meanwhile.
    pub(super) fn check_written(&self, file: web_sys::File, written: Written) {
        self.check(file, Some(written), false);
    }

    fn check(&self, file: web_sys::File, written: Option<Written>, show_progress: bool) {
        let generation = self.next_generation();
        self.busy.set(None);
        let name = file.name();
        let size = file.size().max(0.0) as u64;
        let mut intake = match Intake::start(&name, size, self.limit()) {
            Ok(intake) => intake,
            Err(error) => return self.refuse(name, size, error),
        };
        let (pass, hashing, written) = match written {
            Some(w) => (w.pass, w.hashing, Some(w.bytes)),
            None => {
                let mut pass = PreflightPass::new(intake.kind(), self.action_type.get_untracked());
                pass.reserve_for(size);
                (pass, hash_worker::begin(), None)
            }
        };
        if hashing.is_some() {
            intake.hash_elsewhere();
        }
        if show_progress {
            self.show_reading(generation, &name, size);
        }
        self.announce(workbench::checking(&name));
        let this = *self;
        let check = FileCheck {
            intake,
            pass,
            hashing,
        };
        spawn_local(async move {
            let Some(verdict) = check.run(&this, generation, &file, written).await else {
                return;
            };
            match verdict {
                Ok((accepted, preflight)) => this.show_checked(file, accepted, preflight),
                Err(error) => this.refuse(name, size, error),
            }
        });
    }

    /// Shows the file as being read: at once when its progress is worth following or a
    /// previous file's summary (and its Submit) must go at once; otherwise only should
    /// the check take longer than [`SHOW_PROGRESS_AFTER_MS`]. A file read in one go is
    /// usually checked within a tenth of a second: a progress line would only flash,
    /// and drawing it delays the verdict.
    fn show_reading(&self, generation: u64, name: &str, size: u64) {
        let reading = Picked::Reading {
            name: name.to_owned(),
            size,
            read: 0,
        };
        if size > CHUNK_BYTES || self.picked.with_untracked(Option::is_some) {
            return self.picked.set(Some(reading));
        }
        let this = *self;
        set_timeout(
            move || {
                if this.is_current(generation) && this.picked.with_untracked(Option::is_none) {
                    this.picked.set(Some(reading));
                }
            },
            std::time::Duration::from_millis(SHOW_PROGRESS_AFTER_MS),
        );
    }

    /// Shows how far the file being read has been read.
    fn show_read(&self, done: u64) {
        self.picked.maybe_update(|p| match p {
            Some(Picked::Reading { read, .. }) => {
                *read = done;
                true
            }
            _ => false,
        });
    }

    pub(super) fn show_checked(
        &self,
        file: web_sys::File,
        accepted: AcceptedFile,
        preflight: Preflight,
    ) {
        let too_big = accepted.size > self.limit();
        let looks_like = preflight
            .detected
            .filter(|_| self.action_type.get_untracked().is_none());
        // Read again for another action type, the file keeps what made it fit.
        let plan = match self.kept_plan.try_update_value(Option::take).flatten() {
            Some((checksum, plan)) if checksum == accepted.checksum => plan,
            _ if too_big => Plan::TooBig,
            _ => Plan::AsIs,
        };
        self.announce(workbench::checked(
            &accepted.name,
            preflight.csv.data_rows,
            preflight.errors(),
            preflight.warnings(),
            too_big,
            looks_like,
        ));
        self.host
            .emit(host_events::file_accepted(&accepted, &preflight, too_big));
        let has_findings = preflight.findings().next().is_some();
        let checked_as = preflight.checked_as;
        let sendable = Sendable {
            file: SendWrapper::new(file),
            accepted,
        };
        self.picked.set(Some(Picked::Checked(Checked {
            original: sendable.clone(),
            preflight: Arc::new(preflight),
            plan,
        })));
        self.survey(&sendable, checked_as, has_findings);
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
                let kept = (
                    checked.original.accepted.checksum.clone(),
                    checked.plan.clone(),
                );
                self.kept_plan.set_value(Some(kept));
                return false;
            }
            true
        });
        if let Some(file) = reread {
            self.take_file(file.take());
        }
    }
}

/// A file the page has just made (a repaired one): its bytes, their hashing in the
/// worker (`None` without a worker: then this check hashes them) and the checks, both
/// fed as the bytes were written, so that the worker hashes while the page checks.
pub(super) struct Written {
    pub bytes: Vec<u8>,
    pub hashing: Option<Hashing>,
    pub pass: PreflightPass,
}

/// How long a file read in one go may take to check before its progress line is shown.
const SHOW_PROGRESS_AFTER_MS: u64 = 150;

/// One file's check in progress: what intake and preflight make of its chunks, and
/// its hashing in the worker, if there is one.
struct FileCheck {
    intake: Intake,
    pass: PreflightPass,
    hashing: Option<Hashing>,
}

impl FileCheck {
    /// Reads `file` once (or goes once through the bytes it was `written` from) and
    /// gives the verdict; `None` when another file came in meanwhile (the check is
    /// abandoned).
    async fn run(
        mut self,
        workbench: &Workbench,
        generation: u64,
        file: &web_sys::File,
        written: Option<Vec<u8>>,
    ) -> Option<Result<(AcceptedFile, Preflight), IntakeError>> {
        let name = || file.name();
        let mut refusal = None;
        let read = match written {
            // The checks had the bytes as they were written; intake looks at them here.
            Some(bytes) => {
                refusal = self.intake.feed(&bytes).err();
                Ok(())
            }
            None => {
                let each = |chunk: &[u8]| {
                    if !workbench.is_current(generation) {
                        return ControlFlow::Break(());
                    }
                    if let Err(e) = self.intake.feed(chunk) {
                        refusal = Some(e);
                        return ControlFlow::Break(());
                    }
                    self.pass.feed(chunk);
                    workbench.show_read(self.intake.bytes_read());
                    ControlFlow::Continue(())
                };
                read_while_hashing(file, self.hashing.as_mut(), each).await
            }
        };
        if !workbench.is_current(generation) {
            return None;
        }
        if let Some(error) = refusal {
            return Some(Err(error));
        }
        if let Err(e) = read {
            let (name, detail) = (name(), e.detail);
            return Some(Err(IntakeError::Unreadable { name, detail }));
        }
        // The row checks end while the worker may still be hashing.
        let preflight = self.pass.finish();
        let accepted = match self.hashing {
            None => self.intake.finish(),
            Some(hashing) => match worker_md5_or_rehash(file, hashing).await {
                Ok(checksum) => self.intake.finish_with(checksum),
                Err(e) => Err(IntakeError::Unreadable {
                    name: name(),
                    detail: e.detail,
                }),
            },
        };
        if !workbench.is_current(generation) {
            return None;
        }
        Some(accepted.and_then(|accepted| Ok((accepted, preflight?))))
    }
}
