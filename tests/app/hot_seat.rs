//! A match on this computer, played through the window's accessibility tree as a player (or a
//! screen reader) would: by clicking labelled squares, by digit keys, and by arrows and Enter.

use crate::support::app::{digit, open, press, press_button, start_hot_seat};
use crate::support::in_temp_dir;

use egui::Key;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable as _;
use tictactoe::app::{App, Screen, SettingsStore};
use tictactoe::game::{Outcome, Player};

/// A match on this computer between Ann (X) and Bob, in a fresh window; its folder.
fn playing() -> (tempfile::TempDir, Harness<'static, App>) {
    let (dir, mut harness) = in_temp_dir(open);
    start_hot_seat(&mut harness, "Ann", "Bob");
    (dir, harness)
}

/// Clicks the square at `number` (1–9), checking it was empty and now holds `mark`.
fn click_cell(harness: &mut Harness<'_, App>, number: u8, mark: char) {
    let (row, col) = ((number - 1) / 3 + 1, (number - 1) % 3 + 1);
    harness
        .get_by_label(&format!("Row {row}, column {col}, empty"))
        .click();
    harness.run();
    harness.get_by_label(&format!("Row {row}, column {col}, {mark}"));
}

fn outcome(harness: &Harness<'_, App>) -> Option<Outcome> {
    harness.state().hot_seat().map(|m| m.game().outcome())
}

#[test]
fn a_win_by_clicks_then_play_again_lets_the_other_player_start() {
    let (_dir, mut harness) = playing();
    harness.get_by_label("Ann's turn (X)");
    harness.get_by_label("Game 1 · no draws");

    for (number, mark) in [(1, 'X'), (4, 'O'), (2, 'X'), (5, 'O')] {
        click_cell(&mut harness, number, mark);
    }
    harness.get_by_label("Ann's turn (X)");
    click_cell(&mut harness, 3, 'X');

    harness.get_by_label("Ann wins!");
    assert!(matches!(
        outcome(&harness),
        Some(Outcome::Won {
            winner: Player::X,
            ..
        })
    ));
    assert_eq!(harness.state().hot_seat().unwrap().score().x_wins, 1);
    // A finished board takes no more marks.
    press_button(&mut harness, "Row 3, column 3, empty");
    harness.get_by_label("Row 3, column 3, empty");

    press_button(&mut harness, "Play again");
    let hot_seat = harness.state().hot_seat().unwrap();
    assert_eq!(hot_seat.game().first(), Player::O);
    assert_eq!(hot_seat.game_number(), 2);
    assert_eq!(hot_seat.score().x_wins, 1);
    harness.get_by_label("Bob's turn (O)");
    harness.get_by_label("Game 2 · no draws");
    assert_eq!(harness.query_all_by_label_contains(", empty").count(), 9);
    assert!(harness.query_by_label("Play again").is_none());
}

#[test]
fn a_draw_by_digit_keys_is_scored_as_a_draw() {
    let (_dir, mut harness) = playing();

    // X: 1 3 4 8 9, O: 2 5 6 7 — nobody makes a line.
    for number in [1, 2, 3, 5, 4, 6, 8, 7, 9] {
        assert!(!harness.state().hot_seat().unwrap().game().is_over());
        press(&mut harness, digit(number));
    }

    assert_eq!(outcome(&harness), Some(Outcome::Draw));
    harness.get_by_label("It's a draw");
    harness.get_by_label("Game 1 · 1 draw");
    assert_eq!(harness.state().hot_seat().unwrap().score().draws, 1);
    assert!(harness.query_by_label_contains(", empty").is_none());

    // A digit on a full board, or on a taken square, changes nothing.
    press(&mut harness, digit(5));
    assert_eq!(harness.state().hot_seat().unwrap().game().moves().len(), 9);
}

