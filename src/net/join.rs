//! The joiner: connects to a host by address, keeps a mirror of the match, and reconnects by itself.
//!
//! [`start`] runs everything on a named background thread with its own tokio runtime; the returned
//! [`JoinHandle`] carries the bounded channels to the front end and shuts everything down when
//! dropped. The host's word is final: events are applied through the joiner's own engine only in
//! order and with a matching digest; anything else asks for a snapshot, and the snapshot wins.

use std::collections::VecDeque;
use std::io::ErrorKind;
use std::net::{IpAddr, Ipv6Addr, SocketAddr};
use std::time::{Duration, Instant};

use tokio::net::TcpStream;
use tokio::sync::mpsc;
use tokio::time::{sleep_until, timeout};
use tokio_tungstenite::tungstenite;
use tokio_util::sync::CancellationToken;

use crate::game::{
    Contradiction, Driver, Intent, Player, Replica, ReplicaError, Role, Snapshot, Update,
};

use super::api::{
    CHANNEL_CAPACITY, Command, NetError, NetEvent, NetLink, Outbox, Presence, Stage, Timing, View,
    Wake, spawn_runtime_thread,
};
use super::connection::{JoinConnection, ReadError, ws_config};
use super::seats::{self, Seat, SeatStore};
use super::session::{Beat, Heartbeat, RoundTrip, write_batch};
use super::wire::{
    APP_VERSION, CHAT_BURST, CHAT_PER_SECOND, ChatLine, ClientMsg, DEFAULT_PORT, HelloRole,
    PROTOCOL_VERSION, ParseError, Refusal, Reject, RejectReason, Resume, ServerMsg, clean_chat,
    close_code,
};

/// How to join.
pub struct JoinConfig {
    /// The joiner's name.
    pub name: String,
    /// The seat code shown on the host's screen, when the host requires one.
    pub seat_code: Option<String>,
    /// Timeouts, heartbeat and reconnection backoff.
    pub timing: Timing,
    /// The protocol version to announce: [`PROTOCOL_VERSION`] except in tests of the version check.
    pub protocol: u32,
    /// When set, the joiner's seat is played by this (the computer) instead of by intents sent
    /// through the handle.
    pub driver: Option<Box<dyn Driver>>,
    /// Whether the joiner asks the host, in its `hello`, for an agreed series: every next game
    /// starts as soon as one ends (`docs/PROTOCOL.md`).
    pub series: bool,
    /// Where the seat is kept while the match lasts, so that a joiner started again takes it
    /// back (default: kept in memory only).
    pub seats: SeatStore,
    /// Watch the match instead of playing (see [`watch`]): no seat is taken, no intent but
    /// leaving is taken, and a lost connection is watched again from a fresh snapshot.
    pub watch: bool,
}

impl Default for JoinConfig {
    fn default() -> Self {
        Self {
            name: String::from("Guest"),
            seat_code: None,
            timing: Timing::default(),
            protocol: PROTOCOL_VERSION,
            driver: None,
            series: false,
            seats: SeatStore::in_memory(),
            watch: false,
        }
    }
}

impl std::fmt::Debug for JoinConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("JoinConfig")
            .field("name", &self.name)
            .field("seat_code", &self.seat_code.as_ref().map(|_| "…"))
            .field("timing", &self.timing)
            .field("protocol", &self.protocol)
            .field("driver", &self.driver.is_some())
            .field("series", &self.series)
            .field("seats", &self.seats.path())
            .field("watch", &self.watch)
            .finish()
    }
}

/// The front end's handle on a joiner. Dropping it leaves the match (the host is told) and stops
/// the connection.
#[derive(Debug)]
pub struct JoinHandle {
    link: NetLink,
}

/// The channels: `try_send`, `try_recv`, `recv` and the blocking forms.
impl std::ops::Deref for JoinHandle {
    type Target = NetLink;

    fn deref(&self) -> &NetLink {
        &self.link
    }
}

impl std::ops::DerefMut for JoinHandle {
    fn deref_mut(&mut self) -> &mut NetLink {
        &mut self.link
    }
}

/// Starts joining the host at `ip_port` (see [`parse_ip_port`] for the forms accepted). Progress,
/// the match and errors arrive as events; this never blocks.
#[must_use]
pub fn start(ip_port: &str, config: JoinConfig, wake: Wake) -> JoinHandle {
    let (command_tx, command_rx) = mpsc::channel(CHANNEL_CAPACITY);
    let (event_tx, event_rx) = mpsc::channel(CHANNEL_CAPACITY);
    let shutdown = CancellationToken::new();
    let token = shutdown.clone();
    let text = ip_port.to_owned();
    let failed = event_tx.clone();
    let wake_on_failure = wake.clone();
    let thread = spawn_runtime_thread("tictactoe-join", move || async move {
        let outbox = Outbox::new(event_tx, wake);
        run(text, config, command_rx, outbox, token).await;
    });
    let thread = match thread {
        Ok(thread) => Some(thread),
        Err(error) => {
            if failed.try_send(NetEvent::Error(error)).is_ok() {
                wake_on_failure();
            }
            None
        }
    };
    JoinHandle {
        link: NetLink::new(command_tx, event_rx, shutdown, thread),
    }
}

