//! The host's side: connections on its endpoint, each handshake (QUIC, then its one bi-stream)
//! completed in a task of its own so that a slow or silent peer never holds up the next, within
//! the handshake deadline, at most [`MAX_HANDSHAKES`] at a time.

use std::sync::Arc;
use std::time::Duration;

use iroh::Endpoint;
use tokio::sync::{Semaphore, mpsc};
use tokio_util::sync::{CancellationToken, DropGuard};
use tokio_util::task::TaskTracker;

use super::route::LINGER;
use super::{ALPN, KnownRelays, P2pStream, Relays};
use crate::net::transport::{Accepting, Acceptor, BoxedStream, Closing, Peer};

/// Handshakes under way at most; a connection beyond them is refused at once.
pub const MAX_HANDSHAKES: usize = 64;

/// Connections whose handshake is done, waiting for admission.
const READY: usize = 16;

/// Where a host's peer-to-peer connections come from.
pub struct P2pAcceptor {
    ready: mpsc::Receiver<(BoxedStream, Peer)>,
    endpoint: Endpoint,
    lingers: TaskTracker,
    stop: CancellationToken,
    /// Ends the accepting task, and the endpoint with it, when the host stops.
    _stop: DropGuard,
}

impl P2pAcceptor {
    /// Takes over `endpoint` (bound with [`ALPN`]); each connection has `deadline` to open its
    /// stream. Must be called on the network's runtime.
    pub(crate) fn new(endpoint: Endpoint, relays: &Relays, deadline: Duration) -> Self {
        let relays = super::known(relays);
        let (tx, ready) = mpsc::channel(READY);
        let stop = CancellationToken::new();
        let lingers = TaskTracker::new();
        tokio::spawn(accept_all(
            endpoint.clone(),
            Arc::clone(&relays),
            lingers.clone(),
            deadline,
            tx,
            stop.clone(),
        ));
        Self {
            ready,
            endpoint,
            lingers,
            stop: stop.clone(),
            _stop: stop.drop_guard(),
        }
    }
}

impl Acceptor for P2pAcceptor {
    /// Stops accepting, lets every stream deliver what it holds, then closes the endpoint.
    fn closer(&self) -> Option<Closing> {
        let (stop, lingers, endpoint) = (
            self.stop.clone(),
            self.lingers.clone(),
            self.endpoint.clone(),
        );
        Some(Box::pin(close(stop, lingers, endpoint)))
    }

    fn accept(&mut self) -> Accepting<'_> {
        Box::pin(async {
            self.ready.recv().await.ok_or_else(|| {
                std::io::Error::new(std::io::ErrorKind::NotConnected, "the endpoint is closed")
            })
        })
    }
}

/// Stops `stop`, waits for the streams' `lingers` (at most a little longer than one lingers),
/// then closes `endpoint` (at most a few seconds).
pub(super) async fn close(stop: CancellationToken, lingers: TaskTracker, endpoint: Endpoint) {
    stop.cancel();
    lingers.close();
    drop(tokio::time::timeout(LINGER + Duration::from_secs(1), lingers.wait()).await);
    drop(tokio::time::timeout(Duration::from_secs(3), endpoint.close()).await);
}

async fn accept_all(
    endpoint: Endpoint,
    relays: KnownRelays,
    lingers: TaskTracker,
    deadline: Duration,
    tx: mpsc::Sender<(BoxedStream, Peer)>,
    stop: CancellationToken,
) {
    let handshakes = Arc::new(Semaphore::new(MAX_HANDSHAKES));
    loop {
        let incoming = tokio::select! {
            () = stop.cancelled() => break,
            incoming = endpoint.accept() => match incoming {
                Some(incoming) => incoming,
                None => break,
            },
        };
        let Ok(permit) = Arc::clone(&handshakes).try_acquire_owned() else {
            tracing::debug!("too many peer-to-peer handshakes at once: one refused");
            incoming.refuse();
            continue;
        };
        let tx = tx.clone();
        let relays = Arc::clone(&relays);
        let lingers = lingers.clone();
        let stop = stop.clone();
        tokio::spawn(async move {
            let handshake = async {
                let conn = incoming.accept().ok()?.await.ok()?;
                if conn.alpn() != ALPN {
                    return None;
                }
                let (send, recv) = conn.accept_bi().await.ok()?;
                let peer = Peer::PublicKey(*conn.remote_id().as_bytes());
                Some((P2pStream::new(conn, send, recv, relays, lingers), peer))
            };
            let done = tokio::select! {
                () = stop.cancelled() => None,
                done = tokio::time::timeout(deadline, handshake) => done.ok().flatten(),
            };
            drop(permit);
            if let Some((stream, peer)) = done {
                let stream: BoxedStream = Box::new(stream);
                drop(tx.send((stream, peer)).await);
            }
        });
    }
}
