//! The built binary: refusals to start, the listening line, and the secret kept out
//! of everything it writes or answers.

use std::io::{BufRead, BufReader, Read};
use std::process::Child;

use crate::common::{
    command, fixture_dist, random_secret, sandbox_config, start_sandbox, wait_for_job_at, CLIENT_ID,
};

/// Waits for the listening line; the gateway's base URL.
pub fn wait_listening(child: &mut Child) -> String {
    wait_listening_keeping(child).0
}

/// Like [`wait_listening`], also handing back the rest of stdout once the child ends.
pub fn wait_listening_keeping(child: &mut Child) -> (String, std::thread::JoinHandle<String>) {
    let stdout = child.stdout.take().expect("stdout");
    let mut lines = BufReader::new(stdout).lines();
    let line = lines.next().expect("a line on stdout").expect("utf-8");
    let base = line
        .strip_prefix("mass-updater-gateway listening on ")
        .unwrap_or_else(|| panic!("unexpected first line {line:?}"))
        .to_owned();
    // Keep draining stdout so the child never blocks on a full pipe.
    let rest =
        std::thread::spawn(move || lines.map_while(Result::ok).collect::<Vec<_>>().join("\n"));
    (base, rest)
}

fn refused(args: &[&str]) -> String {
    let output = command(args).output().expect("runs");
    assert_eq!(output.status.code(), Some(2), "exit code");
    assert!(output.stdout.is_empty(), "nothing on stdout");
    let stderr = String::from_utf8(output.stderr).expect("utf-8");
    assert_eq!(stderr.lines().count(), 1, "one line: {stderr}");
    stderr
}

#[test]
fn no_way_to_know_the_user_refuses_to_start() {
    let secret = tempfile::NamedTempFile::new().unwrap();
    std::fs::write(secret.path(), "s3cret\n").unwrap();
    let path = secret.path().to_str().unwrap();
    let base = [
        "--zuora-url",
        "http://127.0.0.1:9",
        "--client-id",
        CLIENT_ID,
        "--client-secret-file",
        path,
    ];
    let stderr = refused(&base);
    assert!(stderr.contains("no way to know the user"), "{stderr}");
    let stderr = refused(&[&base[..], &["--user-header", "X-Forwarded-Email"]].concat());
    assert!(stderr.contains("--trusted-proxy"), "{stderr}");
}

#[test]
fn an_unreadable_secret_or_a_bad_url_refuses_to_start() {
    let stderr = refused(&[
        "--zuora-url",
        "http://127.0.0.1:9",
        "--client-id",
        CLIENT_ID,
        "--client-secret-file",
        "/nonexistent/secret",
        "--dev-user",
        "dev",
    ]);
    assert!(
        stderr.contains("secret file /nonexistent/secret cannot be read"),
        "{stderr}"
    );
    let secret = tempfile::NamedTempFile::new().unwrap();
    std::fs::write(secret.path(), "s3cret").unwrap();
    let stderr = refused(&[
        "--zuora-url",
        "ftp://rest.zuora.com",
        "--client-id",
        CLIENT_ID,
        "--client-secret-file",
        secret.path().to_str().unwrap(),
        "--dev-user",
        "dev",
    ]);
    assert!(
        stderr.contains("is not an http:// or https:// URL"),
        "{stderr}"
    );
}

