//! Gomoku's rules (freestyle): a 15×15 board, five or more stones in a row wins, a full board is
//! a draw. A cell is `row * 15 + col`, row 0 at the top.

use super::variant::GOMOKU_SIDE;
use super::{Board, Cell, Line, Outcome, Player};

/// The four directions a line can run in, as (row step, column step): across, down, and the two
/// diagonals.
pub(super) const DIRECTIONS: [(isize, isize); 4] = [(0, 1), (1, 0), (1, 1), (1, -1)];

/// How many in a row win.
pub const FIVE: usize = 5;

/// The cell `steps` steps from `cell` in direction `(dr, dc)`, if on the board.
pub(super) fn step(cell: Cell, (dr, dc): (isize, isize), steps: isize) -> Option<Cell> {
    let side = GOMOKU_SIDE.cast_signed();
    let index = cell.index().cast_signed();
    let (row, col) = (index / side + dr * steps, index % side + dc * steps);
    if (0..side).contains(&row) && (0..side).contains(&col) {
        Cell::with_index((row * side + col).cast_unsigned())
    } else {
        None
    }
}

/// The longest run of `player`'s stones through `cell` (which holds one), in order along the
/// line, if it is five or more.
pub(super) fn five_through(board: &Board, cell: Cell, player: Player) -> Option<Line> {
    DIRECTIONS.into_iter().find_map(|direction| {
        let stones = |sign: isize| {
            (1..)
                .map_while(|n| step(cell, direction, sign * n))
                .take_while(|&c| board.get(c) == Some(player))
                .collect::<Vec<_>>()
        };
        let mut run = stones(-1);
        run.reverse();
        run.push(cell);
        run.extend(stones(1));
        (run.len() >= FIVE).then(|| Line::run(&run))
    })
}

/// The first run of five or more on the board, and whose it is.
pub(super) fn winning_line(board: &Board) -> Option<(Player, Line)> {
    board.variant().all_cells().find_map(|cell| {
        let player = board.get(cell)?;
        five_through(board, cell, player).map(|line| (player, line))
    })
}

/// The outcome of a Gomoku game with no five after `moves` moves, `to_move` next: a full board
/// is a draw.
pub(super) const fn outcome_without_five(moves: usize, to_move: Player) -> Outcome {
    if moves >= GOMOKU_SIDE * GOMOKU_SIDE {
        Outcome::Draw
    } else {
        Outcome::InProgress { to_move }
    }
}
