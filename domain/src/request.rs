//! What goes on the wire with a file: the `params` JSON and the two headers that make a
//! submission traceable (`Zuora-Track-Id`) and safe to retry (`Idempotency-Key`).

use crate::action_type::ActionType;
use crate::checksum::Checksum;
use crate::error::TrackIdError;
use serde::{Deserialize, Serialize};
use std::fmt;

/// A version-4 UUID, hyphenated, from 16 random bytes.
pub(crate) fn uuid_v4(bytes: [u8; 16]) -> String {
    uuid::Builder::from_random_bytes(bytes)
        .into_uuid()
        .hyphenated()
        .to_string()
}

/// The `params` form field: `{"actionType":"…","checksum":"…"}` (reference §1.2).
pub fn params_json(action_type: ActionType, checksum: &Checksum) -> String {
    #[derive(Serialize)]
    struct Params<'a> {
        #[serde(rename = "actionType")]
        action_type: ActionType,
        checksum: &'a str,
    }
    // Serialising two plain fields cannot fail; the fallback keeps that a value, not a panic.
    serde_json::to_string(&Params {
        action_type,
        checksum: checksum.as_str(),
    })
    .unwrap_or_default()
}

/// A UUID v4 naming one submission, so Zuora can recognise a retry of it (max 255 chars).
/// Read back from the journal only if it still fits the header's rules.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct IdempotencyKey(String);

impl TryFrom<String> for IdempotencyKey {
    type Error = &'static str;
    fn try_from(text: String) -> Result<Self, Self::Error> {
        let fits =
            !text.is_empty() && text.len() <= 255 && text.bytes().all(|b| b.is_ascii_graphic());
        if fits {
            Ok(IdempotencyKey(text))
        } else {
            Err("not a usable Idempotency-Key")
        }
    }
}

impl From<IdempotencyKey> for String {
    fn from(key: IdempotencyKey) -> String {
        key.0
    }
}

impl IdempotencyKey {
    /// From 16 random bytes; the caller supplies them from a cryptographic source.
    pub fn from_random_bytes(bytes: [u8; 16]) -> IdempotencyKey {
        IdempotencyKey(uuid_v4(bytes))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for IdempotencyKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A `Zuora-Track-Id`: at most 64 printable US-ASCII characters, none of `:` `;` `"` `'`
/// (reference §1.3).
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct TrackId(String);

impl TryFrom<String> for TrackId {
    type Error = TrackIdError;
    fn try_from(text: String) -> Result<Self, Self::Error> {
        TrackId::parse(&text)
    }
}

impl From<TrackId> for String {
    fn from(id: TrackId) -> String {
        id.0
    }
}

pub const TRACK_ID_MAX: usize = 64;
pub const DEFAULT_TRACK_ID_PREFIX: &str = "mass-updater-";

impl TrackId {
    pub fn parse(text: &str) -> Result<TrackId, TrackIdError> {
        if text.is_empty() {
            return Err(TrackIdError::Empty);
        }
        if let Some(found) = text
            .chars()
            .find(|&c| !c.is_ascii_graphic() || matches!(c, ':' | ';' | '"' | '\''))
        {
            return Err(TrackIdError::ForbiddenCharacter { found });
        }
        let length = text.len();
        if length > TRACK_ID_MAX {
            return Err(TrackIdError::TooLong { length });
        }
        Ok(TrackId(text.to_owned()))
    }

    /// The track id of a submission: the prefix followed by its idempotency key, so every
    /// attempt of one submission carries the same trace in Zuora's logs. A prefix that
    /// would break the rules is replaced by the default one (check it up front with
    /// [`TrackId::check_prefix`]).
    pub fn for_submission(prefix: &str, key: &IdempotencyKey) -> TrackId {
        TrackId::parse(&format!("{prefix}{key}"))
            // A UUID is 36 characters of hex digits and hyphens, so the default prefix
            // (13 safe characters) always gives a valid id.
            .unwrap_or_else(|_| TrackId(format!("{DEFAULT_TRACK_ID_PREFIX}{key}")))
    }

    /// Whether `prefix` followed by any idempotency key is a valid track id.
    pub fn check_prefix(prefix: &str) -> Result<(), TrackIdError> {
        TrackId::parse(&format!(
            "{prefix}{}",
            IdempotencyKey::from_random_bytes([0; 16])
        ))
        .map(|_| ())
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for TrackId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checksum::md5_of;
    use proptest::prelude::*;

    #[test]
    fn params_are_exactly_the_two_documented_keys() {
        let sum = md5_of(b"abc");
        assert_eq!(
            params_json(ActionType::ImportFxRate, &sum),
            r#"{"actionType":"ImportFXRate","checksum":"900150983cd24fb0d6963f7d28e17f72"}"#
        );
        let parsed: serde_json::Value =
            serde_json::from_str(&params_json(ActionType::Mpu, &sum)).unwrap();
        assert_eq!(parsed["actionType"], "MPU");
        assert_eq!(parsed.as_object().unwrap().len(), 2);
    }

    #[test]
    fn idempotency_key_is_a_version_4_uuid() {
        let key = IdempotencyKey::from_random_bytes([0xAB; 16]);
        let parsed = uuid::Uuid::parse_str(key.as_str()).unwrap();
        assert_eq!(parsed.get_version_num(), 4);
        assert_eq!(key.as_str().len(), 36);
        assert_ne!(key, IdempotencyKey::from_random_bytes([0xAC; 16]));
    }

    #[test]
    fn default_track_id_fits_the_rules() {
        let key = IdempotencyKey::from_random_bytes([7; 16]);
        let id = TrackId::for_submission(DEFAULT_TRACK_ID_PREFIX, &key);
        assert!(TrackId::parse(id.as_str()).is_ok());
        assert_eq!(id.as_str(), format!("mass-updater-{key}"));
    }

    #[test]
    fn a_prefix_that_breaks_the_rules_falls_back_to_the_default() {
        let key = IdempotencyKey::from_random_bytes([7; 16]);
        assert!(TrackId::check_prefix("bad:prefix-").is_err());
        assert!(TrackId::check_prefix(&"p".repeat(29)).is_err());
        assert!(TrackId::check_prefix(&"p".repeat(28)).is_ok());
        assert_eq!(
            TrackId::for_submission("bad:prefix-", &key).as_str(),
            format!("mass-updater-{key}")
        );
    }

    #[test]
    fn track_id_rules_are_enforced() {
        assert_eq!(TrackId::parse(""), Err(TrackIdError::Empty));
        assert_eq!(
            TrackId::parse(&"a".repeat(65)),
            Err(TrackIdError::TooLong { length: 65 })
        );
        assert!(TrackId::parse(&"a".repeat(64)).is_ok());
        for bad in [':', ';', '"', '\'', 'é', '\n', '\u{7f}'] {
            assert_eq!(
                TrackId::parse(&format!("ab{bad}c")),
                Err(TrackIdError::ForbiddenCharacter { found: bad })
            );
        }
    }

    proptest! {
        #[test]
        fn accepted_track_ids_always_satisfy_zuoras_rules(text in ".{0,80}") {
            if let Ok(id) = TrackId::parse(&text) {
                let s = id.as_str();
                prop_assert!(s.len() <= 64 && !s.is_empty());
                prop_assert!(s.is_ascii());
                prop_assert!(!s.contains([':', ';', '"', '\'']));
            }
        }
    }
}
