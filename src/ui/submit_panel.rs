use super::workbench::{Picked, Workbench};
use super::Jobs;
use leptos::prelude::*;

/// The Submit button, and a line saying what it will do, what it still needs, or how
/// the last submission ended.
#[component]
pub fn SubmitPanel() -> impl IntoView {
    let workbench = expect_context::<Workbench>();
    let jobs = expect_context::<Jobs>();
    let ready =
        move || workbench.ready_file().is_some() && workbench.action_type.with(Option::is_some);

    let hint = move || {
        let action = workbench.action_type.get();
        workbench.picked.with(|picked| match (picked, action) {
            (None, _) => "Choose a file first.".to_owned(),
            (Some(Picked::Reading { .. }), _) => "Wait until the file has been checked.".to_owned(),
            (Some(Picked::Refused { .. }), _) => {
                "The file was refused; choose another one.".to_owned()
            }
            (Some(Picked::Ready { .. }), None) => "Choose an action type.".to_owned(),
            (Some(Picked::Ready { accepted, .. }), Some(action)) => {
                let plan = format!(
                    "Sends “{}” to Zuora as “{}” ({}).",
                    accepted.name,
                    action.label(),
                    action.api_name()
                );
                match jobs.advice_for(accepted, action) {
                    Some(advice) => format!("{plan} {advice}"),
                    None => plan,
                }
            }
        })
    };

    view! {
        <div class="submit-panel">
            <button
                type="button"
                class="button button--primary"
                disabled=move || !ready()
                on:click=move |_| workbench.submit(&jobs)
            >
                "Submit mass action"
            </button>
            <p class="hint">{hint}</p>
        </div>
    }
}
