//! `tictactoe play`, run as the real binary with the moves piped into stdin and its data folder in
//! a temporary directory.

use std::path::Path;
use std::process::Output;

use crate::support::cli::{run, stderr, stdout, tictactoe};

/// Runs `tictactoe play ARGS` with `input` on stdin, in a home of its own.
fn play(args: &[&str], input: &str) -> Output {
    let home = crate::support::temp_dir();
    play_in(home.path(), args, input)
}

/// Runs `tictactoe play ARGS` with `input` on stdin, keeping its files in `home`.
fn play_in(home: &Path, args: &[&str], input: &str) -> Output {
    run(home, &[&["play"], args].concat(), input)
}

fn last_line(output: &Output) -> String {
    stdout(output).lines().last().unwrap_or_default().to_owned()
}

/// Checks the game finished with `result` as the last line of stdout and exit status 0.
fn assert_result(output: &Output, result: &str) {
    assert_eq!(output.status.code(), Some(0), "stderr: {}", stderr(output));
    assert_eq!(last_line(output), format!("result: {result}"));
}

/// Checks the game printed `text` on its standard output.
fn assert_shows(output: &Output, text: &str) {
    let out = stdout(output);
    assert!(out.contains(text), "{out}");
}

#[test]
fn hot_seat_x_wins_along_the_top_row() {
    let output = play(&[], "1\n4\n2\n5\n3\n");
    assert_result(&output, "x wins");
    assert_eq!(stderr(&output), "");
    // Piped input gets no prompts: the final board and the result.
    assert!(!stdout(&output).contains("move:"), "{}", stdout(&output));
    assert_shows(&output, " X | X | X");
}

#[test]
fn hot_seat_o_wins_along_the_middle_row() {
    let output = play(&[], "1\n4\n2\n5\n9\n6\n");
    assert_result(&output, "o wins");
    assert_shows(&output, " O | O | O");
}

#[test]
fn hot_seat_draw_fills_the_board() {
    let output = play(&[], "1\n5\n9\n3\n7\n4\n6\n8\n2\n");
    assert_result(&output, "draw");
    let out = stdout(&output);
    assert!(
        !out.chars().any(|c| c.is_ascii_digit()),
        "board full: {out}"
    );
}

#[test]
fn typos_and_taken_cells_are_explained_and_asked_again() {
    // The same game as the top-row win, with a bad line before most moves.
    let output = play(&[], "hello\n1\n1\n0\n4\n10\n\n2\n 5 \n4\n3\n");
    assert_result(&output, "x wins");
    let err = stderr(&output);
    let lines: Vec<&str> = err.lines().collect();
    assert_eq!(lines.len(), 6, "one line per bad input: {err}");
    assert!(lines[0].contains("\"hello\" is not a cell number"), "{err}");
    assert!(lines[1].contains("cell 1 is already taken by X"), "{err}");
    assert!(lines[2].contains("there is no cell 0"), "{err}");
    assert!(lines[3].contains("there is no cell 10"), "{err}");
    assert!(lines[4].contains("1 to 9"), "blank line: {err}");
    assert!(lines[5].contains("cell 4 is already taken by O"), "{err}");
    // The explanation of a taken cell lists the free ones.
    assert!(lines[5].contains("3, 6, 7, 8, 9"), "{err}");
}

#[test]
fn input_that_ends_before_the_game_exits_with_status_2() {
    let output = play(&[], "1\n5\n");
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("input ended"),
        "{}",
        stderr(&output)
    );
    assert!(!stdout(&output).contains("result:"), "{}", stdout(&output));

    let output = play(&[], "");
    assert_eq!(output.status.code(), Some(2));
}

/// Moves that try every cell in order: taken ones are refused, so the person always plays the
/// first free cell and never runs out of input.
const EVERY_CELL: &str = "1\n2\n3\n4\n5\n6\n7\n8\n9\n";

#[test]
fn the_person_never_beats_the_perfect_computer() {
    for person in ["x", "o"] {
        for seed in 0..10 {
            let seed = seed.to_string();
            let output = play(
                &["--computer", "perfect", "--as", person, "--seed", &seed],
                EVERY_CELL,
            );
            assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
            let last = last_line(&output);
            assert!(last.starts_with("result: "), "{last}");
            assert_ne!(last, format!("result: {person} wins"), "seed {seed}");
        }
    }
    // Playing cells 1, 2, 3… as X loses to perfect play: it blocks, then wins.
    let output = play(&["--computer", "perfect", "--seed", "0"], EVERY_CELL);
    assert_result(&output, "o wins");
    assert!(stdout(&output).contains("computer (O) plays "));
}

#[test]
fn as_o_the_computer_moves_first_as_x() {
    let output = play(
        &["--computer", "easy", "--as", "o", "--seed", "3"],
        EVERY_CELL,
    );
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let out = stdout(&output);
    assert!(
        out.lines()
            .next()
            .unwrap()
            .starts_with("computer (X) plays "),
        "{out}"
    );
    assert!(!out.contains("computer (O)"), "{out}");
    assert!(last_line(&output).starts_with("result: "));
}

