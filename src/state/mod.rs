//! The stores the components read and dispatch to: one [`Workbench`] (the form: the
//! file handed over, the action type, making it fit, submitting) and one [`Jobs`] list
//! per app instance, the [`Team`] view where a team-mode gateway serves the app, with
//! the [`Announcer`] and the [`Host`] link they report to. They
//! apply the domain's rules (`mass_updater_domain`) and call the platform's I/O
//! ([`crate::platform`]); components in [`crate::ui`] only show their signals and call
//! their methods.

mod announcer;
mod host;
pub mod host_events;
pub mod jobs;
mod settings;
pub mod team;
pub mod workbench;

pub use announcer::Announcer;
pub use host::Host;
pub use jobs::Jobs;
pub use settings::Settings;
pub use team::Team;
pub use workbench::Workbench;
