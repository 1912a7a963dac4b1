//! Network benchmark on loopback: the move round trip (the joiner sends a move → it receives the
//! host's event) against a raw TCP echo of the same size as the floor, and bot-against-bot games
//! per second over one connection.
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

#[path = "../tests/net_support/flood.rs"]
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
/// `series`, the joiner's `hello` asks for every next game in advance (`auto_rematch`), so it
/// sends no `rematch` once the host has agreed.
fn move_round_trips(
    count: usize,
    mut joiner_bot: Option<Computer>,
    series: bool,
    limit: Duration,
) -> (Vec<Duration>, u32, Duration, Traffic) {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let config = HostConfig {
        timing: slow_timing(),
        driver: Some(Box::new(
            Bot::new(Computer::new(Level::Perfect, 1)).asking_rematch(true),
        )),
        series: true,
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
            auto_rematch: series,
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
        assert_eq!(rules.auto_rematch, series);
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
/// hostile connections (see `tests/net_support/flood.rs`) hit the host.
fn games_per_second(duration: Duration, crowd: usize) -> (u32, Duration) {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let host = host::start_on(
        vec![listener],
        HostConfig {
            timing: slow_timing(),
            driver: Some(Box::new(
                Bot::new(Computer::new(Level::Hard, 1)).asking_rematch(true),
            )),
            series: true,
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
            series: true,
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
    for (series, how) in [
        (false, "each next game asked for with `rematch`"),
        (true, "a series agreed in `hello`/`welcome`"),
    ] {
        let (_, count, took, traffic) = move_round_trips(
            usize::MAX,
            Some(Computer::new(Level::Hard, 2)),
            series,
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
    let crowd = 1000;
    // Without and with the crowd in turn, twice, so that whatever else the machine does falls on
    // both alike; the figure is the mean of each.
    let mut rates = [Vec::new(), Vec::new()];
    for round in 0..4 {
        let with_crowd = round % 2 == 1;
        let (count, took) =
            games_per_second(Duration::from_secs(3), if with_crowd { crowd } else { 0 });
        rates[usize::from(with_crowd)].push(f64::from(count) / took.as_secs_f64());
    }
    let mean = |rates: &[f64]| rates.iter().sum::<f64>() / rates.len() as f64;
    let (unloaded, loaded) = (mean(&rates[0]), mean(&rates[1]));
    println!(
        "the same through both handles, a series agreed (views to the front end on every event): {unloaded:.0} games/s ({:.0} and {:.0})",
        rates[0][0], rates[0][1]
    );
    println!(
        "the same with {crowd} hostile connections hitting the host (idle WebSocket connections, half-open HTTP, idle TCP, ping floods, reopened as they close): {loaded:.0} games/s ({:.0} and {:.0}), {:.0} % of the figure without them",
        rates[1][0],
        rates[1][1],
        loaded / unloaded * 100.0
    );
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
