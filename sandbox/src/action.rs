//! A mass action: what was uploaded, how its rows turn out, and where its
//! clock stands at any moment.
//!
//! The status is never stored; it is computed from the time elapsed since the
//! upload (and the time of a stop request, if any). That keeps the state
//! machine free of background tasks and makes it easy to reason about in tests.

use std::collections::HashSet;
use std::io::{Cursor, Write};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use bytes::Bytes;
use csv::StringRecord;
use md5::{Digest, Md5};
use serde::Serialize;
use time::OffsetDateTime;

use crate::codes;

/// The six `actionType` values, spelt exactly as Zuora documents them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum ActionType {
    UpdateAccountingCode,
    CreateRevenueSchedule,
    UpdateRevenueSchedule,
    DeleteRevenueSchedule,
    #[serde(rename = "ImportFXRate")]
    ImportFxRate,
    #[serde(rename = "MPU")]
    Mpu,
}

impl ActionType {
    /// Case-sensitive on purpose: the app must send the exact spelling.
    pub fn parse(s: &str) -> Option<ActionType> {
        Some(match s {
            "UpdateAccountingCode" => ActionType::UpdateAccountingCode,
            "CreateRevenueSchedule" => ActionType::CreateRevenueSchedule,
            "UpdateRevenueSchedule" => ActionType::UpdateRevenueSchedule,
            "DeleteRevenueSchedule" => ActionType::DeleteRevenueSchedule,
            "ImportFXRate" => ActionType::ImportFxRate,
            "MPU" => ActionType::Mpu,
            _ => return None,
        })
    }

    pub fn as_str(self) -> &'static str {
        match self {
            ActionType::UpdateAccountingCode => "UpdateAccountingCode",
            ActionType::CreateRevenueSchedule => "CreateRevenueSchedule",
            ActionType::UpdateRevenueSchedule => "UpdateRevenueSchedule",
            ActionType::DeleteRevenueSchedule => "DeleteRevenueSchedule",
            ActionType::ImportFxRate => "ImportFXRate",
            ActionType::Mpu => "MPU",
        }
    }

    /// Result columns beyond `Success` and `Error Message` (reference §5).
    fn extra_columns(self) -> &'static [&'static str] {
        match self {
            ActionType::CreateRevenueSchedule => &["Revenue Schedule Number"],
            ActionType::Mpu => &[
                "Payment ID",
                "Gateway Response Code",
                "Gateway Response Message",
                "Payment Status",
            ],
            _ => &[],
        }
    }
}

/// The six documented statuses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Status {
    Pending,
    Processing,
    Stopping,
    Stopped,
    Completed,
    Failed,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Pending => "Pending",
            Status::Processing => "Processing",
            Status::Stopping => "Stopping",
            Status::Stopped => "Stopped",
            Status::Completed => "Completed",
            Status::Failed => "Failed",
        }
    }
}

/// What happens to one data row once it is processed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// Succeeds; the values go into the action's extra result columns.
    Success(Vec<String>),
    Failure(&'static str),
}

/// A CSV that parsed: its header, its data rows (blank lines dropped) and
/// the outcome each row will have.
#[derive(Debug)]
pub struct Sheet {
    pub header: StringRecord,
    pub rows: Vec<StringRecord>,
    pub outcomes: Vec<Outcome>,
    /// `successes_before[n]` = number of successful rows among the first n.
    successes_before: Vec<usize>,
}

impl Sheet {
    pub fn total(&self) -> usize {
        self.rows.len()
    }

    fn successes_in_first(&self, n: usize) -> usize {
        self.successes_before
            .get(n.min(self.rows.len()))
            .copied()
            .unwrap_or(0)
    }
}

/// Reads the CSV text of an upload. `None` means the file cannot be processed
/// at all (not UTF-8, no header, ragged rows), which makes the action Failed.
pub fn parse_csv(bytes: &[u8]) -> Option<(StringRecord, Vec<StringRecord>)> {
    let text = std::str::from_utf8(bytes).ok()?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    // `flexible` so that a ragged row is reported by our own check below
    // (after blank lines are dropped) instead of as a reader error.
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut records = reader.records();
    let header = loop {
        let record = records.next()?.ok()?;
        if !is_blank(&record) {
            break record;
        }
    };
    let mut rows = Vec::new();
    for record in records {
        let record = record.ok()?;
        if is_blank(&record) {
            continue;
        }
        if record.len() != header.len() {
            return None;
        }
        rows.push(record);
    }
    Some((header, rows))
}

