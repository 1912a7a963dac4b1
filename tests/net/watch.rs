//! Watchers and chat over real sockets on loopback: a crowd of watchers beside a bot match
//! (reading from the start, joining late, leaving, never reading), what a watcher may not do,
//! and chat between the players with a watcher listening.

#![expect(clippy::unwrap_used, reason = "a test fails loudly")]

use std::net::{Ipv4Addr, SocketAddr};
use std::time::Duration;

use crate::support::net::{
    LIMIT, Raw, RawClient, cell, computer_asking_rematch, connected_pair, host_addr, host_config,
    join_config, start_host, wait_chat, wait_event, wait_refused, wait_stage, wait_view,
};
use serde_json::json;
use tictactoe::game::{Computer, Ending, GameOver, Intent, Level, Match, Score};
use tictactoe::net::connection::ws_config;
use tictactoe::net::host::WATCH_QUEUE;
use tictactoe::net::{
    ClientMsg, HelloRole, HostConfig, HostHandle, JoinConnection, JoinHandle, NetEvent,
    PROTOCOL_VERSION, Refusal, ServerMsg, Stage, join,
};
use tokio::time::timeout;

/// Games in the crowded match.
const GAMES: usize = 100;
/// Games before the late watchers come.
const LATE_AFTER: usize = 30;
const READERS: usize = 120;
const LEAVERS: usize = 20;
const SILENT: usize = 20;
const LATE: usize = 40;

/// Connects to `host` from the loopback address `ip`, with a small receive buffer when asked.
async fn connect_from(
    ip: Ipv4Addr,
    host: SocketAddr,
    receive_buffer: Option<u32>,
) -> JoinConnection {
    let socket = tokio::net::TcpSocket::new_v4().unwrap();
    socket.bind(SocketAddr::new(ip.into(), 0)).unwrap();
    if let Some(size) = receive_buffer {
        socket.set_recv_buffer_size(size).unwrap();
    }
    let tcp = timeout(LIMIT, socket.connect(host)).await.unwrap().unwrap();
    tcp.set_nodelay(true).unwrap();
    let (ws, _) = timeout(
        LIMIT,
        tokio_tungstenite::client_async_with_config(
            format!("ws://{host}/"),
            tcp,
            Some(ws_config()),
        ),
    )
    .await
    .unwrap()
    .unwrap();
    JoinConnection::new(ws)
}

/// The `n`th watcher's own loopback address (127.2.x.y): one address each, as on a network.
fn watcher_ip(n: usize) -> Ipv4Addr {
    Ipv4Addr::new(
        127,
        2,
        u8::try_from(n / 250).unwrap(),
        u8::try_from(n % 250 + 1).unwrap(),
    )
}

fn watch_hello(name: &str) -> ClientMsg {
    ClientMsg::Hello {
        protocol: PROTOCOL_VERSION,
        app: "test".to_owned(),
        name: name.to_owned(),
        seat_code: None,
        resume: None,
        auto_rematch: false,
        role: HelloRole::Watch,
    }
}

/// What a watcher saw.
#[derive(Debug, Default)]
struct Seen {
    /// The games it saw end, from its own copy of the match.
    results: Vec<GameOver>,
    /// Its copy at the end.
    last: Option<Match>,
    /// It was sent a snapshot other than the first (it fell behind, or the seat was taken).
    snapshots: usize,
    /// Events that did not follow the last one.
    gaps: usize,
}

