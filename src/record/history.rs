//! The history of every finished game: a text file of [`Record`]s, one after another, in the OS
//! data directory (`$XDG_DATA_HOME/tictactoe/history.txt` on Linux).
//!
//! Each game is added with one append and a sync, so a crash or power cut can only damage the game
//! being written, never the ones before it. When the window starts, [`HistoryStore::load`] keeps
//! every game that reads cleanly; if anything did not, the damaged file is renamed aside (never
//! deleted), the good games are written back (a temporary file, then a rename), and the player is
//! told once. [`HistoryStore::read`] only reads, for the terminal commands.
//!
//! Owns no UI; never imports egui or tokio.

use std::io::{Read as _, Seek as _, Write as _};
use std::path::{Path, PathBuf};

use super::{Record, RecordError, parse_many};

/// The history file's name inside the data directory.
pub const FILE_NAME: &str = "history.txt";

/// Why the history could not be read or added to.
#[derive(Debug, thiserror::Error)]
pub enum HistoryError {
    /// Reading the file failed.
    #[error("could not read {path}: {source}")]
    Read {
        /// The history file.
        path: PathBuf,
        /// What the system said.
        source: std::io::Error,
    },
    /// The file is not text.
    #[error("{path} is not a text file: {source}")]
    NotText {
        /// The history file.
        path: PathBuf,
        /// Where the text stops being UTF-8.
        source: std::string::FromUtf8Error,
    },
    /// Writing, syncing or renaming failed.
    #[error("could not write {path}: {source}")]
    Write {
        /// The file being written.
        path: PathBuf,
        /// What the system said.
        source: std::io::Error,
    },
    /// Writing is switched off for this run: a damaged file could not be moved aside and must not
    /// be added to.
    #[error("games are not being recorded this time")]
    Disabled,
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

/// Where the history lives, and the one way to read and add to it.
#[derive(Clone, Debug)]
pub struct HistoryStore {
    /// The history file, or `None` when nothing is persisted.
    path: Option<PathBuf>,
    /// False once writing must not happen (a damaged file could not be moved aside).
    writable: bool,
}

impl HistoryStore {
    /// The store in the OS data directory (`$XDG_DATA_HOME/tictactoe/history.txt` on Linux,
    /// `%APPDATA%\tictactoe\data\history.txt` on Windows). Without a home directory nothing is
    /// persisted.
    #[must_use]
    pub fn from_os() -> Self {
        let path = crate::files::data_file(FILE_NAME);
        if path.is_none() {
            tracing::warn!("no data directory found: games will not be remembered");
        }
        Self {
            path,
            writable: true,
        }
    }

    /// A store at an explicit file path (tests use a temporary directory).
    #[must_use]
    pub fn at(path: impl Into<PathBuf>) -> Self {
        Self {
            path: Some(path.into()),
            writable: true,
        }
    }

    /// A store that remembers nothing.
    #[must_use]
    pub const fn in_memory() -> Self {
        Self {
            path: None,
            writable: true,
        }
    }

    /// The history file, if any.
    #[must_use]
    pub fn path(&self) -> Option<&Path> {
        self.path.as_deref()
    }

    /// Reads the history without changing anything. A missing file is an empty history.
    pub fn read(&self) -> Result<ReadHistory, HistoryError> {
        let Some(path) = &self.path else {
            return Ok(ReadHistory::default());
        };
        let bytes = match std::fs::read(path) {
            Ok(bytes) => bytes,
            Err(e)
                if matches!(
                    e.kind(),
                    std::io::ErrorKind::NotFound | std::io::ErrorKind::NotADirectory
                ) =>
            {
                return Ok(ReadHistory::default());
            }
            Err(source) => {
                return Err(HistoryError::Read {
                    path: path.clone(),
                    source,
                });
            }
        };
        let text = String::from_utf8(bytes).map_err(|source| HistoryError::NotText {
            path: path.clone(),
            source,
        })?;
        let (records, damage) = parse_many(&text);
        Ok(ReadHistory { records, damage })
    }

