//! The bigger games' boards: Ultimate's nine small boards in a 3×3, and Gomoku's 15×15 grid with
//! its coordinates along the edges.
//!
//! The same widget as the classic board (see the module above): every cell an accessible button
//! named as people name it ("board 5, cell 3, empty", "h8, X"), picked by a click, the keyboard
//! (`input`) or a screen reader; only legal cells are returned. What differs is the geometry
//! ([`Geometry`]) and what is drawn over the cells: Ultimate's lit small boards, the large mark
//! over a won one and the grey over a drawn one; Gomoku's coordinates and last move.

use egui::{
    Align2, Color32, CornerRadius, CursorIcon, FontId, Pos2, Rect, Role, Sense, Stroke, StrokeKind,
    Ui, Vec2, WidgetInfo,
};

use super::BoardOptions;
use super::input::{big_keyboard_pick, chosen_board};
use super::motion::{Motion, Taken, WIN_LINE_SECONDS, newest_mark, pointer_moved_since_shown};
use super::paint::{hover_fill, mark_color, paint_ghost, paint_mark, paint_placed};
use crate::app::style::{Palette, SMALL};
use crate::game::{Cell, Game, Outcome, SmallBoard, Variant};

/// Where everything of a bigger board lies within the square the board is given.
#[derive(Clone, Copy, Debug)]
pub(super) struct Geometry {
    variant: Variant,
    /// The cells, all of them.
    grid: Rect,
    /// A cell's side.
    cell: f32,
    /// The gap between Ultimate's small boards (none in Gomoku).
    gap: f32,
    /// Gomoku's coordinates: their size in points.
    label: f32,
}

impl Geometry {
    /// The board of `variant` in `square`. Gomoku keeps a strip under the grid for its column
    /// letters, and the grid is centred across the square; its row numbers stand to its left.
    pub(super) fn of(variant: Variant, square: Rect) -> Self {
        let side = square.width();
        match variant {
            Variant::Gomoku => {
                #[expect(clippy::cast_precision_loss, reason = "a side of 15")]
                let n = variant.side() as f32;
                let label = (side / n * 0.6).clamp(SMALL, 16.0);
                let grid_side = (side - label * 1.3).max(0.0);
                let grid = Rect::from_min_size(
                    Pos2::new(square.center().x - grid_side / 2.0, square.top()),
                    Vec2::splat(grid_side),
                );
                Self {
                    variant,
                    grid,
                    cell: grid_side / n,
                    gap: 0.0,
                    label,
                }
            }
            Variant::Classic | Variant::Ultimate => {
                let gap = (side * 0.025).max(3.0);
                Self {
                    variant,
                    grid: square,
                    cell: ((side - 2.0 * gap) / 9.0).max(0.0),
                    gap,
                    label: 0.0,
                }
            }
        }
    }

    /// The rectangle of the grid's cell at `row` and `col`.
    fn at(&self, row: usize, col: usize) -> Rect {
        #[expect(clippy::cast_precision_loss, reason = "a row or column under 15")]
        let offset = |i: usize| i as f32 * self.cell + (i / 3) as f32 * self.gap;
        let (x, y) = match self.variant {
            Variant::Ultimate => (offset(col), offset(row)),
            #[expect(clippy::cast_precision_loss, reason = "a row or column under 15")]
            Variant::Classic | Variant::Gomoku => (col as f32 * self.cell, row as f32 * self.cell),
        };
        Rect::from_min_size(self.grid.min + Vec2::new(x, y), Vec2::splat(self.cell))
    }

    /// The rectangle of `cell`.
    pub(super) fn cell_rect(&self, cell: Cell) -> Rect {
        let (row, col) = self.variant.row_col(cell);
        self.at(row, col)
    }

    /// Ultimate: the rectangle of small board `board` (named as the classic cell in its place).
    fn small_board_rect(&self, board: Cell) -> Rect {
        let (row, col) = (usize::from(board.row()) * 3, usize::from(board.col()) * 3);
        self.at(row, col).union(self.at(row + 2, col + 2))
    }

    /// The card under the board: the grid, and Gomoku's coordinates around it.
    fn card(&self) -> Rect {
        let margin = self.gap.max(self.cell * 0.15).max(3.0);
        if self.variant == Variant::Gomoku {
            // Room for the row numbers on the left, and as much on the right to stay centred.
            let numbers = self.label * 1.4 + 4.0;
            Rect::from_min_max(
                self.grid.min - Vec2::new(numbers, margin),
                self.grid.max + Vec2::new(numbers, self.label * 1.3),
            )
        } else {
            self.grid.expand(margin)
        }
    }
}

