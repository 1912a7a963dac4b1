//! The lab's internet (`tests/support/internet.rs`) is what it says: homes behind two NATs reach
//! it from their ISP's address, 40 ms away each way; a moderate NAT keeps a socket's public port
//! for every destination and a strict one does not, so a hole is punched between two moderate
//! homes and not to a strict one; a TCP-only home gets TCP and DNS out and no other UDP; nothing
//! reaches a home unsolicited; and a whole match is played over it with today's TCP path.
//!
//! Needs root (network namespaces), `nft` and `/dev/net/tun`; skipped with the reason printed
//! elsewhere, a failure on CI.

#![expect(clippy::expect_used, reason = "a test fails loudly")]

use std::io::{Read as _, Write as _};
use std::net::{Ipv4Addr, SocketAddr, TcpListener, TcpStream, UdpSocket};
use std::time::{Duration, Instant};

use crate::support::internet::{
    COMPUTER_IP, Home, INTERNET, INTERNET_DELAY, INTERNET_IP, INTERNET_IP_2, Internet, Nat,
    unavailable,
};
use crate::support::lab::Spawns as _;

/// How long a packet that should arrive may take: a few round trips of the internet on a
/// loaded 2-core machine.
const ARRIVES: Duration = Duration::from_secs(3);

/// How long to wait for a packet that should not arrive: a dozen round trips.
const NEVER_ARRIVES: Duration = Duration::from_secs(1);

/// Long enough for a bot match and a clean exit on a loaded 2-core machine.
const MATCH_LIMIT: Duration = Duration::from_secs(30);

/// The internet with home routers of the kinds `nats`, or `None` when this machine cannot build
/// it (see [`crate::support::skipped`]).
fn internet(nats: [Nat; 2]) -> Option<Internet> {
    (!crate::support::skipped(unavailable())).then(|| Internet::new(nats))
}

/// A UDP socket bound in `place` on `ip` (port chosen by the system unless given).
fn udp(net: &Internet, place: &str, ip: Ipv4Addr, port: u16) -> UdpSocket {
    net.within(place, || UdpSocket::bind((ip, port)))
        .unwrap_or_else(|error| panic!("{place}: UDP {ip}:{port} not bound: {error}"))
}

/// The datagram `socket` receives within `limit`, and where from.
fn receive(socket: &UdpSocket, limit: Duration) -> Option<(Vec<u8>, SocketAddr)> {
    socket
        .set_read_timeout(Some(limit))
        .expect("a read timeout");
    let mut buffer = [0_u8; 1500];
    let (bytes, from) = socket.recv_from(&mut buffer).ok()?;
    Some((buffer[..bytes].to_vec(), from))
}

/// Where `server` sees a datagram from `client` come from, as the server tells it back (a STUN
/// binding in small); `None` when nothing reaches the server within [`NEVER_ARRIVES`].
fn seen_from(client: &UdpSocket, server: &UdpSocket) -> Option<SocketAddr> {
    let to = server.local_addr().expect("the server's address");
    client.send_to(b"where am I?", to).expect("sent");
    let (_, from) = receive(server, NEVER_ARRIVES)?;
    server
        .send_to(from.to_string().as_bytes(), from)
        .expect("answered");
    let (answer, answered_by) = receive(client, ARRIVES)
        .unwrap_or_else(|| panic!("{to} saw {from}, but its answer never came back"));
    assert_eq!(answered_by, to);
    assert_eq!(String::from_utf8_lossy(&answer), from.to_string());
    Some(from)
}

/// Whether `one` and `other` punch a hole to each other, each sending to where the other was
/// seen from the internet, as a peer-to-peer connection does after learning both addresses.
fn punched(one: (&UdpSocket, SocketAddr), other: (&UdpSocket, SocketAddr)) -> bool {
    for _try in 0..3 {
        one.0.send_to(b"punch", other.1).expect("sent");
        other.0.send_to(b"punch", one.1).expect("sent");
        let heard = |(socket, _): (&UdpSocket, SocketAddr), from: SocketAddr| {
            receive(socket, Duration::from_millis(400))
                .is_some_and(|(bytes, came_from)| bytes == b"punch" && came_from == from)
        };
        if heard(one, other.1) && heard(other, one.1) {
            return true;
        }
    }
    false
}

/// The connection `listener` accepts within [`ARRIVES`], and where it came from.
fn accept(listener: &TcpListener) -> (TcpStream, SocketAddr) {
    listener.set_nonblocking(true).expect("nonblocking");
    let deadline = Instant::now() + ARRIVES;
    loop {
        match listener.accept() {
            Ok((stream, from)) => {
                stream.set_nonblocking(false).expect("blocking");
                return (stream, from);
            }
            Err(error) if error.kind() == std::io::ErrorKind::WouldBlock => {
                assert!(
                    Instant::now() < deadline,
                    "nothing to accept within {ARRIVES:?}"
                );
                std::thread::sleep(Duration::from_millis(5));
            }
            Err(error) => panic!("accept: {error}"),
        }
    }
}

