//! The host: an embedded WebSocket server with exactly one opponent seat, and the match it settles.
//!
//! [`start`] binds the port (IPv4 and IPv6) and runs everything on a named background thread with
//! its own tokio runtime; the returned [`HostHandle`] carries the bounded channels to the front
//! end and shuts everything down when dropped. The rules are the match's own: the host admits,
//! times and carries, and decides nothing about the game.
//!
//! Layout:
//! - this file: the configuration, the handle, binding the port, and the task tree.
//! - [`admission`]: every connection until it has said a valid `hello`; refusals.
//! - [`seat`]: the one task that owns the [`crate::game::Match`], the seat's connection and the
//!   timers (heartbeat, the absent joiner's countdown).
//! - [`watchers`]: the watchers' tasks, fed from the seat's task through one bounded broadcast
//!   of frames serialised once.

mod admission;
mod seat;
pub(super) mod seat_code;
mod watchers;

pub use seat_code::{new_seat_code, normalize as normalize_seat_code};
pub use watchers::{WATCH_QUEUE, WatchStats};

use std::net::{Ipv4Addr, Ipv6Addr, SocketAddr};
use std::sync::{Arc, Mutex};

use tokio::net::TcpListener;
use tokio::sync::mpsc;
use tokio_util::sync::CancellationToken;
use tokio_util::task::TaskTracker;

use crate::game::{Driver, Player, name_or};

use super::api::{
    CHANNEL_CAPACITY, Command, NetError, NetLink, Outbox, Timing, Wake, spawn_runtime_thread,
};
use super::discovery::Advert;
use super::reach::{self, Phase, Reach};
use super::wire::DEFAULT_PORT;
use admission::accept_loop;
use seat::Host;

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
    /// … and then each second (default 1); more are closed at once. Not for the seat holder's.
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
            chat_burst: super::wire::CHAT_BURST,
            chat_per_second: super::wire::CHAT_PER_SECOND,
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
    /// (every next game starts as soon as one ends; see `docs/PROTOCOL.md`).
    pub series: bool,
    /// Listing the game on this network and asking the router to open the port (default:
    /// neither).
    pub reach: Reach,
    /// Whether watchers are admitted besides the opponent (default: yes). A seat code, when
    /// set, is needed to watch too.
    pub watchers: bool,
    /// Whether watchers may chat too (default: only the players).
    pub watchers_chat: bool,
}

