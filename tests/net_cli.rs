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
    /// Its standard input, while the test types into it.
    typing: Option<std::process::ChildStdin>,
}

impl Running {
    fn start(args: &[&str], stdin: Option<&str>) -> Self {
        let home = tempfile::tempdir().unwrap();
        let mut running = Self::start_in(home.path(), args, stdin);
        running.home = Some(home);
        running
    }

    /// Starts `tictactoe ARGS` in `home` with a standard input the test types into, line by line.
    fn start_typing(home: &Path, args: &[&str]) -> Self {
        let mut running = Self::start_in(home, args, Some(""));
        running.typing = running.child.stdin.take();
        running
    }

    fn type_line(&mut self, line: &str) {
        let pipe = self.typing.as_mut().unwrap();
        writeln!(pipe, "{line}").unwrap();
        pipe.flush().unwrap();
    }

    /// Waits for the board to show `marks` marks and returns its three rows (" X | 2 | 3").
    fn board_with(&mut self, marks: usize) -> Vec<String> {
        let deadline = Instant::now() + LIMIT;
        loop {
            if let Some(board) = last_board(&self.seen)
                && marks_on(&board) == marks
            {
                return board;
            }
            let left = deadline.saturating_duration_since(Instant::now());
            match self.lines.recv_timeout(left) {
                Ok(line) => self.seen.push(line),
                Err(error) => panic!(
                    "no board with {marks} marks ({error}); saw {:#?}",
                    self.seen
                ),
            }
        }
    }

    /// Starts `tictactoe ARGS` with its data and config folders inside `home`.
    fn start_in(home: &Path, args: &[&str], stdin: Option<&str>) -> Self {
        let mut child = Command::new(env!("CARGO_BIN_EXE_tictactoe"))
            .args(args)
            // These tests run on this machine's own network: the host neither lists itself
            // there nor asks its router (tests/reach_netns.rs does, in namespaces of its own).
            .args(if args.first() == Some(&"host") {
                &["--no-router", "--unlisted"][..]
            } else {
                &[]
            })
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
        // Text given is typed and the input then ends; empty text keeps the input open.
        if let Some(text) = stdin.filter(|text| !text.is_empty()) {
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
            typing: None,
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

/// A row of a drawn board (" X | 2 | 3"), also when a prompt went before it on its line.
fn board_row(line: &str) -> Option<String> {
    let row = line.get(line.len().checked_sub(10)?..)?;
    let cells: Vec<char> = row.chars().collect();
    let is_row = cells.len() == 10
        && [0, 2, 4, 6, 8].iter().all(|&i| cells[i] == ' ')
        && [3, 7].iter().all(|&i| cells[i] == '|')
        && [1, 5, 9]
            .iter()
            .all(|&i| matches!(cells[i], 'X' | 'O' | '1'..='9'));
    is_row.then(|| row.to_owned())
}

/// The last whole board drawn in `lines`: three rows with the two lines between them.
fn last_board(lines: &[String]) -> Option<Vec<String>> {
    lines.windows(5).rev().find_map(|w| {
        let rows: Vec<String> = [0, 2, 4].iter().filter_map(|&i| board_row(&w[i])).collect();
        (rows.len() == 3 && w[1] == "---+---+---" && w[3] == "---+---+---").then_some(rows)
    })
}

/// How many marks a drawn board shows.
fn marks_on(board: &[String]) -> usize {
    board
        .iter()
        .flat_map(|row| row.chars())
        .filter(|c| matches!(c, 'X' | 'O'))
        .count()
}

/// The number of a free square on a drawn board.
fn free_cell(board: &[String]) -> char {
    board
        .iter()
        .flat_map(|row| row.chars())
        .find(char::is_ascii_digit)
        .unwrap()
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
    use tictactoe::record::Mode;
    use tictactoe::store::HistoryStore;

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
    let mut chains = Vec::new();
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
            assert!(record.disputes().is_empty());
        }
        chains.push(read.records.iter().map(|r| r.chain()).collect::<Vec<_>>());
    }
    // Both sides' records of each game carry the same chain head: they can be compared.
    assert!(chains[0].iter().all(Option::is_some), "{chains:?}");
    assert_eq!(chains[0], chains[1]);
}

#[test]
fn a_joiner_killed_mid_game_takes_its_seat_back_when_started_again() {
    let (host_home, join_home) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let mut host = Running::start_in(
        host_home.path(),
        &["host", "--port", "0", "--bot", "perfect", "--name", "Hal"],
        None,
    );
    let port = port_of(&host.line_starting("listening on "));
    let addr = format!("127.0.0.1:{port}");
    let args = ["join", addr.as_str(), "--name", "Jo"];
    let mut joiner = Running::start_typing(join_home.path(), &args);
    joiner.line_starting("X: Hal, O: Jo; you play o");
    let board = joiner.board_with(1);
    joiner.type_line(&free_cell(&board).to_string());
    let before = joiner.board_with(3);

    // Killed with no chance to say anything: the host holds the seat.
    joiner.child.kill().unwrap();
    joiner.child.wait().unwrap();
    let mut again = Running::start_typing(join_home.path(), &args);
    again.line_starting("X: Hal, O: Jo; you play o");
    assert_eq!(again.board_with(3), before, "the same game, where it was");
    again.type_line("1\n2\n3\n4\n5\n6\n7\n8\n9");
    drop(again.typing.take());
    let (join_status, join_lines) = again.finish();
    let (host_status, host_lines) = host.finish();
    assert!(join_status.success(), "{join_lines:#?}");
    assert!(host_status.success(), "{host_lines:#?}");
    assert_eq!(results(&host_lines), results(&join_lines));
    assert_eq!(results(&host_lines).len(), 2, "{host_lines:#?}");
    assert!(
        !join_home.path().join("data/tictactoe/seats.json").exists(),
        "the match is over: no seat is kept"
    );
}

#[test]
fn a_joiner_whose_host_vanished_stops_with_the_message_and_status_1() {
    let (host_home, join_home) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let mut host = Running::start_in(
        host_home.path(),
        &["host", "--port", "0", "--bot", "perfect", "--grace", "2"],
        None,
    );
    let port = port_of(&host.line_starting("listening on "));
    let addr = format!("127.0.0.1:{port}");
    let joiner = Command::new(env!("CARGO_BIN_EXE_tictactoe"))
        .args(["join", &addr])
        .env("XDG_DATA_HOME", join_home.path().join("data"))
        .env("HOME", join_home.path())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    host.line_starting("X: Host, O: Guest");
    let killed = Instant::now();
    host.child.kill().unwrap();
    let output = wait_output(joiner);
    let took = killed.elapsed();
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("The host has been gone for") && stderr.contains("the match is over"),
        "{stderr}"
    );
    // Its grace period (2 s) and dead-link time (9 s) after the loss, a second more, and the
    // time of a last attempt.
    assert!(took < Duration::from_secs(20), "gave up after {took:?}");
    assert!(took >= Duration::from_secs(2), "gave up after {took:?}");
}

