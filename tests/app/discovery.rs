//! The join screen's list of games on this network, in a window driven by `egui_kittest`, over
//! real multicast DNS kept on 127.0.0.1 (a port of the test's own): games appear and go live,
//! one of another version is greyed with both versions, one click joins a game, and a game
//! being played is offered to watch.

use crate::support::app::{settle, type_into};

use std::time::{Duration, Instant};

use egui_kittest::Harness;
use egui_kittest::kittest::{By, NodeT as _, Queryable as _};
use tictactoe::app::{App, SettingsStore};
use tictactoe::net::discovery::{Advert, Advertiser, Mdns};
use tictactoe::net::{
    HostConfig, JoinConfig, NetEvent, PROTOCOL_VERSION, Presence, Reach, host, join, no_wake,
};

const DEADLINE: Duration = Duration::from_secs(15);

/// Steps the window until `done` holds; panics after the deadline.
fn step_until(harness: &mut Harness<'_, App>, what: &str, done: impl Fn(&App) -> bool) {
    let start = Instant::now();
    while start.elapsed() < DEADLINE {
        harness.step();
        if done(harness.state()) {
            settle(harness);
            return;
        }
        std::thread::sleep(Duration::from_millis(5));
    }
    panic!("gave up waiting for {what}: {:?}", harness.state().screen());
}

fn listed(app: &App, name: &str) -> bool {
    app.join_form()
        .and_then(|form| form.games.as_ref())
        .is_some_and(|games| games.iter().any(|g| g.name == name))
}

#[test]
fn the_join_screen_lists_games_live_greys_another_version_and_joins_in_one_click() {
    let socket = std::net::UdpSocket::bind("127.0.0.1:0").unwrap();
    let mdns = Mdns::loopback(socket.local_addr().unwrap().port());
    drop(socket);
    let dir = tempfile::tempdir().unwrap();
    let store = SettingsStore::at(dir.path().join("settings.json"));
    let mut window = Harness::builder()
        .with_size([480.0, 900.0])
        .build_eframe(move |_cc| App::new(store).with_reach(Some(mdns), false));
    settle(&mut window);
    window.get_by_label("Join a game…").click();
    settle(&mut window);
    assert!(
        window
            .query_by_label("Looking for games on this network…")
            .is_some()
    );

    // A host waiting for a joiner, and a game of another version, appear.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let config = HostConfig {
        name: "Ann".to_owned(),
        reach: Reach {
            listed: Some(mdns),
            ..Reach::default()
        },
        ..HostConfig::default()
    };
    let mut ann = host::start_on(vec![listener], config, no_wake()).unwrap();
    let old = Advertiser::start(
        &Advert {
            name: "Old".to_owned(),
            port: 7001,
            seat_code: true,
            protocol: PROTOCOL_VERSION + 1,
            app: "9.0.0".to_owned(),
            watch: false,
            playing: false,
        },
        mdns,
    )
    .unwrap();
    step_until(&mut window, "both games listed", |app| {
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

    // The other game goes away: the list follows.
    old.stop();
    step_until(&mut window, "Old unlisted", |app| {
        !listed(app, "Old") && listed(app, "Ann")
    });
    assert!(window.query_by_label("Join Old").is_none());

    // One click joins Ann's game.
    type_into(&mut window, "Your name", "Bob");
    window.get_by_label("Join Ann").click();
    settle(&mut window);
    step_until(&mut window, "in Ann's match", |app| {
        app.net_match()
            .is_some_and(|n| n.view.state.name(tictactoe::game::Player::X) == "Ann")
    });
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
    let socket = std::net::UdpSocket::bind("127.0.0.1:0").unwrap();
    let mdns = Mdns::loopback(socket.local_addr().unwrap().port());
    drop(socket);
    let dir = tempfile::tempdir().unwrap();
    let store = SettingsStore::at(dir.path().join("settings.json"));
    let mut window = Harness::builder()
        .with_size([480.0, 900.0])
        .build_eframe(move |_cc| App::new(store).with_reach(Some(mdns), false));
    settle(&mut window);
    window.get_by_label("Join a game…").click();
    settle(&mut window);

    // Ann hosts and Bob takes the seat: the game is listed again, to watch.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let config = HostConfig {
        name: "Ann".to_owned(),
        reach: Reach {
            listed: Some(mdns),
            ..Reach::default()
        },
        ..HostConfig::default()
    };
    let mut ann = host::start_on(vec![listener], config, no_wake()).unwrap();
    let bob_config = JoinConfig {
        name: "Bob".to_owned(),
        ..JoinConfig::default()
    };
    let _bob = join::start(&format!("127.0.0.1:{port}"), bob_config, no_wake());
    // (The listing to join says goodbye within a second or so.)
    step_until(&mut window, "Ann's game listed only to watch", |app| {
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
    window.get_by_label("Being played · open to watch");

    type_into(&mut window, "Your name", "Cy");
    window.get_by_label("Watch Ann").click();
    settle(&mut window);
    step_until(&mut window, "watching Ann's match", |app| {
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
