//! Helpers the unit tests of every module share.

use crate::game::{Cell, Event, Game, Match};
use crate::store::{FileStore, Kind};

/// The cells numbered 1 to 9 (left to right, top to bottom) in `numbers`, in order.
pub(crate) fn cells(numbers: &[i64]) -> Vec<Cell> {
    numbers
        .iter()
        .map(|&n| Cell::from_number(n).unwrap())
        .collect()
}

/// The game of the cells numbered in `numbers`, X first, played through a match's rules.
pub(crate) fn game_of(numbers: &[i64]) -> Game {
    let mut series = Match::new("", "");
    for cell in cells(numbers) {
        let player = series.game().side_to_move();
        series.apply(Event::Moved { player, cell }).unwrap();
    }
    series.game().clone()
}

/// A store of `K`'s file in a fresh temporary folder, which lasts as long as the folder kept
/// beside it.
pub(crate) fn temp_store<K: Kind>() -> (tempfile::TempDir, FileStore<K>) {
    let dir = tempfile::tempdir().unwrap();
    let store = FileStore::at(dir.path().join(K::FILE.name));
    (dir, store)
}
