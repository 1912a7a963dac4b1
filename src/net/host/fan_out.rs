//! The watchers' fan-out: the match task's one bounded broadcast to every watcher, the latest
//! snapshot for watchers that fell behind, what the watchers say back, and how many watch (told
//! to everyone at most twice a second).
//!
//! The match task never waits for a watcher. It queues messages here after the seat's; each is
//! serialised once, into a frame whose bytes every watcher's task shares, and put in a ring of
//! [`WATCH_QUEUE`] frames; a watcher that falls that far behind has missed frames, and is sent
//! the latest snapshot (also serialised once) instead of them. Owns the ring, the snapshot and
//! the counts; each watcher's connection is [`super::watcher_link`]'s, and the match is the
//! match task's.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use tokio::sync::{Semaphore, broadcast, mpsc, watch};
use tokio_tungstenite::tungstenite::Utf8Bytes;

use crate::game::{Event, Snapshot};
use crate::net::connection::to_json;
use crate::net::wire::ServerMsg;

/// How often the players are told how many watch, at most.
const WATCHERS_TOLD_EVERY: Duration = Duration::from_millis(500);

/// How many frames the ring to the watchers holds: a watcher further behind is resynchronised
/// with a snapshot.
pub const WATCH_QUEUE: usize = 256;

/// One message for every watcher, serialised once.
#[derive(Clone, Debug)]
pub(super) struct Frame {
    /// For an event, its version: a watcher skips the events a snapshot it was sent holds.
    pub(super) v: Option<u64>,
    /// The match ended with this event: the watcher is closed after it.
    pub(super) last: bool,
    /// The message, serialised.
    pub(super) text: Utf8Bytes,
}

/// The latest snapshot, serialised once, for watchers that fell behind.
#[derive(Clone, Debug)]
pub(super) struct Snap {
    /// The snapshot's version.
    pub(super) v: u64,
    /// The match is over in it.
    pub(super) over: bool,
    /// The `snapshot` message, serialised.
    pub(super) text: Utf8Bytes,
}

impl Snap {
    fn of(snapshot: &Snapshot, over: bool) -> Self {
        Self {
            v: snapshot.v,
            over,
            text: to_json(&ServerMsg::Snapshot(snapshot.clone())).into(),
        }
    }
}

/// How the watchers fare, counted as they go.
#[derive(Debug, Default)]
pub(super) struct Counters {
    /// Watching now.
    pub(super) watching: AtomicU64,
    admitted: AtomicU64,
    /// Times a watcher was resynchronised with a snapshot.
    pub(super) resynced: AtomicU64,
    /// Watchers dropped for taking nothing or falling silent.
    pub(super) dropped: AtomicU64,
    /// The most frames a watcher had waiting in the ring.
    pub(super) most_behind: AtomicU64,
}

impl Counters {
    pub(super) fn read(&self) -> WatchStats {
        WatchStats {
            watching: self.watching.load(Ordering::Relaxed),
            admitted: self.admitted.load(Ordering::Relaxed),
            resynced: self.resynced.load(Ordering::Relaxed),
            dropped: self.dropped.load(Ordering::Relaxed),
            most_behind: self.most_behind.load(Ordering::Relaxed),
        }
    }
}

/// How the watchers of a host fare.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct WatchStats {
    /// Watching now.
    pub watching: u64,
    /// Admitted since hosting started.
    pub admitted: u64,
    /// Times a watcher had fallen more than [`WATCH_QUEUE`] frames behind and was sent a
    /// snapshot instead.
    pub resynced: u64,
    /// Watchers dropped because they took nothing for the write timeout or went silent.
    pub dropped: u64,
    /// The most frames any watcher still had waiting for it in the ring when it took one (at
    /// most [`WATCH_QUEUE`]).
    pub most_behind: u64,
}

/// What a watcher's task tells the match's task.
#[derive(Debug)]
pub(super) enum FromWatcher {
    /// A line of chat, already cleaned and within the watcher's rate.
    Chat {
        /// The watcher's name.
        name: String,
        /// What was said.
        text: String,
    },
    /// A watcher is gone: the count changed.
    Left,
}

/// The match's end of the watchers.
pub(super) struct Fan {
    frames: Option<broadcast::Sender<Frame>>,
    /// One watcher writes at a time (see [`Subscription::writer`]).
    writer: Arc<Semaphore>,
    snapshot: watch::Sender<Snap>,
    to_match: mpsc::Sender<FromWatcher>,
    counters: Arc<Counters>,
    /// Messages for the watchers, sent after the seat's.
    queued: Vec<ServerMsg>,
    /// The number of watchers the players were last told, and when.
    told: (u64, Option<Instant>),
}

