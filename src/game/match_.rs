//! A match: a series of games of one [`Variant`] between two named players, and the one path
//! that changes it.
//!
//! Every mode — two people at one computer, one against the computer, the host and the joiner of
//! a networked match, the terminal, a replay, a resumed match — keeps a [`Match`]. What a player
//! wants is an [`Intent`]; [`Match::decide`] judges it by the rules, with the [`Facts`] only the
//! caller can know, and answers with the [`Event`]s it causes (or a [`Refusal`], changing
//! nothing), and [`Match::apply`] is the only change of state. Every event applied goes into the
//! match's [`EventLog`]: what the host sends the joiner, what a saved match is made of, and what
//! a replay steps through. Pure: no I/O, no clocks.

use serde::{Deserialize, Serialize};

use super::{
    ApplyError, Chain, Clock, Digest, Ending, Entry, Event, EventLog, Facts, Game, GameOver,
    Intent, MoveError, Outcome, Player, Refusal, Variant, Verdict, verdict_of,
};

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
    /// Counts one game by its verdict: a win for its winner (on the board, by resignation or by
    /// abandonment), a draw, or nothing for a game that stopped undecided. The one score rule.
    pub const fn count(&mut self, verdict: Verdict) {
        match verdict {
            Verdict::Win(Player::X) => self.x_wins += 1,
            Verdict::Win(Player::O) => self.o_wins += 1,
            Verdict::Draw => self.draws += 1,
            Verdict::Unfinished => {}
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

/// Which end of a networked match this side is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Role {
    /// Runs the server; its match settles every dispute.
    Host,
    /// Connected to a host; mirrors the host's match.
    Joiner,
}

/// Where the players of a match sit.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Table {
    /// Both at one computer (two people, or one and the computer): undo is allowed.
    Local,
    /// At two computers over the network: no undo.
    Network,
}

/// A series of games of one [`Variant`] between two named players. Each keeps their mark for the
/// whole match; X moves first in game 1, and who moves first alternates from game to game.
///
/// Finished games are folded into the score, so the state stays the same size however long the
/// match runs. The only change of state is [`Match::apply`] (names aside, which are identity and
/// travel in snapshots).
///
/// Two matches are equal when their states are: the log, which says how a state was reached and
/// how much of that is still kept, is compared on its own ([`Match::log`]).
#[derive(Clone, Debug)]
pub struct Match {
    pub(super) names: [String; 2],
    pub(super) game_number: u32,
    pub(super) score: Score,
    pub(super) game: Game,
    /// How the current game ended off the board: resigned or abandoned.
    pub(super) ended: Option<Ending>,
    pub(super) rematch: [bool; 2],
    /// Why the match ended: left or abandoned.
    pub(super) over: Option<Ending>,
    pub(super) v: u64,
    pub(super) table: Table,
    /// Both players asked in advance for every next game: see [`Match::agree_series`].
    pub(super) series: bool,
    /// The latest events applied, oldest first: what resuming, saving and replaying read.
    pub(super) log: EventLog,
    /// The chain head over every event applied, when known (a snapshot without one leaves it
    /// unknown).
    pub(super) chain: Option<Chain>,
}

pub(super) const fn slot(player: Player) -> usize {
    match player {
        Player::X => 0,
        Player::O => 1,
    }
}

impl PartialEq for Match {
    fn eq(&self, other: &Self) -> bool {
        let Self {
            names,
            game_number,
            score,
            game,
            ended,
            rematch,
            over,
            v,
            table,
            series,
            log: _,
            chain,
        } = self;
        *names == other.names
            && *game_number == other.game_number
            && *score == other.score
            && *game == other.game
            && *ended == other.ended
            && *rematch == other.rematch
            && *over == other.over
            && *v == other.v
            && *table == other.table
            && *series == other.series
            && *chain == other.chain
    }
}

impl Eq for Match {}

impl Match {
    /// A new classic match at one computer, at version 0: game 1, X to move.
    #[must_use]
    pub fn new(x_name: impl Into<String>, o_name: impl Into<String>) -> Self {
        Self::at_table(Variant::Classic, Table::Local, x_name, o_name)
    }

    /// A new classic match over the network, at version 0: game 1, X to move.
    #[must_use]
    pub fn networked(x_name: impl Into<String>, o_name: impl Into<String>) -> Self {
        Self::at_table(Variant::Classic, Table::Network, x_name, o_name)
    }

    /// A new match of `variant` at `table`, at version 0: game 1, X to move.
    #[must_use]
    pub fn new_variant(
        variant: Variant,
        table: Table,
        x_name: impl Into<String>,
        o_name: impl Into<String>,
    ) -> Self {
        Self::at_table(variant, table, x_name, o_name)
    }

