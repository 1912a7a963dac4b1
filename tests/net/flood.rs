//! A crowd cannot block a match: with a thousand hostile connections from loopback addresses
//! (idle WebSocket connections, half-open HTTP, idle TCP, WebSocket ping floods, reopened as they close), a
//! joiner gets in on its first try and a seated joiner that drops for 12 s takes its seat back.
//! The same crowd's cost to a bot match is measured in `cargo bench --bench net`.

#![expect(clippy::unwrap_used, reason = "a test fails loudly")]

use std::time::Duration;

use crate::support::flood::Flood;
use crate::support::net::{Proxy, cell, host_config, join_config, start_host, start_join};
use crate::support::net::{wait_away, wait_stage, wait_view};
use tictactoe::game::Intent;
use tictactoe::net::{HostConfig, JoinConfig, NetEvent, Presence, Stage, Timing};

/// The timings people get (the hello deadline, the seat held 60 s), with a quicker heartbeat
/// and reconnection so the test spends its time on the 12 s the link is down.
fn patient_timing() -> Timing {
    Timing {
        ping_every: Duration::from_millis(500),
        dead_after: Duration::from_secs(2),
        give_up_after: Duration::from_secs(45),
        backoff_first: Duration::from_millis(200),
        backoff_max: Duration::from_secs(1),
        ..Timing::default()
    }
}

/// Raises this process's open-file limit for a thousand connections and their other ends.
fn allow_many_files() {
    use rustix::process::{Resource, getrlimit, setrlimit};
    let limit = getrlimit(Resource::Nofile);
    let wanted = limit.maximum.map_or(8192, |max| max.min(8192));
    if limit.current.is_some_and(|current| current < wanted) {
        let raised = rustix::process::Rlimit {
            current: Some(wanted),
            maximum: limit.maximum,
        };
        setrlimit(Resource::Nofile, raised).unwrap();
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_thousand_hostile_connections_block_neither_a_new_joiner_nor_a_returning_one() {
    crate::support::take_the_machine_alone();
    allow_many_files();
    let mut host = start_host(HostConfig {
        timing: patient_timing(),
        ..host_config()
    });
    let addr: std::net::SocketAddr = format!("127.0.0.1:{}", host.port()).parse().unwrap();
    let flood = Flood::start(addr, 1000);
    // Let the crowd fill every slot first.
    tokio::time::sleep(Duration::from_millis(1500)).await;
    let opened = flood.opened.load(std::sync::atomic::Ordering::Relaxed);
    assert!(opened >= 1000, "the crowd opened {opened} connections");

    // A joiner gets in, through a link that can be cut.
    let proxy = Proxy::start(addr).await;
    let mut joiner = start_join(
        &proxy.ip_port(),
        JoinConfig {
            timing: patient_timing(),
            ..join_config()
        },
    );
    let connects = wait_connects(&mut joiner).await;
    assert_eq!(connects, 1, "the joiner got in on its first try");
    wait_stage(&mut host, Stage::Playing).await;
    host.try_send(Intent::Play(cell(5))).unwrap();
    let before = wait_view(&mut joiner, "the host's move", |v| v.state.v() == 1).await;

    // The seated joiner's link goes down for 12 s, while the crowd goes on.
    proxy.set_down(true);
    wait_away(&mut host, "the joiner away").await;
    tokio::time::sleep(Duration::from_secs(12)).await;
    proxy.set_down(false);
    let back = wait_view(&mut host, "the joiner back", |v| {
        v.opponent == Presence::Connected
    })
    .await;
    assert_eq!(back.state.v(), 1);
    let after = wait_view(&mut joiner, "the joiner playing again", |v| {
        v.connected && v.state.v() == 1
    })
    .await;
    assert_eq!(after.state, before.state, "the game goes on where it was");
    joiner.try_send(Intent::Play(cell(1))).unwrap();
    wait_view(&mut host, "the joiner's move", |v| v.state.v() == 2).await;
    flood.stop().await;
}

/// How many times the joiner opened a connection before it was playing.
async fn wait_connects(joiner: &mut tictactoe::net::JoinHandle) -> usize {
    let mut connects = 0;
    crate::support::net::wait_event(joiner, "the joiner playing", |event| match event {
        NetEvent::Stage(Stage::Connecting { .. }) => {
            connects += 1;
            None
        }
        NetEvent::Stage(Stage::Playing) => Some(()),
        NetEvent::Error(error) => panic!("{error}"),
        _ => None,
    })
    .await;
    connects
}