/// A watcher that reads everything and answers pings, keeping its own copy of the match,
/// until the host closes the match (or, with `leave_after`, until it has seen that many games
/// end, when it leaves).
async fn follow(mut conn: JoinConnection, leave_after: Option<usize>) -> Seen {
    conn.write_msg(&watch_hello("Watcher")).await.unwrap();
    let mut seen = Seen::default();
    let mut state: Option<Match> = None;
    // A snapshot was asked for: events are ignored until it comes.
    let mut syncing = false;
    for _ in 0..200_000 {
        let msg = match timeout(LIMIT, conn.read_msg()).await.unwrap() {
            Ok(Some(msg)) => msg,
            Ok(None) => break,
            Err(error) => panic!("a watcher could not read: {error}"),
        };
        match msg {
            ServerMsg::WatchWelcome { snapshot, .. } => {
                state = Some(Match::from_snapshot(&snapshot).unwrap());
            }
            ServerMsg::Snapshot(snapshot) => {
                seen.snapshots += 1;
                syncing = false;
                state = Some(Match::from_snapshot(&snapshot).unwrap());
            }
            ServerMsg::Event { v, event, .. } => {
                let mirror = state.as_mut().unwrap();
                if syncing || v <= mirror.v() {
                    // Held by the snapshot asked for, or by one sent after falling behind.
                } else if v == mirror.v() + 1 {
                    if let Some(over) = mirror.apply(event).unwrap() {
                        seen.results.push(over);
                    }
                } else {
                    syncing = true;
                    seen.gaps += 1;
                    drop(conn.write_msg(&ClientMsg::Sync).await);
                }
            }
            // The host may have closed just after a ping (the match is over): what it sent
            // before is still read.
            ServerMsg::Ping { t } => drop(conn.write_msg(&ClientMsg::Pong { t }).await),
            ServerMsg::Rejected { reason, .. } => panic!("a watcher was refused: {reason:?}"),
            ServerMsg::Reject(reject) => panic!("a watcher was not admitted: {reject:?}"),
            _ => {}
        }
        if leave_after.is_some_and(|games| seen.results.len() >= games) {
            conn.write_msg(&ClientMsg::Leave).await.unwrap();
            // The host closes; what is still in flight is read and let go.
            let drained = timeout(LIMIT, async {
                while let Ok(Some(_)) = conn.read_msg().await {}
            });
            drained.await.unwrap();
            break;
        }
    }
    seen.last = state;
    seen
}

/// A watcher that says hello, reads its welcome and then never reads again, holding the
/// connection until `stop`.
async fn never_read(mut conn: JoinConnection, stop: tokio_util::sync::CancellationToken) {
    conn.write_msg(&watch_hello("Idle")).await.unwrap();
    let welcome = timeout(LIMIT, conn.read_msg()).await.unwrap().unwrap();
    assert!(matches!(welcome, Some(ServerMsg::WatchWelcome { .. })));
    stop.cancelled().await;
}

/// The test timings, with a heartbeat patient enough for a crowd of watchers that each keep a
/// copy of the match in a test build on a busy machine (a watcher that reads nothing is dropped
/// for taking nothing well before it could count as silent), and the hello deadline people get,
/// as a crowd connects at once.
fn crowd_timing() -> tictactoe::net::Timing {
    tictactoe::net::Timing {
        ping_every: Duration::from_millis(500),
        dead_after: Duration::from_secs(8),
        hello_timeout: Duration::from_secs(5),
        ..crate::support::net::fast_timing()
    }
}

/// The joiner's side played by the test with the computer, one move at a time, so that the
/// test decides when the match goes on.
struct BotMatch {
    host: HostHandle,
    joiner: JoinHandle,
    bot: Computer,
    results: Vec<GameOver>,
    sent: Option<(u32, usize)>,
}

impl BotMatch {
    async fn start(watchers: bool) -> Self {
        let host_side = HostConfig {
            driver: computer_asking_rematch(Level::Perfect, 1),
            auto_rematch: true,
            watchers,
            timing: crowd_timing(),
            ..host_config()
        };
        let joiner_side = tictactoe::net::JoinConfig {
            auto_rematch: true,
            timing: crowd_timing(),
            ..join_config()
        };
        let (host, joiner) = connected_pair(host_side, joiner_side).await;
        Self {
            host,
            joiner,
            bot: Computer::new(Level::Perfect, 2),
            results: Vec::new(),
            sent: None,
        }
    }

