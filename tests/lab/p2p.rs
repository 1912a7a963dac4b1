//! The peer-to-peer path between two homes, each behind its home router and its ISP's
//! carrier-grade NAT with no port mapped anywhere, 40 ms each way on the internet: a whole bot
//! match from home A to home B through the invite link alone, with `tictactoe relay` on the
//! internet. Two homes whose NATs keep one port per socket go direct; two that pick a new port
//! per destination stay on the relay; a home that lets only TCP out goes through the relay over
//! TCP. Every match a draw (perfect play on both sides).

use std::time::Duration;

use crate::support::internet::{Home, INTERNET, INTERNET_IP, Internet, Nat, unavailable};
use crate::support::lab::Program;
use crate::support::skipped;

/// The longest a whole match may take here.
const MATCH_LIMIT: Duration = Duration::from_secs(60);

fn internet(nats: [Nat; 2]) -> Option<Internet> {
    (!skipped(unavailable())).then(|| Internet::new(nats))
}

/// `tictactoe relay` on the internet, and its URL.
fn relay(net: &mut Internet) -> (Program, String) {
    let listen = format!("{INTERNET_IP}:3340");
    let mut relay = net.spawn(INTERNET, &["relay", "--listen", &listen]);
    let url = relay.expect_value("relay: ", Duration::from_secs(10));
    (relay, url)
}

/// A host in home B using `relay`, playing perfectly; its invite link.
fn host_in_b(net: &mut Internet, relay: &str) -> (Program, String) {
    let args = [
        "host",
        "--port",
        "0",
        "--bot",
        "perfect",
        "--name",
        "Ann",
        "--no-router",
        "--unlisted",
        "--relay",
        relay,
    ];
    let mut host = net.spawn(Home::B.computer(), &args);
    let link = host.expect_value("invite link: ", Duration::from_secs(15));
    (host, link)
}

/// A joiner in home A given the link alone; it plays the match to its end.
fn join_from_a(net: &mut Internet, link: &str) -> Program {
    net.spawn(
        Home::A.computer(),
        &["join", link, "--bot", "perfect", "--name", "Bob"],
    )
}

/// Waits for `program` to end well, its match a draw.
fn drawn(net: &mut Internet, program: &mut Program) {
    program.expect_line("match: 1 games", MATCH_LIMIT);
    assert!(
        net.wait(program, MATCH_LIMIT).success(),
        "{:?}",
        program.seen
    );
    assert!(program.printed("result: draw"), "{:?}", program.seen);
}

#[test]
fn two_homes_that_keep_one_port_per_socket_go_direct() {
    let Some(mut net) = internet([Nat::Moderate, Nat::Moderate]) else {
        return;
    };
    let (_relay, url) = relay(&mut net);
    let (mut host, link) = host_in_b(&mut net, &url);
    assert!(link.contains("key="), "{link}");
    let mut joiner = join_from_a(&mut net, &link);
    let (at, _) = joiner.expect_line("connected: direct", MATCH_LIMIT);
    println!("direct after {:.1} s", at.as_secs_f64());
    drawn(&mut net, &mut joiner);
    host.expect_line("connected: direct", MATCH_LIMIT);
    drawn(&mut net, &mut host);
}

#[test]
fn two_homes_that_pick_a_port_per_destination_play_through_the_relay() {
    let Some(mut net) = internet([Nat::Strict, Nat::Strict]) else {
        return;
    };
    let (_relay, url) = relay(&mut net);
    let (mut host, link) = host_in_b(&mut net, &url);
    let mut joiner = join_from_a(&mut net, &link);
    joiner.expect_line(&format!("connected: through relay {url}"), MATCH_LIMIT);
    drawn(&mut net, &mut joiner);
    assert!(!joiner.printed("connected: direct"), "{:?}", joiner.seen);
    drawn(&mut net, &mut host);
}

#[test]
fn a_home_that_lets_only_tcp_out_plays_through_the_relay() {
    let Some(mut net) = internet([Nat::TcpOnly, Nat::Moderate]) else {
        return;
    };
    let (_relay, url) = relay(&mut net);
    let (mut host, link) = host_in_b(&mut net, &url);
    let mut joiner = join_from_a(&mut net, &link);
    joiner.expect_line(&format!("connected: through relay {url}"), MATCH_LIMIT);
    drawn(&mut net, &mut joiner);
    drawn(&mut net, &mut host);
}
