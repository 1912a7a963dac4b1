//! Game records: every reachable game survives the text format exactly, and every kind of bad file
//! gets the documented error naming its line.

use jiff::Timestamp;
use tictactoe::game::{Cell, Computer, Game, Level, MoveError, Outcome, Player, Variant};
use tictactoe::record::{
    Ending, Mode, Record, RecordError, RecordErrorKind, Role, Verdict, parse_many,
};

const MODES: [Mode; 5] = [
    Mode::HotSeat,
    Mode::Computer {
        level: Level::Perfect,
        you: Player::O,
    },
    Mode::Computer {
        level: Level::Easy,
        you: Player::X,
    },
    Mode::Network {
        role: Role::Host,
        you: Player::X,
    },
    Mode::Network {
        role: Role::Joiner,
        you: Player::O,
    },
];

/// Walks every game from an empty board with `first` to move, calling `visit` on every position
/// (finished or not) with the moves that led there.
fn walk(game: &mut Game, visit: &mut impl FnMut(&Game)) {
    visit(game);
    if game.is_over() {
        return;
    }
    for cell in Cell::ALL {
        if game.play(cell).is_ok() {
            walk(game, visit);
            game.undo();
        }
    }
}

fn round_trip(record: &Record) {
    let text = record.to_text();
    match Record::parse(&text) {
        Ok(back) => assert_eq!(&back, record, "{text}"),
        Err(error) => panic!("{error}\n{text}"),
    }
}

#[test]
fn every_reachable_game_survives_a_round_trip() {
    // Every finished game (won or drawn on the board), with X and with O moving first: 255,168
    // each. To keep the test quick, one position in 8 (X first) or 16 (O first) before the end,
    // stopped by resigning, leaving, abandoning or saving.
    let mut finished = 0_usize;
    let mut stopped = 0_usize;
    let mut visited = 0_usize;
    for (first, finished_every, stopped_every) in [(Player::X, 1, 8), (Player::O, 1, 16)] {
        walk(&mut Game::new(first), &mut |game| {
            visited += 1;
            let n = visited;
            let every = if game.is_over() {
                finished_every
            } else {
                stopped_every
            };
            if !n.is_multiple_of(every) {
                return;
            }
            let mode = MODES[n % MODES.len()];
            let at = Timestamp::from_second(1_700_000_000 + i64::try_from(n).unwrap()).unwrap();
            let player = Player::ALL[n % 2];
            let ending = match game.outcome() {
                Outcome::Won { .. } => Ending::Won,
                Outcome::Draw => Ending::Draw,
                Outcome::InProgress { .. } => [
                    Ending::Resigned { player },
                    Ending::Left { player },
                    Ending::Abandoned { player },
                    Ending::Unfinished,
                ][n % 4],
            };
            if game.is_over() {
                finished += 1;
            } else if first == Player::X {
                stopped += 1;
            }
            let record = Record::new(at, mode, ["Ann", "Bob Ó"], first, game.moves(), ending)
                .unwrap_or_else(|e| panic!("{e}: {:?}", game.moves()));
            round_trip(&record);
        });
    }
    assert_eq!(finished, 2 * 255_168);
    assert!(stopped > 294_778 / 8 - 10, "{stopped}");
}

const GOOD: &str = "tictactoe-record 1
played: 2026-11-26T18:05:09Z
mode: network
role: join
you: o
x: Ann
o: Bob
first: x
moves: 5 1 9 3 7 4 6 8 2
end: draw
result: draw
";

fn error_of(text: &str) -> RecordError {
    match Record::parse(text) {
        Ok(record) => panic!("the text should be refused, but read as {record:?}"),
        Err(error) => error,
    }
}

#[test]
fn the_good_example_reads() {
    let record = Record::parse(GOOD).unwrap();
    assert_eq!(record.verdict(), Verdict::Draw);
    assert_eq!(
        record.mode(),
        Mode::Network {
            role: Role::Joiner,
            you: Player::O
        }
    );
    assert_eq!(record.to_text(), GOOD);
    // Windows line endings, and a byte-order mark, read too.
    assert_eq!(Record::parse(&GOOD.replace('\n', "\r\n")).unwrap(), record);
    assert_eq!(Record::parse(&format!("\u{feff}{GOOD}")).unwrap(), record);
}

#[test]
fn a_file_cut_short_at_any_line_names_the_missing_line() {
    let lines: Vec<&str> = GOOD.lines().collect();
    let keys = [
        "played", "mode", "role", "you", "x", "o", "first", "moves", "end", "result",
    ];
    for kept in 1..lines.len() {
        let text = lines[..kept].join("\n");
        let error = error_of(&text);
        assert_eq!(error.line, kept + 1, "{text}");
        assert_eq!(
            error.kind,
            RecordErrorKind::Truncated {
                expected: keys[kept - 1]
            }
        );
        assert!(
            error
                .to_string()
                .starts_with(&format!("line {}: ", kept + 1)),
            "{error}"
        );
    }
    let error = error_of("");
    assert_eq!(error.line, 1);
}

