//! The wire: every message that crosses the WebSocket, as typed Rust values, and how text becomes them.
//!
//! `docs/PROTOCOL.md` is the specification; this module is its one implementation. Parsing happens
//! once, here, at the edge: unknown or malformed input becomes a typed [`ParseError`], never a panic.
//! Owns no I/O (that is [`super::connection`]) and no rules (that is [`crate::game`]).

use serde::{Deserialize, Serialize};

use crate::game::{Cell, Chain, Digest, Event, Player, Snapshot, Variant};

mod parse;

pub use parse::{Inbound, ParseError};

/// The protocol version spoken by this build. Bumped on any incompatible change of the wire.
///
/// Version 2 added the bigger games (`rules.game`, cells beyond 9, `wrong_board`). A classic
/// match is the same on both, so a host of classic also admits joiners of version 1
/// ([`CLASSIC_PROTOCOL`]).
pub const PROTOCOL_VERSION: u32 = 2;

/// The oldest protocol version that plays classic Tic-Tac-Toe as this build does: a classic host
/// admits joiners and watchers from this version up.
pub const CLASSIC_PROTOCOL: u32 = 1;

/// The version of this app, sent in `hello` and `welcome` so a mismatch can name both.
pub const APP_VERSION: &str = env!("CARGO_PKG_VERSION");

/// The port a host listens on unless told otherwise.
pub const DEFAULT_PORT: u16 = 7878;

/// The most bytes one WebSocket message (or frame) may carry. Every legal message is far smaller.
pub const MAX_MESSAGE_BYTES: usize = 4 * 1024;

/// WebSocket close codes the host and joiner use (RFC 6455 §7.4 plus application codes).
pub mod close_code {
    /// The match ended normally (a `leave`, or the match is over).
    pub const NORMAL: u16 = 1000;
    /// The host is shutting down.
    pub const GOING_AWAY: u16 = 1001;
    /// A binary frame or a broken WebSocket frame.
    pub const PROTOCOL_ERROR: u16 = 1002;
    /// Abuse: too many messages, or no `hello` in time.
    pub const POLICY: u16 = 1008;
    /// A message larger than [`super::MAX_MESSAGE_BYTES`].
    pub const TOO_BIG: u16 = 1009;
    /// The host refused the `hello`; the `reject` message just before says why.
    pub const REJECTED: u16 = 4000;
    /// Another connection resumed this seat with its token.
    pub const REPLACED: u16 = 4001;
}

/// Resuming a seat after a dropped connection.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Resume {
    /// The token the host gave in `welcome`.
    pub token: String,
    /// The last event version this joiner applied; absent when it kept no state (it was started
    /// again), and then the host sends a full snapshot.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub v: Option<u64>,
}

/// The `t` of a `ping`: any whole number a JSON integer can be, from −2⁶³ to 2⁶⁴−1, echoed back
/// exactly as it came.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(transparent)]
pub struct Stamp(serde_json::Number);

impl Stamp {
    /// A stamp of `micros`.
    #[must_use]
    pub fn from_micros(micros: u64) -> Self {
        Self(micros.into())
    }

    /// The stamp as microseconds, if it is a whole number from 0 up.
    #[must_use]
    pub fn micros(&self) -> Option<u64> {
        self.0.as_u64()
    }
}

impl<'de> Deserialize<'de> for Stamp {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let number = serde_json::Number::deserialize(deserializer)?;
        if number.is_i64() || number.is_u64() {
            Ok(Self(number))
        } else {
            Err(serde::de::Error::custom(format!(
                "{number} is not a whole number"
            )))
        }
    }
}

