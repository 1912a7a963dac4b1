//! One kept file: [`FileStore`], and the one way every kind of file is loaded and saved.
//!
//! A [`FileStore`] finds, reads, replaces, appends to and sets aside a file of one [`Kind`];
//! [`FileStore::read_with`], [`FileStore::save_json`] and [`StoreError`] are how each kind is
//! read and written.
//!
//! Owns no format and no UI: what each kind of file holds brings the file's name and folder
//! ([`Kind`]), and its module (settings, history, unfinished, seats) reads and writes its format
//! through here.

use std::io::{Read as _, Seek as _, Write as _};
use std::marker::PhantomData;
use std::path::{Path, PathBuf};
use std::time::{SystemTime, UNIX_EPOCH};

/// Which of the app's OS folders a file lives in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Folder {
    /// `$XDG_CONFIG_HOME/tictactoe` on Linux, `%APPDATA%\tictactoe\config` on Windows.
    Config,
    /// `$XDG_DATA_HOME/tictactoe` on Linux, `%APPDATA%\tictactoe\data` on Windows.
    Data,
}

/// A kind of file the app keeps, implemented by what the file holds.
pub trait Kind {
    /// Where the file lives, and what it holds.
    const FILE: FileKind;
}

/// Where a kind of file lives, and what it holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FileKind {
    /// Its name inside its folder.
    pub name: &'static str,
    /// Its folder.
    pub folder: Folder,
    /// What it holds, for the log ("settings", "games").
    pub what: &'static str,
}

impl FileKind {
    /// The file `name` in `folder`, holding `what`.
    #[must_use]
    pub const fn new(name: &'static str, folder: Folder, what: &'static str) -> Self {
        Self { name, folder, what }
    }
}

/// Where one of the app's files lives — in its OS folder, at a path of a test's choosing, or
/// nowhere (kept in memory only) — and the safe ways to change it.
///
/// Writing can be switched off (`stop_writing`) when a damaged file could not be set
/// aside: it is then left exactly as it is.
#[derive(Debug)]
pub struct FileStore<K> {
    path: Option<PathBuf>,
    writable: bool,
    kind: PhantomData<fn() -> K>,
}

impl<K> Clone for FileStore<K> {
    fn clone(&self) -> Self {
        Self {
            path: self.path.clone(),
            writable: self.writable,
            kind: PhantomData,
        }
    }
}

impl<K: Kind> FileStore<K> {
    /// The file in its OS folder. Without a home directory nothing is kept.
    #[must_use]
    pub fn from_os() -> Self {
        let path = match K::FILE.folder {
            Folder::Config => config_file(K::FILE.name),
            Folder::Data => data_file(K::FILE.name),
        };
        if path.is_none() {
            tracing::warn!(
                "no {:?} folder found: {} will not be remembered",
                K::FILE.folder,
                K::FILE.what
            );
        }
        Self {
            path,
            writable: true,
            kind: PhantomData,
        }
    }
}

impl<K> FileStore<K> {
    /// The file at an explicit path (tests use a temporary directory).
    #[must_use]
    pub fn at(path: impl Into<PathBuf>) -> Self {
        Self {
            path: Some(path.into()),
            writable: true,
            kind: PhantomData,
        }
    }

    /// A store that keeps nothing.
    #[must_use]
    pub const fn in_memory() -> Self {
        Self {
            path: None,
            writable: true,
            kind: PhantomData,
        }
    }

    /// The file, if any.
    #[must_use]
    pub fn path(&self) -> Option<&Path> {
        self.path.as_deref()
    }

    /// The file's path, empty when nothing is kept (for messages).
    pub(crate) fn path_buf(&self) -> PathBuf {
        self.path.clone().unwrap_or_default()
    }

    /// The file's path as shown in messages.
    pub(crate) fn path_text(&self) -> String {
        self.path_buf().display().to_string()
    }

    /// Switches writing off for this run: the file stays exactly as it is.
    pub(crate) const fn stop_writing(&mut self) {
        self.writable = false;
    }

    /// The file's bytes; `None` when there is no file (nothing there, a folder on the way missing
    /// or a file, or nothing kept at all).
    pub(crate) fn read_bytes(&self) -> std::io::Result<Option<Vec<u8>>> {
        let Some(path) = &self.path else {
            return Ok(None);
        };
        match std::fs::read(path) {
            Ok(bytes) => Ok(Some(bytes)),
            Err(e)
                if matches!(
                    e.kind(),
                    std::io::ErrorKind::NotFound | std::io::ErrorKind::NotADirectory
                ) =>
            {
                Ok(None)
            }
            Err(e) => Err(e),
        }
    }

