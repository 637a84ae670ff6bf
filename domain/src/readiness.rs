//! Whether the file in the form may be submitted now, and if not, what it still needs:
//! the rule behind the Submit button. Its sentence is the hint beside the button.

use crate::action_type::ActionType;
use crate::error::FitError;
use crate::preflight::Preflight;

/// The file in the form, as far as Submit is concerned.
#[derive(Clone, Copy, Debug)]
pub enum FormFile<'a> {
    None,
    Reading,
    Refused,
    Checked {
        preflight: &'a Preflight,
        fit: Fit<'a>,
    },
}

/// Whether a checked file is within the size limit, or has been made to fit.
#[derive(Clone, Copy, Debug)]
pub enum Fit<'a> {
    /// Within the limit as it is.
    AsIs,
    /// Over the limit, and nothing done about it yet.
    TooBig,
    /// Even compressed, over the limit.
    PackTooBig,
    CannotFit(&'a FitError),
    /// Compressed or split into files that fit.
    Made,
}

/// A step of making an oversized file fit, while it runs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FitStep {
    Compressing,
    PlanningSplit,
    WritingParts,
}

/// What the file in the form still needs before it can be submitted.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Blocker {
    NoFile,
    Reading,
    Refused,
    NoActionType {
        detected: Option<ActionType>,
    },
    /// It is being compressed or split.
    Preparing,
    /// It has not yet been checked as the chosen action type.
    NotCheckedAsChosen,
    Errors {
        count: u64,
    },
    TooBig,
    PackTooBig,
    CannotFit(FitError),
}

/// Why `file` cannot be submitted as `action` now (`preparing`: it is being compressed
/// or split), or `None` when it can.
pub fn blocker(file: FormFile, action: Option<ActionType>, preparing: bool) -> Option<Blocker> {
    let (preflight, fit) = match file {
        FormFile::None => return Some(Blocker::NoFile),
        FormFile::Reading => return Some(Blocker::Reading),
        FormFile::Refused => return Some(Blocker::Refused),
        FormFile::Checked { preflight, fit } => (preflight, fit),
    };
    let Some(action) = action else {
        return Some(Blocker::NoActionType {
            detected: preflight.detected,
        });
    };
    if preparing {
        return Some(Blocker::Preparing);
    }
    if preflight.chosen != Some(action) {
        return Some(Blocker::NotCheckedAsChosen);
    }
    if preflight.has_errors() {
        return Some(Blocker::Errors {
            count: preflight.errors(),
        });
    }
    match fit {
        Fit::TooBig => Some(Blocker::TooBig),
        Fit::PackTooBig => Some(Blocker::PackTooBig),
        Fit::CannotFit(e) => Some(Blocker::CannotFit(e.clone())),
        Fit::AsIs | Fit::Made => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::intake::FileKind;
    use crate::preflight::{template_csv, PreflightPass};

    fn checked(csv: &str, chosen: Option<ActionType>) -> Preflight {
        let mut pass = PreflightPass::new(FileKind::Csv, chosen);
        pass.feed(csv.as_bytes());
        pass.finish().unwrap()
    }

    const FX: ActionType = ActionType::ImportFxRate;

    #[test]
    fn a_clean_file_checked_as_the_chosen_type_and_within_the_limit_can_go() {
        let p = checked(&template_csv(FX), Some(FX));
        let file = FormFile::Checked {
            preflight: &p,
            fit: Fit::AsIs,
        };
        assert_eq!(blocker(file, Some(FX), false), None);
        let made = FormFile::Checked {
            preflight: &p,
            fit: Fit::Made,
        };
        assert_eq!(blocker(made, Some(FX), false), None);
    }

    #[test]
    fn a_file_checked_as_suggested_waits_for_the_chosen_type() {
        // Checked as the type its header suggests, before the user chose it.
        let p = checked(&template_csv(FX), None);
        let file = FormFile::Checked {
            preflight: &p,
            fit: Fit::AsIs,
        };
        assert_eq!(
            blocker(file, None, false),
            Some(Blocker::NoActionType { detected: Some(FX) })
        );
        assert_eq!(
            blocker(file, Some(FX), false),
            Some(Blocker::NotCheckedAsChosen)
        );
    }

    #[test]
    fn each_missing_step_is_named_in_order() {
        assert_eq!(
            blocker(FormFile::None, Some(FX), false),
            Some(Blocker::NoFile)
        );
        assert_eq!(
            blocker(FormFile::Reading, Some(FX), false),
            Some(Blocker::Reading)
        );
        assert_eq!(
            blocker(FormFile::Refused, Some(FX), false),
            Some(Blocker::Refused)
        );
        let p = checked(&template_csv(FX), Some(FX));
        let too_big = FormFile::Checked {
            preflight: &p,
            fit: Fit::TooBig,
        };
        assert_eq!(blocker(too_big, Some(FX), true), Some(Blocker::Preparing));
        assert_eq!(blocker(too_big, Some(FX), false), Some(Blocker::TooBig));
        let packed = FormFile::Checked {
            preflight: &p,
            fit: Fit::PackTooBig,
        };
        assert_eq!(blocker(packed, Some(FX), false), Some(Blocker::PackTooBig));
    }

    #[test]
    fn errors_for_the_chosen_type_block_it() {
        let other = ActionType::ALL.iter().copied().find(|&a| a != FX).unwrap();
        let p = checked(&template_csv(FX), Some(other));
        let file = FormFile::Checked {
            preflight: &p,
            fit: Fit::AsIs,
        };
        assert!(matches!(
            blocker(file, Some(other), false),
            Some(Blocker::Errors { count }) if count > 0
        ));
    }
}
