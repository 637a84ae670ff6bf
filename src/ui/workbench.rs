//! The state of one app instance's form and what a user does to it: hand over a file,
//! choose the action type, make an oversized file fit, and submit. Components read
//! these signals and call these methods; the rules live in `mass_updater_domain`.

use super::{Announcer, Host, Jobs};
use crate::config::Config;
use crate::platform::download;
use crate::platform::file_reader::{
    md5_from, read_in_chunks, read_sharing, zip_in_chunks, Next, CHUNK_BYTES, PACK_CHUNK_BYTES,
};
use crate::platform::hash_worker;
use leptos::prelude::*;
use leptos::task::spawn_local;
use mass_updater_domain::checksum::md5_of;
use mass_updater_domain::preflight::{
    Part, Preflight, PreflightPass, SplitOptions, SplitPlanner, SplitWriter,
};
use mass_updater_domain::{
    figures, file_stem, AcceptedFile, ActionType, FileKind, Intake, IntakeError,
};
use send_wrapper::SendWrapper;
use std::sync::Arc;

/// A file as it will be sent, with the checksum of exactly those bytes.
#[derive(Clone, Debug)]
pub struct Sendable {
    pub file: SendWrapper<web_sys::File>,
    pub accepted: AcceptedFile,
}

/// What will be sent for the file the user handed over.
#[derive(Clone, Debug)]
pub enum Plan {
    /// The file itself (it is within the size limit).
    AsIs,
    /// The file is over the limit and nothing has been done about it yet.
    TooBig,
    /// The file compressed into a one-entry ZIP.
    Packed(Sendable),
    /// Even compressed it is over the limit (`packed` is how far packing got).
    PackTooBig { packed: u64 },
    /// Several files, each within the limit, each its own mass action.
    Split(Vec<Sendable>),
    /// Making it fit failed; the sentence says why.
    CannotFit(String),
}

/// A file that was read to the end: its own checksum, what preflight found, and what
/// will be sent.
#[derive(Clone, Debug)]
pub struct Checked {
    pub original: Sendable,
    pub preflight: Arc<Preflight>,
    pub plan: Plan,
}

impl Checked {
    /// The files to send, when there is something sendable.
    pub fn sendables(&self) -> Vec<Sendable> {
        match &self.plan {
            Plan::AsIs => vec![self.original.clone()],
            Plan::Packed(s) => vec![s.clone()],
            Plan::Split(parts) => parts.clone(),
            Plan::TooBig | Plan::PackTooBig { .. } | Plan::CannotFit(_) => Vec::new(),
        }
    }
}

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
    Checked(Checked),
}

/// Work on an oversized file in progress: what it is, and bytes done of bytes to do.
#[derive(Clone, Debug, PartialEq)]
pub struct Busy {
    pub what: &'static str,
    pub done: u64,
    pub of: u64,
}

#[derive(Clone, Copy)]
pub struct Workbench {
    pub config: StoredValue<Config>,
    pub picked: RwSignal<Option<Picked>>,
    pub action_type: RwSignal<Option<ActionType>>,
    pub busy: RwSignal<Option<Busy>>,
    /// Files handed over together with the one in the form, checked one after another.
    pub waiting: RwSignal<Vec<SendWrapper<web_sys::File>>>,
    /// The action type's `<select>`, where the focus goes once a suggestion is taken.
    pub action_select: NodeRef<leptos::html::Select>,
    announcer: Announcer,
    host: Host,
    /// Bumped for every new file, so slow work on an older one is abandoned.
    generation: StoredValue<u64>,
}

impl Workbench {
    pub fn new(config: StoredValue<Config>, announcer: Announcer, host: Host) -> Workbench {
        let action_type = RwSignal::new(config.with_value(|c| c.default_action_type.value));
        let workbench = Workbench {
            config,
            picked: RwSignal::new(None),
            action_type,
            busy: RwSignal::new(None),
            waiting: RwSignal::new(Vec::new()),
            action_select: NodeRef::new(),
            announcer,
            host,
            generation: StoredValue::new(0),
        };
        // The hashing worker starts at the first idle moment (it instantiates on its own
        // thread); the checking code is then compiled over the next ones, not when the
        // first file arrives.
        request_idle_callback(hash_worker::start);
        warm_up_from(0, workbench.memory_for_a_file());
        // A new action type re-checks the rows, from memory when the file was small
        // enough to keep, otherwise by reading it again.
        Effect::new(move |_| {
            if let Some(action) = action_type.get() {
                workbench.recheck(action);
            }
        });
        workbench
    }

    pub fn focus_action_type(&self) {
        if let Some(select) = self.action_select.get_untracked() {
            let _ = select.focus();
        }
    }

