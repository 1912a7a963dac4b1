//! Records of finished games: the [`Record`] type, its text format, and the statistics drawn
//! from a list of them.
//!
//! Layout:
//! - [`Record`] (this file): one game — when, which mode, the names, the moves, how it ended —
//!   checked by replaying its moves through the match's rules ([`crate::game::Match`]), so a
//!   record is always a legal game whose ending agrees with its board; and its words for people
//!   ([`Record::summary`], [`Record::how_text`]).
//! - [`text`]: the text format of `docs/RECORD-FORMAT.md` — [`Record::to_text`], and
//!   [`Record::parse`] and [`parse_many`], the one way a saved game comes back.
//! - [`stats`]: wins, losses, draws and streaks computed from a list of records. Pure.
//!
//! Pure: no I/O. Where records are kept — the history file, saved games — is
//! [`crate::store`]'s. Never imports egui, eframe or tokio: the window, the terminal commands
//! and tests all use it.

pub mod stats;
pub mod text;

use jiff::Timestamp;

use crate::game::{
    ApplyError, Cell, Chain, Event, Game, GameOver, Level, Match, MoveError, Outcome, Player,
    Variant, clean_name,
};

pub use crate::game::{Ending, Role, Verdict};

pub use stats::{Opponent, PairTally, Stats, Streak, Tally};
pub use text::{FORMAT_VERSION, MAGIC, RecordError, RecordErrorKind, parse_many};

/// How a game was played, and which side was yours when that means anything.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Mode {
    /// Two people taking turns at this computer.
    HotSeat,
    /// You against the computer.
    Computer {
        /// How strongly the computer played.
        level: Level,
        /// The mark you played.
        you: Player,
    },
    /// You against a friend over the network.
    Network {
        /// Whether you hosted or joined.
        role: Role,
        /// The mark you played.
        you: Player,
    },
}

impl Mode {
    /// The mark the person at this computer played, or `None` for two people taking turns.
    #[must_use]
    pub const fn you(self) -> Option<Player> {
        match self {
            Self::HotSeat => None,
            Self::Computer { you, .. } | Self::Network { you, .. } => Some(you),
        }
    }

    /// A short description: "on this computer", "against the computer (perfect)", "hosted over
    /// the network", "joined over the network".
    #[must_use]
    pub fn describe(self) -> String {
        match self {
            Self::HotSeat => "on this computer".to_owned(),
            Self::Computer { level, .. } => format!("against the computer ({level})"),
            Self::Network {
                role: Role::Host, ..
            } => "hosted over the network".to_owned(),
            Self::Network {
                role: Role::Joiner, ..
            } => "joined over the network".to_owned(),
        }
    }
}

/// One finished game: when, how it was played, by whom, the moves, and how it ended.
///
/// Build one with [`Record::new`], which checks the moves and the ending; read one with
/// [`Record::parse`]. Both keep the invariant that the moves are a legal game from an empty board
/// with [`Record::first`] to move and that the ending agrees with it.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Record {
    played_at: Timestamp,
    mode: Mode,
    x_name: String,
    o_name: String,
    game: Game,
    ending: Ending,
    /// The match's hash chain head when the game ended (networked games), to compare the two
    /// sides' records of one match.
    chain: Option<Chain>,
    /// Where the host changed what this side had seen, each with both versions.
    disputes: Vec<String>,
}

impl Record {
    /// A record of the classic game `moves` (from an empty board, `first` to move) that ended
    /// as `ending`. The time is kept to the second; names are cleaned with [`clean_name`].
    /// Refuses illegal moves ([`RecordErrorKind::IllegalMove`]) and an ending the board
    /// contradicts ([`RecordErrorKind::EndingMismatch`]).
    pub fn new(
        played_at: Timestamp,
        mode: Mode,
        names: [&str; 2],
        first: Player,
        moves: &[Cell],
        ending: Ending,
    ) -> Result<Self, RecordErrorKind> {
        let game = Game::of(Variant::Classic, first);
        Self::of_moves(played_at, mode, names, &game, moves, ending)
    }

