use super::{unique_id, Jobs};
use leptos::prelude::*;
use mass_updater_domain::{figures, Outcome, Submission, SubmitError};

/// Every submission of this session, newest first, with its bulk key or the full story
/// of why it was not accepted.
#[component]
pub fn ResultsTable() -> impl IntoView {
    let jobs = expect_context::<Jobs>();
    let rows = move || jobs.submissions.get();
    let empty = move || jobs.submissions.with(Vec::is_empty);
    let heading = unique_id("results");
    let labelled_by = heading.clone();

    view! {
        <section class="results" aria-labelledby=labelled_by>
            <h2 id=heading>"Submissions"</h2>
            <Show when=move || !empty() fallback=|| view! { <p class="muted">"Nothing sent yet."</p> }>
                <div class="table-scroll">
                    <table class="results-table">
                        <thead>
                            <tr>
                                <th scope="col">"Sent"</th>
                                <th scope="col">"File"</th>
                                <th scope="col">"Action type"</th>
                                <th scope="col">"Size"</th>
                                <th scope="col">"Checksum (MD5)"</th>
                                <th scope="col">"Result"</th>
                            </tr>
                        </thead>
                        <tbody>
                            // The phase is part of the key, so a row re-renders when its
                            // answer arrives and at no other time.
                            <For
                                each=rows
                                key=|s| (s.idempotency_key.clone(), s.sent_at_ms, phase(&s.outcome))
                                children=|s| view! { <SubmissionRow submission=s /> }
                            />
                        </tbody>
                    </table>
                </div>
            </Show>
        </section>
    }
}

fn phase(outcome: &Outcome) -> u8 {
    match outcome {
        Outcome::Sending => 0,
        Outcome::Accepted { .. } => 1,
        Outcome::Failed(_) => 2,
    }
}

#[component]
fn SubmissionRow(submission: Submission) -> impl IntoView {
    let when = js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(
        submission.sent_at_ms as f64,
    ));
    let iso = String::from(when.to_iso_string());
    let local = String::from(when.to_locale_time_string("default"));
    let state = match &submission.outcome {
        Outcome::Sending => "sending",
        Outcome::Accepted { .. } => "accepted",
        Outcome::Failed(_) => "failed",
    };
    view! {
        <tr class="submission" data-state=state>
            <td data-label="Sent">
                <time datetime=iso>{local}</time>
            </td>
            <td data-label="File" class="file-name">{submission.file_name.clone()}</td>
            <td data-label="Action type">
                <span>
                    {submission.action_type.label()}
                    <br />
                    <code>{submission.action_type.api_name()}</code>
                </span>
            </td>
            <td data-label="Size" class="number">{figures::bytes(submission.size)}</td>
            <td data-label="Checksum (MD5)">
                <code class="checksum">{submission.checksum.to_string()}</code>
            </td>
            <td data-label="Result">
                <OutcomeCell outcome=submission.outcome.clone() />
                <dl class="request-keys">
                    <dt>"Idempotency-Key"</dt>
                    <dd>
                        <code data-key="idempotency">{submission.idempotency_key.to_string()}</code>
                    </dd>
                    <dt>"Zuora-Track-Id"</dt>
                    <dd>
                        <code data-key="track">{submission.track_id.to_string()}</code>
                    </dd>
                </dl>
            </td>
        </tr>
    }
}

#[component]
fn OutcomeCell(outcome: Outcome) -> impl IntoView {
    match outcome {
        Outcome::Sending => view! {
            <p>
                <span class="badge badge--pending">"Sending…"</span>
            </p>
        }
        .into_any(),
        Outcome::Accepted { bulk_key, request_id } => view! {
            <p>
                <span class="badge badge--ok">"Accepted"</span>
            </p>
            <dl class="answer">
                <dt>"Bulk key"</dt>
                <dd>
                    <code class="bulk-key">{bulk_key.to_string()}</code>
                </dd>
                {request_id.map(|id| view! { <dt>"Zuora-Request-Id"</dt><dd><code>{id}</code></dd> })}
            </dl>
        }
        .into_any(),
        Outcome::Failed(error) => view! { <FailureDetails error /> }.into_any(),
    }
}

#[component]
fn FailureDetails(error: SubmitError) -> impl IntoView {
    let badge = if error.outcome_unknown() {
        "Outcome unknown"
    } else {
        "Not accepted"
    };
    let reasons = error
        .reasons()
        .iter()
        .map(|r| view! { <li><code>{r.code.clone()}</code>" "{r.message.clone()}</li> })
        .collect_view();
    let has_reasons = !error.reasons().is_empty();
    let status = error.status();
    let request_id = error.request_id().map(str::to_owned);
    let process_id = match &error {
        SubmitError::Rejected { process_id, .. } => process_id.clone(),
        _ => None,
    };
    let excerpt = match &error {
        SubmitError::NotJson { excerpt, .. } => Some(excerpt.clone()),
        _ => None,
    };
    view! {
        <p>
            <span class="badge badge--error">{badge}</span>
        </p>
        <p class="failure">{error.to_string()}</p>
        {has_reasons.then(|| view! { <ul class="reasons" aria-label="Zuora's reasons">{reasons}</ul> })}
        <dl class="answer">
            {status.map(|s| view! { <dt>"HTTP status"</dt><dd>{s}</dd> })}
            {request_id.map(|id| view! { <dt>"Zuora-Request-Id"</dt><dd><code>{id}</code></dd> })}
            {process_id.map(|id| view! { <dt>"Process ID"</dt><dd><code>{id}</code></dd> })}
            {excerpt.map(|x| view! { <dt>"Body began"</dt><dd><code>{x}</code></dd> })}
        </dl>
    }
}
