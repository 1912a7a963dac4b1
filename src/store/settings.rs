//! What the window remembers between runs, and where it keeps it.
//!
//! It remembers player names, the game last chosen, the computer's level and your mark against
//! it, hints, theme, window size, and the relay a hosted game uses.
//!
//! Settings are a small JSON file in the OS config directory (`$XDG_CONFIG_HOME/tictactoe` on
//! Linux). Writes are atomic (a temporary file in the same directory, then a rename), so a crash
//! never leaves half a file. A file that cannot be read is moved aside, never deleted, and the
//! player is told once. Owns no UI: the window decides how to show a
//! [`LoadedSettings::notice`] and how a [`ThemeChoice`] looks.

use serde::{Deserialize, Serialize};

use super::file::{FileKind, FileStore, Folder, Found, Kind, StoreError};
use crate::game::{Level, Player, Variant};

/// The settings file's name inside the config directory.
pub const FILE_NAME: &str = "settings.json";

/// The smallest window the layout is designed for, in points.
pub const MIN_WINDOW_SIZE: [f32; 2] = [320.0, 440.0];

/// The window size on first start, in points.
pub const DEFAULT_WINDOW_SIZE: [f32; 2] = [480.0, 620.0];

/// The largest window size restored from the file, in points; anything larger is a corrupt value.
const MAX_WINDOW_SIZE: [f32; 2] = [8192.0, 8192.0];

/// Light, dark, or whatever the system uses.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ThemeChoice {
    /// Follow the operating system's light or dark preference.
    #[default]
    System,
    /// Dark text on a light background.
    Light,
    /// Light text on a dark background.
    Dark,
}

impl ThemeChoice {
    /// Every choice, in the order the theme control lists them.
    pub const ALL: [Self; 3] = [Self::System, Self::Light, Self::Dark];

    /// The name shown in the theme control.
    #[must_use]
    pub const fn label(self) -> &'static str {
        match self {
            Self::System => "System",
            Self::Light => "Light",
            Self::Dark => "Dark",
        }
    }
}

/// Which relay a hosted game can be reached through when no direct path works.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum RelayChoice {
    /// The public relays run by iroh's maintainers.
    #[default]
    Public,
    /// The relay at the URL a friend gave ([`RelaySetting::url`]).
    Own,
    /// None: direct paths only.
    Off,
}

impl RelayChoice {
    /// Every choice, in the order the host form lists them.
    pub const ALL: [Self; 3] = [Self::Public, Self::Own, Self::Off];
}

/// The relay a hosted game uses: the choice, and the URL of a friend's relay, kept while
/// another choice is made so that it need not be pasted again.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(default)]
pub struct RelaySetting {
    /// Which relay.
    pub choice: RelayChoice,
    /// The URL of a friend's relay as it was pasted, such as
    /// `https://203.0.113.10:3340/#sha256=…` (may be empty).
    pub url: String,
}

/// Everything remembered between runs. Missing fields take their default, so files written by
/// older or newer versions still load.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Settings {
    /// The name last used for the player placing X (may be empty).
    pub x_name: String,
    /// The name last used for the player placing O (may be empty).
    pub o_name: String,
    /// The name last used when playing the computer (may be empty).
    pub player_name: String,
    /// The game last chosen for a match at this computer, two people or against the computer
    /// (classic in files written before the window offered the bigger games).
    pub game: Variant,
    /// The level last chosen for the computer.
    pub computer_level: Level,
    /// The mark last chosen when playing the computer (X moves first).
    pub player_mark: Player,
    /// Whether empty squares show their perfect-play result.
    pub show_hints: bool,
    /// The chosen theme.
    pub theme: ThemeChoice,
    /// The window's inner size in points when it was last closed.
    pub window_size: Option<[f32; 2]>,
    /// The name last used when playing over the network (may be empty).
    pub net_name: String,
    /// The port last used to host a game, if one was (the protocol's port is offered until
    /// then).
    pub host_port: Option<u16>,
    /// The address last typed to join a game (may be empty).
    pub join_ip_port: String,
    /// Whether hosting asks the router to open the port to the internet (on by default).
    pub router: bool,
    /// Whether marks and the winning line appear in a short animation (on by default; off for
    /// players who want the screen still).
    pub motion: bool,
    /// Whether a short sound says the opponent has moved (on by default).
    pub sound: bool,
    /// The relay a hosted game can be reached through (the public relays by default).
    pub relay: RelaySetting,
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            x_name: String::new(),
            o_name: String::new(),
            player_name: String::new(),
            game: Variant::Classic,
            computer_level: Level::Medium,
            player_mark: Player::X,
            show_hints: false,
            theme: ThemeChoice::System,
            window_size: None,
            net_name: String::new(),
            host_port: None,
            join_ip_port: String::new(),
            router: true,
            motion: true,
            sound: true,
            relay: RelaySetting::default(),
        }
    }
}

