//! The sound for the opponent's move, in windows driven by `egui_kittest`: it rings for each
//! move of the computer and of the friend over a real socket on 127.0.0.1, never for the
//! player's own moves, and not at all once "Sound" is unticked under the theme control (which
//! is remembered). The apps here are built without a loudspeaker, so the sound is counted, not
//! played.

use crate::support::app::{
    SIZE, ann_and_bob, open_with, press_button, settle, square, step_until, type_into,
    without_motion,
};

use std::path::Path;
use std::time::Duration;

use egui_kittest::Harness;
use egui_kittest::kittest::Queryable as _;
use tictactoe::app::{App, AppOptions};

fn open(dir: &Path, options: AppOptions) -> Harness<'static, App> {
    without_motion(dir);
    open_with(dir, SIZE, move |store| App::with_options(store, options))
}

/// The number of marks on the board against the computer.
fn moves(harness: &Harness<'_, App>) -> usize {
    harness
        .state()
        .vs_computer()
        .map_or(0, |vs| vs.series().game().moves().len())
}

/// Ann takes the first empty square, and the computer answers (within 20 frames).
fn play_and_wait_for_the_answer(window: &mut Harness<'_, App>) {
    let Some(first_empty) = (1..=9)
        .map(|n| square(n, "empty"))
        .find(|label| window.query_by_label(label).is_some())
    else {
        panic!("no empty square left");
    };
    window.get_by_label(&first_empty).click();
    let played = moves(window) + 2;
    for _ in 0..20 {
        window.step();
        if moves(window) == played {
            break;
        }
    }
}

#[test]
fn the_computers_moves_ring_the_players_do_not_and_sound_off_is_remembered() {
    let dir = tempfile::tempdir().unwrap();
    let options = AppOptions {
        computer_delay: Duration::ZERO,
        computer_seed: Some(7),
        ..AppOptions::default()
    };
    let mut window = open(dir.path(), options);
    settle(&mut window);
    assert!(window.state().settings().sound, "on by default");
    window.get_by_label("Play against the computer…").click();
    settle(&mut window);
    type_into(&mut window, "Your name", "Ann");
    window.get_by_label("Start").click();
    settle(&mut window);
    // Ann (X) moves, the computer answers: one sound, for the answer.
    play_and_wait_for_the_answer(&mut window);
    assert_eq!(moves(&window), 2);
    assert_eq!(window.state().chimes(), 1);

    // Sound off, from the list under the theme control; the next answer is silent.
    press_button(&mut window, "Theme");
    press_button(&mut window, "Sound");
    assert!(!window.state().settings().sound);
    play_and_wait_for_the_answer(&mut window);
    assert_eq!(moves(&window), 4);
    assert_eq!(window.state().chimes(), 1, "silent once turned off");
    let saved = std::fs::read_to_string(dir.path().join("settings.json")).unwrap();
    assert!(saved.contains(r#""sound": false"#), "{saved}");
}

#[test]
fn a_friends_move_rings_on_the_other_side_only() {
    let dirs: Vec<_> = (0..2).map(|_| tempfile::tempdir().unwrap()).collect();
    let [mut a, mut b] = [0, 1].map(|i| open(dirs[i].path(), AppOptions::default()));
    ann_and_bob(&mut a, &mut b);
    let moved = |count: usize| {
        move |a: &App, b: &App| {
            [a, b].iter().all(|app| {
                app.net_match()
                    .is_some_and(|n| n.view.state.game().moves().len() == count)
            })
        }
    };

    // Ann (X) moves: Bob hears it, Ann does not.
    a.get_by_label(&square(5, "empty")).click();
    step_until(&mut a, &mut b, "Ann's move", moved(1));
    assert_eq!([a.state().chimes(), b.state().chimes()], [0, 1]);
    // Bob (O) answers: now Ann hears one.
    b.get_by_label(&square(1, "empty")).click();
    step_until(&mut a, &mut b, "Bob's move", moved(2));
    assert_eq!([a.state().chimes(), b.state().chimes()], [1, 1]);
}
