//! The sound for the opponent's move, in windows driven by `egui_kittest`: it rings for each
//! move of the computer and of the friend over a real socket on 127.0.0.1, never for the
//! player's own moves, and not at all once "Sound" is unticked under the theme control (which
//! is remembered). The apps here are built without a loudspeaker, so the sound is counted, not
//! played.

use crate::support::app::{settle, step_all_until, type_into};

use std::path::Path;
use std::time::Duration;

use egui_kittest::Harness;
use egui_kittest::kittest::Queryable as _;
use tictactoe::app::{App, AppOptions, SettingsStore};
use tictactoe::game::Cell;
use tictactoe::net::{Presence, Timing};

const DEADLINE: Duration = Duration::from_secs(15);

fn open(dir: &Path, options: AppOptions) -> Harness<'static, App> {
    std::fs::write(dir.join("settings.json"), r#"{"motion": false}"#)
        .unwrap_or_else(|e| panic!("settings written: {e}"));
    let store = SettingsStore::at(dir.join("settings.json"));
    Harness::builder()
        .with_size([480.0, 620.0])
        .build_eframe(move |_cc| {
            App::with_options(store, options).with_net_timing(Timing::default())
        })
}

fn cell_label(number: usize, content: &str) -> String {
    let cell = Cell::ALL[number - 1];
    format!(
        "Row {}, column {}, {content}",
        cell.row() + 1,
        cell.col() + 1
    )
}

/// The number of marks on the board against the computer.
fn moves(harness: &Harness<'_, App>) -> usize {
    harness
        .state()
        .vs_computer()
        .map_or(0, |vs| vs.series().game().moves().len())
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
    window.get_by_label("Play the computer…").click();
    settle(&mut window);
    type_into(&mut window, "Your name", "Ann");
    window.get_by_label("Start").click();
    settle(&mut window);
    let first_empty = |window: &Harness<'_, App>| {
        (1..=9)
            .map(|n| cell_label(n, "empty"))
            .find(|label| window.query_by_label(label).is_some())
            .unwrap()
    };

    // Ann (X) moves, the computer answers: one sound, for the answer.
    window.get_by_label(&first_empty(&window)).click();
    for _ in 0..20 {
        window.step();
        if moves(&window) == 2 {
            break;
        }
    }
    assert_eq!(moves(&window), 2);
    assert_eq!(window.state().chimes(), 1);

    // Sound off, from the list under the theme control; the next answer is silent.
    window.get_by_label("Theme").click();
    window.run();
    window.get_by_label("Sound").click();
    window.run();
    assert!(!window.state().settings().sound);
    window.get_by_label(&first_empty(&window)).click();
    for _ in 0..20 {
        window.step();
        if moves(&window) == 4 {
            break;
        }
    }
    assert_eq!(moves(&window), 4);
    assert_eq!(window.state().chimes(), 1, "silent once turned off");
    let saved = std::fs::read_to_string(dir.path().join("settings.json")).unwrap();
    assert!(saved.contains(r#""sound": false"#), "{saved}");
}

#[test]
fn a_friends_move_rings_on_the_other_side_only() {
    let dirs: Vec<_> = (0..2).map(|_| tempfile::tempdir().unwrap()).collect();
    let [mut a, mut b] = [0, 1].map(|i| open(dirs[i].path(), AppOptions::default()));
    a.get_by_label("Host a game…").click();
    settle(&mut a);
    type_into(&mut a, "Your name", "Ann");
    type_into(&mut a, "Port", "0");
    a.get_by_label("Start hosting").click();
    settle(&mut a);
    let port = a.state().hosting().map(|hosting| hosting.port).unwrap();
    b.get_by_label("Join a game…").click();
    settle(&mut b);
    type_into(&mut b, "Your name", "Bob");
    type_into(&mut b, "Address", &format!("127.0.0.1:{port}"));
    b.get_by_label("Join").click();
    settle(&mut b);
    step_all_until(
        &mut [&mut a, &mut b],
        DEADLINE,
        "both in the match",
        |apps| {
            apps[0]
                .net_match()
                .is_some_and(|n| n.view.opponent == Presence::Connected)
                && apps[1].net_match().is_some()
        },
    );
    let moved = |count: usize| {
        move |apps: &[&App]| {
            apps.iter().all(|app| {
                app.net_match()
                    .is_some_and(|n| n.view.state.game().moves().len() == count)
            })
        }
    };

    // Ann (X) moves: Bob hears it, Ann does not.
    a.get_by_label(&cell_label(5, "empty")).click();
    step_all_until(&mut [&mut a, &mut b], DEADLINE, "Ann's move", moved(1));
    assert_eq!([a.state().chimes(), b.state().chimes()], [0, 1]);
    // Bob (O) answers: now Ann hears one.
    b.get_by_label(&cell_label(1, "empty")).click();
    step_all_until(&mut [&mut a, &mut b], DEADLINE, "Bob's move", moved(2));
    assert_eq!([a.state().chimes(), b.state().chimes()], [1, 1]);
}
