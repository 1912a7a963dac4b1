//! The statistics drawn from the game history when the screen was opened.
//!
//! Your results against each computer level and each friend, streaks, games between two people
//! at this computer, and when you last played; the figures add up to the whole.
//!
//! It has no update of its own: it only leads to other screens.

use egui::{Align, Grid, Label, Layout, RichText, Ui, Vec2};

use crate::app::command::Command;
use crate::app::widgets::{column, heading_ui};
use crate::record::{Stats, Tally, local_time_text};

/// From this width on, the statistics tables have a "Last played" column; below it, hovering a
/// row's name says when.
const LAST_PLAYED_MIN_WIDTH: f32 = 500.0;

/// A name cut short with "…" to `width`; hovering says when they last played.
fn name_cell(ui: &mut Ui, name: &str, width: f32, last_played: jiff::Timestamp) {
    ui.allocate_ui_with_layout(
        Vec2::new(width, ui.spacing().interact_size.y),
        Layout::left_to_right(Align::Center),
        |ui| {
            ui.add(Label::new(name).truncate())
                .on_hover_text(format!("Last played {}", local_time_text(last_played)));
        },
    );
}

/// A table titled `title`: a row of `headings` (and "Last played" when `wide`), then the rows
/// `add_rows` adds, striped.
fn table_ui(
    ui: &mut Ui,
    title: &str,
    headings: &[&str],
    wide: bool,
    add_rows: impl FnOnce(&mut Ui),
) {
    ui.add_space(12.0);
    ui.label(RichText::new(title).strong());
    Grid::new(title)
        .striped(true)
        .num_columns(headings.len() + usize::from(wide))
        .show(ui, |ui| {
            let last = wide.then_some("Last played");
            for heading in headings.iter().copied().chain(last) {
                ui.label(RichText::new(heading).weak());
            }
            ui.end_row();
            add_rows(ui);
        });
}

/// One row's figures: "3", "1", "2", "0" and, when there is room, "2026-11-26 18:05".
fn tally_row(ui: &mut Ui, name: &str, name_width: f32, tally: &Tally, wide: bool) {
    name_cell(ui, name, name_width, tally.last_played);
    for figure in [tally.wins, tally.losses, tally.draws, tally.unfinished] {
        ui.label(figure.to_string());
    }
    if wide {
        ui.label(local_time_text(tally.last_played));
    }
    ui.end_row();
}

/// "3 games", "1 game".
fn games_text(n: u32) -> String {
    format!("{n} {}", if n == 1 { "game" } else { "games" })
}

/// Draws the statistics screen, whose figures add up to the whole.
///
/// Your results against each computer level and each friend, streaks, games between two people
/// at this computer, and when you last played; your games and theirs make the total.
pub fn stats_ui(ui: &mut Ui, stats: &Stats) -> Option<Command> {
    let action = heading_ui(ui, "Statistics", "Game history").then_some(Command::OpenHistory);
    let Some(last) = stats.last_played else {
        ui.vertical_centered(|ui| {
            ui.label("No games played yet. Every game you finish is counted here.");
        });
        return action;
    };
    column(ui, |ui, width| {
        let wide = width >= LAST_PLAYED_MIN_WIDTH;
        // Room for the figures; the name takes the rest.
        let figures = if wide { 330.0 } else { 220.0 };
        let name_width = (width - figures).max(80.0);
        let yours = stats.total.map_or(0, |t| t.games());
        let here: u32 = stats.pairs.iter().map(|p| p.games()).sum();
        ui.label(format!(
            "{} played, the last on {}",
            games_text(u32::try_from(stats.games).unwrap_or(u32::MAX)),
            local_time_text(last)
        ));
        let mut parts = Vec::new();
        if yours > 0 {
            parts.push(format!("{} of yours", games_text(yours)));
        }
        if here > 0 {
            parts.push(format!("{} between two people here", games_text(here)));
        }
        if parts.len() > 1 {
            ui.label(RichText::new(parts.join(", ")).weak());
        }
        if let Some(total) = stats.total {
            ui.add_space(8.0);
            let mut line = format!(
                "You won {}, lost {}, drew {}",
                total.wins, total.losses, total.draws
            );
            if total.unfinished > 0 {
                line.push_str(&format!("; {} unfinished", total.unfinished));
            }
            ui.label(RichText::new(line).size(16.0).strong());
            ui.label(format!(
                "Current streak: {} · best winning streak: {}",
                stats.current_streak, stats.best_win_streak
            ));
            let headings = ["Opponent", "Won", "Lost", "Drawn", "Unfinished"];
            table_ui(ui, "Against each opponent", &headings, wide, |ui| {
                for (opponent, tally) in &stats.opponents {
                    tally_row(ui, &opponent.to_string(), name_width, tally, wide);
                }
            });
        }
        if !stats.pairs.is_empty() {
            let headings = ["Players", "Score", "Drawn", "Unfinished"];
            table_ui(ui, "Two people at this computer", &headings, wide, |ui| {
                for pair in &stats.pairs {
                    let names = format!("{} v {}", pair.names[0], pair.names[1]);
                    name_cell(ui, &names, name_width, pair.last_played);
                    ui.label(format!("{} – {}", pair.wins[0], pair.wins[1]));
                    ui.label(pair.draws.to_string());
                    ui.label(pair.unfinished.to_string());
                    if wide {
                        ui.label(local_time_text(pair.last_played));
                    }
                    ui.end_row();
                }
            });
        }
    });
    action
}
