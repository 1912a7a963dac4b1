//! Matches over the network between two windows, each an `App` in its own `egui_kittest`
//! harness, over real sockets on 127.0.0.1: hosting on a free port, joining, a whole game, the
//! rematch, a join that finds nobody, and a host who leaves; each side records the games.

use crate::support::app::{
    TALL, host, join, loopback, net, networked, open_menu_for, open_with, settle, square,
    step_until, two, type_into, wait_in_match,
};
use crate::support::in_temp_dir;
use std::path::Path;

use egui_kittest::Harness;
use egui_kittest::kittest::Queryable as _;
use tictactoe::app::screens::net_match::connection_text;
use tictactoe::app::{App, Screen};
use tictactoe::game::{Cell, Player, Score};
use tictactoe::net::invite::Invite;
use tictactoe::net::{Presence, Timing};
use tictactoe::record::{Ending, Mode, Role as RecordRole, Verdict};

/// A window with the timings people get.
fn open(dir: &Path) -> Harness<'static, App> {
    networked(dir, Timing::default())
}

/// A hosts as Ann on a free port, every address listed with it; the port.
fn host_listing(a: &mut Harness<'_, App>) -> u16 {
    let port = host(a, Some("Ann"), false);
    assert_ne!(port, 0);
    let Some(hosting) = a.state().hosting() else {
        unreachable!("hosting on port {port}")
    };
    assert!(
        hosting
            .addrs
            .iter()
            .all(|addr| addr.ip_port.ends_with(&format!(":{}", hosting.port))),
        "every address listed has the port: {:?}",
        hosting.addrs
    );
    assert_eq!(
        a.query_all_by_label("Copy").count(),
        hosting.addrs.len(),
        "one Copy button per address"
    );
    port
}

/// Two windows in a match: A (Ann, X) hosts, B (Bob, O) joins.
fn connected<'h>(a: &mut Harness<'h, App>, b: &mut Harness<'h, App>) {
    let port = host_listing(a);
    join(b, Some("Bob"), &loopback(port));
    wait_in_match(a, b);
    assert_eq!(net(a.state()).view.me, Player::X);
    assert_eq!(net(b.state()).view.me, Player::O);
}

#[test]
fn a_networked_game_then_a_rematch() {
    let (_dirs, mut a, mut b) = two(open);
    connected(&mut a, &mut b);
    a.get_by_label("Your turn");
    b.get_by_label("Waiting for Ann…");

    // X: 1, 2, 3 wins; O: 4, 5.
    let moves = [1, 4, 2, 5, 3];
    for (played, &number) in moves.iter().enumerate() {
        let mover = if played % 2 == 0 { &mut a } else { &mut b };
        mover.get_by_label(&square(number, "empty")).click();
        step_until(&mut a, &mut b, "the move on both screens", |a, b| {
            [a, b]
                .iter()
                .all(|app| net(app).view.state.game().moves().len() == played + 1)
        });
    }

    let score = Score {
        x_wins: 1,
        o_wins: 0,
        draws: 0,
    };
    for app in [a.state(), b.state()] {
        assert_eq!(net(app).view.state.result(), Some(Verdict::Win(Player::X)));
        assert_eq!(net(app).view.state.score(), score);
    }
    a.get_by_label("You win!");
    b.get_by_label("You lost — Ann wins");
    // Each side records the game once, from its own seat.
    for (app, role, me) in [
        (a.state(), RecordRole::Host, Player::X),
        (b.state(), RecordRole::Joiner, Player::O),
    ] {
        let [record] = app.records() else {
            panic!("one game recorded: {:?}", app.records())
        };
        assert_eq!(record.mode(), Mode::Network { role, you: me });
        assert_eq!(record.ending(), Ending::Won);
        assert_eq!(record.verdict(), Verdict::Win(Player::X));
        assert_eq!(record.name(Player::O), "Bob");
    }

    a.get_by_label("Rematch").click();
    step_until(&mut a, &mut b, "Bob sees the request", |_, b| {
        net(b).view.state.wants_rematch(net(b).view.me.other())
    });
    a.get_by_label("Waiting for Bob to accept…");
    b.get_by_label("Ann wants a rematch");
    b.get_by_label("Rematch").click();
    step_until(&mut a, &mut b, "game 2 on both screens", |a, b| {
        [a, b].iter().all(|app| {
            net(app).view.state.game_number() == 2 && net(app).view.state.game().moves().is_empty()
        })
    });
    // O moves first in the second game.
    b.get_by_label("Your turn");
    a.get_by_label("Waiting for Bob…");
    assert_eq!(net(a.state()).view.state.score(), score);
    assert_eq!(a.state().records().len(), 1);
    assert_eq!(b.state().records().len(), 1);
}

