//! The two players, named by their marks.

use serde::{Deserialize, Serialize};

/// One of the two players, named by the mark they place.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Player {
    /// The player who places X.
    X,
    /// The player who places O.
    O,
}

impl Player {
    /// Both players, X first.
    pub const ALL: [Self; 2] = [Self::X, Self::O];

    /// The opponent.
    #[must_use]
    pub const fn other(self) -> Self {
        match self {
            Self::X => Self::O,
            Self::O => Self::X,
        }
    }

    /// The mark as an upper-case letter: `'X'` or `'O'`.
    #[must_use]
    pub const fn char(self) -> char {
        match self {
            Self::X => 'X',
            Self::O => 'O',
        }
    }

    /// The mark as a lower-case word, as used on the command line and the wire: `"x"` or `"o"`.
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::X => "x",
            Self::O => "o",
        }
    }

    /// Parses `x`/`X`/`o`/`O`.
    #[must_use]
    pub fn from_char(c: char) -> Option<Self> {
        match c {
            'x' | 'X' => Some(Self::X),
            'o' | 'O' => Some(Self::O),
            _ => None,
        }
    }
}

impl std::fmt::Display for Player {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.char())
    }
}

impl std::str::FromStr for Player {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let mut chars = s.trim().chars();
        match (chars.next().and_then(Self::from_char), chars.next()) {
            (Some(player), None) => Ok(player),
            _ => Err(format!("{s:?} is not a mark: use x or o")),
        }
    }
}
