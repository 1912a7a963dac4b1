//! The channels between a front end (the window, the terminal) and the network side, and what
//! travels on them: [`Intent`]s and chat in, [`NetEvent`]s out, each [`View`] whole.
//!
//! The front end sends with `try_send` and drains events with `try_recv`; both channels are
//! bounded. After each event the network side calls the [`Wake`] callback, so a window can
//! request a repaint. Nothing here blocks the caller or imports a GUI library, and nothing here
//! decides anything about a match or a connection: the host and the joiner fill the channels.

use std::collections::VecDeque;
use std::sync::Arc;
use std::time::{Duration, Instant};

use tokio::sync::mpsc;

use crate::game::{Cell, Facts, GameOver, Intent, Match, Player, Role};

use super::NetError;
use super::runtime::HandleTask;
use super::wire::{ChatLine, Refusal};

/// Called by the network side after each event, from a network thread. A window passes
/// `move || ctx.request_repaint()`.
pub type Wake = Arc<dyn Fn() + Send + Sync>;

/// A wake callback that does nothing (tests, terminal front ends that poll).
#[must_use]
pub fn no_wake() -> Wake {
    Arc::new(|| {})
}

/// How many commands or events may wait in a channel.
pub const CHANNEL_CAPACITY: usize = 64;

/// Where the connection stands.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Stage {
    /// Joiner: opening a connection to `ip_port`.
    Connecting {
        /// The address being tried.
        ip_port: String,
    },
    /// Host: listening, nobody has joined yet. Joiner: connected, waiting for the host's welcome.
    Waiting,
    /// Both players are in the match.
    Playing,
    /// Joiner: the connection dropped; trying again in `retry_in` (attempt `attempt`, from 1),
    /// until `give_up_at`.
    Reconnecting {
        /// The attempt about to be made.
        attempt: u32,
        /// How long until it is made.
        retry_in: Duration,
        /// When this side stops trying: the host has certainly given the seat up by then.
        give_up_at: Instant,
    },
    /// The match is over and the connection is closed (see the last [`View`] and any error).
    Ended,
}

/// Whether the opponent is there.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Presence {
    /// Nobody has joined yet (host only).
    NotJoined,
    /// Connected.
    Connected,
    /// The connection dropped; the seat is held. Once `remaining` reaches zero the player who
    /// stayed may claim the win.
    Away {
        /// The time left of the grace period when this view was made.
        remaining: Duration,
        /// When the grace period ends.
        claim_at: Instant,
    },
    /// The opponent left or the match is over.
    Gone,
}

/// Everything a screen needs to draw a networked match, sent whole after every change: this
/// side's copy of the match and how the connection stands.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct View {
    /// Host or joiner.
    pub role: Role,
    /// My mark.
    pub me: Player,
    /// The match as this side has it (the host's own, or the joiner's mirror of it). My pending
    /// move is *not* in it.
    pub state: Match,
    /// My move sent to the host and not yet confirmed (joiner only): draw it as pending.
    pub pending: Option<Cell>,
    /// Whether this side is connected and may send intents.
    pub connected: bool,
    /// Whether the opponent is there.
    pub opponent: Presence,
    /// The last measured round-trip time to the other side.
    pub rtt: Option<Duration>,
    /// This side only watches (`me` means nothing then, and no intent is taken).
    pub watching: bool,
    /// How many are watching the match.
    pub watchers: u64,
    /// Whether this side may send chat: always for a player, for a watcher when the host lets
    /// watchers chat.
    pub may_chat: bool,
}

impl View {
    /// A view of `state` seen by `me`, connected, the opponent there.
    #[must_use]
    pub fn of(state: &Match, role: Role, me: Player) -> Self {
        Self {
            role,
            me,
            state: state.clone(),
            pending: None,
            connected: true,
            opponent: Presence::Connected,
            rtt: None,
            watching: false,
            watchers: 0,
            may_chat: true,
        }
    }

    /// The name of the player who plays `player`.
    #[must_use]
    pub fn name(&self, player: Player) -> &str {
        self.state.name(player)
    }

    /// Whether I may play a cell now: my turn, connected, nothing pending, the match on.
    #[must_use]
    pub fn my_turn(&self) -> bool {
        self.connected
            && !self.watching
            && self.pending.is_none()
            && self.state.to_move() == Some(self.me)
    }

    /// What this side's clock says, for the rules: the host keeps it, and the opponent is away
    /// past the grace period once the countdown has reached zero.
    #[must_use]
    pub fn facts(&self) -> Facts {
        match self.role {
            Role::Host => Facts::clock(
                matches!(self.opponent, Presence::Away { remaining, .. } if remaining.is_zero()),
            ),
            Role::Joiner => Facts::NONE,
        }
    }

