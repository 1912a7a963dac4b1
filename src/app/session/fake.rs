//! A network without sockets, for tests of the window.
//!
//! Each session the window starts hands its other end, a [`FakePeer`], to the test, which feeds
//! it the network side's events and reads what the window sent.
//!
//! The window cannot tell it from the real network: the same [`NetEvent`]s arrive the same way
//! (a [`NetEvent::Route`] too, for a match on the peer-to-peer path), and the window is woken
//! after each. Nothing is checked or decided here: the test plays the network side, and says
//! where a host is reached on the peer-to-peer path ([`FakePeer::set_p2p_addr`]).

use std::sync::mpsc::{Receiver, SyncSender, sync_channel};
use std::sync::{Arc, Mutex, PoisonError};

use super::{Hosted, Link, Network};
use crate::game::Intent;
use crate::net::invite::Invite;
use crate::net::join::Destination;
use crate::net::p2p::{P2pAddr, Relays};
use crate::net::{HostConfig, JoinConfig, NetError, NetEvent, Wake};

/// Events or sends that may wait in a fake link at most: more than a test sends between frames.
const CAPACITY: usize = 1024;

/// The port a fake host says it listens on when asked for a free one.
pub const FREE_PORT: u16 = 49_152;

/// A network whose every session is a [`FakePeer`] handed to the test.
#[derive(Debug)]
pub struct FakeNetwork {
    peers: SyncSender<FakePeer>,
}

/// The test's end of a [`FakeNetwork`]: the peers of the sessions the window started.
#[derive(Debug)]
pub struct FakePeers {
    peers: Receiver<FakePeer>,
}

impl FakeNetwork {
    /// A fake network, and where the test finds the peer of each session started on it.
    #[must_use]
    pub fn new() -> (Self, FakePeers) {
        let (peers, started) = sync_channel(CAPACITY);
        (Self { peers }, FakePeers { peers: started })
    }

    fn start(&self, started: Started, p2p: Option<P2pAddr>, wake: Wake) -> FakeLink {
        let (events_tx, events) = sync_channel(CAPACITY);
        let (sent_tx, sent) = sync_channel(CAPACITY);
        let p2p = Arc::new(Mutex::new(p2p));
        let peer = FakePeer {
            started,
            events: events_tx,
            sent,
            wake: Waker(wake),
            p2p: Arc::clone(&p2p),
        };
        if self.peers.try_send(peer).is_err() {
            tracing::error!("a fake session was started that no test will see");
        }
        FakeLink {
            events,
            sent: sent_tx,
            p2p,
        }
    }
}

impl FakePeers {
    /// The peer of the next session the window started, if it has started one since.
    #[must_use]
    pub fn next(&self) -> Option<FakePeer> {
        self.peers.try_recv().ok()
    }
}

impl Network for FakeNetwork {
    fn host(&mut self, config: HostConfig, wake: Wake) -> Result<Hosted, NetError> {
        let port = if config.port == 0 {
            FREE_PORT
        } else {
            config.port
        };
        let seat_code = config.seat_code.clone();
        // A fake host on the peer-to-peer path is reached by its key alone until the test says
        // more.
        let p2p = config.p2p.as_ref().map(|p2p| P2pAddr {
            key: p2p.identity.public(),
            relay: None,
            direct: Vec::new(),
        });
        let started = Started::Host {
            name: config.name,
            port,
            seat_code: config.seat_code,
            router: config.reach.router,
            relays: config.p2p.map(|p2p| p2p.relays),
        };
        let link = self.start(started, p2p, wake);
        Ok(Hosted {
            port,
            seat_code,
            link: Box::new(link),
        })
    }

    fn join(&mut self, to: &Destination, jc: JoinConfig, watch: bool, wake: Wake) -> Box<dyn Link> {
        let (name, seat_code) = (jc.name, jc.seat_code);
        let started = match to {
            Destination::Address(addr) => Started::Join {
                ip_port: addr.clone(),
                name,
                seat_code,
                watch,
            },
            Destination::Invite(link) => Started::JoinInvite {
                invite: (**link).clone(),
                name,
                seat_code,
                watch,
            },
        };
        Box::new(self.start(started, None, wake))
    }
}

/// How the window started a session.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Started {
    /// Hosting.
    Host {
        /// The host player's name.
        name: String,
        /// The port it says it listens on.
        port: u16,
        /// The seat code asked of the joiner, if any.
        seat_code: Option<String>,
        /// Whether the router was to be asked to open the port.
        router: bool,
        /// The relays of the peer-to-peer path, if it listens there.
        relays: Option<Relays>,
    },
    /// Joining or watching.
    Join {
        /// The address typed.
        ip_port: String,
        /// The joiner's name.
        name: String,
        /// The seat code typed, if any.
        seat_code: Option<String>,
        /// Only watching.
        watch: bool,
    },
    /// Joining or watching by an invite link's every path.
    JoinInvite {
        /// The link.
        invite: Invite,
        /// The joiner's name.
        name: String,
        /// The seat code typed, if any.
        seat_code: Option<String>,
        /// Only watching.
        watch: bool,
    },
}

/// What the window sent over a fake session.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Sent {
    /// An intent for the match.
    Intent(Intent),
    /// A line of chat.
    Chat(String),
}

/// The test's end of one session: it feeds the window events and reads what it sent.
#[derive(Debug)]
pub struct FakePeer {
    /// How the window started the session.
    pub started: Started,
    events: SyncSender<NetEvent>,
    sent: Receiver<Sent>,
    wake: Waker,
    p2p: SharedAddr,
}

/// Where a fake host is reached on the peer-to-peer path, as the test last said.
type SharedAddr = Arc<Mutex<Option<P2pAddr>>>;

/// The window's wake callback, called after each event sent.
struct Waker(Wake);

impl std::fmt::Debug for Waker {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Waker")
    }
}

impl FakePeer {
    /// Hands the window `event`, as the network side would, and wakes it.
    pub fn send(&self, event: NetEvent) {
        if self.events.try_send(event).is_err() {
            tracing::error!("the window took no fake event for too long");
        }
        (self.wake.0)();
    }

    /// Says that the host is now reached on the peer-to-peer path at `addr` (its relay
    /// connected, say), as its window reads it on its next frame; wakes the window.
    pub fn set_p2p_addr(&self, addr: Option<P2pAddr>) {
        *self.p2p.lock().unwrap_or_else(PoisonError::into_inner) = addr;
        (self.wake.0)();
    }

    /// What the window has sent since last asked, oldest first.
    #[must_use]
    pub fn sent(&self) -> Vec<Sent> {
        std::iter::from_fn(|| self.sent.try_recv().ok()).collect()
    }
}

/// The window's end of a fake session.
#[derive(Debug)]
struct FakeLink {
    events: Receiver<NetEvent>,
    sent: SyncSender<Sent>,
    p2p: SharedAddr,
}

impl Link for FakeLink {
    fn send(&self, intent: Intent) {
        if self.sent.try_send(Sent::Intent(intent)).is_err() {
            tracing::warn!(?intent, "intent not sent");
        }
    }

    fn chat(&self, text: String) {
        if self.sent.try_send(Sent::Chat(text)).is_err() {
            tracing::warn!("chat not sent");
        }
    }

    fn try_recv(&mut self) -> Option<NetEvent> {
        self.events.try_recv().ok()
    }

    fn p2p_addr(&self) -> Option<P2pAddr> {
        self.p2p
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }
}
