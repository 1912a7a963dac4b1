//! What the joiner and the watcher share as clients of a host: dialling and saying `hello`, the
//! mirror of the host's match ([`crate::game::Replica`]) fed from what the host sends, the life
//! of one connection (heartbeat, batched writes, reading) and connecting again after a drop.
//!
//! What differs between them is a [`Side`]: [`super::join`]'s player, with a seat, commands and
//! a driver, and [`super::watcher`], which has none of these. The host's word is final: events
//! are applied only through the replica, in order and with a matching digest; anything else
//! asks for a snapshot, and the snapshot wins. Owns no rules and no address parsing.

mod hello;
mod reconnect;

pub(crate) use hello::{Terms, Welcomed};

use std::time::{Duration, Instant};

use tokio::sync::mpsc;
use tokio::time::sleep_until;
use tokio_util::sync::CancellationToken;

use crate::game::{
    Contradiction, Intent, MAX_UNREADABLE, Player, Replica, ReplicaError, Role, Update,
};

use super::address::parse_ip_port;
use super::connection::ReadError;
use super::dial::{Dialer, HostLine, TcpDialer};
use super::front_end::{CHANNEL_CAPACITY, Command, NetLink, Outbox};
use super::link::{Beat, Heartbeat, RoundTrip, write_batch};
use super::runtime::{self, HandleTask};
use super::wire::{ClientMsg, ParseError, ServerMsg, close_code};
use super::{NetError, NetEvent, Presence, Stage, Timing, View, Wake};

/// What a joiner or a watcher does its own way; [`Client`] does the rest.
pub(crate) trait Side: Send + 'static {
    /// The `hello` to say on a new connection, knowing the match so far (none yet on the
    /// first connection).
    fn hello(&self, replica: Option<&Replica>) -> ClientMsg;

    /// The host welcomed this side on a new connection (the replica already holds what it
    /// sent); anything queued in `mirror` goes first.
    fn welcomed(&mut self, welcomed: &Welcomed, mirror: &mut Mirror);

    /// The host refused the first connection: `true` to try again at once.
    fn refused(&mut self, error: &NetError) -> bool;

    /// An intent from the front end while connected; `true` when it changed the view.
    fn intent(&mut self, intent: Intent, mirror: &mut Mirror) -> bool;

    /// A line of chat from the front end.
    fn chat(&mut self, text: &str, mirror: &mut Mirror);

    /// The host answered the command `id` (`ack` or `rejected`).
    fn answered(&mut self, id: u64);

    /// The link is up and a ping is due.
    fn pinged(&mut self, mirror: &Mirror) {
        let _unused = mirror;
    }

    /// Lets a driver act once nothing is on its way.
    fn drive(&mut self, mirror: &mut Mirror) {
        let _unused = mirror;
    }

    /// The view of the match for the front end.
    fn view(&self, mirror: &Mirror) -> View;

    /// The match is over for this side, or it left.
    fn finished(&mut self) {}
}

/// This side's copy of the match and of the connection's state, shared with its [`Side`].
pub(crate) struct Mirror {
    /// The mirror of the host's match.
    pub(crate) replica: Replica,
    /// The front end's events.
    pub(crate) outbox: Outbox,
    /// Messages for the host, written together.
    pub(crate) queue: Vec<ClientMsg>,
    /// What the host agreed to on this connection.
    pub(crate) terms: Terms,
    /// Whether the link is up.
    pub(crate) connected: bool,
    pub(crate) round_trip: RoundTrip,
    /// Why this side cannot go on, once the host has sent what it cannot read too often.
    fatal: Option<NetError>,
}

impl Mirror {
    /// The parts of a view every side shares.
    pub(crate) fn base_view(&self, role: Role, me: Player) -> View {
        let mut view = View::of(self.replica.state(), role, me);
        view.connected = self.connected;
        view.rtt = self.round_trip.last();
        view.watchers = self.terms.watchers;
        view.may_chat = self.terms.may_chat;
        if self.replica.state().over().is_some() {
            view.opponent = Presence::Gone;
        }
        view
    }

