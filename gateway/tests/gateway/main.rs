//! The gateway over real HTTP on 127.0.0.1: the sandbox and the gateway in-process,
//! and the built binary where the process itself is what is tested.

mod answers;
mod api;
mod common;
mod credentials;
mod history;
mod process;
mod proxy_rules;
mod static_files;
