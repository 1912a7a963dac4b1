//! The window: screens, widgets, settings, and (later) the bridge to the network.
//!
//! Layout:
//! - [`App`]: the top-level state — the current [`Screen`], the settings, a one-time notice.
//!   [`App::logic`] runs every frame before drawing (theme, window size, the computer's move
//!   when it comes due, draining network events); [`App::ui`] only draws and turns what the
//!   player did into one [`Action`].
//! - [`action`]: the [`Action`] enum, a leaf every screen imports; `apply.rs` holds
//!   [`App::apply`], the only place state changes, which knows every screen (never the reverse).
//! - [`match_screen`]: the one match screen for every mode, drawn from a [`match_screen::MatchScreen`]
//!   view model that [`views`] builds for a match at this computer, over the network, or a
//!   replay ([`replay`] holds a replay's state).
//! - Forms and other screens, each a `*_ui` function that draws and returns `Option<Action>`:
//!   [`menu`], [`names`] (asks two names), [`vs_computer`] (sets up a match against the computer,
//!   and holds that match with the computer's chosen reply), [`network`] (hosting and joining).
//! - [`widgets`]: the small widgets screens share; [`move_list`]: the numbered list of moves
//!   beside the board.
//! - [`game_file`]: "Save game…" and "Open game…" — the system's file chooser on a runtime of
//!   its own, and the reading and writing of a game file beneath it; [`open_list`]: the window's
//!   own list of saved games, for a desktop with no file chooser.
//! - [`resume`]: the unfinished match at this computer, kept in a file after every move and
//!   offered again at the next start.
//! - [`board`]: the reusable board widget, [`board_ui`].
//! - [`chrome`]: the top bar (back, theme), the notice of a problem, and the note that something
//!   was done.
//! - [`settings`]: what is remembered between runs, read and written by a [`SettingsStore`].
//! - [`records`]: every game that ends on any screen becomes a [`crate::record::Record`] appended
//!   to the history ([`App::with_history`]); the statistics screen, [`records::stats_ui`], and
//!   the list of games, [`records::history_ui`].
//!
//! Adding a screen: add a [`Screen`] variant holding its state, a `*_ui` function returning
//! `Option<Action>`, an arm in [`App::ui`]'s match, and the [`Action`]s that lead there.
//!
//! Never touches the rules beyond the public API of [`crate::game`]; never does network I/O on
//! the UI thread.

pub mod action;
mod apply;
pub mod board;
pub mod chat;
pub mod chrome;
pub mod game_file;
mod icon;
pub mod match_screen;
pub mod menu;
pub mod move_list;
pub mod names;
pub mod network;
pub mod open_list;
pub mod records;
pub mod replay;
pub mod sound;
pub mod views;
pub mod vs_computer;
pub mod widgets;

use std::time::{Duration, Instant};

pub use crate::store::{ResumeStore, Settings, SettingsStore, ThemeChoice};
pub use action::Action;
pub use apply::screen_record;
pub use board::{BoardOptions, board_ui};
pub use vs_computer::ComputerMatch;

use crate::game::Match;
use crate::net::discovery::Mdns;
use crate::net::seats::Seat;
use crate::net::{SeatStore, Timing, Wake};

/// What a window may do to be found and reached beyond the addresses typed.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
struct WindowReach {
    /// List hosted games and look for others with multicast DNS (`None`: neither).
    listed: Option<Mdns>,
    /// Offer to ask the router to open the host's port.
    router: bool,
}
use crate::record::{Record, Stats};
use crate::store::{HistoryStore, SavedMatch, SavedMode};
pub use game_file::FileEvent;
use names::NamesForm;
use network::{HostForm, Hosting, JoinForm, NetMatch, NetSession};
pub use replay::{Replay, ReplayStep};
use vs_computer::{ComputerForm, ComputerTurn};

/// The app's name, as the window's title ends.
pub const TITLE: &str = "Tic-Tac-Toe";

/// How long the computer's move waits before it is shown, so that it reads as a move.
pub const COMPUTER_DELAY: Duration = Duration::from_millis(400);

/// Which screen the window shows, with that screen's own state.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Screen {
    /// The main menu.
    Menu,
    /// The form asking both names before a match on this computer.
    HotSeatNames(NamesForm),
    /// A match on this computer, two players taking turns.
    HotSeat(Match),
    /// The form setting up a match against the computer.
    ComputerSetup(ComputerForm),
    /// A match against the computer (boxed: the computer's random state is large).
    VsComputer(Box<ComputerMatch>),
    /// The form that sets up hosting a game over the network.
    HostForm(HostForm),
    /// Hosting: the server waits for the friend.
    Hosting(Hosting),
    /// The form that joins a game over the network, and how joining goes.
    Join(JoinForm),
    /// A match over the network.
    Network(Box<NetMatch>),
    /// A past game shown move by move.
    Replay(Box<Replay>),
    /// The statistics drawn from the game history when the screen was opened.
    Statistics(Box<Stats>),
    /// The list of games played, newest first.
    History,
    /// "Open game…" without a file chooser: the games folder's files and a path field.
    OpenList(open_list::OpenList),
}

