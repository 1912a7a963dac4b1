//! The game history in the window: finished games are recorded, the statistics screen shows
//! figures from the history, and a damaged history is set aside with a notice.

#![expect(
    clippy::unwrap_used,
    reason = "test helpers: an unwrap that fails is a test that fails"
)]

use crate::support::in_temp_dir;
use crate::support::{against, over_network};
use std::path::{Path, PathBuf};

use crate::support::app::{
    TALL, close_menu, open_menu_for, open_with, press_button, start_hot_seat,
};
use crate::support::{at, record};
use egui::Key;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable as _;
use tictactoe::app::screens::history::when_text;
use tictactoe::app::{App, Screen};
use tictactoe::game::{Level, Player};
use tictactoe::record::{Ending, Mode, Record, Role, Verdict, local_time_text};
use tictactoe::store::HistoryStore;

fn history_path(dir: &Path) -> PathBuf {
    dir.join("data").join("history.txt")
}

fn open(dir: &Path) -> Harness<'static, App> {
    let history = HistoryStore::at(history_path(dir));
    open_with(dir, [640.0, 720.0], move |settings| {
        App::new(settings).with_history(history)
    })
}

/// A game you (X) won, lost or drew, at `minute`.
fn game(minute: i64, mode: Mode, o_name: &str, result: Verdict) -> Record {
    let (moves, ending): (&[i64], Ending) = match result {
        Verdict::Win(Player::X) => (&[1, 4, 2, 5, 3], Ending::Won),
        Verdict::Win(Player::O) => (&[1], Ending::Resigned { player: Player::X }),
        Verdict::Draw => (&[1, 5, 9, 3, 7, 4, 6, 8, 2], Ending::Draw),
        Verdict::Unfinished => (&[1], Ending::Left { player: Player::O }),
    };
    record(minute, mode, ["Ann", o_name], moves, ending)
}

fn seed(dir: &Path) {
    let hard = against(Level::Hard);
    let net = over_network(Role::Joiner);
    let store = HistoryStore::at(history_path(dir));
    for record in [
        game(0, hard, "Computer (hard)", Verdict::Win(Player::O)),
        game(1, hard, "Computer (hard)", Verdict::Draw),
        game(2, net, "Bob", Verdict::Win(Player::X)),
        game(3, net, "Bob", Verdict::Win(Player::X)),
        game(4, net, "Bob", Verdict::Win(Player::X)),
        game(5, hard, "Computer (hard)", Verdict::Win(Player::X)),
        game(6, Mode::HotSeat, "Cy", Verdict::Draw),
    ] {
        store.append(&record).unwrap();
    }
}

fn open_statistics(harness: &mut Harness<'_, App>) {
    press_button(harness, "Statistics");
    assert!(matches!(harness.state().screen(), Screen::Statistics(_)));
}

#[test]
fn the_statistics_screen_shows_figures_from_the_history() {
    let dir = tempfile::tempdir().unwrap();
    seed(dir.path());
    let mut harness = open(dir.path());
    assert_eq!(harness.state().records().len(), 7);
    assert_eq!(harness.state().notice(), None);
    open_statistics(&mut harness);

    harness.get_by_label(&format!(
        "7 games played, the last on {}",
        local_time_text(at(6))
    ));
    // The parts add up to the whole: yours, and those between two people here.
    harness.get_by_label("6 games of yours, 1 game between two people here");
    harness.get_by_label("You won 4, lost 1, drew 1");
    harness.get_by_label("Current streak: 4 wins · best winning streak: 4");
    // One row per opponent: name, won, lost, drawn, unfinished, last played.
    assert_eq!(
        harness.query_all_by_label("Unfinished").count(),
        2,
        "both tables"
    );
    harness.get_by_label("Computer (hard)");
    harness.get_by_label("Bob");
    harness.get_by_label(&local_time_text(at(5)));
    harness.get_by_label(&local_time_text(at(4)));
    assert_eq!(harness.query_all_by_label("3").count(), 1, "Bob's wins");
    harness.get_by_label("Ann v Cy");
    harness.get_by_label("0 – 0");

    // The list of games, newest first, each from your side.
    press_button(&mut harness, "Game history");
    assert!(matches!(harness.state().screen(), Screen::History));
    let top = |label: &str| harness.get_by_label(label).rect().top();
    assert!(top("Ann and Cy drew") < top("Won against Computer (hard)"));
    assert_eq!(harness.query_all_by_label("Won against Bob").count(), 3);
    assert!(top("Won against Computer (hard)") < top("Draw with Computer (hard)"));
    assert!(top("Draw with Computer (hard)") < top("Lost to Computer (hard)"));
    assert_eq!(
        harness
            .query_all_by_label_contains("over the network · 5 moves, three in a row")
            .count(),
        3
    );
    harness.get_by_label(&format!(
        "{} · against the computer · 1 move, Ann resigned",
        when_text(at(0), jiff::Timestamp::now())
    ));
    assert_eq!(harness.query_all_by_label("Replay").count(), 7);

    // A game replayed from the list goes back to the list.
    harness.query_all_by_label("Replay").next().unwrap().click();
    harness.run();
    assert!(matches!(harness.state().screen(), Screen::Replay(_)));
    press_button(&mut harness, "Back to the list");
    assert!(matches!(harness.state().screen(), Screen::History));
    harness.query_all_by_label("Replay").last().unwrap().click();
    harness.run();
    harness.key_press(Key::Escape);
    harness.run();
    assert!(matches!(harness.state().screen(), Screen::History));

    press_button(&mut harness, "Statistics");
    assert!(matches!(harness.state().screen(), Screen::Statistics(_)));

    harness.key_press(Key::Escape);
    harness.run();
    assert!(matches!(harness.state().screen(), Screen::Menu));
}