/// Draws a bigger game's `game` filling the space left in `ui`; returns the legal cell picked.
pub(super) fn big_board_ui(ui: &mut Ui, game: &Game, options: BoardOptions) -> Option<Cell> {
    let variant = game.variant();
    let board_id = ui.make_persistent_id("board");
    let cell_id = |cell: Cell| board_id.with(cell.index());
    let interactive = options.interactive && !game.is_over();

    let available = ui.available_rect_before_wrap();
    ui.allocate_rect(available, Sense::hover());
    let side = available.width().min(available.height()).max(0.0);
    let square = Rect::from_center_size(available.center(), Vec2::splat(side));
    let geometry = Geometry::of(variant, square);

    let pointer_moved = pointer_moved_since_shown(ui, board_id);
    let now = ui.input(|i| i.time);
    let motion = Motion::of(ui);
    let newest = newest_mark(ui, board_id, game, now, motion);
    let mut taken = Taken::read(ui, board_id, now, motion);
    let mut picked = None;
    if interactive {
        picked = big_keyboard_pick(ui, game, board_id, cell_id);
        if let Some(cell) = picked.filter(|&cell| game.board().get(cell).is_some()) {
            taken = Taken::start(ui, board_id, cell, now);
        }
    } else {
        let focused = ui.memory(egui::Memory::focused);
        if let Some(cell) = variant.all_cells().find(|&c| focused == Some(cell_id(c))) {
            ui.memory_mut(|m| m.surrender_focus(cell_id(cell)));
        }
    }

    let visuals = ui.visuals().clone();
    let palette = Palette::of(&visuals);
    let card = geometry.card();
    let painter = ui.painter_at(card.expand(side * 0.05));
    painter.rect_filled(card, CornerRadius::same(12), palette.card);
    if variant == Variant::Gomoku {
        paint_coordinates(&painter, &geometry, visuals.text_color());
    }

    let outcome = game.outcome();
    let mover = game.to_move();
    let active = game.active_boards();
    let small_boards = (variant == Variant::Ultimate).then(|| game.board().small_boards());
    let winning_cells: &[Cell] = match &outcome {
        Outcome::Won { line, .. } if !line.of_small_boards() => line.cells(),
        _ => &[],
    };
    let last = game.last_move();
    let mark_width = (geometry.cell * 0.11).max(1.6);

    // Ultimate: the small boards the mover may play in are lit, and outlined in their colour
    // when there is one (sent there, or picked by a first digit).
    let chosen = interactive
        .then(|| chosen_board(ui, board_id, game))
        .flatten();
    if let Some(to_move) = mover.filter(|_| variant == Variant::Ultimate) {
        for &board in &active {
            let rect = geometry.small_board_rect(board).expand(geometry.gap * 0.45);
            let color = mark_color(&visuals, to_move);
            painter.rect_filled(
                rect,
                CornerRadius::same(6),
                palette.card.lerp_to_gamma(color, 0.14),
            );
            if active.len() == 1 || chosen == Some(board) {
                painter.rect_stroke(
                    rect,
                    CornerRadius::same(6),
                    Stroke::new((geometry.gap * 0.35).max(1.5), color),
                    StrokeKind::Inside,
                );
            }
        }
    }

    for cell in variant.all_cells() {
        let rect = geometry.cell_rect(cell);
        let mark = game.board().get(cell);
        let legal = interactive && game.is_legal(cell);
        let sense = if interactive {
            Sense::click()
        } else {
            Sense::hover()
        };
        let mut response = ui.interact(rect, cell_id(cell), sense);
        if interactive && mark.is_some() && response.clicked() {
            taken = Taken::start(ui, board_id, cell, now);
        }
        let flash = taken.strength(cell);
        let pending = options.pending == Some(cell) && mark.is_none();
        let suggested = options.hints && interactive && options.suggestion == Some(cell);
        response.widget_info(|| {
            let content = mark.map_or_else(|| "empty".to_owned(), |p| p.char().to_string());
            let mut label = format!("{}, {content}", variant.cell_name(cell));
            if suggested {
                label.push_str(", suggested");
            }
            if pending {
                label.push_str(", your move is being sent");
            } else if flash.is_some() {
                label.push_str(", already taken");
            }
            WidgetInfo::labeled(Role::Button, legal, label)
        });
        if legal {
            response = response.on_hover_cursor(CursorIcon::PointingHand);
            if response.clicked() {
                picked = Some(cell);
            }
        }

        let inner = rect.shrink((geometry.cell * 0.05).max(0.5));
        let lit = variant == Variant::Ultimate && active.contains(&cell.small_board());
        let tile = match mark {
            Some(player) if winning_cells.contains(&cell) => palette
                .tile
                .lerp_to_gamma(mark_color(&visuals, player), 0.3),
            Some(player) if last == Some(cell) => palette
                .tile
                .lerp_to_gamma(mark_color(&visuals, player), 0.22),
            _ if lit => mover.map_or(palette.tile, |to_move| {
                palette
                    .tile
                    .lerp_to_gamma(mark_color(&visuals, to_move), 0.1)
            }),
            _ => palette.tile,
        };
        let corner = CornerRadius::same(if geometry.cell > 24.0 { 4 } else { 2 });
        painter.rect_filled(inner, corner, tile);
        let hovered = legal && response.hovered() && pointer_moved;
        if hovered {
            painter.rect_filled(inner, corner, hover_fill(&visuals));
        }
        if suggested {
            painter.rect_filled(
                inner,
                corner,
                palette.tile.lerp_to_gamma(palette.accent, 0.3),
            );
        }
        let won_here =
            small_boards.is_some_and(|boards| !boards[cell.small_board().index()].is_open());
        match (mark, mover) {
            (Some(player), _) => {
                let color = mark_color(&visuals, player);
                // Quieter under a small board's large mark, and off the winning line.
                let dimmed = won_here
                    || (!winning_cells.is_empty() && !winning_cells.contains(&cell))
                    || outcome == Outcome::Draw;
                let color = if dimmed {
                    palette.tile.lerp_to_gamma(color, 0.6)
                } else {
                    color
                };
                paint_placed(
                    &painter,
                    (rect, cell),
                    player,
                    Stroke::new(mark_width, color),
                    newest,
                );
                if last == Some(cell) && variant == Variant::Gomoku {
                    // The last stone is also marked by a dot, for those who do not see colour.
                    painter.circle_filled(rect.center(), mark_width * 0.9, color);
                }
            }
            (None, Some(to_move)) if legal && (hovered || response.has_focus() || suggested) => {
                let under = if hovered { hover_fill(&visuals) } else { tile };
                paint_ghost(
                    &painter,
                    (rect, mark_width),
                    to_move,
                    (under, 0.45),
                    &visuals,
                );
            }
            (None, Some(to_move)) if pending => {
                let under = visuals.panel_fill;
                paint_ghost(
                    &painter,
                    (rect, mark_width),
                    to_move,
                    (under, 0.35),
                    &visuals,
                );
            }
            (None, _) => {}
        }
        let ring = (geometry.cell * 0.08).max(1.5);
        if suggested {
            painter.rect_stroke(
                inner,
                corner,
                Stroke::new(ring, palette.accent_ink),
                StrokeKind::Inside,
            );
        }
        if let Some(strength) = flash {
            painter.rect_stroke(
                inner,
                corner,
                Stroke::new(ring, visuals.error_fg_color.gamma_multiply(strength)),
                StrokeKind::Inside,
            );
        }
        if response.has_focus() {
            painter.rect_stroke(
                inner,
                corner,
                Stroke::new(ring, visuals.selection.stroke.color),
                StrokeKind::Inside,
            );
        }
    }

    if let Some(boards) = small_boards {
        paint_small_boards(&painter, &geometry, &boards, &visuals, palette);
    }
    paint_win_line(ui, &painter, &geometry, game, board_id, motion, palette);

    picked.filter(|&cell| game.is_legal(cell))
}

