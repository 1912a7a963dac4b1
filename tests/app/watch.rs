//! Watching a match and talking during it, in the window: three `App`s in `egui_kittest`
//! harnesses over real sockets on 127.0.0.1. Ann hosts, Bob joins, Cy watches from the join
//! screen: Cy's screen is the match screen, read-only, following every move, and records
//! nothing; the players see that someone watches; the players chat (typed, and with the
//! one-click phrases), Cy reads it, a flood is refused, and a wide window shows the chat beside
//! the board.

use crate::support::app::{
    SIZE, ann_and_bob, click, fill_join, loopback, net, open_with, settle, square, step_all_until,
    type_into, without_motion,
};
use std::path::Path;

use egui_kittest::Harness;
use egui_kittest::kittest::Queryable as _;
use tictactoe::app::chat::CHAT_FIELD;
use tictactoe::app::screens::net_match::{NetMatch, connection_text};
use tictactoe::app::{App, Screen};
use tictactoe::game::{Player, Verdict};
use tictactoe::net::Presence;

fn open(dir: &Path, size: [f32; 2]) -> Harness<'static, App> {
    without_motion(dir);
    open_with(dir, size, App::new)
}

/// Ann hosts in `a`, Bob joins in `b`, Cy watches in `c`.
fn three<'h>(a: &mut Harness<'h, App>, b: &mut Harness<'h, App>, c: &mut Harness<'h, App>) {
    let port = ann_and_bob(a, b);
    fill_join(c, Some("Cy"), &loopback(port));
    click(c, "Watch instead");
    step_all_until(&mut [a, b, c], "Cy watching", |apps| {
        apps[2].net_match().is_some_and(NetMatch::watching)
    });
}

#[test]
fn a_watcher_follows_the_match_read_only_records_nothing_and_the_players_see_it() {
    let dirs: Vec<_> = (0..3).map(|_| tempfile::tempdir().unwrap()).collect();
    let [mut a, mut b, mut c] = [0, 1, 2].map(|i| open(dirs[i].path(), SIZE));
    three(&mut a, &mut b, &mut c);

    c.get_by_label("You are watching");
    c.get_by_label("Ann's turn (X)");
    assert_eq!(c.state().title(), "Ann's turn (X) — Tic-Tac-Toe");
    assert!(
        c.query_by_label("Resign…").is_none() && c.query_by_label("Rematch").is_none(),
        "a watcher is offered nothing a player does"
    );
    step_all_until(
        &mut [&mut a, &mut b, &mut c],
        "the players see Cy",
        |apps| apps[..2].iter().all(|app| net(app).view.watchers == 1),
    );
    for app in [a.state(), b.state()] {
        let line = connection_text(net(app));
        assert!(line.ends_with(" · 1 watching"), "{line}");
    }
    a.get_by_label(&connection_text(net(a.state())));

    // A square clicked on the watcher's board changes nothing anywhere.
    c.get_by_label(&square(9, "empty")).click();
    settle(&mut c);
    assert!(net(c.state()).view.state.game().moves().is_empty());
    assert!(net(c.state()).message.is_none(), "nothing was even sent");

    // X: 1, 2, 3 wins; O: 4, 5. Cy sees each move as it is played.
    for (played, number) in [1, 4, 2, 5, 3].into_iter().enumerate() {
        let mover = if played % 2 == 0 { &mut a } else { &mut b };
        mover.get_by_label(&square(number, "empty")).click();
        step_all_until(
            &mut [&mut a, &mut b, &mut c],
            "the move on every screen",
            |apps| {
                apps.iter()
                    .all(|app| net(app).view.state.game().moves().len() == played + 1)
            },
        );
        let mark = if played % 2 == 0 { "X" } else { "O" };
        c.get_by_label(&square(number, mark));
    }
    assert_eq!(
        net(c.state()).view.state.result(),
        Some(Verdict::Win(Player::X))
    );
    c.get_by_label("Ann wins!");
    assert_eq!(c.state().title(), "Ann wins! — Tic-Tac-Toe");
    // The move list follows too.
    assert_eq!(net(c.state()).view.state.game().moves().len(), 5);

    // The players record their game; the watcher records nothing.
    assert_eq!(a.state().records().len(), 1);
    assert_eq!(b.state().records().len(), 1);
    assert!(c.state().records().is_empty(), "{:?}", c.state().records());

    // A rematch asked for is shown to the watcher, named.
    a.get_by_label("Rematch").click();
    step_all_until(&mut [&mut a, &mut b, &mut c], "the request seen", |apps| {
        net(apps[2]).view.state.wants_rematch(Player::X)
    });
    c.get_by_label("Ann wants a rematch");

    // Stopping watching goes back to the menu; the match goes on, and the players see it.
    c.get_by_label("Stop watching").click();
    settle(&mut c);
    assert!(matches!(c.state().screen(), Screen::Menu));
    b.get_by_label("Rematch").click();
    step_all_until(&mut [&mut a, &mut b], "game 2, nobody watching", |apps| {
        apps.iter().all(|app| {
            let view = &net(app).view;
            view.state.game_number() == 2 && view.watchers == 0
        })
    });
    assert!(c.state().records().is_empty());
}

