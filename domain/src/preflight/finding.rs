//! One thing preflight noticed, and the bounded list that keeps them.

/// Errors block submission; warnings inform.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    Error,
    Warning,
}

/// One observation, placed as precisely as the check allows.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Finding {
    pub severity: Severity,
    /// A stable, kebab-case name of the check ("ragged-row", "bad-date"), used to count
    /// findings by kind and by tests. Never shown on its own.
    pub code: &'static str,
    /// The row as a spreadsheet shows it: the header is row 1, the first data row is 2.
    /// `None` for findings about the whole file.
    pub row: Option<u64>,
    /// 0-based column index in the file's header, when the finding is about one cell or
    /// one column.
    pub column: Option<usize>,
    /// The offending value, already truncated by [`Finding::clip`].
    pub value: Option<String>,
    /// One plain sentence, complete on its own (it names the column and expected form).
    pub message: String,
}

/// Longest value kept in a finding, in characters.
pub const VALUE_CHARS: usize = 60;

impl Finding {
    pub fn error(code: &'static str, message: impl Into<String>) -> Finding {
        Finding::new(Severity::Error, code, message)
    }

    pub fn warning(code: &'static str, message: impl Into<String>) -> Finding {
        Finding::new(Severity::Warning, code, message)
    }

    pub(crate) fn new(
        severity: Severity,
        code: &'static str,
        message: impl Into<String>,
    ) -> Finding {
        Finding {
            severity,
            code,
            row: None,
            column: None,
            value: None,
            message: message.into(),
        }
    }

    pub fn at_row(mut self, row: u64) -> Finding {
        self.row = Some(row);
        self
    }

    pub fn at_column(mut self, column: usize) -> Finding {
        self.column = Some(column);
        self
    }

    /// Placed on one cell: its row, its column and its value.
    pub fn at_cell(self, row: u64, column: usize, value: &str) -> Finding {
        self.at_row(row).at_column(column).with_value(value)
    }

    pub fn with_value(mut self, value: &str) -> Finding {
        self.value = Some(Finding::clip(value));
        self
    }

    /// `value` cut to [`VALUE_CHARS`] characters, with an ellipsis when cut.
    pub fn clip(value: &str) -> String {
        match value.char_indices().nth(VALUE_CHARS) {
            Some((at, _)) => format!("{}…", &value[..at]),
            None => value.to_owned(),
        }
    }
}

/// Default number of findings kept in full; beyond it only counts grow, so a broken
/// million-row file stays fast and small.
pub const DEFAULT_KEPT: usize = 200;

/// The findings of one check run: the first `cap` in full, and counts of all of them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Findings {
    kept: Vec<Finding>,
    cap: usize,
    errors: u64,
    warnings: u64,
    /// Counts by code, sorted by code: a handful of entries at most.
    by_code: Vec<(&'static str, Severity, u64)>,
}

impl Default for Findings {
    fn default() -> Findings {
        Findings::with_cap(DEFAULT_KEPT)
    }
}

impl Findings {
    pub fn with_cap(cap: usize) -> Findings {
        Findings {
            kept: Vec::new(),
            cap,
            errors: 0,
            warnings: 0,
            by_code: Vec::new(),
        }
    }

    pub fn push(&mut self, finding: Finding) {
        self.count(finding.severity, finding.code);
        if self.kept.len() < self.cap {
            self.kept.push(finding);
        }
    }

    /// Counts a finding of this severity and code, and builds it with `make` (its
    /// sentence, its clipped value) only if it is kept: a file with 40,000 unlisted
    /// values costs 40,000 counts past the kept ones, not 40,000 sentences.
    pub fn push_with(
        &mut self,
        severity: Severity,
        code: &'static str,
        make: impl FnOnce() -> Finding,
    ) {
        if self.kept.len() < self.cap {
            let finding = make();
            debug_assert_eq!((finding.severity, finding.code), (severity, code));
            self.push(finding);
        } else {
            self.count(severity, code);
        }
    }