#[tokio::test]
async fn the_secret_is_nowhere_but_in_its_file() {
    let secret = random_secret();
    let sandbox = start_sandbox(sandbox_config(&secret)).await;
    let dist = fixture_dist();
    let dir = tempfile::tempdir().unwrap();
    let secret_file = dir.path().join("secret");
    std::fs::write(&secret_file, format!("{secret}\n")).unwrap();
    let database = dir.path().join("history.db");
    let database_url = format!("sqlite://{}", database.display());
    let mut child = command(&[
        "--listen",
        "127.0.0.1:0",
        "--zuora-url",
        &sandbox.base,
        "--client-id",
        CLIENT_ID,
        "--client-secret-file",
        secret_file.to_str().unwrap(),
        "--dist",
        dist.path().to_str().unwrap(),
        "--database",
        &database_url,
        "--dev-user",
        "dev@example.com",
        "--follow-interval-ms",
        "100",
    ])
    .spawn()
    .expect("spawns");
    let (base, stdout) = wait_listening_keeping(&mut child);
    // The first token request is refused, so the token error's sentence is exercised too.
    let fault = reqwest::Client::new()
        .post(format!("{}/__sandbox/faults", sandbox.base))
        .json(&serde_json::json!({"kind": "status", "status": 401, "path": "/oauth/token"}))
        .send()
        .await
        .unwrap();
    assert_eq!(fault.status(), 200);
    let answers = exercise(&base).await;
    assert!(
        answers.contains("could not sign in to Zuora"),
        "the token error was answered"
    );
    child.kill().unwrap();
    let mut stderr = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut stderr)
        .unwrap();
    child.wait().unwrap();
    let stdout = stdout.join().unwrap();
    assert!(!stdout.contains(&secret), "the secret is in stdout");
    assert_eq!(stdout, "", "nothing after the listening line");
    assert!(
        stderr.contains("warning"),
        "the development user is warned about"
    );
    assert!(!stderr.contains(&secret), "the secret is in stderr");
    assert!(!answers.contains(&secret), "the secret is in an answer");
    for file in std::fs::read_dir(dir.path()).unwrap() {
        let path = file.unwrap().path();
        if path != secret_file {
            let bytes = std::fs::read(&path).unwrap();
            let found = bytes.windows(secret.len()).any(|w| w == secret.as_bytes());
            assert!(!found, "the secret is in {}", path.display());
        }
    }
}

/// Every kind of answer the gateway gives, concatenated.
async fn exercise(base: &str) -> String {
    let client = reqwest::Client::new();
    let mut answers = String::new();
    let upload = client
        .post(format!("{base}/v1/bulk"))
        .multipart(crate::common::form(
            "a.csv",
            crate::common::CSV.as_bytes(),
            "UpdateAccountingCode",
        ))
        .send()
        .await
        .unwrap();
    answers.push_str(&format!("{:?}", upload.headers()));
    answers.push_str(&upload.text().await.unwrap());
    for path in [
        "/",
        "/api/me",
        "/api/health",
        "/api/history",
        "/v1/files/x",
        "/v1/accounts",
        "/api/nothing",
    ] {
        let response = client.get(format!("{base}{path}")).send().await.unwrap();
        answers.push_str(&format!("{:?}", response.headers()));
        answers.push_str(&response.text().await.unwrap());
    }
    answers
}

/// The binary on this SQLite file, following every 100 ms under a fixed instance name
/// (a restarted instance of the same name takes its leases back at once).
fn spawn_on(
    sandbox: &str,
    dist: &std::path::Path,
    secret_file: &std::path::Path,
    database: &str,
) -> Child {
    command(&[
        "--listen",
        "127.0.0.1:0",
        "--zuora-url",
        sandbox,
        "--client-id",
        CLIENT_ID,
        "--client-secret-file",
        secret_file.to_str().unwrap(),
        "--dist",
        dist.to_str().unwrap(),
        "--database",
        database,
        "--dev-user",
        "dev@example.com",
        "--follow-interval-ms",
        "100",
        "--instance-id",
        "kill-test",
    ])
    .stderr(std::process::Stdio::null())
    .spawn()
    .expect("spawns")
}

