//! Games on this network, over real multicast DNS kept on 127.0.0.1 and a port of the test's
//! own (no packet leaves this computer): a host is listed while it waits, with its name, seat
//! code flag and protocol version; once the seat is taken it is listed again to watch (or not at
//! all when it admits no watchers), and unlisted when hosting ends; a game of another version is
//! seen as such. The same over a real LAN is `tests/lab/reach.rs`.

use std::time::{Duration, Instant};

use crate::support::net::{loopback_mdns, old_version_listed, start_listed};
use tictactoe::net::discovery::{Browser, Discovery, FoundGame, Mdns};
use tictactoe::net::{
    HostConfig, HostHandle, JoinConfig, NetEvent, PROTOCOL_VERSION, Presence, join, no_wake,
};

/// The longest any wait here may take.
const LIMIT: Duration = Duration::from_secs(10);

/// Multicast DNS of the test's own on loopback, and a browser looking there.
fn browsing() -> (Mdns, Browser) {
    let mdns = loopback_mdns();
    let browser = Browser::start(mdns, no_wake()).unwrap_or_else(|error| panic!("{error}"));
    (mdns, browser)
}

/// Waits until `host` sees its joiner connected.
fn seated(host: &mut HostHandle) {
    let start = Instant::now();
    loop {
        assert!(start.elapsed() < LIMIT, "the joiner never took the seat");
        if let Some(NetEvent::State(view)) = host.try_recv()
            && view.opponent == Presence::Connected
        {
            return;
        }
        std::thread::sleep(Duration::from_millis(5));
    }
}

/// Waits until every game named in `names` has been found; the games, in that order.
fn found(browser: &mut Browser, names: &[&str]) -> Vec<FoundGame> {
    let start = Instant::now();
    let mut seen: Vec<FoundGame> = Vec::new();
    while start.elapsed() < LIMIT {
        if let Some(Discovery::Found(game)) =
            browser.recv_timeout(LIMIT.saturating_sub(start.elapsed()))
        {
            seen.retain(|g| g.id != game.id);
            seen.push(game);
        }
        let games: Vec<FoundGame> = names
            .iter()
            .filter_map(|name| seen.iter().find(|g| g.name == *name).cloned())
            .collect();
        if games.len() == names.len() {
            return games;
        }
    }
    panic!("{names:?} were not all found within {LIMIT:?}: {seen:?}");
}
/// Waits for the game `id` to go; the other games found meanwhile.
fn lost(browser: &mut Browser, id: &str) -> Vec<FoundGame> {
    let start = Instant::now();
    let mut others = Vec::new();
    while start.elapsed() < LIMIT {
        match browser.recv_timeout(LIMIT.saturating_sub(start.elapsed())) {
            Some(Discovery::Lost { id: gone }) if gone == id => return others,
            Some(Discovery::Found(game)) if game.id != id => others.push(game),
            _ => {}
        }
    }
    panic!("{id} was still listed after {LIMIT:?}");
}

#[test]
fn a_host_is_listed_while_it_waits_and_unlisted_once_the_seat_is_taken() {
    let (mdns, mut browser) = browsing();
    let config = HostConfig {
        name: "Ann".to_owned(),
        seat_code: Some("K7QM-3XRD".to_owned()),
        ..HostConfig::default()
    };
    let started = Instant::now();
    let (mut host, port) = start_listed(mdns, config);
    let game = found(&mut browser, &["Ann"]).remove(0);
    eprintln!("listed {:?} after hosting started", started.elapsed());
    assert!(game.seat_code);
    assert_eq!(game.protocol, PROTOCOL_VERSION);
    assert!(game.compatible());
    assert_eq!(game.ip_port(), Some(format!("127.0.0.1:{port}")));

    // Joined with the address found: the seat is taken and the game is unlisted.
    let config = JoinConfig {
        name: "Bob".to_owned(),
        seat_code: Some("k7qm3xrd".to_owned()),
        ..JoinConfig::default()
    };
    let _joiner = join::start(&game.ip_port().unwrap(), config, no_wake());
    seated(&mut host);
    let taken = Instant::now();
    // Unlisted to join and listed again, now to watch the match being played: the new listing
    // may well be seen before the old one's goodbye.
    let mut watch = None;
    let mut unlisted = false;
    while !(unlisted && watch.is_some()) {
        assert!(
            taken.elapsed() < LIMIT,
            "unlisted {unlisted}, listed to watch {watch:?}"
        );
        match browser.recv_timeout(LIMIT.saturating_sub(taken.elapsed())) {
            Some(Discovery::Lost { id }) if id == game.id => {
                eprintln!("unlisted {:?} after the seat was taken", taken.elapsed());
                unlisted = true;
            }
            Some(Discovery::Found(found)) if found.id != game.id => watch = Some(found),
            _ => {}
        }
    }
    let watch = watch.unwrap();
    assert_eq!(watch.name, "Ann");
    assert!(watch.playing && watch.watch && watch.seat_code);
    assert!(!game.playing && game.watch);
    eprintln!(
        "listed to watch {:?} after the seat was taken",
        taken.elapsed()
    );
    drop(host);
    lost(&mut browser, &watch.id);
}

#[test]
fn a_host_that_admits_no_watchers_is_not_listed_once_the_seat_is_taken() {
    let (mdns, mut browser) = browsing();
    let config = HostConfig {
        name: "Dee".to_owned(),
        watchers: false,
        ..HostConfig::default()
    };
    let (mut host, _) = start_listed(mdns, config);
    let game = found(&mut browser, &["Dee"]).remove(0);
    assert!(!game.watch && !game.playing);
    let _joiner = join::start(&game.ip_port().unwrap(), JoinConfig::default(), no_wake());
    seated(&mut host);
    let meanwhile = lost(&mut browser, &game.id);
    assert!(meanwhile.is_empty(), "listed again: {meanwhile:?}");
    // Nothing comes back: a second listing would be found within a second.
    let quiet = Instant::now();
    while quiet.elapsed() < Duration::from_secs(2) {
        if let Some(Discovery::Found(again)) = browser.recv_timeout(Duration::from_millis(200)) {
            panic!("listed again though it admits no watchers: {again:?}");
        }
    }
    drop(host);
}

#[test]
fn hosting_that_ends_unlists_the_game_and_another_version_is_seen_as_one() {
    let (mdns, mut browser) = browsing();
    let config = HostConfig {
        name: "Cy".to_owned(),
        ..HostConfig::default()
    };
    let (host, _) = start_listed(mdns, config);
    let other = old_version_listed(mdns, false);
    let mut games = found(&mut browser, &["Cy", "Old"]);
    let (old, cy) = (games.remove(1), games.remove(0));
    assert!(!cy.seat_code);
    assert!(!old.compatible());
    assert_eq!(
        (old.protocol, old.app.as_str()),
        (PROTOCOL_VERSION + 1, "9.0.0")
    );
    assert_eq!(old.ip_port(), Some("127.0.0.1:7001".to_owned()));
    let ended = Instant::now();
    drop(host);
    lost(&mut browser, &cy.id);
    eprintln!("unlisted {:?} after hosting ended", ended.elapsed());
    other.stop();
    lost(&mut browser, &old.id);
}
