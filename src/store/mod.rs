//! Everything the app keeps on disk, in one [`Store`].
//!
//! The settings, the history of every game, the unfinished match at this computer, the seats of
//! joined matches, the host's key, and saved games with the app's own games folder.
//!
//! Layout:
//! - [`file`](mod@file): [`FileStore`], one file of one [`Kind`] in its OS folder (or at a test's path, or
//!   nowhere), written atomically, set aside (never deleted) when it cannot be read; and the one
//!   way each kind is loaded and saved ([`FileStore::read_with`], [`FileStore::save_json`],
//!   [`StoreError`]).
//! - [`settings`]: [`Settings`], what the window remembers between runs ([`SettingsStore`]).
//! - [`history`]: every game played, one record after another ([`HistoryStore`]): appended and
//!   synced, a damaged file repaired with the original kept.
//! - [`unfinished`]: the match at this computer left unfinished ([`SavedMatch`], [`ResumeStore`]).
//! - [`seats`]: the joiner's seats in hosts' matches ([`Seat`], [`SeatStore`]).
//! - [`keys`]: the host's key for the peer-to-peer path and a relay's certificate ([`KeyStore`]).
//! - [`games`]: one game in a file of its own ([`read_file`], [`write_file`]) and the games
//!   folder ([`GamesFolder`]).
//!
//! Formats come from elsewhere: a record's text is [`crate::record`]'s, a match's events
//! [`crate::game`]'s. Owns no UI and no network: never imports egui, eframe, tokio or `net`.

pub mod file;
pub mod games;
pub mod history;
pub mod keys;
pub mod seats;
pub mod settings;
pub mod unfinished;

pub use file::{FileKind, FileStore, Folder, Found, Kind, StoreError};
pub use games::{GameFileError, GamesFolder, MAX_RECORD_BYTES, read_file, write_file};
pub use history::{HistoryStore, LoadedHistory, ReadHistory};
pub use keys::KeyStore;
pub use seats::{Seat, SeatStore};
pub use settings::{
    LoadedSettings, RelayChoice, RelaySetting, Settings, SettingsStore, ThemeChoice,
};
pub use unfinished::{ResumeStore, SavedMatch, SavedMode};

/// Every file the app keeps, each in its place.
#[derive(Clone, Debug)]
pub struct Store {
    /// The settings.
    pub settings: SettingsStore,
    /// The history of every game played.
    pub history: HistoryStore,
    /// The match at this computer left unfinished.
    pub unfinished: ResumeStore,
    /// The seats of joined matches.
    pub seats: SeatStore,
    /// Where games are saved, and opened from, when the desktop shows no file chooser.
    pub games: GamesFolder,
    /// The host's key on the peer-to-peer path.
    pub keys: KeyStore,
}

impl Store {
    /// Every file in its OS folder (`$XDG_CONFIG_HOME/tictactoe` and `$XDG_DATA_HOME/tictactoe`
    /// on Linux); without a home directory nothing is kept.
    #[must_use]
    pub fn from_os() -> Self {
        Self {
            settings: SettingsStore::from_os(),
            history: HistoryStore::from_os(),
            unfinished: ResumeStore::from_os(),
            seats: SeatStore::from_os(),
            games: GamesFolder::from_os(),
            keys: KeyStore::from_os(),
        }
    }

    /// A store that keeps nothing: every file in memory only, no games folder, and a new host
    /// key each time one is asked for.
    #[must_use]
    pub const fn in_memory() -> Self {
        Self {
            settings: SettingsStore::in_memory(),
            history: HistoryStore::in_memory(),
            unfinished: ResumeStore::in_memory(),
            seats: SeatStore::in_memory(),
            games: GamesFolder::at(None),
            keys: KeyStore::in_memory(),
        }
    }
}