/// A line with no content, or only empty cells (as spreadsheets write at the
/// end of a sheet), is not a data row.
fn is_blank(record: &StringRecord) -> bool {
    record.iter().all(|cell| cell.trim().is_empty())
}

/// Applies the sandbox's failure rule (documented in README.md):
/// a row fails when a cell outside the `#` columns contains `FAIL`, or when
/// its non-empty Group ID equals that of an earlier failed row.
pub fn decide_outcomes(
    header: &StringRecord,
    rows: &[StringRecord],
    mut on_success: impl FnMut(usize) -> Vec<String>,
) -> Vec<Outcome> {
    let checked: Vec<bool> = header
        .iter()
        .map(|h| !h.trim_start().starts_with('#'))
        .collect();
    let group_col = header.iter().position(|h| h.trim() == "Group ID");
    let mut failed_groups: HashSet<String> = HashSet::new();
    let mut outcomes = Vec::with_capacity(rows.len());
    for (index, row) in rows.iter().enumerate() {
        let group = group_col
            .and_then(|c| row.get(c))
            .map(str::trim)
            .filter(|g| !g.is_empty());
        let has_fail = row
            .iter()
            .zip(&checked)
            .any(|(cell, &check)| check && cell.contains("FAIL"));
        let outcome = if has_fail {
            Outcome::Failure(codes::ROW_FAIL_RULE)
        } else if group.is_some_and(|g| failed_groups.contains(g)) {
            Outcome::Failure(codes::ROW_FAIL_GROUP)
        } else {
            Outcome::Success(on_success(index))
        };
        if let (Outcome::Failure(_), Some(g)) = (&outcome, group) {
            failed_groups.insert(g.to_string());
        }
        outcomes.push(outcome);
    }
    outcomes
}

impl Sheet {
    pub fn new(header: StringRecord, rows: Vec<StringRecord>, outcomes: Vec<Outcome>) -> Sheet {
        let mut successes_before = Vec::with_capacity(rows.len() + 1);
        let mut n = 0;
        successes_before.push(0);
        for o in &outcomes {
            if matches!(o, Outcome::Success(_)) {
                n += 1;
            }
            successes_before.push(n);
        }
        Sheet {
            header,
            rows,
            outcomes,
            successes_before,
        }
    }
}

/// Plausible values for the extra columns of a successful row.
pub fn success_values(
    action: ActionType,
    bulk_key: &str,
    row: usize,
    next_rs_number: &mut u64,
) -> Vec<String> {
    match action {
        ActionType::CreateRevenueSchedule => {
            *next_rs_number += 1;
            vec![format!("RS-{:08}", *next_rs_number % 100_000_000)]
        }
        ActionType::Mpu => {
            // A stable 32-hex id per (action, row), so downloads repeat exactly.
            let id = hex_lower(&Md5::digest(format!("{bulk_key}:payment:{row}").as_bytes()));
            vec![
                id,
                "approve".to_string(),
                "This transaction has been approved by the sandbox gateway.".to_string(),
                "Processed".to_string(),
            ]
        }
        _ => Vec::new(),
    }
}

pub fn hex_lower(bytes: &[u8]) -> String {
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        s.push_str(&format!("{b:02x}"));
    }
    s
}

/// One mass action.
#[derive(Debug)]
pub struct MassAction {
    pub bulk_key: String,
    pub file_id: String,
    pub action_type: ActionType,
    pub file_name: String,
    pub file_bytes: Bytes,
    /// The CSV text (unzipped when the upload was a zip).
    pub csv_bytes: Bytes,
    pub idempotency_key: Option<String>,
    pub uploaded_at: Instant,
    pub uploaded_wall: OffsetDateTime,
    pub tick: Duration,
    pub rows_per_tick: u64,
    /// `None` when the CSV cannot be processed (the action goes Failed).
    pub sheet: Option<Sheet>,
    stop_requested_at: Mutex<Option<Instant>>,
    output: Mutex<Option<Bytes>>,
}

/// Where a mass action stands at one moment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Snapshot {
    pub status: Status,
    /// `None` while Pending: the counts are null then.
    pub counts: Option<Counts>,
    pub started_at: Option<Instant>,
    pub ended_at: Option<Instant>,
    /// Whether a response file exists now.
    pub has_output: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Counts {
    pub total: usize,
    pub processed: usize,
    pub success: usize,
    pub error: usize,
}