/// Starts watching the match hosted at `ip_port`: [`start`] with [`JoinConfig::watch`] set.
///
/// The views that arrive have [`View::watching`] set; games that end arrive as
/// [`NetEvent::GameOver`] as for a player, and chat as [`NetEvent::Chat`].
#[must_use]
pub fn watch(ip_port: &str, config: JoinConfig, wake: Wake) -> JoinHandle {
    start(
        ip_port,
        JoinConfig {
            watch: true,
            driver: None,
            ..config
        },
        wake,
    )
}

/// Where to connect: a host name or IP address and a port.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Target {
    /// The host name or IP address, without brackets.
    pub host: String,
    /// The zone of an IPv6 address, as typed after its `%`: the name (`eth0`) or number of the
    /// network interface of this computer that reaches it. Needed for a link-local address
    /// (`fe80::…`), which every interface has.
    pub zone: Option<String>,
    /// The port.
    pub port: u16,
}

impl std::fmt::Display for Target {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.zone {
            Some(zone) => write!(f, "[{}%{zone}]:{}", self.host, self.port),
            None if self.host.contains(':') => write!(f, "[{}]:{}", self.host, self.port),
            None => write!(f, "{}:{}", self.host, self.port),
        }
    }
}

/// The longest zone (interface name or number) accepted after an IPv6 address's `%`.
const MAX_ZONE_LEN: usize = 64;

/// An IPv6 address as typed, with its zone if it has one: `fe80::1` or `fe80::1%eth0`.
fn parse_ipv6_zoned(text: &str) -> Option<(Ipv6Addr, Option<String>)> {
    let (ip, zone) = match text.split_once('%') {
        Some((ip, zone)) => (ip, Some(zone)),
        None => (text, None),
    };
    let ip: Ipv6Addr = ip.parse().ok()?;
    let zone_ok = |zone: &str| {
        !zone.is_empty()
            && zone.len() <= MAX_ZONE_LEN
            && zone
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '.' | '_'))
    };
    match zone {
        Some(zone) if !zone_ok(zone) => None,
        zone => Some((ip, zone.map(str::to_owned))),
    }
}

/// Reads what a person typed: `host`, `host:port`, `192.168.1.5`, `192.168.1.5:7878`, `fe80::1`,
/// `fe80::1%eth0`, `[::1]`, `[::1]:7878` or `[fe80::1%eth0]:7878`. Without a port,
/// [`DEFAULT_PORT`].
pub fn parse_ip_port(text: &str) -> Result<Target, NetError> {
    let bad = || NetError::BadAddress {
        text: text.to_owned(),
    };
    let trimmed = text.trim();
    let trimmed = trimmed.strip_prefix("ws://").unwrap_or(trimmed);
    let trimmed = trimmed.strip_suffix('/').unwrap_or(trimmed);
    let parse_port = |port: &str| port.parse::<u16>().ok().filter(|&p| p != 0);
    if let Some(rest) = trimmed.strip_prefix('[') {
        let (inside, after) = rest.split_once(']').ok_or_else(bad)?;
        // A zone in a URL is written `%25eth0` (RFC 6874); people type `%eth0`.
        let inside = inside.replacen("%25", "%", 1);
        let (ip, zone) = parse_ipv6_zoned(&inside).ok_or_else(bad)?;
        let port = match after {
            "" => DEFAULT_PORT,
            _ => after
                .strip_prefix(':')
                .and_then(parse_port)
                .ok_or_else(bad)?,
        };
        return Ok(Target {
            host: ip.to_string(),
            zone,
            port,
        });
    }
    if let Some((ip, zone)) = parse_ipv6_zoned(trimmed) {
        return Ok(Target {
            host: ip.to_string(),
            zone,
            port: DEFAULT_PORT,
        });
    }
    let (host, port) = match trimmed.split_once(':') {
        Some((host, port)) => (host, parse_port(port).ok_or_else(bad)?),
        None => (trimmed, DEFAULT_PORT),
    };
    let valid_name = !host.is_empty()
        && host.len() <= 253
        && host
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '.' | '_'));
    if !valid_name {
        return Err(bad());
    }
    Ok(Target {
        host: host.to_owned(),
        zone: None,
        port,
    })
}

/// The number of the network interface a zone names: a number as it is, a name looked up among
/// this computer's interfaces.
fn zone_index(zone: &str) -> Option<u32> {
    if let Ok(index) = zone.parse::<u32>() {
        return Some(index);
    }
    if_addrs::get_if_addrs()
        .ok()?
        .into_iter()
        .find(|interface| interface.name == zone)
        .and_then(|interface| interface.index)
}

/// What a successful `hello` brings.
struct Welcome {
    me: Player,
    token: String,
    snapshot: Option<Snapshot>,
    /// Both sides asked for every next game in advance: the host starts it, no `rematch` is sent.
    series: bool,
    /// How long the host holds a seat after losing the link.
    grace: Duration,
    /// After how long without a message the host counts the link as dead.
    dead_after: Duration,
    /// How many watch (a watcher's welcome says).
    watchers: u64,
    /// Whether this side may chat: a player always, a watcher when the host says so.
    chat: bool,
}

