//! The match's event log: the latest events, each with the version, digest and chain head it
//! led to. One log for every mode: the host replays it to a joiner that resumes and sends it to
//! watchers, a match at one computer is saved from it, and a replay steps through it.

use std::collections::VecDeque;

use super::{Chain, Digest, Event};

/// How many events a log keeps.
///
/// Far more than a joiner can miss while away (the host plays alone at most to the end of one
/// game), a dozen games at one computer, and still small. A side further behind than this takes
/// a snapshot instead.
pub const LOG_EVENTS: usize = 256;

/// One event as it was applied.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Entry {
    /// The match's version once it was applied (the first event is version 1).
    pub v: u64,
    /// What happened.
    pub event: Event,
    /// The digest of the current game after it.
    pub digest: Digest,
    /// The chain head after it, when known.
    pub chain: Option<Chain>,
}

/// The latest [`LOG_EVENTS`] events of a match, oldest first.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct EventLog {
    entries: VecDeque<Entry>,
    /// The version before the oldest event kept: events after it are all here.
    since: u64,
}

impl EventLog {
    /// An empty log of a match at version `v` (0 for a new match; a snapshot's version for a
    /// match rebuilt from one, whose earlier events are not known here).
    #[must_use]
    pub const fn starting_at(v: u64) -> Self {
        Self {
            entries: VecDeque::new(),
            since: v,
        }
    }

    /// Adds the event just applied, dropping the oldest beyond [`LOG_EVENTS`].
    pub(super) fn push(&mut self, entry: Entry) {
        if self.entries.len() == LOG_EVENTS
            && let Some(oldest) = self.entries.pop_front()
        {
            self.since = oldest.v;
        }
        self.entries.push_back(entry);
    }

    /// Every event kept, oldest first.
    pub fn entries(&self) -> impl DoubleEndedIterator<Item = &Entry> + ExactSizeIterator {
        self.entries.iter()
    }

    /// The events kept, oldest first.
    pub fn events(&self) -> impl DoubleEndedIterator<Item = Event> + ExactSizeIterator + '_ {
        self.entries.iter().map(|entry| entry.event)
    }

    /// Whether the log holds every event since the match began.
    #[must_use]
    pub const fn is_whole(&self) -> bool {
        self.since == 0
    }

    /// The events after version `v`, when they are all still kept (`None` when some are gone,
    /// or `v` is beyond the last).
    #[must_use]
    pub fn after(&self, v: u64) -> Option<impl Iterator<Item = &Entry>> {
        let last = self.entries.back().map_or(self.since, |entry| entry.v);
        (v >= self.since && v <= last).then(|| self.entries.iter().filter(move |e| e.v > v))
    }

    /// How many events are kept.
    #[must_use]
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether no event is kept.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
}
