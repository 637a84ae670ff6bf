//! Team mode: what the gateway (`gateway/`) says about who is signed in and about
//! everyone's mass actions, read defensively, and the rules of the team history view.
//!
//! - `GET {apiBase}/api/me` → `{"user": "…"}`. Any other answer means there is no
//!   gateway (nginx or a dev proxy answers 404), and the app stays as it is without one.
//! - `GET {apiBase}/api/history?…` → `{"jobs": [...], "next": CURSOR|null}`, newest
//!   first; [`HistoryFilter::query`] writes the query.
//! - A job this browser sent is the same job as the gateway's record of it: both carry
//!   the one `Idempotency-Key` the browser made ([`TeamJob::is_same_job`]). The team
//!   view shows that record once, marked as sent from this browser.

use crate::action_type::ActionType;
use crate::error::{Reason, TeamReplyError};
use crate::job::Job;
use serde_json::{Map, Value};

/// How many mass actions the team view asks for at a time.
pub const HISTORY_PAGE: u32 = 20;

/// The most the gateway gives in one answer (its `limit` is 1..=200).
pub const HISTORY_LIMIT_MAX: u32 = 200;

/// Where a mass action is, as the gateway records it: Zuora's own status once Zuora
/// accepted the file, or the gateway's word for what came before.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TeamStatus {
    /// Recorded, Zuora's answer has not come yet.
    Sending,
    Pending,
    Processing,
    Stopping,
    Stopped,
    Completed,
    Failed,
    /// Zuora answered with an error.
    Refused,
    /// The answer to the upload never came.
    Unknown,
    /// A status this app does not know, kept as sent.
    Other(String),
}

impl TeamStatus {
    /// Every status a filter can ask for, in the order a mass action meets them.
    pub const ALL: [TeamStatus; 9] = [
        TeamStatus::Sending,
        TeamStatus::Pending,
        TeamStatus::Processing,
        TeamStatus::Stopping,
        TeamStatus::Stopped,
        TeamStatus::Completed,
        TeamStatus::Failed,
        TeamStatus::Refused,
        TeamStatus::Unknown,
    ];

    pub fn as_str(&self) -> &str {
        match self {
            TeamStatus::Sending => "Sending",
            TeamStatus::Pending => "Pending",
            TeamStatus::Processing => "Processing",
            TeamStatus::Stopping => "Stopping",
            TeamStatus::Stopped => "Stopped",
            TeamStatus::Completed => "Completed",
            TeamStatus::Failed => "Failed",
            TeamStatus::Refused => "Refused",
            TeamStatus::Unknown => "Unknown",
            TeamStatus::Other(text) => text,
        }
    }

    /// The status named `text`; one this app does not know is kept as `Other`.
    pub fn named(text: &str) -> TeamStatus {
        TeamStatus::ALL
            .iter()
            .find(|s| s.as_str() == text)
            .cloned()
            .unwrap_or_else(|| TeamStatus::Other(text.to_owned()))
    }

    /// Whether nothing more will happen to the mass action: the gateway stops
    /// following it, and the view stops asking again for it. A status this app does not
    /// know may still change.
    pub fn has_ended(&self) -> bool {
        matches!(
            self,
            TeamStatus::Stopped
                | TeamStatus::Completed
                | TeamStatus::Failed
                | TeamStatus::Refused
                | TeamStatus::Unknown
        )
    }
}

/// One mass action in the team history: who sent which file when, and what became of
/// it. The fields are the gateway's history job JSON.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TeamJob {
    pub submitted_by: String,
    /// RFC 3339, UTC.
    pub submitted_at: String,
    pub file_name: String,
    pub file_size: u64,
    pub md5: String,
    pub action_type: String,
    pub idempotency_key: String,
    pub track_id: Option<String>,
    pub bulk_key: Option<String>,
    pub status: TeamStatus,
    pub total_count: Option<u64>,
    pub processed_count: Option<u64>,
    pub success_count: Option<u64>,
    pub error_count: Option<u64>,
    /// As Zuora writes them: `yyyy-MM-dd HH:mm:ss`.
    pub started_on: Option<String>,
    pub ended_on: Option<String>,
    pub reasons: Vec<Reason>,
    pub http_status: Option<u16>,
    /// Zuora's `outputURL`, once the mass action has ended.
    pub output_url: Option<String>,
    pub last_checked_at: Option<String>,
}