#[test]
fn an_empty_history_says_so() {
    let (_dir, mut harness) = in_temp_dir(open);
    open_statistics(&mut harness);
    harness.get_by_label("No games played yet. Every game you finish is counted here.");
}

#[test]
fn a_game_finished_in_the_window_is_recorded_and_counted() {
    let (dir, mut harness) = in_temp_dir(open);
    start_hot_seat(&mut harness, "Ann", "Bob");
    for key in [Key::Num1, Key::Num4, Key::Num2, Key::Num5] {
        harness.key_press(key);
        harness.run();
    }
    assert!(harness.state().records().is_empty());
    harness.key_press(Key::Num3);
    harness.run();
    harness.get_by_label("Ann wins!");

    let read = HistoryStore::at(history_path(dir.path())).read().unwrap();
    assert_eq!(read.records.len(), 1);
    let record = &read.records[0];
    assert_eq!(record.mode(), Mode::HotSeat);
    assert_eq!(record.name(Player::X), "Ann");
    assert_eq!(record.name(Player::O), "Bob");
    assert_eq!(record.verdict(), Verdict::Win(Player::X));
    assert_eq!(record.moves().len(), 5);
    assert_eq!(harness.state().records(), read.records);

    harness.key_press(Key::Escape);
    harness.run();
    open_statistics(&mut harness);
    harness.get_by_label("Ann v Bob");
    harness.get_by_label("1 – 0");
}

#[test]
fn a_damaged_history_is_set_aside_and_the_player_is_told() {
    let dir = tempfile::tempdir().unwrap();
    seed(dir.path());
    let path = history_path(dir.path());
    let mut text = std::fs::read_to_string(&path).unwrap();
    text.push_str("tictactoe-record 1\nplayed: 2025-11-26T18:09:00Z\nmo");
    std::fs::write(&path, &text).unwrap();

    let harness = open(dir.path());
    assert_eq!(harness.state().records().len(), 7);
    let notice = harness.state().notice().unwrap().to_owned();
    assert!(notice.contains("7 earlier games were kept"), "{notice}");
    harness.get_by_label(&notice);
    drop(harness);

    let names: Vec<String> = std::fs::read_dir(path.parent().unwrap())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names.len(), 2, "{names:?}");
    let aside = names
        .iter()
        .find(|n| n.starts_with("history.txt.bad-"))
        .unwrap();
    assert_eq!(
        std::fs::read_to_string(path.with_file_name(aside)).unwrap(),
        text
    );
    // The next start finds a clean history and says nothing.
    let harness = open(dir.path());
    assert_eq!(harness.state().records().len(), 7);
    assert_eq!(harness.state().notice(), None);
}

#[test]
fn a_game_in_the_history_opens_in_the_replay_view() {
    let dir = tempfile::tempdir().unwrap();
    seed(dir.path());
    let mut harness = open(dir.path());
    open_statistics(&mut harness);
    press_button(&mut harness, "Game history");

    // The newest game comes first: the draw between Ann and Cy, nine moves.
    let replays: Vec<_> = harness.query_all_by_label("Replay").collect();
    assert_eq!(replays.len(), 7, "one Replay button per game");
    replays[0].click();
    harness.run();
    assert!(matches!(harness.state().screen(), Screen::Replay(_)));
    harness.get_by_label(&format!("Game of {}", local_time_text(at(6))));
    harness.get_by_label("8. O bottom middle");
    assert_eq!(harness.query_all_by_label_contains("9. X").count(), 1);
}

#[test]
fn undo_after_a_finished_game_leaves_screen_statistics_and_history_in_agreement() {
    use egui::Modifiers;
    use egui_kittest::kittest::NodeT as _;

    let dir = tempfile::tempdir().unwrap();
    let history = HistoryStore::at(history_path(dir.path()));
    let options = tictactoe::app::AppOptions {
        computer_delay: std::time::Duration::ZERO,
        computer_seed: Some(1),
        ..tictactoe::app::AppOptions::default()
    };
    let mut harness = open_with(dir.path(), TALL, move |settings| {
        App::with_options(settings, options).with_history(history)
    });
    press_button(&mut harness, "Play against the computer…");
    harness.get_by_label("Perfect").click();
    press_button(&mut harness, "Start");
    // Squares in reading order, the first free one each turn: perfect play wins against it.
    for _ in 0..9 {
        let Some(vs) = harness.state().vs_computer() else {
            panic!("not playing the computer");
        };
        if vs.series().game_over() {
            break;
        }
        let free = vs.series().game().legal_moves().next().unwrap();
        harness
            .get_by_label(&format!(
                "Row {}, column {}, empty",
                free.row() + 1,
                free.col() + 1
            ))
            .click();
        harness.run();
        harness.step();
        harness.run();
    }
    harness.get_by_label("You lost — Computer (perfect) wins");
    open_menu_for(&mut harness, "Undo");
    assert!(harness.get_by_label("Undo").accesskit_node().is_disabled());
    close_menu(&mut harness);
    harness.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    harness.run();
    // The screen still shows the loss …
    harness.get_by_label("You lost — Computer (perfect) wins");
    harness.get_by_label("Game 1 · no draws");
    assert_eq!(
        harness
            .state()
            .vs_computer()
            .unwrap()
            .series()
            .score()
            .o_wins,
        1
    );
    // … the history holds it …
    let read = HistoryStore::at(history_path(dir.path())).read().unwrap();
    assert_eq!(read.records.len(), 1);
    assert_eq!(read.records[0].verdict(), Verdict::Win(Player::O));
    // … and the statistics count it.
    harness.key_press(Key::Escape);
    harness.run();
    open_statistics(&mut harness);
    harness.get_by_label("You won 0, lost 1, drew 0");
}
