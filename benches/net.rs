//! Network benchmark on loopback: the move round trip (the joiner sends a move → it receives the
//! host's event) against a raw TCP echo of the same size as the floor, bot-against-bot games
//! per second over one connection, and the same round trip with 0, 100 and 1,000 watchers
//! attached, with the time until the last watcher has each move.
//!
//! Run with `cargo bench --bench net`. Plain `Instant` timing, no harness.

#![expect(clippy::unwrap_used, reason = "a benchmark fails loudly")]

use std::time::{Duration, Instant};

use tictactoe::game::{Bot, Computer, Event, Level, Match, Player};
use tictactoe::net::connection::ws_config;
use tictactoe::net::{
    ClientMsg, HelloRole, HostConfig, JoinConfig, JoinConnection, NetEvent, ServerMsg, Timing,
    host, join, no_wake,
};
use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};

#[path = "../tests/support/flood.rs"]
mod flood;

const MOVES: usize = 20_000;
const WARMUP: usize = 1_000;

fn slow_timing() -> Timing {
    Timing {
        ping_every: Duration::from_secs(600),
        dead_after: Duration::from_secs(1200),
        ..Timing::default()
    }
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let rank = (p / 100.0 * (sorted.len() - 1) as f64).round() as usize;
    sorted[rank.min(sorted.len() - 1)]
}

fn micros(d: Duration) -> f64 {
    d.as_secs_f64() * 1e6
}

/// The size of a `play` command on the wire: the JSON text plus a masked WebSocket header.
fn play_frame_bytes() -> usize {
    let text = serde_json::to_string(&ClientMsg::Play {
        id: 12_345,
        cell: tictactoe::game::Cell::from_number(5).unwrap(),
    })
    .unwrap();
    text.len() + 6
}

/// Raw TCP echo round trips of `size` bytes, `TCP_NODELAY` on both ends, the echo server on its
/// own thread and runtime like the host.
fn tcp_echo(size: usize, count: usize) -> Vec<Duration> {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    listener.set_nonblocking(true).unwrap();
    let addr = listener.local_addr().unwrap();
    let server = std::thread::Builder::new()
        .name("bench-echo".to_owned())
        .spawn(move || {
            let rt = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .unwrap();
            rt.block_on(async move {
                let listener = tokio::net::TcpListener::from_std(listener).unwrap();
                let (mut stream, _) = listener.accept().await.unwrap();
                stream.set_nodelay(true).unwrap();
                let mut buf = vec![0_u8; size];
                while stream.read_exact(&mut buf).await.is_ok() {
                    if stream.write_all(&buf).await.is_err() {
                        break;
                    }
                }
            });
        })
        .unwrap();
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let samples = rt.block_on(async move {
        let mut stream = tokio::net::TcpStream::connect(addr).await.unwrap();
        stream.set_nodelay(true).unwrap();
        let out = vec![7_u8; size];
        let mut back = vec![0_u8; size];
        let mut samples = Vec::with_capacity(count.min(1 << 20));
        for i in 0..count + WARMUP {
            let start = Instant::now();
            stream.write_all(&out).await.unwrap();
            stream.read_exact(&mut back).await.unwrap();
            if i >= WARMUP {
                samples.push(start.elapsed());
            }
        }
        samples
    });
    server.join().unwrap();
    samples
}

/// Messages the benchmark's joiner wrote (each flushed at once: one write each) and read.
#[derive(Default)]
struct Traffic {
    sent: u64,
    received: u64,
}

