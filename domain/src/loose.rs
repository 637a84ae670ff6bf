//! JSON values that Zuora's samples and its specification disagree on, read either way:
//! a field the spec types as a string that arrives as a number (or the other way
//! round). Used by the reply types in [`crate::wire`] and [`crate::error`].

use serde::{Deserialize, Deserializer};
use std::fmt;

/// A JSON string or number, read as `#[serde(untagged)]` would read it (a string, else
/// a `u64`, else an `i64`, else an `f64`, else "data did not match any variant of
/// untagged enum Loose"), by a plain visitor: the derived untagged form buffers the
/// value and retries each variant, about 10 KB of wasm for two small fields.
/// `loose_reads_as_the_untagged_enum_did` holds it to the derived form.
#[derive(Debug, PartialEq)]
pub(crate) enum Loose {
    Text(String),
    Unsigned(u64),
    Signed(i64),
    Float(f64),
}

impl<'de> Deserialize<'de> for Loose {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Loose, D::Error> {
        use serde::de::{Error, IgnoredAny, MapAccess, SeqAccess, Visitor};
        // `None` is "no variant matched". The error is made after the value is read,
        // outside the deserializer, as the untagged form does, so that it carries the
        // same position.
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Option<Loose>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a string or a number")
            }
            fn visit_str<E: Error>(self, v: &str) -> Result<Self::Value, E> {
                Ok(Some(Loose::Text(v.to_owned())))
            }
            fn visit_string<E: Error>(self, v: String) -> Result<Self::Value, E> {
                Ok(Some(Loose::Text(v)))
            }
            fn visit_bytes<E: Error>(self, v: &[u8]) -> Result<Self::Value, E> {
                Ok(std::str::from_utf8(v)
                    .ok()
                    .map(|s| Loose::Text(s.to_owned())))
            }
            fn visit_u64<E: Error>(self, v: u64) -> Result<Self::Value, E> {
                Ok(Some(Loose::Unsigned(v)))
            }
            fn visit_i64<E: Error>(self, v: i64) -> Result<Self::Value, E> {
                Ok(Some(
                    u64::try_from(v).map_or(Loose::Signed(v), Loose::Unsigned),
                ))
            }
            fn visit_f64<E: Error>(self, v: f64) -> Result<Self::Value, E> {
                Ok(Some(Loose::Float(v)))
            }
            fn visit_bool<E: Error>(self, _: bool) -> Result<Self::Value, E> {
                Ok(None)
            }
            fn visit_unit<E: Error>(self) -> Result<Self::Value, E> {
                Ok(None)
            }
            fn visit_none<E: Error>(self) -> Result<Self::Value, E> {
                Ok(None)
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
                while seq.next_element::<IgnoredAny>()?.is_some() {}
                Ok(None)
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
                Ok(None)
            }
        }
        d.deserialize_any(V)?.ok_or_else(|| {
            D::Error::custom("data did not match any variant of untagged enum Loose")
        })
    }
}

pub(crate) fn string_or_number<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    Ok(match Option::<Loose>::deserialize(d)? {
        None => String::new(),
        Some(Loose::Text(s)) => s,
        Some(Loose::Unsigned(n)) => n.to_string(),
        Some(Loose::Signed(n)) => n.to_string(),
        Some(Loose::Float(n)) => float_text(n),
    })
}

/// A JSON number read as a float, as text: a whole value without ".0", anything else in
/// serde_json's shortest form (`1.5`, `1e+300`). serde_json's formatter is in the app
/// already for writing JSON; core's float `Display` would add about 7 KB gzip of wasm.
pub(crate) fn float_text(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() < 9.0e15 {
        return (n as i64).to_string();
    }
    serde_json::Number::from_f64(n).map_or_else(String::new, |n| n.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, PartialEq, Deserialize)]
    #[serde(untagged)]
    enum Untagged {
        Text(String),
        Unsigned(u64),
        Signed(i64),
        Float(f64),
    }

    #[test]
    fn loose_reads_as_the_untagged_enum_did() {
        #[derive(Deserialize)]
        struct Ours {
            #[allow(dead_code)]
            v: Option<Loose>,
        }
        #[derive(Deserialize)]
        struct Theirs {
            #[allow(dead_code)]
            v: Option<Untagged>,
        }
        for value in [
            r#""text""#,
            r#""""#,
            r#""\u00e9""#,
            "0",
            "7",
            "18446744073709551615",
            "-1",
            "-9223372036854775808",
            "1.5",
            "-0.0",
            "1e300",
            "2.0",
            "null",
            "true",
            "false",
            "[]",
            "[1, [2]]",
            "{}",
            r#"{"a": {"b": 1}}"#,
            "1e400",
            "-",
            "[1,",
            "tru",
        ] {
            let text = format!(r#"{{"v": {value} , "w": 1}}"#);
            let ours = serde_json::from_str::<Ours>(&text).map(|o| format!("{:?}", o.v));
            let theirs = serde_json::from_str::<Theirs>(&text)
                .map(|t| format!("{:?}", t.v).replace("Untagged::", "Loose::"));
            let show = |r: Result<String, serde_json::Error>| {
                r.map_err(|e| e.to_string().replace("enum Untagged", "enum Loose"))
            };
            assert_eq!(show(ours), show(theirs), "{value}");
        }
    }

    #[test]
    fn floats_read_as_text_drop_a_whole_value_s_fraction() {
        for (n, text) in [
            (53_100_320.0, "53100320"),
            (2.0, "2"),
            (-0.0, "0"),
            (1.5, "1.5"),
            (-0.25, "-0.25"),
            (1e300, "1e+300"),
        ] {
            assert_eq!(float_text(n), text);
        }
    }
}
