//! A host that rewrites what the joiner saw: a changed move, an ending that did not happen, a
//! score the games do not add up to, a history whose hash chain differs. The joiner takes the
//! host's word, says how it changed, and keeps it with the game in its history; an honest host
//! never causes a dispute.

#![expect(clippy::unwrap_used, reason = "a test fails loudly")]

use std::time::Duration;

use crate::support::cli::{history_file, tictactoe};
use crate::support::net::*;
use serde_json::{Value, json};
use tictactoe::game::{Cell, Chain, Event, Game, Player};
use tictactoe::net::{JoinHandle, NetEvent};

/// A scripted host: it keeps its own honest version of the moves, and can lie.
struct Script {
    ws: JoinerSide,
    moves: Vec<u64>,
    chain: Chain,
    v: u64,
}

impl Script {
    /// Accepts the joiner's connection on `listener` and welcomes it as O at v0.
    async fn accept(listener: &tokio::net::TcpListener) -> Self {
        let (ws, _) = accept_joiner(listener).await;
        Self::welcome(ws).await
    }

    /// Welcomes the joiner on `ws` as O at v0.
    async fn welcome(ws: JoinerSide) -> Self {
        let mut script = Self {
            ws,
            moves: Vec::new(),
            chain: Chain::START,
            v: 0,
        };
        let snapshot = script.snapshot(&json!({"x_wins": 0, "o_wins": 0, "draws": 0}));
        script
            .send(
                json!({"type": "welcome", "protocol": 1, "app": "script", "you": "o",
                "token": "t", "rules": {"first": "x", "ping_ms": 100, "dead_after_ms": 800,
                "grace_ms": 600}, "snapshot": snapshot}),
            )
            .await;
        script
    }

    async fn send(&mut self, value: Value) {
        send_json(&mut self.ws, &value).await;
    }

    /// Sends its own snapshot, with `score` in it, as a `snapshot` message.
    async fn send_snapshot(&mut self, score: &Value) {
        let mut snapshot = self.snapshot(score);
        snapshot["type"] = json!("snapshot");
        self.send(snapshot).await;
    }

    fn game(&self) -> Game {
        let cells: Vec<Cell> = self
            .moves
            .iter()
            .map(|&n| Cell::from_number(i64::try_from(n).unwrap()).unwrap())
            .collect();
        Game::from_moves(Player::X, &cells).unwrap()
    }

    fn snapshot(&self, score: &Value) -> Value {
        json!({"v": self.v, "digest": self.game().digest().to_string(),
            "chain": self.chain.to_string(),
            "state": {"x": "Script", "o": "Bob", "game": 1, "score": score, "first": "x",
                "moves": self.moves, "ended": null, "rematch": [], "over": null}})
    }

    /// Sends `event` as the next one, honestly: version, digest and chain follow it.
    async fn event(&mut self, event: Event) {
        if let Event::Moved { cell, .. } = event {
            self.moves.push(u64::from(cell.number()));
        }
        self.v += 1;
        self.chain = self.chain.after(&event);
        let value = json!({"type": "event", "v": self.v, "digest": self.game().digest().to_string(),
            "chain": self.chain.to_string(), "event": serde_json::to_value(event).unwrap()});
        self.send(value).await;
    }

    /// Reads until a `play` from the joiner, answering its pings, and confirms it honestly.
    async fn take_play(&mut self) {
        loop {
            let msg = next_from_joiner(&mut self.ws).await;
            if msg["type"] == "play" {
                let cell = Cell::from_number(msg["cell"].as_i64().unwrap()).unwrap();
                self.event(Event::Moved {
                    player: Player::O,
                    cell,
                })
                .await;
                let ack = json!({"type": "ack", "id": msg["id"], "v": self.v});
                self.send(ack).await;
                return;
            }
        }
    }
}

fn x(n: i64) -> Event {
    Event::Moved {
        player: Player::X,
        cell: Cell::from_number(n).unwrap(),
    }
}

/// A joiner playing O against a scripted host; it plays cell `o` when asked.
async fn joined() -> (JoinHandle, Script) {
    let (joiner, ws, _) = joined_to_script().await;
    (joiner, Script::welcome(ws).await)
}

/// [`joined`], with X on the centre and O's answer in the top left corner taken.
#[expect(clippy::unwrap_used, reason = "a test fails loudly")]
async fn centre_and_corner() -> (JoinHandle, Script) {
    let (mut joiner, mut script) = joined().await;
    script.event(x(5)).await;
    wait_view(&mut joiner, "X's move", |v| v.state.v() == 1).await;
    joiner
        .try_send(tictactoe::game::Intent::Play(cell(1)))
        .unwrap();
    script.take_play().await;
    (joiner, script)
}

/// Waits for the joiner's dispute; returns its text.
async fn dispute(joiner: &mut JoinHandle) -> String {
    wait_event(joiner, "a dispute", |event| match event {
        NetEvent::Dispute(what) => Some(what.clone()),
        _ => None,
    })
    .await
}

