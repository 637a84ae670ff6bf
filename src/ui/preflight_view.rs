use super::unique_id;
use crate::state::Workbench;
use leptos::prelude::*;
use mass_updater_domain::figures;
use mass_updater_domain::preflight::{Finding, Preflight, Severity};
use std::sync::Arc;

/// Rows of the preview shown (the scan keeps a few more).
const PREVIEW_ROWS: usize = 10;
/// Findings listed at first; the rest of those kept follow on request.
const FIRST_FINDINGS: usize = 20;

/// What preflight found: a summary, a suggestion of the action type, the findings, and
/// the first rows with the cells that have findings marked (by a symbol and text, not
/// by colour alone). Each finding in the preview links to its cell.
#[component]
pub fn PreflightView(preflight: Arc<Preflight>) -> impl IntoView {
    let workbench = expect_context::<Workbench>();
    let p = preflight;
    let prefix = unique_id("cell");
    let shown_rows = p.csv.preview.len().min(PREVIEW_ROWS);
    // Spreadsheet rows of the preview: the header is 1, data rows start at 2.
    let in_preview = move |f: &Finding| match f.row {
        Some(1) => f.column.is_some(),
        Some(row) => row >= 2 && row < 2 + shown_rows as u64,
        None => false,
    };
    let cell_id = {
        let prefix = prefix.clone();
        move |row: u64, column: usize| format!("{prefix}-r{row}-c{column}")
    };
    let row_id = {
        let prefix = prefix.clone();
        move |row: u64| format!("{prefix}-r{row}")
    };

    let detected = p.detected;
    let suggestion = move || {
        let d = detected?;
        let chosen = workbench.action_type();
        (chosen != Some(d)).then(|| {
            let lead = if chosen.is_some() {
                "The columns look more like"
            } else {
                "This file looks like"
            };
            view! {
                <p class="suggestion">
                    {format!("{lead} “{}” ({}). ", d.label(), d.api_name())}
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
    };
    let checked_as = match (p.checked_as, p.chosen) {
        (Some(a), Some(c)) if a == c => format!("{} ({})", a.label(), a.api_name()),
        (Some(a), _) => format!(
            "{} ({}), as suggested, until you choose",
            a.label(),
            a.api_name()
        ),
        (None, _) => "Not yet: choose an action type".to_owned(),
    };

    let errors = p.errors();
    let warnings = p.warnings();
    let verdict = match (errors, warnings) {
        (0, 0) => view! { <span class="badge badge--ok">"✓ No problems found"</span> }.into_any(),
        (0, w) => view! { <span class="badge badge--pending">{format!("! {}", figures::count(w, "warning", "warnings"))}</span> }.into_any(),
        (e, w) => view! {
            <span class="badge badge--error">{format!("✗ {}", figures::count(e, "error", "errors"))}</span>
            {(w > 0).then(|| view! { " " <span class="badge badge--pending">{format!("! {}", figures::count(w, "warning", "warnings"))}</span> })}
        }
        .into_any(),
    };

    let findings: Vec<Finding> = p.findings().cloned().collect();
    let by_kind = p
        .csv
        .findings
        .by_code()
        .chain(p.columns.by_code())
        .map(|(code, severity, n)| {
            let word = match severity {
                Severity::Error => "error",
                Severity::Warning => "warning",
            };
            view! { <li><code>{code}</code>{format!(" ({word}): {}", figures::grouped(n))}</li> }
        })
        .collect::<Vec<_>>();
    let dropped = p.dropped();
    let header = p.csv.header.clone();
    let item = {
        let header = header.clone();
        let (cell_id, row_id) = (cell_id.clone(), row_id.clone());
        move |f: &Finding| {
            let place = place(f, &header);
            let linked = in_preview(f);
            let target = match (f.row, f.column) {
                (Some(r), Some(c)) => format!("#{}", cell_id(r, c)),
                (Some(r), None) => format!("#{}", row_id(r)),
                _ => String::new(),
            };
            let severity = match f.severity {
                Severity::Error => view! { <span class="badge badge--error">"✗ Error"</span> },
                Severity::Warning => {
                    view! { <span class="badge badge--pending">"! Warning"</span> }
                }
            };
            view! {
                <li class="finding" data-code=f.code data-severity=severity_name(f.severity)>
                    {severity}
                    " "
                    <span class="finding__message">{f.message.clone()}</span>
                    {linked.then(|| view! {
                        " "
                        // The visible words start the accessible name (WCAG 2.5.3);
                        // the place follows for a screen reader's list of links.
                        <a href=target>
                            "Show in preview"
                            <span class="visually-hidden">{format!(": {place}")}</span>
                        </a>
                    })}
                </li>
            }
        }
    };
    // The first few at once; all that were kept on request (a long list is slow to lay
    // out and long to read).
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
    let more_findings = findings.len().saturating_sub(FIRST_FINDINGS);

    // Cells with findings, for marking the preview.
    let mark = {
        let findings = findings.clone();
        move |row: u64, column: usize| -> Option<(Severity, String)> {
            let here: Vec<&Finding> = findings
                .iter()
                .filter(|f| f.row == Some(row) && f.column == Some(column))
                .collect();
            let worst = here.iter().map(|f| f.severity).min()?;
            let text = here
                .iter()
                .map(|f| f.message.as_str())
                .collect::<Vec<_>>()
                .join(" ");
            Some((worst, text))
        }
    };
    let cell = {
        let cell_id = cell_id.clone();
        move |row: u64, column: usize, value: String, is_header: bool| {
            let id = cell_id(row, column);
            match mark(row, column) {
                None if is_header => view! { <th scope="col" id=id>{value}</th> }.into_any(),
                None => view! { <td id=id>{value}</td> }.into_any(),
                Some((severity, text)) => {
                    let (class, symbol, label) = match severity {
                        Severity::Error => ("cell--error", "✗", "Error: "),
                        Severity::Warning => ("cell--warning", "!", "Warning: "),
                    };
                    let body = view! {
                        <span class="cell-mark" aria-hidden="true">{symbol}" "</span>
                        {value}
                        <span class="visually-hidden">{format!(" ({label}{text})")}</span>
                    };
                    if is_header {
                        view! { <th scope="col" id=id class=class title=text.clone()>{body}</th> }
                            .into_any()
                    } else {
                        view! { <td id=id class=class title=text.clone()>{body}</td> }.into_any()
                    }
                }
            }
        }
    };
    let head_cells = header
        .iter()
        .enumerate()
        .map(|(c, h)| cell(1, c, h.clone(), true))
        .collect_view();
    let body_rows = p
        .csv
        .preview
        .iter()
        .take(shown_rows)
        .enumerate()
        .map(|(i, fields)| {
            let row = i as u64 + 2;
            let cells = fields
                .iter()
                .enumerate()
                .map(|(c, v)| cell(row, c, v.clone(), false))
                .collect_view();
            let row_finding = findings
                .iter()
                .filter(|f| f.row == Some(row) && f.column.is_none())
                .map(|f| f.severity)
                .min();
            let (class, symbol) = match row_finding {
                Some(Severity::Error) => ("row-number cell--error", "✗ "),
                Some(Severity::Warning) => ("row-number cell--warning", "! "),
                None => ("row-number", ""),
            };
            view! {
                <tr>
                    <th scope="row" class=class id=row_id(row)>{symbol}{row}</th>
                    {cells}
                </tr>
            }
        })
        .collect_view();
    let has_header = !header.is_empty();
    let rows_total = p.csv.data_rows;

    view! {
        <div class="preflight" data-errors=errors data-warnings=warnings>
            <p class="preflight__verdict">{verdict}</p>
            <dl class="facts">
                {p.entry_name.clone().map(|n| view! { <dt>"CSV inside"</dt><dd class="file-name">{n}</dd> })}
                <dt>"Rows"</dt>
                <dd data-fact="rows">{figures::grouped(rows_total)}</dd>
                <dt>"Columns"</dt>
                <dd data-fact="columns">{header.len()}</dd>
                <dt>"Looks like"</dt>
                <dd data-fact="detected">
                    {detected.map_or("No action type fits these columns".to_owned(), |d| format!("{} ({})", d.label(), d.api_name()))}
                </dd>
                <dt>"Checked as"</dt>
                <dd data-fact="checked-as">{checked_as}</dd>
            </dl>
            {suggestion}
            {(!findings.is_empty()).then(|| view! {
                <details class="findings" open=true>
                    <summary>{format!("Findings ({})", figures::grouped(errors + warnings))}</summary>
                    <ol class="findings__list">{first}{rest}</ol>
                    {(more_findings > 0).then(|| view! {
                        // One button that stays, so the focus stays with it.
                        <button
                            type="button"
                            class="button button--quiet"
                            aria-expanded=move || all_findings.get().to_string()
                            on:click=move |_| all_findings.update(|all| *all = !*all)
                        >
                            {move || if all_findings.get() {
                                format!("List only the first {FIRST_FINDINGS}")
                            } else {
                                format!("List {} more", figures::grouped(more_findings as u64))
                            }}
                        </button>
                    })}
                    {(dropped > 0).then(|| view! {
                        <p class="muted">{format!("{} more are counted but not listed; the list keeps the first {}. All of them, by kind:", figures::grouped(dropped), findings.len())}</p>
                        <ul class="finding-counts">{by_kind}</ul>
                    })}
                </details>
            })}
            {has_header.then(|| view! {
                <details class="preview" open=true>
                    <summary>{format!("Preview: first {} of {} rows", shown_rows, figures::grouped(rows_total))}</summary>
                    <div class="table-scroll" tabindex="0" role="region" aria-label="Preview of the file">
                        <table class="preview-table">
                            <thead>
                                <tr>
                                    <th scope="col" class="row-number">"Row"</th>
                                    {head_cells}
                                </tr>
                            </thead>
                            <tbody>{body_rows}</tbody>
                        </table>
                    </div>
                </details>
            })}
        </div>
    }
}

fn severity_name(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
    }
}

/// Where a finding is, for its link: “row 7, “Start Date””.
fn place(f: &Finding, header: &[String]) -> String {
    let column = f.column.map(|c| match header.get(c) {
        Some(name) if !name.is_empty() => format!("“{name}”"),
        _ => format!("column {}", c + 1),
    });
    match (f.row, column) {
        (Some(1), Some(c)) => format!("the header of {c}"),
        (Some(1), None) => "the header".to_owned(),
        (Some(r), Some(c)) => format!("row {}, {c}", figures::grouped(r)),
        (Some(r), None) => format!("row {}", figures::grouped(r)),
        (None, Some(c)) => c,
        (None, None) => "the file".to_owned(),
    }
}
