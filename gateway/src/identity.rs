//! Who is asking: the sign-on proxy's user header, believed only when the TCP peer is
//! one of the trusted proxies, or the development user.

use std::net::IpAddr;

use axum::http::{HeaderMap, HeaderName};
use ipnet::IpNet;

/// Longest user name kept (an e-mail address is at most 254 characters).
const MAX_USER_CHARS: usize = 320;

/// Why no request could ever have a user under these settings; `Display` is one
/// sentence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum IdentityError {
    NoIdentity,
    HeaderWithoutTrust,
    BadUserHeader(String),
    BadDevUser,
}

impl std::fmt::Display for IdentityError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            IdentityError::NoIdentity => f.write_str("There is no way to know the user: give --user-header with --trusted-proxy (behind a sign-on proxy), or --dev-user for development."),
            IdentityError::HeaderWithoutTrust => f.write_str("--user-header needs --trusted-proxy: the header is believed only from the sign-on proxy's addresses."),
            IdentityError::BadUserHeader(name) => write!(f, "--user-header {name:?} is not a valid header name."),
            IdentityError::BadDevUser => f.write_str("--dev-user is empty."),
        }
    }
}

impl std::error::Error for IdentityError {}

#[derive(Clone, Debug)]
pub struct Identity {
    user_header: Option<HeaderName>,
    trusted: Vec<IpNet>,
    dev_user: Option<String>,
}

impl Identity {
    /// Refuses a setting under which no request could ever have a user.
    pub fn new(
        user_header: Option<&str>,
        trusted: Vec<IpNet>,
        dev_user: Option<String>,
    ) -> Result<Identity, IdentityError> {
        let user_header = match user_header.map(str::trim).filter(|h| !h.is_empty()) {
            Some(name) => Some(
                HeaderName::try_from(name)
                    .map_err(|_| IdentityError::BadUserHeader(name.to_owned()))?,
            ),
            None => None,
        };
        if user_header.is_some() && trusted.is_empty() {
            return Err(IdentityError::HeaderWithoutTrust);
        }
        let dev_user = match dev_user {
            Some(name) if name.trim().is_empty() => return Err(IdentityError::BadDevUser),
            Some(name) => Some(name.trim().to_owned()),
            None => None,
        };
        if user_header.is_none() && dev_user.is_none() {
            return Err(IdentityError::NoIdentity);
        }
        Ok(Identity {
            user_header,
            trusted,
            dev_user,
        })
    }

    pub fn dev_user(&self) -> Option<&str> {
        self.dev_user.as_deref()
    }

    /// The user of a request from `peer`: the header when the peer is trusted and the
    /// header holds a usable name, else the development user, else nobody.
    pub fn user_of(&self, peer: IpAddr, headers: &HeaderMap) -> Option<String> {
        let peer = peer.to_canonical();
        let trusted = self.trusted.iter().any(|net| net.contains(&peer));
        let from_header = self
            .user_header
            .as_ref()
            .filter(|_| trusted)
            .and_then(|name| single_value(headers, name));
        from_header.or_else(|| self.dev_user.clone())
    }
}

/// The header's one value, trimmed; a repeated, empty, overlong or non-UTF-8 header
/// names nobody.
fn single_value(headers: &HeaderMap, name: &HeaderName) -> Option<String> {
    let mut values = headers.get_all(name).iter();
    let value = values.next()?;
    if values.next().is_some() {
        return None;
    }
    let text = std::str::from_utf8(value.as_bytes()).ok()?.trim();
    let usable = !text.is_empty()
        && text.chars().count() <= MAX_USER_CHARS
        && !text.chars().any(char::is_control);
    usable.then(|| text.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&str, &str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (k, v) in pairs {
            map.append(HeaderName::try_from(*k).unwrap(), v.parse().unwrap());
        }
        map
    }

    #[test]
    fn header_is_believed_only_from_a_trusted_peer() {
        let id = Identity::new(
            Some("X-Forwarded-Email"),
            vec!["10.0.0.0/8".parse().unwrap()],
            None,
        )
        .unwrap();
        let h = headers(&[("x-forwarded-email", "ann@example.com")]);
        assert_eq!(
            id.user_of("10.1.2.3".parse().unwrap(), &h).as_deref(),
            Some("ann@example.com")
        );
        assert_eq!(id.user_of("192.168.1.1".parse().unwrap(), &h), None);
        assert_eq!(
            id.user_of("::ffff:10.1.2.3".parse().unwrap(), &h)
                .as_deref(),
            Some("ann@example.com")
        );
    }

    #[test]
    fn a_repeated_header_names_nobody() {
        let id =
            Identity::new(Some("X-User"), vec!["127.0.0.1/32".parse().unwrap()], None).unwrap();
        let h = headers(&[("x-user", "a"), ("x-user", "b")]);
        assert_eq!(id.user_of("127.0.0.1".parse().unwrap(), &h), None);
    }

    #[test]
    fn no_way_to_know_the_user_is_refused() {
        assert_eq!(
            Identity::new(None, vec![], None).err(),
            Some(IdentityError::NoIdentity)
        );
        assert_eq!(
            Identity::new(Some("X-User"), vec![], None).err(),
            Some(IdentityError::HeaderWithoutTrust)
        );
        assert!(Identity::new(None, vec![], Some("dev".into())).is_ok());
    }
}
