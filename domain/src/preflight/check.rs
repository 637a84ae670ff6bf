//! One pass over a file's bytes for everything preflight knows: the CSV's structure
//! (unpacked from its ZIP when it is one), the action type the header suggests, and
//! every row against the column specs of the chosen (or suggested) action type.

use super::csv::{CsvReport, CsvScan, RowEvent, ScanOptions};
use super::finding::{Finding, Findings};
use super::rules::columns::{detect, template_csv, GROUP_ID};
use super::rules::rows::RowRules;
use super::zip_entry::{scan_zip, UnpackLimits};
use crate::action_type::ActionType;
use crate::error::ArchiveError;
use crate::intake::FileKind;

/// Most bytes set aside at once for a ZIP read whole (see [`PreflightPass::reserve_for`]).
const ZIP_RESERVE_CAP: usize = 64 * 1024 * 1024;

/// Fed the same chunks as [`crate::Intake`]; `finish` gives the [`Preflight`].
pub struct PreflightPass {
    chosen: Option<ActionType>,
    source: Source,
    columns: ColumnCheck,
}

enum Source {
    Csv(Box<CsvScan>),
    /// A ZIP is read only once whole (its directory is at the end); it is never larger
    /// than the size limit, because larger ones are refused before reading.
    Zip(Vec<u8>),
}

/// Runs the file checks once over `action`'s template, repeated to about `bytes`, as a
/// real file would run them: intake (MD5 included), CSV scan and row rules. For a
/// browser, which compiles WebAssembly functions when first called and optimises them
/// once they run hot, this moves that work from the user's first file to idle moments
/// (one action type per moment keeps each one short). Returns the rows checked and the
/// findings (none: the templates pass their own rules).
pub fn warm_up(action: ActionType, bytes: usize) -> (u64, u64) {
    let template = template_csv(action);
    let rows = template.split_once('\n').map_or("", |(_, rows)| rows);
    let mut csv = template.clone();
    while csv.len() < bytes && rows.ends_with('\n') {
        csv.push_str(rows);
    }
    let Ok(mut intake) = crate::Intake::start("warm-up.csv", csv.len() as u64, u64::MAX) else {
        return (0, 0);
    };
    let mut pass = PreflightPass::new(FileKind::Csv, Some(action));
    pass.reserve_for(csv.len() as u64);
    for chunk in csv.as_bytes().chunks(64 * 1024) {
        let _ = intake.feed(chunk);
        pass.feed(chunk);
    }
    let _ = intake.finish();
    match pass.finish() {
        Ok(preflight) => (
            preflight.csv.data_rows,
            preflight.errors() + preflight.warnings(),
        ),
        Err(_) => (0, 0),
    }
}

/// The row checks as the scan's callback drives them.
#[derive(Default)]
struct ColumnCheck {
    chosen: Option<ActionType>,
    detected: Option<ActionType>,
    rules: Option<RowRules>,
    findings: Findings,
}

impl ColumnCheck {
    fn new(chosen: Option<ActionType>) -> ColumnCheck {
        ColumnCheck {
            chosen,
            ..ColumnCheck::default()
        }
    }

    /// Matches the header to the action type's columns, or checks one row.
    fn check(&mut self, event: RowEvent) {
        match event {
            RowEvent::Header(header) => {
                self.detected = detect(header);
                if let Some(action) = self.chosen.or(self.detected) {
                    self.rules = Some(RowRules::new(action, header, &mut self.findings));
                }
            }
            RowEvent::Row { row, fields } => {
                if let Some(rules) = &mut self.rules {
                    rules.check(row, fields, &mut self.findings);
                }
            }
        }
    }

    fn finish(mut self) -> (Option<ActionType>, Option<ActionType>, Findings) {
        let checked_as = self.rules.as_mut().map(|rules| {
            rules.finish(&mut self.findings);
            rules.action()
        });
        (self.detected, checked_as, self.findings)
    }
}

