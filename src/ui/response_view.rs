use crate::state::jobs::{save_response_zip, save_resubmit_csv, ResponseState};
use leptos::prelude::*;
use mass_updater_domain::wording::jobs::{
    download_rows_to_resubmit, more_failed_rows, rows_kept_for_their_group, FETCHING_RESPONSE_FILE,
};
use mass_updater_domain::{figures, ResponseSummary};
use std::sync::Arc;

/// A response file, unzipped in the browser: how many rows succeeded, failed and were
/// not processed, the failed rows with Zuora's error message, and downloads of the zip
/// and of a CSV of the rows to fix and send again (named after `file_name`, the file
/// sent). `state` is where its fetch is, from whichever store fetched it: the job list
/// or the team history.
#[component]
pub fn ResponseView(state: Signal<Option<ResponseState>>, file_name: String) -> impl IntoView {
    move || match state.get() {
        None => ().into_any(),
        Some(ResponseState::Loading) => {
            view! { <p class="muted" role="status">{FETCHING_RESPONSE_FILE}</p> }.into_any()
        }
        Some(ResponseState::Failed(why)) => {
            view! { <p class="notice notice--error" role="alert">{why.to_string()}</p> }.into_any()
        }
        Some(ResponseState::Ready { summary, zip }) => {
            let file_name = file_name.clone();
            view! { <ResponseSummaryView summary zip file_name /> }.into_any()
        }
    }
}

#[component]
fn ResponseSummaryView(
    summary: ResponseSummary,
    zip: Arc<Vec<u8>>,
    file_name: String,
) -> impl IntoView {
    let to_resubmit = summary.rows_to_resubmit();
    let left_out = summary.failed_rows_left_out();
    let zip_name = file_name.clone();
    let for_csv = StoredValue::new((summary.clone(), file_name));
    view! {
        <div class="response-view">
            <dl class="counts response-counts">
                <dt>"Succeeded"</dt>
                <dd data-count="succeeded">{figures::grouped(summary.succeeded)}</dd>
                <dt>"Failed"</dt>
                <dd data-count="failed">{figures::grouped(summary.failed)}</dd>
                <dt>"Not processed"</dt>
                <dd data-count="not-processed">{figures::grouped(summary.not_processed)}</dd>
            </dl>
            <div class="job-buttons">
                <button type="button" class="button" data-action="download-zip" on:click=move |_| save_response_zip(&zip, &zip_name)>
                    "Download response file (.zip)"
                </button>
                {(to_resubmit > 0).then(|| view! {
                    <button type="button" class="button button--primary" data-action="download-resubmit" on:click=move |_| for_csv.with_value(|(s, name)| save_resubmit_csv(s, name))>
                        {download_rows_to_resubmit(to_resubmit)}
                    </button>
                })}
            </div>
            {rows_kept_for_their_group(summary.rows_kept_for_their_group())
                .map(|said| view! { <p class="hint" data-group-rows="">{said}</p> })}
            {(!summary.failed_rows.is_empty()).then(|| failed_rows(&summary))}
            {(left_out > 0).then(|| view! {
                <p class="hint">{more_failed_rows(left_out)}</p>
            })}
        </div>
    }
}

/// The rows Zuora marked as failed, with its error message and the file's columns.
fn failed_rows(summary: &ResponseSummary) -> impl IntoView {
    let header = &summary.header;
    let columns = header
        .iter()
        .map(|h| view! { <th scope="col">{h.clone()}</th> })
        .collect_view();
    let rows = summary
        .failed_rows
        .iter()
        .map(|r| {
            let cells = r
                .fields
                .iter()
                .zip(header.iter())
                .map(|(f, h)| view! { <td data-label=h.clone()>{f.clone()}</td> })
                .collect_view();
            view! {
                <tr class="failed-row">
                    <td data-label="Row" class="number">{figures::grouped(r.row)}</td>
                    <td data-label="Error Message" class="error-message">{r.error_message.clone()}</td>
                    {cells}
                </tr>
            }
        })
        .collect_view();
    view! {
        // Focusable, so the rows can be scrolled from the keyboard when they are wider
        // than the card.
        <div class="table-scroll" tabindex="0" role="region" aria-label="Rows Zuora marked as failed">
            <table class="failed-rows">
                <caption>"Rows Zuora marked as failed"</caption>
                <thead>
                    <tr>
                        <th scope="col">"Row"</th>
                        <th scope="col">"Error Message"</th>
                        {columns}
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
    }
}
