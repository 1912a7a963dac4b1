//! `tictactoe host` and `tictactoe join` as separate processes on loopback, bot against bot and a
//! person typing moves from a pipe.

#![expect(clippy::unwrap_used, reason = "test helpers fail loudly")]

use std::io::{BufRead as _, BufReader, Write as _};
use std::path::Path;
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

const LIMIT: Duration = Duration::from_secs(30);

/// A running process whose stdout lines arrive on a channel.
struct Running {
    child: Child,
    lines: mpsc::Receiver<String>,
    seen: Vec<String>,
    /// The folder its files are kept in, when it has one of its own.
    home: Option<tempfile::TempDir>,
}

impl Running {
    fn start(args: &[&str], stdin: Option<&str>) -> Self {
        let home = tempfile::tempdir().unwrap();
        let mut running = Self::start_in(home.path(), args, stdin);
        running.home = Some(home);
        running
    }

    /// Starts `tictactoe ARGS` with its data and config folders inside `home`.
    fn start_in(home: &Path, args: &[&str], stdin: Option<&str>) -> Self {
        let mut child = Command::new(env!("CARGO_BIN_EXE_tictactoe"))
            .args(args)
            .env("XDG_DATA_HOME", home.join("data"))
            .env("XDG_CONFIG_HOME", home.join("config"))
            .env("HOME", home)
            .stdin(if stdin.is_some() {
                Stdio::piped()
            } else {
                Stdio::null()
            })
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .unwrap();
        if let Some(text) = stdin {
            let mut pipe = child.stdin.take().unwrap();
            pipe.write_all(text.as_bytes()).unwrap();
        }
        let stdout = child.stdout.take().unwrap();
        let (tx, lines) = mpsc::sync_channel(1024);
        std::thread::Builder::new()
            .name("test-stdout".to_owned())
            .spawn(move || {
                for line in BufReader::new(stdout).lines() {
                    let Ok(line) = line else { return };
                    if tx.send(line).is_err() {
                        return;
                    }
                }
            })
            .unwrap();
        Self {
            child,
            lines,
            seen: Vec::new(),
            home: None,
        }
    }

    /// Waits for a line starting with `prefix`.
    fn line_starting(&mut self, prefix: &str) -> String {
        let deadline = Instant::now() + LIMIT;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.lines.recv_timeout(left) {
                Ok(line) => {
                    self.seen.push(line.clone());
                    if line.starts_with(prefix) {
                        return line;
                    }
                }
                Err(error) => panic!("no line {prefix:?} ({error}); saw {:#?}", self.seen),
            }
        }
    }

    /// Waits for the process to end and returns its status and every stdout line.
    fn finish(mut self) -> (ExitStatus, Vec<String>) {
        let deadline = Instant::now() + LIMIT;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.lines.recv_timeout(left) {
                Ok(line) => self.seen.push(line),
                Err(mpsc::RecvTimeoutError::Disconnected) => break,
                Err(mpsc::RecvTimeoutError::Timeout) => {
                    self.child.kill().unwrap();
                    panic!("the process did not finish; saw {:#?}", self.seen);
                }
            }
        }
        // Its stdout is closed: it is exiting.
        (self.child.wait().unwrap(), std::mem::take(&mut self.seen))
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        if matches!(self.child.try_wait(), Ok(None)) {
            let _killed = self.child.kill();
        }
    }
}

fn port_of(listening: &str) -> u16 {
    listening.rsplit(':').next().unwrap().parse().unwrap()
}

fn results(lines: &[String]) -> Vec<&String> {
    lines
        .iter()
        .filter(|l| l.starts_with("result: ") || l.starts_with("match: "))
        .collect()
}

