//! The query of `GET /api/history`, checked: every bad value is refused with one
//! sentence naming the parameter and what it accepts.

use mass_updater_domain::ActionType;

pub const DEFAULT_LIMIT: u32 = 50;
pub const MAX_LIMIT: u32 = 200;

/// Every status a history job can have: Zuora's six and the gateway's three.
pub const STATUSES: [&str; 9] = [
    "Sending",
    "Refused",
    "Unknown",
    "Pending",
    "Processing",
    "Stopping",
    "Stopped",
    "Completed",
    "Failed",
];

/// Which submissions to list.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum Whose {
    Mine,
    #[default]
    Everyone,
}

/// The checked query; `before` is still the cursor's text, read by the store's type.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HistoryParams {
    pub limit: u32,
    pub before: Option<String>,
    pub whose: Whose,
    pub status: Option<String>,
    pub action_type: Option<String>,
}

/// A bad query; `Display` is its one sentence.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum QueryError {
    Unreadable,
    Repeated(String),
    Unknown(String),
    Limit(String),
    User(String),
    Status(String),
    ActionType(String),
    Cursor(String),
}

impl std::fmt::Display for QueryError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            QueryError::Unreadable => f.write_str("The query string could not be read."),
            QueryError::Repeated(name) => {
                write!(f, "The parameter {name} is given more than once.")
            }
            QueryError::Unknown(name) => write!(
                f,
                "The parameter {name:?} is not one of limit, before, user, status and actionType."
            ),
            QueryError::Limit(v) => write!(
                f,
                "limit {v:?} is not a whole number from 1 to {MAX_LIMIT}."
            ),
            QueryError::User(v) => write!(f, "user {v:?} is neither me nor all."),
            QueryError::Status(v) => {
                write!(f, "status {v:?} is not one of {}.", STATUSES.join(", "))
            }
            QueryError::ActionType(v) => write!(
                f,
                "actionType {v:?} is not one of {}.",
                action_names().join(", ")
            ),
            QueryError::Cursor(v) => write!(
                f,
                "before {v:?} is not a cursor given by an earlier page's next."
            ),
        }
    }
}

impl std::error::Error for QueryError {}

fn action_names() -> Vec<&'static str> {
    ActionType::ALL.iter().map(|a| a.api_name()).collect()
}

impl HistoryParams {
    /// Reads the raw query string (without `?`); an empty value counts as absent.
    pub fn parse(query: Option<&str>) -> Result<HistoryParams, QueryError> {
        let pairs: Vec<(String, String)> =
            serde_urlencoded::from_str(query.unwrap_or("")).map_err(|_| QueryError::Unreadable)?;
        let mut params = HistoryParams {
            limit: DEFAULT_LIMIT,
            before: None,
            whose: Whose::Everyone,
            status: None,
            action_type: None,
        };
        let mut seen: Vec<String> = Vec::new();
        for (name, value) in pairs {
            if seen.contains(&name) {
                return Err(QueryError::Repeated(name));
            }
            seen.push(name.clone());
            if !value.is_empty() {
                params.set(&name, value)?;
            } else if !matches!(
                name.as_str(),
                "limit" | "before" | "user" | "status" | "actionType"
            ) {
                return Err(QueryError::Unknown(name));
            }
        }
        Ok(params)
    }

    fn set(&mut self, name: &str, value: String) -> Result<(), QueryError> {
        match name {
            "limit" => {
                self.limit = value
                    .parse::<u32>()
                    .ok()
                    .filter(|n| (1..=MAX_LIMIT).contains(n))
                    .ok_or(QueryError::Limit(value))?;
            }
            "before" => self.before = Some(value),
            "user" => {
                self.whose = match value.as_str() {
                    "me" => Whose::Mine,
                    "all" => Whose::Everyone,
                    _ => return Err(QueryError::User(value)),
                }
            }
            "status" if STATUSES.contains(&value.as_str()) => self.status = Some(value),
            "status" => return Err(QueryError::Status(value)),
            "actionType" if value.parse::<ActionType>().is_ok() => self.action_type = Some(value),
            "actionType" => return Err(QueryError::ActionType(value)),
            _ => return Err(QueryError::Unknown(name.to_owned())),
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_are_fifty_of_everyone() {
        let p = HistoryParams::parse(None).unwrap();
        assert_eq!((p.limit, p.whose, p.before), (50, Whose::Everyone, None));
    }

    #[test]
    fn every_parameter_is_read() {
        let p = HistoryParams::parse(Some(
            "limit=200&before=abc&user=me&status=Refused&actionType=ImportFXRate",
        ))
        .unwrap();
        assert_eq!(p.limit, 200);
        assert_eq!(p.before.as_deref(), Some("abc"));
        assert_eq!(p.whose, Whose::Mine);
        assert_eq!(p.status.as_deref(), Some("Refused"));
        assert_eq!(p.action_type.as_deref(), Some("ImportFXRate"));
    }

    #[test]
    fn bad_values_are_refused() {
        for query in [
            "limit=0",
            "limit=201",
            "limit=ten",
            "limit=-1",
            "user=bob",
            "status=Done",
            "actionType=mpu",
            "colour=red",
            "limit=5&limit=6",
        ] {
            assert!(HistoryParams::parse(Some(query)).is_err(), "{query}");
        }
    }
}
