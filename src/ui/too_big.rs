use crate::state::workbench::{Checked, Plan, Workbench};
use leptos::prelude::*;
use mass_updater_domain::figures;

/// For a CSV over the size limit: compress it into a ZIP, or split it into several
/// files; then what will be sent.
#[component]
pub fn TooBigPanel(checked: Checked) -> impl IntoView {
    let workbench = expect_context::<Workbench>();
    let limit = workbench.limit();
    let size = checked.original.accepted.size;
    let busy = move || workbench.busy().get();
    let idle = move || workbench.busy().with(Option::is_none);

    let body = match checked.plan {
        Plan::AsIs => return ().into_any(),
        Plan::TooBig => view! {
            <p>
                {format!("This file is {}; Zuora takes at most {}. Compressing it into a .zip often makes it fit; otherwise it can be split into several files.", figures::bytes(size), figures::bytes(limit))}
            </p>
            <p class="actions">
                <button type="button" class="button" disabled=move || !idle() on:click=move |_| workbench.compress()>"Compress into a .zip"</button>
                " "
                <button type="button" class="button" disabled=move || !idle() on:click=move |_| workbench.split()>"Split into several files"</button>
            </p>
        }
        .into_any(),
        Plan::PackTooBig { .. } => view! {
            <p>
                {format!("Even compressed, this file is over the limit of {}. Split it into several files, each its own mass action; rows of one Group ID stay together.", figures::bytes(limit))}
            </p>
            <p class="actions">
                <button type="button" class="button" disabled=move || !idle() on:click=move |_| workbench.split()>"Split into several files"</button>
            </p>
        }
        .into_any(),
        Plan::Packed(s) => view! {
            <p>
                <span class="badge badge--ok">"✓ Fits"</span>
                {format!(" Compressed to {} ({}% of the original). This .zip is what will be sent; its MD5 is ", figures::bytes(s.accepted.size), (s.accepted.size * 100).div_ceil(size.max(1)))}
                <code data-fact="packed-md5">{s.accepted.checksum.to_string()}</code>
                "."
            </p>
        }
        .into_any(),
        Plan::Split(parts) => {
            let count = parts.len();
            let rows = parts
                .into_iter()
                .map(|p| {
                    view! {
                        <li>
                            <span class="file-name">{p.accepted.name.clone()}</span>
                            {format!(" · {} · MD5 ", figures::bytes(p.accepted.size))}
                            <code>{p.accepted.checksum.to_string()}</code>
                        </li>
                    }
                })
                .collect_view();
            view! {
                <p>
                    <span class="badge badge--ok">"✓ Fits"</span>
                    {format!(" Split into {count} files, each within the limit. Each becomes its own mass action, sent in order:")}
                </p>
                <ol class="parts">{rows}</ol>
            }
            .into_any()
        }
        Plan::CannotFit(why) => view! {
            <p class="refusal">
                <span class="badge badge--error">"✗ Cannot fit"</span>
                " "
                {why}
            </p>
        }
        .into_any(),
    };

    view! {
        <div class="too-big" role="group" aria-label="File over the size limit">
            {body}
            {move || busy().map(|b| view! {
                <p>
                    <label>
                        {format!("{}… ", b.what)}
                        <progress max=b.of.to_string() value=b.done.to_string()></progress>
                    </label>
                </p>
            })}
        </div>
    }
    .into_any()
}
