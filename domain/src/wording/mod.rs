//! Every sentence a user reads is written in this module, one file per area. The rest of
//! the crate finds the facts (numbers, names, which rule a value breaks) and calls these
//! functions to put them into words, so the sentences keep one tone and one form, and a
//! translation has one place to start from.
//!
//! - [`findings`]: what preflight says about a file, one sentence per finding.

pub mod findings;

/// `“A”, “B” or “C”`: values in quotes, listed as a sentence lists them.
pub fn one_of(values: &[&str]) -> String {
    let mut out = String::new();
    for (i, v) in values.iter().enumerate() {
        if i > 0 {
            out.push_str(if i + 1 == values.len() { " or " } else { ", " });
        }
        out.push('“');
        out.push_str(v);
        out.push('”');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_of_lists_values_with_commas_and_a_final_or() {
        assert_eq!(one_of(&[]), "");
        assert_eq!(one_of(&["A"]), "“A”");
        assert_eq!(one_of(&["A", "B"]), "“A” or “B”");
        assert_eq!(one_of(&["A", "B", "C"]), "“A”, “B” or “C”");
    }
}
