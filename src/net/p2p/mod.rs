//! The peer-to-peer path: the match over QUIC, dialled by the host's public key (iroh).
//!
//! A host listens here beside TCP whenever it hosts. The joiner dials the host's key with the
//! addresses its invite link gives (the host's relay and its direct addresses); iroh tries them
//! all at once, punches through both routers when it can, and keeps the relay as the last
//! resort. The match protocol is unchanged: one QUIC bi-stream carries the WebSocket frames of
//! `docs/PROTOCOL.md`, so admission, the seat, the watchers and the match take these
//! connections as they take TCP ones ([`super::transport`]). The connection is encrypted end to
//! end by the keys: a relay passes on bytes it cannot read, and a joiner reaches only the
//! computer that holds the link's key.
//!
//! Parts: [`Relays`] (which relays, and how a relay's own certificate is trusted: `trust`),
//! `accept` (the host's [`super::transport::Acceptor`]), `dial` (the joiner's and the watcher's
//! [`super::dial::Dialer`]), [`Route`] (how a connection runs now: direct or through a relay)
//! and [`relay`] (`tictactoe relay`: a relay for a group of friends).

mod accept;
mod dial;
pub mod relay;
mod route;
mod trust;

use std::fmt;
use std::net::SocketAddr;
use std::str::FromStr;
use std::sync::Arc;

use iroh::endpoint::presets;
use iroh::{Endpoint, EndpointAddr, RelayConfig, RelayMap, RelayMode, RelayUrl, SecretKey};

pub use accept::P2pAcceptor;
pub(crate) use dial::P2pDialer;
pub use route::Route;
pub(crate) use route::{P2pStream, RouteReporter, through_routers};

use super::NetError;

/// The ALPN of the match over QUIC: the WebSocket protocol of `docs/PROTOCOL.md`, version 1 of
/// its framing on a bi-stream.
pub const ALPN: &[u8] = b"tictactoe/ws/1";

/// The relays an endpoint uses to be reached, and to reach a host that cannot be reached
/// directly.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub enum Relays {
    /// The public relays run by iroh's maintainers (free, rate-limited, no uptime promise).
    #[default]
    Public,
    /// One relay chosen by the players (`--relay URL`, or the setting).
    Own(RelaySpec),
    /// No relay: direct paths only (tests on one computer; networks with nothing outside).
    Off,
}

/// A relay's URL as people copy it: `https://203.0.113.10:3340/#sha256=…`.
///
/// The fragment, when
/// there is one, is the SHA-256 of the relay's own certificate: a relay without a domain name
/// is trusted by it, never by skipping the check. A URL without one is checked as any website
/// is, by the certificate authorities.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct RelaySpec {
    url: RelayUrl,
    pin: Option<[u8; 32]>,
}

/// The fragment that carries a relay certificate's fingerprint.
const PIN_PREFIX: &str = "sha256=";

impl RelaySpec {
    /// A relay at `url` whose certificate has the SHA-256 `pin`, if given.
    #[must_use]
    pub fn new(url: RelayUrl, pin: Option<[u8; 32]>) -> Self {
        Self { url, pin }
    }

    /// The URL iroh dials (without the fingerprint).
    #[must_use]
    pub fn url(&self) -> &RelayUrl {
        &self.url
    }

    /// The certificate's fingerprint, when the relay is trusted by it.
    #[must_use]
    pub const fn pin(&self) -> Option<&[u8; 32]> {
        self.pin.as_ref()
    }

    /// What iroh needs to use this relay: its URL and, for a relay of ours, the port its QUIC
    /// address discovery answers on (the same number as its HTTPS port).
    fn config(&self) -> RelayConfig {
        match (self.pin, self.url.port()) {
            (Some(_), Some(port)) => RelayConfig::new(
                self.url.clone(),
                Some(iroh_relay::RelayQuicConfig::new(port)),
            ),
            _ => RelayConfig::from(self.url.clone()),
        }
    }
}

impl fmt::Display for RelaySpec {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.url)?;
        if let Some(pin) = &self.pin {
            write!(f, "#{PIN_PREFIX}{}", hex(pin))?;
        }
        Ok(())
    }
}