/// Waits (bounded) for `child` to finish, keeping its stdin open meanwhile.
fn wait_output(mut child: Child) -> std::process::Output {
    let stdin = child.stdin.take();
    let deadline = Instant::now() + LIMIT;
    loop {
        if child.try_wait().unwrap().is_some() {
            drop(stdin);
            return child.wait_with_output().unwrap();
        }
        if Instant::now() > deadline {
            child.kill().unwrap();
            panic!("the joiner did not stop: {:?}", child.wait_with_output());
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
fn a_watcher_prints_the_players_results_and_exits() {
    let mut host = Running::start(
        &[
            "host", "--port", "0", "--bot", "perfect", "--games", "3", "--name", "Hal",
        ],
        None,
    );
    let port = port_of(&host.line_starting("listening on "));
    let addr = format!("127.0.0.1:{port}");
    // The watcher is in before the joiner, so it sees every game.
    let mut watcher = Running::start(&["watch", &addr], None);
    watcher.line_starting("watching");
    let join = Running::start(
        &[
            "join", &addr, "--bot", "medium", "--games", "3", "--name", "Jo",
        ],
        None,
    );
    let (join_status, join_lines) = join.finish();
    let (host_status, host_lines) = host.finish();
    let (watch_status, watch_lines) = watcher.finish();
    assert!(join_status.success(), "{join_lines:#?}");
    assert!(host_status.success(), "{host_lines:#?}");
    assert!(watch_status.success(), "{watch_lines:#?}");
    let host_results = results(&host_lines);
    assert_eq!(host_results.len(), 4, "{host_lines:#?}");
    assert_eq!(results(&watch_lines), host_results, "{watch_lines:#?}");
    assert_eq!(results(&join_lines), host_results);
}

#[test]
fn a_host_without_watchers_refuses_one() {
    let mut host = Running::start(&["host", "--port", "0", "--no-watchers"], None);
    let port = port_of(&host.line_starting("listening on "));
    let watcher = Running::start(&["watch", &format!("127.0.0.1:{port}")], None);
    let (status, lines) = watcher.finish();
    assert_eq!(status.code(), Some(1), "{lines:#?}");
}

#[test]
fn host_and_join_print_the_chat_they_hear() {
    let mut host = Running::start(
        &[
            "host",
            "--port",
            "0",
            "--bot",
            "easy",
            "--games",
            "100000",
            "--watchers-chat",
        ],
        None,
    );
    let port = port_of(&host.line_starting("listening on "));
    let addr = format!("127.0.0.1:{port}");
    let mut join = Running::start(&["join", &addr, "--bot", "easy", "--games", "100000"], None);
    join.line_starting("X: Host, O: Guest");
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        use futures_util::{SinkExt as _, StreamExt as _};
        use tokio_tungstenite::tungstenite::Message;
        let (mut ws, _) = tokio::time::timeout(
            LIMIT,
            tokio_tungstenite::connect_async(format!("ws://{addr}/")),
        )
        .await
        .unwrap()
        .unwrap();
        let hello = r#"{"type":"hello","protocol":1,"app":"raw","name":"Eve","role":"watch"}"#;
        ws.send(Message::text(hello)).await.unwrap();
        let welcome = tokio::time::timeout(LIMIT, ws.next()).await.unwrap();
        assert!(
            welcome
                .unwrap()
                .unwrap()
                .to_text()
                .unwrap()
                .contains("watch_welcome"),
        );
        ws.send(Message::text(r#"{"type":"chat","text":"go\u0007 on"}"#))
            .await
            .unwrap();
        host.line_starting("chat: Eve: go on");
        join.line_starting("chat: Eve: go on");
    });
}
