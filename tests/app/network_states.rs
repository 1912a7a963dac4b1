//! What each side of a networked match reads, in its headline and in the window's title, through
//! every state of the link: waiting for a friend, each one's turn, the link down (the joiner
//! reconnecting, the host seeing the joiner away, the countdown to the claim), the claim as the
//! main action, and the result worded from each side; a dispute, a refusal and a line of chat
//! refused, each shown; a peer-to-peer connection's route on the connection line. Two windows,
//! each an `App` in its own `egui_kittest` harness, over the app's fake network: the test plays
//! the network side and sets the link as it likes, no sockets (the same paths over real sockets
//! are in `network.rs`, `network_paths.rs` and `p2p.rs`).

use crate::support::app::{open_menu_for, settle, type_into};
use crate::support::fake::Between;
use std::time::{Duration, Instant};

use tempfile::TempDir;

use egui_kittest::Harness;
use egui_kittest::kittest::Queryable as _;
use tictactoe::app::screens::net_match::NetMatch;
use tictactoe::app::session::fake::{FakeNetwork, FakePeers};
use tictactoe::app::{App, SettingsStore};
use tictactoe::game::{Ending, Player};
use tictactoe::net::p2p::Route;
use tictactoe::net::{NetError, NetEvent, Presence, Stage};

/// Frames stepped at most while waiting for the network.
const MAX_STEPS: usize = 4000;
/// Wall-clock time waited at most for the network.
const DEADLINE: Duration = Duration::from_secs(20);
/// The app's name, at the end of every title.
const APP: &str = "Tic-Tac-Toe";

/// A window on the fake network, and where its sessions' other ends arrive.
fn open(dir: &std::path::Path) -> (Harness<'static, App>, FakePeers) {
    let store = SettingsStore::at(dir.join("settings.json"));
    let (network, peers) = FakeNetwork::new();
    let harness = Harness::builder()
        .with_size([480.0, 720.0])
        .build_eframe(move |_cc| App::new(store).with_network(network));
    (harness, peers)
}

/// Steps both windows, the network carrying what they send, until `done` holds; panics after a
/// deadline.
fn step_until(
    a: &mut Harness<'_, App>,
    b: &mut Harness<'_, App>,
    link: &mut Between,
    what: &str,
    done: impl Fn(&App, &App) -> bool,
) {
    let start = Instant::now();
    for _ in 0..MAX_STEPS {
        link.pump();
        a.step();
        b.step();
        if done(a.state(), b.state()) {
            settle(a);
            settle(b);
            return;
        }
        assert!(start.elapsed() < DEADLINE, "timed out waiting for {what}");
        std::thread::sleep(Duration::from_millis(5));
    }
    panic!("gave up waiting for {what}");
}

/// The headline and the title agree: the title is the headline, then the app's name.
fn says(harness: &Harness<'_, App>, headline: &str) {
    harness.get_by_label(headline);
    assert_eq!(harness.state().title(), format!("{headline} — {APP}"));
}

fn net(app: &App) -> &NetMatch {
    app.net_match()
        .unwrap_or_else(|| panic!("not in a network match: {:?}", app.screen()))
}

/// A (Ann, X) hosts, B (Bob, O) joins, and both show the match.
fn connected(a: &mut Harness<'_, App>, b: &mut Harness<'_, App>, link: &mut Between) {
    a.get_by_label("Host a game…").click();
    settle(a);
    type_into(a, "Your name", "Ann");
    a.get_by_label("Start hosting").click();
    settle(a);
    b.get_by_label("Join a game…").click();
    settle(b);
    type_into(b, "Your name", "Bob");
    type_into(b, "Address", "192.168.1.5:7878");
    b.get_by_label("Join").click();
    step_until(a, b, link, "both in the match", |a, b| {
        opponent(a) == Some(Presence::Connected) && b.net_match().is_some()
    });
}

/// Two windows in a match over the fake network, and the folders they keep their files in.
fn two_in_a_match() -> (
    Harness<'static, App>,
    Harness<'static, App>,
    Between,
    [TempDir; 2],
) {
    let dir = || tempfile::tempdir().unwrap_or_else(|error| panic!("no folder: {error}"));
    let dirs = [dir(), dir()];
    let (mut a, peers_a) = open(dirs[0].path());
    let (mut b, peers_b) = open(dirs[1].path());
    let mut link = Between::new(peers_a, peers_b);
    connected(&mut a, &mut b, &mut link);
    (a, b, link, dirs)
}

