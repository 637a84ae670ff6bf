//! What the host page hears (README, "Host events"), as pure functions: each gives the
//! events one change calls for, by name without the `mass-updater:` prefix, with their
//! `detail`. The stores send them through [`super::Host`]. Tested natively.

use mass_updater_domain::preflight::Preflight;
use mass_updater_domain::{
    AcceptedFile, ActionType, FileKind, IntakeError, Job, JobState, Progress,
};
use serde_json::{json, Map, Value};

/// One event for the host: its name and its `detail`.
pub type HostEvent = (&'static str, Value);

/// A file was checked and can be worked on (`over_limit`: it needs compressing or
/// splitting first).
pub fn file_accepted(
    accepted: &AcceptedFile,
    preflight: &Preflight,
    over_limit: bool,
) -> HostEvent {
    let kind = match accepted.kind {
        FileKind::Csv => "csv",
        FileKind::Zip => "zip",
    };
    let detail = json!({
        "fileName": accepted.name,
        "size": accepted.size,
        "kind": kind,
        "md5": accepted.checksum.as_str(),
        "rows": preflight.csv.data_rows,
        "errors": preflight.errors(),
        "warnings": preflight.warnings(),
        "overLimit": over_limit,
        "detectedActionType": preflight.detected.map(ActionType::api_name),
    });
    ("file-accepted", detail)
}

/// A file was refused before anything was sent.
pub fn file_rejected(name: &str, size: u64, error: &IntakeError) -> HostEvent {
    let detail = json!({ "fileName": name, "size": size, "reason": error.to_string() });
    ("file-rejected", detail)
}

/// The events a job's change from `was` (with `was_progress`) to `job` calls for, in
/// order: `submitted` when Zuora took the file, `status-changed` when Zuora's status
/// changed, and `completed` or `failed` when the job ended. `reason` is the sentence of
/// a job that failed.
pub fn job_changed(
    was: &JobState,
    was_progress: Option<&Progress>,
    job: &Job,
    reason: impl FnOnce() -> String,
) -> Vec<HostEvent> {
    let mut events = Vec::new();
    let following = |s: &JobState| matches!(s, JobState::Following { .. });
    if following(&job.state) && !following(was) && job.bulk_key.is_some() {
        events.push(("submitted", Value::Object(about(job))));
    }
    let status = job.progress.as_ref().map(|p| p.status.as_str());
    if status.is_some() && status != was_progress.map(|p| p.status.as_str()) {
        events.push(("status-changed", status_changed(job)));
    }
    if job.state.name() != was.name() {
        events.extend(ended(job, reason));
    }
    events
}

/// What every job event says about the job.
fn about(job: &Job) -> Map<String, Value> {
    let text = |s: &str| Value::String(s.to_owned());
    let or_null = |s: Option<String>| s.map_or(Value::Null, Value::String);
    let mut detail = Map::new();
    detail.insert("jobId".into(), text(job.id.as_str()));
    detail.insert("fileName".into(), text(&job.file_name));
    detail.insert("actionType".into(), text(job.action_type.api_name()));
    let bulk_key = job.bulk_key.as_ref().map(|k| k.to_string());
    detail.insert("bulkKey".into(), or_null(bulk_key));
    detail.insert("idempotencyKey".into(), text(job.idempotency_key.as_str()));
    detail.insert("trackId".into(), text(job.track_id.as_str()));
    let batch = job.batch.as_ref().map(|b| b.label.clone());
    detail.insert("batch".into(), or_null(batch));
    detail
}

/// The job's `about` and `extra`'s fields.
fn with(job: &Job, extra: Value) -> Value {
    let mut detail = about(job);
    if let Value::Object(extra) = extra {
        detail.extend(extra);
    }
    Value::Object(detail)
}

fn status_changed(job: &Job) -> Value {
    let p = job.progress.as_ref();
    let count = |f: fn(&Progress) -> Option<u64>| p.and_then(f);
    with(
        job,
        json!({
            "status": p.map(|p| p.status.as_str()),
            "totalCount": count(|p| p.total_count),
            "processedCount": count(|p| p.processed_count),
            "successCount": count(|p| p.success_count),
            "errorCount": count(|p| p.error_count),
        }),
    )
}

fn ended(job: &Job, reason: impl FnOnce() -> String) -> Option<HostEvent> {
    let p = job.progress.as_ref();
    match &job.state {
        JobState::Completed | JobState::Stopped => Some((
            "completed",
            with(
                job,
                json!({
                    "status": job.state.name(),
                    "successCount": p.and_then(|p| p.success_count),
                    "errorCount": p.and_then(|p| p.error_count),
                }),
            ),
        )),
        JobState::Failed | JobState::Refused { .. } | JobState::Unknown { .. } => Some((
            "failed",
            with(
                job,
                json!({ "state": job.state.name(), "reason": reason() }),
            ),
        )),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use mass_updater_domain::checksum::md5_of;
    use mass_updater_domain::{
        Batch, HttpReply, IdempotencyKey, JobId, MassActionResult, RetryPolicy, TrackId,
    };

    fn job() -> Job {
        let file = AcceptedFile {
            name: "fx.csv".into(),
            size: 3,
            kind: FileKind::Csv,
            checksum: md5_of(b"abc"),
        };
        let key = IdempotencyKey::from_random_bytes([7; 16]);
        let track_id = TrackId::for_submission("t-", &key);
        let id = JobId::from_random_bytes([9; 16]);
        Job::new(id, &file, ActionType::ImportFxRate, key, track_id, 1_000).in_batch(Batch {
            id: "b1".into(),
            label: "big.csv".into(),
        })
    }

    /// `job` after Zuora's answer `status` and `body` to its upload.
    fn answered(mut job: Job, status: u16, body: &str) -> Job {
        job.start_attempt(2_000).unwrap();
        let reply = HttpReply {
            status,
            body: body.into(),
            request_id: None,
            retry_after: None,
        };
        job.record_answer(Ok(&reply), &RetryPolicy::default(), 3_000, 0)
            .unwrap();
        job
    }

    fn polled(mut job: Job, body: &str) -> Job {
        let result = MassActionResult::parse(body).unwrap();
        job.record_progress(&result, 4_000).unwrap();
        job
    }

    const ACCEPTED: &str = r#"{"bulkKey":"402892f04c97b89a014c97bb30a50003","success":true}"#;

    /// The events of `job`'s change from `was`; a failure's reason is "why".
    fn changed(was: &Job, job: &Job) -> Vec<HostEvent> {
        job_changed(&was.state, was.progress.as_ref(), job, || "why".into())
    }

    fn sending() -> Job {
        let mut j = job();
        j.start_attempt(2_000).unwrap();
        j
    }

    fn names(events: &[HostEvent]) -> Vec<&'static str> {
        events.iter().map(|(name, _)| *name).collect()
    }

    #[test]
    fn an_accepted_upload_is_submitted_with_the_keys_and_the_batch() {
        let accepted = answered(job(), 200, ACCEPTED);
        let events = changed(&sending(), &accepted);
        assert_eq!(names(&events), ["submitted"]);
        let detail = &events[0].1;
        assert_eq!(detail["bulkKey"], "402892f04c97b89a014c97bb30a50003");
        assert_eq!(detail["fileName"], "fx.csv");
        assert_eq!(detail["actionType"], "ImportFXRate");
        assert_eq!(detail["batch"], "big.csv");
        assert_eq!(detail["trackId"], accepted.track_id.to_string());
        assert_eq!(
            detail["idempotencyKey"],
            accepted.idempotency_key.to_string()
        );
    }

    #[test]
    fn a_new_status_is_told_once_with_its_counts_and_a_new_count_is_not() {
        let following = answered(job(), 200, ACCEPTED);
        let processing = polled(
            following.clone(),
            r#"{"status":"Processing","totalCount":10,"processedCount":4,"successCount":3,"errorCount":1}"#,
        );
        let events = changed(&following, &processing);
        assert_eq!(names(&events), ["status-changed"]);
        assert_eq!(events[0].1["status"], "Processing");
        assert_eq!(events[0].1["processedCount"], 4);
        assert_eq!(events[0].1["errorCount"], 1);
        let more = polled(
            processing.clone(),
            r#"{"status":"Processing","totalCount":10,"processedCount":8}"#,
        );
        let events = changed(&processing, &more);
        assert!(events.is_empty(), "{events:?}");
    }

    #[test]
    fn the_end_is_told_after_the_last_status() {
        let processing = polled(answered(job(), 200, ACCEPTED), r#"{"status":"Processing"}"#);
        let done = polled(
            processing.clone(),
            r#"{"status":"Completed","successCount":9,"errorCount":1}"#,
        );
        let events = changed(&processing, &done);
        assert_eq!(names(&events), ["status-changed", "completed"]);
        assert_eq!(events[1].1["status"], "completed");
        assert_eq!(events[1].1["successCount"], 9);
        assert_eq!(events[1].1["bulkKey"], "402892f04c97b89a014c97bb30a50003");
    }

    #[test]
    fn a_refusal_is_failed_with_its_reason() {
        let refused = answered(
            job(),
            400,
            r#"{"success":false,"reasons":[{"code":"53100320","message":"bad"}]}"#,
        );
        let events = changed(&sending(), &refused);
        assert_eq!(names(&events), ["failed"]);
        assert_eq!(events[0].1["state"], refused.state.name());
        assert_eq!(events[0].1["reason"], "why");
        assert_eq!(events[0].1["bulkKey"], Value::Null);
    }

    #[test]
    fn a_retry_or_a_queued_job_tells_nothing() {
        assert!(changed(&job(), &sending()).is_empty());
        let waiting = answered(job(), 503, "");
        assert!(changed(&sending(), &waiting).is_empty());
    }
}
