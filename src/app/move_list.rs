//! The move list: every move of one game as a numbered two-column table, beside or under the
//! board while playing and in the replay view.
//!
//! X's and O's move of each turn stand side by side (`2. X top right · O centre`; the bigger
//! games' moves as they are typed, `53`, `h8`). Screen readers hear each move whole: "3. X top
//! right", "3. X board 5, cell 3".
//!
//! Draws and returns what was clicked (the replay view jumps there); never changes a game itself.

use egui::{Align, Button, Label, Layout, RichText, ScrollArea, Ui, Vec2};

use super::board::mark_color;
use crate::game::{Cell, Player, Variant};

/// What the move list shows.
#[derive(Clone, Copy, Debug)]
pub struct MoveListView<'a> {
    /// The game played, which names its cells.
    pub variant: Variant,
    /// Who moved first; the players alternate from there.
    pub first: Player,
    /// The moves, oldest first.
    pub moves: &'a [Cell],
    /// How many moves the board shows (the replay view); that move is highlighted. `None` while
    /// playing, where the board always shows every move.
    pub shown: Option<usize>,
    /// Under the board (a narrow window), without the heading, not in a column beside it.
    pub flow: bool,
}

/// The height the list takes under the board in a narrow window: three rows of moves.
pub const MOVE_FLOW_HEIGHT: f32 = 62.0;

/// The height of a row of the table.
const ROW_HEIGHT: f32 = 18.0;

/// The space between rows of the table.
const ROW_GAP: f32 = 2.0;

/// The widest a column of moves grows.
const COLUMN_MAX_WIDTH: f32 = 140.0;

/// The text of move `number` (1-based) by `player` on `cell` of `variant`, such as "3. X top
/// right" or "3. X h8".
#[must_use]
pub fn move_text(number: usize, player: Player, variant: Variant, cell: Cell) -> String {
    format!("{number}. {player} {}", variant.cell_name(cell))
}

/// The player who makes move `index` (0-based) of a game that `first` opened.
#[must_use]
pub fn mover(first: Player, index: usize) -> Player {
    if index.is_multiple_of(2) {
        first
    } else {
        first.other()
    }
}

/// Draws the list, newest move kept in view, and returns how many moves the player asked to see
/// when a move was clicked (only when [`MoveListView::shown`] is set): clicking move 3 returns 3.
pub fn move_list_ui(ui: &mut Ui, view: MoveListView<'_>) -> Option<usize> {
    let mut picked = None;
    ui.with_layout(Layout::top_down(Align::Min), |ui| {
        if !view.flow {
            ui.label(RichText::new("Moves").strong());
            ui.add_space(2.0);
        }
        if view.moves.is_empty() {
            ui.label(
                RichText::new(if view.flow {
                    "No moves yet"
                } else {
                    "None yet"
                })
                .weak(),
            );
            return;
        }
        // Scrolled only when the shown move changes: asking every frame would keep animating.
        let scrolled_id = ui.scope_id().with("move list scrolled to");
        let scroll = view.shown.is_some()
            && ui.data_mut(|d| {
                let before = d.get_temp::<Option<usize>>(scrolled_id);
                d.insert_temp(scrolled_id, view.shown);
                before != Some(view.shown)
            });
        // While a game is played, only the latest rows that fit are listed (their numbers say
        // where they are), and under the board a replay lists the rows around the move shown:
        // nothing hides behind a scroll there. Beside the board a replay lists them all.
        let fitting = (view.shown.is_none() || view.flow).then(|| {
            let row = ROW_HEIGHT + ROW_GAP;
            #[expect(
                clippy::cast_possible_truncation,
                clippy::cast_sign_loss,
                reason = "a count of rows, at least one"
            )]
            let rows = (ui.available_height() / row).floor().max(1.0) as usize;
            rows
        });
        ScrollArea::vertical()
            .auto_shrink([false, true])
            .show(ui, |ui| entries_ui(ui, view, fitting, scroll, &mut picked));
    });
    picked
}

/// The text of a move in the table, mark and cell: "X top left", "O 5 3", "X h8" (the bigger
/// games' moves as they are typed, to fit a column).
#[must_use]
pub fn entry_text(player: Player, variant: Variant, cell: Cell) -> String {
    match variant {
        Variant::Classic => format!("{player} {}", cell.name()),
        _ => format!("{player} {}", variant.move_text(cell)),
    }
}

