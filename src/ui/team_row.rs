use super::job_row::local_time;
use super::ResponseView;
use crate::state::{Jobs, Team};
use leptos::prelude::*;
use mass_updater_domain::figures;
use mass_updater_domain::team::{TeamJob, TeamStatus};
use mass_updater_domain::wording::team::team_job_sentence;

/// One mass action of the team history, as last heard: the file, who sent it and when
/// (marked when this browser sent it: the same job as in this browser's list), its
/// status, its keys, and its response file once it has ended. Built once per record:
/// the list makes a new row when the record changes (see `TeamJob::row_key`).
#[component]
pub fn TeamRow(job: TeamJob) -> impl IntoView {
    let team = expect_context::<Team>();
    let sent_here = untrack(|| expect_context::<Jobs>().holds(&job));
    let key = StoredValue::new(job.idempotency_key.clone());
    let response = Signal::derive(move || key.with_value(|k| team.response(k)));
    let status = job.status.as_str().to_owned();
    let (row_status, badge) = (status.clone(), status.clone());
    let sentence = team_job_sentence(&job);
    let has_file = job.response_file().is_some();
    let file_name = job.file_name.clone();
    view! {
        <tr class="team-job" data-status=row_status data-key=job.idempotency_key.clone()>
            <td data-label="File" class="file-name">{file_cell(&job)}</td>
            <td data-label="Sent by">
                <strong class="sender">{job.submitted_by.clone()}</strong>
                <span class="file-facts">{submitted_at(&job.submitted_at)}</span>
                {sent_here.then(|| view! {
                    <span class="badge badge--neutral" data-badge="here">"Sent from this browser"</span>
                })}
            </td>
            <td data-label="Status" class="job-status">
                <span class=format!("badge {}", badge_class(&job.status)) data-badge=badge>{status}</span>
                <p class="job-sentence">{sentence}</p>
            </td>
            <td data-label="Keys">{keys_cell(&job)}</td>
            <td data-label="Actions" class="job-actions">
                {has_file.then(|| response_button(team, key))}
            </td>
        </tr>
        <Show when=move || key.with_value(|k| team.response_open(k))>
            <tr class="response-row">
                <td colspan="5">
                    <ResponseView state=response file_name=file_name.clone() />
                </td>
            </tr>
        </Show>
    }
}

fn badge_class(status: &TeamStatus) -> &'static str {
    match status {
        TeamStatus::Completed => "badge--ok",
        TeamStatus::Stopped => "badge--neutral",
        TeamStatus::Failed | TeamStatus::Refused | TeamStatus::Unknown => "badge--error",
        _ => "badge--pending",
    }
}

/// When it was sent, in the user's local time (as the job list shows its times).
fn submitted_at(rfc3339: &str) -> AnyView {
    let ms = js_sys::Date::parse(rfc3339);
    if ms.is_finite() && ms >= 0.0 {
        local_time(ms as u64).into_any()
    } else {
        rfc3339.to_owned().into_any()
    }
}

fn file_cell(job: &TeamJob) -> impl IntoView {
    let action = job
        .action_type()
        .map_or_else(|| job.action_type.clone(), |a| a.label().to_owned());
    view! {
        <strong>{job.file_name.clone()}</strong>
        <span class="file-facts">
            {action} " (" <code>{job.action_type.clone()}</code> "), " {figures::bytes(job.file_size)}
        </span>
        <span class="file-facts">"MD5 " <code class="checksum">{job.md5.clone()}</code></span>
    }
}

fn keys_cell(job: &TeamJob) -> impl IntoView {
    let key = |label: &'static str, class: &'static str, value: &Option<String>| {
        value
            .clone()
            .map(|v| view! { <dt>{label}</dt><dd><code class=class>{v}</code></dd> })
    };
    view! {
        <dl class="request-keys">
            {key("Bulk key", "bulk-key", &job.bulk_key)}
            <dt>"Idempotency-Key"</dt>
            <dd><code data-key="idempotency">{job.idempotency_key.clone()}</code></dd>
            {key("Zuora-Track-Id", "track-id", &job.track_id)}
        </dl>
    }
}

/// Opens or closes the response file.
fn response_button(team: Team, key: StoredValue<String>) -> impl IntoView {
    view! {
        <button
            type="button"
            class="button"
            data-action="response"
            aria-expanded=move || key.with_value(|k| team.response_open(k)).to_string()
            on:click=move |_| key.with_value(|k| team.toggle_response(k))
        >
            "Response file"
        </button>
    }
}
