//! Pass 2 of a split: each part written as soon as it is complete.

use super::super::pack::pack;
use super::*;
use crate::error::SplitError;

/// Pass 2: reads the file again and hands out the parts of a [`SplitPlan`].
pub struct SplitWriter {
    plan: SplitPlan,
    stem: String,
    records: Records,
    part: Vec<u8>,
    number: usize,
    first_row: u64,
    last_row: u64,
    failed: Option<SplitError>,
}

impl SplitWriter {
    /// `stem` is the original file name without its extension.
    pub fn new(plan: SplitPlan, stem: &str, group_column: Option<usize>) -> SplitWriter {
        SplitWriter {
            plan,
            stem: stem.to_owned(),
            records: Records::new(group_column),
            part: Vec::new(),
            number: 0,
            first_row: 0,
            last_row: 0,
            failed: None,
        }
    }

    pub fn feed(&mut self, bytes: &[u8], parts: &mut dyn FnMut(Part)) -> Result<(), SplitError> {
        self.run(bytes, false, parts)
    }

    /// Hands out the last part; returns how many parts there were.
    pub fn finish(mut self, parts: &mut dyn FnMut(Part)) -> Result<usize, SplitError> {
        self.run(&[], true, parts)?;
        self.emit(parts)?;
        if self.number != self.plan.parts() {
            return Err(SplitError::PlanMismatch {
                planned: self.plan.parts(),
                found: self.number,
            });
        }
        Ok(self.number)
    }

    fn run(
        &mut self,
        bytes: &[u8],
        last: bool,
        parts: &mut dyn FnMut(Part),
    ) -> Result<(), SplitError> {
        if let Some(e) = &self.failed {
            return Err(e.clone());
        }
        let mut records = std::mem::replace(&mut self.records, Records::new(None));
        let result = records.feed(bytes, last, &mut |header, row| self.row(header, row, parts));
        self.records = records;
        if let Err(e) = &result {
            self.failed = Some(e.clone());
        }
        result
    }

    fn row(
        &mut self,
        header: &[u8],
        r: DataRow,
        parts: &mut dyn FnMut(Part),
    ) -> Result<(), SplitError> {
        let starts_part = self.plan.starts.get(self.number) == Some(&r.row);
        if starts_part || self.number == 0 {
            self.emit(parts)?;
            self.number += 1;
            self.first_row = r.row;
            self.part.clear();
            self.part.extend_from_slice(header);
        }
        self.part.extend_from_slice(r.raw);
        self.last_row = r.row;
        Ok(())
    }

    fn emit(&mut self, parts: &mut dyn FnMut(Part)) -> Result<(), SplitError> {
        if self.number == 0 || self.part.is_empty() {
            return Ok(());
        }
        let of = self.plan.parts();
        let csv = std::mem::take(&mut self.part);
        let bytes = if self.plan.compress {
            pack(&inner_name(&self.stem, self.number, of), &csv)?
        } else {
            csv
        };
        if bytes.len() as u64 > self.plan.limit {
            return Err(SplitError::ChangedSincePlanned {
                part: self.number,
                size: bytes.len() as u64,
                limit: self.plan.limit,
            });
        }
        parts(Part {
            number: self.number,
            of,
            name: part_name(&self.stem, self.number, of, self.plan.compress),
            bytes,
            first_row: self.first_row,
            last_row: self.last_row,
        });
        Ok(())
    }
}
