//! The networked match screen's harder paths, each with two real windows (`App` in `egui_kittest`
//! harnesses) over real sockets on 127.0.0.1: a joiner that reconnects after a cut, a host that
//! waits out an absent joiner and claims the win, resigning with its confirmation, the seat code,
//! the joiner's own move shown as pending until the host confirms it, the round-trip time, the
//! board after a win, and a waiting host that does not repaint.
//!
//! Cuts go through the test proxy of `support::net`, run on a small runtime of the test's own.

use crate::support::app::{
    TALL, ann_and_bob, click, fill_join, host, join, loopback, net, networked, open_menu_for,
    open_with, settle, square, step_until, step_until_one, two, type_into, wait_in_match,
};
use crate::support::in_temp_dir;
use crate::support::net::{Proxy, proxy_runtime};
use std::path::Path;
use std::time::{Duration, Instant};

use egui::{Color32, Pos2, Rect, Shape};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable as _;
use tictactoe::app::{App, Screen};
use tictactoe::game::{Cell, Ending, Player, Verdict};
use tictactoe::net::{Presence, Stage, Timing};

/// Timings short enough for tests, long enough that a window stepping a frame every few
/// milliseconds sees each passing state (a reconnection, a countdown).
fn timing() -> Timing {
    Timing {
        ping_every: Duration::from_millis(100),
        dead_after: Duration::from_millis(1500),
        hello_timeout: Duration::from_secs(2),
        grace: Duration::from_millis(1500),
        connect_timeout: Duration::from_secs(2),
        backoff_first: Duration::from_millis(400),
        backoff_max: Duration::from_millis(800),
        give_up_after: Duration::from_secs(15),
        write_timeout: Duration::from_secs(2),
        give_up_busy_after: Duration::from_secs(15),
    }
}

fn open(dir: &Path) -> Harness<'static, App> {
    networked(dir, timing())
}

fn in_match(app: &App) -> bool {
    app.net_match()
        .is_some_and(|n| n.stage == Stage::Playing && n.view.connected)
}

/// B fills in the join form as Bob for `ip_port` with `seat_code`, and presses Join.
fn join_with_code(b: &mut Harness<'_, App>, ip_port: &str, seat_code: &str) {
    fill_join(b, Some("Bob"), ip_port);
    type_into(b, "Seat code (if asked)", seat_code);
    click(b, "Join");
}

/// A hosts and B joins through a proxy the test can cut.
fn connected_through_proxy<'h>(
    a: &mut Harness<'h, App>,
    b: &mut Harness<'h, App>,
    runtime: &tokio::runtime::Runtime,
) -> Proxy {
    let port = host(a, Some("Ann"), false);
    let upstream = std::net::SocketAddr::from(([127, 0, 0, 1], port));
    let proxy = runtime.block_on(Proxy::start(upstream));
    join(b, Some("Bob"), &proxy.ip_port());
    wait_in_match(a, b);
    proxy
}

/// Ann (`a`, X) and Bob (`b`) in a match through a proxy the test can cut, on a runtime of its
/// own, Ann's X on the centre square; the runtime and the folders outlast the windows.
type CentreTaken = (
    tokio::runtime::Runtime,
    [tempfile::TempDir; 2],
    Harness<'static, App>,
    Harness<'static, App>,
    Proxy,
);

/// See [`CentreTaken`].
fn centre_taken() -> CentreTaken {
    let runtime = proxy_runtime();
    let (dirs, mut a, mut b) = two(open);
    let proxy = connected_through_proxy(&mut a, &mut b, &runtime);
    play(&mut a, &mut b, Player::X, 5);
    (runtime, dirs, a, b, proxy)
}

fn cell(number: usize) -> Cell {
    Cell::ALL[number - 1]
}

/// `mover` plays cell `number`; waits until both windows show the move.
fn play<'h>(a: &mut Harness<'h, App>, b: &mut Harness<'h, App>, mover: Player, number: usize) {
    let before = net(a.state()).view.state.game().moves().len();
    let window = if mover == Player::X { &mut *a } else { &mut *b };
    window.get_by_label(&square(number, "empty")).click();
    step_until(a, b, "the move on both screens", |a, b| {
        [a, b].iter().all(|app| {
            net(app).view.state.game().moves().len() == before + 1
                && net(app).view.pending.is_none()
        })
    });
    settle(a);
    settle(b);
}

