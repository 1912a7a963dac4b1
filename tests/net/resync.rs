//! The joiner against a scripted host: a gap in the versions or a digest that does not match
//! makes it ask for a snapshot, and the host's snapshot wins.

use crate::support::net::*;
use serde_json::{Value, json};
use tictactoe::net::JoinHandle;

fn snapshot(v: u64, digest: &str, moves: &[u64]) -> Value {
    json!({"v": v, "digest": digest, "state": {"x": "Script", "o": "Bob", "game": 1,
        "score": {"x_wins": 0, "o_wins": 0, "draws": 0}, "first": "x", "moves": moves,
        "ended": null, "rematch": [], "over": null}})
}

/// Sends `event`, which the joiner cannot apply: it asks for a snapshot, and adopts the host's
/// (X 5, O 1 at v2, with `digest`).
async fn healed(
    ws: &mut JoinerSide,
    joiner: &mut JoinHandle,
    event: &Value,
    digest: &str,
    what: &str,
) {
    send_json(ws, event).await;
    assert_eq!(next_from_joiner(ws).await, json!({"type": "sync"}));
    let mut msg = snapshot(2, digest, &[5, 1]);
    msg["type"] = json!("snapshot");
    send_json(ws, &msg).await;
    let view = wait_view(joiner, what, |v| v.state.v() == 2).await;
    assert_eq!(view.state.game().moves(), &[cell(5), cell(1)]);
}

#[tokio::test]
async fn gaps_and_digest_mismatches_are_healed_by_the_hosts_snapshot() {
    let (mut joiner, mut ws, hello) = joined_to_script().await;
    assert_eq!(hello["name"], "Bob");
    send_json(&mut ws, &json!({"type": "welcome", "protocol": 1, "app": "script", "you": "o",
        "token": "t", "rules": {"first": "x", "ping_ms": 100, "dead_after_ms": 800, "grace_ms": 600},
        "snapshot": snapshot(0, "ca2b57e4e15671f9", &[])})).await;
    wait_view(&mut joiner, "the first view", |v| v.state.v() == 0).await;

    // X 5, O 1: "O...X....|X|2".
    let digest = tictactoe::game::Game::from_moves(tictactoe::game::Player::X, &[cell(5), cell(1)])
        .unwrap()
        .digest()
        .to_string();
    // A gap: v2 right after v0.
    let gap = json!({"type": "event", "v": 2, "digest": "0000000000000000",
        "event": {"kind": "moved", "player": "x", "cell": 5}});
    healed(&mut ws, &mut joiner, &gap, &digest, "the snapshot adopted").await;

    // The right version but a wrong digest.
    let wrong = json!({"type": "event", "v": 3, "digest": "0123456789abcdef",
        "event": {"kind": "moved", "player": "x", "cell": 9}});
    healed(
        &mut ws,
        &mut joiner,
        &wrong,
        &digest,
        "back to the host's truth",
    )
    .await;

    // A move the joiner's own engine refuses (taken cell) is not applied either.
    let taken = json!({"type": "event", "v": 3, "digest": digest,
        "event": {"kind": "moved", "player": "x", "cell": 1}});
    send_json(&mut ws, &taken).await;
    assert_eq!(next_from_joiner(&mut ws).await, json!({"type": "sync"}));
}
