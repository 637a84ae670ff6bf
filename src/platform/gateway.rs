//! The team-mode gateway's own API, beside Zuora's on the same base URL: who is signed
//! in (`GET /api/me`) and everyone's mass actions (`GET /api/history`). Requests go
//! through the instance's [`Zuora`] client, so they share its base URL and are aborted
//! with its other requests when the app is unmounted. Where no gateway serves this API,
//! the answers are 404s.

use super::zuora::Zuora;
use mass_updater_domain::{HttpReply, NoAnswer};

#[derive(Clone, Copy)]
pub struct Gateway {
    zuora: Zuora,
}

impl Gateway {
    pub fn new(zuora: Zuora) -> Gateway {
        Gateway { zuora }
    }

    /// `GET /api/me`: the signed-in user.
    pub async fn me(&self) -> Result<HttpReply, NoAnswer> {
        self.zuora.get_beside("/api/me").await
    }

    /// `GET /api/history?{query}` (as `HistoryFilter::query` writes it).
    pub async fn history(&self, query: &str) -> Result<HttpReply, NoAnswer> {
        self.zuora
            .get_beside(&format!("/api/history?{query}"))
            .await
    }
}
