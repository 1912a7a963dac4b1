//! The peer-to-peer path between two homes, each behind its home router and its ISP's
//! carrier-grade NAT with no port mapped anywhere, 40 ms each way on the internet: a whole bot
//! match from home A to home B through the invite link alone, with `tictactoe relay` on the
//! internet. Two homes whose NATs keep one port per socket go direct; two that pick a new port
//! per destination stay on the relay; a home that lets only TCP out goes through the relay over
//! TCP. Every match a draw (perfect play on both sides).

use std::time::Duration;

use crate::support::internet::{Home, INTERNET, INTERNET_IP, Internet, Nat, unavailable};
use crate::support::lab::{Program, signal};
use crate::support::skipped;
use tictactoe::net::invite::Invite;
use tictactoe::net::p2p::P2pAddr;

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

/// `tictactoe relay` on the internet with its files in `home`.
fn relay_at(net: &mut Internet, home: &std::path::Path) -> (Program, String) {
    let listen = format!("{INTERNET_IP}:3340");
    let mut relay = net.spawn_at(INTERNET, home, &["relay", "--listen", &listen]);
    let url = relay.expect_value("relay: ", Duration::from_secs(10));
    (relay, url)
}

/// A host in home B playing `games` games, with the seat held `grace` seconds; its link.
fn host_in_b_for(net: &mut Internet, relay: &str, games: &str, grace: &str) -> (Program, String) {
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
        "--games",
        games,
        "--grace",
        grace,
    ];
    let mut host = net.spawn(Home::B.computer(), &args);
    let link = host.expect_value("invite link: ", Duration::from_secs(15));
    (host, link)
}

/// Waits for `program` to end well after `games` games, all drawn.
fn all_drawn(net: &mut Internet, program: &mut Program, games: usize) {
    program.expect_line(&format!("match: {games} games"), MATCH_LIMIT);
    assert!(
        net.wait(program, MATCH_LIMIT).success(),
        "{:?}",
        program.seen
    );
    let draws = program
        .seen
        .iter()
        .filter(|(_, line)| line.contains("result: draw"))
        .count();
    assert_eq!(draws, games, "{:?}", program.seen);
}

#[test]
fn the_relay_killed_once_the_path_is_direct_changes_nothing() {
    let Some(mut net) = internet([Nat::Moderate, Nat::Moderate]) else {
        return;
    };
    let (relay, url) = relay(&mut net);
    let (mut host, link) = host_in_b_for(&mut net, &url, "6", "60");
    let args = [
        "join",
        link.as_str(),
        "--bot",
        "perfect",
        "--name",
        "Bob",
        "--games",
        "6",
    ];
    let mut joiner = net.spawn(Home::A.computer(), &args);
    // Direct on both sides.
    joiner.expect_line("connected: direct", MATCH_LIMIT);
    host.expect_line("connected: direct", MATCH_LIMIT);
    signal(relay.pid, rustix::process::Signal::KILL);
    all_drawn(&mut net, &mut joiner, 6);
    all_drawn(&mut net, &mut host, 6);
    // No gap: the connection was never lost.
    assert!(!joiner.printed("connection lost"), "{:?}", joiner.seen);
}

#[test]
fn the_relay_killed_while_relayed_and_started_again_lets_the_match_resume() {
    let Some(mut net) = internet([Nat::Strict, Nat::Strict]) else {
        return;
    };
    let relay_home = net.home(INTERNET);
    let (relay, url) = relay_at(&mut net, &relay_home);
    let (mut host, link) = host_in_b_for(&mut net, &url, "8", "60");
    let args = [
        "join",
        link.as_str(),
        "--bot",
        "perfect",
        "--name",
        "Bob",
        "--games",
        "8",
    ];
    let mut joiner = net.spawn(Home::A.computer(), &args);
    joiner.expect_line("connected: through relay", MATCH_LIMIT);
    joiner.expect_line("result: draw", MATCH_LIMIT);
    signal(relay.pid, rustix::process::Signal::KILL);
    let _killed = net.wait(&relay, Duration::from_secs(5));
    joiner.expect_line("connection lost", MATCH_LIMIT);
    // The same relay again: its certificate kept, its URL the same.
    let (_relay, url_again) = relay_at(&mut net, &relay_home);
    assert_eq!(url_again, url);
    all_drawn(&mut net, &mut joiner, 8);
    all_drawn(&mut net, &mut host, 8);
}

