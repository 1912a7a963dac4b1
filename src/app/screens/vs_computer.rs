//! A match against the computer: [`ComputerMatch`], the match with the computer as the driver of
//! its seat, including the reply it has chosen but not yet shown.
//!
//! In classic the computer chooses at once (a table look-up); in the bigger games its search
//! takes up to a second, so it runs on a thread of its own, which wakes the window when it has
//! chosen. Either way its move is shown only after a short delay from when it began choosing, so
//! that it reads as a move. [`ComputerMatch::computer_turn`] says what is due at a time of
//! egui's clock; the match screen (`local`) plays it when it is, and asks for a frame only then
//! (or is woken by the search), so nothing spins while waiting. Owns no drawing.

use std::sync::mpsc::{Receiver, TryRecvError, sync_channel};
use std::time::Duration;

use rand::TryRngCore as _;

use crate::game::{
    Bot, Cell, Computer, Digest, Driver as _, Facts, GameOver, Intent, Level, Match, Player,
    Refusal, Variant,
};
use crate::net::{Wake, no_wake};

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

/// Which position a move was chosen for: the game's number and its position's digest (which
/// counts the moves); another means the choice is stale.
type Position = (u32, Digest);

/// The move the computer has chosen and when it is to be shown.
#[derive(Clone, Copy, Debug)]
struct PendingMove {
    cell: Cell,
    /// The position it was chosen for.
    position: Position,
    /// When to show it, on egui's clock (`InputState::time`), in seconds.
    due_s: f64,
}

/// The computer's search for a move in a bigger game, running on a thread of its own.
#[derive(Debug)]
struct Search {
    /// The position searched.
    position: Position,
    /// When it began, on egui's clock: the move is due the delay after.
    started_s: f64,
    /// The computer's driver after the search (its random numbers drawn on), and what it wants.
    answer: Receiver<(Bot, Option<Intent>)>,
}

/// The callback a search calls once it has chosen, so that the window draws the move.
#[derive(Clone)]
struct Waker(Wake);

impl std::fmt::Debug for Waker {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Waker")
    }
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
    /// The computer is still searching; the search wakes the window when it has chosen.
    Thinking,
}

/// A match between the player and the computer: the match, and the computer as the driver of
/// its seat, whose chosen move waits a moment before it is shown.
#[derive(Debug)]
pub struct ComputerMatch {
    series: Match,
    bot: Bot,
    computer_mark: Player,
    pending: Option<PendingMove>,
    /// The search under way in a bigger game, if any.
    search: Option<Search>,
    /// How long its chosen move waits before it is shown.
    delay: Duration,
    /// What a search calls when it has chosen.
    wake: Waker,
}

impl Clone for ComputerMatch {
    /// The same match; a search under way is not shared, but started again by the copy when it
    /// is asked (its driver is the one from before the search, so it chooses the same).
    fn clone(&self) -> Self {
        Self {
            series: self.series.clone(),
            bot: self.bot.clone(),
            computer_mark: self.computer_mark,
            pending: self.pending,
            search: None,
            delay: self.delay,
            wake: self.wake.clone(),
        }
    }
}

impl PartialEq for ComputerMatch {
    /// Equal when the matches, levels, marks and chosen replies agree (the random state and the
    /// time a reply is due are not compared).
    fn eq(&self, other: &Self) -> bool {
        self.series == other.series
            && self.level() == other.level()
            && self.computer_mark == other.computer_mark
            && self.pending.map(|p| (p.cell, p.position))
                == other.pending.map(|p| (p.cell, p.position))
    }
}

impl Eq for ComputerMatch {}

impl ComputerMatch {
    /// A new classic match: the player, named `name`, plays `player_mark` against the computer
    /// at `level`, whose random choices come from `seed`. X moves first in the first game.
    #[must_use]
    pub fn new(name: String, player_mark: Player, level: Level, seed: u64) -> Self {
        Self::new_variant(Variant::Classic, name, player_mark, level, seed)
    }

