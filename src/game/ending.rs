//! How a game ended, and who won it: the one vocabulary the match, the wire, the records and the
//! screens share.

use serde::{Deserialize, Serialize};

use super::Player;

/// How a game ended. Endings on the board ([`Ending::Won`], [`Ending::Draw`]) follow from the
/// moves; the others happen off the board.
///
/// On the wire it is an object tagged by `reason` (`{"reason":"resigned","player":"o"}`); in a
/// record it is the text of the `end:` line (`resigned o`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "reason", rename_all = "snake_case")]
pub enum Ending {
    /// Three in a row; the board says who made it.
    Won,
    /// The board filled up with no line.
    Draw,
    /// `player` resigned; the other won.
    Resigned {
        /// Who resigned.
        player: Player,
    },
    /// `player` left the match before the game was over; nobody won.
    Left {
        /// Who left.
        player: Player,
    },
    /// `player` stayed away too long and the other claimed the win.
    Abandoned {
        /// Who stayed away.
        player: Player,
    },
    /// The game was saved while still in progress (never in the history, which holds only games
    /// that ended): it can be played on from where it stopped.
    Unfinished,
}

impl Ending {
    /// The player it is about: who resigned, left or stayed away; `None` for an ending on the
    /// board (or none yet).
    #[must_use]
    pub const fn player(self) -> Option<Player> {
        match self {
            Self::Resigned { player } | Self::Left { player } | Self::Abandoned { player } => {
                Some(player)
            }
            Self::Won | Self::Draw | Self::Unfinished => None,
        }
    }
}

impl std::fmt::Display for Ending {
    /// The text of a record's `end:` line: `won`, `draw`, `resigned x`, `left o`, `abandoned o`,
    /// `unfinished`.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Unfinished => f.write_str("unfinished"),
            Self::Won => f.write_str("won"),
            Self::Draw => f.write_str("draw"),
            Self::Resigned { player } => write!(f, "resigned {}", player.as_str()),
            Self::Left { player } => write!(f, "left {}", player.as_str()),
            Self::Abandoned { player } => write!(f, "abandoned {}", player.as_str()),
        }
    }
}

/// Who won a game.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Verdict {
    /// `Player` won (on the board, by resignation or by abandonment).
    Win(Player),
    /// Nobody won: the board filled up.
    Draw,
    /// The game stopped before it was decided (a player left, or it was saved mid-game).
    Unfinished,
}

impl Verdict {
    /// The winner, if there is one.
    #[must_use]
    pub const fn winner(self) -> Option<Player> {
        match self {
            Self::Win(player) => Some(player),
            Self::Draw | Self::Unfinished => None,
        }
    }
}

impl std::fmt::Display for Verdict {
    /// The text of a `result:` line: `x wins`, `o wins`, `draw`, `unfinished`.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Win(player) => write!(f, "{} wins", player.as_str()),
            Self::Draw => f.write_str("draw"),
            Self::Unfinished => f.write_str("unfinished"),
        }
    }
}