/// Resolves `target`, tries every address within the connect timeout, upgrades to WebSocket and
/// says `hello`. Each failure becomes the [`NetError`] a person needs.
async fn connect(
    target: &Target,
    config: &Settings,
    resume: Option<Resume>,
    outbox: &mut Outbox,
) -> Result<(JoinConnection, Welcome), NetError> {
    let timing = &config.timing;
    let ip_port = target.to_string();
    let addrs: Vec<SocketAddr> = if let Ok(ip) = target.host.parse::<IpAddr>() {
        match (ip, &target.zone) {
            (IpAddr::V6(v6), Some(zone)) => {
                let index = zone_index(zone)
                    .ok_or_else(|| NetError::NoSuchInterface { zone: zone.clone() })?;
                vec![SocketAddr::V6(std::net::SocketAddrV6::new(
                    v6,
                    target.port,
                    0,
                    index,
                ))]
            }
            _ => vec![SocketAddr::new(ip, target.port)],
        }
    } else {
        let found = timeout(
            timing.connect_timeout,
            tokio::net::lookup_host((target.host.as_str(), target.port)),
        )
        .await;
        match found {
            Ok(Ok(addrs)) => addrs.collect(),
            Ok(Err(_)) | Err(_) => Vec::new(),
        }
    };
    if addrs.is_empty() {
        return Err(NetError::NameNotFound {
            host: target.host.clone(),
        });
    }
    let mut refused = 0;
    let mut stream = None;
    for addr in &addrs {
        match timeout(timing.connect_timeout, TcpStream::connect(addr)).await {
            Ok(Ok(tcp)) => {
                stream = Some(tcp);
                break;
            }
            Ok(Err(error)) => {
                tracing::debug!(%addr, %error, "could not connect");
                if error.kind() == ErrorKind::ConnectionRefused {
                    refused += 1;
                }
            }
            Err(_) => tracing::debug!(%addr, "no answer"),
        }
    }
    let Some(stream) = stream else {
        return Err(if refused == addrs.len() {
            NetError::Refused { ip_port }
        } else {
            NetError::Timeout { ip_port }
        });
    };
    if let Err(error) = stream.set_nodelay(true) {
        tracing::debug!(%error, "could not set TCP_NODELAY");
    }
    // The zone means something only on this computer: the host never sees it.
    let url = format!(
        "ws://{}/",
        Target {
            zone: None,
            ..target.clone()
        }
    );
    let lost = |why: &dyn std::fmt::Display| {
        tracing::info!(%why, "no answer to the handshake");
        NetError::Timeout {
            ip_port: ip_port.clone(),
        }
    };
    let (ws, _) = timeout(
        timing.hello_timeout,
        tokio_tungstenite::client_async_with_config(url, stream, Some(ws_config())),
    )
    .await
    .map_err(|elapsed| lost(&elapsed))?
    .map_err(|error| {
        tracing::info!(%error, "WebSocket handshake failed");
        match error {
            // Something answered, but not with a WebSocket upgrade: not a host of this game.
            tungstenite::Error::Http(_)
            | tungstenite::Error::HttpFormat(_)
            | tungstenite::Error::Url(_) => NetError::Rejected {
                message: String::from("it does not speak this game's protocol"),
            },
            _ => NetError::ConnectionLost,
        }
    })?;
    let mut conn = JoinConnection::new(ws);
    outbox.push(NetEvent::Stage(Stage::Waiting));
    let hello = ClientMsg::Hello {
        protocol: config.protocol,
        app: APP_VERSION.to_owned(),
        name: config.name.clone(),
        seat_code: config.seat_code.clone(),
        resume,
        auto_rematch: config.series,
        role: if config.watch {
            HelloRole::Watch
        } else {
            HelloRole::Play
        },
    };
    conn.write_msg(&hello).await.map_err(|error| lost(&error))?;
    let answer = timeout(timing.hello_timeout, async {
        loop {
            match conn.read_msg().await {
                Err(ReadError::Control) => {}
                read => return read,
            }
        }
    })
    .await
    .map_err(|elapsed| lost(&elapsed))?;
    match answer {
        Ok(Some(ServerMsg::WatchWelcome {
            snapshot,
            rules,
            watchers,
            chat,
            ..
        })) if config.watch => Ok((
            conn,
            Welcome {
                me: Player::X,
                token: String::new(),
                snapshot: Some(snapshot),
                series: rules.auto_rematch,
                grace: Duration::from_millis(rules.grace_ms),
                dead_after: Duration::from_millis(rules.dead_after_ms),
                watchers,
                chat,
            },
        )),
        Ok(Some(ServerMsg::Welcome {
            you,
            token,
            snapshot,
            rules,
            ..
        })) if !config.watch => Ok((
            conn,
            Welcome {
                me: you,
                token,
                snapshot,
                series: rules.auto_rematch,
                grace: Duration::from_millis(rules.grace_ms),
                dead_after: Duration::from_millis(rules.dead_after_ms),
                watchers: 0,
                chat: true,
            },
        )),
        Ok(Some(ServerMsg::Reject(reject))) => Err(rejection(&reject, config.protocol)),
        Ok(Some(_)) | Err(ReadError::Parse(_) | ReadError::Binary { .. }) => {
            Err(NetError::Rejected {
                message: String::from("it answered with something other than a welcome"),
            })
        }
        Ok(None) | Err(_) => Err(NetError::ConnectionLost),
    }
}