impl TeamJob {
    /// Whether `job`, in this browser's list, is this mass action: both carry the
    /// Idempotency-Key the browser made for it, which the gateway records it by.
    pub fn is_same_job(&self, job: &Job) -> bool {
        job.idempotency_key.as_str() == self.idempotency_key
    }

    /// The action type, when it is one of the six.
    pub fn action_type(&self) -> Option<ActionType> {
        self.action_type.parse().ok()
    }

    /// Where its response file is, when there is one to fetch.
    pub fn response_file(&self) -> Option<&str> {
        self.output_url
            .as_deref()
            .filter(|_| self.status.has_ended())
            .filter(|u| !u.trim().is_empty())
    }

    /// What makes its row in a list: a new one is built when this changes (a status,
    /// a count, a bulk key), and an ended mass action's row stays as it is.
    pub fn row_key(&self) -> (String, String, Option<u64>, Option<u64>, bool) {
        (
            self.idempotency_key.clone(),
            self.status.as_str().to_owned(),
            self.processed_count,
            self.total_count,
            self.bulk_key.is_some(),
        )
    }

    /// Reads one element of `jobs`, from a `serde_json::Value` (whose reader the app
    /// has already) rather than by a derived reader, which costs far more wasm.
    fn read(value: &Value) -> Result<TeamJob, String> {
        let o = Fields(value.as_object().ok_or("a job is not an object")?);
        Ok(TeamJob {
            submitted_by: o.text("submittedBy")?,
            submitted_at: o.text("submittedAt")?,
            file_name: o.text("fileName")?,
            file_size: o.count("fileSize")?.ok_or("`fileSize` is missing")?,
            md5: o.text("md5")?,
            action_type: o.text("actionType")?,
            idempotency_key: o.text("idempotencyKey")?,
            track_id: o.optional_text("trackId")?,
            bulk_key: o.optional_text("bulkKey")?,
            status: TeamStatus::named(&o.text("status")?),
            total_count: o.count("totalCount")?,
            processed_count: o.count("processedCount")?,
            success_count: o.count("successCount")?,
            error_count: o.count("errorCount")?,
            started_on: o.optional_text("startedOn")?,
            ended_on: o.optional_text("endedOn")?,
            reasons: o.reasons()?,
            http_status: match o.count("httpStatus")? {
                Some(n) => Some(u16::try_from(n).map_err(|_| "`httpStatus` is too large")?),
                None => None,
            },
            output_url: o.optional_text("outputUrl")?,
            last_checked_at: o.optional_text("lastCheckedAt")?,
        })
    }
}

/// A JSON object's fields as the contract types them; `null` and missing are the same.
struct Fields<'a>(&'a Map<String, Value>);

impl Fields<'_> {
    fn get(&self, name: &str) -> Option<&Value> {
        self.0.get(name).filter(|v| !v.is_null())
    }

    fn optional_text(&self, name: &str) -> Result<Option<String>, String> {
        match self.get(name) {
            None => Ok(None),
            Some(v) => v
                .as_str()
                .map(|s| Some(s.to_owned()))
                .ok_or_else(|| format!("`{name}` is not a string")),
        }
    }

    fn text(&self, name: &str) -> Result<String, String> {
        self.optional_text(name)?
            .ok_or_else(|| format!("`{name}` is missing"))
    }

    fn count(&self, name: &str) -> Result<Option<u64>, String> {
        match self.get(name) {
            None => Ok(None),
            Some(v) => v
                .as_u64()
                .map(Some)
                .ok_or_else(|| format!("`{name}` is not a whole number")),
        }
    }

    /// `reasons`: `code` a string or a number (as in Zuora's replies), `message` text.
    fn reasons(&self) -> Result<Vec<Reason>, String> {
        let Some(list) = self.get("reasons") else {
            return Ok(Vec::new());
        };
        let list = list.as_array().ok_or("`reasons` is not a list")?;
        list.iter()
            .map(|r| {
                let r = Fields(r.as_object().ok_or("a reason is not an object")?);
                let code = match r.get("code") {
                    None => String::new(),
                    Some(Value::Number(n)) => n.to_string(),
                    Some(_) => r.text("code")?,
                };
                Ok(Reason {
                    code,
                    message: r.optional_text("message")?.unwrap_or_default(),
                })
            })
            .collect()
    }
}

