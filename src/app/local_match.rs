//! The screen of a match played at this computer — two people taking turns, or one against the
//! computer: whose turn it is, the score, the board, undo, hints, and "Play again" once a game
//! ends.
//!
//! Draws a [`MatchView`] and returns an [`Action`]; never changes the match itself.

use egui::text::LayoutJob;
use egui::{
    Align, Button, Color32, Direction, FontId, Frame, Key, KeyboardShortcut, Label, Layout, Margin,
    Modifiers, RichText, Stroke, TextFormat, Ui, Vec2,
};

use super::action::Action;
use super::board::{BoardOptions, board_ui, mark_color};
use super::move_list::{MOVE_LIST_WIDTH, MoveListView, move_list_ui};
use crate::game::{Game, Match, Outcome, Player};

/// Height of the status line (turn or result banner), so the board does not jump when it changes.
const STATUS_HEIGHT: f32 = 48.0;
/// The banner stops growing here, so it stays a banner on a wide window.
const STATUS_MAX_WIDTH: f32 = 420.0;
/// Height of the strip under the board (two rows), for the same reason.
const ACTIONS_HEIGHT: f32 = 92.0;
/// Ctrl+Z (Cmd+Z on a Mac) takes a move back.
const UNDO_SHORTCUT: KeyboardShortcut = KeyboardShortcut::new(Modifiers::COMMAND, Key::Z);

/// What the match screen shows.
#[derive(Clone, Copy, Debug)]
pub struct MatchView<'a> {
    /// The match: names, score and the current game.
    pub series: &'a Match,
    /// The mark the computer places when playing the computer; `None` for two people.
    pub computer: Option<Player>,
    /// Whether there is a move to take back.
    pub can_undo: bool,
    /// Whether playable squares show their perfect-play result.
    pub hints: bool,
}

impl MatchView<'_> {
    /// Whether the game waits for the computer's move.
    fn thinking(&self) -> bool {
        self.computer.is_some() && self.series.game().to_move() == self.computer
    }
}

/// The text shown while the computer is choosing its move.
pub const THINKING_TEXT: &str = "Computer is thinking…";

/// The text that says how the current game stands, such as "Ann's turn (X)", "Computer is
/// thinking…", "Ann wins!" or "It's a draw". Screen readers read the same text.
#[must_use]
pub fn status_text(series: &Match, computer: Option<Player>) -> String {
    match series.game().outcome() {
        Outcome::InProgress { to_move } if computer == Some(to_move) => THINKING_TEXT.to_owned(),
        Outcome::InProgress { to_move } => format!("{}'s turn ({to_move})", series.name(to_move)),
        Outcome::Won { winner, .. } => format!("{} wins!", series.name(winner)),
        Outcome::Draw => "It's a draw".to_owned(),
    }
}

/// Draws the match and returns what the player asked for.
pub fn match_ui(ui: &mut Ui, view: MatchView<'_>) -> Option<Action> {
    let mut action = None;
    let game = view.series.game();
    let thinking = view.thinking();

    if view.can_undo && ui.input_mut(|i| i.consume_shortcut(&UNDO_SHORTCUT)) {
        action = Some(Action::Undo);
    }

    egui::Panel::top("match_status")
        .frame(Frame::NONE.inner_margin(Margin::symmetric(0, 6)))
        .show_separator_line(false)
        .resizable(false)
        .show(ui, |ui| {
            ui.vertical_centered(|ui| {
                status_ui(ui, view);
                ui.add_space(6.0);
                score_ui(ui, view.series);
            });
        });

    egui::Panel::bottom("match_actions")
        .frame(Frame::NONE)
        .show_separator_line(false)
        .resizable(false)
        .exact_size(ACTIONS_HEIGHT)
        .show(ui, |ui| {
            ui.vertical_centered(|ui| {
                ui.add_space(6.0);
                ui.allocate_ui_with_layout(
                    Vec2::new(ui.available_width(), 40.0),
                    // Centred both ways; not stretched across the window.
                    Layout::top_down(Align::Center)
                        .with_main_align(Align::Center)
                        .with_main_justify(true),
                    |ui| {
                        if game.is_over() {
                            let again = ui.add(
                                Button::new(RichText::new("Play again").size(18.0))
                                    .min_size(Vec2::new(180.0, 40.0)),
                            );
                            // Enter starts the next game unless something else has the keyboard.
                            if ui.memory(|m| m.focused().is_none()) {
                                again.request_focus();
                            }
                            if again.clicked() {
                                action = Some(Action::PlayAgain);
                            }
                        } else if thinking {
                            ui.label(RichText::new("Wait for the computer's move").weak());
                        } else {
                            ui.label(
                                RichText::new("Click a square, or press 1–9, or arrows and Enter")
                                    .color(ui.visuals().text_color()),
                            );
                        }
                    },
                );
                ui.add_space(6.0);
                let row_action = tools_ui(ui, view);
                action = action.take().or(row_action);
            });
        });

    moves_panel_ui(ui, game);

    egui::CentralPanel::default()
        .frame(Frame::NONE.inner_margin(Margin::same(8)))
        .show(ui, |ui| {
            let options = BoardOptions {
                interactive: !thinking,
                hints: view.hints,
                pending: None,
            };
            if let Some(cell) = board_ui(ui, game, options) {
                action = Some(Action::Play(cell));
            }
        });

    action
}

