//! A match: a series of games between two named players, with a running score.

use serde::{Deserialize, Serialize};

use super::{Cell, Game, MoveError, Outcome, Player};

/// Games won by each mark, and draws.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Score {
    /// Games won by X.
    pub x_wins: u32,
    /// Games won by O.
    pub o_wins: u32,
    /// Games drawn.
    pub draws: u32,
}

impl Score {
    /// Counts one finished game; an unfinished one counts nothing.
    pub const fn add(&mut self, outcome: Outcome) {
        match outcome {
            Outcome::Won {
                winner: Player::X, ..
            } => self.x_wins += 1,
            Outcome::Won {
                winner: Player::O, ..
            } => self.o_wins += 1,
            Outcome::Draw => self.draws += 1,
            Outcome::InProgress { .. } => {}
        }
    }

    /// Games won by `player`.
    #[must_use]
    pub const fn wins(&self, player: Player) -> u32 {
        match player {
            Player::X => self.x_wins,
            Player::O => self.o_wins,
        }
    }

    /// Games counted.
    #[must_use]
    pub const fn games(&self) -> u32 {
        self.x_wins + self.o_wins + self.draws
    }
}

/// A series of games between two named players. Each player keeps their mark for the whole
/// match; who moves first alternates from game to game, starting with X.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Match {
    names: [String; 2],
    finished: Vec<Game>,
    game: Game,
}

impl Match {
    /// A new match; the first game starts with X to move.
    #[must_use]
    pub fn new(x_name: impl Into<String>, o_name: impl Into<String>) -> Self {
        Self {
            names: [x_name.into(), o_name.into()],
            finished: Vec::new(),
            game: Game::new(Player::X),
        }
    }

    /// The name of the player who plays `player`.
    #[must_use]
    pub fn name(&self, player: Player) -> &str {
        match player {
            Player::X => &self.names[0],
            Player::O => &self.names[1],
        }
    }

    /// The game being played (or just finished).
    #[must_use]
    pub const fn game(&self) -> &Game {
        &self.game
    }

    /// The games finished before the current one, oldest first.
    #[must_use]
    pub fn finished_games(&self) -> &[Game] {
        &self.finished
    }

    /// The 1-based number of the current game.
    #[must_use]
    pub fn game_number(&self) -> usize {
        self.finished.len() + 1
    }

    /// The score over every finished game, including the current one once it has ended.
    #[must_use]
    pub fn score(&self) -> Score {
        let mut score = Score::default();
        for game in self.finished.iter().chain(std::iter::once(&self.game)) {
            score.add(game.outcome());
        }
        score
    }

    /// Plays `cell` for the side to move in the current game.
    pub fn play(&mut self, cell: Cell) -> Result<Outcome, MoveError> {
        self.game.play(cell)
    }

    /// Plays `cell` for `player`, refusing it if it is not their turn.
    pub fn play_as(&mut self, player: Player, cell: Cell) -> Result<Outcome, MoveError> {
        self.game.play_as(player, cell)
    }

    /// Takes back the last move of the current game (also the one that ended it).
    pub fn undo(&mut self) -> Option<Cell> {
        self.game.undo()
    }

    /// Starts the next game, with the other player moving first. Does nothing and returns `false`
    /// while the current game is still in progress.
    pub fn next_game(&mut self) -> bool {
        if !self.game.is_over() {
            return false;
        }
        let first = self.game.first().other();
        let done = std::mem::replace(&mut self.game, Game::new(first));
        self.finished.push(done);
        true
    }
}