/// Move round trips against a host whose computer player answers at once: a joiner on the
/// library's `Connection` sends `play` and waits for the `moved` event of that move. With
/// `auto_rematch`, the joiner's `hello` asks for every next game in advance, so it
/// sends no `rematch` once the host has agreed.
fn move_round_trips(
    count: usize,
    mut joiner_bot: Option<Computer>,
    auto_rematch: bool,
    limit: Duration,
) -> (Vec<Duration>, u32, Duration, Traffic) {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let config = HostConfig {
        timing: slow_timing(),
        driver: Some(Box::new(
            Bot::new(Computer::new(Level::Perfect, 1)).asking_rematch(true),
        )),
        auto_rematch: true,
        ..HostConfig::default()
    };
    let host = host::start_on(vec![listener], config, no_wake()).unwrap();
    let ip_port = format!("127.0.0.1:{}", host.port());
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let result = rt.block_on(async move {
        let tcp = tokio::net::TcpStream::connect(&ip_port).await.unwrap();
        tcp.set_nodelay(true).unwrap();
        let (ws, _) = tokio_tungstenite::client_async_with_config(
            format!("ws://{ip_port}/"),
            tcp,
            Some(ws_config()),
        )
        .await
        .unwrap();
        let mut conn = JoinConnection::new(ws);
        conn.write_msg(&ClientMsg::Hello {
            protocol: tictactoe::net::PROTOCOL_VERSION,
            app: "bench".to_owned(),
            name: "Bench".to_owned(),
            seat_code: None,
            resume: None,
            auto_rematch,
            role: HelloRole::Play,
        })
        .await
        .unwrap();
        let Some(ServerMsg::Welcome {
            you,
            snapshot,
            rules,
            ..
        }) = conn.read_msg().await.unwrap()
        else {
            panic!("no welcome");
        };
        assert_eq!(you, Player::O);
        assert_eq!(rules.auto_rematch, auto_rematch);
        let mut state = Match::from_snapshot(&snapshot.unwrap()).unwrap();
        let mut samples = Vec::with_capacity(count.min(1 << 20));
        let mut next_id = 1;
        let mut sent_at: Option<Instant> = None;
        let started = Instant::now();
        let mut moves = 0;
        let mut rematch_asked = 0;
        let mut traffic = Traffic::default();
        while samples.len() < count && started.elapsed() < limit {
            if sent_at.is_none() {
                if state.to_move() == Some(you) {
                    let cell = match joiner_bot.as_mut() {
                        Some(bot) => bot.choose(state.game()).unwrap(),
                        None => state.game().legal_moves().next().unwrap(),
                    };
                    sent_at = Some(Instant::now());
                    conn.write_msg(&ClientMsg::Play { id: next_id, cell })
                        .await
                        .unwrap();
                    traffic.sent += 1;
                    next_id += 1;
                } else if !rules.auto_rematch
                    && state.game_over()
                    && !state.wants_rematch(you)
                    && rematch_asked != state.game_number()
                {
                    rematch_asked = state.game_number();
                    conn.write_msg(&ClientMsg::Rematch { id: next_id })
                        .await
                        .unwrap();
                    traffic.sent += 1;
                    next_id += 1;
                }
            }
            let msg = conn.read_msg().await.unwrap().unwrap();
            traffic.received += 1;
            if let ServerMsg::Rejected { reason, .. } = msg {
                panic!("the host refused a move: {reason:?}");
            }
            if let ServerMsg::Event { event, .. } = msg {
                state.apply(event).unwrap();
                if let (Event::Moved { player, .. }, Some(at)) = (event, sent_at)
                    && player == you
                {
                    moves += 1;
                    if moves > WARMUP {
                        samples.push(at.elapsed());
                    }
                    sent_at = None;
                }
            }
        }
        (samples, state.score().games(), started.elapsed(), traffic)
    });
    drop(host);
    result
}