/// A message from the joiner to the host.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum ClientMsg {
    /// The first message on every connection: who is asking, speaking which protocol.
    Hello {
        /// The joiner's [`PROTOCOL_VERSION`].
        protocol: u32,
        /// The joiner's app version, shown to people when versions differ.
        app: String,
        /// The joiner's name.
        name: String,
        /// The seat code shown on the host's screen, when the host requires one.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        seat_code: Option<String>,
        /// Present when reconnecting to a seat this joiner already holds.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        resume: Option<Resume>,
        /// The joiner asks in advance for every next game (a computer player in a series). When
        /// the host agrees (`rules.auto_rematch` in `welcome`), each next game starts as soon as
        /// the last one ends, with no `rematch` from the joiner.
        #[serde(default, skip_serializing_if = "is_false")]
        auto_rematch: bool,
        /// What the connection asks to be: a player (the default, and what a `hello` without
        /// `role` means) or a watcher.
        #[serde(default, skip_serializing_if = "HelloRole::is_play")]
        role: HelloRole,
    },
    /// Place the joiner's mark on `cell` (1–9 on the classic board; up to 81 or 225 on the bigger
    /// games', numbered as in events).
    Play {
        /// The command id, echoed in `ack` or `rejected`.
        id: u64,
        /// The square: its index plus one.
        #[serde(with = "crate::game::any_board")]
        cell: Cell,
    },
    /// Ask for the next game once this one is over; it starts when both have asked.
    Rematch {
        /// The command id.
        id: u64,
    },
    /// Give up the current game.
    Resign {
        /// The command id.
        id: u64,
    },
    /// Ask for a full `snapshot` (after a gap or a digest mismatch).
    Sync,
    /// Leave the match for good; the host ends it at once.
    Leave,
    /// Heartbeat; the other side answers `pong` with the same `t`.
    Ping {
        /// Any integer, opaque to the receiver; echoed back.
        t: Stamp,
    },
    /// Answer to the host's `ping`.
    Pong {
        /// The `t` of the `ping`.
        t: Stamp,
    },
    /// A line of chat for everyone in the match (see [`MAX_CHAT_CHARS`]).
    Chat {
        /// What was said.
        text: String,
    },
}

/// What a connection asks to be in its `hello`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum HelloRole {
    /// The opponent: takes (or takes back) the one seat.
    #[default]
    Play,
    /// A watcher: sees the match and its chat, and can change nothing.
    Watch,
}

impl HelloRole {
    /// For `skip_serializing_if`: a player's `hello` is written as it always was.
    #[must_use]
    pub const fn is_play(&self) -> bool {
        matches!(self, Self::Play)
    }
}

/// The most characters a line of chat may have once cleaned.
pub const MAX_CHAT_CHARS: usize = 200;

/// How many lines of chat a connection may send at once, by default…
pub const CHAT_BURST: u32 = 3;

/// …and how many a second after that.
pub const CHAT_PER_SECOND: u32 = 1;

/// Cleans a line of chat: control and text-direction characters are removed, surrounding white
/// space is trimmed. A line that is empty then, or longer than [`MAX_CHAT_CHARS`], is refused.
pub fn clean_chat(text: &str) -> Result<String, Refusal> {
    let cleaned: String = text
        .chars()
        .filter(|&c| {
            !c.is_control()
                && !matches!(c, '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
        })
        .collect();
    let cleaned = cleaned.trim();
    if cleaned.is_empty() {
        Err(Refusal::ChatEmpty)
    } else if cleaned.chars().count() > MAX_CHAT_CHARS {
        Err(Refusal::ChatTooLong)
    } else {
        Ok(cleaned.to_owned())
    }
}

impl ClientMsg {
    /// The command id, for the messages that carry one.
    #[must_use]
    pub const fn id(&self) -> Option<u64> {
        match self {
            Self::Play { id, .. } | Self::Rematch { id } | Self::Resign { id } => Some(*id),
            Self::Hello { .. }
            | Self::Sync
            | Self::Leave
            | Self::Ping { .. }
            | Self::Pong { .. }
            | Self::Chat { .. } => None,
        }
    }
}

/// The rules the host plays by, told in `welcome` so a joiner need not assume them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Rules {
    /// Who moves first in game 1; afterwards the first player alternates.
    pub first: Player,
    /// How often each side sends `ping`, in milliseconds.
    pub ping_ms: u64,
    /// Silence after which a side counts the link as dead, in milliseconds.
    pub dead_after_ms: u64,
    /// How long the host keeps a dropped joiner's seat, in milliseconds.
    pub grace_ms: u64,
    /// Both sides asked for every next game in advance: when a game ends, the host sends both
    /// players' `rematch` and the `new_game` at once, and the joiner sends no `rematch`.
    #[serde(default)]
    pub auto_rematch: bool,
    /// The game the match plays; absent for classic (protocol 2).
    #[serde(default, skip_serializing_if = "Variant::is_classic")]
    pub game: Variant,
}

