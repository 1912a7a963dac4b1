//! Helpers shared by the window tests that drive two app instances over a real socket, or over
//! the app's fake network ([`fake`]).

pub mod fake;

use egui::{Key, Modifiers};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable as _;
use tictactoe::app::App;

/// A few frames: the click, the action applied, the new screen drawn.
pub fn settle(harness: &mut Harness<'_, App>) {
    for _ in 0..3 {
        harness.step();
    }
}

/// Replaces the text of the field labelled `label` with `text` (an empty `text` clears it).
pub fn type_into(harness: &mut Harness<'_, App>, label: &str, text: &str) {
    harness.get_by_label(label).click();
    settle(harness);
    harness.key_press_modifiers(Modifiers::COMMAND, Key::A);
    harness.key_press(Key::Backspace);
    settle(harness);
    if !text.is_empty() {
        harness.get_by_label(label).type_text(text);
    }
    settle(harness);
}

/// Steps every window in turn until `done` holds for their apps; panics after `deadline`.
/// Every window then draws a few more frames, so that what it now shows can be clicked.
pub fn step_all_until<'h>(
    windows: &mut [&mut Harness<'h, App>],
    deadline: std::time::Duration,
    what: &str,
    done: impl Fn(&[&App]) -> bool,
) {
    let start = std::time::Instant::now();
    loop {
        for window in windows.iter_mut() {
            window.step();
        }
        let apps: Vec<&App> = windows.iter().map(|window| window.state()).collect();
        if done(&apps) {
            break;
        }
        assert!(
            start.elapsed() < deadline,
            "timed out waiting for {what}: {:?}",
            apps.iter().map(|app| app.screen()).collect::<Vec<_>>()
        );
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
    for window in windows.iter_mut() {
        settle(window);
    }
}
