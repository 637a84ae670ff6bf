//! The one thing worth telling a screen-reader user right now, read out by the
//! [`crate::ui::LiveRegion`].
//!
//! Debounced: a message is published only after [`QUIET_MS`] without a newer one, so a
//! burst (a status change on every job at once, progress arriving) is read out as its
//! last sentence instead of a queue of stale ones. A message equal to the one already
//! shown is published with a non-breaking space added or taken away, so the text
//! changes and screen readers read it again.

use leptos::prelude::*;
use std::time::Duration;

/// How long the announcer waits for quiet before publishing the latest message.
pub const QUIET_MS: u64 = 300;

const REPEAT_MARK: char = '\u{a0}';

#[derive(Clone, Copy)]
pub struct Announcer {
    published: RwSignal<String>,
    latest: StoredValue<Option<String>>,
    timer: StoredValue<Option<TimeoutHandle>>,
}

impl Default for Announcer {
    /// An announcer whose pending message is dropped with its owner (an unmounted app
    /// leaves no timer behind).
    fn default() -> Announcer {
        let announcer = Announcer {
            published: RwSignal::new(String::new()),
            latest: StoredValue::new(None),
            timer: StoredValue::new(None),
        };
        let timer = announcer.timer;
        on_cleanup(move || {
            if let Some(handle) = timer.try_update_value(Option::take).flatten() {
                handle.clear();
            }
        });
        announcer
    }
}

impl Announcer {
    pub fn say(&self, message: impl Into<String>) {
        let message = message.into();
        if message.is_empty() {
            return;
        }
        self.latest.set_value(Some(message));
        if let Some(handle) = self.timer.try_update_value(Option::take).flatten() {
            handle.clear();
        }
        let this = *self;
        let handle =
            set_timeout_with_handle(move || this.publish(), Duration::from_millis(QUIET_MS));
        self.timer.set_value(handle.ok());
    }

    fn publish(&self) {
        let Some(message) = self.latest.try_update_value(Option::take).flatten() else {
            return;
        };
        self.timer.try_set_value(None);
        self.published.try_update(|shown| {
            *shown = if shown.trim_end_matches(REPEAT_MARK) == message
                && !shown.ends_with(REPEAT_MARK)
            {
                format!("{message}{REPEAT_MARK}")
            } else {
                message
            };
        });
    }

    /// What the live region shows now.
    pub fn current(&self) -> String {
        self.published.get()
    }
}
