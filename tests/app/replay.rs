//! The replay view, driven through the window's accessibility tree: stepping with buttons and
//! keys, jumping from the move list, and autoplay that waits between moves without spinning.

use crate::support::in_temp_dir;
use std::path::Path;
use std::time::Duration;

use crate::support::app::{paced, press, press_button, start_from_menu};
use egui::Key;
use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT as _, Queryable as _};
use tictactoe::app::{App, AppOptions, Command, Replay, Screen};
use tictactoe::game::Player;

fn open(dir: &Path) -> Harness<'static, App> {
    let options = AppOptions {
        autoplay_step: Duration::from_millis(200),
        ..AppOptions::default()
    };
    paced(dir, options)
}

/// Ann (X) wins along the top row: X 1, O 4, X 2, O 5, X 3.
fn open_replay(harness: &mut Harness<'_, App>) {
    let replay = Replay::new(
        "Ann against Bob",
        ["Ann", "Bob"],
        Player::X,
        &crate::support::cells(&[1, 4, 2, 5, 3]),
        None,
    )
    .unwrap_or_else(|e| panic!("{e}"));
    harness
        .state_mut()
        .apply(Command::OpenReplay(Box::new(replay)));
    harness.run();
}

fn shown(harness: &Harness<'_, App>) -> usize {
    harness
        .state()
        .replay()
        .map_or_else(|| panic!("no replay shown"), Replay::shown)
}

#[test]
fn buttons_and_the_move_list_step_through_the_game() {
    let (_dir, mut harness) = in_temp_dir(open);
    open_replay(&mut harness);

    // It opens at the end, with the result and the moves around it listed by name, two a row
    // (a narrow window lists the rows that fit under the board, the move shown among them).
    assert_eq!(shown(&harness), 5);
    harness.get_by_label("Ann wins · move 5 of 5");
    harness.get_by_label("4. O centre");
    harness.get_by_label("5. X top right");
    harness.get_by_label("Row 1, column 3, X");
    assert!(harness.get_by_label("Last").accesskit_node().is_disabled());

    press_button(&mut harness, "Previous");
    assert_eq!(shown(&harness), 4);
    harness.get_by_label("Move 4 of 5: O centre");
    harness.get_by_label("Row 1, column 3, empty");

    press_button(&mut harness, "Empty board");
    assert_eq!(shown(&harness), 0);
    harness.get_by_label("Start · 5 moves");
    assert_eq!(harness.query_all_by_label_contains(", empty").count(), 9);
    assert!(
        harness
            .get_by_label("Previous")
            .accesskit_node()
            .is_disabled()
    );

    press_button(&mut harness, "Next");
    harness.get_by_label("Move 1 of 5: X top left");
    harness.get_by_label("1. X top left");

    // A click on a move in the list jumps there.
    press_button(&mut harness, "2. O middle left");
    assert_eq!(shown(&harness), 2);
    harness.get_by_label("Row 2, column 1, O");
    harness.get_by_label("Row 1, column 2, empty");

    press_button(&mut harness, "Last");
    assert_eq!(shown(&harness), 5);
}

#[test]
fn keys_step_jump_play_and_go_back() {
    let (_dir, mut harness) = in_temp_dir(open);
    open_replay(&mut harness);

    press(&mut harness, Key::Home);
    assert_eq!(shown(&harness), 0);
    press(&mut harness, Key::ArrowLeft);
    assert_eq!(shown(&harness), 0, "the start is the start");
    press(&mut harness, Key::ArrowRight);
    press(&mut harness, Key::ArrowRight);
    assert_eq!(shown(&harness), 2);
    press(&mut harness, Key::ArrowLeft);
    assert_eq!(shown(&harness), 1);
    press(&mut harness, Key::End);
    assert_eq!(shown(&harness), 5);
    press(&mut harness, Key::ArrowRight);
    assert_eq!(shown(&harness), 5, "the end is the end");

    press(&mut harness, Key::Space);
    assert!(harness.state().replay().unwrap().is_playing());
    press(&mut harness, Key::Space);
    assert!(!harness.state().replay().unwrap().is_playing());

    press(&mut harness, Key::Escape);
    assert_eq!(harness.state().screen(), &Screen::Menu);
}

#[test]
fn autoplay_shows_one_move_per_step_then_stops_and_the_window_goes_idle() {
    let (_dir, mut harness) = in_temp_dir(open);
    open_replay(&mut harness);

    // At the end, Play starts over from the empty board.
    harness.get_by_label("Play").click();
    harness.step();
    assert_eq!(shown(&harness), 0);
    assert!(harness.state().replay().unwrap().is_playing());

    // Between moves it asks for one repaint when the next is due, not for every frame.
    let mut seen = vec![shown(&harness)];
    let mut longest_wait = Duration::ZERO;
    for _ in 0..100 {
        harness.step();
        let delay = harness.output().viewport_output[&egui::ViewportId::ROOT].repaint_delay;
        if harness.state().replay().unwrap().is_playing() {
            longest_wait = longest_wait.max(delay);
        }
        let now = shown(&harness);
        if seen.last() != Some(&now) {
            seen.push(now);
        }
        if !harness.state().replay().unwrap().is_playing() {
            break;
        }
    }
    assert!(
        longest_wait > Duration::from_millis(100) && longest_wait <= Duration::from_millis(200),
        "waited for {longest_wait:?} at most between frames"
    );
    assert_eq!(seen, [0, 1, 2, 3, 4, 5]);
    harness.run();
    harness.get_by_label("Play");
    harness.step();
    let delay = harness.output().viewport_output[&egui::ViewportId::ROOT].repaint_delay;
    assert_eq!(delay, Duration::MAX, "the stopped replay asks to repaint");
}

#[test]
fn a_replay_keeps_the_match_being_played() {
    let (_dir, mut harness) = in_temp_dir(open);
    start_from_menu(&mut harness, "Two players on this computer…");
    press(&mut harness, Key::Num5);
    open_replay(&mut harness);
    press(&mut harness, Key::Escape);
    press_button(&mut harness, "Continue the match");
    harness.get_by_label("Row 2, column 2, X");
    harness.get_by_label("1. X centre");
}
