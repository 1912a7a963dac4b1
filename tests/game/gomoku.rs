//! Gomoku's rules: renju notation, five in every direction, an overline of six, a four that does
//! not win, a full board drawn, and the messages of refused moves.

#![expect(
    clippy::unwrap_used,
    reason = "test helpers: an unwrap that fails is a test that fails"
)]

use tictactoe::game::{Cell, Game, MoveError, Outcome, Player, Variant};

fn point(text: &str) -> Cell {
    Variant::Gomoku
        .parse_move(text)
        .unwrap_or_else(|error| panic!("{error}"))
}

fn played(moves: &[&str]) -> Game {
    let cells: Vec<Cell> = moves.iter().map(|m| point(m)).collect();
    Game::from_moves_of(Variant::Gomoku, Player::X, &cells).unwrap()
}

fn texts(cells: &[Cell]) -> Vec<String> {
    cells
        .iter()
        .map(|&c| Variant::Gomoku.move_text(c))
        .collect()
}

#[test]
fn points_are_named_from_the_bottom_left_corner() {
    let gomoku = Variant::Gomoku;
    // Index order is the top row first: a1 is the first cell of the bottom row.
    assert_eq!(point("a1").index(), 14 * 15);
    assert_eq!(point("o15").index(), 14);
    assert_eq!(point("a15").index(), 0);
    assert_eq!(point("o1").index(), 224);
    assert_eq!(gomoku.row_col(point("h8")), (7, 7));
    assert_eq!(gomoku.cell_name(point("h8")), "h8");
    assert_eq!(gomoku.move_text(Cell::with_index(0).unwrap()), "a15");
    assert_eq!(Game::of(gomoku, Player::X).legal_moves().count(), 225);
    assert_eq!(
        gomoku.parse_move("p3").unwrap_err().to_string(),
        "\"p3\" is not a move: type a column a to o and a row 1 to 15, such as h8"
    );
}

#[test]
fn five_in_a_row_wins_in_every_direction() {
    // X's five, O's stones far away on the first row, in each of the four directions.
    let lines: [[&str; 5]; 4] = [
        ["d8", "e8", "f8", "g8", "h8"],
        ["h4", "h5", "h6", "h7", "h8"],
        ["d4", "e5", "f6", "g7", "h8"],
        ["l4", "k5", "j6", "i7", "h8"],
    ];
    let others = ["a1", "c1", "e1", "g1"];
    for five in lines {
        let mut moves = Vec::new();
        for i in 0..4 {
            moves.push(five[i]);
            moves.push(others[i]);
        }
        let four = played(&moves);
        assert!(!four.is_over(), "four is not five");
        moves.push(five[4]);
        let game = played(&moves);
        let Outcome::Won { winner, line } = game.outcome() else {
            panic!("{five:?} is five: {:?}", game.outcome());
        };
        assert_eq!(winner, Player::X);
        let mut cells = texts(line.cells());
        let mut expected: Vec<String> = five.iter().map(|&s| s.to_owned()).collect();
        // The line runs in order from one end to the other, in whichever direction.
        if cells.first() != expected.first() {
            cells.reverse();
        }
        expected.sort();
        let mut sorted = cells.clone();
        sorted.sort();
        assert_eq!(sorted, expected);
        let (a, b) = line.ends();
        let ends = [Variant::Gomoku.move_text(a), Variant::Gomoku.move_text(b)];
        assert!(ends.contains(&five[0].to_owned()) && ends.contains(&five[4].to_owned()));
        assert!(game.legal_moves().next().is_none());
        assert_eq!(
            game.clone().play(point("o15")).unwrap_err(),
            MoveError::GameOver
        );
    }
}

#[test]
fn an_overline_of_six_wins_and_its_line_holds_all_six() {
    // X: c5 d5 e5 _ g5 h5, then f5 joins them into six.
    let game = played(&[
        "c5", "a1", "d5", "a3", "e5", "a5", "g5", "a7", "h5", "a9", "f5",
    ]);
    let Outcome::Won { winner, line } = game.outcome() else {
        panic!("six in a row wins: {:?}", game.outcome());
    };
    assert_eq!(winner, Player::X);
    assert_eq!(texts(line.cells()), ["c5", "d5", "e5", "f5", "g5", "h5"]);
}

#[test]
fn a_full_board_without_five_is_a_draw() {
    // Columns in pairs, the pattern shifted on every other row: no five anywhere, 113 X and
    // 112 O.
    let is_x = |cell: Cell| {
        let (row, col) = Variant::Gomoku.row_col(cell);
        (col % 4 < 2) != (row % 2 == 1)
    };
    let xs: Vec<Cell> = Variant::Gomoku.all_cells().filter(|&c| is_x(c)).collect();
    let os: Vec<Cell> = Variant::Gomoku.all_cells().filter(|&c| !is_x(c)).collect();
    assert_eq!((xs.len(), os.len()), (113, 112));
    let mut game = Game::of(Variant::Gomoku, Player::X);
    for (i, &x) in xs.iter().enumerate() {
        assert!(!game.is_over(), "over after {} moves", game.moves().len());
        game.play(x).unwrap();
        if let Some(&o) = os.get(i) {
            game.play(o).unwrap();
        }
    }
    assert_eq!(game.outcome(), Outcome::Draw);
    assert_eq!(game.board().marks(), 225);
    assert!(game.board().winning_line().is_none());
}

#[test]
fn refused_moves_say_why_in_renju_notation() {
    let mut game = played(&["h8"]);
    let before = game.clone();
    let error = game.play(point("h8")).unwrap_err();
    assert_eq!(error.to_string(), "h8 is already taken by X");
    assert_eq!(game, before);
    assert_eq!(
        game.play_as(Player::X, point("a1"))
            .unwrap_err()
            .to_string(),
        "it is O's turn, not X's"
    );
    assert!(game.play(point("a1")).is_ok());
}

#[test]
fn texts_and_digests_are_stable() {
    let game = played(&["h8", "a1"]);
    let text = game.board().to_text();
    assert_eq!(text.len(), 225);
    assert_eq!(text.chars().nth(7 * 15 + 7), Some('X'));
    assert_eq!(text.chars().nth(14 * 15), Some('O'));
    assert_eq!(text.matches('.').count(), 223);
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in format!("gomoku|{text}|X|2").bytes() {
        hash = (hash ^ u64::from(byte)).wrapping_mul(0x0000_0100_0000_01b3);
    }
    assert_eq!(game.digest().0, hash);
}
