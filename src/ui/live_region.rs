use super::Workbench;
use leptos::prelude::*;

/// One polite live region that reads out what just happened to screen-reader users.
#[component]
pub fn LiveRegion() -> impl IntoView {
    let workbench = expect_context::<Workbench>();
    view! {
        <p class="visually-hidden" role="status" aria-live="polite">
            {move || workbench.announcement.get()}
        </p>
    }
}
