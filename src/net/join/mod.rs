//! The joiner: takes the opponent's seat in a host's match, and takes it back after a drop.
//!
//! It plays the seat (a person through the handle, or a [`Driver`]), and takes it back by
//! itself after a dropped connection, or after being started again while the host holds it.
//!
//! [`start`] runs the joiner as a task on the network's one runtime; the returned
//! [`JoinHandle`] carries the bounded channels to the front end and ends the task when dropped.
//! What the joiner shares with the watcher (dialling, the replica of the match, the connection's
//! life and reconnecting) is [`super::client`]'s; this module owns the seat: its token and its
//! entry on disk ([`kept_seat`]), the commands on their way ([`commands`]), the driver, and the
//! checks made before a command or a line of chat goes. It holds no rules of its own: the
//! replica judges an intent by the engine's rules before it is sent, and the host decides.

mod commands;
mod kept_seat;

pub use super::address::{Target, parse_ip_port};

use crate::game::{Driver, Intent, Player, Replica, Role};

use super::client::{self, Mirror, Side, Terms, Welcomed};
use super::dial::{Dialer as _, InviteDialer};
use super::front_end::NetLink;
use super::invite::Invite;
use super::rate::{Rate, TokenBucket};
use super::seats::{Seat, SeatStore, now_s};
use super::watcher::{self, Watcher};
use super::wire::{
    APP_VERSION, CHAT_BURST, CHAT_PER_SECOND, ClientMsg, HelloRole, PROTOCOL_VERSION, Refusal,
    Resume, clean_chat,
};
use super::{ChatLine, NetError, NetEvent, Timing, View, Wake};
use commands::Commands;
use kept_seat::KeptSeat;

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
    /// starts as soon as one ends (`auto_rematch` in `docs/PROTOCOL.md`).
    pub auto_rematch: bool,
    /// Where the seat is kept while the match lasts, so that a joiner started again takes it
    /// back (default: kept in memory only).
    pub seats: SeatStore,
}

impl Default for JoinConfig {
    fn default() -> Self {
        Self {
            name: String::from("Guest"),
            seat_code: None,
            timing: Timing::default(),
            protocol: PROTOCOL_VERSION,
            driver: None,
            auto_rematch: false,
            seats: SeatStore::in_memory(),
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
            .field("auto_rematch", &self.auto_rematch)
            .field("seats", &self.seats.path())
            .finish()
    }
}

/// The front end's handle on a joiner (or a watcher, [`watch`]).
///
/// Dropping it closes the connection; the host holds a joiner's seat for its grace period, and
/// only a [`Intent::Leave`] sent first ends the match at once.
#[derive(Debug)]
pub struct JoinHandle {
    link: NetLink,
}

impl JoinHandle {
    pub(crate) const fn new(link: NetLink) -> Self {
        Self { link }
    }
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
    let timing = config.timing.clone();
    JoinHandle::new(client::start_tcp(
        "joiner",
        ip_port,
        timing,
        wake,
        move |dialer| joiner(config, dialer.describe()),
    ))
}

/// Starts joining the host of an invite link: every path it names (its addresses over TCP, its
/// key over the peer-to-peer path) is tried at once, and the first to answer is kept.
#[must_use]
pub fn start_invite(invite: &Invite, config: JoinConfig, wake: Wake) -> JoinHandle {
    let timing = config.timing.clone();
    let invite = invite.clone();
    JoinHandle::new(client::start(
        "joiner",
        move || InviteDialer::new(&invite),
        timing,
        wake,
        move |dialer| joiner(config, dialer.describe()),
    ))
}

/// The joiner's side, keeping its seat under `host` (the host as the dialer describes it).
fn joiner(config: JoinConfig, host: String) -> Joiner {
    let mut seat = KeptSeat::new(config.seats, host);
    Joiner {
        token_kept: seat.token_kept(),
        seat,
        name: config.name,
        seat_code: config.seat_code,
        protocol: config.protocol,
        auto_rematch: config.auto_rematch,
        driver: config.driver,
        me: Player::O,
        token: String::new(),
        commands: Commands::new(),
        // The host's chat rate, kept here too: a line it would refuse is refused before it
        // goes, so that a line said is a line passed on.
        chat_rate: TokenBucket::new(Rate::new(CHAT_BURST, CHAT_PER_SECOND)),
    }
}

/// Starts watching the match hosted at `ip_port`, with no seat.
///
/// No intent but leaving is taken, and a lost connection is watched again from a fresh
/// snapshot. Of `config`, the name, the seat code, the protocol and the timing count.
///
/// The views that arrive have [`View::watching`] set; games that end arrive as
/// [`NetEvent::GameOver`] as for a player, and chat as [`NetEvent::Chat`].
#[must_use]
pub fn watch(ip_port: &str, config: JoinConfig, wake: Wake) -> JoinHandle {
    let watcher = Watcher {
        name: config.name,
        seat_code: config.seat_code,
        protocol: config.protocol,
    };
    JoinHandle::new(watcher::start(ip_port, watcher, config.timing, wake))
}

/// Where a joiner or a watcher goes: an address as a person typed it, or an invite link's host
/// (every path the link names).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Destination {
    /// An address as typed (see [`parse_ip_port`]).
    Address(String),
    /// An invite link's host.
    Invite(Box<Invite>),
}

