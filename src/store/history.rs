//! The history of every finished game: a text file of [`Record`]s, one after another, in the OS
//! data directory (`$XDG_DATA_HOME/tictactoe/history.txt` on Linux).
//!
//! Each game is added with one append and a sync, so a crash or power cut can only damage the game
//! being written, never the ones before it. When the window starts, [`HistoryStore::load`] keeps
//! every game that reads cleanly; if anything did not, the damaged file is renamed aside (never
//! deleted), the good games are written back (a temporary file, then a rename), and the player is
//! told once. [`HistoryStore::read`] only reads, for the terminal commands.
//!
//! The format of each game is [`crate::record`]'s; this module only keeps them. Owns no UI;
//! never imports egui or tokio.

use std::path::PathBuf;

use super::file::{FileKind, FileStore, Folder, Kind, StoreError};
use crate::record::{Record, RecordError, parse_many};

/// The history file's name inside the data directory.
pub const FILE_NAME: &str = "history.txt";

/// Records are kept one after another in the data folder.
impl Kind for Record {
    const FILE: FileKind = FileKind::new(FILE_NAME, Folder::Data, "games");
}

/// What [`HistoryStore::read`] found.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ReadHistory {
    /// Every game that read cleanly, oldest first.
    pub records: Vec<Record>,
    /// What did not read, each naming its line.
    pub damage: Vec<RecordError>,
}

/// What [`HistoryStore::load`] found.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct LoadedHistory {
    /// Every game that read cleanly, oldest first.
    pub records: Vec<Record>,
    /// Something the player should be told once, such as "the history was damaged".
    pub notice: Option<String>,
}

/// Where the history lives (`$XDG_DATA_HOME/tictactoe/history.txt` on Linux,
/// `%APPDATA%\tictactoe\data\history.txt` on Windows), and the one way to read and add to it.
pub type HistoryStore = FileStore<Record>;

impl HistoryStore {
    /// Reads the history without changing anything. A missing file is an empty history.
    pub fn read(&self) -> Result<ReadHistory, StoreError> {
        let bytes = match self.read_bytes() {
            Ok(Some(bytes)) => bytes,
            Ok(None) => return Ok(ReadHistory::default()),
            Err(source) => {
                return Err(StoreError::Read {
                    path: self.path_buf(),
                    source,
                });
            }
        };
        let text = String::from_utf8(bytes).map_err(|source| StoreError::NotText {
            path: self.path_buf(),
            source,
        })?;
        let (records, damage) = parse_many(&text);
        Ok(ReadHistory { records, damage })
    }

