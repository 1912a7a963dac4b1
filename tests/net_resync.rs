//! The joiner against a scripted host: a gap in the versions or a digest that does not match
//! makes it ask for a snapshot, and the host's snapshot wins; a game this version cannot read
//! ends the join after a few tries, told apart from a server that is not a host at all.

#![expect(clippy::unwrap_used, reason = "a test fails loudly")]

pub mod net_support;

use futures_util::{SinkExt as _, StreamExt as _};
use net_support::*;
use serde_json::{Value, json};
use tictactoe::net::{NetError, Stage};
use tokio_tungstenite::tungstenite::Message;

async fn recv(ws: &mut tokio_tungstenite::WebSocketStream<tokio::net::TcpStream>) -> Value {
    for _ in 0..100 {
        let msg = tokio::time::timeout(LIMIT, ws.next())
            .await
            .unwrap()
            .unwrap()
            .unwrap();
        if let Message::Text(text) = msg {
            let value: Value = serde_json::from_str(&text).unwrap();
            if value["type"] != "ping" && value["type"] != "pong" {
                return value;
            }
        }
    }
    panic!("nothing but heartbeats");
}

fn snapshot(v: u64, digest: &str, moves: &[u64]) -> Value {
    json!({"v": v, "digest": digest, "state": {"x": "Script", "o": "Bob", "game": 1,
        "score": {"x_wins": 0, "o_wins": 0, "draws": 0}, "first": "x", "moves": moves,
        "ended": null, "rematch": [], "over": null}})
}

#[tokio::test]
async fn gaps_and_digest_mismatches_are_healed_by_the_hosts_snapshot() {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap().to_string();
    let mut joiner = start_join(&addr, join_config());
    let (tcp, _) = tokio::time::timeout(LIMIT, listener.accept())
        .await
        .unwrap()
        .unwrap();
    let mut ws = tokio_tungstenite::accept_async(tcp).await.unwrap();
    let hello = recv(&mut ws).await;
    assert_eq!(hello["type"], "hello");
    assert_eq!(hello["name"], "Bob");
    let send = |value: Value| Message::text(value.to_string());
    ws.send(send(json!({"type": "welcome", "protocol": 1, "app": "script", "you": "o",
        "token": "t", "rules": {"first": "x", "ping_ms": 100, "dead_after_ms": 800, "grace_ms": 600},
        "snapshot": snapshot(0, "ca2b57e4e15671f9", &[])})))
        .await
        .unwrap();
    wait_view(&mut joiner, "the first view", |v| v.state.v() == 0).await;

    // A gap: v2 right after v0.
    ws.send(send(
        json!({"type": "event", "v": 2, "digest": "0000000000000000",
        "event": {"kind": "moved", "player": "x", "cell": 5}}),
    ))
    .await
    .unwrap();
    assert_eq!(recv(&mut ws).await, json!({"type": "sync"}));
    // X 5, O 1: "O...X....|X|2".
    let digest = tictactoe::game::Game::from_moves(tictactoe::game::Player::X, &[cell(5), cell(1)])
        .unwrap()
        .digest()
        .to_string();
    let mut msg = snapshot(2, &digest, &[5, 1]);
    msg["type"] = json!("snapshot");
    ws.send(send(msg)).await.unwrap();
    let view = wait_view(&mut joiner, "the snapshot adopted", |v| v.state.v() == 2).await;
    assert_eq!(view.state.game().moves(), &[cell(5), cell(1)]);

    // The right version but a wrong digest.
    ws.send(send(
        json!({"type": "event", "v": 3, "digest": "0123456789abcdef",
        "event": {"kind": "moved", "player": "x", "cell": 9}}),
    ))
    .await
    .unwrap();
    assert_eq!(recv(&mut ws).await, json!({"type": "sync"}));
    let mut msg = snapshot(2, &digest, &[5, 1]);
    msg["type"] = json!("snapshot");
    ws.send(send(msg)).await.unwrap();
    let view = wait_view(&mut joiner, "back to the host's truth", |v| {
        v.state.v() == 2
    })
    .await;
    assert_eq!(view.state.game().moves(), &[cell(5), cell(1)]);

    // A move the joiner's own engine refuses (taken cell) is not applied either.
    ws.send(send(json!({"type": "event", "v": 3, "digest": digest,
        "event": {"kind": "moved", "player": "x", "cell": 1}})))
        .await
        .unwrap();
    assert_eq!(recv(&mut ws).await, json!({"type": "sync"}));
}

/// The welcome a scripted host gives, its snapshot at v0 with `first` as the first player's mark.
fn welcome_with_first(first: &str) -> Value {
    let mut snapshot = snapshot(0, "ca2b57e4e15671f9", &[]);
    snapshot["state"]["first"] = json!(first);
    json!({"type": "welcome", "protocol": 1, "app": "script", "you": "o", "token": "t",
        "rules": {"first": "x", "ping_ms": 100, "dead_after_ms": 800, "grace_ms": 600},
        "snapshot": snapshot})
}