/// Bot against bot through both handles, full stack: games finished per second, while `crowd`
/// hostile connections (see `tests/support/flood.rs`) hit the host.
fn games_per_second(duration: Duration, crowd: usize) -> (u32, Duration) {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let host = host::start_on(
        vec![listener],
        HostConfig {
            timing: slow_timing(),
            driver: Some(Box::new(
                Bot::new(Computer::new(Level::Hard, 1)).asking_rematch(true),
            )),
            auto_rematch: true,
            ..HostConfig::default()
        },
        no_wake(),
    )
    .unwrap();
    let addr = std::net::SocketAddr::from(([127, 0, 0, 1], host.port()));
    let crowd_runtime = (crowd > 0).then(|| {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .thread_name("bench-crowd")
            .enable_all()
            .build()
            .unwrap();
        let flood = runtime.block_on(async { flood::Flood::start(addr, crowd) });
        // Let the crowd fill the host's slots before the match starts.
        std::thread::sleep(Duration::from_secs(1));
        (runtime, flood)
    });
    let mut joiner = join::start(
        &format!("127.0.0.1:{}", host.port()),
        JoinConfig {
            timing: slow_timing(),
            driver: Some(Box::new(
                Bot::new(Computer::new(Level::Hard, 2)).asking_rematch(true),
            )),
            auto_rematch: true,
            ..JoinConfig::default()
        },
        no_wake(),
    );
    let mut first: Option<(u32, Instant)> = None;
    loop {
        let Some(event) = joiner.blocking_recv() else {
            panic!("the joiner stopped");
        };
        if let NetEvent::State(view) = event {
            let finished = view.state.score().games();
            match first {
                None if finished >= 100 => first = Some((finished, Instant::now())),
                Some((start_games, start)) if start.elapsed() >= duration => {
                    let took = start.elapsed();
                    if let Some((runtime, flood)) = crowd_runtime {
                        let opened = flood.opened.load(std::sync::atomic::Ordering::Relaxed);
                        println!("  (the crowd opened {opened} connections in all)");
                        runtime.block_on(flood.stop());
                    }
                    return (finished - start_games, took);
                }
                _ => {}
            }
        }
    }
}

fn main() {
    let filter = std::env::var("RUST_LOG").ok().and_then(|directives| {
        directives
            .parse::<tracing_subscriber::filter::Targets>()
            .ok()
    });
    if let Some(filter) = filter {
        use tracing_subscriber::prelude::*;
        tracing_subscriber::registry()
            .with(tracing_subscriber::fmt::layer())
            .with(filter)
            .init();
    }
    // `cargo bench --bench net -- watchers` (or `-- crowd`): only that section.
    if std::env::args().any(|arg| arg == "watchers") {
        allow_many_files();
        watchers_section();
        return;
    }
    if std::env::args().any(|arg| arg == "crowd") {
        allow_many_files();
        crowd_section();
        return;
    }
    let size = play_frame_bytes();
    let mut floor = tcp_echo(size, MOVES);
    floor.sort();
    let (mut moves, games, elapsed, _) =
        move_round_trips(MOVES, None, false, Duration::from_secs(120));
    moves.sort();
    let (floor50, floor99) = (percentile(&floor, 50.0), percentile(&floor, 99.0));
    let (move50, move99) = (percentile(&moves, 50.0), percentile(&moves, 99.0));
    println!(
        "network benchmark on loopback ({} round trips each)",
        moves.len()
    );
    println!(
        "raw TCP echo, {size} bytes, TCP_NODELAY: p50 {:.1} µs, p99 {:.1} µs",
        micros(floor50),
        micros(floor99)
    );
    println!(
        "move round trip (play → moved event): p50 {:.1} µs, p99 {:.1} µs",
        micros(move50),
        micros(move99)
    );
    println!(
        "ratio to the floor: p50 {:.2}×, p99 {:.2}×",
        micros(move50) / micros(floor50),
        micros(move99) / micros(floor99)
    );
    println!(
        "  ({games} games in {:.2} s on one connection while measuring)",
        elapsed.as_secs_f64()
    );
    for (auto_rematch, how) in [
        (false, "each next game asked for with `rematch`"),
        (true, "a series agreed in `hello`/`welcome`"),
    ] {
        let (_, count, took, traffic) = move_round_trips(
            usize::MAX,
            Some(Computer::new(Level::Hard, 2)),
            auto_rematch,
            Duration::from_secs(3),
        );
        println!(
            "bot against bot (hard vs perfect) over one connection, {how}: {count} games in {:.2} s = {:.0} games/s",
            took.as_secs_f64(),
            f64::from(count) / took.as_secs_f64()
        );
        let games = f64::from(count.max(1));
        println!(
            "  per game: {:.2} messages (flushes) from the joiner, {:.2} messages from the host",
            traffic.sent as f64 / games,
            traffic.received as f64 / games
        );
    }
    allow_many_files();
    watchers_section();
    crowd_section();
}

