use crate::state::{Jobs, Workbench};
use leptos::prelude::*;
use mass_updater_domain::wording::workbench::{files_count, sends};

/// The Submit button, and a line saying what it will send or what it still needs.
#[component]
pub fn SubmitPanel() -> impl IntoView {
    let workbench = expect_context::<Workbench>();
    let jobs = expect_context::<Jobs>();
    let blocked = move || workbench.blocker().is_some();

    let hint = move || {
        if let Some(why) = workbench.blocker() {
            return why.to_string();
        }
        let (Some(checked), Some(action)) = (workbench.checked(), workbench.action_type()) else {
            return String::new();
        };
        let parts = checked.sendables();
        let names = match parts.as_slice() {
            [one] => format!("“{}”", one.accepted.name),
            many => files_count(many.len()),
        };
        let plan = sends(&names, action);
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
                disabled=blocked
                on:click=move |_| workbench.submit(&jobs)
            >
                "Submit mass action"
            </button>
            <p class="hint">{hint}</p>
        </div>
    }
}