#[test]
fn bot_against_bot_in_two_processes() {
    let mut host = Running::start(
        &[
            "host", "--port", "0", "--bot", "perfect", "--games", "4", "--name", "Hal",
        ],
        None,
    );
    let port = port_of(&host.line_starting("listening on "));
    assert_ne!(port, 0);
    let join = Running::start(
        &[
            "join",
            &format!("127.0.0.1:{port}"),
            "--bot",
            "medium",
            "--games",
            "4",
            "--name",
            "Jo",
        ],
        None,
    );
    let (join_status, join_lines) = join.finish();
    let (host_status, host_lines) = host.finish();
    assert!(join_status.success(), "{join_lines:#?}");
    assert!(host_status.success(), "{host_lines:#?}");
    let host_results = results(&host_lines);
    assert_eq!(host_results, results(&join_lines));
    assert_eq!(host_results.len(), 5, "{host_lines:#?}");
    let last = host_results.last().unwrap();
    assert!(last.starts_with("match: 4 games, x wins "), "{last}");
    // A perfect player never loses: O (medium) wins nothing.
    assert!(last.contains("o wins 0"), "{last}");
    assert!(
        host_lines.iter().any(|l| l == "X: Hal, O: Jo; you play x"),
        "{host_lines:#?}"
    );
}

#[test]
fn a_person_typing_into_join_with_a_seat_code() {
    let mut host = Running::start(
        &[
            "host",
            "--port",
            "0",
            "--bot",
            "easy",
            "--seat-code",
            "4321",
        ],
        None,
    );
    let port = port_of(&host.line_starting("listening on "));
    host.line_starting("seat code: 4321");
    // Taken cells are refused and the next line is read: typing 1–9 in order always finishes.
    let typed = "1\n2\n3\n4\n5\n6\n7\n8\n9\n";
    let join = Running::start(
        &["join", &format!("127.0.0.1:{port}"), "--seat-code", "4321"],
        Some(typed),
    );
    let (join_status, join_lines) = join.finish();
    let (host_status, host_lines) = host.finish();
    assert!(join_status.success(), "{join_lines:#?}");
    assert!(host_status.success(), "{host_lines:#?}");
    assert_eq!(results(&host_lines), results(&join_lines));
    assert!(
        join_lines.iter().any(|l| l.contains("---+---+---")),
        "a board is drawn"
    );
}

#[test]
fn joining_nobody_says_so_and_fails() {
    let port = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        listener.local_addr().unwrap().port()
    };
    let output = Command::new(env!("CARGO_BIN_EXE_tictactoe"))
        .args(["join", &format!("127.0.0.1:{port}"), "--bot", "easy"])
        .stdin(Stdio::null())
        .output()
        .unwrap();
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("Nobody is hosting"), "{stderr}");
}

#[test]
fn host_and_join_record_every_game_in_their_own_history() {
    use tictactoe::game::{Player, Role, Verdict};
    use tictactoe::record::{HistoryStore, Mode};

    let (host_home, join_home) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let mut host = Running::start_in(
        host_home.path(),
        &["host", "--port", "0", "--bot", "perfect", "--games", "3"],
        None,
    );
    let port = port_of(&host.line_starting("listening on "));
    let join = Running::start_in(
        join_home.path(),
        &[
            "join",
            &format!("127.0.0.1:{port}"),
            "--bot",
            "perfect",
            "--games",
            "3",
        ],
        None,
    );
    let (join_status, join_lines) = join.finish();
    let (host_status, host_lines) = host.finish();
    assert!(join_status.success(), "{join_lines:#?}");
    assert!(host_status.success(), "{host_lines:#?}");
    for (home, role, you) in [
        (&host_home, Role::Host, Player::X),
        (&join_home, Role::Joiner, Player::O),
    ] {
        let path = home
            .path()
            .join("data")
            .join("tictactoe")
            .join("history.txt");
        let read = HistoryStore::at(path).read().unwrap();
        assert!(read.damage.is_empty(), "{:?}", read.damage);
        assert_eq!(read.records.len(), 3, "{role:?}");
        for record in &read.records {
            assert_eq!(record.mode(), Mode::Network { role, you });
            assert_eq!(record.verdict(), Verdict::Draw);
            assert_eq!(
                (record.name(Player::X), record.name(Player::O)),
                ("Host", "Guest")
            );
        }
    }
}
