//! What columns each action type takes, as far as Zuora's public pages show them
//! (reference §5), with the form each value must take. The tables drive the row checks,
//! the downloadable templates and the guess of an action type from a header row.

use crate::ActionType;

/// Whether a column must be present and filled in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Need {
    /// The column must be present and every row must fill it.
    Required,
    /// Required only under a rule that joins it to other columns: a [`super::rows`]
    /// rule checks it (the rule is said beside the spec).
    Conditional,
    /// May be absent or blank.
    Optional,
}

/// The form a non-blank value must take. A blank value is judged by [`Need`] alone.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ValueKind {
    /// Any text of at most `max_chars` characters (not bytes).
    Text { max_chars: usize },
    /// The reference names the column but gives no type or limit (the page was cut):
    /// any value passes.
    AnyText,
    /// `YYYY-MM-DD`, a real calendar date.
    Date,
    /// A plain number: optional `-`, digits, optional `.digits`. No `+`, thousands
    /// separators, currency signs or exponents.
    Decimal,
    /// Exactly one of these spellings; the list is complete.
    Enum(&'static [&'static str]),
    /// The values the reference shows of a list it shows only in part: one of these in
    /// another case is an error, any other value only a warning.
    OpenEnum(&'static [&'static str]),
    /// Three capital letters (`USD`).
    Currency,
    /// MPU `Currency`: "currency ID or currency code". IDs have no documented form, so
    /// only a three-letter code written in small letters draws a warning.
    CurrencyOrId,
    /// MPU `Payment Invoice`: `InvoiceID:amount|InvoiceID:amount`, amounts plain numbers.
    PaymentInvoice,
}

/// One column of an action type's upload file.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ColumnSpec {
    /// The header exactly as Zuora's pages spell it.
    pub header: &'static str,
    pub need: Need,
    pub kind: ValueKind,
    /// A value that passes preflight. Empty where we know no value that is safe to
    /// suggest (the template then leaves the cell blank); only optional or conditional
    /// columns have an empty example.
    pub example: &'static str,
}

const fn column(
    header: &'static str,
    need: Need,
    kind: ValueKind,
    example: &'static str,
) -> ColumnSpec {
    ColumnSpec {
        header,
        need,
        kind,
        example,
    }
}

/// The header of the column that keeps rows together: Zuora skips a group's later rows
/// once one of them fails, and a split never cuts a group.
pub const GROUP_ID: &str = "Group ID";

/// `Group ID` as §4 describes it for every action except MPU.
const GROUP_ID_COLUMN: ColumnSpec = column(
    GROUP_ID,
    Need::Optional,
    ValueKind::Text { max_chars: 255 },
    "1",
);

/// `Object Type` values: the oldest page's list plus the two memo items the current
/// pages imply (Invoice Settlement only). The current list is cut, so it is open.
const OBJECT_TYPES: &[&str] = &[
    "Credit Balance Adjustment",
    "Invoice Adjustment",
    "Invoice Item",
    "Invoice Item Adjustment",
    "Taxation Item",
    "Payment",
    "Product Rate Plan Charge",
    "Refund",
    "Revenue Schedule",
    "Credit Memo Item",
    "Debit Memo Item",
];

/// The object types of the oldest page's list (all of [`OBJECT_TYPES`] but the two memo
/// items) that it does not name as taking a `Deferred Revenue Accounting Code`: with
/// [`DEFERRED_CODE_OBJECT_TYPES`], that whole list (a test checks). The deferred-code rule
/// speaks about these only.
pub(crate) const NO_DEFERRED_CODE_OBJECT_TYPES: &[&str] = &[
    "Credit Balance Adjustment",
    "Taxation Item",
    "Payment",
    "Refund",
];

/// The object types the oldest page says take a `Deferred Revenue Accounting Code`.
pub(crate) const DEFERRED_CODE_OBJECT_TYPES: &[&str] = &[
    "Invoice Adjustment",
    "Invoice Item",
    "Invoice Item Adjustment",
    "Product Rate Plan Charge",
    "Revenue Schedule",
];

