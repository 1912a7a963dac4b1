//! `tictactoe relay`: a relay for a group of friends, a club or a school.
//!
//! It runs on any computer with a public address and needs no domain name: it makes its own certificate once, keeps it, and
//! its URL carries the certificate's fingerprint, which is what a client checks it by. A relay
//! passes on packets addressed to public keys; the match inside them is encrypted end to end.
//!
//! It serves HTTPS (the relay itself) on the port it is given, QUIC address discovery on the
//! same port number over UDP, and plain HTTP (the captive-portal probe) on a free port.

use std::net::{IpAddr, SocketAddr};
use std::path::Path;

use iroh_relay::server::{CertConfig, QuicConfig, RelayConfig, Server, ServerConfig, TlsConfig};
use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};

use super::RelaySpec;
use super::trust::fingerprint;
use crate::net::NetError;

/// The port a relay serves on unless told otherwise.
pub const DEFAULT_RELAY_PORT: u16 = 3340;

/// A relay's certificate and key (DER), made once and kept.
#[derive(Clone)]
pub struct RelayCert {
    cert: Vec<u8>,
    key: Vec<u8>,
}

impl RelayCert {
    /// A new self-signed certificate for `ip`.
    pub fn generate(ip: IpAddr) -> Result<Self, NetError> {
        let made = rcgen::generate_simple_self_signed(vec![ip.to_string()]).map_err(|error| {
            NetError::Start {
                detail: format!("could not make the relay's certificate: {error}"),
            }
        })?;
        Ok(Self {
            cert: made.cert.der().to_vec(),
            key: made.signing_key.serialize_der(),
        })
    }

    /// The certificate kept at `path`, or a new one for `ip` kept there. A file that cannot be
    /// read is replaced (links to the old relay then stop working, and say so).
    pub fn kept_at(path: &Path, ip: IpAddr) -> Result<Self, NetError> {
        if let Ok(text) = std::fs::read_to_string(path) {
            if let Some(kept) = Self::parse(&text) {
                return Ok(kept);
            }
            tracing::warn!(path = %path.display(), "the relay's certificate could not be read: a new one is made");
        }
        let made = Self::generate(ip)?;
        if let Some(folder) = path.parent() {
            drop(std::fs::create_dir_all(folder));
        }
        let text = format!("{}\n{}\n", super::hex(&made.cert), super::hex(&made.key));
        if let Err(error) = std::fs::write(path, text) {
            tracing::warn!(%error, path = %path.display(), "the relay's certificate could not be kept: its URL changes when it starts again");
        }
        Ok(made)
    }

    fn parse(text: &str) -> Option<Self> {
        let mut lines = text.lines();
        let cert = unhex_any(lines.next()?)?;
        let key = unhex_any(lines.next()?)?;
        Some(Self { cert, key })
    }

    /// The SHA-256 of the certificate, as the relay's URL carries it.
    #[must_use]
    pub fn fingerprint(&self) -> [u8; 32] {
        fingerprint(&self.cert)
    }
}

/// Hexadecimal of any even length.
fn unhex_any(text: &str) -> Option<Vec<u8>> {
    let text = text.trim();
    if !text.len().is_multiple_of(2) || !text.is_ascii() {
        return None;
    }
    (0..text.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&text[i..i + 2], 16).ok())
        .collect()
}

/// A running relay. Dropping it stops it.
pub struct RelayServer {
    server: Option<Server>,
    spec: RelaySpec,
}

impl RelayServer {
    /// Serves on `listen` (HTTPS on TCP, address discovery on UDP, the same port; port 0 picks
    /// one), announcing itself at `public` (the address clients reach it at).
    pub async fn start(
        listen: SocketAddr,
        public: IpAddr,
        cert: &RelayCert,
    ) -> Result<Self, NetError> {
        let start_error = |detail: String| NetError::Start { detail };
        let provider = iroh::tls::default_provider();
        let tls = rustls::ServerConfig::builder_with_provider(provider)
            .with_protocol_versions(&[&rustls::version::TLS13])
            .map_err(|e| start_error(e.to_string()))?
            .with_no_client_auth()
            .with_single_cert(
                vec![CertificateDer::from(cert.cert.clone())],
                PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(cert.key.clone())),
            )
            .map_err(|e| start_error(format!("the relay's certificate: {e}")))?;
        // The TCP port first, so that UDP takes the same number when port 0 picked one.
        let https = std::net::TcpListener::bind(listen)
            .map_err(|e| start_error(format!("cannot listen on {listen}: {e}")))?
            .local_addr()
            .map_err(|e| start_error(e.to_string()))?;
        let mut relay = RelayConfig::new(SocketAddr::new(listen.ip(), 0));
        relay.tls = Some(TlsConfig::new(
            https,
            CertConfig::Manual { server_config: tls },
        ));
        let mut config = ServerConfig::default();
        config.relay = Some(relay);
        config.quic = Some(QuicConfig::new(https));
        let server = Server::spawn(config)
            .await
            .map_err(|e| start_error(format!("the relay could not start on {https}: {e}")))?;
        let port = server.https_addr().map_or(https.port(), |a| a.port());
        let url = format!("https://{}/", SocketAddr::new(public, port))
            .parse()
            .map_err(|e: iroh::RelayUrlParseError| start_error(e.to_string()))?;
        Ok(Self {
            server: Some(server),
            spec: RelaySpec::new(url, Some(cert.fingerprint())),
        })
    }

    /// The relay's URL with its certificate's fingerprint: what `tictactoe host --relay` takes.
    #[must_use]
    pub fn spec(&self) -> &RelaySpec {
        &self.spec
    }

    /// Stops the relay.
    pub async fn stop(mut self) {
        if let Some(server) = self.server.take() {
            drop(server.shutdown().await);
        }
    }
}
