//! Making an oversized CSV fit: compressed into a ZIP, or split into parts at row
//! boundaries (never inside a Group ID group), each read from the original file again.

use super::{Busy, Picked, Plan, Sendable, Workbench};
use crate::platform::download;
use crate::platform::file_reader::{read_in_chunks, zip_in_chunks, PACK_CHUNK_BYTES};
use leptos::prelude::*;
use leptos::task::spawn_local;
use mass_updater_domain::checksum::md5_of;
use mass_updater_domain::preflight::{Part, SplitOptions, SplitPlanner, SplitWriter, ZipPacker};
use mass_updater_domain::wording::workbench;
use mass_updater_domain::{file_stem, AcceptedFile, BrowserError, FileKind, FitError, FitStep};
use send_wrapper::SendWrapper;
use std::ops::ControlFlow;

impl Workbench {
    /// Compresses the oversized CSV into a ZIP, reading it once more; keeps the ZIP when
    /// it fits, otherwise says so and leaves splitting as the way on.
    pub fn compress(&self) {
        let Some(checked) = self.checked() else {
            return;
        };
        let this = *self;
        let generation = self.generation.get_value();
        let limit = self.limit();
        let source = checked.original.clone();
        let name = source.accepted.name.clone();
        spawn_local(async move {
            let of = source.accepted.size;
            this.show_busy(generation, FitStep::Compressing, 0, of);
            let (packer, read) = zip_in_chunks(&source.file, &name, |packer| {
                if !this.is_current(generation) || packer.packed_so_far() > limit {
                    return ControlFlow::Break(());
                }
                this.show_busy(generation, FitStep::Compressing, packer.fed(), of);
                ControlFlow::Continue(())
            })
            .await;
            if !this.is_current(generation) {
                return;
            }
            this.busy.set(None);
            let plan = packed_plan(&name, packer, read, of, limit);
            this.set_plan(generation, plan, &name);
        });
    }

    /// Splits the oversized CSV into parts at row boundaries (never inside a Group ID
    /// group), each under the limit and compressed when that helps: one pass to plan,
    /// one to write.
    pub fn split(&self) {
        let Some(checked) = self.checked() else {
            return;
        };
        let this = *self;
        let generation = self.generation.get_value();
        let source = checked.original.clone();
        let group_column = checked.preflight.group_column();
        spawn_local(async move {
            let parts = this.split_parts(generation, &source, group_column).await;
            if !this.is_current(generation) {
                return;
            }
            this.busy.set(None);
            let plan = match parts.and_then(|parts| parts.iter().map(sendable_part).collect()) {
                Ok(sendables) => Plan::Split(sendables),
                Err(why) => Plan::CannotFit(why),
            };
            this.set_plan(generation, plan, &source.accepted.name);
        });
    }

    /// The parts of `source`: planned in one read, written in another.
    async fn split_parts(
        &self,
        generation: u64,
        source: &Sendable,
        group_column: Option<usize>,
    ) -> Result<Vec<Part>, FitError> {
        let options = SplitOptions::new(self.limit(), group_column, true);
        let mut planner = SplitPlanner::new(options);
        self.reread(generation, source, FitStep::PlanningSplit, |chunk| {
            planner.feed(chunk).map_err(FitError::from)
        })
        .await?;
        let plan = planner.finish()?;
        let mut parts: Vec<Part> = Vec::new();
        let stem = file_stem(&source.accepted.name);
        let mut writer = SplitWriter::new(plan, stem, group_column);
        self.reread(generation, source, FitStep::WritingParts, |chunk| {
            writer
                .feed(chunk, &mut |p| parts.push(p))
                .map_err(FitError::from)
        })
        .await?;
        writer.finish(&mut |p| parts.push(p))?;
        Ok(parts)
    }