fn opponent(app: &App) -> Option<Presence> {
    app.net_match().map(|net| net.view.opponent)
}

fn stage(app: &App) -> Option<Stage> {
    app.net_match().map(|net| net.stage.clone())
}

#[test]
fn headline_and_title_follow_the_link_on_both_sides() {
    let dir_a = tempfile::tempdir().unwrap();
    let dir_b = tempfile::tempdir().unwrap();
    let (mut a, peers_a) = open(dir_a.path());
    let (mut b, peers_b) = open(dir_b.path());
    let mut link = Between::new(peers_a, peers_b);
    settle(&mut a);
    assert_eq!(a.state().title(), APP);

    // Ann hosts: the window says it waits.
    a.get_by_label("Host a game…").click();
    settle(&mut a);
    assert_eq!(a.state().title(), format!("Host a game — {APP}"));
    type_into(&mut a, "Your name", "Ann");
    type_into(&mut a, "Port", "0");
    a.get_by_label("Start hosting").click();
    settle(&mut a);
    let port = a.state().hosting().unwrap().port;
    assert_eq!(
        a.state().title(),
        format!("Waiting for your friend… — {APP}")
    );

    // Bob joins.
    b.get_by_label("Join a game…").click();
    settle(&mut b);
    type_into(&mut b, "Your name", "Bob");
    type_into(&mut b, "Address", &format!("127.0.0.1:{port}"));
    b.get_by_label("Join").click();
    step_until(&mut a, &mut b, &mut link, "both in the match", |a, b| {
        opponent(a) == Some(Presence::Connected) && b.net_match().is_some()
    });
    says(&a, "Your turn");
    says(&b, "Waiting for Ann…");

    a.get_by_label("Row 2, column 2, empty").click();
    step_until(
        &mut a,
        &mut b,
        &mut link,
        "the move on Bob's screen",
        |_, b| {
            b.net_match()
                .is_some_and(|net| net.view.state.game().moves().len() == 1)
        },
    );
    says(&a, "Waiting for Bob…");
    says(&b, "Your turn");

    // The link goes down: it is Bob's turn, but he cannot move, and neither side says so.
    link.cut(Duration::from_millis(1500), Duration::from_secs(15));
    step_until(
        &mut a,
        &mut b,
        &mut link,
        "Bob reconnecting, Ann seeing him away",
        |a, b| {
            matches!(opponent(a), Some(Presence::Away { .. }))
                && matches!(stage(b), Some(Stage::Reconnecting { .. }))
        },
    );
    says(&a, "Bob is away");
    says(&b, "Connection lost");
    assert!(b.query_by_label("Your turn").is_none());
    b.get_by_label("Stop trying");

    // The grace period runs out: claiming the win is Ann's main action, the widest button.
    link.grace_over();
    step_until(&mut a, &mut b, &mut link, "the claim offered", |a, _| {
        a.net_match().is_some_and(|net| net.view.can_claim_win())
    });
    let claim = a.get_by_label("Claim the win").rect();
    for other in ["Resign", "Leave"] {
        if let Some(node) = a.query_by_label(other) {
            assert!(
                node.rect().width() < claim.width(),
                "{other} is smaller than Claim the win"
            );
        }
    }
    a.get_by_label("Claim the win").click();
    step_until(
        &mut a,
        &mut b,
        &mut link,
        "the claim on Ann's screen",
        |a, _| {
            a.net_match().is_some_and(|net| {
                net.view.state.over() == Some(Ending::Abandoned { player: Player::O })
            })
        },
    );
    says(&a, "You win — Bob was away too long");

    // The link comes back: Bob learns the match is over. He cannot move and is told why, and
    // the way out is the one button.
    link.to_joiner(NetEvent::Error(NetError::MatchOver));
    link.to_joiner(NetEvent::Stage(Stage::Ended));
    step_until(&mut a, &mut b, &mut link, "Bob's side ended", |_, b| {
        stage(b) == Some(Stage::Ended)
    });
    let net = b.state().net_match().unwrap();
    let message = net.message.clone().unwrap_or_default();
    match &net.failure {
        Some(NetError::MatchOver) => says(&b, "The match is over"),
        Some(NetError::HostGone { .. }) => says(&b, "Connection lost"),
        other => panic!("Bob's match ended by {other:?}"),
    }
    b.get_by_label(&message);
    assert!(b.query_by_label("Your turn").is_none());
    open_menu_for(&mut b, "Leave");
    b.get_by_label("Leave");
}
#[test]
fn a_joiner_that_gives_up_says_so_and_offers_the_menu() {
    let dir_a = tempfile::tempdir().unwrap();
    let dir_b = tempfile::tempdir().unwrap();
    let (mut a, peers_a) = open(dir_a.path());
    let (mut b, peers_b) = open(dir_b.path());
    let mut link = Between::new(peers_a, peers_b);
    a.get_by_label("Host a game…").click();
    settle(&mut a);
    type_into(&mut a, "Port", "0");
    a.get_by_label("Start hosting").click();
    settle(&mut a);
    let port = a.state().hosting().unwrap().port;
    b.get_by_label("Join a game…").click();
    settle(&mut b);
    type_into(&mut b, "Address", &format!("127.0.0.1:{port}"));
    b.get_by_label("Join").click();
    step_until(&mut a, &mut b, &mut link, "both in the match", |a, b| {
        opponent(a) == Some(Presence::Connected) && b.net_match().is_some()
    });

    // The host vanishes for good: the joiner counts down, then stops and says why, and the
    // way out is the one button.
    link.cut(Duration::from_millis(1500), Duration::from_secs(4));
    drop(a);
    link.to_joiner(NetEvent::Error(NetError::HostGone { seconds: 4 }));
    link.to_joiner(NetEvent::Stage(Stage::Ended));
    let start = Instant::now();
    while stage(b.state()) != Some(Stage::Ended) {
        b.step();
        assert!(start.elapsed() < DEADLINE, "the joiner never gave up");
        std::thread::sleep(Duration::from_millis(5));
    }
    settle(&mut b);
    says(&b, "Connection lost");
    let net = b.state().net_match().unwrap();
    assert!(
        matches!(net.failure, Some(NetError::HostGone { .. })),
        "{:?}",
        net.failure
    );
    let message = net.message.clone().unwrap_or_default();
    assert!(
        message.starts_with("The host has been gone for"),
        "{message:?}"
    );
    b.get_by_label(&message);
    assert!(b.query_by_label("Stop trying").is_none());
    open_menu_for(&mut b, "Leave");
    b.get_by_label("Leave").click();
    settle(&mut b);
    assert_eq!(b.state().screen(), &tictactoe::app::Screen::Menu);
}

