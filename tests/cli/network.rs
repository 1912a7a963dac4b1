//! `tictactoe host` and `tictactoe join` as separate processes on loopback, bot against bot and a
//! person typing moves from a pipe.

#![expect(clippy::unwrap_used, reason = "test helpers fail loudly")]

use std::io::{BufRead as _, BufReader, Write as _};
use std::path::Path;
use std::process::{Child, ExitStatus, Stdio};

use crate::support::cli::{history_file, tictactoe};
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
        let mut child = tictactoe(home)
            .args(args)
            // These tests run on this machine's own network: the host neither lists itself
            // there nor asks its router (tests/lab/reach.rs does, in namespaces of its own).
            .args(if args.first() == Some(&"host") {
                &["--no-router", "--unlisted"][..]
            } else {
                &[]
            })
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

impl Running {
    /// Starts `tictactoe host --port 0 ARGS` (in `home`, or in a home of its own); it and the
    /// address it listens on.
    fn host(home: Option<&Path>, args: &[&str]) -> (Self, String) {
        let args = [&["host", "--port", "0"], args].concat();
        let mut host = match home {
            Some(home) => Self::start_in(home, &args, None),
            None => Self::start(&args, None),
        };
        let listening = host.line_starting("listening on ");
        let port: u16 = listening.rsplit(':').next().unwrap().parse().unwrap();
        assert_ne!(port, 0);
        (host, format!("127.0.0.1:{port}"))
    }
}

/// Waits for the joiner, then the host, to end; both must succeed. Their lines, joiner's first.
fn both_finish(join: Running, host: Running) -> (Vec<String>, Vec<String>) {
    let (join_status, join_lines) = join.finish();
    let (host_status, host_lines) = host.finish();
    assert!(join_status.success(), "{join_lines:#?}");
    assert!(host_status.success(), "{host_lines:#?}");
    (join_lines, host_lines)
}

fn results(lines: &[String]) -> Vec<&String> {
    lines
        .iter()
        .filter(|l| l.starts_with("result: ") || l.starts_with("match: "))
        .collect()
}

#[test]
fn bot_against_bot_in_two_processes() {
    let (host, addr) = Running::host(None, &["--bot", "perfect", "--games", "4", "--name", "Hal"]);
    let join = Running::start(
        &[
            "join", &addr, "--bot", "medium", "--games", "4", "--name", "Jo",
        ],
        None,
    );
    let (join_lines, host_lines) = both_finish(join, host);
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
    let (mut host, addr) = Running::host(None, &["--bot", "easy", "--seat-code", "4321"]);
    host.line_starting("seat code: 4321");
    // Taken cells are refused and the next line is read: typing 1–9 in order always finishes.
    let typed = "1\n2\n3\n4\n5\n6\n7\n8\n9\n";
    let join = Running::start(&["join", &addr, "--seat-code", "4321"], Some(typed));
    let (join_lines, host_lines) = both_finish(join, host);
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
    let home = crate::support::temp_dir();
    let output = tictactoe(home.path())
        .args(["join", &format!("127.0.0.1:{port}"), "--bot", "easy"])
        .stdin(Stdio::null())
        .output()
        .unwrap();
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("Nobody is hosting"), "{stderr}");
}

/// A scripted host on `listener`, on a thread of its own, that answers every `hello` with a
/// welcome whose snapshot has a mark no version knows.
fn unreadable_host(listener: std::net::TcpListener) {
    use futures_util::{SinkExt as _, StreamExt as _};
    use tokio_tungstenite::tungstenite::Message;
    let welcome = r#"{"type":"welcome","protocol":1,"app":"script","you":"o","token":"t",
        "rules":{"first":"x","ping_ms":2500,"dead_after_ms":9000,"grace_ms":60000},
        "snapshot":{"v":0,"digest":"ca2b57e4e15671f9","state":{"x":"Ann","o":"Bob","game":1,
        "score":{"x_wins":0,"o_wins":0,"draws":0},"first":"z","moves":[],"ended":null,
        "rematch":[],"over":null}}}"#;
    std::thread::Builder::new()
        .name("unreadable-host".to_owned())
        .spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .unwrap();
            runtime.block_on(async move {
                listener.set_nonblocking(true).unwrap();
                let listener = tokio::net::TcpListener::from_std(listener).unwrap();
                while let Ok((tcp, _)) = listener.accept().await {
                    tokio::spawn(async move {
                        let Ok(mut ws) = tokio_tungstenite::accept_async(tcp).await else {
                            return;
                        };
                        if let Some(Ok(Message::Text(_))) = ws.next().await {
                            drop(ws.send(Message::text(welcome)).await);
                        }
                        while let Some(Ok(_)) = ws.next().await {}
                    });
                }
            });
        })
        .unwrap();
}