impl Fan {
    pub(super) fn new(
        counters: Arc<Counters>,
        snapshot: &Snapshot,
    ) -> (Self, mpsc::Receiver<FromWatcher>) {
        let (frames, _) = broadcast::channel(WATCH_QUEUE);
        let (snapshot, _) = watch::channel(Snap::of(snapshot, false));
        let (to_match, from_watchers) = mpsc::channel(64);
        let fan = Self {
            frames: Some(frames),
            writer: Arc::new(Semaphore::new(1)),
            snapshot,
            to_match,
            counters,
            queued: Vec::new(),
            told: (0, None),
        };
        (fan, from_watchers)
    }

    /// How many are watching.
    pub(super) fn count(&self) -> u64 {
        self.counters.watching.load(Ordering::Relaxed)
    }

    /// Whether anybody is watching (nothing is serialised for the watchers otherwise).
    fn watched(&self) -> bool {
        self.frames
            .as_ref()
            .is_some_and(|frames| frames.receiver_count() > 0)
    }

    /// Queues `msg` for every watcher, sent with the next [`Self::send`].
    pub(super) fn queue(&mut self, msg: ServerMsg) {
        self.queued.push(msg);
    }

    /// Sends what is queued to every watcher, each message serialised once, after the snapshot
    /// that holds them (`snapshot`) for those that fall behind. Never waits.
    pub(super) fn send(&mut self, snapshot: impl FnOnce() -> (Snapshot, bool)) {
        let msgs = std::mem::take(&mut self.queued);
        let Some(frames) = self
            .frames
            .as_ref()
            .filter(|_| !msgs.is_empty() && self.watched())
        else {
            return;
        };
        // The snapshot first: a watcher that falls behind while these frames go into the ring
        // is then never sent a snapshot older than a frame it already has.
        let (snapshot, over) = snapshot();
        self.snapshot.send_replace(Snap::of(&snapshot, over));
        for msg in &msgs {
            let (v, last) = match msg {
                ServerMsg::Event { v, event, .. } => (
                    Some(*v),
                    matches!(event, Event::Left { .. } | Event::Abandoned { .. }),
                ),
                _ => (None, false),
            };
            let frame = Frame {
                v,
                last,
                text: to_json(msg).into(),
            };
            // Nobody left to receive it is not an error: they are gone.
            drop(frames.send(frame));
        }
    }

    /// Admits a watcher: its ring receiver, its snapshot, its welcome. Returns what its task
    /// needs, or `None` once the match's end has closed the ring.
    pub(super) fn admit(&self, snapshot: &Snapshot, over: bool) -> Option<Subscription> {
        let frames = self.frames.as_ref()?.subscribe();
        self.snapshot.send_replace(Snap::of(snapshot, over));
        self.counters.watching.fetch_add(1, Ordering::Relaxed);
        self.counters.admitted.fetch_add(1, Ordering::Relaxed);
        Some(Subscription {
            frames,
            snapshot: self.snapshot.subscribe(),
            to_match: self.to_match.clone(),
            counters: Arc::clone(&self.counters),
            writer: Arc::clone(&self.writer),
            sent_v: snapshot.v,
        })
    }

    /// The match's task is ending: the watchers are sent what is left in the ring, then closed.
    pub(super) fn close(&mut self) {
        self.frames = None;
    }

    /// When the players are next due to be told how many watch, if the number changed: at
    /// `now` when they have never been told.
    pub(super) fn count_due(&self, now: Instant) -> Option<Instant> {
        let (told, at) = self.told;
        if told == self.count() {
            return None;
        }
        Some(at.map_or(now, |at| at + WATCHERS_TOLD_EVERY))
    }

    /// How many watch, when it changed and is due at `now`: queued for the watchers, and
    /// returned for the seat.
    pub(super) fn tell_count(&mut self, now: Instant) -> Option<ServerMsg> {
        if self.count_due(now).is_none_or(|due| due > now) {
            return None;
        }
        let count = self.count();
        self.told = (count, Some(now));
        let msg = ServerMsg::Watchers { count };
        self.queued.push(msg.clone());
        Some(msg)
    }

    /// A new connection holds the seat: it is told how many watch, if anybody does.
    pub(super) fn tell_count_again(&mut self) {
        if self.count() > 0 {
            self.told = (u64::MAX, None);
        }
    }
}

/// A watcher's share of the fan-out.
pub(super) struct Subscription {
    /// The ring.
    pub(super) frames: broadcast::Receiver<Frame>,
    /// The latest snapshot.
    pub(super) snapshot: watch::Receiver<Snap>,
    /// What the watcher says, to the match task.
    pub(super) to_match: mpsc::Sender<FromWatcher>,
    /// How the watchers fare.
    pub(super) counters: Arc<Counters>,
    /// Taken for each write to a watcher's socket, and given back as soon as the socket has
    /// taken the bytes or would wait: the watchers' writes go one after the other, on one of the
    /// runtime's threads at a time, and leave the others to the match task, as a thread of their
    /// own once did.
    pub(super) writer: Arc<Semaphore>,
    /// The version of the state the watcher was last sent.
    pub(super) sent_v: u64,
}