impl fmt::Debug for RelaySpec {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "RelaySpec({self})")
    }
}

/// Why a relay URL is refused.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum RelaySpecError {
    /// Not a URL, or not an `https://` one.
    #[error(
        "{text:?} is not a relay's address: it should look like https://203.0.113.10:3340/#sha256=…"
    )]
    NotARelay {
        /// The text.
        text: String,
    },
    /// A fragment that is not a fingerprint.
    #[error(
        "The relay address {text:?} ends with something that is not a certificate fingerprint (#sha256= and 64 hexadecimal digits)."
    )]
    BadFingerprint {
        /// The text.
        text: String,
    },
}

impl FromStr for RelaySpec {
    type Err = RelaySpecError;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let text = text.trim();
        let not_a_relay = || RelaySpecError::NotARelay {
            text: text.to_owned(),
        };
        let mut url = url_of(text).ok_or_else(not_a_relay)?;
        if url.scheme() != "https" || url.host().is_none() {
            return Err(not_a_relay());
        }
        let pin = match url.fragment() {
            None => None,
            Some(fragment) => Some(
                fragment
                    .strip_prefix(PIN_PREFIX)
                    .and_then(unhex)
                    .ok_or_else(|| RelaySpecError::BadFingerprint {
                        text: text.to_owned(),
                    })?,
            ),
        };
        url.set_fragment(None);
        Ok(Self {
            url: RelayUrl::from(url),
            pin,
        })
    }
}

/// `text` as a URL (through iroh's own URL type, so that both read it alike).
fn url_of(text: &str) -> Option<url::Url> {
    text.parse::<RelayUrl>().ok().map(|relay| {
        let url: &url::Url = &relay;
        url.clone()
    })
}

/// Lower-case hexadecimal.
pub(crate) fn hex(bytes: &[u8]) -> String {
    use fmt::Write as _;
    bytes.iter().fold(String::new(), |mut text, byte| {
        let _infallible = write!(text, "{byte:02x}");
        text
    })
}

/// 64 hexadecimal digits as 32 bytes.
fn unhex(text: &str) -> Option<[u8; 32]> {
    crate::store::keys::unhex32(text)
}

/// A host's identity on this path: the secret key whose public half is in its invite links.
/// Kept in the data folder, so a host started again is still the host of its links.
#[derive(Clone)]
pub struct Identity(SecretKey);

impl Identity {
    /// A new random identity.
    #[must_use]
    pub fn generate() -> Self {
        Self(SecretKey::generate())
    }

    /// The identity whose secret key is `bytes`.
    #[must_use]
    pub fn from_bytes(bytes: &[u8; 32]) -> Self {
        Self(SecretKey::from_bytes(bytes))
    }

    /// The secret key, to keep.
    #[must_use]
    pub fn to_bytes(&self) -> [u8; 32] {
        self.0.to_bytes()
    }

    /// The public key, as links carry it.
    #[must_use]
    pub fn public(&self) -> String {
        self.0.public().to_string()
    }
}

impl fmt::Debug for Identity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Identity({})", self.public())
    }
}

/// Where a host can be reached on this path: its key, its relay and its direct addresses. What
/// an invite link carries.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct P2pAddr {
    /// The host's public key (64 hexadecimal digits).
    pub key: String,
    /// The host's relay, when it has one.
    pub relay: Option<RelaySpec>,
    /// The host's direct UDP addresses (LAN, mapped, IPv6), most useful first.
    pub direct: Vec<SocketAddr>,
}

impl P2pAddr {
    /// The address iroh dials, or why the key cannot be one.
    pub(crate) fn endpoint_addr(&self) -> Result<EndpointAddr, NetError> {
        let bytes = unhex(&self.key).ok_or(NetError::BadKey)?;
        let id = iroh::PublicKey::from_bytes(&bytes).map_err(|_not_a_key| NetError::BadKey)?;
        let mut addr = EndpointAddr::new(id);
        for ip in &self.direct {
            addr = addr.with_ip_addr(*ip);
        }
        if let Some(relay) = &self.relay {
            addr = addr.with_relay_url(relay.url.clone());
        }
        Ok(addr)
    }
}

