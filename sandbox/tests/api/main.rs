//! End-to-end tests of the sandbox over HTTP. One test binary (with modules)
//! keeps link time down on small machines.

mod common;

mod auth;
mod controls;
mod faults;
mod gzip;
mod idempotency;
mod lifecycle;
mod process;
mod upload;