impl Screen {
    /// The match being played on this screen, if it shows one.
    #[must_use]
    pub const fn series(&self) -> Option<&Match> {
        match self {
            Self::HotSeat(series) => Some(series),
            Self::VsComputer(vs) => Some(vs.series()),
            Self::Menu
            | Self::HotSeatNames(_)
            | Self::ComputerSetup(_)
            | Self::HostForm(_)
            | Self::Hosting(_)
            | Self::Join(_)
            | Self::Network(_)
            | Self::Replay(_)
            | Self::Statistics(_)
            | Self::History
            | Self::OpenList(_) => None,
        }
    }
}

/// What can be chosen when the app is built; tests shorten the delay and fix the seed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct AppOptions {
    /// How long the computer's move waits before it is shown.
    pub computer_delay: Duration,
    /// The seed for the computer's random choices in every match; `None` draws a fresh one from
    /// the operating system for each match.
    pub computer_seed: Option<u64>,
    /// How long a replay's autoplay shows each position.
    pub autoplay_step: Duration,
}

impl Default for AppOptions {
    fn default() -> Self {
        Self {
            computer_delay: COMPUTER_DELAY,
            computer_seed: None,
            autoplay_step: replay::AUTOPLAY_STEP,
        }
    }
}

/// The whole window's state. Build it with [`App::new`]; [`run`] hands it to eframe, tests hand
/// it to `egui_kittest`.
#[derive(Debug)]
pub struct App {
    screen: Screen,
    settings: Settings,
    store: SettingsStore,
    /// Something the player must be told once (e.g. settings moved aside), until dismissed.
    notice: Option<String>,
    /// A match screen ([`Screen::HotSeat`] or [`Screen::VsComputer`]) left for the menu, offered
    /// as "Continue the match".
    suspended: Option<Screen>,
    /// Whether the suspended match was left unfinished when the window last closed (the menu
    /// offers to continue or discard it).
    unfinished: bool,
    /// Where the unfinished match is kept between runs.
    resume: ResumeStore,
    /// The match last written there, so that it is written only when it changes.
    saved: Option<SavedMatch>,
    /// The file dialog being shown, if any ("Open game…", "Save game…").
    file_dialog: Option<game_file::FileDialog>,
    /// Set by [`Action::Quit`]; the next frame asks the window to close.
    quit_requested: bool,
    /// The window's title as last set.
    title: String,
    /// The computer's delay and seed.
    options: AppOptions,
    /// The running server or client, while hosting or joining.
    net: Option<NetSession>,
    /// The network timings used when hosting or joining.
    net_timing: Timing,
    /// Where a joined match's seat is kept while it lasts.
    seats: SeatStore,
    /// Where the host changed what this window had seen, kept with the next game recorded.
    disputes: Vec<String>,
    /// The seat of a networked match this window was playing when it last closed, by host
    /// address, offered as "Rejoin the match".
    rejoin: Option<(String, Seat)>,
    /// The context to wake from network threads, known from the first frame.
    ctx: Option<egui::Context>,
    /// What this window may do to be found and reached beyond the addresses typed.
    reach: WindowReach,
    /// The search for games on this network, while the join form shows.
    browser: Option<crate::net::discovery::Browser>,
    /// Where finished games are recorded.
    history: HistoryStore,
    /// Every game in the history, oldest first, including those finished in this run.
    records: Vec<Record>,
    /// Whether the replay on screen was opened from the history list, where going back leads.
    replay_from_history: bool,
    /// Where games are saved, and opened from, when the desktop shows no file chooser.
    games_dir: Option<std::path::PathBuf>,
    /// A note that something was done ("The game was saved to …"), shown over the bottom of
    /// the window until dismissed or [`TOAST_SECONDS`] have passed; since when, on egui's clock.
    toast: Option<(String, Option<f64>)>,
    /// The sound for the opponent's move (silent unless [`App::with_speaker`]).
    chime: sound::Chime,
}

/// How long a note that something was done stays, in seconds.
pub const TOAST_SECONDS: f64 = 8.0;

impl App {
    /// Loads the settings from `store` (defaults if missing; a notice if unreadable) and opens on
    /// the main menu.
    #[must_use]
    pub fn new(store: SettingsStore) -> Self {
        Self::with_options(store, AppOptions::default())
    }