/// Binds an endpoint on every address (port 0: any free one) with `identity`, using `relays`;
/// `trusted` are more relays whose certificates it accepts (a link's relay).
pub(crate) async fn bind(
    identity: Option<&Identity>,
    relays: &Relays,
    trusted: &[RelaySpec],
    alpns: Vec<Vec<u8>>,
) -> Result<Endpoint, NetError> {
    let mut pins: Vec<[u8; 32]> = trusted.iter().filter_map(|r| r.pin).collect();
    let relay_mode = match relays {
        Relays::Public => RelayMode::Default,
        Relays::Own(spec) => {
            pins.extend(spec.pin);
            RelayMode::Custom(RelayMap::from_iter([spec.config()]))
        }
        Relays::Off => RelayMode::Disabled,
    };
    let mut builder = Endpoint::builder(presets::Minimal)
        .relay_mode(relay_mode)
        .alpns(alpns)
        .ca_tls_config(trust::with_pins(pins));
    if let Some(identity) = identity {
        builder = builder.secret_key(identity.0.clone());
    }
    builder.bind().await.map_err(|error| NetError::Start {
        detail: format!("peer-to-peer: {error}"),
    })
}

/// The relay shown for `url`: its spec among `known` (with the fingerprint a person copied),
/// else the URL itself.
pub(crate) fn relay_shown(url: &RelayUrl, known: &[RelaySpec]) -> String {
    known
        .iter()
        .find(|spec| &spec.url == url)
        .map_or_else(|| url.to_string(), ToString::to_string)
}

/// The relays of `relays` that are shown with their fingerprint.
pub(crate) fn known(relays: &Relays) -> KnownRelays {
    Arc::new(match relays {
        Relays::Own(spec) => vec![spec.clone()],
        Relays::Public | Relays::Off => Vec::new(),
    })
}

/// Where `endpoint` can be reached now: its key, its relay once connected, its direct
/// addresses.
pub(crate) fn addr_of(endpoint: &Endpoint, relays: &Relays) -> P2pAddr {
    let addr = endpoint.addr();
    let known = known(relays);
    P2pAddr {
        key: addr.id.to_string(),
        relay: addr.relay_urls().next().map(|url| {
            known
                .iter()
                .find(|spec| &spec.url == url)
                .cloned()
                .unwrap_or_else(|| RelaySpec::new(url.clone(), None))
        }),
        direct: addr.ip_addrs().copied().collect(),
    }
}

/// What a host's and a joiner's endpoints share about the relays they know, for showing them.
pub(crate) type KnownRelays = Arc<Vec<RelaySpec>>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_relay_url_carries_its_fingerprint() {
        let pin = "ab".repeat(32);
        let text = format!("https://203.0.113.10:3340/#sha256={pin}");
        let spec: RelaySpec = text.parse().unwrap();
        assert_eq!(spec.pin(), Some(&[0xab; 32]));
        assert_eq!(spec.url().to_string(), "https://203.0.113.10:3340/");
        assert_eq!(spec.to_string(), text);
        let plain: RelaySpec = "https://relay.example.org".parse().unwrap();
        assert_eq!(plain.pin(), None);
        assert!(matches!(
            "http://203.0.113.10:3340/".parse::<RelaySpec>(),
            Err(RelaySpecError::NotARelay { .. })
        ));
        assert!(matches!(
            "https://203.0.113.10:3340/#sha256=12".parse::<RelaySpec>(),
            Err(RelaySpecError::BadFingerprint { .. })
        ));
        assert!("not a url".parse::<RelaySpec>().is_err());
    }

    #[test]
    fn a_key_is_its_64_digits() {
        let identity = Identity::from_bytes(&[7; 32]);
        let addr = P2pAddr {
            key: identity.public(),
            relay: None,
            direct: vec![],
        };
        assert_eq!(addr.key.len(), 64);
        assert!(addr.endpoint_addr().is_ok());
        let bad = P2pAddr {
            key: "zz".repeat(32),
            ..addr
        };
        assert_eq!(bad.endpoint_addr(), Err(NetError::BadKey));
    }
}
