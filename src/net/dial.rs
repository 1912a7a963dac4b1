//! Dialling a host: from a [`Target`] to a WebSocket connection, each failure told as the
//! [`NetError`] a person needs (no such computer, nobody hosting, no answer, not a host, a host
//! turning this address's connections away).
//!
//! A [`Dialer`] is the joiner's and the watcher's side of the transport seam: it opens a stream
//! ([`super::transport::Transport`]) and upgrades it to WebSocket; [`TcpDialer`] resolves a
//! target, tries every address within the connect timeout, and sets `TCP_NODELAY`. Owns no
//! message after the upgrade: [`super::client`] says `hello`.

use std::future::Future;
use std::io::ErrorKind;
use std::net::{IpAddr, SocketAddr, SocketAddrV6};
use std::pin::Pin;
use std::time::Duration;

use tokio::net::TcpStream;
use tokio::time::timeout;
use tokio_tungstenite::tungstenite::{self, http};

use super::address::{Target, parse_ip_port, zone_index};
use super::connection::{JoinConnection, ws_config};
use super::invite::Invite;
use super::p2p::P2pDialer;
use super::transport::{BoxedStream, DirectTcp};
use super::{NetError, Timing};

/// A connection to a host, upgraded to WebSocket, over any transport.
pub(crate) type HostLine = JoinConnection<BoxedStream>;

/// A future that a [`Dialer`] returns.
pub(crate) type Dialing<'a> = Pin<Box<dyn Future<Output = Result<HostLine, NetError>> + Send + 'a>>;

/// Opens connections to one host.
pub(crate) trait Dialer: Send + Sync + 'static {
    /// The host as people read it, and as the joiner keeps its seat under (`192.168.1.5:7878`).
    fn describe(&self) -> String;

    /// Opens a connection to the host and upgrades it to WebSocket.
    fn dial<'a>(&'a self, timing: &'a Timing) -> Dialing<'a>;

    /// Ends what the dialler holds once its last connection is dropped (a QUIC endpoint
    /// delivers what its connections still hold, then says goodbye). By default nothing.
    fn close(&self) -> Pin<Box<dyn Future<Output = ()> + Send + '_>> {
        Box::pin(async {})
    }
}

/// TCP to a target typed by a person.
#[derive(Clone, Debug)]
pub(crate) struct TcpDialer {
    target: Target,
    /// Whether the connection says its route (one of an invite link's paths).
    says_route: bool,
}

impl TcpDialer {
    pub(crate) const fn new(target: Target) -> Self {
        Self {
            target,
            says_route: false,
        }
    }

    /// One of an invite link's paths: its connection says it is direct.
    const fn of_link(target: Target) -> Self {
        Self {
            target,
            says_route: true,
        }
    }
}

impl Dialer for TcpDialer {
    fn describe(&self) -> String {
        self.target.to_string()
    }

    fn dial<'a>(&'a self, timing: &'a Timing) -> Dialing<'a> {
        Box::pin(async move {
            let stream = connect_tcp(&self.target, timing).await?;
            // The zone means something only on this computer: the host never sees it.
            let url = format!(
                "ws://{}/",
                Target {
                    zone: None,
                    ..self.target.clone()
                }
            );
            let stream: BoxedStream = if self.says_route {
                Box::new(DirectTcp::new(stream))
            } else {
                Box::new(stream)
            };
            upgrade(stream, url, &self.describe(), timing).await
        })
    }
}

/// Every path of an invite link at once: its addresses over TCP and its key over the
/// peer-to-peer path. The first connection upgraded to WebSocket is kept; the others are
/// dropped. When none is, the peer-to-peer path's failure is told (it says most), else the
/// first address's.
pub(crate) struct InviteDialer {
    tcp: Vec<TcpDialer>,
    p2p: Option<P2pDialer>,
}

impl InviteDialer {
    pub(crate) fn new(invite: &Invite) -> Result<Self, NetError> {
        let tcp = invite
            .addrs
            .iter()
            .map(|addr| parse_ip_port(addr).map(TcpDialer::of_link))
            .collect::<Result<Vec<_>, _>>()?;
        let p2p = invite.p2p.clone().map(P2pDialer::new);
        if tcp.is_empty() && p2p.is_none() {
            return Err(NetError::BadAddress {
                text: invite.to_link(),
            });
        }
        Ok(Self { tcp, p2p })
    }
}

impl Dialer for InviteDialer {
    fn describe(&self) -> String {
        match (&self.p2p, self.tcp.first()) {
            (Some(p2p), _) => p2p.describe(),
            (None, Some(tcp)) => tcp.describe(),
            (None, None) => String::new(),
        }
    }

    fn dial<'a>(&'a self, timing: &'a Timing) -> Dialing<'a> {
        Box::pin(async move {
            use futures_util::StreamExt as _;
            use futures_util::stream::FuturesUnordered;
            let p2p = self.p2p.iter().map(|dialer| (true, dialer.dial(timing)));
            let tcp = self.tcp.iter().map(|dialer| (false, dialer.dial(timing)));
            let mut tries: FuturesUnordered<_> = p2p
                .chain(tcp)
                .map(|(is_p2p, dialing)| async move { (is_p2p, dialing.await) })
                .collect();
            let mut p2p_error = None;
            let mut tcp_error = None;
            while let Some((is_p2p, tried)) = tries.next().await {
                match tried {
                    Ok(line) => return Ok(line),
                    Err(error) if is_p2p => p2p_error = Some(error),
                    Err(error) => {
                        tcp_error.get_or_insert(error);
                    }
                }
            }
            Err(p2p_error.or(tcp_error).unwrap_or(NetError::ConnectionLost))
        })
    }

