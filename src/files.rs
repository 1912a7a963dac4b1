//! Small file-system helpers shared by everything that keeps files: settings and the game history.
//!
//! Owns no format and no UI: it only moves and replaces files safely.

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::time::{SystemTime, UNIX_EPOCH};

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
    std::fs::rename(path, &bad)?;
    Ok(bad)
}
