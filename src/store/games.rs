//! Saved games: one game in a file of its own ([`read_file`], [`write_file`]), and the app's
//! own folder of them ([`GamesFolder`]), used where the desktop shows no file chooser.
//!
//! What "Save game…", "Open game…" and `tictactoe replay` use. Reading checks the size and the
//! text before [`Record::parse`]; writing is atomic (a temporary file, then a rename), so a
//! failed save never leaves half a file.

use std::path::{Path, PathBuf};

use super::file::{data_file, replace_atomically};
use crate::record::{Record, RecordError};

/// The largest file read as a saved game, in bytes: a record is a few hundred bytes, so anything
/// this big is some other file.
pub const MAX_RECORD_BYTES: u64 = 64 * 1024;

/// Why a saved game could not be read or written. Each message starts with the file's path.
#[derive(Debug, thiserror::Error)]
pub enum GameFileError {
    /// The file could not be read (missing, no permission, …).
    #[error("{}: could not read the file: {source}", path.display())]
    Read {
        /// The file.
        path: PathBuf,
        /// What the system said.
        source: std::io::Error,
    },
    /// The file is far larger than any saved game.
    #[error(
        "{}: too large to be a saved game ({bytes} bytes; a record is under {MAX_RECORD_BYTES})",
        path.display()
    )]
    TooLarge {
        /// The file.
        path: PathBuf,
        /// Its size.
        bytes: u64,
    },
    /// The file is not text.
    #[error("{}: not a text file: {source}", path.display())]
    NotText {
        /// The file.
        path: PathBuf,
        /// Where the text stops being UTF-8.
        source: std::string::FromUtf8Error,
    },
    /// The text is not a valid record; the error names the line.
    #[error("{}: {error}", path.display())]
    Invalid {
        /// The file.
        path: PathBuf,
        /// The line and the problem.
        error: RecordError,
    },
    /// The file could not be written.
    #[error("{}: could not write the file: {source}", path.display())]
    Write {
        /// The file.
        path: PathBuf,
        /// What the system said.
        source: std::io::Error,
    },
}

impl GameFileError {
    /// What went wrong, without the file's path (for a message that names the file its own way).
    #[must_use]
    pub fn problem(&self) -> String {
        match self {
            Self::Read { source, .. } | Self::Write { source, .. } => source.to_string(),
            Self::TooLarge { .. } => format!(
                "it is larger than {} KiB, far too large for a saved game",
                MAX_RECORD_BYTES / 1024
            ),
            Self::NotText { .. } => "it is not text (a saved game is UTF-8 text)".to_owned(),
            Self::Invalid { error, .. } => error.to_string(),
        }
    }
}

/// Reads the saved game at `path`.
pub fn read_file(path: &Path) -> Result<Record, GameFileError> {
    let read_err = |source| GameFileError::Read {
        path: path.to_owned(),
        source,
    };
    let bytes = std::fs::metadata(path).map_err(read_err)?.len();
    if bytes > MAX_RECORD_BYTES {
        return Err(GameFileError::TooLarge {
            path: path.to_owned(),
            bytes,
        });
    }
    let bytes = std::fs::read(path).map_err(read_err)?;
    let text = String::from_utf8(bytes).map_err(|source| GameFileError::NotText {
        path: path.to_owned(),
        source,
    })?;
    Record::parse(&text).map_err(|error| GameFileError::Invalid {
        path: path.to_owned(),
        error,
    })
}

/// Writes `record` to `path` atomically, replacing any file there.
pub fn write_file(path: &Path, record: &Record) -> Result<(), GameFileError> {
    replace_atomically(path, record.to_text().as_bytes()).map_err(|source| GameFileError::Write {
        path: path.to_owned(),
        source,
    })
}

/// The file name a save dialog suggests, such as `tictactoe-2026-11-26-1805.txt`.
#[must_use]
pub fn suggested_name(record: &Record) -> String {
    format!(
        "tictactoe-{}.txt",
        record.played_at().strftime("%Y-%m-%d-%H%M")
    )
}

/// The app's own folder of saved games (`$XDG_DATA_HOME/tictactoe/games` on Linux).
///
/// Games are saved there, and opened from there, when the desktop shows no file chooser; there
/// is none when this system has no such folder.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct GamesFolder {
    dir: Option<PathBuf>,
}

impl GamesFolder {
    /// The folder in the OS data directory.
    #[must_use]
    pub fn from_os() -> Self {
        Self::at(data_file("games"))
    }