    fn close(&self) -> Pin<Box<dyn Future<Output = ()> + Send + '_>> {
        Box::pin(async {
            if let Some(p2p) = &self.p2p {
                p2p.close().await;
            }
        })
    }
}

/// The socket addresses of `target`: an IP address as it is (with its zone's interface), a
/// name resolved within the connect timeout.
async fn resolve(target: &Target, timing: &Timing) -> Result<Vec<SocketAddr>, NetError> {
    let addrs: Vec<SocketAddr> = if let Ok(ip) = target.host.parse::<IpAddr>() {
        match (ip, &target.zone) {
            (IpAddr::V6(v6), Some(zone)) => {
                let index = zone_index(zone)
                    .ok_or_else(|| NetError::NoSuchInterface { zone: zone.clone() })?;
                vec![SocketAddr::V6(SocketAddrV6::new(v6, target.port, 0, index))]
            }
            _ => vec![SocketAddr::new(ip, target.port)],
        }
    } else {
        let found = timeout(
            timing.connect_timeout,
            tokio::net::lookup_host((target.host.as_str(), target.port)),
        )
        .await;
        match found {
            Ok(Ok(addrs)) => addrs.collect(),
            Ok(Err(_)) | Err(_) => Vec::new(),
        }
    };
    if addrs.is_empty() {
        return Err(NetError::NameNotFound {
            host: target.host.clone(),
        });
    }
    Ok(addrs)
}

/// Connects to the first of `target`'s addresses that answers, each within the connect
/// timeout: refused by every one is nobody hosting; accepted and then reset by one is a host
/// turning this address's connections away; anything else is no answer.
async fn connect_tcp(target: &Target, timing: &Timing) -> Result<TcpStream, NetError> {
    let addrs = resolve(target, timing).await?;
    let (mut refused, mut turned_away) = (0, 0);
    for addr in &addrs {
        match timeout(timing.connect_timeout, TcpStream::connect(addr)).await {
            Ok(Ok(tcp)) => {
                if let Err(error) = tcp.set_nodelay(true) {
                    tracing::debug!(%error, "could not set TCP_NODELAY");
                }
                return Ok(tcp);
            }
            Ok(Err(error)) => {
                tracing::debug!(%addr, %error, "could not connect");
                match error.kind() {
                    ErrorKind::ConnectionRefused => refused += 1,
                    ErrorKind::ConnectionReset | ErrorKind::ConnectionAborted => turned_away += 1,
                    _ => {}
                }
            }
            Err(_) => tracing::debug!(%addr, "no answer"),
        }
    }
    let ip_port = target.to_string();
    Err(if turned_away > 0 {
        NetError::Busy {
            ip_port,
            retry_after: None,
        }
    } else if refused == addrs.len() {
        NetError::Refused { ip_port }
    } else {
        NetError::Timeout { ip_port }
    })
}

/// The WebSocket upgrade of a stream to `ip_port`, within the hello timeout. A host that closes
/// the connection before answering, or answers `429 Too Many Requests` (with `Retry-After`), is
/// turning this address's connections away for now; something that answers, but not with an
/// upgrade, is not a host of this game.
pub(crate) async fn upgrade(
    stream: BoxedStream,
    url: String,
    ip_port: &str,
    timing: &Timing,
) -> Result<HostLine, NetError> {
    let upgraded = timeout(
        timing.hello_timeout,
        tokio_tungstenite::client_async_with_config(url, stream, Some(ws_config())),
    )
    .await;
    match upgraded {
        Ok(Ok((ws, _))) => Ok(JoinConnection::new(ws)),
        Err(_) => {
            tracing::info!("no answer to the WebSocket handshake");
            Err(NetError::Timeout {
                ip_port: ip_port.to_owned(),
            })
        }
        Ok(Err(error)) => {
            tracing::info!(%error, "WebSocket handshake failed");
            let ip_port = ip_port.to_owned();
            Err(match error {
                tungstenite::Error::Http(response)
                    if response.status() == http::StatusCode::TOO_MANY_REQUESTS =>
                {
                    NetError::Busy {
                        ip_port,
                        retry_after: retry_after(response.headers()),
                    }
                }
                tungstenite::Error::Http(_)
                | tungstenite::Error::HttpFormat(_)
                | tungstenite::Error::Url(_) => NetError::NotAHost { ip_port },
                error if closed_before_answering(&error) => NetError::Busy {
                    ip_port,
                    retry_after: None,
                },
                _ => NetError::ConnectionLost,
            })
        }
    }
}

/// A `Retry-After` in whole seconds (the form a host of this game sends; a date is not read).
fn retry_after(headers: &http::HeaderMap) -> Option<Duration> {
    let seconds = headers.get(http::header::RETRY_AFTER)?.to_str().ok()?;
    seconds.trim().parse().ok().map(Duration::from_secs)
}

/// Whether the other side closed or reset the connection before answering the upgrade: what a
/// host does with a connection it has no room or no allowance for.
fn closed_before_answering(error: &tungstenite::Error) -> bool {
    match error {
        tungstenite::Error::Io(error) => matches!(
            error.kind(),
            ErrorKind::ConnectionReset
                | ErrorKind::ConnectionAborted
                | ErrorKind::BrokenPipe
                | ErrorKind::UnexpectedEof
        ),
        tungstenite::Error::Protocol(tungstenite::error::ProtocolError::HandshakeIncomplete)
        | tungstenite::Error::ConnectionClosed
        | tungstenite::Error::AlreadyClosed => true,
        _ => false,
    }
}
