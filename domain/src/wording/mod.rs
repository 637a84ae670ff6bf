//! Every sentence a user reads is written here, one file per area, and nowhere else: not
//! in the rest of the domain, not in the app (`src/`). Other modules carry facts (typed
//! errors, states, numbers, names) and come here for the words, so that the text can be
//! reviewed, and later translated, in one place. `scripts/check-tree.mjs` (run by `make
//! lint`) refuses a string literal that reads as a sentence anywhere else.
//!
//! The app's components keep their labels in their markup: headings, the names of
//! buttons, fields and columns, badges (`✓ Fits`). Those are names of controls, not
//! sentences; a translation would take them next.
//!
//! What counts as a sentence: any text shown or announced to a user, in the app or in
//! the events sent to a host page, whether fixed or composed from facts, including the
//! fragments composed into one (a `detail` in parentheses, the value shown for an unset
//! setting, the word for where a setting came from). An error's sentence is its
//! `Display`, implemented here for the type that `crate::error` defines.
//!
//! What is not wording, and stays with the facts it names:
//! - identifiers: finding codes, Zuora's API names (`UpdateAccountingCode`, `Pending`),
//!   header names, JSON keys and setting values (`proxy`, `dark`), a job state's short
//!   name (`waiting to retry`, for logs, CSS classes and the export's `state` column),
//!   the export's column names, and the file names the app gives downloads;
//! - names: an action type's label ([`crate::ActionType::label`]) is the title of
//!   Zuora's own page for it, a name that a translation takes from Zuora;
//! - figures: how a number is written (`4,203,110 bytes`, [`crate::figures`]);
//! - texts written for serde while reading stored or received JSON (`missing field …`):
//!   they tell the reading code what failed, and an item that fails is counted or
//!   skipped, not quoted; the user meets at most serde_json's own report inside a
//!   sentence from here (a saved list that is not JSON).
//!
//! The files:
//! - [`errors`]: the `Display` of every error in `crate::error`, and the details the
//!   domain writes into them;
//! - [`jobs`]: the job list: a job's sentence by state, the confirmations before a
//!   resend, a stop or a clear, a failed stop, jobs shown in another tab;
//! - [`config`]: configuration problems, where a setting came from, how an unset value
//!   is shown;
//! - [`findings`]: what preflight says about a file, one sentence per finding;
//! - [`page`]: the page's fixed text, and what the app writes on the console;
//! - [`repair`]: repairing a file: the offers, their questions, the header proposals,
//!   the summary of the repaired file;
//! - [`team`]: team mode: who is signed in, the team history's sentences;
//! - [`workbench`]: the form: checking a file, the file summary, the panel for an
//!   oversized file, preflight's view, and why Submit cannot be pressed yet.

pub mod config;
pub mod errors;
pub mod findings;
pub mod jobs;
pub mod page;
pub mod repair;
pub mod team;
pub mod workbench;

/// `“name”`: a name the user gave (a file, an entry, a value), in curly quotes.
pub fn quoted(name: &str) -> String {
    format!("“{name}”")
}

/// `“a”, “b” and “c”`.
pub fn quoted_list(names: &[String]) -> String {
    let quoted: Vec<String> = names.iter().map(|n| quoted(n)).collect();
    and_list(&quoted)
}

/// `a`, `a and b`, `a, b and c` (no serial comma); empty for none.
pub fn and_list(items: &[String]) -> String {
    joined(items, "and")
}

/// `a`, `a or b`, `a, b or c` (no serial comma); empty for none.
pub fn or_list(items: &[String]) -> String {
    joined(items, "or")
}

fn joined(items: &[String], conjunction: &str) -> String {
    match items.split_last() {
        None => String::new(),
        Some((last, [])) => last.clone(),
        Some((last, rest)) => format!("{} {conjunction} {last}", rest.join(", ")),
    }
}

/// `“A”, “B” or “C”`: values in quotes, listed as a sentence lists them.
pub fn one_of(values: &[&str]) -> String {
    let quoted: Vec<String> = values.iter().map(|v| quoted(v)).collect();
    or_list(&quoted)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_join_with_commas_and_a_final_and() {
        let names = |n: &[&str]| n.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>();
        assert_eq!(and_list(&[]), "");
        assert_eq!(and_list(&names(&["a"])), "a");
        assert_eq!(and_list(&names(&["a", "b"])), "a and b");
        assert_eq!(quoted_list(&names(&["a", "b", "c"])), "“a”, “b” and “c”");
        assert_eq!(or_list(&names(&["a", "b", "c"])), "a, b or c");
    }

    #[test]
    fn one_of_lists_values_with_commas_and_a_final_or() {
        assert_eq!(one_of(&[]), "");
        assert_eq!(one_of(&["A"]), "“A”");
        assert_eq!(one_of(&["A", "B"]), "“A” or “B”");
        assert_eq!(one_of(&["A", "B", "C"]), "“A”, “B” or “C”");
    }
}