    /// Tells the front end a refusal made here or by the host.
    pub(crate) fn refused(&mut self, reason: super::Refusal, message: String) {
        self.outbox.push(NetEvent::Refused { reason, message });
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
}

/// How a connection ended.
pub(crate) enum SessionEnd {
    /// The match is over, or this side left.
    Finished,
    /// The front end is gone (the window closed): the connection is closed, a seat kept.
    Closed,
    /// The connection dropped: connect again.
    Lost,
}

/// What woke a session, or the wait before connecting again.
enum SessionInput {
    Shutdown,
    Command(Option<Command>),
    Read(Box<Result<Option<ServerMsg>, ReadError>>),
    Timer,
    Drained,
}

/// Waits for what comes first: a command from the front end (an intent sent just before the
/// handle was dropped, a leave, say, comes before the end), the end, a message `read` from the
/// host, the `deadline`, or room for an event waiting for the front end.
async fn next_input(
    commands: &mut mpsc::Receiver<Command>,
    shutdown: &CancellationToken,
    outbox: &mut Outbox,
    read: impl Future<Output = Result<Option<ServerMsg>, ReadError>>,
    deadline: Instant,
) -> SessionInput {
    let has_backlog = outbox.has_backlog();
    tokio::select! {
        biased;
        command = commands.recv() => SessionInput::Command(command),
        () = shutdown.cancelled() => SessionInput::Shutdown,
        read = read => SessionInput::Read(Box::new(read)),
        () = sleep_until(deadline.into()) => SessionInput::Timer,
        () = outbox.drain_one(), if has_backlog => SessionInput::Drained,
    }
}

/// A joiner or a watcher: its side, its mirror of the match, and how it reaches the host.
pub(crate) struct Client<S: Side, D: Dialer> {
    side: S,
    mirror: Mirror,
    dialer: D,
    timing: Timing,
}

/// Starts a client of `ip_port` (as a person typed it) over TCP, as a task on the network's
/// runtime: `side` is made once the address is read, from the dialer that reaches it.
pub(crate) fn start_tcp<S: Side>(
    name: &'static str,
    ip_port: &str,
    timing: Timing,
    wake: Wake,
    side: impl FnOnce(&TcpDialer) -> S + Send + 'static,
) -> NetLink {
    let text = ip_port.to_owned();
    start(
        name,
        move || parse_ip_port(&text).map(TcpDialer::new),
        timing,
        wake,
        side,
    )
}

/// Starts a client that reaches its host through the dialer `dialer` makes (or says why it
/// cannot), as a task on the network's runtime.
pub(crate) fn start<S: Side, D: Dialer>(
    name: &'static str,
    dialer: impl FnOnce() -> Result<D, NetError> + Send + 'static,
    timing: Timing,
    wake: Wake,
    side: impl FnOnce(&D) -> S + Send + 'static,
) -> NetLink {
    let (command_tx, commands) = mpsc::channel(CHANNEL_CAPACITY);
    let (event_tx, event_rx) = mpsc::channel(CHANNEL_CAPACITY);
    let shutdown = CancellationToken::new();
    let mut outbox = Outbox::new(event_tx, wake);
    let runtime = match runtime::handle() {
        Ok(runtime) => runtime,
        Err(error) => {
            outbox.push(NetEvent::Error(error));
            return NetLink::new(command_tx, event_rx, shutdown, None);
        }
    };
    let cancelled = shutdown.clone();
    let task = HandleTask::spawn(runtime, name, async move {
        let dialer = match dialer() {
            Ok(dialer) => dialer,
            Err(error) => return fail(&mut outbox, error).await,
        };
        let side = side(&dialer);
        run(side, dialer, timing, commands, outbox, cancelled).await;
    });
    NetLink::new(command_tx, event_rx, shutdown, Some(task))
}

/// How many times the first connection is tried again when it was lost during the handshake
/// (a host busy with a crowd of connections may have pushed it out).
const FIRST_CONNECT_RETRIES: u32 = 3;

/// Runs a client: the first connection, then its sessions and reconnections until the match is
/// over, this side leaves, or the front end is gone.
async fn run<S: Side, D: Dialer>(
    mut side: S,
    dialer: D,
    timing: Timing,
    mut commands: mpsc::Receiver<Command>,
    mut outbox: Outbox,
    shutdown: CancellationToken,
) {
    outbox.push(NetEvent::Stage(Stage::Connecting {
        ip_port: dialer.describe(),
    }));
    let first = tokio::select! {
        () = shutdown.cancelled() => return,
        first = first_connect(&mut side, &dialer, &timing, &mut outbox) => first,
    };
    let (mut conn, welcomed, replica) = match first {
        Ok(first) => first,
        Err(error) => return fail(&mut outbox, error).await,
    };
    let mut client = Client {
        side,
        mirror: Mirror {
            replica,
            outbox,
            queue: Vec::new(),
            terms: welcomed.terms.clone(),
            connected: true,
            round_trip: RoundTrip::new(),
            fatal: None,
        },
        dialer,
        timing,
    };
    client.welcomed(&welcomed);
    client.follow_route(&conn);
    loop {
        match client.session(&mut conn, &mut commands, &shutdown).await {
            SessionEnd::Finished => {
                client.side.finished();
                break;
            }
            // The window was closed, or the program ends: a seat is kept for the next start.
            SessionEnd::Closed => break,
            SessionEnd::Lost => {}
        }
        match client.reconnect(&mut commands, &shutdown).await {
            Ok(new_conn) => {
                conn = new_conn;
                client.follow_route(&conn);
            }
            Err(SessionEnd::Closed) => break,
            Err(SessionEnd::Finished | SessionEnd::Lost) => {
                client.side.finished();
                break;
            }
        }
    }
    drop(conn);
    client.dialer.close().await;
    client.mirror.outbox.push(NetEvent::Stage(Stage::Ended));
    client
        .mirror
        .outbox
        .finish(Duration::from_millis(200))
        .await;
}

/// Tells the front end why this side could not start, and that it has ended.
async fn fail(outbox: &mut Outbox, error: NetError) {
    tracing::info!(%error, "could not connect");
    outbox.push(NetEvent::Error(error));
    outbox.push(NetEvent::Stage(Stage::Ended));
    outbox.finish(Duration::from_millis(200)).await;
}

/// The first connection and the replica from its snapshot. Tried again, after a short and
/// growing wait, when it was lost during the handshake or the host's welcome could not be read
/// (at most [`MAX_UNREADABLE`] times), and for up to [`Timing::give_up_busy_after`] while the
/// host turns this address's connections away; nobody hosting, no answer or a refusal end it
/// at once.
async fn first_connect<S: Side, D: Dialer>(
    side: &mut S,
    dialer: &D,
    timing: &Timing,
    outbox: &mut Outbox,
) -> Result<(HostLine, Welcomed, Replica), NetError> {
    let mut wait = timing.backoff_first / 4;
    let (mut lost, mut unreadable) = (0, 0);
    let mut busy: Option<Busy> = None;
    loop {
        let hello = side.hello(None);
        let error = match connect::<S, D>(hello, dialer, timing, outbox).await {
            Ok((conn, welcomed)) => {
                let me = welcomed.seat.as_ref().map(|(me, _)| *me);
                match welcomed.snapshot.as_ref().map(|s| Replica::new(s, me)) {
                    Some(Ok(replica)) => return Ok((conn, welcomed, replica)),
                    Some(Err(error)) => {
                        tracing::warn!(%error, "the host's first snapshot is not legal");
                        NetError::Unreadable
                    }
                    None => NetError::ConnectionLost,
                }
            }
            Err(error) => error,
        };
        let pause = match &error {
            NetError::ConnectionLost => {
                lost += 1;
                (lost <= FIRST_CONNECT_RETRIES).then_some(wait)
            }
            NetError::Unreadable => {
                unreadable += 1;
                (unreadable < MAX_UNREADABLE).then_some(wait)
            }
            NetError::Busy { retry_after, .. } => {
                let now = Instant::now();
                let busy = busy.get_or_insert_with(|| Busy::new(now, timing));
                busy.pause(retry_after.unwrap_or(wait), now)
            }
            _ if side.refused(&error) => continue,
            _ => None,
        };
        let Some(pause) = pause else {
            return Err(error);
        };
        tracing::info!(%error, ?pause, "the first connection failed: trying again");
        tokio::time::sleep(pause).await;
        wait = (wait * 2).min(timing.backoff_first);
        outbox.push(NetEvent::Stage(Stage::Connecting {
            ip_port: dialer.describe(),
        }));
    }
}

/// Trying again a host that turns this address's connections away, until a deadline.
struct Busy {
    /// When to stop trying and say the host is busy.
    until: Instant,
    rng: rand::rngs::SmallRng,
}

impl Busy {
    /// Turned away for the first time at `now`.
    fn new(now: Instant, timing: &Timing) -> Self {
        use rand::SeedableRng as _;
        Self {
            until: now + timing.give_up_busy_after,
            rng: rand::rngs::SmallRng::from_os_rng(),
        }
    }