    /// [`ComputerMatch::new`] for a match of `game`.
    #[must_use]
    pub fn new_variant(
        game: Variant,
        name: String,
        player_mark: Player,
        level: Level,
        seed: u64,
    ) -> Self {
        let (x_name, o_name) = match player_mark {
            Player::X => (name, computer_name(level)),
            Player::O => (computer_name(level), name),
        };
        let series = Match::new_variant(game, crate::game::Table::Local, x_name, o_name);
        Self::resume(series, player_mark, level, seed)
    }

    /// The same match, the computer's moves shown `delay` after it begins choosing them.
    #[must_use]
    pub const fn with_delay(mut self, delay: Duration) -> Self {
        self.delay = delay;
        self
    }

    /// The same match, `wake` called when a search of the computer's has chosen (by default
    /// nothing is called, and the move waits for the next frame).
    #[must_use]
    pub fn with_wake(mut self, wake: Wake) -> Self {
        self.wake = Waker(wake);
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
            search: None,
            delay: COMPUTER_DELAY,
            wake: Waker(no_wake()),
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
            self.search = None;
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
        self.search = None;
        self.series.act(self.computer_mark, Intent::Play(cell))
    }

    /// Starts the next game, the other side moving first: the player asks, and the computer
    /// agrees. Does nothing while a game is on.
    pub fn next_game(&mut self) {
        if !self.series.game_over() {
            return;
        }
        self.pending = None;
        self.search = None;
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

    /// Forgets a chosen reply, or the search for one (when the match is left for the menu); it
    /// is chosen again later.
    pub fn forget_pending(&mut self) {
        self.pending = None;
        self.search = None;
    }

    /// Whether the computer's search for its move is under way.
    #[must_use]
    pub const fn searching(&self) -> bool {
        self.search.is_some()
    }

    /// The position the computer chooses for now.
    fn position(&self) -> Position {
        (self.series.game_number(), self.series.game().digest())
    }

    /// What the computer needs at time `now_s` (egui's clock, seconds): on its turn it begins
    /// choosing the first time it is asked — in classic at once, in a bigger game on a thread of
    /// its own — and its move is due its delay after that, or as soon as it is chosen if that
    /// takes longer.
    pub fn computer_turn(&mut self, now_s: f64) -> ComputerTurn {
        if !self.is_thinking() {
            self.pending = None;
            self.search = None;
            return ComputerTurn::Idle;
        }
        let position = self.position();
        let pending = match self.pending {
            Some(pending) if pending.position == position => pending,
            _ => {
                let chosen = if self.series.variant().is_classic() {
                    self.choose_now().map(|cell| (cell, now_s))
                } else {
                    match self.searched(position, now_s) {
                        Ok(chosen) => chosen,
                        Err(thinking) => return thinking,
                    }
                };
                let Some((cell, started_s)) = chosen else {
                    return ComputerTurn::Idle;
                };
                let pending = PendingMove {
                    cell,
                    position,
                    due_s: started_s + self.delay.as_secs_f64(),
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

    /// The computer's move, chosen on this thread.
    fn choose_now(&mut self) -> Option<Cell> {
        match self.bot.intent(&self.series, self.computer_mark) {
            Some(Intent::Play(cell)) => Some(cell),
            _ => None,
        }
    }

    /// The search's move for `position` and when the search began, once it has chosen; `Err`
    /// with what to say meanwhile while it searches (one is started when none is under way for
    /// this position).
    fn searched(
        &mut self,
        position: Position,
        now_s: f64,
    ) -> Result<Option<(Cell, f64)>, ComputerTurn> {
        let Some(search) = self.search.take().filter(|s| s.position == position) else {
            return match self.start_search(position, now_s) {
                Some(search) => {
                    self.search = Some(search);
                    Err(ComputerTurn::Thinking)
                }
                // No thread to be had: chosen here instead, the window waiting meanwhile.
                None => Ok(self.choose_now().map(|cell| (cell, now_s))),
            };
        };
        match search.answer.try_recv() {
            Ok((bot, intent)) => {
                self.bot = bot;
                Ok(match intent {
                    Some(Intent::Play(cell)) => Some((cell, search.started_s)),
                    _ => None,
                })
            }
            Err(TryRecvError::Empty) => {
                self.search = Some(search);
                Err(ComputerTurn::Thinking)
            }
            Err(TryRecvError::Disconnected) => {
                tracing::error!("the computer's search ended without a move; choosing here");
                Ok(self.choose_now().map(|cell| (cell, now_s)))
            }
        }
    }

    /// Starts the search for the computer's move on a thread of its own, with a copy of its
    /// driver (kept by the match once the answer comes). `None` if no thread could be started.
    fn start_search(&self, position: Position, now_s: f64) -> Option<Search> {
        let (answer_tx, answer) = sync_channel(1);
        let mut bot = self.bot.clone();
        let series = self.series.clone();
        let seat = self.computer_mark;
        let Waker(wake) = self.wake.clone();
        let spawned = std::thread::Builder::new()
            .name("computer".to_owned())
            .spawn(move || {
                let intent = bot.intent(&series, seat);
                // Nobody waits any more when the match has moved on: the answer is dropped.
                if answer_tx.send((bot, intent)).is_ok() {
                    wake();
                }
            });
        match spawned {
            Ok(_) => Some(Search {
                position,
                started_s: now_s,
                answer,
            }),
            Err(error) => {
                tracing::error!(%error, "no thread for the computer's search");
                None
            }
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

    /// Asks for the computer's turn at `now_s` until the search has answered (a wall-clock
    /// deadline only against a search that never ends).
    fn until_chosen(vs: &mut ComputerMatch, now_s: f64) -> ComputerTurn {
        let deadline = std::time::Instant::now() + Duration::from_secs(30);
        loop {
            match vs.computer_turn(now_s) {
                ComputerTurn::Thinking => {
                    assert!(
                        std::time::Instant::now() < deadline,
                        "the search never ended"
                    );
                    std::thread::sleep(Duration::from_millis(2));
                }
                turn => return turn,
            }
        }
    }

    #[test]
    fn a_bigger_games_reply_is_searched_off_this_thread_and_due_after_the_delay() {
        let delay = Duration::from_millis(400);
        let (tx, rx) = sync_channel(8);
        let woken: Wake = std::sync::Arc::new(move || {
            let _sent = tx.try_send(());
        });
        let mut vs =
            ComputerMatch::new_variant(Variant::Gomoku, "Ann".into(), Player::X, Level::Easy, 3)
                .with_delay(delay)
                .with_wake(woken);
        let centre = Variant::Gomoku.parse_move("h8").unwrap();
        vs.play(centre).unwrap();
        assert_eq!(vs.computer_turn(10.0), ComputerTurn::Thinking);
        assert!(vs.searching());
        // Asked again before it is due: still waiting, the delay counted from when it began.
        let turn = until_chosen(&mut vs, 10.1);
        assert!(rx.try_recv().is_ok(), "the search woke the window");
        assert!(!vs.searching());
        assert!(
            matches!(turn, ComputerTurn::Wait(left) if left < delay),
            "{turn:?}"
        );
        let ComputerTurn::Due(cell) = vs.computer_turn(10.4) else {
            panic!("the reply is not due");
        };
        vs.play_computer(cell).unwrap();
        assert_eq!(vs.series().game().moves().len(), 2);
        assert_eq!(vs.computer_turn(11.0), ComputerTurn::Idle);
    }

    #[test]
    fn a_search_for_a_position_taken_back_is_dropped() {
        let mut vs =
            ComputerMatch::new_variant(Variant::Ultimate, "Ann".into(), Player::X, Level::Easy, 5)
                .with_delay(Duration::ZERO);
        vs.play(Variant::Ultimate.parse_move("5 5").unwrap())
            .unwrap();
        assert_eq!(vs.computer_turn(1.0), ComputerTurn::Thinking);
        // Left for the menu: the search is forgotten, and begun again on return.
        vs.forget_pending();
        assert!(!vs.searching());
        let ComputerTurn::Due(cell) = until_chosen(&mut vs, 2.0) else {
            panic!("no reply");
        };
        assert_eq!(
            cell.small_board(),
            Variant::Ultimate
                .parse_move("5 5")
                .unwrap()
                .in_small_board()
        );
        vs.play_computer(cell).unwrap();
    }
}