    fn at_table(
        variant: Variant,
        table: Table,
        x_name: impl Into<String>,
        o_name: impl Into<String>,
    ) -> Self {
        Self {
            names: [x_name.into(), o_name.into()],
            game_number: 1,
            score: Score::default(),
            game: Game::of(variant, Player::X),
            ended: None,
            rematch: [false; 2],
            over: None,
            v: 0,
            table,
            series: false,
            log: EventLog::starting_at(0),
            chain: Some(Chain::START),
        }
    }

    /// The game this match plays, every game of it.
    #[must_use]
    pub const fn variant(&self) -> Variant {
        self.game.variant()
    }

    /// Where its players sit.
    #[must_use]
    pub const fn table(&self) -> Table {
        self.table
    }

    /// The version: how many events have been applied.
    #[must_use]
    pub const fn v(&self) -> u64 {
        self.v
    }

    /// The digest of the current game's position ([`Game::digest`]), sent with every event.
    #[must_use]
    pub fn digest(&self) -> Digest {
        self.game.digest()
    }

    /// The name of the player who plays `player`.
    #[must_use]
    pub fn name(&self, player: Player) -> &str {
        &self.names[slot(player)]
    }

    /// Renames a player (a host learns the joiner's name from its `hello`). Not an event: names
    /// are identity, carried in snapshots.
    pub fn set_name(&mut self, player: Player, name: String) {
        self.names[slot(player)] = name;
    }

    /// The current game (or the one just finished).
    #[must_use]
    pub const fn game(&self) -> &Game {
        &self.game
    }

    /// The 1-based number of the current game.
    #[must_use]
    pub const fn game_number(&self) -> u32 {
        self.game_number
    }

    /// The score over every finished game, including the current one once it has ended.
    #[must_use]
    pub const fn score(&self) -> Score {
        self.score
    }

    /// How the current game ended off the board (resigned, abandoned), as a snapshot carries it.
    #[must_use]
    pub const fn ended_off_board(&self) -> Option<Ending> {
        self.ended
    }

    /// How the current game ended, once it has: off the board, on the board, or cut short when a
    /// player left the match in the middle of it.
    #[must_use]
    pub fn ending(&self) -> Option<Ending> {
        if let Some(ending) = self.ended {
            return Some(ending);
        }
        match (self.game.outcome(), self.over) {
            (Outcome::Won { .. }, _) => Some(Ending::Won),
            (Outcome::Draw, _) => Some(Ending::Draw),
            (Outcome::InProgress { .. }, Some(Ending::Left { player })) => {
                Some(Ending::Left { player })
            }
            (Outcome::InProgress { .. }, _) => None,
        }
    }

    /// The current game's result once it is decided (won, drawn, resigned, abandoned); `None`
    /// while it is played, and for a game cut short by a player leaving.
    #[must_use]
    pub fn result(&self) -> Option<Verdict> {
        self.ending()
            .map(|ending| verdict_of(ending, &self.game))
            .filter(|verdict| *verdict != Verdict::Unfinished)
    }

    /// Whether the current game is decided (on the board or off it); only then is a rematch
    /// possible.
    #[must_use]
    pub fn game_over(&self) -> bool {
        self.game.is_over() || self.ended.is_some()
    }

    /// Whether `player` has asked for a rematch.
    #[must_use]
    pub const fn wants_rematch(&self, player: Player) -> bool {
        self.rematch[slot(player)]
    }

