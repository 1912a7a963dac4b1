//! The screen of a match on this computer: whose turn it is, the score, the board, and "Play
//! again" once a game ends.
//!
//! Draws a [`Match`] and returns an [`Action`]; never changes the match itself.

use egui::text::LayoutJob;
use egui::{
    Button, Color32, Direction, FontId, Frame, Layout, Margin, RichText, Stroke, TextFormat, Ui,
    Vec2,
};

use super::action::Action;
use super::board::{BoardOptions, board_ui, mark_color};
use crate::game::{Match, Outcome, Player};

/// Height of the status line (turn or result banner), so the board does not jump when it changes.
const STATUS_HEIGHT: f32 = 48.0;
/// Height of the strip under the board, for the same reason.
const ACTIONS_HEIGHT: f32 = 56.0;

/// The text that says how the current game stands, such as "Ann's turn (X)", "Ann wins!" or
/// "It's a draw". Screen readers read the same text.
#[must_use]
pub fn status_text(hot_seat: &Match) -> String {
    match hot_seat.game().outcome() {
        Outcome::InProgress { to_move } => format!("{}'s turn ({to_move})", hot_seat.name(to_move)),
        Outcome::Won { winner, .. } => format!("{} wins!", hot_seat.name(winner)),
        Outcome::Draw => "It's a draw".to_owned(),
    }
}

/// Draws the match and returns what the player asked for.
pub fn hot_seat_ui(ui: &mut Ui, hot_seat: &Match) -> Option<Action> {
    let mut action = None;
    let game = hot_seat.game();

    egui::Panel::top("hot_seat_status")
        .frame(Frame::NONE.inner_margin(Margin::symmetric(0, 6)))
        .show_separator_line(false)
        .resizable(false)
        .show(ui, |ui| {
            ui.vertical_centered(|ui| {
                status_ui(ui, hot_seat);
                ui.add_space(6.0);
                score_ui(ui, hot_seat);
            });
        });

    egui::Panel::bottom("hot_seat_actions")
        .frame(Frame::NONE)
        .show_separator_line(false)
        .resizable(false)
        .exact_size(ACTIONS_HEIGHT)
        .show(ui, |ui| {
            ui.vertical_centered(|ui| {
                ui.add_space(6.0);
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
                } else {
                    ui.label(
                        RichText::new("Click a square or press 1–9 · arrows and Enter · Esc: menu")
                            .weak()
                            .small(),
                    );
                }
            });
        });

    egui::CentralPanel::default()
        .frame(Frame::NONE.inner_margin(Margin::same(8)))
        .show(ui, |ui| {
            if let Some(cell) = board_ui(ui, game, BoardOptions { interactive: true }) {
                action = Some(Action::Play(cell));
            }
        });

    action
}

/// Whose turn it is, or the result in a banner of the same height.
fn status_ui(ui: &mut Ui, hot_seat: &Match) {
    let visuals = ui.visuals().clone();
    let text = status_text(hot_seat);
    let strong = visuals.strong_text_color();
    let (fill, stroke, job) = match hot_seat.game().outcome() {
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
    Frame::new()
        .fill(fill)
        .stroke(stroke)
        .corner_radius(8)
        .inner_margin(Margin::symmetric(20, 4))
        .show(ui, |ui| {
            ui.allocate_ui_with_layout(
                Vec2::new(ui.available_width(), STATUS_HEIGHT - 8.0),
                Layout::centered_and_justified(Direction::TopDown),
                |ui| ui.label(job),
            );
        });
}

/// "Ann 2 – 1 Bob" with each name in its mark's colour, then the game number and draws.
fn score_ui(ui: &mut Ui, hot_seat: &Match) {
    let visuals = ui.visuals().clone();
    let score = hot_seat.score();
    let strong = visuals.strong_text_color();
    let mut job = LayoutJob::default();
    let x = Player::X;
    let o = Player::O;
    job.append(
        &format!("{} ({x})", hot_seat.name(x)),
        0.0,
        format(16.0, mark_color(&visuals, x)),
    );
    job.append(
        &format!("{} – {}", score.wins(x), score.wins(o)),
        10.0,
        format(18.0, strong),
    );
    job.append(
        &format!("{} ({o})", hot_seat.name(o)),
        10.0,
        format(16.0, mark_color(&visuals, o)),
    );
    job.wrap.max_width = ui.available_width();
    ui.label(job);
    let draws = match score.draws {
        0 => "no draws".to_owned(),
        1 => "1 draw".to_owned(),
        n => format!("{n} draws"),
    };
    ui.label(RichText::new(format!("Game {} · {draws}", hot_seat.game_number())).weak());
}

fn format(size: f32, color: Color32) -> TextFormat {
    TextFormat::simple(FontId::proportional(size), color)
}
