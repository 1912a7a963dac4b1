//! Ultimate Tic-Tac-Toe's rules: move counts from known positions, the sending rule, closed
//! small boards, every ending, and random games checked against a second reading of the rules
//! written here from the board's text alone.

#![expect(
    clippy::unwrap_used,
    reason = "test helpers: an unwrap that fails is a test that fails"
)]

use rand::rngs::StdRng;
use rand::{Rng as _, SeedableRng as _};
use tictactoe::game::{Cell, Game, LINES, MoveError, Outcome, Player, SmallBoard, Variant};

/// Board `b`, cell `c`, as people number them.
fn at(b: u8, c: u8) -> Cell {
    Variant::Ultimate
        .parse_move(&format!("{b}{c}"))
        .unwrap_or_else(|error| panic!("{error}"))
}

fn small(b: u8) -> Cell {
    Cell::from_number(i64::from(b)).unwrap()
}

fn played(moves: &[(u8, u8)]) -> Game {
    let cells: Vec<Cell> = moves.iter().map(|&(b, c)| at(b, c)).collect();
    Game::from_moves_of(Variant::Ultimate, Player::X, &cells).unwrap()
}

#[test]
fn the_first_move_has_81_choices_and_the_second_the_free_cells_of_the_board_sent_to() {
    let game = Game::of(Variant::Ultimate, Player::X);
    assert_eq!(game.legal_moves().count(), 81);
    assert_eq!(game.active_boards().len(), 9);
    assert_eq!(game.sent_to(), None);
    for first in game.legal_moves().collect::<Vec<_>>() {
        let mut after = game.clone();
        after.play(first).unwrap();
        let target = first.in_small_board();
        assert_eq!(after.sent_to(), Some(target));
        assert_eq!(after.active_boards(), vec![target]);
        let legal: Vec<Cell> = after.legal_moves().collect();
        // Nine, unless the first move was in the board it sends to (then one is taken).
        let expected = if first.small_board() == target { 8 } else { 9 };
        assert_eq!(
            legal.len(),
            expected,
            "after {}",
            Variant::Ultimate.move_text(first)
        );
        assert!(legal.iter().all(|c| c.small_board() == target));
    }
}

#[test]
fn a_move_elsewhere_than_the_board_sent_to_is_refused_with_where_to_play() {
    let mut game = played(&[(5, 1)]);
    let before = game.clone();
    let error = game.play(at(2, 2)).unwrap_err();
    assert_eq!(error, MoveError::WrongBoard { board: small(1) });
    assert_eq!(error.to_string(), "play in board 1");
    assert_eq!(game, before);
    let error = played(&[(5, 1), (1, 5)]).play(at(1, 5)).unwrap_err();
    assert_eq!(error, MoveError::WrongBoard { board: small(5) });
    let error = played(&[(5, 1), (1, 5)]).play(at(5, 1)).unwrap_err();
    assert_eq!(error.to_string(), "board 5, cell 1 is already taken by X");
    let off = Cell::with_index(81).unwrap();
    assert_eq!(
        game.play(off).unwrap_err().to_string(),
        "there is no cell 82 on the ultimate board"
    );
}

#[test]
fn a_won_small_board_is_closed_and_a_send_there_frees_the_mover() {
    // X takes the top row of board 5; O's reply in board 3, cell 5, sends X to the won board.
    let game = played(&[(5, 1), (1, 5), (5, 2), (2, 5), (5, 3), (3, 5)]);
    let won = game.board().small_board(small(5));
    assert_eq!(won.winner(), Some(Player::X));
    assert!(!won.is_open());
    let SmallBoard::Won { line, .. } = won else {
        panic!("board 5 is won");
    };
    assert_eq!(line.cells(), [at(5, 1), at(5, 2), at(5, 3)]);
    assert!(!line.of_small_boards());
    assert_eq!(game.sent_to(), None);
    let open: Vec<Cell> = (1..=9).filter(|&b| b != 5).map(small).collect();
    assert_eq!(game.active_boards(), open);
    // Boards 1, 2 and 3 hold one mark each; the other open boards are empty.
    assert_eq!(game.legal_moves().count(), 3 * 8 + 5 * 9);
    assert!(game.legal_moves().all(|c| c.small_board() != small(5)));
    let mut again = game.clone();
    assert_eq!(
        again.play(at(5, 5)).unwrap_err(),
        MoveError::BoardClosed { board: small(5) }
    );
    assert_eq!(
        again.play(at(5, 5)).unwrap_err().to_string(),
        "board 5 is finished: play in an open board"
    );
    assert!(again.play(at(9, 9)).is_ok());
}

