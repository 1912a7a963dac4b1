//! The joiner's and the watcher's side: dialling a host by the key, relay and addresses of its
//! invite link, over an endpoint made once and kept for every reconnection.

use std::sync::Arc;

use iroh::Endpoint;
use tokio::sync::OnceCell;
use tokio::time::timeout;
use tokio_util::task::TaskTracker;

use super::{ALPN, KnownRelays, P2pAddr, P2pStream, Relays, bind};
use crate::net::dial::{Dialer, Dialing, upgrade};
use crate::net::{NetError, Timing};

/// How long a peer-to-peer connection is given to complete: longer than a TCP connect, since a
/// path through two routers is found by trying.
const CONNECT_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(15);

/// Dials one host on the peer-to-peer path.
pub(crate) struct P2pDialer {
    addr: P2pAddr,
    endpoint: OnceCell<Endpoint>,
    known: KnownRelays,
    lingers: TaskTracker,
}

impl P2pDialer {
    pub(crate) fn new(addr: P2pAddr) -> Self {
        let known = Arc::new(addr.relay.iter().cloned().collect());
        Self {
            addr,
            endpoint: OnceCell::new(),
            known,
            lingers: TaskTracker::new(),
        }
    }

    /// Lets every stream deliver what it holds, then closes the endpoint.
    pub(crate) async fn close(&self) {
        if let Some(endpoint) = self.endpoint.get() {
            super::accept::close(
                tokio_util::sync::CancellationToken::new(),
                self.lingers.clone(),
                endpoint.clone(),
            )
            .await;
        }
    }

    /// This side's endpoint: the link's relay is its relay too (trusted as the link says), or
    /// none when the link names none.
    async fn endpoint(&self) -> Result<&Endpoint, NetError> {
        self.endpoint
            .get_or_try_init(|| async {
                let relays = self.addr.relay.clone().map_or(Relays::Off, Relays::Own);
                bind(None, &relays, &[], Vec::new()).await
            })
            .await
    }
}

impl Drop for P2pDialer {
    fn drop(&mut self) {
        if let Some(endpoint) = self.endpoint.take()
            && let Ok(runtime) = tokio::runtime::Handle::try_current()
        {
            runtime.spawn(async move { endpoint.close().await });
        }
    }
}

impl Dialer for P2pDialer {
    fn describe(&self) -> String {
        format!("key {}", self.addr.key.get(..16).unwrap_or(&self.addr.key))
    }

    fn dial<'a>(&'a self, timing: &'a Timing) -> Dialing<'a> {
        Box::pin(async move {
            let addr = self.addr.endpoint_addr()?;
            let endpoint = self.endpoint().await?;
            let limit = CONNECT_TIMEOUT.max(timing.connect_timeout);
            let conn = match timeout(limit, endpoint.connect(addr, ALPN)).await {
                Ok(Ok(conn)) => conn,
                Ok(Err(error)) => return Err(connect_error(&error, &self.addr)),
                Err(_) => return Err(unreachable(endpoint, &self.addr)),
            };
            let (send, recv) = conn
                .open_bi()
                .await
                .map_err(|_lost| NetError::ConnectionLost)?;
            let stream = P2pStream::new(
                conn,
                send,
                recv,
                Arc::clone(&self.known),
                self.lingers.clone(),
            );
            upgrade(
                Box::new(stream),
                "ws://tictactoe/".to_owned(),
                &self.describe(),
                timing,
            )
            .await
        })
    }
}

/// What a failed connection means to a person.
fn connect_error(error: &iroh::endpoint::ConnectError, addr: &P2pAddr) -> NetError {
    let text = format!("{error:#}").to_lowercase();
    tracing::info!(%error, "peer-to-peer connection failed");
    if text.contains("certificate") || text.contains("crypto") || text.contains("authentic") {
        NetError::WrongKey
    } else {
        NetError::HostOffline {
            key: addr.key.get(..16).unwrap_or(&addr.key).to_owned(),
        }
    }
}

/// No path completed in time: the relay could not be reached, or the host is not online.
fn unreachable(endpoint: &Endpoint, addr: &P2pAddr) -> NetError {
    use iroh::Watcher as _;
    if let Some(relay) = &addr.relay {
        let reached = endpoint
            .home_relay_status()
            .get()
            .iter()
            .any(|status| status.url() == relay.url() && status.is_connected());
        if !reached && addr.direct.is_empty() {
            return NetError::RelayUnreachable {
                url: relay.to_string(),
            };
        }
    }
    NetError::HostOffline {
        key: addr.key.get(..16).unwrap_or(&addr.key).to_owned(),
    }
}