/// One answer of `GET /api/history`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HistoryPage {
    pub jobs: Vec<TeamJob>,
    pub next: Option<String>,
}

/// Reads the answer to `GET /api/me`: the signed-in user, or why there is none.
pub fn read_me(status: u16, body: &str) -> Result<String, TeamReplyError> {
    if status != 200 {
        return Err(refused(status, body));
    }
    let me = json_object(body)?;
    let user = Fields(&me).text("user").map_err(not_json)?;
    let user = user.trim();
    if user.is_empty() {
        return Err(TeamReplyError::NoUser);
    }
    Ok(user.to_owned())
}

/// Reads the answer to `GET /api/history`.
pub fn read_history(status: u16, body: &str) -> Result<HistoryPage, TeamReplyError> {
    if status != 200 {
        return Err(refused(status, body));
    }
    let page = json_object(body)?;
    let page = Fields(&page);
    let jobs = page
        .get("jobs")
        .and_then(Value::as_array)
        .ok_or_else(|| not_json("`jobs` is not a list".to_owned()))?;
    Ok(HistoryPage {
        jobs: jobs
            .iter()
            .map(TeamJob::read)
            .collect::<Result<_, _>>()
            .map_err(not_json)?,
        next: page.optional_text("next").map_err(not_json)?,
    })
}

/// A status other than 200, with the gateway's sentence when the body is its
/// `{"error": "…"}`.
fn refused(status: u16, body: &str) -> TeamReplyError {
    let sentence = json_object(body).ok().and_then(|o| {
        let sentence = Fields(&o).optional_text("error").ok()??;
        Some(sentence.trim().to_owned()).filter(|s| !s.is_empty())
    });
    TeamReplyError::Status { status, sentence }
}

fn json_object(body: &str) -> Result<Map<String, Value>, TeamReplyError> {
    match serde_json::from_str::<Value>(body) {
        Ok(Value::Object(map)) => Ok(map),
        Ok(_) => Err(not_json("not an object".to_owned())),
        Err(e) => Err(not_json(e.to_string())),
    }
}

fn not_json(detail: String) -> TeamReplyError {
    TeamReplyError::NotJson { detail }
}

/// Whose mass actions the team view shows.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Person {
    #[default]
    Everyone,
    Me,
}

/// What the team view is filtered by.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct HistoryFilter {
    pub person: Person,
    pub status: Option<TeamStatus>,
    pub action_type: Option<ActionType>,
}

impl HistoryFilter {
    /// The query of `GET /api/history` for `limit` mass actions (held to 1..=200)
    /// older than `before`, a cursor the gateway gave.
    pub fn query(&self, limit: u32, before: Option<&str>) -> String {
        let mut query = form_urlencoded::Serializer::new(String::new());
        query.append_pair("limit", &limit.clamp(1, HISTORY_LIMIT_MAX).to_string());
        query.append_pair(
            "user",
            match self.person {
                Person::Everyone => "all",
                Person::Me => "me",
            },
        );
        if let Some(status) = &self.status {
            query.append_pair("status", status.as_str());
        }
        if let Some(action_type) = self.action_type {
            query.append_pair("actionType", action_type.api_name());
        }
        if let Some(cursor) = before {
            query.append_pair("before", cursor);
        }
        query.finish()
    }
}

/// The mass actions the team view shows, newest first, each once, and the cursor of
/// the older ones.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TeamHistory {
    jobs: Vec<TeamJob>,
    next: Option<String>,
}

impl TeamHistory {
    /// The history as far as `page`, the first one asked for, goes.
    pub fn first(page: HistoryPage) -> TeamHistory {
        let mut history = TeamHistory::default();
        history.more(page);
        history
    }

    /// Adds the next older page: a mass action already shown (more were sent since
    /// the last page was asked for, so it slid down) is not shown twice.
    pub fn more(&mut self, page: HistoryPage) {
        for job in page.jobs {
            if !self.holds(&job.idempotency_key) {
                self.jobs.push(job);
            }
        }
        self.next = page.next;
    }

