//! The unfinished match at this computer (two people, or against the computer), kept in a small
//! file so that closing the window, or a crash, does not lose it: the next start offers to
//! continue it.
//!
//! The file is rewritten after every change to the match (a temporary file, then a rename, so a
//! crash never leaves half a file) and removed once the match is over or replaced. It holds the
//! names, the mode, the game (absent for classic, as in files written before the bigger games),
//! and the match's events ([`Match::events`]), and is replayed through the
//! match when read: a file that does not replay is ignored (and moved aside), never trusted. Owns
//! no UI.

use serde::{Deserialize, Serialize};

use super::file::{FileKind, FileStore, Folder, Found, Kind, StoreError};
use crate::game::{Cell, Event, Intent, Level, Match, Player, Snapshot, Table, Variant};

/// The file's name inside the data directory.
pub const FILE_NAME: &str = "unfinished-match.json";

/// How the unfinished match is played.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", tag = "mode")]
pub enum SavedMode {
    /// Two people taking turns.
    HotSeat,
    /// The player against the computer.
    Computer {
        /// How strongly the computer plays.
        level: Level,
        /// The player's mark.
        mark: Player,
    },
}

/// A match at this computer as it is kept in the file.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SavedMatch {
    /// How the match is played.
    #[serde(flatten)]
    pub mode: SavedMode,
    /// The name of the player placing X.
    pub x_name: String,
    /// The name of the player placing O.
    pub o_name: String,
    /// The game played: absent for classic, so files of earlier versions read as classic.
    #[serde(default, skip_serializing_if = "Variant::is_classic")]
    pub variant: Variant,
    /// The match as it stood before `events`, when the match's log no longer holds every event
    /// since it began (a long match): the events follow it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub snapshot: Option<Snapshot>,
    /// Every event of the match, oldest first (or every event after `snapshot`).
    #[serde(default)]
    pub events: Vec<Event>,
    /// Files written by earlier versions hold the moves of every game instead, oldest game
    /// first; read, never written.
    #[serde(default, skip_serializing)]
    pub games: Vec<Vec<Cell>>,
}

/// Why a saved match cannot be continued: its events do not replay under the rules.
#[derive(Debug, thiserror::Error)]
#[error("the saved match does not replay: {0}")]
pub struct ReplayError(String);

/// The unfinished match is kept in the data folder, beside the history.
impl Kind for SavedMatch {
    const FILE: FileKind = FileKind::new(FILE_NAME, Folder::Data, "unfinished matches");
}

impl SavedMatch {
    /// `series`, played as `mode`, as the file keeps it.
    #[must_use]
    pub fn of(mode: SavedMode, series: &Match) -> Self {
        let whole = series.log().is_whole();
        Self {
            mode,
            x_name: series.name(Player::X).to_owned(),
            o_name: series.name(Player::O).to_owned(),
            variant: series.variant(),
            snapshot: (!whole).then(|| series.snapshot()),
            events: if whole { series.events() } else { Vec::new() },
            games: Vec::new(),
        }
    }

    /// The match replayed from its events.
    pub fn to_match(&self) -> Result<Match, ReplayError> {
        if let Some(snapshot) = &self.snapshot {
            let mut series = Match::from_snapshot_at(Table::Local, snapshot)
                .map_err(|error| ReplayError(error.to_string()))?;
            for &event in &self.events {
                series
                    .apply(event)
                    .map_err(|error| ReplayError(error.to_string()))?;
            }
            return Ok(series);
        }
        let names = [self.x_name.as_str(), self.o_name.as_str()];
        let events = if self.events.is_empty() {
            games_as_events(&self.games)?
        } else {
            self.events.clone()
        };
        Match::replay_variant(self.variant, Table::Local, names, &events)
            .map_err(|error| ReplayError(error.to_string()))
    }
}

/// The events of a match saved as the moves of each game, oldest game first: the moves, and
/// between games both players asking for the next one.
fn games_as_events(games: &[Vec<Cell>]) -> Result<Vec<Event>, ReplayError> {
    let mut series = Match::new("", "");
    for (index, moves) in games.iter().enumerate() {
        if index > 0 {
            for seat in Player::ALL {
                series.act(seat, Intent::Rematch).map_err(|error| {
                    ReplayError(format!(
                        "game {index} was not over when the next began: {error}"
                    ))
                })?;
            }
        }
        for &cell in moves {
            let seat = series.to_move().unwrap_or(Player::X);
            series
                .act(seat, Intent::Play(cell))
                .map_err(|error| ReplayError(format!("game {}: {error}", index + 1)))?;
        }
    }
    Ok(series.events())
}

