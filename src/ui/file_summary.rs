use super::{PreflightView, RepairPanel, TooBigPanel};
use crate::state::workbench::{Checked, Picked, Workbench};
use leptos::prelude::*;
use mass_updater_domain::wording::workbench::{
    waiting_files, CHECKING_AND_HASHING, NOTHING_WAS_SENT, NO_FILE_YET,
};
use mass_updater_domain::{figures, FileKind, IntakeError};

/// What we know about the file handed over: its name, exact size and MD5, its progress
/// while being checked, or the one sentence saying why it was refused.
#[component]
pub fn FileSummary() -> impl IntoView {
    let workbench = expect_context::<Workbench>();
    let summary = move || {
        workbench.with_picked(|picked| match picked {
            None => view! { <p class="muted">{NO_FILE_YET}</p> }.into_any(),
            Some(Picked::Reading { name, size, read }) => {
                view! { {reading(name.clone(), *size, *read)} }.into_any()
            }
            Some(Picked::Refused { name, size, error }) => {
                view! { {refused(name.clone(), *size, error)} }.into_any()
            }
            Some(Picked::Checked(checked)) => view! { {checked_file(checked.clone())} }.into_any(),
        })
    };
    view! {
        <WaitingFiles />
        {summary}
    }
}

/// A file being read, with how far it has been.
fn reading(name: String, size: u64, read: u64) -> impl IntoView {
    view! {
        <div class="file-summary" data-phase="reading" aria-busy="true">
            <p>
                <strong class="file-name">{name}</strong>
                " · " {figures::bytes(size)}
            </p>
            <p>
                <label>
                    {CHECKING_AND_HASHING}
                    <progress max=size.to_string() value=read.to_string()></progress>
                </label>
            </p>
        </div>
    }
}

/// A file refused before anything was sent, and why.
fn refused(name: String, size: u64, error: &IntakeError) -> impl IntoView {
    view! {
        <div class="file-summary file-summary--refused" data-phase="refused" role="alert">
            <p>
                <span class="badge badge--error">"Refused"</span>
                " "
                <strong class="file-name">{name}</strong>
                " · "
                {figures::bytes(size)}
            </p>
            <p class="refusal">{error.to_string()}</p>
            <p class="muted">{NOTHING_WAS_SENT}</p>
        </div>
    }
}

/// A checked file: its facts, what makes it fit, and what preflight found.
fn checked_file(checked: Checked) -> impl IntoView {
    let accepted = checked.original.accepted.clone();
    let kind = match accepted.kind {
        FileKind::Csv => "CSV file",
        FileKind::Zip => "ZIP archive",
    };
    let has_errors = checked.preflight.has_errors();
    let phase = if has_errors { "findings" } else { "ready" };
    let badge = if has_errors {
        view! { <span class="badge badge--error">"✗ Needs fixing"</span> }.into_any()
    } else {
        view! { <span class="badge badge--ok">"✓ Checked"</span> }.into_any()
    };
    let preflight = checked.preflight.clone();
    view! {
        <div class="file-summary file-summary--ready" data-phase=phase>
            <p>
                {badge}
                " "
                <strong class="file-name">{accepted.name.clone()}</strong>
            </p>
            <dl class="facts">
                <dt>"Size"</dt>
                <dd data-fact="size">{figures::bytes(accepted.size)}</dd>
                <dt>"Type"</dt>
                <dd>{kind}</dd>
                <dt>"MD5"</dt>
                <dd>
                    <code data-fact="md5">{accepted.checksum.to_string()}</code>
                </dd>
            </dl>
            <TooBigPanel checked />
            <RepairPanel />
            <PreflightView preflight />
        </div>
    }
}

/// The other files handed over at the same time, checked one after another.
#[component]
fn WaitingFiles() -> impl IntoView {
    let workbench = expect_context::<Workbench>();
    move || {
        let names = workbench.waiting_names();
        (!names.is_empty()).then(|| {
            let said = waiting_files(names.len(), &names.join(", "));
            view! {
                <div class="waiting" role="status">
                    <p>
                        {said}
                        <button type="button" class="link-button" on:click=move |_| workbench.next_file()>
                            "Skip this file"
                        </button>
                    </p>
                </div>
            }
        })
    }
}
