//! `make bench` (section 5): prints a journal of N jobs (default 200) exactly as the app
//! stores it in localStorage, built through the domain's own transitions so its shape is
//! the real one. States are mixed: following (Pending, Processing with counts),
//! completed, failed, stopped, refused, unknown, cancelled; some in batches.
//!
//! cargo run -q -p mass-updater-domain --example bench_journal -- 200 1767225600000

use mass_updater_domain::checksum::md5_of;
use mass_updater_domain::{
    AcceptedFile, ActionType, Batch, FileKind, HttpReply, IdempotencyKey, Job, JobId, Journal,
    MassActionResult, RetryPolicy, TrackId,
};

fn bytes16(seed: u64, salt: u64) -> [u8; 16] {
    let mut x = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ salt;
    let mut out = [0u8; 16];
    for b in out.iter_mut() {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        *b = x as u8;
    }
    out
}

fn reply(status: u16, body: &str) -> HttpReply {
    HttpReply {
        status,
        body: body.to_owned(),
        request_id: Some("5f2a7c1e-0000-4000-8000-00000000beef".to_owned()),
        retry_after: None,
    }
}

fn status(status: &str, total: u64, processed: u64, errors: u64) -> MassActionResult {
    MassActionResult::parse(&format!(
        r#"{{"actionType":"UpdateAccountingCode","status":"{status}","success":true,"totalCount":{total},"processedCount":{processed},"successCount":{},"errorCount":{errors},"uploadedOn":"2026-11-28 10:00:00","startedOn":"2026-11-28 10:00:05"{}}}"#,
        processed.saturating_sub(errors),
        if status == "Completed" || status == "Stopped" {
            r#","endedOn":"2026-11-28 10:04:00","outputURL":"https://rest.zuora.com/apps/api/file/2c92c08a6f4e3b3f016f5f1c2b3d4e5f""#
        } else {
            ""
        }
    ))
    .expect("a valid status body")
}

fn main() {
    let mut args = std::env::args().skip(1);
    let n: u64 = args.next().and_then(|a| a.parse().ok()).unwrap_or(200);
    let base: u64 = args
        .next()
        .and_then(|a| a.parse().ok())
        .unwrap_or(1_767_225_600_000);
    let policy = RetryPolicy::default();
    let mut journal = Journal::new();
    for i in 0..n {
        let now = base + i * 61_000;
        let name = format!("accounting-codes-{:04}.csv", i);
        let file = AcceptedFile {
            size: 150_000 + (i * 7919) % 3_800_000,
            checksum: md5_of(name.as_bytes()),
            name,
            kind: FileKind::Csv,
        };
        let key = IdempotencyKey::from_random_bytes(bytes16(i, 1));
        let track = TrackId::for_submission("mass-updater-", &key);
        let mut job = Job::new(
            JobId::from_random_bytes(bytes16(i, 2)),
            &file,
            ActionType::UpdateAccountingCode,
            key,
            track,
            now,
        );
        if i % 10 == 3 {
            job = job.in_batch(Batch {
                id: format!("batch-{}", i / 10),
                label: format!("part 1 of 3 of big-file-{}.csv", i / 10),
            });
        }
        let total = 1_000 + (i * 37) % 20_000;
        let kind = i % 10;
        if kind == 9 {
            // Cancelled while queued.
            job.cancel(now + 10).expect("cancel");
        } else {
            job.start_attempt(now + 10).expect("start");
            let answer = match kind {
                7 => reply(
                    400,
                    r#"{"success":false,"reasons":[{"code":50000040,"message":"Invalid action type"}]}"#,
                ),
                8 => reply(
                    500,
                    r#"{"success":false,"reasons":[{"code":50000000,"message":"Internal error"}]}"#,
                ),
                _ => reply(
                    200,
                    &format!(
                        r#"{{"bulkKey":"{:032x}","success":true}}"#,
                        u128::from_le_bytes(bytes16(i, 3))
                    ),
                ),
            };
            job.record_answer(Ok(&answer), &policy, now + 900, 0)
                .expect("answer");
            let update = match kind {
                0 | 1 => Some(status("Processing", total, total * (i % 7) / 7, i % 3)),
                2 => Some(status("Pending", total, 0, 0)),
                3..=5 => Some(status("Completed", total, total, i % 5)),
                6 => Some(status(
                    if i % 20 == 6 { "Stopped" } else { "Failed" },
                    total,
                    total / 2,
                    0,
                )),
                _ => None,
            };
            if let Some(update) = update {
                job.record_progress(&update, now + 5_000).expect("progress");
            }
        }
        journal.upsert(job);
    }
    println!("{}", journal.save());
}
