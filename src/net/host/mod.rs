//! The host: an embedded WebSocket server with exactly one opponent seat, any number of
//! watchers up to a cap, and the match it settles.
//!
//! [`start`] binds the port (IPv4 and IPv6) and runs everything as tasks on the network's one
//! runtime; the returned [`HostHandle`] carries the bounded channels to the front end and shuts
//! everything down when dropped. The rules are the match's own: the host admits, times and
//! carries, and decides nothing about the game. Connections come from any [`Acceptor`] (TCP
//! today), so the parts below never see a socket.
//!
//! Layout, one part for each piece of state:
//! - this file: the configuration, the handle, and the task tree.
//! - [`admission`]: every connection until it has said a valid `hello`; refusals; the slots.
//! - [`seat_code`]: the seat code and the limits on guessing it.
//! - [`match_task`]: the one task that owns the [`crate::game::Match`] and decides who sits.
//! - [`seat_link`]: the joiner's connection while it holds the seat.
//! - [`resumption`]: the seat's token, remembered answers, and the clock of an absence.
//! - [`chat`]: who may chat, and who hears each line.
//! - [`fan_out`]: the ring of frames to the watchers, and how many watch.
//! - [`watcher_link`]: one watcher's connection, in a task of its own.

mod admission;
mod chat;
mod fan_out;
mod match_task;
mod resumption;
pub(super) mod seat_code;
mod seat_link;
mod watcher_link;

pub use fan_out::{WATCH_QUEUE, WatchStats};
pub use seat_code::{new_seat_code, normalize as normalize_seat_code};

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::sync::mpsc;
use tokio_util::sync::CancellationToken;
use tokio_util::task::TaskTracker;

use crate::game::{Driver, Player, Variant, name_or};

use super::discovery::Advert;
use super::front_end::{CHANNEL_CAPACITY, Command, NetLink, Outbox};
use super::p2p::{self, Identity, P2pAcceptor, P2pAddr, Relays};
use super::reach::{self, Phase, Reach};
use super::runtime::{self, HandleTask};
use super::transport::{Acceptor, TcpAcceptor, bind_dual_stack};
use super::wire::{
    CHAT_BURST, CHAT_PER_SECOND, CLASSIC_PROTOCOL, DEFAULT_PORT, PROTOCOL_VERSION, Rules,
};
use super::{NetError, NetEvent, Timing, Wake};
use admission::{Slots, accept_loop};
use match_task::MatchTask;

/// Limits for untrusted peers.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Limits {
    /// Messages a connection may send in a burst before the rate limit applies (default 32).
    pub burst: u32,
    /// Messages per second a connection may send on average (default 16). Accepted commands do
    /// not count: the game's pace already limits them.
    pub per_second: u32,
    /// Connections that may wait in their handshake at once (default 1024: a crowd of idle
    /// connections then sits out its hello deadline instead of being replaced, and reopened, at
    /// once); when full, the one stalled longest makes room for the newest.
    pub max_handshakes: usize,
    /// Of those, how many may come from one address (an IPv4 address or an IPv6 /64; default 4).
    pub max_handshakes_per_address: usize,
    /// New connections one address may open at once (default 4) …
    pub connection_burst: u32,
    /// … and then each second (default 1). A connection the match takes in (the seat, a
    /// watcher's place) gives its address that allowance back, so people behind one address
    /// come in one after another. One over the rate is answered `429 Too Many Requests` with
    /// `Retry-After`, as many of them again at the same rate; any more are closed at once. Not
    /// for the seat holder's.
    pub connections_per_second: u32,
    /// Wrong seat codes checked a second in all, at most (default 30).
    pub wrong_codes_per_second: u32,
    /// Wrong seat codes checked a minute from one address, at most (default 5).
    pub wrong_codes_per_minute: u32,
    /// Watchers admitted at once, at most (default 1000). Each holds a socket and about 50 KiB
    /// of buffers at worst.
    pub max_watchers: usize,
    /// Lines of chat one connection may send at once (default 3) …
    pub chat_burst: u32,
    /// … and then each second (default 1).
    pub chat_per_second: u32,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            burst: 32,
            per_second: 16,
            max_handshakes: 1024,
            max_handshakes_per_address: 4,
            connection_burst: 4,
            connections_per_second: 1,
            wrong_codes_per_second: 30,
            wrong_codes_per_minute: 5,
            max_watchers: 1000,
            chat_burst: CHAT_BURST,
            chat_per_second: CHAT_PER_SECOND,
        }
    }
}

