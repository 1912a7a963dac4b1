//! `tictactoe host` and `tictactoe join`: a networked match from the terminal, by a person typing
//! moves 1–9 or by the computer.
//!
//! Needs no display. Talks to [`crate::net`] through the same handles the window uses. After each
//! game both sides print `result: x wins`, `result: o wins` or `result: draw`; after the number of
//! games asked for (rematches, the first player alternating) both print
//! `match: N games, x wins A, o wins B, draws C` and exit 0. Every game is added to the history,
//! as the window adds its own.

use std::io::{BufRead as _, Write as _};
use std::process::ExitCode;

use anyhow::Context as _;
use rand::TryRngCore as _;

use crate::cli::play::board_text;
use crate::game::{Bot, Cell, Computer, Driver, Ending, Game, Intent, Level, Player, Role};
use crate::net::{
    DEFAULT_PORT, HostConfig, JoinConfig, NetEvent, NetLink, Presence, Stage, View, host, join,
    lan, no_wake,
};
use crate::record::{HistoryStore, Mode};

/// The command line of `tictactoe host`.
#[derive(Clone, Debug, clap::Args)]
pub struct HostArgs {
    /// The port to listen on (0 picks a free one)
    #[arg(long, default_value_t = DEFAULT_PORT)]
    pub port: u16,
    /// Let the computer play for you at LEVEL: easy, medium, hard or perfect
    #[arg(long, value_name = "LEVEL")]
    pub bot: Option<Level>,
    /// How many games to play (rematches, the first player alternating)
    #[arg(long, default_value_t = 1, value_parser = clap::value_parser!(u32).range(1..))]
    pub games: u32,
    /// Your name, shown to the other player
    #[arg(long, default_value = "Host")]
    pub name: String,
    /// Require this seat code from the joiner
    #[arg(long, value_name = "CODE")]
    pub seat_code: Option<String>,
    /// Agree to an agreed series when the joiner asks for one: each next game starts as soon as
    /// one ends, with no rematch asked
    #[arg(long)]
    pub auto_rematch: bool,
}

/// The command line of `tictactoe join`.
#[derive(Clone, Debug, clap::Args)]
pub struct JoinArgs {
    /// The host's address, as a person types it.
    #[arg(
        value_name = "ADDR",
        help = "The host: 192.168.1.5, 192.168.1.5:7878, fe80::1, [::1]:7878 or a computer name"
    )]
    pub addr: String,
    /// Let the computer play for you at LEVEL: easy, medium, hard or perfect
    #[arg(long, value_name = "LEVEL")]
    pub bot: Option<Level>,
    /// How many games to play (rematches, the first player alternating)
    #[arg(long, default_value_t = 1, value_parser = clap::value_parser!(u32).range(1..))]
    pub games: u32,
    /// Your name, shown to the other player
    #[arg(long, default_value = "Guest")]
    pub name: String,
    /// The seat code shown on the host's screen, if it asks for one
    #[arg(long, value_name = "CODE")]
    pub seat_code: Option<String>,
    /// Ask the host for an agreed series: each next game starts as soon as one ends
    #[arg(long)]
    pub auto_rematch: bool,
}

/// The computer as the driver of this side's seat. It plays one game at a time: the session
/// asks for each next game.
fn bot(level: Level) -> Box<dyn Driver> {
    let seed = rand::rngs::OsRng.try_next_u64().unwrap_or(0x5eed);
    Box::new(Bot::new(Computer::new(level, seed)))
}

/// Runs `tictactoe host`.
pub fn host_main(args: &HostArgs) -> anyhow::Result<ExitCode> {
    let config = HostConfig {
        port: args.port,
        name: args.name.clone(),
        seat_code: args.seat_code.clone(),
        driver: args.bot.map(bot),
        series: args.auto_rematch,
        ..HostConfig::default()
    };
    let mut handle = host::start(config, no_wake()).context("could not start hosting")?;
    let mut out = std::io::stdout();
    for addr in handle.local_addrs() {
        writeln!(out, "listening on {addr}")?;
    }
    for addr in lan::friend_addrs() {
        writeln!(
            out,
            "your friend can join at {} ({})",
            addr.ip_port(handle.port()),
            addr.scope.label()
        )?;
    }
    if let Some(code) = handle.seat_code() {
        writeln!(out, "seat code: {code}")?;
    }
    writeln!(out, "waiting for a player to join…")?;
    Session::new(args.games, args.bot.is_none()).follow(&mut handle)
}

/// Runs `tictactoe join`.
pub fn join_main(args: &JoinArgs) -> anyhow::Result<ExitCode> {
    let config = JoinConfig {
        name: args.name.clone(),
        seat_code: args.seat_code.clone(),
        driver: args.bot.map(bot),
        series: args.auto_rematch,
        ..JoinConfig::default()
    };
    let mut handle = join::start(&args.addr, config, no_wake());
    Session::new(args.games, args.bot.is_none()).follow(&mut handle)
}

/// What to do after an event.
enum Step {
    Continue,
    Send(Intent),
    Exit(ExitCode),
}

/// Follows a match from the events and decides what to print and send.
struct Session {
    games: u32,
    human: bool,
    /// Results printed so far (games counted).
    reported: u32,
    /// The game number whose result was printed last.
    reported_game: u32,
    /// The move count last drawn, per game, so a board is drawn once per change.
    drawn: Option<(u32, usize)>,
    /// The game number a move was last asked for.
    asked: Option<(u32, usize)>,
    names_shown: bool,
    /// Which side this is and my mark, from the first view: what the records say.
    side: Option<(Role, Player)>,
    /// Where the games are recorded.
    history: HistoryStore,
}

