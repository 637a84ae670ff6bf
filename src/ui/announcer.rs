//! The one thing worth telling a screen-reader user right now, read out by the
//! [`super::LiveRegion`].

use leptos::prelude::*;

#[derive(Clone, Copy)]
pub struct Announcer(RwSignal<String>);

impl Default for Announcer {
    fn default() -> Announcer {
        Announcer(RwSignal::new(String::new()))
    }
}

impl Announcer {
    pub fn say(&self, message: impl Into<String>) {
        self.0.set(message.into());
    }

    pub fn current(&self) -> String {
        self.0.get()
    }
}