    /// Like [`App::new`], with the computer's delay and seed chosen by `options`.
    #[must_use]
    pub fn with_options(mut store: SettingsStore, options: AppOptions) -> Self {
        let loaded = store.load();
        Self {
            screen: Screen::Menu,
            settings: loaded.settings,
            store,
            notice: loaded.notice,
            suspended: None,
            replay_from_history: false,
            games_dir: None,
            toast: None,
            unfinished: false,
            resume: ResumeStore::in_memory(),
            saved: None,
            file_dialog: None,
            quit_requested: false,
            title: String::from(TITLE),
            options,
            net: None,
            net_timing: Timing::default(),
            seats: SeatStore::in_memory(),
            disputes: Vec::new(),
            rejoin: None,
            ctx: None,
            history: HistoryStore::in_memory(),
            records: Vec::new(),
            reach: WindowReach::default(),
            browser: None,
            chime: sound::Chime::silent(),
        }
    }

    /// Plays the sound for the opponent's move on the system's sound output (when the player
    /// has it on). Without this, as in tests, the sound is only counted ([`App::chimes`]).
    #[must_use]
    pub fn with_speaker(mut self) -> Self {
        self.chime = sound::Chime::speaker();
        self
    }

    /// How many times the sound for the opponent's move has rung.
    #[must_use]
    pub const fn chimes(&self) -> u64 {
        self.chime.rung()
    }

    /// The opponent moved: the sound, when the player has it on.
    fn opponent_moved(&mut self) {
        if self.settings.sound {
            self.chime.ring();
        }
    }

    /// Lets this window list the games it hosts and find others with multicast DNS as `listed`
    /// says, and, when `router`, ask the router to open the host's port (the host form offers
    /// it; the setting remembers the choice). By default a window does neither: it reaches
    /// only the addresses typed, as tests on one computer want.
    #[must_use]
    pub const fn with_reach(mut self, listed: Option<Mdns>, router: bool) -> Self {
        self.reach = WindowReach { listed, router };
        self
    }

    /// Starts looking for games on this network, if this window may; whether it looks.
    fn look_for_games(&mut self) -> bool {
        let Some(mdns) = self.reach.listed else {
            return false;
        };
        if self.browser.is_none() {
            match crate::net::discovery::Browser::start(mdns, self.wake()) {
                Ok(browser) => self.browser = Some(browser),
                Err(error) => {
                    tracing::warn!(%error, "could not look for games on this network");
                    return false;
                }
            }
        }
        true
    }

    /// Hands the games found on this network to the join form, and stops looking once the
    /// join form is gone.
    fn discovery_logic(&mut self) {
        if !matches!(self.screen, Screen::Join(_)) {
            self.browser = None;
            return;
        }
        let mut events = Vec::new();
        if let Some(browser) = &mut self.browser {
            while events.len() < 64
                && let Some(event) = browser.try_recv()
            {
                events.push(event);
            }
        }
        for event in events {
            self.apply(Action::Discovery(event));
        }
    }

    /// Records finished games in `history` (by default they are kept only for this run). Loads
    /// the games already there; if part of the file was damaged, the player is told once.
    #[must_use]
    pub fn with_history(mut self, mut history: HistoryStore) -> Self {
        let loaded = history.load();
        self.records = loaded.records;
        if let Some(notice) = loaded.notice {
            self.notice = Some(match self.notice.take() {
                Some(earlier) => format!("{earlier}\n\n{notice}"),
                None => notice,
            });
        }
        self.history = history;
        self
    }

    /// Every game in the history, oldest first, including those finished in this run.
    #[must_use]
    pub fn records(&self) -> &[Record] {
        &self.records
    }

    /// Appends a finished game to the history; a failure is shown to the player once.
    fn record_game(&mut self, record: Option<Record>) {
        let Some(mut record) = record else {
            return;
        };
        if matches!(record.mode(), crate::record::Mode::Network { .. }) && !self.disputes.is_empty()
        {
            record = record.with_disputes(std::mem::take(&mut self.disputes));
        }
        match self.history.append(&record) {
            // The player was told when the history was loaded.
            Ok(()) | Err(crate::store::StoreError::Disabled { .. }) => {}
            Err(error) => {
                tracing::error!(%error, "game not recorded");
                self.notice = Some(format!(
                    "This game could not be added to your history ({error}). It still counts \
                     until the window is closed."
                ));
            }
        }
        self.records.push(record);
    }

