use super::focus::ListHeading;
use crate::state::Jobs;
use leptos::prelude::*;
use mass_updater_domain::wording::jobs::{SEND_SAME_FILE_AGAIN, STOP_REQUESTED};
use mass_updater_domain::Confirmation;
use mass_updater_domain::{Job, JobId, SendAgain};
use wasm_bindgen::JsCast;

/// Which buttons a job offers right now. Compared as a whole, so the buttons are not
/// rebuilt (and keep focus) while progress updates arrive.
#[derive(Clone, Debug, Default, PartialEq)]
struct Offered {
    cancel: bool,
    stop: bool,
    stop_requested: bool,
    send_again: Option<SendAgain>,
    file_at_hand: bool,
    response: bool,
    remove: bool,
}

fn offered(job: &Job, file_at_hand: bool, now_ms: u64) -> Offered {
    Offered {
        // A job another tab is sending is cancelled there: only it can abort the upload.
        cancel: job.state.awaits_answer() && file_at_hand,
        stop: job.can_stop(),
        stop_requested: job.stop_requested_ms.is_some() && !job.state.is_finished(),
        send_again: job.send_again(now_ms),
        file_at_hand,
        response: job.state.is_finished()
            && job
                .progress
                .as_ref()
                .is_some_and(|p| p.output_url.is_some()),
        remove: job.state.is_finished(),
    }
}

/// Cancel, Stop, Send again, Response file and Remove, as the job allows them.
#[component]
pub fn JobActions(
    id: JobId,
    job: ReadSignal<Job>,
    file_at_hand: ReadSignal<bool>,
) -> impl IntoView {
    let jobs = expect_context::<Jobs>();
    let offer = Memo::new(move |_| {
        let at_hand = file_at_hand.get();
        job.with(|j| offered(j, at_hand, jobs.now(false).max(j.updated_ms)))
    });
    let wrap = NodeRef::<leptos::html::Div>::new();
    let had_focus = keep_focus_among(wrap, offer);
    let buttons = move || {
        if let (Some(w), Some(active)) = (wrap.get_untracked(), document().active_element()) {
            had_focus.set_value(w.contains(Some(&active)));
        }
        let o = offer.get();
        let (cancel_id, stop_id) = (id.clone(), id.clone());
        view! {
            {o.cancel.then(|| view! {
                <button type="button" class="button" data-action="cancel" on:click=move |_| jobs.cancel(&cancel_id)>
                    "Cancel"
                </button>
            })}
            {o.stop.then(|| view! {
                <button type="button" class="button" data-action="stop" on:click=move |_| jobs.ask(Confirmation::Stop(stop_id.clone()))>
                    "Stop"
                </button>
            })}
            {o.stop_requested.then(|| view! { <span class="hint">{STOP_REQUESTED}</span> })}
            {send_again(jobs, &o, id.clone())}
            {o.response.then(|| view! { {response_button(jobs, id.clone())} })}
            {o.remove.then(|| view! { {remove_button(jobs, id.clone())} })}
        }
    };
    view! { <div class="job-buttons" node_ref=wrap>{buttons}</div> }
}

/// New buttons replace the old ones when the job moves on (Cancel gives way to Remove,
/// say): when one of the old ones had the focus, the first new one takes it, so a
/// keyboard user is not thrown back to the top of the page. Gives the flag the buttons
/// set when they are replaced while one of them has the focus.
fn keep_focus_among(wrap: NodeRef<leptos::html::Div>, offer: Memo<Offered>) -> StoredValue<bool> {
    let had_focus = StoredValue::new(false);
    Effect::new(move |_| {
        offer.track();
        if !had_focus.get_value() {
            return;
        }
        had_focus.set_value(false);
        request_animation_frame(move || {
            // Removed with its button, the focus falls back to the page's body.
            let body: Option<web_sys::Element> = document().body().map(Into::into);
            let lost = document().active_element().is_none_or(|a| Some(a) == body);
            let first = wrap
                .try_get_untracked()
                .flatten()
                .and_then(|w| w.query_selector("button").ok().flatten())
                .and_then(|b| b.dyn_into::<web_sys::HtmlElement>().ok());
            if let (true, Some(button)) = (lost, first) {
                let _ = button.focus();
            }
        });
    });
    had_focus
}

/// Send again, when the file is at hand; otherwise, when the same key would go, how to
/// send it again.
fn send_again(jobs: Jobs, o: &Offered, id: JobId) -> Option<AnyView> {
    match (&o.send_again, o.file_at_hand) {
        (Some(_), true) => Some(
            view! {
                <button type="button" class="button" data-action="send-again" on:click=move |_| jobs.send_again(&id)>
                    "Send again"
                </button>
            }
            .into_any(),
        ),
        (Some(SendAgain::SameKey), false) => {
            Some(view! { <p class="hint">{SEND_SAME_FILE_AGAIN}</p> }.into_any())
        }
        _ => None,
    }
}

/// Opens or closes the job's response file.
fn response_button(jobs: Jobs, id: JobId) -> impl IntoView {
    let open_id = id.clone();
    let open = move || jobs.response_open(&open_id);
    view! {
        <button
            type="button"
            class="button"
            data-action="response"
            aria-expanded=move || open().to_string()
            on:click=move |_| {
                if untrack(|| jobs.response_open(&id)) {
                    jobs.close_response(&id)
                } else {
                    jobs.open_response(&id)
                }
            }
        >
            "Response file"
        </button>
    }
}

/// Removes an ended job; the focus stays in the list.
fn remove_button(jobs: Jobs, id: JobId) -> impl IntoView {
    let list_heading = use_context::<ListHeading>();
    view! {
        <button type="button" class="button button--quiet" data-action="remove" on:click=move |_| {
            jobs.remove(&id);
            // The row and this button are gone: keep the focus in the list.
            if let Some(heading) = list_heading.and_then(|h| h.0.get_untracked()) {
                let _ = heading.focus();
            }
        }>
            "Remove"
        </button>
    }
}
