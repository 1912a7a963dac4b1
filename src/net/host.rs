//! The host: an embedded WebSocket server with exactly one opponent seat, and the match it settles.
//!
//! [`start`] binds the port (IPv4 and IPv6) and runs everything on a named background thread with
//! its own tokio runtime; the returned [`HostHandle`] carries the bounded channels to the front
//! end and shuts everything down when dropped. One task owns the [`Match`] and the seat's
//! connection; every other connection is a short-lived handshake task that can never touch them
//! before sending a valid `hello`, and then only through the owner's checks. The rules are the
//! match's own: this module admits, times and carries, and decides nothing about the game.

use std::collections::VecDeque;
use std::future::pending;
use std::net::{Ipv4Addr, Ipv6Addr, SocketAddr};
use std::sync::Arc;
use std::time::{Duration, Instant};

use rand::{Rng as _, SeedableRng as _};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{Semaphore, mpsc};
use tokio::time::{timeout, timeout_at};
use tokio_util::sync::CancellationToken;
use tokio_util::task::TaskTracker;

use crate::game::{Digest, Driver, Event, Intent, Match, Player, Role, name_or};

use super::api::{
    CHANNEL_CAPACITY, NetError, NetEvent, NetLink, Outbox, Presence, Stage, Timing, View, Wake,
    spawn_runtime_thread,
};
use super::connection::{HostConnection, ReadError, ws_config};
use super::wire::{
    APP_VERSION, ClientMsg, DEFAULT_PORT, PROTOCOL_VERSION, Refusal, Reject, RejectReason, Resume,
    Rules, ServerMsg, close_code,
};

/// Limits for untrusted peers.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Limits {
    /// Messages a connection may send in a burst before the rate limit applies (default 32).
    pub burst: u32,
    /// Messages per second a connection may send on average (default 16). Accepted commands do
    /// not count: the game's pace already limits them.
    pub per_second: u32,
    /// Connections that may be in the middle of a handshake at once (default 16).
    pub max_handshakes: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            burst: 32,
            per_second: 16,
            max_handshakes: 16,
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
            .finish()
    }
}

/// A fresh six-digit seat code.
#[must_use]
pub fn new_seat_code() -> String {
    let mut rng = rand::rngs::StdRng::from_os_rng();
    format!("{:06}", rng.random_range(0..1_000_000_u32))
}

