//! `tictactoe host` and `tictactoe join`: a networked match from the terminal, by a person typing
//! moves 1–9 or by the computer; `tictactoe watch`: the same match followed without playing.
//!
//! Needs no display. Talks to [`crate::net`] through the same handles the window uses. After each
//! game both sides print `result: x wins`, `result: o wins` or `result: draw`; after the number of
//! games asked for (rematches, the first player alternating) both print
//! `match: N games, x wins A, o wins B, draws C` and exit 0. Every game is added to the history,
//! as the window adds its own. A watcher prints the same lines, from the same code, once the
//! players have left, and records nothing. Chat heard is printed as `chat: NAME: TEXT`.

use std::io::{BufRead as _, Write as _};
use std::process::ExitCode;
use std::sync::mpsc;
use std::time::Duration;

use anyhow::Context as _;
use rand::TryRngCore as _;

use crate::cli::play::{board_text, where_to_play};
use crate::cli::relay::{identity, relays_from};
use crate::game::{
    Bot, Computer, Driver, Ending, Game, Intent, Level, Player, Role, Variant, Verdict,
};
use crate::net::host::P2pHost;
use crate::net::invite::Invite;
use crate::net::{
    DEFAULT_PORT, HostConfig, JoinConfig, NetEvent, NetLink, Presence, Reach, RouterEvent, Stage,
    View, discovery::Mdns, host, join, lan, no_wake,
};
use crate::record::{Mode, Record};
use crate::store::HistoryStore;

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
    /// The game: classic (3×3), ultimate (nine small boards) or gomoku (15×15, five in a row)
    #[arg(long, value_name = "GAME", default_value = "classic")]
    pub game: Variant,
    /// Require this seat code from the joiner
    #[arg(long, value_name = "CODE")]
    pub seat_code: Option<String>,
    /// Agree to an agreed series when the joiner asks for one: each next game starts as soon as
    /// one ends, with no rematch asked
    #[arg(long)]
    pub auto_rematch: bool,
    /// How long to hold the seat of a joiner whose connection dropped, in seconds, before the
    /// win may be claimed
    #[arg(long, value_name = "SECONDS", default_value_t = 60, value_parser = clap::value_parser!(u64).range(1..=3600))]
    pub grace: u64,
    /// Do not ask the router to open the port to the internet (NAT-PMP, PCP, UPnP)
    #[arg(long)]
    pub no_router: bool,
    /// Do not list the game on this network (DNS-SD), so `tictactoe find` does not show it
    #[arg(long)]
    pub unlisted: bool,
    /// Refuse watchers: only the opponent may connect
    #[arg(long)]
    pub no_watchers: bool,
    /// Let watchers chat too (by default only the players chat)
    #[arg(long)]
    pub watchers_chat: bool,
    /// The relay to be reached through when no direct path works: a URL as `tictactoe relay`
    /// prints it, or `off` for none (default: the public relays; `TICTACTOE_RELAY` sets it too)
    #[arg(long, value_name = "URL")]
    pub relay: Option<String>,
}

/// The command line of `tictactoe watch`.
#[derive(Clone, Debug, clap::Args)]
pub struct WatchArgs {
    /// The host's address, as a person types it.
    #[arg(
        value_name = "ADDR",
        help = "The host: 192.168.1.5, 192.168.1.5:7878, fe80::1, [::1]:7878, a computer name, or an invite link (tictactoe://join?…)"
    )]
    pub addr: String,
    /// Your name, shown beside your chat if the host lets watchers chat
    #[arg(long, default_value = "Watcher")]
    pub name: String,
    /// The seat code shown on the host's screen, if it asks for one
    #[arg(long, value_name = "CODE")]
    pub seat_code: Option<String>,
}