    /// Keeps the seats of joined matches in `seats` from now on, and offers to rejoin the match
    /// whose host was heard from last, if one may still hold a seat kept there.
    #[must_use]
    pub fn with_seats(mut self, mut seats: SeatStore) -> Self {
        self.rejoin = seats
            .held()
            .into_iter()
            .max_by_key(|(_, seat)| seat.heard_s);
        self.seats = seats;
        self
    }

    /// The networked match offered as "Rejoin the match", if any: the host's address and the seat.
    #[must_use]
    pub fn rejoin_offer(&self) -> Option<&(String, Seat)> {
        self.rejoin.as_ref()
    }

    /// Uses `timing` for the network matches started from now on (tests shorten it).
    #[must_use]
    pub fn with_net_timing(mut self, timing: Timing) -> Self {
        self.net_timing = timing;
        self
    }

    /// Keeps the unfinished match at this computer in `resume` from now on, and offers to
    /// continue the one kept there, if any. A file that cannot be continued is set aside and the
    /// player is told.
    #[must_use]
    pub fn with_resume(mut self, mut resume: ResumeStore) -> Self {
        match resume.load() {
            Ok(Some(saved)) => match self.resumed_screen(&saved) {
                Ok(screen) => {
                    self.suspended = Some(screen);
                    self.unfinished = true;
                    self.saved = Some(saved);
                }
                Err(error) => self.resume_failed(&error),
            },
            Ok(None) => {}
            Err(error) => self.resume_failed(&error),
        }
        self.resume = resume;
        self
    }

    fn resume_failed(&mut self, error: &str) {
        tracing::warn!(%error, "unfinished match not restored");
        self.notice = Some(format!(
            "The match left unfinished last time could not be restored ({error})."
        ));
    }

    /// The screen of a saved match.
    fn resumed_screen(&self, saved: &SavedMatch) -> Result<Screen, String> {
        let series = saved.to_match().map_err(|error| error.to_string())?;
        Ok(match saved.mode {
            SavedMode::HotSeat => Screen::HotSeat(series),
            SavedMode::Computer { level, mark } => {
                let seed = self
                    .options
                    .computer_seed
                    .unwrap_or_else(vs_computer::entropy_seed);
                Screen::VsComputer(Box::new(ComputerMatch::resume(series, mark, level, seed)))
            }
        })
    }

    /// Writes the match at this computer that is being played or was left for the menu, if it
    /// changed; removes the file when there is none.
    fn persist_unfinished(&mut self) {
        let saved = [Some(&self.screen), self.suspended.as_ref()]
            .into_iter()
            .flatten()
            .find_map(|screen| match screen {
                Screen::HotSeat(series) if started(series) => {
                    Some(SavedMatch::of(SavedMode::HotSeat, series))
                }
                Screen::VsComputer(vs) if started(vs.series()) => Some(SavedMatch::of(
                    SavedMode::Computer {
                        level: vs.level(),
                        mark: vs.player_mark(),
                    },
                    vs.series(),
                )),
                _ => None,
            });
        if saved == self.saved {
            return;
        }
        if let Err(error) = self.resume.save(saved.as_ref()) {
            tracing::warn!(%error, "could not keep the unfinished match");
        }
        self.saved = saved;
    }

    /// Whether the suspended match is the one left unfinished when the window last closed.
    #[must_use]
    pub const fn offers_unfinished(&self) -> bool {
        self.unfinished && self.suspended.is_some()
    }

    /// The networked match being played, if that is the screen.
    #[must_use]
    pub fn net_match(&self) -> Option<&NetMatch> {
        match &self.screen {
            Screen::Network(net) => Some(net),
            _ => None,
        }
    }

    /// The host's waiting screen, if that is the screen (it shows the port really used).
    #[must_use]
    pub const fn hosting(&self) -> Option<&Hosting> {
        match &self.screen {
            Screen::Hosting(hosting) => Some(hosting),
            _ => None,
        }
    }

    /// The join form, if that is the screen (with the games found on this network).
    #[must_use]
    pub const fn join_form(&self) -> Option<&JoinForm> {
        match &self.screen {
            Screen::Join(form) => Some(form),
            _ => None,
        }
    }

    /// The callback network threads call after each event: a repaint of this window.
    fn wake(&self) -> Wake {
        match &self.ctx {
            Some(ctx) => {
                let ctx = ctx.clone();
                std::sync::Arc::new(move || ctx.request_repaint())
            }
            None => crate::net::no_wake(),
        }
    }

    /// Stops the network side, if running. Stopping waits for its thread, so that happens on a
    /// short-lived thread of its own rather than on the UI thread.
    fn end_session(&mut self) {
        let Some(session) = self.net.take() else {
            return;
        };
        let spawned = std::thread::Builder::new()
            .name("tictactoe-net-stop".to_owned())
            .spawn(move || drop(session));
        if let Err(error) = spawned {
            tracing::warn!(%error, "could not stop the network side in the background");
        }
    }