#[tokio::test]
async fn a_killed_gateway_restarts_with_its_history_and_follows_on() {
    let secret = random_secret();
    // Forty rows at one per 150 ms tick: long enough to be killed mid-way.
    let rows: String = (1..=40)
        .map(|i| format!(",OK-{i},Invoice Item\r\n"))
        .collect();
    let csv = format!("Group ID,Object Key,Object Type\r\n{rows}");
    let sandbox = start_sandbox(zuora_sandbox::Config {
        tick_ms: 150,
        ..sandbox_config(&secret)
    })
    .await;
    let dist = fixture_dist();
    let dir = tempfile::tempdir().unwrap();
    let secret_file = dir.path().join("secret");
    std::fs::write(&secret_file, &secret).unwrap();
    let database = format!("sqlite://{}", dir.path().join("history.db").display());
    let client = reqwest::Client::new();

    let mut first = spawn_on(&sandbox.base, dist.path(), &secret_file, &database);
    let base = wait_listening(&mut first);
    let upload = client
        .post(format!("{base}/v1/bulk"))
        .header("Idempotency-Key", "kill-1")
        .multipart(crate::common::form(
            "long.csv",
            csv.as_bytes(),
            "UpdateAccountingCode",
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(upload.status(), 200);
    let seen = wait_for_job_at(&client, &base, "kill-1", |j| j["status"] == "Processing").await;
    first.kill().expect("SIGKILL");
    first.wait().unwrap();
    let status_path = format!("/v1/bulk/{}", seen["bulkKey"].as_str().unwrap());
    let polled_before = status_gets(&client, &sandbox.base, &status_path).await;

    let mut second = spawn_on(&sandbox.base, dist.path(), &secret_file, &database);
    let base = wait_listening(&mut second);
    let done = wait_for_job_at(&client, &base, "kill-1", |j| j["status"] == "Completed").await;
    second.kill().unwrap();
    second.wait().unwrap();
    for field in ["fileName", "md5", "bulkKey", "submittedAt", "submittedBy"] {
        assert_eq!(done[field], seen[field], "{field} survived the kill");
    }
    assert_eq!(done["successCount"], 40);
    let polled_after = status_gets(&client, &sandbox.base, &status_path).await;
    assert!(
        polled_after > polled_before,
        "the restarted gateway asked Zuora itself"
    );
}

/// How many `GET {path}` reached the sandbox.
async fn status_gets(client: &reqwest::Client, sandbox: &str, path: &str) -> usize {
    let log: serde_json::Value = client
        .get(format!("{sandbox}/__sandbox/requests"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    log.as_array()
        .unwrap()
        .iter()
        .filter(|r| r["method"] == "GET" && r["path"] == path)
        .count()
}

#[test]
fn flags_can_come_from_the_environment() {
    let secret = tempfile::NamedTempFile::new().unwrap();
    std::fs::write(secret.path(), "s3cret").unwrap();
    let output = command(&[])
        .env("GATEWAY_ZUORA_URL", "gopher://rest.zuora.com")
        .env("GATEWAY_CLIENT_ID", CLIENT_ID)
        .env("GATEWAY_CLIENT_SECRET_FILE", secret.path())
        .env("GATEWAY_DEV_USER", "dev")
        .output()
        .expect("runs");
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(
        stderr.contains("--zuora-url \"gopher://rest.zuora.com\""),
        "{stderr}"
    );
}

#[tokio::test]
async fn sigterm_stops_it_cleanly_after_one_line_on_stdout() {
    let sandbox = start_sandbox(sandbox_config("s3cret")).await;
    let dist = fixture_dist();
    let dir = tempfile::tempdir().unwrap();
    let secret_file = dir.path().join("secret");
    std::fs::write(&secret_file, "s3cret").unwrap();
    let database = format!("sqlite://{}", dir.path().join("h.db").display());
    let mut child = spawn_on(&sandbox.base, dist.path(), &secret_file, &database);
    let (base, stdout) = wait_listening_keeping(&mut child);
    let me = reqwest::get(format!("{base}/api/me")).await.unwrap();
    assert_eq!(me.status(), 200);
    let sent = std::process::Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(sent.success());
    assert!(child.wait().unwrap().success(), "exit code 0");
    assert_eq!(
        stdout.join().unwrap(),
        "",
        "nothing after the listening line"
    );
}
