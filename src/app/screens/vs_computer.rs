//! A match against the computer: [`ComputerMatch`], the match with the computer as the driver of
//! its seat, including the reply it has chosen but not yet shown.
//!
//! The computer chooses at once (a table look-up), but its move is shown only after a short delay
//! so that it reads as a move. [`ComputerMatch::computer_turn`] says what is due at a time of
//! egui's clock; the match screen (`local`) plays it when it is, and asks for a frame only then,
//! so nothing spins while waiting. Owns no drawing.

use std::time::Duration;

use rand::TryRngCore as _;

use crate::game::{
    Bot, Cell, Computer, Driver as _, Facts, GameOver, Intent, Level, Match, Player, Refusal,
};

/// How long the computer's move waits before it is shown, so that it reads as a move.
pub const COMPUTER_DELAY: Duration = Duration::from_millis(400);

/// A fresh seed for the computer's random choices, from the operating system.
#[must_use]
pub fn entropy_seed() -> u64 {
    rand::rngs::OsRng.try_next_u64().unwrap_or_else(|error| {
        // Only the variety of the computer's play depends on it: the clock will do.
        tracing::warn!(%error, "no random seed from the operating system; using the clock");
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_secs() ^ (u64::from(d.subsec_nanos()) << 32))
    })
}

/// The name shown for the computer, such as "Computer (perfect)".
#[must_use]
pub fn computer_name(level: Level) -> String {
    format!("Computer ({level})")
}

/// The move the computer has chosen and when it is to be shown.
#[derive(Clone, Copy, Debug)]
struct PendingMove {
    cell: Cell,
    /// How many moves the game had when it was chosen; a different count means it is stale.
    ply: usize,
    /// When to show it, on egui's clock (`InputState::time`), in seconds.
    due_s: f64,
}

/// What the computer's side of the match needs now.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ComputerTurn {
    /// It is not the computer's move.
    Idle,
    /// The computer's move is due: play this cell now.
    Due(Cell),
    /// The computer has chosen; show its move after this long.
    Wait(Duration),
}

/// A match between the player and the computer: the match, and the computer as the driver of
/// its seat, whose chosen move waits a moment before it is shown.
#[derive(Clone, Debug)]
pub struct ComputerMatch {
    series: Match,
    bot: Bot,
    computer_mark: Player,
    pending: Option<PendingMove>,
    /// How long its chosen move waits before it is shown.
    delay: Duration,
}

impl PartialEq for ComputerMatch {
    /// Equal when the matches, levels, marks and chosen replies agree (the random state and the
    /// time a reply is due are not compared).
    fn eq(&self, other: &Self) -> bool {
        self.series == other.series
            && self.level() == other.level()
            && self.computer_mark == other.computer_mark
            && self.pending.map(|p| (p.cell, p.ply)) == other.pending.map(|p| (p.cell, p.ply))
    }
}

impl Eq for ComputerMatch {}

impl ComputerMatch {
    /// A new match: the player, named `name`, plays `player_mark` against the computer at `level`,
    /// whose random choices come from `seed`. X moves first in the first game.
    #[must_use]
    pub fn new(name: String, player_mark: Player, level: Level, seed: u64) -> Self {
        let computer_mark = player_mark.other();
        let series = match player_mark {
            Player::X => Match::new(name, computer_name(level)),
            Player::O => Match::new(computer_name(level), name),
        };
        Self {
            series,
            bot: Self::bot(level, seed),
            computer_mark,
            pending: None,
            delay: COMPUTER_DELAY,
        }
    }

    /// The same match, the computer's moves shown `delay` after it chooses them.
    #[must_use]
    pub const fn with_delay(mut self, delay: Duration) -> Self {
        self.delay = delay;
        self
    }

    /// The computer's driver: it always agrees to the next game, which starts when the player
    /// asks for it.
    fn bot(level: Level, seed: u64) -> Bot {
        Bot::new(Computer::new(level, seed)).asking_rematch(true)
    }

    /// A match continued from `series` (as saved when the window closed): the player plays
    /// `player_mark` against the computer at `level`, whose random choices come from `seed`.
    #[must_use]
    pub fn resume(series: Match, player_mark: Player, level: Level, seed: u64) -> Self {
        Self {
            series,
            bot: Self::bot(level, seed),
            computer_mark: player_mark.other(),
            pending: None,
            delay: COMPUTER_DELAY,
        }
    }

    /// The match: names, score and the current game.
    #[must_use]
    pub const fn series(&self) -> &Match {
        &self.series
    }

    /// The computer's level.
    #[must_use]
    pub const fn level(&self) -> Level {
        self.bot.computer().level()
    }

    /// The mark the player places.
    #[must_use]
    pub const fn player_mark(&self) -> Player {
        self.computer_mark.other()
    }

    /// The mark the computer places.
    #[must_use]
    pub const fn computer_mark(&self) -> Player {
        self.computer_mark
    }

