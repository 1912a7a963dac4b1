//! Reaching a friend beyond the room, with the real binary in a home network made of network
//! namespaces (`tests/support/lab.rs`): games found on the LAN by DNS-SD and joined from the
//! list; the router (Debian's miniupnpd) forwarding the host's port to a friend on the "WAN",
//! by NAT-PMP/PCP and by UPnP; the mapping gone when hosting ends, Ctrl+C included; a stale
//! mapping replaced; and each way it fails saying so.
//!
//! Needs root (network namespaces), `nft` and `miniupnpd-nftables`; skipped with the reason
//! printed elsewhere, a failure on CI (`.ci/run` installs them).

use std::time::Duration;

use crate::support::lab::{Daemon, HOST_IP, Lab, Program, Spawns as _, Wan, signal, unavailable};
use rustix::process::Signal;

/// Long enough for a bot match and a clean exit on a loaded 2-core machine.
const MATCH_LIMIT: Duration = Duration::from_secs(30);

/// The router attempt is bounded at 3 s; this allows for a loaded machine starting the binary.
const ROUTER_LIMIT: Duration = Duration::from_secs(6);

/// The home network with the router answering as `daemon` on the WAN `wan`, or `None` when
/// this machine cannot build it (see [`crate::support::skipped`]).
fn lab(daemon: Daemon, wan: Wan) -> Option<Lab> {
    let missing = unavailable(daemon != Daemon::None);
    (!crate::support::skipped(missing)).then(|| Lab::new(daemon, wan))
}

/// Ann hosts on `lan-a` at `port`, her computer playing perfectly, with `more` options.
fn ann_hosts(lab: &mut Lab, port: &str, more: &[&str]) -> Program {
    let args = [
        &["host", "--port", port, "--bot", "perfect", "--name", "Ann"],
        more,
    ]
    .concat();
    lab.spawn("a", &args)
}

/// Runs `tictactoe join ARGS` on `computer` to its end: a whole match, after which `host` ends
/// well too. What the joiner printed.
fn a_whole_match(lab: &mut Lab, computer: &str, args: &[&str], host: &Program) -> Vec<String> {
    let (status, lines) = lab.run_to_end(computer, args, MATCH_LIMIT);
    assert!(status.success(), "{args:?}: {status}, {lines:?}");
    assert!(
        lines.iter().any(|l| l.starts_with("match: 1 games")),
        "{args:?}: {lines:?}"
    );
    assert!(lab.wait(host, MATCH_LIMIT).success(), "{:?}", host.seen);
    lines
}

/// The ADDR of the first `game: NAME at ADDR` line naming `name`.
fn address_of(lines: &[String], name: &str) -> Option<String> {
    lines.iter().find_map(|line| {
        let rest = line.strip_prefix(&format!("game: {name} at "))?;
        Some(rest.split_whitespace().next()?.to_owned())
    })
}

