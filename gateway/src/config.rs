//! The gateway's settings: the command line (each flag also an environment variable
//! `GATEWAY_…`), checked into a [`Config`] before anything starts.

use std::fmt;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::time::Duration;

use clap::Parser;
use ipnet::IpNet;

use crate::identity::{Identity, IdentityError};

/// Room for the multipart framing and the `params` part around the file itself.
pub const FRAMING_BYTES: u64 = 64 * 1024;

#[derive(Debug, Parser)]
#[command(
    name = "mass-updater-gateway",
    version,
    about = "Serves the Mass Updater app, holds the Zuora credentials, forwards its calls and keeps the team's history"
)]
pub struct Args {
    /// Address to listen on.
    #[arg(long, env = "GATEWAY_LISTEN", default_value = "127.0.0.1:8090")]
    pub listen: SocketAddr,
    /// The built app (Trunk's dist/), with the csp.txt the build writes into it.
    #[arg(long, env = "GATEWAY_DIST", default_value = "dist")]
    pub dist: PathBuf,
    /// Zuora's REST base URL, e.g. https://rest.zuora.com.
    #[arg(long, env = "GATEWAY_ZUORA_URL")]
    pub zuora_url: String,
    /// OAuth client id of the Zuora API user.
    #[arg(long, env = "GATEWAY_CLIENT_ID")]
    pub client_id: String,
    /// File holding the OAuth client secret (read once at start, trimmed).
    #[arg(long, env = "GATEWAY_CLIENT_SECRET_FILE")]
    pub client_secret_file: PathBuf,
    /// sqlite://PATH (created if missing), sqlite::memory: or postgres://….
    #[arg(
        long,
        env = "GATEWAY_DATABASE",
        default_value = "sqlite://mass-updater.db"
    )]
    pub database: String,
    /// Request header naming the signed-in user, set by the sign-on proxy.
    #[arg(long, env = "GATEWAY_USER_HEADER")]
    pub user_header: Option<String>,
    /// Addresses (CIDR, comma-separated) whose user header is believed.
    #[arg(long, env = "GATEWAY_TRUSTED_PROXY", value_delimiter = ',', value_parser = parse_net)]
    pub trusted_proxy: Vec<IpNet>,
    /// Development only: the user of every request that carries no trusted user header.
    #[arg(long, env = "GATEWAY_DEV_USER")]
    pub dev_user: Option<String>,
    /// How often each mass action is asked for its status, in milliseconds.
    #[arg(long, env = "GATEWAY_FOLLOW_INTERVAL_MS", default_value_t = 5000,
          value_parser = clap::value_parser!(u64).range(1..))]
    pub follow_interval_ms: u64,
    /// This instance's name in the follow leases (default hostname-pid-random).
    #[arg(long, env = "GATEWAY_INSTANCE_ID")]
    pub instance_id: Option<String>,
    /// Largest file accepted in an upload, in bytes.
    #[arg(long, env = "GATEWAY_MAX_FILE_BYTES", default_value_t = 4_000_000)]
    pub max_file_bytes: u64,
    /// CSP frame-ancestors sources, for pages that embed the app.
    #[arg(long, env = "GATEWAY_FRAME_ANCESTORS", default_value = "'self'")]
    pub frame_ancestors: String,
}

/// A CIDR, or a bare address standing for itself alone.
fn parse_net(text: &str) -> Result<IpNet, String> {
    let text = text.trim();
    text.parse::<IpNet>()
        .or_else(|_| text.parse::<std::net::IpAddr>().map(IpNet::from))
        .map_err(|_| format!("{text:?} is not an address range such as 10.0.0.5/32"))
}

/// The OAuth client secret. Its `Debug` never shows it, so no log line can.
#[derive(Clone)]
pub struct Secret(String);

impl Secret {
    pub fn new(value: impl Into<String>) -> Secret {
        Secret(value.into())
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(…)")
    }
}

/// Connect and read limits on every call to Zuora.
#[derive(Clone, Copy, Debug)]
pub struct Timeouts {
    pub connect: Duration,
    /// The whole exchange once connected: sending the body and reading the answer.
    pub answer: Duration,
    /// How long a browser may take to send its request body.
    pub client_body: Duration,
}

impl Default for Timeouts {
    fn default() -> Self {
        Timeouts {
            connect: Duration::from_secs(10),
            answer: Duration::from_secs(120),
            client_body: Duration::from_secs(60),
        }
    }
}

/// Everything a running gateway needs, checked.
#[derive(Clone, Debug)]
pub struct Config {
    pub dist: PathBuf,
    /// Without a trailing slash.
    pub zuora_url: String,
    pub client_id: String,
    pub client_secret: Secret,
    pub database: String,
    pub identity: Identity,
    pub follow_interval: Duration,
    pub instance_id: String,
    pub max_file_bytes: u64,
    pub frame_ancestors: String,
    pub timeouts: Timeouts,
}

impl Config {
    /// The largest request body accepted: the file plus its framing.
    pub fn max_body_bytes(&self) -> u64 {
        self.max_file_bytes.saturating_add(FRAMING_BYTES)
    }