    /// The wait before the next try: `wait` (what the host asked for, or a guess) and up to half
    /// as much again at random, so that people turned away together do not all come back
    /// together; `None` once that would pass the deadline.
    fn pause(&mut self, wait: Duration, now: Instant) -> Option<Duration> {
        use rand::Rng as _;
        let pause = wait.mul_f64(self.rng.random_range(1.0..1.5));
        (now + pause < self.until).then_some(pause)
    }
}

/// Dials, then says `hello` and expects a side `S`'s welcome.
async fn connect<S: Side, D: Dialer>(
    hello: ClientMsg,
    dialer: &D,
    timing: &Timing,
    outbox: &mut Outbox,
) -> Result<(HostLine, Welcomed), NetError> {
    let mut conn = dialer.dial(timing).await?;
    outbox.push(NetEvent::Stage(Stage::Waiting));
    let welcomed = hello::say_hello(&mut conn, &hello, &dialer.describe(), timing).await?;
    Ok((conn, welcomed))
}

impl<S: Side, D: Dialer> Client<S, D> {
    /// Tells the front end how this connection runs, and whenever that changes.
    fn follow_route(&self, conn: &HostLine) {
        if let Some(route) = conn.get_ref().route() {
            self.mirror.outbox.follow_route(route);
        }
    }

