//! The window on the peer-to-peer path.
//!
//! Two real windows (`App` in `egui_kittest` harnesses) over loopback: the host's window
//! listens on the peer-to-peer path too (no relay: a window built in a test never uses one), its
//! invite link carries its key, and a window opened with a link that holds the key and only
//! loopback `udp=` addresses joins by it and says "Direct" on its connection line. Over the
//! app's fake network: the route a connection reports (through a relay, then direct) on both
//! sides, the relay the host form chooses, the relay connecting while the host waits, and
//! carrier-grade NAT on the host screen.

use crate::support::app::{
    TALL, click, copied, net, networked, settle, step_until, step_until_one, two, type_into,
};
use std::path::Path;

use egui_kittest::Harness;
use egui_kittest::kittest::Queryable as _;
use tictactoe::app::screens::hosting::Hosting;
use tictactoe::app::session::WindowRelays;
use tictactoe::app::session::fake::{FakeNetwork, FakePeer, FakePeers, Started};
use tictactoe::app::{App, Command, Screen, SettingsStore};
use tictactoe::game::{Match, Player, Role};
use tictactoe::net::invite::Invite;
use tictactoe::net::p2p::{P2pAddr, RelaySpec, Relays, Route};
use tictactoe::net::router::RouterError;
use tictactoe::net::{NetEvent, Presence, RouterEvent, Stage, Timing, View};
use tictactoe::store::{RelayChoice, RelaySetting};

fn open(dir: &Path) -> Harness<'static, App> {
    networked(dir, Timing::default())
}

/// An invite link to the host of `hosting` by its key and its loopback UDP port only: no TCP
/// address, no relay.
/// `None` when the host found no IPv4 address of its own to give (only loopback): its port is
/// then unknown here.
fn loopback_link(hosting: &Hosting) -> Option<String> {
    let Some(p2p) = &hosting.p2p else {
        panic!("the host does not listen on the peer-to-peer path: {hosting:?}");
    };
    let mut ports: Vec<u16> = p2p
        .direct
        .iter()
        .filter(|addr| addr.is_ipv4())
        .map(std::net::SocketAddr::port)
        .collect();
    ports.dedup();
    if ports.is_empty() {
        return None;
    }
    let link = Invite {
        name: hosting.name.clone(),
        game: tictactoe::game::Variant::Classic,
        seat_code: hosting.seat_code.clone(),
        addrs: Vec::new(),
        p2p: Some(P2pAddr {
            relay: None,
            direct: ports
                .into_iter()
                .map(|port| std::net::SocketAddr::from(([127, 0, 0, 1], port)))
                .collect(),
            ..p2p.clone()
        }),
    }
    .to_link();
    Some(link)
}

#[test]
fn a_link_with_the_key_and_loopback_udp_joins_directly() {
    let (_dirs, mut a, mut b) = two(open);
    crate::support::app::host(&mut a, Some("Ann"), false);
    let hosting = a
        .state()
        .hosting()
        .unwrap_or_else(|| unreachable!())
        .clone();
    assert!(!hosting.relayed, "no relay in a test");
    a.get_by_label_contains("(no relay)");
    let link = loopback_link(&hosting);
    let missing = link.is_none().then(|| {
        "has no IPv4 address besides loopback to read the host's UDP port from".to_owned()
    });
    if crate::support::skipped(missing) {
        return;
    }
    let link = link.unwrap_or_default();
    // The link holds no TCP address: the key and the loopback UDP port are all there is.
    let invite = Invite::parse(&link).unwrap_or_else(|error| panic!("{error}"));
    assert!(invite.addrs.is_empty());

    b.state_mut().apply(Command::OpenInvite(link));
    settle(&mut b);
    b.get_by_label("Invited by Ann");
    type_into(&mut b, "Your name", "Bob");
    b.get_by_label("Join Ann").click();
    step_until(&mut a, &mut b, "both in the match, directly", |a, b| {
        let (Some(host), Some(joiner)) = (a.net_match(), b.net_match()) else {
            return false;
        };
        host.view.opponent == Presence::Connected
            && joiner.view.connected
            && host.route.is_some()
            && joiner.route.is_some()
    });
    let direct = Route::Direct {
        through_routers: false,
    };
    assert_eq!(net(b.state()).route, Some(direct.clone()));
    assert_eq!(net(a.state()).route, Some(direct));
    b.get_by_label_contains("Direct");
    a.get_by_label_contains("Direct");
}

/// A window of [`TALL`] size on the fake network, hosting games reachable through `relays`.
fn on_fake_network(dir: &Path, relays: WindowRelays) -> (Harness<'static, App>, FakePeers) {
    let store = SettingsStore::at(dir.join("settings.json"));
    let (network, peers) = FakeNetwork::new();
    let harness = Harness::builder()
        .with_size(TALL)
        .build_eframe(move |_cc| App::new(store).with_network(network).with_relays(relays));
    (harness, peers)
}

/// The session the window has started (as the click that starts it is applied).
fn started(window: &mut Harness<'_, App>, peers: &FakePeers) -> FakePeer {
    settle(window);
    peers
        .next()
        .unwrap_or_else(|| panic!("no session started: {:?}", window.state().screen()))
}

/// A friend's relay, with its certificate's fingerprint: longer than a name or an address.
const RELAY_URL: &str = "https://203.0.113.10:3340/#sha256=abababababababababababababababababababababababababababababababab";