// https://docs.zuora.com/accounts-receivable/finance/mass-updater/update-accounting-codes/accounting-codes-upload-file-columns
// (older: https://knowledgecenter.zuora.com/CC_Finance/Mass_Updater/Update_Accounting_Codes)
// Partial: the table is cut after "On-Account Accounting Code".
const UPDATE_ACCOUNTING_CODE: &[ColumnSpec] = &[
    GROUP_ID_COLUMN,
    column(
        "Object Key",
        Need::Required,
        ValueKind::Text { max_chars: 32 },
        "8a8082c45b1c4b8c015b1d3a5f6b7c8d",
    ),
    column(
        "Object Type",
        Need::Required,
        ValueKind::OpenEnum(OBJECT_TYPES),
        "Invoice Item",
    ),
    column(
        "Deferred Revenue Accounting Code",
        Need::Optional,
        ValueKind::Text { max_chars: 100 },
        "Deferred Revenue",
    ),
    column(
        "Recognized Revenue Accounting Code",
        Need::Optional,
        ValueKind::AnyText,
        "Subscription Revenue",
    ),
    // Invoice Settlement only; details cut.
    column(
        "Unapplied Payment Accounting Code",
        Need::Optional,
        ValueKind::AnyText,
        "",
    ),
    // Invoice Settlement only; details cut.
    column(
        "On-Account Accounting Code",
        Need::Optional,
        ValueKind::AnyText,
        "",
    ),
];

pub(crate) const SUBSCRIPTION_CHARGE_KEY: &str = "Subscription Charge Key";
pub(crate) const LINKED_TRANSACTION_KEY: &str = "Linked Transaction Key";

// https://docs.zuora.com/en/accounts-receivable/finance/mass-updater/create-revenue-schedules
// (older: https://knowledgecenter.zuora.com/CC_Finance/Mass_Updater/Create_Revenue_Schedules)
// Partial: the table is cut after "Linked Transaction Key".
const CREATE_REVENUE_SCHEDULE: &[ColumnSpec] = &[
    GROUP_ID_COLUMN,
    column(
        SUBSCRIPTION_CHARGE_KEY,
        // Required when "Linked Transaction Key" is blank or absent.
        Need::Conditional,
        ValueKind::Text { max_chars: 32 },
        "C-00000149",
    ),
    // "Invoice Item" is shown; the other three follow from the page's scope text.
    column(
        "Linked Transaction Type",
        Need::Optional,
        ValueKind::OpenEnum(&[
            "Invoice Item",
            "Invoice Item Adjustment",
            "Credit Memo Item",
            "Debit Memo Item",
        ]),
        "",
    ),
    column(
        LINKED_TRANSACTION_KEY,
        // Required when "Subscription Charge Key" is blank or absent.
        Need::Conditional,
        ValueKind::AnyText,
        "",
    ),
];

// https://knowledgecenter.zuora.com/Zuora_Payments/Zuora_Finance/Mass_Updater/Update_Revenue_Schedules
// (also https://knowledgecenter.zuora.com/CC_Finance/Mass_Updater/Update_Revenue_Schedules)
// Partial: cut after the "Revenue Schedule:<Custom Field>" columns, see
// [`custom_field_prefix`].
const UPDATE_REVENUE_SCHEDULE: &[ColumnSpec] = &[
    GROUP_ID_COLUMN,
    column(
        "Revenue Schedule Number",
        Need::Required,
        ValueKind::Text { max_chars: 100 },
        "RS-00000001",
    ),
    column(
        "Revenue Schedule Reference ID",
        Need::Optional,
        ValueKind::Text { max_chars: 60 },
        "PO-1001",
    ),
    column(
        "Revenue Schedule Notes",
        Need::Optional,
        ValueKind::Text { max_chars: 2000 },
        "Moved to the next open period",
    ),
];

// https://docs.zuora.com/accounts-receivable/finance/mass-updater/delete-revenue-schedules
// (also https://knowledgecenter.zuora.com/Zuora_Payments/Zuora_Finance/Mass_Updater/Delete_Revenue_Schedules)
// Complete.
const DELETE_REVENUE_SCHEDULE: &[ColumnSpec] = &[
    GROUP_ID_COLUMN,
    column(
        "Revenue Schedule Number",
        Need::Required,
        ValueKind::Text { max_chars: 50 },
        "RS-00000256",
    ),
];

