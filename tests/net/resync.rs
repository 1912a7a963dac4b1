//! The joiner against a scripted host: a gap in the versions or a digest that does not match
//! makes it ask for a snapshot, and the host's snapshot wins; a game this version cannot read
//! ends the join after a few tries, told apart from a server that is not a host at all.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use crate::support::net::*;
use futures_util::{SinkExt as _, StreamExt as _};
use serde_json::{Value, json};
use tictactoe::game::MAX_UNREADABLE;
use tictactoe::net::{JoinHandle, NetError, Stage};
use tokio_tungstenite::tungstenite::Message;

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

/// The welcome a scripted host gives, its snapshot at v0 with `first` as the first player's mark.
fn welcome_with_first(first: &str) -> Value {
    let mut snapshot = snapshot(0, "ca2b57e4e15671f9", &[]);
    snapshot["state"]["first"] = json!(first);
    json!({"type": "welcome", "protocol": 1, "app": "script", "you": "o", "token": "t",
        "rules": {"first": "x", "ping_ms": 100, "dead_after_ms": 800, "grace_ms": 600},
        "snapshot": snapshot})
}

/// The most `hello`s or snapshots a joiner may take before giving up on what it cannot read.
const fn most_tries() -> usize {
    MAX_UNREADABLE as usize
}

/// A scripted host on loopback that answers the `hello` of the connection numbered `n` (from
/// 0) with `answer(n)`, then hangs up or only listens; its address and how many `hello`s it
/// answered.
async fn answering_host(answer: fn(usize) -> Value, hang_up: bool) -> (String, Arc<AtomicUsize>) {
    let (listener, addr) = script_listener().await;
    let hellos = Arc::new(AtomicUsize::new(0));
    let counted = Arc::clone(&hellos);
    tokio::spawn(async move {
        while let Ok((tcp, _)) = listener.accept().await {
            let counted = Arc::clone(&counted);
            tokio::spawn(async move {
                let Ok(mut ws) = tokio_tungstenite::accept_async(tcp).await else {
                    return;
                };
                if let Some(Ok(Message::Text(hello))) = ws.next().await
                    && hello.contains(r#""type":"hello""#)
                {
                    let n = counted.fetch_add(1, Ordering::Relaxed);
                    drop(ws.send(Message::text(answer(n).to_string())).await);
                }
                while !hang_up && matches!(ws.next().await, Some(Ok(_))) {}
            });
        }
    });
    (addr, hellos)
}

#[tokio::test]
async fn a_welcome_this_version_cannot_read_ends_the_join_after_a_few_tries() {
    let (addr, hellos) = answering_host(|_| welcome_with_first("z"), false).await;
    let mut joiner = start_join(&addr, join_config());
    assert_eq!(wait_error(&mut joiner).await, NetError::Unreadable);
    wait_stage(&mut joiner, Stage::Ended).await;
    let tries = hellos.load(Ordering::Relaxed);
    assert!((1..=most_tries()).contains(&tries), "{tries} hellos");
}

#[tokio::test]
async fn something_that_is_not_a_welcome_is_not_a_host_of_this_game() {
    let (addr, hellos) = answering_host(|_| json!({"type": "greeting", "text": "hi"}), false).await;
    let mut joiner = start_join(&addr, join_config());
    assert!(
        matches!(wait_error(&mut joiner).await, NetError::NotAHost { .. }),
        "not a host"
    );
    wait_stage(&mut joiner, Stage::Ended).await;
    assert_eq!(hellos.load(Ordering::Relaxed), 1);
}

#[tokio::test]
async fn a_snapshot_this_version_cannot_read_mid_match_ends_it_after_a_few_tries() {
    let (listener, addr) = script_listener().await;
    let mut joiner = start_join(&addr, join_config());
    let (mut ws, _hello) = accept_joiner(&listener).await;
    send_json(&mut ws, &welcome_with_first("x")).await;
    wait_view(&mut joiner, "the first view", |v| v.state.v() == 0).await;

    // A gap asks for a snapshot; every snapshot the host sends has a mark nobody knows.
    let gap = json!({"type": "event", "v": 2, "digest": "0000000000000000",
        "event": {"kind": "moved", "player": "x", "cell": 5}});
    send_json(&mut ws, &gap).await;
    assert_eq!(next_from_joiner(&mut ws).await, json!({"type": "sync"}));
    let mut unreadable = snapshot(0, "ca2b57e4e15671f9", &[]);
    unreadable["type"] = json!("snapshot");
    unreadable["state"]["first"] = json!("z");
    let mut sent = 0;
    let closed = tokio::time::timeout(LIMIT, async {
        loop {
            ws.send(Message::text(unreadable.to_string()))
                .await
                .unwrap();
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
    assert!((1..=most_tries()).contains(&sent), "{sent} snapshots sent");
    // It does not come back.
    let again =
        tokio::time::timeout(std::time::Duration::from_millis(300), listener.accept()).await;
    assert!(again.is_err(), "the joiner connected again");
}

#[tokio::test]
async fn a_host_that_comes_back_with_a_game_this_version_cannot_read_is_given_up_on() {
    // The first connection is welcomed and then dropped; every later one gets a welcome this
    // version cannot read.
    let (addr, hellos) =
        answering_host(|n| welcome_with_first(if n == 0 { "x" } else { "z" }), true).await;
    let mut joiner = start_join(&addr, join_config());
    wait_view(&mut joiner, "the first view", |v| v.state.v() == 0).await;
    assert_eq!(wait_error(&mut joiner).await, NetError::Unreadable);
    wait_stage(&mut joiner, Stage::Ended).await;
    let tries = hellos.load(Ordering::Relaxed) - 1;
    assert!(
        (1..=most_tries()).contains(&tries),
        "{tries} hellos after the drop"
    );
}
