//! The list of games played, newest first: each game's final board, how it went from your side,
//! which game (Ultimate and Gomoku are named), when and how it was played, and a button to
//! replay it.
//!
//! Drawn from the history the app keeps; it has no state, and no update of its own: it only
//! leads to other screens.

use egui::{Align, Color32, Label, Layout, RichText, Ui, Vec2, Visuals};
use jiff::Timestamp;

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

/// When a game was played, as people say it, in the system's time zone and from `now`:
/// "Today 13:42", "Yesterday 09:10", "3 Dec 18:05", and with the year when it was not this
/// year's ("3 Dec 2025 18:05").
#[must_use]
pub fn when_text(at: Timestamp, now: Timestamp) -> String {
    when_text_in(at, now, jiff::tz::TimeZone::system())
}

/// [`when_text`] in `zone`.
fn when_text_in(at: Timestamp, now: Timestamp, zone: jiff::tz::TimeZone) -> String {
    let (then, today) = (
        at.to_zoned_datetime(zone.clone()),
        now.to_zoned_datetime(zone).date(),
    );
    let time = then.strftime("%H:%M");
    let date = then.date();
    if date == today {
        format!("Today {time}")
    } else if today.yesterday().is_ok_and(|yesterday| yesterday == date) {
        format!("Yesterday {time}")
    } else if date.year() == today.year() {
        format!("{} {time}", then.strftime("%-d %b"))
    } else {
        format!("{} {time}", then.strftime("%-d %b %Y"))
    }
}

/// A history row's second line: "Today 18:05 · joined over the network · 5 moves, Bob
/// resigned", after the game's name for the bigger games ("Gomoku · Today 18:05 · …"); `now`
/// is when the list is drawn.
#[must_use]
pub fn details_text(record: &Record, now: Timestamp) -> String {
    let moves = record.moves().len();
    let game = match record.variant() {
        Variant::Classic => String::new(),
        game => format!("{} · ", game_title(game)),
    };
    format!(
        "{game}{} · {} · {moves} {}, {}",
        when_text(record.played_at(), now),
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
    let now = Timestamp::now();
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
                        // Wrapped, never cut short: a narrow window shows every word.
                        ui.add(
                            Label::new(
                                RichText::new(&headline)
                                    .size(15.0)
                                    .color(outcome_color(&visuals, outcome)),
                            )
                            .wrap(),
                        );
                        ui.add(Label::new(RichText::new(details_text(record, now)).weak()).wrap())
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_date_reads_as_today_yesterday_a_day_of_this_year_or_with_its_year() {
        let utc = jiff::tz::TimeZone::UTC;
        let time = |text: &str| text.parse::<Timestamp>().unwrap();
        let now = time("2026-12-08T15:00:00Z");
        let when = |at: &str| when_text_in(time(at), now, utc.clone());
        assert_eq!(when("2026-12-08T13:42:00Z"), "Today 13:42");
        assert_eq!(when("2026-12-07T09:10:00Z"), "Yesterday 09:10");
        assert_eq!(when("2026-12-03T18:05:00Z"), "3 Dec 18:05");
        assert_eq!(when("2025-12-08T18:05:00Z"), "8 Dec 2025 18:05");
    }
}