/// The command line of `tictactoe join`.
#[derive(Clone, Debug, clap::Args)]
pub struct JoinArgs {
    /// The host's address, as a person types it.
    #[arg(
        value_name = "ADDR",
        help = "The host: 192.168.1.5, 192.168.1.5:7878, [::1]:7878, fe80::1%eth0, a computer name, or an invite link (tictactoe://join?…)"
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
        game: args.game,
        seat_code: args.seat_code.clone(),
        driver: args.bot.map(bot),
        auto_rematch: args.auto_rematch,
        timing: crate::net::Timing {
            grace: std::time::Duration::from_secs(args.grace),
            ..crate::net::Timing::default()
        },
        reach: Reach {
            listed: (!args.unlisted).then(Mdns::system),
            router: !args.no_router,
            // A port open to the internet asks for a seat code, unless one was chosen.
            seat_code_when_open: args.seat_code.is_none(),
        },
        watchers: !args.no_watchers,
        watchers_chat: args.watchers_chat,
        p2p: Some(P2pHost {
            identity: identity(),
            relays: relays_from(args.relay.as_deref())?,
        }),
        ..HostConfig::default()
    };
    let mut handle = host::start(config, no_wake()).context("could not start hosting")?;
    let interrupted = stop_on_ctrl_c(&handle)?;
    let mut out = std::io::stdout();
    for addr in handle.local_addrs() {
        writeln!(out, "listening on {addr}")?;
    }
    let friend_addrs = lan::friend_addrs();
    for addr in &friend_addrs {
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
    // The link carries the relay once the endpoint has reached it (a few seconds at most).
    handle.wait_for_relay(RELAY_WAIT);
    let invite = Invite {
        name: crate::game::clean_name(&args.name),
        game: args.game,
        seat_code: handle.seat_code().map(str::to_owned),
        addrs: friend_addrs
            .iter()
            .map(|addr| addr.ip_port(handle.port()))
            .take(crate::net::invite::MAX_ADDRS)
            .collect(),
        p2p: handle.p2p_addr(),
    };
    if !invite.addrs.is_empty() || invite.p2p.is_some() {
        writeln!(out, "invite link: {}", invite.to_link())?;
    }
    writeln!(out, "waiting for a player to join…")?;
    let mut session = Session::new(args.games, args.bot.is_none());
    session.invite = Some(invite);
    let code = session.follow(&mut handle)?;
    if interrupted.load(std::sync::atomic::Ordering::SeqCst) {
        // Dropping the handle ends the match and removes the router's port mapping first.
        drop(handle);
        return Ok(ExitCode::from(130));
    }
    Ok(code)
}

/// Ctrl+C (and, on Unix, SIGTERM) ends hosting as leaving does: the joiner is told, the game
/// is unlisted and the router's mapping removed before the process exits. The flag says it
/// happened.
fn stop_on_ctrl_c(link: &NetLink) -> anyhow::Result<std::sync::Arc<std::sync::atomic::AtomicBool>> {
    let stop = link.shutdown_token();
    let flag = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let set = std::sync::Arc::clone(&flag);
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    std::thread::Builder::new()
        .name("tictactoe-ctrl-c".to_owned())
        .spawn(move || {
            runtime.block_on(async {
                #[cfg(unix)]
                let terminate = async {
                    match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
                    {
                        Ok(mut signal) => drop(signal.recv().await),
                        Err(_) => std::future::pending().await,
                    }
                };
                #[cfg(not(unix))]
                let terminate = std::future::pending::<()>();
                tokio::select! {
                    interrupted = tokio::signal::ctrl_c() => {
                        if interrupted.is_err() {
                            return;
                        }
                    }
                    () = terminate => {}
                }
                set.store(true, std::sync::atomic::Ordering::SeqCst);
                eprintln!("stopping: telling the other player and closing the port…");
                stop.cancel();
            });
        })?;
    Ok(flag)
}

