//! The bigger games over the network, in the window: Ultimate hosted in one window and joined
//! from another over real sockets on 127.0.0.1 (the game chosen on the host form and
//! remembered, named on the hosting screen, in its invite link and on both match screens,
//! played by clicks and by the keyboard), and a watcher following it.

use std::path::Path;

use crate::support::app::{
    SIZE, TALL, cell_label, click, fill_join, join, loopback, named, net, open_with, settle,
    step_all_until, step_until, type_into, wait_in_match, without_motion,
};
use egui::Key;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable as _;
use tictactoe::app::App;
use tictactoe::app::screens::net_match::NetMatch;
use tictactoe::game::{Player, Variant};
use tictactoe::net::invite::Invite;

const ULTIMATE: Variant = Variant::Ultimate;

/// A window for a network match, animations off.
fn open(dir: &Path) -> Harness<'static, App> {
    without_motion(dir);
    open_with(dir, TALL, App::new)
}

/// Ann hosts Ultimate in `a` on a free port, the game chosen on the form; the port.
fn host_ultimate(a: &mut Harness<'_, App>) -> u16 {
    click(a, "Host a game…");
    type_into(a, "Your name", "Ann");
    type_into(a, "Port", "0");
    click(a, "Ultimate");
    click(a, "Start hosting");
    let hosting = a
        .state()
        .hosting()
        .unwrap_or_else(|| panic!("not hosting: {:?}", a.state().screen()));
    assert_eq!(hosting.game, ULTIMATE);
    // The invite link, when there is one to give, carries the game.
    if let Some(link) = hosting.invite_link() {
        let invite = Invite::parse(&link).unwrap_or_else(|error| panic!("{link}: {error}"));
        assert_eq!(invite.game, ULTIMATE);
    }
    let port = hosting.port;
    a.get_by_label("Game: Ultimate Tic-Tac-Toe");
    // The choice is remembered for the next form, as the other forms remember theirs.
    assert_eq!(a.state().settings().game, ULTIMATE);
    port
}

/// Whether every app shows a networked match with `moves` moves played.
fn played(apps: &[&App], moves: usize) -> bool {
    apps.iter().all(|app| {
        app.net_match()
            .is_some_and(|n| n.view.state.game().moves().len() == moves)
    })
}

#[test]
fn an_ultimate_match_is_hosted_joined_and_played_by_clicks_and_keys() {
    let dirs = [crate::support::temp_dir(), crate::support::temp_dir()];
    let (mut a, mut b) = (open(dirs[0].path()), open(dirs[1].path()));
    let port = host_ultimate(&mut a);
    join(&mut b, Some("Bob"), &loopback(port));
    wait_in_match(&mut a, &mut b);
    for window in [&a, &b] {
        assert_eq!(net(window.state()).view.state.variant(), ULTIMATE);
        window.get_by_label("Ultimate Tic-Tac-Toe");
        assert_eq!(window.query_all_by_label_contains(", empty").count(), 81);
    }
    a.get_by_label("Click a square, or press a board then a cell");

    // Ann clicks board 5, cell 3; Bob, sent to board 3, presses 7 there.
    a.get_by_label(&cell_label(ULTIMATE, named(ULTIMATE, "5 3"), "empty"))
        .click();
    step_until(&mut a, &mut b, "the first move on both screens", |a, b| {
        played(&[a, b], 1)
    });
    b.get_by_label("Play in board 3: click, or press 1–9");
    b.get_by_label(&cell_label(ULTIMATE, named(ULTIMATE, "5 3"), "X"));
    b.key_press(Key::Num7);
    step_until(&mut a, &mut b, "Bob's key on both screens", |a, b| {
        played(&[a, b], 2)
    });
    a.get_by_label(&cell_label(ULTIMATE, named(ULTIMATE, "3 7"), "O"));
    // A cell outside the board Ann is sent to is not hers to play.
    a.get_by_label(&cell_label(ULTIMATE, named(ULTIMATE, "1 1"), "empty"))
        .click();
    settle(&mut a);
    assert_eq!(net(a.state()).view.state.game().moves().len(), 2);
    // Ann is sent to board 7: two keys there, the second ignored as her move is already made.
    a.key_press(Key::Num4);
    step_until(&mut a, &mut b, "Ann's key on both screens", |a, b| {
        played(&[a, b], 3)
    });
    b.get_by_label(&cell_label(ULTIMATE, named(ULTIMATE, "7 4"), "X"));
    // Every move is listed by its cell's name on both sides.
    for window in [&a, &b] {
        window.get_by_label("1. X board 5, cell 3");
    }
    let game = net(b.state()).view.state.game().clone();
    assert_eq!(
        game.moves(),
        ["5 3", "3 7", "7 4"].map(|text| named(ULTIMATE, text))
    );
    assert_eq!(game.side_to_move(), Player::O);
}

#[test]
fn a_watcher_sees_the_ultimate_match_as_it_is_played() {
    let dirs: Vec<_> = (0..3).map(|_| crate::support::temp_dir()).collect();
    let [mut a, mut b, mut c] = [0, 1, 2].map(|i| {
        without_motion(dirs[i].path());
        open_with(dirs[i].path(), SIZE, App::new)
    });
    let port = host_ultimate(&mut a);
    join(&mut b, Some("Bob"), &loopback(port));
    wait_in_match(&mut a, &mut b);
    fill_join(&mut c, Some("Cy"), &loopback(port));
    click(&mut c, "Watch instead");
    step_all_until(&mut [&mut a, &mut b, &mut c], "Cy watching", |apps| {
        apps[2].net_match().is_some_and(NetMatch::watching)
    });
    c.get_by_label("You are watching");
    c.get_by_label("Ultimate Tic-Tac-Toe");
    assert_eq!(net(c.state()).view.state.variant(), ULTIMATE);

    // A cell clicked on the watcher's board changes nothing.
    c.get_by_label(&cell_label(ULTIMATE, named(ULTIMATE, "5 5"), "empty"))
        .click();
    settle(&mut c);
    assert!(net(c.state()).view.state.game().moves().is_empty());

    for (played_before, text) in ["5 5", "5 1", "1 5"].into_iter().enumerate() {
        let mover = if played_before % 2 == 0 {
            &mut a
        } else {
            &mut b
        };
        let cell = named(ULTIMATE, text);
        mover
            .get_by_label(&cell_label(ULTIMATE, cell, "empty"))
            .click();
        step_all_until(
            &mut [&mut a, &mut b, &mut c],
            "the move on every screen",
            |apps| played(apps, played_before + 1),
        );
        let mark = if played_before % 2 == 0 { "X" } else { "O" };
        c.get_by_label(&cell_label(ULTIMATE, cell, mark));
    }
    assert!(c.state().records().is_empty(), "a watcher records nothing");
}