#[test]
fn joining_where_nobody_hosts_says_so() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    drop(listener);

    let (_dirs, mut a, mut b) = two(open);
    join(&mut b, Some("Bob"), &loopback(port));
    step_until(
        &mut a,
        &mut b,
        "the join error",
        |_, b| matches!(b.screen(), Screen::Join(form) if form.error.is_some()),
    );
    let Screen::Join(form) = b.state().screen() else {
        unreachable!()
    };
    let error = form.error.clone().unwrap();
    assert!(error.starts_with("Nobody is hosting at"), "{error}");
    b.get_by_label("Try again");
    b.get_by_label("Back to menu").click();
    settle(&mut b);
    assert_eq!(b.state().screen(), &Screen::Menu);
    assert_eq!(
        b.state().settings().join_ip_port,
        format!("127.0.0.1:{port}")
    );
}

#[test]
fn the_joiner_sees_that_the_host_left() {
    let (_dirs, mut a, mut b) = two(open);
    connected(&mut a, &mut b);
    a.get_by_label(&square(5, "empty")).click();
    step_until(&mut a, &mut b, "the move on both screens", |a, b| {
        [a, b]
            .iter()
            .all(|app| net(app).view.state.game().moves().len() == 1)
    });

    open_menu_for(&mut a, "Leave");
    a.get_by_label("Leave").click();
    settle(&mut a);
    assert_eq!(a.state().screen(), &Screen::Menu);
    step_until(&mut a, &mut b, "Bob sees that Ann left", |_, b| {
        net(b).view.state.over() == Some(Ending::Left { player: Player::X })
    });
    let text = connection_text(net(b.state()));
    assert_eq!(text, "Ann left the match");
    b.get_by_label("Ann left the match");
    open_menu_for(&mut b, "Leave");
    b.get_by_label("Leave").click();
    settle(&mut b);
    assert_eq!(b.state().screen(), &Screen::Menu);
    // The game cut short is recorded on both sides, once, as left by Ann.
    for app in [a.state(), b.state()] {
        let [record] = app.records() else {
            panic!("one game recorded: {:?}", app.records())
        };
        assert_eq!(record.ending(), Ending::Left { player: Player::X });
        assert_eq!(record.verdict(), Verdict::Unfinished);
        assert_eq!(record.moves(), [Cell::ALL[4]]);
    }
}

#[test]
fn an_invite_link_is_copied_by_the_host_and_opens_the_join_screen_filled_in() {
    let (_dir_a, mut a) = in_temp_dir(open);
    host(&mut a, Some("Ann"), true);
    let hosting = a.state().hosting().unwrap().clone();
    let code = hosting.seat_code.clone().expect("a seat code asked for");

    // The link copied holds every address listed, the seat code and the host's name (on a
    // computer with an address a friend can use: on CI one must have one).
    let no_address = hosting
        .addrs
        .is_empty()
        .then(|| "needs a network address besides loopback for the invite link".to_owned());
    if !crate::support::skipped(no_address) {
        a.get_by_label("Copy invite link").click();
        a.step();
        let copied = crate::support::app::copied(&a).expect("the link is copied");
        let invite = Invite::parse(&copied).unwrap();
        assert_eq!(invite.name, "Ann");
        assert_eq!(invite.seat_code.as_deref(), Some(code.as_str()));
        let listed: Vec<String> = hosting.addrs.iter().map(|a| a.ip_port.clone()).collect();
        assert_eq!(invite.addrs, listed);
        settle(&mut a);
        a.get_by_label("Invite link copied");
    }

    // A window opened with such a link (for this computer's loopback address) shows it on the
    // join screen with the code filled in, and connects only on a click.
    let link = Invite {
        name: "Ann".to_owned(),
        game: tictactoe::game::Variant::Classic,
        seat_code: Some(code),
        addrs: vec![format!("127.0.0.1:{}", hosting.port)],
        p2p: None,
    }
    .to_link();
    let dir_b = tempfile::tempdir().unwrap();
    let mut b = open_with(dir_b.path(), TALL, move |store| {
        App::new(store).with_invite(&link)
    });
    settle(&mut b);
    b.get_by_label("Invited by Ann");
    assert!(matches!(b.state().screen(), Screen::Join(form) if form.stage.is_none()));
    type_into(&mut b, "Your name", "Bob");
    b.get_by_label("Join Ann").click();
    step_until(&mut a, &mut b, "both in the match", |a, b| {
        a.net_match()
            .is_some_and(|n| n.view.opponent == Presence::Connected)
            && b.net_match().is_some()
    });
    b.get_by_label("Waiting for Ann…");

    // A link that is not one opens the menu, saying why.
    let dir_c = tempfile::tempdir().unwrap();
    let mut c = open_with(dir_c.path(), TALL, |store| {
        App::new(store).with_invite("tictactoe://join?addr=nowhere:1:2")
    });
    settle(&mut c);
    assert_eq!(c.state().screen(), &Screen::Menu);
    let notice = c.state().notice().unwrap_or_default().to_owned();
    assert!(notice.contains("which is not an address"), "{notice}");
}