/// For `skip_serializing_if`: leaves a `false` flag out of the message.
const fn is_false(flag: &bool) -> bool {
    !*flag
}

/// A message from the host to the joiner.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum ServerMsg {
    /// The `hello` was accepted: the seat is the joiner's.
    Welcome {
        /// The host's [`PROTOCOL_VERSION`].
        protocol: u32,
        /// The host's app version.
        app: String,
        /// The joiner's mark.
        you: Player,
        /// Keep it: `hello` with this token reclaims the seat after a dropped connection.
        token: String,
        /// The rules and timings in force.
        rules: Rules,
        /// The whole state. `null` only when resuming: then the missed events follow instead.
        snapshot: Option<Snapshot>,
    },
    /// The `hello` was refused; the host closes the connection right after.
    Reject(Reject),
    /// Something happened in the match. Versions increase by exactly one.
    Event {
        /// This event's version: the previous one plus one.
        v: u64,
        /// The digest of the current game after applying it.
        digest: Digest,
        /// The match's hash chain head after applying it (`docs/PROTOCOL.md`).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        chain: Option<Chain>,
        /// What happened.
        event: Event,
    },
    /// The command with this id was applied (or had already been).
    Ack {
        /// The command id.
        id: u64,
        /// The version of the state once the command was applied.
        v: u64,
    },
    /// A command or message was refused and changed nothing. A `snapshot` follows when it was a command.
    Rejected {
        /// The command id, when one could be read.
        id: Option<u64>,
        /// Why.
        reason: Refusal,
        /// The same, in words a person can read.
        message: String,
    },
    /// The whole state at version `v`; it replaces whatever the joiner had.
    Snapshot(Snapshot),
    /// Heartbeat; answer `pong` with the same `t`.
    Ping {
        /// Any integer, opaque to the receiver; echoed back.
        t: Stamp,
    },
    /// Answer to the joiner's `ping`.
    Pong {
        /// The `t` of the `ping`.
        t: Stamp,
    },
    /// The `hello` of a watcher was accepted: the match so far, then every event as it happens.
    WatchWelcome {
        /// The host's [`PROTOCOL_VERSION`].
        protocol: u32,
        /// The host's app version.
        app: String,
        /// The rules and timings in force.
        rules: Rules,
        /// Whether the host lets watchers chat.
        chat: bool,
        /// How many are watching, this watcher included.
        watchers: u64,
        /// The whole state.
        snapshot: Snapshot,
    },
    /// How many are watching now (sent when it changes, at most twice a second).
    Watchers {
        /// The number of watchers.
        count: u64,
    },
    /// A line of chat.
    Chat(ChatLine),
}

/// A line of chat, as the host passes it on.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChatLine {
    /// The name of who said it.
    pub name: String,
    /// The mark of the player who said it, or `None` for a watcher.
    pub player: Option<Player>,
    /// What was said, cleaned (see [`clean_chat`]).
    pub text: String,
}

/// A refused `hello`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reject {
    /// Why.
    pub reason: RejectReason,
    /// The same, in words a person can read.
    pub message: String,
    /// The host's protocol version.
    pub protocol: u32,
    /// The host's app version.
    pub app: String,
}

/// Why a `hello` was refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RejectReason {
    /// The joiner speaks another protocol version; `reject` carries the host's.
    VersionMismatch,
    /// Someone else holds the only seat.
    MatchFull,
    /// The host requires a seat code and this one is missing or wrong.
    BadSeatCode,
    /// Too many wrong seat codes came from this address lately: it may try again later.
    TooManyTries,
    /// The resume token is not this seat's.
    BadToken,
    /// The match has ended; there is nothing to join.
    MatchOver,
    /// The first message was not a valid `hello`.
    ExpectedHello,
    /// No `hello` arrived in time.
    HelloTimeout,
    /// A watcher's `hello`, and this host admits no watchers.
    WatchingOff,
    /// A watcher's `hello`, and as many watch as the host admits.
    TooManyWatchers,
}

