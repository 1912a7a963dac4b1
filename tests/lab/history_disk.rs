//! The history on a disk that is full or read-only: a repair that cannot finish, and a game that
//! cannot be added, leave every game that was readable before readable after.
//!
//! These tests mount a 64 KiB tmpfs of their own, so they need root: on CI a machine that
//! cannot mount one fails them; elsewhere they say they are skipped.

#![expect(clippy::unwrap_used, reason = "a test fails loudly")]

use std::path::{Path, PathBuf};
use std::process::Command;

use jiff::Timestamp;
use tictactoe::game::{Cell, Player};
use tictactoe::record::{Ending, Mode, Record};
use tictactoe::store::HistoryStore;

/// A tmpfs of 64 KiB mounted on a fresh folder, unmounted when dropped.
struct SmallDisk {
    dir: tempfile::TempDir,
}

impl SmallDisk {
    /// Mounts one, or `None` when this machine cannot (see [`crate::support::skipped`]).
    fn mount() -> Option<Self> {
        if !rustix::process::getuid().is_root() {
            crate::support::skipped(Some("needs root to mount a small disk".to_owned()));
            return None;
        }
        let dir = tempfile::tempdir().unwrap();
        let mounted = Command::new("mount")
            .args(["-t", "tmpfs", "-o", "size=64k", "tmpfs"])
            .arg(dir.path())
            .status();
        match mounted {
            Ok(status) if status.success() => Some(Self { dir }),
            other => {
                crate::support::skipped(Some(format!("could not mount a tmpfs ({other:?})")));
                None
            }
        }
    }

    fn path(&self) -> &Path {
        self.dir.path()
    }

    fn read_only(&self) {
        let status = Command::new("mount")
            .args(["-o", "remount,ro"])
            .arg(self.path())
            .status()
            .unwrap();
        assert!(status.success());
    }
}

impl Drop for SmallDisk {
    fn drop(&mut self) {
        let _unmounted = Command::new("umount").arg(self.dir.path()).status();
    }
}

fn game(n: i64) -> Record {
    let moves: Vec<Cell> = [1, 4, 2, 5, 3]
        .iter()
        .map(|&m| Cell::from_number(m).unwrap())
        .collect();
    Record::new(
        Timestamp::from_second(1_764_180_000 + n).unwrap(),
        Mode::HotSeat,
        ["Ann", "Bob"],
        Player::X,
        &moves,
        Ending::Won,
    )
    .unwrap()
}

/// A history of `count` games with a garbled stretch in the middle, as bytes.
fn damaged_history(count: i64) -> String {
    let mut text = String::new();
    for n in 0..count {
        text.push_str(&game(n).to_text());
        if n == count / 2 {
            text.push_str("tictactoe-record 1\nplayed: garbled\n");
        }
    }
    text
}

fn history_file(disk: &SmallDisk) -> PathBuf {
    disk.path().join("history.txt")
}

/// The games readable in the file now.
fn readable(path: &Path) -> usize {
    HistoryStore::at(path).read().unwrap().records.len()
}

#[test]
fn a_repair_that_does_not_fit_on_the_disk_leaves_the_history_as_it_was() {
    // Two sizes: one whose copy aside does not fit, one whose copy fits and rewrite does not.
    for count in [300, 215] {
        let Some(disk) = SmallDisk::mount() else {
            return;
        };
        let path = history_file(&disk);
        let text = damaged_history(count);
        std::fs::write(&path, &text).unwrap();
        let before = readable(&path);
        assert_eq!(before, usize::try_from(count).unwrap());

        let mut store = HistoryStore::at(&path);
        let loaded = store.load();
        let notice = loaded.notice.unwrap();
        assert!(
            notice.contains("could not be repaired"),
            "{count}: {notice}"
        );
        assert_eq!(loaded.records.len(), before);
        assert_eq!(
            std::fs::read_to_string(&path).unwrap(),
            text,
            "the file is untouched"
        );
        assert_eq!(readable(&path), before);
        // No half-made copy or temporary file is left to fill the disk further.
        let left: Vec<_> = std::fs::read_dir(disk.path()).unwrap().collect();
        assert_eq!(left.len(), 1, "{left:?}");
        // Recording is off for the run: nothing is appended to the damaged file.
        assert!(store.append(&game(999)).is_err());
        assert_eq!(readable(&path), before);
    }
}

#[test]
fn a_game_added_to_a_full_disk_is_refused_and_the_others_stay_readable() {
    let Some(disk) = SmallDisk::mount() else {
        return;
    };
    let path = history_file(&disk);
    let store = HistoryStore::at(&path);
    let mut added = 0;
    let mut refused = false;
    for n in 0..1000 {
        if store.append(&game(n)).is_ok() {
            added += 1;
        } else {
            refused = true;
            break;
        }
    }
    assert!(refused, "a 64 KiB disk took {added} games");
    // At most the game being written is lost; every game added before it reads.
    let read = HistoryStore::at(&path).read().unwrap();
    assert_eq!(read.records.len(), added);
}

#[test]
fn a_history_on_a_read_only_disk_is_read_and_left_alone() {
    let Some(disk) = SmallDisk::mount() else {
        return;
    };
    let path = history_file(&disk);
    let text = damaged_history(40);
    std::fs::write(&path, &text).unwrap();
    disk.read_only();
    let mut store = HistoryStore::at(&path);
    let loaded = store.load();
    assert_eq!(loaded.records.len(), 40);
    assert!(
        loaded.notice.unwrap().contains("could not be repaired"),
        "the repair is reported"
    );
    assert!(store.append(&game(41)).is_err());
    assert_eq!(std::fs::read_to_string(&path).unwrap(), text);
}
