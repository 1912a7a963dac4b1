//! How a peer-to-peer connection runs now, followed while it lasts, and the stream that carries
//! the match over it.

use std::fmt;
use std::io;
use std::pin::Pin;
use std::task::{Context, Poll};

use futures_util::StreamExt as _;
use iroh::TransportAddr;
use iroh::endpoint::{Connection, RecvStream, SendStream};
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::sync::{mpsc, watch};
use tokio_util::sync::{CancellationToken, DropGuard};
use tokio_util::task::TaskTracker;

use super::{KnownRelays, relay_shown};
use crate::net::Wake;
use crate::net::front_end::NetEvent;
use crate::net::transport::Transport;

/// How the two computers of a connection reach each other now.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Route {
    /// Straight from one to the other, on the same network or through both routers.
    Direct {
        /// Whether the other computer is on the internet side of this one's router (its address
        /// is a public one): the routers were punched through.
        through_routers: bool,
    },
    /// Through a relay, which passes on encrypted bytes it cannot read.
    Relay {
        /// The relay's URL as a person copies it.
        url: String,
    },
}

impl fmt::Display for Route {
    /// As the terminal prints it after `connected: `.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Direct { .. } => f.write_str("direct"),
            Self::Relay { url } => write!(f, "through relay {url}"),
        }
    }
}

/// The route of `conn` now: its selected path.
fn route_now(conn: &Connection, relays: &KnownRelays) -> Option<Route> {
    let paths = conn.paths();
    let selected = paths.iter().find(iroh::endpoint::Path::is_selected)?;
    Some(match selected.remote_addr() {
        TransportAddr::Relay(url) => Route::Relay {
            url: relay_shown(url, relays),
        },
        TransportAddr::Ip(addr) => Route::Direct {
            through_routers: through_routers(addr.ip()),
        },
        _ => return None,
    })
}

/// Whether a direct path to `ip` crosses routers: an address on the internet, and not one of this
/// computer's own (a friend on the same computer, reached at its outward address, is no farther
/// than loopback).
pub(crate) fn through_routers(ip: std::net::IpAddr) -> bool {
    is_public(ip)
        && !if_addrs::get_if_addrs()
            .is_ok_and(|own| own.iter().any(|interface| interface.ip() == ip))
}

/// Whether `ip` is an address on the internet (not a LAN's, a link's or carrier-grade NAT's).
fn is_public(ip: std::net::IpAddr) -> bool {
    match ip {
        std::net::IpAddr::V4(v4) => {
            let cgnat = v4.octets()[0] == 100 && (v4.octets()[1] & 0xc0) == 64;
            !(v4.is_private() || v4.is_loopback() || v4.is_link_local() || cgnat)
        }
        std::net::IpAddr::V6(v6) => {
            let first = v6.segments()[0];
            !(v6.is_loopback() || (first & 0xfe00) == 0xfc00 || (first & 0xffc0) == 0xfe80)
        }
    }
}

/// Follows `conn`'s route into `tx` until the connection closes or `stop` is cancelled.
async fn follow(
    conn: Connection,
    relays: KnownRelays,
    tx: watch::Sender<Option<Route>>,
    stop: CancellationToken,
) {
    let mut changes = conn.paths_stream();
    loop {
        tx.send_if_modified(|was| {
            let now = route_now(&conn, &relays);
            (now.is_some() && *was != now) && {
                *was = now;
                true
            }
        });
        tokio::select! {
            () = stop.cancelled() => break,
            change = changes.next() => if change.is_none() { break },
        }
    }
}

/// How long a stream dropped by this side is given to deliver what it still holds before its
/// connection is closed.
pub(crate) const LINGER: std::time::Duration = std::time::Duration::from_secs(2);

/// The match's stream over one QUIC connection: its one bi-stream, and its route followed.
/// Dropped, it lingers (in `lingers`) until the peer has read all of it, at most [`LINGER`],
/// then closes its connection, as the kernel does for a TCP socket closed with data unsent.
pub(crate) struct P2pStream {
    recv: RecvStream,
    send: Option<SendStream>,
    lingers: TaskTracker,
    route: watch::Receiver<Option<Route>>,
    /// Stops following the route when the stream goes.
    _follow: DropGuard,
    /// The connection lives as long as its stream.
    conn: Connection,
}

impl P2pStream {
    /// The stream `recv` + `send` of `conn`, its route followed on the current runtime.
    pub(crate) fn new(
        conn: Connection,
        send: SendStream,
        recv: RecvStream,
        relays: KnownRelays,
        lingers: TaskTracker,
    ) -> Self {
        let (tx, route) = watch::channel(route_now(&conn, &relays));
        let stop = CancellationToken::new();
        tokio::spawn(follow(conn.clone(), relays, tx, stop.clone()));
        Self {
            recv,
            send: Some(send),
            lingers,
            route,
            _follow: stop.drop_guard(),
            conn,
        }
    }
}

impl AsyncRead for P2pStream {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        Pin::new(&mut self.recv).poll_read(cx, buf)
    }
}

impl P2pStream {
    fn send(&mut self) -> io::Result<&mut SendStream> {
        self.send
            .as_mut()
            .ok_or_else(|| io::Error::from(io::ErrorKind::NotConnected))
    }
}

impl AsyncWrite for P2pStream {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        match self.send() {
            Ok(send) => Pin::new(send).poll_write(cx, buf).map_err(io::Error::from),
            Err(error) => Poll::Ready(Err(error)),
        }
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        match self.send() {
            Ok(send) => Pin::new(send).poll_flush(cx),
            Err(error) => Poll::Ready(Err(error)),
        }
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        match self.send() {
            Ok(send) => Pin::new(send).poll_shutdown(cx),
            Err(error) => Poll::Ready(Err(error)),
        }
    }
}

impl Drop for P2pStream {
    fn drop(&mut self) {
        let Some(mut send) = self.send.take() else {
            return;
        };
        let Ok(runtime) = tokio::runtime::Handle::try_current() else {
            return;
        };
        let conn = self.conn.clone();
        self.lingers.spawn_on(
            async move {
                drop(send.finish());
                drop(tokio::time::timeout(LINGER, send.stopped()).await);
                conn.close(0u32.into(), b"done");
            },
            &runtime,
        );
    }
}

impl Transport for P2pStream {
    fn route(&self) -> Option<watch::Receiver<Option<Route>>> {
        Some(self.route.clone())
    }
}

/// Tells a front end each route a connection takes, from a task of its own, until the
/// connection's stream is gone or the side that owns the reporter ends.
#[derive(Clone)]
pub(crate) struct RouteReporter {
    tx: mpsc::Sender<NetEvent>,
    wake: Wake,
}

impl RouteReporter {
    pub(crate) fn new(tx: mpsc::Sender<NetEvent>, wake: Wake) -> Self {
        Self { tx, wake }
    }

    /// Reports `route`'s changes (the first one at once) until its connection is gone.
    pub(crate) fn follow(self, mut route: watch::Receiver<Option<Route>>) {
        tokio::spawn(async move {
            let mut last = None;
            loop {
                let now = route.borrow_and_update().clone();
                if let Some(now) = now.filter(|now| last.as_ref() != Some(now)) {
                    last = Some(now.clone());
                    if self.tx.send(NetEvent::Route(now)).await.is_err() {
                        break;
                    }
                    (self.wake)();
                }
                if route.changed().await.is_err() {
                    break;
                }
            }
        });
    }
}