#[test]
fn a_computer_answering_at_the_links_address_with_another_key_is_refused() {
    let Some(mut net) = internet([Nat::Moderate, Nat::Moderate]) else {
        return;
    };
    let (_relay, url) = relay(&mut net);
    let (_host, link) = host_in_b(&mut net, &url);
    // Somebody else, on the internet: another host with a key of its own.
    let mut other = net.spawn(
        INTERNET,
        &[
            "host",
            "--port",
            "0",
            "--name",
            "Eve",
            "--no-router",
            "--unlisted",
        ],
    );
    let other_link = other.expect_value("invite link: ", Duration::from_secs(15));
    let (Ok(real), Ok(other)) = (Invite::parse(&link), Invite::parse(&other_link)) else {
        panic!("{link} / {other_link}");
    };
    let (Some(real), Some(other)) = (real.p2p, other.p2p) else {
        panic!("links without keys: {link} / {other_link}");
    };
    // The real host's key, at the other computer's address.
    let forged = Invite {
        name: "Ann".to_owned(),
        seat_code: None,
        addrs: vec![],
        p2p: Some(P2pAddr {
            key: real.key,
            relay: None,
            direct: other
                .direct
                .into_iter()
                .filter(|addr| addr.ip() == std::net::IpAddr::V4(INTERNET_IP))
                .collect(),
        }),
    };
    let (status, lines) = net.run_to_end(
        Home::A.computer(),
        &["join", &forged.to_link(), "--bot", "perfect"],
        MATCH_LIMIT,
    );
    assert!(!status.success(), "{lines:?}");
    assert!(
        lines
            .iter()
            .any(|l| l.contains("its key does not match the invite link")),
        "{lines:?}"
    );
}

#[test]
fn twenty_watchers_and_a_joiner_from_one_home_all_get_in() {
    let Some(mut net) = internet([Nat::Moderate, Nat::Moderate]) else {
        return;
    };
    let (_relay, url) = relay(&mut net);
    let args = [
        "host",
        "--port",
        "7878",
        "--bot",
        "perfect",
        "--name",
        "Ann",
        "--no-router",
        "--unlisted",
        "--relay",
        &url,
        "--games",
        "3",
    ];
    let mut host = net.spawn(INTERNET, &args);
    let link = host.expect_value("invite link: ", Duration::from_secs(15));
    let mut watchers: Vec<Program> = (0..20)
        .map(|_| net.spawn(Home::A.computer(), &["watch", &link]))
        .collect();
    let mut joiner = net.spawn(
        Home::A.computer(),
        &[
            "join", &link, "--bot", "perfect", "--name", "Bob", "--games", "3",
        ],
    );
    all_drawn(&mut net, &mut joiner, 3);
    all_drawn(&mut net, &mut host, 3);
    for watcher in &mut watchers {
        watcher.expect_line("match: 3 games", MATCH_LIMIT);
        assert!(
            net.wait(watcher, MATCH_LIMIT).success(),
            "{:?}",
            watcher.seen
        );
    }
}

