//! The state of a networked match, and the one path that changes it: events applied in order.
//!
//! Both sides keep a [`MatchState`]. The host turns a player's intent ([`Action`]) into
//! [`Event`]s with [`MatchState::decide`] (the rules engine judges every move), then both host and
//! joiner feed those events to [`MatchState::apply`]. Pure: no I/O, no clocks.

use crate::game::{Cell, Digest, Game, MoveError, Outcome, Player, Score};

use super::wire::{Event, GameEnd, MatchEnd, Refusal, Snapshot, SnapshotState};

/// What a player asks for during a match.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Action {
    /// Place a mark.
    Play(Cell),
    /// Ask for the next game (once this one is over).
    Rematch,
    /// Give up the current game.
    Resign,
    /// Claim the win because the opponent stayed away past the grace period (host only).
    ClaimWin,
    /// Leave the match for good.
    Leave,
}

/// The result of a finished game.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum GameResult {
    /// `Player` won (on the board, by resignation or by abandonment).
    Win(Player),
    /// Nobody won.
    Draw,
}

impl std::fmt::Display for GameResult {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Win(player) => write!(f, "{} wins", player.as_str()),
            Self::Draw => f.write_str("draw"),
        }
    }
}

/// Why an event cannot be applied: the two sides disagree, and the joiner must resynchronise.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ApplyError {
    /// A move the engine refuses.
    #[error("move {cell} by {player} is illegal here: {error}")]
    IllegalMove {
        /// Who moved.
        player: Player,
        /// Where.
        cell: Cell,
        /// Why the engine refused it.
        error: MoveError,
    },
    /// An event that makes no sense in this state.
    #[error("event {event:?} does not fit the state")]
    Misplaced {
        /// The event.
        event: Event,
    },
}

/// Why a snapshot cannot be turned into a state.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("the snapshot is not a legal position: {detail}")]
pub struct SnapshotError {
    /// What was wrong.
    pub detail: String,
}

/// A networked match: names, the current game, the score, rematch offers and how it ended.
///
/// Finished games are folded into the score, so the state stays the same size however long the
/// match runs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MatchState {
    x_name: String,
    o_name: String,
    game_number: u32,
    score: Score,
    game: Game,
    ended: Option<GameEnd>,
    rematch: [bool; 2],
    over: Option<MatchEnd>,
    v: u64,
}

const fn slot(player: Player) -> usize {
    match player {
        Player::X => 0,
        Player::O => 1,
    }
}

impl MatchState {
    /// A new match at version 0: game 1, X to move.
    #[must_use]
    pub fn new(x_name: impl Into<String>, o_name: impl Into<String>) -> Self {
        Self {
            x_name: x_name.into(),
            o_name: o_name.into(),
            game_number: 1,
            score: Score::default(),
            game: Game::new(Player::X),
            ended: None,
            rematch: [false; 2],
            over: None,
            v: 0,
        }
    }

    /// The version: how many events have been applied.
    #[must_use]
    pub const fn v(&self) -> u64 {
        self.v
    }

    /// The digest sent with each event: the current game's [`Game::digest`].
    #[must_use]
    pub fn digest(&self) -> Digest {
        self.game.digest()
    }

    /// The name of the player who plays `player`.
    #[must_use]
    pub fn name(&self, player: Player) -> &str {
        match player {
            Player::X => &self.x_name,
            Player::O => &self.o_name,
        }
    }

    /// Renames a player (the host learns the joiner's name from `hello`). Not an event: names are
    /// carried in snapshots.
    pub fn set_name(&mut self, player: Player, name: String) {
        match player {
            Player::X => self.x_name = name,
            Player::O => self.o_name = name,
        }
    }

    /// The current game.
    #[must_use]
    pub const fn game(&self) -> &Game {
        &self.game
    }

    /// The 1-based number of the current game.
    #[must_use]
    pub const fn game_number(&self) -> u32 {
        self.game_number
    }

    /// The score, including the current game once it has ended.
    #[must_use]
    pub const fn score(&self) -> Score {
        self.score
    }

    /// How the current game ended other than on the board.
    #[must_use]
    pub const fn ended(&self) -> Option<GameEnd> {
        self.ended
    }

    /// Whether `player` has asked for a rematch.
    #[must_use]
    pub const fn wants_rematch(&self, player: Player) -> bool {
        self.rematch[slot(player)]
    }