    /// The host welcomed this side on a new connection.
    fn welcomed(&mut self, welcomed: &Welcomed) {
        self.mirror.terms = welcomed.terms.clone();
        self.mirror
            .replica
            .agree_series(welcomed.terms.auto_rematch());
        self.mirror.connected = true;
        self.side.welcomed(welcomed, &mut self.mirror);
        self.mirror.outbox.push(NetEvent::Stage(Stage::Playing));
        self.publish();
    }

    /// Plays on one connection until it ends.
    async fn session(
        &mut self,
        conn: &mut HostLine,
        commands: &mut mpsc::Receiver<Command>,
        shutdown: &CancellationToken,
    ) -> SessionEnd {
        let mut heartbeat = Heartbeat::new(&self.timing);
        self.side.drive(&mut self.mirror);
        loop {
            if !self.mirror.queue.is_empty() && !self.write_queue(conn).await {
                return SessionEnd::Lost;
            }
            if let Some(error) = self.mirror.fatal.take() {
                self.mirror.outbox.push(NetEvent::Error(error));
                conn.close(close_code::NORMAL, "").await;
                return SessionEnd::Finished;
            }
            if self.mirror.replica.state().over().is_some() {
                conn.close(close_code::NORMAL, "").await;
                return SessionEnd::Finished;
            }
            let outbox = &mut self.mirror.outbox;
            let read = conn.read_msg();
            let input = next_input(commands, shutdown, outbox, read, heartbeat.deadline()).await;
            match input {
                SessionInput::Read(read) => {
                    heartbeat.heard();
                    if let Some(end) = self.read(*read, conn).await {
                        return end;
                    }
                }
                SessionInput::Command(Some(Command::Intent(Intent::Leave))) => {
                    self.mirror.queue.push(ClientMsg::Leave);
                    self.leave_here();
                    if self.write_queue(conn).await {
                        conn.close(close_code::NORMAL, "left").await;
                        conn.drain(Duration::from_millis(500)).await;
                    }
                    return SessionEnd::Finished;
                }
                // The front end is gone without leaving (the window closed): the host holds
                // the seat, and the next start takes it back.
                SessionInput::Shutdown | SessionInput::Command(None) => {
                    if !self.mirror.queue.is_empty() {
                        self.write_queue(conn).await;
                    }
                    conn.close(close_code::GOING_AWAY, "closed").await;
                    return SessionEnd::Closed;
                }
                SessionInput::Command(Some(Command::Intent(intent))) => {
                    if self.side.intent(intent, &mut self.mirror) {
                        self.publish();
                    }
                }
                SessionInput::Command(Some(Command::Chat(text))) => {
                    self.side.chat(&text, &mut self.mirror);
                }
                SessionInput::Timer => match heartbeat.tick(Instant::now()) {
                    Beat::Dead => {
                        tracing::info!("the host went silent");
                        return SessionEnd::Lost;
                    }
                    Beat::Ping => {
                        let t = self.mirror.round_trip.stamp();
                        self.mirror.queue.push(ClientMsg::Ping { t });
                        self.side.pinged(&self.mirror);
                    }
                    Beat::Quiet => {}
                },
                SessionInput::Drained => {}
            }
        }
    }

