//! A match: a series of games between two named players, and the one path that changes it.
//!
//! Every mode — two people at one computer, one against the computer, the host and the joiner of
//! a networked match, the terminal, a replay, a resumed match — keeps a [`Match`]. What a player
//! wants is an [`Intent`]; [`Match::decide`] judges it by the rules and answers with the
//! [`Event`]s it causes (or a [`Refusal`], changing nothing), and [`Match::apply`] is the only
//! change of state. Events are what the host sends the joiner, what a record and a saved match
//! are made of, and what a replay steps through. Pure: no I/O, no clocks.

use serde::{Deserialize, Serialize};

use super::{Cell, Digest, Ending, Game, MoveError, Outcome, Player, Verdict};

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

/// What a player asks for during a match.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Intent {
    /// Place my mark on this cell.
    Play(Cell),
    /// Take back my last move of the current game (and any reply after it). Only in a match at
    /// one computer, and never once the game is over: a finished game stands as it was played.
    Undo,
    /// Ask for the next game, once this one is over; it starts when both players have asked.
    Rematch,
    /// Give up the current game; the other player wins it.
    Resign,
    /// Claim the win because the opponent stayed away (whoever runs the clock checks the wait).
    ClaimWin,
    /// Leave the match for good.
    Leave,
}

/// Something that happened in the match, in the order it was decided. On the wire it is the
/// object tagged by `kind` inside an `event` message (`docs/PROTOCOL.md`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Event {
    /// `player` placed their mark on `cell`.
    Moved {
        /// Who moved.
        player: Player,
        /// Where.
        cell: Cell,
    },
    /// `player`'s mark on `cell`, the last move of the game, was taken back. Only in a match at
    /// one computer: never sent over the network.
    TookBack {
        /// Whose move it was.
        player: Player,
        /// Where it was.
        cell: Cell,
    },
    /// `player` gave up the current game; the other wins it.
    Resigned {
        /// Who resigned.
        player: Player,
    },
    /// `player` wants a rematch. When both do, `new_game` follows.
    Rematch {
        /// Who asked.
        player: Player,
    },
    /// The next game starts, with `first` to move (the first player alternates).
    NewGame {
        /// Who moves first.
        first: Player,
    },
    /// `player` stayed away past the grace period and the other claimed the win. The match is over.
    Abandoned {
        /// Who stayed away.
        player: Player,
    },
    /// `player` left the match. The match is over.
    Left {
        /// Who left.
        player: Player,
    },
}

impl Event {
    /// The event as one line of text, as the hash chain takes it: `moved x 5`, `took_back o 3`,
    /// `resigned x`, `rematch o`, `new_game x`, `abandoned o`, `left x`.
    #[must_use]
    pub fn to_text(&self) -> String {
        match *self {
            Self::Moved { player, cell } => format!("moved {} {cell}", player.as_str()),
            Self::TookBack { player, cell } => format!("took_back {} {cell}", player.as_str()),
            Self::Resigned { player } => format!("resigned {}", player.as_str()),
            Self::Rematch { player } => format!("rematch {}", player.as_str()),
            Self::NewGame { first } => format!("new_game {}", first.as_str()),
            Self::Abandoned { player } => format!("abandoned {}", player.as_str()),
            Self::Left { player } => format!("left {}", player.as_str()),
        }
    }
}

/// The head of a match's hash chain, evidence of the events seen.
///
/// SHA-256 over the previous head and each event's text, in order, from 32 zero bytes before the
/// first event. Two sides that applied the same events have the same head; a side whose history
/// was changed has another. Written as 64 lower-case hex digits.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(into = "String", try_from = "String")]
pub struct Chain(pub [u8; 32]);

impl Chain {
    /// The head before any event.
    pub const START: Self = Self([0; 32]);

