//! The state of one app instance's form and what a user does to it: hand over a file,
//! choose the action type, make an oversized file fit, and submit. Components read
//! these signals and call these methods; the rules live in `mass_updater_domain`.
//! Checking a file handed over is in [`check`], making an oversized one fit in [`fit`].

mod check;
mod fit;
mod repair;

use super::{Announcer, Host, Jobs};
use crate::config::Config;
use crate::platform::file_reader::CHUNK_BYTES;
use crate::platform::warm_up;
use leptos::prelude::*;
use mass_updater_domain::preflight::Preflight;
use mass_updater_domain::repair::{RepairPlan, Repaired, SurveyReport};
use mass_updater_domain::RepairError;
use mass_updater_domain::{
    blocker, AcceptedFile, ActionType, Blocker, Checksum, Fit, FitError, FitStep, FormFile,
    IntakeError,
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
    /// Making it fit failed.
    CannotFit(FitError),
}

impl Plan {
    /// Whether the file fits, as the rule behind Submit sees it.
    fn fit(&self) -> Fit<'_> {
        match self {
            Plan::AsIs => Fit::AsIs,
            Plan::TooBig => Fit::TooBig,
            Plan::PackTooBig { .. } => Fit::PackTooBig,
            Plan::CannotFit(e) => Fit::CannotFit(e),
            Plan::Packed(_) | Plan::Split(_) => Fit::Made,
        }
    }
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

/// One file being repaired.
#[derive(Clone, Debug)]
pub struct Repairing {
    /// The file as the user handed it over.
    pub original: Sendable,
    pub plan: RepairPlan,
    /// What the survey offers for the file in the form now (the original, or the
    /// repaired file), once it has run.
    pub report: Option<Arc<SurveyReport>>,
    /// What the writer changed, while the file in the form is a repaired one.
    pub repaired: Option<Arc<Repaired>>,
    /// Why the last repair could not be made.
    pub problem: Option<RepairError>,
    /// A repaired file is being written and checked: Submit waits for it.
    pub writing: bool,
    /// The original's bytes, kept from the survey's read for the writer when the file
    /// is small enough to read at once ([`KEEP_BYTES`]).
    pub kept: Option<Kept>,
}

/// A file this size or smaller is read at once for the repairs' survey, and its bytes
/// are kept for the writer (one read, as its check took).
pub const KEEP_BYTES: u64 = CHUNK_BYTES;

/// The original's bytes, kept for the writer.
#[derive(Clone)]
pub struct Kept(Arc<Vec<u8>>);

impl std::fmt::Debug for Kept {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Kept({} bytes)", self.0.len())
    }
}

/// Work on an oversized file in progress: what it is, and bytes done of bytes to do.
#[derive(Clone, Debug, PartialEq)]
pub struct Busy {
    pub step: FitStep,
    pub done: u64,
    pub of: u64,
}

/// The form of one app instance. Components read its signals through the getters
/// below and change it only through its methods, so what a control shows is always
/// what the state holds.
#[derive(Clone, Copy)]
pub struct Workbench {
    config: StoredValue<Config>,
    picked: RwSignal<Option<Picked>>,
    /// The action type the user chose (or the configured default); the file in the form
    /// is always checked as this one once it has been read.
    action_type: RwSignal<Option<ActionType>>,
    busy: RwSignal<Option<Busy>>,
    /// Files handed over together with the one in the form, checked one after another.
    waiting: RwSignal<Vec<SendWrapper<web_sys::File>>>,
    /// The action type's `<select>`, where the focus goes once a suggestion is taken.
    pub action_select: NodeRef<leptos::html::Select>,
    announcer: Announcer,
    host: Host,
    /// Bumped for every new file, so slow work on an older one is abandoned.
    generation: StoredValue<u64>,
    /// What makes a file fit, kept while it is read again to be checked as another
    /// action type: its bytes, and so its zip or its parts, stay the same.
    kept_plan: StoredValue<Option<(Checksum, Plan)>>,
    /// The repair of the file the user handed over, until another is handed over or
    /// it is sent.
    repairing: RwSignal<Option<Repairing>>,
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
            kept_plan: StoredValue::new(None),
            repairing: RwSignal::new(None),
        };
        warm_up::start(workbench.memory_for_a_file());
        workbench
    }

    /// `f` of the file in the form, as far as it is known. Tracked.
    pub fn with_picked<R>(&self, f: impl FnOnce(&Option<Picked>) -> R) -> R {
        self.picked.with(f)
    }

    /// The action type chosen. Tracked.
    pub fn action_type(&self) -> Option<ActionType> {
        self.action_type.get()
    }

    /// Work on an oversized file in progress. Tracked.
    pub fn busy(&self) -> Option<Busy> {
        self.busy.get()
    }

    /// The names of the files waiting their turn. Tracked.
    pub fn waiting_names(&self) -> Vec<String> {
        self.waiting.with(|w| w.iter().map(|f| f.name()).collect())
    }

    /// The largest file Zuora takes, in bytes.
    pub fn limit(&self) -> u64 {
        self.config.with_value(|c| c.max_file_bytes.value)
    }

    /// The action types offered, in order.
    pub fn offered_action_types(&self) -> Vec<ActionType> {
        self.config.with_value(|c| c.action_types.value.clone())
    }

    /// The user chose an action type (`None`: the empty choice). The file in the form is
    /// checked as it at once: from memory when it was small enough to keep, otherwise
    /// by reading it again; a file still being read is checked as it when it has been.
    pub fn choose_action(&self, action: Option<ActionType>) {
        self.action_type.set(action);
        self.check_as_chosen();
    }

    /// Re-checks a checked file whose checks are not those of the chosen action type.
    fn check_as_chosen(&self) {
        if let Some(action) = self.action_type.get_untracked() {
            self.recheck(action);
        }
    }

    pub fn focus_action_type(&self) {
        if let Some(select) = self.action_select.get_untracked() {
            let _ = select.focus();
        }
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
        self.repairing.set(None);
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
        self.repairing.set(None);
        match next {
            Some(file) => self.take_file(file.take()),
            None => self.clear_file(),
        }
    }

    /// Lets the file in the form go: work still running on it ends, and nothing it
    /// started (a progress line due, a step of making it fit) comes back.
    fn clear_file(&self) {
        self.next_generation();
        self.busy.set(None);
        self.picked.set(None);
        self.repairing.set(None);
    }

    fn announce(&self, message: String) {
        self.announcer.say(message);
    }

    /// The checked file, when there is one.
    pub fn checked(&self) -> Option<Checked> {
        self.picked.with(|p| match p {
            Some(Picked::Checked(c)) => Some(c.clone()),
            _ => None,
        })
    }

    /// Why Submit cannot be pressed now, or `None` when it can (the domain's rule,
    /// [`blocker`]). Tracked.
    pub fn blocker(&self) -> Option<Blocker> {
        let action = self.action_type.get();
        let writing = self
            .repairing
            .with(|r| r.as_ref().is_some_and(|r| r.writing));
        let preparing = writing || self.busy.with(Option::is_some);
        self.picked.with(|p| {
            let file = match p {
                None => FormFile::None,
                Some(Picked::Reading { .. }) => FormFile::Reading,
                Some(Picked::Refused { .. }) => FormFile::Refused,
                Some(Picked::Checked(c)) => FormFile::Checked {
                    preflight: &c.preflight,
                    fit: c.plan.fit(),
                },
            };
            blocker(file, action, preparing)
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
        self.clear_file();
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
}
