//! How strong the computer is at Ultimate and Gomoku: for each game, hard against medium and
//! medium against easy, colours alternating, and how long a hard move takes. Prints figures;
//! asserts nothing.
//!
//! Run with `cargo bench --bench variants` (`-- --games N` for another number of games a pairing
//! than 100). The games of a pairing are shared between two named threads, so a hard move's time
//! is measured on a machine as busy as two games at once make it.

use std::time::{Duration, Instant};

use tictactoe::game::{Computer, Intent, Level, Match, Player, Table, Variant, Verdict};

/// What one game of a pairing gave.
struct Played {
    /// The stronger side's result: won, drawn or lost.
    verdict: Verdict,
    /// The stronger side's mark.
    strong: Player,
    /// The time of each of the stronger side's moves, when it plays hard.
    hard_moves: Vec<Duration>,
}

/// Plays game number `number` of `variant` between `strong` and `weak`; the stronger side is X in
/// even-numbered games and O in odd ones.
fn play(variant: Variant, strong: Level, weak: Level, number: u64) -> Played {
    let strong_mark = if number.is_multiple_of(2) {
        Player::X
    } else {
        Player::O
    };
    let mut computers = [
        Computer::new(strong, 1_000 + number),
        Computer::new(weak, 2_000 + number),
    ];
    let mut state = Match::new_variant(variant, Table::Local, "strong", "weak");
    let mut hard_moves = Vec::new();
    while let Some(seat) = state.to_move() {
        let is_strong = seat == strong_mark;
        let computer = &mut computers[usize::from(!is_strong)];
        let start = Instant::now();
        let Some(cell) = computer.choose(state.game()) else {
            break;
        };
        if is_strong && strong == Level::Hard {
            hard_moves.push(start.elapsed());
        }
        if state.act(seat, Intent::Play(cell)).is_err() {
            break;
        }
    }
    Played {
        verdict: state.result().unwrap_or(Verdict::Unfinished),
        strong: strong_mark,
        hard_moves,
    }
}

/// Plays `games` games of a pairing on two threads.
fn pairing(variant: Variant, strong: Level, weak: Level, games: u64) -> Vec<Played> {
    let halves: Vec<_> = (0..2)
        .filter_map(|half| {
            std::thread::Builder::new()
                .name(format!("{variant}-{strong}-{weak}-{half}"))
                .spawn(move || {
                    (0..games)
                        .filter(|n| n % 2 == half)
                        .map(|n| play(variant, strong, weak, n))
                        .collect::<Vec<_>>()
                })
                .ok()
        })
        .collect();
    halves
        .into_iter()
        .filter_map(|half| half.join().ok())
        .flatten()
        .collect()
}

fn show(duration: Duration) -> String {
    format!("{:.0} ms", duration.as_secs_f64() * 1_000.0)
}

fn main() {
    let games = std::env::args()
        .skip_while(|arg| arg != "--games")
        .nth(1)
        .and_then(|n| n.parse().ok())
        .unwrap_or(100);
    let kind = if cfg!(debug_assertions) {
        "debug"
    } else {
        "optimised"
    };
    println!("computer strength at the bigger games ({kind} build, {games} games a pairing)");
    // `--game NAME` measures one game only.
    let only: Option<Variant> = std::env::args()
        .skip_while(|arg| arg != "--game")
        .nth(1)
        .and_then(|name| name.parse().ok());
    for variant in [Variant::Ultimate, Variant::Gomoku] {
        if only.is_some_and(|only| only != variant) {
            continue;
        }
        for (strong, weak) in [(Level::Hard, Level::Medium), (Level::Medium, Level::Easy)] {
            let started = Instant::now();
            let played = pairing(variant, strong, weak, games);
            let (mut won, mut drawn, mut lost, mut unfinished) = (0, 0, 0, 0);
            let mut times = Vec::new();
            for game in &played {
                match game.verdict {
                    Verdict::Win(winner) if winner == game.strong => won += 1,
                    Verdict::Win(_) => lost += 1,
                    Verdict::Draw => drawn += 1,
                    Verdict::Unfinished => unfinished += 1,
                }
                times.extend_from_slice(&game.hard_moves);
            }
            let decided = won + lost;
            let share = if decided == 0 {
                0.0
            } else {
                100.0 * f64::from(won) / f64::from(decided)
            };
            println!(
                "{variant}: {strong} vs {weak}: {won} won, {drawn} drawn, {lost} lost{} — \
                 {share:.1} % of decided games won (target at least 75 %), {:.0} s",
                if unfinished > 0 {
                    format!(", {unfinished} unfinished")
                } else {
                    String::new()
                },
                started.elapsed().as_secs_f64()
            );
            if !times.is_empty() {
                times.sort();
                let median = times.get(times.len() / 2).copied().unwrap_or_default();
                let worst = times.last().copied().unwrap_or_default();
                println!(
                    "{variant}: hard move over {} moves: median {}, worst {}",
                    times.len(),
                    show(median),
                    show(worst)
                );
            }
        }
    }
}
