//! The window: its screens, the widgets they share, and the [`App`] that shows one screen at a
//! time and carries out what the screens ask for.
//!
//! Layout:
//! - [`App`] (this file, `frame.rs`, `effects.rs`): what the window keeps besides the screen
//!   shown — the [`Store`] and what it holds (the settings, the history), the network
//!   [`Session`], the match left for the menu, the notice and the note, and the window's own
//!   state. [`App::logic`] runs every frame before drawing and turns what happened into
//!   [`SystemEvent`]s; [`App::ui`] only draws and turns what the player did into one
//!   [`Command`]. Both go to the screen shown ([`App::apply`], [`App::handle`]), which returns
//!   [`Effect`]s that `effects.rs` carries out: the only place beyond a screen where state
//!   changes.
//! - Leaves every screen imports: [`command`] (what the player asks for), [`event`] (what
//!   happens), [`effect`] (what a screen asks the app to do), [`replay`] (a past game stepped
//!   through the rules).
//! - [`screens`]: every screen, each with its state, its view and its update; [`Screen`] routes.
//! - [`match_screen`]: the one match screen for every mode, drawn from a view model.
//! - [`session`]: the network behind a seam — the real one, or a fake that tests drive.
//! - The look: [`style`] (the fonts, the type scale, both themes' colours, the primary button).
//! - [`suggest`]: the bigger games' hints, searched off the UI thread.
//! - Widgets: [`board`] (the board, [`board_ui`]), [`move_list`], [`chat`], [`chrome`] (the
//!   header bar with its ☰ menu, the notice, the note), [`widgets`] (the small ones forms
//!   share).
//! - The desktop: [`game_file`] (the system's file chooser), [`sound`] (the opponent's move
//!   heard), the window's icon.
//!
//! The code that carries out effects imports the screens, never the reverse. Never touches the
//! rules beyond the public API of [`crate::game`]; never does network I/O on the UI thread.

pub mod board;
pub mod chat;
pub mod chrome;
pub mod command;
pub mod effect;
mod effects;
pub mod event;
mod frame;
pub mod game_file;
mod icon;
pub mod match_screen;
pub mod move_list;
pub mod replay;
pub mod screens;
pub mod session;
pub mod sound;
pub mod style;
pub mod suggest;
pub mod widgets;

use std::time::{Duration, Instant};

pub use crate::store::{ResumeStore, Settings, SettingsStore, Store, ThemeChoice};
pub use board::{BoardOptions, board_ui};
pub use command::Command;
pub use effect::Effect;
pub use event::SystemEvent;
pub use replay::{Replay, ReplayStep};
pub use screens::Screen;
pub use screens::vs_computer::{COMPUTER_DELAY, ComputerMatch};
pub use session::Session;

use crate::game::Match;
use crate::net::discovery::Mdns;
use crate::net::{Timing, Wake};
use crate::record::Record;
use crate::store::{HistoryStore, SavedMatch, Seat, SeatStore};
use game_file::FileDialog;
use screens::hosting::Hosting;
use screens::join::JoinForm;
use screens::net_match::NetMatch;
use session::Network;
use session::sockets::Sockets;

/// The app's name, as the window's title ends.
pub const TITLE: &str = "Tic-Tac-Toe";

/// How long a note that something was done stays, in seconds.
pub const TOAST_SECONDS: f64 = 8.0;

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
    /// The screen shown, with its own state.
    screen: Screen,
    /// The match at this computer left for the menu, and what of it is on disk.
    suspended: Suspended,
    /// Where everything is kept.
    store: Store,
    /// The settings in use (saved whenever they change, and the window size on exit).
    settings: Settings,
    /// Every game in the history, oldest first, including those finished in this run.
    records: Vec<Record>,
    /// The network side.
    session: Session,
    /// The computer's delay and seed, autoplay's pace.
    options: AppOptions,
    /// What the player is told.
    notes: Notes,
    /// What the app has of the window and the desktop around it.
    desktop: Desktop,
    /// The bigger games' hints: the moves the computer suggests, searched once per position.
    suggestions: suggest::Suggestions,
}

/// The match at this computer left for the menu, and the unfinished match as last written.
#[derive(Debug, Default)]
struct Suspended {
    /// A match screen ([`Screen::HotSeat`] or [`Screen::VsComputer`]) left for the menu, offered
    /// as "Continue the match".
    screen: Option<Screen>,
    /// Whether it was left unfinished when the window last closed (the menu offers to continue
    /// or discard it).
    from_last_run: bool,
    /// The match last written to the unfinished-match file, so that it is written only when it
    /// changes.
    written: Option<SavedMatch>,
}

/// What the player is told.
#[derive(Debug, Default)]
struct Notes {
    /// Something the player must be told once (e.g. settings moved aside), until dismissed.
    notice: Option<String>,
    /// A note that something was done ("The game was saved to …"), shown over the bottom of
    /// the window until dismissed or [`TOAST_SECONDS`] have passed; since when, on egui's clock.
    toast: Option<(String, Option<f64>)>,
}

