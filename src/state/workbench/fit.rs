//! Making an oversized CSV fit: compressed into a ZIP, or split into parts at row
//! boundaries (never inside a Group ID group), each read from the original file again.

use super::{Busy, Picked, Plan, Sendable, Workbench};
use crate::platform::download;
use crate::platform::file_reader::{read_in_chunks, zip_in_chunks, PACK_CHUNK_BYTES};
use leptos::prelude::*;
use leptos::task::spawn_local;
use mass_updater_domain::checksum::md5_of;
use mass_updater_domain::preflight::{Part, SplitOptions, SplitPlanner, SplitWriter};
use mass_updater_domain::{figures, file_stem, AcceptedFile, FileKind};
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
        let entry_name = source.accepted.name.clone();
        let zip_name = format!("{}.zip", file_stem(&entry_name));
        spawn_local(async move {
            let of = source.accepted.size;
            this.busy.set(Some(Busy {
                what: "Compressing",
                done: 0,
                of,
            }));
            let (packer, read) = zip_in_chunks(&source.file, &entry_name, |packer| {
                if !this.is_current(generation) || packer.packed_so_far() > limit {
                    return ControlFlow::Break(());
                }
                this.busy.set(Some(Busy {
                    what: "Compressing",
                    done: packer.fed(),
                    of,
                }));
                ControlFlow::Continue(())
            })
            .await;
            if !this.is_current(generation) {
                return;
            }
            this.busy.set(None);
            let plan = match read {
                Err(detail) => {
                    Plan::CannotFit(format!("“{entry_name}” could not be read again: {detail}."))
                }
                Ok(()) if packer.packed_so_far() > limit || packer.fed() < of => Plan::PackTooBig {
                    packed: packer.packed_so_far(),
                },
                Ok(()) => match packer.finish() {
                    Err(e) => Plan::CannotFit(e.to_string()),
                    Ok(bytes) if bytes.len() as u64 > limit => Plan::PackTooBig {
                        packed: bytes.len() as u64,
                    },
                    Ok(bytes) => match sendable(&bytes, &zip_name, FileKind::Zip) {
                        Ok(s) => Plan::Packed(s),
                        Err(why) => Plan::CannotFit(why),
                    },
                },
            };
            this.announce(plan_sentence(&plan, &entry_name, limit));
            this.set_plan(generation, plan);
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
        let limit = self.limit();
        let source = checked.original.clone();
        let name = source.accepted.name.clone();
        let group_column = checked.preflight.group_column();
        spawn_local(async move {
            let mut planner = SplitPlanner::new(SplitOptions::new(limit, group_column, true));
            let planned = this
                .reread(generation, &source, "Planning the split", |chunk| {
                    planner.feed(chunk).map_err(|e| e.to_string())
                })
                .await
                .and_then(|()| planner.finish().map_err(|e| e.to_string()));
            let mut parts: Vec<Part> = Vec::new();
            let written = match planned {
                Err(why) => Err(why),
                Ok(plan) => {
                    let mut writer = SplitWriter::new(plan, file_stem(&name), group_column);
                    this.reread(generation, &source, "Writing the parts", |chunk| {
                        writer
                            .feed(chunk, &mut |p| parts.push(p))
                            .map_err(|e| e.to_string())
                    })
                    .await
                    .and_then(|()| {
                        writer
                            .finish(&mut |p| parts.push(p))
                            .map(|_| ())
                            .map_err(|e| e.to_string())
                    })
                }
            };
            if !this.is_current(generation) {
                return;
            }
            this.busy.set(None);
            let plan = match written.and_then(|()| {
                parts
                    .iter()
                    .map(|p| {
                        let kind = FileKind::from_name(&p.name).unwrap_or(FileKind::Csv);
                        sendable(&p.bytes, &p.name, kind)
                    })
                    .collect::<Result<Vec<_>, _>>()
            }) {
                Ok(sendables) => Plan::Split(sendables),
                Err(why) => Plan::CannotFit(why),
            };
            this.announce(plan_sentence(&plan, &name, limit));
            this.set_plan(generation, plan);
        });
    }

    /// Reads the original file once more for one step of making it fit, handing each
    /// chunk to `feed` and showing progress as `what`. Stops at the first error (the
    /// feed's, or the browser's) or when another file has come in meanwhile.
    async fn reread(
        &self,
        generation: u64,
        source: &Sendable,
        what: &'static str,
        mut feed: impl FnMut(&[u8]) -> Result<(), String>,
    ) -> Result<(), String> {
        let of = source.accepted.size;
        self.busy.set(Some(Busy { what, done: 0, of }));
        let mut failure = None;
        let read = read_in_chunks(&source.file, PACK_CHUNK_BYTES, |chunk| {
            if !self.is_current(generation) {
                return ControlFlow::Break(());
            }
            if let Err(why) = feed(chunk) {
                failure = Some(why);
                return ControlFlow::Break(());
            }
            self.busy.update(|b| {
                if let Some(b) = b {
                    b.done += chunk.len() as u64
                }
            });
            ControlFlow::Continue(())
        })
        .await;
        match (failure, read) {
            (Some(why), _) => Err(why),
            (None, Err(detail)) => Err(format!(
                "“{}” could not be read again: {detail}.",
                source.accepted.name
            )),
            (None, Ok(())) => Ok(()),
        }
    }

    fn set_plan(&self, generation: u64, plan: Plan) {
        if !self.is_current(generation) {
            return;
        }
        self.picked.update(|p| {
            if let Some(Picked::Checked(c)) = p {
                c.plan = plan;
            }
        });
    }
}

/// A file made by the app, with its checksum, as if the user had picked it.
fn sendable(bytes: &[u8], name: &str, kind: FileKind) -> Result<Sendable, String> {
    let mime = match kind {
        FileKind::Zip => "application/zip",
        FileKind::Csv => "text/csv",
    };
    let file = download::file(bytes, name, mime)
        .map_err(|e| format!("The browser could not make “{name}”: {e}."))?;
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

fn plan_sentence(plan: &Plan, name: &str, limit: u64) -> String {
    match plan {
        Plan::Packed(s) => format!(
            "“{name}” compressed to {} as “{}”, within the limit of {}.",
            figures::bytes(s.accepted.size),
            s.accepted.name,
            figures::bytes(limit)
        ),
        Plan::PackTooBig { .. } => format!(
            "Even compressed, “{name}” is over the limit of {}; split it into several files instead.",
            figures::bytes(limit)
        ),
        Plan::Split(parts) => format!(
            "“{name}” was split into {} files, each within the limit of {}; each will be its own mass action.",
            parts.len(),
            figures::bytes(limit)
        ),
        Plan::CannotFit(why) => why.clone(),
        Plan::AsIs | Plan::TooBig => String::new(),
    }
}