/// Games a second with and without a crowd of hostile connections, in turn.
fn crowd_section() {
    let crowd = 1000;
    // Without and with the crowd in turn, four times each, so that whatever else the machine does
    // falls on both alike; the figure is the median of each.
    let mut rates = [Vec::new(), Vec::new()];
    // CPU of the whole process (host, joiner, and the crowd when it runs) per second of wall time.
    let mut cpu = [Duration::ZERO; 2];
    let mut wall = [Duration::ZERO; 2];
    for round in 0..8 {
        let with_crowd = round % 2 == 1;
        let before = process_cpu();
        let started = Instant::now();
        let (count, took) =
            games_per_second(Duration::from_secs(2), if with_crowd { crowd } else { 0 });
        cpu[usize::from(with_crowd)] += process_cpu().saturating_sub(before);
        wall[usize::from(with_crowd)] += started.elapsed();
        rates[usize::from(with_crowd)].push(f64::from(count) / took.as_secs_f64());
    }
    let median = |rates: &mut Vec<f64>| {
        rates.sort_by(f64::total_cmp);
        (rates[rates.len() / 2 - 1] + rates[rates.len() / 2]) / 2.0
    };
    let list = |rates: &[f64]| {
        rates
            .iter()
            .map(|r| format!("{r:.0}"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let (unloaded, loaded) = (median(&mut rates[0]), median(&mut rates[1]));
    println!(
        "the same through both handles, a series agreed (views to the front end on every event): median {unloaded:.0} games/s ({})",
        list(&rates[0])
    );
    println!(
        "the same with {crowd} hostile connections hitting the host (idle WebSocket connections, half-open HTTP, idle TCP, ping floods, reopened as they close): median {loaded:.0} games/s ({}), {:.0} % of the figure without them",
        list(&rates[1]),
        loaded / unloaded * 100.0
    );
    let share = |i: usize| cpu[i].as_secs_f64() / wall[i].as_secs_f64() * 100.0;
    println!(
        "  the benchmark's CPU, all its threads: {:.0} % of a core without the crowd, {:.0} % with it, the crowd's own connections included (of {} cores)",
        share(0),
        share(1),
        std::thread::available_parallelism().map_or(1, std::num::NonZero::get)
    );
}

/// CPU time used so far by this whole process, threads that have ended included (user and
/// system); zero where `/proc` does not tell.
fn process_cpu() -> Duration {
    // Linux counts in clock ticks of 1/100 s (USER_HZ).
    const TICK: Duration = Duration::from_millis(10);
    let Ok(stat) = std::fs::read_to_string("/proc/self/stat") else {
        return Duration::ZERO;
    };
    // Fields after the command name in parentheses: state is the 3rd, utime the 14th.
    let Some((_, rest)) = stat.rsplit_once(')') else {
        return Duration::ZERO;
    };
    let fields: Vec<&str> = rest.split_whitespace().collect();
    let ticks = |i: usize| {
        fields
            .get(i)
            .and_then(|f| f.parse::<u32>().ok())
            .unwrap_or(0)
    };
    TICK * (ticks(11) + ticks(12))
}

/// Rounds measured in the watchers section, after the warm-up ones.
const WATCHED_ROUNDS: usize = 2_000;
const WATCHED_WARMUP: usize = 200;

/// What every watcher of the benchmark shares: for each event version, how many watchers have
/// it and when the last one got it.
struct Arrivals {
    epoch: Instant,
    count: Vec<std::sync::atomic::AtomicU32>,
    last_ns: Vec<std::sync::atomic::AtomicU64>,
    gate: (std::sync::Mutex<()>, std::sync::Condvar),
    watchers: u32,
}

impl Arrivals {
    fn new(versions: usize, watchers: u32) -> Self {
        Self {
            epoch: Instant::now(),
            count: (0..versions).map(|_| 0.into()).collect(),
            last_ns: (0..versions).map(|_| 0.into()).collect(),
            gate: (std::sync::Mutex::new(()), std::sync::Condvar::new()),
            watchers,
        }
    }

    fn arrived(&self, v: usize) {
        use std::sync::atomic::Ordering::Relaxed;
        let Some(count) = self.count.get(v) else {
            return;
        };
        let ns = u64::try_from(self.epoch.elapsed().as_nanos()).unwrap();
        self.last_ns[v].fetch_max(ns, Relaxed);
        if count.fetch_add(1, Relaxed) + 1 == self.watchers {
            let _guard = self.gate.0.lock().unwrap();
            self.gate.1.notify_all();
        }
    }

    /// Waits (bounded) until every watcher has event `v`, and returns when the last one got it.
    fn wait_all(&self, v: usize) -> Instant {
        use std::sync::atomic::Ordering::Relaxed;
        let deadline = Instant::now() + Duration::from_secs(10);
        let mut guard = self.gate.0.lock().unwrap();
        while self.count[v].load(Relaxed) < self.watchers {
            assert!(
                Instant::now() < deadline,
                "the watchers did not all get v{v}"
            );
            guard = self
                .gate
                .1
                .wait_timeout(guard, Duration::from_millis(20))
                .unwrap()
                .0;
        }
        self.epoch + Duration::from_nanos(self.last_ns[v].load(Relaxed))
    }
}

/// One watcher of the benchmark: says `hello` as a watcher from `ip`, then notes the version of
/// every event as it arrives (reading only the start of each frame, so that the benchmark's own
/// side costs as little as it can).
async fn bench_watcher(
    ip: std::net::Ipv4Addr,
    host: std::net::SocketAddr,
    arrivals: std::sync::Arc<Arrivals>,
) {
    use futures_util::{SinkExt as _, StreamExt as _};
    use tokio_tungstenite::tungstenite::Message;
    let socket = tokio::net::TcpSocket::new_v4().unwrap();
    socket
        .bind(std::net::SocketAddr::new(ip.into(), 0))
        .unwrap();
    let tcp = socket.connect(host).await.unwrap();
    tcp.set_nodelay(true).unwrap();
    let (mut ws, _) = tokio_tungstenite::client_async_with_config(
        format!("ws://{host}/"),
        tcp,
        Some(ws_config()),
    )
    .await
    .unwrap();
    let hello = serde_json::to_string(&ClientMsg::Hello {
        protocol: tictactoe::net::PROTOCOL_VERSION,
        app: "bench".to_owned(),
        name: "Watcher".to_owned(),
        seat_code: None,
        resume: None,
        auto_rematch: false,
        role: HelloRole::Watch,
    })
    .unwrap();
    ws.send(Message::text(hello)).await.unwrap();
    const EVENT: &str = r#"{"type":"event","v":"#;
    while let Some(Ok(msg)) = ws.next().await {
        if let Message::Text(text) = msg
            && let Some(rest) = text.as_str().strip_prefix(EVENT)
        {
            let digits = rest.split(',').next().unwrap();
            arrivals.arrived(digits.parse().unwrap());
        }
    }
}

/// Figures of one watched run.
struct Watched {
    round_trips: Vec<Duration>,
    last_watcher: Vec<Duration>,
    stats: tictactoe::net::WatchStats,
}

/// How the threads run in one watched run. (The host's watchers share the network's one
/// runtime with its match, so there is no thread of theirs to set apart.)
#[derive(Clone, Copy, PartialEq, Eq)]
struct Priorities {
    /// The nice value of the benchmark's own watcher clients, which stand for other computers:
    /// 0, or 19 to keep them off the cores the host and the player need.
    clients: i32,
}

impl Priorities {
    const AS_SHIPPED: Self = Self { clients: 0 };

    fn describe(self) -> String {
        if self.clients == 0 {
            String::new()
        } else {
            format!(" (watcher clients at nice {})", self.clients)
        }
    }
}

/// Sets every thread of this process named `name` to nice value `nice` (Linux). Returns how
/// many it set.
fn renice_threads(name: &str, nice: i32) -> usize {
    let Ok(tasks) = std::fs::read_dir("/proc/self/task") else {
        return 0;
    };
    let mut set = 0;
    for task in tasks.flatten() {
        let comm = std::fs::read_to_string(task.path().join("comm")).unwrap_or_default();
        let Some(tid) = task
            .file_name()
            .to_str()
            .and_then(|tid| tid.parse::<i32>().ok())
            .and_then(rustix::process::Pid::from_raw)
        else {
            continue;
        };
        if comm.trim_end() == name && rustix::process::setpriority_process(Some(tid), nice).is_ok()
        {
            set += 1;
        }
    }
    set
}

/// The move round trip with `watchers` watchers attached, over `rounds` measured moves (after
/// the warm-up): the joiner sends `play`, waits for its `moved` event (the round trip), notes
/// when the last watcher has that event too (from the same `play`), and moves again only once
/// every watcher has every event so far (the computer's answer too), as a player who thinks
/// for a moment would: each figure is then one move's own, with no fan-out still under way.
fn watched_round_trips(watchers: usize, rounds: usize, priorities: Priorities) -> Watched {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let config = HostConfig {
        timing: slow_timing(),
        driver: Some(Box::new(
            Bot::new(Computer::new(Level::Perfect, 1)).asking_rematch(true),
        )),
        auto_rematch: true,
        ..HostConfig::default()
    };
    let host = host::start_on(vec![listener], config, no_wake()).unwrap();
    let addr = std::net::SocketAddr::from(([127, 0, 0, 1], host.port()));
    let rounds = rounds + WATCHED_WARMUP;
    // Each round is two moves, and a game's end adds at most four events.
    let arrivals = std::sync::Arc::new(Arrivals::new(
        rounds * 5 + 64,
        u32::try_from(watchers).unwrap(),
    ));
    let crowd = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .thread_name("bench-watchers")
        .enable_all()
        .build()
        .unwrap();
    let tasks: Vec<_> = (0..watchers)
        .map(|i| {
            let ip = std::net::Ipv4Addr::new(
                127,
                3,
                u8::try_from(i / 250).unwrap(),
                u8::try_from(i % 250 + 1).unwrap(),
            );
            crowd.spawn(bench_watcher(ip, addr, std::sync::Arc::clone(&arrivals)))
        })
        .collect();
    let admitted = Instant::now();
    while host.watch_stats().watching < watchers as u64 {
        assert!(
            admitted.elapsed() < Duration::from_secs(60),
            "watchers not admitted: {:?}",
            host.watch_stats()
        );
        std::thread::sleep(Duration::from_millis(10));
    }
    if priorities.clients != 0 {
        assert!(
            renice_threads("bench-watchers", priorities.clients) >= 1,
            "the watcher clients' thread"
        );
    }
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let ip_port = addr.to_string();
    let shared = std::sync::Arc::clone(&arrivals);
    let (round_trips, last_watcher) = rt.block_on(async move {
        let tcp = tokio::net::TcpStream::connect(&ip_port).await.unwrap();
        tcp.set_nodelay(true).unwrap();
        let (ws, _) = tokio_tungstenite::client_async_with_config(
            format!("ws://{ip_port}/"),
            tcp,
            Some(ws_config()),
        )
        .await
        .unwrap();
        let mut conn = JoinConnection::new(ws);
        conn.write_msg(&ClientMsg::Hello {
            protocol: tictactoe::net::PROTOCOL_VERSION,
            app: "bench".to_owned(),
            name: "Bench".to_owned(),
            seat_code: None,
            resume: None,
            auto_rematch: true,
            role: HelloRole::Play,
        })
        .await
        .unwrap();
        let Some(ServerMsg::Welcome { you, snapshot, .. }) = conn.read_msg().await.unwrap() else {
            panic!("no welcome");
        };
        let mut state = Match::from_snapshot(&snapshot.unwrap()).unwrap();
        let mut round_trips = Vec::with_capacity(rounds);
        let mut last_watcher = Vec::with_capacity(rounds);
        let mut next_id = 1;
        let mut sent_at: Option<Instant> = None;
        // The latest event seen (none yet: the watchers' welcome held the state before it).
        let mut latest_v = None;
        while round_trips.len() < rounds {
            if sent_at.is_none() && state.to_move() == Some(you) {
                if let Some(v) = latest_v.filter(|_| shared.watchers > 0) {
                    shared.wait_all(v);
                }
                let cell = state.game().legal_moves().next().unwrap();
                sent_at = Some(Instant::now());
                conn.write_msg(&ClientMsg::Play { id: next_id, cell })
                    .await
                    .unwrap();
                next_id += 1;
            }
            let msg = conn.read_msg().await.unwrap().unwrap();
            if let ServerMsg::Event { v, event, .. } = msg {
                latest_v = Some(usize::try_from(v).unwrap());
                state.apply(event).unwrap();
                if let (Event::Moved { player, .. }, Some(at)) = (event, sent_at)
                    && player == you
                {
                    round_trips.push(at.elapsed());
                    if shared.watchers > 0 {
                        let last = shared.wait_all(usize::try_from(v).unwrap());
                        last_watcher.push(last.duration_since(at));
                    }
                    sent_at = None;
                }
            }
        }
        (round_trips, last_watcher)
    });
    let stats = host.watch_stats();
    drop(host);
    for task in tasks {
        crowd.block_on(task).unwrap();
    }
    Watched {
        round_trips: round_trips[WATCHED_WARMUP..].to_vec(),
        last_watcher: last_watcher
            .get(WATCHED_WARMUP..)
            .unwrap_or_default()
            .to_vec(),
        stats,
    }
}

/// The watchers section: the same round trip with 0, 100 and 1,000 watchers, in one run, and
/// 1,000 again with the benchmark's watcher clients at the lowest priority for comparison. The run
/// without watchers is ten times longer: its moves take a tenth of a millisecond, and a p99 over
/// a fifth of a second is one stall of the machine's.
fn watchers_section() {
    println!(
        "watchers (the next move only once every watcher has every event; 2,000 rounds each, 20,000 without watchers):"
    );
    let mut none_p99 = None;
    let shipped = Priorities::AS_SHIPPED;
    let runs = [
        (0, 10 * WATCHED_ROUNDS, shipped),
        (100, WATCHED_ROUNDS, shipped),
        (1000, WATCHED_ROUNDS, shipped),
        (1000, WATCHED_ROUNDS, Priorities { clients: 19 }),
    ];
    for (watchers, rounds, priorities) in runs {
        let Watched {
            mut round_trips,
            mut last_watcher,
            stats,
        } = watched_round_trips(watchers, rounds, priorities);
        round_trips.sort();
        last_watcher.sort();
        let (p50, p99) = (
            percentile(&round_trips, 50.0),
            percentile(&round_trips, 99.0),
        );
        let base = *none_p99.get_or_insert(p99);
        let how = priorities.describe();
        print!(
            "  {watchers:>4} watchers{how}: player's round trip p50 {:.1} µs, p99 {:.1} µs ({:.2}× the p99 without watchers)",
            micros(p50),
            micros(p99),
            micros(p99) / micros(base)
        );
        if last_watcher.is_empty() {
            println!();
        } else {
            println!(
                "; until the last watcher has the move p50 {:.1} µs, p99 {:.1} µs; resynced {}, dropped {}, most frames behind {}",
                micros(percentile(&last_watcher, 50.0)),
                micros(percentile(&last_watcher, 99.0)),
                stats.resynced,
                stats.dropped,
                stats.most_behind
            );
        }
    }
}

/// Raises the open-file limit for the crowd's connections and their other ends.
fn allow_many_files() {
    use rustix::process::{Resource, Rlimit, getrlimit, setrlimit};
    let limit = getrlimit(Resource::Nofile);
    let wanted = limit.maximum.map_or(8192, |max| max.min(8192));
    if limit.current.is_some_and(|current| current < wanted) {
        setrlimit(
            Resource::Nofile,
            Rlimit {
                current: Some(wanted),
                maximum: limit.maximum,
            },
        )
        .unwrap();
    }
}
