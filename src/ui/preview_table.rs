use super::cell_ids::CellIds;
use super::CellEditor;
use leptos::prelude::*;
use mass_updater_domain::preflight::{Finding, Preflight, Severity};
use mass_updater_domain::wording::workbench::preview_of;
use std::sync::Arc;

/// The file's first rows, with the cells that have findings marked by a symbol and
/// text (not by colour alone), each with an id the findings link to.
#[component]
pub fn PreviewTable(preflight: Arc<Preflight>, ids: CellIds, shown_rows: usize) -> impl IntoView {
    let marks = Marks(preflight.findings().cloned().collect());
    let head_cells = preflight
        .csv
        .header
        .iter()
        .enumerate()
        .map(|(c, h)| cell(&marks, &ids, (1, c), h.clone(), None))
        .collect_view();
    let body_rows = preflight
        .csv
        .preview
        .iter()
        .take(shown_rows)
        .enumerate()
        .map(|(i, fields)| data_row(&marks, &ids, i as u64 + 2, fields, &preflight.csv.header))
        .collect_view();
    let caption = preview_of(shown_rows, preflight.csv.data_rows);
    view! {
        <details class="preview" open=true>
            <summary>{caption}</summary>
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
    }
}

/// The findings, looked up by place.
struct Marks(Vec<Finding>);

impl Marks {
    /// The worst severity at a cell and the sentences of its findings.
    fn at_cell(&self, row: u64, column: usize) -> Option<(Severity, String)> {
        let here: Vec<&Finding> = self
            .0
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

    /// The worst severity of the findings about a whole row.
    fn at_row(&self, row: u64) -> Option<Severity> {
        self.0
            .iter()
            .filter(|f| f.row == Some(row) && f.column.is_none())
            .map(|f| f.severity)
            .min()
    }
}

fn data_row(
    marks: &Marks,
    ids: &CellIds,
    row: u64,
    fields: &[String],
    header: &[String],
) -> impl IntoView {
    let cells = fields
        .iter()
        .enumerate()
        .map(|(c, v)| {
            let name = header.get(c).cloned().unwrap_or_default();
            cell(marks, ids, (row, c), v.clone(), Some(name))
        })
        .collect_view();
    let (class, symbol) = match marks.at_row(row) {
        Some(Severity::Error) => ("row-number cell--error", "✗ "),
        Some(Severity::Warning) => ("row-number cell--warning", "! "),
        None => ("row-number", ""),
    };
    view! {
        <tr>
            <th scope="row" class=class id=ids.row(row)>{symbol}{row}</th>
            {cells}
        </tr>
    }
}

/// One cell: a header cell when `column_name` is `None`; a flagged data cell has an
/// editor.
fn cell(
    marks: &Marks,
    ids: &CellIds,
    (row, column): (u64, usize),
    value: String,
    column_name: Option<String>,
) -> AnyView {
    let is_header = column_name.is_none();
    let id = ids.cell(row, column);
    let Some((severity, text)) = marks.at_cell(row, column) else {
        return if is_header {
            view! { <th scope="col" id=id>{value}</th> }.into_any()
        } else {
            view! { <td id=id>{value}</td> }.into_any()
        };
    };
    let (class, symbol, label) = match severity {
        Severity::Error => ("cell--error", "✗", "Error: "),
        Severity::Warning => ("cell--warning", "!", "Warning: "),
    };
    let editor = column_name.map(|column_name| {
        let value = value.clone();
        view! { " " <CellEditor row column column_name value /> }
    });
    let body = view! {
        <span class="cell-mark" aria-hidden="true">{symbol}" "</span>
        {value}
        <span class="visually-hidden">{format!(" ({label}{text})")}</span>
        {editor}
    };
    if is_header {
        view! { <th scope="col" id=id class=class title=text.clone()>{body}</th> }.into_any()
    } else {
        view! { <td id=id class=class title=text.clone()>{body}</td> }.into_any()
    }
}