#[test]
fn a_lan_game_is_found_within_2_s_joined_from_the_list_and_offered_only_to_watch_once_taken() {
    let Some(mut lab) = lab(Daemon::None, Wan::Public) else {
        return;
    };

    // Found within 2 s of starting to host: `find` runs its default 2 s as the host starts.
    let mut host = ann_hosts(&mut lab, "7878", &["--no-router"]);
    host.expect_line("waiting for a player to join", Duration::from_secs(5));
    let (status, lines) = lab.run_to_end("b", &["find"], Duration::from_secs(10));
    assert!(status.success(), "find: {status}, {lines:?}");
    let ip_port = address_of(&lines, "Ann").unwrap_or_else(|| panic!("Ann not found: {lines:?}"));
    assert_eq!(ip_port, format!("{HOST_IP}:7878"));

    // Joined with the address exactly as printed: a whole match.
    let args = ["join", &ip_port, "--bot", "perfect", "--name", "Bob"];
    a_whole_match(&mut lab, "b", &args, &host);

    // A person hosting (typing nothing yet) keeps the match open once the seat is taken. A
    // `find` of 4 s sees the game; 1.5 s in, Bob takes the seat; by its end, ≤ 2.5 s later,
    // the game is no longer offered to join: it has gone from the list, or is listed again only
    // to watch.
    let mut host = lab.spawn(
        "a",
        &["host", "--port", "7879", "--name", "Cy", "--no-router"],
    );
    host.expect_line("waiting for a player to join", Duration::from_secs(5));
    let (status, lines) = lab.run_to_end("b", &["find"], Duration::from_secs(10));
    assert!(
        status.success() && address_of(&lines, "Cy").is_some(),
        "{lines:?}"
    );
    let mut finder = lab.spawn("b", &["find", "--seconds", "4"]);
    std::thread::sleep(Duration::from_millis(1500));
    let joiner = lab.spawn(
        "b",
        &[
            "join",
            &format!("{HOST_IP}:7879"),
            "--bot",
            "perfect",
            "--name",
            "Dee",
        ],
    );
    host.expect_line("X: Cy, O: Dee", Duration::from_secs(10));
    let status = lab.wait(&finder, Duration::from_secs(10));
    finder.drain(Duration::from_millis(300));
    assert!(status.success());
    let to_join = |line: &str| line.starts_with("game: Cy at ") && !line.contains("(being played");
    assert!(
        !finder.seen.iter().any(|(_, line)| to_join(line))
            && (finder.printed("no games found on this network")
                || finder.printed(&format!(
                    "game: Cy at {HOST_IP}:7879 (being played: watch it with tictactoe watch {HOST_IP}:7879)"
                ))),
        "the taken game is still offered to join: {:?}",
        finder.seen
    );
    // The host's person leaves (input ends): both sides end.
    host.close_stdin();
    lab.wait(&host, MATCH_LIMIT);
    lab.wait(&joiner, MATCH_LIMIT);
}

/// Hosts in the LAN with the router's daemon serving `daemon`; a friend on the WAN joins by the
/// internet address printed; afterwards the router holds no mapping.
fn friend_on_the_internet_joins(daemon: Daemon) {
    let Some(mut lab) = lab(daemon, Wan::Public) else {
        return;
    };
    let mut host = ann_hosts(&mut lab, "7878", &[]);
    let (local_at, _) = host.expect_line(
        &format!("your friend can join at {HOST_IP}:7878 (local network)"),
        Duration::from_secs(5),
    );
    let (open_at, line) = host.expect_line("(internet)", ROUTER_LIMIT);
    assert_eq!(
        line,
        "your friend can join at 203.0.113.1:7878 (internet)",
        "{:?}",
        lab.daemon_log()
    );
    let (_, code) = host.expect_line("seat code: ", Duration::from_secs(1));
    let code = code.trim_start_matches("seat code: ").to_owned();
    eprintln!("{daemon:?}: local addresses after {local_at:?}, internet address after {open_at:?}");
    assert!(local_at <= open_at);
    assert_eq!(lab.mappings(7878), 1, "one mapping while hosting");

    // Without the seat code, the friend is refused; with it, a whole match.
    let (status, lines) = lab.run_to_end(
        "wan",
        &["join", "203.0.113.1:7878", "--bot", "perfect"],
        MATCH_LIMIT,
    );
    assert!(
        !status.success() && lines.iter().any(|l| l.contains("Wrong seat code")),
        "{lines:?}"
    );
    let args = [
        "join",
        "203.0.113.1:7878",
        "--bot",
        "perfect",
        "--seat-code",
        &code,
        "--name",
        "Wes",
    ];
    a_whole_match(&mut lab, "wan", &args, &host);
    assert_eq!(
        lab.mappings(7878),
        0,
        "the mapping is gone after hosting ends: {}",
        lab.daemon_log()
    );
}

#[test]
fn a_friend_on_the_internet_joins_through_a_nat_pmp_or_pcp_mapping() {
    friend_on_the_internet_joins(Daemon::NatPmpPcp);
}

