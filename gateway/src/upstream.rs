//! The one client of Zuora: every call carries the cached bearer token, and a 401 (Zuora
//! did not process the request) renews the token and sends the same request once more.

use std::sync::Arc;

use axum::http::{HeaderMap, HeaderName, Method, StatusCode};
use bytes::Bytes;

use crate::config::{Config, Secret};
use crate::refusal::Refusal;
use crate::token::{TokenError, TokenSource};

/// A request on its way to Zuora: already filtered, body buffered so it can be resent.
#[derive(Clone, Debug)]
pub struct Outgoing {
    pub method: Method,
    /// Path and query as the browser sent them.
    pub path_and_query: String,
    pub headers: HeaderMap,
    pub body: Bytes,
}

/// Zuora's answer, as it came.
#[derive(Clone, Debug)]
pub struct Answer {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: Bytes,
}

/// Why no answer came from Zuora.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NoAnswer {
    Token(TokenError),
    Unreachable(String),
    Timeout,
}

impl std::fmt::Display for NoAnswer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            NoAnswer::Token(e) => write!(f, "the gateway could not sign in to Zuora: {e}"),
            NoAnswer::Unreachable(cause) => write!(f, "Zuora could not be reached: {cause}"),
            NoAnswer::Timeout => f.write_str("Zuora did not answer in time"),
        }
    }
}

impl std::error::Error for NoAnswer {}

impl From<NoAnswer> for Refusal {
    fn from(e: NoAnswer) -> Refusal {
        match e {
            NoAnswer::Token(e) => Refusal::Token(e.to_string()),
            NoAnswer::Unreachable(cause) => Refusal::Unreachable(cause),
            NoAnswer::Timeout => Refusal::Timeout,
        }
    }
}

#[derive(Clone)]
pub struct Zuora(Arc<Inner>);

struct Inner {
    http: reqwest::Client,
    base: String,
    tokens: TokenSource,
}

impl Zuora {
    pub fn new(config: &Config) -> Result<Zuora, reqwest::Error> {
        let http = reqwest::Client::builder()
            .connect_timeout(config.timeouts.connect)
            .timeout(config.timeouts.answer)
            .redirect(reqwest::redirect::Policy::none())
            .build()?;
        let secret: Secret = config.client_secret.clone();
        let tokens = TokenSource::new(http.clone(), &config.zuora_url, &config.client_id, secret);
        Ok(Zuora(Arc::new(Inner {
            http,
            base: config.zuora_url.clone(),
            tokens,
        })))
    }

    /// Makes sure a token is at hand, so a call that must not start without one (an
    /// upload, recorded before it leaves) can find out first.
    pub async fn ensure_token(&self) -> Result<(), NoAnswer> {
        self.0
            .tokens
            .bearer()
            .await
            .map(drop)
            .map_err(NoAnswer::Token)
    }

    /// Sends `out` with the token; on a 401, once more with a renewed one.
    pub async fn send(&self, out: &Outgoing) -> Result<Answer, NoAnswer> {
        let token = self.0.tokens.bearer().await.map_err(NoAnswer::Token)?;
        let answer = self.send_once(out, &token).await?;
        if answer.status != StatusCode::UNAUTHORIZED {
            return Ok(answer);
        }
        let renewed = self.0.tokens.renew(&token).await.map_err(NoAnswer::Token)?;
        self.send_once(out, &renewed).await
    }

    async fn send_once(&self, out: &Outgoing, token: &str) -> Result<Answer, NoAnswer> {
        let url = format!("{}{}", self.0.base, out.path_and_query);
        let reply = self
            .0
            .http
            .request(out.method.clone(), url)
            .headers(out.headers.clone())
            .bearer_auth(token)
            .body(out.body.clone())
            .send()
            .await
            .map_err(no_answer)?;
        let status = reply.status();
        let headers = reply.headers().clone();
        let body = reply.bytes().await.map_err(no_answer)?;
        Ok(Answer {
            status,
            headers,
            body,
        })
    }
}

fn no_answer(e: reqwest::Error) -> NoAnswer {
    if e.is_timeout() {
        NoAnswer::Timeout
    } else {
        NoAnswer::Unreachable(crate::transport::cause(&e))
    }
}

/// Headers of Zuora's answer that never reach the browser: hop-by-hop ones, and the
/// challenge and cookies that concern the gateway's credentials, not the user's.
pub fn is_withheld(name: &HeaderName) -> bool {
    const WITHHELD: [&str; 11] = [
        "connection",
        "keep-alive",
        "proxy-authenticate",
        "proxy-connection",
        "te",
        "trailer",
        "transfer-encoding",
        "upgrade",
        "content-length",
        "www-authenticate",
        "set-cookie",
    ];
    WITHHELD.contains(&name.as_str())
}
