use super::{
    unique_id, ActionTypeField, Announcer, DropZone, FileSummary, Jobs, LiveRegion, ResultsTable,
    SubmitPanel, Workbench,
};
use crate::config::{self, Config};
use leptos::prelude::*;

/// The whole app: pick a file, pick an action type, submit, see what happened.
#[component]
pub fn App(#[prop(optional)] config: Option<Config>) -> impl IntoView {
    let config = config.unwrap_or_else(|| config::from_page().0);
    let announcer = Announcer::default();
    let jobs = Jobs::new(config.clone(), announcer);
    let workbench = Workbench::new(config, announcer);
    provide_context(announcer);
    provide_context(jobs);
    provide_context(workbench);
    let take_file = Callback::new(move |file: web_sys::File| workbench.take_file(file));
    let [file_heading, action_heading, submit_heading] =
        ["file-step", "action-step", "submit-step"].map(unique_id);
    let (file_label, action_label, submit_label) = (
        file_heading.clone(),
        action_heading.clone(),
        submit_heading.clone(),
    );

    view! {
        <main class="mass-updater">
            <header class="masthead">
                <h1>"Zuora Mass Updater"</h1>
                <p>"Check a mass action file in your browser, send it to Zuora, and keep its bulk key."</p>
            </header>
            <section class="step" aria-labelledby=file_label>
                <h2 id=file_heading>"1. File"</h2>
                <DropZone on_file=take_file />
                <FileSummary />
            </section>
            <section class="step" aria-labelledby=action_label>
                <h2 id=action_heading>"2. Choose the action"</h2>
                <ActionTypeField />
            </section>
            <section class="step" aria-labelledby=submit_label>
                <h2 id=submit_heading>"3. Send it to Zuora"</h2>
                <SubmitPanel />
            </section>
            <ResultsTable />
            <LiveRegion />
        </main>
    }
}