    /// Replaces the file with `bytes` atomically ([`replace_atomically`]). Nothing is written
    /// while writing is off (`Ok(false)`) or nothing is kept (`Ok(true)`).
    pub(crate) fn replace(&self, bytes: &[u8]) -> std::io::Result<bool> {
        let Some(path) = &self.path else {
            return Ok(true);
        };
        if !self.writable {
            return Ok(false);
        }
        replace_atomically(path, bytes).map(|()| true)
    }

    /// Adds `text` at the end of the file with a single write, on a line of its own, then syncs
    /// it to disk: a crash during the write can damage only this text. Like [`Self::replace`],
    /// `Ok(false)` while writing is off.
    pub(crate) fn append_text(&self, text: &str) -> std::io::Result<bool> {
        let Some(path) = &self.path else {
            return Ok(true);
        };
        if !self.writable {
            return Ok(false);
        }
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir)?;
        }
        let mut file = std::fs::OpenOptions::new()
            .read(true)
            .append(true)
            .create(true)
            .open(path)?;
        let mut text = text.to_owned();
        // After a cut-short write the file may end mid-line: start on a line of its own.
        if !ends_with_newline(&mut file)? {
            text.insert(0, '\n');
        }
        file.write_all(text.as_bytes())?;
        file.sync_data().map(|()| true)
    }

    /// Removes the file; a file already gone is fine.
    pub(crate) fn remove(&self) -> std::io::Result<()> {
        let Some(path) = &self.path else {
            return Ok(());
        };
        match std::fs::remove_file(path) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(e),
            _ => Ok(()),
        }
    }

    /// Copies the file, as it is, to `<name>.bad-<unix seconds>` beside it (synced) and returns
    /// where: the original stays in place until something better replaces it.
    pub(crate) fn copy_aside(&self, bytes: &[u8]) -> std::io::Result<Option<PathBuf>> {
        let Some(path) = &self.path else {
            return Ok(None);
        };
        let bad = bad_name(path);
        let mut file = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&bad)?;
        let written = file.write_all(bytes).and_then(|()| file.sync_all());
        if let Err(error) = written {
            drop(file);
            // Best effort: a partial copy must not look like a kept file.
            let _removed = std::fs::remove_file(&bad);
            return Err(error);
        }
        Ok(Some(bad))
    }

    /// Renames a damaged file aside ([`move_aside`]) and returns where it went. When even that
    /// fails, writing is switched off so the file is never overwritten.
    pub(crate) fn set_aside(&mut self) -> std::io::Result<Option<PathBuf>> {
        let Some(path) = &self.path else {
            return Ok(None);
        };
        match move_aside(path) {
            Ok(bad) => Ok(Some(bad)),
            Err(error) => {
                self.writable = false;
                Err(error)
            }
        }
    }
}

/// Why one of the app's own files could not be read or written. Each message names the file.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// Reading the file failed.
    #[error("could not read {path}: {source}")]
    Read {
        /// The file.
        path: PathBuf,
        /// What the system said.
        source: std::io::Error,
    },
    /// The file is not text.
    #[error("{path} is not a text file: {source}")]
    NotText {
        /// The file.
        path: PathBuf,
        /// Where the text stops being UTF-8.
        source: std::string::FromUtf8Error,
    },
    /// Writing, syncing or renaming failed (or what was to be written could not be made).
    #[error("could not write {path}: {source}")]
    Write {
        /// The file being written.
        path: PathBuf,
        /// What the system said.
        source: std::io::Error,
    },
    /// Writing is switched off for this run: a damaged file could not be set aside and must
    /// not be overwritten or added to.
    #[error("{what} are not being saved this time")]
    Disabled {
        /// What the file holds ("settings", "games").
        what: &'static str,
    },
}

/// What [`FileStore::read_with`] found where the file should be.
#[derive(Debug)]
pub enum Found<T> {
    /// No file: nothing kept yet, or nothing kept at all.
    Nothing,
    /// The file, read and understood.
    Good(T),
    /// The file could not be read or understood (`problem`, in words). It was renamed aside to
    /// `moved`'s path, or could not be (`moved`'s error), and then writing is off for this run.
    SetAside {
        /// What was wrong with it.
        problem: String,
        /// Where it went, or why it could not be moved.
        moved: std::io::Result<PathBuf>,
    },
}

