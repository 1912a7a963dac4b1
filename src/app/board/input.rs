//! The keyboard on the board: a digit picks its square at once, arrows move the focus from
//! square to square (Enter or Space then picks it, as a click does).
//!
//! In Ultimate a first digit picks the small board and a second the cell in it (one digit when
//! the mover is sent to one small board); in Gomoku the arrows and Enter or Space do it all.

use egui::{Event, Id, Key, Ui};

use crate::game::{Cell, Game, Variant};

/// The keys pressed this frame that the board reads: the digits 1–9 (as cells) and one arrow
/// (as a step of rows and columns).
fn keys(ui: &Ui) -> (Vec<Cell>, Option<(i8, i8)>) {
    let mut digits = Vec::new();
    let mut move_by = None;
    ui.input(|input| {
        for event in &input.events {
            let Event::Key {
                key,
                physical_key,
                pressed: true,
                modifiers,
                ..
            } = event
            else {
                continue;
            };
            if modifiers.ctrl || modifiers.alt || modifiers.command || modifiers.mac_cmd {
                continue;
            }
            if let Some(cell) = digit_cell(*key).or_else(|| physical_key.and_then(digit_cell)) {
                digits.push(cell);
            }
            move_by = match key {
                Key::ArrowUp => Some((-1, 0)),
                Key::ArrowDown => Some((1, 0)),
                Key::ArrowLeft => Some((0, -1)),
                Key::ArrowRight => Some((0, 1)),
                _ => move_by,
            };
        }
    });
    (digits, move_by)
}

/// A bigger game's board: in Ultimate digits pick a small board then a cell; in both games
/// arrows move the focus over the grid (into it when nothing has focus: at the centre of the
/// small board the mover is sent to, or of the board). Enter and Space on a focused cell arrive
/// as a click. Unfiltered, like [`keyboard_pick`].
pub fn big_keyboard_pick(
    ui: &Ui,
    game: &Game,
    board_id: Id,
    cell_id: impl Fn(Cell) -> Id,
) -> Option<Cell> {
    if ui.ctx().egui_wants_keyboard_input() {
        return None;
    }
    let variant = game.variant();
    let focused = ui.memory(egui::Memory::focused);
    let focused_cell = variant.all_cells().find(|&c| focused == Some(cell_id(c)));
    let (digits, move_by) = keys(ui);
    let mut picked = None;
    if variant == Variant::Ultimate {
        // The small board a first digit picked, for the position it was picked in.
        let chosen_id = board_id.with(CHOSEN);
        let moves = game.moves().len();
        let mut chosen = chosen_board(ui, board_id, game);
        let active = game.active_boards();
        for digit in digits {
            match (game.sent_to(), chosen) {
                (Some(board), _) => picked = Some(Cell::ultimate(board, digit)),
                (None, Some(board)) => {
                    picked = Some(Cell::ultimate(board, digit));
                    chosen = None;
                }
                // The board outlines it (a focus would take the next digit from the board).
                (None, None) if active.contains(&digit) => chosen = Some(digit),
                (None, None) => {}
            }
        }
        ui.data_mut(|d| {
            if let Some(board) = chosen {
                d.insert_temp(chosen_id, (moves, board));
            } else {
                d.remove::<(usize, Cell)>(chosen_id);
            }
        });
    }
    let focus = move_by.and_then(|(d_row, d_col)| match focused_cell {
        Some(cell) => step(variant, cell, d_row, d_col),
        None if focused.is_none() => start(game),
        // Another widget has the focus: egui moves it between widgets.
        None => None,
    });
    if let Some(target) = focus {
        ui.memory_mut(|m| {
            m.request_focus(cell_id(target));
            m.move_focus(egui::FocusDirection::None);
        });
    }
    picked
}

/// Where the small board a first digit picked is kept, under the board's id.
const CHOSEN: &str = "small board";

/// Ultimate: the small board a first digit picked in this position, waiting for the digit of the
/// cell.
pub fn chosen_board(ui: &Ui, board_id: Id, game: &Game) -> Option<Cell> {
    let moves = game.moves().len();
    ui.data(|d| d.get_temp::<(usize, Cell)>(board_id.with(CHOSEN)))
        .filter(|&(at, _)| at == moves)
        .map(|(_, board)| board)
}