    /// Drains the network side's events (a bounded number per frame), asks for the player's
    /// attention when the opponent moves or a line of chat comes while the window is in the
    /// background, and keeps a
    /// countdown ticking once a second.
    fn net_logic(&mut self, ctx: &egui::Context) {
        /// Events handled per frame at most; the rest wait for the next frame.
        const MAX_EVENTS_PER_FRAME: usize = 64;
        let mut drained = 0;
        while drained < MAX_EVENTS_PER_FRAME {
            let Some(event) = self.net.as_mut().and_then(NetSession::try_recv) else {
                break;
            };
            drained += 1;
            // A quiet call for attention: the opponent moved, or someone said something.
            let (moved, notable) = match (&self.screen, &event) {
                (
                    Screen::Network(net),
                    crate::net::NetEvent::Applied(crate::game::Event::Moved { player, .. }),
                ) => {
                    let moved = !net.watching() && *player != net.view.me;
                    (moved, moved)
                }
                (Screen::Network(_), crate::net::NetEvent::Chat(_)) => (false, true),
                _ => (false, false),
            };
            if moved {
                self.opponent_moved();
            }
            if notable && !ctx.input(|i| i.focused) {
                ctx.send_viewport_cmd(egui::ViewportCommand::RequestUserAttention(
                    egui::UserAttentionType::Informational,
                ));
            }
            self.apply(Action::NetEvent(event));
        }
        if drained == MAX_EVENTS_PER_FRAME {
            ctx.request_repaint();
        }
        // A countdown on screen ticks once a second: the claim, or giving up reconnecting.
        if let Screen::Network(net) = &self.screen
            && (net.claim_in().is_some_and(|left| !left.is_zero())
                || matches!(net.stage, crate::net::Stage::Reconnecting { .. }))
        {
            ctx.request_repaint_after(Duration::from_secs(1));
        }
    }

    /// The screen being shown.
    #[must_use]
    pub const fn screen(&self) -> &Screen {
        &self.screen
    }

    /// The settings in use (saved whenever they change, and the window size on exit).
    #[must_use]
    pub const fn settings(&self) -> &Settings {
        &self.settings
    }

    /// Opens on the join screen with what the invite `link` holds filled in (its addresses
    /// offered, the seat code typed), connecting only when the player says so. A link that is
    /// not a sound invite opens the menu with a notice saying what is wrong with it.
    #[must_use]
    pub fn with_invite(mut self, link: &str) -> Self {
        self.apply(Action::OpenInvite(link.to_owned()));
        self
    }

    /// Saves games into `dir`, and opens them from there, when the desktop shows no file
    /// chooser (by default there is no such folder, and the window says so).
    #[must_use]
    pub fn with_games_dir(mut self, dir: Option<std::path::PathBuf>) -> Self {
        self.games_dir = dir;
        self
    }

    /// The note that something was done, if one is showing.
    #[must_use]
    pub fn toast(&self) -> Option<&str> {
        self.toast.as_ref().map(|(text, _)| text.as_str())
    }

    /// The notice being shown, if any.
    #[must_use]
    pub fn notice(&self) -> Option<&str> {
        self.notice.as_deref()
    }

    /// The match on this computer being played, if that is the screen.
    #[must_use]
    pub const fn hot_seat(&self) -> Option<&Match> {
        match &self.screen {
            Screen::HotSeat(hot_seat) => Some(hot_seat),
            _ => None,
        }
    }

    /// The match against the computer being played, if that is the screen.
    #[must_use]
    pub const fn vs_computer(&self) -> Option<&ComputerMatch> {
        match &self.screen {
            Screen::VsComputer(vs) => Some(vs),
            _ => None,
        }
    }

    /// Per-frame work that is not drawing: keep the theme and the remembered window size in step
    /// with the settings, play the computer's move when it comes due, and close the window when
    /// asked. Later modes drain network events here.
    pub fn logic(&mut self, ctx: &egui::Context) {
        let wanted = chrome::theme_preference(self.settings.theme);
        if ctx.options(|o| o.theme_preference) != wanted {
            ctx.set_theme(wanted);
        }
        // Still, when the player asked for it: egui's own animations and the board's follow
        // the style's animation time.
        let animation_time = if self.settings.motion {
            egui::Style::default().animation_time
        } else {
            0.0
        };
        if ctx
            .global_style()
            .animation_time
            .total_cmp(&animation_time)
            .is_ne()
        {
            ctx.all_styles_mut(|style| style.animation_time = animation_time);
        }
        self.track_window_size(ctx);
        if self.ctx.is_none() {
            self.ctx = Some(ctx.clone());
            chrome::set_up_themes(ctx);
        }
        self.net_logic(ctx);
        self.discovery_logic();
        self.computer_logic(ctx);
        self.replay_logic(ctx);
        self.file_logic();
        let title = self.window_title();
        if title != self.title {
            ctx.send_viewport_cmd(egui::ViewportCommand::Title(title.clone()));
            self.title = title;
        }
        if self.quit_requested {
            self.quit_requested = false;
            ctx.send_viewport_cmd(egui::ViewportCommand::Close);
        }
    }

