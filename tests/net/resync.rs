//! The joiner against a scripted host: a gap in the versions or a digest that does not match
//! makes it ask for a snapshot, and the host's snapshot wins.

#![expect(clippy::unwrap_used, reason = "a test fails loudly")]

use crate::support::net::*;
use futures_util::{SinkExt as _, StreamExt as _};
use serde_json::{Value, json};
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
