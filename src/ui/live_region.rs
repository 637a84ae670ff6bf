use crate::state::Announcer;
use leptos::prelude::*;

/// One polite live region that reads out what just happened to screen-reader users.
#[component]
pub fn LiveRegion() -> impl IntoView {
    let announcer = expect_context::<Announcer>();
    view! {
        <p class="visually-hidden" role="status" aria-live="polite">
            {move || announcer.current()}
        </p>
    }
}
