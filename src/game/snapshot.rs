//! The whole state of a match at one version, as the host sends it to a joiner or a watcher
//! ([`Snapshot`]), and the one way back from it to a [`Match`], checked by the rules.

use serde::{Deserialize, Serialize};

use super::match_::slot;
use super::{Cell, Chain, Digest, Ending, EventLog, Game, Match, Player, Score, Table, Variant};

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
    /// The current game's moves, oldest first (each the index plus one, on any board).
    #[serde(with = "super::cell::any_board::list")]
    pub moves: Vec<Cell>,
    /// How the current game ended, if not on the board: resigned or abandoned.
    pub ended: Option<Ending>,
    /// Who has asked for a rematch.
    pub rematch: Vec<Player>,
    /// Set once the match is over: left or abandoned.
    pub over: Option<Ending>,
    /// The game the match plays; absent for classic, so a classic snapshot reads as it always has.
    #[serde(default, skip_serializing_if = "Variant::is_classic")]
    pub variant: Variant,
}

/// Why a snapshot cannot be turned into a match.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("the snapshot is not a legal state: {detail}")]
pub struct SnapshotError {
    /// What was wrong.
    pub detail: String,
}

impl Match {
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
                variant: self.variant(),
            },
        }
    }

    /// Rebuilds a networked match from a snapshot, replaying its moves through the rules of the
    /// game it names and checking that the rest fits them.
    pub fn from_snapshot(snapshot: &Snapshot) -> Result<Self, SnapshotError> {
        Self::from_snapshot_at(Table::Network, snapshot)
    }

    /// [`Match::from_snapshot`], refusing a snapshot of another game than `variant`: what a side
    /// that knows which game it plays (a joiner told by the host) takes.
    pub fn from_snapshot_of(variant: Variant, snapshot: &Snapshot) -> Result<Self, SnapshotError> {
        if snapshot.state.variant != variant {
            return Err(SnapshotError {
                detail: format!(
                    "it is a snapshot of {}, but this match plays {variant}",
                    snapshot.state.variant
                ),
            });
        }
        Self::from_snapshot(snapshot)
    }

    /// The same, for a match at `table` (a match at one computer saved after its log dropped
    /// its oldest events comes back from a snapshot too). Its log starts at the snapshot.
    pub fn from_snapshot_at(table: Table, snapshot: &Snapshot) -> Result<Self, SnapshotError> {
        let bad = |detail: String| SnapshotError { detail };
        let state = &snapshot.state;
        let variant = state.variant;
        let game = Game::from_moves_of(variant, state.first, &state.moves).map_err(|e| {
            bad(if variant.is_classic() {
                e.to_string()
            } else {
                format!(
                    "{variant} game: move {} ({}) is illegal: {}",
                    e.number,
                    variant.move_text(e.cell),
                    e.error
                )
            })
        })?;
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
            table,
            series: false,
            log: EventLog::starting_at(snapshot.v),
            chain: snapshot.chain,
        })
    }
}