    /// Checks the command line; reads the secret file.
    pub fn from_args(args: Args) -> Result<Config, ConfigError> {
        let identity = Identity::new(
            args.user_header.as_deref(),
            args.trusted_proxy,
            args.dev_user,
        )
        .map_err(ConfigError::Identity)?;
        Ok(Config {
            dist: args.dist,
            zuora_url: zuora_url(&args.zuora_url)?,
            client_id: client_id(&args.client_id)?,
            client_secret: read_secret(&args.client_secret_file)?,
            database: args.database,
            identity,
            follow_interval: Duration::from_millis(args.follow_interval_ms),
            instance_id: args.instance_id.unwrap_or_else(default_instance_id),
            max_file_bytes: args.max_file_bytes,
            frame_ancestors: frame_ancestors(&args.frame_ancestors)?,
            timeouts: Timeouts::default(),
        })
    }
}

/// Why the gateway refuses to start; each `Display` is one sentence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ConfigError {
    ZuoraUrl(String),
    ClientId,
    SecretUnreadable { path: PathBuf, cause: String },
    SecretEmpty { path: PathBuf },
    Identity(IdentityError),
    FrameAncestors(String),
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ConfigError::ZuoraUrl(url) => write!(
                f,
                "--zuora-url {url:?} is not an http:// or https:// URL with a host."
            ),
            ConfigError::ClientId => f.write_str("--client-id is empty."),
            ConfigError::SecretUnreadable { path, cause } => write!(
                f,
                "The client secret file {} cannot be read: {cause}.",
                path.display()
            ),
            ConfigError::SecretEmpty { path } => {
                write!(f, "The client secret file {} is empty.", path.display())
            }
            ConfigError::Identity(e) => e.fmt(f),
            ConfigError::FrameAncestors(v) => {
                write!(f, "--frame-ancestors {v:?} is not a list of CSP sources.")
            }
        }
    }
}

impl std::error::Error for ConfigError {}

fn zuora_url(text: &str) -> Result<String, ConfigError> {
    let bad = || ConfigError::ZuoraUrl(text.to_owned());
    let url = reqwest::Url::parse(text.trim()).map_err(|_| bad())?;
    let web = matches!(url.scheme(), "http" | "https");
    if !web || url.host_str().is_none_or(str::is_empty) || url.query().is_some() {
        return Err(bad());
    }
    Ok(url.as_str().trim_end_matches('/').to_owned())
}

fn client_id(text: &str) -> Result<String, ConfigError> {
    let id = text.trim();
    if id.is_empty() {
        return Err(ConfigError::ClientId);
    }
    Ok(id.to_owned())
}

fn read_secret(path: &Path) -> Result<Secret, ConfigError> {
    let text = std::fs::read_to_string(path).map_err(|e| ConfigError::SecretUnreadable {
        path: path.to_owned(),
        cause: e.to_string(),
    })?;
    let secret = text.trim();
    if secret.is_empty() {
        return Err(ConfigError::SecretEmpty {
            path: path.to_owned(),
        });
    }
    Ok(Secret::new(secret))
}

/// The same rule as `scripts/csp.mjs`: apart from `'self'` and `'none'`, no quote,
/// semicolon, comma or line break, so the value cannot add a directive.
pub fn frame_ancestors(text: &str) -> Result<String, ConfigError> {
    let rest = text.replace("'self'", "").replace("'none'", "");
    if text.trim().is_empty() || rest.contains(['"', '\'', ';', ',', '\r', '\n']) {
        return Err(ConfigError::FrameAncestors(text.to_owned()));
    }
    Ok(text.trim().to_owned())
}

fn default_instance_id() -> String {
    let host = std::fs::read_to_string("/proc/sys/kernel/hostname")
        .ok()
        .or_else(|| std::env::var("HOSTNAME").ok())
        .map(|h| h.trim().to_owned())
        .filter(|h| !h.is_empty())
        .unwrap_or_else(|| "gateway".to_owned());
    let random = uuid::Uuid::new_v4().simple().to_string();
    format!("{host}-{}-{}", std::process::id(), &random[..8])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn zuora_url_must_be_web() {
        assert_eq!(
            zuora_url("https://rest.zuora.com/").as_deref(),
            Ok("https://rest.zuora.com")
        );
        assert!(zuora_url("ftp://rest.zuora.com").is_err());
        assert!(zuora_url("rest.zuora.com").is_err());
    }

    #[test]
    fn frame_ancestors_refuses_an_extra_directive() {
        assert!(frame_ancestors("'self' https://portal.example.com").is_ok());
        assert!(frame_ancestors("'self'; script-src *").is_err());
        assert!(frame_ancestors("'unsafe-inline'").is_err());
    }

    #[test]
    fn a_bare_address_is_a_one_address_range() {
        assert_eq!(parse_net("127.0.0.1"), Ok("127.0.0.1/32".parse().unwrap()));
        assert!(parse_net("localhost").is_err());
    }
}