impl Default for HostConfig {
    fn default() -> Self {
        Self {
            port: DEFAULT_PORT,
            name: String::from("Host"),
            mark: Player::X,
            seat_code: None,
            timing: Timing::default(),
            limits: Limits::default(),
            driver: None,
            series: false,
            reach: Reach::default(),
            watchers: true,
            watchers_chat: false,
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
            .field("series", &self.series)
            .field("reach", &self.reach)
            .field("watchers", &self.watchers)
            .field("watchers_chat", &self.watchers_chat)
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
    watch_stats: Arc<watchers::Counters>,
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

/// Starts hosting on listeners that are already bound (tests bind `127.0.0.1:0`).
pub fn start_on(
    listeners: Vec<std::net::TcpListener>,
    mut config: HostConfig,
    wake: Wake,
) -> Result<HostHandle, NetError> {
    let start_error = |e: std::io::Error| NetError::Start {
        detail: e.to_string(),
    };
    let mut local_addrs = Vec::new();
    for listener in &listeners {
        listener.set_nonblocking(true).map_err(start_error)?;
        local_addrs.push(listener.local_addr().map_err(start_error)?);
    }
    let (command_tx, command_rx) = mpsc::channel(CHANNEL_CAPACITY);
    let (event_tx, event_rx) = mpsc::channel(CHANNEL_CAPACITY);
    let shutdown = CancellationToken::new();
    let seat_code = config.seat_code.take().filter(|code| !code.is_empty());
    let (late_code_tx, late_code_rx) = tokio::sync::watch::channel(None);
    let settings = Settings {
        name: name_or(&config.name, "Host"),
        mark: config.mark,
        seat_code: seat_code.clone(),
        seat_code_later: late_code_rx,
        timing: config.timing.clone(),
        limits: config.limits.clone(),
        series: config.series,
        watchers: config.watchers,
        watchers_chat: config.watchers_chat,
    };
    let watch_stats = Arc::new(watchers::Counters::default());
    let counters = Arc::clone(&watch_stats);
    let port = local_addrs.first().map_or(0, SocketAddr::port);
    let reach = (config.reach.listed.is_some() || config.reach.router).then(|| {
        (
            config.reach.clone(),
            Advert {
                watch: settings.watchers,
                ..Advert::new(&settings.name, port, seat_code.is_some())
            },
        )
    });
    let driver = config.driver.take();
    let token = shutdown.clone();
    let thread = spawn_runtime_thread("tictactoe-host", move || async move {
        let mut bound = Vec::new();
        for listener in listeners {
            match TcpListener::from_std(listener) {
                Ok(listener) => bound.push(listener),
                Err(error) => tracing::error!(%error, "could not use a listener"),
            }
        }
        let Some((reach, advert)) = reach else {
            let outbox = Outbox::new(event_tx, wake);
            let run_with = Run {
                settings,
                driver,
                counters,
            };
            run(bound, run_with, command_rx, outbox, token, None).await;
            return;
        };
        // The reach task follows the seat through the host's own events.
        let (phase_tx, phase) = tokio::sync::watch::channel(Phase::Waiting);
        let tap = Box::new(move |event: &super::NetEvent| {
            if let Some(now) = Phase::of(event) {
                phase_tx.send_if_modified(|was| std::mem::replace(was, now) != now);
            }
        });
        let host = reach::Host {
            reach,
            advert,
            phase,
            seat_code: late_code_tx,
            outbox: Outbox::new(event_tx.clone(), wake.clone()),
        };
        let outbox = Outbox::tapped(event_tx, wake, tap);
        let run_with = Run {
            settings,
            driver,
            counters,
        };
        run(bound, run_with, command_rx, outbox, token, Some(host)).await;
    })?;
    Ok(HostHandle {
        link: NetLink::new(command_tx, event_rx, shutdown, Some(thread)),
        local_addrs,
        seat_code,
        watch_stats,
    })
}

/// Binds IPv4 `0.0.0.0:port` and IPv6 `[::]:port` (IPv6 only, so the two do not clash). With
/// port 0, IPv6 takes the port IPv4 got. Either family alone is enough.
fn bind_dual_stack(port: u16) -> Result<Vec<std::net::TcpListener>, NetError> {
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

fn bind_one(addr: SocketAddr) -> std::io::Result<std::net::TcpListener> {
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

/// What the server task needs from the configuration.
#[derive(Clone, Debug)]
struct Settings {
    name: String,
    mark: Player,
    seat_code: Option<String>,
    /// A seat code required from the moment it is sent (made when the router opens the port).
    seat_code_later: tokio::sync::watch::Receiver<Option<String>>,
    timing: Timing,
    limits: Limits,
    series: bool,
    /// Watchers are admitted.
    watchers: bool,
    /// Watchers may chat.
    watchers_chat: bool,
}

/// What the match's task is made of.
struct Run {
    settings: Settings,
    driver: Option<Box<dyn Driver>>,
    counters: Arc<watchers::Counters>,
}

/// Runs the server until `shutdown`: accepts connections on every listener and settles the match.
async fn run(
    listeners: Vec<TcpListener>,
    Run {
        settings,
        driver,
        counters,
    }: Run,
    commands: mpsc::Receiver<Command>,
    outbox: Outbox,
    shutdown: CancellationToken,
    reach: Option<reach::Host>,
) {
    let tracker = TaskTracker::new();
    if let Some(reach) = reach {
        tracker.spawn(reach::run(reach, shutdown.clone()));
    }
    let (arrival_tx, arrival_rx) = mpsc::channel(8);
    let slots = Arc::new(Mutex::new(admission::Slots::default()));
    for listener in listeners {
        tracker.spawn(accept_loop(
            listener,
            settings.clone(),
            arrival_tx.clone(),
            Arc::clone(&slots),
            tracker.clone(),
            shutdown.clone(),
        ));
    }
    drop(arrival_tx);
    let mut host = Host::new(settings, driver, outbox, tracker.clone(), slots, counters);
    host.run(commands, arrival_rx, &shutdown).await;
    shutdown.cancel();
    tracker.close();
    tracker.wait().await;
}
