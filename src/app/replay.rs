//! A replay: one past game shown move by move — step back and forward, jump to any move, or let
//! it play by itself.
//!
//! A [`Replay`] is built from a record (or plain data: the names, who moved first, the moves, how
//! it ended), so a game opened from a file and a game from the history both show here, on the
//! match screen, read-only. Each position is the game's events stepped through a [`Match`] of
//! the game's own variant ([`Match::replay_game_of`]), the same rules every match runs.
//! Autoplay advances through [`Replay::tick`], which says when the next move is due and never
//! asks for a frame sooner.
//!
//! Keys: Left and Right step, Home and End jump to the start and the end, Space starts and stops
//! autoplay, Escape goes back. Owns no drawing.

use std::time::Duration;

use crate::game::{ApplyError, Cell, Event, Game, Match, Outcome, Player, Variant};
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

/// A past game being replayed, and how far: its events stepped through a [`Match`], as any
/// match's are.
#[derive(Clone, Debug)]
pub struct Replay {
    title: String,
    names: [String; 2],
    /// The game's events, oldest first ([`crate::game::GameOver::events`]): its moves, then what ended it off
    /// the board, if anything did.
    events: Vec<Event>,
    /// The game as it ended.
    last: Game,
    /// The position shown: the game after its first `shown` moves.
    position: Game,
    ending: String,
    /// How many moves the board shows, 0 to every move.
    shown: usize,
    /// Whether autoplay is on.
    playing: bool,
    /// How long autoplay shows each position.
    autoplay_step: Duration,
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
            && self.events == other.events
            && self.last == other.last
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
        names: [&str; 2],
        first: Player,
        moves: &[Cell],
        ending: Option<String>,
    ) -> Result<Self, ApplyError> {
        let events: Vec<Event> = moves
            .iter()
            .scan(first, |player, &cell| {
                let moved = Event::Moved {
                    player: *player,
                    cell,
                };
                *player = player.other();
                Some(moved)
            })
            .collect();
        Self::of_events(title.into(), Variant::Classic, names, first, events, ending)
    }

    /// A replay of `events` (a game of `variant`, from an empty board with `first` to move),
    /// checked by stepping them through the rules.
    fn of_events(
        title: String,
        variant: Variant,
        [x_name, o_name]: [&str; 2],
        first: Player,
        events: Vec<Event>,
        ending: Option<String>,
    ) -> Result<Self, ApplyError> {
        let last = Match::replay_game_of(variant, [x_name, o_name], 1, first, &events)?
            .game()
            .clone();
        let names = [x_name.to_owned(), o_name.to_owned()];
        let ending = ending.unwrap_or_else(|| match last.outcome() {
            Outcome::Won { winner, .. } => {
                format!("{} wins", names[usize::from(winner == Player::O)])
            }
            Outcome::Draw => "It's a draw".to_owned(),
            Outcome::InProgress { .. } => "Not finished".to_owned(),
        });
        Ok(Self {
            title,
            names,
            events,
            position: last.clone(),
            shown: last.moves().len(),
            last,
            ending,
            playing: false,
            autoplay_step: AUTOPLAY_STEP,
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
        let events = record.game_over().events();
        let variant = record.variant();
        let mut replay =
            Self::of_events(title.into(), variant, names, record.first(), events, ending)
                // A record's game is legal by construction: this is never used.
                .unwrap_or_else(|_| Self::empty(names));
        replay.record = Some(Box::new(record.clone()));
        replay
    }

    fn empty([x_name, o_name]: [&str; 2]) -> Self {
        Self {
            title: String::new(),
            names: [x_name.to_owned(), o_name.to_owned()],
            events: Vec::new(),
            last: Game::default(),
            position: Game::default(),
            ending: String::new(),
            shown: 0,
            playing: false,
            autoplay_step: AUTOPLAY_STEP,
            due_s: None,
            record: None,
        }
    }

    /// The same replay, its autoplay showing each position for `step`.
    #[must_use]
    pub const fn with_autoplay_step(mut self, step: Duration) -> Self {
        self.autoplay_step = step;
        self
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
        self.last.first()
    }

    /// Every move of the game, oldest first.
    #[must_use]
    pub fn moves(&self) -> &[Cell] {
        self.last.moves()
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
    pub const fn game(&self) -> &Game {
        &self.position
    }

    /// Shows the position after `shown` moves: the game's first `shown` events, stepped through
    /// the rules.
    fn show(&mut self, shown: usize) {
        self.shown = shown.min(self.moves().len());
        let names = [self.names[0].as_str(), self.names[1].as_str()];
        let events = &self.events[..self.shown];
        match Match::replay_game_of(self.last.variant(), names, 1, self.first(), events) {
            Ok(series) => self.position = series.game().clone(),
            // The events were checked when the replay was made, so this is a bug.
            Err(error) => tracing::error!(%error, "a checked replay did not step"),
        }
    }

    /// Carries out `step`. Stepping by hand stops autoplay.
    pub fn step(&mut self, step: ReplayStep) {
        let last = self.moves().len();
        if step != ReplayStep::ToggleAutoplay {
            self.playing = false;
        }
        let shown = match step {
            ReplayStep::First => 0,
            ReplayStep::Back => self.shown.saturating_sub(1),
            ReplayStep::Forward => self.shown + 1,
            ReplayStep::Last => last,
            ReplayStep::To(shown) => shown,
            ReplayStep::ToggleAutoplay => {
                self.playing = !self.playing;
                if self.playing && self.shown == last {
                    0
                } else {
                    self.shown
                }
            }
        };
        self.show(shown);
        self.due_s = None;
    }

    /// Autoplay at time `now_s` (egui's clock, seconds): shows the next move when it is due, stops
    /// at the end. Returns how long until the next move is due, or `None` when autoplay is off.
    pub fn tick(&mut self, now_s: f64) -> Option<Duration> {
        if !self.playing {
            return None;
        }
        let interval = self.autoplay_step;
        let interval_s = interval.as_secs_f64();
        let due_s = *self.due_s.get_or_insert(now_s + interval_s);
        if now_s < due_s {
            return Some(Duration::from_secs_f64(due_s - now_s));
        }
        self.show(self.shown + 1);
        if self.shown == self.moves().len() {
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
        let total = self.moves().len();
        match self.shown {
            shown if shown == total && total > 0 => {
                format!("{} · move {total} of {total}", self.ending)
            }
            0 => format!("Start · {total} moves"),
            shown => {
                let player = self.last.mover_of(shown - 1);
                let cell = self.last.variant().cell_name(self.moves()[shown - 1]);
                format!("Move {shown} of {total}: {player} {cell}")
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::cells;

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
        let mut replay = replay.with_autoplay_step(step);
        assert_eq!(replay.tick(10.0), Some(step));
        assert_eq!(replay.shown(), 0);
        let mut now = 10.0;
        while replay.tick(now).is_some() {
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