/// How to host.
pub struct HostConfig {
    /// The port to listen on (default [`DEFAULT_PORT`]); 0 picks a free one.
    pub port: u16,
    /// The host player's name.
    pub name: String,
    /// The host's mark (default X; X moves first in game 1).
    pub mark: Player,
    /// The game the match plays (default classic).
    pub game: Variant,
    /// When set, a joiner must send this code in `hello`. Show it on the host's screen.
    pub seat_code: Option<String>,
    /// Heartbeat, grace period and handshake deadline.
    pub timing: Timing,
    /// Limits for untrusted peers.
    pub limits: Limits,
    /// When set, the host's seat is played by this (the computer) instead of by intents sent
    /// through the handle.
    pub driver: Option<Box<dyn Driver>>,
    /// Whether the host agrees to an agreed series when the joiner asks for one in its `hello`
    /// (every next game starts as soon as one ends: `auto_rematch` in `docs/PROTOCOL.md`).
    pub auto_rematch: bool,
    /// Listing the game on this network and asking the router to open the port (default:
    /// neither).
    pub reach: Reach,
    /// Whether watchers are admitted besides the opponent (default: yes). A seat code, when
    /// set, is needed to watch too.
    pub watchers: bool,
    /// Whether watchers may chat too (default: only the players).
    pub watchers_chat: bool,
    /// Listening on the peer-to-peer path too, with this identity and these relays (default:
    /// TCP only). When its endpoint cannot start, the host runs on TCP alone and logs why.
    pub p2p: Option<P2pHost>,
}

/// The host's side of the peer-to-peer path.
#[derive(Clone, Debug)]
pub struct P2pHost {
    /// The key its invite links carry: kept, so that a host started again is the same host.
    pub identity: Identity,
    /// The relays it can be reached through.
    pub relays: Relays,
}

impl Default for HostConfig {
    fn default() -> Self {
        Self {
            port: DEFAULT_PORT,
            name: String::from("Host"),
            mark: Player::X,
            game: Variant::Classic,
            seat_code: None,
            timing: Timing::default(),
            limits: Limits::default(),
            driver: None,
            auto_rematch: false,
            reach: Reach::default(),
            watchers: true,
            watchers_chat: false,
            p2p: None,
        }
    }
}

impl std::fmt::Debug for HostConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("HostConfig")
            .field("port", &self.port)
            .field("name", &self.name)
            .field("mark", &self.mark)
            .field("seat_code", &self.seat_code.as_ref().map(|_| "…"))
            .field("timing", &self.timing)
            .field("limits", &self.limits)
            .field("driver", &self.driver.is_some())
            .field("auto_rematch", &self.auto_rematch)
            .field("reach", &self.reach)
            .field("watchers", &self.watchers)
            .field("watchers_chat", &self.watchers_chat)
            .field("p2p", &self.p2p)
            .finish()
    }
}

/// The front end's handle on a running host. Dropping it ends the match (the joiner is told the
/// host left) and stops the server.
#[derive(Debug)]
pub struct HostHandle {
    link: NetLink,
    local_addrs: Vec<SocketAddr>,
    seat_code: Option<String>,
    watch_stats: Arc<fan_out::Counters>,
    p2p: Option<P2pListening>,
}

/// The host's endpoint on the peer-to-peer path, to read where it can be reached.
#[derive(Debug)]
struct P2pListening {
    endpoint: iroh::Endpoint,
    relays: Relays,
}

/// The channels: `try_send`, `try_recv`, `recv` and the blocking forms.
impl std::ops::Deref for HostHandle {
    type Target = NetLink;

    fn deref(&self) -> &NetLink {
        &self.link
    }
}

impl std::ops::DerefMut for HostHandle {
    fn deref_mut(&mut self) -> &mut NetLink {
        &mut self.link
    }
}

impl HostHandle {
    /// The addresses the server listens on (the unspecified addresses, with the real port).
    #[must_use]
    pub fn local_addrs(&self) -> &[SocketAddr] {
        &self.local_addrs
    }

    /// The port the server listens on.
    #[must_use]
    pub fn port(&self) -> u16 {
        self.local_addrs.first().map_or(0, SocketAddr::port)
    }