    /// The window's title: what the screen says matters most now, then the app's name ("Your
    /// turn — Tic-Tac-Toe"), so that it shows in the taskbar and the window switcher.
    #[must_use]
    pub fn window_title(&self) -> String {
        let what = match &self.screen {
            Screen::Menu => return TITLE.to_owned(),
            Screen::HotSeat(series) => views::status_text(series, None, None),
            Screen::VsComputer(vs) => {
                let computer = Some(vs.computer_mark());
                views::status_text(vs.series(), Some(vs.player_mark()), computer)
            }
            Screen::Network(net) => views::network_status(net, net.opponent_name()).text,
            Screen::Replay(replay) => format!("Replay: {}", replay.title()),
            Screen::HotSeatNames(_) => "Who is playing?".to_owned(),
            Screen::ComputerSetup(_) => "Play the computer".to_owned(),
            Screen::HostForm(_) => "Host a game".to_owned(),
            Screen::Hosting(_) => "Waiting for your friend…".to_owned(),
            Screen::Join(_) => "Join a game".to_owned(),
            Screen::Statistics(_) => "Statistics".to_owned(),
            Screen::History => "Game history".to_owned(),
            Screen::OpenList(_) => "Open a game".to_owned(),
        };
        format!("{what} — {TITLE}")
    }

    /// The current title of the window.
    #[must_use]
    pub fn title(&self) -> &str {
        &self.title
    }

    /// On the computer's turn: choose its move at once, and play it once the delay has passed.
    /// Until then egui is asked for one repaint when it is due, never for a frame sooner.
    fn computer_logic(&mut self, ctx: &egui::Context) {
        let Screen::VsComputer(vs) = &mut self.screen else {
            return;
        };
        let now_s = ctx.input(|i| i.time);
        match vs.computer_turn(now_s, self.options.computer_delay) {
            ComputerTurn::Idle => {}
            // Applied before `ui` draws this frame, so the frame shows the move.
            ComputerTurn::Due(cell) => {
                self.apply(Action::ComputerMove(cell));
                self.opponent_moved();
            }
            ComputerTurn::Wait(left) => ctx.request_repaint_after(left),
        }
    }

    /// While a replay plays by itself: show the next move when it is due, and ask for one repaint
    /// then.
    fn replay_logic(&mut self, ctx: &egui::Context) {
        let Screen::Replay(replay) = &mut self.screen else {
            return;
        };
        let now_s = ctx.input(|i| i.time);
        if let Some(left) = replay.tick(now_s) {
            ctx.request_repaint_after(left);
        }
    }

    /// Takes the file dialog's answer once it has come back (its thread wakes the window).
    fn file_logic(&mut self) {
        let event = self
            .file_dialog
            .as_ref()
            .and_then(game_file::FileDialog::try_recv);
        if let Some(event) = event {
            self.file_dialog = None;
            self.apply(Action::File(event));
        }
    }

    /// Shows a file dialog unless one is already showing; a dialog that cannot be shown is
    /// reported in the notice.
    fn show_file_dialog(
        &mut self,
        start: impl FnOnce(crate::net::Wake) -> Result<game_file::FileDialog, FileEvent>,
    ) {
        if self.file_dialog.is_some() {
            return;
        }
        match start(self.wake()) {
            Ok(dialog) => self.file_dialog = Some(dialog),
            Err(event) => self.apply(Action::File(event)),
        }
    }

    /// The replay being shown, if that is the screen.
    #[must_use]
    pub fn replay(&self) -> Option<&Replay> {
        match &self.screen {
            Screen::Replay(replay) => Some(replay),
            _ => None,
        }
    }