/// A person's side of one game in the terminal, measured: when the first board with the host's
/// move came (from the start), and each move's round trip (a move typed, until the board with
/// the host's answer). The host is the computer, X; it moves first unless `me_first`.
fn play_one_game_by_hand(joiner: &mut Program, me_first: bool) -> (Duration, Vec<Duration>) {
    let limit = Duration::from_secs(30);
    let mut rows: Vec<String> = Vec::new();
    let mut first_move = None;
    let mut round_trips = Vec::new();
    let mut typed_at: Option<(std::time::Instant, usize)> = None;
    // Bounded: a game is at most nine moves, each board five lines.
    for _ in 0..400 {
        let Some((at, line)) = joiner.next_line(limit) else {
            panic!("no line within {limit:?}: {:?}", joiner.seen);
        };
        if line.contains("result: ") {
            return (first_move.unwrap_or_default(), round_trips);
        }
        let row = line.trim_start_matches("your move, O (1-9): ");
        if !row.contains(" | ") {
            continue;
        }
        rows.push(row.to_owned());
        if !rows.len().is_multiple_of(3) {
            continue;
        }
        let board: Vec<String> = rows[rows.len() - 3..].to_vec();
        let xs = board.iter().map(|r| r.matches('X').count()).sum::<usize>();
        let os = board.iter().map(|r| r.matches('O').count()).sum::<usize>();
        // The host's move is in (or none is due yet): it is this side's turn.
        if xs > os || (me_first && xs == os) {
            first_move.get_or_insert(at);
            if let Some((sent, _)) = typed_at.take() {
                round_trips.push(sent.elapsed());
            }
            let free = board
                .iter()
                .flat_map(|r| r.split('|'))
                .map(str::trim)
                .find(|cell| cell.len() == 1 && cell.chars().all(|c| c.is_ascii_digit()));
            if let Some(cell) = free {
                typed_at = Some((std::time::Instant::now(), os));
                joiner.type_line(cell);
            }
        }
    }
    panic!("the game did not end: {:?}", joiner.seen);
}

/// Bytes the computer in `home` sent and received so far, on its one link.
fn bytes_of(net: &Internet, home: Home) -> u64 {
    let text = net.exec(home.computer(), &["cat", "/proc/net/dev"]);
    text.lines()
        .filter(|line| !line.trim_start().starts_with("lo:") && line.contains(':'))
        .filter_map(|line| {
            let fields: Vec<u64> = line
                .split(':')
                .nth(1)?
                .split_whitespace()
                .filter_map(|f| f.parse().ok())
                .collect();
            Some(fields.first()? + fields.get(8)?)
        })
        .sum()
}

/// Figures for docs/PERFORMANCE.md, printed: from opening the invite link to the host's first
/// move on the board, and the move round trip (a move typed until the board with the answer),
/// direct, through the relay and over TCP, and the bytes on home A's link per move. A person
/// (this test typing) joins a host played by the computer.
/// `cargo test --test lab p2p::figures -- --ignored --nocapture`
#[test]
#[ignore = "figures for docs/PERFORMANCE.md, run by hand"]
fn figures() {
    for (label, nats) in [
        ("direct", [Nat::Moderate, Nat::Moderate]),
        ("relayed", [Nat::Strict, Nat::Strict]),
        ("tcp", [Nat::Moderate, Nat::Moderate]),
    ] {
        let Some(mut net) = internet(nats) else {
            return;
        };
        let (_relay, url) = relay(&mut net);
        let (mut host, target) = if label == "tcp" {
            let args = [
                "host",
                "--port",
                "7878",
                "--bot",
                "perfect",
                "--name",
                "Ann",
                "--no-router",
                "--unlisted",
                "--relay",
                "off",
                "--games",
                "3",
            ];
            let host = net.spawn(INTERNET, &args);
            (host, format!("{INTERNET_IP}:7878"))
        } else {
            host_in_b_for(&mut net, &url, "3", "60")
        };
        if label == "tcp" {
            host.expect_line("waiting for a player", Duration::from_secs(15));
        }
        let before = bytes_of(&net, Home::A);
        let mut joiner = net.spawn(
            Home::A.computer(),
            &["join", &target, "--name", "Bob", "--games", "3"],
        );
        let mut firsts = Vec::new();
        let mut round_trips = Vec::new();
        for game in 0..3 {
            // The first player alternates: the host in the first game.
            let (first, trips) = play_one_game_by_hand(&mut joiner, game % 2 == 1);
            firsts.push(first);
            round_trips.extend(trips);
        }
        let bytes = bytes_of(&net, Home::A) - before;
        let moves = round_trips.len() * 2 + 3;
        round_trips.sort();
        let median = round_trips[round_trips.len() / 2];
        let route = joiner
            .seen
            .iter()
            .filter(|(_, l)| l.contains("connected: "))
            .map(|(at, l)| format!("{l} at {:.2} s", at.as_secs_f64()))
            .collect::<Vec<_>>();
        println!(
            "{label}: link to first move {:.2} s; move round trip median {:.0} ms (min {:.0}, max {:.0}, {} moves); {} bytes on home A's link for {moves} moves of 3 games = {} bytes a move; {route:?}",
            firsts[0].as_secs_f64(),
            median.as_secs_f64() * 1000.0,
            round_trips[0].as_secs_f64() * 1000.0,
            round_trips[round_trips.len() - 1].as_secs_f64() * 1000.0,
            round_trips.len(),
            bytes,
            bytes / moves as u64,
        );
        let _ended = net.wait(&joiner, MATCH_LIMIT);
    }
}

