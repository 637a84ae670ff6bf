use super::{PreflightView, TooBigPanel};
use crate::state::workbench::{Picked, Workbench};
use leptos::prelude::*;
use mass_updater_domain::figures;
use mass_updater_domain::FileKind;

/// What we know about the file handed over: its name, exact size and MD5, its progress
/// while being checked, or the one sentence saying why it was refused.
#[component]
pub fn FileSummary() -> impl IntoView {
    let workbench = expect_context::<Workbench>();
    let summary = move || {
        workbench.picked().with(|picked| match picked {
            None => view! { <p class="muted">"No file chosen yet."</p> }.into_any(),
            Some(Picked::Reading { name, size, read }) => {
                let (size, read) = (*size, *read);
                view! {
                    <div class="file-summary" data-phase="reading" aria-busy="true">
                        <p>
                            <strong class="file-name">{name.clone()}</strong>
                            " · " {figures::bytes(size)}
                        </p>
                        <p>
                            <label>
                                "Checking and computing MD5… "
                                <progress max=size.to_string() value=read.to_string()></progress>
                            </label>
                        </p>
                    </div>
                }
                .into_any()
            }
            Some(Picked::Refused { name, size, error }) => view! {
                <div class="file-summary file-summary--refused" data-phase="refused" role="alert">
                    <p>
                        <span class="badge badge--error">"Refused"</span>
                        " "
                        <strong class="file-name">{name.clone()}</strong>
                        " · "
                        {figures::bytes(*size)}
                    </p>
                    <p class="refusal">{error.to_string()}</p>
                    <p class="muted">"Nothing was sent."</p>
                </div>
            }
            .into_any(),
            Some(Picked::Checked(checked)) => {
                let accepted = &checked.original.accepted;
                let kind = match accepted.kind {
                    FileKind::Csv => "CSV file",
                    FileKind::Zip => "ZIP archive",
                };
                let phase = if checked.preflight.has_errors() {
                    "findings"
                } else {
                    "ready"
                };
                let badge = if checked.preflight.has_errors() {
                    view! { <span class="badge badge--error">"✗ Needs fixing"</span> }.into_any()
                } else {
                    view! { <span class="badge badge--ok">"✓ Checked"</span> }.into_any()
                };
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
                        <TooBigPanel checked=checked.clone() />
                        <PreflightView preflight=checked.preflight.clone() />
                    </div>
                }
                .into_any()
            }
        })
    };
    view! {
        <WaitingFiles />
        {summary}
    }
}

/// The other files handed over at the same time, checked one after another.
#[component]
fn WaitingFiles() -> impl IntoView {
    let workbench = expect_context::<Workbench>();
    move || {
        let names = workbench.waiting_names();
        (!names.is_empty()).then(|| {
            let count = names.len();
            let list = names.join(", ");
            view! {
                <div class="waiting" role="status">
                    <p>
                        {format!(
                            "{} waiting, checked one after another once this one is submitted: {list}. ",
                            figures::count(count as u64, "more file", "more files"),
                        )}
                        <button type="button" class="link-button" on:click=move |_| workbench.next_file()>
                            "Skip this file"
                        </button>
                    </p>
                </div>
            }
        })
    }
}