/// Where the unfinished match lives (the OS data directory, beside the history), and the one way
/// to read, write and remove it.
pub type ResumeStore = FileStore<SavedMatch>;

impl ResumeStore {
    /// The saved match, if there is one. A file that cannot be read or replayed is moved aside
    /// (never deleted), and what was wrong comes back in words for the player.
    pub fn load(&mut self) -> Result<Option<SavedMatch>, String> {
        let path = self.path_text();
        let parse = |bytes: &[u8]| {
            let saved = serde_json::from_slice::<SavedMatch>(bytes)
                .map_err(|error| format!("{path} is not a saved match: {error}"))?;
            saved.to_match().map_err(|error| error.to_string())?;
            Ok(saved)
        };
        match self.read_with(parse) {
            Found::Nothing => Ok(None),
            Found::Good(saved) => Ok(Some(saved)),
            Found::SetAside { problem, .. } => Err(problem),
        }
    }

    /// Writes `saved` atomically, or removes the file when there is nothing to continue.
    pub fn save(&self, saved: Option<&SavedMatch>) -> Result<(), StoreError> {
        match saved {
            Some(saved) => self.save_json(saved),
            None => self.remove().map_err(|source| self.write_error(source)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::temp_store;

    #[test]
    fn a_match_round_trips_through_the_file_and_bad_files_are_set_aside() {
        let (dir, mut store) = temp_store::<SavedMatch>();
        assert!(store.load().unwrap().is_none());

        let mut series = Match::new("Ann", "Bob");
        for n in [1, 4, 2, 5, 3, 9] {
            if series.game_over() {
                for seat in Player::ALL {
                    series.act(seat, Intent::Rematch).unwrap();
                }
            }
            let seat = series.to_move().unwrap();
            series
                .act(seat, Intent::Play(Cell::from_number(n).unwrap()))
                .unwrap();
        }
        let saved = SavedMatch::of(SavedMode::HotSeat, &series);
        store.save(Some(&saved)).unwrap();
        let loaded = store.load().unwrap().unwrap();
        assert_eq!(loaded, saved);
        assert_eq!(loaded.to_match().unwrap(), series);

        store.save(None).unwrap();
        assert!(store.load().unwrap().is_none());

        // A file of an earlier version, with each game's moves, still continues.
        std::fs::write(
            dir.path().join(FILE_NAME),
            r#"{"mode":"hot-seat","x_name":"Ann","o_name":"Bob","games":[[1,4,2,5,3],[9]]}"#,
        )
        .unwrap();
        assert_eq!(store.load().unwrap().unwrap().to_match().unwrap(), series);

        std::fs::write(
            dir.path().join(FILE_NAME),
            r#"{"mode":"hot-seat","x_name":"A","o_name":"B","games":[[1,1]]}"#,
        )
        .unwrap();
        assert!(store.load().is_err());
        assert!(
            store.load().unwrap().is_none(),
            "the bad file was moved aside"
        );
    }

    #[test]
    fn a_bigger_game_keeps_its_variant_and_classic_files_name_none() {
        let (_dir, store) = temp_store::<SavedMatch>();
        let mut series = Match::new_variant(Variant::Ultimate, Table::Local, "Ann", "Bob");
        for text in ["5 3", "3 5"] {
            let cell = Variant::Ultimate.parse_move(text).unwrap();
            let seat = series.to_move().unwrap();
            series.act(seat, Intent::Play(cell)).unwrap();
        }
        let saved = SavedMatch::of(SavedMode::HotSeat, &series);
        let json = serde_json::to_string(&saved).unwrap();
        assert!(json.contains(r#""variant":"ultimate""#), "{json}");
        store.save(Some(&saved)).unwrap();
        assert_eq!(saved.to_match().unwrap(), series);

        let classic = SavedMatch::of(SavedMode::HotSeat, &Match::new("Ann", "Bob"));
        let json = serde_json::to_string(&classic).unwrap();
        assert!(!json.contains("variant"), "{json}");
    }
}