#[test]
fn the_joiner_reconnects_after_a_cut_and_the_game_resumes() {
    let (_runtime, _dirs, mut a, mut b, proxy) = centre_taken();
    play(&mut a, &mut b, Player::O, 1);
    let before = net(a.state()).view.state.game().clone();

    proxy.cut();
    step_until(&mut a, &mut b, "Bob reconnecting", |_, b| {
        matches!(net(b).stage, Stage::Reconnecting { .. })
    });
    b.step();
    b.get_by_label_contains("Reconnecting…");
    assert!(!net(b.state()).view.my_turn());

    step_until(&mut a, &mut b, "Bob back in the match", |a, b| {
        in_match(b) && net(a).view.opponent == Presence::Connected
    });
    settle(&mut a);
    settle(&mut b);
    assert_eq!(net(b.state()).view.state.game(), &before);
    assert_eq!(net(a.state()).view.state.game(), &before);
    assert_eq!(net(a.state()).view.state.v(), net(b.state()).view.state.v());
    b.get_by_label("Waiting for Ann…");
    a.get_by_label("Your turn");

    // The game goes on from there.
    play(&mut a, &mut b, Player::X, 9);
    play(&mut a, &mut b, Player::O, 2);
    assert_eq!(
        net(a.state()).view.state.game(),
        net(b.state()).view.state.game()
    );
    assert_eq!(
        net(b.state()).view.state.game().moves(),
        &[cell(5), cell(1), cell(9), cell(2)]
    );
}