#[test]
fn occupied_squares_ignore_digits() {
    let (_dir, mut harness) = playing();
    press(&mut harness, digit(5));
    // The square says it is taken for a moment, and the game is unchanged.
    harness.key_press(digit(5));
    harness.step();
    harness.get_by_label("Row 2, column 2, X, already taken");
    harness.run();
    harness.get_by_label("Row 2, column 2, X");
    let game = harness.state().hot_seat().unwrap().game();
    assert_eq!(game.moves().len(), 1);
    assert_eq!(game.to_move(), Some(Player::O));
    harness.get_by_label("Bob's turn (O)");
}

#[test]
fn a_click_on_a_taken_square_says_so_with_animations_on_or_off() {
    let (dir, mut harness) = playing();
    click_cell(&mut harness, 1, 'X');
    for motion in [true, false] {
        assert_eq!(harness.state().settings().motion, motion);
        harness.get_by_label("Row 1, column 1, X").click();
        harness.step();
        harness.get_by_label("Row 1, column 1, X, already taken");
        // A second later, it has stopped saying so (without animations no frame is drawn in
        // between but the one that takes the outline away).
        for _ in 0..4 {
            harness.step();
        }
        harness.get_by_label("Row 1, column 1, X");
        assert_eq!(harness.state().hot_seat().unwrap().game().moves().len(), 1);
        if motion {
            // Animations off, from the list under the theme control (which closes); remembered.
            press_button(&mut harness, "Theme");
            press_button(&mut harness, "Animations");
            assert!(harness.query_by_label("Animations").is_none());
        }
    }
    assert!(!harness.state().settings().motion);
    let saved = std::fs::read_to_string(dir.path().join("settings.json")).unwrap();
    assert!(saved.contains("\"motion\": false"), "{saved}");
}

#[test]
fn a_new_mark_grows_in_with_animations_on_and_stands_still_with_them_off() {
    let dir = tempfile::tempdir().unwrap();
    let store = SettingsStore::at(dir.path().join("settings.json"));
    // Frames a sixtieth of a second apart, as a screen draws them.
    let mut harness = Harness::builder()
        .with_size([480.0, 620.0])
        .with_step_dt(1.0 / 60.0)
        .with_max_steps(120)
        .build_eframe(move |_cc| App::new(store));
    start_hot_seat(&mut harness, "Ann", "Bob");
    // The frames the board asked for after a move, as egui records why it repaints.
    let play = |harness: &mut Harness<'_, App>, label: &str| {
        harness.get_by_label(label).click();
        let mut board_frames = 0;
        for _ in 0..30 {
            harness.step();
            board_frames += harness
                .ctx
                .repaint_causes()
                .iter()
                .filter(|cause| cause.file.contains("src/app/board"))
                .count();
        }
        board_frames
    };
    let growing = play(&mut harness, "Row 1, column 1, empty");
    // 0.16 s at 60 frames a second.
    assert!(
        (5..=15).contains(&growing),
        "the mark grows over a few frames: {growing}"
    );
    press_button(&mut harness, "Theme");
    press_button(&mut harness, "Animations");
    assert!(!harness.state().settings().motion);
    assert_eq!(
        play(&mut harness, "Row 2, column 2, empty"),
        0,
        "with animations off the board asks for no frame of its own"
    );
    harness.get_by_label("Row 2, column 2, O");
}

