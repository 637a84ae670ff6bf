use super::cell_ids::CellIds;
use super::{FindingsList, PreviewTable};
use crate::state::Workbench;
use leptos::prelude::*;
use mass_updater_domain::preflight::Preflight;
use mass_updater_domain::wording::workbench::{
    checked_as, detected, errors_count, looks_like, warnings_count, NO_PROBLEMS,
};
use mass_updater_domain::{figures, ActionType};
use std::sync::Arc;

/// Rows of the preview shown (the scan keeps a few more).
const PREVIEW_ROWS: usize = 10;

/// What preflight found: a summary, a suggestion of the action type, the findings, and
/// the first rows with the cells that have findings marked (by a symbol and text, not
/// by colour alone). Each finding in the preview links to its cell.
#[component]
pub fn PreflightView(preflight: Arc<Preflight>) -> impl IntoView {
    let workbench = expect_context::<Workbench>();
    let p = preflight;
    let shown_rows = p.csv.preview.len().min(PREVIEW_ROWS);
    let ids = CellIds::new(shown_rows);
    let (errors, warnings) = (p.errors(), p.warnings());
    let has_findings = p.findings().next().is_some();
    let has_header = !p.csv.header.is_empty();
    let (list, table) = (p.clone(), p.clone());
    let list_ids = ids.clone();
    view! {
        <div class="preflight" data-errors=errors data-warnings=warnings>
            <p class="preflight__verdict">{verdict(errors, warnings)}</p>
            {facts(&p)}
            {suggestion(workbench, p.detected)}
            {has_findings.then(|| view! { <FindingsList preflight=list ids=list_ids /> })}
            {has_header.then(|| view! { <PreviewTable preflight=table ids shown_rows /> })}
        </div>
    }
}

/// The counts of errors and warnings as badges, or that there are none.
fn verdict(errors: u64, warnings: u64) -> impl IntoView {
    let warned = move || view! { <span class="badge badge--pending">{format!("! {}", warnings_count(warnings))}</span> };
    match (errors, warnings) {
        (0, 0) => view! { <span class="badge badge--ok">{NO_PROBLEMS}</span> }.into_any(),
        (0, _) => warned().into_any(),
        (e, w) => view! {
            <span class="badge badge--error">{format!("✗ {}", errors_count(e))}</span>
            {(w > 0).then(|| view! { " " {warned()} })}
        }
        .into_any(),
    }
}

/// The file's shape: the CSV inside a ZIP, rows, columns, the action type it looks like
/// and the one it was checked as.
fn facts(preflight: &Preflight) -> impl IntoView {
    let p = preflight;
    let as_chosen = p.chosen.is_some() && p.chosen == p.checked_as;
    view! {
        <dl class="facts">
            {p.entry_name.clone().map(|n| view! { <dt>"CSV inside"</dt><dd class="file-name">{n}</dd> })}
            <dt>"Rows"</dt>
            <dd data-fact="rows">{figures::grouped(p.csv.data_rows)}</dd>
            <dt>"Columns"</dt>
            <dd data-fact="columns">{p.csv.header.len()}</dd>
            <dt>"Looks like"</dt>
            <dd data-fact="detected">{detected(p.detected)}</dd>
            <dt>"Checked as"</dt>
            <dd data-fact="checked-as">{checked_as(p.checked_as, as_chosen)}</dd>
        </dl>
    }
}

/// The action type the header looks like, with a button that chooses it, while
/// another (or none) is chosen.
fn suggestion(workbench: Workbench, detected: Option<ActionType>) -> impl IntoView {
    move || {
        let d = detected?;
        let chosen = workbench.action_type();
        (chosen != Some(d)).then(|| {
            view! {
                <p class="suggestion">
                    {looks_like(d, chosen.is_some())}
                    <button
                        type="button"
                        class="button"
                        on:click=move |_| {
                            workbench.choose_action(Some(d));
                            // This button goes away with the suggestion: the focus moves
                            // to the choice it made instead of falling to the page.
                            workbench.focus_action_type();
                        }
                    >
                        {format!("Use {}", d.api_name())}
                    </button>
                </p>
            }
        })
    }
}
