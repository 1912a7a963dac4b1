//! The board widget: custom-painted squares that report which one the player asked for, for
//! every game — classic's nine, Ultimate's nine small boards, Gomoku's 15×15 grid.
//!
//! Reusable by every mode (two people at this computer, against the computer, over the network,
//! a replay): [`board_ui`] draws a [`Game`] and returns the cell the player picked by mouse or
//! keyboard, and never changes the game itself. Whether a pick is allowed right now is the
//! caller's call ([`BoardOptions::interactive`]); the widget only offers legal cells. With
//! [`BoardOptions::hints`] each playable classic square also shows its perfect-play result, and
//! a bigger board lights the move suggested ([`BoardOptions::suggestion`]).
//!
//! Layout: [`board_ui`] (this file: the classic board) puts together `paint` (colours, the grid,
//! the marks, the small boards), `hints` (each square's label and hint), `input` (the keyboard)
//! and `motion` (what grows, draws itself or flashes); `big` draws the bigger games' boards with
//! the same parts.

mod big;
mod hints;
mod input;
mod motion;
mod paint;

use egui::{CornerRadius, CursorIcon, Rect, Role, Sense, Stroke, StrokeKind, Ui, Vec2, WidgetInfo};

pub use hints::{cell_label, cell_label_with_hint, hint_text};
pub use paint::{logo_ui, mark_color, mini_board_ui, paint_mark};

use crate::app::style::Palette;
use crate::game::{Cell, Game, Outcome, evaluate};
use hints::{Hint, hint_color, hint_rank, paint_hint};
use input::keyboard_pick;
use motion::{Motion, Taken, WIN_LINE_SECONDS, newest_mark, pointer_moved_since_shown};
use paint::{hover_fill, paint_ghost, paint_placed};

/// How the board behaves this frame.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct BoardOptions {
    /// Whether the person at this screen may place a mark now. False once the game is over,
    /// while the computer or the remote player is to move, and in a replay.
    pub interactive: bool,
    /// Whether each playable square shows what it leads to under perfect play ("You win in 2",
    /// "Safe: a draw"). Shown only while the board is interactive.
    pub hints: bool,
    /// A move of mine sent over the network and not yet confirmed: drawn faded in its square,
    /// with the mark of the player to move.
    pub pending: Option<Cell>,
    /// In a bigger game with hints on, the move the computer suggests, once it has chosen:
    /// lit on the board and named "suggested" to screen readers. Classic shows its hints
    /// instead.
    pub suggestion: Option<Cell>,
}

impl Default for BoardOptions {
    fn default() -> Self {
        Self {
            interactive: true,
            hints: false,
            pending: None,
            suggestion: None,
        }
    }
}