    /// Why the match ended, once it has.
    #[must_use]
    pub const fn over(&self) -> Option<MatchEnd> {
        self.over
    }

    /// Whether the current game is finished (on the board or otherwise).
    #[must_use]
    pub const fn game_over(&self) -> bool {
        self.game.is_over() || self.ended.is_some()
    }

    /// The current game's result, once it is finished.
    #[must_use]
    pub const fn result(&self) -> Option<GameResult> {
        if let Some(end) = self.ended {
            return Some(GameResult::Win(end.loser().other()));
        }
        match self.game.outcome() {
            Outcome::Won { winner, .. } => Some(GameResult::Win(winner)),
            Outcome::Draw => Some(GameResult::Draw),
            Outcome::InProgress { .. } => None,
        }
    }

    /// The player to move, while the game and the match go on.
    #[must_use]
    pub const fn to_move(&self) -> Option<Player> {
        if self.ended.is_some() || self.over.is_some() {
            None
        } else {
            self.game.to_move()
        }
    }

    /// Judges what `player` asks for and returns the events it causes, or why it is refused.
    /// Nothing changes until the events are [applied](Self::apply).
    pub fn decide(&self, player: Player, action: Action) -> Result<Vec<Event>, Refusal> {
        if self.over.is_some() {
            return Err(Refusal::MatchOver);
        }
        match action {
            Action::Play(cell) => {
                if self.ended.is_some() {
                    return Err(Refusal::GameOver);
                }
                let mut trial = self.game.clone();
                match trial.play_as(player, cell) {
                    Ok(_) => Ok(vec![Event::Moved { player, cell }]),
                    Err(MoveError::GameOver) => Err(Refusal::GameOver),
                    Err(MoveError::Occupied { .. }) => Err(Refusal::Occupied),
                    Err(MoveError::NotYourTurn { .. }) => Err(Refusal::NotYourTurn),
                }
            }
            Action::Rematch => {
                if !self.game_over() {
                    Err(Refusal::GameInProgress)
                } else if self.wants_rematch(player) {
                    Ok(Vec::new())
                } else if self.wants_rematch(player.other()) {
                    Ok(vec![
                        Event::Rematch { player },
                        Event::NewGame {
                            first: self.game.first().other(),
                        },
                    ])
                } else {
                    Ok(vec![Event::Rematch { player }])
                }
            }
            Action::Resign => {
                if self.game_over() {
                    Err(Refusal::GameOver)
                } else {
                    Ok(vec![Event::Resigned { player }])
                }
            }
            Action::ClaimWin => Ok(vec![Event::Abandoned {
                player: player.other(),
            }]),
            Action::Leave => Ok(vec![Event::Left { player }]),
        }
    }

    /// Applies one event and bumps the version. A refused event leaves the state untouched.
    pub fn apply(&mut self, event: Event) -> Result<(), ApplyError> {
        let misplaced = || ApplyError::Misplaced { event };
        if self.over.is_some() {
            return Err(misplaced());
        }
        match event {
            Event::Moved { player, cell } => {
                if self.ended.is_some() {
                    return Err(misplaced());
                }
                self.game
                    .play_as(player, cell)
                    .map_err(|error| ApplyError::IllegalMove {
                        player,
                        cell,
                        error,
                    })?;
                if self.game.is_over() {
                    self.score.add(self.game.outcome());
                }
            }
            Event::Resigned { player } => {
                if self.game_over() {
                    return Err(misplaced());
                }
                self.end_game(GameEnd::Resigned { player });
            }
            Event::Rematch { player } => {
                if !self.game_over() {
                    return Err(misplaced());
                }
                self.rematch[slot(player)] = true;
            }
            Event::NewGame { first } => {
                if !(self.rematch[0] && self.rematch[1]) || first != self.game.first().other() {
                    return Err(misplaced());
                }
                self.game = Game::new(first);
                self.ended = None;
                self.rematch = [false; 2];
                self.game_number += 1;
            }
            Event::Abandoned { player } => {
                if !self.game_over() {
                    self.end_game(GameEnd::Abandoned { player });
                }
                self.over = Some(MatchEnd::Abandoned { player });
            }
            Event::Left { player } => self.over = Some(MatchEnd::Left { player }),
        }
        self.v += 1;
        Ok(())
    }

