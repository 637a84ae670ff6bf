//! How numbers are written for people: byte counts with thousands separators, so a
//! message states the exact figure ("4,203,110 bytes") and never a rounded one.

/// `4203110` → `"4,203,110"`.
pub fn grouped(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// `"4,203,110 bytes"`, `"1 byte"`.
pub fn bytes(n: u64) -> String {
    count(n, "byte", "bytes")
}

/// `n` with the word for one or for many: `"1 row"`, `"1,204 rows"`.
pub fn count(n: u64, one: &str, many: &str) -> String {
    if n == 1 {
        format!("1 {one}")
    } else {
        format!("{} {many}", grouped(n))
    }
}

/// Milliseconds since the Unix epoch as UTC ISO 8601, `1970-01-01T00:00:00.000Z`.
pub fn utc_iso(ms: u64) -> String {
    let days = ms / 86_400_000;
    let rest = ms % 86_400_000;
    // Civil date from a day count (H. Hinnant's algorithm), for days ≥ 0.
    let z = days + 719_468;
    let era = z / 146_097;
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + u64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}.{:03}Z",
        rest / 3_600_000,
        rest / 60_000 % 60,
        rest / 1_000 % 60,
        rest % 1_000
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utc_iso_matches_known_instants() {
        assert_eq!(utc_iso(0), "1970-01-01T00:00:00.000Z");
        assert_eq!(utc_iso(784_111_777_000), "1994-11-06T08:49:37.000Z");
        assert_eq!(utc_iso(951_782_400_001), "2000-02-29T00:00:00.001Z");
        assert_eq!(utc_iso(1_767_225_599_999), "2025-12-31T23:59:59.999Z");
    }
    use proptest::prelude::*;

    #[test]
    fn groups_digits_in_threes() {
        assert_eq!(grouped(0), "0");
        assert_eq!(grouped(999), "999");
        assert_eq!(grouped(1000), "1,000");
        assert_eq!(grouped(4_000_000), "4,000,000");
        assert_eq!(grouped(4_203_110), "4,203,110");
        assert_eq!(grouped(u64::MAX), "18,446,744,073,709,551,615");
    }

    #[test]
    fn byte_counts_read_naturally() {
        assert_eq!(bytes(1), "1 byte");
        assert_eq!(bytes(0), "0 bytes");
        assert_eq!(bytes(4_203_110), "4,203,110 bytes");
    }

    proptest! {
        #[test]
        fn grouping_only_inserts_commas(n: u64) {
            let g = grouped(n);
            prop_assert_eq!(g.replace(',', ""), n.to_string());
            prop_assert!(g.split(',').skip(1).all(|part| part.len() == 3));
        }
    }
}