#[test]
fn a_friend_on_the_internet_joins_through_a_upnp_mapping() {
    friend_on_the_internet_joins(Daemon::Upnp);
}

#[test]
fn ctrl_c_removes_the_mapping_and_a_killed_hosts_mapping_is_replaced_not_doubled() {
    if crate::support::skipped(unavailable(true)) {
        return;
    }
    for daemon in [Daemon::NatPmpPcp, Daemon::Upnp] {
        let mut lab = Lab::new(daemon, Wan::Public);
        // A host killed outright leaves its mapping behind…
        let mut first = lab.spawn("a", &["host", "--port", "7878", "--bot", "perfect"]);
        first.expect_line("(internet)", ROUTER_LIMIT);
        signal(first.pid, Signal::KILL);
        lab.wait(&first, Duration::from_secs(5));
        assert_eq!(
            lab.mappings(7878),
            1,
            "{daemon:?}: the killed host's mapping stays"
        );
        // … which the next host on that port replaces, on the same internet port.
        let mut second = lab.spawn("a", &["host", "--port", "7878", "--bot", "perfect"]);
        let (_, line) = second.expect_line("(internet)", ROUTER_LIMIT);
        assert_eq!(
            line, "your friend can join at 203.0.113.1:7878 (internet)",
            "{daemon:?}"
        );
        assert_eq!(
            lab.mappings(7878),
            1,
            "{daemon:?}: replaced, not doubled: {}",
            lab.daemon_log()
        );
        // Ctrl+C: the host removes it before it exits.
        signal(second.pid, Signal::INT);
        let status = lab.wait(&second, Duration::from_secs(5));
        assert_eq!(status.code(), Some(130), "{daemon:?}: {:?}", second.seen);
        assert_eq!(
            lab.mappings(7878),
            0,
            "{daemon:?}: the mapping is gone after Ctrl+C"
        );
    }
}

/// Hosts with the router answering as `daemon` on a WAN `wan`; returns the router line and
/// checks that the local addresses came first, at once. `None` when the machine cannot.
fn router_message(daemon: Daemon, wan: Wan) -> Option<String> {
    let mut lab = lab(daemon, wan)?;
    let mut host = lab.spawn("a", &["host", "--port", "7878", "--bot", "perfect"]);
    let (local_at, _) = host.expect_line(
        &format!("your friend can join at {HOST_IP}:7878 (local network)"),
        Duration::from_secs(5),
    );
    host.expect_line("waiting for a player to join", Duration::from_secs(1));
    let (at, line) = host.expect_line("can still join with the invite link", ROUTER_LIMIT);
    eprintln!(
        "{daemon:?} {wan:?}: local addresses after {local_at:?}, router message after {at:?}"
    );
    assert!(!host.printed("(internet)"), "{:?}", host.seen);
    assert!(
        !host.printed("seat code:"),
        "no code without an open port: {:?}",
        host.seen
    );
    assert_eq!(lab.mappings(7878), 0);
    // The local network still works: a LAN friend joins and plays.
    let (status, lines) = lab.run_to_end(
        "b",
        &["join", &format!("{HOST_IP}:7878"), "--bot", "perfect"],
        MATCH_LIMIT,
    );
    assert!(status.success(), "{lines:?}");
    lab.wait(&host, MATCH_LIMIT);
    Some(line)
}

/// With the router answering as `daemon`, no port is opened: the host's line about it starts
/// with `opening` and says which port to forward by hand, to which address.
fn forward_it_by_hand(daemon: Daemon, opening: &str) {
    let Some(line) = router_message(daemon, Wan::Public) else {
        return;
    };
    assert!(line.starts_with(opening), "{line}");
    assert!(
        line.contains("port 7878 (TCP) to this computer's address 192.168.77.2"),
        "{line}"
    );
}

#[test]
fn no_router_answering_says_so_and_what_to_do_within_the_bound() {
    forward_it_by_hand(
        Daemon::None,
        "No router answered the request to open port 7878",
    );
}

