//! The join screen's list of games on this network, in a window driven by `egui_kittest`, over
//! real multicast DNS kept on 127.0.0.1 (a port of the test's own): games appear and go live,
//! each says which game it plays, one of another version is greyed with both versions, one click
//! joins a game, and a game being played is offered to watch.

use crate::support::app::{DEADLINE, click, open_with, settle, step_until_one, type_into};
use crate::support::net::{loopback_mdns, old_version_listed, start_listed};

use std::time::{Duration, Instant};

use egui_kittest::Harness;
use egui_kittest::kittest::{By, NodeT as _, Queryable as _};
use tictactoe::app::App;
use tictactoe::game::Variant;
use tictactoe::net::discovery::Mdns;
use tictactoe::net::{HostConfig, JoinConfig, NetEvent, PROTOCOL_VERSION, Presence, join, no_wake};

/// A window looking for games on `mdns`, on the join screen; the folder it keeps its files in.
fn looking(mdns: Mdns) -> (Harness<'static, App>, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap_or_else(|error| panic!("a folder: {error}"));
    let mut window = open_with(dir.path(), [480.0, 900.0], move |store| {
        App::new(store).with_reach(Some(mdns), false)
    });
    settle(&mut window);
    click(&mut window, "Join a game…");
    (window, dir)
}

/// A host called Ann playing `game`, listed on `mdns`; its port.
fn ann_hosting(mdns: Mdns, game: Variant) -> (tictactoe::net::HostHandle, u16) {
    let config = HostConfig {
        name: "Ann".to_owned(),
        game,
        ..HostConfig::default()
    };
    start_listed(mdns, config)
}

fn listed(app: &App, name: &str) -> bool {
    app.join_form()
        .and_then(|form| form.games.as_ref())
        .is_some_and(|games| games.iter().any(|g| g.name == name))
}

#[test]
fn the_join_screen_lists_games_live_greys_another_version_and_joins_in_one_click() {
    let mdns = loopback_mdns();
    let (mut window, _dir) = looking(mdns);
    assert!(
        window
            .query_by_label("Looking for games on this network…")
            .is_some()
    );

    // A host of Gomoku waiting for a joiner, and a game of another version, appear.
    let (mut ann, port) = ann_hosting(mdns, Variant::Gomoku);
    let old = old_version_listed(mdns, true);
    step_until_one(&mut window, "both games listed", |app| {
        listed(app, "Ann") && listed(app, "Old")
    });
    assert!(
        !window
            .get_by_label("Join Ann")
            .accesskit_node()
            .is_disabled()
    );
    assert!(
        window
            .get_by_label("Join Old")
            .accesskit_node()
            .is_disabled()
    );
    let note = format!(
        "Another version: Tic-Tac-Toe 9.0.0 (protocol {}); you have",
        PROTOCOL_VERSION + 1
    );
    assert_eq!(
        window.query_all(By::new().label_contains(&note)).count(),
        1,
        "the other version's line names both versions"
    );
    assert!(
        window
            .query_by_label(&format!("127.0.0.1:{port}"))
            .is_some()
    );
    window.get_by_label("Gomoku · Open to join");

    // The other game goes away: the list follows.
    old.stop();
    step_until_one(&mut window, "Old unlisted", |app| {
        !listed(app, "Old") && listed(app, "Ann")
    });
    assert!(window.query_by_label("Join Old").is_none());

    // One click joins Ann's game.
    type_into(&mut window, "Your name", "Bob");
    window.get_by_label("Join Ann").click();
    settle(&mut window);
    step_until_one(&mut window, "in Ann's match", |app| {
        app.net_match()
            .is_some_and(|n| n.view.state.name(tictactoe::game::Player::X) == "Ann")
    });
    window.get_by_label("Gomoku");
    let start = Instant::now();
    loop {
        assert!(start.elapsed() < DEADLINE, "Ann never saw Bob");
        if let Some(NetEvent::State(view)) = ann.try_recv()
            && view.opponent == Presence::Connected
        {
            assert_eq!(view.state.name(tictactoe::game::Player::O), "Bob");
            break;
        }
        window.step();
    }
}

#[test]
fn a_game_being_played_is_listed_to_watch_and_one_click_watches_it() {
    let mdns = loopback_mdns();
    let (mut window, _dir) = looking(mdns);

    // Ann hosts and Bob takes the seat: the game is listed again, to watch.
    let (mut ann, port) = ann_hosting(mdns, Variant::Classic);
    let bob_config = JoinConfig {
        name: "Bob".to_owned(),
        ..JoinConfig::default()
    };
    let _bob = join::start(&format!("127.0.0.1:{port}"), bob_config, no_wake());
    // (The listing to join says goodbye within a second or so.)
    step_until_one(&mut window, "Ann's game listed only to watch", |app| {
        app.join_form()
            .and_then(|form| form.games.as_ref())
            .is_some_and(|games| {
                games.iter().any(|g| g.name == "Ann" && g.playing)
                    && !games.iter().any(|g| g.name == "Ann" && !g.playing)
            })
    });
    assert!(
        window.query_by_label("Join Ann").is_none(),
        "the seat is taken"
    );
    window.get_by_label("Classic · Being played · open to watch");

    type_into(&mut window, "Your name", "Cy");
    window.get_by_label("Watch Ann").click();
    settle(&mut window);
    step_until_one(&mut window, "watching Ann's match", |app| {
        app.net_match()
            .is_some_and(|n| n.watching() && n.view.state.name(tictactoe::game::Player::O) == "Bob")
    });
    window.get_by_label("You are watching");
    let start = Instant::now();
    loop {
        assert!(start.elapsed() < DEADLINE, "Ann never saw a watcher");
        if let Some(NetEvent::State(view)) = ann.try_recv()
            && view.watchers == 1
        {
            break;
        }
        window.step();
        std::thread::sleep(Duration::from_millis(5));
    }
}