#[test]
fn the_host_sees_the_countdown_then_claims_the_win() {
    let (_runtime, _dirs, mut a, mut b, proxy) = centre_taken();

    // Bob's link goes and stays gone.
    proxy.stop();
    step_until(&mut a, &mut b, "Bob away", |a, _| {
        matches!(net(a).view.opponent, Presence::Away { .. })
    });
    a.step();
    a.get_by_label_contains("Bob is away — you can claim the win in");
    assert!(a.query_by_label("Claim the win").is_none());

    step_until(&mut a, &mut b, "the claim allowed", |a, _| {
        net(a).view.can_claim_win()
    });
    settle(&mut a);
    a.get_by_label("Bob is away — you can claim the win");
    a.get_by_label("Claim the win").click();
    step_until(&mut a, &mut b, "the claim settled", |a, _| {
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

#[test]
fn resigning_asks_first_and_both_windows_show_it() {
    let (_dirs, mut a, mut b) = two(open);
    ann_and_bob(&mut a, &mut b);

    // Ann thinks better of it: the game goes on.
    open_menu_for(&mut a, "Resign…");
    a.get_by_label("Resign…").click();
    settle(&mut a);
    a.get_by_label("Resign this game? It counts as a win for your opponent.");
    a.get_by_label("Keep playing").click();
    settle(&mut a);
    assert!(
        a.query_by_label("Resign this game? It counts as a win for your opponent.")
            .is_none()
    );
    assert!(!net(a.state()).confirm_resign);
    play(&mut a, &mut b, Player::X, 5);
    assert_eq!(net(b.state()).view.state.result(), None);

    // Bob means it.
    open_menu_for(&mut b, "Resign…");
    b.get_by_label("Resign…").click();
    settle(&mut b);
    b.get_by_label("Yes, resign").click();
    step_until(&mut a, &mut b, "the resignation on both screens", |a, b| {
        [a, b]
            .iter()
            .all(|app| net(app).view.state.result() == Some(Verdict::Win(Player::X)))
    });
    settle(&mut a);
    settle(&mut b);
    b.get_by_label("You resigned — Ann wins");
    a.get_by_label("Bob resigned — you win!");
    assert_eq!(net(a.state()).view.state.score().x_wins, 1);
    assert!(a.query_by_label("Resign…").is_none());
    a.get_by_label("Rematch");
}

#[test]
fn the_seat_code_is_shown_to_the_host_and_required_of_the_joiner() {
    let (_dirs, mut a, mut b) = two(open);
    let port = host(&mut a, Some("Ann"), true);
    let code = a
        .state()
        .hosting()
        .and_then(|h| h.seat_code.clone())
        .expect("a seat code");
    // Eight characters in two groups, none of which looks like another.
    assert_eq!(code.len(), 9, "{code}");
    assert_eq!(&code[4..5], "-");
    a.get_by_label("Seat code:");
    a.get_by_label(&code);

    // 0 is not one of a code's characters: this code is always wrong.
    let wrong = "0000-0000";
    join_with_code(&mut b, &loopback(port), wrong);
    step_until(
        &mut a,
        &mut b,
        "the join refused",
        |_, b| matches!(b.screen(), Screen::Join(form) if form.error.is_some()),
    );
    settle(&mut b);
    let wrong_code = "Wrong seat code. Check the code shown on your friend's screen and try again.";
    b.get_by_label(wrong_code);
    assert!(a.state().hosting().is_some(), "the host still waits");

    // No code at all is just as wrong.
    type_into(&mut b, "Seat code (if asked)", "");
    b.get_by_label("Try again").click();
    settle(&mut b);
    step_until(
        &mut a,
        &mut b,
        "the join refused again",
        |_, b| matches!(b.screen(), Screen::Join(form) if form.error.is_some()),
    );
    settle(&mut b);
    b.get_by_label(wrong_code);

    type_into(&mut b, "Seat code (if asked)", &code);
    b.get_by_label("Try again").click();
    settle(&mut b);
    wait_in_match(&mut a, &mut b);
    b.get_by_label("Waiting for Ann…");
}

#[test]
fn the_joiners_move_shows_as_pending_until_the_host_confirms_it() {
    let (_runtime, _dirs, mut a, mut b, proxy) = centre_taken();

    // The host's answers stop reaching Bob: his move stays unconfirmed.
    proxy.hold_down();
    b.get_by_label(&square(1, "empty")).click();
    step_until(&mut a, &mut b, "the move pending", |a, b| {
        net(b).view.pending == Some(cell(1)) && net(a).view.state.game().moves().len() == 2
    });
    b.step();
    b.get_by_label("Row 1, column 1, empty, your move is being sent");
    assert!(!net(b.state()).view.my_turn(), "no second move meanwhile");
    assert!(
        net(b.state())
            .view
            .state
            .game()
            .board()
            .get(cell(1))
            .is_none()
    );

    // Once the link is back, the host's word arrives and the move is Bob's for good.
    proxy.cut();
    step_until(&mut a, &mut b, "the move confirmed", |a, b| {
        in_match(b)
            && net(b).view.pending.is_none()
            && net(b).view.state.game() == net(a).view.state.game()
    });
    settle(&mut b);
    assert_eq!(
        net(b.state()).view.state.game().moves(),
        &[cell(5), cell(1)]
    );
    assert!(
        b.query_by_label_contains("your move is being sent")
            .is_none()
    );
    b.get_by_label("Row 1, column 1, O");
}

#[test]
fn the_round_trip_time_is_shown() {
    let (_dirs, mut a, mut b) = two(open);
    ann_and_bob(&mut a, &mut b);
    step_until(&mut a, &mut b, "a round trip measured", |a, b| {
        net(a).view.rtt.is_some() && net(b).view.rtt.is_some()
    });
    settle(&mut a);
    settle(&mut b);
    for window in [&a, &b] {
        let rtt = net(window.state()).view.rtt.unwrap();
        window.get_by_label(&format!("Connected · {} ms", rtt.as_millis()));
    }
}

/// The straight strokes painted last frame, as their two ends and colour: each X is two.
fn strokes(harness: &Harness<'_, App>) -> Vec<([Pos2; 2], Color32)> {
    fn walk(shape: &Shape, out: &mut Vec<([Pos2; 2], Color32)>) {
        match shape {
            Shape::LineSegment { points, stroke } => out.push((*points, stroke.color)),
            Shape::Vec(shapes) => shapes.iter().for_each(|s| walk(s, out)),
            _ => {}
        }
    }
    let mut out = Vec::new();
    for clipped in &harness.output().shapes {
        walk(&clipped.shape, &mut out);
    }
    out
}

/// The colours of the strokes painted wholly inside the squares whose label contains `label`
/// (grid lines cross squares and do not count).
fn stroke_colors_in(harness: &Harness<'_, App>, label: &str) -> Vec<Color32> {
    let squares: Vec<Rect> = harness
        .query_all_by_label_contains(label)
        .map(|node| node.rect())
        .collect();
    strokes(harness)
        .into_iter()
        .filter(|(ends, _)| {
            squares
                .iter()
                .any(|rect| rect.contains(ends[0]) && rect.contains(ends[1]))
        })
        .map(|(_, color)| color)
        .collect()
}

/// How far apart two colours are, summed over the channels.
fn distance(a: Color32, b: Color32) -> u32 {
    a.to_array()
        .iter()
        .zip(b.to_array())
        .map(|(&x, y)| u32::from(x.abs_diff(y)))
        .sum()
}

#[test]
fn after_a_win_no_square_looks_like_a_move_still_to_be_made() {
    let (_dirs, mut a, mut b) = two(open);
    ann_and_bob(&mut a, &mut b);
    for (mover, number) in [
        (Player::X, 1),
        (Player::O, 4),
        (Player::X, 9),
        (Player::O, 5),
        (Player::X, 2),
        (Player::O, 7),
    ] {
        play(&mut a, &mut b, mover, number);
    }

    // On Ann's turn a hovered square previews her X, faded.
    a.get_by_label(&square(6, "empty")).hover();
    settle(&mut a);
    let preview = stroke_colors_in(&a, ", empty");
    assert_eq!(preview.len(), 2, "the preview of X");

    // Ann wins along the top row with the pointer still on the board.
    a.get_by_label(&square(3, "empty")).click();
    step_until(&mut a, &mut b, "the win on both screens", |a, b| {
        [a, b]
            .iter()
            .all(|app| net(app).view.state.result() == Some(Verdict::Win(Player::X)))
    });
    settle(&mut a);
    a.get_by_label("You win!");
    for number in [3, 6, 8] {
        if number != 3 {
            a.get_by_label(&square(number, "empty")).hover();
            settle(&mut a);
        }
        assert!(
            stroke_colors_in(&a, ", empty").is_empty(),
            "a mark on an empty square with the pointer on square {number}"
        );
    }
    // Her X off the winning line is drawn as played, not as faint as a preview.
    let off_line = stroke_colors_in(&a, "Row 3, column 3, X");
    assert_eq!(off_line.len(), 2);
    for color in off_line {
        assert!(
            distance(color, preview[0]) > 60,
            "the X off the line ({color:?}) looks like a preview ({:?})",
            preview[0]
        );
    }
}

#[test]
fn a_waiting_host_does_not_keep_repainting() {
    let (_dir_a, mut a) = in_temp_dir(open);
    host(&mut a, Some("Ann"), false);
    // No pointer resting on a button, where a tooltip would fade in.
    a.remove_cursor();
    assert!(
        a.query_all_by_label_contains("Waiting for your friend")
            .next()
            .is_some()
    );
    // The server's first events wake the window a few times as it starts (sooner or later,
    // depending on the machine's load); after that, once quiet, the screen must stay quiet.
    let start = Instant::now();
    let mut quiet = 0;
    while quiet < 10 {
        a.step();
        if a.ctx.requested_repaint_last_pass() {
            quiet = 0;
        } else {
            quiet += 1;
        }
        assert!(
            start.elapsed() < Duration::from_secs(5),
            "the waiting screen keeps asking for frames"
        );
        std::thread::sleep(Duration::from_millis(5));
    }
}

#[test]
fn the_host_lists_only_addresses_a_friend_can_use() {
    let (_dir_a, mut a) = in_temp_dir(open);
    host(&mut a, Some("Ann"), false);
    let hosting = a.state().hosting().unwrap().clone();
    // Nothing to check on a computer with loopback only (on CI there is more).
    let no_address = hosting
        .addrs
        .is_empty()
        .then(|| "needs a network address besides loopback".to_owned());
    crate::support::skipped(no_address);
    for addr in &hosting.addrs {
        let ip: std::net::SocketAddr = addr.ip_port.parse().unwrap();
        assert!(
            !ip.ip().is_loopback(),
            "a loopback address is listed: {addr:?}"
        );
        assert!(!addr.scope.is_empty());
    }
}

#[test]
fn a_window_closed_mid_match_offers_to_rejoin_and_takes_the_seat_back() {
    // Long enough for the host to hold the seat while the window is started again.
    let patient = || Timing {
        grace: Duration::from_secs(30),
        ..timing()
    };
    let (dir_a, dir_b) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let seats = dir_b.path().join("seats.json");
    let open_b = |dir: &Path| {
        let seats = tictactoe::net::SeatStore::at(dir.join("seats.json"));
        open_with(dir, TALL, move |store| {
            App::new(store).with_net_timing(patient()).with_seats(seats)
        })
    };
    let mut a = networked(dir_a.path(), patient());
    let mut b = open_b(dir_b.path());
    let port = host(&mut a, Some("Ann"), false);
    join(&mut b, Some("Bob"), &loopback(port));
    wait_in_match(&mut a, &mut b);
    a.get_by_label("Row 2, column 2, empty").click();
    step_until(&mut a, &mut b, "Bob's turn", |_, b| net(b).view.my_turn());
    b.get_by_label("Row 1, column 1, empty").click();
    // Both sides at the same version: Bob's move confirmed on his side too.
    step_until(&mut a, &mut b, "Ann's turn again", |a, b| {
        net(a).view.my_turn()
            && net(b).view.pending.is_none()
            && net(b).view.state.v() == net(a).view.state.v()
    });
    let before = net(b.state()).view.state.clone();
    assert!(seats.exists(), "the seat is kept while the match lasts");

    // The window closes without leaving: the host holds the seat.
    drop(b);
    step_until_one(&mut a, "Bob away", |a| {
        matches!(net(a).view.opponent, Presence::Away { .. })
    });
    let mut b = open_b(dir_b.path());
    b.run();
    b.get_by_label("Rejoin the match with Ann").click();
    settle(&mut b);
    step_until(&mut a, &mut b, "Bob back", |a, b| {
        in_match(b) && net(a).view.opponent == Presence::Connected
    });
    settle(&mut b);
    assert_eq!(net(b.state()).view.state.snapshot(), before.snapshot());
    b.get_by_label("Waiting for Ann…");
    a.get_by_label("Row 3, column 3, empty").click();
    step_until(&mut a, &mut b, "the game goes on", |_, b| {
        net(b).view.state.game().moves().len() == 3
    });
}

#[test]
fn a_joiner_whose_host_vanished_can_stop_trying_or_is_told_when_it_gives_up() {
    let (runtime, dirs, _a, mut b, proxy) = centre_taken();
    proxy.set_down(true);
    step_until_one(&mut b, "Bob reconnecting", |b| {
        matches!(net(b).stage, Stage::Reconnecting { .. })
    });
    settle(&mut b);
    // Nobody can move while the link is down, and the banner says so.
    b.get_by_label("Connection lost");
    assert!(b.query_by_label("Your turn").is_none());
    b.get_by_label_contains("giving up in");
    // Left to itself, it stops once the host has certainly given the seat up.
    let lost = Instant::now();
    step_until_one(&mut b, "Bob giving up", |b| net(b).finished());
    settle(&mut b);
    let took = lost.elapsed();
    // grace 1.5 s + dead link 1.5 s + 1 s, counted from the loss, and one more attempt.
    assert!(took < Duration::from_secs(8), "gave up after {took:?}");
    b.get_by_label_contains("The host has been gone for");
    open_menu_for(&mut b, "Leave");
    b.get_by_label("Leave").click();
    settle(&mut b);
    assert_eq!(b.state().screen(), &Screen::Menu);

    // Another joiner stops trying by itself.
    let (_dir_c, mut c) = in_temp_dir(open);
    let mut a = open(dirs[0].path());
    let proxy = connected_through_proxy(&mut a, &mut c, &runtime);
    proxy.set_down(true);
    step_until_one(&mut c, "Cy reconnecting", |c| {
        matches!(net(c).stage, Stage::Reconnecting { .. })
    });
    settle(&mut c);
    c.get_by_label("Stop trying").click();
    settle(&mut c);
    assert_eq!(c.state().screen(), &Screen::Menu);
}