#[test]
fn three_small_boards_in_a_row_win_and_the_line_names_the_boards() {
    // A game (found by random play) in which X's last move takes board 1, its third board of
    // the top row; no other line of boards is X's.
    #[rustfmt::skip]
    let moves = [
        (1, 4), (4, 2), (2, 1), (1, 2), (2, 9), (9, 3), (3, 1), (1, 9), (9, 9), (9, 2),
        (2, 3), (3, 2), (2, 6), (6, 4), (4, 5), (5, 1), (1, 6), (6, 9), (9, 6), (6, 2),
        (3, 9), (9, 1), (1, 1), (1, 3), (3, 7), (7, 3), (3, 8), (8, 9), (1, 5),
    ];
    let before = played(&moves[..moves.len() - 1]);
    assert!(!before.is_over());
    let game = played(&moves);
    let Outcome::Won { winner, line } = game.outcome() else {
        panic!("X has the top row of boards: {:?}", game.outcome());
    };
    assert_eq!(winner, Player::X);
    assert!(line.of_small_boards());
    assert_eq!(line.cells(), [small(1), small(2), small(3)]);
    assert_eq!(line.ends(), (small(1), small(3)));
    assert!(game.legal_moves().next().is_none());
    assert!(game.active_boards().is_empty());
}

/// A second reading of the rules from the board's text and the last move alone.
struct Reference {
    marks: Vec<Option<char>>,
}

impl Reference {
    fn of(game: &Game) -> Self {
        let text = game.board().to_text();
        assert_eq!(text.len(), 81);
        Self {
            marks: text.chars().map(|c| (c != '.').then_some(c)).collect(),
        }
    }

    fn mark(&self, board: usize, cell: usize) -> Option<char> {
        self.marks[board * 9 + cell]
    }

    fn winner(&self, board: usize) -> Option<char> {
        LINES.iter().find_map(|line| {
            let [a, b, c] = [0, 1, 2].map(|i| self.mark(board, line.cells()[i].index()));
            (a.is_some() && a == b && b == c).then_some(a).flatten()
        })
    }

    fn full(&self, board: usize) -> bool {
        (0..9).all(|c| self.mark(board, c).is_some())
    }

    fn open(&self, board: usize) -> bool {
        self.winner(board).is_none() && !self.full(board)
    }

    fn legal(&self, last: Option<Cell>) -> Vec<usize> {
        let target = last.map(|c| c.index() % 9).filter(|&b| self.open(b));
        (0..81)
            .filter(|&i| self.marks[i].is_none() && self.open(i / 9))
            .filter(|&i| target.is_none_or(|b| i / 9 == b))
            .collect()
    }

    /// Whether `mark` can still take small board `board`.
    fn can_take(&self, board: usize, mark: char) -> bool {
        match self.winner(board) {
            Some(w) => w == mark,
            None if self.full(board) => false,
            None => LINES.iter().any(|line| {
                line.cells()
                    .iter()
                    .all(|c| self.mark(board, c.index()).is_none_or(|m| m == mark))
            }),
        }
    }

    fn big_winner(&self) -> Option<char> {
        LINES.iter().find_map(|line| {
            let [a, b, c] = [0, 1, 2].map(|i| self.winner(line.cells()[i].index()));
            (a.is_some() && a == b && b == c).then_some(a).flatten()
        })
    }

