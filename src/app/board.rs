//! The board widget: nine custom-painted squares that report which one the player asked for.
//!
//! Reusable by every mode (hot-seat and against the computer today; over the network later): it
//! draws a [`Game`] and returns the cell the player picked by mouse or keyboard, and never
//! changes the game itself. Whether a pick is allowed right now is the caller's call
//! ([`BoardOptions::interactive`]); the widget only offers legal cells. With
//! [`BoardOptions::hints`] each playable square also shows its perfect-play result.

use egui::{
    Align2, Color32, CornerRadius, CursorIcon, Event, FontId, Id, Key, Pos2, Rect, Role, Sense,
    Stroke, StrokeKind, Ui, Vec2, Visuals, WidgetInfo,
};

use crate::game::{Cell, Eval, Game, Outcome, Player, evaluate};

/// How the board behaves this frame.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct BoardOptions {
    /// Whether the person at this screen may place a mark now. False once the game is over, and
    /// (in later modes) while the computer or the remote player is thinking.
    pub interactive: bool,
    /// Whether each playable square shows what it leads to under perfect play ("X wins in 3",
    /// "Draw"). Shown only while the board is interactive.
    pub hints: bool,
    /// A move of mine sent over the network and not yet confirmed: drawn faded in its square,
    /// with the mark of the player to move.
    pub pending: Option<Cell>,
}

impl Default for BoardOptions {
    fn default() -> Self {
        Self {
            interactive: true,
            hints: false,
            pending: None,
        }
    }
}

/// The colour of `player`'s mark, readable on the current theme's background.
#[must_use]
pub fn mark_color(visuals: &Visuals, player: Player) -> Color32 {
    match (player, visuals.dark_mode) {
        (Player::X, true) => Color32::from_rgb(0x5c, 0xb3, 0xff),
        (Player::X, false) => Color32::from_rgb(0x1a, 0x62, 0xc4),
        (Player::O, true) => Color32::from_rgb(0xff, 0xa0, 0x4a),
        (Player::O, false) => Color32::from_rgb(0xc2, 0x4e, 0x00),
    }
}

/// The background of a hovered, playable square.
fn hover_fill(visuals: &Visuals) -> Color32 {
    visuals.widgets.hovered.weak_bg_fill
}

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

/// The label of a square showing a hint, such as "Row 1, column 1, empty, hint: X wins in 2
/// moves, best".
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

/// What playing a square leads to under perfect play, in the winner's own moves.
///
/// As a player counts them: "X wins now", "X wins in 2 moves" (this one and one more), "O wins in
/// 1 move" (O's next), "Draw".
#[must_use]
pub fn hint_text(eval: Eval, mover: Player) -> String {
    let Some(winner) = eval.winner else {
        return "Draw".to_owned();
    };
    // `plies` counts the moves after this one: the mover's own come every other one.
    let moves = if winner == mover {
        u32::from(eval.plies) / 2 + 1
    } else {
        u32::from(eval.plies).div_ceil(2)
    };
    match (winner == mover, moves) {
        (true, 1) => format!("{winner} wins now"),
        (_, 1) => format!("{winner} wins in 1 move"),
        (_, n) => format!("{winner} wins in {n} moves"),
    }
}

/// How good `eval` is for `mover`: higher is better (a quick win, then a slow win, a draw, a
/// slow loss, a quick loss).
fn hint_rank(eval: Eval, mover: Player) -> i32 {
    let plies = i32::from(eval.plies);
    match eval.winner {
        Some(winner) if winner == mover => 100 - plies,
        Some(_) => -100 + plies,
        None => 0,
    }
}

