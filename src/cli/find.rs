//! `tictactoe find`: the games hosted on this network, found by DNS-SD over multicast DNS.
//!
//! Looks for `--seconds` (default 2), then prints one line per game still listed,
//! `game: NAME at ADDR` with ADDR exactly as `tictactoe join ADDR` takes it (a match being
//! played says so, with the `tictactoe watch` line that follows it), or
//! `no games found on this network`, and exits 0. Needs no display.

use std::io::Write as _;
use std::process::ExitCode;
use std::time::{Duration, Instant};

use crate::net::discovery::{Browser, Discovery, FoundGame, Mdns};
use crate::net::{PROTOCOL_VERSION, no_wake, wire::APP_VERSION};

/// The command line of `tictactoe find`.
#[derive(Clone, Debug, clap::Args)]
pub struct FindArgs {
    /// How long to look, in seconds
    #[arg(long, value_name = "N", default_value_t = 2, value_parser = clap::value_parser!(u64).range(1..=60))]
    pub seconds: u64,
}

/// Runs `tictactoe find`.
pub fn find_main(args: &FindArgs) -> anyhow::Result<ExitCode> {
    let mut browser = match Browser::start(Mdns::system(), no_wake()) {
        Ok(browser) => browser,
        Err(error) => {
            eprintln!("{error}");
            return Ok(ExitCode::FAILURE);
        }
    };
    let games = look(&mut browser, Duration::from_secs(args.seconds));
    let mut out = std::io::stdout();
    if games.is_empty() {
        writeln!(out, "no games found on this network")?;
    }
    for game in &games {
        writeln!(out, "{}", line(game))?;
    }
    Ok(ExitCode::SUCCESS)
}

/// The games listed at the end of `how_long`, in the order they were first seen.
fn look(browser: &mut Browser, how_long: Duration) -> Vec<FoundGame> {
    let deadline = Instant::now() + how_long;
    let mut games: Vec<FoundGame> = Vec::new();
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() {
            return games;
        }
        match browser.recv_timeout(left) {
            Some(Discovery::Found(game)) => match games.iter_mut().find(|g| g.id == game.id) {
                Some(known) => *known = game,
                None => games.push(game),
            },
            Some(Discovery::Lost { id }) => games.retain(|g| g.id != id),
            None => {}
        }
    }
}

/// `game: Ann at 192.168.1.5:7878`, then the game when it is not classic (`, Gomoku`), with what
/// a joiner must know in brackets after it.
fn line(game: &FoundGame) -> String {
    let ip_port = game.ip_port().unwrap_or_default();
    let mut text = format!("game: {} at {ip_port}", game.name);
    match game.game {
        Some(variant) if !variant.is_classic() => text.push_str(&format!(", {}", variant.title())),
        Some(_) => {}
        None => text.push_str(", a game this version does not know"),
    }
    if !game.compatible() {
        text.push_str(&format!(
            " (another version: Tic-Tac-Toe {} with protocol {}; you have {APP_VERSION} with protocol {PROTOCOL_VERSION})",
            if game.app.is_empty() { "?" } else { &game.app },
            game.protocol
        ));
    } else if game.playing {
        text.push_str(&format!(
            " (being played: watch it with tictactoe watch {ip_port})"
        ));
    } else if game.seat_code {
        text.push_str(" (asks for a seat code)");
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::game::Variant;

    fn game(protocol: u32, seat_code: bool) -> FoundGame {
        FoundGame {
            id: "Ann [1]._tictactoe._tcp.local.".to_owned(),
            name: "Ann".to_owned(),
            addrs: vec!["192.168.77.2:7878".parse().unwrap()],
            seat_code,
            protocol,
            app: "9.9.9".to_owned(),
            watch: true,
            playing: false,
            game: Some(Variant::Classic),
        }
    }

    #[test]
    fn a_bigger_game_is_named_and_an_unknown_one_is_not_offered() {
        let gomoku = FoundGame {
            game: Some(Variant::Gomoku),
            ..game(PROTOCOL_VERSION, false)
        };
        assert_eq!(line(&gomoku), "game: Ann at 192.168.77.2:7878, Gomoku");
        let unknown = FoundGame {
            game: None,
            ..game(PROTOCOL_VERSION, false)
        };
        assert!(!unknown.compatible());
        assert!(
            line(&unknown).starts_with(
                "game: Ann at 192.168.77.2:7878, a game this version does not know (another version"
            ),
            "{}",
            line(&unknown)
        );
    }

    #[test]
    fn lines_name_the_game_and_the_address_join_takes() {
        assert_eq!(
            line(&game(PROTOCOL_VERSION, false)),
            "game: Ann at 192.168.77.2:7878"
        );
        assert_eq!(
            line(&game(PROTOCOL_VERSION, true)),
            "game: Ann at 192.168.77.2:7878 (asks for a seat code)"
        );
        let playing = FoundGame {
            playing: true,
            ..game(PROTOCOL_VERSION, true)
        };
        assert_eq!(
            line(&playing),
            "game: Ann at 192.168.77.2:7878 (being played: watch it with tictactoe watch \
             192.168.77.2:7878)"
        );
        let other = line(&game(PROTOCOL_VERSION + 1, false));
        assert!(
            other.starts_with("game: Ann at 192.168.77.2:7878 (another version: Tic-Tac-Toe 9.9.9"),
            "{other}"
        );
    }
}
