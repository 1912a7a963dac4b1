//! The `tictactoe` binary: logging, the command line, then the window or a terminal front end.
//!
//! On Windows the release exe is a GUI program, so no console window opens beside the game; a
//! terminal command first joins the console it was started from (`src/windows_console.rs`).

#![cfg_attr(all(windows, not(debug_assertions)), windows_subsystem = "windows")]

use std::process::ExitCode;

use clap::{Parser, Subcommand};

#[cfg(windows)]
mod windows_console;

/// Tic-Tac-Toe for two friends, on one computer or across the network, or against the computer.
#[derive(Debug, Parser)]
#[command(
    name = "tictactoe",
    version,
    about,
    args_conflicts_with_subcommands = true
)]
struct Args {
    /// An invite link to open in the window, on the join screen.
    #[arg(
        value_name = "LINK",
        help = "An invite link (tictactoe://join?…) to open in the window, on the join screen"
    )]
    link: Option<String>,
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Play in the terminal: two people taking turns, or against the computer
    Play(tictactoe::cli::play::PlayArgs),
    /// Host a match over the network and wait for a player to join
    Host(tictactoe::cli::net::HostArgs),
    /// Join a match hosted over the network
    Join(tictactoe::cli::net::JoinArgs),
    /// Watch a match hosted over the network, printing each result
    Watch(tictactoe::cli::net::WatchArgs),
    /// Run a relay for friends whose computers cannot reach each other directly; prints its URL
    Relay(tictactoe::cli::relay::RelayArgs),
    /// List the games hosted on this network
    Find(tictactoe::cli::find::FindArgs),
    /// List the games played, newest first, or show the statistics
    History(tictactoe::cli::records::HistoryArgs),
    /// Show a saved game move by move, and its result
    Replay(tictactoe::cli::records::ReplayArgs),
}

fn main() -> anyhow::Result<ExitCode> {
    // Anything on the command line is a terminal command (or --help, or a mistake clap explains):
    // it prints in the console it was typed in. The window alone needs no console.
    #[cfg(windows)]
    if std::env::args_os().len() > 1 {
        windows_console::attach_to_parent_console();
    }
    let args = Args::parse();
    init_logging();
    match args.command {
        // A word that is neither a command nor a link is a mistyped command, said as clap says it.
        None if args
            .link
            .as_deref()
            .is_some_and(|link| !tictactoe::net::invite::Invite::is_link(link)) =>
        {
            eprintln!(
                "error: unrecognized subcommand '{}'\n\nFor more information, try '--help'.",
                args.link.unwrap_or_default()
            );
            Ok(ExitCode::from(2))
        }
        None => tictactoe::app::run(args.link.as_deref()).map(|()| ExitCode::SUCCESS),
        Some(Command::Play(args)) => tictactoe::cli::play::main(&args),
        Some(Command::Host(args)) => tictactoe::cli::net::host_main(&args),
        Some(Command::Join(args)) => tictactoe::cli::net::join_main(&args),
        Some(Command::Watch(args)) => tictactoe::cli::net::watch_main(&args),
        Some(Command::Relay(args)) => tictactoe::cli::relay::relay_main(&args),
        Some(Command::Find(args)) => tictactoe::cli::find::find_main(&args),
        Some(Command::History(args)) => tictactoe::cli::records::history_main(&args),
        Some(Command::Replay(args)) => tictactoe::cli::records::replay_main(&args),
    }
}

/// Logs to stderr; `RUST_LOG` chooses what (default: warnings and errors), as a level (`debug`) or
/// per target (`tictactoe=debug,warn`). A value that does not parse keeps the default.
///
/// `Targets` rather than `EnvFilter`: the same directives for what we log, without a regex engine in
/// the binary.
fn init_logging() {
    use tracing_subscriber::filter::{LevelFilter, Targets};
    use tracing_subscriber::prelude::*;

    let filter = std::env::var("RUST_LOG")
        .ok()
        .and_then(|directives| directives.parse::<Targets>().ok())
        .unwrap_or_else(|| Targets::new().with_default(LevelFilter::WARN));
    tracing_subscriber::registry()
        .with(tracing_subscriber::fmt::layer().with_writer(std::io::stderr))
        .with(filter)
        .init();
}
