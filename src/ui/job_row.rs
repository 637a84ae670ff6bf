use super::{JobActions, JobStatus, Jobs, ResponseView};
use leptos::prelude::*;
use mass_updater_domain::{figures, Job, JobId, Progress};
use wasm_bindgen::JsCast;

/// One job in the list: its file, status, progress, times and keys, and what can be
/// done with it; the response file opens in a row beneath it.
#[component]
pub fn JobRow(id: JobId) -> impl IntoView {
    let jobs = expect_context::<Jobs>();
    let job = jobs.job(id.clone());
    let state = Memo::new(move |_| {
        job.with(|j| {
            j.as_ref()
                .map(|j| j.state.name().replace(' ', "-"))
                .unwrap_or_default()
        })
    });
    let response_id = id.clone();
    let response_open = move || jobs.responses.with(|r| r.contains_key(&response_id));
    let progress = Memo::new(move |_| job.with(|j| j.as_ref().and_then(|j| j.progress.clone())));
    let job_id = id.to_string();

    view! {
        <tr class="submission job" data-state=move || state.get() data-job=job_id>
            <td data-label="File" class="file-name">
                {move || job.with(|j| j.as_ref().map(file_cell))}
            </td>
            <td data-label="Status" class="job-status">
                <JobStatus id=id.clone() job />
            </td>
            <td data-label="Progress">{move || progress.get().map(|p| progress_cell(&p))}</td>
            <td data-label="Times">{move || job.with(|j| j.as_ref().map(times_cell))}</td>
            <td data-label="Keys">{move || job.with(|j| j.as_ref().map(keys_cell))}</td>
            <td data-label="Actions" class="job-actions">
                <JobActions id=id.clone() job />
            </td>
        </tr>
        <Show when=response_open>
            <tr class="response-row">
                <td colspan="6">
                    <ResponseView id=id.clone() />
                </td>
            </tr>
        </Show>
    }
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

fn progress_cell(p: &Progress) -> impl IntoView {
    let n = |v: Option<u64>| v.map_or_else(|| "?".to_owned(), figures::grouped);
    let bar = match (p.processed_count, p.total_count) {
        (Some(done), Some(total)) if total > 0 => Some(view! {
            <progress
                class="job-progress"
                max=total.to_string()
                value=done.min(total).to_string()
                aria-label="Rows processed"
            ></progress>
        }),
        _ => None,
    };
    view! {
        {bar}
        <dl class="counts">
            <dt>"Processed"</dt>
            <dd data-count="processed">{n(p.processed_count)} " of " {n(p.total_count)}</dd>
            <dt>"Succeeded"</dt>
            <dd data-count="success">{n(p.success_count)}</dd>
            <dt>"Failed"</dt>
            <dd data-count="error">{n(p.error_count)}</dd>
        </dl>
    }
}

fn local_time(ms: u64) -> impl IntoView {
    let when = js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(ms as f64));
    let iso = String::from(when.to_iso_string());
    // `toLocaleString()` with no arguments: V8 then reuses one cached formatter, where an
    // explicit locale ("default") builds a new Intl.DateTimeFormat on every call (200
    // calls: 49 ms against 0.8 ms in Node's V8 here). Same text: the default locale.
    let local = js_sys::Reflect::get(&when, &"toLocaleString".into())
        .ok()
        .and_then(|f| f.dyn_into::<js_sys::Function>().ok())
        .and_then(|f| f.call0(&when).ok())
        .and_then(|s| s.as_string())
        .unwrap_or_else(|| String::from(when.to_iso_string()));
    view! { <time datetime=iso>{local}</time> }
}

fn times_cell(job: &Job) -> impl IntoView {
    let p = job.progress.as_ref();
    let zuora = |label: &'static str, v: Option<&String>| {
        v.map(|t| view! { <dt>{label}</dt><dd>{t.clone()}</dd> })
    };
    view! {
        <dl class="times">
            <dt>"Queued"</dt>
            <dd>{local_time(job.created_ms)}</dd>
            {zuora("Uploaded", p.and_then(|p| p.uploaded_on.as_ref()))}
            {zuora("Started", p.and_then(|p| p.started_on.as_ref()))}
            {zuora("Ended", p.and_then(|p| p.ended_on.as_ref()))}
        </dl>
    }
}

fn keys_cell(job: &Job) -> impl IntoView {
    view! {
        <dl class="request-keys">
            {job.bulk_key.as_ref().map(|k| view! {
                <dt>"Bulk key"</dt>
                <dd><code class="bulk-key">{k.to_string()}</code></dd>
            })}
            <dt>"Idempotency-Key"</dt>
            <dd><code data-key="idempotency">{job.idempotency_key.to_string()}</code></dd>
            <dt>"Zuora-Track-Id"</dt>
            <dd><code data-key="track">{job.track_id.to_string()}</code></dd>
            {job.request_id.as_ref().map(|id| view! {
                <dt>"Zuora-Request-Id"</dt>
                <dd><code>{id.clone()}</code></dd>
            })}
        </dl>
    }
}