    /// [`Record::new`] for any game: the moves are played from `start`'s variant and first
    /// player, on an empty board (`start`'s own moves are not used).
    pub fn of_moves(
        played_at: Timestamp,
        mode: Mode,
        names: [&str; 2],
        start: &Game,
        moves: &[Cell],
        ending: Ending,
    ) -> Result<Self, RecordErrorKind> {
        let mut replayed = Replayed::new(start.variant(), start.first());
        for (i, &cell) in moves.iter().enumerate() {
            replayed.play(i + 1, cell)?;
        }
        let game = replayed.game().clone();
        check_ending(&game, ending)?;
        Ok(Self {
            played_at: Timestamp::from_second(played_at.as_second()).unwrap_or(played_at),
            mode,
            x_name: clean_name(names[0]),
            o_name: clean_name(names[1]),
            game,
            ending,
            chain: None,
            disputes: Vec::new(),
        })
    }

    /// The same record, carrying the match's chain head when the game ended.
    #[must_use]
    pub const fn with_chain(mut self, chain: Option<Chain>) -> Self {
        self.chain = chain;
        self
    }

    /// The same record, with these disputes (each one line: what the host changed, both versions).
    #[must_use]
    pub fn with_disputes(mut self, disputes: Vec<String>) -> Self {
        self.disputes = disputes;
        for dispute in &mut self.disputes {
            *dispute = clean_line(dispute);
        }
        self
    }

    /// The match's chain head when the game ended, if the record carries it.
    #[must_use]
    pub const fn chain(&self) -> Option<Chain> {
        self.chain
    }

    /// Where the host changed what this side had seen.
    #[must_use]
    pub fn disputes(&self) -> &[String] {
        &self.disputes
    }

    /// The record of a game a match has just ended, played in `mode` and ended at `at`; `None`
    /// for a game that was left before anyone moved (there is nothing to remember).
    #[must_use]
    pub fn of_game(at: Timestamp, mode: Mode, over: &GameOver) -> Option<Self> {
        if matches!(over.ending, Ending::Left { .. }) && over.game.moves().is_empty() {
            return None;
        }
        let names = [over.names[0].as_str(), over.names[1].as_str()];
        // Only a networked game has another side whose record to compare with.
        let chain = over.chain.filter(|_| matches!(mode, Mode::Network { .. }));
        match Self::of_moves(at, mode, names, &over.game, over.game.moves(), over.ending) {
            Ok(record) => Some(record.with_chain(chain)),
            Err(error) => {
                // A match only ends games legally, so this is a bug, not something a player did.
                tracing::error!(%error, "a finished game could not be recorded");
                None
            }
        }
    }

    /// When the game ended.
    #[must_use]
    pub const fn played_at(&self) -> Timestamp {
        self.played_at
    }

    /// How it was played.
    #[must_use]
    pub const fn mode(&self) -> Mode {
        self.mode
    }

    /// The name of the player who played `player`.
    #[must_use]
    pub fn name(&self, player: Player) -> &str {
        match player {
            Player::X => &self.x_name,
            Player::O => &self.o_name,
        }
    }

    /// Who moved first.
    #[must_use]
    pub const fn first(&self) -> Player {
        self.game.first()
    }

    /// The moves, oldest first.
    #[must_use]
    pub fn moves(&self) -> &[Cell] {
        self.game.moves()
    }

    /// The game played: classic, Ultimate or Gomoku.
    #[must_use]
    pub const fn variant(&self) -> Variant {
        self.game.variant()
    }

    /// The game as it stood when it ended.
    #[must_use]
    pub const fn game(&self) -> &Game {
        &self.game
    }

    /// How it ended.
    #[must_use]
    pub const fn ending(&self) -> Ending {
        self.ending
    }

    /// The game as the match that played it ended it: what a replay steps through, event by
    /// event ([`GameOver::events`]).
    #[must_use]
    pub fn game_over(&self) -> GameOver {
        GameOver {
            names: [self.x_name.clone(), self.o_name.clone()],
            game_number: 1,
            game: self.game.clone(),
            ending: self.ending,
            chain: self.chain,
        }
    }

    /// Who won.
    #[must_use]
    pub fn verdict(&self) -> Verdict {
        crate::game::verdict_of(self.ending, &self.game)
    }
}