#[test]
fn a_newer_version_is_refused_with_both_versions() {
    let error = error_of(&GOOD.replace("tictactoe-record 1", "tictactoe-record 4"));
    assert_eq!(error.line, 1);
    assert_eq!(
        error.kind,
        RecordErrorKind::UnknownVersion {
            found: 4,
            supported: 3
        }
    );
    assert_eq!(
        error.to_string(),
        "line 1: this record uses format version 4, but this version of Tic-Tac-Toe reads versions \
         up to 3: open it with a newer Tic-Tac-Toe"
    );
}

#[test]
fn something_else_is_not_a_record() {
    for text in ["{\"x\": 1}", "tictactoe-record one", "hello\nworld"] {
        let error = error_of(text);
        assert_eq!(error.line, 1);
        assert!(
            matches!(error.kind, RecordErrorKind::NotARecord { .. }),
            "{error}"
        );
    }
}

#[test]
fn a_move_that_is_not_a_cell_is_named() {
    let error = error_of(&GOOD.replace("moves: 5 1 9", "moves: 5 1 10"));
    assert_eq!(error.line, 9);
    assert!(
        matches!(error.kind, RecordErrorKind::BadMove { number: 3, .. }),
        "{error}"
    );
    assert_eq!(
        error.to_string(),
        "line 9: move 3 is not a cell: there is no cell 10: cells are numbered 1 to 9"
    );
    let error = error_of(&GOOD.replace("moves: 5 1 9", "moves: 5 x 9"));
    assert!(
        matches!(error.kind, RecordErrorKind::BadMove { number: 2, .. }),
        "{error}"
    );
}

#[test]
fn an_illegal_sequence_is_refused_by_the_rules() {
    let error = error_of(&GOOD.replace("moves: 5 1 9", "moves: 5 1 5"));
    assert_eq!(error.line, 9);
    assert_eq!(
        error.kind,
        RecordErrorKind::IllegalMove {
            number: 3,
            cell: "5".to_owned(),
            error: MoveError::Occupied {
                cell: Cell::from_number(5).unwrap(),
                by: Player::X,
            },
        }
    );
    assert_eq!(
        error.to_string(),
        "line 9: move 3 (5) is illegal: cell 5 is already taken by X"
    );
    // Moves after the game is won.
    let text = GOOD
        .replace("moves: 5 1 9 3 7 4 6 8 2", "moves: 1 4 2 5 3 6")
        .replace("end: draw", "end: won")
        .replace("result: draw", "result: x wins");
    let error = error_of(&text);
    assert_eq!(
        error.kind,
        RecordErrorKind::IllegalMove {
            number: 6,
            cell: "6".to_owned(),
            error: MoveError::GameOver,
        }
    );
}

#[test]
fn endings_and_results_must_agree_with_the_board() {
    let error = error_of(&GOOD.replace("end: draw", "end: won"));
    assert_eq!(error.line, 10);
    assert!(
        matches!(error.kind, RecordErrorKind::EndingMismatch { .. }),
        "{error}"
    );
    let error = error_of(&GOOD.replace("end: draw", "end: resigned x"));
    assert_eq!(
        error.to_string(),
        "line 10: the game cannot end \"resigned x\": the game was already over on the board"
    );
    let error = error_of(&GOOD.replace("end: draw", "end: resigned"));
    assert!(
        matches!(error.kind, RecordErrorKind::BadValue { field: "end", .. }),
        "{error}"
    );
    let error = error_of(&GOOD.replace("result: draw", "result: x wins"));
    assert_eq!(error.line, 11);
    assert_eq!(
        error.kind,
        RecordErrorKind::ResultMismatch {
            expected: Verdict::Draw,
            found: "x wins".to_owned()
        }
    );
}

#[test]
fn bad_values_and_misplaced_lines_name_the_line() {
    let error = error_of(&GOOD.replace("mode: network", "mode: purple"));
    assert_eq!(error.line, 3);
    assert_eq!(
        error.to_string(),
        "line 3: \"purple\" is not a valid mode: use hot-seat, computer or network"
    );
    let error = error_of(&GOOD.replace("played: 2026-11-26T18:05:09Z", "played: yesterday"));
    assert_eq!(error.line, 2);
    assert!(
        matches!(
            error.kind,
            RecordErrorKind::BadValue {
                field: "played",
                ..
            }
        ),
        "{error}"
    );
    let error = error_of(&GOOD.replace("x: Ann\no: Bob", "o: Bob\nx: Ann"));
    assert_eq!(error.line, 6);
    assert_eq!(
        error.kind,
        RecordErrorKind::MissingField {
            expected: "x",
            found: "o: Bob".to_owned()
        }
    );
    let error = error_of(&format!("{GOOD}\nmore\n"));
    assert_eq!(error.line, 13);
    assert!(
        matches!(error.kind, RecordErrorKind::TrailingText { .. }),
        "{error}"
    );
}

#[test]
fn a_history_keeps_every_record_that_reads() {
    let text = format!("{GOOD}\n{}{GOOD}", GOOD.replace("moves: 5", "moves: 0"));
    let (records, errors) = parse_many(&text);
    assert_eq!(records.len(), 2);
    assert_eq!(errors.len(), 1);
    assert_eq!(errors[0].line, 12 + 9);
}

