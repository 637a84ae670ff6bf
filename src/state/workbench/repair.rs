//! Repairing the file in the form without leaving the app: what the domain's survey
//! offers for it, the user's choices (the domain's `RepairPlan`), and the repaired file
//! written from the original by the domain's `RepairWriter`. The repaired file is then
//! checked like any file handed over, so the summary shows its own size and MD5 and
//! Submit sends exactly it. The original is never changed; undo goes back to it.

use super::check::Written;
use super::{Kept, Repairing, Sendable, Workbench, KEEP_BYTES};
use crate::platform::download;
use crate::platform::file_reader::{pass_in_chunks, read_all, read_in_chunks, PACK_CHUNK_BYTES};
use crate::platform::hash_worker;
use leptos::prelude::*;
use leptos::task::spawn_local;
use mass_updater_domain::preflight::PreflightPass;
use mass_updater_domain::repair::{
    changes_csv, changes_file_name, repair_zip, repaired_file_name, survey_zip, Decision,
    RepairOffer, RepairPlan, RepairWriter, Repaired, Survey, SurveyReport,
};
use mass_updater_domain::{ActionType, BrowserError, FileKind, RepairError};
use std::ops::ControlFlow;
use std::sync::Arc;

impl Workbench {
    /// The repair state of the file in the form. Tracked.
    pub fn with_repairing<R>(&self, f: impl FnOnce(Option<&Repairing>) -> R) -> R {
        self.repairing.with(|r| f(r.as_ref()))
    }

    /// After a file was checked as `action`: surveys it for repairs when it has
    /// findings. A file the user handed over starts a new repair (`take_files` let the
    /// last one go); a repaired one, or the original checked again, keeps it.
    pub(super) fn survey(
        &self,
        checked: &Sendable,
        action: Option<ActionType>,
        has_findings: bool,
    ) {
        let fresh = Repairing {
            original: checked.clone(),
            plan: RepairPlan::default(),
            report: None,
            repaired: None,
            problem: None,
            writing: false,
            kept: None,
        };
        self.repairing.update(|r| match r {
            Some(r) => (r.report, r.writing) = (None, false),
            None => *r = Some(fresh),
        });
        if !has_findings {
            return;
        }
        let (this, file) = (*self, checked.clone());
        let generation = self.generation.get_value();
        spawn_local(async move {
            let report = survey_file(&file, action).await;
            if !this.is_current(generation) {
                return;
            }
            this.repairing.update(|r| {
                if let Some(r) = r {
                    match report {
                        Ok((report, kept)) => {
                            r.report = Some(Arc::new(report));
                            if r.original.accepted.checksum == file.accepted.checksum {
                                r.kept = kept;
                            }
                        }
                        Err(why) => r.problem = Some(why),
                    }
                }
            });
        });
    }

    /// Accepts one offer (with the answer its question needed) and writes the file again.
    pub fn accept_repair(&self, offer: &RepairOffer, answer: Option<Decision>) {
        self.change_plan(|plan| plan.accept(offer, answer));
    }

    /// Renames `column` to `name` in the repaired file, as the user confirmed.
    pub fn map_header(&self, column: usize, name: &str) {
        self.change_plan(|plan| {
            plan.map_header(column, name);
            Ok(())
        });
    }

    /// Sets one cell (`row` as a spreadsheet counts, the header being 1).
    pub fn edit_cell(&self, row: u64, column: usize, value: &str) {
        self.change_plan(|plan| {
            plan.edit(row, column, value);
            Ok(())
        });
    }

    pub fn undo_last_repair(&self) {
        self.change_plan(|plan| {
            plan.undo_last();
            Ok(())
        });
    }

    pub fn undo_all_repairs(&self) {
        self.change_plan(|plan| {
            plan.undo_all();
            Ok(())
        });
    }

    fn change_plan(&self, change: impl FnOnce(&mut RepairPlan) -> Result<(), RepairError>) {
        let mut outcome = None;
        self.repairing.update(|r| {
            if let Some(r) = r {
                let result = change(&mut r.plan);
                r.problem = result.as_ref().err().cloned();
                r.writing = result.is_ok();
                outcome = Some((
                    result.is_ok(),
                    r.original.clone(),
                    r.kept.clone(),
                    r.plan.clone(),
                ));
            }
        });
        if let Some((true, original, kept, plan)) = outcome {
            self.write_repaired(original, kept, plan);
        }
    }

    /// Writes the original (from its `kept` bytes, or read again) under `plan`, and
    /// checks what comes out as the file in the form; with nothing left in the plan, the
    /// original comes back.
    fn write_repaired(&self, original: Sendable, kept: Option<Kept>, plan: RepairPlan) {
        if plan.is_empty() {
            self.repairing.update(|r| {
                if let Some(r) = r {
                    r.repaired = None;
                }
            });
            return self.check_file(original.file.take(), false);
        }
        let this = *self;
        let action = self.checked().and_then(|c| c.preflight.checked_as);
        let chosen = self.action_type.get_untracked();
        // A later change, or another file handed over, makes this writing moot.
        let generation = self.next_generation();
        spawn_local(async move {
            let written = repaired_file(&original, kept, (action, chosen), &plan).await;
            if !this.is_current(generation) {
                return;
            }
            match written {
                Ok((file, written, repaired)) => {
                    this.repairing.update(|r| {
                        if let Some(r) = r {
                            r.repaired = Some(Arc::new(repaired));
                        }
                    });
                    this.check_written(file, written);
                }
                Err(why) => this.repairing.update(|r| {
                    if let Some(r) = r {
                        (r.problem, r.writing) = (Some(why), false);
                    }
                }),
            }
        });
    }

