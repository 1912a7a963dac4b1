//! What players ask for and what happens: [`Intent`] in, [`Event`]s out, or a [`Refusal`] that
//! says why not. The [`Facts`] are what the rules cannot see for themselves (the clock).

use serde::{Deserialize, Serialize};

use super::{Cell, MoveError, Player};

/// What a player asks for during a match.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Intent {
    /// Place my mark on this cell.
    Play(Cell),
    /// Take back my last move of the current game (and any reply after it). Only in a match at
    /// one computer, and never once the game is over: a finished game stands as it was played.
    Undo,
    /// Ask for the next game, once this one is over; it starts when both players have asked.
    Rematch,
    /// Give up the current game; the other player wins it.
    Resign,
    /// Claim the win because the opponent stayed away past the grace period (see [`Facts`]).
    ClaimWin,
    /// Leave the match for good.
    Leave,
}

/// Something that happened in the match, in the order it was decided. On the wire it is the
/// object tagged by `kind` inside an `event` message (`docs/PROTOCOL.md`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Event {
    /// `player` placed their mark on `cell`.
    Moved {
        /// Who moved.
        player: Player,
        /// Where (the index plus one, on any board).
        #[serde(with = "super::cell::any_board")]
        cell: Cell,
    },
    /// `player`'s mark on `cell`, the last move of the game, was taken back. Only in a match at
    /// one computer: never sent over the network.
    TookBack {
        /// Whose move it was.
        player: Player,
        /// Where it was (the index plus one, on any board).
        #[serde(with = "super::cell::any_board")]
        cell: Cell,
    },
    /// `player` gave up the current game; the other wins it.
    Resigned {
        /// Who resigned.
        player: Player,
    },
    /// `player` wants a rematch. When both do, `new_game` follows.
    Rematch {
        /// Who asked.
        player: Player,
    },
    /// The next game starts, with `first` to move (the first player alternates).
    NewGame {
        /// Who moves first.
        first: Player,
    },
    /// `player` stayed away past the grace period and the other claimed the win. The match is over.
    Abandoned {
        /// Who stayed away.
        player: Player,
    },
    /// `player` left the match. The match is over.
    Left {
        /// Who left.
        player: Player,
    },
}

impl Event {
    /// The event as one line of text, as the hash chain takes it: `moved x 5`, `took_back o 3`,
    /// `resigned x`, `rematch o`, `new_game x`, `abandoned o`, `left x`.
    #[must_use]
    pub fn to_text(&self) -> String {
        match *self {
            Self::Moved { player, cell } => format!("moved {} {cell}", player.as_str()),
            Self::TookBack { player, cell } => format!("took_back {} {cell}", player.as_str()),
            Self::Resigned { player } => format!("resigned {}", player.as_str()),
            Self::Rematch { player } => format!("rematch {}", player.as_str()),
            Self::NewGame { first } => format!("new_game {}", first.as_str()),
            Self::Abandoned { player } => format!("abandoned {}", player.as_str()),
            Self::Left { player } => format!("left {}", player.as_str()),
        }
    }
}

/// Whether this side times the opponent's absences, and what the clock says: the one fact the
/// claim-win rule needs that the match itself cannot know.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Clock {
    /// This side keeps no clock of absences (a joiner, a watcher, a match at one computer): it
    /// cannot judge a claim.
    #[default]
    NotKept,
    /// This side times the opponent's absences (the host).
    Kept {
        /// The opponent has been away for the whole grace period, and still is.
        away_past_grace: bool,
    },
}

/// What the rules take from outside the match when they judge an intent: facts of the clock
/// and the connection, never read by the engine itself (it has no clock).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Facts {
    /// The absences clock of the side deciding.
    pub clock: Clock,
}

impl Facts {
    /// No outside facts: a match at one computer, or a side that keeps no clock.
    pub const NONE: Self = Self {
        clock: Clock::NotKept,
    };

    /// The facts of a side that keeps the clock, the opponent away past the grace or not.
    #[must_use]
    pub const fn clock(away_past_grace: bool) -> Self {
        Self {
            clock: Clock::Kept { away_past_grace },
        }
    }
}

/// Why an intent was refused. A refused intent changes nothing.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, thiserror::Error)]
pub enum Refusal {
    /// The move breaks the rules of the game: the rules' own error says how.
    #[error("{0}")]
    Move(MoveError),
    /// The game is over: only a rematch (or leaving) makes sense now.
    #[error("this game is over")]
    GameOver,
    /// A rematch was asked while the game is still being played.
    #[error("the game is still being played")]
    GameInProgress,
    /// The match has ended.
    #[error("the match is over")]
    MatchOver,
    /// Undo with no move of this player's in the current game.
    #[error("there is no move of yours to take back")]
    NothingToUndo,
    /// Undo over the network.
    #[error("moves cannot be taken back over the network")]
    NoUndoOverNetwork,
    /// A claim of the win from a side that keeps no clock of absences.
    #[error("only the host can claim a win")]
    NoClock,
    /// A claim of the win before the opponent has been away for the whole grace period.
    #[error("you can claim the win only after your opponent has been away for the whole countdown")]
    TooEarlyToClaim,
}

impl Refusal {
    /// The refusal as a sentence for a person: "It is X's turn, not O's."
    #[must_use]
    pub fn sentence(&self) -> String {
        let text = self.to_string();
        let mut chars = text.chars();
        chars.next().map_or_else(String::new, |first| {
            format!("{}{}.", first.to_uppercase(), chars.as_str())
        })
    }
}

/// Why an event cannot be applied: it does not fit the state (the two sides disagree).
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ApplyError {
    /// A move the rules refuse.
    #[error("move {cell} by {player} is illegal here: {error}")]
    IllegalMove {
        /// Who moved.
        player: Player,
        /// Where.
        cell: Cell,
        /// Why the rules refuse it.
        error: MoveError,
    },
    /// An event that makes no sense in this state.
    #[error("event {event:?} does not fit the state")]
    Misplaced {
        /// The event.
        event: Event,
    },
}
