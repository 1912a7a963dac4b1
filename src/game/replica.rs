//! The mirror of the host's match that a joiner or a watcher keeps: sans-IO.
//!
//! The host is the only sequencer and its word is final. A [`Replica`] takes what the host
//! sends — events with their version, digest and chain head, and snapshots — and returns what
//! happened as [`Update`]s: events applied, games that ended, disputes, and when to ask the host
//! for a snapshot. It applies an event only in order and with the host's digest and chain; a
//! gap, an event the rules refuse or a mismatch asks for a snapshot, and the snapshot wins. A
//! host that keeps sending what this version cannot read is given up on after
//! [`MAX_UNREADABLE`] tries, with a plain error, rather than asked for ever.

use super::{
    Chain, Contradiction, Digest, Entry, Event, Facts, GameOver, Intent, Match, Player, Refusal,
    Snapshot, SnapshotError,
};

/// How many times in a row the host may send a state this side cannot read before it gives up.
pub const MAX_UNREADABLE: u32 = 3;

/// What came of something the host sent, for the side that keeps the replica to act on.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Update {
    /// The host's event was applied, and is now the newest in the replica's log.
    Applied(Entry),
    /// The host's snapshot replaced the state.
    Replaced,
    /// A game has ended (by an event, or as a snapshot showed it).
    GameOver(Box<GameOver>),
    /// The host changed what this side had seen: its word was taken, and this says how.
    Dispute(Contradiction),
    /// Ask the host for a snapshot (`sync`): events wait until it comes.
    NeedSnapshot,
}

/// Why a replica cannot go on.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ReplicaError {
    /// The host sent a game this version cannot read, every time it was asked again.
    #[error("the host sent a game this version cannot read ({tries} times): {detail}")]
    Unreadable {
        /// How many times in a row.
        tries: u32,
        /// What was wrong with the last one.
        detail: String,
    },
}

/// A joiner's or a watcher's mirror of the host's match.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Replica {
    state: Match,
    /// The seat of this side; `None` for a watcher, who has nothing of its own to dispute.
    me: Option<Player>,
    /// The games in which this side resigned: the only resignations of its the host may report.
    resigned: Vec<u32>,
    /// A snapshot was asked for; events are ignored until it comes.
    syncing: bool,
    /// What the host sent that could not be read, in a row.
    unreadable: u32,
    /// Both sides agreed that every next game starts by itself (not in snapshots).
    series: bool,
}

impl Replica {
    /// A replica from the host's first snapshot, for the player of `me` (or a watcher).
    pub fn new(snapshot: &Snapshot, me: Option<Player>) -> Result<Self, SnapshotError> {
        Ok(Self {
            state: Match::from_snapshot(snapshot)?,
            me,
            resigned: Vec::new(),
            syncing: false,
            unreadable: 0,
            series: false,
        })
    }

    /// The match as the host last confirmed it.
    #[must_use]
    pub const fn state(&self) -> &Match {
        &self.state
    }

    /// Whether a snapshot has been asked for and not yet come.
    #[must_use]
    pub const fn syncing(&self) -> bool {
        self.syncing
    }

    /// Whether every next game starts by itself (`rules.auto_rematch` of the welcome).
    #[must_use]
    pub const fn series(&self) -> bool {
        self.series
    }

    /// Notes what the host's welcome says of the agreed series.
    pub const fn agree_series(&mut self, agreed: bool) {
        self.series = agreed;
        self.state.agree_series(agreed);
    }

    /// Judges an intent of this side's player by its own copy of the rules, before it goes to
    /// the host. A watcher has no seat: nothing it asks for is its to decide.
    pub fn decide(&self, intent: Intent) -> Result<Vec<Event>, Refusal> {
        let me = self.me.ok_or(Refusal::MatchOver)?;
        self.state.decide(me, intent, Facts::NONE)
    }

    /// This side is about to send a resignation: the host may report it from now on.
    pub fn resigning(&mut self) {
        self.resigned.push(self.state.game_number());
    }

