//! A host turning one address's connections away for their rate says so, and the joiner or the
//! watcher it turns away reads it as such: the upgrade answered `429 Too Many Requests` with
//! `Retry-After`, or past that a reset, ends — once trying again within its bound did not get
//! in — in "the host is busy", never in "nobody is hosting" or a firewall. (People behind one
//! address getting in together is in `tests/cli/network.rs`, with the real binary.)

use std::time::Duration;

use crate::support::net::{
    LIMIT, fast_timing, host_addr, host_config, join_config, start_host, start_join, wait_error,
};
use tictactoe::net::{HostConfig, JoinConfig, Limits, NetError, Timing, join, no_wake};
use tokio_tungstenite::tungstenite;

/// Says the message for `error` is the busy host's, and nothing else's.
fn reads_as_busy(error: &NetError, ip_port: &str) {
    let message = error.to_string();
    assert!(matches!(error, NetError::Busy { .. }), "{error:?}");
    assert!(
        message.starts_with(&format!("The host at {ip_port} is busy")),
        "{message}"
    );
    assert!(message.contains("too many"), "{message}");
    assert!(message.contains("try again"), "{message}");
    assert!(!message.contains("Nobody is hosting"), "{message}");
    assert!(!message.contains("firewall"), "{message}");
}

#[tokio::test]
async fn a_refusal_for_the_address_rate_reads_as_a_busy_host() {
    // Two new connections from an address, never refilled; a connection that stalls keeps its
    // token (one taken in would give it back).
    let host = start_host(HostConfig {
        limits: Limits {
            connection_burst: 2,
            connections_per_second: 0,
            ..Limits::default()
        },
        ..host_config()
    });
    let ip_port = host_addr(&host);
    let stalled = [
        tokio::net::TcpStream::connect(&ip_port).await.unwrap(),
        tokio::net::TcpStream::connect(&ip_port).await.unwrap(),
    ];

    // Over the rate: the upgrade is answered 429, saying when to come back.
    let tcp = tokio::net::TcpStream::connect(&ip_port).await.unwrap();
    let upgrade = tokio_tungstenite::client_async(format!("ws://{ip_port}/"), tcp);
    let Err(tungstenite::Error::Http(response)) =
        tokio::time::timeout(LIMIT, upgrade).await.unwrap()
    else {
        panic!("the upgrade over the rate was not refused with an answer");
    };
    assert_eq!(response.status(), 429);
    let retry_after = response.headers()["retry-after"].to_str().unwrap();
    assert!(retry_after.parse::<u64>().unwrap() >= 1, "{retry_after}");

    // A watcher told to come back later than it would wait says at once that the host is busy.
    let patient = || Timing {
        give_up_busy_after: Duration::from_secs(1),
        ..fast_timing()
    };
    let config = JoinConfig {
        timing: patient(),
        ..join_config()
    };
    let mut watcher = join::watch(&ip_port, config, no_wake());
    let error = wait_error(&mut watcher).await;
    reads_as_busy(&error, &ip_port);
    assert!(
        matches!(error, NetError::Busy { retry_after: Some(wait), .. } if wait >= Duration::from_secs(1)),
        "{error:?}"
    );

    // Past the answers an address is given, connections are reset at once: a joiner tries again
    // for its while, then says the same.
    let config = JoinConfig {
        timing: patient(),
        ..join_config()
    };
    let mut joiner = start_join(&ip_port, config);
    let error = wait_error(&mut joiner).await;
    reads_as_busy(&error, &ip_port);
    assert_eq!(
        error,
        NetError::Busy {
            ip_port: ip_port.clone(),
            retry_after: None
        }
    );
    drop(stalled);
}
