//! The running joiner's seat in the seats file ([`crate::net::seats`]): kept while the match
//! lasts, its "last heard" time written now and then while the link is up, forgotten when the
//! match is over for this player.
//!
//! Owns the joiner's entry in the file and nothing of the match: the joiner says what to keep.

use std::time::Instant;

use crate::net::seats::{self, Seat, SeatStore};

/// The joiner's entry in the seats file, under the host's address.
pub(super) struct KeptSeat {
    store: SeatStore,
    key: String,
    written: Option<Instant>,
}

impl KeptSeat {
    /// The entry for the host at `key` (as the joiner dials it).
    pub(super) const fn new(store: SeatStore, key: String) -> Self {
        Self {
            store,
            key,
            written: None,
        }
    }

    /// The token of a seat kept at this host by an earlier run, if the host may still hold it.
    pub(super) fn token_kept(&mut self) -> Option<String> {
        self.store.find(&self.key).map(|seat| seat.token)
    }

    /// Keeps `seat`, heard from now.
    pub(super) fn keep(&mut self, seat: Seat) {
        self.store.keep(&self.key, seat);
        self.written = Some(Instant::now());
    }

    /// Whether the "last heard" time is due to be written again.
    pub(super) fn due(&self) -> bool {
        self.written
            .is_none_or(|at| at.elapsed() >= seats::HEARD_EVERY)
    }

    /// The match is over for this player: the seat is forgotten.
    pub(super) fn forget(&mut self) {
        self.store.forget(&self.key);
    }
}
