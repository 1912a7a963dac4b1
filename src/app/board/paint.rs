//! How the board looks: the marks' colours, the grid, an X or an O, and the small boards of the
//! menu's logo and the history's list. Painting only; no input, no state.

use egui::{Color32, Pos2, Rect, Sense, Stroke, Ui, Vec2, Visuals};

use crate::game::{Cell, Game, Player};

/// The colour of `player`'s mark, readable on the current theme's background.
#[must_use]
pub fn mark_color(visuals: &Visuals, player: Player) -> Color32 {
    match (player, visuals.dark_mode) {
        (Player::X, true) => Color32::from_rgb(0x5c, 0xb3, 0xff),
        (Player::X, false) => Color32::from_rgb(0x1a, 0x62, 0xc4),
        (Player::O, true) => Color32::from_rgb(0xff, 0xa0, 0x4a),
        (Player::O, false) => Color32::from_rgb(0xa8, 0x43, 0x00),
    }
}

/// The background of a hovered, playable square.
pub fn hover_fill(visuals: &Visuals) -> Color32 {
    visuals.widgets.hovered.weak_bg_fill
}

/// A small decorative board, `side` points square, for the menu. Not interactive.
pub fn logo_ui(ui: &mut Ui, side: f32) {
    let marks = [
        (0, Player::X),
        (1, Player::O),
        (4, Player::X),
        (5, Player::O),
        (8, Player::X),
    ]
    .into_iter()
    .filter_map(|(index, player)| Some((Cell::from_index(index)?, player)));
    small_board_ui(ui, side, marks);
}

/// `game`'s final position in a small board, `side` points square, as the history lists it.
/// Not interactive; screen readers hear the row's text instead.
///
/// A bigger game's board is drawn as dots in its marks' colours on its grid (Ultimate's small
/// boards ruled apart), as too small for an X and an O.
pub fn mini_board_ui(ui: &mut Ui, game: &Game, side: f32) {
    let board = game.board();
    let variant = game.variant();
    if variant.is_classic() {
        let marks = Cell::ALL
            .into_iter()
            .filter_map(|cell| board.get(cell).map(|player| (cell, player)));
        small_board_ui(ui, side, marks);
        return;
    }
    let (rect, _) = ui.allocate_exact_size(Vec2::splat(side), Sense::hover());
    let painter = ui.painter_at(rect);
    let visuals = ui.visuals();
    painter.rect_filled(rect, 3.0, visuals.extreme_bg_color);
    #[expect(clippy::cast_precision_loss, reason = "a board side, at most 15")]
    let cell_side = side / variant.side() as f32;
    if variant.is_ultimate() {
        let stroke = Stroke::new(1.0, visuals.weak_text_color());
        for i in 1..3_u8 {
            let at = side / 3.0 * f32::from(i);
            painter.vline(rect.left() + at, rect.y_range(), stroke);
            painter.hline(rect.x_range(), rect.top() + at, stroke);
        }
    }
    for cell in variant.all_cells() {
        let Some(player) = board.get(cell) else {
            continue;
        };
        let (row, col) = variant.row_col(cell);
        #[expect(clippy::cast_precision_loss, reason = "a row or column, at most 14")]
        let centre = rect.min + Vec2::new(col as f32 + 0.5, row as f32 + 0.5) * cell_side;
        painter.circle_filled(centre, cell_side * 0.4, mark_color(visuals, player));
    }
}

fn small_board_ui(ui: &mut Ui, side: f32, marks: impl Iterator<Item = (Cell, Player)>) {
    let (rect, _) = ui.allocate_exact_size(Vec2::splat(side), Sense::hover());
    let painter = ui.painter_at(rect.expand(side * 0.05));
    let visuals = ui.visuals();
    paint_grid(&painter, rect, visuals);
    let cell_side = side / 3.0;
    for (cell, player) in marks {
        let cell_rect = Rect::from_min_size(
            rect.min + Vec2::new(f32::from(cell.col()), f32::from(cell.row())) * cell_side,
            Vec2::splat(cell_side),
        );
        let stroke = Stroke::new(cell_side * 0.1, mark_color(visuals, player));
        paint_mark(&painter, cell_rect, player, stroke);
    }
}

/// The two lines each way between the squares of a small board.
pub fn paint_grid(painter: &egui::Painter, board: Rect, visuals: &Visuals) {
    let side = board.width();
    let stroke = Stroke::new(
        (side * 0.012).max(2.0),
        visuals
            .widgets
            .noninteractive
            .fg_stroke
            .color
            .gamma_multiply(0.7),
    );
    let inset = side * 0.03;
    for i in 1..3 {
        #[expect(clippy::cast_precision_loss, reason = "i is 1 or 2")]
        let offset = side * i as f32 / 3.0;
        painter.line_segment(
            [
                Pos2::new(board.left() + offset, board.top() + inset),
                Pos2::new(board.left() + offset, board.bottom() - inset),
            ],
            stroke,
        );
        painter.line_segment(
            [
                Pos2::new(board.left() + inset, board.top() + offset),
                Pos2::new(board.right() - inset, board.top() + offset),
            ],
            stroke,
        );
    }
}

/// Paints a placed mark in `cell` at `grown` of its full size (the newest mark grows into place,
/// and `newest` says which that is and how far it has grown).
pub(super) fn paint_placed(
    painter: &egui::Painter,
    (cell, index): (Rect, Cell),
    player: Player,
    stroke: Stroke,
    newest: Option<(Cell, f32)>,
) {
    let grown = newest
        .filter(|&(newest, _)| newest == index)
        .map_or(1.0, |(_, progress)| progress);
    let shown = Rect::from_center_size(cell.center(), cell.size() * grown);
    paint_mark(
        painter,
        shown,
        player,
        Stroke::new(stroke.width * grown, stroke.color),
    );
}

/// Paints a faint mark of `player` in `cell`, `strength` of the way from `under` to the mark's
/// colour: the ghost of the move the pointer or the focus is on, or of a move not yet confirmed.
pub(super) fn paint_ghost(
    painter: &egui::Painter,
    (cell, width): (Rect, f32),
    player: Player,
    (under, strength): (Color32, f32),
    visuals: &Visuals,
) {
    let color = under.lerp_to_gamma(mark_color(visuals, player), strength);
    paint_mark(painter, cell, player, Stroke::new(width, color));
}

/// Paints an X (two strokes) or an O (a ring) centred in `cell`.
pub fn paint_mark(painter: &egui::Painter, cell: Rect, player: Player, stroke: Stroke) {
    let half = cell.width() * 0.26;
    let c = cell.center();
    match player {
        Player::X => {
            // Round caps: a dot at each end as wide as the stroke.
            for (from, to) in [
                (c + Vec2::new(-half, -half), c + Vec2::new(half, half)),
                (c + Vec2::new(half, -half), c + Vec2::new(-half, half)),
            ] {
                painter.line_segment([from, to], stroke);
                painter.circle_filled(from, stroke.width / 2.0, stroke.color);
                painter.circle_filled(to, stroke.width / 2.0, stroke.color);
            }
        }
        Player::O => {
            painter.circle_stroke(c, half * 1.08, stroke);
        }
    }
}