    /// Reads the history for the window. Games that read cleanly are kept. If anything did not
    /// (a game cut short by a crash, a garbled file), the file is renamed to
    /// `history.txt.bad-<unix seconds>`, the good games are written back, and a notice says so; if
    /// even the rename fails, recording is switched off so the file is left as it is.
    pub fn load(&mut self) -> LoadedHistory {
        let Some(path) = self.path.clone() else {
            return LoadedHistory::default();
        };
        let (records, problem) = match self.read() {
            Ok(read) if read.damage.is_empty() => {
                return LoadedHistory {
                    records: read.records,
                    notice: None,
                };
            }
            Ok(read) => {
                // The first problem in words; the rest only counted, so the notice stays short.
                let mut problem = read
                    .damage
                    .first()
                    .map(ToString::to_string)
                    .unwrap_or_default();
                match read.damage.len().saturating_sub(1) {
                    0 => {}
                    1 => problem.push_str(", and 1 more problem"),
                    more => problem.push_str(&format!(", and {more} more problems")),
                }
                (read.records, problem)
            }
            Err(error) => (Vec::new(), error.to_string()),
        };
        let kept = match records.len() {
            0 => "No earlier games could be read".to_owned(),
            1 => "1 earlier game was kept".to_owned(),
            n => format!("{n} earlier games were kept"),
        };
        let notice = match crate::files::move_aside(&path) {
            Ok(bad) => {
                tracing::warn!(path = %path.display(), moved_to = %bad.display(), %problem, "damaged history moved aside");
                if let Err(error) = self.rewrite(&records) {
                    tracing::error!(%error, "history not written back");
                }
                format!(
                    "Part of your game history could not be read ({problem}). {kept}; the old \
                     file was kept as {}.",
                    bad.display()
                )
            }
            Err(e) => {
                self.writable = false;
                tracing::error!(path = %path.display(), %problem, error = %e, "damaged history could not be moved aside");
                format!(
                    "Part of your game history at {} could not be read ({problem}). Games will \
                     not be recorded this time, so the file stays as it is.",
                    path.display()
                )
            }
        };
        LoadedHistory {
            records,
            notice: Some(notice),
        }
    }

    /// Records a game a match has just ended, played in `mode`: the one way every mode — the
    /// window, `tictactoe play`, `host` and `join` — adds its games. Returns the record added
    /// (`None` for a game left before anyone moved, which is not kept).
    pub fn record_game(
        &self,
        at: jiff::Timestamp,
        mode: super::Mode,
        over: &crate::game::GameOver,
    ) -> Result<Option<Record>, HistoryError> {
        let Some(record) = Record::of_game(at, mode, over) else {
            return Ok(None);
        };
        self.append(&record)?;
        Ok(Some(record))
    }

    /// Adds one game at the end of the file with a single write, then syncs it to disk. Earlier
    /// games are never rewritten, so a crash during the write can damage only this one.
    pub fn append(&self, record: &Record) -> Result<(), HistoryError> {
        let Some(path) = &self.path else {
            return Ok(());
        };
        if !self.writable {
            return Err(HistoryError::Disabled);
        }
        let write_err = |source| HistoryError::Write {
            path: path.clone(),
            source,
        };
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).map_err(write_err)?;
        }
        let mut file = std::fs::OpenOptions::new()
            .read(true)
            .append(true)
            .create(true)
            .open(path)
            .map_err(write_err)?;
        let mut text = record.to_text();
        // After a cut-short write the file may end mid-line: start this game on a line of its own.
        if !ends_with_newline(&mut file).map_err(write_err)? {
            text.insert(0, '\n');
        }
        file.write_all(text.as_bytes()).map_err(write_err)?;
        file.sync_data().map_err(write_err)
    }

    /// Replaces the file with `records`, atomically.
    fn rewrite(&self, records: &[Record]) -> Result<(), HistoryError> {
        let Some(path) = &self.path else {
            return Ok(());
        };
        let text: String = records.iter().map(Record::to_text).collect();
        crate::files::replace_atomically(path, text.as_bytes()).map_err(|source| {
            HistoryError::Write {
                path: path.clone(),
                source,
            }
        })
    }
}

/// Whether `file` is empty or ends with a line break.
fn ends_with_newline(file: &mut std::fs::File) -> std::io::Result<bool> {
    if file.metadata()?.len() == 0 {
        return Ok(true);
    }
    file.seek(std::io::SeekFrom::End(-1))?;
    let mut last = [0_u8; 1];
    file.read_exact(&mut last)?;
    Ok(last[0] == b'\n')
}

#[cfg(test)]
mod tests {
    use jiff::Timestamp;

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