/// The course an action takes when nobody stops it.
enum Natural {
    Pending,
    Processing { processed: usize },
    Completed,
    Failed,
}

pub struct NewAction {
    pub bulk_key: String,
    pub file_id: String,
    pub action_type: ActionType,
    pub file_name: String,
    pub file_bytes: Bytes,
    pub csv_bytes: Bytes,
    pub idempotency_key: Option<String>,
    pub tick: Duration,
    pub rows_per_tick: u64,
    pub sheet: Option<Sheet>,
}

impl MassAction {
    pub fn new(n: NewAction, now: Instant, wall: OffsetDateTime) -> MassAction {
        MassAction {
            bulk_key: n.bulk_key,
            file_id: n.file_id,
            action_type: n.action_type,
            file_name: n.file_name,
            file_bytes: n.file_bytes,
            csv_bytes: n.csv_bytes,
            idempotency_key: n.idempotency_key,
            uploaded_at: now,
            uploaded_wall: wall,
            tick: n.tick.max(Duration::from_millis(1)),
            rows_per_tick: n.rows_per_tick.max(1),
            sheet: n.sheet,
            stop_requested_at: Mutex::new(None),
            output: Mutex::new(None),
        }
    }

    fn total(&self) -> usize {
        self.sheet.as_ref().map_or(0, Sheet::total)
    }

    /// Whole ticks elapsed at `t`.
    fn ticks_at(&self, t: Instant) -> u128 {
        let elapsed = t.saturating_duration_since(self.uploaded_at);
        elapsed.as_nanos() / self.tick.as_nanos().max(1)
    }

    fn at_tick(&self, ticks: u128) -> Instant {
        let nanos = self.tick.as_nanos().saturating_mul(ticks);
        let nanos = u64::try_from(nanos).unwrap_or(u64::MAX);
        self.uploaded_at + Duration::from_nanos(nanos)
    }

    /// Ticks needed after the first (Pending) one to process every row.
    fn processing_ticks(&self) -> u128 {
        let total = self.total() as u128;
        let per = u128::from(self.rows_per_tick);
        total.div_ceil(per)
    }

    fn natural(&self, t: Instant) -> Natural {
        let ticks = self.ticks_at(t);
        if ticks == 0 {
            return Natural::Pending;
        }
        let total = match &self.sheet {
            Some(s) if s.total() > 0 => s.total(),
            _ => return Natural::Failed,
        };
        let done = (ticks - 1).saturating_mul(u128::from(self.rows_per_tick));
        if done >= total as u128 {
            Natural::Completed
        } else {
            // `done < total`, so it fits in usize.
            Natural::Processing {
                processed: usize::try_from(done).unwrap_or(total),
            }
        }
    }

    fn counts(&self, processed: usize) -> Counts {
        let success = self
            .sheet
            .as_ref()
            .map_or(0, |s| s.successes_in_first(processed));
        Counts {
            total: self.total(),
            processed,
            success,
            error: processed - success,
        }
    }

    pub fn stop_requested_at(&self) -> Option<Instant> {
        *self
            .stop_requested_at
            .lock()
            .unwrap_or_else(|e| e.into_inner())
    }

    pub fn snapshot(&self, now: Instant) -> Snapshot {
        let first_tick_end = self.at_tick(1);
        if let Some(stop_at) = self.stop_requested_at() {
            if now >= stop_at {
                let (processed, reached_processing) = match self.natural(stop_at) {
                    Natural::Processing { processed } => (processed, true),
                    // A stop is only recorded while Pending or Processing.
                    _ => (0, false),
                };
                let stopped_at = stop_at + self.tick;
                let stopped = now >= stopped_at;
                return Snapshot {
                    status: if stopped {
                        Status::Stopped
                    } else {
                        Status::Stopping
                    },
                    counts: Some(self.counts(processed)),
                    started_at: reached_processing.then_some(first_tick_end),
                    ended_at: stopped.then_some(stopped_at),
                    has_output: stopped && reached_processing,
                };
            }
        }
        match self.natural(now) {
            Natural::Pending => Snapshot {
                status: Status::Pending,
                counts: None,
                started_at: None,
                ended_at: None,
                has_output: false,
            },
            Natural::Processing { processed } => Snapshot {
                status: Status::Processing,
                counts: Some(self.counts(processed)),
                started_at: Some(first_tick_end),
                ended_at: None,
                has_output: false,
            },
            Natural::Completed => Snapshot {
                status: Status::Completed,
                counts: Some(self.counts(self.total())),
                started_at: Some(first_tick_end),
                ended_at: Some(self.at_tick(1 + self.processing_ticks())),
                has_output: true,
            },
            Natural::Failed => Snapshot {
                status: Status::Failed,
                counts: Some(self.counts(0)),
                started_at: Some(first_tick_end),
                ended_at: Some(first_tick_end),
                has_output: false,
            },
        }
    }