impl Record {
    /// How the game ended, in words with the players' names: "three in a row", "the board is
    /// full", "Bob resigned", "Bob left", "Bob stayed away".
    #[must_use]
    pub fn how_text(&self) -> String {
        match self.ending {
            Ending::Won => match self.variant() {
                Variant::Classic => "three in a row".to_owned(),
                Variant::Ultimate => "three boards in a row".to_owned(),
                Variant::Gomoku => "five in a row".to_owned(),
            },
            Ending::Draw => "the board is full".to_owned(),
            Ending::Resigned { player } => format!("{} resigned", self.name(player)),
            Ending::Left { player } => format!("{} left", self.name(player)),
            Ending::Unfinished => "saved before the end".to_owned(),
            Ending::Abandoned { player } => format!("{} stayed away", self.name(player)),
        }
    }

    /// Who won, in words: "Ann won", "Draw", "Unfinished".
    #[must_use]
    pub fn verdict_text(&self) -> String {
        match self.verdict() {
            Verdict::Win(player) => format!("{} won", self.name(player)),
            Verdict::Draw => "Draw".to_owned(),
            Verdict::Unfinished => "Unfinished".to_owned(),
        }
    }

    /// The game on one line: "X: Ann v O: Bob, on this computer: Ann won (three in a row,
    /// 5 moves)", led by the game's name when it is not classic ("Gomoku: X: …"). The time is
    /// left to the caller.
    #[must_use]
    pub fn summary(&self) -> String {
        let moves = self.moves().len();
        let game = self.variant();
        let game = if game.is_classic() {
            String::new()
        } else {
            format!("{}: ", game.title())
        };
        format!(
            "{game}X: {} v O: {}, {}: {} ({}, {moves} {})",
            self.name(Player::X),
            self.name(Player::O),
            self.mode.describe(),
            self.verdict_text(),
            self.how_text(),
            if moves == 1 { "move" } else { "moves" },
        )
    }
}

/// Text kept on one line: control characters (line breaks among them) become spaces.
fn clean_line(text: &str) -> String {
    text.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect::<String>()
        .trim()
        .to_owned()
}

/// `at` in the system's time zone, to the minute: "2026-11-26 18:05". Reads the time zone
/// setting (`TZ` or the system's), falling back to UTC.
#[must_use]
pub fn local_time_text(at: Timestamp) -> String {
    at.to_zoned_datetime(jiff::tz::TimeZone::system())
        .strftime("%Y-%m-%d %H:%M")
        .to_string()
}

/// A game replayed from an empty board, move by move, through the match's rules as any match
/// is: how [`Record::new`] and [`Record::parse`] check the moves.
struct Replayed(Match);

impl Replayed {
    /// A game of `variant` with `first` to move.
    fn new(variant: Variant, first: Player) -> Self {
        Self(Match::for_game_of(variant, ["", ""], 1, first))
    }

    /// Plays move `number` (from 1) on `cell`; the rules' refusal is the error.
    fn play(&mut self, number: usize, cell: Cell) -> Result<(), RecordErrorKind> {
        let player = self.0.game().side_to_move();
        self.0
            .apply(Event::Moved { player, cell })
            .map(drop)
            .map_err(|refused| RecordErrorKind::IllegalMove {
                number,
                cell: self.0.variant().move_text(cell),
                error: match refused {
                    ApplyError::IllegalMove { error, .. } => error,
                    ApplyError::Misplaced { .. } => MoveError::GameOver,
                },
            })
    }

    /// The game so far.
    fn game(&self) -> &Game {
        self.0.game()
    }
}

/// Checks that `ending` can follow the position `game` ended in.
fn check_ending(game: &Game, ending: Ending) -> Result<(), RecordErrorKind> {
    let why = match (ending, game.outcome()) {
        (Ending::Won, Outcome::Won { .. })
        | (Ending::Draw, Outcome::Draw)
        | (
            Ending::Resigned { .. }
            | Ending::Left { .. }
            | Ending::Abandoned { .. }
            | Ending::Unfinished,
            Outcome::InProgress { .. },
        ) => return Ok(()),
        (Ending::Won, Outcome::Draw) => "the board is full with no line",
        (Ending::Won | Ending::Draw, Outcome::InProgress { .. }) => "the game is not over",
        (Ending::Draw, Outcome::Won { .. }) => "the board has three in a row",
        (_, Outcome::Won { .. } | Outcome::Draw) => "the game was already over on the board",
    };
    Err(RecordErrorKind::EndingMismatch { ending, why })
}

