//! What each side of a networked match reads, in its headline and in the window's title, through
//! every state of the link: waiting for a friend, each one's turn, the link down (the joiner
//! reconnecting, the host seeing the joiner away), the claim as the main action, and the result
//! worded from each side. Two windows, each an `App` in its own `egui_kittest` harness, over
//! real sockets on 127.0.0.1 through a proxy the test cuts.

use crate::support::app::{
    host, join, networked, settle, step_until, step_until_one, two, type_into, wait_in_match,
};
use crate::support::net::{Proxy, fast_timing};

use egui_kittest::Harness;
use egui_kittest::kittest::Queryable as _;
use tictactoe::app::App;
use tictactoe::game::{Ending, Player};
use tictactoe::net::{NetError, Presence, Stage};

/// The app's name, at the end of every title.
const APP: &str = "Tic-Tac-Toe";

/// A runtime for the proxy, and a proxy on it to the host at `port` on this machine.
fn proxy_to(port: u16) -> (tokio::runtime::Runtime, Proxy) {
    let runtime = crate::support::net::proxy_runtime();
    let upstream = std::net::SocketAddr::from(([127, 0, 0, 1], port));
    let proxy = runtime.block_on(Proxy::start(upstream));
    (runtime, proxy)
}

/// The headline and the title agree: the title is the headline, then the app's name.
fn says(harness: &Harness<'_, App>, headline: &str) {
    harness.get_by_label(headline);
    assert_eq!(harness.state().title(), format!("{headline} — {APP}"));
}

fn opponent(app: &App) -> Option<Presence> {
    app.net_match().map(|net| net.view.opponent)
}

fn stage(app: &App) -> Option<Stage> {
    app.net_match().map(|net| net.stage.clone())
}

#[test]
fn headline_and_title_follow_the_link_on_both_sides() {
    let (_dirs, mut a, mut b) = two(|dir| networked(dir, fast_timing()));
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

    // Bob joins through a proxy the test can cut.
    let (_runtime, proxy) = proxy_to(port);
    join(&mut b, Some("Bob"), &proxy.ip_port());
    wait_in_match(&mut a, &mut b);
    says(&a, "Your turn");
    says(&b, "Waiting for Ann…");

    a.get_by_label("Row 2, column 2, empty").click();
    step_until(&mut a, &mut b, "the move on Bob's screen", |_, b| {
        b.net_match()
            .is_some_and(|net| net.view.state.game().moves().len() == 1)
    });
    says(&a, "Waiting for Bob…");
    says(&b, "Your turn");

    // The link goes down: it is Bob's turn, but he cannot move, and neither side says so.
    proxy.set_down(true);
    step_until(
        &mut a,
        &mut b,
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
    step_until(&mut a, &mut b, "the claim offered", |a, _| {
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
    step_until(&mut a, &mut b, "the claim on Ann's screen", |a, _| {
        a.net_match().is_some_and(|net| {
            net.view.state.over() == Some(Ending::Abandoned { player: Player::O })
        })
    });
    says(&a, "You win — Bob was away too long");

    // The link comes back: Bob, if he is still trying, learns the match is over; if he has
    // given up already, he has been told the host is gone. Either way he cannot move and is
    // told why, and the way out is the one button.
    proxy.set_down(false);
    step_until(&mut a, &mut b, "Bob's side ended", |_, b| {
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
    b.get_by_label("Leave");
}
#[test]
fn a_joiner_that_gives_up_says_so_and_offers_the_menu() {
    let (_dirs, mut a, mut b) = two(|dir| networked(dir, fast_timing()));
    let port = host(&mut a, None, false);
    let (_runtime, proxy) = proxy_to(port);
    join(&mut b, None, &proxy.ip_port());
    wait_in_match(&mut a, &mut b);

    // The host vanishes for good: the joiner counts down, then stops and says why, and the
    // way out is the one button.
    proxy.set_down(true);
    drop(a);
    step_until_one(&mut b, "the joiner giving up", |b| {
        stage(b) == Some(Stage::Ended)
    });
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
    b.get_by_label("Leave").click();
    settle(&mut b);
    assert_eq!(b.state().screen(), &tictactoe::app::Screen::Menu);
}