impl PreflightPass {
    pub fn new(kind: FileKind, chosen: Option<ActionType>) -> PreflightPass {
        PreflightPass {
            chosen,
            source: match kind {
                FileKind::Csv => Source::Csv(Box::new(CsvScan::new(ScanOptions::default()))),
                FileKind::Zip => Source::Zip(Vec::new()),
            },
            columns: ColumnCheck::new(chosen),
        }
    }

    /// Says how many bytes are coming (the file's size), so that memory for what is
    /// kept is set aside once (see [`CsvScan::reserve_for`]).
    pub fn reserve_for(&mut self, total: u64) {
        match &mut self.source {
            Source::Csv(scan) => scan.reserve_for(total),
            // A ZIP over the size limit is refused unread; the cap is for a limit
            // configured far above Zuora's, where growing as it fills is safer.
            Source::Zip(bytes) => {
                let total = usize::try_from(total).unwrap_or(usize::MAX);
                bytes.reserve_exact(total.min(ZIP_RESERVE_CAP));
            }
        }
    }

    pub fn feed(&mut self, chunk: &[u8]) {
        match &mut self.source {
            Source::Csv(scan) => {
                let columns = &mut self.columns;
                scan.feed(chunk, &mut |e| columns.check(e));
            }
            Source::Zip(bytes) => bytes.extend_from_slice(chunk),
        }
    }

    pub fn finish(self) -> Result<Preflight, ArchiveError> {
        let PreflightPass {
            chosen,
            source,
            mut columns,
        } = self;
        let (entry_name, csv) = match source {
            Source::Csv(scan) => (None, scan.finish(&mut |e| columns.check(e))),
            Source::Zip(bytes) => {
                let (entry, csv) = scan_zip(
                    &bytes,
                    UnpackLimits::default(),
                    ScanOptions::default(),
                    &mut |e| columns.check(e),
                )?;
                (Some(entry.name), csv)
            }
        };
        let (detected, checked_as, column_findings) = columns.finish();
        Ok(Preflight {
            entry_name,
            csv,
            chosen,
            detected,
            checked_as,
            columns: column_findings,
        })
    }
}

/// What preflight found in one file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Preflight {
    /// The CSV's name inside the archive, for a ZIP.
    pub entry_name: Option<String>,
    pub csv: CsvReport,
    /// The action type the user had chosen when the checks ran.
    pub chosen: Option<ActionType>,
    /// The action type the header suggests, if one fits convincingly.
    pub detected: Option<ActionType>,
    /// The action type whose column specs the rows were checked against: the chosen
    /// one, else the detected one; `None` when neither is known.
    pub checked_as: Option<ActionType>,
    /// Findings of the column and row checks of `checked_as`.
    pub columns: Findings,
}

impl Preflight {
    /// Re-runs the column checks for another action type from the rows kept in memory.
    /// `false` when the file was too large to keep: read it again with a new pass.
    pub fn recheck(&mut self, action: ActionType) -> bool {
        let Some(table) = self.csv.retained() else {
            return false;
        };
        let mut columns = ColumnCheck::new(Some(action));
        table.replay(&mut |e| columns.check(e));
        let (_, checked_as, findings) = columns.finish();
        self.chosen = Some(action);
        self.checked_as = checked_as;
        self.columns = findings;
        true
    }

    pub fn errors(&self) -> u64 {
        self.csv.findings.errors() + self.columns.errors()
    }

    pub fn warnings(&self) -> u64 {
        self.csv.findings.warnings() + self.columns.warnings()
    }

    pub fn has_errors(&self) -> bool {
        self.errors() > 0
    }

    /// Structural findings first (they explain later ones), then the column checks.
    pub fn findings(&self) -> impl Iterator<Item = &Finding> {
        self.csv.findings.kept().iter().chain(self.columns.kept())
    }

    /// Findings counted but not kept in full.
    pub fn dropped(&self) -> u64 {
        self.csv.findings.dropped() + self.columns.dropped()
    }