/// The moves of `game` in a column at the right of the board.
pub fn moves_panel_ui(ui: &mut Ui, game: &Game) {
    egui::Panel::right("move_list")
        .frame(Frame::NONE.inner_margin(Margin::symmetric(4, 8)))
        .show_separator_line(false)
        .resizable(false)
        .exact_size(MOVE_LIST_WIDTH)
        .show(ui, |ui| {
            move_list_ui(
                ui,
                MoveListView {
                    first: game.first(),
                    moves: game.moves(),
                    shown: None,
                },
            );
        });
}

/// Undo at the left, "Show hints" at the right, as wide as the status banner.
fn tools_ui(ui: &mut Ui, view: MatchView<'_>) -> Option<Action> {
    let mut action = None;
    let width = ui.available_width().min(STATUS_MAX_WIDTH);
    ui.allocate_ui_with_layout(
        Vec2::new(width, 28.0),
        Layout::left_to_right(Align::Center),
        |ui| {
            let (undo, hints) = egui::Sides::new().show(
                ui,
                |ui| {
                    let shortcut = ui.ctx().format_shortcut(&UNDO_SHORTCUT);
                    let what = if view.computer.is_some() {
                        "your last move and the computer's reply"
                    } else {
                        "the last move"
                    };
                    let undo = ui
                        .add_enabled(view.can_undo, Button::new("Undo"))
                        .on_hover_text(format!("Take back {what} ({shortcut})"))
                        .on_disabled_hover_text(if view.series.game_over() {
                            "A finished game stands as it was played"
                        } else {
                            "Nothing to take back yet"
                        });
                    if undo.clicked() {
                        // A clicked button keeps the focus, and Enter would click it again: a
                        // second, unwanted undo. Enter belongs to the board and "Play again".
                        undo.surrender_focus();
                    }
                    let save = ui
                        .button("Save game…")
                        .on_hover_text("Save this game to a file, to replay it later");
                    if save.clicked() {
                        action = Some(Action::SaveGame);
                    }
                    undo.clicked()
                },
                |ui| {
                    let mut hints = view.hints;
                    let toggle = ui
                        .checkbox(&mut hints, "Show hints")
                        .on_hover_text("Each empty square shows how the game ends with best play");
                    toggle.changed().then_some(hints)
                },
            );
            if undo {
                action = Some(Action::Undo);
            }
            if let Some(hints) = hints {
                action = Some(Action::SetShowHints(hints));
            }
        },
    );
    action
}