    /// Why the match ended, once it has: [`Ending::Left`] or [`Ending::Abandoned`].
    #[must_use]
    pub const fn over(&self) -> Option<Ending> {
        self.over
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

    /// The chain head over every event applied, when known (see [`Chain`]).
    #[must_use]
    pub const fn chain(&self) -> Option<Chain> {
        self.chain
    }

    /// The match's log: the latest events applied, oldest first, each with the version, digest
    /// and chain head it led to.
    #[must_use]
    pub const fn log(&self) -> &EventLog {
        &self.log
    }

    /// The events in the log, oldest first (every event since the match began while
    /// [`EventLog::is_whole`]). [`Match::replay`] turns them back into the match.
    #[must_use]
    pub fn events(&self) -> Vec<Event> {
        self.log.events().collect()
    }

    /// Whether both players asked in advance for every next game.
    #[must_use]
    pub const fn series(&self) -> bool {
        self.series
    }

    /// Both players asked in advance for every next game (or no longer do): from now on, the
    /// event that ends a game comes with both players' rematch requests and the next game's
    /// start, in the same decision. How the match is decided, not what happened in it: not an
    /// event, and not in snapshots.
    pub const fn agree_series(&mut self, agreed: bool) {
        self.series = agreed;
    }

    /// Judges what `seat` asks for and returns the events it causes, in order, or why it is
    /// refused; `facts` are what only the caller can know (the clock). Nothing changes until
    /// the events are [applied](Self::apply).
    pub fn decide(
        &self,
        seat: Player,
        intent: Intent,
        facts: Facts,
    ) -> Result<Vec<Event>, Refusal> {
        // A claim needs the clock first: without an absence past the grace period there is
        // nothing to claim, whatever state the match is in.
        if intent == Intent::ClaimWin {
            match facts.clock {
                Clock::NotKept => return Err(Refusal::NoClock),
                Clock::Kept {
                    away_past_grace: false,
                } => return Err(Refusal::TooEarlyToClaim),
                Clock::Kept {
                    away_past_grace: true,
                } => {}
            }
        }
        if self.over.is_some() {
            return Err(Refusal::MatchOver);
        }
        let mut events = match intent {
            Intent::Play(cell) => {
                if self.ended.is_some() {
                    return Err(Refusal::Move(MoveError::GameOver));
                }
                self.game
                    .clone()
                    .play_as(seat, cell)
                    .map_err(Refusal::Move)?;
                vec![Event::Moved { player: seat, cell }]
            }
            Intent::Undo => return self.decide_undo(seat),
            Intent::Rematch => {
                return if !self.game_over() {
                    Err(Refusal::GameInProgress)
                } else if self.wants_rematch(seat) {
                    Ok(Vec::new())
                } else if self.wants_rematch(seat.other()) {
                    Ok(vec![
                        Event::Rematch { player: seat },
                        Event::NewGame {
                            first: self.game.first().other(),
                        },
                    ])
                } else {
                    Ok(vec![Event::Rematch { player: seat }])
                };
            }
            Intent::Resign => {
                if self.game_over() {
                    return Err(Refusal::GameOver);
                }
                vec![Event::Resigned { player: seat }]
            }
            Intent::ClaimWin => {
                return Ok(vec![Event::Abandoned {
                    player: seat.other(),
                }]);
            }
            Intent::Leave => return Ok(vec![Event::Left { player: seat }]),
        };
        if self.series {
            self.start_next_in_series(&mut events);
        }
        Ok(events)
    }

    /// Whether `seat` may claim the win now, given `facts`: the claim-win rule, as
    /// [`Match::decide`] applies it.
    #[must_use]
    pub fn may_claim_win(&self, seat: Player, facts: Facts) -> bool {
        self.decide(seat, Intent::ClaimWin, facts).is_ok()
    }

    /// Undo: the moves from the end back to `seat`'s last one, newest first.
    fn decide_undo(&self, seat: Player) -> Result<Vec<Event>, Refusal> {
        if self.table != Table::Local {
            return Err(Refusal::NoUndoOverNetwork);
        }
        if self.game_over() {
            return Err(Refusal::GameOver);
        }
        let moves = self.game.moves();
        let Some(last_own) = (0..moves.len())
            .rev()
            .find(|&ply| self.game.mover_of(ply) == seat)
        else {
            return Err(Refusal::NothingToUndo);
        };
        Ok((last_own..moves.len())
            .rev()
            .map(|ply| Event::TookBack {
                player: self.game.mover_of(ply),
                cell: moves[ply],
            })
            .collect())
    }

    /// In an agreed series: when `events` end the game, both players' rematch requests and the
    /// next game's start follow them.
    fn start_next_in_series(&self, events: &mut Vec<Event>) {
        let mut trial = self.clone();
        trial.series = false;
        if events.iter().any(|&event| trial.apply(event).is_err()) || !trial.game_over() {
            return;
        }
        for player in Player::ALL {
            if !trial.wants_rematch(player) {
                events.push(Event::Rematch { player });
            }
        }
        events.push(Event::NewGame {
            first: self.game.first().other(),
        });
    }

    /// Applies one event, bumps the version and logs it; returns the game it ended, if it ended
    /// one. An event that does not fit leaves the match untouched.
    pub fn apply(&mut self, event: Event) -> Result<Option<GameOver>, ApplyError> {
        let misplaced = || ApplyError::Misplaced { event };
        if self.over.is_some() {
            return Err(misplaced());
        }
        let mut ended = None;
        match event {
            Event::Moved { player, cell } => {
                if self.ended.is_some() {
                    return Err(misplaced());
                }
                let outcome =
                    self.game
                        .play_as(player, cell)
                        .map_err(|error| ApplyError::IllegalMove {
                            player,
                            cell,
                            error,
                        })?;
                ended = match outcome {
                    Outcome::Won { .. } => Some(Ending::Won),
                    Outcome::Draw => Some(Ending::Draw),
                    Outcome::InProgress { .. } => None,
                };
            }
            Event::TookBack { player, cell } => {
                let fits = self.table == Table::Local
                    && !self.game_over()
                    && self.game.last_move() == Some(cell)
                    && self.game.mover_of(self.game.moves().len() - 1) == player;
                if !fits {
                    return Err(misplaced());
                }
                self.game.undo();
            }
            Event::Resigned { player } => {
                if self.game_over() {
                    return Err(misplaced());
                }
                self.ended = Some(Ending::Resigned { player });
                ended = self.ended;
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
                self.game = Game::of(self.game.variant(), first);
                self.ended = None;
                self.rematch = [false; 2];
                self.game_number += 1;
            }
            Event::Abandoned { player } => {
                if !self.game_over() {
                    self.ended = Some(Ending::Abandoned { player });
                    ended = self.ended;
                }
                self.over = Some(Ending::Abandoned { player });
            }
            Event::Left { player } => {
                if !self.game_over() {
                    ended = Some(Ending::Left { player });
                }
                self.over = Some(Ending::Left { player });
            }
        }
        self.v += 1;
        self.chain = self.chain.map(|chain| chain.after(&event));
        self.log.push(Entry {
            v: self.v,
            event,
            digest: self.game.digest(),
            chain: self.chain,
        });
        Ok(ended.map(|ending| {
            self.score.count(verdict_of(ending, &self.game));
            self.game_over_as(ending)
        }))
    }

    /// Decides `intent` for `seat` and applies the events: the path for a match whose players
    /// all sit at this computer (no clock: nobody claims a win there). Returns the game it
    /// ended, if it ended one.
    pub fn act(&mut self, seat: Player, intent: Intent) -> Result<Option<GameOver>, Refusal> {
        self.act_with(seat, intent, Facts::NONE)
    }

    /// [`Match::act`] with the facts of the side deciding (the host's clock).
    pub fn act_with(
        &mut self,
        seat: Player,
        intent: Intent,
        facts: Facts,
    ) -> Result<Option<GameOver>, Refusal> {
        let mut over = None;
        for event in self.decide(seat, intent, facts)? {
            let applied = self.apply(event);
            // `decide` returns only events that fit: anything else is a bug in the engine.
            debug_assert!(
                applied.is_ok(),
                "a decided event did not apply: {applied:?}"
            );
            if let Ok(ended) = applied {
                over = over.or(ended);
            }
        }
        Ok(over)
    }

    /// Replays `events` from a new classic match between `x_name` and `o_name` at `table`: how a
    /// saved match comes back. Every event must fit.
    pub fn replay(table: Table, names: [&str; 2], events: &[Event]) -> Result<Self, ApplyError> {
        Self::replay_variant(Variant::Classic, table, names, events)
    }

    /// [`Match::replay`] for a match of `variant`.
    pub fn replay_variant(
        variant: Variant,
        table: Table,
        [x_name, o_name]: [&str; 2],
        events: &[Event],
    ) -> Result<Self, ApplyError> {
        Self::at_table(variant, table, x_name, o_name).replayed(events)
    }

    /// A classic match at one computer whose current game is game `game_number` with `first` to
    /// move: where a recorded game is replayed, one event at a time, through the same rules.
    #[must_use]
    pub fn for_game(names: [&str; 2], game_number: u32, first: Player) -> Self {
        Self::for_game_of(Variant::Classic, names, game_number, first)
    }

    /// [`Match::for_game`] for a game of `variant`.
    #[must_use]
    pub fn for_game_of(
        variant: Variant,
        names: [&str; 2],
        game_number: u32,
        first: Player,
    ) -> Self {
        let mut series = Self::at_table(variant, Table::Local, names[0], names[1]);
        series.game = Game::of(variant, first);
        series.game_number = game_number.max(1);
        series.chain = None;
        series
    }

    /// Replays a recorded classic game's `events` ([`GameOver::events`]) through the rules: the
    /// match once the game is over, or the first event that does not fit.
    pub fn replay_game(
        names: [&str; 2],
        game_number: u32,
        first: Player,
        events: &[Event],
    ) -> Result<Self, ApplyError> {
        Self::replay_game_of(Variant::Classic, names, game_number, first, events)
    }

    /// [`Match::replay_game`] for a game of `variant`.
    pub fn replay_game_of(
        variant: Variant,
        names: [&str; 2],
        game_number: u32,
        first: Player,
        events: &[Event],
    ) -> Result<Self, ApplyError> {
        Self::for_game_of(variant, names, game_number, first).replayed(events)
    }

    /// This match with `events` applied in order, through the rules.
    fn replayed(mut self, events: &[Event]) -> Result<Self, ApplyError> {
        for &event in events {
            self.apply(event)?;
        }
        Ok(self)
    }
}