// https://docs.zuora.com/accounts-receivable/finance/mass-updater/import-foreign-exchange-rates
// (also https://knowledgecenter.zuora.com/CC_Finance/Mass_Updater/Import_Foreign_Exchange_Rates)
// Complete.
const IMPORT_FX_RATE: &[ColumnSpec] = &[
    GROUP_ID_COLUMN,
    // Needs the "Exchange Rate Set" option, which Support enables; no limit given.
    column("Rate Set Name", Need::Optional, ValueKind::AnyText, ""),
    column(
        "Provider Exchange Rate Date",
        Need::Required,
        ValueKind::Date,
        "2016-02-16",
    ),
    column(
        "Currency (From)",
        Need::Required,
        ValueKind::Currency,
        "USD",
    ),
    column("Currency (To)", Need::Required, ValueKind::Currency, "CNY"),
    column(
        "Exchange Rate",
        Need::Required,
        ValueKind::Decimal,
        "6.5432",
    ),
];

pub(crate) const BILLING_ACCOUNT_ID: &str = "Billing Account ID";
pub(crate) const PAYMENT_INVOICE: &str = "Payment Invoice";

// https://docs.zuora.com/en/accounts-receivable/finance/mass-updater/mass-payment-upload/upload-file-columns
// (also https://knowledgecenter.zuora.com/CC_Finance/Mass_Updater/Mass_Payment_Upload)
// Partial: cut after "Reference ID". No "Group ID": the visible table has none.
const MPU: &[ColumnSpec] = &[
    column(
        BILLING_ACCOUNT_ID,
        Need::Optional,
        ValueKind::Text { max_chars: 32 },
        "8a8082c45b1c4b8c015b1d3a5f6b7c8d",
    ),
    column(
        PAYMENT_INVOICE,
        Need::Optional,
        ValueKind::PaymentInvoice,
        "INV00000001:60.00|INV00000002:40.00",
    ),
    column(
        "Payment Amount",
        Need::Required,
        ValueKind::Decimal,
        "100.00",
    ),
    column("Currency", Need::Required, ValueKind::CurrencyOrId, "USD"),
    column(
        "Payment Date",
        Need::Required,
        ValueKind::Date,
        "2026-02-16",
    ),
    column(
        "Payment Method ID",
        Need::Required,
        ValueKind::Text { max_chars: 32 },
        "8a8082c45b1c4b8c015b1d3a5f6b7c8e",
    ),
    column(
        "Payment Comment",
        Need::Optional,
        ValueKind::Text { max_chars: 255 },
        "February payments, batch 1",
    ),
    // Blank means External.
    column(
        "Payment Type",
        Need::Optional,
        ValueKind::Enum(&["External", "Electronic"]),
        "External",
    ),
    column(
        "Gateway ID",
        Need::Optional,
        ValueKind::Text { max_chars: 32 },
        "",
    ),
    column("Reference ID", Need::Optional, ValueKind::AnyText, ""),
];

/// The upload columns of `action`, in the order Zuora's page lists them.
pub fn columns(action: ActionType) -> &'static [ColumnSpec] {
    match action {
        ActionType::UpdateAccountingCode => UPDATE_ACCOUNTING_CODE,
        ActionType::CreateRevenueSchedule => CREATE_REVENUE_SCHEDULE,
        ActionType::UpdateRevenueSchedule => UPDATE_REVENUE_SCHEDULE,
        ActionType::DeleteRevenueSchedule => DELETE_REVENUE_SCHEDULE,
        ActionType::ImportFxRate => IMPORT_FX_RATE,
        ActionType::Mpu => MPU,
    }
}

/// Whether [`columns`] lists every upload column of `action` (reference §5.7). When it
/// does not, a column we do not know may well be real, so it only draws a warning.
pub fn is_complete(action: ActionType) -> bool {
    matches!(
        action,
        ActionType::DeleteRevenueSchedule | ActionType::ImportFxRate
    )
}