fn rejection(reject: &Reject, my_protocol: u32) -> NetError {
    match reject.reason {
        RejectReason::VersionMismatch => NetError::VersionMismatch {
            host_app: reject.app.clone(),
            host_protocol: reject.protocol,
            my_app: APP_VERSION.to_owned(),
            my_protocol,
        },
        RejectReason::MatchFull => NetError::MatchFull,
        RejectReason::BadSeatCode => NetError::BadSeatCode,
        RejectReason::TooManyTries => NetError::TooManyTries,
        RejectReason::MatchOver => NetError::MatchOver,
        RejectReason::BadToken => NetError::BadToken,
        RejectReason::WatchingOff => NetError::WatchingOff,
        RejectReason::TooManyWatchers => NetError::TooManyWatchers,
        RejectReason::ExpectedHello | RejectReason::HelloTimeout => NetError::Rejected {
            message: reject.message.clone(),
        },
    }
}

/// The parts of [`JoinConfig`] the connection needs.
struct Settings {
    name: String,
    seat_code: Option<String>,
    timing: Timing,
    protocol: u32,
    series: bool,
    /// Watching, not playing.
    watch: bool,
}

async fn run(
    text: String,
    mut config: JoinConfig,
    mut commands: mpsc::Receiver<Command>,
    mut outbox: Outbox,
    shutdown: CancellationToken,
) {
    let target = match parse_ip_port(&text) {
        Ok(target) => target,
        Err(error) => {
            fail(&mut outbox, error).await;
            return;
        }
    };
    let driver = config.driver.take();
    let mut seats = std::mem::replace(&mut config.seats, SeatStore::in_memory());
    let seat_key = target.to_string();
    // A seat kept from an earlier run (a crash, a window closed) is taken back.
    let kept = seats
        .find(&seat_key)
        .filter(|_| !config.watch)
        .map(|seat| Resume {
            token: seat.token,
            v: None,
        });
    let settings = Settings {
        name: config.name,
        seat_code: config.seat_code,
        timing: config.timing,
        protocol: config.protocol,
        series: config.series,
        watch: config.watch,
    };
    outbox.push(NetEvent::Stage(Stage::Connecting {
        ip_port: target.to_string(),
    }));
    let connected = tokio::select! {
        () = shutdown.cancelled() => return,
        connected = first_connect(&target, &settings, kept.clone(), &mut outbox) => connected,
    };
    let connected = match connected {
        // The host no longer knows that seat (a new match there): join afresh.
        Err(NetError::BadToken) if kept.is_some() => {
            tracing::info!("the kept seat is not the host's any more: joining afresh");
            seats.forget(&seat_key);
            tokio::select! {
                () = shutdown.cancelled() => return,
                connected = first_connect(&target, &settings, None, &mut outbox) => connected,
            }
        }
        connected => connected,
    };
    let (mut conn, welcome) = match connected {
        Ok(pair) => pair,
        Err(error) => {
            if matches!(error, NetError::MatchOver) {
                seats.forget(&seat_key);
            }
            fail(&mut outbox, error).await;
            return;
        }
    };
    let Some(snapshot) = welcome.snapshot.as_ref() else {
        fail(&mut outbox, NetError::ConnectionLost).await;
        return;
    };
    let me = (!settings.watch).then_some(welcome.me);
    let replica = match Replica::new(snapshot, me) {
        Ok(replica) => replica,
        Err(error) => {
            tracing::error!(%error, "the host's first snapshot is not legal");
            fail(&mut outbox, NetError::Unreadable).await;
            return;
        }
    };
    let mut joiner = Joiner {
        target,
        settings,
        driver,
        replica,
        me: welcome.me,
        token: welcome.token,
        series: welcome.series,
        grace: welcome.grace,
        dead_after: welcome.dead_after,
        watchers: welcome.watchers,
        may_chat: welcome.chat,
        chat_rate: super::session::RateLimit::new(CHAT_BURST, CHAT_PER_SECOND),
        seats,
        seat_key,
        seat_written: None,
        unacked: VecDeque::new(),
        next_id: 1,
        connected: true,
        fatal: None,
        outbox,
        round_trip: RoundTrip::new(),
        queue: Vec::new(),
    };
    joiner.replica.agree_series(joiner.series);
    joiner.keep_seat();
    joiner.outbox.push(NetEvent::Stage(Stage::Playing));
    joiner.publish();
    loop {
        match joiner.session(&mut conn, &mut commands, &shutdown).await {
            End::Finished => {
                joiner.seats.forget(&joiner.seat_key);
                break;
            }
            // The window was closed, or the program ends: the seat is kept for the next start.
            End::Closed => break,
            End::Lost => {}
        }
        match joiner.reconnect(&mut commands, &shutdown).await {
            Ok(new_conn) => conn = new_conn,
            Err(End::Closed) => break,
            Err(End::Finished | End::Lost) => {
                joiner.seats.forget(&joiner.seat_key);
                break;
            }
        }
    }
    joiner.outbox.push(NetEvent::Stage(Stage::Ended));
    joiner.outbox.finish(Duration::from_millis(200)).await;
}

/// How many times the first connection is tried again when it was lost during the handshake
/// (a host busy with a crowd of connections may have pushed it out).
const FIRST_CONNECT_RETRIES: u32 = 3;