/// Ultimate: the centre cell of small board `board`.
fn centre_of(board: Cell) -> Option<Cell> {
    Cell::from_index(4).map(|centre| Cell::ultimate(board, centre))
}

/// Where the arrows enter a bigger board: the centre of the small board the mover is sent to,
/// or of the whole board.
fn start(game: &Game) -> Option<Cell> {
    let variant = game.variant();
    match game.sent_to() {
        Some(board) => centre_of(board),
        None => variant.cell_at(variant.side() / 2, variant.side() / 2),
    }
}

/// The cell one step away on `variant`'s grid, staying on the board at the edges.
pub fn step(variant: Variant, cell: Cell, d_row: i8, d_col: i8) -> Option<Cell> {
    let last = variant.side() - 1;
    let (row, col) = variant.row_col(cell);
    let clamp = |v: usize, d: i8| v.saturating_add_signed(isize::from(d)).min(last);
    variant.cell_at(clamp(row, d_row), clamp(col, d_col))
}

/// Digits pick a cell at once; arrows move the focus within the board (into it, at the centre,
/// when nothing has focus). Enter and Space on a focused cell arrive as a click.
pub fn keyboard_pick(ui: &Ui, cell_id: impl Fn(Cell) -> Id) -> Option<Cell> {
    if ui.ctx().egui_wants_keyboard_input() {
        return None;
    }
    let focused = ui.memory(egui::Memory::focused);
    let focused_cell = Cell::ALL.into_iter().find(|&c| focused == Some(cell_id(c)));
    let (digits, move_by) = keys(ui);
    let picked = digits.last().copied();
    if let Some((d_row, d_col)) = move_by {
        let target = match focused_cell {
            Some(cell) => neighbour(cell, d_row, d_col),
            None if focused.is_none() => Cell::at(1, 1),
            // Another widget has the focus: egui moves it between widgets.
            None => None,
        };
        if let Some(target) = target {
            ui.memory_mut(|m| {
                m.request_focus(cell_id(target));
                // The board has handled this arrow: egui must not also move the focus with it.
                m.move_focus(egui::FocusDirection::None);
            });
        }
    }
    // Unfiltered: a digit naming a square already taken is shown as such by the caller.
    picked
}

/// The cell a digit key names, for both the top row and the numpad.
fn digit_cell(key: Key) -> Option<Cell> {
    let number = match key {
        Key::Num1 => 1,
        Key::Num2 => 2,
        Key::Num3 => 3,
        Key::Num4 => 4,
        Key::Num5 => 5,
        Key::Num6 => 6,
        Key::Num7 => 7,
        Key::Num8 => 8,
        Key::Num9 => 9,
        _ => return None,
    };
    Cell::from_number(number).ok()
}

/// The cell one step away, staying on the board at the edges.
pub fn neighbour(cell: Cell, d_row: i8, d_col: i8) -> Option<Cell> {
    let clamp = |v: u8, d: i8| v.saturating_add_signed(d).min(2);
    Cell::at(clamp(cell.row(), d_row), clamp(cell.col(), d_col))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arrows_cross_small_boards_and_stay_on_a_bigger_board() {
        let ultimate = Variant::Ultimate;
        // Board 1, cell 3 (top right of the top left board): right is board 2, cell 1.
        let edge = ultimate.parse_move("1 3").unwrap();
        assert_eq!(step(ultimate, edge, 0, 1), ultimate.parse_move("2 1").ok());
        assert_eq!(step(ultimate, edge, -1, 0), Some(edge));
        let gomoku = Variant::Gomoku;
        let corner = gomoku.parse_move("o1").unwrap();
        assert_eq!(step(gomoku, corner, 1, 1), Some(corner));
        assert_eq!(step(gomoku, corner, -1, -1), gomoku.parse_move("n2").ok());
    }

    #[test]
    fn arrows_stay_on_the_board() {
        let corner = Cell::at(0, 0).unwrap();
        assert_eq!(neighbour(corner, -1, 0), Some(corner));
        assert_eq!(neighbour(corner, 0, 1), Cell::at(0, 1));
        let far = Cell::at(2, 2).unwrap();
        assert_eq!(neighbour(far, 1, 1), Some(far));
    }
}