    /// Takes `page`, the newest [`TeamHistory::refresh_limit`] mass actions asked for
    /// again: each shown one it holds is replaced by its newer record, new ones come
    /// first, and the shown ones older than the page stay with the cursor they had.
    pub fn refreshed(&mut self, page: HistoryPage) {
        let older_than_page = page.next.is_some();
        let reached = self.jobs.iter().rposition(|old| {
            page.jobs
                .iter()
                .any(|j| j.idempotency_key == old.idempotency_key)
        });
        let tail: Vec<TeamJob> = match (older_than_page, reached) {
            (true, Some(at)) => self.jobs.split_off(at + 1),
            _ => Vec::new(),
        };
        let kept_next = self.next.take();
        *self = TeamHistory::first(page);
        if !tail.is_empty() {
            for job in tail {
                if !self.holds(&job.idempotency_key) {
                    self.jobs.push(job);
                }
            }
            self.next = kept_next;
        }
    }

    /// How many mass actions a refresh asks for: as many as are shown, within the
    /// gateway's limit, and at least a page.
    pub fn refresh_limit(&self) -> u32 {
        u32::try_from(self.jobs.len())
            .unwrap_or(HISTORY_LIMIT_MAX)
            .clamp(HISTORY_PAGE, HISTORY_LIMIT_MAX)
    }

    fn holds(&self, key: &str) -> bool {
        self.jobs.iter().any(|j| j.idempotency_key == key)
    }

    pub fn jobs(&self) -> &[TeamJob] {
        &self.jobs
    }

    pub fn job(&self, key: &str) -> Option<&TeamJob> {
        self.jobs.iter().find(|j| j.idempotency_key == key)
    }

    /// The cursor of the older mass actions, when there are more.
    pub fn next(&self) -> Option<&str> {
        self.next.as_deref()
    }