/// The first connection: tried again, after a short and growing wait, only when it was lost
/// during the handshake; nobody hosting, no answer or a refusal end it at once.
async fn first_connect(
    target: &Target,
    settings: &Settings,
    resume: Option<Resume>,
    outbox: &mut Outbox,
) -> Result<(JoinConnection, Welcome), NetError> {
    let mut wait = settings.timing.backoff_first / 4;
    for retry in 0..=FIRST_CONNECT_RETRIES {
        match connect(target, settings, resume.clone(), outbox).await {
            Err(NetError::ConnectionLost) if retry < FIRST_CONNECT_RETRIES => {
                tracing::info!(retry, "the first connection was lost: trying again");
                tokio::time::sleep(wait).await;
                wait *= 2;
                outbox.push(NetEvent::Stage(Stage::Connecting {
                    ip_port: target.to_string(),
                }));
            }
            connected => return connected,
        }
    }
    Err(NetError::ConnectionLost)
}

async fn fail(outbox: &mut Outbox, error: NetError) {
    tracing::info!(%error, "could not join");
    outbox.push(NetEvent::Error(error));
    outbox.push(NetEvent::Stage(Stage::Ended));
    outbox.finish(Duration::from_millis(200)).await;
}

/// How a connection ended.
enum End {
    /// The match is over, or the player left.
    Finished,
    /// The front end is gone (the window closed): the connection is closed, the seat kept.
    Closed,
    /// The connection dropped: reconnect.
    Lost,
}

enum Wakeup {
    Shutdown,
    Command(Option<Command>),
    Read(Box<Result<Option<ServerMsg>, ReadError>>),
    Timer,
    Drained,
}

/// The joiner's side of the match.
struct Joiner {
    target: Target,
    settings: Settings,
    driver: Option<Box<dyn Driver>>,
    /// The mirror of the host's match.
    replica: Replica,
    me: Player,
    token: String,
    /// Commands sent and not yet answered, resent with the same id after a reconnect.
    unacked: VecDeque<ClientMsg>,
    next_id: u64,
    connected: bool,
    /// Why this side cannot go on, once the host has sent what it cannot read too often.
    fatal: Option<NetError>,
    round_trip: RoundTrip,
    outbox: Outbox,
    queue: Vec<ClientMsg>,
    /// The host starts every next game by itself (`rules.auto_rematch`).
    series: bool,
    /// How long the host holds the seat after losing the link (`rules.grace_ms`).
    grace: Duration,
    /// After how long the host counts a silent link as dead (`rules.dead_after_ms`).
    dead_after: Duration,
    /// Where the seat is kept for a joiner started again, under `seat_key`.
    seats: SeatStore,
    seat_key: String,
    /// When the seat was last written.
    seat_written: Option<Instant>,
    /// How many watch the match.
    watchers: u64,
    /// Whether this side may chat (a watcher only when the host allows it).
    may_chat: bool,
    /// The host's chat rate, kept here too: a line it would refuse is refused before it goes,
    /// so that a line said is a line passed on.
    chat_rate: super::session::RateLimit,
}

impl Joiner {
    /// Keeps the seat, with the host heard from now.
    fn keep_seat(&mut self) {
        if self.settings.watch {
            return;
        }
        let seat = Seat {
            token: self.token.clone(),
            name: self.settings.name.clone(),
            host_name: self.replica.state().name(self.me.other()).to_owned(),
            heard_s: seats::now_s(),
            grace_s: self.grace.as_secs(),
        };
        self.seats.keep(&self.seat_key, seat);
        self.seat_written = Some(Instant::now());
    }

    /// While the link is up, notes now and then that the host was heard from.
    fn touch_seat(&mut self) {
        if self
            .seat_written
            .is_none_or(|at| at.elapsed() >= seats::HEARD_EVERY)
        {
            self.keep_seat();
        }
    }

    /// Plays on one connection until it ends.
    async fn session(
        &mut self,
        conn: &mut JoinConnection,
        commands: &mut mpsc::Receiver<Command>,
        shutdown: &CancellationToken,
    ) -> End {
        let mut heartbeat = Heartbeat::new(&self.settings.timing);
        self.drive();
        loop {
            if !self.queue.is_empty() && !self.write_queue(conn).await {
                return End::Lost;
            }
            if let Some(error) = self.fatal.take() {
                self.outbox.push(NetEvent::Error(error));
                conn.close(close_code::NORMAL, "").await;
                return End::Finished;
            }
            if self.replica.state().over().is_some() {
                conn.close(close_code::NORMAL, "").await;
                return End::Finished;
            }
            let deadline = heartbeat.deadline();
            let outbox = &mut self.outbox;
            let has_backlog = outbox.has_backlog();
            let wakeup = tokio::select! {
                // An intent sent just before the handle was dropped (a Leave) comes first.
                biased;
                command = commands.recv() => Wakeup::Command(command),
                () = shutdown.cancelled() => Wakeup::Shutdown,
                read = conn.read_msg() => Wakeup::Read(Box::new(read)),
                () = sleep_until(deadline.into()) => Wakeup::Timer,
                () = outbox.drain_one(), if has_backlog => Wakeup::Drained,
            };
            if let Wakeup::Read(read) = wakeup {
                heartbeat.heard();
                match *read {
                    Ok(Some(msg)) => self.on_msg(msg),
                    // A type this side does not know (a newer host's) is ignored; a known one it
                    // cannot read (an event of an unknown kind, say) may have changed the match.
                    Err(ReadError::Parse(error)) => {
                        tracing::warn!(%error, "a bad message from the host");
                        if matches!(error, ParseError::Malformed { .. }) {
                            let updates = self.replica.on_unreadable(&error.to_string());
                            self.take_updates(updates);
                        }
                    }
                    Err(ReadError::Control) => {}
                    Err(ReadError::TooLarge { size, .. }) => {
                        tracing::warn!(size, "an oversized message from the host");
                        conn.close(close_code::TOO_BIG, "").await;
                        return End::Lost;
                    }
                    Ok(None) | Err(_) => {
                        tracing::info!("the connection to the host dropped");
                        return End::Lost;
                    }
                }
                continue;
            }
            match wakeup {
                Wakeup::Command(Some(Command::Intent(Intent::Leave))) => {
                    self.queue.push(ClientMsg::Leave);
                    self.leave_here();
                    if self.write_queue(conn).await {
                        conn.close(close_code::NORMAL, "left").await;
                        conn.drain(Duration::from_millis(500)).await;
                    }
                    return End::Finished;
                }
                // The front end is gone without leaving (the window closed): the host holds the
                // seat, and the next start takes it back.
                Wakeup::Shutdown | Wakeup::Command(None) => {
                    if !self.queue.is_empty() {
                        self.write_queue(conn).await;
                    }
                    conn.close(close_code::GOING_AWAY, "closed").await;
                    return End::Closed;
                }
                Wakeup::Command(Some(Command::Intent(intent))) => self.command(intent),
                Wakeup::Command(Some(Command::Chat(text))) => self.chat(&text),
                Wakeup::Timer => match heartbeat.tick(Instant::now()) {
                    Beat::Dead => {
                        tracing::info!("the host went silent");
                        return End::Lost;
                    }
                    Beat::Ping => {
                        let t = self.round_trip.stamp();
                        self.queue.push(ClientMsg::Ping { t });
                        self.touch_seat();
                    }
                    Beat::Quiet => {}
                },
                Wakeup::Read(_) | Wakeup::Drained => {}
            }
        }
    }

