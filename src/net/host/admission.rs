//! Admission: every connection from its first byte to a valid `hello`. A connection that gets
//! through is handed to the seat's owner ([`super::seat`]) as an [`Arrival`]; everything else is
//! refused here, in a task of its own, and never touches the match.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{Semaphore, mpsc};
use tokio::time::{timeout, timeout_at};
use tokio_util::sync::CancellationToken;
use tokio_util::task::TaskTracker;

use crate::game::name_or;

use super::Settings;
use crate::net::api::Timing;
use crate::net::connection::{HostConnection, ReadError, ws_config};
use crate::net::wire::{
    APP_VERSION, ClientMsg, PROTOCOL_VERSION, Reject, RejectReason, Resume, ServerMsg, close_code,
};

/// A connection that sent a `hello` whose version and seat code are right.
pub(super) struct Arrival {
    pub(super) conn: HostConnection,
    pub(super) name: String,
    pub(super) resume: Option<Resume>,
    pub(super) peer: SocketAddr,
    /// The joiner asked for every next game in advance.
    pub(super) auto_rematch: bool,
}

pub(super) async fn accept_loop(
    listener: TcpListener,
    settings: Settings,
    arrivals: mpsc::Sender<Arrival>,
    handshakes: Arc<Semaphore>,
    tracker: TaskTracker,
    shutdown: CancellationToken,
) {
    loop {
        let accepted = tokio::select! {
            () = shutdown.cancelled() => return,
            accepted = listener.accept() => accepted,
        };
        let (stream, peer) = match accepted {
            Ok(pair) => pair,
            Err(error) => {
                // Out of file descriptors and the like: wait a little rather than spin.
                tracing::warn!(%error, "accept failed");
                tokio::select! {
                    () = shutdown.cancelled() => return,
                    () = tokio::time::sleep(Duration::from_millis(100)) => continue,
                }
            }
        };
        let Ok(permit) = Arc::clone(&handshakes).try_acquire_owned() else {
            tracing::debug!(%peer, "too many handshakes at once: dropping a connection");
            continue;
        };
        let settings = settings.clone();
        let arrivals = arrivals.clone();
        let shutdown = shutdown.clone();
        tracker.spawn(async move {
            tokio::select! {
                () = shutdown.cancelled() => {}
                () = handshake(stream, peer, &settings, &arrivals) => {}
            }
            drop(permit);
        });
    }
}

/// Upgrades to WebSocket and reads the `hello`, all within the hello deadline. Only a valid
/// `hello` reaches the seat's owner; everything else is refused here.
async fn handshake(
    stream: TcpStream,
    peer: SocketAddr,
    settings: &Settings,
    arrivals: &mpsc::Sender<Arrival>,
) {
    if let Err(error) = stream.set_nodelay(true) {
        tracing::debug!(%error, "could not set TCP_NODELAY");
    }
    let deadline = tokio::time::Instant::now() + settings.timing.hello_timeout;
    let ws = match timeout_at(
        deadline,
        tokio_tungstenite::accept_async_with_config(stream, Some(ws_config())),
    )
    .await
    {
        Ok(Ok(ws)) => ws,
        Ok(Err(error)) => {
            tracing::debug!(%peer, %error, "WebSocket handshake failed");
            return;
        }
        Err(_) => {
            tracing::debug!(%peer, "WebSocket handshake timed out");
            return;
        }
    };
    let mut conn = HostConnection::new(ws);
    let first = timeout_at(deadline, conn.read_msg()).await;
    let hello = match first {
        Err(_) => Err(RejectReason::HelloTimeout),
        Ok(Ok(None) | Err(ReadError::Transport { .. })) => return,
        Ok(Ok(Some(ClientMsg::Hello {
            protocol,
            app,
            name,
            seat_code,
            resume,
            auto_rematch,
        }))) => {
            if protocol != PROTOCOL_VERSION {
                tracing::info!(%peer, protocol, %app, "refused a joiner with another version");
                Err(RejectReason::VersionMismatch)
            } else if settings.seat_code.is_some() && seat_code != settings.seat_code {
                Err(RejectReason::BadSeatCode)
            } else {
                Ok((name, resume, auto_rematch))
            }
        }
        Ok(Ok(Some(_)) | Err(_)) => Err(RejectReason::ExpectedHello),
    };
    match hello {
        Ok((name, resume, auto_rematch)) => {
            let arrival = Arrival {
                conn,
                name: name_or(&name, "Guest"),
                resume,
                peer,
                auto_rematch,
            };
            if arrivals.send(arrival).await.is_err() {
                tracing::debug!("the match has stopped");
            }
        }
        Err(reason) => refuse(conn, reason, &settings.timing).await,
    }
}

/// What a refused joiner is told.
fn reject_message(reason: RejectReason) -> String {
    match reason {
        RejectReason::VersionMismatch => format!(
            "This host runs Tic-Tac-Toe {APP_VERSION} (protocol {PROTOCOL_VERSION}). Both players need the same version."
        ),
        RejectReason::MatchFull => "This match is already full.".to_owned(),
        RejectReason::BadSeatCode => "The seat code is missing or wrong.".to_owned(),
        RejectReason::BadToken => "That resume token is not this match's.".to_owned(),
        RejectReason::MatchOver => "The match is over.".to_owned(),
        RejectReason::ExpectedHello => "The first message must be a valid hello.".to_owned(),
        RejectReason::HelloTimeout => "No hello arrived in time.".to_owned(),
    }
}

/// Sends `reject`, closes, and waits briefly for the closing handshake.
pub(super) async fn refuse(mut conn: HostConnection, reason: RejectReason, timing: &Timing) {
    let reject = ServerMsg::Reject(Reject {
        reason,
        message: reject_message(reason),
        protocol: PROTOCOL_VERSION,
        app: APP_VERSION.to_owned(),
    });
    let code = match reason {
        RejectReason::HelloTimeout | RejectReason::ExpectedHello => close_code::POLICY,
        RejectReason::VersionMismatch
        | RejectReason::MatchFull
        | RejectReason::BadSeatCode
        | RejectReason::BadToken
        | RejectReason::MatchOver => close_code::REJECTED,
    };
    let sent = timeout(timing.write_timeout, async {
        if conn.write_msg(&reject).await.is_ok() {
            conn.close(code, "rejected").await;
        }
    });
    if sent.await.is_ok() {
        conn.drain(Duration::from_secs(1)).await;
    }
}