    /// Whether a shown mass action may still change, so the view asks again.
    pub fn has_unended(&self) -> bool {
        self.jobs.iter().any(|j| !j.status.has_ended())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn job_json(key: &str, status: &str) -> String {
        format!(
            r#"{{"submittedBy":"ana@example.com","submittedAt":"2026-12-04T18:30:00Z",
            "fileName":"fx.csv","fileSize":120,"md5":"0123456789abcdef0123456789abcdef",
            "actionType":"ImportFXRate","idempotencyKey":"{key}","trackId":null,
            "bulkKey":null,"status":"{status}","totalCount":null,"processedCount":null,
            "successCount":null,"errorCount":null,"startedOn":null,"endedOn":null,
            "reasons":[],"httpStatus":null,"outputUrl":null,"lastCheckedAt":null}}"#
        )
    }

    fn page(keys: &[&str], next: Option<&str>) -> HistoryPage {
        let jobs = keys
            .iter()
            .map(|k| job_json(k, "Pending"))
            .collect::<Vec<_>>();
        let next = next.map_or("null".to_owned(), |n| format!("\"{n}\""));
        let body = format!(r#"{{"jobs":[{}],"next":{next}}}"#, jobs.join(","));
        read_history(200, &body).unwrap()
    }

    fn keys(history: &TeamHistory) -> Vec<&str> {
        history
            .jobs()
            .iter()
            .map(|j| j.idempotency_key.as_str())
            .collect()
    }

    #[test]
    fn the_signed_in_user_is_read_from_a_200_with_a_user() {
        assert_eq!(
            read_me(200, r#"{"user":"ana@example.com","extra":1}"#).unwrap(),
            "ana@example.com"
        );
    }

    #[test]
    fn no_gateway_or_a_wrong_answer_is_a_typed_error_not_a_user() {
        assert_eq!(
            read_me(404, "not found"),
            Err(TeamReplyError::Status {
                status: 404,
                sentence: None
            })
        );
        assert_eq!(
            read_me(200, r#"{"user":"  "}"#),
            Err(TeamReplyError::NoUser)
        );
        for body in [
            "<html>",
            "",
            "{}",
            r#"{"user":7}"#,
            r#"{"user":null}"#,
            "[]",
        ] {
            assert!(
                matches!(read_me(200, body), Err(TeamReplyError::NotJson { .. })),
                "{body}"
            );
        }
    }

    #[test]
    fn a_history_job_reads_every_field_of_the_contract() {
        let body = r#"{"jobs":[{"submittedBy":"bo@example.com","submittedAt":"2026-12-04T18:30:00Z",
            "fileName":"codes.csv","fileSize":4203110,"md5":"0123456789abcdef0123456789abcdef",
            "actionType":"UpdateAccountingCode","idempotencyKey":"k1","trackId":"t1",
            "bulkKey":"402892f04c97b89a014c97bb30a50003","status":"Completed","totalCount":12,
            "processedCount":12,"successCount":11,"errorCount":1,"startedOn":"2026-12-04 18:30:02",
            "endedOn":"2026-12-04 18:31:00","reasons":[{"code":53100320,"message":"m"}],
            "httpStatus":200,"outputUrl":"https://zuora.example/v1/files/abc",
            "lastCheckedAt":"2026-12-04T18:31:01Z","notInTheContract":true}],"next":"c2"}"#;
        let page = read_history(200, body).unwrap();
        assert_eq!(page.next.as_deref(), Some("c2"));
        let job = &page.jobs[0];
        assert_eq!(job.submitted_by, "bo@example.com");
        assert_eq!(job.status, TeamStatus::Completed);
        assert_eq!(job.action_type(), Some(ActionType::UpdateAccountingCode));
        assert_eq!(
            (job.total_count, job.success_count, job.error_count),
            (Some(12), Some(11), Some(1))
        );
        assert_eq!(job.reasons[0].code, "53100320");
        assert_eq!(job.http_status, Some(200));
        assert_eq!(
            job.response_file(),
            Some("https://zuora.example/v1/files/abc")
        );
    }

    #[test]
    fn optional_fields_may_be_missing_or_null_and_unknown_statuses_are_kept() {
        let body = r#"{"jobs":[{"submittedBy":"a","submittedAt":"2026-12-04T18:30:00Z",
            "fileName":"f.csv","fileSize":1,"md5":"0123456789abcdef0123456789abcdef",
            "actionType":"Someday","idempotencyKey":"k","status":"Archived","reasons":null}]}"#;
        let page = read_history(200, body).unwrap();
        assert_eq!(page.next, None);
        let job = &page.jobs[0];
        assert_eq!(job.status, TeamStatus::Other("Archived".into()));
        assert!(!job.status.has_ended());
        assert_eq!(job.action_type(), None);
        assert!(job.reasons.is_empty());
        assert_eq!(job.response_file(), None);
    }

    #[test]
    fn a_history_answer_of_the_wrong_shape_is_a_typed_error() {
        assert_eq!(
            read_history(400, "limit must be 1 to 200"),
            Err(TeamReplyError::Status {
                status: 400,
                sentence: None
            })
        );
        let refused = read_history(400, r#"{"error":"The limit is 1 to 200."}"#).unwrap_err();
        assert_eq!(
            refused.to_string(),
            "The team history could not be loaded (HTTP status 400): The limit is 1 to 200."
        );
        for body in [
            "",
            "{}",
            r#"{"jobs":{}}"#,
            r#"{"jobs":[{"submittedBy":"a"}]}"#,
            &job_json("k", "Pending").replace("\"fileSize\":120", "\"fileSize\":\"120\""),
            &job_json("k", "Pending").replace("\"fileSize\":120", "\"fileSize\":-1"),
            r#"{"jobs":[],"next":5}"#,
        ] {
            assert!(
                matches!(read_history(200, body), Err(TeamReplyError::NotJson { .. })),
                "{body}"
            );
        }
    }

    #[test]
    fn a_response_file_is_offered_only_once_the_mass_action_has_ended() {
        let mut job = page(&["k"], None).jobs.remove(0);
        job.output_url = Some("https://zuora.example/v1/files/abc".into());
        assert_eq!(job.response_file(), None, "Pending");
        job.status = TeamStatus::Stopped;
        assert!(job.response_file().is_some());
    }

    #[test]
    fn the_query_names_each_filter_and_encodes_the_cursor() {
        let all = HistoryFilter::default();
        assert_eq!(all.query(20, None), "limit=20&user=all");
        let some = HistoryFilter {
            person: Person::Me,
            status: Some(TeamStatus::Completed),
            action_type: Some(ActionType::ImportFxRate),
        };
        assert_eq!(
            some.query(500, Some("2026-12-04T18:30:00Z/k+1")),
            "limit=200&user=me&status=Completed&actionType=ImportFXRate\
             &before=2026-12-04T18%3A30%3A00Z%2Fk%2B1"
        );
        assert_eq!(all.query(0, None), "limit=1&user=all");
    }

    #[test]
    fn every_status_is_named_as_the_gateway_names_it() {
        for status in TeamStatus::ALL {
            assert_eq!(TeamStatus::named(status.as_str()), status);
        }
        let ended: Vec<&str> = TeamStatus::ALL
            .iter()
            .filter(|s| s.has_ended())
            .map(TeamStatus::as_str)
            .collect();
        assert_eq!(
            ended,
            ["Stopped", "Completed", "Failed", "Refused", "Unknown"]
        );
    }

    #[test]
    fn a_mass_action_that_slid_to_the_next_page_is_shown_once() {
        let mut history = TeamHistory::first(page(&["c", "b"], Some("n1")));
        // "d" was sent meanwhile, so "b" comes again at the top of the next page.
        history.more(page(&["b", "a"], None));
        assert_eq!(keys(&history), ["c", "b", "a"]);
        assert_eq!(history.next(), None);
    }

    #[test]
    fn a_refresh_replaces_the_records_and_keeps_older_pages_and_their_cursor() {
        let mut history = TeamHistory::first(page(&["c", "b"], Some("n1")));
        history.more(page(&["a", "z"], Some("n2")));
        let mut newer = page(&["d", "c"], Some("r1"));
        newer.jobs[1].status = TeamStatus::Completed;
        history.refreshed(newer);
        assert_eq!(keys(&history), ["d", "c", "b", "a", "z"]);
        assert_eq!(history.job("c").unwrap().status, TeamStatus::Completed);
        assert_eq!(history.next(), Some("n2"));
        assert!(history.has_unended());
    }

    #[test]
    fn a_refresh_that_covers_everything_ends_the_list_where_it_ends() {
        let mut history = TeamHistory::first(page(&["b", "a"], None));
        history.refreshed(page(&["c", "b", "a"], None));
        assert_eq!(keys(&history), ["c", "b", "a"]);
        assert_eq!(history.next(), None);
        assert_eq!(history.refresh_limit(), HISTORY_PAGE);
    }

    #[test]
    fn a_job_of_this_browser_is_the_team_record_with_its_idempotency_key() {
        let local = crate::job::tests::job(7, 0);
        let mut record = page(&[local.idempotency_key.as_str()], None).jobs.remove(0);
        assert!(record.is_same_job(&local));
        record.idempotency_key.push('x');
        assert!(!record.is_same_job(&local));
    }

    #[test]
    fn each_status_has_its_sentence() {
        use crate::wording::team::team_job_sentence;
        let mut job = page(&["k"], None).jobs.remove(0);
        assert_eq!(
            team_job_sentence(&job),
            "Zuora accepted the file; the mass action has not started yet."
        );
        (job.status, job.total_count, job.processed_count) =
            (TeamStatus::Completed, Some(1200), Some(1200));
        assert_eq!(
            team_job_sentence(&job),
            "Completed: 1,200 of 1,200 rows processed, ? succeeded, ? failed."
        );
        job.status = TeamStatus::Refused;
        job.http_status = Some(400);
        job.reasons = vec![Reason {
            code: "1".into(),
            message: "The file is not valid.".into(),
        }];
        assert_eq!(
            team_job_sentence(&job),
            "Zuora refused the file (HTTP 400): The file is not valid."
        );
    }

    #[test]
    fn the_list_needs_asking_again_only_while_a_mass_action_runs() {
        let mut history = TeamHistory::first(page(&["a"], None));
        assert!(history.has_unended());
        let mut ended = page(&["a"], None);
        ended.jobs[0].status = TeamStatus::Refused;
        history.refreshed(ended);
        assert!(!history.has_unended());
    }
}