#[test]
fn a_relay_that_does_not_answer_never_stalls_a_path_that_works() {
    let Some(mut net) = internet([Nat::Moderate, Nat::Moderate]) else {
        return;
    };
    // A relay at an address nobody has: whatever is sent there is never answered.
    let dead = format!("https://198.51.100.9:3340/#sha256={}", "00".repeat(32));
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
        &dead,
    ];
    let mut host = net.spawn(INTERNET, &args);
    let link = host.expect_value("invite link: ", Duration::from_secs(15));
    let Ok(mut invite) = Invite::parse(&link) else {
        panic!("{link}");
    };
    // Only the peer-to-peer path, with the dead relay named in it.
    invite.addrs.clear();
    if let Some(p2p) = &mut invite.p2p {
        p2p.relay = Some(dead.parse().unwrap());
    }
    let mut joiner = join_from_a(&mut net, &invite.to_link());
    let (at, _) = joiner.expect_line("connected: direct", MATCH_LIMIT);
    println!(
        "direct after {:.2} s beside a relay that never answers",
        at.as_secs_f64()
    );
    drawn(&mut net, &mut joiner);
    drawn(&mut net, &mut host);
}

#[test]
fn a_relay_that_drops_and_corrupts_packets_never_changes_a_game() {
    let Some(mut net) = internet([Nat::Strict, Nat::Strict]) else {
        return;
    };
    let (_relay, url) = relay(&mut net);
    let (mut host, link) = host_in_b_for(&mut net, &url, "4", "60");
    let args = [
        "join",
        link.as_str(),
        "--bot",
        "perfect",
        "--name",
        "Bob",
        "--games",
        "4",
    ];
    let mut joiner = net.spawn(Home::A.computer(), &args);
    joiner.expect_line("connected: through relay", MATCH_LIMIT);
    // From now on the relay's computer loses one packet in ten it sends or receives on the
    // relay's port, and flips a byte in one in ten of the rest: what a broken or hostile relay
    // does to what passes through it. QUIC and TLS see the flipped ones as lost.
    let rules = "table inet hostile {
        chain input { type filter hook input priority 0; tcp dport 3340 numgen random mod 10 == 0 drop; }
        chain output { type filter hook output priority 0; tcp sport 3340 numgen random mod 10 == 0 drop;
            tcp sport 3340 numgen random mod 10 == 0 @th,160,8 set 0x5a; }
    }";
    let file = tempfile::NamedTempFile::new().unwrap();
    std::fs::write(file.path(), rules).unwrap();
    let path = file.path().to_string_lossy().into_owned();
    net.exec(INTERNET, &["nft", "-f", &path]);
    // Every game ends as the rules say (all draws), whether the connection held or resumed;
    // or the match ends with a plain message, never with a game changed.
    joiner.expect_line("match: ", MATCH_LIMIT * 2);
    let status = net.wait(&joiner, MATCH_LIMIT);
    let results: Vec<&String> = joiner
        .seen
        .iter()
        .map(|(_, line)| line)
        .filter(|line| line.contains("result: "))
        .collect();
    assert!(
        results.iter().all(|line| line.contains("result: draw")),
        "{:?}",
        joiner.seen
    );
    if status.success() {
        assert!(joiner.printed("match: 4 games"), "{:?}", joiner.seen);
        let _host_ended = net.wait(&host, MATCH_LIMIT);
    } else {
        host.drain(Duration::from_millis(100));
        println!("ended early: {:?}", joiner.seen.last());
    }
}
