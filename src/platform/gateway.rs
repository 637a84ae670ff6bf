//! The team-mode gateway's own API, beside Zuora's on the same base URL: who is signed
//! in (`GET /api/me`) and everyone's mass actions (`GET /api/history`). Requests go
//! through the instance's [`Zuora`] client, so they share its base URL and are aborted
//! with its other requests when the app is unmounted. Where no gateway serves this API,
//! the answers are 404s.

use super::zuora::Zuora;
use mass_updater_domain::{HttpReply, NoAnswer};

/// `GET /api/me`: the signed-in user.
pub async fn me(zuora: &Zuora) -> Result<HttpReply, NoAnswer> {
    zuora.get_beside("/api/me").await
}

/// `GET /api/history?{query}` (as `HistoryFilter::query` writes it).
pub async fn history(zuora: &Zuora, query: &str) -> Result<HttpReply, NoAnswer> {
    zuora.get_beside(&format!("/api/history?{query}")).await
}