/// Runs `tictactoe join`.
pub fn join_main(args: &JoinArgs) -> anyhow::Result<ExitCode> {
    let config = JoinConfig {
        name: args.name.clone(),
        seat_code: args.seat_code.clone(),
        driver: args.bot.map(bot),
        auto_rematch: args.auto_rematch,
        // A join stopped without leaving (Ctrl+C, a crash) takes its seat back when run again.
        seats: crate::net::SeatStore::from_os(),
        ..JoinConfig::default()
    };
    let mut config = config;
    if Invite::is_link(&args.addr) {
        let invite = match Invite::parse(&args.addr) {
            Ok(invite) => invite,
            Err(error) => {
                eprintln!("{error}");
                return Ok(ExitCode::FAILURE);
            }
        };
        let host = if invite.name.is_empty() {
            "the host"
        } else {
            invite.name.as_str()
        };
        if config.seat_code.is_none() {
            config.seat_code.clone_from(&invite.seat_code);
        }
        if invite.p2p.is_none() {
            // A link of an earlier version: the first of its addresses that answers, in its
            // order; if none does, the first, so that the join says what went wrong with it.
            let addr = crate::net::invite::first_reachable(&invite.addrs, INVITE_TRY_LIMIT)
                .or_else(|| invite.addrs.first().cloned())
                .unwrap_or_default();
            eprintln!("joining {host} at {addr}");
            let mut handle = join::start(&addr, config, no_wake());
            return Session::new(args.games, args.bot.is_none()).follow(&mut handle);
        }
        eprintln!("joining {host}");
        // Every path of the link at once (its addresses over TCP, its key over the
        // peer-to-peer path): the first to answer is kept.
        let mut handle = join::start_invite(&invite, config, no_wake());
        return Session::new(args.games, args.bot.is_none()).follow(&mut handle);
    }
    let mut handle = join::start(&args.addr, config, no_wake());
    Session::new(args.games, args.bot.is_none()).follow(&mut handle)
}

/// How long a host waits for its relay before printing its invite link.
const RELAY_WAIT: Duration = Duration::from_secs(5);

/// How long each of an invite link's addresses is given to answer, all tried at once.
const INVITE_TRY_LIMIT: Duration = Duration::from_secs(3);

