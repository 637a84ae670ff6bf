use super::cell_ids::CellIds;
use super::CellEditor;
use leptos::prelude::*;
use mass_updater_domain::figures;
use mass_updater_domain::preflight::{Finding, Preflight, Severity};
use mass_updater_domain::wording::workbench::{counted_not_listed, list_findings, place};
use std::sync::Arc;

/// Findings listed at first; the rest of those kept follow on request.
const FIRST_FINDINGS: usize = 20;

/// The findings kept, the first few at once and the others on request (a long list is
/// slow to lay out and long to read), each linking to its cell when the preview shows
/// it; and, when some were only counted, all of them by kind.
#[component]
pub fn FindingsList(preflight: Arc<Preflight>, ids: CellIds) -> impl IntoView {
    let findings: Arc<Vec<Finding>> = Arc::new(preflight.findings().cloned().collect());
    let total = preflight.errors() + preflight.warnings();
    let header = Arc::new(preflight.csv.header.clone());
    let item = move |f: &Finding| finding_item(f, &header, &ids);
    let all_findings = RwSignal::new(false);
    let first = findings
        .iter()
        .take(FIRST_FINDINGS)
        .map(item.clone())
        .collect_view();
    let rest = {
        let findings = findings.clone();
        move || {
            all_findings.get().then(|| {
                findings
                    .iter()
                    .skip(FIRST_FINDINGS)
                    .map(item.clone())
                    .collect_view()
            })
        }
    };
    let more = findings.len().saturating_sub(FIRST_FINDINGS) as u64;
    let dropped = preflight.dropped();
    view! {
        <details class="findings" open=true>
            <summary>{format!("Findings ({})", figures::grouped(total))}</summary>
            <ol class="findings__list">{first}{rest}</ol>
            {(more > 0).then(|| view! {
                // One button that stays, so the focus stays with it.
                <button
                    type="button"
                    class="button button--quiet"
                    aria-expanded=move || all_findings.get().to_string()
                    on:click=move |_| all_findings.update(|all| *all = !*all)
                >
                    {move || list_findings(all_findings.get(), FIRST_FINDINGS, more)}
                </button>
            })}
            {(dropped > 0).then(|| view! {
                <p class="muted">{counted_not_listed(dropped, findings.len())}</p>
                <ul class="finding-counts">{by_kind(&preflight)}</ul>
            })}
        </details>
    }
}

/// One finding: its severity, its sentence, and a link to its cell.
fn finding_item(f: &Finding, header: &[String], ids: &CellIds) -> impl IntoView {
    let severity = match f.severity {
        Severity::Error => view! { <span class="badge badge--error">"✗ Error"</span> },
        Severity::Warning => view! { <span class="badge badge--pending">"! Warning"</span> },
    };
    let column = f.column.map(|c| (c, header.get(c).map(String::as_str)));
    let place = place(f.row, column);
    let link = ids.target(f).map(|target| {
        view! {
            " "
            // The visible words start the accessible name (WCAG 2.5.3); the place
            // follows for a screen reader's list of links.
            <a href=target>
                "Show in preview"
                <span class="visually-hidden">{format!(": {place}")}</span>
            </a>
        }
    });
    // A finding about one cell can be fixed in place.
    let editor = f.row.zip(column).map(|(row, (column, name))| {
        let (name, value) = (
            name.unwrap_or_default().to_owned(),
            f.value.clone().unwrap_or_default(),
        );
        view! { " " <CellEditor row column column_name=name value /> }
    });
    view! {
        <li class="finding" data-code=f.code data-severity=severity_name(f.severity)>
            {severity}
            " "
            <span class="finding__message">{f.message.clone()}</span>
            {link}
            {editor}
        </li>
    }
}

/// Every finding counted, by code.
fn by_kind(preflight: &Preflight) -> Vec<impl IntoView> {
    preflight
        .csv
        .findings
        .by_code()
        .chain(preflight.columns.by_code())
        .map(|(code, severity, n)| {
            let word = severity_name(severity);
            view! { <li><code>{code}</code>{format!(" ({word}): {}", figures::grouped(n))}</li> }
        })
        .collect()
}

pub fn severity_name(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
    }
}
