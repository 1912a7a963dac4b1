//! `tictactoe history` and `tictactoe replay FILE`: the game history and saved games, read in a
//! terminal.
//!
//! Reads only: never changes the history file (the window repairs a damaged one when it starts).
//! Needs no display.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use crate::cli::play::board_text;
use crate::game::{Event, Match, Player, Variant};
use crate::record::stats::stats;
use crate::record::{Record, Stats, local_time_text};
use crate::store::{HistoryStore, read_file};

/// The command line of `tictactoe history`.
#[derive(Clone, Debug, clap::Args)]
pub struct HistoryArgs {
    /// Show the statistics (wins, losses and draws against each opponent, streaks) instead
    #[arg(long)]
    pub stats: bool,

    /// How many recent games to list, newest first
    #[arg(short = 'n', long = "games", value_name = "N", default_value_t = 20)]
    pub games: usize,

    /// Only the games of GAME: classic, ultimate or gomoku (default: every game)
    #[arg(long, value_name = "GAME")]
    pub game: Option<Variant>,
}

/// The command line of `tictactoe replay`.
#[derive(Clone, Debug, clap::Args)]
pub struct ReplayArgs {
    /// A saved game (see docs/RECORD-FORMAT.md)
    #[arg(value_name = "FILE")]
    pub file: PathBuf,
}

/// Runs `tictactoe history`: the recent games one per line, or the statistics.
///
/// Damaged games in the file are reported on stderr, naming their line; the rest are shown. Exit
/// status 1 when the file cannot be read at all.
pub fn history_main(args: &HistoryArgs) -> anyhow::Result<ExitCode> {
    let store = HistoryStore::from_os();
    let read = match store.read() {
        Ok(read) => read,
        Err(error) => {
            eprintln!("{error}");
            return Ok(ExitCode::FAILURE);
        }
    };
    let path = store
        .path()
        .map_or_else(|| "the history".to_owned(), |p| p.display().to_string());
    for damage in &read.damage {
        eprintln!("{path}: {damage} (this game is skipped)");
    }
    let mut out = std::io::stdout().lock();
    let records: Vec<Record> = match args.game {
        Some(game) => read
            .records
            .into_iter()
            .filter(|record| record.variant() == game)
            .collect(),
        None => read.records,
    };
    if args.stats {
        write_stats(&mut out, &stats(&records))?;
        if args.game.is_none() {
            write_games_played(&mut out, &records)?;
        }
    } else {
        write_history(&mut out, &records, args.games)?;
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

/// The newest `count` games, newest first, one per line.
pub fn write_history(
    out: &mut impl Write,
    records: &[Record],
    count: usize,
) -> std::io::Result<()> {
    if records.is_empty() {
        return writeln!(out, "No games played yet.");
    }
    let mut newest: Vec<&Record> = records.iter().collect();
    newest.sort_by_key(|r| std::cmp::Reverse(r.played_at()));
    for record in newest.into_iter().take(count) {
        writeln!(
            out,
            "{}  {}",
            local_time_text(record.played_at()),
            record.summary()
        )?;
    }
    Ok(())
}

/// When more than one game was played, how many of each: `by game: classic 5, gomoku 2` (what
/// `--game` shows apart).
pub fn write_games_played(out: &mut impl Write, records: &[Record]) -> std::io::Result<()> {
    let counts: Vec<(Variant, usize)> = Variant::ALL
        .into_iter()
        .map(|game| (game, records.iter().filter(|r| r.variant() == game).count()))
        .filter(|&(_, count)| count > 0)
        .collect();
    if counts.len() < 2 {
        return Ok(());
    }
    let counts: Vec<String> = counts
        .iter()
        .map(|(game, count)| format!("{game} {count}"))
        .collect();
    writeln!(out, "by game: {} (see one with --game)", counts.join(", "))
}

/// The statistics as lines of text.
pub fn write_stats(out: &mut impl Write, stats: &Stats) -> std::io::Result<()> {
    let Some(last) = stats.last_played else {
        return writeln!(out, "No games played yet.");
    };
    writeln!(
        out,
        "games: {}, last played {}",
        stats.games,
        local_time_text(last)
    )?;
    if let Some(total) = stats.total {
        writeln!(
            out,
            "you: won {}, lost {}, drawn {}, unfinished {}",
            total.wins, total.losses, total.draws, total.unfinished
        )?;
        writeln!(
            out,
            "current streak: {}; best winning streak: {}",
            stats.current_streak, stats.best_win_streak
        )?;
        writeln!(out, "against:")?;
        for (opponent, tally) in &stats.opponents {
            writeln!(
                out,
                "  {opponent}: won {}, lost {}, drawn {}, unfinished {}; last played {}",
                tally.wins,
                tally.losses,
                tally.draws,
                tally.unfinished,
                local_time_text(tally.last_played)
            )?;
        }
    }
    if !stats.pairs.is_empty() {
        writeln!(out, "on this computer:")?;
        for pair in &stats.pairs {
            writeln!(
                out,
                "  {} {} – {} {}, drawn {}; last played {}",
                pair.names[0],
                pair.wins[0],
                pair.wins[1],
                pair.names[1],
                pair.draws,
                local_time_text(pair.last_played)
            )?;
        }
    }
    Ok(())
}

/// Runs `tictactoe replay FILE`: the game move by move, each with the board, then the result.
///
/// A file that is not a valid record gets one line on stderr naming the line and the problem, and
/// exit status 1.
pub fn replay_main(args: &ReplayArgs) -> anyhow::Result<ExitCode> {
    let record = match read_file(&args.file) {
        Ok(record) => record,
        Err(error) => {
            eprintln!("{error}");
            return Ok(ExitCode::FAILURE);
        }
    };
    let mut out = std::io::stdout().lock();
    write_replay(&mut out, &record)?;
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

/// The game move by move: a heading, each move with the board after it, how it ended, and the
/// `result:` line last (`x wins`, `o wins`, `draw` or `unfinished`).
pub fn write_replay(out: &mut impl Write, record: &Record) -> std::io::Result<()> {
    writeln!(
        out,
        "X: {} v O: {}, {}, {}",
        record.name(Player::X),
        record.name(Player::O),
        record.mode().describe(),
        local_time_text(record.played_at())
    )?;
    let variant = record.variant();
    if variant.is_classic() {
        writeln!(out, "{} moves first.", record.first())?;
    } else {
        writeln!(out, "{}: {} moves first.", variant.title(), record.first())?;
    }
    // The game's events, stepped through the rules as any match's are.
    let names = [record.name(Player::X), record.name(Player::O)];
    let mut replay = Match::for_game_of(variant, names, 1, record.first());
    for event in record.game_over().events() {
        // The record was checked when it was read, so every event fits.
        if let Err(error) = replay.apply(event) {
            tracing::error!(%error, "a checked record did not replay");
            break;
        }
        if let Event::Moved { player, cell } = event {
            let number = replay.game().moves().len();
            let board = board_text(replay.game().board());
            if variant.is_classic() {
                write!(
                    out,
                    "\nmove {number}: {player} on {cell} ({})\n{board}",
                    cell.name()
                )?;
            } else {
                // Gomoku's name is the move itself (h8); Ultimate's says board and cell.
                let text = variant.move_text(cell);
                let name = variant.cell_name(cell);
                let named = if name == text {
                    text
                } else {
                    format!("{text} ({name})")
                };
                write!(out, "\nmove {number}: {player} on {named}\n{board}")?;
            }
        }
    }
    writeln!(out, "\n{}: {}.", record.verdict_text(), record.how_text())?;
    writeln!(out, "result: {}", record.verdict())
}
