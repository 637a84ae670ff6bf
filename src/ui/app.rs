use super::{
    unique_id, ActionTypeField, DropZone, FileSummary, LiveRegion, SettingsPanel, SubmissionViews,
    SubmitPanel,
};
use crate::config::Config;
use crate::platform::browser;
use crate::platform::host::HostLink;
use crate::platform::zuora::Zuora;
use crate::state::{Announcer, Host, Jobs, Settings, Team, Workbench};
use leptos::prelude::*;
use mass_updater_domain::config::{ConfigProblem, Theme};
use mass_updater_domain::wording::page;
use mass_updater_domain::wording::team::signed_in_as;

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
    let theme = match config.theme.value {
        Theme::Auto => "mass-updater",
        Theme::Light => "mass-updater mass-updater--light",
        Theme::Dark => "mass-updater mass-updater--dark",
    };
    let workbench = provide_stores(config, host);
    let team = expect_context::<Team>();
    let take_files = Callback::new(move |files: Vec<web_sys::File>| workbench.take_files(files));
    let title = unique_id("title");
    let title_label = title.clone();
    let notice = (browser::is_development() && !problems.is_empty())
        .then(|| view! { {config_notice(&problems)} });

    let body = view! {
        <header class="masthead">
            <h1 id=title>"Zuora Mass Updater"</h1>
            <p>{page::TAGLINE}</p>
            {move || signed_in(team)}
        </header>
        {notice}
        {step("1. File", view! {
            <DropZone on_files=take_files scoped=embedded />
            <FileSummary />
        })}
        {step("2. Choose the action", view! { <ActionTypeField /> })}
        {step("3. Send it to Zuora", view! { <SubmitPanel /> })}
        <SubmissionViews />
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

/// The stores of one instance, provided to its components; gives the workbench, which
/// the app's root hands files to.
fn provide_stores(config: Config, host: Option<HostLink>) -> Workbench {
    let announcer = Announcer::default();
    let host = Host::new(host);
    // One configuration per instance, shared: the settings panel may change headers.
    let config = StoredValue::new(config);
    // One Zuora client per instance: the job list and team mode share its base URL and
    // its abort on unmount.
    let zuora = Zuora::new(config);
    let workbench = Workbench::new(config, announcer, host);
    provide_context(announcer);
    provide_context(host);
    provide_context(Jobs::new(config, zuora, announcer, host));
    provide_context(workbench);
    provide_context(Settings::new(config));
    provide_context(Team::new(config, zuora, announcer));
    workbench
}

/// Who the team-mode gateway says is signed in; nothing without one.
fn signed_in(team: Team) -> Option<impl IntoView> {
    let user = team.user()?;
    Some(view! { <p class="signed-in" data-user=user.clone()>{signed_in_as(&user)}</p> })
}

/// One numbered step of the form, labelled by its heading.
fn step(heading: &'static str, body: impl IntoView) -> impl IntoView {
    let id = unique_id("step");
    let labelled_by = id.clone();
    view! {
        <section class="step" aria-labelledby=labelled_by>
            <h2 id=id>{heading}</h2>
            {body}
        </section>
    }
}

/// Configuration values that could not be used, shown on the page in development.
fn config_notice(problems: &[ConfigProblem]) -> impl IntoView {
    let items = problems
        .iter()
        .map(|p| view! { <li>{p.to_string()}</li> })
        .collect_view();
    view! {
        <div class="config-notice" role="alert">
            <p>{page::CONFIG_NOTICE}</p>
            <ul>{items}</ul>
        </div>
    }
}