#[test]
fn the_same_seed_replays_the_same_game() {
    let args = ["--computer", "medium", "--seed", "99"];
    assert_eq!(
        stdout(&play(&args, EVERY_CELL)),
        stdout(&play(&args, EVERY_CELL))
    );
}

#[test]
fn bad_options_are_refused_with_a_reason() {
    let output = play(&["--computer", "impossible"], "");
    assert_ne!(output.status.code(), Some(0));
    let err = stderr(&output);
    assert!(err.contains("easy, medium, hard or perfect"), "{err}");

    let output = play(&["--computer", "PERFECT", "--as", "z"], "");
    assert_ne!(output.status.code(), Some(0));
    assert!(
        stderr(&output).contains("use x or o"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn terminal_games_are_recorded_in_the_history_with_their_mode() {
    let home = tempfile::tempdir().unwrap();
    let history = |args: &[&str]| {
        let output = tictactoe(home.path())
            .arg("history")
            .args(args)
            .output()
            .unwrap();
        assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
        stdout(&output)
    };
    assert_eq!(history(&[]), "No games played yet.\n");

    assert_result(&play_in(home.path(), &[], "1\n4\n2\n5\n3\n"), "x wins");
    let against = ["--computer", "perfect", "--as", "x", "--seed", "0"];
    assert_result(&play_in(home.path(), &against, EVERY_CELL), "o wins");
    // A game whose input ends first has no result and is not recorded.
    assert_eq!(play_in(home.path(), &[], "5\n").status.code(), Some(2));

    let listed = history(&[]);
    let lines: Vec<&str> = listed.lines().collect();
    assert_eq!(lines.len(), 2, "{listed}");
    assert!(
        lines.iter().any(|line| line.contains(
            "X: Player X v O: Player O, on this computer: Player X won (three in a row, 5 moves)"
        )),
        "{listed}"
    );
    assert!(
        lines.iter().any(|line| line.contains(
            "X: Player X v O: Computer (perfect), against the computer (perfect): Computer (perfect) won"
        )),
        "{listed}"
    );
    let stats = history(&["--stats"]);
    assert!(stats.starts_with("games: 2, last played "), "{stats}");
    assert!(
        stats.contains("you: won 0, lost 1, drawn 0, unfinished 0"),
        "{stats}"
    );
    assert!(
        stats.contains("  Computer (perfect): won 0, lost 1"),
        "{stats}"
    );
    assert!(
        stats.contains("  Player O 0 – 1 Player X, drawn 0"),
        "{stats}"
    );
}

#[test]
fn ultimate_in_the_terminal_follows_the_sending_rule() {
    // X plays board 5 cell 1, which sends O to board 1; O's "52" is refused and asked again.
    // Then both keep to the boards they are sent to until O gives up (the input ends).
    let output = play(&["--game", "ultimate"], "51\n52\n15\n5 5\n");
    assert_eq!(output.status.code(), Some(2), "{}", stdout(&output));
    let err = stderr(&output);
    for said in [
        "play in board 1",
        "the input ended before the game did, after 3 moves",
    ] {
        assert!(err.contains(said), "{said}: {err}");
    }
}

#[test]
fn each_bigger_game_against_the_computer_ends_with_a_result_and_is_recorded() {
    for (game, moves) in [("ultimate", ultimate_moves()), ("gomoku", gomoku_moves())] {
        let home = crate::support::temp_dir();
        // The person types every move of the game in order; the computer's answers make most of
        // them illegal, and each refused line is explained and the next one read.
        let output = play_in(
            home.path(),
            &["--game", game, "--computer", "easy", "--seed", "7"],
            &moves,
        );
        assert_eq!(output.status.code(), Some(0), "{game}: {}", stderr(&output));
        let last = last_line(&output);
        assert!(
            ["result: x wins", "result: o wins", "result: draw"].contains(&last.as_str()),
            "{game}: {last}"
        );
        let history =
            std::fs::read_to_string(crate::support::cli::history_file(home.path())).unwrap();
        assert!(history.starts_with("tictactoe-record 3\n"), "{history}");
        assert!(history.contains(&format!("\ngame: {game}\n")), "{history}");
        let replay = run(home.path(), &["history", "--game", game], "");
        assert!(
            stdout(&replay).contains("against the computer (easy)"),
            "{}",
            stdout(&replay)
        );
    }
}

/// Every Ultimate move, board by board: enough lines for any game to end.
fn ultimate_moves() -> String {
    (1..=9)
        .flat_map(|b| (1..=9).map(move |c| format!("{b}{c}\n")))
        .collect::<String>()
        .repeat(60)
}

/// Every Gomoku point, row by row.
fn gomoku_moves() -> String {
    ('a'..='o')
        .flat_map(|c| (1..=15).map(move |r| format!("{c}{r}\n")))
        .collect()
}

#[test]
fn gomoku_hot_seat_five_in_a_row_and_the_board_with_its_coordinates() {
    let output = play(
        &["--game", "gomoku"],
        "h8\na1\nh9\na2\nh10\na3\nh11\na4\nh12\n",
    );
    assert_result(&output, "x wins");
    assert_shows(&output, "   a b c d e f g h i j k l m n o");
    assert_shows(&output, "12 . . . . . . . X . . . . . . .");
}
