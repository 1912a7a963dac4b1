//! The peer-to-peer path between two homes, each behind its home router and its ISP's
//! carrier-grade NAT with no port mapped anywhere, 40 ms each way on the internet: a whole bot
//! match from home A to home B through the invite link alone, with `tictactoe relay` on the
//! internet. Two homes whose NATs keep one port per socket go direct; two that pick a new port
//! per destination stay on the relay; a home that lets only TCP out goes through the relay over
//! TCP. Every match a draw (perfect play on both sides).

use std::time::Duration;

use crate::support::internet::{Home, INTERNET, INTERNET_IP, Internet, Nat, unavailable};
use crate::support::lab::{Program, Spawns as _, signal};
use crate::support::skipped;
use tictactoe::net::invite::Invite;
use tictactoe::net::p2p::P2pAddr;

/// The longest a whole match may take here.
const MATCH_LIMIT: Duration = Duration::from_secs(60);

fn internet(nats: [Nat; 2]) -> Option<Internet> {
    (!skipped(unavailable())).then(|| Internet::new(nats))
}

/// The internet with homes behind `nats` and `tictactoe relay` on it: the relay and its URL.
fn with_relay(nats: [Nat; 2]) -> Option<(Internet, Program, String)> {
    let mut net = internet(nats)?;
    let (relay, url) = relay(&mut net);
    Some((net, relay, url))
}

/// `tictactoe relay` on the internet with its files in `home` (a fresh one when `None`), and
/// its URL.
fn relay_at(net: &mut Internet, home: Option<&std::path::Path>) -> (Program, String) {
    let listen = format!("{INTERNET_IP}:3340");
    let args = ["relay", "--listen", &listen];
    let mut relay = match home {
        Some(home) => net.spawn_at(INTERNET, home, &args),
        None => net.spawn(INTERNET, &args),
    };
    let url = relay.expect_value("relay: ", Duration::from_secs(10));
    (relay, url)
}

/// `tictactoe relay` on the internet, and its URL.
fn relay(net: &mut Internet) -> (Program, String) {
    relay_at(net, None)
}

/// `ARGS` of a player played by the computer, perfectly, as `name`, for `games` games.
fn bot<'a>(args: &[&'a str], name: &'a str, games: &'a str) -> Vec<&'a str> {
    let mut all = args.to_vec();
    all.extend(["--bot", "perfect", "--name", name, "--games", games]);
    all
}

/// A host at `place` for `games` games, using `relay`; its invite link.
fn host_at(net: &mut Internet, place: &str, relay: &str, games: &str) -> (Program, String) {
    let own = [
        "host",
        "--port",
        "0",
        "--no-router",
        "--unlisted",
        "--relay",
        relay,
    ];
    let mut host = net.spawn(place, &bot(&own, "Ann", games));
    let link = host.expect_value("invite link: ", Duration::from_secs(15));
    (host, link)
}

