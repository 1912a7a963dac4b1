//! Every screen of the window, and [`Screen`], which holds the screen shown and routes to it.
//!
//! Each screen is a module with its own state, its view (a `*_ui` function, or for a match a
//! view model drawn by the one match screen) and an update that changes only that state and
//! returns [`Effect`]s for the app.
//!
//! Layout:
//! - [`menu`]: the main menu (no state: it draws what the app offers).
//! - [`names`]: the names of two people at this computer; [`computer_setup`]: a match against
//!   the computer set up; [`game_choice`]: which game either plays, and the game's names.
//! - [`local`]: the match at this computer — two people ([`Match`]) or against the computer
//!   ([`vs_computer`]'s [`ComputerMatch`]).
//! - [`host_form`], [`hosting`], [`join`]: hosting and joining over the network;
//!   [`net_match`]: the match over the network, played or watched, and [`net_view`], its view
//!   model.
//! - [`replay`]: a past game move by move; [`statistics`], [`history`]: the games played;
//!   [`open_list`]: "Open game…" without a file chooser.
//!
//! Screens import the [`Command`], [`SystemEvent`] and [`Effect`] leaves, the widgets and the
//! match screen; nothing here imports the app that carries the effects out.

pub mod computer_setup;
pub mod game_choice;
pub mod history;
pub mod host_form;
pub mod hosting;
pub mod join;
pub mod local;
pub mod menu;
pub mod names;
pub mod net_match;
pub mod net_view;
pub mod open_list;
pub mod replay;
pub mod statistics;
pub mod vs_computer;

use egui::Ui;

use computer_setup::ComputerForm;
use host_form::HostForm;
use hosting::Hosting;
use join::JoinForm;
use menu::MenuView;
use names::NamesForm;
use net_match::NetMatch;
use open_list::OpenList;
use replay::ReplayScreen;
use statistics::StatsScreen;
use vs_computer::ComputerMatch;

use super::command::Command;
use super::effect::{Effect, Open};
use super::event::SystemEvent;
use super::game_file::Wanted;
use super::match_screen::{MatchScreen, match_screen_ui};
use crate::game::Match;
use crate::record::Record;
use crate::store::SavedMatch;

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
    Replay(Box<ReplayScreen>),
    /// The statistics drawn from the game history when the screen was opened.
    Statistics(Box<StatsScreen>),
    /// The list of games played, newest first.
    History,
    /// "Open game…" without a file chooser: the games folder's files and a path field.
    OpenList(OpenList),
}

/// What the screens draw that the app keeps.
#[derive(Clone, Copy, Debug)]
pub struct Shared<'a> {
    /// Every game in the history, oldest first.
    pub records: &'a [Record],
    /// What the menu offers besides its fixed buttons.
    pub menu: MenuView<'a>,
}

impl Screen {
    /// The match at this computer being played on this screen, if it shows one.
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

    /// This screen, once left, if it is worth keeping to continue from the menu: a match at
    /// this computer that has begun (the computer's reply it had chosen is chosen again later).
    #[must_use]
    pub fn kept(self) -> Option<Self> {
        match self {
            Self::HotSeat(series) if local::started(&series) => Some(Self::HotSeat(series)),
            Self::VsComputer(mut vs) if local::started(vs.series()) => {
                vs.forget_pending();
                Some(Self::VsComputer(vs))
            }
            _ => None,
        }
    }

    /// The match at this computer on this screen as the unfinished-match file keeps it, once
    /// started.
    #[must_use]
    pub fn saved(&self) -> Option<SavedMatch> {
        match self {
            Self::HotSeat(series) => local::saved(series),
            Self::VsComputer(vs) => local::saved_vs(vs),
            _ => None,
        }
    }

