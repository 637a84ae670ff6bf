use crate::state::{Jobs, Workbench};
use leptos::prelude::*;

/// The Submit button, and a line saying what it will send or what it still needs.
#[component]
pub fn SubmitPanel() -> impl IntoView {
    let workbench = expect_context::<Workbench>();
    let jobs = expect_context::<Jobs>();
    let blocker = move || workbench.blocker();

    let hint = move || {
        if let Some(why) = blocker() {
            return why;
        }
        let (Some(checked), Some(action)) = (workbench.checked(), workbench.action_type()) else {
            return String::new();
        };
        let parts = checked.sendables();
        let names = match parts.as_slice() {
            [one] => format!("“{}”", one.accepted.name),
            many => format!("{} files", many.len()),
        };
        let plan = format!(
            "Sends {names} to Zuora as “{}” ({}).",
            action.label(),
            action.api_name()
        );
        match parts
            .first()
            .and_then(|p| jobs.advice_for(&p.accepted, action))
        {
            Some(advice) => format!("{plan} {advice}"),
            None => plan,
        }
    };

    view! {
        <div class="submit-panel">
            <button
                type="button"
                class="button button--primary"
                disabled=move || blocker().is_some()
                on:click=move |_| workbench.submit(&jobs)
            >
                "Submit mass action"
            </button>
            <p class="hint">{hint}</p>
        </div>
    }
}