    /// The seat code a joiner must send, if one is required.
    #[must_use]
    pub fn seat_code(&self) -> Option<&str> {
        self.seat_code.as_deref()
    }

    /// Where the host can be reached on the peer-to-peer path now (its key, its relay once
    /// connected, its direct addresses), if it listens there.
    #[must_use]
    pub fn p2p_addr(&self) -> Option<P2pAddr> {
        self.p2p
            .as_ref()
            .map(|p2p| p2p::addr_of(&p2p.endpoint, &p2p.relays))
    }

    /// The UDP sockets the peer-to-peer endpoint is bound to (unspecified addresses, real
    /// ports): tests on loopback dial these.
    #[must_use]
    pub fn p2p_local_addrs(&self) -> Vec<SocketAddr> {
        self.p2p
            .as_ref()
            .map(|p2p| p2p.endpoint.bound_sockets())
            .unwrap_or_default()
    }

    /// Waits at most `limit` for the peer-to-peer endpoint to reach its relay (so that an invite
    /// link made next carries it); says whether it did.
    pub fn wait_for_relay(&self, limit: std::time::Duration) -> bool {
        let Some(p2p) = self.p2p.as_ref().filter(|p2p| p2p.relays != Relays::Off) else {
            return false;
        };
        let Ok(runtime) = runtime::handle() else {
            return false;
        };
        let endpoint = p2p.endpoint.clone();
        std::thread::scope(|scope| {
            scope
                .spawn(|| {
                    runtime.block_on(async {
                        tokio::time::timeout(limit, endpoint.online()).await.is_ok()
                    })
                })
                .join()
                .unwrap_or(false)
        })
    }

    /// How the watchers fare: how many watch, and how many fell behind.
    #[must_use]
    pub fn watch_stats(&self) -> WatchStats {
        self.watch_stats.read()
    }
}

/// Binds `config.port` on every IPv4 and IPv6 address and starts hosting.
pub fn start(config: HostConfig, wake: Wake) -> Result<HostHandle, NetError> {
    let listeners = bind_dual_stack(config.port)?;
    start_on(listeners, config, wake)
}

/// Starts hosting on TCP listeners that are already bound (tests bind `127.0.0.1:0`).
pub fn start_on(
    listeners: Vec<std::net::TcpListener>,
    mut config: HostConfig,
    wake: Wake,
) -> Result<HostHandle, NetError> {
    let start_error = |e: std::io::Error| NetError::Start {
        detail: e.to_string(),
    };
    let mut local_addrs = Vec::new();
    let mut acceptors: Vec<Box<dyn Acceptor>> = Vec::new();
    // The sockets join the network's runtime.
    let _entered = runtime::handle()?.enter();
    for listener in listeners {
        local_addrs.push(listener.local_addr().map_err(start_error)?);
        acceptors.push(Box::new(TcpAcceptor::new(listener).map_err(start_error)?));
    }
    let mut p2p = None;
    if let Some(P2pHost { identity, relays }) = config.p2p.take() {
        let runtime = runtime::handle()?;
        // Bound on a thread of its own: this may be called from anywhere, a runtime included.
        let bound = std::thread::scope(|scope| {
            scope
                .spawn(|| {
                    runtime.block_on(p2p::bind(
                        Some(&identity),
                        &relays,
                        &[],
                        vec![p2p::ALPN.to_vec()],
                    ))
                })
                .join()
                .unwrap_or_else(|_| {
                    Err(NetError::Start {
                        detail: "peer-to-peer: the endpoint could not start".to_owned(),
                    })
                })
        });
        match bound {
            Ok(endpoint) => {
                acceptors.push(Box::new(P2pAcceptor::new(
                    endpoint.clone(),
                    &relays,
                    config.timing.hello_timeout,
                )));
                p2p = Some(P2pListening { endpoint, relays });
            }
            // TCP alone still hosts: a friend joins by address, or by a link without a key.
            Err(error) => tracing::warn!(%error, "hosting without the peer-to-peer path"),
        }
    }
    let mut handle = serve(acceptors, local_addrs, config, wake)?;
    handle.p2p = p2p;
    Ok(handle)
}