/// The colour of a hint: the best move(s) stand out — green when they win, the text colour when
/// they draw, red only when every move loses — and the others are quiet.
fn hint_color(visuals: &Visuals, eval: Eval, mover: Player, best: bool) -> Color32 {
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

/// Draws `game` as a square board filling the space left in `ui`; returns the cell picked, if any.
///
/// A cell is picked by clicking, by a digit key 1–9 (top row or numpad), or by moving the focus
/// with the arrow keys and pressing Enter or Space. Only legal cells are ever returned.
///
/// Every square is an accessible button labelled like "Row 2, column 1, X" (with hints on, an
/// empty one like "Row 2, column 1, empty, hint: draw").
pub fn board_ui(ui: &mut Ui, game: &Game, options: BoardOptions) -> Option<Cell> {
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
    let winning_cells = match outcome {
        Outcome::Won { line, .. } => Some(line.cells()),
        Outcome::InProgress { .. } | Outcome::Draw => None,
    };
    let line_width = (cell_side * 0.09).max(2.0);

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
        if let (Some(cells), Some(player)) = (winning_cells, mark)
            && cells.contains(&cell)
        {
            let tint = visuals
                .panel_fill
                .lerp_to_gamma(mark_color(&visuals, player), 0.15);
            painter.rect_filled(inner, CornerRadius::same(6), tint);
        }
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
                    visuals.panel_fill.lerp_to_gamma(color, 0.75)
                } else {
                    color
                };
                // The newest mark grows into place; the others stand.
                let grown = match newest {
                    Some((newest, progress)) if newest == cell => progress,
                    _ => 1.0,
                };
                let shown = Rect::from_center_size(rect.center(), rect.size() * grown);
                paint_mark(
                    &painter,
                    shown,
                    player,
                    Stroke::new(line_width * grown, color),
                );
            }
            (None, Some(to_move)) if legal && (hovered || response.has_focus()) => {
                // An opaque blend, so the strokes of the X do not darken where they cross.
                let under = if hovered {
                    hover_fill(&visuals)
                } else {
                    visuals.panel_fill
                };
                let color = under.lerp_to_gamma(mark_color(&visuals, to_move), 0.4);
                paint_mark(&painter, rect, to_move, Stroke::new(line_width, color));
            }
            (None, Some(to_move)) if pending => {
                let color = visuals
                    .panel_fill
                    .lerp_to_gamma(mark_color(&visuals, to_move), 0.35);
                paint_mark(&painter, rect, to_move, Stroke::new(line_width, color));
            }
            (None, _) => {}
        }
        if let (Some((eval, best)), Some(mover)) = (hint, game.to_move()) {
            let plate = if hovered {
                hover_fill(&visuals)
            } else {
                visuals.panel_fill
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

    paint_grid(&painter, board_rect, &visuals);

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
        // A neutral colour: the winner's own colour would vanish into their marks.
        let stroke = Stroke::new(width, visuals.strong_text_color());
        painter.line_segment([start, end], stroke);
        painter.circle_filled(start, width / 2.0, stroke.color);
        painter.circle_filled(end, width / 2.0, stroke.color);
    }

    picked.filter(|&cell| game.is_legal(cell))
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
pub fn mini_board_ui(ui: &mut Ui, game: &Game, side: f32) {
    let board = game.board();
    let marks = Cell::ALL
        .into_iter()
        .filter_map(|cell| board.get(cell).map(|player| (cell, player)));
    small_board_ui(ui, side, marks);
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

/// Digits pick a cell at once; arrows move the focus within the board (into it, at the centre,
/// when nothing has focus). Enter and Space on a focused cell arrive as a click.
fn keyboard_pick(ui: &Ui, cell_id: impl Fn(Cell) -> Id) -> Option<Cell> {
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
fn neighbour(cell: Cell, d_row: i8, d_col: i8) -> Option<Cell> {
    let clamp = |v: u8, d: i8| v.saturating_add_signed(d).min(2);
    Cell::at(clamp(cell.row(), d_row), clamp(cell.col(), d_col))
}

fn paint_grid(painter: &egui::Painter, board: Rect, visuals: &Visuals) {
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

/// A hint as painted.
struct Hint {
    text: String,
    color: Color32,
    /// One of the best moves: larger type.
    best: bool,
}

/// Paints a hint's text in small type at the centre of `cell`, wrapped to fit, on a plate of the
/// background colour so that it stays readable over the previewed mark.
fn paint_hint(painter: &egui::Painter, cell: Rect, hint: &Hint, plate: Color32) {
    let scale = if hint.best { 0.13 } else { 0.105 };
    let size = (cell.width() * scale).clamp(10.0, 18.0);
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

/// How long the winning line takes to draw itself across the board, with animations on.
const WIN_LINE_SECONDS: f32 = 0.3;
/// How long a new mark takes to grow into place, with animations on.
const NEW_MARK_SECONDS: f32 = 0.16;
/// How long a square already taken shows that it is, when clicked.
const TAKEN_SECONDS: f32 = 0.7;

/// Whether this board moves: the style's animation time, which the player's "Animations" setting
/// sets to zero when off.
#[derive(Clone, Copy, Debug)]
struct Motion {
    on: bool,
}

impl Motion {
    fn of(ui: &Ui) -> Self {
        Self {
            on: ui.style().animation_time > 0.0,
        }
    }

    /// `seconds` with animations on, none without.
    const fn scaled(self, seconds: f32) -> f32 {
        if self.on { seconds } else { 0.0 }
    }
}

/// The newest mark on the board and how far it has grown (0 to 1), while it grows. A mark grows
/// when it is added while the board is on screen: not on a board just shown, nor after an undo.
fn newest_mark(
    ui: &Ui,
    board_id: Id,
    game: &Game,
    now: f64,
    motion: Motion,
) -> Option<(Cell, f32)> {
    let count = game.moves().len();
    let since = ui.data_mut(|d| {
        let (seen, since) = d.get_temp_mut_or(board_id.with("newest"), (count, f64::NEG_INFINITY));
        if *seen != count {
            *since = if count == *seen + 1 {
                now
            } else {
                f64::NEG_INFINITY
            };
            *seen = count;
        }
        *since
    });
    let newest = *game.moves().last()?;
    let seconds = motion.scaled(NEW_MARK_SECONDS);
    #[expect(clippy::cast_possible_truncation, reason = "a fraction of a second")]
    let progress = ((now - since) as f32 / seconds.max(f32::EPSILON)).clamp(0.0, 1.0);
    if progress >= 1.0 || seconds == 0.0 {
        return None;
    }
    ui.ctx().request_repaint();
    // Eased out: quick at first, settling into place.
    let eased = 1.0 - (1.0 - progress).powi(3);
    Some((newest, 0.35 + 0.65 * eased))
}

/// A square already taken that the player tried to play, and how strongly it still says so.
#[derive(Clone, Copy, Debug, Default)]
struct Taken {
    /// The square and the strength of its outline (1 fading to 0).
    cell: Option<(Cell, f32)>,
}

impl Taken {
    /// Starts the outline on `cell` now.
    fn start(ui: &Ui, board_id: Id, cell: Cell, now: f64) -> Self {
        ui.data_mut(|d| d.insert_temp(board_id.with("taken"), (cell, now)));
        ui.ctx().request_repaint();
        Self {
            cell: Some((cell, 1.0)),
        }
    }

    /// The outline showing now, if any. Fades with animations on; without, it stays, then goes.
    fn read(ui: &Ui, board_id: Id, now: f64, motion: Motion) -> Self {
        let Some((cell, at)) = ui.data(|d| d.get_temp::<(Cell, f64)>(board_id.with("taken")))
        else {
            return Self::default();
        };
        #[expect(clippy::cast_possible_truncation, reason = "a fraction of a second")]
        let left = 1.0 - (now - at) as f32 / TAKEN_SECONDS;
        if left <= 0.0 {
            ui.data_mut(|d| d.remove::<(Cell, f64)>(board_id.with("taken")));
            return Self::default();
        }
        if motion.on {
            ui.ctx().request_repaint();
        } else {
            ui.ctx().request_repaint_after_secs(left * TAKEN_SECONDS);
        }
        let strength = if motion.on { left.sqrt() } else { 1.0 };
        Self {
            cell: Some((cell, strength)),
        }
    }

    fn strength(self, cell: Cell) -> Option<f32> {
        self.cell
            .and_then(|(taken, strength)| (taken == cell).then_some(strength))
    }
}

/// Whether the pointer has moved since the board was first drawn after not being drawn (a new
/// screen, a new match).
fn pointer_moved_since_shown(ui: &Ui, board_id: Id) -> bool {
    let (now, still_s) = ui.input(|i| (i.time, i.pointer.time_since_last_movement()));
    let frame_nr = ui.ctx().cumulative_frame_nr();
    // When the board appeared, and the frame it was last drawn in.
    let shown_at = ui.data_mut(|d| {
        let entry = d.get_temp_mut_or(board_id.with("shown"), (now, frame_nr));
        if entry.1 + 1 < frame_nr {
            entry.0 = now;
        }
        entry.1 = frame_nr;
        entry.0
    });
    now - f64::from(still_s) > shown_at
}

/// Paints an X (two strokes) or an O (a ring) centred in `cell`.
fn paint_mark(painter: &egui::Painter, cell: Rect, player: Player, stroke: Stroke) {
    let half = cell.width() * 0.26;
    let c = cell.center();
    match player {
        Player::X => {
            painter.line_segment(
                [c + Vec2::new(-half, -half), c + Vec2::new(half, half)],
                stroke,
            );
            painter.line_segment(
                [c + Vec2::new(half, -half), c + Vec2::new(-half, half)],
                stroke,
            );
        }
        Player::O => {
            painter.circle_stroke(c, half * 1.08, stroke);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_name_row_column_and_content() {
        let mut game = Game::new(Player::X);
        game.play(Cell::from_number(3).unwrap()).unwrap();
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
        let cells = |ns: &[i64]| -> Vec<Cell> {
            ns.iter().map(|&n| Cell::from_number(n).unwrap()).collect()
        };
        // X X . / O O . / . . . with X to move: 3 wins now; anything else lets O win next move.
        let game = Game::from_moves(Player::X, &cells(&[1, 4, 2, 5])).unwrap();
        let evals = evaluate(&game);
        let at = |n: i64| evals[Cell::from_number(n).unwrap().index()].unwrap();
        assert_eq!(hint_text(at(3), Player::X), "X wins now");
        assert_eq!(hint_text(at(9), Player::X), "O wins in 1 move");
        // From the empty board every move draws.
        let empty = evaluate(&Game::new(Player::X));
        assert_eq!(hint_text(empty[0].unwrap(), Player::X), "Draw");
        // X in a corner, O on an edge: X forces a win, counted in X's moves (this one too).
        let game = Game::from_moves(Player::X, &cells(&[1, 2])).unwrap();
        let best = evaluate(&game)
            .into_iter()
            .flatten()
            .max_by_key(|&eval| hint_rank(eval, Player::X))
            .unwrap();
        assert_eq!(best.winner, Some(Player::X));
        let moves = usize::from(best.plies) / 2 + 1;
        assert_eq!(
            hint_text(best, Player::X),
            format!("X wins in {moves} moves")
        );
        assert!(moves >= 2, "a win that takes more than the move itself");
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