/// Settings are kept in the config folder.
impl Kind for Settings {
    const FILE: FileKind = FileKind::new(FILE_NAME, Folder::Config, "settings");
}

impl Settings {
    /// The size to open the window at: the remembered one if it is sensible, else the default.
    #[must_use]
    pub fn window_size(&self) -> [f32; 2] {
        match self.window_size {
            Some([w, h]) if w.is_finite() && h.is_finite() => [
                w.clamp(MIN_WINDOW_SIZE[0], MAX_WINDOW_SIZE[0]),
                h.clamp(MIN_WINDOW_SIZE[1], MAX_WINDOW_SIZE[1]),
            ],
            _ => DEFAULT_WINDOW_SIZE,
        }
    }
}

/// What [`SettingsStore::load`] found.
#[derive(Clone, Debug, PartialEq)]
pub struct LoadedSettings {
    /// The settings to use: the file's, or the defaults.
    pub settings: Settings,
    /// Something the player should be told once, such as "your settings file was unreadable".
    pub notice: Option<String>,
}

/// Where settings live (`$XDG_CONFIG_HOME/tictactoe/settings.json` on Linux,
/// `%APPDATA%\tictactoe\config\settings.json` on Windows), and the one way to read and write
/// them.
pub type SettingsStore = FileStore<Settings>;

impl SettingsStore {
    /// Reads the settings. A missing file means defaults. A file that cannot be read or parsed is
    /// renamed to `settings.json.bad-<unix seconds>` and defaults are used, with a notice for the
    /// player; if even the rename fails, saving is switched off so the file is never overwritten.
    pub fn load(&mut self) -> LoadedSettings {
        let parse = |bytes: &[u8]| serde_json::from_slice(bytes).map_err(|e| e.to_string());
        let notice = match self.read_with(parse) {
            Found::Nothing => None,
            Found::Good(settings) => {
                return LoadedSettings {
                    settings,
                    notice: None,
                };
            }
            Found::SetAside {
                problem,
                moved: Ok(bad),
            } => Some(format!(
                "Your settings could not be read ({problem}), so the defaults are in use. The \
                 old file was kept as {}.",
                bad.display()
            )),
            Found::SetAside {
                problem,
                moved: Err(_),
            } => Some(format!(
                "Your settings at {} could not be read ({problem}), so the defaults are in use. \
                 They will not be saved this time, so the file stays as it is.",
                self.path_text()
            )),
        };
        LoadedSettings {
            settings: Settings::default(),
            notice,
        }
    }

    /// Writes the settings atomically: a temporary file in the same directory, synced, then
    /// renamed over the old one.
    pub fn save(&self, settings: &Settings) -> Result<(), StoreError> {
        self.save_json(settings)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn missing_file_means_defaults_and_no_notice() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = SettingsStore::at(dir.path().join("nested").join(FILE_NAME));
        let loaded = store.load();
        assert_eq!(loaded.settings, Settings::default());
        assert_eq!(loaded.notice, None);
    }

    #[test]
    fn save_then_load_round_trips_and_leaves_no_temporary_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("nested").join(FILE_NAME);
        let mut store = SettingsStore::at(&path);
        let settings = Settings {
            x_name: "Ann".into(),
            o_name: "Bob".into(),
            player_name: "Cy".into(),
            game: Variant::Gomoku,
            computer_level: Level::Perfect,
            player_mark: Player::O,
            show_hints: true,
            theme: ThemeChoice::Dark,
            window_size: Some([600.0, 700.0]),
            net_name: "Di".into(),
            host_port: Some(9000),
            join_ip_port: "192.168.1.5:9000".into(),
            router: false,
            motion: false,
            sound: false,
            relay: RelaySetting {
                choice: RelayChoice::Own,
                url: "https://203.0.113.10:3340/".into(),
            },
        };
        store.save(&settings).unwrap();
        assert_eq!(store.load().settings, settings);
        let names: Vec<_> = std::fs::read_dir(path.parent().unwrap())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names, [FILE_NAME]);
    }

    #[test]
    fn unknown_and_missing_fields_are_tolerated() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(FILE_NAME);
        std::fs::write(&path, r#"{"x_name": "Ann", "from_the_future": 1}"#).unwrap();
        let loaded = SettingsStore::at(&path).load();
        assert_eq!(loaded.notice, None);
        assert_eq!(loaded.settings.x_name, "Ann");
        assert_eq!(loaded.settings.theme, ThemeChoice::System);
        assert_eq!(loaded.settings.game, Variant::Classic);
    }

    #[test]
    fn window_size_is_clamped_to_something_usable() {
        let mut settings = Settings::default();
        assert_eq!(settings.window_size(), DEFAULT_WINDOW_SIZE);
        settings.window_size = Some([10.0, f32::INFINITY]);
        assert_eq!(settings.window_size(), DEFAULT_WINDOW_SIZE);
        settings.window_size = Some([10.0, 100_000.0]);
        assert_eq!(settings.window_size(), [MIN_WINDOW_SIZE[0], 8192.0]);
    }
}
