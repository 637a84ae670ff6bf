//! The `zuora-sandbox` binary: its startup line, flags, env vars and signals.

use std::io::BufRead;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

#[tokio::test]
async fn binary_prints_its_address_reads_flags_and_env_and_exits_on_sigterm() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_zuora-sandbox"))
        .args([
            "--port",
            "0",
            "--rows-per-tick",
            "7",
            "--counts-as",
            "string",
        ])
        .env("SANDBOX_TICK_MS", "123")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn");
    let stdout = child.stdout.take().expect("stdout");
    let line = tokio::task::spawn_blocking(move || {
        let mut line = String::new();
        std::io::BufReader::new(stdout)
            .read_line(&mut line)
            .expect("read");
        line
    })
    .await
    .expect("join");
    let port: u16 = line
        .trim_end()
        .strip_prefix("zuora-sandbox listening on http://127.0.0.1:")
        .unwrap_or_else(|| panic!("unexpected first line {line:?}"))
        .parse()
        .expect("port");
    assert_ne!(port, 0);

    let config: Value = reqwest::get(format!("http://127.0.0.1:{port}/__sandbox/config"))
        .await
        .expect("send")
        .json()
        .await
        .expect("json");
    assert_eq!(config["tickMs"], 123, "from SANDBOX_TICK_MS");
    assert_eq!(config["rowsPerTick"], 7);
    assert_eq!(config["countsAs"], "string");
    assert_eq!(config["maxFileBytes"], 4_000_000, "default");

    let killed = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .expect("kill");
    assert!(killed.success());
    let deadline = Instant::now() + Duration::from_secs(10);
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait") {
            break status;
        }
        assert!(Instant::now() < deadline, "still running after SIGTERM");
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    assert!(status.success(), "clean exit, got {status:?}");
}