impl Notes {
    /// Adds `notice` to what the player is told at start (after anything already said).
    fn add(&mut self, notice: String) {
        self.notice = Some(match self.notice.take() {
            Some(earlier) => format!("{earlier}\n\n{notice}"),
            None => notice,
        });
    }
}

/// What the app has of the window and the desktop around it.
#[derive(Debug)]
struct Desktop {
    /// The context to wake from other threads, known from the first frame.
    ctx: Option<egui::Context>,
    /// The same, shared with the wakes handed out before the first frame (a match against the
    /// computer continued from the last run is built before it).
    first_ctx: std::sync::Arc<std::sync::OnceLock<egui::Context>>,
    /// The window's title as last set.
    title: String,
    /// Set by [`Effect::Quit`]; the next frame asks the window to close.
    quit_requested: bool,
    /// The file dialog being shown, if any ("Open game…", "Save game…").
    file_dialog: Option<FileDialog>,
    /// The sound for the opponent's move (silent unless [`App::with_speaker`]).
    chime: sound::Chime,
}

impl Desktop {
    /// The callback other threads call when they have something for the window: a repaint
    /// (once the window has drawn its first frame; before, there is nothing to repaint).
    fn wake(&self) -> Wake {
        if let Some(ctx) = &self.ctx {
            let ctx = ctx.clone();
            return std::sync::Arc::new(move || ctx.request_repaint());
        }
        let first = std::sync::Arc::clone(&self.first_ctx);
        std::sync::Arc::new(move || {
            if let Some(ctx) = first.get() {
                ctx.request_repaint();
            }
        })
    }
}

impl App {
    /// Loads the settings from `store` (defaults if missing; a notice if unreadable) and opens on
    /// the main menu.
    #[must_use]
    pub fn new(store: SettingsStore) -> Self {
        Self::with_options(store, AppOptions::default())
    }

    /// Like [`App::new`], with the computer's delay and seed chosen by `options`.
    #[must_use]
    pub fn with_options(settings: SettingsStore, options: AppOptions) -> Self {
        Self::open(
            Store {
                settings,
                ..Store::in_memory()
            },
            options,
        )
    }

    /// Opens on the main menu with everything `store` keeps: the settings, the history, the
    /// match left unfinished, and a networked match's seat to rejoin. What could not be read is
    /// said in the notice.
    #[must_use]
    pub fn open(mut store: Store, options: AppOptions) -> Self {
        let loaded = store.settings.load();
        let mut app = Self {
            screen: Screen::Menu,
            suspended: Suspended::default(),
            store,
            settings: loaded.settings,
            records: Vec::new(),
            session: Session::new(Box::new(Sockets)),
            options,
            notes: Notes {
                notice: loaded.notice,
                toast: None,
            },
            desktop: Desktop {
                ctx: None,
                first_ctx: std::sync::Arc::default(),
                title: String::from(TITLE),
                quit_requested: false,
                file_dialog: None,
                chime: sound::Chime::silent(),
            },
            suggestions: suggest::Suggestions::default(),
        };
        app.load_history();
        app.load_unfinished();
        app.session.offer_rejoin(&mut app.store.seats);
        app
    }

    /// Records finished games in `history` (by default they are kept only for this run). Loads
    /// the games already there; if part of the file was damaged, the player is told once.
    #[must_use]
    pub fn with_history(mut self, history: HistoryStore) -> Self {
        self.store.history = history;
        self.load_history();
        self
    }

    /// Keeps the unfinished match at this computer in `resume` from now on, and offers to
    /// continue the one kept there, if any. A file that cannot be continued is set aside and the
    /// player is told.
    #[must_use]
    pub fn with_resume(mut self, resume: ResumeStore) -> Self {
        self.store.unfinished = resume;
        self.load_unfinished();
        self
    }

    /// Keeps the seats of joined matches in `seats` from now on, and offers to rejoin the match
    /// whose host was heard from last, if one may still hold a seat kept there.
    #[must_use]
    pub fn with_seats(mut self, seats: SeatStore) -> Self {
        self.store.seats = seats;
        self.session.offer_rejoin(&mut self.store.seats);
        self
    }

    /// Saves games into `dir`, and opens them from there, when the desktop shows no file
    /// chooser (by default there is no such folder, and the window says so).
    #[must_use]
    pub fn with_games_dir(mut self, dir: Option<std::path::PathBuf>) -> Self {
        self.store.games = crate::store::GamesFolder::at(dir);
        self
    }

    /// Plays the sound for the opponent's move on the system's sound output (when the player
    /// has it on). Without this, as in tests, the sound is only counted ([`App::chimes`]).
    #[must_use]
    pub fn with_speaker(mut self) -> Self {
        self.desktop.chime = sound::Chime::speaker();
        self
    }

    /// Lets this window list the games it hosts and find others with multicast DNS as `listed`
    /// says, and, when `router`, ask the router to open the host's port (the host form offers
    /// it; the setting remembers the choice). By default a window does neither: it reaches
    /// only the addresses typed, as tests on one computer want.
    #[must_use]
    pub const fn with_reach(mut self, listed: Option<Mdns>, router: bool) -> Self {
        self.session
            .set_reach(session::WindowReach { listed, router });
        self
    }