    /// Says why the last repair, or download, could not be made.
    fn show_problem(&self, why: RepairError) {
        self.repairing.update(|r| {
            if let Some(r) = r {
                r.problem = Some(why);
            }
        });
    }

    /// Saves the list of changes (row, column, old value, new value, repair) as a CSV.
    pub fn download_changes(&self) {
        let Some((name, changes)) = self.repairing.with_untracked(|r| {
            let r = r.as_ref()?;
            Some((r.original.accepted.name.clone(), r.repaired.clone()?))
        }) else {
            return;
        };
        let saved = changes_csv(&changes).and_then(|bytes| {
            let name = changes_file_name(&name);
            download::save_bytes(&bytes, &name, "text/csv").map_err(|e| not_saved(&name, e))
        });
        if let Err(why) = saved {
            self.show_problem(why);
        }
    }

    /// Saves the file in the form (the repaired one) as `<name>-repaired.csv`.
    pub fn download_repaired(&self) {
        let Some(checked) = self.checked() else {
            return;
        };
        let file = checked.original.file.take();
        let name = repaired_file_name(&file.name());
        if let Err(e) = download::save(&file, &name) {
            let why = not_saved(&name, e);
            self.show_problem(why);
        }
    }
}

/// Reads for the survey and the writer: a megabyte at a time, each its own task, so
/// the page stays responsive while a large file is written again.
const REPAIR_CHUNK_BYTES: u64 = PACK_CHUNK_BYTES;

fn unreadable(name: &str, e: BrowserError) -> RepairError {
    RepairError::Unreadable {
        name: name.to_owned(),
        detail: e.detail,
    }
}

fn not_saved(name: &str, e: BrowserError) -> RepairError {
    RepairError::NotSaved {
        name: name.to_owned(),
        detail: e.detail,
    }
}

/// The survey of `file`, and its bytes when it is small enough to keep: read at once
/// then (a ZIP always is: it is within the limit), or else in chunks.
async fn survey_file(
    file: &Sendable,
    action: Option<ActionType>,
) -> Result<(SurveyReport, Option<Kept>), RepairError> {
    let zip = file.accepted.kind == FileKind::Zip;
    let kept = if zip || file.accepted.size <= KEEP_BYTES {
        let bytes = read_all(&file.file)
            .await
            .map_err(|e| unreadable(&file.accepted.name, e))?;
        Some(Kept(Arc::new(bytes)))
    } else {
        None
    };
    if let (true, Some(Kept(bytes))) = (zip, &kept) {
        return Ok((survey_zip(action, &[], bytes)?, kept));
    }
    let mut survey = Survey::new(action, &[]);
    in_chunks(file, kept.as_ref(), |chunk| {
        survey.feed(chunk);
        ControlFlow::Continue(())
    })
    .await?;
    Ok((survey.finish(), kept))
}

/// `file` a megabyte at a time, from its `kept` bytes or read again.
async fn in_chunks(
    file: &Sendable,
    kept: Option<&Kept>,
    each: impl FnMut(&[u8]) -> ControlFlow<()>,
) -> Result<(), RepairError> {
    match kept {
        Some(Kept(bytes)) => {
            pass_in_chunks(bytes, REPAIR_CHUNK_BYTES, each).await;
            Ok(())
        }
        None => read_in_chunks(&file.file, REPAIR_CHUNK_BYTES, each)
            .await
            .map_err(|e| unreadable(&file.accepted.name, e)),
    }
}

/// The original written again under `plan` (from its `kept` bytes, or read again) as
/// checked as `action`, as a new file of the same name; with the bytes it was made of,
/// hashed by the worker (when there is one) and checked as `chosen` as they were
/// written.
async fn repaired_file(
    original: &Sendable,
    kept: Option<Kept>,
    (action, chosen): (Option<ActionType>, Option<ActionType>),
    plan: &RepairPlan,
) -> Result<(web_sys::File, Written, Repaired), RepairError> {
    let name = original.accepted.name.clone();
    let kind = original.accepted.kind;
    let mut hashing = hash_worker::begin();
    let mut pass = PreflightPass::new(kind, chosen);
    pass.reserve_for(original.accepted.size);
    let mut take_in = |written: &[u8]| {
        if let Some(hashing) = &mut hashing {
            hashing.send_bytes(written);
        }
        pass.feed(written);
    };
    let (bytes, repaired, mime) = if kind == FileKind::Zip {
        let bytes = match kept {
            Some(Kept(bytes)) => bytes,
            None => Arc::new(
                read_all(&original.file)
                    .await
                    .map_err(|e| unreadable(&name, e))?,
            ),
        };
        let (zip, repaired) = repair_zip(action, plan, &bytes)?;
        take_in(&zip);
        (zip, repaired, "application/zip")
    } else {
        let mut writer = RepairWriter::new(action, plan);
        // Repairs seldom change the size much: room for the file and a little more.
        let size = usize::try_from(original.accepted.size).unwrap_or(0);
        let mut out = Vec::with_capacity(size.saturating_add(size / 16));
        let mut write = |chunk: &[u8]| {
            let from = out.len();
            writer.feed(chunk, &mut |bytes| out.extend_from_slice(bytes));
            take_in(out.get(from..).unwrap_or_default());
            ControlFlow::Continue(())
        };
        in_chunks(original, kept.as_ref(), &mut write).await?;
        let from = out.len();
        let repaired = writer.finish(&mut |bytes| out.extend_from_slice(bytes));
        take_in(out.get(from..).unwrap_or_default());
        (out, repaired, "text/csv")
    };
    let file = download::file(&bytes, &name, mime).map_err(|e| not_saved(&name, e))?;
    Ok((
        file,
        Written {
            bytes,
            hashing,
            pass,
        },
        repaired,
    ))
}
