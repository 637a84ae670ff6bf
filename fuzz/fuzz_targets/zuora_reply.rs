//! Zuora's replies (`POST /v1/bulk`, `GET /v1/bulk/{key}`, the stop) with what the
//! app does with them next (the retry decision), and the team-mode gateway's `/api/me`
//! and `/api/history`, merged into a history as the app merges its pages.

#![no_main]

#[path = "common.rs"]
mod common;

use libfuzzer_sys::fuzz_target;
use mass_updater_domain::team::{read_history, read_me, TeamHistory};
use mass_updater_domain::wire::{read_stop_reply, read_submit_reply, HttpReply, MassActionResult};
use mass_updater_domain::RetryPolicy;

fuzz_target!(|input: &[u8]| {
    let ([high, low, attempt], rest) = common::split_settings::<3>(input);
    let status = u16::from_be_bytes([high, low]) % 600;
    let text = String::from_utf8_lossy(rest);
    // A line of headers may come first: the request id and Retry-After.
    let (headers, body) = match text.split_once('\n') {
        Some((headers, body)) if headers.len() < 64 => (headers, body),
        _ => ("", &*text),
    };
    let (request_id, retry_after) = headers.split_once('|').unwrap_or((headers, ""));
    let reply = HttpReply {
        status,
        body: body.to_owned(),
        request_id: Some(request_id.to_owned()).filter(|s| !s.is_empty()),
        retry_after: Some(retry_after.to_owned()).filter(|s| !s.is_empty()),
    };
    if let Err(failure) = read_submit_reply(&reply) {
        let _ = failure.to_string();
        let _ = RetryPolicy::default().decide(
            u32::from(attempt),
            &failure,
            reply.retry_after.as_deref(),
            1_764_900_000_000,
            u32::from(high) << 8 | u32::from(low),
        );
    }
    if let Some(refused) = read_stop_reply(&reply) {
        let _ = refused.to_string();
    }
    if let Ok(result) = MassActionResult::parse(body) {
        let _ = result.status.is_final();
        let _ = result.status.as_str();
    }

    if let Err(e) = read_me(status, body) {
        let _ = e.to_string();
    }
    match read_history(status, body) {
        Ok(page) => {
            let mut history = TeamHistory::first(page.clone());
            history.more(page.clone());
            history.refreshed(page);
            let _ = history.refresh_limit();
            for job in history.jobs() {
                let _ = (job.row_key(), job.action_type(), job.response_file());
                assert!(history.job(&job.idempotency_key).is_some());
            }
            let _ = (history.next(), history.has_unended());
        }
        Err(e) => {
            let _ = e.to_string();
        }
    }
});
