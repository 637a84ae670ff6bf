//! Repairing the file in the form without leaving the app: what the domain's survey
//! offers for it, the user's choices (the domain's `RepairPlan`), and the repaired file
//! written from the original by the domain's `RepairWriter`. The repaired file is then
//! checked like any file handed over, so the summary shows its own size and MD5 and
//! Submit sends exactly it. The original is never changed; undo goes back to it.

use super::{Repairing, Sendable, Workbench};
use crate::platform::download;
use crate::platform::file_reader::{read_all, read_in_chunks, PACK_CHUNK_BYTES};
use leptos::prelude::*;
use leptos::task::spawn_local;
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
        };
        self.repairing.update(|r| match r {
            Some(r) => r.report = None,
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
                        Ok(report) => r.report = Some(Arc::new(report)),
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
                outcome = Some((result.is_ok(), r.original.clone(), r.plan.clone()));
            }
        });
        if let Some((true, original, plan)) = outcome {
            self.write_repaired(original, plan);
        }
    }

    /// Writes the original again under `plan`, and checks what comes out as the file in
    /// the form; with nothing left in the plan, the original comes back.
    fn write_repaired(&self, original: Sendable, plan: RepairPlan) {
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
        spawn_local(async move {
            match repaired_file(&original, action, &plan).await {
                Ok((file, repaired)) => {
                    this.repairing.update(|r| {
                        if let Some(r) = r {
                            r.repaired = Some(Arc::new(repaired));
                        }
                    });
                    this.check_file(file, false);
                }
                Err(why) => this.show_problem(why),
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

/// The survey of `file`, read in chunks (a ZIP is read whole: it is within the limit).
async fn survey_file(
    file: &Sendable,
    action: Option<ActionType>,
) -> Result<SurveyReport, RepairError> {
    let name = &file.accepted.name;
    if file.accepted.kind == FileKind::Zip {
        let bytes = read_all(&file.file)
            .await
            .map_err(|e| unreadable(name, e))?;
        return survey_zip(action, &[], &bytes);
    }
    let mut survey = Survey::new(action, &[]);
    read_in_chunks(&file.file, REPAIR_CHUNK_BYTES, |chunk| {
        survey.feed(chunk);
        ControlFlow::Continue(())
    })
    .await
    .map_err(|e| unreadable(name, e))?;
    Ok(survey.finish())
}

/// The original written again under `plan`, as a new file of the same name.
async fn repaired_file(
    original: &Sendable,
    action: Option<ActionType>,
    plan: &RepairPlan,
) -> Result<(web_sys::File, Repaired), RepairError> {
    let name = original.accepted.name.clone();
    let (bytes, repaired, mime) = if original.accepted.kind == FileKind::Zip {
        let bytes = read_all(&original.file)
            .await
            .map_err(|e| unreadable(&name, e))?;
        let (zip, repaired) = repair_zip(action, plan, &bytes)?;
        (zip, repaired, "application/zip")
    } else {
        let mut writer = RepairWriter::new(action, plan);
        let mut out = Vec::new();
        read_in_chunks(&original.file, REPAIR_CHUNK_BYTES, |chunk| {
            writer.feed(chunk, &mut |bytes| out.extend_from_slice(bytes));
            ControlFlow::Continue(())
        })
        .await
        .map_err(|e| unreadable(&name, e))?;
        let repaired = writer.finish(&mut |bytes| out.extend_from_slice(bytes));
        (out, repaired, "text/csv")
    };
    let file = download::file(&bytes, &name, mime).map_err(|e| not_saved(&name, e))?;
    Ok((file, repaired))
}
