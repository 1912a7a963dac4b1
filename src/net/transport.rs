//! The transport seam: what carries the WebSocket frames, and who is at the other end.
//!
//! Everything above this module — admission, the seat's link, the watchers, the match task, the
//! joiner's and the watcher's sessions — works on a [`Transport`]: any byte stream that carries
//! WebSocket frames ([`BoxedStream`] once accepted or dialled), from a [`Peer`] whose
//! [`PeerKey`] the per-address limits count by. A host takes its connections from
//! [`Acceptor`]s; TCP is one ([`TcpAcceptor`], and [`bind_dual_stack`] for the default port). A
//! second transport (a QUIC bi-stream joined with `tokio::io::join`, say) is one more
//! `Acceptor` and one more way to dial, with nothing to change above.
//!
//! Owns no WebSocket and no message: [`super::connection`] speaks WebSocket over these streams.

use std::fmt;
use std::future::Future;
use std::io;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::pin::Pin;
use std::time::Duration;

use tokio::io::{AsyncRead, AsyncWrite};
use tokio::net::{TcpListener, TcpStream};

use super::NetError;

/// A byte stream carrying WebSocket frames. The two hooks let a transport do what it can for
/// the host; by default they do nothing.
pub trait Transport: AsyncRead + AsyncWrite + Unpin + Send + 'static {
    /// Holds at most about `bytes` of unsent data on this side for a peer that reads slowly
    /// (TCP: the kernel's send buffer).
    fn limit_send_buffer(&self, bytes: usize) {
        let _unused = bytes;
    }

    /// The connection is about to be dropped unanswered: end it without a goodbye, leaving
    /// nothing behind (TCP: a reset, nothing in `TIME_WAIT`).
    fn reset_on_drop(&self) {}

    /// How the connection runs now, followed while it lasts (peer-to-peer: direct or through a
    /// relay); `None` for a transport with only one way (TCP).
    fn route(&self) -> Option<tokio::sync::watch::Receiver<Option<super::p2p::Route>>> {
        None
    }
}

/// A transport once accepted or dialled: what every connection above the seam holds.
pub type BoxedStream = Box<dyn Transport>;

impl Transport for TcpStream {
    fn limit_send_buffer(&self, bytes: usize) {
        if let Err(error) = socket2::SockRef::from(self).set_send_buffer_size(bytes) {
            tracing::debug!(%error, "could not make a send buffer small");
        }
    }

    fn reset_on_drop(&self) {
        if let Err(error) = socket2::SockRef::from(self).set_linger(Some(Duration::ZERO)) {
            tracing::trace!(%error, "could not set SO_LINGER");
        }
    }
}

/// A read half and a write half as one stream, as a QUIC bi-stream comes.
impl<R, W> Transport for tokio::io::Join<R, W>
where
    R: AsyncRead + Unpin + Send + 'static,
    W: AsyncWrite + Unpin + Send + 'static,
{
}

/// An in-memory pipe (tests of everything above the seam).
impl Transport for tokio::io::DuplexStream {}

/// A TCP connection that says its route (always direct): one of an invite link's paths, shown
/// as the peer-to-peer ones are.
pub(crate) struct DirectTcp {
    stream: TcpStream,
    route: tokio::sync::watch::Receiver<Option<super::p2p::Route>>,
}

impl DirectTcp {
    pub(crate) fn new(stream: TcpStream) -> Self {
        let public = stream
            .peer_addr()
            .is_ok_and(|addr| super::p2p::through_routers(addr.ip()));
        let route = super::p2p::Route::Direct {
            through_routers: public,
        };
        Self {
            stream,
            route: tokio::sync::watch::channel(Some(route)).1,
        }
    }
}

impl AsyncRead for DirectTcp {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
        buf: &mut tokio::io::ReadBuf<'_>,
    ) -> std::task::Poll<io::Result<()>> {
        Pin::new(&mut self.stream).poll_read(cx, buf)
    }
}

impl AsyncWrite for DirectTcp {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
        buf: &[u8],
    ) -> std::task::Poll<io::Result<usize>> {
        Pin::new(&mut self.stream).poll_write(cx, buf)
    }

    fn poll_flush(
        mut self: Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<io::Result<()>> {
        Pin::new(&mut self.stream).poll_flush(cx)
    }

    fn poll_shutdown(
        mut self: Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<io::Result<()>> {
        Pin::new(&mut self.stream).poll_shutdown(cx)
    }
}

impl Transport for DirectTcp {
    fn route(&self) -> Option<tokio::sync::watch::Receiver<Option<super::p2p::Route>>> {
        Some(self.route.clone())
    }
}

/// Who is at the other end of a connection.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Peer {
    /// A TCP connection from this address and port.
    Ip(SocketAddr),
    /// A peer-to-peer connection from the holder of this public key.
    PublicKey([u8; 32]),
}

impl Peer {
    /// What the limits count this peer by.
    #[must_use]
    pub fn key(&self) -> PeerKey {
        match self {
            Self::Ip(addr) => PeerKey::of_ip(addr.ip()),
            Self::PublicKey(key) => PeerKey::PublicKey(*key),
        }
    }
}

impl fmt::Display for Peer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Ip(addr) => write!(f, "{addr}"),
            Self::PublicKey(key) => {
                for byte in &key[..8] {
                    write!(f, "{byte:02x}")?;
                }
                f.write_str("…")
            }
        }
    }
}