/// The front end's handle on a running host. Dropping it ends the match (the joiner is told the
/// host left) and stops the server.
#[derive(Debug)]
pub struct HostHandle {
    link: NetLink,
    local_addrs: Vec<SocketAddr>,
    seat_code: Option<String>,
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
    let settings = Settings {
        name: name_or(&config.name, "Host"),
        mark: config.mark,
        seat_code: seat_code.clone(),
        timing: config.timing.clone(),
        limits: config.limits.clone(),
        series: config.series,
    };
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
        let outbox = Outbox::new(event_tx, wake);
        run(bound, settings, driver, command_rx, outbox, token).await;
    })?;
    Ok(HostHandle {
        link: NetLink::new(command_tx, event_rx, shutdown, Some(thread)),
        local_addrs,
        seat_code,
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
    socket.listen(128)?;
    Ok(socket.into())
}

/// What the server task needs from the configuration.
#[derive(Clone, Debug)]
struct Settings {
    name: String,
    mark: Player,
    seat_code: Option<String>,
    timing: Timing,
    limits: Limits,
    series: bool,
}

/// A connection that sent a `hello` whose version and seat code are right.
struct Arrival {
    conn: HostConnection,
    name: String,
    resume: Option<Resume>,
    peer: SocketAddr,
    /// The joiner asked for every next game in advance.
    auto_rematch: bool,
}

/// Runs the server until `shutdown`: accepts connections on every listener and settles the match.
async fn run(
    listeners: Vec<TcpListener>,
    settings: Settings,
    driver: Option<Box<dyn Driver>>,
    commands: mpsc::Receiver<Intent>,
    outbox: Outbox,
    shutdown: CancellationToken,
) {
    let tracker = TaskTracker::new();
    let (arrival_tx, arrival_rx) = mpsc::channel(8);
    let handshakes = Arc::new(Semaphore::new(settings.limits.max_handshakes));
    for listener in listeners {
        tracker.spawn(accept_loop(
            listener,
            settings.clone(),
            arrival_tx.clone(),
            Arc::clone(&handshakes),
            tracker.clone(),
            shutdown.clone(),
        ));
    }
    drop(arrival_tx);
    let mut host = Host::new(settings, driver, outbox, tracker.clone());
    host.run(commands, arrival_rx, &shutdown).await;
    shutdown.cancel();
    tracker.close();
    tracker.wait().await;
}

async fn accept_loop(
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
async fn refuse(mut conn: HostConnection, reason: RejectReason, timing: &Timing) {
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

/// A token bucket: `burst` messages at once, refilled at `per_second`.
#[derive(Debug)]
struct RateLimit {
    tokens: f64,
    burst: f64,
    per_second: f64,
    last: Instant,
}

impl RateLimit {
    fn new(limits: &Limits) -> Self {
        Self {
            tokens: f64::from(limits.burst),
            burst: f64::from(limits.burst),
            per_second: f64::from(limits.per_second),
            last: Instant::now(),
        }
    }

    /// Takes one token; `false` when there is none left.
    fn take(&mut self) -> bool {
        let now = Instant::now();
        let refill = now.duration_since(self.last).as_secs_f64() * self.per_second;
        self.tokens = (self.tokens + refill).min(self.burst);
        self.last = now;
        if self.tokens >= 1.0 {
            self.tokens -= 1.0;
            true
        } else {
            false
        }
    }

    /// Gives back the token of a message that turned out to be useful.
    fn refund(&mut self) {
        self.tokens = (self.tokens + 1.0).min(self.burst);
    }
}

/// The joiner's seat while it is connected.
struct Seat {
    conn: HostConnection,
    peer: SocketAddr,
    last_heard: Instant,
    last_ping: Instant,
    rate: RateLimit,
}

/// The countdown while the seat is held for an absent joiner.
#[derive(Clone, Copy, Debug)]
struct Away {
    claim_at: Instant,
    next_tick: Option<Instant>,
}

/// How many command results are remembered, so a resent command is answered, not replayed.
const RECENT_COMMANDS: usize = 64;

/// The owner of the match and the seat.
struct Host {
    settings: Settings,
    driver: Option<Box<dyn Driver>>,
    state: Match,
    /// Every event so far with its digest: event `v` is at index `v - 1`. A match log is tiny.
    log: Vec<(Event, Digest)>,
    seat: Option<Seat>,
    /// The seat's resume token, once someone has joined.
    token: Option<String>,
    away: Option<Away>,
    recent: VecDeque<(u64, Result<u64, Refusal>)>,
    outbox: Outbox,
    rtt: Option<Duration>,
    epoch: Instant,
    tracker: TaskTracker,
    /// Messages for the seat, written and flushed together.
    queue: Vec<ServerMsg>,
    /// The front end has been told the match ended.
    ended: bool,
}

enum Wakeup {
    Shutdown,
    Command(Option<Intent>),
    Arrival(Option<Box<Arrival>>),
    Read(Box<Result<Option<ClientMsg>, ReadError>>),
    Timer,
    Drained,
}

impl Host {
    fn new(
        settings: Settings,
        driver: Option<Box<dyn Driver>>,
        outbox: Outbox,
        tracker: TaskTracker,
    ) -> Self {
        let mut state = Match::networked("", "");
        state.set_name(settings.mark, settings.name.clone());
        state.set_name(settings.mark.other(), String::from("Waiting…"));
        Self {
            settings,
            driver,
            state,
            log: Vec::new(),
            seat: None,
            token: None,
            away: None,
            recent: VecDeque::new(),
            outbox,
            rtt: None,
            epoch: Instant::now(),
            tracker,
            queue: Vec::new(),
            ended: false,
        }
    }

    const fn me(&self) -> Player {
        self.settings.mark
    }

    fn opponent(&self) -> Player {
        self.settings.mark.other()
    }

    async fn run(
        &mut self,
        mut commands: mpsc::Receiver<Intent>,
        mut arrivals: mpsc::Receiver<Arrival>,
        shutdown: &CancellationToken,
    ) {
        self.outbox.push(NetEvent::Stage(Stage::Waiting));
        self.publish();
        // One timer for the whole match, moved only when the next deadline moves: most messages
        // leave it where it is, so they cost no timer registration.
        let timer = tokio::time::sleep(Duration::ZERO);
        tokio::pin!(timer);
        let mut armed: Option<Instant> = None;
        loop {
            let deadline = self.next_deadline();
            if let Some(at) = deadline
                && armed != Some(at)
            {
                timer.as_mut().reset(at.into());
                armed = Some(at);
            }
            let wakeup = {
                let seat = &mut self.seat;
                let outbox = &mut self.outbox;
                let has_backlog = outbox.has_backlog();
                let read = async {
                    match seat.as_mut() {
                        Some(seat) => seat.conn.read_msg().await,
                        None => pending().await,
                    }
                };
                tokio::select! {
                    () = shutdown.cancelled() => Wakeup::Shutdown,
                    command = commands.recv() => Wakeup::Command(command),
                    arrival = arrivals.recv() => Wakeup::Arrival(arrival.map(Box::new)),
                    read = read => Wakeup::Read(Box::new(read)),
                    () = &mut timer, if deadline.is_some() => Wakeup::Timer,
                    () = outbox.drain_one(), if has_backlog => Wakeup::Drained,
                }
            };
            if matches!(wakeup, Wakeup::Timer) {
                // Fired: the next deadline re-arms it, even if it is the same instant.
                armed = None;
            }
            match wakeup {
                // The handle is gone: the app is closing, which ends the match like a leave.
                Wakeup::Shutdown | Wakeup::Arrival(None) | Wakeup::Command(None) => break,
                Wakeup::Command(Some(intent)) => self.host_intent(intent).await,
                Wakeup::Arrival(Some(arrival)) => self.arrive(*arrival).await,
                Wakeup::Read(read) => self.on_read(*read).await,
                Wakeup::Timer => self.on_timer().await,
                Wakeup::Drained => {}
            }
            self.flush().await;
        }
        self.leave_on_shutdown().await;
    }

    /// The app is closing: tell the joiner the host left, then close.
    async fn leave_on_shutdown(&mut self) {
        if self.state.over().is_none() {
            self.apply_all(vec![Event::Left { player: self.me() }]);
        }
        self.flush().await;
        if let Some(mut seat) = self.seat.take() {
            let limit = self
                .settings
                .timing
                .write_timeout
                .min(Duration::from_secs(1));
            if timeout(
                limit,
                seat.conn.close(close_code::GOING_AWAY, "host closed"),
            )
            .await
            .is_err()
            {
                tracing::debug!("the joiner did not take the close frame");
            }
        }
        if !self.ended {
            self.outbox.push(NetEvent::Stage(Stage::Ended));
        }
        self.outbox.finish(Duration::from_millis(200)).await;
    }

    fn next_deadline(&self) -> Option<Instant> {
        let timing = &self.settings.timing;
        let seat = self.seat.as_ref().map(|seat| {
            (seat.last_ping + timing.ping_every).min(seat.last_heard + timing.dead_after)
        });
        let away = self.away.and_then(|away| away.next_tick);
        match (seat, away) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        }
    }

    async fn on_timer(&mut self) {
        let now = Instant::now();
        let timing = self.settings.timing.clone();
        if let Some(seat) = self.seat.as_mut() {
            if now >= seat.last_heard + timing.dead_after {
                tracing::info!(peer = %seat.peer, "the joiner went silent");
                self.drop_seat(None).await;
            } else if now >= seat.last_ping + timing.ping_every {
                seat.last_ping = now;
                let t = self.micros();
                self.queue.push(ServerMsg::Ping { t });
            }
        }
        if let Some(away) = self.away.as_mut()
            && away.next_tick.is_some_and(|tick| now >= tick)
        {
            away.next_tick = if now >= away.claim_at {
                None
            } else {
                Some((now + Duration::from_secs(1)).min(away.claim_at))
            };
            self.publish();
        }
    }

    fn micros(&self) -> u64 {
        u64::try_from(self.epoch.elapsed().as_micros()).unwrap_or(u64::MAX)
    }

    /// Decides what to do with a connection that said a valid `hello`.
    async fn arrive(&mut self, arrival: Arrival) {
        let Arrival {
            mut conn,
            name,
            resume,
            peer,
            auto_rematch,
        } = arrival;
        let decision = if self.state.over().is_some() {
            Err(RejectReason::MatchOver)
        } else {
            match (&self.token, resume) {
                (None, None) => Ok(None),
                (Some(_), None) => Err(RejectReason::MatchFull),
                (Some(token), Some(resume)) if *token == resume.token => Ok(Some(resume.v)),
                (None | Some(_), Some(_)) => Err(RejectReason::BadToken),
            }
        };
        let resume_v = match decision {
            Ok(resume_v) => resume_v,
            Err(reason) => {
                tracing::info!(%peer, ?reason, "refused a connection");
                let timing = self.settings.timing.clone();
                self.tracker
                    .spawn(async move { refuse(conn, reason, &timing).await });
                return;
            }
        };
        if let Some(mut old) = self.seat.take() {
            // The same player came back on a new connection: the old one is stale.
            tracing::info!(peer = %old.peer, "a resumed connection replaces the old one");
            let limit = self.settings.timing.write_timeout;
            self.tracker.spawn(async move {
                if timeout(limit, old.conn.close(close_code::REPLACED, "replaced"))
                    .await
                    .is_err()
                {
                    tracing::debug!("the replaced connection did not take the close frame");
                }
            });
        }
        let fresh = self.token.is_none();
        if fresh {
            self.token = Some(new_token());
            self.state.set_name(self.opponent(), name);
        }
        let replay_from = resume_v.filter(|&v| v <= self.state.v());
        let series = self.settings.series && auto_rematch;
        let welcome = ServerMsg::Welcome {
            protocol: PROTOCOL_VERSION,
            app: APP_VERSION.to_owned(),
            you: self.opponent(),
            token: self.token.clone().unwrap_or_default(),
            rules: Rules {
                first: Player::X,
                ping_ms: millis(self.settings.timing.ping_every),
                dead_after_ms: millis(self.settings.timing.dead_after),
                grace_ms: millis(self.settings.timing.grace),
                auto_rematch: series,
            },
            snapshot: match replay_from {
                Some(_) => None,
                None => Some(self.state.snapshot()),
            },
        };
        let mut msgs = vec![welcome];
        if let Some(v) = replay_from {
            let start = usize::try_from(v).unwrap_or(usize::MAX);
            for (i, (event, digest)) in self.log.iter().enumerate().skip(start) {
                msgs.push(ServerMsg::Event {
                    v: i as u64 + 1,
                    digest: *digest,
                    event: *event,
                });
            }
        }
        let written = timeout(self.settings.timing.write_timeout, async {
            for msg in &msgs {
                conn.feed_msg(msg).await?;
            }
            conn.flush().await
        })
        .await;
        if !matches!(written, Ok(Ok(()))) {
            tracing::info!(%peer, "the joiner vanished during the welcome");
            if fresh {
                // It never got its token: the seat is free again.
                self.token = None;
                self.state
                    .set_name(self.opponent(), String::from("Waiting…"));
            } else {
                self.mark_away();
            }
            self.publish();
            return;
        }
        tracing::info!(%peer, resumed = !fresh, "the joiner took the seat");
        let now = Instant::now();
        self.seat = Some(Seat {
            conn,
            peer,
            last_heard: now,
            last_ping: now,
            rate: RateLimit::new(&self.settings.limits),
        });
        self.away = None;
        self.state.agree_series(series);
        if fresh {
            self.outbox.push(NetEvent::Stage(Stage::Playing));
        }
        self.drive();
        self.publish();
    }

    async fn on_read(&mut self, read: Result<Option<ClientMsg>, ReadError>) {
        let Some(seat) = self.seat.as_mut() else {
            return;
        };
        seat.last_heard = Instant::now();
        if !seat.rate.take() {
            tracing::warn!(peer = %seat.peer, "the joiner is flooding: disconnecting");
            self.refuse_msg(None, Refusal::RateLimited);
            self.drop_seat(Some(close_code::POLICY)).await;
            return;
        }
        match read {
            Ok(Some(msg)) => self.on_msg(msg).await,
            Ok(None) => {
                tracing::info!("the joiner's connection closed");
                self.drop_seat(None).await;
            }
            Err(ReadError::Parse(error)) => {
                tracing::debug!(%error, "a bad message from the joiner");
                self.refuse_msg(error.id(), error.refusal());
            }
            Err(ReadError::Binary { .. }) => self.refuse_msg(None, Refusal::Binary),
            Err(ReadError::TooLarge { size, .. }) => {
                tracing::warn!(size, "an oversized message from the joiner: disconnecting");
                self.refuse_msg(None, Refusal::TooLarge);
                self.drop_seat(Some(close_code::TOO_BIG)).await;
            }
            Err(error @ ReadError::Transport { .. }) => {
                tracing::info!(%error, "the joiner's connection failed");
                self.drop_seat(None).await;
            }
        }
    }

    async fn on_msg(&mut self, msg: ClientMsg) {
        match msg {
            ClientMsg::Play { id, cell } => self.command(id, Intent::Play(cell)),
            ClientMsg::Rematch { id } => self.command(id, Intent::Rematch),
            ClientMsg::Resign { id } => self.command(id, Intent::Resign),
            ClientMsg::Sync => self.queue.push(ServerMsg::Snapshot(self.state.snapshot())),
            ClientMsg::Ping { t } => self.queue.push(ServerMsg::Pong { t }),
            ClientMsg::Pong { t } => {
                let rtt = self.micros().saturating_sub(t);
                self.rtt = Some(Duration::from_micros(rtt));
                self.publish();
            }
            ClientMsg::Hello { .. } => self.refuse_msg(None, Refusal::Unexpected),
            ClientMsg::Leave => {
                tracing::info!("the joiner left");
                self.apply_all(vec![Event::Left {
                    player: self.opponent(),
                }]);
                self.drop_seat(Some(close_code::NORMAL)).await;
            }
        }
    }

    /// A command from the joiner: judged by the engine, answered `ack` or `rejected` + snapshot.
    fn command(&mut self, id: u64, intent: Intent) {
        if let Some(&(_, result)) = self.recent.iter().find(|(seen, _)| *seen == id) {
            match result {
                Ok(v) => self.queue.push(ServerMsg::Ack { id, v }),
                Err(reason) => self.refuse_msg(Some(id), reason),
            }
            return;
        }
        let result = match self
            .state
            .decide(self.opponent(), intent)
            .map_err(Refusal::from)
        {
            Ok(events) => {
                self.record(events);
                if let Some(seat) = self.seat.as_mut() {
                    seat.rate.refund();
                }
                self.queue.push(ServerMsg::Ack {
                    id,
                    v: self.state.v(),
                });
                Ok(self.state.v())
            }
            Err(reason) => {
                self.refuse_msg(Some(id), reason);
                Err(reason)
            }
        };
        if self.recent.len() == RECENT_COMMANDS {
            self.recent.pop_front();
        }
        self.recent.push_back((id, result));
        // The joiner's move, its ack and the computer's answer: one view for the front end.
        self.drive();
        self.after_events();
    }

    /// Queues `rejected` (and a snapshot after a refused command).
    fn refuse_msg(&mut self, id: Option<u64>, reason: Refusal) {
        self.queue.push(ServerMsg::Rejected {
            id,
            reason,
            message: reason.message().to_owned(),
        });
        if id.is_some() {
            self.queue.push(ServerMsg::Snapshot(self.state.snapshot()));
        }
    }

    /// Something the host player asked for.
    async fn host_intent(&mut self, intent: Intent) {
        if intent == Intent::ClaimWin && !self.claimable() {
            self.outbox.push(NetEvent::Refused {
                reason: Refusal::Unexpected,
                message: String::from(
                    "You can claim the win only after your opponent has been away for the whole countdown.",
                ),
            });
            return;
        }
        match self.state.decide(self.me(), intent) {
            Ok(events) => {
                self.apply_all(events);
                if intent == Intent::Leave {
                    self.flush().await;
                    self.drop_seat(Some(close_code::NORMAL)).await;
                } else if intent == Intent::ClaimWin {
                    self.away = None;
                    self.publish();
                }
                if self.drive() {
                    self.after_events();
                }
            }
            Err(refusal) => {
                let reason = Refusal::from(refusal);
                self.outbox.push(NetEvent::Refused {
                    reason,
                    message: reason.message().to_owned(),
                });
            }
        }
    }

    fn claimable(&self) -> bool {
        self.seat.is_none()
            && self
                .away
                .is_some_and(|away| Instant::now() >= away.claim_at)
    }

    /// Lets the driver of the host's seat (the computer) act for as long as it wants to: its
    /// move, its rematch request, its first move of the next game. In an agreed series the match
    /// itself starts the next game with the event that ends the last, so one write carries at
    /// most the winning move, two rematch requests, the next game's start and the first move.
    ///
    /// Records the events without showing them; returns whether there were any, for the caller
    /// to show them once with [`Self::after_events`].
    fn drive(&mut self) -> bool {
        let mut moved = false;
        for _ in 0..4 {
            let me = self.me();
            let Some(intent) = self
                .driver
                .as_mut()
                .and_then(|driver| driver.intent(&self.state, me))
            else {
                break;
            };
            match self.state.decide(me, intent) {
                Ok(events) if !events.is_empty() => {
                    self.record(events);
                    moved = true;
                }
                Ok(_) => break,
                Err(refusal) => {
                    tracing::warn!(?intent, %refusal, "the host's driver asked for something refused");
                    break;
                }
            }
        }
        moved
    }

    /// Applies events the host decided, logs them, queues them for the joiner and shows them.
    fn apply_all(&mut self, events: Vec<Event>) {
        self.record(events);
        self.after_events();
    }

    /// Applies events the host decided, logs them and queues them for the joiner; a game they
    /// end is reported to the front end at once.
    fn record(&mut self, events: Vec<Event>) {
        for event in events {
            match self.state.apply(event) {
                Ok(Some(over)) => self.outbox.push(NetEvent::GameOver(Box::new(over))),
                Ok(None) => {}
                Err(error) => {
                    tracing::error!(%error, "the host refused its own event");
                    continue;
                }
            }
            let digest = self.state.digest();
            self.log.push((event, digest));
            self.queue.push(ServerMsg::Event {
                v: self.state.v(),
                digest,
                event,
            });
        }
    }

    /// Shows the front end the state after recorded events, and whether the match ended.
    fn after_events(&mut self) {
        self.publish();
        if self.state.over().is_some() && !self.ended {
            self.ended = true;
            self.away = None;
            self.outbox.push(NetEvent::Stage(Stage::Ended));
        }
    }

    /// Writes everything queued for the seat in one flush; a failed write drops the seat.
    async fn flush(&mut self) {
        if self.queue.is_empty() {
            return;
        }
        let msgs = std::mem::take(&mut self.queue);
        let Some(seat) = self.seat.as_mut() else {
            return;
        };
        let written = timeout(self.settings.timing.write_timeout, async {
            for msg in &msgs {
                seat.conn.feed_msg(msg).await?;
            }
            seat.conn.flush().await
        })
        .await;
        if !matches!(written, Ok(Ok(()))) {
            tracing::info!("could not write to the joiner");
            self.drop_seat(None).await;
        }
        self.queue = msgs;
        self.queue.clear();
    }

    /// Ends the seat's connection (with a close frame when `code` is given) and holds the seat.
    async fn drop_seat(&mut self, code: Option<u16>) {
        let Some(mut seat) = self.seat.take() else {
            return;
        };
        let queued = std::mem::take(&mut self.queue);
        let limit = self
            .settings
            .timing
            .write_timeout
            .min(Duration::from_secs(1));
        self.tracker.spawn(async move {
            let closing = async {
                for msg in &queued {
                    if seat.conn.feed_msg(msg).await.is_err() {
                        return;
                    }
                }
                if seat.conn.flush().await.is_ok()
                    && let Some(code) = code
                {
                    seat.conn.close(code, "").await;
                }
            };
            if timeout(limit, closing).await.is_err() {
                tracing::debug!("the joiner did not take the last messages");
            }
            // Reading what is still in flight before dropping the socket keeps the kernel from
            // answering with a reset that could destroy the last messages on their way.
            if code.is_some() {
                seat.conn.drain(limit).await;
            }
        });
        self.mark_away();
        self.publish();
    }

    fn mark_away(&mut self) {
        if self.state.over().is_none() && self.token.is_some() {
            let now = Instant::now();
            self.away = Some(Away {
                claim_at: now + self.settings.timing.grace,
                next_tick: Some(now + Duration::from_secs(1).min(self.settings.timing.grace)),
            });
        }
    }

    /// Sends the front end a fresh view.
    fn publish(&mut self) {
        let mut view = View::of(&self.state, Role::Host, self.me());
        view.rtt = self.rtt;
        view.opponent = if self.state.over().is_some() {
            Presence::Gone
        } else if self.seat.is_some() {
            Presence::Connected
        } else if let Some(away) = self.away {
            Presence::Away {
                remaining: away.claim_at.saturating_duration_since(Instant::now()),
                claim_at: away.claim_at,
            }
        } else {
            Presence::NotJoined
        };
        self.outbox.push(NetEvent::State(Box::new(view)));
    }
}

fn millis(duration: Duration) -> u64 {
    u64::try_from(duration.as_millis()).unwrap_or(u64::MAX)
}

/// A fresh resume token: 128 random bits as hex.
fn new_token() -> String {
    let mut rng = rand::rngs::StdRng::from_os_rng();
    format!("{:032x}", rng.random::<u128>())
}
