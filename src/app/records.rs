//! The window's side of the game history: turning a game that has just ended on any screen into a
//! [`Record`], and the statistics screen.
//!
//! Every game a match ends reaches [`App::apply`](super::App::apply) as the match's
//! [`GameOver`](crate::game::GameOver), which [`Record::of_game`] turns into the record that
//! `App::record_game` appends to the [`HistoryStore`](crate::record::HistoryStore); a finished
//! game cannot be taken back, so the history and the screen always agree. [`stats_ui`] and
//! [`history_ui`] draw and return an [`Action`]; they never change state themselves.

use egui::{Grid, RichText, Ui};

use super::action::Action;
use super::replay::Replay;
use crate::record::{Record, Stats, Tally, local_time_text};

/// How many games the history screen lists, newest first.
pub const HISTORY_ROWS: usize = 200;

/// Draws the game history, newest first: when, who, how it was played and how it ended.
pub fn history_ui(ui: &mut Ui, records: &[Record]) -> Option<Action> {
    let mut action = None;
    ui.vertical_centered(|ui| {
        ui.add_space(16.0);
        ui.label(RichText::new("Game history").size(26.0).strong());
        ui.add_space(8.0);
        if ui.button("Statistics").clicked() {
            action = Some(Action::OpenStatistics);
        }
        ui.add_space(12.0);
    });
    if records.is_empty() {
        ui.vertical_centered(|ui| {
            ui.label("No games played yet. Every game you finish is listed here.");
        });
        return action;
    }
    let mut newest: Vec<&Record> = records.iter().collect();
    newest.sort_by_key(|r| std::cmp::Reverse(r.played_at()));
    for record in newest.into_iter().take(HISTORY_ROWS) {
        let when = local_time_text(record.played_at());
        ui.horizontal(|ui| {
            ui.label(RichText::new(&when).weak());
            if ui.small_button("Replay").clicked() {
                action = Some(Action::OpenReplay(Box::new(Replay::from_record(
                    format!("Game of {when}"),
                    record,
                ))));
            }
        });
        ui.label(record.summary());
        ui.add_space(6.0);
    }
    if records.len() > HISTORY_ROWS {
        ui.label(
            RichText::new(format!(
                "The {HISTORY_ROWS} most recent of {} games; in a terminal, tictactoe history -n N lists more",
                records.len()
            ))
            .weak(),
        );
    }
    action
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
    let mut action = None;
    ui.vertical_centered(|ui| {
        ui.add_space(16.0);
        ui.label(RichText::new("Statistics").size(26.0).strong());
        ui.add_space(8.0);
        if ui.button("Game history").clicked() {
            action = Some(Action::OpenHistory);
        }
        ui.add_space(12.0);
    });
    let Some(last) = stats.last_played else {
        ui.vertical_centered(|ui| {
            ui.label("No games played yet. Every game you finish is counted here.");
        });
        return action;
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
    action
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::game::{Cell, Ending, Intent, Match, Player, Role};
    use crate::record::{Mode, Verdict};
    use jiff::Timestamp;

    const JOINER: Mode = Mode::Network {
        role: Role::Joiner,
        you: Player::O,
    };

    /// The records made while `intents` are carried out, as the joiner (O) records them.
    fn recorded(state: &mut Match, intents: &[(Player, Intent)]) -> Vec<Record> {
        intents
            .iter()
            .filter_map(|&(seat, intent)| state.act(seat, intent).unwrap())
            .filter_map(|over| Record::of_game(Timestamp::UNIX_EPOCH, JOINER, &over))
            .collect()
    }

    fn moves(moves: &[(Player, i64)]) -> Vec<(Player, Intent)> {
        moves
            .iter()
            .map(|&(seat, n)| (seat, Intent::Play(Cell::from_number(n).unwrap())))
            .collect()
    }

    #[test]
    fn network_games_are_recorded_once_however_they_end() {
        let mut state = Match::networked("Ann", "Bob");
        let opening = moves(&[(Player::X, 1), (Player::O, 4), (Player::X, 2)]);
        assert_eq!(recorded(&mut state, &opening), []);
        let won = recorded(&mut state, &moves(&[(Player::O, 5), (Player::X, 3)]));
        assert_eq!(won.len(), 1);
        assert_eq!(won[0].ending(), Ending::Won);
        assert_eq!(won[0].verdict(), Verdict::Win(Player::X));
        assert_eq!(won[0].mode(), JOINER);
        assert_eq!(won[0].name(Player::O), "Bob");
        // Asking for a rematch and starting the next game record nothing more.
        let rematch = [(Player::X, Intent::Rematch), (Player::O, Intent::Rematch)];
        assert_eq!(recorded(&mut state, &rematch), []);

        let mut resign = moves(&[(Player::O, 5)]);
        resign.push((Player::X, Intent::Resign));
        let resigned = recorded(&mut state, &resign);
        assert_eq!(resigned[0].ending(), Ending::Resigned { player: Player::X });
        assert_eq!(resigned[0].first(), Player::O);
        assert_eq!(resigned[0].verdict(), Verdict::Win(Player::O));
        assert_eq!(recorded(&mut state, &rematch), []);

        // Abandoned mid-game: the one who stayed wins.
        let mut abandoned = state.clone();
        let mut claim = moves(&[(Player::X, 9)]);
        claim.push((Player::O, Intent::ClaimWin));
        let record = recorded(&mut abandoned, &claim);
        assert_eq!(record[0].ending(), Ending::Abandoned { player: Player::X });

        // Left mid-game: unfinished. Left before any move: nothing.
        let mut left = state.clone();
        assert_eq!(recorded(&mut left, &[(Player::X, Intent::Leave)]), []);
        let mut leave = moves(&[(Player::X, 9)]);
        leave.push((Player::X, Intent::Leave));
        let record = recorded(&mut state, &leave);
        assert_eq!(record[0].ending(), Ending::Left { player: Player::X });
        assert_eq!(record[0].verdict(), Verdict::Unfinished);
    }

    #[test]
    fn leaving_a_game_in_progress_is_recorded() {
        let host = Mode::Network {
            role: Role::Host,
            you: Player::X,
        };
        let leave = |state: &Match| {
            let mut state = state.clone();
            state
                .act(Player::X, Intent::Leave)
                .unwrap()
                .and_then(|over| Record::of_game(Timestamp::UNIX_EPOCH, host, &over))
        };
        let mut state = Match::networked("Ann", "Bob");
        assert_eq!(leave(&state), None);
        recorded(&mut state, &moves(&[(Player::X, 5)]));
        assert_eq!(
            leave(&state).unwrap().ending(),
            Ending::Left { player: Player::X }
        );
        let rest = [
            (Player::O, 1),
            (Player::X, 9),
            (Player::O, 2),
            (Player::X, 3),
            (Player::O, 7),
            (Player::X, 4),
            (Player::O, 6),
            (Player::X, 8),
        ];
        recorded(&mut state, &moves(&rest));
        assert!(state.result().is_some());
        assert_eq!(leave(&state), None);
    }
}