/// What a per-address limit counts by: one home. An IPv4 address, an IPv6 /64 (one home's
/// prefix), or a peer-to-peer public key.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum PeerKey {
    /// An IPv4 address (an IPv4-mapped IPv6 address counts as its IPv4 address).
    Ipv4(Ipv4Addr),
    /// The first 64 bits of an IPv6 address.
    Ipv6Prefix(u64),
    /// A public key.
    PublicKey([u8; 32]),
}

impl PeerKey {
    /// The key of an IP address.
    #[must_use]
    pub fn of_ip(ip: IpAddr) -> Self {
        match ip {
            IpAddr::V4(v4) => Self::Ipv4(v4),
            IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or_else(
                || Self::Ipv6Prefix(u64::try_from(u128::from(v6) >> 64).unwrap_or(u64::MAX)),
                Self::Ipv4,
            ),
        }
    }
}

/// A future that an [`Acceptor`] returns.
pub type Accepting<'a> = Pin<Box<dyn Future<Output = io::Result<(BoxedStream, Peer)>> + Send + 'a>>;

/// Where a host's connections come from: each accepted stream goes to admission with its peer.
pub trait Acceptor: Send + 'static {
    /// The next connection. An error is the acceptor's (out of file descriptors, say): the
    /// caller waits a little and asks again.
    fn accept(&mut self) -> Accepting<'_>;

    /// What ends this transport once every connection of the host is done, if it needs more
    /// than dropping (a QUIC endpoint delivers what its connections still hold, then says
    /// goodbye): the host awaits it before it stops.
    fn closer(&self) -> Option<Closing> {
        None
    }
}

/// A future that ends a transport: see [`Acceptor::closer`].
pub type Closing = Pin<Box<dyn Future<Output = ()> + Send + 'static>>;

/// TCP: connections on one listening socket, with `TCP_NODELAY` set on each.
#[derive(Debug)]
pub struct TcpAcceptor {
    listener: TcpListener,
}

impl TcpAcceptor {
    /// Takes over a bound, listening socket. Must be called on the network's runtime.
    pub fn new(listener: std::net::TcpListener) -> io::Result<Self> {
        listener.set_nonblocking(true)?;
        Ok(Self {
            listener: TcpListener::from_std(listener)?,
        })
    }
}

impl Acceptor for TcpAcceptor {
    fn accept(&mut self) -> Accepting<'_> {
        Box::pin(async {
            let (stream, addr) = self.listener.accept().await?;
            // Nagle's algorithm would hold a move back for 40 ms.
            if let Err(error) = stream.set_nodelay(true) {
                tracing::debug!(%error, "could not set TCP_NODELAY");
            }
            let stream: BoxedStream = Box::new(stream);
            Ok((stream, Peer::Ip(addr)))
        })
    }
}

/// Binds IPv4 `0.0.0.0:port` and IPv6 `[::]:port` (IPv6 only, so the two do not clash). With
/// port 0, IPv6 takes the port IPv4 got. Either family alone is enough.
pub fn bind_dual_stack(port: u16) -> Result<Vec<std::net::TcpListener>, NetError> {
    let v4 = bind_one(SocketAddr::from((Ipv4Addr::UNSPECIFIED, port)));
    let v6_port = match &v4 {
        Ok(listener) => listener.local_addr().map_or(port, |a| a.port()),
        Err(_) => port,
    };
    let v6 = bind_one(SocketAddr::from((Ipv6Addr::UNSPECIFIED, v6_port)));
    match (v4, v6) {
        (Ok(v4), Ok(v6)) => Ok(vec![v4, v6]),
        (Ok(v4), Err(error)) => {
            tracing::warn!(%error, "IPv6 unavailable: hosting on IPv4 only");
            Ok(vec![v4])
        }
        (Err(error), Ok(v6)) => {
            tracing::warn!(%error, "IPv4 unavailable: hosting on IPv6 only");
            Ok(vec![v6])
        }
        (Err(error), Err(_)) => Err(NetError::Listen {
            port,
            detail: error.to_string(),
        }),
    }
}

fn bind_one(addr: SocketAddr) -> io::Result<std::net::TcpListener> {
    use socket2::{Domain, Protocol, Socket, Type};
    let socket = Socket::new(Domain::for_address(addr), Type::STREAM, Some(Protocol::TCP))?;
    if addr.is_ipv6() {
        socket.set_only_v6(true)?;
    }
    // On Unix this only lets a restarted host reuse a port in TIME_WAIT; on Windows it would let
    // two programs share a port, so it stays off there.
    #[cfg(unix)]
    socket.set_reuse_address(true)?;
    socket.bind(&addr.into())?;
    // A deep queue: a crowd of connections must not crowd out a joiner's before it is accepted.
    socket.listen(1024)?;
    Ok(socket.into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_home_is_one_key() {
        let key = |text: &str| Peer::Ip(SocketAddr::new(text.parse().unwrap(), 1)).key();
        assert_eq!(key("127.0.0.1"), PeerKey::Ipv4(Ipv4Addr::LOCALHOST));
        assert_ne!(key("127.0.0.1"), key("127.0.0.2"));
        // An IPv6 home is its /64.
        assert_eq!(key("2001:db8::1"), key("2001:db8::ffff:1"));
        assert_ne!(key("2001:db8::1"), key("2001:db8:0:1::1"));
        assert_eq!(key("::ffff:127.0.0.1"), key("127.0.0.1"));
        let peer = Peer::PublicKey([0xab; 32]);
        assert_eq!(peer.key(), PeerKey::PublicKey([0xab; 32]));
        assert_eq!(peer.to_string(), "abababababababab…");
    }
}
