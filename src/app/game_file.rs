//! Saving one game to a file and opening one, in the record text format of
//! `docs/RECORD-FORMAT.md`.
//!
//! The window asks for a file through the system's file dialog on a named thread of its own, so
//! the window never waits on it; that thread also reads or writes the file and sends back one
//! [`FileEvent`], which `App::logic` turns into an [`Action`](super::Action). Everything beneath
//! the dialog ([`open_file`], [`save_file`]) is plain and tested without a display. A file that is
//! not a valid record gives a message naming the line and the problem; it never crashes.

use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, TryRecvError, sync_channel};

use crate::net::Wake;
use crate::record::Record;

/// The largest file opened as a game, in bytes; a record is a few hundred.
pub const MAX_FILE_BYTES: u64 = crate::record::MAX_RECORD_BYTES;

/// What came back from a file dialog.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FileEvent {
    /// A file was chosen to open and read: its name, and the game or what was wrong.
    Opened {
        /// The file's name, shown as the replay's title.
        name: String,
        /// The game, or a message for the player naming the file, the line and the problem.
        result: Result<Box<Record>, String>,
    },
    /// A game was saved: where, or a message for the player saying what went wrong.
    Saved(Result<PathBuf, String>),
    /// The dialog was closed without choosing a file.
    Cancelled,
    /// The dialog could not be shown: what went wrong, for the player.
    Failed(String),
}

/// A dialog running on its own thread, and the one event it will send back.
#[derive(Debug)]
pub struct FileDialog {
    events: Receiver<FileEvent>,
}

impl FileDialog {
    /// Shows the system's dialog to choose a game to open; the chosen file is read and parsed on
    /// the dialog's thread. `wake` is called once the event is ready.
    pub fn open(wake: Wake) -> Result<Self, FileEvent> {
        Self::start(wake, |dialog| async move {
            let picked = dialog.set_title("Open a game").pick_file().await;
            picked.map_or(FileEvent::Cancelled, |file| open_file(file.path()))
        })
    }

    /// Shows the system's dialog to choose where to save `record`, then writes it there.
    pub fn save(record: Record, wake: Wake) -> Result<Self, FileEvent> {
        Self::start(wake, move |dialog| async move {
            let picked = dialog
                .set_title("Save the game")
                .set_file_name(suggested_name(&record))
                .save_file()
                .await;
            picked.map_or(FileEvent::Cancelled, |file| save_file(file.path(), &record))
        })
    }

    /// Runs `show` (a dialog, then the file's I/O) on a named thread with a small runtime of its
    /// own: the portal behind the dialog is asynchronous, and the window must not wait for it.
    fn start<F, Fut>(wake: Wake, show: F) -> Result<Self, FileEvent>
    where
        F: FnOnce(rfd::AsyncFileDialog) -> Fut + Send + 'static,
        Fut: Future<Output = FileEvent>,
    {
        let (sender, events) = sync_channel(1);
        let spawned = std::thread::Builder::new()
            .name("tictactoe-file-dialog".to_owned())
            .spawn(move || {
                let event = match tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                {
                    Ok(runtime) => {
                        let dialog = rfd::AsyncFileDialog::new()
                            .add_filter("Tic-Tac-Toe game", &["txt"])
                            .add_filter("Any file", &["*"]);
                        runtime.block_on(show(dialog))
                    }
                    Err(error) => {
                        FileEvent::Failed(format!("The file dialog could not be shown ({error})."))
                    }
                };
                // The window may have closed meanwhile; then nobody needs the answer.
                let _sent = sender.try_send(event);
                wake();
            });
        match spawned {
            Ok(_thread) => Ok(Self { events }),
            Err(error) => Err(FileEvent::Failed(format!(
                "The file dialog could not be shown ({error})."
            ))),
        }
    }

    /// The dialog's event, once it has come back; `Some(Failed)` if its thread ended without one.
    pub fn try_recv(&self) -> Option<FileEvent> {
        match self.events.try_recv() {
            Ok(event) => Some(event),
            Err(TryRecvError::Empty) => None,
            Err(TryRecvError::Disconnected) => Some(FileEvent::Failed(
                "The file dialog closed unexpectedly.".to_owned(),
            )),
        }
    }
}

/// The name shown for `path`: its file name, or the whole path when it has none.
fn display_name(path: &Path) -> String {
    path.file_name().map_or_else(
        || path.display().to_string(),
        |name| name.to_string_lossy().into_owned(),
    )
}

/// Reads and parses the game at `path`.
#[must_use]
pub fn open_file(path: &Path) -> FileEvent {
    let name = display_name(path);
    let result =
        read_record(path).map_err(|problem| format!("{name} could not be opened: {problem}"));
    FileEvent::Opened { name, result }
}

fn read_record(path: &Path) -> Result<Box<Record>, String> {
    crate::record::read_file(path)
        .map(Box::new)
        .map_err(|error| error.problem())
}

/// Writes `record` to `path` atomically (a temporary file, then a rename).
#[must_use]
pub fn save_file(path: &Path, record: &Record) -> FileEvent {
    FileEvent::Saved(
        crate::record::write_file(path, record)
            .map(|()| path.to_owned())
            .map_err(|error| {
                format!(
                    "The game could not be saved to {}: {}",
                    path.display(),
                    error.problem()
                )
            }),
    )
}

/// The file name a save dialog suggests, such as `tictactoe-2026-11-26-1805.txt`.
#[must_use]
pub fn suggested_name(record: &Record) -> String {
    format!(
        "tictactoe-{}.txt",
        record.played_at().strftime("%Y-%m-%d-%H%M")
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_saved_game_opens_again_and_a_bad_file_names_its_line() {
        let dir = tempfile::tempdir().unwrap();
        let text = "tictactoe-record 1\nplayed: 2026-11-26T18:05:09Z\nmode: hot-seat\n\
                    x: Ann\no: Bob\nfirst: x\nmoves: 1 4 2 5 3\nend: won\nresult: x wins\n";
        let record = Record::parse(text).unwrap();
        let path = dir.path().join(suggested_name(&record));
        assert_eq!(
            save_file(&path, &record),
            FileEvent::Saved(Ok(path.clone()))
        );
        assert_eq!(
            open_file(&path),
            FileEvent::Opened {
                name: "tictactoe-2026-11-26-1805.txt".into(),
                result: Ok(Box::new(record)),
            }
        );

        let bad = dir.path().join("bad.txt");
        std::fs::write(&bad, text.replace("moves: 1 4 2 5 3", "moves: 1 1")).unwrap();
        let FileEvent::Opened {
            result: Err(message),
            ..
        } = open_file(&bad)
        else {
            panic!("a bad file opened");
        };
        assert!(
            message.starts_with("bad.txt could not be opened: line 7: move 2"),
            "{message}"
        );

        let FileEvent::Opened {
            result: Err(message),
            ..
        } = open_file(&dir.path().join("none"))
        else {
            panic!("a missing file opened");
        };
        assert!(
            message.starts_with("none could not be opened: "),
            "{message}"
        );
    }
}