#[test]
fn players_chat_with_phrases_and_typed_lines_a_watcher_reads_and_a_flood_is_refused() {
    let dirs: Vec<_> = (0..3).map(|_| tempfile::tempdir().unwrap()).collect();
    let [mut a, mut b, mut c] = [0, 1, 2].map(|i| open(dirs[i].path(), SIZE));
    three(&mut a, &mut b, &mut c);

    // Folded away on a narrow window, behind one button.
    assert!(a.query_by_label(CHAT_FIELD).is_none());
    a.get_by_label("Chat").click();
    settle(&mut a);
    type_into(&mut a, CHAT_FIELD, "hi Bob");
    a.get_by_label("Send").click();
    settle(&mut a);
    step_all_until(&mut [&mut a, &mut b, &mut c], "the line heard", |apps| {
        apps.iter().all(|app| net(app).chat.len() == 1)
    });
    for app in [a.state(), b.state(), c.state()] {
        let line = &net(app).chat[0];
        assert_eq!(
            (line.name.as_str(), line.player, line.text.as_str()),
            ("Ann", Some(Player::X), "hi Bob")
        );
    }
    // Ann's own line is on her screen once; the field is empty for the next one.
    a.get_by_label("Ann: hi Bob");
    assert_eq!(net(a.state()).unread, 0);
    // Bob's chat is folded: a quiet note and the line, until he opens it.
    assert_eq!(net(b.state()).unread, 1);
    b.get_by_label("1 new");
    b.get_by_label("Ann: hi Bob");
    b.get_by_label("Chat").click();
    settle(&mut b);
    assert_eq!(net(b.state()).unread, 0);
    b.get_by_label("Good game").click();
    settle(&mut b);
    step_all_until(&mut [&mut a, &mut b, &mut c], "the phrase heard", |apps| {
        apps.iter().all(|app| net(app).chat.len() == 2)
    });
    a.get_by_label("Bob: Good game");
    // The watcher reads, and may not chat on a host that lets only the players.
    c.get_by_label("Chat").click();
    settle(&mut c);
    c.get_by_label("Only the players can chat in this match");
    assert!(c.query_by_label(CHAT_FIELD).is_none());

    // Three lines at once, then one a second: the next is refused with the reason, and sent
    // nowhere. A slow machine may have refilled the bucket while the phrase went round and
    // between clicks, so the lines go until one is refused (three at once, and a refill or two).
    let mut sent = 0;
    for phrase in [
        "Rematch?",
        "Rematch?",
        "Well played",
        "Well played",
        "Good game",
        "Good game",
    ] {
        b.get_by_label(phrase).click();
        settle(&mut b);
        if net(b.state()).message.is_some() {
            break;
        }
        sent += 1;
    }
    step_all_until(&mut [&mut a, &mut b, &mut c], "the refusal", |apps| {
        net(apps[1]).message.is_some()
    });
    assert!(
        (2..=5).contains(&sent),
        "{sent} lines went before the refusal"
    );
    assert_eq!(
        net(b.state()).message.as_deref(),
        Some("Too many lines at once: wait a moment.")
    );
    b.get_by_label("Too many lines at once: wait a moment.");
    step_all_until(&mut [&mut a, &mut b, &mut c], "the lines sent", |apps| {
        net(apps[0]).chat.len() == 2 + sent && net(apps[2]).chat.len() == 2 + sent
    });
    assert_eq!(
        net(b.state()).chat.len(),
        2 + sent,
        "the refused line is not shown as said"
    );
    // The match is untouched.
    assert!(net(a.state()).view.state.game().moves().is_empty());
    assert_eq!(net(a.state()).view.opponent, Presence::Connected);
}

#[test]
fn a_wide_window_shows_the_chat_beside_the_board() {
    let dirs: Vec<_> = (0..3).map(|_| tempfile::tempdir().unwrap()).collect();
    let mut a = open(dirs[0].path(), [1280.0, 900.0]);
    let mut b = open(dirs[1].path(), SIZE);
    let mut c = open(dirs[2].path(), [1280.0, 900.0]);
    three(&mut a, &mut b, &mut c);
    // No button to press: the field is there, left of the board.
    let field = a.get_by_label(CHAT_FIELD).rect();
    let board = a.get_by_label(&square(1, "empty")).rect();
    assert!(field.max.x < board.min.x, "{field:?} left of {board:?}");
    assert!(a.query_by_label("Hide").is_none());
    type_into(&mut a, CHAT_FIELD, "welcome, Cy");
    a.key_press(egui::Key::Enter);
    settle(&mut a);
    step_all_until(&mut [&mut a, &mut b, &mut c], "the line heard", |apps| {
        net(apps[2]).chat.len() == 1
    });
    c.get_by_label("Ann: welcome, Cy");
    c.get_by_label("Only the players can chat in this match");
}