/// A scripted host on loopback that answers every `hello` with `answer` and then only listens;
/// returns its address and how many `hello`s it has answered.
async fn answering_host(answer: Value) -> (String, std::sync::Arc<std::sync::atomic::AtomicUsize>) {
    use std::sync::atomic::{AtomicUsize, Ordering};
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap().to_string();
    let hellos = std::sync::Arc::new(AtomicUsize::new(0));
    let counted = std::sync::Arc::clone(&hellos);
    tokio::spawn(async move {
        while let Ok((tcp, _)) = listener.accept().await {
            let (answer, counted) = (answer.clone(), std::sync::Arc::clone(&counted));
            tokio::spawn(async move {
                let Ok(mut ws) = tokio_tungstenite::accept_async(tcp).await else {
                    return;
                };
                if let Some(Ok(Message::Text(hello))) = ws.next().await
                    && hello.contains(r#""type":"hello""#)
                {
                    counted.fetch_add(1, Ordering::Relaxed);
                    drop(ws.send(Message::text(answer.to_string())).await);
                }
                while let Some(Ok(_)) = ws.next().await {}
            });
        }
    });
    (addr, hellos)
}

#[tokio::test]
async fn a_welcome_this_version_cannot_read_ends_the_join_after_a_few_tries() {
    let (addr, hellos) = answering_host(welcome_with_first("z")).await;
    let mut joiner = start_join(&addr, join_config());
    assert_eq!(wait_error(&mut joiner).await, NetError::Unreadable);
    wait_stage(&mut joiner, Stage::Ended).await;
    let tries = hellos.load(std::sync::atomic::Ordering::Relaxed);
    let most = usize::try_from(tictactoe::game::MAX_UNREADABLE).unwrap();
    assert!((1..=most).contains(&tries), "{tries} hellos");
}

#[tokio::test]
async fn something_that_is_not_a_welcome_is_not_a_host_of_this_game() {
    let (addr, hellos) = answering_host(json!({"type": "greeting", "text": "hi"})).await;
    let mut joiner = start_join(&addr, join_config());
    assert!(
        matches!(wait_error(&mut joiner).await, NetError::NotAHost { .. }),
        "not a host"
    );
    wait_stage(&mut joiner, Stage::Ended).await;
    assert_eq!(hellos.load(std::sync::atomic::Ordering::Relaxed), 1);
}

#[tokio::test]
async fn a_snapshot_this_version_cannot_read_mid_match_ends_it_after_a_few_tries() {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap().to_string();
    let mut joiner = start_join(&addr, join_config());
    let (tcp, _) = tokio::time::timeout(LIMIT, listener.accept())
        .await
        .unwrap()
        .unwrap();
    let mut ws = tokio_tungstenite::accept_async(tcp).await.unwrap();
    assert_eq!(recv(&mut ws).await["type"], "hello");
    let send = |value: Value| Message::text(value.to_string());
    ws.send(send(welcome_with_first("x"))).await.unwrap();
    wait_view(&mut joiner, "the first view", |v| v.state.v() == 0).await;

    // A gap asks for a snapshot; every snapshot the host sends has a mark nobody knows.
    ws.send(send(
        json!({"type": "event", "v": 2, "digest": "0000000000000000",
        "event": {"kind": "moved", "player": "x", "cell": 5}}),
    ))
    .await
    .unwrap();
    assert_eq!(recv(&mut ws).await, json!({"type": "sync"}));
    let mut unreadable = snapshot(0, "ca2b57e4e15671f9", &[]);
    unreadable["type"] = json!("snapshot");
    unreadable["state"]["first"] = json!("z");
    let mut sent = 0;
    let closed = tokio::time::timeout(LIMIT, async {
        loop {
            ws.send(send(unreadable.clone())).await.unwrap();
            sent += 1;
            let asked = loop {
                match ws.next().await {
                    Some(Ok(Message::Text(text))) if text.contains(r#""type":"sync""#) => {
                        break true;
                    }
                    Some(Ok(Message::Close(_)) | Err(_)) | None => break false,
                    Some(Ok(_)) => {}
                }
            };
            if !asked {
                return;
            }
        }
    })
    .await;
    assert!(closed.is_ok(), "the joiner kept asking");
    assert_eq!(wait_error(&mut joiner).await, NetError::Unreadable);
    wait_stage(&mut joiner, Stage::Ended).await;
    let most = usize::try_from(tictactoe::game::MAX_UNREADABLE).unwrap();
    assert!((1..=most).contains(&sent), "{sent} snapshots sent");
    // It does not come back.
    let again =
        tokio::time::timeout(std::time::Duration::from_millis(300), listener.accept()).await;
    assert!(again.is_err(), "the joiner connected again");
}

#[tokio::test]
async fn a_host_that_comes_back_with_a_game_this_version_cannot_read_is_given_up_on() {
    use std::sync::atomic::{AtomicUsize, Ordering};
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap().to_string();
    let hellos = std::sync::Arc::new(AtomicUsize::new(0));
    let counted = std::sync::Arc::clone(&hellos);
    // The first connection is welcomed and then dropped; every later one gets a welcome this
    // version cannot read.
    tokio::spawn(async move {
        while let Ok((tcp, _)) = listener.accept().await {
            let Ok(mut ws) = tokio_tungstenite::accept_async(tcp).await else {
                continue;
            };
            if !matches!(ws.next().await, Some(Ok(Message::Text(_)))) {
                continue;
            }
            let first = if counted.fetch_add(1, Ordering::Relaxed) == 0 {
                "x"
            } else {
                "z"
            };
            drop(
                ws.send(Message::text(welcome_with_first(first).to_string()))
                    .await,
            );
        }
    });
    let mut joiner = start_join(&addr, join_config());
    wait_view(&mut joiner, "the first view", |v| v.state.v() == 0).await;
    assert_eq!(wait_error(&mut joiner).await, NetError::Unreadable);
    wait_stage(&mut joiner, Stage::Ended).await;
    let tries = hellos.load(Ordering::Relaxed) - 1;
    let most = usize::try_from(tictactoe::game::MAX_UNREADABLE).unwrap();
    assert!((1..=most).contains(&tries), "{tries} hellos after the drop");
}
