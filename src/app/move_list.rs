//! The move list: every move of one game, numbered, with the cell named in words ("3. X top
//! right", "3. X board 5, cell 3", "3. X h8"), shown beside the board while playing and in the
//! replay view.
//!
//! Draws and returns what was clicked (the replay view jumps there); never changes a game itself.

use egui::{Align, Button, Layout, RichText, ScrollArea, Ui, Vec2};

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
    /// Laid out in lines under the board (a narrow window), not in a column beside it.
    pub flow: bool,
}

/// The height the list takes under the board in a narrow window: three lines of moves.
pub const MOVE_FLOW_HEIGHT: f32 = 62.0;

/// How many of a bigger game's latest moves the list under the board shows while playing: what
/// fits its three lines.
const FLOW_LATEST: usize = 6;

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
        // While a bigger game is played, only its latest moves that fit are listed, after "…",
        // so that the list never hides the newest behind a scroll (the replay lists them all).
        let latest = (view.shown.is_none() && !view.variant.is_classic()).then(|| {
            if view.flow {
                FLOW_LATEST
            } else {
                let row =
                    ui.text_style_height(&egui::TextStyle::Body) + ui.spacing().item_spacing.y;
                #[expect(
                    clippy::cast_possible_truncation,
                    clippy::cast_sign_loss,
                    reason = "a count of rows, at least one"
                )]
                let rows = ((ui.available_height() / row).floor().max(2.0) as usize) - 1;
                rows
            }
        });
        ScrollArea::vertical()
            .auto_shrink([false, true])
            // While playing, the newest move stays in view.
            .stick_to_bottom(view.shown.is_none())
            .show(ui, |ui| {
                let mut lay_out = |ui: &mut Ui| entries_ui(ui, view, latest, scroll, &mut picked);
                if view.flow {
                    ui.horizontal_wrapped(|ui| lay_out(ui));
                } else {
                    lay_out(ui);
                }
            });
    });
    picked
}

/// The moves themselves (only the `latest` ones, if given): labels while playing, buttons that
/// jump there in a replay.
fn entries_ui(
    ui: &mut Ui,
    view: MoveListView<'_>,
    latest: Option<usize>,
    scroll: bool,
    picked: &mut Option<usize>,
) {
    // In a column each entry is as wide as the list; in lines, as wide as its text.
    let width = |ui: &Ui| if view.flow { 0.0 } else { ui.available_width() };
    if let Some(shown) = view.shown {
        let start =
            Button::selectable(shown == 0, "Empty board").min_size(Vec2::new(width(ui), 0.0));
        if ui.add(start).clicked() {
            *picked = Some(0);
        }
    }
    let skipped = latest.map_or(0, |latest| view.moves.len().saturating_sub(latest));
    if skipped > 0 {
        ui.label(RichText::new("…").weak());
    }
    for (index, &cell) in view.moves.iter().enumerate().skip(skipped) {
        let player = mover(view.first, index);
        let text = RichText::new(move_text(index + 1, player, view.variant, cell))
            .color(mark_color(ui.visuals(), player));
        match view.shown {
            Some(shown) => {
                let button = Button::selectable(shown == index + 1, text)
                    .min_size(Vec2::new(width(ui), 0.0));
                let response = ui.add(button);
                if response.clicked() {
                    *picked = Some(index + 1);
                }
                if scroll && shown == index + 1 {
                    response.scroll_to_me(None);
                }
            }
            None => {
                // An entry is never broken across lines: a whole entry moves to the next.
                ui.add(egui::Label::new(text).extend());
            }
        }
    }
}
