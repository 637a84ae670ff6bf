use crate::state::workbench::{Checked, Plan, Sendable, Workbench};
use leptos::prelude::*;
use mass_updater_domain::figures;
use mass_updater_domain::wording::workbench::{
    compressed_to, over_the_limit, over_the_limit_compressed, split_into,
};

/// For a CSV over the size limit: compress it into a ZIP, or split it into several
/// files; then what will be sent.
#[component]
pub fn TooBigPanel(checked: Checked) -> impl IntoView {
    let workbench = expect_context::<Workbench>();
    let limit = workbench.limit();
    let size = checked.original.accepted.size;
    let body = match checked.plan {
        Plan::AsIs => return ().into_any(),
        Plan::TooBig => view! {
            <p>{over_the_limit(size, limit)}</p>
            {fit_buttons(workbench, true)}
        }
        .into_any(),
        Plan::PackTooBig { .. } => view! {
            <p>{over_the_limit_compressed(limit)}</p>
            {fit_buttons(workbench, false)}
        }
        .into_any(),
        Plan::Packed(zip) => view! { {packed(zip, size)} }.into_any(),
        Plan::Split(parts) => view! { {split_parts(parts)} }.into_any(),
        Plan::CannotFit(why) => view! {
            <p class="refusal">
                <span class="badge badge--error">"✗ Cannot fit"</span>
                " "
                {why.to_string()}
            </p>
        }
        .into_any(),
    };
    view! {
        <div class="too-big" role="group" aria-label="File over the size limit">
            {body}
            {fit_progress(workbench)}
        </div>
    }
    .into_any()
}

/// Compress (when it may still help) and Split, while nothing is being prepared.
fn fit_buttons(workbench: Workbench, compress: bool) -> impl IntoView {
    let idle = move || workbench.busy().is_none();
    view! {
        <p class="actions">
            {compress.then(|| view! {
                <button type="button" class="button" disabled=move || !idle() on:click=move |_| workbench.compress()>"Compress into a .zip"</button>
                " "
            })}
            <button type="button" class="button" disabled=move || !idle() on:click=move |_| workbench.split()>"Split into several files"</button>
        </p>
    }
}

/// The ZIP that fits, and its MD5.
fn packed(zip: Sendable, original_size: u64) -> impl IntoView {
    let size = zip.accepted.size;
    let percent = (size * 100).div_ceil(original_size.max(1));
    view! {
        <p>
            <span class="badge badge--ok">"✓ Fits"</span>
            {compressed_to(size, percent)}
            <code data-fact="packed-md5">{zip.accepted.checksum.to_string()}</code>
            "."
        </p>
    }
}

/// The parts a split made, each with its size and MD5.
fn split_parts(parts: Vec<Sendable>) -> impl IntoView {
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
            {split_into(count)}
        </p>
        <ol class="parts">{rows}</ol>
    }
}

/// The step of making the file fit that is running, and how far it got.
fn fit_progress(workbench: Workbench) -> impl IntoView {
    move || {
        workbench.busy().map(|b| {
            view! {
                <p>
                    <label>
                        {b.step.to_string()}
                        <progress max=b.of.to_string() value=b.done.to_string()></progress>
                    </label>
                </p>
            }
        })
    }
}
