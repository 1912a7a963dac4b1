//! The list of games played, newest first: each game's final board, how it went from your side,
//! which game (Ultimate and Gomoku are named), when and how it was played, and a button to
//! replay it.
//!
//! Drawn from the history the app keeps; it has no state, and no update of its own: it only
//! leads to other screens.

use egui::{Align, Color32, Label, Layout, RichText, Ui, Vec2, Visuals};

use crate::app::board::mini_board_ui;
use crate::app::command::Command;
use crate::app::replay::Replay;
use crate::app::widgets::{column, heading_ui};
use crate::game::{Player, Variant};

use super::game_choice::game_title;
use crate::record::{Mode, Record, Verdict, local_time_text};

/// How many games the history screen lists, newest first.
pub const HISTORY_ROWS: usize = 200;

/// How a game went for the person at this computer, for the colour of its row.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// You won.
    Won,
    /// You lost.
    Lost,
    /// A draw, an unfinished game, or a game between two people here.
    Neither,
}

/// A history row's first line, from your side.
///
/// "Won against Computer (hard)", "Lost to Bob", "Draw with Bob", "Unfinished, with Bob";
/// between two people here, "Ann beat Bob", "Ann and Bob drew", "Ann v Bob, unfinished".
#[must_use]
pub fn outcome_text(record: &Record) -> (String, Outcome) {
    let verdict = record.verdict();
    let Some(you) = record.mode().you() else {
        let (x, o) = (record.name(Player::X), record.name(Player::O));
        let text = match verdict {
            Verdict::Win(winner) => {
                format!(
                    "{} beat {}",
                    record.name(winner),
                    record.name(winner.other())
                )
            }
            Verdict::Draw => format!("{x} and {o} drew"),
            Verdict::Unfinished => format!("{x} v {o}, unfinished"),
        };
        return (text, Outcome::Neither);
    };
    let them = record.name(you.other());
    match verdict {
        Verdict::Win(winner) if winner == you => (format!("Won against {them}"), Outcome::Won),
        Verdict::Win(_) => (format!("Lost to {them}"), Outcome::Lost),
        Verdict::Draw => (format!("Draw with {them}"), Outcome::Neither),
        Verdict::Unfinished => (format!("Unfinished, with {them}"), Outcome::Neither),
    }
}

/// A history row's second line: "2026-11-26 18:05 · joined over the network · 5 moves, Bob
/// resigned", after the game's name for the bigger games ("Gomoku · 2026-11-26 18:05 · …").
#[must_use]
pub fn details_text(record: &Record) -> String {
    let moves = record.moves().len();
    let game = match record.variant() {
        Variant::Classic => String::new(),
        game => format!("{} · ", game_title(game)),
    };
    format!(
        "{game}{} · {} · {moves} {}, {}",
        local_time_text(record.played_at()),
        match record.mode() {
            Mode::Computer { .. } => "against the computer".to_owned(),
            mode => mode.describe(),
        },
        if moves == 1 { "move" } else { "moves" },
        record.how_text()
    )
}

fn outcome_color(visuals: &Visuals, outcome: Outcome) -> Color32 {
    match (outcome, visuals.dark_mode) {
        (Outcome::Won, true) => Color32::from_rgb(0x81, 0xc7, 0x84),
        (Outcome::Won, false) => Color32::from_rgb(0x2e, 0x7d, 0x32),
        (Outcome::Lost, true) => Color32::from_rgb(0xef, 0x9a, 0x9a),
        (Outcome::Lost, false) => Color32::from_rgb(0xc6, 0x28, 0x28),
        (Outcome::Neither, _) => visuals.strong_text_color(),
    }
}

/// Draws the game history, newest first: each game's final board, how it went from your side,
/// and when and how it was played, with a button to replay it.
pub fn history_ui(ui: &mut Ui, records: &[Record]) -> Option<Command> {
    let mut action =
        heading_ui(ui, "Game history", "Statistics").then_some(Command::OpenStatistics);
    if records.is_empty() {
        ui.vertical_centered(|ui| {
            ui.label("No games played yet. Every game you finish is listed here.");
        });
        return action;
    }
    let mut newest: Vec<&Record> = records.iter().collect();
    newest.sort_by_key(|r| std::cmp::Reverse(r.played_at()));
    let visuals = ui.visuals().clone();
    column(ui, |ui, width| {
        for record in newest.iter().take(HISTORY_ROWS) {
            let board = 40.0;
            let button = 64.0;
            let text_width = (width - board - button - 2.0 * ui.spacing().item_spacing.x).max(80.0);
            ui.horizontal(|ui| {
                mini_board_ui(ui, record.game(), board);
                let (headline, outcome) = outcome_text(record);
                ui.allocate_ui_with_layout(
                    Vec2::new(text_width, board),
                    Layout::top_down(Align::Min),
                    |ui| {
                        ui.set_width(text_width);
                        ui.add(
                            Label::new(
                                RichText::new(&headline)
                                    .size(15.0)
                                    .color(outcome_color(&visuals, outcome)),
                            )
                            .truncate(),
                        );
                        ui.add(Label::new(RichText::new(details_text(record)).weak()).truncate())
                            .on_hover_text(record.summary());
                    },
                );
                let replay = ui
                    .add_sized(Vec2::new(button, 24.0), egui::Button::new("Replay"))
                    .on_hover_text(format!("Replay: {headline}"));
                if replay.clicked() {
                    let when = local_time_text(record.played_at());
                    action = Some(Command::OpenReplay(Box::new(Replay::from_record(
                        format!("Game of {when}"),
                        record,
                    ))));
                }
            });
            ui.add_space(6.0);
        }
        if records.len() > HISTORY_ROWS {
            ui.label(
                RichText::new(format!(
                    "The {HISTORY_ROWS} most recent of {} games; in a terminal, tictactoe \
                     history -n N lists more",
                    records.len()
                ))
                .weak(),
            );
        }
    });
    action
}