#[test]
fn a_refusing_router_says_it_refused() {
    forward_it_by_hand(Daemon::Refusing, "The router refused to open port 7878");
}

#[test]
fn a_router_behind_carrier_grade_nat_says_hosting_cannot_reach_the_internet() {
    let Some(line) = router_message(Daemon::NatPmpPcp, Wan::Shared) else {
        return;
    };
    assert!(line.contains("carrier-grade NAT"), "{line}");
    assert!(
        line.contains("cannot be reached from the internet"),
        "{line}"
    );
    let line = router_message(Daemon::Upnp, Wan::Shared).unwrap_or_default();
    assert!(line.contains("carrier-grade NAT"), "{line}");
}

#[test]
fn ipv6_as_people_type_it_a_link_local_address_with_its_zone_and_a_global_one() {
    let Some(mut lab) = lab(Daemon::None, Wan::Public) else {
        return;
    };
    // A global IPv6 prefix on the home network (the documentation range): no NAT there, so the
    // host lists its address for a friend to type.
    lab.add_address("a", "2001:db8:77::2/64");
    lab.add_address("b", "2001:db8:77::3/64");
    let link_local = lab.link_local("a");
    let unknown_zone = format!("[{link_local}%nosuch0]:7878");
    let plays = [
        // Bracketed with a port, bare with the default port, and the global address.
        (format!("[{link_local}%eth0]:7878"), "7878"),
        (format!("{link_local}%eth0"), "7878"),
        ("[2001:db8:77::2]:7879".to_owned(), "7879"),
    ];
    for (round, (typed, port)) in plays.iter().enumerate() {
        let mut host = ann_hosts(&mut lab, port, &["--no-router", "--unlisted"]);
        host.expect_line("waiting for a player to join", Duration::from_secs(5));
        assert!(
            host.printed(&format!("your friend can join at [2001:db8:77::2]:{port}")),
            "the global IPv6 address is listed: {:?}",
            host.seen
        );
        if round == 0 {
            // A zone naming no interface of the joiner's is refused, saying what goes there.
            let (status, lines) =
                lab.run_to_end("b", &["join", &unknown_zone, "--name", "Bob"], MATCH_LIMIT);
            assert!(!status.success(), "{lines:?}");
            assert!(
                lines
                    .iter()
                    .any(|l| l.contains("no network interface called nosuch0")),
                "{lines:?}"
            );
        }
        let args = ["join", typed, "--bot", "perfect", "--name", "Bob"];
        a_whole_match(&mut lab, "b", &args, &host);
    }
}

#[test]
fn an_invite_link_printed_by_the_host_plays_a_match_from_the_other_computer() {
    let Some(mut lab) = lab(Daemon::None, Wan::Public) else {
        return;
    };
    let mut host = ann_hosts(
        &mut lab,
        "7878",
        &["--seat-code", "K7QM-3XRD", "--no-router", "--unlisted"],
    );
    let link = host.expect_value("invite link: ", Duration::from_secs(5));
    assert!(link.starts_with("tictactoe://join?"), "{link}");
    assert!(link.contains(&format!("addr={HOST_IP}%3A7878")), "{link}");
    // The link carries the seat code: nothing else is typed.
    let args = ["join", &link, "--bot", "perfect", "--name", "Bob"];
    let lines = a_whole_match(&mut lab, "b", &args, &host);
    assert!(lines.iter().any(|l| l == "joining Ann"), "{lines:?}");
    // Every path of the link was tried at once; on one network, the host's address answered.
    assert!(lines.iter().any(|l| l == "connected: direct"), "{lines:?}");

    // A link someone tampered with is refused before anything connects.
    let (status, lines) = lab.run_to_end(
        "b",
        &["join", "tictactoe://join?addr=192.168.77.2:7878;reboot"],
        MATCH_LIMIT,
    );
    assert_eq!(status.code(), Some(1), "{lines:?}");
    assert!(
        lines.iter().any(|l| l.contains("which is not an address")),
        "{lines:?}"
    );
}
