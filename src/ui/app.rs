use super::{ActionTypeField, DropZone, FileSummary, LiveRegion, ResultsTable, SubmitPanel, Workbench};
use crate::config::Config;
use leptos::prelude::*;

/// The whole app: pick a file, pick an action type, submit, see what happened.
#[component]
pub fn App(#[prop(optional)] config: Option<Config>) -> impl IntoView {
    let workbench = Workbench::new(config.unwrap_or_else(Config::from_page));
    provide_context(workbench);
    let take_file = Callback::new(move |file: web_sys::File| workbench.take_file(file));

    view! {
        <main class="mass-updater">
            <header class="masthead">
                <h1>"Zuora Mass Updater"</h1>
                <p>"Check a mass action file in your browser, send it to Zuora, and keep its bulk key."</p>
            </header>
            <section class="step" aria-label="File">
                <h2>"1. File"</h2>
                <DropZone on_file=take_file />
                <FileSummary />
            </section>
            <section class="step" aria-label="Action type">
                <h2>"2. Action type"</h2>
                <ActionTypeField />
            </section>
            <section class="step" aria-label="Submit">
                <h2>"3. Submit"</h2>
                <SubmitPanel />
            </section>
            <ResultsTable />
            <LiveRegion />
        </main>
    }
}