    fn end_game(&mut self, end: GameEnd) {
        self.ended = Some(end);
        match end.loser() {
            Player::X => self.score.o_wins += 1,
            Player::O => self.score.x_wins += 1,
        }
    }

    /// The whole state, as sent on the wire.
    #[must_use]
    pub fn snapshot(&self) -> Snapshot {
        Snapshot {
            v: self.v,
            digest: self.digest(),
            state: SnapshotState {
                x: self.x_name.clone(),
                o: self.o_name.clone(),
                game: self.game_number,
                score: self.score,
                first: self.game.first(),
                moves: self.game.moves().to_vec(),
                ended: self.ended,
                rematch: Player::ALL
                    .into_iter()
                    .filter(|&p| self.wants_rematch(p))
                    .collect(),
                over: self.over,
            },
        }
    }

    /// Rebuilds a state from a snapshot, replaying its moves through the engine.
    pub fn from_snapshot(snapshot: &Snapshot) -> Result<Self, SnapshotError> {
        let state = &snapshot.state;
        let game = Game::from_moves(state.first, &state.moves).map_err(|e| SnapshotError {
            detail: e.to_string(),
        })?;
        if game.digest() != snapshot.digest {
            return Err(SnapshotError {
                detail: format!(
                    "digest {} does not match the moves (expected {})",
                    snapshot.digest,
                    game.digest()
                ),
            });
        }
        let mut rematch = [false; 2];
        for &player in &state.rematch {
            rematch[slot(player)] = true;
        }
        Ok(Self {
            x_name: state.x.clone(),
            o_name: state.o.clone(),
            game_number: state.game.max(1),
            score: state.score,
            game,
            ended: state.ended,
            rematch,
            over: state.over,
            v: snapshot.v,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cell(n: i64) -> Cell {
        Cell::from_number(n).unwrap()
    }

    fn act(state: &mut MatchState, player: Player, action: Action) -> Result<(), Refusal> {
        for event in state.decide(player, action)? {
            state.apply(event).unwrap();
        }
        Ok(())
    }

    #[test]
    fn digests_match_the_protocol_document() {
        let mut game = Game::new(Player::X);
        assert_eq!(game.digest().to_string(), "ca2b57e4e15671f9");
        game.play(cell(5)).unwrap();
        assert_eq!(game.digest().to_string(), "2ee4e6856bb78c69");
        let game = Game::from_moves(Player::X, &[5, 1, 9, 3, 2].map(cell)).unwrap();
        assert_eq!(game.digest().to_string(), "bff820149240668d");
    }

    #[test]
    fn a_match_with_rematch_and_resign() {
        let mut s = MatchState::new("Ann", "Bob");
        assert_eq!(
            act(&mut s, Player::O, Action::Play(cell(1))),
            Err(Refusal::NotYourTurn)
        );
        for (p, c) in [
            (Player::X, 1),
            (Player::O, 4),
            (Player::X, 2),
            (Player::O, 5),
        ] {
            act(&mut s, p, Action::Play(cell(c))).unwrap();
        }
        assert_eq!(
            act(&mut s, Player::X, Action::Play(cell(4))),
            Err(Refusal::Occupied)
        );
        assert_eq!(
            act(&mut s, Player::X, Action::Rematch),
            Err(Refusal::GameInProgress)
        );
        act(&mut s, Player::X, Action::Play(cell(3))).unwrap();
        assert_eq!(s.result(), Some(GameResult::Win(Player::X)));
        assert_eq!(
            act(&mut s, Player::O, Action::Play(cell(9))),
            Err(Refusal::GameOver)
        );
        act(&mut s, Player::X, Action::Rematch).unwrap();
        act(&mut s, Player::X, Action::Rematch).unwrap();
        assert_eq!(s.game_number(), 1);
        act(&mut s, Player::O, Action::Rematch).unwrap();
        assert_eq!(s.game_number(), 2);
        assert_eq!(s.game().first(), Player::O);
        act(&mut s, Player::X, Action::Resign).unwrap();
        assert_eq!(s.result(), Some(GameResult::Win(Player::O)));
        assert_eq!(s.score().games(), 2);

        let copy = MatchState::from_snapshot(&s.snapshot()).unwrap();
        assert_eq!(copy, s);
        act(&mut s, Player::O, Action::Leave).unwrap();
        assert_eq!(
            act(&mut s, Player::X, Action::Rematch),
            Err(Refusal::MatchOver)
        );
    }
}