#[test]
fn arrows_move_a_visible_focus_and_enter_places_then_enter_plays_again() {
    let (_dir, mut harness) = playing();

    // The first arrow brings the focus onto the board, at the centre.
    press(&mut harness, Key::ArrowRight);
    assert!(harness.get_by_label("Row 2, column 2, empty").is_focused());
    press(&mut harness, Key::Enter);
    harness.get_by_label("Row 2, column 2, X");

    // O: up to the top middle.
    press(&mut harness, Key::ArrowUp);
    assert!(harness.get_by_label("Row 1, column 2, empty").is_focused());
    press(&mut harness, Key::Enter);
    // X: left to the top-left corner; the focus stays on the board at its edges.
    press(&mut harness, Key::ArrowLeft);
    press(&mut harness, Key::ArrowLeft);
    assert!(harness.get_by_label("Row 1, column 1, empty").is_focused());
    press(&mut harness, Key::Enter);
    // O: right twice to the top-right corner.
    press(&mut harness, Key::ArrowRight);
    press(&mut harness, Key::ArrowRight);
    press(&mut harness, Key::Enter);
    harness.get_by_label("Row 1, column 3, O");
    // X: down twice to the bottom-right corner, completing the diagonal.
    press(&mut harness, Key::ArrowDown);
    press(&mut harness, Key::ArrowDown);
    assert!(harness.get_by_label("Row 3, column 3, empty").is_focused());
    press(&mut harness, Key::Enter);

    harness.get_by_label("Ann wins!");
    assert!(harness.get_by_label("Play again").is_focused());
    press(&mut harness, Key::Enter);
    harness.get_by_label("Bob's turn (O)");
    assert_eq!(
        harness.state().hot_seat().unwrap().game().first(),
        Player::O
    );
}

#[test]
fn escape_and_back_return_to_the_menu_where_the_match_can_be_continued() {
    let (_dir, mut harness) = playing();
    click_cell(&mut harness, 1, 'X');

    press(&mut harness, Key::Escape);
    assert_eq!(harness.state().screen(), &Screen::Menu);
    harness.get_by_label("Ann 0 – 0 Bob, game 1");
    press_button(&mut harness, "Continue the match");
    harness.get_by_label("Row 1, column 1, X");
    harness.get_by_label("Bob's turn (O)");

    press_button(&mut harness, "Back to menu");
    assert_eq!(harness.state().screen(), &Screen::Menu);

    // Escape also leaves the names form, and a new match replaces the old one.
    press_button(&mut harness, "Two players on this computer…");
    press(&mut harness, Key::Escape);
    assert_eq!(harness.state().screen(), &Screen::Menu);
    start_hot_seat(&mut harness, "", "");
    harness.get_by_label("Player X's turn (X)");
    press(&mut harness, Key::Escape);
    assert!(harness.query_by_label("Continue the match").is_none());
}

#[test]
fn nothing_repaints_while_nobody_does_anything() {
    let (_dir, mut harness) = in_temp_dir(open);
    let idle = |harness: &mut Harness<'_, App>| {
        harness.run();
        harness.step();
        let delay = harness.output().viewport_output[&egui::ViewportId::ROOT].repaint_delay;
        assert_eq!(
            delay,
            std::time::Duration::MAX,
            "the idle window asks to repaint"
        );
    };
    idle(&mut harness);
    start_hot_seat(&mut harness, "Ann", "Bob");
    idle(&mut harness);
    for number in [1, 4, 2, 5, 3] {
        press(&mut harness, digit(number));
    }
    harness.get_by_label("Ann wins!");
    idle(&mut harness);
}

#[test]
fn enter_after_clicking_undo_does_not_undo_again() {
    let (_dir, mut harness) = playing();
    for number in [1, 5, 9] {
        press(&mut harness, digit(number));
    }
    // A real mouse click: it also gives the button the keyboard focus.
    press_button(&mut harness, "Undo");
    assert_eq!(harness.state().hot_seat().unwrap().game().moves().len(), 2);
    press(&mut harness, Key::Enter);
    assert_eq!(harness.state().hot_seat().unwrap().game().moves().len(), 2);
    harness.get_by_label("Ann's turn (X)");
}

#[test]
fn escape_closes_the_theme_list_without_leaving_the_match() {
    let (_dir, mut harness) = playing();
    press_button(&mut harness, tictactoe::app::chrome::OPTIONS);
    assert!(egui::Popup::is_any_open(&harness.ctx));
    press(&mut harness, Key::Escape);
    assert!(!egui::Popup::is_any_open(&harness.ctx));
    assert!(matches!(harness.state().screen(), Screen::HotSeat(_)));
    // With the list closed, Escape goes back as before.
    press(&mut harness, Key::Escape);
    assert_eq!(harness.state().screen(), &Screen::Menu);
}