/// A TCP connection from `place` to `to`, if one is made within `limit`.
fn connect(net: &Internet, place: &str, to: SocketAddr, limit: Duration) -> Option<TcpStream> {
    net.within(place, || TcpStream::connect_timeout(&to, limit))
        .ok()
}

#[test]
fn each_home_reaches_a_tcp_server_on_the_internet_from_its_isps_address_80_ms_a_round_trip_away() {
    let Some(net) = internet([Nat::Moderate, Nat::Strict]) else {
        return;
    };
    let listener = net
        .within(INTERNET, || TcpListener::bind((INTERNET_IP, 0)))
        .expect("bound");
    let server = listener.local_addr().expect("its address");
    for home in Home::BOTH {
        let mut client = connect(&net, home.computer(), server, ARRIVES)
            .unwrap_or_else(|| panic!("{home:?} did not reach {server}"));
        let (mut seen, from) = accept(&listener);
        assert_eq!(
            from.ip(),
            home.public_ip(),
            "{home:?}: the server sees the ISP's address, not the home router's ({}) or the \
             computer's ({COMPUTER_IP})",
            home.router_isp_ip()
        );
        // One byte there and back: each way crosses one delayed link.
        for stream in [&client, &seen] {
            stream.set_nodelay(true).expect("no delay");
            stream.set_read_timeout(Some(ARRIVES)).expect("a timeout");
        }
        let sent = Instant::now();
        let mut byte = [0_u8];
        client.write_all(b"?").expect("sent");
        seen.read_exact(&mut byte).expect("arrived");
        seen.write_all(b"!").expect("answered");
        client.read_exact(&mut byte).expect("the answer arrived");
        let round_trip = sent.elapsed();
        eprintln!("{home:?}: a TCP round trip to the internet took {round_trip:?}");
        assert!(
            round_trip >= 2 * INTERNET_DELAY,
            "{home:?}: a round trip of {round_trip:?}: the links into the internet do not hold \
             frames {INTERNET_DELAY:?} each way"
        );
    }
}

#[test]
fn a_moderate_nat_keeps_a_sockets_public_port_a_strict_one_does_not_so_only_moderate_homes_punch_a_hole()
 {
    // Two servers on the internet's two addresses tell each home's socket where they see it.
    let public_addresses = |net: &Internet| {
        let servers = [INTERNET_IP, INTERNET_IP_2].map(|ip| udp(net, INTERNET, ip, 3478));
        Home::BOTH.map(|home| {
            let socket = udp(net, home.computer(), Ipv4Addr::UNSPECIFIED, 0);
            let seen = servers.each_ref().map(|server| {
                seen_from(&socket, server)
                    .unwrap_or_else(|| panic!("{home:?}: no UDP reached the internet"))
            });
            assert!(
                seen.iter().all(|addr| addr.ip() == home.public_ip()),
                "{home:?}: seen from {seen:?}"
            );
            let one_port = seen[0].port() == seen[1].port();
            match net.nat(home) {
                Nat::Moderate => assert!(one_port, "{home:?} (moderate): {seen:?}"),
                Nat::Strict => assert!(!one_port, "{home:?} (strict): {seen:?}"),
                Nat::TcpOnly => unreachable!("not in this test"),
            }
            (socket, seen[0])
        })
    };

    let Some(net) = internet([Nat::Moderate, Nat::Moderate]) else {
        return;
    };
    let [a, b] = public_addresses(&net);
    assert!(
        punched((&a.0, a.1), (&b.0, b.1)),
        "two moderate homes did not punch a hole: {a:?}, {b:?}"
    );
    drop((a, b));
    drop(net);

    let Some(net) = internet([Nat::Moderate, Nat::Strict]) else {
        return;
    };
    let [a, b] = public_addresses(&net);
    assert!(
        !punched((&a.0, a.1), (&b.0, b.1)),
        "a moderate and a strict home punched a hole: {a:?}, {b:?}"
    );
}

#[test]
fn a_home_that_lets_only_tcp_out_gets_tcp_and_dns_through_and_no_other_udp() {
    let Some(net) = internet([Nat::Moderate, Nat::TcpOnly]) else {
        return;
    };
    let stun = udp(&net, INTERNET, INTERNET_IP, 3478);
    let dns = udp(&net, INTERNET, INTERNET_IP, 53);
    let listener = net
        .within(INTERNET, || TcpListener::bind((INTERNET_IP, 443)))
        .expect("bound");
    let server = listener.local_addr().expect("its address");

    let socket = udp(&net, Home::A.computer(), Ipv4Addr::UNSPECIFIED, 0);
    assert!(
        seen_from(&socket, &stun).is_some(),
        "the moderate home's UDP goes out"
    );
    let socket = udp(&net, Home::B.computer(), Ipv4Addr::UNSPECIFIED, 0);
    assert_eq!(
        seen_from(&socket, &stun),
        None,
        "the TCP-only home's UDP went out"
    );
    let seen = seen_from(&socket, &dns).expect("the TCP-only home's DNS goes out");
    assert_eq!(seen.ip(), Home::B.public_ip());
    connect(&net, Home::B.computer(), server, ARRIVES).expect("TCP goes out");
    let (_, from) = accept(&listener);
    assert_eq!(from.ip(), Home::B.public_ip());
}

