//! What the window remembers between runs, through a settings file in a temporary directory:
//! names, theme and window size survive a restart; an unreadable file is kept aside and the
//! player is told.

use crate::support::in_temp_dir;
use std::path::Path;

use crate::support::app::{open, press_button, start_hot_seat};
use egui::Key;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable as _;
use tictactoe::app::{App, Settings, SettingsStore, ThemeChoice};

fn files_in(dir: &Path) -> Vec<String> {
    let mut names: Vec<_> = std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .map(|entry| entry.file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

fn choose_theme(harness: &mut Harness<'_, App>, theme: &str) {
    press_button(harness, "Theme");
    press_button(harness, theme);
}

#[test]
fn names_theme_and_window_size_survive_a_restart() {
    let (dir, mut harness) = in_temp_dir(open);
    assert_eq!(harness.state().settings(), &Settings::default());

    start_hot_seat(&mut harness, "Ann", "Bob");
    choose_theme(&mut harness, "Dark");
    assert_eq!(
        harness.ctx.options(|o| o.theme_preference),
        egui::ThemePreference::Dark
    );

    // The window was resized; its size is saved when it closes.
    harness
        .input_mut()
        .viewports
        .entry(egui::ViewportId::ROOT)
        .or_default()
        .inner_rect = Some(egui::Rect::from_min_size(
        egui::Pos2::ZERO,
        egui::vec2(700.0, 800.0),
    ));
    harness.run();
    harness.state_mut().save_on_exit();
    drop(harness);

    let saved: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.path().join("settings.json")).unwrap()).unwrap();
    assert_eq!(saved["x_name"], "Ann");
    assert_eq!(saved["theme"], "dark");

    let mut harness = open(dir.path());
    let settings = harness.state().settings();
    assert_eq!(
        (settings.x_name.as_str(), settings.o_name.as_str()),
        ("Ann", "Bob")
    );
    assert_eq!(settings.theme, ThemeChoice::Dark);
    assert_eq!(settings.window_size(), [700.0, 800.0]);
    assert_eq!(
        harness.ctx.options(|o| o.theme_preference),
        egui::ThemePreference::Dark
    );
    assert!(harness.ctx.theme() == egui::Theme::Dark);

    // The names form offers the remembered names.
    press_button(&mut harness, "Two players on this computer…");
    assert_eq!(
        harness.get_by_label("Name for X").value().as_deref(),
        Some("Ann")
    );
    assert_eq!(
        harness.get_by_label("Name for O").value().as_deref(),
        Some("Bob")
    );

    // Back to following the system.
    choose_theme(&mut harness, "System");
    assert_eq!(
        SettingsStore::at(dir.path().join("settings.json"))
            .load()
            .settings
            .theme,
        ThemeChoice::System
    );
}

#[test]
fn a_light_theme_is_applied_at_once() {
    let (_dir, mut harness) = in_temp_dir(open);
    choose_theme(&mut harness, "Light");
    assert!(harness.ctx.theme() == egui::Theme::Light);
    assert!(!harness.ctx.global_style().visuals.dark_mode);
    choose_theme(&mut harness, "Dark");
    assert!(harness.ctx.global_style().visuals.dark_mode);
}

#[test]
fn a_corrupt_settings_file_is_moved_aside_and_the_player_is_told_once() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("settings.json");
    std::fs::write(&path, b"{ this is not json").unwrap();

    let mut harness = open(dir.path());
    assert_eq!(harness.state().settings(), &Settings::default());
    harness.get_by_label_contains("Your settings could not be read");
    assert!(harness.state().notice().is_some());

    // The file was renamed, not deleted: its bytes are all still there.
    let files = files_in(dir.path());
    assert_eq!(files.len(), 1, "{files:?}");
    assert!(files[0].starts_with("settings.json.bad-"), "{files:?}");
    assert_eq!(
        std::fs::read(dir.path().join(&files[0])).unwrap(),
        b"{ this is not json"
    );

    press_button(&mut harness, "Dismiss");
    assert!(
        harness
            .query_by_label_contains("could not be read")
            .is_none()
    );
    assert_eq!(harness.state().notice(), None);

    // New settings go to a fresh file; the bad one stays.
    choose_theme(&mut harness, "Light");
    assert_eq!(files_in(dir.path()).len(), 2);
    drop(harness);

    // Told once: the next start finds good settings and says nothing.
    let mut harness = open(dir.path());
    harness.run();
    assert_eq!(harness.state().notice(), None);
    assert_eq!(harness.state().settings().theme, ThemeChoice::Light);
}

#[test]
fn a_missing_settings_file_means_defaults_without_a_notice() {
    let dir = tempfile::tempdir().unwrap();
    let mut harness = open(&dir.path().join("not yet created"));
    harness.run();
    assert_eq!(harness.state().notice(), None);
    assert!(harness.query_by_label("Dismiss").is_none());
    // Escape on the menu does nothing.
    harness.key_press(Key::Escape);
    harness.run();
    harness.get_by_label("Two players on this computer…");
}

#[test]
fn settings_that_cannot_be_saved_are_reported_in_the_window() {
    let dir = tempfile::tempdir().unwrap();
    // The settings "directory" is a file, so nothing can be written under it.
    let blocker = dir.path().join("not a directory");
    std::fs::write(&blocker, b"").unwrap();
    let mut harness = open(&blocker);
    assert_eq!(harness.state().notice(), None);

    choose_theme(&mut harness, "Dark");
    assert_eq!(harness.state().settings().theme, ThemeChoice::Dark);
    harness.get_by_label_contains("Your settings could not be saved");
}
