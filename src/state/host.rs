//! The host page's ear: the stores report what happened here (the events of
//! [`super::host_events`]), and the platform's [`HostLink`] turns it into DOM events
//! (and `postMessage` inside an iframe).

use super::host_events::HostEvent;
use crate::platform::host::HostLink;
use leptos::prelude::*;
use send_wrapper::SendWrapper;

#[derive(Clone, Copy)]
pub struct Host(StoredValue<Option<SendWrapper<HostLink>>>);

impl Host {
    pub fn new(link: Option<HostLink>) -> Host {
        Host(StoredValue::new(link.map(SendWrapper::new)))
    }

    /// Sends `mass-updater:{name}` with `detail` (see README, "Host events").
    pub fn emit(&self, (name, detail): HostEvent) {
        self.0.with_value(|link| {
            if let Some(link) = link {
                link.emit(name, &detail);
            }
        });
    }
}