/// Fails if a dispute comes before the joiner's view reaches `v`.
async fn no_dispute_until(joiner: &mut JoinHandle, v: u64) {
    wait_event(
        joiner,
        &format!("v{v} without a dispute"),
        |event| match event {
            NetEvent::Dispute(what) => panic!("an honest host, yet: {what}"),
            NetEvent::State(view) if view.state.v() >= v => Some(()),
            _ => None,
        },
    )
    .await;
}

#[tokio::test]
async fn a_changed_move_is_taken_said_and_both_versions_given() {
    let (mut joiner, mut script) = centre_and_corner().await;
    script.event(x(9)).await;
    no_dispute_until(&mut joiner, 3).await;
    // The host now says O played 2, not 1, and sends the snapshot to prove it.
    script.moves = vec![5, 2, 9];
    script
        .send_snapshot(&json!({"x_wins": 0, "o_wins": 0, "draws": 0}))
        .await;
    let what = dispute(&mut joiner).await;
    assert_eq!(
        what,
        "The host changed the game: game 1: you saw the moves 5 1 9, it now says 5 2 9."
    );
    let view = wait_view(&mut joiner, "the host's word", |v| {
        v.state.game().moves().get(1) == Some(&cell(2))
    })
    .await;
    assert_eq!(view.state.v(), 3);
}

#[tokio::test]
async fn endings_that_did_not_happen_are_said() {
    for (event, said) in [
        (
            Event::Resigned { player: Player::O },
            "it says you resigned, which did not happen",
        ),
        (
            Event::Abandoned { player: Player::O },
            "it says you stayed away and lost, which did not happen",
        ),
        (
            Event::Left { player: Player::O },
            "it says you left, which did not happen",
        ),
    ] {
        let (mut joiner, mut script) = joined().await;
        script.event(x(5)).await;
        script.event(event).await;
        let what = dispute(&mut joiner).await;
        assert!(what.contains(said), "{what}");
        // The host's word is taken all the same.
        wait_view(&mut joiner, "the ending", |v| v.state.v() == 2).await;
    }
}

#[tokio::test]
async fn a_score_the_games_do_not_add_up_to_is_said() {
    let (mut joiner, mut script) = joined().await;
    script.event(x(5)).await;
    no_dispute_until(&mut joiner, 1).await;
    script
        .send_snapshot(&json!({"x_wins": 7, "o_wins": 0, "draws": 0}))
        .await;
    let what = dispute(&mut joiner).await;
    assert_eq!(
        what,
        "The host changed the game: it gives a score of 7–0 and 0 drawn after 0 games."
    );
}

#[tokio::test]
async fn a_history_whose_chain_differs_is_said() {
    let (mut joiner, mut script) = centre_and_corner().await;
    no_dispute_until(&mut joiner, 2).await;
    // The next move's chain head says the history before it was not the one the joiner saw.
    script.chain = Chain([7; 32]);
    script.event(x(9)).await;
    let what = dispute(&mut joiner).await;
    assert!(
        what.contains("its record of the match up to event 2 differs from yours"),
        "{what}"
    );
}

#[tokio::test]
async fn an_honest_host_never_causes_a_dispute() {
    // A whole match against the real host: every event, snapshot and rematch checked.
    let (host, mut joiner) = connected_pair(
        tictactoe::net::HostConfig {
            driver: computer_asking_rematch(tictactoe::game::Level::Hard, 1),
            ..host_config()
        },
        tictactoe::net::JoinConfig {
            driver: computer_asking_rematch(tictactoe::game::Level::Medium, 2),
            ..join_config()
        },
    )
    .await;
    wait_event(
        &mut joiner,
        "twenty games without a dispute",
        |event| match event {
            NetEvent::Dispute(what) => panic!("an honest host, yet: {what}"),
            NetEvent::State(view) if view.state.score().games() >= 20 => Some(()),
            _ => None,
        },
    )
    .await;
    host.try_send(tictactoe::game::Intent::Leave).unwrap();
    tokio::time::sleep(Duration::from_millis(50)).await;
}

#[tokio::test]
async fn the_dispute_is_kept_with_the_game_in_the_history_with_its_chain_head() {
    let (listener, addr) = script_listener().await;
    let home = tempfile::tempdir().unwrap();
    let join = tokio::process::Command::from(tictactoe(home.path()))
        .args(["join", &addr, "--bot", "easy", "--games", "1"])
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut script = Script::accept(&listener).await;
    script.event(x(5)).await;
    script.take_play().await;
    // The joiner's computer never resigned.
    script.event(Event::Resigned { player: Player::O }).await;
    let output = tokio::time::timeout(LIMIT, join.wait_with_output())
        .await
        .unwrap()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("it says you resigned"), "{stderr}");
    let history = history_file(home.path());
    let text = std::fs::read_to_string(&history).unwrap();
    assert!(text.starts_with("tictactoe-record 2\n"), "{text}");
    assert!(
        text.contains(
            "dispute: The host changed the game: it says you resigned, which did not happen."
        ),
        "{text}"
    );
    assert!(
        text.contains(&format!("chain: {}\n", script.chain)),
        "{text}"
    );
    let read = tictactoe::store::HistoryStore::at(&history).read().unwrap();
    assert_eq!(read.records.len(), 1);
    assert_eq!(read.records[0].chain(), Some(script.chain));
    assert_eq!(read.records[0].disputes().len(), 1);
}
