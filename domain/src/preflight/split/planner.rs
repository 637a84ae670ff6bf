//! Pass 1 of a split: where each part starts.

use super::super::pack::pack;
use super::*;
use crate::error::SplitError;

/// Where a group starts within the part being planned.
struct Boundary {
    offset: usize,
    row: u64,
    group: Option<Vec<u8>>,
}

/// Pass 1: decides where parts start.
pub struct SplitPlanner {
    options: SplitOptions,
    records: Records,
    header: Vec<u8>,
    part: Vec<u8>,
    boundaries: Vec<Boundary>,
    last_row: u64,
    budget: u64,
    starts: Vec<u64>,
    failed: Option<SplitError>,
}

impl SplitPlanner {
    pub fn new(options: SplitOptions) -> SplitPlanner {
        let budget = if options.compress {
            budget_for(options.limit, options.expected_ratio)
        } else {
            options.limit
        };
        SplitPlanner {
            options,
            records: Records::new(options.group_column),
            header: Vec::new(),
            part: Vec::new(),
            boundaries: Vec::new(),
            last_row: 0,
            budget,
            starts: Vec::new(),
            failed: None,
        }
    }

    pub fn feed(&mut self, bytes: &[u8]) -> Result<(), SplitError> {
        self.run(bytes, false)
    }

    pub fn finish(mut self) -> Result<SplitPlan, SplitError> {
        self.run(&[], true)?;
        if self.last_row == 0 {
            return Err(SplitError::NothingToSplit);
        }
        while !self.boundaries.is_empty() {
            self.flush_one(self.boundaries.len())?;
        }
        Ok(SplitPlan {
            starts: self.starts,
            compress: self.options.compress,
            limit: self.options.limit,
        })
    }

    fn run(&mut self, bytes: &[u8], last: bool) -> Result<(), SplitError> {
        if let Some(e) = &self.failed {
            return Err(e.clone());
        }
        let mut records = std::mem::replace(&mut self.records, Records::new(None));
        let result = records.feed(bytes, last, &mut |header, row| self.row(header, row));
        self.records = records;
        if let Err(e) = &result {
            self.failed = Some(e.clone());
        }
        result
    }

    fn row(&mut self, header: &[u8], r: DataRow) -> Result<(), SplitError> {
        if self.header.is_empty() {
            self.header = header.to_vec();
        }
        let same_group = r.group.is_some()
            && self
                .boundaries
                .last()
                .is_some_and(|b| b.group.as_deref() == r.group);
        if !same_group {
            self.boundaries.push(Boundary {
                offset: self.part.len(),
                row: r.row,
                group: r.group.map(<[u8]>::to_vec),
            });
        }
        self.part.extend_from_slice(r.raw);
        self.last_row = r.row;
        // Cut before the group still growing until the rest fits the budget again.
        while self.planned() > self.budget && self.boundaries.len() > 1 {
            self.flush_one(self.boundaries.len() - 1)?;
        }
        let cap = if self.options.compress {
            self.budget.saturating_mul(2).max(self.options.limit)
        } else {
            self.options.limit
        };
        if self.planned() > cap {
            return Err(self.too_large(self.planned()));
        }
        Ok(())
    }

    /// Header plus the rows not yet given to a part, in bytes.
    fn planned(&self) -> u64 {
        (self.header.len() + self.part.len()) as u64
    }

    /// The first group waiting, as too large to fit in a part on its own.
    fn too_large(&self, size: u64) -> SplitError {
        let b = self.boundaries.first();
        let last_row = self
            .boundaries
            .get(1)
            .map_or(self.last_row, |n| n.row.saturating_sub(1));
        SplitError::GroupTooLarge {
            first_row: b.map_or(self.last_row, |b| b.row),
            last_row,
            group: b
                .and_then(|b| b.group.as_deref())
                .map(|g| String::from_utf8_lossy(g).into_owned()),
            size,
            limit: self.options.limit,
        }
    }

    /// Plans one part from at most the first `groups` groups waiting (fewer when, packed,
    /// they come out over the limit).
    fn flush_one(&mut self, groups: usize) -> Result<(), SplitError> {
        let mut cut = groups.min(self.boundaries.len());
        if cut == 0 {
            return Ok(());
        }
        let end_of = |this: &SplitPlanner, cut: usize| {
            this.boundaries
                .get(cut)
                .map_or(this.part.len(), |b| b.offset)
        };
        while self.options.compress {
            let end = end_of(self, cut);
            let mut candidate = Vec::with_capacity(self.header.len() + end);
            candidate.extend_from_slice(&self.header);
            candidate.extend_from_slice(self.part.get(..end).unwrap_or_default());
            let packed = pack(&inner_name("part", 1, 99), &candidate)?.len() as u64;
            let room = self.options.limit.saturating_sub(NAME_SLACK);
            if packed <= room {
                self.budget = budget_for(
                    self.options.limit,
                    packed as f64 / candidate.len().max(1) as f64,
                );
                break;
            }
            if cut <= 1 {
                return Err(self.too_large(packed));
            }
            let target =
                (candidate.len() as f64 * room as f64 / packed as f64 * RECUT_MARGIN) as usize;
            let target = target.saturating_sub(self.header.len());
            cut = self
                .boundaries
                .iter()
                .rposition(|b| b.offset <= target && b.offset > 0)
                .unwrap_or(1)
                .clamp(1, cut - 1);
        }
        let end = end_of(self, cut);
        if let Some(first) = self.boundaries.first() {
            self.starts.push(first.row);
        }
        self.part.drain(..end);
        self.boundaries.drain(..cut);
        for b in &mut self.boundaries {
            b.offset -= end;
        }
        Ok(())
    }
}

fn budget_for(limit: u64, ratio: f64) -> u64 {
    let ratio = if ratio.is_finite() && ratio > 0.0 {
        ratio.min(1.0)
    } else {
        DEFAULT_EXPECTED_RATIO
    };
    let budget = (limit as f64 / ratio * BUDGET_MARGIN) as u64;
    budget.clamp(limit.min(MAX_PART_BUFFER), MAX_PART_BUFFER.max(limit))
}

// ---------------------------------------------------------------------------------------
// Pass 2.
