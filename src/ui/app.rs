use super::{
    unique_id, ActionTypeField, DropZone, FileSummary, LiveRegion, ResultsTable, SettingsPanel,
    SubmitPanel,
};
use crate::config::Config;
use crate::platform::browser;
use crate::platform::host::HostLink;
use crate::state::{Announcer, Host, Jobs, Settings, Workbench};
use leptos::prelude::*;
use mass_updater_domain::config::{ConfigProblem, Theme};

/// The whole app: pick a file, pick an action type, submit, follow what happened.
///
/// `host` is where events for the host page go (the mount element when embedded);
/// `embedded` makes the root a labelled region instead of the page's `<main>`.
#[component]
pub fn App(
    config: Config,
    #[prop(optional)] problems: Vec<ConfigProblem>,
    #[prop(optional)] host: Option<HostLink>,
    #[prop(optional)] embedded: bool,
) -> impl IntoView {
    let announcer = Announcer::default();
    let host = Host::new(host);
    let theme = match config.theme.value {
        Theme::Auto => "mass-updater",
        Theme::Light => "mass-updater mass-updater--light",
        Theme::Dark => "mass-updater mass-updater--dark",
    };
    // One configuration per instance, shared: the settings panel may change headers.
    let config = StoredValue::new(config);
    let jobs = Jobs::new(config, announcer, host);
    let workbench = Workbench::new(config, announcer, host);
    provide_context(announcer);
    provide_context(host);
    provide_context(jobs);
    provide_context(workbench);
    provide_context(Settings::new(config));
    let take_files = Callback::new(move |files: Vec<web_sys::File>| workbench.take_files(files));
    let [title, file_heading, action_heading, submit_heading] =
        ["title", "file-step", "action-step", "submit-step"].map(unique_id);
    let (title_label, file_label, action_label, submit_label) = (
        title.clone(),
        file_heading.clone(),
        action_heading.clone(),
        submit_heading.clone(),
    );
    let notice = (browser::is_development() && !problems.is_empty()).then(|| {
        let items = problems
            .iter()
            .map(|p| view! { <li>{p.to_string()}</li> })
            .collect_view();
        view! {
            <div class="config-notice" role="alert">
                <p>"Some configuration values could not be used; defaults apply instead (shown in development only):"</p>
                <ul>{items}</ul>
            </div>
        }
    });

    let body = view! {
        <header class="masthead">
            <h1 id=title>"Zuora Mass Updater"</h1>
            <p>"Check a mass action file in your browser, send it to Zuora, and follow it to the end."</p>
        </header>
        {notice}
        <section class="step" aria-labelledby=file_label>
            <h2 id=file_heading>"1. File"</h2>
            <DropZone on_files=take_files scoped=embedded />
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
        <SettingsPanel problems />
        <LiveRegion />
    };
    if embedded {
        view! {
            <section
                class=theme
                aria-labelledby=title_label
                on:paste=move |e| {
                    workbench.take_files(super::drop_zone::pasted_files(&e));
                }
            >
                {body}
            </section>
        }
        .into_any()
    } else {
        view! { <main class=theme>{body}</main> }.into_any()
    }
}