    /// This side's player leaves: the match, as this side has it, ends the way the host will
    /// end it (event `left`), so that a game cut short is reported like any other.
    pub fn leave(&mut self) -> Option<GameOver> {
        let me = self.me?;
        self.state.act(me, Intent::Leave).ok().flatten()
    }

    /// An event from the host, at version `v`, with the digest and chain head after it.
    pub fn on_event(
        &mut self,
        v: u64,
        digest: Digest,
        chain: Option<Chain>,
        event: Event,
    ) -> Vec<Update> {
        if self.syncing {
            return Vec::new();
        }
        if v != self.state.v() + 1 {
            return self.ask_snapshot();
        }
        // Applied to a copy: the state stays what was last confirmed until this event is
        // confirmed too (its digest, and its chain head when the host sends one).
        let mut next = self.state.clone();
        let Ok(over) = next.apply(event) else {
            return self.ask_snapshot();
        };
        if next.digest() != digest {
            return self.ask_snapshot();
        }
        if let (Some(theirs), Some(mine)) = (chain, next.chain())
            && theirs != mine
        {
            // The same move, but a different history before it.
            let mut updates = vec![Update::Dispute(Contradiction::HistoryChanged {
                v: self.state.v(),
            })];
            updates.extend(self.ask_snapshot());
            return updates;
        }
        let mut updates = Vec::new();
        if let Some(me) = self.me
            && let Some(invented) = next.invented_for(me, &self.resigned)
        {
            updates.push(Update::Dispute(invented));
        }
        self.state = next;
        if let Some(entry) = self.state.log().entries().next_back() {
            updates.push(Update::Applied(*entry));
        }
        updates.extend(over.map(|over| Update::GameOver(Box::new(over))));
        updates
    }

    /// A snapshot from the host: it replaces whatever this side had — the host's word is final
    /// — but one that contradicts what this side had seen is said, and a game it shows ended is
    /// reported. One this side cannot read (or of another game than the match's) counts towards
    /// giving up.
    pub fn on_snapshot(&mut self, snapshot: &Snapshot) -> Result<Vec<Update>, ReplicaError> {
        let mut state = match Match::from_snapshot_of(self.state.variant(), snapshot) {
            Ok(state) => state,
            Err(error) => return self.on_unreadable(&error.to_string()),
        };
        self.unreadable = 0;
        let mut updates = Vec::new();
        if let Some(me) = self.me
            && let Some(contradiction) = self.state.contradicted_by(&state, me, &self.resigned)
        {
            updates.push(Update::Dispute(contradiction));
        }
        let ended_here = state.ending().is_some()
            && (state.game_number() != self.state.game_number() || self.state.ending().is_none());
        updates.push(Update::Replaced);
        if ended_here && let Some(ending) = state.ending() {
            updates.push(Update::GameOver(Box::new(state.game_over_as(ending))));
        }
        state.agree_series(self.series);
        self.state = state;
        self.syncing = false;
        Ok(updates)
    }

    /// The host sent something about the match this version cannot read (an event of an
    /// unknown kind, a snapshot with a mark it does not know): a snapshot is asked for, until
    /// [`MAX_UNREADABLE`] in a row.
    pub fn on_unreadable(&mut self, detail: &str) -> Result<Vec<Update>, ReplicaError> {
        self.unreadable += 1;
        if self.unreadable >= MAX_UNREADABLE {
            return Err(ReplicaError::Unreadable {
                tries: self.unreadable,
                detail: detail.to_owned(),
            });
        }
        self.syncing = false;
        Ok(self.ask_snapshot())
    }

    /// The host refused a command; when it was one of this side's numbered commands, a snapshot
    /// follows, and until then events may not fit.
    pub fn on_refused(&mut self, numbered: bool) {
        self.syncing = numbered;
    }

    fn ask_snapshot(&mut self) -> Vec<Update> {
        self.syncing = true;
        vec![Update::NeedSnapshot]
    }
}