    /// Reads the history for the window. Games that read cleanly are kept. If anything did not
    /// (a game cut short by a crash, a garbled file), the file is repaired: it is first copied,
    /// as it is, to `history.txt.bad-<unix seconds>`, then replaced atomically by the games that
    /// read, and a notice says so. A repair that cannot finish (a full or read-only disk) leaves
    /// the original in place, says so, and switches recording off for this run: never are fewer
    /// games readable in `history.txt` than before.
    pub fn load(&mut self) -> LoadedHistory {
        let path = self.path_buf();
        let bytes = match self.read_bytes() {
            Ok(Some(bytes)) => bytes,
            Ok(None) => return LoadedHistory::default(),
            Err(error) => {
                self.stop_writing();
                tracing::error!(path = %path.display(), %error, "history unreadable");
                return LoadedHistory {
                    records: Vec::new(),
                    notice: Some(format!(
                        "Your game history at {} could not be read ({error}). Games will not be \
                         recorded this time, so the file stays as it is.",
                        path.display()
                    )),
                };
            }
        };
        // A stray byte that is not text must not cost the games around it.
        let text = String::from_utf8_lossy(&bytes);
        let (records, damage) = parse_many(&text);
        if damage.is_empty() && matches!(text, std::borrow::Cow::Borrowed(_)) {
            return LoadedHistory {
                records,
                notice: None,
            };
        }
        // The first problem in words; the rest only counted, so the notice stays short.
        let mut problem = damage.first().map_or_else(
            || "it holds bytes that are not text".to_owned(),
            ToString::to_string,
        );
        match damage.len().saturating_sub(1) {
            0 => {}
            1 => problem.push_str(", and 1 more problem"),
            more => problem.push_str(&format!(", and {more} more problems")),
        }
        let kept = match records.len() {
            0 => "No earlier games could be read".to_owned(),
            1 => "1 earlier game was kept".to_owned(),
            n => format!("{n} earlier games were kept"),
        };
        let notice = match self.repair(&bytes, &records) {
            Ok(bad) => {
                tracing::warn!(path = %path.display(), copied_to = %bad.display(), %problem, "damaged history repaired");
                format!(
                    "Part of your game history could not be read ({problem}). {kept}; the old \
                     file was kept as {}.",
                    bad.display()
                )
            }
            Err(error) => {
                self.stop_writing();
                tracing::error!(path = %path.display(), %problem, %error, "damaged history not repaired");
                format!(
                    "Part of your game history at {} could not be read ({problem}), and it \
                     could not be repaired ({error}). The file stays as it is, and games will \
                     not be recorded this time.",
                    path.display()
                )
            }
        };
        LoadedHistory {
            records,
            notice: Some(notice),
        }
    }

    /// Keeps a copy of the damaged `original` beside it, then replaces the file with `records`
    /// atomically; returns where the copy is. On any failure the file is as it was.
    fn repair(&self, original: &[u8], records: &[Record]) -> std::io::Result<PathBuf> {
        let bad = self.copy_aside(original)?.unwrap_or_default();
        let text: String = records.iter().map(Record::to_text).collect();
        match self.replace(text.as_bytes()) {
            Ok(true) => Ok(bad),
            Ok(false) => {
                let _removed = std::fs::remove_file(&bad);
                Err(std::io::Error::other("writing is switched off"))
            }
            Err(error) => {
                // The original is untouched: the copy is not needed, and must not mislead.
                let _removed = std::fs::remove_file(&bad);
                Err(error)
            }
        }
    }

    /// Records a game a match has just ended, played in `mode`: the one way every mode — the
    /// window, `tictactoe play`, `host` and `join` — adds its games. Returns the record added
    /// (`None` for a game left before anyone moved, which is not kept).
    pub fn record_game(
        &self,
        at: jiff::Timestamp,
        mode: crate::record::Mode,
        over: &crate::game::GameOver,
    ) -> Result<Option<Record>, StoreError> {
        let Some(record) = Record::of_game(at, mode, over) else {
            return Ok(None);
        };
        self.append(&record)?;
        Ok(Some(record))
    }

    /// Adds one game at the end of the file with a single write, then syncs it to disk. Earlier
    /// games are never rewritten, so a crash during the write can damage only this one.
    pub fn append(&self, record: &Record) -> Result<(), StoreError> {
        match self.append_text(&record.to_text()) {
            Ok(true) => Ok(()),
            Ok(false) => Err(StoreError::Disabled {
                what: Record::FILE.what,
            }),
            Err(source) => Err(self.write_error(source)),
        }
    }
}

#[cfg(test)]
mod tests {
    use jiff::Timestamp;

    use std::path::Path;

    use super::*;
    use crate::game::{Cell, Player};
    use crate::record::{Ending, Mode};

    fn game(seconds: i64, moves: &[i64]) -> Record {
        let moves: Vec<Cell> = moves
            .iter()
            .map(|&n| Cell::from_number(n).unwrap())
            .collect();
        Record::new(
            Timestamp::from_second(seconds).unwrap(),
            Mode::HotSeat,
            ["Ann", "Bob"],
            Player::X,
            &moves,
            Ending::Won,
        )
        .unwrap()
    }

    fn files_in(dir: &Path) -> Vec<String> {
        let mut names: Vec<_> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }

    #[test]
    fn appended_games_read_back_in_order() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("nested").join(FILE_NAME);
        let mut store = HistoryStore::at(&path);
        assert_eq!(store.load(), LoadedHistory::default());
        let games = [game(1, &[1, 4, 2, 5, 3]), game(2, &[5, 1, 9, 3, 2, 4, 8])];
        for g in &games {
            store.append(g).unwrap();
        }
        let loaded = store.load();
        assert_eq!(loaded.records, games);
        assert_eq!(loaded.notice, None);
        assert_eq!(files_in(path.parent().unwrap()), [FILE_NAME]);
    }

    #[test]
    fn a_write_cut_short_loses_only_that_game() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(FILE_NAME);
        let mut store = HistoryStore::at(&path);
        let earlier = [game(1, &[1, 4, 2, 5, 3]), game(2, &[5, 1, 9, 3, 2, 4, 8])];
        for g in &earlier {
            store.append(g).unwrap();
        }
        let whole = std::fs::read(&path).unwrap();
        let next = game(3, &[1, 2, 5, 3, 9]).to_text();
        // Every place the next write could stop: each one keeps exactly the earlier games.
        for cut in 1..next.len() - 1 {
            let mut bytes = whole.clone();
            bytes.extend_from_slice(&next.as_bytes()[..cut]);
            std::fs::write(&path, &bytes).unwrap();
            let read = store.read().unwrap();
            assert_eq!(read.records, earlier, "cut after {cut} bytes");
            assert_eq!(read.damage.len(), 1, "cut after {cut} bytes");
        }
        // Only the final line break missing: the game is whole and kept.
        let mut bytes = whole.clone();
        bytes.extend_from_slice(&next.as_bytes()[..next.len() - 1]);
        std::fs::write(&path, &bytes).unwrap();
        assert_eq!(store.read().unwrap().records.len(), 3);
        let mut bytes = whole.clone();
        bytes.extend_from_slice(&next.as_bytes()[..next.len() / 2]);
        std::fs::write(&path, &bytes).unwrap();
        // Loading sets the damaged file aside, keeps the good games, and recording goes on.
        let loaded = store.load();
        assert_eq!(loaded.records, earlier);
        let notice = loaded.notice.unwrap();
        assert!(notice.contains("2 earlier games were kept"), "{notice}");
        let files = files_in(dir.path());
        assert_eq!(files.len(), 2, "{files:?}");
        assert!(files[1].starts_with("history.txt.bad-"), "{files:?}");
        store.append(&game(4, &[3, 1, 5, 2, 7])).unwrap();
        let read = store.read().unwrap();
        assert_eq!(read.records.len(), 3);
        assert!(read.damage.is_empty());
    }

    #[test]
    fn appending_after_a_cut_line_starts_a_new_line() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(FILE_NAME);
        let store = HistoryStore::at(&path);
        let first = game(1, &[1, 4, 2, 5, 3]);
        let text = first.to_text();
        std::fs::write(&path, &text[..text.len() - 4]).unwrap();
        let second = game(2, &[1, 2, 5, 3, 9]);
        store.append(&second).unwrap();
        let read = store.read().unwrap();
        assert_eq!(read.records, [second]);
        assert_eq!(read.damage.len(), 1);
    }

    #[test]
    fn a_file_that_is_not_text_is_set_aside() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(FILE_NAME);
        std::fs::write(&path, [0xff, 0xfe, 0x00]).unwrap();
        let mut store = HistoryStore::at(&path);
        let loaded = store.load();
        assert!(loaded.records.is_empty());
        assert!(loaded.notice.unwrap().contains("No earlier games"));
        let files = files_in(dir.path());
        assert!(
            files.iter().any(|f| f.starts_with("history.txt.bad-")),
            "{files:?}"
        );
        assert!(files.iter().any(|f| f == FILE_NAME), "{files:?}");
    }
}