    fn limit(&self) -> u64 {
        self.config.with_value(|c| c.max_file_bytes.value)
    }

    /// The memory that checking a CSV at the size limit takes: its copy kept for
    /// re-checks, the previous file's copy (still held when the next file's is set
    /// aside), and one chunk being checked; about 12 MiB with Zuora's 4 MB limit. At
    /// most 16 MiB: a file that needs more takes long enough that growing memory hardly
    /// counts.
    fn memory_for_a_file(&self) -> usize {
        let limit = usize::try_from(self.limit()).unwrap_or(usize::MAX);
        let chunk = limit.min(CHUNK_BYTES as usize);
        limit
            .saturating_mul(2)
            .saturating_add(chunk)
            .min(16 * 1024 * 1024)
    }

    fn next_generation(&self) -> u64 {
        let generation = self.generation.get_value() + 1;
        self.generation.set_value(generation);
        generation
    }

    fn is_current(&self, generation: u64) -> bool {
        self.generation.try_get_value() == Some(generation)
    }

    /// Takes files handed over together: the first is checked now, the others wait
    /// their turn (after it is submitted, or skipped), each its own mass action.
    pub fn take_files(&self, files: Vec<web_sys::File>) {
        let mut files = files.into_iter();
        let Some(first) = files.next() else {
            return;
        };
        let rest: Vec<_> = files.map(SendWrapper::new).collect();
        if !rest.is_empty() {
            self.waiting.update(|w| w.extend(rest));
        }
        self.take_file(first);
    }

    /// Moves on to the next waiting file, if any; the one in the form is let go.
    pub fn next_file(&self) {
        let mut next = None;
        self.waiting.update(|w| {
            if !w.is_empty() {
                next = Some(w.remove(0));
            }
        });
        match next {
            Some(file) => self.take_file(file.take()),
            None => self.picked.set(None),
        }
    }

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
                    return Next::Stop;
                }
                if let Err(e) = intake.feed(chunk) {
                    refusal = Some(e);
                    return Next::Stop;
                }
                pass.feed(chunk);
                let done = intake.bytes_read();
                this.picked.update(|p| {
                    if let Some(Picked::Reading { read, .. }) = p {
                        *read = done;
                    }
                });
                Next::Continue
            };
            let read = read_sharing(&file, hashing.as_mut(), each).await;
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
                        Some(hashing) => match md5_from(&file, hashing).await {
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

    fn show_checked(&self, file: web_sys::File, accepted: AcceptedFile, preflight: Preflight) {
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
        self.host.emit(
            "file-accepted",
            serde_json::json!({
                "fileName": accepted.name,
                "size": accepted.size,
                "kind": match accepted.kind { FileKind::Csv => "csv", FileKind::Zip => "zip" },
                "md5": accepted.checksum.as_str(),
                "rows": preflight.csv.data_rows,
                "errors": preflight.errors(),
                "warnings": preflight.warnings(),
                "overLimit": too_big,
                "detectedActionType": preflight.detected.map(ActionType::api_name),
            }),
        );
        self.picked.set(Some(Picked::Checked(Checked {
            original: Sendable {
                file: SendWrapper::new(file),
                accepted,
            },
            preflight: Arc::new(preflight),
            plan: if too_big { Plan::TooBig } else { Plan::AsIs },
        })));
    }

    fn refuse(&self, name: String, size: u64, error: IntakeError) {
        self.announce(error.to_string());
        self.host.emit(
            "file-rejected",
            serde_json::json!({ "fileName": name, "size": size, "reason": error.to_string() }),
        );
        self.picked.set(Some(Picked::Refused { name, size, error }));
    }

    fn announce(&self, message: String) {
        self.announcer.say(message);
    }

    fn recheck(&self, action: ActionType) {
        let mut reread = None;
        self.picked.update(|p| {
            let Some(Picked::Checked(checked)) = p else {
                return;
            };
            if checked.preflight.chosen == Some(action) {
                return;
            }
            let preflight = Arc::make_mut(&mut checked.preflight);
            if preflight.checked_as == Some(action) {
                // Checked as the detected type already; the user confirmed it.
                preflight.chosen = Some(action);
            } else if !preflight.recheck(action) {
                reread = Some(checked.original.file.clone());
            }
        });
        if let Some(file) = reread {
            self.take_file(file.take());
        }
    }

    /// The checked file, when there is one.
    pub fn checked(&self) -> Option<Checked> {
        self.picked.with(|p| match p {
            Some(Picked::Checked(c)) => Some(c.clone()),
            _ => None,
        })
    }

    /// Why Submit cannot be pressed now, or `None` when it can.
    pub fn blocker(&self) -> Option<String> {
        let action = self.action_type.get();
        let busy = self.busy.with(Option::is_some);
        self.picked.with(|p| {
            let checked = match p {
                None => return Some("Choose a file first.".to_owned()),
                Some(Picked::Reading { .. }) => {
                    return Some("Wait until the file has been checked.".to_owned())
                }
                Some(Picked::Refused { .. }) => {
                    return Some("The file was refused; choose another one.".to_owned())
                }
                Some(Picked::Checked(c)) => c,
            };
            let Some(action) = action else {
                return Some(match checked.preflight.detected {
                    Some(d) => format!(
                        "Choose an action type; this file looks like “{}”.",
                        d.label()
                    ),
                    None => "Choose an action type.".to_owned(),
                });
            };
            if busy {
                return Some("Wait until the file has been prepared.".to_owned());
            }
            if checked.preflight.chosen != Some(action) {
                return Some(
                    "Wait until the file has been checked for this action type.".to_owned(),
                );
            }
            let errors = checked.preflight.errors();
            if errors > 0 {
                return Some(format!(
                    "Fix the {} found in the file, then choose it again.",
                    figures::count(errors, "error", "errors")
                ));
            }
            match &checked.plan {
                Plan::TooBig => {
                    Some("The file is over the size limit: compress or split it first.".to_owned())
                }
                Plan::PackTooBig { .. } => Some(
                    "Even compressed the file is over the size limit: split it first.".to_owned(),
                ),
                Plan::CannotFit(why) => Some(why.clone()),
                Plan::AsIs | Plan::Packed(_) | Plan::Split(_) => None,
            }
        })
    }

    /// Hands what is ready to the job list, which sends it. The file leaves the form
    /// at once (synchronously, before any re-render), so a double click queues it once.
    pub fn submit(&self, jobs: &Jobs) {
        if self.blocker().is_some() {
            return;
        }
        let (Some(checked), Some(action)) = (self.checked(), self.action_type.get_untracked())
        else {
            return;
        };
        self.picked.set(None);
        let mut parts = checked.sendables();
        if parts.len() == 1 {
            let part = parts.remove(0);
            jobs.enqueue(part.file, part.accepted, action);
        } else {
            let parts = parts
                .into_iter()
                .map(|p| {
                    (
                        SendWrapper::new(web_sys::Blob::from(p.file.take())),
                        p.accepted,
                    )
                })
                .collect();
            jobs.enqueue_batch(parts, action, checked.original.accepted.name.clone());
        }
        if self.waiting.with_untracked(|w| !w.is_empty()) {
            self.next_file();
        }
    }

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
                    return Next::Stop;
                }
                this.busy.set(Some(Busy {
                    what: "Compressing",
                    done: packer.fed(),
                    of,
                }));
                Next::Continue
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
                return Next::Stop;
            }
            if let Err(why) = feed(chunk) {
                failure = Some(why);
                return Next::Stop;
            }
            self.busy.update(|b| {
                if let Some(b) = b {
                    b.done += chunk.len() as u64
                }
            });
            Next::Continue
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

