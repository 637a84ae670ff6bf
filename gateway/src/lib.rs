//! `mass-updater-gateway`: team mode. One process serves the built app, holds the Zuora
//! credentials, forwards the four Mass Updater calls the app makes and keeps the team's
//! history of mass actions. See `gateway/README.md`.

pub mod follow;
pub mod store;