    /// Whether the game is in progress with the computer to move ("thinking").
    #[must_use]
    pub fn is_thinking(&self) -> bool {
        self.series.to_move() == Some(self.computer_mark)
    }

    /// Whether [`ComputerMatch::undo`] would take anything back: the player has moved in this
    /// game, and it is not over.
    #[must_use]
    pub fn can_undo(&self) -> bool {
        self.series
            .decide(self.player_mark(), Intent::Undo, Facts::NONE)
            .is_ok()
    }

    /// Takes back the player's last move and the computer's reply after it, so it is the
    /// player's turn again. Does nothing when the player has not moved in this game, or once the
    /// game is over (a finished game stands).
    pub fn undo(&mut self) {
        if self.series.act(self.player_mark(), Intent::Undo).is_ok() {
            self.pending = None;
        }
    }

    /// Plays `cell` for the player; refused unless it is the player's turn. Returns the game it
    /// ended, if it ended one.
    pub fn play(&mut self, cell: Cell) -> Result<Option<GameOver>, Refusal> {
        self.series.act(self.player_mark(), Intent::Play(cell))
    }

    /// Plays `cell` for the computer; refused unless it is the computer's turn.
    pub fn play_computer(&mut self, cell: Cell) -> Result<Option<GameOver>, Refusal> {
        self.pending = None;
        self.series.act(self.computer_mark, Intent::Play(cell))
    }

    /// Starts the next game, the other side moving first: the player asks, and the computer
    /// agrees. Does nothing while a game is on.
    pub fn next_game(&mut self) {
        if !self.series.game_over() {
            return;
        }
        self.pending = None;
        if self.bot.intent(&self.series, self.computer_mark) == Some(Intent::Rematch) {
            self.ask_rematch(self.computer_mark);
        }
        self.ask_rematch(self.player_mark());
    }

    fn ask_rematch(&mut self, seat: Player) {
        if let Err(refusal) = self.series.act(seat, Intent::Rematch) {
            tracing::debug!(%refusal, "no next game");
        }
    }

    /// Forgets a chosen reply (when the match is left for the menu); it is chosen again later.
    pub fn forget_pending(&mut self) {
        self.pending = None;
    }

    /// What the computer needs at time `now_s` (egui's clock, seconds): on its turn it chooses a
    /// move at once, the first time it is asked, and that move is due its delay later.
    pub fn computer_turn(&mut self, now_s: f64) -> ComputerTurn {
        if !self.is_thinking() {
            self.pending = None;
            return ComputerTurn::Idle;
        }
        let game = self.series.game();
        let ply = game.moves().len();
        let pending = match self.pending {
            Some(pending) if pending.ply == ply => pending,
            _ => {
                let Some(Intent::Play(cell)) = self.bot.intent(&self.series, self.computer_mark)
                else {
                    return ComputerTurn::Idle;
                };
                let pending = PendingMove {
                    cell,
                    ply,
                    due_s: now_s + self.delay.as_secs_f64(),
                };
                self.pending = Some(pending);
                pending
            }
        };
        let left_s = pending.due_s - now_s;
        if left_s > 0.0 {
            ComputerTurn::Wait(Duration::from_secs_f64(left_s))
        } else {
            ComputerTurn::Due(pending.cell)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cell(number: u8) -> Cell {
        Cell::ALL[usize::from(number) - 1]
    }

    #[test]
    fn undo_never_takes_back_only_the_computers_opening() {
        let mut vs = ComputerMatch::new("Ann".into(), Player::O, Level::Perfect, 1);
        assert!(vs.is_thinking());
        vs.play_computer(cell(1)).unwrap();
        assert!(!vs.can_undo());
        vs.undo();
        assert_eq!(vs.series().game().moves(), [cell(1)]);

        vs.play(cell(5)).unwrap();
        vs.play_computer(cell(9)).unwrap();
        assert!(vs.can_undo());
        vs.undo();
        assert_eq!(vs.series().game().moves(), [cell(1)]);
        assert_eq!(vs.series().game().to_move(), Some(Player::O));
    }

    #[test]
    fn the_reply_is_chosen_once_and_due_after_the_delay() {
        let delay = Duration::from_millis(400);
        let mut vs = ComputerMatch::new("Ann".into(), Player::X, Level::Easy, 3).with_delay(delay);
        assert_eq!(vs.computer_turn(0.0), ComputerTurn::Idle);
        vs.play(cell(5)).unwrap();
        let ComputerTurn::Wait(left) = vs.computer_turn(10.0) else {
            panic!("the reply is not waiting");
        };
        assert_eq!(left, delay);
        let ComputerTurn::Due(cell) = vs.computer_turn(10.4) else {
            panic!("the reply is not due");
        };
        assert_eq!(vs.computer_turn(11.0), ComputerTurn::Due(cell));
        vs.play_computer(cell).unwrap();
        assert_eq!(vs.computer_turn(12.0), ComputerTurn::Idle);
        assert!(vs.play_computer(cell).is_err(), "not the computer's turn");
    }
}