/// Whose turn it is, or the result in a banner of the same height.
fn status_ui(ui: &mut Ui, view: MatchView<'_>) {
    let visuals = ui.visuals().clone();
    let text = status_text(view.series, view.computer);
    let strong = visuals.strong_text_color();
    let (fill, stroke, job) = match view.series.game().outcome() {
        Outcome::InProgress { .. } if view.thinking() => (
            Color32::TRANSPARENT,
            Stroke::new(2.0, Color32::TRANSPARENT),
            LayoutJob::single_section(text, format(22.0, visuals.text_color())),
        ),
        Outcome::InProgress { to_move } => {
            let mut job = LayoutJob::default();
            let name_len = text.len() - " (X)".len();
            job.append(&text[..name_len], 0.0, format(22.0, strong));
            job.append(
                &text[name_len..],
                0.0,
                format(22.0, mark_color(&visuals, to_move)),
            );
            (
                Color32::TRANSPARENT,
                Stroke::new(2.0, Color32::TRANSPARENT),
                job,
            )
        }
        Outcome::Won { winner, .. } => {
            let color = mark_color(&visuals, winner);
            (
                color.gamma_multiply(0.16),
                Stroke::new(2.0, color),
                LayoutJob::single_section(text, format(24.0, strong)),
            )
        }
        Outcome::Draw => (
            visuals.faint_bg_color,
            Stroke::new(2.0, visuals.widgets.noninteractive.fg_stroke.color),
            LayoutJob::single_section(text, format(24.0, strong)),
        ),
    };
    banner_ui(ui, fill, stroke, job);
}

/// A status line of fixed height in a rounded frame: transparent for a turn, tinted for a result.
pub fn banner_ui(ui: &mut Ui, fill: Color32, stroke: Stroke, job: LayoutJob) {
    Frame::new()
        .fill(fill)
        .stroke(stroke)
        .corner_radius(8)
        .inner_margin(Margin::symmetric(20, 4))
        .show(ui, |ui| {
            ui.allocate_ui_with_layout(
                Vec2::new(
                    ui.available_width().min(STATUS_MAX_WIDTH),
                    STATUS_HEIGHT - 8.0,
                ),
                // Centred both ways, but not justified: a wrapped long name keeps its spacing.
                Layout::top_down(Align::Center)
                    .with_main_align(Align::Center)
                    .with_main_justify(true),
                |ui| ui.label(job),
            );
        });
}

/// "Ann (X)  2 – 1  Bob (O)" with each name in its mark's colour (long names cut short with
/// "…"), then the game number and draws.
fn score_ui(ui: &mut Ui, series: &Match) {
    score_line_ui(
        ui,
        [series.name(Player::X), series.name(Player::O)],
        series.score(),
        series.game_number(),
    );
}

/// The score line of [`score_ui`] from its parts: `names` of X and O, the score, the game number.
pub fn score_line_ui(ui: &mut Ui, names: [&str; 2], score: crate::game::Score, game_number: u32) {
    let visuals = ui.visuals().clone();
    let player_name = |player: Player| match player {
        Player::X => names[0],
        Player::O => names[1],
    };
    let width = ui.available_width().min(STATUS_MAX_WIDTH);
    let middle = 64.0;
    let side = ((width - middle) / 2.0).max(40.0);
    let name = |player: Player| {
        Label::new(
            RichText::new(format!("{} ({player})", player_name(player)))
                .size(16.0)
                .color(mark_color(&visuals, player)),
        )
        .truncate()
    };
    ui.allocate_ui_with_layout(
        Vec2::new(side * 2.0 + middle, 24.0),
        Layout::left_to_right(Align::Center),
        |ui| {
            ui.spacing_mut().item_spacing.x = 0.0;
            let row = Vec2::new(side, 24.0);
            ui.allocate_ui_with_layout(row, Layout::right_to_left(Align::Center), |ui| {
                ui.add(name(Player::X));
            });
            ui.allocate_ui_with_layout(
                Vec2::new(middle, 24.0),
                Layout::centered_and_justified(Direction::LeftToRight),
                |ui| {
                    ui.label(
                        RichText::new(format!(
                            "{} – {}",
                            score.wins(Player::X),
                            score.wins(Player::O)
                        ))
                        .size(18.0)
                        .color(visuals.strong_text_color()),
                    );
                },
            );
            ui.allocate_ui_with_layout(row, Layout::left_to_right(Align::Center), |ui| {
                ui.add(name(Player::O));
            });
        },
    );
    let draws = match score.draws {
        0 => "no draws".to_owned(),
        1 => "1 draw".to_owned(),
        n => format!("{n} draws"),
    };
    ui.label(RichText::new(format!("Game {game_number} · {draws}")).weak());
}

/// A plain text format of `size` points in `color`.
pub fn format(size: f32, color: Color32) -> TextFormat {
    TextFormat::simple(FontId::proportional(size), color)
}
