use super::job_row::local_time;
use super::ResponseView;
use crate::state::{Jobs, Team};
use leptos::prelude::*;
use mass_updater_domain::figures;
use mass_updater_domain::team::{TeamJob, TeamStatus};
use mass_updater_domain::wording::team::team_job_sentence;

/// One mass action of the team history: the file, who sent it and when (marked when
/// this browser sent it: the same job as in this browser's list), its status, its keys,
/// and its response file once it has ended.
#[component]
pub fn TeamRow(key: String) -> impl IntoView {
    let team = expect_context::<Team>();
    let jobs = expect_context::<Jobs>();
    let job_key = key.clone();
    let job = Memo::new(move |_| team.job(&job_key));
    let Some(first) = job.get_untracked() else {
        return ().into_any();
    };
    let status = Memo::new(move |_| job.with(|j| j.as_ref().map(|j| j.status.clone())));
    let sentence = move || job.with(|j| j.as_ref().map(team_job_sentence));
    let bulk_key = Memo::new(move |_| job.with(|j| j.as_ref().and_then(|j| j.bulk_key.clone())));
    let has_file =
        Memo::new(move |_| job.with(|j| j.as_ref().is_some_and(|j| j.response_file().is_some())));
    let sent_here = {
        let first = first.clone();
        move || jobs.holds(&first)
    };
    let open_key = key.clone();
    let response_open = move || team.response_open(&open_key);
    let state_key = key.clone();
    let response = Signal::from(Memo::new(move |_| team.response(&state_key)));
    let button_key = key.clone();
    view! {
        <tr class="team-job" data-status=move || status.get().map(|s| s.as_str().to_owned()) data-key=key>
            <td data-label="File" class="file-name">{file_cell(&first)}</td>
            <td data-label="Sent by">
                <strong class="sender">{first.submitted_by.clone()}</strong>
                <span class="file-facts">{submitted_at(&first.submitted_at)}</span>
                <Show when=sent_here.clone()>
                    <span class="badge badge--neutral" data-badge="here">"Sent from this browser"</span>
                </Show>
            </td>
            <td data-label="Status" class="job-status">
                {move || status.get().map(|s| view! {
                    <span class=format!("badge {}", badge_class(&s)) data-badge=s.as_str().to_owned()>{s.as_str().to_owned()}</span>
                })}
                <p class="job-sentence">{sentence}</p>
            </td>
            <td data-label="Keys">{keys_cell(&first, bulk_key)}</td>
            <td data-label="Actions" class="job-actions">
                <Show when=move || has_file.get()>{response_button(team, button_key.clone())}</Show>
            </td>
        </tr>
        <Show when=response_open>
            <tr class="response-row">
                <td colspan="5">
                    <ResponseView state=response file_name=first.file_name.clone() />
                </td>
            </tr>
        </Show>
    }
    .into_any()
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
fn submitted_at(rfc3339: &str) -> impl IntoView {
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

fn keys_cell(job: &TeamJob, bulk_key: Memo<Option<String>>) -> impl IntoView {
    view! {
        <dl class="request-keys">
            {move || bulk_key.get().map(|k| view! {
                <dt>"Bulk key"</dt>
                <dd><code class="bulk-key">{k}</code></dd>
            })}
            <dt>"Idempotency-Key"</dt>
            <dd><code data-key="idempotency">{job.idempotency_key.clone()}</code></dd>
            {job.track_id.clone().map(|t| view! {
                <dt>"Zuora-Track-Id"</dt>
                <dd><code data-key="track">{t}</code></dd>
            })}
        </dl>
    }
}

/// Opens or closes the response file.
fn response_button(team: Team, key: String) -> impl IntoView {
    let open_key = key.clone();
    let open = move || team.response_open(&open_key);
    view! {
        <button
            type="button"
            class="button"
            data-action="response"
            aria-expanded=move || open().to_string()
            on:click=move |_| {
                if untrack(|| team.response_open(&key)) {
                    team.close_response(&key)
                } else {
                    team.open_response(&key)
                }
            }
        >
            "Response file"
        </button>
    }
}
