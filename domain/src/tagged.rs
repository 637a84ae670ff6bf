//! Reading the journal's internally tagged enums (`#[serde(tag = "…")]`) in one pass.
//!
//! serde's derived reader for such an enum buffers the whole value, then reads it again
//! as the variant its tag names. For the three the journal holds (a job's state, a submit
//! error, an unknown outcome) that machinery came to about 24 KB of the gzipped wasm.
//! Each of them instead reads into a plain struct with its tag and every variant's
//! fields as options (`#[serde(try_from = …)]`), and builds its variant from that. They
//! are still written by the derived, tagged `Serialize`, so the JSON is the same both
//! ways; a test beside each enum reads every variant back as it was written.

/// A field the tag's variant needs; the message is serde's own for a missing field.
pub(crate) fn needed<T>(value: Option<T>, name: &'static str) -> Result<T, String> {
    value.ok_or_else(|| format!("missing field `{name}`"))
}
