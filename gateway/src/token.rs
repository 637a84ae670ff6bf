//! Zuora's bearer token: OAuth client credentials against `{zuora-url}/oauth/token`,
//! cached and refreshed ahead of expiry. One lock makes every refresh single-flight:
//! callers that find the token due wait for the one caller fetching it.

use std::time::{Duration, Instant};

use serde::Deserialize;
use tokio::sync::Mutex;

use crate::config::Secret;

/// Lifetime assumed when Zuora's answer names none.
const DEFAULT_LIFETIME: Duration = Duration::from_secs(300);
/// Refresh when less than this much of a token's life remains (or a fifth of it, if
/// that is shorter, so a short-lived token is still used).
const REFRESH_MARGIN: Duration = Duration::from_secs(60);
/// The most of an error answer quoted in a sentence.
const EXCERPT_CHARS: usize = 200;

/// Why no token could be had; `Display` is one sentence's cause, never the secret.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TokenError {
    Unreachable(String),
    Refused { status: u16, error: String },
    Garbled(String),
}

impl std::fmt::Display for TokenError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            TokenError::Unreachable(cause) => {
                write!(f, "the token endpoint could not be reached ({cause})")
            }
            TokenError::Refused { status, error } => write!(
                f,
                "the token endpoint refused the client credentials with HTTP {status} ({error})"
            ),
            TokenError::Garbled(cause) => {
                write!(f, "the token endpoint's answer could not be read ({cause})")
            }
        }
    }
}

impl std::error::Error for TokenError {}

#[derive(Clone)]
struct Token {
    value: String,
    refresh_at: Instant,
}

#[derive(Deserialize)]
struct TokenReply {
    access_token: String,
    expires_in: Option<u64>,
}

#[derive(Deserialize)]
struct OAuthError {
    error: Option<String>,
}

pub struct TokenSource {
    http: reqwest::Client,
    url: String,
    client_id: String,
    secret: Secret,
    cached: Mutex<Option<Token>>,
}

impl TokenSource {
    pub fn new(http: reqwest::Client, zuora_url: &str, client_id: &str, secret: Secret) -> Self {
        TokenSource {
            http,
            url: format!("{zuora_url}/oauth/token"),
            client_id: client_id.to_owned(),
            secret,
            cached: Mutex::new(None),
        }
    }

    /// A token that is not due for refresh, fetched now if need be.
    pub async fn bearer(&self) -> Result<String, TokenError> {
        let mut cached = self.cached.lock().await;
        if let Some(token) = cached.as_ref().filter(|t| Instant::now() < t.refresh_at) {
            return Ok(token.value.clone());
        }
        let token = self.fetch().await?;
        let value = token.value.clone();
        *cached = Some(token);
        Ok(value)
    }

    /// After Zuora refused `rejected` with a 401: a new token, unless another caller
    /// has already replaced it, in which case that one.
    pub async fn renew(&self, rejected: &str) -> Result<String, TokenError> {
        let mut cached = self.cached.lock().await;
        if let Some(token) = cached.as_ref().filter(|t| t.value != rejected) {
            return Ok(token.value.clone());
        }
        *cached = None;
        let token = self.fetch().await?;
        let value = token.value.clone();
        *cached = Some(token);
        Ok(value)
    }

    async fn fetch(&self) -> Result<Token, TokenError> {
        let form = [
            ("client_id", self.client_id.as_str()),
            ("client_secret", self.secret.expose()),
            ("grant_type", "client_credentials"),
        ];
        let asked = Instant::now();
        let reply = self
            .http
            .post(&self.url)
            .form(&form)
            .send()
            .await
            .map_err(|e| TokenError::Unreachable(crate::transport::cause(&e)))?;
        let status = reply.status().as_u16();
        let body = reply
            .bytes()
            .await
            .map_err(|e| TokenError::Unreachable(crate::transport::cause(&e)))?;
        if status != 200 {
            let error = serde_json::from_slice::<OAuthError>(&body)
                .ok()
                .and_then(|e| e.error)
                .unwrap_or_else(|| excerpt(&body));
            return Err(TokenError::Refused { status, error });
        }
        let reply: TokenReply =
            serde_json::from_slice(&body).map_err(|e| TokenError::Garbled(e.to_string()))?;
        if reply.access_token.trim().is_empty() {
            return Err(TokenError::Garbled("the access token is empty".to_owned()));
        }
        let life = reply
            .expires_in
            .map_or(DEFAULT_LIFETIME, Duration::from_secs);
        Ok(Token {
            value: reply.access_token.trim().to_owned(),
            refresh_at: asked + life.saturating_sub(refresh_margin(life)),
        })
    }
}

fn refresh_margin(life: Duration) -> Duration {
    REFRESH_MARGIN.min(life / 5)
}

fn excerpt(body: &[u8]) -> String {
    String::from_utf8_lossy(body)
        .chars()
        .take(EXCERPT_CHARS)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn margin_is_a_minute_or_a_fifth_of_a_short_life() {
        assert_eq!(
            refresh_margin(Duration::from_secs(3599)),
            Duration::from_secs(60)
        );
        assert_eq!(
            refresh_margin(Duration::from_secs(10)),
            Duration::from_secs(2)
        );
    }
}