    /// Draws the current screen and applies what the player asked for, once, after layout.
    pub fn ui(&mut self, ui: &mut egui::Ui) {
        let mut action = None;
        let on_menu = matches!(self.screen, Screen::Menu);
        let back = if self.replay_from_history && matches!(self.screen, Screen::Replay(_)) {
            "Back to the list"
        } else {
            "Back to menu"
        };
        // Escape closes an open drop-down while the frame is drawn; it must not also leave the
        // screen, so what counts is whether one was open before drawing.
        let popup_was_open = egui::Popup::is_any_open(ui.ctx());
        egui::Panel::top("top_bar").show(ui, |ui| {
            action = chrome::top_bar_ui(
                ui,
                (!on_menu).then_some(back),
                self.settings.theme,
                self.settings.motion,
                self.settings.sound,
            );
        });
        if let Some(notice) = &self.notice {
            egui::Panel::top("notice")
                .show_separator_line(false)
                .show(ui, |ui| {
                    let notice_action = chrome::notice_ui(ui, notice);
                    action = action.take().or(notice_action);
                });
        }
        egui::CentralPanel::default().show(ui, |ui| {
            let suspended = self.suspended.as_ref().and_then(Screen::series);
            let hints = self.settings.show_hints;
            let undo_keys = ui.ctx().format_shortcut(&views::UNDO_SHORTCUT);
            let screen_action = match &mut self.screen {
                // Forms scroll rather than clip in a small window; the board scales instead.
                Screen::Menu => scrolling(ui, |ui| {
                    menu::menu_ui(
                        ui,
                        menu::MenuView {
                            suspended,
                            unfinished: self.unfinished,
                            rejoin: self.rejoin.as_ref().map(|(ip_port, seat)| {
                                if seat.host_name.is_empty() {
                                    ip_port.as_str()
                                } else {
                                    seat.host_name.as_str()
                                }
                            }),
                        },
                    )
                }),
                Screen::HotSeatNames(form) => scrolling(ui, |ui| names::names_ui(ui, form)),
                Screen::ComputerSetup(form) => {
                    scrolling(ui, |ui| vs_computer::computer_setup_ui(ui, form))
                }
                Screen::HostForm(form) => scrolling(ui, |ui| network::host_form_ui(ui, form)),
                Screen::Hosting(hosting) => scrolling(ui, |ui| network::hosting_ui(ui, hosting)),
                Screen::Join(form) => scrolling(ui, |ui| network::join_form_ui(ui, form)),
                Screen::Network(net) => match_screen::match_screen_ui(ui, &views::network(net)),
                Screen::Replay(replay) => match_screen::match_screen_ui(ui, &views::replay(replay)),
                Screen::Statistics(stats) => scrolling(ui, |ui| records::stats_ui(ui, stats)),
                Screen::History => scrolling(ui, |ui| records::history_ui(ui, &self.records)),
                Screen::OpenList(list) => scrolling(ui, |ui| open_list::open_list_ui(ui, list)),
                Screen::HotSeat(hot_seat) => {
                    let can_undo = hot_seat.game().last_move().is_some() && !hot_seat.game_over();
                    let screen = views::local(hot_seat, None, can_undo, hints, &undo_keys);
                    match_screen::match_screen_ui(ui, &screen)
                }
                Screen::VsComputer(vs) => {
                    let computer = Some(vs.computer_mark());
                    let screen =
                        views::local(vs.series(), computer, vs.can_undo(), hints, &undo_keys);
                    match_screen::match_screen_ui(ui, &screen)
                }
            };
            action = action.take().or(screen_action);
        });

        if let Some(toast_action) = self.toast_ui(ui) {
            action = action.take().or(Some(toast_action));
        }

        let escape = ui.input(|i| i.key_pressed(egui::Key::Escape));
        // Escape never leaves a match over the network by accident: "Leave" does that.
        let in_net_match = matches!(self.screen, Screen::Network(_));
        if action.is_none()
            && escape
            && !on_menu
            && !in_net_match
            && !popup_was_open
            && !egui::Popup::is_any_open(ui.ctx())
        {
            action = Some(Action::BackToMenu);
        }
        if let Some(action) = action {
            self.apply(action);
            // The frame just drawn shows the old state; draw the new one.
            ui.ctx().request_repaint();
        }
    }

    /// The note that something was done, over the bottom of the window (it pushes nothing
    /// aside), until dismissed or [`TOAST_SECONDS`] have passed.
    fn toast_ui(&mut self, ui: &egui::Ui) -> Option<Action> {
        let (text, since) = self.toast.as_mut()?;
        let now = ui.input(|i| i.time);
        let shown_at = *since.get_or_insert(now);
        let left = TOAST_SECONDS - (now - shown_at);
        if left <= 0.0 {
            self.toast = None;
            return None;
        }
        ui.ctx()
            .request_repaint_after(std::time::Duration::from_secs_f64(left));
        chrome::toast_ui(ui.ctx(), text)
    }

