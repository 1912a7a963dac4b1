//! The seats this joiner holds, kept on disk so that a joiner started again takes its seat back.
//!
//! After a crash, or a window closed by mistake: for each host address, the resume token, the
//! name, and when the host was last heard from.
//!
//! A seat is forgotten when its match ends (over, or this player left) and ignored once the host
//! has certainly given it up (its grace period has passed since it was last heard from). The file
//! is `seats.json` in the OS data folder, written atomically; a file that cannot be read is set
//! aside and the seats in it are lost (never the matches: the host decides those).
//!
//! The joiner (`crate::net::join`) keeps and forgets them; the window offers to rejoin a match
//! whose seat may still be held.

use std::collections::BTreeMap;
use std::time::{SystemTime, UNIX_EPOCH};

use serde::{Deserialize, Serialize};

use super::file::{FileKind, FileStore, Folder, Found, Kind};

/// The file's name inside the data folder.
pub const FILE_NAME: &str = "seats.json";

/// Seats kept at most; the least recently heard from go first.
const MAX_SEATS: usize = 16;

/// One seat held in a host's match.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Seat {
    /// The host's resume token for this seat.
    pub token: String,
    /// The name this player joined with.
    pub name: String,
    /// The host player's name, to say whose match it is.
    #[serde(default)]
    pub host_name: String,
    /// When the host was last heard from, in seconds since 1970.
    pub heard_s: u64,
    /// How long the host holds the seat after losing the link, in seconds (`rules.grace_ms`).
    pub grace_s: u64,
}

impl Seat {
    /// Whether the host may still hold it at `now_s`.
    #[must_use]
    pub const fn held_at(&self, now_s: u64) -> bool {
        now_s <= self.heard_s.saturating_add(self.grace_s)
    }
}

/// Every seat kept, as the file holds them.
#[derive(Debug, Default, Serialize, Deserialize)]
pub struct Seats {
    /// By host address, as the joiner typed it once read (`192.168.1.5:7878`).
    seats: BTreeMap<String, Seat>,
}

/// The seats are kept in the data folder.
impl Kind for Seats {
    const FILE: FileKind = FileKind::new(FILE_NAME, Folder::Data, "seats in matches");
}

/// Where the seats are kept; [`FileStore::in_memory`] keeps none (tests, and joins that must
/// not outlive their process).
pub type SeatStore = FileStore<Seats>;

/// Now, in seconds since 1970.
#[must_use]
pub fn now_s() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

impl SeatStore {
    /// Every seat in the file; none when there is no file, or one that could not be read (it
    /// is set aside: the seats in it are lost, never the matches).
    fn read_all(&mut self) -> Seats {
        match self.read_with(|bytes| serde_json::from_slice(bytes).map_err(|e| e.to_string())) {
            Found::Good(seats) => seats,
            Found::Nothing | Found::SetAside { .. } => Seats::default(),
        }
    }

    /// Writes the seats the hosts may still hold (the file goes when there are none).
    fn write_all(&self, seats: &mut Seats) {
        let now = now_s();
        seats.seats.retain(|_, seat| seat.held_at(now));
        let written = if seats.seats.is_empty() {
            self.remove().map_err(|source| self.write_error(source))
        } else {
            self.save_json(seats)
        };
        if let Err(error) = written {
            tracing::warn!(%error, "could not keep the seats file");
        }
    }

    /// The seat held at `host`, if the host may still hold it.
    pub fn find(&mut self, host: &str) -> Option<Seat> {
        let now = now_s();
        self.read_all()
            .seats
            .remove(host)
            .filter(|seat| seat.held_at(now))
    }

    /// Every seat the hosts may still hold, by host address.
    pub fn held(&mut self) -> Vec<(String, Seat)> {
        let now = now_s();
        self.read_all()
            .seats
            .into_iter()
            .filter(|(_, seat)| seat.held_at(now))
            .collect()
    }

    /// Keeps `seat` at `host` (replacing any older one there).
    pub fn keep(&mut self, host: &str, seat: Seat) {
        let mut all = self.read_all();
        all.seats.insert(host.to_owned(), seat);
        while all.seats.len() > MAX_SEATS {
            let oldest = all
                .seats
                .iter()
                .min_by_key(|(_, seat)| seat.heard_s)
                .map(|(host, _)| host.clone());
            if let Some(oldest) = oldest {
                all.seats.remove(&oldest);
            }
        }
        self.write_all(&mut all);
    }

    /// The match at `host` is over for this player: its seat is forgotten.
    pub fn forget(&mut self, host: &str) {
        let mut all = self.read_all();
        if all.seats.remove(host).is_some() {
            self.write_all(&mut all);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::temp_store;

    #[test]
    fn seats_are_kept_found_and_forgotten() {
        let (dir, mut store) = temp_store::<Seats>();
        assert_eq!(store.find("a:1"), None);
        let seat = Seat {
            token: "t".into(),
            name: "Bob".into(),
            host_name: "Ann".into(),
            heard_s: now_s(),
            grace_s: 60,
        };
        store.keep("a:1", seat.clone());
        let stale = Seat {
            heard_s: now_s() - 61,
            ..seat.clone()
        };
        store.keep("b:2", stale);
        assert_eq!(
            SeatStore::at(dir.path().join(FILE_NAME)).find("a:1"),
            Some(seat)
        );
        assert_eq!(store.find("b:2"), None, "the host has given it up");
        assert_eq!(store.held().len(), 1);
        store.forget("a:1");
        assert_eq!(store.find("a:1"), None);
        assert!(!dir.path().join(FILE_NAME).exists(), "no seats, no file");
    }
}
