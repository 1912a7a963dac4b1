//! The keys this computer keeps for the peer-to-peer path.
//!
//! The host's secret key (its public
//! half is in every invite link it makes, so a host started again is still the host of its
//! links) and, for `tictactoe relay`, the relay's certificate (its fingerprint is in the relay's
//! URL). Both in the OS data folder; a file that cannot be read is set aside and a new key made.

use std::path::{Path, PathBuf};

use super::file::{data_file, move_aside, replace_atomically};

/// The host key's file name inside the data folder.
pub const HOST_KEY_FILE: &str = "host-key";

/// The relay certificate's file name inside the data folder.
pub const RELAY_CERT_FILE: &str = "relay-cert";

/// Where the host's secret key is kept.
#[derive(Clone, Debug)]
pub struct KeyStore {
    path: Option<PathBuf>,
}

impl KeyStore {
    /// The key in the OS data folder (nowhere without a home directory).
    #[must_use]
    pub fn from_os() -> Self {
        Self {
            path: data_file(HOST_KEY_FILE),
        }
    }

    /// A key kept nowhere: a new one each time it is asked for (a window that keeps nothing).
    #[must_use]
    pub const fn in_memory() -> Self {
        Self { path: None }
    }

    /// The key at an explicit path (tests).
    #[must_use]
    pub fn at(path: impl Into<PathBuf>) -> Self {
        Self {
            path: Some(path.into()),
        }
    }

    /// The key kept, or a new one from `make`, kept from now on.
    pub fn load_or_make(&self, make: impl FnOnce() -> [u8; 32]) -> [u8; 32] {
        let Some(path) = &self.path else {
            return make();
        };
        if let Ok(text) = std::fs::read_to_string(path) {
            if let Some(key) = unhex32(text.trim()) {
                return key;
            }
            tracing::warn!(path = %path.display(), "the host key could not be read: set aside, a new one is made");
            drop(move_aside(path));
        }
        let key = make();
        let text: String = key.iter().map(|byte| format!("{byte:02x}")).collect();
        if let Err(error) = replace_atomically(path, text.as_bytes()) {
            tracing::warn!(%error, path = %path.display(), "the host key could not be kept: invite links change when hosting again");
        } else {
            restrict(path);
        }
        key
    }
}

/// The relay certificate's file in the OS data folder.
#[must_use]
pub fn relay_cert_path() -> Option<PathBuf> {
    data_file(RELAY_CERT_FILE)
}

/// Readable by its owner only (Unix): it is a secret.
fn restrict(path: &Path) {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        drop(std::fs::set_permissions(
            path,
            std::fs::Permissions::from_mode(0o600),
        ));
    }
    #[cfg(not(unix))]
    let _unused = path;
}

/// 64 hexadecimal digits as 32 bytes.
pub(crate) fn unhex32(text: &str) -> Option<[u8; 32]> {
    if text.len() != 64 || !text.is_ascii() {
        return None;
    }
    let mut key = [0u8; 32];
    for (i, byte) in key.iter_mut().enumerate() {
        *byte = u8::from_str_radix(&text[2 * i..2 * i + 2], 16).ok()?;
    }
    Some(key)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_key_made_once_is_kept() {
        let dir = tempfile::tempdir().unwrap();
        let store = KeyStore::at(dir.path().join(HOST_KEY_FILE));
        let first = store.load_or_make(|| [5; 32]);
        assert_eq!(first, [5; 32]);
        assert_eq!(store.load_or_make(|| [6; 32]), [5; 32]);
        std::fs::write(dir.path().join(HOST_KEY_FILE), "not a key").unwrap();
        assert_eq!(store.load_or_make(|| [7; 32]), [7; 32]);
        assert_eq!(store.load_or_make(|| [8; 32]), [7; 32]);
    }
}