    /// Sends everything queued in one flush; `false` when the connection failed.
    async fn write_queue(&mut self, conn: &mut JoinConnection) -> bool {
        let msgs = std::mem::take(&mut self.queue);
        let written = write_batch(conn, &msgs, self.settings.timing.write_timeout).await;
        self.queue = msgs;
        self.queue.clear();
        written
    }

    /// Reconnects with backoff and resumes. Stops once the host has certainly given the seat up
    /// (its grace period and dead-link time after the link was lost, and a second more), when
    /// refused, when the player leaves (`Err(End::Finished)`) or when the front end is gone
    /// (`Err(End::Closed)`: the seat is kept).
    async fn reconnect(
        &mut self,
        commands: &mut mpsc::Receiver<Command>,
        shutdown: &CancellationToken,
    ) -> Result<JoinConnection, End> {
        self.connected = false;
        self.queue.clear();
        self.publish();
        let timing = self.settings.timing.clone();
        let started = Instant::now();
        let give_up_at = started
            + timing
                .give_up_after
                .min(self.grace + self.dead_after + Duration::from_secs(1));
        let mut wait = timing.backoff_first;
        for attempt in 1_u32.. {
            if Instant::now() + wait >= give_up_at {
                break;
            }
            self.outbox.push(NetEvent::Stage(Stage::Reconnecting {
                attempt,
                retry_in: wait,
                give_up_at,
            }));
            let retry_at = Instant::now() + wait;
            loop {
                let outbox = &mut self.outbox;
                let has_backlog = outbox.has_backlog();
                let wakeup = tokio::select! {
                    biased;
                    command = commands.recv() => Wakeup::Command(command),
                    () = shutdown.cancelled() => Wakeup::Shutdown,
                    () = sleep_until(retry_at.into()) => Wakeup::Timer,
                    () = outbox.drain_one(), if has_backlog => Wakeup::Drained,
                };
                match wakeup {
                    Wakeup::Command(Some(Command::Intent(Intent::Leave))) => {
                        self.leave_here();
                        return Err(End::Finished);
                    }
                    Wakeup::Shutdown | Wakeup::Command(None) => return Err(End::Closed),
                    Wakeup::Command(Some(_)) => self.outbox.push(NetEvent::Refused {
                        reason: Refusal::Unexpected,
                        message: String::from(
                            "Not connected: wait for the connection to come back.",
                        ),
                    }),
                    Wakeup::Timer => break,
                    Wakeup::Read(_) | Wakeup::Drained => {}
                }
            }
            self.outbox.push(NetEvent::Stage(Stage::Connecting {
                ip_port: self.target.to_string(),
            }));
            // A watcher holds no seat: it watches again from a fresh snapshot.
            let resume = (!self.settings.watch).then(|| Resume {
                token: self.token.clone(),
                v: Some(self.replica.state().v()),
            });
            let connected = tokio::select! {
                () = shutdown.cancelled() => return Err(End::Closed),
                connected = connect(&self.target, &self.settings, resume, &mut self.outbox) => connected,
            };
            match connected {
                Ok((conn, welcome)) => {
                    tracing::info!(attempt, "reconnected");
                    self.series = welcome.series;
                    self.grace = welcome.grace;
                    self.dead_after = welcome.dead_after;
                    self.watchers = welcome.watchers;
                    self.may_chat = welcome.chat;
                    self.replica.agree_series(self.series);
                    if let Some(snapshot) = welcome.snapshot {
                        let updates = self.replica.on_snapshot(&snapshot);
                        self.take_updates(updates);
                        if let Some(error) = self.fatal.take() {
                            self.outbox.push(NetEvent::Error(error));
                            return Err(End::Finished);
                        }
                    }
                    self.connected = true;
                    self.keep_seat();
                    // Commands the host may not have seen go again; the host answers repeats
                    // from memory, so nothing is applied twice.
                    self.queue.extend(self.unacked.iter().cloned());
                    self.outbox.push(NetEvent::Stage(Stage::Playing));
                    self.publish();
                    return Ok(conn);
                }
                Err(
                    NetError::Refused { .. }
                    | NetError::Timeout { .. }
                    | NetError::ConnectionLost
                    | NetError::NameNotFound { .. },
                ) => {}
                Err(error) => {
                    self.outbox.push(NetEvent::Error(error));
                    return Err(End::Finished);
                }
            }
            wait = (wait * 2).min(timing.backoff_max);
        }
        let seconds = started.elapsed().as_secs();
        tracing::info!(seconds, "the host did not come back: giving up");
        self.outbox
            .push(NetEvent::Error(NetError::HostGone { seconds }));
        Err(End::Finished)
    }

