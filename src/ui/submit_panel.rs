use super::workbench::{Picked, Workbench};
use leptos::prelude::*;
use mass_updater_domain::{Outcome, ResendAdvice};

/// The Submit button, and a line saying what it will do, what it still needs, or how
/// the last submission ended.
#[component]
pub fn SubmitPanel() -> impl IntoView {
    let workbench = expect_context::<Workbench>();
    let ready =
        move || workbench.ready_file().is_some() && workbench.action_type.with(Option::is_some);
    let sending = move || workbench.sending.get();

    let hint = move || {
        let action = workbench.action_type.get();
        let latest = workbench.submissions.with(|list| list.first().cloned());
        workbench.picked.with(|picked| match (picked, action) {
            (None, _) => match latest.map(|s| (s.file_name, s.outcome)) {
                Some((name, Outcome::Accepted { bulk_key, .. })) => {
                    format!("Zuora accepted “{name}” as bulk key {bulk_key}. Choose another file to send more.")
                }
                _ => "Choose a file first.".to_owned(),
            },
            (Some(Picked::Reading { .. }), _) => "Wait until the file has been checked.".to_owned(),
            (Some(Picked::Refused { .. }), _) => "The file was refused; choose another one.".to_owned(),
            (Some(Picked::Ready { .. }), None) => "Choose an action type.".to_owned(),
            (Some(Picked::Ready { accepted, .. }), Some(action)) => {
                let plan = format!(
                    "Sends “{}” to Zuora as “{}” ({}).",
                    accepted.name,
                    action.label(),
                    action.api_name()
                );
                match latest.and_then(|s| s.resend_advice(accepted, action)) {
                    None => plan,
                    Some(ResendAdvice::SameKey) => format!(
                        "{plan} It goes with the same Idempotency-Key as the last attempt, so Zuora cannot run it twice."
                    ),
                    Some(ResendAdvice::CheckZuoraFirst { status }) => format!(
                        "Careful: the last attempt ended with HTTP {status} and Zuora may have processed it. Check Zuora before sending it again."
                    ),
                }
            }
        })
    };

    view! {
        <div class="submit-panel">
            <button
                type="button"
                class="button button--primary"
                disabled=move || !ready() || sending()
                on:click=move |_| workbench.submit()
            >
                {move || if sending() { "Submitting…" } else { "Submit mass action" }}
            </button>
            <p class="hint">{hint}</p>
        </div>
    }
}
