//! `zuora-sandbox`: runs the stand-in on a TCP port. Each flag can also be
//! given as an environment variable `SANDBOX_<FLAG>` (e.g. `SANDBOX_PORT`).

use std::io::Write;

use clap::Parser;
use zuora_sandbox::{Config, CountsAs};

#[derive(Debug, Parser)]
#[command(
    name = "zuora-sandbox",
    version,
    about = "In-memory stand-in for Zuora's Mass Updater API"
)]
struct Args {
    /// Address to listen on.
    #[arg(long, env = "SANDBOX_HOST", default_value = "127.0.0.1")]
    host: String,
    /// Port to listen on; 0 picks a free port.
    #[arg(long, env = "SANDBOX_PORT", default_value_t = 8787)]
    port: u16,
    /// Length of one tick of a mass action's clock, in milliseconds.
    #[arg(long, env = "SANDBOX_TICK_MS", default_value_t = 1000, value_parser = clap::value_parser!(u64).range(1..))]
    tick_ms: u64,
    /// Data rows processed per tick.
    #[arg(long, env = "SANDBOX_ROWS_PER_TICK", default_value_t = 5, value_parser = clap::value_parser!(u64).range(1..))]
    rows_per_tick: u64,
    /// Largest accepted upload file.
    #[arg(long, env = "SANDBOX_MAX_FILE_BYTES", default_value_t = 4_000_000)]
    max_file_bytes: u64,
    /// Largest accepted request body (413 beyond).
    #[arg(long, env = "SANDBOX_MAX_BODY_BYTES", default_value_t = 67_108_864)]
    max_body_bytes: u64,
    /// Sleep inside POST /v1/bulk before validating.
    #[arg(long, env = "SANDBOX_PROCESSING_DELAY_MS", default_value_t = 0)]
    processing_delay_ms: u64,
    /// JSON type of the count fields of GET /v1/bulk/{key}.
    #[arg(long, env = "SANDBOX_COUNTS_AS", value_enum, default_value_t = CountsAs::Number)]
    counts_as: CountsAs,
    /// Base of outputURL (`<base>/v1/files/<id>`).
    #[arg(
        long,
        env = "SANDBOX_FILES_BASE",
        default_value = "https://rest.sandbox.zuora.invalid"
    )]
    files_base: String,
    /// Bearer token that is always accepted.
    #[arg(long, env = "SANDBOX_DEV_TOKEN", default_value = "sandbox-dev-token")]
    dev_token: String,
    /// OAuth client id (Zuora's are 36 characters).
    #[arg(
        long,
        env = "SANDBOX_CLIENT_ID",
        default_value = "5a1b0c2d-0000-4000-8000-5a4db0c0de01"
    )]
    client_id: String,
    /// OAuth client secret (at most 42 characters).
    #[arg(
        long,
        env = "SANDBOX_CLIENT_SECRET",
        default_value = "sandbox-dev-secret"
    )]
    client_secret: String,
    /// Lifetime of issued tokens, in seconds.
    #[arg(long, env = "SANDBOX_TOKEN_TTL_SECS", default_value_t = 3599)]
    token_ttl_secs: u64,
}

async fn shutdown_signal() {
    let ctrl_c = async {
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {}
        () = terminate => {}
    }
}

#[tokio::main]
async fn main() -> std::process::ExitCode {
    let args = Args::parse();
    let config = Config {
        tick_ms: args.tick_ms,
        rows_per_tick: args.rows_per_tick,
        max_file_bytes: args.max_file_bytes,
        max_body_bytes: args.max_body_bytes,
        processing_delay_ms: args.processing_delay_ms,
        counts_as: args.counts_as,
        files_base: args.files_base,
        dev_token: args.dev_token,
        client_id: args.client_id,
        client_secret: args.client_secret,
        token_ttl_secs: args.token_ttl_secs,
    };
    let listener = match tokio::net::TcpListener::bind((args.host.as_str(), args.port)).await {
        Ok(l) => l,
        Err(e) => {
            eprintln!(
                "zuora-sandbox: cannot listen on {}:{}: {e}",
                args.host, args.port
            );
            return std::process::ExitCode::FAILURE;
        }
    };
    let addr = match listener.local_addr() {
        Ok(a) => a,
        Err(e) => {
            eprintln!("zuora-sandbox: cannot read the bound address: {e}");
            return std::process::ExitCode::FAILURE;
        }
    };
    // Tests and the Makefile wait for this exact line.
    let mut stdout = std::io::stdout();
    let _ = writeln!(stdout, "zuora-sandbox listening on http://{addr}");
    let _ = stdout.flush();
    match zuora_sandbox::serve_with_shutdown(listener, config, shutdown_signal()).await {
        Ok(()) => {
            eprintln!("zuora-sandbox: shutting down");
            std::process::ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("zuora-sandbox: {e}");
            std::process::ExitCode::FAILURE
        }
    }
}