#[cfg(test)]
mod tests {
    use jiff::Timestamp;

    use super::*;
    use crate::game::{Facts, Intent};

    const JOINER: Mode = Mode::Network {
        role: Role::Joiner,
        you: Player::O,
    };

    /// The records made while `intents` are carried out, as the joiner (O) records them.
    fn recorded(state: &mut Match, intents: &[(Player, Intent)]) -> Vec<Record> {
        intents
            .iter()
            // The host's clock says the opponent stayed away, for the claims among them.
            .filter_map(|&(seat, intent)| state.act_with(seat, intent, Facts::clock(true)).unwrap())
            .filter_map(|over| Record::of_game(Timestamp::UNIX_EPOCH, JOINER, &over))
            .collect()
    }

    fn moves(moves: &[(Player, i64)]) -> Vec<(Player, Intent)> {
        moves
            .iter()
            .map(|&(seat, n)| (seat, Intent::Play(Cell::from_number(n).unwrap())))
            .collect()
    }

    #[test]
    fn network_games_are_recorded_once_however_they_end() {
        let mut state = Match::networked("Ann", "Bob");
        let opening = moves(&[(Player::X, 1), (Player::O, 4), (Player::X, 2)]);
        assert_eq!(recorded(&mut state, &opening), []);
        let won = recorded(&mut state, &moves(&[(Player::O, 5), (Player::X, 3)]));
        assert_eq!(won.len(), 1);
        assert_eq!(won[0].ending(), Ending::Won);
        assert_eq!(won[0].verdict(), Verdict::Win(Player::X));
        assert_eq!(won[0].mode(), JOINER);
        assert_eq!(won[0].name(Player::O), "Bob");
        // Asking for a rematch and starting the next game record nothing more.
        let rematch = [(Player::X, Intent::Rematch), (Player::O, Intent::Rematch)];
        assert_eq!(recorded(&mut state, &rematch), []);

        let mut resign = moves(&[(Player::O, 5)]);
        resign.push((Player::X, Intent::Resign));
        let resigned = recorded(&mut state, &resign);
        assert_eq!(resigned[0].ending(), Ending::Resigned { player: Player::X });
        assert_eq!(resigned[0].first(), Player::O);
        assert_eq!(resigned[0].verdict(), Verdict::Win(Player::O));
        assert_eq!(recorded(&mut state, &rematch), []);

        // Abandoned mid-game: the one who stayed wins.
        let mut abandoned = state.clone();
        let mut claim = moves(&[(Player::X, 9)]);
        claim.push((Player::O, Intent::ClaimWin));
        let record = recorded(&mut abandoned, &claim);
        assert_eq!(record[0].ending(), Ending::Abandoned { player: Player::X });

        // Left mid-game: unfinished. Left before any move: nothing.
        let mut left = state.clone();
        assert_eq!(recorded(&mut left, &[(Player::X, Intent::Leave)]), []);
        let mut leave = moves(&[(Player::X, 9)]);
        leave.push((Player::X, Intent::Leave));
        let record = recorded(&mut state, &leave);
        assert_eq!(record[0].ending(), Ending::Left { player: Player::X });
        assert_eq!(record[0].verdict(), Verdict::Unfinished);
    }

    #[test]
    fn leaving_a_game_in_progress_is_recorded() {
        let host = Mode::Network {
            role: Role::Host,
            you: Player::X,
        };
        let leave = |state: &Match| {
            let mut state = state.clone();
            state
                .act(Player::X, Intent::Leave)
                .unwrap()
                .and_then(|over| Record::of_game(Timestamp::UNIX_EPOCH, host, &over))
        };
        let mut state = Match::networked("Ann", "Bob");
        assert_eq!(leave(&state), None);
        recorded(&mut state, &moves(&[(Player::X, 5)]));
        assert_eq!(
            leave(&state).unwrap().ending(),
            Ending::Left { player: Player::X }
        );
        let rest = [
            (Player::O, 1),
            (Player::X, 9),
            (Player::O, 2),
            (Player::X, 3),
            (Player::O, 7),
            (Player::X, 4),
            (Player::O, 6),
            (Player::X, 8),
        ];
        recorded(&mut state, &moves(&rest));
        assert!(state.result().is_some());
        assert_eq!(leave(&state), None);
    }
}
