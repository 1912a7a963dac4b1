//! The window's side of the game history: turning a game that has just ended on any screen into a
//! [`Record`], and the statistics screen.
//!
//! The builders here are pure; [`App::apply`](super::App::apply) calls them where each screen sees
//! a game end and hands the record to `App::record_game`, which appends it to the
//! [`HistoryStore`](crate::record::HistoryStore). A game taken back with undo after it ended stays
//! recorded as it was played; the game played instead is recorded when it ends. [`stats_ui`] and
//! [`history_ui`] draw and return an [`Action`]; they never change state themselves.

use egui::{Grid, RichText, Ui};
use jiff::Timestamp;

use super::Screen;
use super::action::Action;
use super::replay::Replay;
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

/// The game shown on `screen` as a record, whether it has ended or not (a game still in progress
/// ends [`Ending::Unfinished`]); `None` on a screen without a game. What "Save game…" writes.
#[must_use]
pub fn screen_record(screen: &Screen, at: Timestamp) -> Option<Record> {
    let (mode, names, game, off_board) = match screen {
        Screen::HotSeat(series) => (
            Mode::HotSeat,
            [series.name(Player::X), series.name(Player::O)],
            series.game(),
            None,
        ),
        Screen::VsComputer(vs) => (
            Mode::Computer {
                level: vs.level(),
                you: vs.player_mark(),
            },
            [vs.series().name(Player::X), vs.series().name(Player::O)],
            vs.series().game(),
            None,
        ),
        Screen::Network(net) => {
            let view = &net.view;
            let off_board = match (view.ended, view.over, view.result) {
                (Some(GameEnd::Resigned { player }), _, _) => Some(Ending::Resigned { player }),
                (Some(GameEnd::Abandoned { player }), _, _) => Some(Ending::Abandoned { player }),
                (None, Some(MatchEnd::Left { player }), None) => Some(Ending::Left { player }),
                _ => None,
            };
            (
                net_mode(view),
                [view.x_name.as_str(), view.o_name.as_str()],
                &view.game,
                off_board,
            )
        }
        _ => return None,
    };
    let ending = off_board.unwrap_or(match game.outcome() {
        Outcome::Won { .. } => Ending::Won,
        Outcome::Draw => Ending::Draw,
        Outcome::InProgress { .. } => Ending::Unfinished,
    });
    new_record(at, mode, names, game.first(), game.moves(), ending)
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
    use crate::game::Cell;
    use crate::net::{Action as NetAction, MatchState};
    use crate::record::Verdict;

    fn act(state: &mut MatchState, player: Player, action: NetAction) {
        for event in state.decide(player, action).unwrap() {
            state.apply(event).unwrap();
        }
    }

    fn play(state: &mut MatchState, moves: &[(Player, i64)]) {
        for &(player, n) in moves {
            act(
                state,
                player,
                NetAction::Play(Cell::from_number(n).unwrap()),
            );
        }
    }

    /// The record made when `state` changes by `change`, seen by the joiner (O).
    fn recorded(state: &mut MatchState, change: impl FnOnce(&mut MatchState)) -> Option<Record> {
        let old = View::of(state, Role::Joiner, Player::O);
        change(state);
        let new = View::of(state, Role::Joiner, Player::O);
        net_record(&old, &new, Timestamp::UNIX_EPOCH)
    }

    #[test]
    fn network_games_are_recorded_once_however_they_end() {
        let mut state = MatchState::new("Ann", "Bob");
        play(
            &mut state,
            &[(Player::X, 1), (Player::O, 4), (Player::X, 2)],
        );
        assert_eq!(recorded(&mut state, |_| {}), None);
        let won = recorded(&mut state, |s| {
            play(s, &[(Player::O, 5), (Player::X, 3)]);
        })
        .unwrap();
        assert_eq!(won.ending(), Ending::Won);
        assert_eq!(won.verdict(), Verdict::Win(Player::X));
        assert_eq!(
            won.mode(),
            Mode::Network {
                role: crate::record::Role::Joiner,
                you: Player::O
            }
        );
        assert_eq!(won.name(Player::O), "Bob");
        // Asking for a rematch and starting the next game record nothing more.
        assert_eq!(
            recorded(&mut state, |s| {
                act(s, Player::X, NetAction::Rematch);
                act(s, Player::O, NetAction::Rematch);
            }),
            None
        );

        let resigned = recorded(&mut state, |s| {
            play(s, &[(Player::O, 5)]);
            act(s, Player::X, NetAction::Resign);
        })
        .unwrap();
        assert_eq!(resigned.ending(), Ending::Resigned { player: Player::X });
        assert_eq!(resigned.first(), Player::O);
        assert_eq!(resigned.verdict(), Verdict::Win(Player::O));
        act(&mut state, Player::X, NetAction::Rematch);
        act(&mut state, Player::O, NetAction::Rematch);

        // Abandoned mid-game: the one who stayed wins.
        let mut abandoned = state.clone();
        let record = recorded(&mut abandoned, |s| {
            play(s, &[(Player::X, 9)]);
            act(s, Player::O, NetAction::ClaimWin);
        })
        .unwrap();
        assert_eq!(record.ending(), Ending::Abandoned { player: Player::X });

        // Left mid-game: unfinished. Left before any move: nothing.
        let mut left = state.clone();
        assert_eq!(
            recorded(&mut left, |s| act(s, Player::X, NetAction::Leave)),
            None
        );
        let record = recorded(&mut state, |s| {
            play(s, &[(Player::X, 9)]);
            act(s, Player::X, NetAction::Leave);
        })
        .unwrap();
        assert_eq!(record.ending(), Ending::Left { player: Player::X });
        assert_eq!(record.verdict(), Verdict::Unfinished);
    }

    #[test]
    fn the_game_on_screen_can_be_saved_finished_or_not() {
        let at = Timestamp::UNIX_EPOCH;
        assert_eq!(screen_record(&Screen::Menu, at), None);
        let mut series = Match::new("Ann", "Bob");
        let record = screen_record(&Screen::HotSeat(series.clone()), at).unwrap();
        assert_eq!(record.ending(), Ending::Unfinished);
        assert!(record.moves().is_empty());
        for n in [1, 4, 2, 5, 3] {
            series.play(Cell::from_number(n).unwrap()).unwrap();
        }
        let record = screen_record(&Screen::HotSeat(series.clone()), at).unwrap();
        assert_eq!(record.ending(), Ending::Won);
        assert_eq!(Some(record), match_record(&series, Mode::HotSeat, at));
    }

    #[test]
    fn leaving_a_game_in_progress_is_recorded() {
        let mut state = MatchState::new("Ann", "Bob");
        let view = View::of(&state, Role::Host, Player::X);
        assert_eq!(leaving_record(&view, Timestamp::UNIX_EPOCH), None);
        play(&mut state, &[(Player::X, 5)]);
        let view = View::of(&state, Role::Host, Player::X);
        let record = leaving_record(&view, Timestamp::UNIX_EPOCH).unwrap();
        assert_eq!(record.ending(), Ending::Left { player: Player::X });
        play(
            &mut state,
            &[
                (Player::O, 1),
                (Player::X, 9),
                (Player::O, 2),
                (Player::X, 3),
                (Player::O, 7),
                (Player::X, 4),
                (Player::O, 6),
                (Player::X, 8),
            ],
        );
        let view = View::of(&state, Role::Host, Player::X);
        assert!(view.result.is_some());
        assert_eq!(leaving_record(&view, Timestamp::UNIX_EPOCH), None);
    }
}
