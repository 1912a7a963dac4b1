//! What happens beneath the "Open game…" and "Save game…" dialogs (which need a desktop): a game
//! file opens in the replay view, a bad one's line and problem show in the window, and a saved
//! game opens again the same.

use crate::support::app::{open, press_button};

use egui_kittest::kittest::Queryable as _;
use tictactoe::app::{Screen, SystemEvent, game_file};

const GAME: &str = "tictactoe-record 1\nplayed: 2026-11-26T18:05:09Z\nmode: computer\nlevel: perfect\n\
                    you: o\nx: Computer (perfect)\no: Ann\nfirst: x\nmoves: 5 1 9\nend: resigned o\n\
                    result: x wins\n";

#[test]
fn a_game_file_opens_in_the_replay_view_and_saves_again_the_same() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("game.txt");
    std::fs::write(&path, GAME).unwrap();
    let mut harness = open(dir.path());
    harness
        .state_mut()
        .handle(SystemEvent::File(game_file::open_file(&path)));
    harness.run();
    let replay = harness.state().replay().unwrap();
    assert_eq!(replay.title(), "game.txt");
    assert_eq!(replay.shown(), 3);
    harness.get_by_label("Ann resigned · move 3 of 3");
    harness.get_by_label("2. O top left");

    let copy = dir.path().join("copy.txt");
    let record = harness.state().replay().unwrap().record().unwrap().clone();
    harness
        .state_mut()
        .handle(SystemEvent::File(game_file::save_file(&copy, &record)));
    harness.run();
    harness.get_by_label_contains("The game was saved to");
    assert_eq!(std::fs::read_to_string(&copy).unwrap(), GAME);
}

#[test]
fn a_bad_file_shows_its_line_and_problem_in_the_window() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bad.txt");
    std::fs::write(&path, GAME.replace("moves: 5 1 9", "moves: 5 5 9")).unwrap();
    let mut harness = open(dir.path());
    harness
        .state_mut()
        .handle(SystemEvent::File(game_file::open_file(&path)));
    harness.run();
    assert_eq!(harness.state().screen(), &Screen::Menu);
    harness.get_by_label_contains("bad.txt could not be opened: line 9: move 2 (5) is illegal");
    press_button(&mut harness, "Dismiss");
    assert!(harness.state().notice().is_none());
}