    /// Saves the settings; a failure is shown to the player (and not retried).
    fn save_settings(&mut self) {
        match self.store.save(&self.settings) {
            // The player was told when the settings were loaded.
            Ok(()) | Err(crate::store::StoreError::Disabled { .. }) => {}
            Err(error) => self.report_save_error(&error),
        }
    }

    fn report_save_error(&mut self, error: &crate::store::StoreError) {
        tracing::error!(%error, "settings not saved");
        self.notice = Some(format!(
            "Your settings could not be saved ({error}). They will be back to the defaults next \
             time."
        ));
    }

    /// Remembers the window's inner size (not while maximised or full screen), to be saved on exit.
    fn track_window_size(&mut self, ctx: &egui::Context) {
        let size = ctx.input(|i| {
            let viewport = i.viewport();
            let special = viewport.maximized == Some(true)
                || viewport.fullscreen == Some(true)
                || viewport.minimized == Some(true);
            viewport
                .inner_rect
                .filter(|_| !special)
                .map(|r| [r.width().round(), r.height().round()])
        });
        if let Some(size) = size
            && self.settings.window_size != Some(size)
        {
            self.settings.window_size = Some(size);
        }
    }

    /// Saves everything, including the window size; called when the window closes. A match
    /// being hosted ends here, before the process does, as closing the host's window always
    /// ends it: the joiner is told, and the router's port mapping is removed. (A joined match
    /// is kept for a rejoin.)
    pub fn save_on_exit(&mut self) {
        if matches!(self.net, Some(NetSession::Host(_))) {
            drop(self.net.take());
        }
        if let Err(error) = self.store.save(&self.settings) {
            tracing::error!(%error, "settings not saved on exit");
        }
    }
}

/// Whether a match has begun: a move was played, or a game was finished.
fn started(series: &Match) -> bool {
    !series.game().moves().is_empty() || series.game_number() > 1
}

/// Shows `add_contents` in a vertical scroll area filling the space left.
fn scrolling<R>(ui: &mut egui::Ui, add_contents: impl FnOnce(&mut egui::Ui) -> R) -> R {
    egui::ScrollArea::vertical()
        .auto_shrink([false, false])
        .show(ui, add_contents)
        .inner
}

impl eframe::App for App {
    fn logic(&mut self, ctx: &egui::Context, _frame: &mut eframe::Frame) {
        Self::logic(self, ctx);
    }

    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        Self::ui(self, ui);
    }

    fn on_exit(&mut self, _gl: Option<&eframe::glow::Context>) {
        self.save_on_exit();
    }
}

/// The app as the window runs it: reports once, in the log, how long the first frame took
/// (`scripts/measure-window` reads that line).
struct Window {
    app: App,
    started: Instant,
    first_frame_logged: bool,
}

impl eframe::App for Window {
    fn logic(&mut self, ctx: &egui::Context, frame: &mut eframe::Frame) {
        eframe::App::logic(&mut self.app, ctx, frame);
    }

    fn ui(&mut self, ui: &mut egui::Ui, frame: &mut eframe::Frame) {
        eframe::App::ui(&mut self.app, ui, frame);
        if !self.first_frame_logged {
            self.first_frame_logged = true;
            let elapsed_ms = self.started.elapsed().as_secs_f64() * 1000.0;
            tracing::info!("first frame after {elapsed_ms:.1} ms");
        }
    }

    fn on_exit(&mut self, gl: Option<&eframe::glow::Context>) {
        eframe::App::on_exit(&mut self.app, gl);
    }
}

/// Opens the window with the settings from the OS config directory and runs until it is closed.
pub fn run(invite: Option<&str>) -> anyhow::Result<()> {
    let started = Instant::now();
    let mut app = App::new(SettingsStore::from_os())
        .with_history(HistoryStore::from_os())
        .with_resume(ResumeStore::from_os())
        .with_seats(SeatStore::from_os())
        .with_games_dir(
            crate::store::GamesFolder::from_os()
                .dir()
                .map(std::path::Path::to_path_buf),
        )
        .with_reach(Some(Mdns::system()), true)
        .with_speaker();
    if let Some(link) = invite {
        app = app.with_invite(link);
    }
    let options = eframe::NativeOptions {
        viewport: egui::ViewportBuilder::default()
            .with_app_id("tictactoe")
            .with_title("Tic-Tac-Toe")
            .with_inner_size(app.settings().window_size())
            .with_min_inner_size(crate::store::settings::MIN_WINDOW_SIZE)
            .with_icon(icon::icon()),
        ..Default::default()
    };
    let window = Window {
        app,
        started,
        first_frame_logged: false,
    };
    eframe::run_native("Tic-Tac-Toe", options, Box::new(|_cc| Ok(Box::new(window))))
        .map_err(|e| anyhow::anyhow!("could not open the window: {e}"))
}