    /// Plays until the host has seen `games` games end.
    async fn play_until(&mut self, games: usize) {
        for _ in 0..100_000 {
            while let Some(event) = self.host.try_recv() {
                if let NetEvent::GameOver(over) = event {
                    self.results.push(*over);
                }
            }
            if self.results.len() >= games {
                return;
            }
            let event = timeout(LIMIT, self.joiner.recv()).await.unwrap().unwrap();
            if let NetEvent::State(view) = event
                && view.my_turn()
            {
                let at = (view.state.game_number(), view.state.game().moves().len());
                if self.sent != Some(at) {
                    self.sent = Some(at);
                    let cell = self.bot.choose(view.state.game()).unwrap();
                    self.joiner.try_send(Intent::Play(cell)).unwrap();
                }
            }
        }
        panic!("the match did not reach {games} games");
    }

    /// The joiner leaves; the host's last results and its score at the end.
    async fn leave(mut self) -> (Vec<GameOver>, Score) {
        self.joiner.try_send(Intent::Leave).unwrap();
        let results = &mut self.results;
        let mut score = None;
        wait_event(&mut self.host, "the match ended", |event| match event {
            NetEvent::GameOver(over) => {
                results.push((**over).clone());
                None
            }
            NetEvent::State(view) => {
                score = Some(view.state.score());
                None
            }
            NetEvent::Stage(Stage::Ended) => Some(()),
            _ => None,
        })
        .await;
        (self.results, score.unwrap())
    }
}

