//! The peer-to-peer path on loopback: a whole match over QUIC dialled by the host's key, the
//! route reported, a link whose key is another computer's refused, and the host still the host
//! of its link after starting again with its kept key. No relay: only 127.0.0.1 is used.

use crate::support::net::*;
use tictactoe::game::{Level, Player};
use tictactoe::net::host::P2pHost;
use tictactoe::net::invite::Invite;
use tictactoe::net::p2p::{Identity, P2pAddr, Relays, Route};
use tictactoe::net::{HostConfig, HostHandle, JoinConfig, NetError, NetEvent, join, no_wake};

/// A host listening on the peer-to-peer path too, with no relay.
fn p2p_host(identity: Identity, config: HostConfig) -> HostHandle {
    start_host(HostConfig {
        p2p: Some(P2pHost {
            identity,
            relays: Relays::Off,
        }),
        ..config
    })
}

/// An invite link to `host` by its key and its loopback UDP ports only (no TCP address).
fn link_to(host: &HostHandle) -> Invite {
    let Some(addr) = host.p2p_addr() else {
        panic!("the host does not listen on the peer-to-peer path");
    };
    let direct = host
        .p2p_local_addrs()
        .into_iter()
        .filter(std::net::SocketAddr::is_ipv4)
        .map(|a| std::net::SocketAddr::from(([127, 0, 0, 1], a.port())))
        .collect();
    Invite {
        name: "Ann".to_owned(),
        game: tictactoe::game::Variant::Classic,
        seat_code: None,
        addrs: vec![],
        p2p: Some(P2pAddr {
            relay: None,
            direct,
            ..addr
        }),
    }
}

/// The next route `handle` reports.
async fn route_of<H: Events>(handle: &mut H, what: &str) -> Route {
    wait_event(handle, what, |event| match event {
        NetEvent::Route(route) => Some(route.clone()),
        _ => None,
    })
    .await
}

#[tokio::test]
async fn a_whole_match_runs_over_the_key_alone() {
    let computer = |seed| computer_asking_rematch(Level::Perfect, seed);
    let host = p2p_host(
        Identity::generate(),
        HostConfig {
            driver: computer(1),
            auto_rematch: true,
            ..host_config()
        },
    );
    let mut joiner = join::start_invite(
        &link_to(&host),
        JoinConfig {
            driver: computer(2),
            auto_rematch: true,
            ..join_config()
        },
        no_wake(),
    );
    let mut host = host;
    let route = route_of(&mut joiner, "the joiner's route").await;
    assert_eq!(
        route,
        Route::Direct {
            through_routers: false
        }
    );
    assert_eq!(route.to_string(), "direct");
    let view = wait_view(&mut joiner, "three games played", |v| {
        v.state.score().games() >= 3
    })
    .await;
    // Perfect play on both sides: every game a draw.
    assert_eq!(view.state.score().draws, view.state.score().games());
    assert_eq!(view.state.name(Player::X), "Ann");
    let host_route = route_of(&mut host, "the host's route").await;
    assert_eq!(
        host_route,
        Route::Direct {
            through_routers: false
        }
    );
}

#[tokio::test]
async fn a_link_whose_key_is_another_computers_is_refused() {
    let host = p2p_host(Identity::generate(), host_config());
    let mut invite = link_to(&host);
    // The same addresses, but the key of somebody else: whoever answers there is not them.
    if let Some(p2p) = &mut invite.p2p {
        p2p.key = Identity::generate().public();
    }
    let mut joiner = join::start_invite(&invite, join_config(), no_wake());
    let error = wait_error(&mut joiner).await;
    println!("{error}");
    assert_eq!(error, NetError::WrongKey);
    drop(host);
}

#[tokio::test]
async fn a_host_started_again_with_its_key_is_the_host_of_its_link() {
    let identity = Identity::generate();
    let first = p2p_host(identity.clone(), host_config());
    let key = first.p2p_addr().unwrap().key;
    drop(first);
    let again = p2p_host(identity, host_config());
    assert_eq!(again.p2p_addr().unwrap().key, key);
    let mut joiner = join::start_invite(&link_to(&again), join_config(), no_wake());
    let mut again = again;
    both_playing(&mut again, &mut joiner).await;
}