/// Headers that start with this text are custom-field columns (`Revenue Schedule:Region`),
/// accepted without checks. Only Update revenue schedules documents them.
pub fn custom_field_prefix(action: ActionType) -> Option<&'static str> {
    match action {
        ActionType::UpdateRevenueSchedule => Some("Revenue Schedule:"),
        _ => None,
    }
}

/// A CSV file for `action`: the header (required columns first, then the rest in Zuora's
/// order) and one example row that passes preflight. Lines end in CRLF, as RFC 4180 and
/// Excel write them; values that need it are double-quoted.
pub fn template_csv(action: ActionType) -> String {
    let specs = columns(action);
    let ordered = specs
        .iter()
        .filter(|c| c.need == Need::Required)
        .chain(specs.iter().filter(|c| c.need != Need::Required));
    let mut header = Vec::with_capacity(specs.len());
    let mut example = Vec::with_capacity(specs.len());
    for spec in ordered {
        header.push(csv_field(spec.header));
        example.push(csv_field(spec.example));
    }
    format!("{}\r\n{}\r\n", header.join(","), example.join(","))
}

fn csv_field(value: &str) -> String {
    if value.contains([',', '"', '\r', '\n']) || value.trim() != value {
        format!("\"{}\"", value.replace('"', "\"\""))
    } else {
        value.to_owned()
    }
}

/// A header compared loosely: no whitespace at all, lower case. `Object  key`,
/// `objectkey` and `OBJECT KEY` all meet `Object Key`. Allocates; used on headers only.
///
/// Only ASCII letters are lowered, plus the two non-ASCII letters whose lower case
/// holds ASCII (KELVIN SIGN is `k`, `İ` is `i` and a combining dot). Every loose form
/// is compared with, or tested as starting with, the loose form of an ASCII spelling
/// (a column header or an allowed value), so the outcome is exactly that of
/// `char::to_lowercase`, without the 25 KB Unicode case table it pulls into the wasm.
/// `loose_matches_unicode_lowercase` in the tests holds it to that.
pub(crate) fn loose(header: &str) -> String {
    loose_chars(header).collect()
}

/// `loose(a) == loose(b)`, without building either.
pub(crate) fn loose_eq(a: &str, b: &str) -> bool {
    // Byte by byte while both are ASCII (the usual case: whitespace skipped, case
    // ignored); from the first other byte on, char by char as `loose` does.
    let space = |c: &u8| c.is_ascii_whitespace() || *c == 0x0b;
    let (mut x, mut y) = (a.bytes(), b.bytes());
    loop {
        match (x.find(|c| !space(c)), y.find(|c| !space(c))) {
            (None, None) => return true,
            (Some(p), Some(q)) if p.is_ascii() && q.is_ascii() => {
                if !p.eq_ignore_ascii_case(&q) {
                    return false;
                }
            }
            (Some(p), None) | (None, Some(p)) if p.is_ascii() => return false,
            _ => return loose_chars(a).eq(loose_chars(b)),
        }
    }
}

fn loose_chars(text: &str) -> impl Iterator<Item = char> + '_ {
    text.chars().flat_map(|c| {
        let (first, second) = match c {
            c if c.is_whitespace() || c == '\u{feff}' => (None, None),
            '\u{212a}' => (Some('k'), None),
            '\u{130}' => (Some('i'), Some('\u{307}')),
            c => (Some(c.to_ascii_lowercase()), None),
        };
        first.into_iter().chain(second)
    })
}

pub(crate) fn is_informational(header: &str) -> bool {
    header.starts_with('#')
}