    /// The head once `event` follows this one: SHA-256 of these 32 bytes and the event's text.
    #[must_use]
    pub fn after(self, event: &Event) -> Self {
        use sha2::Digest as _;
        let mut hash = sha2::Sha256::new();
        hash.update(self.0);
        hash.update(event.to_text().as_bytes());
        Self(hash.finalize().into())
    }
}

impl std::fmt::Display for Chain {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.iter().try_for_each(|byte| write!(f, "{byte:02x}"))
    }
}

impl std::fmt::Debug for Chain {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Chain({self})")
    }
}

impl From<Chain> for String {
    fn from(chain: Chain) -> Self {
        chain.to_string()
    }
}

impl TryFrom<String> for Chain {
    type Error = String;

    fn try_from(text: String) -> Result<Self, Self::Error> {
        let bad = || format!("{text:?} is not a 64-digit hex chain head");
        if text.len() != 64 || !text.is_ascii() {
            return Err(bad());
        }
        let mut bytes = [0_u8; 32];
        for (i, byte) in bytes.iter_mut().enumerate() {
            *byte = u8::from_str_radix(&text[2 * i..2 * i + 2], 16).map_err(|_not_hex| bad())?;
        }
        Ok(Self(bytes))
    }
}

impl std::str::FromStr for Chain {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        Self::try_from(text.to_owned())
    }
}

/// Why an intent was refused. A refused intent changes nothing.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, thiserror::Error)]
pub enum Refusal {
    /// It is the other player's turn.
    #[error("it is not your turn")]
    NotYourTurn,
    /// The cell already holds a mark.
    #[error("that square is already taken")]
    Occupied,
    /// The game is over: only a rematch (or leaving) makes sense now.
    #[error("this game is over")]
    GameOver,
    /// A rematch was asked while the game is still being played.
    #[error("the game is still being played")]
    GameInProgress,
    /// The match has ended.
    #[error("the match is over")]
    MatchOver,
    /// Undo with no move of this player's in the current game.
    #[error("there is no move of yours to take back")]
    NothingToUndo,
    /// Not in this kind of match (undo over the network).
    #[error("that is not possible in this match")]
    NotAllowed,
}

/// Why an event cannot be applied: it does not fit the state (the two sides disagree).
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ApplyError {
    /// A move the rules refuse.
    #[error("move {cell} by {player} is illegal here: {error}")]
    IllegalMove {
        /// Who moved.
        player: Player,
        /// Where.
        cell: Cell,
        /// Why the rules refuse it.
        error: MoveError,
    },
    /// An event that makes no sense in this state.
    #[error("event {event:?} does not fit the state")]
    Misplaced {
        /// The event.
        event: Event,
    },
}

/// A game that an event has just ended: what a record of it needs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GameOver {
    /// The names of the players of X and O.
    pub names: [String; 2],
    /// The 1-based number of the game in its match.
    pub game_number: u32,
    /// The game as it stood when it ended.
    pub game: Game,
    /// How it ended.
    pub ending: Ending,
    /// The match's chain head once the event that ended it was applied, when known.
    pub chain: Option<Chain>,
}

impl GameOver {
    /// Who won it.
    #[must_use]
    pub fn verdict(&self) -> Verdict {
        verdict_of(self.ending, &self.game)
    }
}

/// Who won a game that ended as `ending` in the position `game`.
#[must_use]
pub fn verdict_of(ending: Ending, game: &Game) -> Verdict {
    match ending {
        Ending::Resigned { player } | Ending::Abandoned { player } => Verdict::Win(player.other()),
        Ending::Left { .. } | Ending::Unfinished => Verdict::Unfinished,
        Ending::Won | Ending::Draw => match game.outcome() {
            Outcome::Won { winner, .. } => Verdict::Win(winner),
            Outcome::Draw => Verdict::Draw,
            Outcome::InProgress { .. } => Verdict::Unfinished,
        },
    }
}

/// Where the players of a match sit.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Table {
    /// Both at one computer (two people, or one and the computer): undo is allowed.
    Local,
    /// At two computers over the network: no undo.
    Network,
}