    fn count(&mut self, severity: Severity, code: &'static str) {
        match severity {
            Severity::Error => self.errors += 1,
            Severity::Warning => self.warnings += 1,
        }
        self.tally(code, severity, 1);
    }

    fn tally(&mut self, code: &'static str, severity: Severity, n: u64) {
        // A code is nearly always the very same static text as the last time it was
        // counted, so comparing addresses finds it without reading the text.
        let entry = self
            .by_code
            .iter_mut()
            .find(|(c, ..)| std::ptr::eq(*c, code) || *c == code);
        match entry {
            Some((.., count)) => *count += n,
            None => {
                let at = self.by_code.partition_point(|(c, ..)| *c < code);
                self.by_code.insert(at, (code, severity, n));
            }
        }
    }

    /// Adds every finding of `other` (its counts too, even of those it did not keep).
    pub fn extend(&mut self, other: &Findings) {
        for f in &other.kept {
            if self.kept.len() < self.cap {
                self.kept.push(f.clone());
            }
        }
        self.errors += other.errors;
        self.warnings += other.warnings;
        for &(code, severity, n) in &other.by_code {
            self.tally(code, severity, n);
        }
    }

    /// The findings kept in full, in the order they were found.
    pub fn kept(&self) -> &[Finding] {
        &self.kept
    }

    pub fn errors(&self) -> u64 {
        self.errors
    }

    pub fn warnings(&self) -> u64 {
        self.warnings
    }

    pub fn total(&self) -> u64 {
        self.errors + self.warnings
    }

    /// How many findings were counted but not kept in full.
    pub fn dropped(&self) -> u64 {
        self.total() - self.kept.len() as u64
    }

    /// Counts by check, with each check's severity.
    pub fn by_code(&self) -> impl Iterator<Item = (&'static str, Severity, u64)> + '_ {
        self.by_code.iter().copied()
    }

    pub fn has_errors(&self) -> bool {
        self.errors > 0
    }

    pub fn is_empty(&self) -> bool {
        self.total() == 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_the_first_findings_and_counts_all() {
        let mut f = Findings::with_cap(2);
        for row in 2..12 {
            f.push(Finding::error("bad-date", "x").at_row(row));
        }
        f.push(Finding::warning("unknown-column", "y"));
        assert_eq!(f.kept().len(), 2);
        assert_eq!(f.kept()[1].row, Some(3));
        assert_eq!((f.errors(), f.warnings(), f.dropped()), (10, 1, 9));
        let codes: Vec<_> = f.by_code().collect();
        assert_eq!(
            codes,
            vec![
                ("bad-date", Severity::Error, 10),
                ("unknown-column", Severity::Warning, 1)
            ]
        );
    }

    #[test]
    fn counts_by_code_are_sorted_by_code_and_merged_by_extend() {
        let mut a = Findings::with_cap(1);
        a.push(Finding::warning("unlisted-value", "x"));
        a.push(Finding::error("bad-date", "x"));
        // The same code from another string (not the same static text) is the same code.
        let code: &'static str = String::from("unlisted-value").leak();
        a.push_with(Severity::Warning, code, || Finding::warning(code, "x"));
        let mut b = Findings::with_cap(0);
        b.push(Finding::error("text-too-long", "x"));
        b.push(Finding::error("bad-date", "x"));
        b.extend(&a);
        let codes: Vec<_> = b.by_code().collect();
        assert_eq!(
            codes,
            vec![
                ("bad-date", Severity::Error, 2),
                ("text-too-long", Severity::Error, 1),
                ("unlisted-value", Severity::Warning, 2),
            ]
        );
        assert_eq!((b.errors(), b.warnings()), (3, 2));
    }

    #[test]
    fn clips_long_values_on_a_character_boundary() {
        let long = "é".repeat(100);
        let clipped = Finding::clip(&long);
        assert_eq!(clipped.chars().count(), VALUE_CHARS + 1);
        assert!(clipped.ends_with('…'));
        assert_eq!(Finding::clip("short"), "short");
    }
}
