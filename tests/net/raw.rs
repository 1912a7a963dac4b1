//! A whole match played from a plain WebSocket client with raw JSON text, following only
//! `docs/PROTOCOL.md`: no project message types on the client side.

#![expect(clippy::expect_used, reason = "a test fails loudly")]

use crate::support::net::*;
use serde_json::{Value, json};
use tictactoe::game::Level;
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

/// The client's own copy of the match, kept from the events it reads, knowing only the protocol.
struct Follower {
    /// Who moves first in the game on.
    first: String,
    /// The game's moves, by cell number.
    moves: Vec<u64>,
    /// The version of the last event.
    v: u64,
    /// The id of the next command sent.
    next_id: u64,
}

impl Follower {
    fn new(first: &str, v: u64) -> Self {
        Self {
            first: first.to_owned(),
            moves: Vec::new(),
            v,
            next_id: 1,
        }
    }

    /// Reads up to the next event (skipping acks), checks that it follows the last one and that
    /// the digest agrees, and applies it; the event.
    async fn next_event(&mut self, ws: &mut RawClient) -> Value {
        loop {
            let msg = ws.json().await;
            match msg["type"].as_str().expect("a type") {
                "event" => {}
                "ack" => continue,
                other => panic!("unexpected message: {msg} ({other})"),
            }
            self.v += 1;
            assert_eq!(msg["v"], self.v, "events come in order");
            let event = msg["event"].clone();
            match event["kind"].as_str().expect("a kind") {
                "moved" => self.moves.push(event["cell"].as_u64().expect("a cell")),
                "rematch" => {}
                "new_game" => {
                    event["first"]
                        .as_str()
                        .expect("a mark")
                        .clone_into(&mut self.first);
                    self.moves.clear();
                }
                kind => panic!("unexpected event {kind}: {msg}"),
            }
            assert_eq!(msg["digest"], digest(&self.first, &self.moves), "{msg}");
            return event;
        }
    }

    /// How the game on has ended, if it has.
    fn finished(&self) -> Option<&'static str> {
        finished(&self.first, &self.moves)
    }

    /// Sends `command` with the next id.
    async fn send(&mut self, ws: &mut RawClient, mut command: Value) {
        command["id"] = json!(self.next_id);
        self.next_id += 1;
        ws.send(command).await;
    }

    /// Plays the first free square when the game is on and `me` is to move.
    async fn play_if_my_turn(&mut self, ws: &mut RawClient, me: &str) {
        let to_move = if self.moves.len().is_multiple_of(2) {
            self.first.as_str()
        } else {
            other(&self.first)
        };
        if self.finished().is_none() && to_move == me {
            let cell = (1..=9)
                .find(|c| !self.moves.contains(c))
                .expect("a free square");
            self.send(ws, json!({"type": "play", "cell": cell})).await;
        }
    }
}

/// A host whose perfect computer (seeded with `seed`) asks for each next game, and a plain
/// WebSocket client connected to it (no `hello` yet).
async fn perfect_series(seed: u64) -> (tictactoe::net::HostHandle, RawClient) {
    let host = start_host(HostConfig {
        driver: computer_asking_rematch(Level::Perfect, seed),
        auto_rematch: true,
        ..host_config()
    });
    let ws = RawClient::connect(&host_addr(&host)).await;
    (host, ws)
}