    /// A line of chat from the front end: cleaned and checked here first, then sent; the host
    /// checks it again and passes it on.
    fn chat(&mut self, text: &str) {
        let said = clean_chat(text).and_then(|text| {
            if !self.may_chat {
                Err(Refusal::ChatOff)
            } else if self.settings.watch || self.chat_rate.take() {
                Ok(text)
            } else {
                Err(Refusal::ChatTooFast)
            }
        });
        match said {
            Ok(text) => {
                // A watcher's own line comes back from the host, as everyone's does.
                if !self.settings.watch {
                    self.outbox.push(NetEvent::Said(ChatLine {
                        name: self.replica.state().name(self.me).to_owned(),
                        player: Some(self.me),
                        text: text.clone(),
                    }));
                }
                self.queue.push(ClientMsg::Chat { text });
            }
            Err(reason) => self.outbox.push(NetEvent::Refused {
                reason,
                message: reason.message().to_owned(),
            }),
        }
    }

    /// An intent from the front end: checked by this side's rules first, then sent to the host.
    fn command(&mut self, intent: Intent) {
        if self.settings.watch {
            return self.outbox.push(NetEvent::Refused {
                reason: Refusal::Watching,
                message: Refusal::Watching.message().to_owned(),
            });
        }
        if matches!(intent, Intent::Play(_)) && self.pending_play() {
            return self.outbox.push(NetEvent::Refused {
                reason: Refusal::Unexpected,
                message: String::from("Wait for the host to confirm your last move."),
            });
        }
        if let Err(refusal) = self.replica.decide(intent) {
            self.outbox.push(NetEvent::Refused {
                reason: Refusal::from(refusal),
                message: refusal.sentence(),
            });
            return;
        }
        self.send_command(intent);
        self.publish();
    }

    /// This player leaves: the match, as this side has it, ends the way the host will end it
    /// (event `left`), so a game cut short is reported like any other.
    fn leave_here(&mut self) {
        if let Some(over) = self.replica.leave() {
            self.outbox.push(NetEvent::GameOver(Box::new(over)));
        }
        self.publish();
    }

    fn send_command(&mut self, intent: Intent) {
        let id = self.next_id;
        self.next_id += 1;
        let msg = match intent {
            Intent::Play(cell) => ClientMsg::Play { id, cell },
            Intent::Rematch => ClientMsg::Rematch { id },
            Intent::Resign => {
                self.replica.resigning();
                ClientMsg::Resign { id }
            }
            Intent::Undo | Intent::ClaimWin | Intent::Leave => return,
        };
        if self.unacked.len() >= CHANNEL_CAPACITY {
            self.unacked.pop_front();
        }
        self.unacked.push_back(msg.clone());
        self.queue.push(msg);
    }

    fn pending_play(&self) -> bool {
        self.unacked
            .iter()
            .any(|msg| matches!(msg, ClientMsg::Play { .. }))
    }

    fn on_msg(&mut self, msg: ServerMsg) {
        match msg {
            ServerMsg::Event {
                v,
                digest,
                chain,
                event,
            } => {
                let updates = self.replica.on_event(v, digest, chain, event);
                if updates.contains(&Update::NeedSnapshot) {
                    tracing::info!(v, have = self.replica.state().v(), "asking for a snapshot");
                }
                self.take_updates(Ok(updates));
                self.after_change();
            }
            ServerMsg::Ack { id, .. } => {
                self.unacked.retain(|msg| msg.id() != Some(id));
                self.after_change();
            }
            ServerMsg::Rejected {
                id,
                reason,
                message,
            } => {
                if let Some(id) = id {
                    self.unacked.retain(|msg| msg.id() != Some(id));
                }
                tracing::info!(?reason, "the host refused a command");
                self.outbox.push(NetEvent::Refused { reason, message });
                // A snapshot follows a refused command; until then events may not fit.
                self.replica.on_refused(id.is_some());
                self.publish();
            }
            ServerMsg::Snapshot(snapshot) => {
                let updates = self.replica.on_snapshot(&snapshot);
                self.take_updates(updates);
                self.after_change();
            }
            ServerMsg::Ping { t } => self.queue.push(ClientMsg::Pong { t }),
            ServerMsg::Pong { t } => {
                self.round_trip.pong(&t);
                self.publish();
            }
            ServerMsg::Watchers { count } => {
                self.watchers = count;
                self.publish();
            }
            ServerMsg::Chat(line) => self.outbox.push(NetEvent::Chat(line)),
            ServerMsg::Welcome { .. } | ServerMsg::WatchWelcome { .. } | ServerMsg::Reject(_) => {
                tracing::warn!("an unexpected handshake message from the host");
            }
        }
    }

