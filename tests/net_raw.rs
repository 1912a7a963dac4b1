//! A whole match played from a plain WebSocket client with raw JSON text, following only
//! `docs/PROTOCOL.md`: no project message types on the client side.

#![expect(clippy::expect_used, reason = "a test fails loudly")]

pub mod net_support;

use net_support::*;
use serde_json::{Value, json};
use tictactoe::game::{Bot, Computer, Level};
use tictactoe::net::HostConfig;

const LINES: [[u64; 3]; 8] = [
    [1, 2, 3],
    [4, 5, 6],
    [7, 8, 9],
    [1, 4, 7],
    [2, 5, 8],
    [3, 6, 9],
    [1, 5, 9],
    [3, 5, 7],
];

fn other(mark: &str) -> &'static str {
    if mark == "x" { "o" } else { "x" }
}

/// The digest as the protocol document defines it: FNV-1a over `BOARD|SIDE|COUNT`.
fn digest(first: &str, moves: &[u64]) -> String {
    let mut board = ['.'; 9];
    let mut mark = first;
    for &cell in moves {
        board[usize::try_from(cell - 1).expect("a cell")] = if mark == "x" { 'X' } else { 'O' };
        mark = other(mark);
    }
    let text = format!(
        "{}|{}|{}",
        board.iter().collect::<String>(),
        mark.to_uppercase(),
        moves.len()
    );
    let hash = text.bytes().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3)
    });
    format!("{hash:016x}")
}

fn finished(first: &str, moves: &[u64]) -> Option<&'static str> {
    for mark in ["x", "o"] {
        let mine: Vec<u64> = moves
            .iter()
            .enumerate()
            .filter(|(i, _)| {
                (if i.is_multiple_of(2) {
                    first
                } else {
                    other(first)
                }) == mark
            })
            .map(|(_, &c)| c)
            .collect();
        if LINES
            .iter()
            .any(|line| line.iter().all(|c| mine.contains(c)))
        {
            return Some(mark);
        }
    }
    (moves.len() == 9).then_some("draw")
}

