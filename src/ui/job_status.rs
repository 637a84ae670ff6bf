use crate::state::Jobs;
use leptos::prelude::*;
use mass_updater_domain::wording::jobs::{
    badge, job_sentence, stop_failed_sentence, SENT_FROM_ANOTHER_TAB,
};
use mass_updater_domain::{figures, Job, JobId, JobState, SubmitError};

/// A job's status: a badge that names it (never colour alone), the domain's sentence
/// for it (counting down a retry), Zuora's reasons, the upload's progress, and a stop
/// that did not go through.
#[component]
pub fn JobStatus(
    id: JobId,
    job: ReadSignal<Job>,
    upload: ReadSignal<Option<(f64, f64)>>,
    file_at_hand: ReadSignal<bool>,
) -> impl IntoView {
    let jobs = expect_context::<Jobs>();
    // Awaiting an answer without its file here: another tab of the app is sending it.
    let elsewhere = move || {
        let sent_there = job.with(|j| j.state.awaits_answer()) && !file_at_hand.get();
        sent_there
            .then(|| view! { <p class="hint" data-sent-elsewhere="">{SENT_FROM_ANOTHER_TAB}</p> })
    };
    let badge = Memo::new(move |_| job.with(|j| (badge(&j.state), badge_class(&j.state))));
    let sentence = move || {
        job.with(|j| {
            // Only a countdown needs the clock.
            let now = match j.state {
                JobState::WaitingToRetry { .. } => jobs.now(true),
                _ => jobs.now(false),
            };
            job_sentence(j, now.max(j.updated_ms))
        })
    };
    let error = Memo::new(move |_| {
        job.with(|j| match &j.state {
            JobState::Refused { .. }
            | JobState::Unknown { .. }
            | JobState::WaitingToRetry { .. } => j.last_error.clone(),
            _ => None,
        })
    });
    let failed_stop = move || {
        let failure = jobs.failed_stop(&id)?;
        let sentence = job.with(|j| stop_failed_sentence(&j.file_name, &failure));
        Some(view! { <p class="notice notice--error">{sentence}</p> })
    };

    view! {
        {move || {
            let (label, class) = badge.get();
            view! { <span class=format!("badge {class}") data-badge=label>{label}</span> }
        }}
        <p class="job-sentence">{sentence}</p>
        {elsewhere}
        {upload_progress(job, upload)}
        {move || error.get().map(failure_details)}
        {failed_stop}
    }
}

/// The upload's bar and figures while the job is sending.
fn upload_progress(job: ReadSignal<Job>, upload: ReadSignal<Option<(f64, f64)>>) -> impl IntoView {
    move || {
        let sending = job.with(|j| matches!(j.state, JobState::Sending { .. }));
        let (sent, total) = upload.get().filter(|_| sending)?;
        // Whole bytes: formatting an f64 would pull core's float formatting into the wasm.
        let (sent, total) = (sent as u64, total as u64);
        Some(view! {
            <progress class="upload-progress" max=total.to_string() value=sent.to_string() aria-label="Upload"></progress>
            <span class="upload-figures">
                {figures::bytes(sent)} " of " {figures::bytes(total)} " sent"
            </span>
        })
    }
}

/// The badge's class: its colour, which its words repeat.
fn badge_class(state: &JobState) -> &'static str {
    match state {
        JobState::Completed => "badge--ok",
        JobState::Stopped | JobState::Cancelled { .. } => "badge--neutral",
        JobState::Failed | JobState::Refused { .. } | JobState::Unknown { .. } => "badge--error",
        JobState::Queued
        | JobState::Sending { .. }
        | JobState::WaitingToRetry { .. }
        | JobState::Following { .. } => "badge--pending",
    }
}

/// What Zuora (or the proxy) said, beyond the sentence: reasons, status and ids.
fn failure_details(error: SubmitError) -> impl IntoView {
    let reasons = error
        .reasons()
        .iter()
        .map(|r| view! { <li><code>{r.code.clone()}</code>" "{r.message.clone()}</li> })
        .collect_view();
    let has_reasons = !error.reasons().is_empty();
    let status = error.status();
    let process_id = match &error {
        SubmitError::Rejected { process_id, .. } => process_id.clone(),
        _ => None,
    };
    let excerpt = match &error {
        SubmitError::NotJson { excerpt, .. } => Some(excerpt.clone()),
        _ => None,
    };
    view! {
        {has_reasons.then(|| view! { <ul class="reasons" aria-label="Zuora's reasons">{reasons}</ul> })}
        <dl class="answer">
            {status.map(|s| view! { <dt>"HTTP status"</dt><dd>{s}</dd> })}
            {process_id.map(|id| view! { <dt>"Process ID"</dt><dd><code>{id}</code></dd> })}
            {excerpt.map(|x| view! { <dt>"Body began"</dt><dd><code>{x}</code></dd> })}
        </dl>
    }
}