    /// What was read from the host; `Some` when the connection is done for.
    async fn read(
        &mut self,
        read: Result<Option<ServerMsg>, ReadError>,
        conn: &mut HostLine,
    ) -> Option<SessionEnd> {
        match read {
            Ok(Some(msg)) => self.on_msg(msg),
            // A type this side does not know (a newer host's) is ignored; a known one it cannot
            // read (an event of an unknown kind, a snapshot with an unknown mark) may have
            // changed the match.
            Err(ReadError::Parse(error)) => {
                tracing::warn!(%error, "a bad message from the host");
                if matches!(error, ParseError::Malformed { .. }) {
                    let updates = self.mirror.replica.on_unreadable(&error.to_string());
                    self.mirror.take_updates(updates);
                }
            }
            Err(ReadError::Control) => {}
            Err(ReadError::TooLarge { size, .. }) => {
                tracing::warn!(size, "an oversized message from the host");
                conn.close(close_code::TOO_BIG, "").await;
                return Some(SessionEnd::Lost);
            }
            Ok(None) | Err(_) => {
                tracing::info!("the connection to the host dropped");
                return Some(SessionEnd::Lost);
            }
        }
        None
    }

    /// Sends everything queued in one flush; `false` when the connection failed.
    async fn write_queue(&mut self, conn: &mut HostLine) -> bool {
        let msgs = std::mem::take(&mut self.mirror.queue);
        let written = write_batch(conn, &msgs, self.timing.write_timeout).await;
        self.mirror.queue = msgs;
        self.mirror.queue.clear();
        written
    }

    /// This side leaves: the match, as this side has it, ends the way the host will end it
    /// (event `left`), so a game cut short is reported like any other.
    fn leave_here(&mut self) {
        if let Some(over) = self.mirror.replica.leave() {
            self.mirror.outbox.push(NetEvent::GameOver(Box::new(over)));
        }
        self.publish();
    }

    fn on_msg(&mut self, msg: ServerMsg) {
        let mirror = &mut self.mirror;
        match msg {
            ServerMsg::Event {
                v,
                digest,
                chain,
                event,
            } => {
                let updates = mirror.replica.on_event(v, digest, chain, event);
                if updates.contains(&Update::NeedSnapshot) {
                    tracing::info!(
                        v,
                        have = mirror.replica.state().v(),
                        "asking for a snapshot"
                    );
                }
                mirror.take_updates(Ok(updates));
                self.after_change();
            }
            ServerMsg::Ack { id, .. } => {
                self.side.answered(id);
                self.after_change();
            }
            ServerMsg::Rejected {
                id,
                reason,
                message,
            } => {
                if let Some(id) = id {
                    self.side.answered(id);
                }
                tracing::info!(?reason, "the host refused a message");
                mirror.refused(reason, message);
                // A snapshot follows a refused command; until then events may not fit.
                mirror.replica.on_refused(id.is_some());
                self.publish();
            }
            ServerMsg::Snapshot(snapshot) => {
                let updates = mirror.replica.on_snapshot(&snapshot);
                mirror.take_updates(updates);
                self.after_change();
            }
            ServerMsg::Ping { t } => mirror.queue.push(ClientMsg::Pong { t }),
            ServerMsg::Pong { t } => {
                mirror.round_trip.pong(&t);
                self.publish();
            }
            ServerMsg::Watchers { count } => {
                mirror.terms.watchers = count;
                self.publish();
            }
            ServerMsg::Chat(line) => mirror.outbox.push(NetEvent::Chat(line)),
            ServerMsg::Welcome { .. } | ServerMsg::WatchWelcome { .. } | ServerMsg::Reject(_) => {
                tracing::warn!("an unexpected handshake message from the host");
            }
        }
    }

    fn after_change(&mut self) {
        self.side.drive(&mut self.mirror);
        self.publish();
    }

    fn publish(&mut self) {
        let view = self.side.view(&self.mirror);
        self.mirror.outbox.push(NetEvent::State(Box::new(view)));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_busy_host_is_tried_again_a_little_after_the_wait_until_the_deadline() {
        let timing = Timing {
            give_up_busy_after: Duration::from_secs(10),
            ..Timing::default()
        };
        let now = Instant::now();
        let mut busy = Busy::new(now, &timing);
        let second = Duration::from_secs(1);
        for _ in 0..100 {
            let pause = busy.pause(second, now).unwrap();
            assert!(pause >= second && pause < second * 3 / 2, "{pause:?}");
        }
        // Waiting longer than the deadline allows is giving up.
        assert_eq!(busy.pause(second * 60, now), None);
        assert_eq!(busy.pause(second, now + second * 9), None);
    }
}