    /// Records a stop request if the action can still be stopped; otherwise
    /// returns the status that forbids it.
    pub fn request_stop(&self, now: Instant) -> Result<(), Status> {
        let mut stop = self
            .stop_requested_at
            .lock()
            .unwrap_or_else(|e| e.into_inner());
        if stop.is_some() {
            // Already Stopping or Stopped: report that status.
            drop(stop);
            return Err(self.snapshot(now).status);
        }
        match self.natural(now) {
            Natural::Pending | Natural::Processing { .. } => {
                *stop = Some(now);
                Ok(())
            }
            Natural::Completed => Err(Status::Completed),
            Natural::Failed => Err(Status::Failed),
        }
    }

    /// Wall-clock time of an instant on this action's clock.
    pub fn wall(&self, t: Instant) -> OffsetDateTime {
        let offset = t.saturating_duration_since(self.uploaded_at);
        self.uploaded_wall + offset
    }

    /// The name of the CSV inside the response zip.
    pub fn response_csv_name(&self) -> String {
        let base = self
            .file_name
            .rsplit(['/', '\\'])
            .next()
            .unwrap_or(&self.file_name);
        let stem = match base.rfind('.') {
            Some(dot) if dot > 0 => &base[..dot],
            _ => base,
        };
        let stem = if stem.is_empty() { "upload" } else { stem };
        format!("{stem}-response.csv")
    }

    /// The response zip, if the action has one now. Built once the action
    /// has reached a final state and cached, so its size stays constant.
    pub fn output(&self, now: Instant) -> Option<Result<Bytes, String>> {
        let snap = self.snapshot(now);
        if !snap.has_output {
            return None;
        }
        let mut cached = self.output.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(bytes) = cached.as_ref() {
            return Some(Ok(bytes.clone()));
        }
        let processed = snap.counts.map_or(0, |c| c.processed);
        let built = self.build_output(processed);
        if let Ok(bytes) = &built {
            *cached = Some(bytes.clone());
        }
        Some(built)
    }