#[test]
fn nothing_reaches_a_home_unsolicited_from_the_internet_or_from_the_other_home() {
    let Some(net) = internet([Nat::Moderate, Nat::Moderate]) else {
        return;
    };
    // Home A serves TCP on port 7878 and has a UDP socket that has talked to a server on the
    // internet (so its NAT holds a mapping for it).
    let listener = net
        .within(Home::A.computer(), || {
            TcpListener::bind((COMPUTER_IP, 7878))
        })
        .expect("bound");
    let server = udp(&net, INTERNET, INTERNET_IP, 3478);
    let socket = udp(&net, Home::A.computer(), Ipv4Addr::UNSPECIFIED, 0);
    let mapped = seen_from(&socket, &server).expect("UDP goes out");

    // TCP to home A's public address, and to its router's address at the ISP, from the
    // internet and from home B: nothing connects (all at once: each can only time out).
    let attempts = [
        (INTERNET, SocketAddr::from((Home::A.public_ip(), 7878))),
        (INTERNET, SocketAddr::from((Home::A.router_isp_ip(), 7878))),
        (
            Home::B.computer(),
            SocketAddr::from((Home::A.public_ip(), 7878)),
        ),
    ];
    std::thread::scope(|scope| {
        for (place, to) in attempts {
            let net = &net;
            std::thread::Builder::new()
                .name(format!("connect-from-{place}"))
                .spawn_scoped(scope, move || {
                    let made = connect(net, place, to, NEVER_ARRIVES);
                    assert!(made.is_none(), "{place} connected to home A at {to}");
                })
                .expect("a thread");
        }
    });
    listener.set_nonblocking(true).expect("nonblocking");
    assert!(listener.accept().is_err(), "home A accepted a connection");

    // UDP to the mapped public port from anywhere but the server it talked to: nothing arrives.
    let other_server = udp(&net, INTERNET, INTERNET_IP_2, 3478);
    let other_home = udp(&net, Home::B.computer(), Ipv4Addr::UNSPECIFIED, 0);
    for stranger in [&other_server, &other_home] {
        stranger.send_to(b"hello", mapped).expect("sent");
    }
    assert_eq!(
        receive(&socket, NEVER_ARRIVES),
        None,
        "an unsolicited datagram reached home A at {mapped}"
    );
    // The server it talked to still gets through: the test above could fail.
    server.send_to(b"still there", mapped).expect("sent");
    let (bytes, _) = receive(&socket, ARRIVES).expect("the server's answer arrives");
    assert_eq!(bytes, b"still there");
}

#[test]
fn a_whole_match_over_tcp_from_a_home_to_a_host_on_the_internet_joined_by_its_invite_link() {
    let Some(mut net) = internet([Nat::Moderate, Nat::Moderate]) else {
        return;
    };
    let mut host = net.spawn(
        INTERNET,
        &[
            "host",
            "--port",
            "7878",
            "--bot",
            "perfect",
            "--name",
            "Ann",
            "--no-router",
            "--unlisted",
        ],
    );
    host.expect_line(
        &format!("your friend can join at {INTERNET_IP}:7878 (public)"),
        Duration::from_secs(5),
    );
    let link = host.expect_value("invite link: ", Duration::from_secs(5));
    let args = ["join", link.as_str(), "--bot", "perfect", "--name", "Bob"];
    let (status, lines) = net.run_to_end(Home::A.computer(), &args, MATCH_LIMIT);
    assert!(status.success(), "{args:?}: {status}, {lines:?}");
    assert!(
        lines.iter().any(|l| l.starts_with("match: 1 games")),
        "{lines:?}"
    );
    assert!(net.wait(&host, MATCH_LIMIT).success(), "{:?}", host.seen);
    host.drain(Duration::from_millis(300));
    // The host saw the joiner come from home A's ISP.
    let took_the_seat = host
        .seen
        .iter()
        .find(|(_, line)| line.contains("the joiner took the seat"))
        .map(|(_, line)| line.clone())
        .unwrap_or_default();
    assert!(
        took_the_seat.contains(&format!("{}:", Home::A.public_ip())),
        "{:?}",
        host.seen
    );
}