impl Session {
    fn new(games: u32, human: bool) -> Self {
        Self {
            games,
            human,
            reported: 0,
            reported_game: 0,
            drawn: None,
            asked: None,
            names_shown: false,
            side: None,
            history: HistoryStore::from_os(),
        }
    }

    /// Follows the match on `link` until it ends, sending what the events call for.
    fn follow(mut self, link: &mut NetLink) -> anyhow::Result<ExitCode> {
        loop {
            let Some(event) = link.blocking_recv() else {
                return Ok(self.stopped());
            };
            match self.on_event(&event)? {
                Step::Continue => {}
                Step::Send(intent) => {
                    if link.blocking_send(intent).is_err() {
                        return Ok(self.stopped());
                    }
                }
                Step::Exit(code) => return Ok(code),
            }
        }
    }

    fn stopped(&self) -> ExitCode {
        if self.reported >= self.games {
            ExitCode::SUCCESS
        } else {
            ExitCode::FAILURE
        }
    }

    fn on_event(&mut self, event: &NetEvent) -> anyhow::Result<Step> {
        let mut out = std::io::stdout();
        match event {
            NetEvent::Stage(Stage::Connecting { ip_port }) => {
                writeln!(out, "connecting to {ip_port}…")?;
            }
            NetEvent::Stage(Stage::Reconnecting {
                attempt, retry_in, ..
            }) => writeln!(
                out,
                "connection lost: trying again in {} s (attempt {attempt})",
                retry_in.as_secs()
            )?,
            NetEvent::Stage(Stage::Ended) => return Ok(Step::Exit(self.stopped())),
            NetEvent::Stage(Stage::Waiting | Stage::Playing) => {}
            NetEvent::GameOver(over) => {
                if let Some((role, you)) = self.side {
                    let mode = Mode::Network { role, you };
                    if let Err(error) = self.history.record_game(jiff::Timestamp::now(), mode, over)
                    {
                        eprintln!("This game could not be added to your history: {error}");
                    }
                }
            }
            NetEvent::Refused { message, .. } => writeln!(out, "{message}")?,
            NetEvent::Error(error) => {
                eprintln!("{error}");
                return Ok(Step::Exit(ExitCode::FAILURE));
            }
            NetEvent::State(view) => return self.on_view(view),
        }
        Ok(Step::Continue)
    }

    fn on_view(&mut self, view: &View) -> anyhow::Result<Step> {
        let mut out = std::io::stdout();
        self.side = Some((view.role, view.me));
        if !self.names_shown && view.opponent != Presence::NotJoined {
            self.names_shown = true;
            writeln!(
                out,
                "X: {}, O: {}; you play {}",
                view.name(Player::X),
                view.name(Player::O),
                view.me.as_str()
            )?;
        }
        let state = &view.state;
        let position = (state.game_number(), state.game().moves().len());
        if self.human && self.drawn != Some(position) && view.opponent != Presence::NotJoined {
            self.drawn = Some(position);
            write!(out, "{}", board_text(state.game().board()))?;
        }
        if let Some(result) = state.result()
            && self.reported_game < state.game_number()
        {
            self.reported_game = state.game_number();
            self.reported += 1;
            writeln!(out, "result: {result}")?;
            if self.reported >= self.games {
                let score = state.score();
                writeln!(
                    out,
                    "match: {} games, x wins {}, o wins {}, draws {}",
                    score.games(),
                    score.x_wins,
                    score.o_wins,
                    score.draws
                )?;
                return Ok(Step::Exit(ExitCode::SUCCESS));
            }
            // In an agreed series the host starts the next game by itself.
            if state.over().is_none() && !state.series() {
                return Ok(Step::Send(Intent::Rematch));
            }
        }
        if let Some(over) = state.over() {
            let side = if over.player() == Some(view.me) {
                "you"
            } else {
                "your opponent"
            };
            let how = match over {
                Ending::Abandoned { .. } => "stayed away too long",
                _ => "left",
            };
            writeln!(out, "the match ended: {side} {how}")?;
            return Ok(Step::Exit(self.stopped()));
        }
        if self.human && view.my_turn() && self.asked != Some(position) {
            self.asked = Some(position);
            if let Some(cell) = ask_move(state.game(), view.me)? {
                return Ok(Step::Send(Intent::Play(cell)));
            }
            return Ok(Step::Send(Intent::Leave));
        }
        if view.role == Role::Host && view.can_claim_win() {
            writeln!(
                out,
                "your opponent has been away too long: claiming the win"
            )?;
            return Ok(Step::Send(Intent::ClaimWin));
        }
        Ok(Step::Continue)
    }
}

/// Asks the person for a move until they type a legal one; `None` when the input ends.
fn ask_move(game: &Game, me: Player) -> anyhow::Result<Option<Cell>> {
    let mut out = std::io::stdout();
    let stdin = std::io::stdin();
    let mut line = String::new();
    for _ in 0..1000 {
        write!(out, "your move, {} (1-9): ", me.char())?;
        out.flush()?;
        line.clear();
        if stdin.lock().read_line(&mut line)? == 0 {
            return Ok(None);
        }
        match line.parse::<Cell>() {
            Ok(cell) if game.is_legal(cell) => return Ok(Some(cell)),
            Ok(cell) => writeln!(out, "cell {cell} is taken: choose another")?,
            Err(error) => writeln!(out, "{error}")?,
        }
    }
    Ok(None)
}
