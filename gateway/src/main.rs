//! `mass-updater-gateway`: parses the command line, refuses a setting it cannot work
//! with (one sentence on stderr, exit code 2), then serves until Ctrl-C or SIGTERM.
#![cfg_attr(not(test), warn(clippy::too_many_lines))]

use std::io::Write;
use std::process::ExitCode;

use clap::Parser;
use mass_updater_gateway::{Args, Config, Gateway};

#[tokio::main]
async fn main() -> ExitCode {
    let args = Args::parse();
    let listen = args.listen;
    let config = match Config::from_args(args) {
        Ok(config) => config,
        Err(e) => return refuse(&e),
    };
    if let Some(user) = config.identity.dev_user() {
        eprintln!("mass-updater-gateway: warning: --dev-user {user:?} is for development only: requests without a trusted user header are taken as that user.");
    }
    let gateway = match Gateway::start(config).await {
        Ok(gateway) => gateway,
        Err(e) => return refuse(&e),
    };
    let listener = match tokio::net::TcpListener::bind(listen).await {
        Ok(listener) => listener,
        Err(e) => return refuse(&format!("The gateway cannot listen on {listen}: {e}.")),
    };
    let bound = listener.local_addr().unwrap_or(listen);
    let mut stdout = std::io::stdout();
    let _ = writeln!(stdout, "mass-updater-gateway listening on http://{bound}");
    let _ = stdout.flush();
    match gateway.serve(listener, shutdown_signal()).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("mass-updater-gateway: {e}");
            ExitCode::FAILURE
        }
    }
}

fn refuse(sentence: &dyn std::fmt::Display) -> ExitCode {
    eprintln!("mass-updater-gateway: {sentence}");
    ExitCode::from(2)
}

async fn shutdown_signal() {
    let ctrl_c = async {
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
    };
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    tokio::select! {
        () = ctrl_c => {}
        () = terminate => {}
    }
}