/// Starts joining the host at `to` ([`start`] or [`start_invite`]).
#[must_use]
pub fn start_to(to: &Destination, config: JoinConfig, wake: Wake) -> JoinHandle {
    match to {
        Destination::Address(ip_port) => start(ip_port, config, wake),
        Destination::Invite(invite) => start_invite(invite, config, wake),
    }
}

/// Starts watching the match at `to` ([`watch`] or [`watch_invite`]).
#[must_use]
pub fn watch_to(to: &Destination, config: JoinConfig, wake: Wake) -> JoinHandle {
    match to {
        Destination::Address(ip_port) => watch(ip_port, config, wake),
        Destination::Invite(invite) => watch_invite(invite, config, wake),
    }
}

/// Starts watching the match of an invite link's host, every path tried at once (see
/// [`start_invite`] and [`watch`]).
#[must_use]
pub fn watch_invite(invite: &Invite, config: JoinConfig, wake: Wake) -> JoinHandle {
    let watcher = Watcher {
        name: config.name,
        seat_code: config.seat_code,
        protocol: config.protocol,
    };
    let invite = invite.clone();
    JoinHandle::new(client::start(
        "watcher",
        move || InviteDialer::new(&invite),
        config.timing,
        wake,
        |_| watcher,
    ))
}

/// The joiner's side of the match.
struct Joiner {
    name: String,
    seat_code: Option<String>,
    protocol: u32,
    /// Asked for in `hello`; the host's welcome says whether it is agreed.
    auto_rematch: bool,
    driver: Option<Box<dyn Driver>>,
    me: Player,
    /// The seat's resume token, once welcomed.
    token: String,
    /// The token of a seat an earlier run kept at this host: tried first.
    token_kept: Option<String>,
    /// Where the seat is kept for a joiner started again.
    seat: KeptSeat,
    commands: Commands,
    chat_rate: TokenBucket,
}

impl Joiner {
    /// Keeps the seat, with the host heard from now.
    fn keep_seat(&mut self, replica: &Replica, terms: &Terms) {
        self.seat.keep(Seat {
            token: self.token.clone(),
            name: self.name.clone(),
            host_name: replica.state().name(self.me.other()).to_owned(),
            heard_s: now_s(),
            grace_s: terms.grace().as_secs(),
        });
    }

    /// Numbers `intent`, keeps it until answered and queues it for the host.
    fn send_command(&mut self, intent: Intent, mirror: &mut Mirror) {
        if let Some(msg) = self.commands.send(intent) {
            if intent == Intent::Resign {
                mirror.replica.resigning();
            }
            mirror.queue.push(msg);
        }
    }
}