/// How long a file read in one go may take to check before its progress line is shown.
const SHOW_PROGRESS_AFTER_MS: u64 = 150;

/// Runs the checks over each action type's template, from the `next`th on, one per idle
/// moment: about a quarter of a megabyte each, a few milliseconds each. Then, at one
/// more, sets `memory` bytes aside.
fn warm_up_from(next: usize, memory: usize) {
    match ActionType::ALL.get(next) {
        Some(&action) => request_idle_callback(move || {
            // A quarter megabyte per action type gives V8 enough rows to optimise the
            // checking code: the first 4 MB drop was about 10% faster than with a sixth
            // of that, and no task while loading grew longer (A/B, 2026-11-29).
            let bytes = 256 * 1024;
            mass_updater_domain::preflight::check::warm_up(action, bytes);
            warm_up_from(next + 1, memory);
        }),
        None => request_idle_callback(move || set_memory_aside(memory)),
    }
}

/// Grows the module's memory by `bytes` and writes to every page of it once, then gives
/// it back to the allocator, which hands it out again to what comes next. WebAssembly
/// memory never shrinks, so the first file would take this memory anyway; taking it at
/// an idle moment spares that file the growing and the first writes (the first 4 MB
/// drop reached its verdict 13-21% sooner in three A/B runs of 8 pages each,
/// 2026-11-29). Without the memory, nothing happens: the file will grow it as before.
fn set_memory_aside(bytes: usize) {
    let mut block: Vec<u8> = Vec::new();
    if block.try_reserve_exact(bytes).is_ok() {
        // One write per page of the system's memory (4 KiB) is enough for it to back the
        // page; writing every byte took 40 ms.
        for page in block.spare_capacity_mut().chunks_mut(4096) {
            page[0].write(1);
        }
        std::hint::black_box(block.spare_capacity_mut());
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