/// Draws `game` as a square board filling the space left in `ui`; returns the cell picked, if any.
///
/// A cell is picked by clicking, by a digit key 1–9 (top row or numpad), or by moving the focus
/// with the arrow keys and pressing Enter or Space. Only legal cells are ever returned.
///
/// Every square is an accessible button labelled like "Row 2, column 1, X" (with hints on, an
/// empty one like "Row 2, column 1, empty, hint: draw"); a bigger game's cell by its name
/// ([`Variant::cell_name`](crate::game::Variant::cell_name)) and content: "board 5, cell 3,
/// empty", "h8, X". Ultimate's digits pick a small board, then a cell; Gomoku has no digits.
pub fn board_ui(ui: &mut Ui, game: &Game, options: BoardOptions) -> Option<Cell> {
    if !game.variant().is_classic() {
        return big::big_board_ui(ui, game, options);
    }
    let board_id = ui.make_persistent_id("board");
    let cell_id = |cell: Cell| board_id.with(cell.index());
    let interactive = options.interactive && !game.is_over();
    // A table look-up per square: cheap enough to do every frame.
    let hints = (options.hints && interactive).then(|| evaluate(game));
    let mover = game.side_to_move();
    // The best result on offer; every square that reaches it is a best move.
    let best_rank = hints
        .iter()
        .flatten()
        .flatten()
        .map(|&eval| hint_rank(eval, mover))
        .max();

    let available = ui.available_rect_before_wrap();
    ui.allocate_rect(available, Sense::hover());
    let side = available.width().min(available.height()).max(0.0);
    let board_rect = Rect::from_center_size(available.center(), Vec2::splat(side));
    let cell_side = side / 3.0;
    let cell_rect = |cell: Cell| {
        Rect::from_min_size(
            board_rect.min + Vec2::new(f32::from(cell.col()), f32::from(cell.row())) * cell_side,
            Vec2::splat(cell_side),
        )
    };

    let pointer_moved = pointer_moved_since_shown(ui, board_id);
    let now = ui.input(|i| i.time);
    let motion = Motion::of(ui);
    let newest = newest_mark(ui, board_id, game, now, motion);
    let mut taken = Taken::read(ui, board_id, now, motion);
    let mut picked = None;
    if interactive {
        picked = keyboard_pick(ui, cell_id);
        // A digit naming a square already taken: the square says so, as a click on it does.
        if let Some(cell) = picked.filter(|&cell| !game.is_legal(cell)) {
            taken = Taken::start(ui, board_id, cell, now);
        }
    } else {
        // A finished board takes no keyboard focus, so Enter and Tab reach the buttons around it.
        let focused = ui.memory(egui::Memory::focused);
        if let Some(cell) = Cell::ALL.into_iter().find(|&c| focused == Some(cell_id(c))) {
            ui.memory_mut(|m| m.surrender_focus(cell_id(cell)));
        }
    }

    let painter = ui.painter_at(board_rect.expand(side * 0.05));
    let visuals = ui.visuals().clone();
    let outcome = game.outcome();
    let winning_cells = match &outcome {
        Outcome::Won { line, .. } => Some(line.cells()),
        Outcome::InProgress { .. } | Outcome::Draw => None,
    };
    let line_width = (cell_side * 0.09).max(2.0);
    let palette = Palette::of(&visuals);
    // The board's surface: a rounded card with a faint tile under each square.
    painter.rect_filled(
        board_rect.expand(side * 0.015),
        CornerRadius::same(14),
        palette.card,
    );
    let last = game.last_move();

    for cell in Cell::ALL {
        let rect = cell_rect(cell);
        let mark = game.board().get(cell);
        let legal = interactive && mark.is_none();
        let sense = if interactive {
            Sense::click()
        } else {
            Sense::hover()
        };
        let hint = hints
            .and_then(|evals| evals[cell.index()])
            .map(|eval| (eval, Some(hint_rank(eval, mover)) == best_rank));
        let mut response = ui.interact(rect, cell_id(cell), sense);
        let pending = options.pending == Some(cell) && mark.is_none();
        if interactive && mark.is_some() && response.clicked() {
            taken = Taken::start(ui, board_id, cell, now);
        }
        let flash = taken.strength(cell);
        response.widget_info(|| {
            let label = cell_label_with_hint(game, cell, hint);
            let label = if pending {
                format!("{label}, your move is being sent")
            } else if flash.is_some() {
                format!("{label}, already taken")
            } else {
                label
            };
            WidgetInfo::labeled(Role::Button, legal, label)
        });
        if legal {
            response = response.on_hover_cursor(CursorIcon::PointingHand);
            if response.clicked() {
                picked = Some(cell);
            }
        }
        let inner = rect.shrink(cell_side * 0.04);
        // The tile: lit in the winner's colour on the winning line, tinted faintly in the
        // mover's colour under the last move.
        let tile = match (winning_cells, mark) {
            (Some(cells), Some(player)) if cells.contains(&cell) => palette
                .tile
                .lerp_to_gamma(mark_color(&visuals, player), 0.22),
            (_, Some(player))
                if last == Some(cell)
                    && outcome
                        == Outcome::InProgress {
                            to_move: player.other(),
                        } =>
            {
                palette
                    .tile
                    .lerp_to_gamma(mark_color(&visuals, player), 0.12)
            }
            _ => palette.tile,
        };
        painter.rect_filled(inner, CornerRadius::same(8), tile);
        // No preview under a pointer that has not moved since the board appeared (the click that
        // opened this screen left it there): only a pointer the player moves means a choice.
        let hovered = legal && response.hovered() && pointer_moved;
        if hovered {
            painter.rect_filled(inner, CornerRadius::same(6), hover_fill(&visuals));
        }
        match (mark, game.to_move()) {
            (Some(player), _) => {
                let dimmed = winning_cells.is_some_and(|cells| !cells.contains(&cell))
                    || outcome == Outcome::Draw;
                let color = mark_color(&visuals, player);
                // Dimmed well short of the preview of a move (0.4 above): at 0.45 the marks
                // off the winning line read as moves still to be made.
                let color = if dimmed {
                    palette.tile.lerp_to_gamma(color, 0.75)
                } else {
                    color
                };
                // The newest mark grows into place; the others stand.
                paint_placed(
                    &painter,
                    (rect, cell),
                    player,
                    Stroke::new(line_width, color),
                    newest,
                );
            }
            (None, Some(to_move)) if legal && (hovered || response.has_focus()) => {
                // An opaque blend, so the strokes of the X do not darken where they cross.
                let under = if hovered {
                    hover_fill(&visuals)
                } else {
                    palette.tile
                };
                paint_ghost(
                    &painter,
                    (rect, line_width),
                    to_move,
                    (under, 0.4),
                    &visuals,
                );
            }
            (None, Some(to_move)) if pending => {
                let under = visuals.panel_fill;
                paint_ghost(
                    &painter,
                    (rect, line_width),
                    to_move,
                    (under, 0.35),
                    &visuals,
                );
            }
            (None, _) => {}
        }
        if let (Some((eval, best)), Some(mover)) = (hint, game.to_move()) {
            let plate = if hovered {
                hover_fill(&visuals)
            } else {
                palette.tile
            };
            let hint = Hint {
                text: hint_text(eval, mover),
                color: hint_color(&visuals, eval, mover, best),
                best,
            };
            paint_hint(&painter, rect, &hint, plate);
        }
        if let Some(strength) = flash {
            let warn = visuals.error_fg_color;
            painter.rect_stroke(
                inner,
                CornerRadius::same(6),
                Stroke::new((cell_side * 0.03).max(2.0), warn.gamma_multiply(strength)),
                StrokeKind::Inside,
            );
        }
        if response.has_focus() {
            painter.rect_stroke(
                inner,
                CornerRadius::same(6),
                Stroke::new((cell_side * 0.025).max(2.0), visuals.selection.stroke.color),
                StrokeKind::Inside,
            );
        }
    }

    let won = ui.ctx().animate_bool_with_time(
        board_id.with("win line"),
        winning_cells.is_some(),
        motion.scaled(WIN_LINE_SECONDS),
    );
    if let Outcome::Won { line, .. } = outcome {
        let (first, last) = line.ends();
        let start = cell_rect(first).center();
        let end = cell_rect(last).center();
        let overshoot = (end - start).normalized() * cell_side * 0.32;
        let (start, end) = (start - overshoot, end + overshoot);
        let end = start + (end - start) * won;
        let width = (cell_side * 0.05).max(3.0);
        // The winner's colour, on a halo of the board's own so that it stands out from the
        // marks it crosses.
        let winner = outcome
            .winner()
            .map_or(visuals.strong_text_color(), |player| {
                mark_color(&visuals, player)
            });
        let halo = width + (cell_side * 0.04).max(3.0);
        for (width, color) in [(halo, palette.card), (width, winner)] {
            painter.line_segment([start, end], Stroke::new(width, color));
            painter.circle_filled(start, width / 2.0, color);
            painter.circle_filled(end, width / 2.0, color);
        }
    }

    picked.filter(|&cell| game.is_legal(cell))
}
