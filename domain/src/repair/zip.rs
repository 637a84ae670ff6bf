//! A `.zip` input repaired: its one CSV is unpacked in pieces (within the same bounds
//! as preflight's), surveyed or repaired, and the repaired CSV packed into a new ZIP
//! under the same entry name.

use super::changes::Repaired;
use super::plan::RepairPlan;
use super::survey::{Survey, SurveyReport};
use super::writer::RepairWriter;
use crate::error::RepairError;
use crate::preflight::{UnpackLimits, ZipEntry, ZipPacker};
use crate::ActionType;

/// The survey of the CSV inside `archive`.
pub fn survey_zip(
    action: Option<ActionType>,
    mappings: &[(usize, String)],
    archive: &[u8],
) -> Result<SurveyReport, RepairError> {
    let entry = ZipEntry::find(archive).map_err(RepairError::Archive)?;
    let mut survey = Survey::new(action, mappings);
    entry
        .unpack(archive, UnpackLimits::default(), &mut |piece| {
            survey.feed(piece)
        })
        .map_err(RepairError::Archive)?;
    Ok(survey.finish())
}

/// `archive` with its CSV repaired by `plan`: a new ZIP holding the repaired CSV under
/// the entry's own name, and what the writer did (`bytes_written` counts the CSV).
pub fn repair_zip(
    action: Option<ActionType>,
    plan: &RepairPlan,
    archive: &[u8],
) -> Result<(Vec<u8>, Repaired), RepairError> {
    let entry = ZipEntry::find(archive).map_err(RepairError::Archive)?;
    let mut writer = RepairWriter::new(action, plan);
    let mut packer = ZipPacker::new(&entry.name);
    entry
        .unpack(archive, UnpackLimits::default(), &mut |piece| {
            writer.feed(piece, &mut |out| packer.feed(out));
        })
        .map_err(RepairError::Archive)?;
    let repaired = writer.finish(&mut |out| packer.feed(out));
    let zip = packer.finish().map_err(RepairError::Pack)?;
    Ok((zip, repaired))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::preflight::pack;

    #[test]
    fn a_zip_is_repaired_into_a_new_zip_with_the_same_entry_name() {
        let csv = "Provider Exchange Rate Date,Currency (From),Currency (To),Exchange Rate\r\n\
                   01/31/2026,USD,EUR,\"1,234.50\"\r\n";
        let archive = pack("rates/fx.csv", csv.as_bytes()).expect("packed");
        let action = Some(ActionType::ImportFxRate);
        let report = survey_zip(action, &[], &archive).expect("surveyed");
        let mut plan = RepairPlan::default();
        for offer in &report.offers {
            plan.accept(offer, None).expect("accepted");
        }
        let (zip, repaired) = repair_zip(action, &plan, &archive).expect("repaired");
        assert_eq!(repaired.changes.len(), 2);
        let entry = ZipEntry::find(&zip).expect("a CSV inside");
        assert_eq!(entry.name, "rates/fx.csv");
        let mut inner = Vec::new();
        entry
            .unpack(&zip, UnpackLimits::default(), &mut |p| {
                inner.extend_from_slice(p)
            })
            .expect("unpacked");
        assert_eq!(
            inner,
            b"Provider Exchange Rate Date,Currency (From),Currency (To),Exchange Rate\r\n\
              2026-01-31,USD,EUR,\"1234.50\"\r\n"
        );
        assert_eq!(repaired.bytes_written, inner.len() as u64);
    }

    #[test]
    fn a_broken_zip_is_an_archive_error() {
        let plan = RepairPlan::default();
        assert!(matches!(
            repair_zip(None, &plan, b"PK not a zip"),
            Err(RepairError::Archive(_))
        ));
    }
}
