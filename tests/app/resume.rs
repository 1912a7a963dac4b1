//! Closing the window in the middle of a match at this computer, then starting again: the menu
//! offers to continue the unfinished game, and continuing shows the same board.

use crate::support::in_temp_dir;
use std::path::Path;

use crate::support::app::{open_resumable, press, press_button, start_from_menu};
use egui::Key;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable as _;
use tictactoe::app::{App, Screen};

fn open(dir: &Path) -> Harness<'static, App> {
    open_resumable(dir, 5)
}

#[test]
fn a_hot_seat_game_left_open_is_offered_and_continued_after_a_restart() {
    let (dir, mut harness) = in_temp_dir(open);
    start_from_menu(&mut harness, "Two players on this computer…");
    press(&mut harness, Key::Num1);
    press(&mut harness, Key::Num5);
    press(&mut harness, Key::Num9);
    // The window closes as it does for real: the app is dropped.
    harness.state_mut().save_on_exit();
    drop(harness);

    let mut harness = open(dir.path());
    assert!(harness.state().offers_unfinished());
    harness.get_by_label("Player X 0 – 0 Player O, game 1");
    press_button(&mut harness, "Continue the unfinished game");
    assert!(matches!(harness.state().screen(), Screen::HotSeat(_)));
    harness.get_by_label("Row 1, column 1, X");
    harness.get_by_label("Row 2, column 2, O");
    harness.get_by_label("Row 3, column 3, X");
    harness.get_by_label("Player O's turn (O)");
    harness.get_by_label("3. X bottom right");
    // It goes on from there.
    press(&mut harness, Key::Num3);
    harness.get_by_label("Row 1, column 3, O");
}

#[test]
fn a_game_against_the_computer_comes_back_and_can_be_discarded() {
    let (dir, mut harness) = in_temp_dir(open);
    start_from_menu(&mut harness, "Play against the computer…");
    press(&mut harness, Key::Num5);
    harness.run();
    let moves = harness
        .state()
        .vs_computer()
        .unwrap()
        .series()
        .game()
        .moves()
        .to_vec();
    assert_eq!(moves.len(), 2, "the computer has replied");
    drop(harness);

    let mut harness = open(dir.path());
    press_button(&mut harness, "Continue the unfinished game");
    let vs = harness.state().vs_computer().unwrap();
    assert_eq!(vs.series().game().moves(), moves);
    assert_eq!(
        vs.series().name(tictactoe::game::Player::O),
        "Computer (medium)"
    );
    press(&mut harness, Key::Escape);
    drop(harness);

    // Left for the menu, then the window closed: still offered; discarded, it is gone for good.
    let mut harness = open(dir.path());
    press_button(&mut harness, "Discard it");
    assert!(
        harness
            .query_by_label("Continue the unfinished game")
            .is_none()
    );
    drop(harness);
    let harness = open(dir.path());
    assert!(!harness.state().offers_unfinished());
    assert!(
        harness
            .query_by_label("Continue the unfinished game")
            .is_none()
    );
}