    fn build_output(&self, processed: usize) -> Result<Bytes, String> {
        let sheet = self
            .sheet
            .as_ref()
            .ok_or_else(|| "no parsed sheet".to_string())?;
        let extra = self.action_type.extra_columns();
        let mut writer = csv::WriterBuilder::new()
            .terminator(csv::Terminator::CRLF)
            .from_writer(Vec::new());
        let mut header: Vec<&str> = sheet.header.iter().collect();
        header.push("Success");
        header.push("Error Message");
        header.extend_from_slice(extra);
        writer.write_record(&header).map_err(|e| e.to_string())?;
        for (index, row) in sheet.rows.iter().enumerate() {
            let mut record: Vec<&str> = row.iter().collect();
            let blanks = vec![""; extra.len()];
            match sheet.outcomes.get(index) {
                Some(Outcome::Success(values)) if index < processed => {
                    record.push("Y");
                    record.push("");
                    record.extend(values.iter().map(String::as_str));
                    // Pad in case an action type ever yields fewer values.
                    record.extend(blanks.iter().skip(values.len()));
                }
                Some(Outcome::Failure(message)) if index < processed => {
                    record.push("N");
                    record.push(message);
                    record.extend(blanks.iter());
                }
                _ => {
                    record.push("");
                    record.push("");
                    record.extend(blanks.iter());
                }
            }
            writer.write_record(&record).map_err(|e| e.to_string())?;
        }
        let csv = writer.into_inner().map_err(|e| e.to_string())?;

        let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
        // A fixed timestamp keeps the zip identical on every build.
        let options = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated)
            .last_modified_time(zip::DateTime::default());
        zip.start_file(self.response_csv_name(), options)
            .map_err(|e| e.to_string())?;
        zip.write_all(&csv).map_err(|e| e.to_string())?;
        let cursor = zip.finish().map_err(|e| e.to_string())?;
        Ok(Bytes::from(cursor.into_inner()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sheet_of(text: &str) -> Sheet {
        let (header, rows) = parse_csv(text.as_bytes()).expect("parses");
        let outcomes = decide_outcomes(&header, &rows, |_| Vec::new());
        Sheet::new(header, rows, outcomes)
    }

    fn action(text: &str, rows_per_tick: u64) -> MassAction {
        let (header, rows) =
            parse_csv(text.as_bytes()).map_or((None, None), |(h, r)| (Some(h), Some(r)));
        let sheet = match (header, rows) {
            (Some(h), Some(r)) => {
                let o = decide_outcomes(&h, &r, |_| Vec::new());
                Some(Sheet::new(h, r, o))
            }
            _ => None,
        };
        MassAction::new(
            NewAction {
                bulk_key: "k".into(),
                file_id: "f".into(),
                action_type: ActionType::UpdateAccountingCode,
                file_name: "dir/data.csv".into(),
                file_bytes: Bytes::from(text.to_string()),
                csv_bytes: Bytes::from(text.to_string()),
                idempotency_key: None,
                tick: Duration::from_secs(10),
                rows_per_tick,
                sheet,
            },
            Instant::now(),
            OffsetDateTime::UNIX_EPOCH,
        )
    }

    #[test]
    fn fail_rule_ignores_hash_columns_and_follows_group_ids() {
        let s =
            sheet_of("Group ID,Object Key,#Note\nG1,a,FAIL\nG1,FAIL,\nG1,b,\n,c,\nG2,d,\n\n,,\n");
        assert_eq!(s.total(), 5);
        assert!(matches!(s.outcomes[0], Outcome::Success(_)));
        assert_eq!(s.outcomes[1], Outcome::Failure(codes::ROW_FAIL_RULE));
        assert_eq!(s.outcomes[2], Outcome::Failure(codes::ROW_FAIL_GROUP));
        assert!(matches!(s.outcomes[3], Outcome::Success(_)));
        assert!(matches!(s.outcomes[4], Outcome::Success(_)));
    }

    #[test]
    fn ragged_rows_and_bad_utf8_do_not_parse() {
        assert!(parse_csv(b"a,b\n1\n").is_none());
        assert!(parse_csv(b"a,b\n\xff,1\n").is_none());
        assert!(parse_csv(b"\n\n").is_none());
        assert!(parse_csv("\u{feff}a,b\n1,2\n".as_bytes()).is_some());
    }

    #[test]
    fn clock_moves_from_pending_through_processing_to_completed() {
        let a = action("h\n1\n2\n3\n", 2);
        let t0 = a.uploaded_at;
        let s = |ms: u64| a.snapshot(t0 + Duration::from_millis(ms));
        assert_eq!(s(0).status, Status::Pending);
        assert_eq!(s(0).counts, None);
        assert_eq!(s(10_000).status, Status::Processing);
        assert_eq!(s(10_000).counts.map(|c| c.processed), Some(0));
        assert_eq!(s(20_000).counts.map(|c| c.processed), Some(2));
        assert_eq!(s(30_000).status, Status::Completed);
        assert_eq!(s(30_000).ended_at, Some(t0 + Duration::from_secs(30)));
    }

    #[test]
    fn empty_or_broken_csv_fails_after_the_first_tick() {
        let a = action("h\n", 2);
        let t = a.uploaded_at + Duration::from_secs(10);
        assert_eq!(a.snapshot(t).status, Status::Failed);
        assert!(a.output(t).is_none());
        let b = action("a,b\n1\n", 2);
        let t = b.uploaded_at + Duration::from_secs(10);
        assert_eq!(b.snapshot(t).status, Status::Failed);
    }

    #[test]
    fn stop_freezes_the_processed_rows() {
        let a = action("h\n1\n2\n3\n4\n5\n", 2);
        let t0 = a.uploaded_at;
        assert_eq!(a.request_stop(t0 + Duration::from_secs(21)), Ok(()));
        let snap = a.snapshot(t0 + Duration::from_secs(25));
        assert_eq!(snap.status, Status::Stopping);
        assert_eq!(snap.counts.map(|c| c.processed), Some(2));
        let snap = a.snapshot(t0 + Duration::from_secs(100));
        assert_eq!(snap.status, Status::Stopped);
        assert_eq!(snap.counts.map(|c| c.processed), Some(2));
        assert!(snap.has_output);
        assert_eq!(
            a.request_stop(t0 + Duration::from_secs(100)),
            Err(Status::Stopped)
        );
    }

    #[test]
    fn response_name_uses_the_upload_stem() {
        assert_eq!(action("h\n1\n", 1).response_csv_name(), "data-response.csv");
    }
}