impl Side for Joiner {
    fn hello(&self, replica: Option<&Replica>) -> ClientMsg {
        let resume = match replica {
            Some(replica) => Some(Resume {
                token: self.token.clone(),
                v: Some(replica.state().v()),
            }),
            // A seat kept from an earlier run (a crash, a window closed) is taken back.
            None => self
                .token_kept
                .clone()
                .map(|token| Resume { token, v: None }),
        };
        ClientMsg::Hello {
            protocol: self.protocol,
            app: APP_VERSION.to_owned(),
            name: self.name.clone(),
            seat_code: self.seat_code.clone(),
            resume,
            auto_rematch: self.auto_rematch,
            role: HelloRole::Play,
        }
    }

    fn welcomed(&mut self, welcomed: &Welcomed, mirror: &mut Mirror) {
        if let Some((me, token)) = &welcomed.seat {
            self.me = *me;
            self.token.clone_from(token);
        }
        self.keep_seat(&mirror.replica, &mirror.terms);
        // Commands the host may not have seen go again; the host answers repeats from memory,
        // so nothing is applied twice.
        mirror.queue.extend(self.commands.unanswered());
    }

    fn refused(&mut self, error: &NetError) -> bool {
        match error {
            // The host no longer knows that seat (a new match there): join afresh.
            NetError::BadToken if self.token_kept.take().is_some() => {
                tracing::info!("the kept seat is not the host's any more: joining afresh");
                self.seat.forget();
                true
            }
            NetError::MatchOver => {
                self.seat.forget();
                false
            }
            _ => false,
        }
    }

    fn intent(&mut self, intent: Intent, mirror: &mut Mirror) -> bool {
        if matches!(intent, Intent::Play(_)) && self.commands.pending_cell().is_some() {
            mirror.refused(
                Refusal::Unexpected,
                String::from("Wait for the host to confirm your last move."),
            );
            return false;
        }
        if let Err(refusal) = mirror.replica.decide(intent) {
            mirror.refused(Refusal::from(refusal), refusal.sentence());
            return false;
        }
        self.send_command(intent, mirror);
        true
    }

    fn chat(&mut self, text: &str, mirror: &mut Mirror) {
        let said = clean_chat(text).and_then(|text| {
            if self.chat_rate.take() {
                Ok(text)
            } else {
                Err(Refusal::ChatTooFast)
            }
        });
        match said {
            Ok(text) => {
                mirror.outbox.push(NetEvent::Said(ChatLine {
                    name: mirror.replica.state().name(self.me).to_owned(),
                    player: Some(self.me),
                    text: text.clone(),
                }));
                mirror.queue.push(ClientMsg::Chat { text });
            }
            Err(reason) => mirror.refused(reason, reason.message().to_owned()),
        }
    }

    fn answered(&mut self, id: u64) {
        self.commands.answered(id);
    }

    /// While the link is up, notes now and then that the host was heard from.
    fn pinged(&mut self, mirror: &Mirror) {
        if self.seat.due() {
            self.keep_seat(&mirror.replica, &mirror.terms);
        }
    }

    /// Lets the driver of this side's seat (the computer) act, once nothing is on its way: a
    /// move on its turn, a rematch request once a game is over. In an agreed series the host
    /// starts every next game by itself, so no rematch is sent then.
    fn drive(&mut self, mirror: &mut Mirror) {
        if mirror.replica.syncing() || !mirror.connected || !self.commands.all_answered() {
            return;
        }
        let me = self.me;
        let Some(intent) = self
            .driver
            .as_mut()
            .and_then(|driver| driver.intent(mirror.replica.state(), me))
        else {
            return;
        };
        if intent == Intent::Rematch && mirror.terms.auto_rematch() {
            return;
        }
        match mirror.replica.decide(intent) {
            Ok(_) => self.send_command(intent, mirror),
            Err(refusal) => {
                tracing::warn!(?intent, %refusal, "the driver asked for something refused");
            }
        }
    }

    fn view(&self, mirror: &Mirror) -> View {
        let mut view = mirror.base_view(Role::Joiner, self.me);
        view.pending = self.commands.pending_cell();
        view
    }

    fn finished(&mut self) {
        self.seat.forget();
    }
}
