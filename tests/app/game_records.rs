//! The bigger games in the records, in the window: a Gomoku game finished at this computer is
//! listed in the history with its game named, counted under All and Gomoku in the statistics
//! (not under Classic), replayed in Gomoku's own cell names, saved and opened again.

use std::path::Path;

use crate::support::app::{
    click_named, named, open_with, press_button, start_game, without_motion,
};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable as _;
use tictactoe::app::{App, Screen, SystemEvent, game_file};
use tictactoe::game::{Player, Variant};
use tictactoe::store::HistoryStore;

/// A window keeping its history in `dir`.
fn with_history(dir: &Path) -> Harness<'static, App> {
    without_motion(dir);
    let history = HistoryStore::at(dir.join("data").join("history.txt"));
    open_with(dir, [640.0, 720.0], move |store| {
        App::new(store).with_history(history)
    })
}

#[test]
fn a_gomoku_game_is_listed_counted_replayed_saved_and_opened() {
    let dir = crate::support::temp_dir();
    let mut harness = with_history(dir.path());
    start_game(&mut harness, "Two players on this computer…", "Gomoku");
    let gomoku = Variant::Gomoku;
    // X takes the first row, a to e; O the second, a to d.
    for column in ["a", "b", "c", "d", "e"] {
        click_named(
            &mut harness,
            named(gomoku, &format!("{column}1")),
            Player::X,
        );
        if column != "e" {
            click_named(
                &mut harness,
                named(gomoku, &format!("{column}2")),
                Player::O,
            );
        }
    }
    harness.get_by_label("Player X wins!");
    let [record] = harness.state().records() else {
        panic!("one game recorded: {:?}", harness.state().records())
    };
    assert_eq!(record.variant(), gomoku);
    press_button(&mut harness, "Back to menu");

    // The statistics count it under All and Gomoku, not under Classic.
    press_button(&mut harness, "Statistics");
    harness.get_by_label_contains("1 game played");
    press_button(&mut harness, "Classic");
    harness.get_by_label("No Classic games played yet.");
    press_button(&mut harness, "Gomoku");
    harness.get_by_label_contains("1 game played");
    let Screen::Statistics(stats) = harness.state().screen() else {
        panic!("not the statistics: {:?}", harness.state().screen())
    };
    assert_eq!(stats.game, Some(gomoku));
    assert_eq!(stats.shown().pairs.len(), 1);

    // The history names the game, and replays it in Gomoku's own names.
    press_button(&mut harness, "Game history");
    harness.get_by_label_contains("Gomoku · ");
    press_button(&mut harness, "Replay");
    let replay = harness
        .state()
        .replay()
        .unwrap_or_else(|| panic!("no replay"));
    assert_eq!(replay.shown(), 9);
    harness.get_by_label("Gomoku");
    harness.get_by_label("8. O d2");
    harness.get_by_label("9. X e1");

    // Saved, and opened again, it is the same game.
    let path = dir.path().join("gomoku.txt");
    let record = harness
        .state()
        .replay()
        .and_then(|replay| replay.record())
        .unwrap_or_else(|| panic!("the replay has its record"))
        .clone();
    harness
        .state_mut()
        .handle(SystemEvent::File(game_file::save_file(&path, &record)));
    harness.run();
    harness.get_by_label_contains("The game was saved to");
    press_button(&mut harness, "OK");
    harness
        .state_mut()
        .handle(SystemEvent::File(game_file::open_file(&path)));
    harness.run();
    let opened = harness
        .state()
        .replay()
        .unwrap_or_else(|| panic!("no replay"));
    assert_eq!(opened.title(), "gomoku.txt");
    let reopened = opened.record().unwrap_or_else(|| panic!("no record"));
    assert_eq!(reopened.variant(), gomoku);
    assert_eq!(reopened.moves(), record.moves());
    let first = named(gomoku, "a1");
    assert_eq!(reopened.moves().first(), Some(&first));
    harness.get_by_label("Player X wins · move 9 of 9");
}
