//! The statistics drawn from the game history when the screen was opened, of every game or of
//! one (All, Classic, Ultimate, Gomoku).
//!
//! Your results against each computer level and each friend, streaks, games between two people
//! at this computer, and when you last played; the figures add up to the whole.
//!
//! Its update only changes which game's figures show; everything else leads to other screens.

use egui::{Button, Grid, Label, RichText, Ui, Vec2};

use super::game_choice::game_label;
use crate::app::command::Command;
use crate::app::effect::Effect;
use crate::app::widgets::{choice_row_ui, column, heading_ui};
use crate::game::Variant;
use crate::record::stats::stats;
use crate::record::{Record, Stats, Tally, local_time_text};

/// The statistics screen: the figures of every game and of each game, and which show.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StatsScreen {
    /// The game whose figures show; `None` for every game together.
    pub game: Option<Variant>,
    /// The figures of every game together.
    pub all: Stats,
    /// The figures of each game, in the order of [`Variant::ALL`].
    pub each: [Stats; 3],
}

impl StatsScreen {
    /// The figures of `records`, every game together shown first.
    #[must_use]
    pub fn new(records: &[Record]) -> Self {
        let of = |game: Variant| {
            let played: Vec<Record> = records
                .iter()
                .filter(|record| record.variant() == game)
                .cloned()
                .collect();
            stats(&played)
        };
        Self {
            game: None,
            all: stats(records),
            each: Variant::ALL.map(of),
        }
    }

    /// The figures shown now.
    #[must_use]
    pub fn shown(&self) -> &Stats {
        match self.game {
            None => &self.all,
            Some(game) => {
                let index = Variant::ALL.iter().position(|&v| v == game).unwrap_or(0);
                &self.each[index]
            }
        }
    }

    /// Shows the game `command` chooses.
    pub fn update(&mut self, command: &Command) -> Vec<Effect> {
        if let Command::StatisticsOf(game) = command {
            self.game = *game;
        }
        Vec::new()
    }
}

/// The row choosing whose figures show: All, Classic, Ultimate, Gomoku (each game with how many
/// were played in its tooltip).
fn game_row_ui(ui: &mut Ui, screen: &StatsScreen, width: f32) -> Option<Command> {
    let mut action = None;
    let choices: Vec<(Option<Variant>, &str, usize)> =
        std::iter::once((None, "All", screen.all.games))
            .chain(
                Variant::ALL
                    .iter()
                    .zip(&screen.each)
                    .map(|(&game, figures)| (Some(game), game_label(game), figures.games)),
            )
            .collect();
    choice_row_ui(ui, width, "Game", choices.len(), |ui, button_width| {
        for (game, label, played) in &choices {
            let button = Button::selectable(screen.game == *game, *label)
                .frame_when_inactive(true)
                .min_size(Vec2::new(button_width, 28.0));
            let hover = games_text(u32::try_from(*played).unwrap_or(u32::MAX));
            if ui.add(button).on_hover_text(hover).clicked() {
                action = Some(Command::StatisticsOf(*game));
            }
        }
    });
    ui.add_space(8.0);
    action
}

/// From this width on, the statistics tables have a "Last played" column; below it, hovering a
/// row's name says when.
const LAST_PLAYED_MIN_WIDTH: f32 = 500.0;

/// A name in `width`, wrapped onto more lines rather than cut short; hovering says when they
/// last played.
fn name_cell(ui: &mut Ui, name: &str, width: f32, last_played: jiff::Timestamp) {
    ui.scope(|ui| {
        ui.set_min_width(width);
        ui.set_max_width(width);
        ui.add(Label::new(name).wrap())
            .on_hover_text(format!("Last played {}", local_time_text(last_played)));
    });
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
pub fn stats_ui(ui: &mut Ui, screen: &StatsScreen) -> Option<Command> {
    let mut action = heading_ui(ui, "Statistics", "Game history").then_some(Command::OpenHistory);
    if screen.all.last_played.is_none() {
        ui.vertical_centered(|ui| {
            ui.label("No games played yet. Every game you finish is counted here.");
        });
        return action;
    }
    let stats = screen.shown();
    column(ui, |ui, width| {
        if let Some(chosen) = game_row_ui(ui, screen, width) {
            action = Some(chosen);
        }
        let Some(last) = stats.last_played else {
            let game = screen.game.map_or("", game_label);
            ui.label(format!("No {game} games played yet."));
            return;
        };
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