#[test]
fn no_small_change_to_a_record_causes_a_panic_or_slips_through_unchecked() {
    // Every one-character deletion, and every replacement by a few telling characters: each either
    // reads as a valid record (which then writes back to text that reads the same) or is refused
    // with a line inside the text or one past it.
    let lines = GOOD.lines().count();
    for i in 0..GOOD.len() {
        let mut variants = vec![format!("{}{}", &GOOD[..i], &GOOD[i + 1..])];
        for c in ['0', '9', 'x', 'o', ' ', '\n', ':', 'é'] {
            variants.push(format!("{}{c}{}", &GOOD[..i], &GOOD[i + 1..]));
        }
        for text in variants {
            match Record::parse(&text) {
                Ok(record) => {
                    assert_eq!(Record::parse(&record.to_text()).unwrap(), record, "{text}");
                }
                Err(error) => assert!((1..=lines + 2).contains(&error.line), "{error} in\n{text}"),
            }
        }
    }
}

/// A game of `variant` played by two easy computers from `seed`, stopped after `plies` moves
/// (or at its end).
fn sample_game(variant: Variant, seed: u64, plies: usize) -> Game {
    let mut game = Game::of(variant, Player::X);
    let mut computer = Computer::new(Level::Easy, seed);
    while game.moves().len() < plies
        && let Some(cell) = computer.choose(&game)
    {
        let played = game.play(cell);
        assert!(
            played.is_ok(),
            "the computer chose a move the rules refuse: {played:?}"
        );
    }
    game
}

#[test]
fn bigger_games_are_written_in_their_own_notation_and_read_back() {
    for variant in [Variant::Ultimate, Variant::Gomoku] {
        for seed in 0..20 {
            let game = sample_game(variant, seed, usize::MAX);
            let ending = if game.outcome() == Outcome::Draw {
                Ending::Draw
            } else {
                Ending::Won
            };
            let mode = MODES[usize::try_from(seed).unwrap() % MODES.len()];
            let record = Record::of_moves(
                Timestamp::UNIX_EPOCH,
                mode,
                ["Ann", "Bob"],
                &game,
                game.moves(),
                ending,
            )
            .unwrap();
            assert_eq!(record.variant(), variant);
            let text = record.to_text();
            assert!(text.starts_with("tictactoe-record 3\n"), "{text}");
            assert!(text.contains(&format!("\ngame: {variant}\n")), "{text}");
            let first = variant.move_text(game.moves()[0]);
            assert!(text.contains(&format!("\nmoves: {first} ")), "{text}");
            round_trip(&record);
            // Stopped part way: saved, then resigned.
            let part = sample_game(variant, seed, 7);
            for ending in [Ending::Unfinished, Ending::Resigned { player: Player::O }] {
                let record = Record::of_moves(
                    Timestamp::UNIX_EPOCH,
                    Mode::HotSeat,
                    ["", ""],
                    &part,
                    part.moves(),
                    ending,
                )
                .unwrap();
                round_trip(&record);
            }
        }
    }
}

const ULTIMATE: &str = "tictactoe-record 3
played: 2026-11-26T18:05:09Z
game: ultimate
mode: hot-seat
x: Ann
o: Bob
first: x
moves: 53 31 12
end: unfinished
result: unfinished
";

#[test]
fn a_bigger_games_record_names_its_game_and_its_moves_as_typed() {
    let record = Record::parse(ULTIMATE).unwrap();
    assert_eq!(record.variant(), Variant::Ultimate);
    assert_eq!(
        record.moves()[0],
        Variant::Ultimate.parse_move("5 3").unwrap()
    );
    assert_eq!(record.to_text(), ULTIMATE);

    // The sending rule: after 53, O must play in board 3.
    let error = error_of(&ULTIMATE.replace("moves: 53 31 12", "moves: 53 41"));
    assert_eq!(error.line, 8);
    assert_eq!(
        error.to_string(),
        "line 8: move 2 (41) is illegal: play in board 3"
    );
    // A game this version does not know, and a game line before version 3.
    let error = error_of(&ULTIMATE.replace("game: ultimate", "game: chess"));
    assert_eq!(error.line, 3);
    assert!(
        error.to_string().ends_with(
            "\"chess\" is not a valid game: use classic, ultimate or gomoku (a newer Tic-Tac-Toe may know more games)"
        ),
        "{error}"
    );
    let error = error_of(&ULTIMATE.replace("record 3", "record 2"));
    assert_eq!(error.line, 3);
    assert!(
        error.to_string().contains("expected a line \"mode: …\""),
        "{error}"
    );
    // Gomoku's points, in renju notation.
    let gomoku = ULTIMATE
        .replace("game: ultimate", "game: gomoku")
        .replace("moves: 53 31 12", "moves: h8 h9 z1");
    let error = error_of(&gomoku);
    assert_eq!(
        error.to_string(),
        "line 8: move 3 is not a cell: \"z1\" is not a move: type a column a to o and a row 1 to 15, such as h8"
    );
}