    /// The form a start command belongs to, when another screen shows: a match or a session
    /// started from elsewhere (the menu, a script) starts as from its form, which opens first.
    #[must_use]
    pub const fn form_to_open(&self, command: &Command) -> Option<Open> {
        match (self, command) {
            (Self::HotSeatNames(_), Command::StartHotSeat { .. })
            | (Self::ComputerSetup(_), Command::StartVsComputer { .. })
            | (Self::HostForm(_), Command::StartHost { .. })
            | (Self::Join(_), Command::StartJoin { .. } | Command::StartWatch { .. }) => None,
            (_, Command::StartHotSeat { .. }) => Some(Open::HotSeatNames),
            (_, Command::StartVsComputer { .. }) => Some(Open::ComputerSetup),
            (_, Command::StartHost { .. }) => Some(Open::HostForm),
            (_, Command::StartJoin { .. } | Command::StartWatch { .. }) => {
                Some(Open::JoinForm(None))
            }
            _ => None,
        }
    }

    /// Carries out what the player asked for on this screen: the screen's own state changes,
    /// and what else must happen comes back as effects.
    pub fn update(&mut self, command: Command) -> Vec<Effect> {
        // Going to a screen works from any screen (the menu's buttons, the history's and the
        // statistics' links to each other, a replay from the history or a file, a script); a
        // match at this computer left behind is kept.
        let open = |screen| vec![Effect::Open(screen)];
        match command {
            Command::OpenHotSeatNames => return open(Open::HotSeatNames),
            Command::OpenComputerSetup => return open(Open::ComputerSetup),
            Command::OpenHostForm => return open(Open::HostForm),
            Command::OpenJoinForm => return open(Open::JoinForm(None)),
            Command::OpenStatistics => return open(Open::Statistics),
            Command::OpenHistory => return open(Open::History),
            Command::OpenReplay(replay) => {
                return open(Open::Replay {
                    replay,
                    from_history: matches!(self, Self::History),
                });
            }
            Command::OpenInvite(link) => return join::open_invite(&link),
            Command::OpenGame => return vec![Effect::Dialog(Wanted::Open)],
            // Back from a form or a list is only that; the screens with more to leave behind
            // (a match, a session) say what.
            Command::BackToMenu if self.leaves_nothing_behind() => return open(Open::Menu),
            _ => {}
        }
        match self {
            Self::Menu => menu::update(&command),
            Self::HotSeatNames(form) => form.update(command),
            Self::HotSeat(series) => local::hot_seat_update(series, &command),
            Self::ComputerSetup(form) => form.update(command),
            Self::VsComputer(vs) => local::computer_update(vs, &command),
            Self::HostForm(form) => form.update(command),
            Self::Hosting(hosting) => hosting.update(command),
            Self::Join(form) => form.update(command),
            Self::Network(net) => net.update(command),
            Self::Replay(replay) => replay.update(&command),
            Self::OpenList(_) => open_list::update(command),
            Self::Statistics(screen) => screen.update(&command),
            Self::History => Vec::new(),
        }
    }

    /// Whether leaving this screen leaves nothing behind: a form, a list, the menu.
    const fn leaves_nothing_behind(&self) -> bool {
        matches!(
            self,
            Self::Menu
                | Self::HotSeatNames(_)
                | Self::ComputerSetup(_)
                | Self::HostForm(_)
                | Self::Statistics(_)
                | Self::History
                | Self::OpenList(_)
        )
    }

    /// Carries what happened into the screen showing it; screens it means nothing to ignore it.
    pub fn on_event(&mut self, event: SystemEvent) -> Vec<Effect> {
        match self {
            Self::VsComputer(vs) => match event {
                SystemEvent::Tick { now_s } => local::computer_tick(vs, now_s),
                _ => Vec::new(),
            },
            Self::HostForm(form) => form.on_event(event),
            Self::Hosting(hosting) => hosting.on_event(event),
            Self::Join(form) => form.on_event(event),
            Self::Network(net) => net.on_event(event),
            Self::Replay(replay) => replay.on_event(&event),
            // The menu, the forms that start nothing over the network, the lists, and two people
            // at one computer hear nothing.
            _ => {
                if let SystemEvent::Net(event) = event {
                    tracing::debug!(?event, "network event not shown");
                }
                Vec::new()
            }
        }
    }

