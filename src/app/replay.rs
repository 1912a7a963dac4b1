//! A replay: one past game shown move by move — step back and forward, jump to any move, or let
//! it play by itself.
//!
//! A [`Replay`] is built from plain data (a title, the names, who moved first, the moves, how it
//! ended), so a game opened from a file and a game from the history both show here, on the match
//! screen, read-only (`views::replay`). Stepping happens in [`App::apply`](super::App::apply),
//! and autoplay advances in `App::logic` through [`Replay::tick`], which asks for one repaint
//! when the next move is due and never for a frame sooner.
//!
//! Keys: Left and Right step, Home and End jump to the start and the end, Space starts and stops
//! autoplay, Escape goes back. Owns no drawing.

use std::time::Duration;

use super::move_list::mover;
use crate::game::{Cell, Game, Outcome, Player, ReplayError};
use crate::record::{Ending, Record};

/// How long autoplay shows each position.
pub const AUTOPLAY_STEP: Duration = Duration::from_millis(800);

/// A move through the replay that the player asked for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ReplayStep {
    /// Back to the empty board.
    First,
    /// One move back.
    Back,
    /// One move forward.
    Forward,
    /// To the final position.
    Last,
    /// To the position after this many moves.
    To(usize),
    /// Start autoplay (from the start when at the end), or stop it.
    ToggleAutoplay,
}

/// A past game being replayed, and how far.
#[derive(Clone, Debug)]
pub struct Replay {
    title: String,
    names: [String; 2],
    first: Player,
    moves: Vec<Cell>,
    ending: String,
    /// How many moves the board shows, 0 to `moves.len()`.
    shown: usize,
    /// Whether autoplay is on.
    playing: bool,
    /// When autoplay shows the next move, on egui's clock, in seconds; set on the first tick.
    due_s: Option<f64>,
    /// The record it was made from, if any.
    record: Option<Box<Record>>,
}

impl PartialEq for Replay {
    /// Equal when the games and the positions shown agree (not when autoplay's next step is due).
    fn eq(&self, other: &Self) -> bool {
        self.title == other.title
            && self.names == other.names
            && self.first == other.first
            && self.moves == other.moves
            && self.ending == other.ending
            && self.shown == other.shown
            && self.playing == other.playing
    }
}

impl Eq for Replay {}

impl Replay {
    /// A replay of the game `moves` (from an empty board, `first` to move) between `x_name` and
    /// `o_name`, titled `title` (such as the file's name). `ending` says how it ended when that is
    /// not on the board ("Bob resigned"); `None` describes the final board ("Ann wins"). It opens
    /// at the final position. Refuses moves the rules refuse.
    pub fn new(
        title: impl Into<String>,
        [x_name, o_name]: [&str; 2],
        first: Player,
        moves: &[Cell],
        ending: Option<String>,
    ) -> Result<Self, ReplayError> {
        let game = Game::from_moves(first, moves)?;
        let names = [x_name.to_owned(), o_name.to_owned()];
        let ending = ending.unwrap_or_else(|| match game.outcome() {
            Outcome::Won { winner, .. } => {
                format!("{} wins", names[usize::from(winner == Player::O)])
            }
            Outcome::Draw => "It's a draw".to_owned(),
            Outcome::InProgress { .. } => "Not finished".to_owned(),
        });
        Ok(Self {
            title: title.into(),
            names,
            first,
            moves: moves.to_vec(),
            ending,
            shown: moves.len(),
            playing: false,
            due_s: None,
            record: None,
        })
    }

    /// A replay of a recorded game, titled `title` (the file's name, or when it was played).
    #[must_use]
    pub fn from_record(title: impl Into<String>, record: &Record) -> Self {
        let ending = match record.ending() {
            Ending::Won | Ending::Draw | Ending::Unfinished => None,
            Ending::Resigned { player } => Some(format!("{} resigned", record.name(player))),
            Ending::Left { player } => Some(format!("{} left", record.name(player))),
            Ending::Abandoned { player } => Some(format!(
                "{} stayed away; the win was claimed",
                record.name(player)
            )),
        };
        let names = [record.name(Player::X), record.name(Player::O)];
        let mut replay = Self::new(title, names, record.first(), record.moves(), ending)
            // A record's moves are legal by construction: this is never used.
            .unwrap_or_else(|_| Self::empty(names));
        replay.record = Some(Box::new(record.clone()));
        replay
    }

    fn empty([x_name, o_name]: [&str; 2]) -> Self {
        Self {
            title: String::new(),
            names: [x_name.to_owned(), o_name.to_owned()],
            first: Player::X,
            moves: Vec::new(),
            ending: String::new(),
            shown: 0,
            playing: false,
            due_s: None,
            record: None,
        }
    }

    /// The record this replay was made from, if any (it can be saved again).
    #[must_use]
    pub fn record(&self) -> Option<&Record> {
        self.record.as_deref()
    }

