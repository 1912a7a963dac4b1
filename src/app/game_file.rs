//! Saving one game to a file and opening one, in the record text format of
//! `docs/RECORD-FORMAT.md`.
//!
//! The window asks for a file through the system's file chooser: on Linux the desktop portal
//! (`org.freedesktop.portal.FileChooser`, through `ashpd`), elsewhere the system's own dialog
//! (through `rfd`). The dialog runs as a task on one runtime kept for the whole process, so the
//! window never waits on it and the portal's connection, opened by the first dialog, still has
//! its runtime for every later one; the task also reads or writes the file and sends back one
//! [`FileEvent`], which `App::logic` hands on as a [`SystemEvent`](super::SystemEvent).
//!
//! A desktop with no file chooser answers [`FileEvent::NoChooser`]: the window then saves into
//! its own games folder ([`save_into`]) and says where, and opens from a list of that folder's
//! files or a typed path. Everything beneath the dialog ([`open_file`], [`save_file`],
//! [`save_into`], and the store's [`GamesFolder`]) is plain and tested without a display. A file that is not a
//! valid record gives a message naming the line and the problem; it never crashes.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use std::sync::mpsc::{Receiver, TryRecvError, sync_channel};

use crate::net::Wake;
use crate::record::Record;
use crate::store::games::{SaveError, suggested_name};
use crate::store::{GameFileError, GamesFolder, read_file, write_file};

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
    /// This desktop shows no file chooser (why, for the player); what was wanted comes back
    /// with it, to be done without one.
    NoChooser {
        /// Why, in words: "no desktop portal answers (…)".
        why: String,
        /// What the player asked for.
        wanted: Wanted,
    },
    /// The dialog could not be shown: what went wrong, for the player.
    Failed(String),
}

/// What a file dialog was shown for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Wanted {
    /// A game to open.
    Open,
    /// A place to save this game.
    Save(Box<Record>),
}

/// A dialog being shown, and the one event it will send back.
#[derive(Debug)]
pub struct FileDialog {
    events: Receiver<FileEvent>,
}

/// The runtime every dialog runs on, started by the first and kept for the process: the
/// portal's connection is shared by every dialog and lives on the runtime that opened it.
fn runtime() -> Result<&'static tokio::runtime::Runtime, String> {
    static RUNTIME: OnceLock<Result<tokio::runtime::Runtime, String>> = OnceLock::new();
    RUNTIME
        .get_or_init(|| {
            tokio::runtime::Builder::new_multi_thread()
                .worker_threads(1)
                .thread_name("tictactoe-file-dialog")
                .enable_all()
                .build()
                .map_err(|error| format!("The file dialog could not be shown ({error})."))
        })
        .as_ref()
        .map_err(Clone::clone)
}

impl FileDialog {
    /// Shows the system's dialog to choose a game to open; the chosen file is read and parsed
    /// there. `wake` is called once the event is ready.
    pub fn open(wake: Wake) -> Result<Self, FileEvent> {
        Self::start(wake, async move {
            match chooser::pick_file().await {
                Ok(Some(path)) => open_file(&path),
                Ok(None) => FileEvent::Cancelled,
                Err(why) => FileEvent::NoChooser {
                    why,
                    wanted: Wanted::Open,
                },
            }
        })
    }

    /// Shows the system's dialog to choose where to save `record`, then writes it there.
    pub fn save(record: Record, wake: Wake) -> Result<Self, FileEvent> {
        Self::start(wake, async move {
            match chooser::save_file(&suggested_name(&record)).await {
                Ok(Some(path)) => save_file(&path, &record),
                Ok(None) => FileEvent::Cancelled,
                Err(why) => FileEvent::NoChooser {
                    why,
                    wanted: Wanted::Save(Box::new(record)),
                },
            }
        })
    }

    /// Runs `show` (a dialog, then the file's I/O) on the dialogs' runtime.
    fn start(
        wake: Wake,
        show: impl Future<Output = FileEvent> + Send + 'static,
    ) -> Result<Self, FileEvent> {
        let runtime = runtime().map_err(FileEvent::Failed)?;
        let (sender, events) = sync_channel(1);
        runtime.spawn(async move {
            let event = show.await;
            // The window may have closed meanwhile; then nobody needs the answer.
            let _sent = sender.try_send(event);
            wake();
        });
        Ok(Self { events })
    }

    /// The dialog's event, once it has come back; `Some(Failed)` if its task ended without one.
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

/// The desktop portal's file chooser: `Ok(None)` when the player cancelled, `Err(why)` when no
/// portal answers.
#[cfg(target_os = "linux")]
mod chooser {
    use std::path::PathBuf;
    use std::time::Duration;