#[test]
fn the_host_uses_the_relay_chosen_and_its_link_follows_the_relay_connecting() {
    let dir = crate::support::temp_dir();
    let (mut a, peers) = on_fake_network(dir.path(), WindowRelays::Chosen);
    click(&mut a, "Host a game…");
    type_into(&mut a, "Your name", "Ann");
    click(&mut a, "A friend's");
    type_into(&mut a, "Relay address", RELAY_URL);
    click(&mut a, "Start hosting");
    let peer = started(&mut a, &peers);
    let spec: RelaySpec = RELAY_URL.parse().unwrap_or_else(|error| panic!("{error}"));
    let Started::Host { relays, .. } = &peer.started else {
        panic!("not hosting: {:?}", peer.started);
    };
    assert_eq!(relays, &Some(Relays::Own(spec.clone())));
    assert_eq!(
        a.state().settings().relay,
        RelaySetting {
            choice: RelayChoice::Own,
            url: RELAY_URL.to_owned(),
        },
        "the choice is remembered"
    );

    // Until the relay answers, the link carries the key alone, and the screen says so.
    a.get_by_label_contains("Reaching the relay…");
    let key = a
        .state()
        .hosting()
        .and_then(|hosting| hosting.p2p.clone())
        .unwrap_or_else(|| panic!("no peer-to-peer path: {:?}", a.state().screen()))
        .key;
    let reached = P2pAddr {
        key: key.clone(),
        relay: Some(spec.clone()),
        direct: vec![std::net::SocketAddr::from(([192, 0, 2, 7], 51_000))],
    };
    peer.set_p2p_addr(Some(reached.clone()));
    step_until_one(&mut a, "the relay shown", |app| {
        app.hosting()
            .is_some_and(|hosting| hosting.p2p.as_ref() == Some(&reached))
    });
    a.get_by_label_contains("or through the relay 203.0.113.10:3340");
    a.get_by_label("Copy invite link").click();
    a.step();
    let link = copied(&a).unwrap_or_else(|| panic!("nothing copied"));
    let invite = Invite::parse(&link).unwrap_or_else(|error| panic!("{error}"));
    assert_eq!(invite.p2p, Some(reached));
    assert_eq!(invite.name, "Ann");

    // Behind carrier-grade NAT the port cannot be opened; the link still works.
    peer.send(NetEvent::Router(RouterEvent::Failed(
        RouterError::SharedAddress {
            shown: " (100.64.0.7)".to_owned(),
        },
    )));
    settle(&mut a);
    a.get_by_label_contains("Your friend can still join from anywhere with the invite link");

    // The friend's connection says its route before the match opens: the match shows it.
    peer.send(NetEvent::Route(Route::Relay {
        url: spec.to_string(),
    }));
    let mut view = View::of(&Match::networked("Ann", "Bob"), Role::Host, Player::X);
    view.opponent = Presence::Connected;
    peer.send(NetEvent::State(Box::new(view)));
    step_until_one(&mut a, "the match", |app| app.net_match().is_some());
    a.get_by_label("Through relay 203.0.113.10:3340");
}

#[test]
fn what_tictactoe_relay_sets_is_used_whatever_the_form_says() {
    let dir = crate::support::temp_dir();
    let (mut a, peers) = on_fake_network(dir.path(), WindowRelays::Fixed(Relays::Off));
    click(&mut a, "Host a game…");
    a.get_by_label("TICTACTOE_RELAY sets it: no relay");
    click(&mut a, "Start hosting");
    let peer = started(&mut a, &peers);
    assert!(
        matches!(
            &peer.started,
            Started::Host {
                relays: Some(Relays::Off),
                ..
            }
        ),
        "{:?}",
        peer.started
    );
    a.get_by_label_contains("(no relay)");
}

#[test]
fn a_link_with_a_key_opened_or_pasted_joins_by_every_path() {
    let dir = crate::support::temp_dir();
    let (mut b, peers) = on_fake_network(dir.path(), WindowRelays::Off);
    let link = Invite {
        name: "Ann".to_owned(),
        game: tictactoe::game::Variant::Classic,
        seat_code: None,
        addrs: vec!["192.0.2.7:7878".to_owned()],
        p2p: Some(P2pAddr {
            key: "ab".repeat(32),
            relay: None,
            direct: vec![std::net::SocketAddr::from(([192, 0, 2, 7], 51_000))],
        }),
    }
    .to_link();
    b.state_mut().apply(Command::OpenInvite(link.clone()));
    settle(&mut b);
    type_into(&mut b, "Your name", "Bob");
    click(&mut b, "Join Ann");
    let peer = started(&mut b, &peers);
    let Started::JoinInvite { invite, watch, .. } = &peer.started else {
        panic!("not joining by the link: {:?}", peer.started);
    };
    assert_eq!(invite.to_link(), link);
    assert!(!watch);
    // The stage names the host as the link does, never by its key.
    peer.send(NetEvent::Stage(Stage::Connecting {
        ip_port: "key abababababababab".to_owned(),
    }));
    settle(&mut b);
    b.get_by_label("Connecting to Ann…");
    click(&mut b, "Cancel");

    // Pasted as the address, the link joins the same way.
    click(&mut b, "Back to menu");
    click(&mut b, "Join a game…");
    type_into(&mut b, "Address", &link);
    click(&mut b, "Join");
    let peer = started(&mut b, &peers);
    assert!(
        matches!(&peer.started, Started::JoinInvite { watch: false, .. }),
        "{:?}",
        peer.started
    );
    assert!(matches!(b.state().screen(), Screen::Join(form) if form.by_invite));
}