#[tokio::test]
async fn a_plain_websocket_client_plays_a_whole_match_from_raw_json() {
    let host = start_host(HostConfig {
        driver: Some(Box::new(
            Bot::new(Computer::new(Level::Perfect, 7)).asking_rematch(true),
        )),
        auto_rematch: true,
        ..host_config()
    });
    let mut ws = RawClient::connect(&host_addr(&host)).await;
    ws.send_text(r#"{"type":"hello","protocol":1,"app":"raw-json","name":"Script"}"#)
        .await;
    let welcome = ws.json().await;
    assert_eq!(welcome["type"], "welcome", "{welcome}");
    let me = welcome["you"].as_str().unwrap().to_owned();
    assert_eq!(me, "o");
    let snapshot = &welcome["snapshot"];
    let mut v = snapshot["v"].as_u64().unwrap();
    let mut first = snapshot["state"]["first"].as_str().unwrap().to_owned();
    let mut moves: Vec<u64> = Vec::new();
    assert_eq!(snapshot["digest"], digest(&first, &moves));

    let mut next_id = 1_u64;
    let mut results = Vec::new();
    let mut asked_rematch = false;
    for _ in 0..500 {
        let msg = ws.json().await;
        match msg["type"].as_str().unwrap() {
            "event" => {
                v += 1;
                assert_eq!(msg["v"], v, "events come in order");
                let event = &msg["event"];
                match event["kind"].as_str().unwrap() {
                    "moved" => moves.push(event["cell"].as_u64().unwrap()),
                    "rematch" => {}
                    "new_game" => {
                        first = event["first"].as_str().unwrap().to_owned();
                        moves.clear();
                        asked_rematch = false;
                    }
                    kind => panic!("unexpected event {kind}: {msg}"),
                }
                assert_eq!(msg["digest"], digest(&first, &moves), "{msg}");
            }
            "ack" => continue,
            other => panic!("unexpected message: {msg} ({other})"),
        }
        if let Some(result) = finished(&first, &moves) {
            if !asked_rematch {
                asked_rematch = true;
                results.push(result);
                if results.len() == 3 {
                    break;
                }
                ws.send(json!({"type": "rematch", "id": next_id})).await;
                next_id += 1;
            }
            continue;
        }
        let to_move = if moves.len().is_multiple_of(2) {
            first.as_str()
        } else {
            other(&first)
        };
        if to_move == me {
            let cell = (1..=9).find(|c| !moves.contains(c)).unwrap();
            ws.send(json!({"type": "play", "id": next_id, "cell": cell}))
                .await;
            next_id += 1;
        }
    }
    assert_eq!(results.len(), 3, "three games were played: {results:?}");
    assert!(
        !results.contains(&"o"),
        "a perfect host never loses: {results:?}"
    );

    // The host's own view agrees, and a leave ends the match.
    ws.send(json!({"type": "sync"})).await;
    let snapshot = ws.until("snapshot").await;
    // (The host may already have asked for a rematch: one more event.)
    assert!(snapshot["v"].as_u64().unwrap() >= v, "{snapshot}");
    assert_eq!(snapshot["state"]["game"], 3);
    let score: Value = snapshot["state"]["score"].clone();
    let total = ["x_wins", "o_wins", "draws"]
        .iter()
        .map(|k| score[k].as_u64().unwrap())
        .sum::<u64>();
    assert_eq!(total, 3);
    ws.send(json!({"type": "leave"})).await;
    let left = ws.until("event").await;
    assert_eq!(left["event"], json!({"kind": "left", "player": "o"}));
    assert_eq!(ws.closed().await, Some(1000));
}

#[tokio::test]
async fn a_series_agreed_in_hello_starts_each_next_game_without_a_rematch_message() {
    let host = start_host(HostConfig {
        driver: Some(Box::new(
            Bot::new(Computer::new(Level::Perfect, 3)).asking_rematch(true),
        )),
        auto_rematch: true,
        ..host_config()
    });
    let mut ws = RawClient::connect(&host_addr(&host)).await;
    ws.send_text(
        r#"{"type":"hello","protocol":1,"app":"raw-json","name":"Script","auto_rematch":true}"#,
    )
    .await;
    let welcome = ws.json().await;
    assert_eq!(welcome["type"], "welcome", "{welcome}");
    assert_eq!(welcome["rules"]["auto_rematch"], true, "{welcome}");
    let mut first = "x".to_owned();
    let mut moves: Vec<u64> = Vec::new();
    let mut v = 0;
    let mut next_id = 1_u64;
    let mut games = 0;
    let mut after_game = Vec::new();
    for _ in 0..500 {
        let msg = ws.json().await;
        match msg["type"].as_str().unwrap() {
            "event" => {
                v += 1;
                assert_eq!(msg["v"], v, "events come in order");
                let event = &msg["event"];
                match event["kind"].as_str().unwrap() {
                    "moved" => moves.push(event["cell"].as_u64().unwrap()),
                    "rematch" => after_game.push(event["player"].as_str().unwrap().to_owned()),
                    "new_game" => {
                        // Both players' standing requests, then the next game, unasked.
                        after_game.sort();
                        assert_eq!(after_game, ["o", "x"], "{msg}");
                        after_game.clear();
                        first = event["first"].as_str().unwrap().to_owned();
                        moves.clear();
                        games += 1;
                        if games == 3 {
                            break;
                        }
                    }
                    kind => panic!("unexpected event {kind}: {msg}"),
                }
                assert_eq!(msg["digest"], digest(&first, &moves), "{msg}");
            }
            "ack" => continue,
            other => panic!("unexpected message: {msg} ({other})"),
        }
        if finished(&first, &moves).is_some() {
            continue;
        }
        let to_move = if moves.len().is_multiple_of(2) {
            first.as_str()
        } else {
            other(&first)
        };
        if to_move == "o" {
            let cell = (1..=9).find(|c| !moves.contains(c)).unwrap();
            ws.send(json!({"type": "play", "id": next_id, "cell": cell}))
                .await;
            next_id += 1;
        }
    }
    assert_eq!(games, 3, "three games ended and the fourth began");

    // Without the joiner's consent the host waits for `rematch` as before.
    let host = start_host(HostConfig {
        auto_rematch: true,
        ..host_config()
    });
    let mut ws = RawClient::connect(&host_addr(&host)).await;
    let welcome = ws.hello("Plain").await;
    assert_eq!(welcome["rules"]["auto_rematch"], false, "{welcome}");
}