impl<K: Kind> FileStore<K> {
    /// Reads the file and understands it with `parse`, whose error says what is wrong. A file
    /// that cannot be read or understood is renamed aside, never deleted; if even that fails,
    /// writing is switched off so that it is never overwritten. Logged here, once; the caller
    /// tells the player in its own words.
    pub fn read_with<T>(&mut self, parse: impl FnOnce(&[u8]) -> Result<T, String>) -> Found<T> {
        let problem = match self.read_bytes() {
            Ok(None) => return Found::Nothing,
            Ok(Some(bytes)) => match parse(&bytes) {
                Ok(value) => return Found::Good(value),
                Err(problem) => problem,
            },
            Err(error) => format!("could not read {}: {error}", self.path_text()),
        };
        let moved = self.set_aside().map(Option::unwrap_or_default);
        let path = self.path_text();
        match &moved {
            Ok(bad) => {
                tracing::warn!(%path, moved_to = %bad.display(), %problem, "unreadable {} moved aside", K::FILE.what);
            }
            Err(error) => {
                tracing::error!(%path, %problem, %error, "unreadable {} could not be moved aside", K::FILE.what);
            }
        }
        Found::SetAside { problem, moved }
    }

    /// Replaces the file with `value` as JSON, atomically.
    pub fn save_json<T: serde::Serialize>(&self, value: &T) -> Result<(), StoreError> {
        let written = serde_json::to_vec_pretty(value)
            .map_err(std::io::Error::other)
            .and_then(|json| self.replace(&json));
        match written {
            Ok(true) => Ok(()),
            Ok(false) => Err(StoreError::Disabled { what: K::FILE.what }),
            Err(source) => Err(self.write_error(source)),
        }
    }

    /// A failure to write this file, naming it.
    pub(crate) fn write_error(&self, source: std::io::Error) -> StoreError {
        StoreError::Write {
            path: self.path_buf(),
            source,
        }
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

/// `name` in the app's OS config directory (`$XDG_CONFIG_HOME/tictactoe` on Linux,
/// `%APPDATA%\tictactoe\config` on Windows), or `None` without a home directory.
pub(crate) fn config_file(name: &str) -> Option<PathBuf> {
    project_dirs().map(|dirs| dirs.config_dir().join(name))
}

/// `name` in the app's OS data directory (`$XDG_DATA_HOME/tictactoe` on Linux,
/// `%APPDATA%\tictactoe\data` on Windows), or `None` without a home directory.
pub(crate) fn data_file(name: &str) -> Option<PathBuf> {
    project_dirs().map(|dirs| dirs.data_dir().join(name))
}

fn project_dirs() -> Option<directories::ProjectDirs> {
    directories::ProjectDirs::from("", "", "tictactoe")
}

/// Writes `bytes` to `path` atomically: a temporary file in the same directory (created if
/// missing), synced, then renamed over `path`. A failure leaves `path` as it was.
pub(crate) fn replace_atomically(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let dir = path.parent().unwrap_or_else(|| Path::new("."));
    std::fs::create_dir_all(dir)?;
    let name = path
        .file_name()
        .map_or_else(|| "file".into(), |n| n.to_string_lossy().into_owned());
    let tmp = dir.join(format!(".{name}.tmp-{}", std::process::id()));
    let written = (|| {
        let mut file = std::fs::File::create(&tmp)?;
        file.write_all(bytes)?;
        file.sync_all()?;
        std::fs::rename(&tmp, path)
    })();
    if written.is_err() {
        // Best effort: a stray temporary file is harmless, so a failure here is not reported.
        let _removed = std::fs::remove_file(&tmp);
    }
    written
}

/// Renames `path` to `<name>.bad-<unix seconds>` (with a counter if that exists) and returns the
/// new path. Files that cannot be read are kept this way, never deleted.
pub(crate) fn move_aside(path: &Path) -> std::io::Result<PathBuf> {
    let bad = bad_name(path);
    std::fs::rename(path, &bad)?;
    Ok(bad)
}

/// `<name>.bad-<unix seconds>` beside `path`, with a counter if that exists already.
fn bad_name(path: &Path) -> PathBuf {
    let seconds = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let name = path
        .file_name()
        .map_or_else(|| "file".into(), |n| n.to_string_lossy().into_owned());
    let mut bad = path.with_file_name(format!("{name}.bad-{seconds}"));
    let mut counter = 1;
    while bad.exists() {
        bad = path.with_file_name(format!("{name}.bad-{seconds}-{counter}"));
        counter += 1;
    }
    bad
}
