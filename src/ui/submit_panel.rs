use super::workbench::{Picked, Workbench};
use leptos::prelude::*;

/// The Submit button, and a line saying what it will do or what it still needs.
#[component]
pub fn SubmitPanel() -> impl IntoView {
    let workbench = expect_context::<Workbench>();
    let ready =
        move || workbench.ready_file().is_some() && workbench.action_type.with(Option::is_some);
    let sending = move || workbench.sending.get();

    let hint = move || {
        let action = workbench.action_type.get();
        workbench.picked.with(|picked| match (picked, action) {
            (None, _) => "Choose a file first.".to_owned(),
            (Some(Picked::Reading { .. }), _) => "Wait until the file has been checked.".to_owned(),
            (Some(Picked::Refused { .. }), _) => {
                "The file was refused; choose another one.".to_owned()
            }
            (Some(Picked::Ready { .. }), None) => "Choose an action type.".to_owned(),
            (Some(Picked::Ready { accepted, .. }), Some(action)) => format!(
                "Sends “{}” to Zuora as “{}” ({}).",
                accepted.name,
                action.label(),
                action.api_name()
            ),
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