/// Gomoku's coordinates: the column letters a–o under the grid, the row numbers 1–15 (counted
/// from the bottom) to its left.
fn paint_coordinates(painter: &egui::Painter, geometry: &Geometry, color: Color32) {
    let font = FontId::proportional(geometry.label);
    let side = geometry.variant.side();
    for index in 0..side {
        let Some(bottom) = geometry.variant.cell_at(side - 1, index) else {
            continue;
        };
        let under = geometry.cell_rect(bottom);
        let text = geometry.variant.move_text(bottom);
        let letter: String = text.chars().take(1).collect();
        painter.text(
            Pos2::new(
                under.center().x,
                geometry.grid.bottom() + geometry.label * 0.1,
            ),
            Align2::CENTER_TOP,
            letter,
            font.clone(),
            color,
        );
        let Some(left) = geometry.variant.cell_at(index, 0) else {
            continue;
        };
        let row = geometry.cell_rect(left);
        let number: String = geometry.variant.move_text(left).chars().skip(1).collect();
        painter.text(
            Pos2::new(geometry.grid.left() - geometry.label * 0.3, row.center().y),
            Align2::RIGHT_CENTER,
            number,
            font.clone(),
            color,
        );
    }
}

/// Ultimate: the lines between the small boards, and over each closed one what became of it —
/// the winner's large mark, or grey for a draw.
fn paint_small_boards(
    painter: &egui::Painter,
    geometry: &Geometry,
    boards: &[SmallBoard; 9],
    visuals: &egui::Visuals,
    palette: Palette,
) {
    let line = visuals
        .widgets
        .noninteractive
        .fg_stroke
        .color
        .gamma_multiply(0.8);
    let width = (geometry.gap * 0.4).max(2.0);
    let grid = geometry.grid;
    for i in 1..3_u8 {
        let Some(board) = Cell::at(i, i) else {
            continue;
        };
        let rect = geometry.small_board_rect(board);
        let x = rect.left() - geometry.gap / 2.0;
        let y = rect.top() - geometry.gap / 2.0;
        painter.line_segment(
            [Pos2::new(x, grid.top()), Pos2::new(x, grid.bottom())],
            Stroke::new(width, line),
        );
        painter.line_segment(
            [Pos2::new(grid.left(), y), Pos2::new(grid.right(), y)],
            Stroke::new(width, line),
        );
    }
    for board in Cell::ALL {
        let rect = geometry.small_board_rect(board);
        match boards[board.index()] {
            SmallBoard::Open => {}
            SmallBoard::Won { winner, .. } => {
                painter.rect_filled(
                    rect,
                    CornerRadius::same(6),
                    palette.card.gamma_multiply(0.55),
                );
                paint_mark(
                    painter,
                    rect,
                    winner,
                    Stroke::new((rect.width() * 0.08).max(3.0), mark_color(visuals, winner)),
                );
            }
            SmallBoard::Drawn => {
                // A grey veil: it counts for nobody.
                painter.rect_filled(
                    rect,
                    CornerRadius::same(6),
                    visuals.weak_text_color().gamma_multiply(0.3),
                );
            }
        }
    }
}