/// Polls the host's watcher figures until `test` holds (bounded).
async fn stats_until(
    host: &HostHandle,
    what: &str,
    test: impl Fn(&tictactoe::net::WatchStats) -> bool,
) -> tictactoe::net::WatchStats {
    for _ in 0..400 {
        let stats = host.watch_stats();
        if test(&stats) {
            return stats;
        }
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
    panic!("{what}: {:?}", host.watch_stats());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_hundred_watchers_see_exactly_the_players_match_and_change_nothing() {
    crate::support::take_the_machine_alone();
    let mut bots = BotMatch::start(true).await;
    let addr: SocketAddr = host_addr(&bots.host).parse().unwrap();
    let stop_idle = tokio_util::sync::CancellationToken::new();
    let mut readers = Vec::new();
    let mut leavers = Vec::new();
    let mut idle = Vec::new();
    for n in 0..READERS + LEAVERS + SILENT {
        let ip = watcher_ip(n);
        if n < READERS {
            readers.push(tokio::spawn(async move {
                follow(connect_from(ip, addr, None).await, None).await
            }));
        } else if n < READERS + LEAVERS {
            leavers.push(tokio::spawn(async move {
                follow(connect_from(ip, addr, None).await, Some(10)).await
            }));
        } else {
            let stop = stop_idle.clone();
            idle.push(tokio::spawn(async move {
                never_read(connect_from(ip, addr, Some(4096)).await, stop).await;
            }));
        }
    }
    let early = READERS + LEAVERS + SILENT;
    stats_until(&bots.host, "the early watchers admitted", |s| {
        s.admitted == early as u64
    })
    .await;

    bots.play_until(LATE_AFTER).await;
    let mut late = Vec::new();
    for n in early..early + LATE {
        let ip = watcher_ip(n);
        late.push(tokio::spawn(async move {
            follow(connect_from(ip, addr, None).await, None).await
        }));
    }
    stats_until(&bots.host, "the late watchers admitted", |s| {
        s.admitted == (early + LATE) as u64
    })
    .await;
    bots.play_until(GAMES).await;
    // The watchers that never read are dropped (they take nothing, or answer no ping), while
    // the match goes on without them.
    let stats = stats_until(&bots.host, "the idle watchers dropped", |s| {
        s.dropped >= SILENT as u64
    })
    .await;
    assert!(stats.most_behind <= WATCH_QUEUE as u64, "{stats:?}");
    let (results, score) = bots.leave().await;

    // Perfect play against perfect play: every game a draw, as many as asked.
    let draws = results
        .iter()
        .filter(|over| over.ending == Ending::Draw)
        .count();
    assert!(draws >= GAMES, "{draws} draws");
    assert!(
        results
            .iter()
            .all(|over| matches!(over.ending, Ending::Draw | Ending::Left { .. })),
        "a game was not a draw"
    );

    // Every reading watcher ends with the players' score, and every game it saw end (all of
    // them, unless it fell behind and was sent a snapshot instead) is the players' game.
    let mut caught_up = 0;
    for (n, reader) in readers.into_iter().chain(late).enumerate() {
        let seen = timeout(LIMIT, reader).await.unwrap().unwrap();
        let last = seen.last.as_ref().unwrap();
        assert_eq!(
            last.score(),
            score,
            "watcher {n}: v{} over {:?}, {} snapshots, {} gaps",
            last.v(),
            last.over(),
            seen.snapshots,
            seen.gaps
        );
        for over in &seen.results {
            let played = results.iter().find(|o| o.game_number == over.game_number);
            assert_eq!(Some(over), played, "watcher {n}");
        }
        let first = seen.results.first().unwrap().game_number;
        if n >= READERS {
            assert!(first as usize > LATE_AFTER, "a late watcher came late");
        }
        if seen.snapshots > 0 {
            caught_up += 1;
        } else {
            let from = results.iter().position(|o| o.game_number == first).unwrap();
            assert_eq!(
                seen.results,
                results[from..],
                "watcher {n} saw every game since"
            );
        }
    }
    println!("{caught_up} reading watchers fell behind and were sent a snapshot; {stats:?}");
    for leaver in leavers {
        let seen = timeout(LIMIT, leaver).await.unwrap().unwrap();
        assert!(seen.results.len() >= 10, "a watcher left after ten games");
        for over in &seen.results {
            let played = results.iter().find(|o| o.game_number == over.game_number);
            assert_eq!(
                Some(over),
                played,
                "a watcher that left saw the games played"
            );
        }
        if seen.snapshots == 0 {
            assert_eq!(seen.results, results[..seen.results.len()]);
        }
    }
    stop_idle.cancel();
    for task in idle {
        timeout(LIMIT, task).await.unwrap().unwrap();
    }

    // The same match without watchers is the same match, event for event.
    let mut alone = BotMatch::start(false).await;
    alone.play_until(GAMES).await;
    let (alone, alone_score) = alone.leave().await;
    assert_eq!(alone, results, "watchers changed the match");
    assert_eq!(alone_score, score);
}

/// A raw watcher: `hello` with `"role": "watch"`, and the host's answer.
async fn raw_watcher(ip_port: &str, extra: serde_json::Value) -> (RawClient, serde_json::Value) {
    let mut client = RawClient::connect(ip_port).await;
    let mut hello =
        json!({"type": "hello", "protocol": 1, "app": "raw", "name": "Eve", "role": "watch"});
    if let (Some(hello), Some(extra)) = (hello.as_object_mut(), extra.as_object()) {
        hello.extend(extra.clone());
    }
    client.send(hello).await;
    let answer = client.json().await;
    (client, answer)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_watcher_can_move_nothing_and_a_flooding_watcher_is_closed() {
    let (mut host, mut joiner) = connected_pair(host_config(), join_config()).await;
    let ip_port = host_addr(&host);
    let (mut eve, welcome) = raw_watcher(&ip_port, json!({})).await;
    assert_eq!(welcome["type"], "watch_welcome", "{welcome}");
    assert_eq!(welcome["chat"], false);
    assert_eq!(welcome["snapshot"]["state"]["o"], "Bob");
    for (n, command) in [
        json!({"type": "play", "id": 1, "cell": 5}),
        json!({"type": "resign", "id": 2}),
        json!({"type": "rematch", "id": 3}),
    ]
    .into_iter()
    .enumerate()
    {
        eve.send(command).await;
        let refused = eve.until("rejected").await;
        assert_eq!(refused["reason"], "watching", "{refused}");
        assert_eq!(refused["id"], n + 1);
        let snapshot = eve.until("snapshot").await;
        assert_eq!(snapshot["v"], 0, "nothing changed");
    }
    // The players see it watched, and play on as if nobody had tried.
    wait_view(&mut host, "one watcher", |view| view.watchers == 1).await;
    wait_view(&mut joiner, "one watcher", |view| view.watchers == 1).await;
    host.try_send(Intent::Play(cell(5))).unwrap();
    let seen = eve.until("event").await;
    assert_eq!(seen["v"], 1);
    assert_eq!(
        seen["event"],
        json!({"kind": "moved", "player": "x", "cell": 5})
    );
    let view = wait_view(&mut joiner, "the host's move", |view| view.state.v() == 1).await;
    assert_eq!(view.state.game().moves(), &[cell(5)]);

    // A flood of messages: refused, then closed; the match goes on.
    for _ in 0..64 {
        eve.send(json!({"type": "sync"})).await;
    }
    let mut limited = false;
    for _ in 0..200 {
        match eve.next().await {
            Raw::Json(msg) if msg["reason"] == "rate_limited" => limited = true,
            Raw::Json(_) => {}
            Raw::Closed(code) => {
                assert_eq!(code, Some(1008));
                break;
            }
        }
    }
    assert!(limited, "the flood was refused with a reason");
    wait_view(&mut host, "nobody watching", |view| view.watchers == 0).await;
    joiner.try_send(Intent::Play(cell(1))).unwrap();
    let view = wait_view(&mut host, "the joiner's move", |view| view.state.v() == 2).await;
    assert_eq!(view.state.game().moves(), &[cell(5), cell(1)]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn watchers_are_refused_with_a_reason_when_the_host_says_so() {
    // No watchers at all.
    let host = start_host(HostConfig {
        watchers: false,
        ..host_config()
    });
    let (mut eve, answer) = raw_watcher(&host_addr(&host), json!({})).await;
    assert_eq!(answer["type"], "reject");
    assert_eq!(answer["reason"], "watching_off", "{answer}");
    assert_eq!(eve.closed().await, Some(4000));
    // A player still gets the seat.
    let mut player = RawClient::connect(&host_addr(&host)).await;
    assert_eq!(player.hello("Bob").await["type"], "welcome");
    drop(host);

    // A seat code is needed to watch too.
    let host = start_host(HostConfig {
        seat_code: Some("K7QM-3XRD".to_owned()),
        ..host_config()
    });
    let (_, answer) = raw_watcher(&host_addr(&host), json!({})).await;
    assert_eq!(answer["reason"], "bad_seat_code", "{answer}");
    let (_, answer) = raw_watcher(&host_addr(&host), json!({"seat_code": "k7qm3xrd"})).await;
    assert_eq!(answer["type"], "watch_welcome", "{answer}");
    drop(host);

    // As many as the host admits.
    let host = start_host(HostConfig {
        limits: tictactoe::net::Limits {
            max_watchers: 2,
            ..tictactoe::net::Limits::default()
        },
        ..host_config()
    });
    let (_first, answer) = raw_watcher(&host_addr(&host), json!({})).await;
    assert_eq!(answer["type"], "watch_welcome");
    let (_second, answer) = raw_watcher(&host_addr(&host), json!({})).await;
    assert_eq!(answer["watchers"], 2);
    let (_, answer) = raw_watcher(&host_addr(&host), json!({})).await;
    assert_eq!(answer["reason"], "too_many_watchers", "{answer}");
    assert_eq!(host.watch_stats().watching, 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn players_chat_and_watchers_hear_it() {
    let (mut host, mut joiner) = connected_pair(host_config(), join_config()).await;
    let ip_port = host_addr(&host);
    let (mut eve, _) = raw_watcher(&ip_port, json!({})).await;
    let mut watcher = join::watch(&ip_port, join_config(), tictactoe::net::no_wake());
    wait_stage(&mut watcher, Stage::Playing).await;

    host.try_chat("Good\u{7} game\u{202e} ").unwrap();
    let line = wait_chat(&mut joiner, "the host's chat").await;
    assert_eq!(
        (line.name.as_str(), line.text.as_str()),
        ("Ann", "Good game")
    );
    assert_eq!(line.player, Some(tictactoe::game::Player::X));
    let heard = eve.until("chat").await;
    assert_eq!(
        heard,
        json!({"type": "chat", "name": "Ann", "player": "x", "text": "Good game"})
    );

    joiner.try_chat("Rematch?").unwrap();
    let line = wait_chat(&mut host, "the joiner's chat").await;
    assert_eq!(
        (line.name.as_str(), line.text.as_str()),
        ("Bob", "Rematch?")
    );
    assert_eq!(eve.until("chat").await["text"], "Rematch?");
    for expected in ["Good game", "Rematch?"] {
        let line = wait_chat(&mut watcher, "chat at the watcher").await;
        assert_eq!(line.text, expected);
    }

    // Too long, or a watcher chatting where only the players may: refused, nothing sent.
    joiner.try_chat("x".repeat(201)).unwrap();
    assert_eq!(wait_refused(&mut joiner).await, Refusal::ChatTooLong);
    eve.send(json!({"type": "chat", "text": "hi"})).await;
    let refused = eve.until("rejected").await;
    assert_eq!(refused["reason"], "chat_off", "{refused}");
    // A watcher that is told so cannot play either.
    watcher.try_send(Intent::Play(cell(5))).unwrap();
    assert_eq!(wait_refused(&mut watcher).await, Refusal::Watching);

    // A player who chats too fast: the first lines pass, the next are refused.
    let mut bob = RawClient::connect(&ip_port).await;
    assert_eq!(bob.hello("Mallory").await["reason"], "match_full");
    drop(bob);
    host.try_send(Intent::Play(cell(5))).unwrap();
    wait_view(&mut joiner, "the host's move", |view| view.state.v() == 1).await;
    drop(joiner);
    drop(eve);
    drop(watcher);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn chat_too_fast_is_refused_and_watchers_chat_only_when_allowed() {
    let host = start_host(HostConfig {
        watchers_chat: true,
        ..host_config()
    });
    let mut host = host;
    let ip_port = host_addr(&host);
    let mut bob = RawClient::connect(&ip_port).await;
    assert_eq!(bob.hello("Bob").await["type"], "welcome");
    let (mut eve, welcome) = raw_watcher(&ip_port, json!({})).await;
    assert_eq!(welcome["chat"], true);
    for n in 0..5 {
        bob.send(json!({"type": "chat", "text": format!("line {n}")}))
            .await;
    }
    let mut heard = Vec::new();
    for _ in 0..3 {
        heard.push(eve.until("chat").await["text"].clone());
    }
    assert_eq!(heard, [json!("line 0"), json!("line 1"), json!("line 2")]);
    for _ in 0..2 {
        let refused = bob.until("rejected").await;
        assert_eq!(refused["reason"], "chat_too_fast", "{refused}");
    }
    // A watcher may chat here: the players hear it.
    eve.send(json!({"type": "chat", "text": "go Bob"})).await;
    let line = bob.until("chat").await;
    assert_eq!(
        line,
        json!({"type": "chat", "name": "Eve", "player": null, "text": "go Bob"})
    );
    let line = wait_event(&mut host, "the watcher's chat", |event| match event {
        NetEvent::Chat(line) if line.name == "Eve" => Some(line.clone()),
        _ => None,
    })
    .await;
    assert_eq!((line.name.as_str(), line.player), ("Eve", None));
    let long = "y".repeat(201);
    eve.send(json!({"type": "chat", "text": long})).await;
    assert_eq!(eve.until("rejected").await["reason"], "chat_too_long");
    // None of it touched the match.
    bob.send(json!({"type": "sync"})).await;
    assert_eq!(bob.until("snapshot").await["v"], 0);
}