    /// Lets the games this window hosts be reached through the relays `relays` says: by
    /// default none (the peer-to-peer path takes direct paths only, as tests on one computer
    /// want); the window the player opens uses the relay chosen in the settings, or the one
    /// `TICTACTOE_RELAY` sets.
    #[must_use]
    pub fn with_relays(mut self, relays: session::WindowRelays) -> Self {
        self.session.set_relays(relays);
        self
    }

    /// Uses `timing` for the network matches started from now on (tests shorten it).
    #[must_use]
    pub fn with_net_timing(mut self, timing: Timing) -> Self {
        self.session.set_timing(timing);
        self
    }

    /// Starts network sessions over `network` from now on: by default the real one; a test's
    /// [`FakeNetwork`](session::fake::FakeNetwork) feeds the window events without sockets.
    #[must_use]
    pub fn with_network(mut self, network: impl Network + 'static) -> Self {
        self.session.set_network(Box::new(network));
        self
    }

    /// Opens on the join screen with what the invite `link` holds filled in (its addresses
    /// offered, the seat code typed), connecting only when the player says so. A link that is
    /// not a sound invite opens the menu with a notice saying what is wrong with it.
    #[must_use]
    pub fn with_invite(mut self, link: &str) -> Self {
        self.apply(Command::OpenInvite(link.to_owned()));
        self
    }

    /// How many times the sound for the opponent's move has rung.
    #[must_use]
    pub const fn chimes(&self) -> u64 {
        self.desktop.chime.rung()
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

    /// Every game in the history, oldest first, including those finished in this run.
    #[must_use]
    pub fn records(&self) -> &[Record] {
        &self.records
    }

    /// The notice being shown, if any.
    #[must_use]
    pub fn notice(&self) -> Option<&str> {
        self.notes.notice.as_deref()
    }

    /// The note that something was done, if one is showing.
    #[must_use]
    pub fn toast(&self) -> Option<&str> {
        self.notes.toast.as_ref().map(|(text, _)| text.as_str())
    }

    /// The current title of the window.
    #[must_use]
    pub fn title(&self) -> &str {
        &self.desktop.title
    }

    /// The window's title: what the screen says matters most now, then the app's name ("Your
    /// turn — Tic-Tac-Toe"), so that it shows in the taskbar and the window switcher.
    #[must_use]
    pub fn window_title(&self) -> String {
        match self.screen.title() {
            Some(what) => format!("{what} — {TITLE}"),
            None => TITLE.to_owned(),
        }
    }

    /// Whether the suspended match is the one left unfinished when the window last closed.
    #[must_use]
    pub const fn offers_unfinished(&self) -> bool {
        self.suspended.from_last_run && self.suspended.screen.is_some()
    }

    /// The networked match offered as "Rejoin the match", if any: the host's address and the seat.
    #[must_use]
    pub const fn rejoin_offer(&self) -> Option<&(String, Seat)> {
        self.session.rejoin_offer()
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

    /// The move the computer suggests in `game`, a bigger game's position shown with hints on,
    /// once its search has chosen.
    #[must_use]
    pub fn suggestion(&self, game: &crate::game::Game) -> Option<crate::game::Cell> {
        self.suggestions.known(game)
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

    /// The replay being shown, if that is the screen.
    #[must_use]
    pub fn replay(&self) -> Option<&Replay> {
        match &self.screen {
            Screen::Replay(replay) => Some(&replay.replay),
            _ => None,
        }
    }

    /// Saves everything, including the window size; called when the window closes. A match
    /// being hosted ends here, before the process does, as closing the host's window always
    /// ends it: the joiner is told, and the router's port mapping is removed. (A joined match
    /// is kept for a rejoin.)
    pub fn save_on_exit(&mut self) {
        self.session.stop_hosting();
        if let Err(error) = self.store.settings.save(&self.settings) {
            tracing::error!(%error, "settings not saved on exit");
        }
    }
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

/// The relays `TICTACTOE_RELAY` sets, as it does for `tictactoe host`: `off` for none, a relay's
/// URL for that one; unset (or not a relay's URL, which is logged), the settings' choice.
fn relays_from_env() -> session::WindowRelays {
    use crate::net::p2p::{RelaySpec, Relays};
    let Ok(text) = std::env::var("TICTACTOE_RELAY") else {
        return session::WindowRelays::Chosen;
    };
    match text.trim() {
        "" => session::WindowRelays::Chosen,
        off if off.eq_ignore_ascii_case("off") => session::WindowRelays::Fixed(Relays::Off),
        url => match url.parse::<RelaySpec>() {
            Ok(spec) => session::WindowRelays::Fixed(Relays::Own(spec)),
            Err(error) => {
                tracing::warn!(%error, "TICTACTOE_RELAY is not used");
                session::WindowRelays::Chosen
            }
        },
    }
}

/// Opens the window with everything kept in the OS folders and runs until it is closed.
pub fn run(invite: Option<&str>) -> anyhow::Result<()> {
    let started = Instant::now();
    let mut app = App::open(Store::from_os(), AppOptions::default())
        .with_reach(Some(Mdns::system()), true)
        .with_relays(relays_from_env())
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