    /// Carries out what the replica made of the host's message: events and games passed on to
    /// the front end, disputes said, a snapshot asked for; or, when the host keeps sending what
    /// this version cannot read, the end of the match.
    fn take_updates(&mut self, updates: Result<Vec<Update>, ReplicaError>) {
        let updates = match updates {
            Ok(updates) => updates,
            Err(error) => {
                tracing::error!(%error, "giving up on the host");
                self.fatal = Some(NetError::Unreadable);
                return;
            }
        };
        for update in updates {
            match update {
                Update::Applied(entry) => self.outbox.push(NetEvent::Applied(entry.event)),
                Update::Replaced => {}
                Update::GameOver(over) => self.outbox.push(NetEvent::GameOver(over)),
                Update::Dispute(contradiction) => self.dispute(&contradiction),
                Update::NeedSnapshot => self.queue.push(ClientMsg::Sync),
            }
        }
    }

    /// Says how the host changed what this side had seen.
    fn dispute(&mut self, contradiction: &Contradiction) {
        let what = format!("The host changed the game: {contradiction}.");
        tracing::warn!(%what, "a dispute");
        self.outbox.push(NetEvent::Dispute(what));
    }

    fn after_change(&mut self) {
        self.drive();
        self.publish();
    }

    /// Lets the driver of this side's seat (the computer) act, once nothing is on its way: a
    /// move on its turn, a rematch request once a game is over. In an agreed series the host
    /// starts every next game by itself, so no rematch is sent then.
    fn drive(&mut self) {
        if self.replica.syncing() || !self.connected || !self.unacked.is_empty() {
            return;
        }
        let me = self.me;
        let Some(intent) = self
            .driver
            .as_mut()
            .and_then(|driver| driver.intent(self.replica.state(), me))
        else {
            return;
        };
        if intent == Intent::Rematch && self.series {
            return;
        }
        match self.replica.decide(intent) {
            Ok(_) => self.send_command(intent),
            Err(refusal) => {
                tracing::warn!(?intent, %refusal, "the driver asked for something refused");
            }
        }
    }

    fn publish(&mut self) {
        let mut view = View::of(self.replica.state(), Role::Joiner, self.me);
        view.pending = self.unacked.iter().find_map(|msg| match msg {
            ClientMsg::Play { cell, .. } => Some(*cell),
            _ => None,
        });
        view.connected = self.connected;
        view.rtt = self.round_trip.last();
        view.watching = self.settings.watch;
        view.watchers = self.watchers;
        view.may_chat = self.may_chat;
        if self.replica.state().over().is_some() {
            view.opponent = Presence::Gone;
        }
        self.outbox.push(NetEvent::State(Box::new(view)));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn target(host: &str, port: u16) -> Target {
        Target {
            host: host.to_owned(),
            zone: None,
            port,
        }
    }

    fn zoned(host: &str, zone: &str, port: u16) -> Target {
        Target {
            host: host.to_owned(),
            zone: Some(zone.to_owned()),
            port,
        }
    }

    #[test]
    fn addresses_people_type() {
        assert_eq!(
            parse_ip_port("192.168.1.5"),
            Ok(target("192.168.1.5", 7878))
        );
        assert_eq!(
            parse_ip_port(" 192.168.1.5:9000 "),
            Ok(target("192.168.1.5", 9000))
        );
        assert_eq!(parse_ip_port("fe80::1"), Ok(target("fe80::1", 7878)));
        assert_eq!(parse_ip_port("[::1]:7878"), Ok(target("::1", 7878)));
        assert_eq!(parse_ip_port("[::1]"), Ok(target("::1", 7878)));
        assert_eq!(
            parse_ip_port("my-pc.local"),
            Ok(target("my-pc.local", 7878))
        );
        assert_eq!(parse_ip_port("my-pc:80"), Ok(target("my-pc", 80)));
        assert_eq!(parse_ip_port("ws://[::1]:99/"), Ok(target("::1", 99)));
        assert_eq!(
            parse_ip_port("fe80::1%eth0"),
            Ok(zoned("fe80::1", "eth0", 7878))
        );
        assert_eq!(
            parse_ip_port("[fe80::1%eth0]:7000"),
            Ok(zoned("fe80::1", "eth0", 7000))
        );
        assert_eq!(
            parse_ip_port("[fe80::1%253]"),
            Ok(zoned("fe80::1", "3", 7878))
        );
        assert_eq!(
            zoned("fe80::1", "wlan0", 7).to_string(),
            "[fe80::1%wlan0]:7"
        );
        for bad in [
            "",
            "host:",
            "host:0",
            "host:99999",
            "[::1",
            "[x]:1",
            "a b",
            "1:2:3:zz",
            "fe80::1%",
            "[fe80::1%]:7",
            "fe80::1%a b",
            "[fe80::1%eth0/x]:7",
            "192.168.1.5%eth0",
        ] {
            assert!(
                matches!(parse_ip_port(bad), Err(NetError::BadAddress { .. })),
                "{bad:?}"
            );
        }
        assert_eq!(target("::1", 7).to_string(), "[::1]:7");
    }
}