    /// Index of the `Group ID` column, which a split must never cut through.
    pub fn group_column(&self) -> Option<usize> {
        self.csv.header.iter().position(|h| h == GROUP_ID)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::preflight::{pack, template_csv};

    fn run(kind: FileKind, bytes: &[u8], chosen: Option<ActionType>, chunk: usize) -> Preflight {
        let mut pass = PreflightPass::new(kind, chosen);
        for piece in bytes.chunks(chunk.max(1)) {
            pass.feed(piece);
        }
        pass.finish().expect("readable")
    }

    #[test]
    fn warming_up_checks_every_template_cleanly_at_any_size() {
        for action in ActionType::ALL {
            let (small, none) = warm_up(action, 0);
            assert_eq!(none, 0, "{action:?}");
            // At least the template's own rows.
            assert!(small >= 1, "{action:?}: {small}");
            let (large, none) = warm_up(action, 50_000);
            assert_eq!(none, 0, "{action:?}");
            assert!(
                large > 20 * small,
                "{action:?}: {large} rows for 50 KB vs {small}"
            );
        }
    }

    #[test]
    fn every_template_passes_and_is_detected_as_itself() {
        for action in ActionType::ALL {
            let csv = template_csv(action);
            let p = run(FileKind::Csv, csv.as_bytes(), None, 7);
            assert_eq!(p.detected, Some(action), "{action:?}");
            assert_eq!(p.checked_as, Some(action));
            assert_eq!(
                p.errors() + p.warnings(),
                0,
                "{action:?}: {:?}",
                p.findings().collect::<Vec<_>>()
            );
        }
    }

    #[test]
    fn the_chosen_action_type_wins_over_the_detected_one() {
        let csv = template_csv(ActionType::ImportFxRate);
        let p = run(
            FileKind::Csv,
            csv.as_bytes(),
            Some(ActionType::Mpu),
            1 << 20,
        );
        assert_eq!(p.detected, Some(ActionType::ImportFxRate));
        assert_eq!(p.checked_as, Some(ActionType::Mpu));
        assert!(p.has_errors());
        assert!(p.columns.by_code().any(|(c, _, _)| c == "missing-column"));
    }

    #[test]
    fn recheck_from_memory_gives_what_a_fresh_pass_gives() {
        let csv = template_csv(ActionType::DeleteRevenueSchedule);
        let mut p = run(FileKind::Csv, csv.as_bytes(), Some(ActionType::Mpu), 5);
        assert!(p.has_errors());
        assert!(p.recheck(ActionType::DeleteRevenueSchedule));
        let fresh = run(
            FileKind::Csv,
            csv.as_bytes(),
            Some(ActionType::DeleteRevenueSchedule),
            5,
        );
        assert_eq!(p, fresh);
    }

    #[test]
    fn a_zip_is_checked_like_the_csv_inside_it() {
        let csv = template_csv(ActionType::UpdateAccountingCode);
        let zip = pack("codes.csv", csv.as_bytes()).expect("packs");
        let p = run(FileKind::Zip, &zip, None, 3);
        assert_eq!(p.entry_name.as_deref(), Some("codes.csv"));
        assert_eq!(p.checked_as, Some(ActionType::UpdateAccountingCode));
        assert_eq!(p.errors(), 0);
        assert_eq!(p.csv.data_rows, 1);
    }

    #[test]
    fn a_broken_zip_is_an_archive_error() {
        let mut pass = PreflightPass::new(FileKind::Zip, None);
        pass.feed(b"PK\x03\x04 not really");
        assert!(matches!(
            pass.finish(),
            Err(ArchiveError::Unreadable { .. })
        ));
    }

    #[test]
    fn unknown_headers_are_not_checked_but_structure_is() {
        let p = run(FileKind::Csv, b"a,b\n1,2,3\n", None, 4);
        assert_eq!((p.detected, p.checked_as), (None, None));
        assert!(p.columns.is_empty());
        assert!(p.csv.findings.by_code().any(|(c, _, _)| c == "ragged-row"));
    }

    #[test]
    fn the_group_column_is_found_by_its_exact_name() {
        let p = run(FileKind::Csv, b"Object Key,Group ID\nk,g\n", None, 64);
        assert_eq!(p.group_column(), Some(1));
    }
}
