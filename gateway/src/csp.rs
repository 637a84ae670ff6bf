//! The Content-Security-Policy of the served build. `scripts/csp.mjs` stays the one
//! implementation of the policy: the build writes its output into `dist/csp.txt`
//! (`node scripts/csp.mjs --header --dist DIST --out DIST/csp.txt`, Trunk's post-build
//! hook), and the gateway reads it once at start. Only the `frame-ancestors` directive
//! is the gateway's, from `--frame-ancestors`, checked by the same rule as csp.mjs's.

use std::path::{Path, PathBuf};

use axum::http::HeaderValue;

/// The file in dist/ that holds the build's policy.
pub const CSP_FILE: &str = "csp.txt";

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CspError {
    Unreadable { path: PathBuf, cause: String },
    NoFrameAncestors { path: PathBuf },
    NotAHeader { path: PathBuf },
}

impl std::fmt::Display for CspError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            CspError::Unreadable { path, cause } => write!(f, "The build's Content-Security-Policy {} cannot be read ({cause}); write it with node scripts/csp.mjs --header --dist DIST --out DIST/{CSP_FILE}.", path.display()),
            CspError::NoFrameAncestors { path } => write!(f, "{} has no frame-ancestors directive, so it is not scripts/csp.mjs's output.", path.display()),
            CspError::NotAHeader { path } => write!(f, "{} does not hold a policy that can be sent as a header.", path.display()),
        }
    }
}

impl std::error::Error for CspError {}

/// The policy of the build in `dist`, with `frame_ancestors` as its last directive.
pub fn load(dist: &Path, frame_ancestors: &str) -> Result<HeaderValue, CspError> {
    let path = dist.join(CSP_FILE);
    let text = std::fs::read_to_string(&path).map_err(|e| CspError::Unreadable {
        path: path.clone(),
        cause: e.to_string(),
    })?;
    let policy = with_frame_ancestors(text.trim(), frame_ancestors)
        .ok_or_else(|| CspError::NoFrameAncestors { path: path.clone() })?;
    HeaderValue::from_str(&policy).map_err(|_| CspError::NotAHeader { path })
}

/// `policy` with the sources of its `frame-ancestors` directive replaced.
fn with_frame_ancestors(policy: &str, sources: &str) -> Option<String> {
    let mut found = false;
    let directives: Vec<String> = policy
        .split(';')
        .map(str::trim)
        .filter(|d| !d.is_empty())
        .map(|d| {
            if d.split_whitespace().next() == Some("frame-ancestors") {
                found = true;
                format!("frame-ancestors {sources}")
            } else {
                d.to_owned()
            }
        })
        .collect();
    found.then(|| directives.join("; "))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_frame_ancestors_changes() {
        let policy = "default-src 'none'; script-src 'self' 'sha256-x'; frame-ancestors 'none'";
        assert_eq!(
            with_frame_ancestors(policy, "'self' https://a.example").as_deref(),
            Some("default-src 'none'; script-src 'self' 'sha256-x'; frame-ancestors 'self' https://a.example")
        );
        assert_eq!(with_frame_ancestors("default-src 'none'", "'self'"), None);
    }
}
