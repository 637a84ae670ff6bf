use super::{JobActions, JobStatus, ResponseView};
use crate::state::Jobs;
use leptos::prelude::*;
use mass_updater_domain::{figures, Job, JobId, Progress};

/// One job in the list: its file, status, progress, times and keys, and what can be
/// done with it; the response file opens in a row beneath it.
#[component]
pub fn JobRow(id: JobId) -> impl IntoView {
    let jobs = expect_context::<Jobs>();
    let Some(row) = jobs.row(&id) else {
        return ().into_any();
    };
    // Owned by this row: disposed with it.
    let job = RwSignal::from(row.job).read_only();
    let state = Memo::new(move |_| job.with(|j| j.state.name().replace(' ', "-")));
    let response_id = id.clone();
    let response_open = move || jobs.response_open(&response_id);
    let state_id = id.clone();
    let response = Signal::from(Memo::new(move |_| jobs.response(&state_id)));
    let progress = Memo::new(move |_| job.with(|j| j.progress.clone()));
    // What a status poll does not change, so a new count does not rebuild these cells.
    let times = Memo::new(move |_| job.with(Times::of));
    let keys = Memo::new(move |_| job.with(Keys::of));
    let job_id = id.to_string();
    let file = job.with_untracked(file_cell);
    let file_name = job.with_untracked(|j| j.file_name.clone());
    let upload = RwSignal::from(row.upload).read_only();
    let file_at_hand = RwSignal::from(row.file_at_hand).read_only();

    view! {
        <tr class="submission job" data-state=move || state.get() data-job=job_id>
            <td data-label="File" class="file-name">{file}</td>
            <td data-label="Status" class="job-status">
                <JobStatus id=id.clone() job upload file_at_hand />
            </td>
            <td data-label="Progress">{progress_cell(progress)}</td>
            <td data-label="Times">{move || times.with(Times::view)}</td>
            <td data-label="Keys">{move || keys.with(Keys::view)}</td>
            <td data-label="Actions" class="job-actions">
                <JobActions id=id.clone() job file_at_hand />
            </td>
        </tr>
        <Show when=response_open>
            <tr class="response-row">
                <td colspan="6">
                    <ResponseView state=response file_name=file_name.clone() />
                </td>
            </tr>
        </Show>
    }
    .into_any()
}

fn file_cell(job: &Job) -> impl IntoView {
    view! {
        <strong>{job.file_name.clone()}</strong>
        {job.batch.as_ref().map(|b| view! { <span class="batch">{b.label.clone()}</span> })}
        <span class="file-facts">
            {job.action_type.label()}
            " ("
            <code>{job.action_type.api_name()}</code>
            "), "
            {figures::bytes(job.size)}
        </span>
        <span class="file-facts">"MD5 " <code class="checksum">{job.checksum.to_string()}</code></span>
    }
}

/// Counts and a bar, built once; a new count changes only the numbers in place.
fn progress_cell(progress: Memo<Option<Progress>>) -> impl IntoView {
    let count = move |of: fn(&Progress) -> Option<u64>| {
        move || {
            progress
                .with(|p| p.as_ref().and_then(of))
                .map_or_else(|| "?".to_owned(), figures::grouped)
        }
    };
    let bar = Memo::new(move |_| {
        progress.with(
            |p| match p.as_ref().map(|p| (p.processed_count, p.total_count)) {
                Some((Some(done), Some(total))) if total > 0 => Some((done.min(total), total)),
                _ => None,
            },
        )
    });
    view! {
        <progress
            class="job-progress"
            hidden=move || bar.with(Option::is_none)
            max=move || bar.get().map(|(_, total)| total.to_string())
            value=move || bar.get().map(|(done, _)| done.to_string())
            aria-label="Rows processed"
        ></progress>
        <dl class="counts" hidden=move || progress.with(Option::is_none)>
            <dt>"Processed"</dt>
            <dd data-count="processed">{count(|p| p.processed_count)} " of " {count(|p| p.total_count)}</dd>
            <dt>"Succeeded"</dt>
            <dd data-count="success">{count(|p| p.success_count)}</dd>
            <dt>"Failed"</dt>
            <dd data-count="error">{count(|p| p.error_count)}</dd>
        </dl>
    }
}

/// A moment as the user's local date and time, "2026-11-28 14:05:09", the same shape
/// as Zuora's own times beside it. Read from `Date`'s local getters: the first
/// `toLocaleString()` on a page loads locale data, which the list's first render would
/// wait for.
pub(crate) fn local_time(ms: u64) -> impl IntoView {
    let when = js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(ms as f64));
    let local = format!(
        "{:04}-{:02}-{:02} {:02}:{:02}:{:02}",
        when.get_full_year(),
        when.get_month() + 1,
        when.get_date(),
        when.get_hours(),
        when.get_minutes(),
        when.get_seconds()
    );
    view! { <time datetime=figures::utc_iso(ms)>{local}</time> }
}

/// The times a row shows: queued here, then Zuora's own.
#[derive(Clone, PartialEq)]
struct Times {
    queued_ms: u64,
    uploaded: Option<String>,
    started: Option<String>,
    ended: Option<String>,
}

impl Times {
    fn of(job: &Job) -> Times {
        let p = job.progress.as_ref();
        Times {
            queued_ms: job.created_ms,
            uploaded: p.and_then(|p| p.uploaded_on.clone()),
            started: p.and_then(|p| p.started_on.clone()),
            ended: p.and_then(|p| p.ended_on.clone()),
        }
    }

    fn view(&self) -> impl IntoView {
        let zuora = |label: &'static str, v: &Option<String>| {
            v.clone().map(|t| view! { <dt>{label}</dt><dd>{t}</dd> })
        };
        view! {
            <dl class="times">
                <dt>"Queued"</dt>
                <dd>{local_time(self.queued_ms)}</dd>
                {zuora("Uploaded", &self.uploaded)}
                {zuora("Started", &self.started)}
                {zuora("Ended", &self.ended)}
            </dl>
        }
    }
}

/// The keys a row shows.
#[derive(Clone, PartialEq)]
struct Keys {
    bulk_key: Option<String>,
    idempotency_key: String,
    track_id: String,
    request_id: Option<String>,
}

impl Keys {
    fn of(job: &Job) -> Keys {
        Keys {
            bulk_key: job.bulk_key.as_ref().map(|k| k.to_string()),
            idempotency_key: job.idempotency_key.to_string(),
            track_id: job.track_id.to_string(),
            request_id: job.request_id.clone(),
        }
    }

    fn view(&self) -> impl IntoView {
        view! {
            <dl class="request-keys">
                {self.bulk_key.clone().map(|k| view! {
                    <dt>"Bulk key"</dt>
                    <dd><code class="bulk-key">{k}</code></dd>
                })}
                <dt>"Idempotency-Key"</dt>
                <dd><code data-key="idempotency">{self.idempotency_key.clone()}</code></dd>
                <dt>"Zuora-Track-Id"</dt>
                <dd><code data-key="track">{self.track_id.clone()}</code></dd>
                {self.request_id.clone().map(|id| view! {
                    <dt>"Zuora-Request-Id"</dt>
                    <dd><code>{id}</code></dd>
                })}
            </dl>
        }
    }
}
