//! `tictactoe history` and `tictactoe replay`, run as the real binary with the data directory
//! pointed at a temporary folder.

#![expect(
    clippy::unwrap_used,
    reason = "test helpers: an unwrap that fails is a test that fails"
)]

use crate::support::{against, over_network};
use std::path::Path;
use std::process::Output;

use crate::support::cli::{stderr, stdout};
use crate::support::record;
use tictactoe::game::{Level, Player};
use tictactoe::record::{Ending, Mode, Record, Role};
use tictactoe::store::HistoryStore;

/// Runs `tictactoe ARGS` in `home`, with nothing to read.
fn run(home: &Path, args: &[&str]) -> Output {
    crate::support::cli::run(home, args, "")
}

fn seed(home: &Path) -> Vec<Record> {
    let perfect = against(Level::Perfect);
    let net = over_network(Role::Host);
    let games = vec![
        record(
            0,
            perfect,
            ["Ann", "Computer (perfect)"],
            &[1, 5, 9, 3, 7, 4, 6, 8, 2],
            Ending::Draw,
        ),
        record(1, net, ["Ann", "Bob"], &[1, 4, 2, 5, 3], Ending::Won),
        record(
            2,
            net,
            ["Ann", "Bob"],
            &[1],
            Ending::Resigned { player: Player::O },
        ),
        record(
            3,
            Mode::HotSeat,
            ["Cy", "Di"],
            &[1, 2, 5, 3, 9],
            Ending::Won,
        ),
    ];
    let store = HistoryStore::at(home.join("data").join("tictactoe").join("history.txt"));
    for game in &games {
        store.append(game).unwrap();
    }
    games
}

#[test]
fn history_lists_the_newest_games_first() {
    let home = tempfile::tempdir().unwrap();
    let output = run(home.path(), &["history"]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert_eq!(stdout(&output), "No games played yet.\n");

    seed(home.path());
    let output = run(home.path(), &["history", "-n", "3"]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert_eq!(
        stdout(&output),
        "2025-11-26 18:03  X: Cy v O: Di, on this computer: Cy won (three in a row, 5 moves)\n\
         2025-11-26 18:02  X: Ann v O: Bob, hosted over the network: Ann won (Bob resigned, 1 move)\n\
         2025-11-26 18:01  X: Ann v O: Bob, hosted over the network: Ann won (three in a row, 5 moves)\n"
    );
    assert_eq!(stderr(&output), "");
}

#[test]
fn history_stats_counts_each_opponent() {
    let home = tempfile::tempdir().unwrap();
    seed(home.path());
    let output = run(home.path(), &["history", "--stats"]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert_eq!(
        stdout(&output),
        "games: 4, last played 2025-11-26 18:03\n\
         you: won 2, lost 0, drawn 1, unfinished 0\n\
         current streak: 2 wins; best winning streak: 2\n\
         against:\n  \
         Computer (perfect): won 0, lost 0, drawn 1, unfinished 0; last played 2025-11-26 18:00\n  \
         Bob: won 2, lost 0, drawn 0, unfinished 0; last played 2025-11-26 18:02\n\
         on this computer:\n  \
         Cy 1 – 0 Di, drawn 0; last played 2025-11-26 18:03\n"
    );
}

#[test]
fn history_reports_a_damaged_game_and_lists_the_rest() {
    let home = tempfile::tempdir().unwrap();
    seed(home.path());
    let path = home.path().join("data/tictactoe/history.txt");
    let mut text = std::fs::read_to_string(&path).unwrap();
    text.push_str("tictactoe-record 1\nplayed: 2025-11-26T18:09:00Z\nmode: hot-se");
    std::fs::write(&path, &text).unwrap();
    let output = run(home.path(), &["history"]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert_eq!(stdout(&output).lines().count(), 4);
    let err = stderr(&output);
    assert!(
        err.contains("history.txt: line 45: \"hot-se\" is not a valid mode"),
        "{err}"
    );
    // Reading never changes the file.
    assert_eq!(std::fs::read_to_string(&path).unwrap(), text);
}

#[test]
fn replay_shows_each_move_and_the_result() {
    let home = tempfile::tempdir().unwrap();
    let game = record(
        0,
        Mode::Network {
            role: Role::Joiner,
            you: Player::O,
        },
        ["Ann", "Bob"],
        &[5, 1, 9],
        Ending::Abandoned { player: Player::O },
    );
    let file = home.path().join("game.txt");
    std::fs::write(&file, game.to_text()).unwrap();
    let output = run(home.path(), &["replay", file.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let out = stdout(&output);
    assert!(
        out.starts_with(
            "X: Ann v O: Bob, joined over the network, 2025-11-26 18:00\nX moves first.\n"
        ),
        "{out}"
    );
    assert!(
        out.contains("move 2: O on 1 (top left)\n O | 2 | 3\n"),
        "{out}"
    );
    assert!(out.contains("move 3: X on 9 (bottom right)\n"), "{out}");
    assert!(
        out.ends_with(" O | 2 | 3\n---+---+---\n 4 | X | 6\n---+---+---\n 7 | 8 | X\n\nAnn won: Bob stayed away.\nresult: x wins\n"),
        "{out}"
    );
}

#[test]
fn replay_of_a_bad_file_names_the_line_and_fails() {
    let home = tempfile::tempdir().unwrap();
    let good = record(
        0,
        Mode::HotSeat,
        ["Ann", "Bob"],
        &[1, 4, 2, 5, 3],
        Ending::Won,
    )
    .to_text();
    for (text, message) in [
        (
            good.replace("moves: 1 4 2 5 3", "moves: 1 4 2 4 3"),
            "line 7: move 4 (4) is illegal: cell 4 is already taken by O",
        ),
        (
            good.replace("tictactoe-record 1", "tictactoe-record 7"),
            "line 1: this record uses format version 7",
        ),
        (
            good.lines().take(5).collect::<Vec<_>>().join("\n"),
            "line 6: the record ends too early: the \"first:\" line is missing",
        ),
        (
            good.replace("moves: 1 4 2 5 3", "moves: 1 4 2 5 33"),
            "line 7: move 5 is not a cell",
        ),
    ] {
        let file = home.path().join("bad.txt");
        std::fs::write(&file, &text).unwrap();
        let output = run(home.path(), &["replay", file.to_str().unwrap()]);
        assert_eq!(output.status.code(), Some(1), "{text}");
        assert_eq!(stdout(&output), "");
        let err = stderr(&output);
        assert!(err.contains(message), "{err}");
        assert!(err.starts_with(file.to_str().unwrap()), "{err}");
        assert_eq!(err.lines().count(), 1, "{err}");
    }
    let output = run(home.path(), &["replay", "no-such-file.txt"]);
    assert_eq!(output.status.code(), Some(1));
    assert!(stderr(&output).contains("could not read the file"));
}