/// The action type whose columns best explain `header`, or `None` when none fits
/// convincingly. Header text is compared loosely (case and whitespace ignored) and
/// `#` columns are ignored.
///
/// A candidate must have every required column (for Create revenue schedules, one of
/// the two keys), and at least half of the file's other columns must be its own.
/// Among candidates, the one explaining the most columns wins; on a tie, a complete
/// table that explains every column beats the rest, then fewer unexplained columns
/// win, then an incomplete table (where unexplained columns may be real) beats a
/// complete one. A tie after that is ambiguous: `None`.
pub fn detect(header: &[&str]) -> Option<ActionType> {
    let file: Vec<String> = header
        .iter()
        .filter(|h| !is_informational(h.trim_start()))
        .map(|h| loose(h))
        .collect();
    let mut best: Option<((usize, bool, usize, bool), ActionType)> = None;
    let mut tied = false;
    for action in ActionType::ALL {
        let specs = columns(action);
        let known: Vec<String> = specs.iter().map(|c| loose(c.header)).collect();
        let prefix = custom_field_prefix(action).map(loose);
        let explained = file
            .iter()
            .filter(|h| known.contains(h) || prefix.as_deref().is_some_and(|p| h.starts_with(p)))
            .count();
        let unexplained = file.len() - explained;
        let has = |name: &str| file.contains(&loose(name));
        let required_present = specs
            .iter()
            .filter(|c| c.need == Need::Required)
            .all(|c| has(c.header))
            && (action != ActionType::CreateRevenueSchedule
                || has(SUBSCRIPTION_CHARGE_KEY)
                || has(LINKED_TRANSACTION_KEY));
        if !required_present || explained == 0 || explained < unexplained {
            continue;
        }
        let complete = is_complete(action);
        let rank = (
            explained,
            complete && unexplained == 0,
            usize::MAX - unexplained,
            !complete,
        );
        match &best {
            Some((top, _)) if *top > rank => {}
            Some((top, _)) if *top == rank => tied = true,
            _ => {
                best = Some((rank, action));
                tied = false;
            }
        }
    }
    if tied {
        None
    } else {
        best.map(|(_, action)| action)
    }
}

#[cfg(test)]
mod tests {

    /// `loose` lowers only what an ASCII spelling can meet: for every char, its ASCII
    /// lowering (or special case) equals `char::to_lowercase` whenever either holds
    /// ASCII, and both keep a non-ASCII char otherwise.
    #[test]
    fn loose_matches_unicode_lowercase() {
        let unicode = |s: &str| -> String {
            s.chars()
                .filter(|c| !c.is_whitespace() && *c != '\u{feff}')
                .flat_map(char::to_lowercase)
                .collect()
        };
        for c in (0..=0x10ffff).filter_map(char::from_u32) {
            let s = c.to_string();
            let (ours, theirs) = (loose(&s), unicode(&s));
            if ours.is_ascii() || theirs.is_ascii() {
                assert_eq!(ours, theirs, "{c:?}");
            } else {
                // Non-ASCII on both sides: neither can equal, nor start with, more
                // than the same ASCII prefix of an ASCII spelling.
                let ascii_head = |t: &str| t.chars().take_while(char::is_ascii).collect::<String>();
                assert_eq!(ascii_head(&ours), ascii_head(&theirs), "{c:?}");
            }
        }
        for header in [
            "Object  Key",
            "OBJECT KEY",
            "\u{feff}objectkey",
            "Ob\u{212a}ect",
        ] {
            assert_eq!(loose(header), unicode(header));
            assert!(loose_eq(header, &unicode(header)));
            assert!(!loose_eq(header, "object"));
        }
    }
    use super::*;
    use proptest::prelude::*;

    proptest! {
        /// `loose_eq` (with its ASCII shortcut) is equality of the `loose` forms.
        #[test]
        fn loose_eq_is_equality_of_loose_forms(
            a in "[ \t\n\r\u{b}\u{c}\u{a0}aAbBkK\u{212a}\u{130}iI]{0,5}",
            b in "[ \t\n\r\u{b}\u{c}\u{a0}aAbBkK\u{212a}\u{130}iI]{0,5}",
        ) {
            prop_assert_eq!(loose_eq(&a, &b), loose(&a) == loose(&b));
        }
    }

    #[test]
    fn the_oldest_object_type_list_is_split_by_whether_a_deferred_code_applies() {
        let mut split: Vec<&str> = NO_DEFERRED_CODE_OBJECT_TYPES
            .iter()
            .chain(DEFERRED_CODE_OBJECT_TYPES)
            .copied()
            .collect();
        split.sort_unstable();
        let mut oldest: Vec<&str> = OBJECT_TYPES
            .iter()
            .copied()
            .filter(|t| !t.ends_with("Memo Item"))
            .collect();
        oldest.sort_unstable();
        assert_eq!(oldest.len(), 9);
        assert_eq!(split, oldest);
    }

