//! What the host page hears about jobs (README, "Host events").

use super::Jobs;
use crate::platform::browser;
use mass_updater_domain::{Job, JobState};

impl Jobs {
    /// The host page hears when Zuora takes a file, when its status changes, and how
    /// it ends (see README, "Host events").
    pub(super) fn tell_host(
        &self,
        was: &JobState,
        was_progress: Option<&mass_updater_domain::job::Progress>,
        job: &Job,
    ) {
        use serde_json::json;
        // Built only for an event that is sent (most changes are a new count).
        let base = || {
            json!({
                "jobId": job.id.as_str(),
                "fileName": job.file_name,
                "actionType": job.action_type.api_name(),
                "bulkKey": job.bulk_key.as_ref().map(|k| k.to_string()),
                "idempotencyKey": job.idempotency_key.to_string(),
                "trackId": job.track_id.to_string(),
                "batch": job.batch.as_ref().map(|b| b.label.clone()),
            })
        };
        let with = |extra: serde_json::Value| {
            let mut detail = base();
            if let (Some(d), Some(e)) = (detail.as_object_mut(), extra.as_object()) {
                d.extend(e.clone());
            }
            detail
        };
        let following = |s: &JobState| matches!(s, JobState::Following { .. });
        if following(&job.state) && !following(was) && job.bulk_key.is_some() {
            self.host.emit("submitted", base());
        }
        let status = job.progress.as_ref().map(|p| p.status.as_str());
        if status.is_some() && status != was_progress.map(|p| p.status.as_str()) {
            let p = job.progress.as_ref();
            self.host.emit(
                "status-changed",
                with(json!({
                    "status": status,
                    "totalCount": p.and_then(|p| p.total_count),
                    "processedCount": p.and_then(|p| p.processed_count),
                    "successCount": p.and_then(|p| p.success_count),
                    "errorCount": p.and_then(|p| p.error_count),
                })),
            );
        }
        if job.state.name() == was.name() {
            return;
        }
        match &job.state {
            JobState::Completed | JobState::Stopped => self.host.emit(
                "completed",
                with(json!({
                    "status": job.state.name(),
                    "successCount": job.progress.as_ref().and_then(|p| p.success_count),
                    "errorCount": job.progress.as_ref().and_then(|p| p.error_count),
                })),
            ),
            JobState::Failed | JobState::Refused { .. } | JobState::Unknown { .. } => {
                self.host.emit(
                    "failed",
                    with(json!({
                        "state": job.state.name(),
                        "reason": job.sentence(browser::now_ms()),
                    })),
                )
            }
            _ => {}
        }
    }
}
