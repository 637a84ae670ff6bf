//! Zuora's response file: the zip served at `outputURL`, the CSV inside it, the
//! resubmit CSV made from it, and the `outputURL` itself.

#![no_main]

use libfuzzer_sys::fuzz_target;
use mass_updater_domain::response_file::ResponseSummary;
use mass_updater_domain::{output_url_to_proxy_path, response_file_name, resubmit_file_name};

fn read(summary: &ResponseSummary) {
    let again = summary.resubmit_csv();
    assert_eq!(
        summary.rows_to_resubmit(),
        summary.failed + summary.not_processed
    );
    assert!(summary.failed_rows.len() as u64 <= summary.failed);
    let _ = summary.failed_rows_left_out();
    assert!(summary.header.is_empty() || !again.is_empty());
}

fuzz_target!(|input: &[u8]| {
    if let Ok(summary) = ResponseSummary::from_zip(input) {
        read(&summary);
    }
    if let Ok(summary) = ResponseSummary::from_csv(input) {
        read(&summary);
    }
    let text = String::from_utf8_lossy(input);
    let (url, base) = text.split_once('\n').unwrap_or((&text, ""));
    let _ = output_url_to_proxy_path(url, base);
    let _ = resubmit_file_name(url);
    let _ = response_file_name(url);
});
