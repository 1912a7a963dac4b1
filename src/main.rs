//! The `tictactoe` binary: logging, the command line, then the window or a terminal front end.

#![cfg_attr(all(windows, not(debug_assertions)), windows_subsystem = "windows")]

use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// Tic-Tac-Toe for two friends, on one computer or across the network, or against the computer.
#[derive(Debug, Parser)]
#[command(name = "tictactoe", version, about)]
struct Args {
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
    /// List the games played, newest first, or show the statistics
    History(tictactoe::cli::records::HistoryArgs),
    /// Show a saved game move by move, and its result
    Replay(tictactoe::cli::records::ReplayArgs),
}

fn main() -> anyhow::Result<ExitCode> {
    let args = Args::parse();
    init_logging();
    match args.command {
        None => tictactoe::app::run().map(|()| ExitCode::SUCCESS),
        Some(Command::Play(args)) => tictactoe::cli::play::main(&args),
        Some(Command::Host(args)) => tictactoe::cli::net::host_main(&args),
        Some(Command::Join(args)) => tictactoe::cli::net::join_main(&args),
        Some(Command::History(args)) => tictactoe::cli::records::history_main(&args),
        Some(Command::Replay(args)) => tictactoe::cli::records::replay_main(&args),
    }
}

/// Logs to stderr; `RUST_LOG` chooses what (default: warnings and errors).
fn init_logging() {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("warn"));
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .init();
}