    /// The title shown above the board.
    #[must_use]
    pub fn title(&self) -> &str {
        &self.title
    }

    /// The name of the player who played `player`.
    #[must_use]
    pub fn name(&self, player: Player) -> &str {
        &self.names[usize::from(player == Player::O)]
    }

    /// Who moved first.
    #[must_use]
    pub const fn first(&self) -> Player {
        self.first
    }

    /// Every move of the game, oldest first.
    #[must_use]
    pub fn moves(&self) -> &[Cell] {
        &self.moves
    }

    /// How the game ended, as shown at its final position.
    #[must_use]
    pub fn ending(&self) -> &str {
        &self.ending
    }

    /// How many moves the board shows.
    #[must_use]
    pub const fn shown(&self) -> usize {
        self.shown
    }

    /// Whether autoplay is on.
    #[must_use]
    pub const fn is_playing(&self) -> bool {
        self.playing
    }

    /// The position after the moves shown.
    #[must_use]
    pub fn game(&self) -> Game {
        // The moves were checked in `new`, so replaying a prefix cannot fail.
        Game::from_moves(self.first, &self.moves[..self.shown]).unwrap_or_default()
    }

    /// Carries out `step`. Stepping by hand stops autoplay.
    pub fn step(&mut self, step: ReplayStep) {
        let last = self.moves.len();
        if step != ReplayStep::ToggleAutoplay {
            self.playing = false;
        }
        match step {
            ReplayStep::First => self.shown = 0,
            ReplayStep::Back => self.shown = self.shown.saturating_sub(1),
            ReplayStep::Forward => self.shown = (self.shown + 1).min(last),
            ReplayStep::Last => self.shown = last,
            ReplayStep::To(shown) => self.shown = shown.min(last),
            ReplayStep::ToggleAutoplay => {
                self.playing = !self.playing;
                if self.playing && self.shown == last {
                    self.shown = 0;
                }
            }
        }
        self.due_s = None;
    }

    /// Autoplay at time `now_s` (egui's clock, seconds): shows the next move when it is due, stops
    /// at the end. Returns how long until the next move is due, or `None` when autoplay is off.
    pub fn tick(&mut self, now_s: f64, interval: Duration) -> Option<Duration> {
        if !self.playing {
            return None;
        }
        let interval_s = interval.as_secs_f64();
        let due_s = *self.due_s.get_or_insert(now_s + interval_s);
        if now_s < due_s {
            return Some(Duration::from_secs_f64(due_s - now_s));
        }
        self.shown = (self.shown + 1).min(self.moves.len());
        if self.shown == self.moves.len() {
            self.playing = false;
            self.due_s = None;
            return None;
        }
        self.due_s = Some(now_s + interval_s);
        Some(interval)
    }

    /// "Move 3 of 7: X top right", "Start of the game", or at the end, how it ended.
    #[must_use]
    pub fn status_text(&self) -> String {
        let total = self.moves.len();
        match self.shown {
            shown if shown == total && total > 0 => {
                format!("{} · move {total} of {total}", self.ending)
            }
            0 => format!("Start · {total} moves"),
            shown => {
                let player = mover(self.first, shown - 1);
                let cell = self.moves[shown - 1].name();
                format!("Move {shown} of {total}: {player} {cell}")
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cells(numbers: &[i64]) -> Vec<Cell> {
        numbers
            .iter()
            .map(|&n| Cell::from_number(n).unwrap())
            .collect()
    }

    #[test]
    fn steps_stay_within_the_game_and_autoplay_stops_at_the_end() {
        let moves = cells(&[1, 4, 2, 5, 3]);
        let mut replay = Replay::new("t", ["Ann", "Bob"], Player::X, &moves, None).unwrap();
        assert_eq!(replay.shown(), 5);
        assert_eq!(replay.ending(), "Ann wins");
        replay.step(ReplayStep::Forward);
        assert_eq!(replay.shown(), 5);
        replay.step(ReplayStep::To(99));
        assert_eq!(replay.shown(), 5);
        replay.step(ReplayStep::First);
        replay.step(ReplayStep::Back);
        assert_eq!(replay.shown(), 0);

        replay.step(ReplayStep::Last);
        replay.step(ReplayStep::ToggleAutoplay);
        assert!(replay.is_playing());
        assert_eq!(replay.shown(), 0, "autoplay from the end starts over");
        let step = Duration::from_secs(1);
        assert_eq!(replay.tick(10.0, step), Some(step));
        assert_eq!(replay.shown(), 0);
        let mut now = 10.0;
        while replay.tick(now, step).is_some() {
            now += 1.0;
        }
        assert_eq!(replay.shown(), 5);
        assert!(!replay.is_playing());
    }

    #[test]
    fn illegal_moves_are_refused() {
        let moves = cells(&[1, 1]);
        assert!(Replay::new("t", ["Ann", "Bob"], Player::X, &moves, None).is_err());
    }
}