    /// Reads the original file once more for one step of making it fit, handing each
    /// chunk to `feed` and showing progress as `step`. Stops at the first error (the
    /// feed's, or the browser's) or when another file has come in meanwhile.
    async fn reread(
        &self,
        generation: u64,
        source: &Sendable,
        step: FitStep,
        mut feed: impl FnMut(&[u8]) -> Result<(), FitError>,
    ) -> Result<(), FitError> {
        let of = source.accepted.size;
        self.show_busy(generation, step, 0, of);
        let mut failure = None;
        let mut done = 0;
        let read = read_in_chunks(&source.file, PACK_CHUNK_BYTES, |chunk| {
            if !self.is_current(generation) {
                return ControlFlow::Break(());
            }
            if let Err(why) = feed(chunk) {
                failure = Some(why);
                return ControlFlow::Break(());
            }
            done += chunk.len() as u64;
            self.show_busy(generation, step, done, of);
            ControlFlow::Continue(())
        })
        .await;
        match (failure, read) {
            (Some(why), _) => Err(why),
            (None, Err(e)) => Err(unreadable(&source.accepted.name, e)),
            (None, Ok(())) => Ok(()),
        }
    }

    /// Shows how far a step has come, while the file it works on is still the one in
    /// the form (a step of an earlier file must not mark the new one as busy).
    fn show_busy(&self, generation: u64, step: FitStep, done: u64, of: u64) {
        if self.is_current(generation) {
            self.busy.set(Some(Busy { step, done, of }));
        }
    }

    /// Keeps what will be sent for the file, unless another file has come in, and says
    /// what came of making `name` fit.
    fn set_plan(&self, generation: u64, plan: Plan, name: &str) {
        if !self.is_current(generation) {
            return;
        }
        let limit = self.limit();
        let said = match &plan {
            Plan::Packed(s) => {
                workbench::compressed(name, &s.accepted.name, s.accepted.size, limit)
            }
            Plan::PackTooBig { .. } => workbench::still_too_big(name, limit),
            Plan::Split(parts) => workbench::split(name, parts.len(), limit),
            Plan::CannotFit(why) => why.to_string(),
            Plan::AsIs | Plan::TooBig => String::new(),
        };
        self.announce(said);
        self.picked.update(|p| {
            if let Some(Picked::Checked(c)) = p {
                c.plan = plan;
            }
        });
    }
}

/// What compressing `name` (`of` bytes) came to: the ZIP when it fits within `limit`.
fn packed_plan(
    name: &str,
    packer: ZipPacker,
    read: Result<(), BrowserError>,
    of: u64,
    limit: u64,
) -> Plan {
    if let Err(e) = read {
        return Plan::CannotFit(unreadable(name, e));
    }
    // Packing stops early once the archive is over the limit.
    if packer.packed_so_far() > limit || packer.fed() < of {
        let packed = packer.packed_so_far();
        return Plan::PackTooBig { packed };
    }
    match packer.finish() {
        Err(e) => Plan::CannotFit(e.into()),
        Ok(bytes) if bytes.len() as u64 > limit => Plan::PackTooBig {
            packed: bytes.len() as u64,
        },
        Ok(bytes) => {
            let zip_name = format!("{}.zip", file_stem(name));
            match sendable(&bytes, &zip_name, FileKind::Zip) {
                Ok(s) => Plan::Packed(s),
                Err(why) => Plan::CannotFit(why),
            }
        }
    }
}

fn unreadable(name: &str, e: BrowserError) -> FitError {
    FitError::Unreadable {
        name: name.to_owned(),
        detail: e.detail,
    }
}

fn sendable_part(part: &Part) -> Result<Sendable, FitError> {
    let kind = FileKind::from_name(&part.name).unwrap_or(FileKind::Csv);
    sendable(&part.bytes, &part.name, kind)
}

/// A file made by the app, with its checksum, as if the user had picked it.
fn sendable(bytes: &[u8], name: &str, kind: FileKind) -> Result<Sendable, FitError> {
    let mime = match kind {
        FileKind::Zip => "application/zip",
        FileKind::Csv => "text/csv",
    };
    let file = download::file(bytes, name, mime).map_err(|e| FitError::NotMade {
        name: name.to_owned(),
        detail: e.detail,
    })?;
    Ok(Sendable {
        file: SendWrapper::new(file),
        accepted: AcceptedFile {
            name: name.to_owned(),
            size: bytes.len() as u64,
            kind,
            checksum: md5_of(bytes),
        },
    })
}
