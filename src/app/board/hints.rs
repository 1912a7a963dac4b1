//! What a square says: its label for screen readers, and with hints on, how the game ends from
//! it under perfect play ("You win in 2", "Safe: a draw"), in which colour, painted small on the square.

use egui::{Align2, Color32, CornerRadius, FontId, Rect, Vec2, Visuals};

use crate::game::{Cell, Eval, Game, Player};

/// What a screen reader says for `cell`, such as "Row 1, column 3, empty".
#[must_use]
pub fn cell_label(game: &Game, cell: Cell) -> String {
    let content = game
        .board()
        .get(cell)
        .map_or_else(|| "empty".to_owned(), |p| p.char().to_string());
    format!(
        "Row {}, column {}, {content}",
        cell.row() + 1,
        cell.col() + 1
    )
}

/// The label of a square showing a hint, such as "Row 1, column 1, empty, hint: You win in 2,
/// best".
#[must_use]
pub fn cell_label_with_hint(game: &Game, cell: Cell, hint: Option<(Eval, bool)>) -> String {
    let label = cell_label(game, cell);
    match (hint, game.side_to_move()) {
        (Some((eval, best)), mover) => {
            let best = if best { ", best" } else { "" };
            format!("{label}, hint: {}{best}", hint_text(eval, mover))
        }
        (None, _) => label,
    }
}

/// What playing a square leads to under perfect play, spoken to the player about to move.
///
/// Counted in the winner's own moves: "You win now", "You win in 2" (this move and one more),
/// "You lose in 1" (the opponent's next), "Safe: a draw".
#[must_use]
pub fn hint_text(eval: Eval, mover: Player) -> String {
    let Some(winner) = eval.winner else {
        return "Safe: a draw".to_owned();
    };
    // `plies` counts the moves after this one: the mover's own come every other one.
    let moves = if winner == mover {
        u32::from(eval.plies) / 2 + 1
    } else {
        u32::from(eval.plies).div_ceil(2)
    };
    match (winner == mover, moves) {
        (true, 1) => "You win now".to_owned(),
        (true, n) => format!("You win in {n}"),
        (false, n) => format!("You lose in {n}"),
    }
}

/// How good `eval` is for `mover`: higher is better (a quick win, then a slow win, a draw, a
/// slow loss, a quick loss).
pub fn hint_rank(eval: Eval, mover: Player) -> i32 {
    let plies = i32::from(eval.plies);
    match eval.winner {
        Some(winner) if winner == mover => 100 - plies,
        Some(_) => -100 + plies,
        None => 0,
    }
}

/// The colour of a hint: the best move(s) stand out — green when they win, the text colour when
/// they draw, red only when every move loses — and the others are quiet.
pub fn hint_color(visuals: &Visuals, eval: Eval, mover: Player, best: bool) -> Color32 {
    if !best {
        return visuals.weak_text_color();
    }
    let dark = visuals.dark_mode;
    match eval.winner {
        Some(winner) if winner == mover => {
            if dark {
                Color32::from_rgb(0x6a, 0xd4, 0x7a)
            } else {
                Color32::from_rgb(0x1a, 0x7f, 0x37)
            }
        }
        Some(_) => {
            if dark {
                Color32::from_rgb(0xff, 0x7b, 0x72)
            } else {
                Color32::from_rgb(0xcf, 0x22, 0x2e)
            }
        }
        None => visuals.strong_text_color(),
    }
}

/// A hint as painted.
pub struct Hint {
    /// What it says.
    pub text: String,
    /// In which colour.
    pub color: Color32,
    /// One of the best moves: larger type.
    pub best: bool,
}

/// Paints a hint's text in small type at the centre of `cell`, wrapped to fit, on a plate of the
/// background colour so that it stays readable over the previewed mark.
pub fn paint_hint(painter: &egui::Painter, cell: Rect, hint: &Hint, plate: Color32) {
    let scale = if hint.best { 0.13 } else { 0.105 };
    let size = (cell.width() * scale).clamp(crate::app::style::SMALL, 18.0);
    let color = hint.color;
    let galley = painter.layout(
        hint.text.clone(),
        FontId::proportional(size),
        color,
        cell.width() * 0.85,
    );
    let rect = Align2::CENTER_CENTER.anchor_size(cell.center(), galley.size());
    painter.rect_filled(
        rect.expand2(Vec2::new(6.0, 2.0)),
        CornerRadius::same(4),
        plate,
    );
    painter.galley(rect.min, galley, color);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::game::evaluate;
    use crate::testing::game_of;

    #[test]
    fn labels_name_row_column_and_content() {
        let game = game_of(&[3]);
        assert_eq!(
            cell_label(&game, Cell::from_number(3).unwrap()),
            "Row 1, column 3, X"
        );
        assert_eq!(
            cell_label(&game, Cell::from_number(4).unwrap()),
            "Row 2, column 1, empty"
        );
    }

    #[test]
    fn hints_count_the_winners_own_moves() {
        // X X . / O O . / . . . with X to move: 3 wins now; anything else lets O win next move.
        let game = game_of(&[1, 4, 2, 5]);
        let evals = evaluate(&game);
        let at = |n: i64| evals[Cell::from_number(n).unwrap().index()].unwrap();
        assert_eq!(hint_text(at(3), Player::X), "You win now");
        assert_eq!(hint_text(at(9), Player::X), "You lose in 1");
        // From the empty board every move draws.
        let empty = evaluate(&game_of(&[]));
        assert_eq!(hint_text(empty[0].unwrap(), Player::X), "Safe: a draw");
        // X in a corner, O on an edge: X forces a win, counted in X's moves (this one too).
        let game = game_of(&[1, 2]);
        let best = evaluate(&game)
            .into_iter()
            .flatten()
            .max_by_key(|&eval| hint_rank(eval, Player::X))
            .unwrap();
        assert_eq!(best.winner, Some(Player::X));
        let moves = usize::from(best.plies) / 2 + 1;
        assert_eq!(hint_text(best, Player::X), format!("You win in {moves}"));
        assert!(moves >= 2, "a win that takes more than the move itself");
    }
}