/// Runs `tictactoe watch`: prints each game's result and the match's, as the players' terminals
/// do, and exits 0 once the match is over (1 when the host refused or the connection was lost).
pub fn watch_main(args: &WatchArgs) -> anyhow::Result<ExitCode> {
    let config = JoinConfig {
        name: args.name.clone(),
        seat_code: args.seat_code.clone(),
        ..JoinConfig::default()
    };
    let mut handle = if Invite::is_link(&args.addr) {
        match Invite::parse(&args.addr) {
            Ok(invite) => join::watch_invite(&invite, config, no_wake()),
            Err(error) => {
                eprintln!("{error}");
                return Ok(ExitCode::FAILURE);
            }
        }
    } else {
        join::watch(&args.addr, config, no_wake())
    };
    Session::watching().follow(&mut handle)
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
    /// The position the person is asked to move in, while the answer is awaited.
    asking: Option<(Game, Player)>,
    names_shown: bool,
    /// Which side this is and my mark, from the first view: what the records say.
    side: Option<(Role, Player)>,
    /// Where the games are recorded.
    history: HistoryStore,
    /// Disputes heard since the last game was recorded, kept with the next one.
    disputes: Vec<String>,
    /// The host's invite, printed again with the internet address once the router opens one.
    invite: Option<Invite>,
    /// Only watching: nothing is sent or recorded, and the match line comes when it is over.
    watching: bool,
    /// Whether a watcher has been told which game is played.
    game_told: bool,
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
            asking: None,
            names_shown: false,
            side: None,
            history: HistoryStore::from_os(),
            disputes: Vec::new(),
            invite: None,
            watching: false,
            game_told: false,
        }
    }

    /// Following a match as a watcher.
    fn watching() -> Self {
        Self {
            watching: true,
            ..Self::new(u32::MAX, false)
        }
    }

    /// Follows the match on `link` until it ends, sending what the events call for. While the
    /// person is asked for a move, the network is still heard: the host gone, the match over.
    fn follow(mut self, link: &mut NetLink) -> anyhow::Result<ExitCode> {
        let typed = self.human.then(typed_lines).transpose()?;
        loop {
            let step = if let (Some(_), Some(typed)) = (&self.asking, &typed) {
                match typed.recv_timeout(Duration::from_millis(100)) {
                    Ok(line) => self.on_line(line.as_deref())?,
                    Err(mpsc::RecvTimeoutError::Timeout) => match link.try_recv() {
                        Some(event) => self.on_event(&event)?,
                        None => Step::Continue,
                    },
                    Err(mpsc::RecvTimeoutError::Disconnected) => self.on_line(None)?,
                }
            } else {
                let Some(event) = link.blocking_recv() else {
                    return Ok(self.stopped());
                };
                self.on_event(&event)?
            };
            match step {
                Step::Continue => {}
                Step::Send(intent) => {
                    if link.blocking_send(intent).is_err() {
                        return Ok(self.stopped());
                    }
                }
                Step::Exit(code) if self.watching => return Ok(code),
                Step::Exit(code) => {
                    // Done (or the other side is gone): leave, so nothing is kept for a rejoin.
                    // A join stopped any other way (Ctrl+C) keeps its seat for the next run.
                    if link.blocking_send(Intent::Leave).is_err() {
                        tracing::debug!("the network side had already stopped");
                    }
                    return Ok(code);
                }
            }
        }
    }

    fn stopped(&self) -> ExitCode {
        if self.reported >= self.games || (self.watching && self.reported_game == u32::MAX) {
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
            NetEvent::Stage(Stage::Playing) if self.watching && !self.names_shown => {
                self.names_shown = true;
                writeln!(out, "watching")?;
            }
            // Nothing to print: a stage reached, or a line this player typed.
            NetEvent::Stage(Stage::Waiting | Stage::Playing)
            | NetEvent::Said(_)
            | NetEvent::Applied(_) => {}
            NetEvent::Chat(line) => writeln!(out, "chat: {}: {}", line.name, line.text)?,
            NetEvent::Route(route) => writeln!(out, "connected: {route}")?,
            // A watcher prints each game from the events, which are never folded together as
            // views may be when games go fast.
            NetEvent::GameOver(over) if self.watching => {
                let result = over.verdict();
                if result != Verdict::Unfinished && self.reported_game < over.game_number {
                    self.reported_game = over.game_number;
                    self.reported += 1;
                    print_result(result)?;
                }
            }
            NetEvent::GameOver(over) => {
                if let Some((role, you)) = self.side {
                    let mode = Mode::Network { role, you };
                    let record = Record::of_game(jiff::Timestamp::now(), mode, over)
                        .map(|record| record.with_disputes(std::mem::take(&mut self.disputes)));
                    if let Some(record) = record
                        && let Err(error) = self.history.append(&record)
                    {
                        eprintln!("This game could not be added to your history: {error}");
                    }
                }
            }
            NetEvent::Dispute(what) => {
                eprintln!("{what}");
                self.disputes.push(what.clone());
            }
            NetEvent::Refused { message, .. } => writeln!(out, "{message}")?,
            NetEvent::Router(RouterEvent::Open {
                ip_port, seat_code, ..
            }) => {
                writeln!(out, "your friend can join at {ip_port} (internet)")?;
                if let Some(code) = seat_code {
                    writeln!(out, "seat code: {code}")?;
                }
                if let Some(invite) = &mut self.invite {
                    invite.addrs.insert(0, ip_port.clone());
                    invite.addrs.truncate(crate::net::invite::MAX_ADDRS);
                    if seat_code.is_some() {
                        invite.seat_code.clone_from(seat_code);
                    }
                    writeln!(out, "invite link: {}", invite.to_link())?;
                }
            }
            NetEvent::Router(RouterEvent::Failed(error)) => writeln!(out, "{error}")?,
            NetEvent::Error(error) => {
                eprintln!("{error}");
                return Ok(Step::Exit(ExitCode::FAILURE));
            }
            NetEvent::State(view) => return self.on_view(view),
        }
        Ok(Step::Continue)
    }

    fn on_view(&mut self, view: &View) -> anyhow::Result<Step> {
        if self.watching {
            return self.on_watched(view);
        }
        let mut out = std::io::stdout();
        self.side = Some((view.role, view.me));
        if !self.names_shown && view.opponent != Presence::NotJoined {
            self.names_shown = true;
            let game = view.state.variant();
            if !game.is_classic() {
                writeln!(out, "the game: {}", game.title())?;
            }
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
            print_result(result)?;
            if self.reported >= self.games {
                print_match_line(state)?;
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
        if self.human && view.my_turn() {
            if self.asked != Some(position) {
                self.asked = Some(position);
                self.asking = Some((state.game().clone(), view.me));
                prompt(state.game(), view.me)?;
            }
        } else {
            self.asking = None;
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

impl Session {
    /// A view of a match watched: each game's result as it ends, and the match's once it is
    /// over, in the players' words.
    fn on_watched(&mut self, view: &View) -> anyhow::Result<Step> {
        let state = &view.state;
        let game = state.variant();
        if !self.game_told {
            self.game_told = true;
            if !game.is_classic() {
                writeln!(std::io::stdout(), "the game: {}", game.title())?;
            }
        }
        if state.over().is_some() {
            print_match_line(state)?;
            // Marks the match as seen to its end, for the exit status.
            self.reported_game = u32::MAX;
            return Ok(Step::Exit(ExitCode::SUCCESS));
        }
        Ok(Step::Continue)
    }

    /// A line the person typed while asked for a move (`None`: the input ended).
    fn on_line(&mut self, line: Option<&str>) -> anyhow::Result<Step> {
        let Some((game, me)) = self.asking.clone() else {
            return Ok(Step::Continue);
        };
        let Some(line) = line else {
            self.asking = None;
            return Ok(Step::Send(Intent::Leave));
        };
        let mut out = std::io::stdout();
        let variant = game.variant();
        match variant.parse_move(line) {
            Ok(cell) if game.is_legal(cell) => {
                self.asking = None;
                return Ok(Step::Send(Intent::Play(cell)));
            }
            Ok(cell) if variant.is_classic() => {
                writeln!(out, "cell {cell} is taken: choose another")?;
            }
            // The rules say why, in the game's own words ("play in board 5").
            Ok(cell) => match game.check(cell) {
                Err(error) => writeln!(out, "{error}: choose another")?,
                Ok(()) => writeln!(out, "{} cannot be played now", variant.move_text(cell))?,
            },
            Err(error) => writeln!(out, "{error}")?,
        }
        prompt(&game, me)?;
        Ok(Step::Continue)
    }
}

/// The line after each game: `result: x wins`, `result: o wins` or `result: draw`.
fn print_result(result: Verdict) -> std::io::Result<()> {
    writeln!(std::io::stdout(), "result: {result}")
}

/// The last line of a match: `match: N games, x wins A, o wins B, draws C`.
fn print_match_line(state: &crate::game::Match) -> std::io::Result<()> {
    let score = state.score();
    writeln!(
        std::io::stdout(),
        "match: {} games, x wins {}, o wins {}, draws {}",
        score.games(),
        score.x_wins,
        score.o_wins,
        score.draws
    )
}

/// Asks the person for a move, saying how moves of this game are typed.
fn prompt(game: &Game, me: Player) -> std::io::Result<()> {
    let mut out = std::io::stdout();
    let how = match game.variant() {
        Variant::Classic => "1-9".to_owned(),
        Variant::Ultimate => format!("board and cell, such as 53{}", where_to_play(game)),
        Variant::Gomoku => "such as h8".to_owned(),
    };
    write!(out, "your move, {} ({how}): ", me.char())?;
    out.flush()
}

/// The lines typed on standard input, read on a thread of their own; `None` once it ends.
fn typed_lines() -> std::io::Result<mpsc::Receiver<Option<String>>> {
    let (tx, rx) = mpsc::sync_channel(16);
    std::thread::Builder::new()
        .name("tictactoe-stdin".to_owned())
        .spawn(move || {
            let stdin = std::io::stdin();
            let mut line = String::new();
            loop {
                line.clear();
                let read = stdin.lock().read_line(&mut line);
                let typed = match read {
                    Ok(0) | Err(_) => None,
                    Ok(_) => Some(line.clone()),
                };
                let ended = typed.is_none();
                if tx.send(typed).is_err() || ended {
                    return;
                }
            }
        })?;
    Ok(rx)
}