    fn header_of(action: ActionType) -> Vec<String> {
        let csv = template_csv(action);
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .from_reader(csv.as_bytes());
        let first = reader.records().next().unwrap().unwrap();
        first.iter().map(str::to_owned).collect()
    }

    #[test]
    fn every_table_has_unique_headers_and_sound_examples() {
        for action in ActionType::ALL {
            let specs = columns(action);
            for (i, spec) in specs.iter().enumerate() {
                assert!(
                    specs[i + 1..]
                        .iter()
                        .all(|o| loose(o.header) != loose(spec.header)),
                    "{action}: {} twice",
                    spec.header
                );
                if spec.need == Need::Required {
                    assert!(
                        !spec.example.is_empty(),
                        "{action}: {} needs an example",
                        spec.header
                    );
                }
            }
        }
    }

    #[test]
    fn only_the_fully_documented_tables_are_complete() {
        let complete: Vec<_> = ActionType::ALL
            .into_iter()
            .filter(|a| is_complete(*a))
            .collect();
        assert_eq!(
            complete,
            [ActionType::DeleteRevenueSchedule, ActionType::ImportFxRate]
        );
    }

    #[test]
    fn template_puts_required_columns_first_and_ends_lines_in_crlf() {
        let csv = template_csv(ActionType::Mpu);
        assert!(csv.starts_with(
            "Payment Amount,Currency,Payment Date,Payment Method ID,Billing Account ID,"
        ));
        assert!(csv.ends_with("\r\n"));
        assert_eq!(csv.matches("\r\n").count(), 2);
        assert!(csv.contains("\"February payments, batch 1\""));
        assert_eq!(
            template_csv(ActionType::DeleteRevenueSchedule),
            "Revenue Schedule Number,Group ID\r\nRS-00000256,1\r\n"
        );
    }

    #[test]
    fn detect_recognises_every_template_header() {
        for action in ActionType::ALL {
            let header = header_of(action);
            let refs: Vec<&str> = header.iter().map(String::as_str).collect();
            assert_eq!(detect(&refs), Some(action), "{refs:?}");
        }
    }

    #[test]
    fn detect_tolerates_order_case_spacing_and_note_columns() {
        for action in ActionType::ALL {
            let mut header: Vec<String> = header_of(action)
                .into_iter()
                .map(|h| format!(" {} ", h.to_uppercase()))
                .collect();
            header.reverse();
            header.insert(1, "#Comment".into());
            header.push("# Currency".into());
            let refs: Vec<&str> = header.iter().map(String::as_str).collect();
            assert_eq!(detect(&refs), Some(action), "{refs:?}");
        }
    }

    #[test]
    fn detect_finds_only_required_columns_and_custom_fields() {
        assert_eq!(
            detect(&["Object Key", "Object Type"]),
            Some(ActionType::UpdateAccountingCode)
        );
        assert_eq!(
            detect(&["Linked Transaction Key"]),
            Some(ActionType::CreateRevenueSchedule)
        );
        assert_eq!(
            detect(&["Revenue Schedule Number", "Revenue Schedule:Region"]),
            Some(ActionType::UpdateRevenueSchedule)
        );
        // A column no table knows points away from the complete Delete table.
        assert_eq!(
            detect(&["Revenue Schedule Number", "Distribution Type"]),
            Some(ActionType::UpdateRevenueSchedule)
        );
        assert_eq!(
            detect(&["Revenue Schedule Number"]),
            Some(ActionType::DeleteRevenueSchedule)
        );
    }

    #[test]
    fn detect_gives_up_on_junk() {
        assert_eq!(detect(&[]), None);
        assert_eq!(detect(&["", ""]), None);
        assert_eq!(detect(&["#Object Key", "#Object Type"]), None);
        assert_eq!(detect(&["name", "email", "phone"]), None);
        assert_eq!(detect(&["Group ID"]), None);
        assert_eq!(detect(&["Object Key"]), None);
        assert_eq!(detect(&["Object Key", "Object Type", "a", "b", "c"]), None);
    }
}
