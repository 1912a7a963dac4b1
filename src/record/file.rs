//! One saved game in a file of its own.
//!
//! What "Save game…", "Open game…" and `tictactoe replay` use. Reading checks the size and the text before [`Record::parse`]; writing is atomic (a
//! temporary file, then a rename), so a failed save never leaves half a file.

use std::path::{Path, PathBuf};

use super::{Record, RecordError};

/// The largest file read as a saved game, in bytes: a record is a few hundred bytes, so anything
/// this big is some other file.
pub const MAX_RECORD_BYTES: u64 = 64 * 1024;

/// Why a saved game could not be read or written. Each message starts with the file's path.
#[derive(Debug, thiserror::Error)]
pub enum FileError {
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

impl FileError {
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
pub fn read_file(path: &Path) -> Result<Record, FileError> {
    let read_err = |source| FileError::Read {
        path: path.to_owned(),
        source,
    };
    let bytes = std::fs::metadata(path).map_err(read_err)?.len();
    if bytes > MAX_RECORD_BYTES {
        return Err(FileError::TooLarge {
            path: path.to_owned(),
            bytes,
        });
    }
    let bytes = std::fs::read(path).map_err(read_err)?;
    let text = String::from_utf8(bytes).map_err(|source| FileError::NotText {
        path: path.to_owned(),
        source,
    })?;
    Record::parse(&text).map_err(|error| FileError::Invalid {
        path: path.to_owned(),
        error,
    })
}

/// Writes `record` to `path` atomically, replacing any file there.
pub fn write_file(path: &Path, record: &Record) -> Result<(), FileError> {
    crate::files::replace_atomically(path, record.to_text().as_bytes()).map_err(|source| {
        FileError::Write {
            path: path.to_owned(),
            source,
        }
    })
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
        assert!(matches!(error, FileError::Invalid { .. }), "{error}");
        assert!(
            error
                .to_string()
                .ends_with("game.txt: line 1: this record uses format version 9, but this version of Tic-Tac-Toe reads versions up to 2: open it with a newer Tic-Tac-Toe"),
            "{error}"
        );
        std::fs::write(&path, vec![b'x'; 70_000]).unwrap();
        assert!(matches!(
            read_file(&path),
            Err(FileError::TooLarge { bytes: 70_000, .. })
        ));
        std::fs::write(&path, [0xff, 0xfe]).unwrap();
        assert!(matches!(read_file(&path), Err(FileError::NotText { .. })));
        assert!(matches!(
            read_file(&dir.path().join("missing.txt")),
            Err(FileError::Read { .. })
        ));
    }
}