#[test]
fn the_host_sees_the_countdown_then_claims_the_win() {
    let (mut a, mut b, mut link, _dirs) = two_in_a_match();
    a.get_by_label("Row 2, column 2, empty").click();
    step_until(
        &mut a,
        &mut b,
        &mut link,
        "the move on both screens",
        |a, b| {
            [a, b]
                .iter()
                .all(|app| net(app).view.state.game().moves().len() == 1)
        },
    );

    // Bob's link goes and stays gone.
    link.cut(Duration::from_secs(30), Duration::from_secs(60));
    step_until(&mut a, &mut b, &mut link, "Bob away", |a, _| {
        matches!(net(a).view.opponent, Presence::Away { .. })
    });
    a.step();
    a.get_by_label_contains("Bob is away — you can claim the win in");
    assert!(a.query_by_label("Claim the win").is_none());

    link.grace_over();
    step_until(&mut a, &mut b, &mut link, "the claim allowed", |a, _| {
        net(a).view.can_claim_win()
    });
    settle(&mut a);
    a.get_by_label("Bob is away — you can claim the win");
    a.get_by_label("Claim the win").click();
    step_until(&mut a, &mut b, &mut link, "the claim settled", |a, _| {
        net(a).view.state.over() == Some(Ending::Abandoned { player: Player::O })
    });
    settle(&mut a);
    a.get_by_label("You claimed the win: Bob was away too long");
    assert_eq!(
        net(a.state()).view.state.ended_off_board(),
        Some(Ending::Abandoned { player: Player::O })
    );
    assert!(a.query_by_label("Claim the win").is_none());
    open_menu_for(&mut a, "Leave");
    a.get_by_label("Leave");
}

/// The window that is `mover`'s plays cell `number`; waits until both show the move.
fn play<'h>(
    a: &mut Harness<'h, App>,
    b: &mut Harness<'h, App>,
    link: &mut Between,
    mover: Player,
    number: usize,
) {
    let before = net(a.state()).view.state.game().moves().len();
    let cell = tictactoe::game::Cell::ALL[number - 1];
    let label = format!("Row {}, column {}, empty", cell.row() + 1, cell.col() + 1);
    let window = if mover == Player::X { &mut *a } else { &mut *b };
    window.get_by_label(&label).click();
    step_until(a, b, link, "the move on both screens", |a, b| {
        [a, b]
            .iter()
            .all(|app| net(app).view.state.game().moves().len() == before + 1)
    });
}