/// A joiner in home A given the link alone, for `games` games.
fn joiner_in_a(net: &mut Internet, link: &str, games: &str) -> Program {
    net.spawn(Home::A.computer(), &bot(&["join", link], "Bob", games))
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

/// Waits for `program` to end well, its one game a draw.
fn drawn(net: &mut Internet, program: &mut Program) {
    all_drawn(net, program, 1);
}

/// A match under way, home A joining home B through the relay by the link alone.
struct Under {
    net: Internet,
    relay: Program,
    host: Program,
    joiner: Program,
}

/// Homes behind `nats`, the relay, and a match of `games` games started between them.
fn under_way(nats: [Nat; 2], games: &str) -> Option<Under> {
    let (mut net, relay, url) = with_relay(nats)?;
    let (host, link) = host_at(&mut net, Home::B.computer(), &url, games);
    let joiner = joiner_in_a(&mut net, &link, games);
    Some(Under {
        net,
        relay,
        host,
        joiner,
    })
}

/// One game from home A to home B behind `nats`, through the link alone: both ends say
/// `route` (given the relay's URL) and draw. What the joiner printed, with when.
fn one_game_says(
    nats: [Nat; 2],
    route: impl Fn(&str) -> String,
) -> Option<Vec<(Duration, String)>> {
    let (mut net, _relay, url) = with_relay(nats)?;
    let (mut host, link) = host_at(&mut net, Home::B.computer(), &url, "1");
    assert!(link.contains("key="), "{link}");
    let mut joiner = joiner_in_a(&mut net, &link, "1");
    let (at, _) = joiner.expect_line(&route(&url), MATCH_LIMIT);
    println!("{} after {at:.2?}", route(&url));
    drawn(&mut net, &mut joiner);
    host.expect_line(&route(&url), MATCH_LIMIT);
    drawn(&mut net, &mut host);
    Some(joiner.seen)
}

#[test]
fn two_homes_that_keep_one_port_per_socket_go_direct() {
    one_game_says([Nat::Moderate, Nat::Moderate], |_| {
        "connected: direct".to_owned()
    });
}

#[test]
fn two_homes_that_pick_a_port_per_destination_play_through_the_relay() {
    let through = |url: &str| format!("connected: through relay {url}");
    let Some(seen) = one_game_says([Nat::Strict, Nat::Strict], through) else {
        return;
    };
    let direct = seen
        .iter()
        .any(|(_, line)| line.contains("connected: direct"));
    assert!(!direct, "{seen:?}");
}

#[test]
fn a_home_that_lets_only_tcp_out_plays_through_the_relay() {
    let through = |url: &str| format!("connected: through relay {url}");
    one_game_says([Nat::TcpOnly, Nat::Moderate], through);
}

#[test]
fn the_relay_killed_once_the_path_is_direct_changes_nothing() {
    let Some(mut m) = under_way([Nat::Moderate, Nat::Moderate], "6") else {
        return;
    };
    // Direct on both sides.
    m.joiner.expect_line("connected: direct", MATCH_LIMIT);
    m.host.expect_line("connected: direct", MATCH_LIMIT);
    signal(m.relay.pid, rustix::process::Signal::KILL);
    all_drawn(&mut m.net, &mut m.joiner, 6);
    all_drawn(&mut m.net, &mut m.host, 6);
    // No gap: the connection was never lost.
    assert!(!m.joiner.printed("connection lost"), "{:?}", m.joiner.seen);
}

#[test]
fn the_relay_killed_while_relayed_and_started_again_lets_the_match_resume() {
    let Some(mut net) = internet([Nat::Strict, Nat::Strict]) else {
        return;
    };
    let relay_home = net.home(INTERNET);
    let (relay, url) = relay_at(&mut net, Some(&relay_home));
    let (mut host, link) = host_at(&mut net, Home::B.computer(), &url, "8");
    let mut joiner = joiner_in_a(&mut net, &link, "8");
    joiner.expect_line("connected: through relay", MATCH_LIMIT);
    joiner.expect_line("result: draw", MATCH_LIMIT);
    signal(relay.pid, rustix::process::Signal::KILL);
    let _killed = net.wait(&relay, Duration::from_secs(5));
    joiner.expect_line("connection lost", MATCH_LIMIT);
    // The same relay again: its certificate kept, its URL the same.
    let (_relay, url_again) = relay_at(&mut net, Some(&relay_home));
    assert_eq!(url_again, url);
    all_drawn(&mut net, &mut joiner, 8);
    all_drawn(&mut net, &mut host, 8);
}

#[test]
fn a_computer_answering_at_the_links_address_with_another_key_is_refused() {
    let Some((mut net, _relay, url)) = with_relay([Nat::Moderate, Nat::Moderate]) else {
        return;
    };
    let (_host, link) = host_at(&mut net, Home::B.computer(), &url, "1");
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
        game: tictactoe::game::Variant::Classic,
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
    let refused = lines
        .iter()
        .any(|l| l.contains("does not match the invite link"));
    assert!(refused && !status.success(), "{lines:?}");
}

#[test]
fn twenty_watchers_and_a_joiner_from_one_home_all_get_in() {
    let Some((mut net, _relay, url)) = with_relay([Nat::Moderate, Nat::Moderate]) else {
        return;
    };
    // On the internet: its link holds its TCP address as well as its key.
    let (mut host, link) = host_at(&mut net, INTERNET, &url, "3");
    let mut watchers: Vec<Program> = (0..20)
        .map(|_| net.spawn(Home::A.computer(), &["watch", &link]))
        .collect();
    let mut joiner = joiner_in_a(&mut net, &link, "3");
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
        let (mut host, link) = if label == "tcp" {
            host_at(&mut net, INTERNET, "off", "3")
        } else {
            host_at(&mut net, Home::B.computer(), &url, "3")
        };
        // Over TCP, by the host's address alone.
        let target = if label == "tcp" {
            let port = host.expect_value("listening on 0.0.0.0:", Duration::from_secs(5));
            format!("{INTERNET_IP}:{port}")
        } else {
            link
        };
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
    let (mut host, link) = host_at(&mut net, INTERNET, &dead, "1");
    let Ok(mut invite) = Invite::parse(&link) else {
        panic!("{link}");
    };
    // Only the peer-to-peer path, with the dead relay named in it.
    invite.addrs.clear();
    if let Some(p2p) = &mut invite.p2p {
        p2p.relay = Some(dead.parse().unwrap());
    }
    let mut joiner = joiner_in_a(&mut net, &invite.to_link(), "1");
    let (at, _) = joiner.expect_line("connected: direct", MATCH_LIMIT);
    println!("direct after {at:.2?} beside a relay that never answers");
    drawn(&mut net, &mut joiner);
    drawn(&mut net, &mut host);
}

#[test]
fn a_relay_that_drops_and_corrupts_packets_never_changes_a_game() {
    let Some(mut m) = under_way([Nat::Strict, Nat::Strict], "4") else {
        return;
    };
    m.joiner
        .expect_line("connected: through relay", MATCH_LIMIT);
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
    m.net.exec(INTERNET, &["nft", "-f", &path]);
    // Every game ends as the rules say, all draws, whether the connection held or resumed.
    all_drawn(&mut m.net, &mut m.joiner, 4);
    all_drawn(&mut m.net, &mut m.host, 4);
}