/// Starts hosting on connections from `acceptors`, whatever their transport. `local_addrs` are
/// the TCP addresses among them, if any (the first one's port is the one listed and mapped).
pub(crate) fn serve(
    acceptors: Vec<Box<dyn Acceptor>>,
    local_addrs: Vec<SocketAddr>,
    mut config: HostConfig,
    wake: Wake,
) -> Result<HostHandle, NetError> {
    let (command_tx, command_rx) = mpsc::channel(CHANNEL_CAPACITY);
    let (event_tx, event_rx) = mpsc::channel(CHANNEL_CAPACITY);
    let shutdown = CancellationToken::new();
    let seat_code = config.seat_code.take().filter(|code| !code.is_empty());
    let (late_code_tx, late_code_rx) = tokio::sync::watch::channel(None);
    let settings = HostSettings {
        name: name_or(&config.name, "Host"),
        mark: config.mark,
        game: config.game,
        seat_code: seat_code.clone(),
        seat_code_later: late_code_rx,
        timing: config.timing.clone(),
        limits: config.limits.clone(),
        auto_rematch: config.auto_rematch,
        watchers: config.watchers,
        watchers_chat: config.watchers_chat,
    };
    let watch_stats = Arc::new(fan_out::Counters::default());
    let port = local_addrs.first().map_or(0, SocketAddr::port);
    let reach = (config.reach.listed.is_some() || config.reach.router).then(|| {
        let advert = Advert {
            watch: settings.watchers,
            game: settings.game,
            ..Advert::new(&settings.name, port, seat_code.is_some())
        };
        (config.reach.clone(), advert)
    });
    let (outbox, reach) = match reach {
        None => (Outbox::new(event_tx, wake), None),
        Some((reach, advert)) => {
            // The reach task follows the seat through the host's own events.
            let (phase_tx, phase) = tokio::sync::watch::channel(Phase::Waiting);
            let tap = Box::new(move |event: &NetEvent| {
                if let Some(now) = Phase::of(event) {
                    phase_tx.send_if_modified(|was| std::mem::replace(was, now) != now);
                }
            });
            let task = reach::ReachTask {
                reach,
                advert,
                phase,
                seat_code: late_code_tx,
                outbox: Outbox::new(event_tx.clone(), wake.clone()),
            };
            (Outbox::tapped(event_tx, wake, tap), Some(task))
        }
    };
    let parts = Parts {
        settings,
        driver: config.driver.take(),
        counters: Arc::clone(&watch_stats),
        outbox,
        reach,
    };
    let task = HandleTask::spawn(
        runtime::handle()?,
        "host",
        run(acceptors, parts, command_rx, shutdown.clone()),
    );
    Ok(HostHandle {
        link: NetLink::new(command_tx, event_rx, shutdown, Some(task)),
        local_addrs,
        seat_code,
        watch_stats,
        p2p: None,
    })
}

/// What the host's tasks need from the configuration.
#[derive(Clone, Debug)]
struct HostSettings {
    name: String,
    mark: Player,
    game: Variant,
    seat_code: Option<String>,
    /// A seat code required from the moment it is sent (made when the router opens the port).
    seat_code_later: tokio::sync::watch::Receiver<Option<String>>,
    timing: Timing,
    limits: Limits,
    /// The host agrees to an agreed series when the joiner asks for one.
    auto_rematch: bool,
    /// Watchers are admitted.
    watchers: bool,
    /// Watchers may chat.
    watchers_chat: bool,
}

impl HostSettings {
    /// The rules told in `welcome`.
    fn rules(&self, auto_rematch: bool) -> Rules {
        let millis = |duration: Duration| u64::try_from(duration.as_millis()).unwrap_or(u64::MAX);
        Rules {
            first: Player::X,
            ping_ms: millis(self.timing.ping_every),
            dead_after_ms: millis(self.timing.dead_after),
            grace_ms: millis(self.timing.grace),
            auto_rematch,
            game: self.game,
        }
    }

    /// Whether a `hello` of `protocol` can play or watch this match: this build's version, or,
    /// for classic, any since [`CLASSIC_PROTOCOL`] (classic is the same on both).
    fn admits(&self, protocol: u32) -> bool {
        protocol == PROTOCOL_VERSION
            || (self.game.is_classic() && (CLASSIC_PROTOCOL..PROTOCOL_VERSION).contains(&protocol))
    }

    /// How long a closing connection gets for its last messages.
    fn closing_limit(&self) -> Duration {
        self.timing.write_timeout.min(Duration::from_secs(1))
    }
}