#[test]
fn the_connection_line_says_through_which_relay_then_direct_on_both_sides() {
    let (mut a, mut b, mut link, _dirs) = two_in_a_match();
    // Over TCP, the line says "Connected", as it always has.
    a.get_by_label("Connected");
    b.get_by_label("Connected");
    let relayed = Route::Relay {
        url: format!("https://203.0.113.10:3340/#sha256={}", "ab".repeat(32)),
    };
    link.to_host(NetEvent::Route(relayed.clone()));
    link.to_joiner(NetEvent::Route(relayed));
    step_until(&mut a, &mut b, &mut link, "the relay shown", |a, b| {
        net(a).route.is_some() && net(b).route.is_some()
    });
    a.get_by_label("Through relay 203.0.113.10:3340");
    b.get_by_label("Through relay 203.0.113.10:3340");

    // Both routers punched through: the same match, now direct.
    let direct = Route::Direct {
        through_routers: true,
    };
    link.to_host(NetEvent::Route(direct.clone()));
    link.to_joiner(NetEvent::Route(direct.clone()));
    step_until(
        &mut a,
        &mut b,
        &mut link,
        "the direct path shown",
        |a, b| net(a).route == Some(direct.clone()) && net(b).route == Some(direct.clone()),
    );
    a.get_by_label("Direct (through both routers)");
    b.get_by_label("Direct (through both routers)");
    assert!(a.query_by_label_contains("Through relay").is_none());
}

#[test]
fn a_dispute_is_shown_and_kept_with_the_next_game_recorded() {
    let (mut a, mut b, mut link, _dirs) = two_in_a_match();
    let dispute = "The host changed move 1: X centre, where this side had seen X top left";
    link.to_joiner(NetEvent::Dispute(dispute.to_owned()));
    step_until(&mut a, &mut b, &mut link, "the dispute shown", |_, b| {
        net(b).message.is_some()
    });
    b.get_by_label(dispute);

    // X wins along the top row; Bob's record of it carries the dispute, Ann's does not.
    for (mover, number) in [
        (Player::X, 1),
        (Player::O, 4),
        (Player::X, 2),
        (Player::O, 5),
        (Player::X, 3),
    ] {
        play(&mut a, &mut b, &mut link, mover, number);
    }
    step_until(&mut a, &mut b, &mut link, "the game recorded", |a, b| {
        a.records().len() == 1 && b.records().len() == 1
    });
    assert_eq!(b.state().records()[0].disputes(), [dispute]);
    assert!(a.state().records()[0].disputes().is_empty());
}

#[test]
fn a_refused_intent_says_why_and_changes_nothing() {
    let (mut a, mut b, mut link, _dirs) = two_in_a_match();
    let before = net(b.state()).view.state.clone();
    let refused = tictactoe::net::Refusal::NotYourTurn;
    link.to_joiner(NetEvent::Refused {
        reason: refused,
        message: refused.message().to_owned(),
    });
    step_until(&mut a, &mut b, &mut link, "the refusal shown", |_, b| {
        net(b).message.is_some()
    });
    b.get_by_label(refused.message());
    assert_eq!(net(b.state()).view.state, before);
    b.get_by_label("Waiting for Ann…");
}

#[test]
fn a_line_of_chat_refused_says_why_and_is_not_shown_as_said() {
    let (mut a, mut b, mut link, _dirs) = two_in_a_match();
    b.get_by_label("Chat").click();
    settle(&mut b);
    b.get_by_label("Good game").click();
    step_until(&mut a, &mut b, &mut link, "the line heard", |a, b| {
        net(a).chat.len() == 1 && net(b).chat.len() == 1
    });
    a.get_by_label("Chat").click();
    settle(&mut a);
    a.get_by_label("Bob: Good game");

    // Too many lines at once: the next is refused with the reason, and sent nowhere.
    link.refuse_chat = Some(tictactoe::net::Refusal::ChatTooFast);
    b.get_by_label("Well played").click();
    step_until(&mut a, &mut b, &mut link, "the refusal", |_, b| {
        net(b).message.is_some()
    });
    assert_eq!(
        net(b.state()).message.as_deref(),
        Some("Too many lines at once: wait a moment.")
    );
    b.get_by_label("Too many lines at once: wait a moment.");
    assert_eq!(
        net(b.state()).chat.len(),
        1,
        "the refused line is not shown as said"
    );
    assert_eq!(net(a.state()).chat.len(), 1);
}