/// The whole state of a match at one version: all a joiner needs to draw it, and what the host
/// sends after a refused command or a gap. The JSON shape is `docs/PROTOCOL.md`'s `snapshot`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Snapshot {
    /// The version of the last event included.
    pub v: u64,
    /// The digest of the current game.
    pub digest: Digest,
    /// The chain head at `v`, when the host keeps one (always, for this app's hosts).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub chain: Option<Chain>,
    /// The state.
    pub state: SnapshotState,
}

/// The state inside a [`Snapshot`].
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SnapshotState {
    /// X's name.
    pub x: String,
    /// O's name.
    pub o: String,
    /// The 1-based number of the current game.
    pub game: u32,
    /// The score over finished games, including the current one once it has ended.
    pub score: Score,
    /// Who moved first in the current game.
    pub first: Player,
    /// The current game's moves, oldest first.
    pub moves: Vec<Cell>,
    /// How the current game ended, if not on the board: resigned or abandoned.
    pub ended: Option<Ending>,
    /// Who has asked for a rematch.
    pub rematch: Vec<Player>,
    /// Set once the match is over: left or abandoned.
    pub over: Option<Ending>,
}

/// Why a snapshot cannot be turned into a match.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("the snapshot is not a legal state: {detail}")]
pub struct SnapshotError {
    /// What was wrong.
    pub detail: String,
}

/// A series of games between two named players. Each keeps their mark for the whole match; X
/// moves first in game 1, and who moves first alternates from game to game.
///
/// Finished games are folded into the score, so the state stays the same size however long the
/// match runs. The only change of state is [`Match::apply`] (names aside, which are identity and
/// travel in snapshots).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Match {
    names: [String; 2],
    game_number: u32,
    score: Score,
    game: Game,
    /// How the current game ended off the board: resigned or abandoned.
    ended: Option<Ending>,
    rematch: [bool; 2],
    /// Why the match ended: left or abandoned.
    over: Option<Ending>,
    v: u64,
    table: Table,
    /// Both players asked in advance for every next game: see [`Match::agree_series`].
    series: bool,
    /// Every event applied, oldest first, in a match at one computer (what saving and resuming
    /// it needs); empty over the network, where the host keeps what resuming needs.
    log: Vec<Event>,
    /// The chain head over every event applied, when known (a snapshot without one leaves it
    /// unknown).
    chain: Option<Chain>,
}

const fn slot(player: Player) -> usize {
    match player {
        Player::X => 0,
        Player::O => 1,
    }
}

impl Match {
    /// A new match at one computer, at version 0: game 1, X to move.
    #[must_use]
    pub fn new(x_name: impl Into<String>, o_name: impl Into<String>) -> Self {
        Self::at_table(Table::Local, x_name, o_name)
    }

    /// A new match over the network, at version 0: game 1, X to move.
    #[must_use]
    pub fn networked(x_name: impl Into<String>, o_name: impl Into<String>) -> Self {
        Self::at_table(Table::Network, x_name, o_name)
    }

