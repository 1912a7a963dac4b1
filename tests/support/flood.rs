//! A crowd of hostile connections from loopback addresses, for the admission tests and the
//! network benchmark.
//!
//! Idle WebSocket connections, half-open HTTP requests, idle TCP connections and WebSocket ping
//! floods, each reopened as soon as the host closes it.

use std::net::{Ipv4Addr, SocketAddr};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use futures_util::SinkExt as _;
use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
use tokio_tungstenite::tungstenite::Message;
use tokio_util::sync::CancellationToken;

/// What one hostile connection does.
#[derive(Clone, Copy, Debug)]
pub enum Kind {
    /// Upgrades to WebSocket and never says `hello`.
    IdleWebSocket,
    /// Sends the start of an HTTP request and never finishes it.
    HalfOpenHttp,
    /// Opens TCP and sends nothing.
    IdleTcp,
    /// Upgrades to WebSocket and sends ping frames as fast as it can.
    PingFlood,
}

/// A running crowd; dropping it stops every connection.
pub struct Flood {
    stop: CancellationToken,
    tasks: Vec<tokio::task::JoinHandle<()>>,
    /// Connections opened so far, reopened ones included.
    pub opened: Arc<AtomicU64>,
}

impl Flood {
    /// Starts `count` hostile connections to `host`, a quarter of each kind, each from its own
    /// loopback address (127.1.x.y), inside the current tokio runtime.
    pub fn start(host: SocketAddr, count: usize) -> Self {
        let stop = CancellationToken::new();
        let opened = Arc::new(AtomicU64::new(0));
        let kinds = [
            Kind::IdleWebSocket,
            Kind::HalfOpenHttp,
            Kind::IdleTcp,
            Kind::PingFlood,
        ];
        let tasks = (0..count)
            .map(|i| {
                let ip = Ipv4Addr::new(
                    127,
                    1,
                    u8::try_from(i / 250).unwrap_or(255),
                    u8::try_from(i % 250 + 1).unwrap_or(1),
                );
                let kind = kinds[i % kinds.len()];
                tokio::spawn(attacker(kind, ip, host, stop.clone(), Arc::clone(&opened)))
            })
            .collect();
        Self {
            stop,
            tasks,
            opened,
        }
    }

    /// Stops every connection and waits (bounded) for them to end.
    pub async fn stop(mut self) {
        self.stop.cancel();
        for task in self.tasks.drain(..) {
            let _ended = tokio::time::timeout(Duration::from_secs(5), task).await;
        }
    }
}

impl Drop for Flood {
    fn drop(&mut self) {
        self.stop.cancel();
        for task in &self.tasks {
            task.abort();
        }
    }
}

/// One hostile connection, reopened whenever the host closes it, until `stop`.
async fn attacker(
    kind: Kind,
    ip: Ipv4Addr,
    host: SocketAddr,
    stop: CancellationToken,
    opened: Arc<AtomicU64>,
) {
    while !stop.is_cancelled() {
        tokio::select! {
            () = stop.cancelled() => return,
            () = once(kind, ip, host, &opened) => {}
        }
        // A refused connection is tried again at once, but never in a busy loop.
        tokio::select! {
            () = stop.cancelled() => return,
            () = tokio::time::sleep(Duration::from_millis(5)) => {}
        }
    }
}

async fn once(kind: Kind, ip: Ipv4Addr, host: SocketAddr, opened: &AtomicU64) {
    let Ok(socket) = tokio::net::TcpSocket::new_v4() else {
        return;
    };
    if socket.bind(SocketAddr::from((ip, 0))).is_err() {
        return;
    }
    let Ok(mut stream) = socket.connect(host).await else {
        return;
    };
    opened.fetch_add(1, Ordering::Relaxed);
    match kind {
        Kind::IdleTcp => until_closed(&mut stream).await,
        Kind::HalfOpenHttp => {
            if stream
                .write_all(b"GET / HTTP/1.1\r\nHost: x\r\n")
                .await
                .is_ok()
            {
                until_closed(&mut stream).await;
            }
        }
        Kind::IdleWebSocket | Kind::PingFlood => {
            let Ok((mut ws, _)) =
                tokio_tungstenite::client_async(format!("ws://{host}/"), stream).await
            else {
                return;
            };
            if matches!(kind, Kind::PingFlood) {
                while ws.send(Message::Ping(vec![7; 8].into())).await.is_ok() {}
            } else {
                use futures_util::StreamExt as _;
                while let Some(Ok(_)) = ws.next().await {}
            }
        }
    }
}

async fn until_closed(stream: &mut tokio::net::TcpStream) {
    let mut buf = [0_u8; 256];
    while matches!(stream.read(&mut buf).await, Ok(n) if n > 0) {}
}