    /// Whether the win may be claimed now, by the rules' claim-win rule.
    #[must_use]
    pub fn can_claim_win(&self) -> bool {
        !self.watching && self.state.may_claim_win(self.me, self.facts())
    }
}

/// What the network side tells the front end.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum NetEvent {
    /// The connection moved to another stage.
    Stage(Stage),
    /// The match changed (or the clock did: countdown, round-trip time). Replaces the last view.
    State(Box<View>),
    /// A command of mine was refused and changed nothing; the message says why.
    Refused {
        /// Why.
        reason: Refusal,
        /// The same, in words a person can read.
        message: String,
    },
    /// Something failed; the message says what and what to do next.
    Error(NetError),
    /// An event of the match, as this side applied it (in order, once each; a snapshot that
    /// replaces the state brings none): how a front end learns that the opponent moved.
    Applied(crate::game::Event),
    /// A game of the match has just ended (never folded into a later view, so that every game
    /// can be recorded, however fast they go).
    GameOver(Box<GameOver>),
    /// The host changed what this side had already seen (a move, an ending, the score, the
    /// history): its word was taken, and this says how, with both versions. Front ends show it
    /// and keep it with the game they record next.
    Dispute(String),
    /// How the connection to the other computer runs now (peer-to-peer connections only): at
    /// first once the handshake is done, then whenever it changes.
    Route(super::p2p::Route),
    /// Host: what the router did when asked to open the port to the internet.
    Router(RouterEvent),
    /// A line of chat from someone else in the match (a player's own lines are not echoed back
    /// to them; a watcher's own lines are, like everyone's).
    Chat(ChatLine),
    /// A player's own line of chat, as cleaned and sent (the host passes it on; nobody echoes
    /// it back). A line refused here arrives as [`NetEvent::Refused`] instead.
    Said(ChatLine),
}

/// What happened with the router, for the host's screen.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RouterEvent {
    /// The port is open to the internet.
    Open {
        /// The internet address a friend elsewhere joins, such as `203.0.113.7:7878`.
        ip_port: String,
        /// How it was opened.
        method: super::router::Method,
        /// The seat code required from now on, when the host made one as the port opened.
        seat_code: Option<String>,
    },
    /// The port could not be opened, or no longer is; the message says what to do instead.
    Failed(super::router::RouterError),
}

/// What a front end sends the network side: an intent for the match, or a line of chat.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Command {
    /// Something for the match.
    Intent(Intent),
    /// A line of chat to send.
    Chat(String),
}

/// The network side's end of the event channel. Never blocks: when the front end falls behind,
/// events wait in a backlog where consecutive views collapse into the newest.
pub(crate) struct Outbox {
    tx: mpsc::Sender<NetEvent>,
    backlog: VecDeque<NetEvent>,
    wake: Wake,
    /// Sees every event as it is pushed (the host's reach task follows the seat this way).
    tap: Option<Tap>,
}

/// What an [`Outbox`] shows every event to.
pub(crate) type Tap = Box<dyn Fn(&NetEvent) + Send>;

impl Outbox {
    pub(crate) fn new(tx: mpsc::Sender<NetEvent>, wake: Wake) -> Self {
        Self {
            tx,
            backlog: VecDeque::new(),
            wake,
            tap: None,
        }
    }

    /// The same, with `tap` shown every event pushed.
    pub(crate) fn tapped(tx: mpsc::Sender<NetEvent>, wake: Wake, tap: Tap) -> Self {
        Self {
            tap: Some(tap),
            ..Self::new(tx, wake)
        }
    }

    /// Tells the front end each route `route` takes ([`NetEvent::Route`]), from a task of its
    /// own, until its connection is gone. Must be called on the network's runtime.
    pub(crate) fn follow_route(
        &self,
        route: tokio::sync::watch::Receiver<Option<super::p2p::Route>>,
    ) {
        super::p2p::RouteReporter::new(self.tx.clone(), self.wake.clone()).follow(route);
    }

    /// Sends `event` now if there is room, or queues it.
    pub(crate) fn push(&mut self, event: NetEvent) {
        if let Some(tap) = &self.tap {
            tap(&event);
        }
        if self.backlog.is_empty() {
            match self.tx.try_send(event) {
                Ok(()) => (self.wake)(),
                Err(mpsc::error::TrySendError::Full(event)) => self.backlog.push_back(event),
                Err(mpsc::error::TrySendError::Closed(_)) => {}
            }
        } else if matches!(event, NetEvent::State(_))
            && matches!(self.backlog.back(), Some(NetEvent::State(_)))
        {
            self.backlog.pop_back();
            self.backlog.push_back(event);
        } else {
            self.backlog.push_back(event);
        }
    }