/// Why a message after `hello` was refused (`rejected`). Nothing changed. The rules' own reasons
/// are [`crate::game::Refusal`]'s, and become these on the wire.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Refusal {
    /// It is the other player's turn.
    NotYourTurn,
    /// The cell already holds a mark.
    Occupied,
    /// The cell is not on the board: 1–9 in classic, 1–81 in Ultimate, 1–225 in Gomoku.
    OutOfRange,
    /// Ultimate: the move is not in the small board the opponent's last move sent the mover to,
    /// or that small board is finished (protocol 2).
    WrongBoard,
    /// The game is over: only `rematch` (or `leave`) makes sense now.
    GameOver,
    /// A rematch was asked while the game is still being played.
    GameInProgress,
    /// The match has ended.
    MatchOver,
    /// The `type` is not one this protocol knows.
    UnknownType,
    /// Not JSON, not an object, or a field is missing or has the wrong type.
    Malformed,
    /// A binary frame: the protocol is JSON text only.
    Binary,
    /// The message was larger than [`MAX_MESSAGE_BYTES`]; the connection is closed.
    TooLarge,
    /// Too many messages; the connection is closed.
    RateLimited,
    /// A `hello` on a connection that already has a seat.
    Unexpected,
    /// A command from a watcher: watchers cannot play.
    Watching,
    /// A line of chat that is empty once cleaned.
    ChatEmpty,
    /// A line of chat longer than [`MAX_CHAT_CHARS`].
    ChatTooLong,
    /// Lines of chat too fast: a few at once, then one a second.
    ChatTooFast,
    /// A line of chat from a watcher, and this host lets only the players chat.
    ChatOff,
}

impl From<crate::game::Refusal> for Refusal {
    /// The rules' reason on the wire. Undo and claims have no message on the wire, so their
    /// refusals never reach a joiner; should one be asked for, it is `unexpected`.
    fn from(refusal: crate::game::Refusal) -> Self {
        use crate::game::{MoveError, Refusal as RulesRefusal};
        match refusal {
            RulesRefusal::Move(MoveError::NotYourTurn { .. }) => Self::NotYourTurn,
            RulesRefusal::Move(MoveError::Occupied { .. } | MoveError::Taken { .. }) => {
                Self::Occupied
            }
            RulesRefusal::Move(MoveError::OffBoard { .. }) => Self::OutOfRange,
            RulesRefusal::Move(MoveError::WrongBoard { .. } | MoveError::BoardClosed { .. }) => {
                Self::WrongBoard
            }
            RulesRefusal::Move(MoveError::GameOver) | RulesRefusal::GameOver => Self::GameOver,
            RulesRefusal::GameInProgress => Self::GameInProgress,
            RulesRefusal::MatchOver => Self::MatchOver,
            RulesRefusal::NothingToUndo
            | RulesRefusal::NoUndoOverNetwork
            | RulesRefusal::NoClock
            | RulesRefusal::TooEarlyToClaim => Self::Unexpected,
        }
    }
}

impl Refusal {
    /// What `rejected` says of a command the rules refused (`refused`, this on the wire): in
    /// classic the sentence protocol 1 said; in the bigger games the rules' own words ("Play in
    /// board 5.").
    #[must_use]
    pub fn said(self, refused: crate::game::Refusal, game: Variant) -> String {
        if game.is_classic() {
            self.message().to_owned()
        } else {
            refused.sentence()
        }
    }

    /// A sentence a person can read.
    #[must_use]
    pub const fn message(self) -> &'static str {
        match self {
            Self::NotYourTurn => "It is not your turn.",
            Self::Occupied => "That square is already taken.",
            Self::OutOfRange => "Squares are numbered 1 to 9.",
            Self::WrongBoard => "That move is in another small board than the one to play in.",
            Self::GameOver => "This game is over. Ask for a rematch to play again.",
            Self::GameInProgress => "The game is still being played.",
            Self::MatchOver => "The match is over.",
            Self::UnknownType => "Unknown message type.",
            Self::Malformed => "The message is not valid JSON of a known shape.",
            Self::Binary => "Binary messages are not part of the protocol: send JSON text.",
            Self::TooLarge => "The message is too large.",
            Self::RateLimited => "Too many messages.",
            Self::Unexpected => "That message is not expected now.",
            Self::Watching => "You are watching: only the players can do that.",
            Self::ChatEmpty => "There is nothing to send.",
            Self::ChatTooLong => "That line is too long: at most 200 characters.",
            Self::ChatTooFast => "Too many lines at once: wait a moment.",
            Self::ChatOff => "This host lets only the players chat.",
        }
    }
}

#[cfg(test)]
mod tests;
