//! The six kinds of mass action Zuora's `/v1/bulk` accepts, by their exact API names.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// One kind of mass action. The serialised form is Zuora's exact spelling
/// (`params.actionType`, reference §1.2).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
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
    pub const ALL: [ActionType; 6] = [
        ActionType::UpdateAccountingCode,
        ActionType::CreateRevenueSchedule,
        ActionType::UpdateRevenueSchedule,
        ActionType::DeleteRevenueSchedule,
        ActionType::ImportFxRate,
        ActionType::Mpu,
    ];

    /// The name Zuora expects in `params.actionType`.
    pub const fn api_name(self) -> &'static str {
        match self {
            ActionType::UpdateAccountingCode => "UpdateAccountingCode",
            ActionType::CreateRevenueSchedule => "CreateRevenueSchedule",
            ActionType::UpdateRevenueSchedule => "UpdateRevenueSchedule",
            ActionType::DeleteRevenueSchedule => "DeleteRevenueSchedule",
            ActionType::ImportFxRate => "ImportFXRate",
            ActionType::Mpu => "MPU",
        }
    }

    /// What a finance user calls it (the titles of Zuora's Mass Updater pages).
    pub const fn label(self) -> &'static str {
        match self {
            ActionType::UpdateAccountingCode => "Update accounting codes",
            ActionType::CreateRevenueSchedule => "Create revenue schedules",
            ActionType::UpdateRevenueSchedule => "Update revenue schedules",
            ActionType::DeleteRevenueSchedule => "Delete revenue schedules",
            ActionType::ImportFxRate => "Import foreign exchange rates",
            ActionType::Mpu => "Mass payment upload",
        }
    }
}

impl fmt::Display for ActionType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.api_name())
    }
}

/// The API name was not one of the six.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownActionType(pub String);

impl FromStr for ActionType {
    type Err = UnknownActionType;

    /// Exact API spelling only: Zuora documents the names as case-sensitive.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        ActionType::ALL
            .into_iter()
            .find(|a| a.api_name() == s)
            .ok_or_else(|| UnknownActionType(s.to_owned()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_action_type_round_trips_through_its_api_name() {
        for action in ActionType::ALL {
            assert_eq!(action.api_name().parse::<ActionType>(), Ok(action));
            let json = serde_json::to_string(&action).unwrap();
            assert_eq!(json, format!("\"{}\"", action.api_name()));
            assert_eq!(serde_json::from_str::<ActionType>(&json).unwrap(), action);
        }
    }

    #[test]
    fn api_names_are_zuoras_exact_spellings() {
        let names: Vec<_> = ActionType::ALL.iter().map(|a| a.api_name()).collect();
        assert_eq!(
            names,
            [
                "UpdateAccountingCode",
                "CreateRevenueSchedule",
                "UpdateRevenueSchedule",
                "DeleteRevenueSchedule",
                "ImportFXRate",
                "MPU"
            ]
        );
    }

    #[test]
    fn names_in_another_case_are_not_accepted() {
        assert!("mpu".parse::<ActionType>().is_err());
        assert!("ImportFxRate".parse::<ActionType>().is_err());
        assert!("".parse::<ActionType>().is_err());
    }
}