/// The moves themselves, two a numbered row (`1. X top left · O centre`), only as many rows as
/// are `fitting` if given (the latest while playing, those around the move shown in a replay): labels while playing, buttons that jump there in a replay. An entry never
/// wraps: one too long for its column is cut short with "…", and screen readers hear it whole
/// ("3. X board 5, cell 3").
fn entries_ui(
    ui: &mut Ui,
    view: MoveListView<'_>,
    fitting: Option<usize>,
    scroll: bool,
    picked: &mut Option<usize>,
) {
    let full = ui.available_width();
    // Rows of one height, the buttons' too; narrow padding, so that the longest classic move
    // fits a side column whole.
    ui.spacing_mut().button_padding = Vec2::new(3.0, 0.0);
    ui.spacing_mut().interact_size.y = ROW_HEIGHT;
    ui.spacing_mut().item_spacing.y = ROW_GAP;
    if let Some(shown) = view.shown {
        let start = Button::selectable(shown == 0, "Empty board").min_size(Vec2::new(full, 0.0));
        if ui.add(start).clicked() {
            *picked = Some(0);
        }
    }
    let total = view.moves.len();
    let rows = total.div_ceil(2);
    let (skipped, listed) = match (fitting, view.shown) {
        (None, _) => (0, rows),
        (Some(fitting), None) => (rows.saturating_sub(fitting), fitting),
        (Some(fitting), Some(shown)) => {
            // "Empty board" takes a row; the move shown stays in sight.
            let fitting = fitting.saturating_sub(1).max(1);
            let row = shown.saturating_sub(1) / 2;
            let first = row
                .saturating_sub(fitting - 1)
                .min(rows.saturating_sub(fitting));
            (first, fitting)
        }
    };
    let gap = 6.0;
    let font = egui::TextStyle::Body.resolve(ui.style());
    let number_width = ui
        .painter()
        .layout_no_wrap(format!("{rows}."), font, egui::Color32::WHITE)
        .size()
        .x
        + 2.0;
    let column = ((full - number_width - 2.0 * gap) / 2.0)
        .floor()
        .clamp(40.0, COLUMN_MAX_WIDTH);
    // Under the board the table stands on the window's centre line, as everything there does.
    let indent = if view.flow {
        ((full - number_width - 2.0 * (gap + column)) / 2.0).max(0.0)
    } else {
        0.0
    };
    let height = ROW_HEIGHT;
    for row in (skipped..rows).take(listed) {
        ui.horizontal(|ui| {
            ui.spacing_mut().item_spacing.x = gap;
            ui.add_space(indent);
            ui.allocate_ui_with_layout(
                Vec2::new(number_width, height),
                Layout::right_to_left(Align::Center),
                |ui| ui.label(RichText::new(format!("{}.", row + 1)).weak()),
            );
            for index in [2 * row, 2 * row + 1] {
                let Some(&cell) = view.moves.get(index) else {
                    break;
                };
                let player = mover(view.first, index);
                let spoken = move_text(index + 1, player, view.variant, cell);
                let text = entry_text(player, view.variant, cell);
                let size = Vec2::new(column, height);
                if let Some(shown) = view.shown {
                    let selected = shown == index + 1;
                    // The shown move in the selection's own text colour, readable on it.
                    let color = if selected {
                        ui.visuals().selection.stroke.color
                    } else {
                        mark_color(ui.visuals(), player)
                    };
                    // Pushed to the left by the empty text that grows on its right.
                    let button = Button::selectable(selected, RichText::new(text).color(color))
                        .right_text("")
                        .gap(0.0)
                        .truncate()
                        .min_size(size);
                    let response = ui
                        .allocate_ui_with_layout(size, Layout::left_to_right(Align::Center), |ui| {
                            ui.add(button)
                        })
                        .inner;
                    response.widget_info(|| {
                        egui::WidgetInfo::selected(egui::Role::Button, true, selected, &spoken)
                    });
                    if response.clicked() {
                        *picked = Some(index + 1);
                    }
                    if scroll && selected {
                        response.scroll_to_me(None);
                    }
                } else {
                    let color = mark_color(ui.visuals(), player);
                    let (rect, _) = ui.allocate_exact_size(size, egui::Sense::hover());
                    let cell = egui::UiBuilder::new()
                        .max_rect(rect)
                        .layout(Layout::left_to_right(Align::Center));
                    // A child of its own, so that the row's cursor stays after the column.
                    let response = ui
                        .new_child(cell)
                        .add(Label::new(RichText::new(text).color(color)).truncate());
                    response.widget_info(|| {
                        egui::WidgetInfo::labeled(egui::Role::Label, true, &spoken)
                    });
                }
            }
        });
    }
}