    fn at_table(table: Table, x_name: impl Into<String>, o_name: impl Into<String>) -> Self {
        Self {
            names: [x_name.into(), o_name.into()],
            game_number: 1,
            score: Score::default(),
            game: Game::new(Player::X),
            ended: None,
            rematch: [false; 2],
            over: None,
            v: 0,
            table,
            series: false,
            log: Vec::new(),
            chain: Some(Chain::START),
        }
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

    /// Every event applied so far, oldest first, in a match at one computer ([`Table::Local`]);
    /// empty over the network. [`Match::replay`] turns them back into the match.
    #[must_use]
    pub fn events(&self) -> &[Event] {
        &self.log
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
    /// refused. Nothing changes until the events are [applied](Self::apply).
    pub fn decide(&self, seat: Player, intent: Intent) -> Result<Vec<Event>, Refusal> {
        if self.over.is_some() {
            return Err(Refusal::MatchOver);
        }
        let mut events = match intent {
            Intent::Play(cell) => {
                if self.ended.is_some() {
                    return Err(Refusal::GameOver);
                }
                match self.game.clone().play_as(seat, cell) {
                    Ok(_) => vec![Event::Moved { player: seat, cell }],
                    Err(MoveError::GameOver) => return Err(Refusal::GameOver),
                    Err(MoveError::Occupied { .. }) => return Err(Refusal::Occupied),
                    Err(MoveError::NotYourTurn { .. }) => return Err(Refusal::NotYourTurn),
                }
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

    /// Undo: the moves from the end back to `seat`'s last one, newest first.
    fn decide_undo(&self, seat: Player) -> Result<Vec<Event>, Refusal> {
        if self.table != Table::Local {
            return Err(Refusal::NotAllowed);
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

    /// Applies one event and bumps the version; returns the game it ended, if it ended one. An
    /// event that does not fit leaves the match untouched.
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
                self.game = Game::new(first);
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
        if self.table == Table::Local {
            self.log.push(event);
        }
        Ok(ended.map(|ending| {
            self.score.count(verdict_of(ending, &self.game));
            GameOver {
                names: self.names.clone(),
                game_number: self.game_number,
                game: self.game.clone(),
                ending,
                chain: self.chain,
            }
        }))
    }

    /// Decides `intent` for `seat` and applies the events: the path for a match whose players
    /// all sit at this computer. Returns the game it ended, if it ended one.
    pub fn act(&mut self, seat: Player, intent: Intent) -> Result<Option<GameOver>, Refusal> {
        let mut over = None;
        for event in self.decide(seat, intent)? {
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

    /// Replays `events` from a new match between `x_name` and `o_name` at `table`: how a saved
    /// match, or a recorded game, comes back. Every event must fit.
    pub fn replay(
        table: Table,
        [x_name, o_name]: [&str; 2],
        events: &[Event],
    ) -> Result<Self, ApplyError> {
        let mut series = Self::at_table(table, x_name, o_name);
        for &event in events {
            series.apply(event)?;
        }
        Ok(series)
    }

    /// The whole state, as a snapshot.
    #[must_use]
    pub fn snapshot(&self) -> Snapshot {
        Snapshot {
            v: self.v,
            digest: self.digest(),
            chain: self.chain,
            state: SnapshotState {
                x: self.names[0].clone(),
                o: self.names[1].clone(),
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

    /// Rebuilds a networked match from a snapshot, replaying its moves through the rules and
    /// checking that the rest fits them.
    pub fn from_snapshot(snapshot: &Snapshot) -> Result<Self, SnapshotError> {
        let bad = |detail: String| SnapshotError { detail };
        let state = &snapshot.state;
        let game = Game::from_moves(state.first, &state.moves).map_err(|e| bad(e.to_string()))?;
        if game.digest() != snapshot.digest {
            return Err(bad(format!(
                "digest {} does not match the moves (expected {})",
                snapshot.digest,
                game.digest()
            )));
        }
        if let Some(ending) = state.ended
            && (!matches!(ending, Ending::Resigned { .. } | Ending::Abandoned { .. })
                || game.is_over())
        {
            return Err(bad(format!(
                "the game cannot end \"{ending}\" off the board in this position"
            )));
        }
        if let Some(over) = state.over
            && !matches!(over, Ending::Left { .. } | Ending::Abandoned { .. })
        {
            return Err(bad(format!("a match cannot be over by \"{over}\"")));
        }
        let decided = game.is_over() || state.ended.is_some();
        if !decided && !state.rematch.is_empty() {
            return Err(bad("a rematch asked for while the game is on".to_owned()));
        }
        let mut rematch = [false; 2];
        for &player in &state.rematch {
            rematch[slot(player)] = true;
        }
        Ok(Self {
            names: [state.x.clone(), state.o.clone()],
            game_number: state.game.max(1),
            score: state.score,
            game,
            ended: state.ended,
            rematch,
            over: state.over,
            v: snapshot.v,
            table: Table::Network,
            series: false,
            log: Vec::new(),
            chain: snapshot.chain,
        })
    }
}

/// How a later state of a networked match contradicts what one side saw of it: the host's
/// word is final, but this is said, and kept.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum Contradiction {
    /// The version went back.
    #[error("it went back from event {seen} to event {now}")]
    WentBack {
        /// The version seen.
        seen: u64,
        /// The version now.
        now: u64,
    },
    /// A move seen in the current game is not the host's any more.
    #[error("game {game}: you saw the moves {seen}, it now says {now}")]
    MovesChanged {
        /// The game's number.
        game: u32,
        /// The moves seen, as cell numbers.
        seen: String,
        /// The moves now.
        now: String,
    },
    /// An ending of this side that this side did not cause.
    #[error("it says {what}, which did not happen")]
    Invented {
        /// What it says this side did ("you resigned").
        what: &'static str,
    },
    /// A score the games played do not add up to.
    #[error("it gives a score of {x}–{o} and {draws} drawn after {games} games")]
    ScoreOff {
        /// X's wins.
        x: u32,
        /// O's wins.
        o: u32,
        /// Draws.
        draws: u32,
        /// The games finished, as the game number says.
        games: u32,
    },
    /// A result seen was taken back.
    #[error("it takes back a result you saw: the score was {seen}, it is now {now}")]
    ResultTakenBack {
        /// The score seen, as "X–O, D drawn".
        seen: String,
        /// The score now.
        now: String,
    },
    /// The hash chains differ at the same version: the history before it was changed.
    #[error("its record of the match up to event {v} differs from yours")]
    HistoryChanged {
        /// The version.
        v: u64,
    },
}

fn moves_text(game: &Game) -> String {
    let moves: Vec<String> = game.moves().iter().map(Cell::to_string).collect();
    if moves.is_empty() {
        "(none)".to_owned()
    } else {
        moves.join(" ")
    }
}

fn score_text(score: Score) -> String {
    format!("{}–{}, {} drawn", score.x_wins, score.o_wins, score.draws)
}

impl Match {
    /// Whether `later`, a state of this match the host sent after this one, contradicts it, seen
    /// by `me` who resigned the games numbered `resigned`. An honest host's later state only
    /// extends what was seen.
    #[must_use]
    pub fn contradicted_by(
        &self,
        later: &Self,
        me: Player,
        resigned: &[u32],
    ) -> Option<Contradiction> {
        // Every game before the current one was decided (a next game starts only then), and the
        // current one counts once decided; a game cut short by a player leaving counts nothing.
        let games = later.game_number.saturating_sub(1) + u32::from(later.game_over());
        let score = later.score;
        if score.games() != games {
            return Some(Contradiction::ScoreOff {
                x: score.x_wins,
                o: score.o_wins,
                draws: score.draws,
                games,
            });
        }
        if later.v < self.v {
            return Some(Contradiction::WentBack {
                seen: self.v,
                now: later.v,
            });
        }
        if later.v == self.v
            && let (Some(seen), Some(now)) = (self.chain, later.chain)
            && seen != now
        {
            return Some(Contradiction::HistoryChanged { v: later.v });
        }
        let (seen, now) = (self.score, later.score);
        if now.x_wins < seen.x_wins || now.o_wins < seen.o_wins || now.draws < seen.draws {
            return Some(Contradiction::ResultTakenBack {
                seen: score_text(seen),
                now: score_text(now),
            });
        }
        if later.game_number < self.game_number
            || (later.game_number == self.game_number
                && !later.game.moves().starts_with(self.game.moves()))
        {
            return Some(Contradiction::MovesChanged {
                game: self.game_number,
                seen: moves_text(&self.game),
                now: if later.game_number == self.game_number {
                    moves_text(&later.game)
                } else {
                    format!(
                        "game {} with {}",
                        later.game_number,
                        moves_text(&later.game)
                    )
                },
            });
        }
        later.invented_for(me, resigned)
    }

    /// An ending of `me` in this state that `me` did not cause: a resignation it never sent, or
    /// leaving or staying away while it was there to hear of it.
    #[must_use]
    pub fn invented_for(&self, me: Player, resigned: &[u32]) -> Option<Contradiction> {
        if self.ended == Some(Ending::Resigned { player: me })
            && !resigned.contains(&self.game_number)
        {
            return Some(Contradiction::Invented {
                what: "you resigned",
            });
        }
        match self.over {
            Some(Ending::Abandoned { player }) if player == me => Some(Contradiction::Invented {
                what: "you stayed away and lost",
            }),
            Some(Ending::Left { player }) if player == me => {
                Some(Contradiction::Invented { what: "you left" })
            }
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cell(n: i64) -> Cell {
        Cell::from_number(n).unwrap()
    }

    fn act(state: &mut Match, player: Player, intent: Intent) -> Result<(), Refusal> {
        state.act(player, intent).map(|_| ())
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
    fn the_chain_matches_the_protocol_document() {
        let mut s = Match::networked("Ann", "Bob");
        assert_eq!(s.chain(), Some(Chain::START));
        act(&mut s, Player::X, Intent::Play(cell(5))).unwrap();
        assert_eq!(
            s.chain().unwrap().to_string(),
            "ae0db8ca4911486af08d7ba042177214e055e74f910c27753d1d49172688f542"
        );
        act(&mut s, Player::O, Intent::Play(cell(1))).unwrap();
        let head = s.chain().unwrap();
        assert_eq!(
            head.to_string(),
            "22cebe9980c2123efb5d0e3f1660623dbbdfc18959c0d5d85d5c9f985764fd6e"
        );
        assert_eq!(head.to_string().parse::<Chain>(), Ok(head));
        assert_eq!(
            Match::from_snapshot(&s.snapshot()).unwrap().chain(),
            Some(head)
        );
    }

    #[test]
    fn a_match_with_rematch_and_resign() {
        let mut s = Match::networked("Ann", "Bob");
        assert_eq!(
            act(&mut s, Player::O, Intent::Play(cell(1))),
            Err(Refusal::NotYourTurn)
        );
        for (p, c) in [
            (Player::X, 1),
            (Player::O, 4),
            (Player::X, 2),
            (Player::O, 5),
        ] {
            act(&mut s, p, Intent::Play(cell(c))).unwrap();
        }
        assert_eq!(
            act(&mut s, Player::X, Intent::Play(cell(4))),
            Err(Refusal::Occupied)
        );
        assert_eq!(
            act(&mut s, Player::X, Intent::Rematch),
            Err(Refusal::GameInProgress)
        );
        assert_eq!(
            act(&mut s, Player::X, Intent::Undo),
            Err(Refusal::NotAllowed)
        );
        let over = s.act(Player::X, Intent::Play(cell(3))).unwrap().unwrap();
        assert_eq!(over.ending, Ending::Won);
        assert_eq!(s.result(), Some(Verdict::Win(Player::X)));
        assert_eq!(
            act(&mut s, Player::O, Intent::Play(cell(9))),
            Err(Refusal::GameOver)
        );
        act(&mut s, Player::X, Intent::Rematch).unwrap();
        act(&mut s, Player::X, Intent::Rematch).unwrap();
        assert_eq!(s.game_number(), 1);
        act(&mut s, Player::O, Intent::Rematch).unwrap();
        assert_eq!(s.game_number(), 2);
        assert_eq!(s.game().first(), Player::O);
        act(&mut s, Player::X, Intent::Resign).unwrap();
        assert_eq!(s.result(), Some(Verdict::Win(Player::O)));
        assert_eq!(s.score().games(), 2);

        let copy = Match::from_snapshot(&s.snapshot()).unwrap();
        assert_eq!(copy, s);
        act(&mut s, Player::O, Intent::Leave).unwrap();
        assert_eq!(
            act(&mut s, Player::X, Intent::Rematch),
            Err(Refusal::MatchOver)
        );
    }

    #[test]
    fn undo_takes_back_to_the_seats_last_move_and_never_past_the_end_of_a_game() {
        let mut s = Match::new("Ann", "Computer");
        assert_eq!(
            act(&mut s, Player::X, Intent::Undo),
            Err(Refusal::NothingToUndo)
        );
        for (p, c) in [(Player::X, 1), (Player::O, 5), (Player::X, 2)] {
            act(&mut s, p, Intent::Play(cell(c))).unwrap();
        }
        // O (the computer's seat, say) undoes: its move and X's reply go.
        assert_eq!(
            s.decide(Player::O, Intent::Undo),
            Ok(vec![
                Event::TookBack {
                    player: Player::X,
                    cell: cell(2)
                },
                Event::TookBack {
                    player: Player::O,
                    cell: cell(5)
                },
            ])
        );
        act(&mut s, Player::X, Intent::Undo).unwrap();
        assert_eq!(s.game().moves(), [cell(1), cell(5)]);
        for (p, c) in [(Player::X, 2), (Player::O, 6), (Player::X, 3)] {
            act(&mut s, p, Intent::Play(cell(c))).unwrap();
        }
        assert_eq!(s.score().x_wins, 1);
        assert_eq!(act(&mut s, Player::X, Intent::Undo), Err(Refusal::GameOver));
        assert_eq!(s.score().x_wins, 1);
        assert!(
            s.apply(Event::TookBack {
                player: Player::X,
                cell: cell(3)
            })
            .is_err()
        );
    }

    #[test]
    fn an_agreed_series_starts_the_next_game_with_the_one_that_ends() {
        let mut s = Match::networked("Ann", "Bob");
        s.agree_series(true);
        for (p, c) in [
            (Player::X, 1),
            (Player::O, 4),
            (Player::X, 2),
            (Player::O, 5),
        ] {
            act(&mut s, p, Intent::Play(cell(c))).unwrap();
        }
        let events = s.decide(Player::X, Intent::Play(cell(3))).unwrap();
        assert_eq!(
            events,
            vec![
                Event::Moved {
                    player: Player::X,
                    cell: cell(3)
                },
                Event::Rematch { player: Player::X },
                Event::Rematch { player: Player::O },
                Event::NewGame { first: Player::O },
            ]
        );
        let mut ended = Vec::new();
        for event in events {
            ended.extend(s.apply(event).unwrap());
        }
        assert_eq!(ended.len(), 1);
        assert_eq!(ended[0].verdict(), Verdict::Win(Player::X));
        assert_eq!(ended[0].game.moves().len(), 5);
        assert_eq!((s.game_number(), s.score().x_wins), (2, 1));
    }

    #[test]
    fn snapshots_that_do_not_fit_their_moves_are_refused() {
        let mut s = Match::networked("Ann", "Bob");
        for (p, c) in [
            (Player::X, 1),
            (Player::O, 4),
            (Player::X, 2),
            (Player::O, 5),
            (Player::X, 3),
        ] {
            act(&mut s, p, Intent::Play(cell(c))).unwrap();
        }
        let mut snapshot = s.snapshot();
        snapshot.state.ended = Some(Ending::Resigned { player: Player::X });
        assert!(
            Match::from_snapshot(&snapshot).is_err(),
            "resigned after a win"
        );
        let mut snapshot = s.snapshot();
        snapshot.state.over = Some(Ending::Won);
        assert!(Match::from_snapshot(&snapshot).is_err());
    }
}