    /// Whether events are waiting for room in the channel.
    pub(crate) fn has_backlog(&self) -> bool {
        !self.backlog.is_empty()
    }

    /// Waits for room and sends the oldest waiting event. For a `select!` branch guarded by
    /// [`Self::has_backlog`].
    pub(crate) async fn drain_one(&mut self) {
        let Ok(permit) = self.tx.reserve().await else {
            self.backlog.clear();
            return;
        };
        if let Some(event) = self.backlog.pop_front() {
            permit.send(event);
            (self.wake)();
        }
    }

    /// Waits (at most `limit`) until every queued event is delivered, e.g. before shutting down.
    pub(crate) async fn finish(&mut self, limit: Duration) {
        let all = async {
            while self.has_backlog() {
                self.drain_one().await;
            }
        };
        if tokio::time::timeout(limit, all).await.is_err() {
            tracing::debug!("events left undelivered at shutdown");
        }
    }
}

/// The front end's end of a running network side: both channels and the task behind them.
///
/// [`HostHandle`](super::HostHandle) and [`JoinHandle`](super::JoinHandle) dereference to it.
/// Dropping it cancels the network side and waits for its task to say its goodbyes.
#[derive(Debug)]
pub struct NetLink {
    commands: mpsc::Sender<Command>,
    events: mpsc::Receiver<NetEvent>,
    shutdown: tokio_util::sync::CancellationToken,
    task: Option<HandleTask>,
}

impl NetLink {
    pub(crate) const fn new(
        commands: mpsc::Sender<Command>,
        events: mpsc::Receiver<NetEvent>,
        shutdown: tokio_util::sync::CancellationToken,
        task: Option<HandleTask>,
    ) -> Self {
        Self {
            commands,
            events,
            shutdown,
            task,
        }
    }

    /// A token that ends the network side when cancelled, as dropping this does, from any
    /// thread (a Ctrl+C handler). The events that follow still arrive here.
    #[must_use]
    pub fn shutdown_token(&self) -> tokio_util::sync::CancellationToken {
        self.shutdown.clone()
    }

    /// Sends an intent without blocking.
    pub fn try_send(&self, intent: Intent) -> Result<(), mpsc::error::TrySendError<Intent>> {
        self.commands
            .try_send(Command::Intent(intent))
            .map_err(|error| match error {
                mpsc::error::TrySendError::Full(_) => mpsc::error::TrySendError::Full(intent),
                mpsc::error::TrySendError::Closed(_) => mpsc::error::TrySendError::Closed(intent),
            })
    }

    /// Sends a line of chat without blocking. The network side cleans it and refuses it with a
    /// [`NetEvent::Refused`] when it is empty, too long or too fast (`docs/PROTOCOL.md`).
    pub fn try_chat(
        &self,
        text: impl Into<String>,
    ) -> Result<(), mpsc::error::TrySendError<String>> {
        self.commands
            .try_send(Command::Chat(text.into()))
            .map_err(|error| match error {
                mpsc::error::TrySendError::Full(Command::Chat(text)) => {
                    mpsc::error::TrySendError::Full(text)
                }
                mpsc::error::TrySendError::Closed(Command::Chat(text)) => {
                    mpsc::error::TrySendError::Closed(text)
                }
                mpsc::error::TrySendError::Full(_) => {
                    mpsc::error::TrySendError::Full(String::new())
                }
                mpsc::error::TrySendError::Closed(_) => {
                    mpsc::error::TrySendError::Closed(String::new())
                }
            })
    }

    /// The next event, if one is waiting. Never blocks.
    pub fn try_recv(&mut self) -> Option<NetEvent> {
        self.events.try_recv().ok()
    }

    /// Waits for the next event (async front ends and tests). `None` once the network side has
    /// stopped.
    pub async fn recv(&mut self) -> Option<NetEvent> {
        self.events.recv().await
    }

    /// Waits for the next event, blocking the thread (terminal front ends). `None` once stopped.
    pub fn blocking_recv(&mut self) -> Option<NetEvent> {
        self.events.blocking_recv()
    }

    /// Sends an intent, blocking the thread while the channel is full (terminal front ends).
    pub fn blocking_send(&self, intent: Intent) -> Result<(), mpsc::error::SendError<Intent>> {
        self.commands
            .blocking_send(Command::Intent(intent))
            .map_err(|_closed| mpsc::error::SendError(intent))
    }
}

impl Drop for NetLink {
    fn drop(&mut self) {
        self.shutdown.cancel();
        if let Some(task) = &self.task {
            task.wait();
        }
    }
}
