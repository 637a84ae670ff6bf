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
    if n == 1 {
        "1 byte".to_owned()
    } else {
        format!("{} bytes", grouped(n))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
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