#[test]
fn joining_a_game_this_version_cannot_read_says_so_and_fails() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    unreadable_host(listener);
    let home = tempfile::tempdir().unwrap();
    let output = tictactoe(home.path())
        .args(["join", &format!("127.0.0.1:{port}"), "--bot", "easy"])
        .stdin(Stdio::null())
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains(
            "The host sent a game this version of Tic-Tac-Toe cannot read. Check that you both have the same version, then join again."
        ),
        "{stderr}"
    );
}

#[test]
fn host_and_join_record_every_game_in_their_own_history() {
    use tictactoe::game::{Player, Role, Verdict};
    use tictactoe::record::Mode;
    use tictactoe::store::HistoryStore;

    let (host_home, join_home) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let (host, addr) = Running::host(
        Some(host_home.path()),
        &["--bot", "perfect", "--games", "3"],
    );
    let join = Running::start_in(
        join_home.path(),
        &["join", &addr, "--bot", "perfect", "--games", "3"],
        None,
    );
    both_finish(join, host);
    let mut chains = Vec::new();
    for (home, role, you) in [
        (&host_home, Role::Host, Player::X),
        (&join_home, Role::Joiner, Player::O),
    ] {
        let read = HistoryStore::at(history_file(home.path())).read().unwrap();
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
    let (host, addr) = Running::host(
        Some(host_home.path()),
        &["--bot", "perfect", "--name", "Hal"],
    );
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
    let (join_lines, host_lines) = both_finish(again, host);
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
    let (mut host, addr) = Running::host(
        Some(host_home.path()),
        &["--bot", "perfect", "--grace", "2"],
    );
    let joiner = tictactoe(join_home.path())
        .args(["join", &addr])
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
    let (host, addr) = Running::host(None, &["--bot", "perfect", "--games", "3", "--name", "Hal"]);
    // The watcher is in before the joiner, so it sees every game.
    let mut watcher = Running::start(&["watch", &addr], None);
    watcher.line_starting("watching");
    let join = Running::start(
        &[
            "join", &addr, "--bot", "medium", "--games", "3", "--name", "Jo",
        ],
        None,
    );
    let (join_lines, host_lines) = both_finish(join, host);
    let (watch_status, watch_lines) = watcher.finish();
    assert!(watch_status.success(), "{watch_lines:#?}");
    let host_results = results(&host_lines);
    assert_eq!(host_results.len(), 4, "{host_lines:#?}");
    assert_eq!(results(&watch_lines), host_results, "{watch_lines:#?}");
    assert_eq!(results(&join_lines), host_results);
}

#[test]
fn twenty_watchers_and_a_joiner_from_one_address_all_get_in() {
    // The host is a person typing: nothing is played before the test types, so every watcher
    // can see the whole match.
    let home = tempfile::tempdir().unwrap();
    let mut host = Running::start_typing(home.path(), &["host", "--port", "0", "--name", "Hal"]);
    let listening = host.line_starting("listening on ");
    let port = listening.rsplit(':').next().unwrap();
    let addr = format!("127.0.0.1:{port}");
    // All from 127.0.0.1, started together: more than the host lets one address open at once.
    let mut watchers: Vec<Running> = (0..20)
        .map(|_| Running::start(&["watch", &addr], None))
        .collect();
    let join = Running::start(&["join", &addr, "--bot", "medium", "--name", "Jo"], None);
    for watcher in &mut watchers {
        watcher.line_starting("watching");
    }
    // The seat went to the joiner, as with nobody watching (the host may have been asked for
    // its move, on the same line, before the joiner came).
    host.board_with(0);
    assert!(
        host.seen
            .iter()
            .any(|line| line.ends_with("X: Hal, O: Jo; you play x")),
        "{:#?}",
        host.seen
    );
    host.type_line("1\n2\n3\n4\n5\n6\n7\n8\n9");
    let (host_status, host_lines) = host.finish();
    let (join_status, join_lines) = join.finish();
    assert!(host_status.success(), "{host_lines:#?}");
    assert!(join_status.success(), "{join_lines:#?}");
    let host_results = results(&host_lines);
    assert_eq!(host_results.len(), 2, "{host_lines:#?}");
    assert_eq!(results(&join_lines), host_results);
    for watcher in watchers {
        let (status, lines) = watcher.finish();
        assert!(status.success(), "{lines:#?}");
        assert_eq!(results(&lines), host_results, "{lines:#?}");
    }
}

#[test]
fn a_host_without_watchers_refuses_one() {
    let (_host, addr) = Running::host(None, &["--no-watchers"]);
    let watcher = Running::start(&["watch", &addr], None);
    let (status, lines) = watcher.finish();
    assert_eq!(status.code(), Some(1), "{lines:#?}");
}

#[test]
fn host_and_join_print_the_chat_they_hear() {
    let (mut host, addr) = Running::host(
        None,
        &["--bot", "easy", "--games", "100000", "--watchers-chat"],
    );
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

#[test]
fn each_bigger_game_between_two_processes_with_a_watcher_and_both_histories() {
    use tictactoe::game::{Player, Variant};
    use tictactoe::store::HistoryStore;

    for (game, title) in [("ultimate", "Ultimate Tic-Tac-Toe"), ("gomoku", "Gomoku")] {
        let variant: Variant = game.parse().unwrap();
        let (host_home, join_home) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
        let (host, addr) = Running::host(
            Some(host_home.path()),
            &[
                "--game", game, "--bot", "medium", "--games", "2", "--name", "Hal",
            ],
        );
        // The watcher is in before the joiner, so it sees every game.
        let mut watcher = Running::start(&["watch", &addr], None);
        watcher.line_starting("watching");
        // The joiner names no game: it learns it from the host.
        let join = Running::start_in(
            join_home.path(),
            &[
                "join", &addr, "--bot", "easy", "--games", "2", "--name", "Jo",
            ],
            None,
        );
        let (join_lines, host_lines) = both_finish(join, host);
        let (watch_status, watch_lines) = watcher.finish();
        assert!(watch_status.success(), "{watch_lines:#?}");
        let the_game = format!("the game: {title}");
        assert!(host_lines.contains(&the_game), "{host_lines:#?}");
        assert!(join_lines.contains(&the_game), "{join_lines:#?}");
        assert!(watch_lines.contains(&the_game), "{watch_lines:#?}");
        let host_results = results(&host_lines);
        assert_eq!(host_results.len(), 3, "{host_lines:#?}");
        assert!(
            host_results[2].starts_with("match: 2 games, "),
            "{host_lines:#?}"
        );
        assert_eq!(results(&join_lines), host_results);
        // The watcher ends with the players' own match line.
        assert_eq!(
            watch_lines.last(),
            host_results.last().copied(),
            "{watch_lines:#?}"
        );

        // Both histories hold the games, of this game, with the same chain heads.
        let mut chains = Vec::new();
        for home in [&host_home, &join_home] {
            let read = HistoryStore::at(history_file(home.path())).read().unwrap();
            assert!(read.damage.is_empty(), "{:?}", read.damage);
            assert_eq!(read.records.len(), 2, "{game}");
            for record in &read.records {
                assert_eq!(record.variant(), variant);
                assert_eq!(record.name(Player::X), "Hal");
            }
            chains.push(read.records.iter().map(|r| r.chain()).collect::<Vec<_>>());
        }
        assert!(chains[0].iter().all(Option::is_some), "{chains:?}");
        assert_eq!(chains[0], chains[1]);
    }
}
