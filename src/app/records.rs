//! The window's side of the game history: turning a game that has just ended on any screen into a
//! [`Record`], and the statistics screen.
//!
//! The builders here are pure; [`App::apply`](super::App::apply) calls them where each screen sees
//! a game end and hands the record to `App::record_game`, which appends it to the
//! [`HistoryStore`](crate::record::HistoryStore). [`stats_ui`] draws and returns an [`Action`];
//! it never changes state itself.

use egui::{Grid, RichText, Ui};
use jiff::Timestamp;

use super::action::Action;
use crate::game::{Match, Outcome, Player};
use crate::net::{GameEnd, MatchEnd, Role, View};
use crate::record::{Ending, Mode, Record, Stats, Tally, local_time_text};

/// The record of the current game of `series` if it has just ended on the board.
#[must_use]
pub fn match_record(series: &Match, mode: Mode, at: Timestamp) -> Option<Record> {
    let game = series.game();
    let ending = match game.outcome() {
        Outcome::Won { .. } => Ending::Won,
        Outcome::Draw => Ending::Draw,
        Outcome::InProgress { .. } => return None,
    };
    let names = [series.name(Player::X), series.name(Player::O)];
    new_record(at, mode, names, game.first(), game.moves(), ending)
}

/// The mode of a networked match seen from `view`'s side.
const fn net_mode(view: &View) -> Mode {
    Mode::Network {
        role: match view.role {
            Role::Host => crate::record::Role::Host,
            Role::Joiner => crate::record::Role::Joiner,
        },
        you: view.me,
    }
}

/// The record of a networked game that ended between view `old` and view `new`.
///
/// It may have ended on the board, by resignation or abandonment, or because a player left the
/// match mid-game (a game with no moves yet is not recorded).
#[must_use]
pub fn net_record(old: &View, new: &View, at: Timestamp) -> Option<Record> {
    if old.game_number != new.game_number {
        return None;
    }
    let ending = if old.result.is_none() && new.result.is_some() {
        match new.ended {
            Some(GameEnd::Resigned { player }) => Ending::Resigned { player },
            Some(GameEnd::Abandoned { player }) => Ending::Abandoned { player },
            None if new.game.outcome().winner().is_some() => Ending::Won,
            None => Ending::Draw,
        }
    } else if let (None, Some(MatchEnd::Left { player }), None) = (old.over, new.over, new.result) {
        Ending::Left { player }
    } else {
        return None;
    };
    if matches!(ending, Ending::Left { .. }) && new.game.moves().is_empty() {
        return None;
    }
    new_record(
        at,
        net_mode(new),
        [new.x_name.as_str(), new.o_name.as_str()],
        new.game.first(),
        new.game.moves(),
        ending,
    )
}

/// The record of a networked game this side leaves before it is over (nothing if no move was
/// played, or the game was already over).
#[must_use]
pub fn leaving_record(view: &View, at: Timestamp) -> Option<Record> {
    if view.result.is_some() || view.over.is_some() || view.game.moves().is_empty() {
        return None;
    }
    new_record(
        at,
        net_mode(view),
        [view.x_name.as_str(), view.o_name.as_str()],
        view.game.first(),
        view.game.moves(),
        Ending::Left { player: view.me },
    )
}

fn new_record(
    at: Timestamp,
    mode: Mode,
    names: [&str; 2],
    first: Player,
    moves: &[crate::game::Cell],
    ending: Ending,
) -> Option<Record> {
    match Record::new(at, mode, names, first, moves, ending) {
        Ok(record) => Some(record),
        Err(error) => {
            // The screens only hold legal games, so this is a bug, not something a player did.
            tracing::error!(%error, "a finished game could not be recorded");
            None
        }
    }
}

/// One row's figures: "3", "1", "2", "2026-11-26 18:05".
fn tally_row(ui: &mut Ui, name: &str, tally: &Tally) {
    ui.label(name);
    ui.label(tally.wins.to_string());
    ui.label(tally.losses.to_string());
    ui.label(tally.draws.to_string());
    ui.label(local_time_text(tally.last_played));
    ui.end_row();
}

/// Draws the statistics screen: your results against each computer level and each friend,
/// streaks, games between two people at this computer, and when you last played.
pub fn stats_ui(ui: &mut Ui, stats: &Stats) -> Option<Action> {
    ui.vertical_centered(|ui| {
        ui.add_space(16.0);
        ui.label(RichText::new("Statistics").size(26.0).strong());
        ui.add_space(12.0);
    });
    let Some(last) = stats.last_played else {
        ui.vertical_centered(|ui| {
            ui.label("No games played yet. Every game you finish is counted here.");
        });
        return None;
    };
    let games = if stats.games == 1 { "game" } else { "games" };
    ui.label(format!(
        "{} {games} played, the last on {}",
        stats.games,
        local_time_text(last)
    ));
    if let Some(total) = stats.total {
        ui.label(format!(
            "You won {}, lost {} and drew {}",
            total.wins, total.losses, total.draws
        ));
        ui.label(format!("Current streak: {}", stats.current_streak));
        ui.label(format!("Best winning streak: {}", stats.best_win_streak));
        ui.add_space(12.0);
        ui.label(RichText::new("Against each opponent").strong());
        Grid::new("opponents")
            .striped(true)
            .num_columns(5)
            .show(ui, |ui| {
                for heading in ["Opponent", "Won", "Lost", "Drawn", "Last played"] {
                    ui.label(RichText::new(heading).weak());
                }
                ui.end_row();
                for (opponent, tally) in &stats.opponents {
                    tally_row(ui, &opponent.to_string(), tally);
                }
            });
    }
    if !stats.pairs.is_empty() {
        ui.add_space(12.0);
        ui.label(RichText::new("On this computer").strong());
        Grid::new("pairs")
            .striped(true)
            .num_columns(3)
            .show(ui, |ui| {
                for heading in ["Players", "Score", "Last played"] {
                    ui.label(RichText::new(heading).weak());
                }
                ui.end_row();
                for pair in &stats.pairs {
                    ui.label(format!("{} v {}", pair.names[0], pair.names[1]));
                    ui.label(format!(
                        "{} – {}, {} drawn",
                        pair.wins[0], pair.wins[1], pair.draws
                    ));
                    ui.label(local_time_text(pair.last_played));
                    ui.end_row();
                }
            });
    }
    None
}