/// The winning line, drawn across the board as it is won: through the five (or more) in Gomoku,
/// through the three small boards in Ultimate.
fn paint_win_line(
    ui: &Ui,
    painter: &egui::Painter,
    geometry: &Geometry,
    game: &Game,
    board_id: egui::Id,
    motion: Motion,
    palette: Palette,
) {
    let outcome = game.outcome();
    let won = ui.ctx().animate_bool_with_time(
        board_id.with("win line"),
        outcome.winner().is_some(),
        motion.scaled(WIN_LINE_SECONDS),
    );
    let Outcome::Won { line, winner } = outcome else {
        return;
    };
    let (first, last) = line.ends();
    let centre = |cell: Cell| {
        if line.of_small_boards() {
            geometry.small_board_rect(cell).center()
        } else {
            geometry.cell_rect(cell).center()
        }
    };
    let (start, end) = (centre(first), centre(last));
    let reach = if line.of_small_boards() {
        geometry.cell * 1.2
    } else {
        geometry.cell * 0.35
    };
    let overshoot = (end - start).normalized() * reach;
    let (start, end) = (start - overshoot, end + overshoot);
    let end = start + (end - start) * won;
    let width = (geometry.cell * 0.16).max(3.0);
    let halo = width + (geometry.cell * 0.1).max(2.0);
    let color = mark_color(ui.visuals(), winner);
    for (width, color) in [(halo, palette.card), (width, color)] {
        painter.line_segment([start, end], Stroke::new(width, color));
        painter.circle_filled(start, width / 2.0, color);
        painter.circle_filled(end, width / 2.0, color);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_tile_the_grid_without_overlapping() {
        let square = Rect::from_min_size(Pos2::ZERO, Vec2::splat(300.0));
        for variant in [Variant::Ultimate, Variant::Gomoku] {
            let geometry = Geometry::of(variant, square);
            let rects: Vec<Rect> = variant.all_cells().map(|c| geometry.cell_rect(c)).collect();
            for (i, a) in rects.iter().enumerate() {
                assert!(square.expand(0.01).contains_rect(*a), "{variant}: {a:?}");
                for b in &rects[i + 1..] {
                    assert!(!a.shrink(0.01).intersects(b.shrink(0.01)), "{variant}");
                }
            }
            assert!((geometry.grid.center().x - square.center().x).abs() < 0.01);
        }
    }
}
