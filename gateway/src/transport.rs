//! What a failed HTTP exchange with Zuora is reported as.

/// A transport error's innermost cause, without the URL reqwest puts in front.
pub fn cause(e: &reqwest::Error) -> String {
    let mut source: &dyn std::error::Error = e;
    while let Some(next) = source.source() {
        source = next;
    }
    source.to_string()
}
