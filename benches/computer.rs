//! How fast the computer player is: the one-off set-up of its table of perfect-play values, a
//! `perfect` move, and `evaluate`. Prints figures; asserts nothing.
//!
//! Run with `cargo bench --bench computer`. The set-up is measured on the first call in a fresh
//! process (cold caches, nothing built yet): this process once, then fresh copies of itself.

use std::hint::black_box;
use std::process::Command;
use std::time::{Duration, Instant};

use tictactoe::game::{Cell, Computer, Game, Level, Player, evaluate};

/// Asks a fresh copy of this program to time the set-up once and print the nanoseconds.
const SETUP_ONCE: &str = "--setup-once";

/// How many fresh processes time the set-up.
const SETUP_RUNS: usize = 30;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    // First thing in this process, so the table is not built yet.
    let cold = time_first_call();
    if std::env::args().any(|arg| arg == SETUP_ONCE) {
        println!("{}", cold.as_nanos());
        return Ok(());
    }

    let mut setups = vec![cold];
    let exe = std::env::current_exe()?;
    for _ in 1..SETUP_RUNS {
        let output = Command::new(&exe).arg(SETUP_ONCE).output()?;
        let nanos: u64 = String::from_utf8(output.stdout)?.trim().parse()?;
        setups.push(Duration::from_nanos(nanos));
    }
    setups.sort();
    println!("computer player ({} build)", build_kind());
    println!(
        "set-up of the table, first call in a fresh process ({SETUP_RUNS} processes): \
         median {}, fastest {}, slowest {}",
        show(median(&setups)),
        show(setups.first().copied().unwrap_or_default()),
        show(setups.last().copied().unwrap_or_default()),
    );

    let empty = Game::new(Player::X);
    let positions = positions_in_play();
    println!(
        "positions in play (either player first): {}",
        positions.len()
    );

    let mut computer = Computer::new(Level::Perfect, 1);
    let per_move = time_rounds(1_000, 500, || {
        black_box(computer.choose(black_box(&empty)));
    });
    println!(
        "perfect move from the empty board: {}",
        show_rounds(&per_move)
    );

    let (mean, slowest) = time_over(&positions, 100, |game| {
        black_box(computer.choose(black_box(game)));
    });
    println!(
        "perfect move, mean over every position in play: {}; slowest position: {}",
        show(mean),
        show(slowest)
    );

    for level in [Level::Easy, Level::Medium, Level::Hard] {
        let mut computer = Computer::new(level, 1);
        let (mean, _) = time_over(&positions, 100, |game| {
            black_box(computer.choose(black_box(game)));
        });
        println!(
            "{level} move, mean over every position in play: {}",
            show(mean)
        );
    }

    let per_eval = time_rounds(1_000, 500, || {
        black_box(evaluate(black_box(&empty)));
    });
    println!("evaluate, empty board: {}", show_rounds(&per_eval));
    let (mean, slowest) = time_over(&positions, 100, |game| {
        black_box(evaluate(black_box(game)));
    });
    println!(
        "evaluate, mean over every position in play: {}; slowest position: {}",
        show(mean),
        show(slowest)
    );
    Ok(())
}

/// The time of the first `evaluate` in this process, which builds the table.
fn time_first_call() -> Duration {
    let start = Instant::now();
    black_box(evaluate(black_box(&Game::new(Player::X))));
    start.elapsed()
}

/// Per-call times of `f` over `rounds` short rounds of `calls` calls each, after a warm-up,
/// fastest first. Short rounds, so that many run without another program taking the core, and
/// the fastest of them shows the cost of the code rather than of a busy machine.
fn time_rounds(calls: u32, rounds: usize, mut f: impl FnMut()) -> Vec<Duration> {
    for _ in 0..calls {
        f();
    }
    let mut times: Vec<Duration> = (0..rounds)
        .map(|_| {
            let start = Instant::now();
            for _ in 0..calls {
                f();
            }
            start.elapsed() / calls
        })
        .collect();
    times.sort();
    times
}

/// The per-call time of `f` in the fastest of a few short rounds: see [`time_rounds`].
fn time_per_call(calls: u32, f: impl FnMut()) -> Duration {
    time_rounds(calls, 5, f)
        .first()
        .copied()
        .unwrap_or_default()
}

/// "fastest round X, median round Y" for a sorted list of round times.
fn show_rounds(sorted: &[Duration]) -> String {
    format!(
        "{} (fastest of {} rounds; median round {})",
        show(sorted.first().copied().unwrap_or_default()),
        sorted.len(),
        show(median(sorted))
    )
}

/// Times `f` on each game, as [`time_per_call`] does: the mean over all games and the slowest game.
fn time_over(games: &[Game], calls: u32, mut f: impl FnMut(&Game)) -> (Duration, Duration) {
    let mut total = Duration::ZERO;
    let mut slowest = Duration::ZERO;
    for game in games {
        let each = time_per_call(calls, || f(game));
        total += each;
        slowest = slowest.max(each);
    }
    let count = u32::try_from(games.len()).unwrap_or(u32::MAX).max(1);
    (total / count, slowest)
}

/// Every position reachable from an empty board, with X or O first, where the game is still on.
fn positions_in_play() -> Vec<Game> {
    let mut seen = std::collections::HashSet::new();
    let mut found = Vec::new();
    let mut stack = vec![Game::new(Player::X), Game::new(Player::O)];
    while let Some(game) = stack.pop() {
        if game.is_over() || !seen.insert((*game.board(), game.side_to_move())) {
            continue;
        }
        for cell in Cell::ALL {
            let mut child = game.clone();
            if child.play(cell).is_ok() {
                stack.push(child);
            }
        }
        found.push(game);
    }
    found
}

fn median(sorted: &[Duration]) -> Duration {
    sorted.get(sorted.len() / 2).copied().unwrap_or_default()
}

/// A duration in the unit that suits it.
fn show(duration: Duration) -> String {
    let nanos = duration.as_secs_f64() * 1e9;
    if nanos < 1e3 {
        format!("{nanos:.0} ns")
    } else if nanos < 1e6 {
        format!("{:.1} µs", nanos / 1e3)
    } else {
        format!("{:.2} ms", nanos / 1e6)
    }
}

const fn build_kind() -> &'static str {
    if cfg!(debug_assertions) {
        "debug"
    } else {
        "optimised"
    }
}
