//! The keyboard on the board: a digit picks its square at once, arrows move the focus from
//! square to square (Enter or Space then picks it, as a click does).

use egui::{Event, Id, Key, Ui};

use crate::game::Cell;

/// Digits pick a cell at once; arrows move the focus within the board (into it, at the centre,
/// when nothing has focus). Enter and Space on a focused cell arrive as a click.
pub fn keyboard_pick(ui: &Ui, cell_id: impl Fn(Cell) -> Id) -> Option<Cell> {
    if ui.ctx().egui_wants_keyboard_input() {
        return None;
    }
    let focused = ui.memory(egui::Memory::focused);
    let focused_cell = Cell::ALL.into_iter().find(|&c| focused == Some(cell_id(c)));
    let mut picked = None;
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
                picked = Some(cell);
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
    fn arrows_stay_on_the_board() {
        let corner = Cell::at(0, 0).unwrap();
        assert_eq!(neighbour(corner, -1, 0), Some(corner));
        assert_eq!(neighbour(corner, 0, 1), Cell::at(0, 1));
        let far = Cell::at(2, 2).unwrap();
        assert_eq!(neighbour(far, 1, 1), Some(far));
    }
}