    use ashpd::desktop::ResponseError;
    use ashpd::desktop::file_chooser::{FileFilter, SelectedFiles};

    fn filters() -> [FileFilter; 2] {
        [
            FileFilter::new("Tic-Tac-Toe game").glob("*.txt"),
            FileFilter::new("Any file").glob("*"),
        ]
    }

    /// The first file chosen, as a local path.
    fn answer(response: Result<SelectedFiles, ashpd::Error>) -> Result<Option<PathBuf>, String> {
        match response {
            Ok(files) => Ok(files.uris().iter().find_map(|uri| uri.to_file_path().ok())),
            Err(ashpd::Error::Response(ResponseError::Cancelled)) => Ok(None),
            Err(error) => Err(why(&error)),
        }
    }

    fn why(error: &ashpd::Error) -> String {
        format!("no desktop portal offers a file chooser here ({error})")
    }

    /// How long the portal has to take the request; the player's choice after that may take as
    /// long as it likes.
    const ANSWER_WITHIN: Duration = Duration::from_secs(10);

    /// Sends the request, giving up if the portal does not take it in time.
    async fn sent<T>(request: impl Future<Output = Result<T, ashpd::Error>>) -> Result<T, String> {
        match tokio::time::timeout(ANSWER_WITHIN, request).await {
            Ok(sent) => sent.map_err(|error| why(&error)),
            Err(_) => Err(format!(
                "the desktop portal did not answer within {} s",
                ANSWER_WITHIN.as_secs()
            )),
        }
    }

    pub async fn pick_file() -> Result<Option<PathBuf>, String> {
        let request = SelectedFiles::open_file()
            .title("Open a game")
            .modal(true)
            .multiple(false)
            .filters(filters())
            .send();
        answer(sent(request).await?.response())
    }

    pub async fn save_file(name: &str) -> Result<Option<PathBuf>, String> {
        let request = SelectedFiles::save_file()
            .title("Save the game")
            .modal(true)
            .current_name(name)
            .filters(filters())
            .send();
        answer(sent(request).await?.response())
    }
}

/// The system's own file dialog: `Ok(None)` when the player cancelled.
#[cfg(not(target_os = "linux"))]
mod chooser {
    use std::path::PathBuf;

    fn dialog(title: &str) -> rfd::AsyncFileDialog {
        rfd::AsyncFileDialog::new()
            .set_title(title)
            .add_filter("Tic-Tac-Toe game", &["txt"])
            .add_filter("Any file", &["*"])
    }

    pub async fn pick_file() -> Result<Option<PathBuf>, String> {
        Ok(dialog("Open a game")
            .pick_file()
            .await
            .map(|file| file.path().to_owned()))
    }

    pub async fn save_file(name: &str) -> Result<Option<PathBuf>, String> {
        Ok(dialog("Save the game")
            .set_file_name(name)
            .save_file()
            .await
            .map(|file| file.path().to_owned()))
    }
}

/// Saves `record` into the games folder and says where, or says why not (`why` there is no
/// chooser, when there is no folder either).
#[must_use]
pub fn save_into(folder: &GamesFolder, record: &Record, why: &str) -> FileEvent {
    FileEvent::Saved(match folder.save(record) {
        Ok(Some(path)) => Ok(path),
        Ok(None) => Err(format!(
            "The game could not be saved: {why}, and this system has no folder for saved games."
        )),
        Err(SaveError::Write(error)) => Err(not_saved(&error)),
        Err(error) => Err(error.to_string()),
    })
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
    let result = read_file(path)
        .map(Box::new)
        .map_err(|error| format!("{name} could not be opened: {}", error.problem()));
    FileEvent::Opened { name, result }
}

/// Writes `record` to `path` atomically (a temporary file, then a rename).
#[must_use]
pub fn save_file(path: &Path, record: &Record) -> FileEvent {
    FileEvent::Saved(
        write_file(path, record)
            .map(|()| path.to_owned())
            .map_err(|error| not_saved(&error)),
    )
}

/// "The game could not be saved to …: …".
fn not_saved(error: &GameFileError) -> String {
    let path = match error {
        GameFileError::Read { path, .. }
        | GameFileError::TooLarge { path, .. }
        | GameFileError::NotText { path, .. }
        | GameFileError::Invalid { path, .. }
        | GameFileError::Write { path, .. } => path,
    };
    format!(
        "The game could not be saved to {}: {}",
        path.display(),
        error.problem()
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