#[tokio::test]
async fn a_plain_websocket_client_plays_a_whole_match_from_raw_json() {
    let (_host, mut ws) = perfect_series(7).await;
    ws.send_text(r#"{"type":"hello","protocol":1,"app":"raw-json","name":"Script"}"#)
        .await;
    let welcome = ws.json().await;
    assert_eq!(welcome["type"], "welcome", "{welcome}");
    let me = welcome["you"].as_str().unwrap().to_owned();
    assert_eq!(me, "o");
    let snapshot = &welcome["snapshot"];
    let first = snapshot["state"]["first"].as_str().unwrap();
    let mut game = Follower::new(first, snapshot["v"].as_u64().unwrap());
    assert_eq!(snapshot["digest"], digest(first, &[]));

    let mut results = Vec::new();
    let mut asked_rematch = false;
    for _ in 0..500 {
        let event = game.next_event(&mut ws).await;
        if event["kind"] == "new_game" {
            asked_rematch = false;
        }
        if let Some(result) = game.finished() {
            if !asked_rematch {
                asked_rematch = true;
                results.push(result);
                if results.len() == 3 {
                    break;
                }
                game.send(&mut ws, json!({"type": "rematch"})).await;
            }
            continue;
        }
        game.play_if_my_turn(&mut ws, &me).await;
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
    assert!(snapshot["v"].as_u64().unwrap() >= game.v, "{snapshot}");
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
    let (_host, mut ws) = perfect_series(3).await;
    ws.send_text(
        r#"{"type":"hello","protocol":1,"app":"raw-json","name":"Script","auto_rematch":true}"#,
    )
    .await;
    let welcome = ws.json().await;
    assert_eq!(welcome["type"], "welcome", "{welcome}");
    assert_eq!(welcome["rules"]["auto_rematch"], true, "{welcome}");
    let mut game = Follower::new("x", 0);
    let mut games = 0;
    let mut after_game = Vec::new();
    for _ in 0..500 {
        let event = game.next_event(&mut ws).await;
        match event["kind"].as_str() {
            Some("rematch") => after_game.push(event["player"].as_str().unwrap().to_owned()),
            Some("new_game") => {
                // Both players' standing requests, then the next game, unasked.
                after_game.sort();
                assert_eq!(after_game, ["o", "x"], "{event}");
                after_game.clear();
                games += 1;
                if games == 3 {
                    break;
                }
            }
            _ => {}
        }
        game.play_if_my_turn(&mut ws, "o").await;
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

/// Ultimate's digest as the protocol document defines it: `ultimate|BOARD|SIDE|COUNT` over the 81
/// cells in the order of their numbers.
fn ultimate_digest(moves: &[u64]) -> String {
    let mut board = ['.'; 81];
    for (i, &cell) in moves.iter().enumerate() {
        board[usize::try_from(cell - 1).expect("a cell")] =
            if i.is_multiple_of(2) { 'X' } else { 'O' };
    }
    let side = if moves.len().is_multiple_of(2) {
        'X'
    } else {
        'O'
    };
    let text = format!(
        "ultimate|{}|{side}|{}",
        board.iter().collect::<String>(),
        moves.len()
    );
    let hash = text.bytes().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3)
    });
    format!("{hash:016x}")
}

#[tokio::test]
async fn ultimate_from_a_raw_client_as_the_document_says() {
    // The host plays X with the computer; the raw client plays O knowing only the document.
    let host = start_host(HostConfig {
        game: tictactoe::game::Variant::Ultimate,
        driver: computer_asking_rematch(Level::Easy, 3),
        ..host_config()
    });
    let mut ws = RawClient::connect(&host_addr(&host)).await;
    ws.send(json!({"type": "hello", "protocol": 2, "app": "raw", "name": "Raw"}))
        .await;
    let welcome = ws.json().await;
    assert_eq!(welcome["type"], "welcome", "{welcome}");
    assert_eq!(welcome["rules"]["game"], "ultimate", "{welcome}");
    assert_eq!(
        welcome["snapshot"]["state"]["variant"], "ultimate",
        "{welcome}"
    );
    let mut moves: Vec<u64> = Vec::new();
    let mut v = 0;
    let mut next_id = 1;
    // A few rounds: read the host's move, break the sending rule once, then obey it.
    for _ in 0..4 {
        let event = loop {
            let msg = ws.json().await;
            match msg["type"].as_str().expect("a type") {
                "event" => break msg,
                "ack" | "ping" | "snapshot" => {}
                other => panic!("unexpected {other}: {msg}"),
            }
        };
        v += 1;
        assert_eq!(event["v"], v, "{event}");
        let cell = event["event"]["cell"].as_u64().expect("the host's move");
        assert!((1..=81).contains(&cell), "{event}");
        moves.push(cell);
        assert_eq!(event["digest"], ultimate_digest(&moves), "{event}");
        // Cell number = (small board − 1) × 9 + cell: the cell within its small board names the
        // small board O is sent to.
        let sent_to = (cell - 1) % 9;
        let free_in = |board: u64| {
            (board * 9 + 1..=board * 9 + 9)
                .find(|c| !moves.contains(c))
                .expect("a free cell")
        };
        let elsewhere = free_in((sent_to + 1) % 9);
        ws.send(json!({"type": "play", "id": next_id, "cell": elsewhere}))
            .await;
        let refused = ws.json().await;
        assert_eq!(refused["reason"], "wrong_board", "{refused}");
        assert_eq!(
            refused["message"],
            format!("Play in board {}.", sent_to + 1),
            "{refused}"
        );
        assert_eq!(ws.json().await["type"], "snapshot");
        next_id += 1;
        let mine = free_in(sent_to);
        ws.send(json!({"type": "play", "id": next_id, "cell": mine}))
            .await;
        next_id += 1;
        let moved = loop {
            let msg = ws.json().await;
            if msg["type"] == "event" {
                break msg;
            }
        };
        v += 1;
        assert_eq!(moved["event"]["cell"], mine, "{moved}");
        moves.push(mine);
        assert_eq!(moved["digest"], ultimate_digest(&moves), "{moved}");
    }
}
