use super::workbench::{Picked, Workbench};
use leptos::prelude::*;
use mass_updater_domain::figures;
use mass_updater_domain::FileKind;

/// What we know about the file handed over: its name, exact size and MD5, its progress
/// while being checked, or the one sentence saying why it was refused.
#[component]
pub fn FileSummary() -> impl IntoView {
    let workbench = expect_context::<Workbench>();
    move || {
        workbench.picked.with(|picked| match picked {
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
            Some(Picked::Ready { accepted, .. }) => {
                let kind = match accepted.kind {
                    FileKind::Csv => "CSV file",
                    FileKind::Zip => "ZIP archive",
                };
                view! {
                    <div class="file-summary file-summary--ready" data-phase="ready">
                        <p>
                            <span class="badge badge--ok">"Ready"</span>
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
                    </div>
                }
                .into_any()
            }
        })
    }
}