    /// The folder at `dir` (tests use a temporary one), or none.
    #[must_use]
    pub const fn at(dir: Option<PathBuf>) -> Self {
        Self { dir }
    }

    /// The folder, if there is one.
    #[must_use]
    pub fn dir(&self) -> Option<&Path> {
        self.dir.as_deref()
    }

    /// Saves `record` into the folder (made if missing) under its suggested name, or with
    /// "-2", "-3", … added when that is taken, never over an existing file; where it went.
    /// `Ok(None)` when there is no folder.
    pub fn save(&self, record: &Record) -> Result<Option<PathBuf>, SaveError> {
        let Some(dir) = &self.dir else {
            return Ok(None);
        };
        std::fs::create_dir_all(dir).map_err(|source| SaveError::Folder {
            dir: dir.clone(),
            source,
        })?;
        let name = suggested_name(record);
        let stem = name.trim_end_matches(".txt");
        let free = (1..=999)
            .map(|n| match n {
                1 => dir.join(&name),
                n => dir.join(format!("{stem}-{n}.txt")),
            })
            .find(|path| !path.exists())
            .ok_or_else(|| SaveError::Full { dir: dir.clone() })?;
        write_file(&free, record)?;
        Ok(Some(free))
    }

    /// The game files in the folder, newest first: what the window offers to open when there
    /// is no file chooser. A missing folder holds none.
    #[must_use]
    pub fn games(&self) -> Vec<PathBuf> {
        let Some(entries) = self
            .dir
            .as_ref()
            .and_then(|dir| std::fs::read_dir(dir).ok())
        else {
            return Vec::new();
        };
        let mut games: Vec<(std::time::SystemTime, PathBuf)> = entries
            .filter_map(Result::ok)
            .filter(|entry| entry.path().extension().is_some_and(|ext| ext == "txt"))
            .filter_map(|entry| {
                let modified = entry.metadata().ok()?.modified().ok()?;
                Some((modified, entry.path()))
            })
            .collect();
        games.sort_by(|a, b| b.cmp(a));
        games.into_iter().map(|(_, path)| path).collect()
    }
}

/// Why a game could not be saved into the games folder.
#[derive(Debug, thiserror::Error)]
pub enum SaveError {
    /// The folder could not be made.
    #[error("The game could not be saved in {}: {source}", dir.display())]
    Folder {
        /// The folder.
        dir: PathBuf,
        /// What the system said.
        source: std::io::Error,
    },
    /// Every name tried is taken.
    #[error(
        "The game could not be saved in {}: too many games saved in the same minute",
        dir.display()
    )]
    Full {
        /// The folder.
        dir: PathBuf,
    },
    /// The file could not be written.
    #[error(transparent)]
    Write(#[from] GameFileError),
}

#[cfg(test)]
mod tests {
    use jiff::Timestamp;

    use super::*;
    use crate::game::{Cell, Player};
    use crate::record::{Ending, Mode};

    #[test]
    fn a_saved_game_opens_again_and_bad_files_say_why() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("game.txt");
        let record = Record::new(
            Timestamp::UNIX_EPOCH,
            Mode::HotSeat,
            ["Ann", "Bob"],
            Player::X,
            &[Cell::ALL[4]],
            Ending::Unfinished,
        )
        .unwrap();
        write_file(&path, &record).unwrap();
        assert_eq!(read_file(&path).unwrap(), record);

        std::fs::write(&path, "tictactoe-record 9\n").unwrap();
        let error = read_file(&path).unwrap_err();
        assert!(matches!(error, GameFileError::Invalid { .. }), "{error}");
        assert!(
            error
                .to_string()
                .ends_with("game.txt: line 1: this record uses format version 9, but this version of Tic-Tac-Toe reads versions up to 3: open it with a newer Tic-Tac-Toe"),
            "{error}"
        );
        std::fs::write(&path, vec![b'x'; 70_000]).unwrap();
        assert!(matches!(
            read_file(&path),
            Err(GameFileError::TooLarge { bytes: 70_000, .. })
        ));
        std::fs::write(&path, [0xff, 0xfe]).unwrap();
        assert!(matches!(
            read_file(&path),
            Err(GameFileError::NotText { .. })
        ));
        assert!(matches!(
            read_file(&dir.path().join("missing.txt")),
            Err(GameFileError::Read { .. })
        ));
    }
}