/// What the host's task tree is made of.
struct Parts {
    settings: HostSettings,
    driver: Option<Box<dyn Driver>>,
    counters: Arc<fan_out::Counters>,
    outbox: Outbox,
    reach: Option<reach::ReachTask>,
}

/// Runs the server until `shutdown`: accepts connections from every acceptor and settles the
/// match.
async fn run(
    acceptors: Vec<Box<dyn Acceptor>>,
    parts: Parts,
    commands: mpsc::Receiver<Command>,
    shutdown: CancellationToken,
) {
    let Parts {
        settings,
        driver,
        counters,
        outbox,
        reach,
    } = parts;
    let tracker = TaskTracker::new();
    if let Some(reach) = reach {
        tracker.spawn(reach::run(reach, shutdown.clone()));
    }
    let (arrival_tx, arrival_rx) = mpsc::channel(8);
    let slots = Arc::new(Mutex::new(Slots::new(&settings.limits)));
    let closers: Vec<_> = acceptors.iter().filter_map(|a| a.closer()).collect();
    for acceptor in acceptors {
        tracker.spawn(accept_loop(
            acceptor,
            settings.clone(),
            arrival_tx.clone(),
            Arc::clone(&slots),
            tracker.clone(),
            shutdown.clone(),
        ));
    }
    drop(arrival_tx);
    let mut task = MatchTask::new(settings, driver, outbox, tracker.clone(), slots, counters);
    task.run(commands, arrival_rx, &shutdown).await;
    shutdown.cancel();
    tracker.close();
    tracker.wait().await;
    for closer in closers {
        closer.await;
    }
}

#[cfg(test)]
mod tests {
    use futures_util::{SinkExt as _, StreamExt as _};
    use tokio_tungstenite::tungstenite::Message;

    use super::*;
    use crate::net::transport::{Accepting, BoxedStream, Peer};
    use crate::net::{Stage, no_wake};

    /// Connections handed over a channel: a transport that is not TCP.
    struct Piped(mpsc::Receiver<(BoxedStream, Peer)>);

    impl Acceptor for Piped {
        fn accept(&mut self) -> Accepting<'_> {
            Box::pin(async {
                match self.0.recv().await {
                    Some(accepted) => Ok(accepted),
                    None => std::future::pending().await,
                }
            })
        }
    }

    /// Says `hello` as `name` over an in-memory pipe from the holder of `key`, and returns the
    /// host's answer.
    async fn hello(
        pipe: &mpsc::Sender<(BoxedStream, Peer)>,
        key: u8,
        name: &str,
    ) -> serde_json::Value {
        let (ours, theirs) = tokio::io::duplex(64 * 1024);
        pipe.send((Box::new(theirs), Peer::PublicKey([key; 32])))
            .await
            .unwrap();
        let (mut ws, _) = tokio_tungstenite::client_async("ws://peer/", ours)
            .await
            .unwrap();
        let hello = format!(r#"{{"type":"hello","protocol":1,"app":"test","name":"{name}"}}"#);
        ws.send(Message::text(hello)).await.unwrap();
        loop {
            let Some(Ok(Message::Text(text))) = ws.next().await else {
                panic!("no answer");
            };
            let answer: serde_json::Value = serde_json::from_str(&text).unwrap();
            if answer["type"] != "ping" {
                return answer;
            }
        }
    }

    #[tokio::test]
    async fn the_match_runs_over_any_stream_from_a_peer_known_by_its_key() {
        let (pipe, piped) = mpsc::channel(4);
        let config = HostConfig {
            name: String::from("Ann"),
            ..HostConfig::default()
        };
        let mut host = serve(vec![Box::new(Piped(piped))], Vec::new(), config, no_wake()).unwrap();
        let welcome = hello(&pipe, 1, "Bob").await;
        assert_eq!(welcome["type"], "welcome", "{welcome}");
        assert_eq!(welcome["you"], "o");
        assert_eq!(welcome["snapshot"]["state"]["o"], "Bob");
        let full = hello(&pipe, 2, "Eve").await;
        assert_eq!(full["reason"], "match_full", "{full}");
        let playing = tokio::time::timeout(std::time::Duration::from_secs(10), async {
            while let Some(event) = host.recv().await {
                if event == NetEvent::Stage(Stage::Playing) {
                    return true;
                }
            }
            false
        });
        assert!(playing.await.unwrap());
        assert_eq!(host.port(), 0, "no TCP port");
    }
}
