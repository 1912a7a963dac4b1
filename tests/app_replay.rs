//! The replay view, driven through the window's accessibility tree: stepping with buttons and
//! keys, jumping from the move list, and autoplay that waits between moves without spinning.

use std::path::Path;
use std::time::Duration;

use egui::Key;
use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT as _, Queryable as _};
use tictactoe::app::{App, AppOptions, Command, Replay, Screen, SettingsStore};
use tictactoe::game::{Cell, Player};

/// Seconds of egui's clock per frame.
const STEP_S: f32 = 0.05;

fn open(dir: &Path) -> Harness<'static, App> {
    // These tests time the window's own pacing frame by frame: the marks' animation, which asks
    // for frames of its own, is off (it is tested in app_hot_seat.rs).
    std::fs::write(dir.join("settings.json"), r#"{"motion": false}"#)
        .unwrap_or_else(|e| panic!("settings written: {e}"));
    let store = SettingsStore::at(dir.join("settings.json"));
    let options = AppOptions {
        autoplay_step: Duration::from_millis(200),
        ..AppOptions::default()
    };
    Harness::builder()
        .with_size([480.0, 620.0])
        .with_step_dt(STEP_S)
        // Short frames: the win line's animation takes more of them to settle.
        .with_max_steps(32)
        .build_eframe(move |_cc| App::with_options(store, options))
}

fn cells(numbers: &[i64]) -> Vec<Cell> {
    numbers
        .iter()
        .map(|&n| Cell::from_number(n).unwrap_or_else(|e| panic!("{e}")))
        .collect()
}

/// Ann (X) wins along the top row: X 1, O 4, X 2, O 5, X 3.
fn open_replay(harness: &mut Harness<'_, App>) {
    let replay = Replay::new(
        "Ann against Bob",
        ["Ann", "Bob"],
        Player::X,
        &cells(&[1, 4, 2, 5, 3]),
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

fn press(harness: &mut Harness<'_, App>, key: Key) {
    harness.key_press(key);
    harness.run();
}

#[test]
fn buttons_and_the_move_list_step_through_the_game() {
    let dir = tempfile::tempdir().unwrap();
    let mut harness = open(dir.path());
    open_replay(&mut harness);

    // It opens at the end, with the result and every move listed by name.
    assert_eq!(shown(&harness), 5);
    harness.get_by_label("Ann wins · move 5 of 5");
    harness.get_by_label("1. X top left");
    harness.get_by_label("4. O centre");
    harness.get_by_label("Row 1, column 3, X");
    assert!(harness.get_by_label("Last").accesskit_node().is_disabled());

    harness.get_by_label("Previous").click();
    harness.run();
    assert_eq!(shown(&harness), 4);
    harness.get_by_label("Move 4 of 5: O centre");
    harness.get_by_label("Row 1, column 3, empty");

    harness.get_by_label("Empty board").click();
    harness.run();
    assert_eq!(shown(&harness), 0);
    harness.get_by_label("Start · 5 moves");
    assert_eq!(harness.query_all_by_label_contains(", empty").count(), 9);
    assert!(
        harness
            .get_by_label("Previous")
            .accesskit_node()
            .is_disabled()
    );

    harness.get_by_label("Next").click();
    harness.run();
    harness.get_by_label("Move 1 of 5: X top left");

    // A click on a move in the list jumps there.
    harness.get_by_label("2. O middle left").click();
    harness.run();
    assert_eq!(shown(&harness), 2);
    harness.get_by_label("Row 2, column 1, O");
    harness.get_by_label("Row 1, column 2, empty");

    harness.get_by_label("Last").click();
    harness.run();
    assert_eq!(shown(&harness), 5);
}

#[test]
fn keys_step_jump_play_and_go_back() {
    let dir = tempfile::tempdir().unwrap();
    let mut harness = open(dir.path());
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
    let dir = tempfile::tempdir().unwrap();
    let mut harness = open(dir.path());
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
    let dir = tempfile::tempdir().unwrap();
    let mut harness = open(dir.path());
    harness.get_by_label("Play on this computer…").click();
    harness.run();
    harness.get_by_label("Start").click();
    harness.run();
    press(&mut harness, Key::Num5);
    open_replay(&mut harness);
    press(&mut harness, Key::Escape);
    harness.get_by_label("Continue the match").click();
    harness.run();
    harness.get_by_label("Row 2, column 2, X");
    harness.get_by_label("1. X centre");
}
