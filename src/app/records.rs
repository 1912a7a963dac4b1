//! The window's side of the game history: turning a game that has just ended on any screen into a
//! [`Record`], and the statistics screen.
//!
//! Every game a match ends reaches [`App::apply`](super::App::apply) as the match's
//! [`GameOver`](crate::game::GameOver), which [`Record::of_game`] turns into the record that
//! `App::record_game` appends to the [`HistoryStore`](crate::record::HistoryStore); a finished
//! game cannot be taken back, so the history and the screen always agree. [`stats_ui`] and
//! [`history_ui`] draw and return an [`Action`]; they never change state themselves.

use egui::{Align, Color32, Grid, Label, Layout, RichText, Ui, Vec2, Visuals};

use super::action::Action;
use super::board::mini_board_ui;
use super::replay::Replay;
use crate::game::Player;
use crate::record::{Mode, Record, Stats, Tally, Verdict, local_time_text};

/// How many games the history screen lists, newest first.
pub const HISTORY_ROWS: usize = 200;

/// The widest the history and statistics columns grow.
const COLUMN_MAX_WIDTH: f32 = 560.0;

/// From this width on, the statistics tables have a "Last played" column; below it, hovering a
/// row's name says when.
const LAST_PLAYED_MIN_WIDTH: f32 = 500.0;

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
/// resigned".
#[must_use]
pub fn details_text(record: &Record) -> String {
    let moves = record.moves().len();
    format!(
        "{} · {} · {moves} {}, {}",
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

/// A centred column as wide as the window allows, up to [`COLUMN_MAX_WIDTH`].
fn column<R>(ui: &mut Ui, add: impl FnOnce(&mut Ui, f32) -> R) -> R {
    let width = (ui.available_width() - 16.0).clamp(200.0, COLUMN_MAX_WIDTH);
    ui.vertical_centered(|ui| {
        ui.allocate_ui_with_layout(Vec2::new(width, 0.0), Layout::top_down(Align::Min), |ui| {
            ui.set_width(width);
            add(ui, width)
        })
        .inner
    })
    .inner
}

/// A title with a button to the other list under it.
fn heading_ui(ui: &mut Ui, title: &str, other: &str, action: Action) -> Option<Action> {
    let mut chosen = None;
    ui.vertical_centered(|ui| {
        ui.add_space(16.0);
        ui.label(RichText::new(title).size(26.0).strong());
        ui.add_space(8.0);
        if ui.button(other).clicked() {
            chosen = Some(action);
        }
        ui.add_space(12.0);
    });
    chosen
}

/// Draws the game history, newest first: each game's final board, how it went from your side,
/// and when and how it was played, with a button to replay it.
pub fn history_ui(ui: &mut Ui, records: &[Record]) -> Option<Action> {
    let mut action = heading_ui(ui, "Game history", "Statistics", Action::OpenStatistics);
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
                    action = Some(Action::OpenReplay(Box::new(Replay::from_record(
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
pub fn stats_ui(ui: &mut Ui, stats: &Stats) -> Option<Action> {
    let action = heading_ui(ui, "Statistics", "Game history", Action::OpenHistory);
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
            ui.add_space(12.0);
            ui.label(RichText::new("Against each opponent").strong());
            Grid::new("opponents")
                .striped(true)
                .num_columns(if wide { 6 } else { 5 })
                .show(ui, |ui| {
                    let mut headings = vec!["Opponent", "Won", "Lost", "Drawn", "Unfinished"];
                    if wide {
                        headings.push("Last played");
                    }
                    for heading in headings {
                        ui.label(RichText::new(heading).weak());
                    }
                    ui.end_row();
                    for (opponent, tally) in &stats.opponents {
                        tally_row(ui, &opponent.to_string(), name_width, tally, wide);
                    }
                });
        }
        if !stats.pairs.is_empty() {
            ui.add_space(12.0);
            ui.label(RichText::new("Two people at this computer").strong());
            Grid::new("pairs")
                .striped(true)
                .num_columns(if wide { 5 } else { 4 })
                .show(ui, |ui| {
                    let mut headings = vec!["Players", "Score", "Drawn", "Unfinished"];
                    if wide {
                        headings.push("Last played");
                    }
                    for heading in headings {
                        ui.label(RichText::new(heading).weak());
                    }
                    ui.end_row();
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::game::{Cell, Ending, Facts, Intent, Match, Player, Role};
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
            // The host's clock says the opponent stayed away, for the claims among them.
            .filter_map(|&(seat, intent)| state.act_with(seat, intent, Facts::clock(true)).unwrap())
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