    /// The view model of a match screen (a match at this computer, over the network, a
    /// replay); `None` on the other screens. `undo_keys` is how the undo shortcut is written on
    /// this system.
    #[must_use]
    pub fn match_view(&self, hints: bool, undo_keys: &str) -> Option<MatchScreen> {
        Some(match self {
            Self::Network(net) => net_view::view(net),
            Self::Replay(replay) => replay::view(&replay.replay),
            Self::HotSeat(series) => local::hot_seat_view(series, hints, undo_keys),
            Self::VsComputer(vs) => local::computer_view(vs, hints, undo_keys),
            _ => return None,
        })
    }

    /// Draws the screen — `view`, its view model, on a match screen — and returns what the
    /// player asked for.
    pub fn ui(
        &mut self,
        ui: &mut Ui,
        shared: &Shared<'_>,
        view: Option<&MatchScreen>,
    ) -> Option<Command> {
        if let Some(view) = view {
            return match_screen_ui(ui, view);
        }
        match self {
            // Forms scroll rather than clip in a small window; the board scales instead.
            Self::Menu => scrolling(ui, |ui| menu::menu_ui(ui, shared.menu)),
            Self::HotSeatNames(form) => scrolling(ui, |ui| names::names_ui(ui, form)),
            Self::ComputerSetup(form) => {
                scrolling(ui, |ui| computer_setup::computer_setup_ui(ui, form))
            }
            Self::HostForm(form) => scrolling(ui, |ui| host_form::host_form_ui(ui, form)),
            Self::Hosting(hosting) => scrolling(ui, |ui| hosting::hosting_ui(ui, hosting)),
            Self::Join(form) => scrolling(ui, |ui| join::join_form_ui(ui, form)),
            Self::Statistics(stats) => scrolling(ui, |ui| statistics::stats_ui(ui, stats)),
            Self::History => scrolling(ui, |ui| history::history_ui(ui, shared.records)),
            Self::OpenList(list) => scrolling(ui, |ui| open_list::open_list_ui(ui, list)),
            Self::HotSeat(_) | Self::VsComputer(_) | Self::Network(_) | Self::Replay(_) => None,
        }
    }

    /// What the screen says matters most now, for the window's title ("Your turn"); `None` on
    /// the menu, where the title is the app's name alone.
    #[must_use]
    pub fn title(&self) -> Option<String> {
        Some(match self {
            Self::Menu => return None,
            Self::HotSeat(series) => local::title(series, None),
            Self::VsComputer(vs) => local::title(vs.series(), Some(vs)),
            Self::Network(net) => net_view::network_status(net, net.opponent_name()).text,
            Self::Replay(replay) => format!("Replay: {}", replay.replay.title()),
            Self::HotSeatNames(_) => "Who is playing?".to_owned(),
            Self::ComputerSetup(_) => "Play against the computer".to_owned(),
            Self::HostForm(_) => "Host a game".to_owned(),
            Self::Hosting(_) => "Waiting for your friend…".to_owned(),
            Self::Join(_) => "Join a game".to_owned(),
            Self::Statistics(_) => "Statistics".to_owned(),
            Self::History => "Game history".to_owned(),
            Self::OpenList(_) => "Open a game".to_owned(),
        })
    }

    /// The way back shown in the header bar: "Back to menu", or "Back to the list" for a game
    /// replayed from the history; none on the menu.
    #[must_use]
    pub fn back(&self) -> Option<&'static str> {
        match self {
            Self::Menu => None,
            Self::Replay(replay) if replay.from_history => Some("Back to the list"),
            _ => Some("Back to menu"),
        }
    }

    /// Whether Escape goes back: everywhere but the menu and a match over the network, which
    /// only "Leave" leaves, never by accident.
    #[must_use]
    pub const fn escape_goes_back(&self) -> bool {
        !matches!(self, Self::Menu | Self::Network(_))
    }
}

/// Shows `add_contents` in a vertical scroll area filling the space left.
fn scrolling<R>(ui: &mut Ui, add_contents: impl FnOnce(&mut Ui) -> R) -> R {
    egui::ScrollArea::vertical()
        .auto_shrink([false, false])
        .show(ui, add_contents)
        .inner
}