    fn line_possible(&self) -> bool {
        ['X', 'O'].into_iter().any(|mark| {
            LINES
                .iter()
                .any(|line| line.cells().iter().all(|b| self.can_take(b.index(), mark)))
        })
    }
}

#[test]
fn random_games_follow_a_second_reading_of_the_rules_to_every_ending() {
    let mut rng = StdRng::seed_from_u64(2024);
    let (mut wins, mut draws, mut drawn_boards, mut early_draws, mut free_sends) =
        ([0; 2], 0, 0, 0, 0);
    for _ in 0..300 {
        let mut game = Game::of(Variant::Ultimate, Player::X);
        loop {
            let reference = Reference::of(&game);
            let legal: Vec<usize> = game.legal_moves().map(Cell::index).collect();
            match game.outcome() {
                Outcome::InProgress { to_move } => {
                    assert_eq!(to_move, game.side_to_move());
                    assert!(reference.big_winner().is_none());
                    assert!(reference.line_possible());
                    assert_eq!(legal, reference.legal(game.last_move()));
                    if game.last_move().is_some() && game.sent_to().is_none() {
                        free_sends += 1;
                    }
                }
                Outcome::Won { winner, line } => {
                    assert_eq!(reference.big_winner(), Some(winner.char()));
                    assert!(line.of_small_boards());
                    for board in line.cells() {
                        assert_eq!(reference.winner(board.index()), Some(winner.char()));
                    }
                    assert!(legal.is_empty());
                    wins[usize::from(winner == Player::O)] += 1;
                    break;
                }
                Outcome::Draw => {
                    assert!(reference.big_winner().is_none());
                    assert!(!reference.line_possible());
                    assert!(legal.is_empty());
                    draws += 1;
                    early_draws += usize::from(!reference.legal(game.last_move()).is_empty());
                    break;
                }
            }
            for board in 0..9 {
                let state = game.board().small_board(Cell::ALL[board]);
                match state {
                    SmallBoard::Open => assert!(reference.open(board)),
                    SmallBoard::Won { winner, .. } => {
                        assert_eq!(reference.winner(board), Some(winner.char()));
                    }
                    SmallBoard::Drawn => {
                        assert!(reference.full(board) && reference.winner(board).is_none());
                    }
                }
            }
            let cell = Cell::with_index(legal[rng.random_range(0..legal.len())]).unwrap();
            game.play(cell).unwrap();
        }
        drawn_boards += game
            .board()
            .small_boards()
            .iter()
            .filter(|b| **b == SmallBoard::Drawn)
            .count();
        // Undo all the way back gives the empty board again.
        while game.undo().is_some() {}
        assert_eq!(game, Game::of(Variant::Ultimate, Player::X));
    }
    assert!(wins[0] > 0 && wins[1] > 0, "both sides win some: {wins:?}");
    assert!(draws > 0, "some games are drawn");
    assert!(early_draws > 0, "some draws come before the last move");
    assert!(drawn_boards > 0, "some small boards fill up with no line");
    assert!(free_sends > 0, "some moves send to a closed board");
}

#[test]
fn digests_and_texts_are_stable_and_name_the_game() {
    let game = played(&[(5, 1), (1, 5)]);
    let text = game.board().to_text();
    assert_eq!(text.len(), 81);
    assert_eq!(&text[36..45], "X........");
    assert_eq!(&text[0..9], "....O....");
    let empty = [Variant::Classic, Variant::Ultimate, Variant::Gomoku]
        .map(|variant| Game::of(variant, Player::X).digest());
    assert_ne!(empty[0], empty[1]);
    assert_ne!(empty[1], empty[2]);
    assert_ne!(empty[0], empty[2]);
    // FNV-1a of "ultimate|" + 81 dots + "|X|0", written out here so a change shows.
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in format!("ultimate|{}|X|0", ".".repeat(81)).bytes() {
        hash = (hash ^ u64::from(byte)).wrapping_mul(0x0000_0100_0000_01b3);
    }
    assert_eq!(empty[1].0, hash);
}
