//! Carrying out: [`App::apply`] routes a [`Command`] to the chrome or the screen shown,
//! [`App::handle`] routes a [`SystemEvent`], and what they return is carried out here — another
//! screen shown, a setting saved, a game recorded, the network session started or stopped, a
//! file dialog, the notice. The only place beyond a screen's own update where state changes.
//!
//! It knows every screen; no screen knows it.

use jiff::Timestamp;

use super::App;
use super::chrome;
use super::command::Command;
use super::effect::{Effect, Open, Remember};
use super::event::SystemEvent;
use super::game_file::{self, FileDialog, FileEvent, Wanted};
use super::replay::Replay;
use super::screens::Screen;
use super::screens::computer_setup::ComputerForm;
use super::screens::host_form::{self, HostForm};
use super::screens::hosting::{Hosting, Internet};
use super::screens::join::JoinForm;
use super::screens::names::NamesForm;
use super::screens::net_match::NetMatch;
use super::screens::open_list::OpenList;
use super::screens::replay::ReplayScreen;
use super::screens::statistics::StatsScreen;
use super::screens::vs_computer::{ComputerMatch, entropy_seed};
use super::session::HostRequest;
use crate::game::{GameOver, Level, Match, Player, Table, clean_name};
use crate::net::host::P2pHost;
use crate::net::join::Destination;
use crate::net::p2p::{Identity, Relays};
use crate::net::{DEFAULT_PORT, NetEvent};
use crate::record::{Mode, Record};
use crate::store::{SavedMode, StoreError};

impl App {
    /// Carries out what the player asked for: the chrome's commands here, the rest on the
    /// screen shown (a start command's form opened first, when another screen shows), then
    /// whatever that asks for.
    pub fn apply(&mut self, command: Command) {
        tracing::debug!(?command, "apply");
        let effects = chrome::update(command).unwrap_or_else(|command| {
            if let Some(form) = self.screen.form_to_open(&command) {
                self.open_screen(form);
            }
            self.screen.update(command)
        });
        self.carry_out(effects);
    }

    /// Carries what happened into the window: a file dialog's answer here, the rest to the
    /// screen shown, then whatever that asks for.
    pub fn handle(&mut self, event: SystemEvent) {
        let effects = match event {
            SystemEvent::File(event) => self.file_answered(event),
            // Every frame: a tick that brought nothing due changed nothing.
            SystemEvent::Tick { .. } => match self.screen.on_event(event) {
                effects if effects.is_empty() => return,
                effects => effects,
            },
            event => self.screen.on_event(event),
        };
        self.carry_out(effects);
    }

    /// Carries out `effects` in order, then keeps the unfinished match.
    fn carry_out(&mut self, effects: Vec<Effect>) {
        self.carry_out_each(effects);
        // After every change, so that closing the window (or a crash) loses nothing.
        self.persist_unfinished();
    }

    fn carry_out_each(&mut self, effects: Vec<Effect>) {
        for effect in effects {
            self.carry_out_one(effect);
        }
    }

    fn carry_out_one(&mut self, effect: Effect) {
        match effect {
            Effect::Open(open) => self.open_screen(open),
            Effect::Resume => {
                if let Some(screen) = self.suspended.screen.take() {
                    self.screen = screen;
                }
                self.suspended.from_last_run = false;
            }
            Effect::Discard => {
                self.suspended.screen = None;
                self.suspended.from_last_run = false;
            }
            Effect::Remember(choice) => self.remember(choice),
            Effect::Record { mode, over } => self.record_game(mode, &over),
            Effect::Dispute(what) => self.session.dispute(what),
            Effect::Host {
                name,
                port,
                seat_code,
                router,
                game,
            } => self.host(&HostRequest {
                name,
                port,
                seat_code,
                router,
                game,
            }),
            Effect::Join {
                name,
                to,
                seat_code,
                watch,
            } => {
                let (seats, wake) = (self.store.seats.clone(), self.desktop.wake());
                self.session.join(&name, &to, seat_code, watch, seats, wake);
            }
            Effect::Rejoin => self.rejoin(),
            Effect::Send(intent) => self.session.send(intent),
            Effect::Chat(text) => self.session.chat(text),
            Effect::StopSession => self.session.stop(),
            Effect::Dialog(wanted) => self.show_dialog(wanted),
            Effect::ReadGame(path) => {
                let effects = self.file_answered(game_file::open_file(&path));
                self.carry_out_each(effects);
            }
            Effect::Notice(text) => self.notes.notice = Some(text),
            Effect::DismissNotice => self.notes.notice = None,
            Effect::Toast(text) => self.notes.toast = Some((text, None)),
            Effect::DismissToast => self.notes.toast = None,
            Effect::Copy(text) => {
                if let Some(ctx) = &self.desktop.ctx {
                    ctx.copy_text(text);
                }
            }
            Effect::Chime => {
                if self.settings.sound {
                    self.desktop.chime.ring();
                }
            }
            Effect::Attention => {
                if let Some(ctx) = &self.desktop.ctx
                    && !ctx.input(|i| i.focused)
                {
                    ctx.send_viewport_cmd(egui::ViewportCommand::RequestUserAttention(
                        egui::UserAttentionType::Informational,
                    ));
                }
            }
            Effect::RepaintAfter(after) => {
                if let Some(ctx) = &self.desktop.ctx {
                    ctx.request_repaint_after(after);
                }
            }
            Effect::Quit => self.desktop.quit_requested = true,
        }
    }

    /// Shows the screen `open` names, built from what the app keeps.
    fn open_screen(&mut self, open: Open) {
        let settings = &self.settings;
        let screen = match open {
            Open::Menu => Screen::Menu,
            Open::HotSeatNames => Screen::HotSeatNames(NamesForm::new(
                &settings.x_name,
                &settings.o_name,
                settings.game,
            )),
            Open::HotSeat {
                names: [x_name, o_name],
                game,
            } => {
                self.suspended.screen = None;
                Screen::HotSeat(Match::new_variant(game, Table::Local, x_name, o_name))
            }
            Open::ComputerSetup => Screen::ComputerSetup(ComputerForm::new(
                &settings.player_name,
                settings.computer_level,
                settings.player_mark,
                settings.game,
            )),
            Open::VsComputer {
                name,
                level,
                mark,
                game,
            } => {
                self.suspended.screen = None;
                Screen::VsComputer(Box::new(self.computer_match(
                    Match::new_variant(game, Table::Local, "", ""),
                    Some(name),
                    level,
                    mark,
                )))
            }
            Open::HostForm => Screen::HostForm(
                HostForm::new(settings, DEFAULT_PORT, self.session.offers_router())
                    .with_relays_fixed(self.session.relays_fixed()),
            ),
            Open::JoinForm(invite) => {
                let games = self
                    .session
                    .look_for_games(self.desktop.wake())
                    .then(Vec::new);
                Screen::Join(JoinForm::new(&self.settings, games, invite.map(|i| *i)))
            }
            Open::NetMatch { view, route } => {
                Screen::Network(Box::new(NetMatch::new(view).with_route(route)))
            }
            Open::Replay {
                replay,
                from_history,
            } => Screen::Replay(Box::new(ReplayScreen {
                replay: replay.with_autoplay_step(self.options.autoplay_step),
                from_history,
            })),
            Open::Statistics => Screen::Statistics(Box::new(StatsScreen::new(&self.records))),
            Open::History => Screen::History,
            Open::OpenList(why) => Screen::OpenList(OpenList {
                why,
                dir: self.store.games.dir().map(std::path::Path::to_path_buf),
                games: self.store.games.games(),
                path: String::new(),
            }),
        };
        self.show(screen);
    }

    /// Shows `screen`; a match at this computer left once it has begun is kept to continue.
    fn show(&mut self, screen: Screen) {
        let left = std::mem::replace(&mut self.screen, screen);
        if let Some(kept) = left.kept() {
            self.suspended.screen = Some(kept);
        }
    }

    /// A match against the computer at `level`, the player playing `mark`: `series` continued,
    /// or (with the player's `name`) a new one of `series`'s game. The seed and the delay are
    /// the options'; the window is woken when the computer has chosen.
    fn computer_match(
        &self,
        series: Match,
        name: Option<String>,
        level: Level,
        mark: Player,
    ) -> ComputerMatch {
        let seed = self.options.computer_seed.unwrap_or_else(entropy_seed);
        let vs = match name {
            Some(name) => ComputerMatch::new_variant(series.variant(), name, mark, level, seed),
            None => ComputerMatch::resume(series, mark, level, seed),
        };
        vs.with_delay(self.options.computer_delay)
            .with_wake(self.desktop.wake())
    }

    /// Remembers `choice` and saves the settings: always when a form starts something, only
    /// when it changed for a switch.
    fn remember(&mut self, choice: Remember) {
        let before = self.settings.clone();
        let settings = &mut self.settings;
        let switch = matches!(
            choice,
            Remember::Hints(_) | Remember::Theme(_) | Remember::Motion(_) | Remember::Sound(_)
        );
        match choice {
            Remember::HotSeatNames {
                x_name,
                o_name,
                game,
            } => {
                settings.x_name = x_name.trim().to_owned();
                settings.o_name = o_name.trim().to_owned();
                settings.game = game;
            }
            Remember::ComputerChoices {
                name,
                level,
                mark,
                game,
            } => {
                settings.player_name = name.trim().to_owned();
                // A bigger game offers no "Perfect" (it plays hard instead): a "Perfect" chosen
                // for classic stays remembered for classic.
                if game.is_classic() || settings.computer_level != Level::Perfect {
                    settings.computer_level = level;
                }
                settings.player_mark = mark;
                settings.game = game;
            }
            Remember::Hosting {
                name,
                port,
                router,
                relay,
                game,
            } => {
                settings.net_name = name.trim().to_owned();
                settings.game = game;
                settings.host_port = port.or(settings.host_port);
                settings.router = router.unwrap_or(settings.router);
                settings.relay = relay;
            }
            Remember::Joining { name, ip_port } => {
                settings.net_name = name.trim().to_owned();
                settings.join_ip_port = ip_port.trim().to_owned();
            }
            Remember::Hints(show) => settings.show_hints = show,
            Remember::Theme(theme) => settings.theme = theme,
            Remember::Motion(motion) => settings.motion = motion,
            Remember::Sound(sound) => settings.sound = sound,
        }
        if !switch || self.settings != before {
            self.save_settings();
        }
    }

    /// Saves the settings; a failure is shown to the player (and not retried).
    fn save_settings(&mut self) {
        match self.store.settings.save(&self.settings) {
            // The player was told when the settings were loaded.
            Ok(()) | Err(StoreError::Disabled { .. }) => {}
            Err(error) => {
                tracing::error!(%error, "settings not saved");
                self.notes.notice = Some(format!(
                    "Your settings could not be saved ({error}). They will be back to the \
                     defaults next time."
                ));
            }
        }
    }

    /// Appends a game that has ended to the history (a networked one with the disputes kept
    /// since the last); a failure is shown to the player once.
    fn record_game(&mut self, mode: Mode, over: &GameOver) {
        let Some(mut record) = Record::of_game(Timestamp::now(), mode, over) else {
            return;
        };
        if matches!(mode, Mode::Network { .. }) {
            let disputes = self.session.take_disputes();
            if !disputes.is_empty() {
                record = record.with_disputes(disputes);
            }
        }
        match self.store.history.append(&record) {
            // The player was told when the history was loaded.
            Ok(()) | Err(StoreError::Disabled { .. }) => {}
            Err(error) => {
                tracing::error!(%error, "game not recorded");
                self.notes.notice = Some(format!(
                    "This game could not be added to your history ({error}). It still counts \
                     until the window is closed."
                ));
            }
        }
        self.records.push(record);
    }

    /// Starts hosting, on the peer-to-peer path too (with this computer's kept key and the
    /// relay chosen), and shows the waiting screen; a failure to listen is the host form's to
    /// say.
    fn host(&mut self, request: &HostRequest) {
        let wake = self.desktop.wake();
        let key = self
            .store
            .keys
            .load_or_make(|| Identity::generate().to_bytes());
        let chosen = host_form::chosen_relays(&self.settings.relay).unwrap_or_else(|error| {
            // The form lets no such relay through; a settings file edited by hand might.
            tracing::warn!(%error, "the relay in the settings is not one: the public relays are used");
            Relays::Public
        });
        let relays = self.session.relays(chosen);
        let relayed = relays != Relays::Off;
        let p2p = P2pHost {
            identity: Identity::from_bytes(&key),
            relays,
        };
        match self.session.host(request, Some(p2p), wake) {
            Ok(started) => {
                let mut hosting =
                    Hosting::new(started.port, started.seat_code).with_p2p(started.p2p, relayed);
                hosting.name = clean_name(&request.name);
                hosting.game = request.game;
                if request.router && self.session.offers_router() {
                    hosting.internet = Internet::Asking;
                }
                self.show(Screen::Hosting(hosting));
            }
            Err(error) => {
                tracing::warn!(%error, "could not host");
                let effects = self
                    .screen
                    .on_event(SystemEvent::Net(NetEvent::Error(error)));
                self.carry_out_each(effects);
            }
        }
    }

    /// Takes the seat back in the networked match offered on the menu: the join form, already
    /// joining.
    fn rejoin(&mut self) {
        let Some((ip_port, seat)) = self.session.take_rejoin() else {
            return;
        };
        self.show(Screen::Join(JoinForm::joining(
            seat.name.clone(),
            ip_port.clone(),
        )));
        self.remember(Remember::Joining {
            name: seat.name.clone(),
            ip_port: ip_port.clone(),
        });
        let (seats, wake) = (self.store.seats.clone(), self.desktop.wake());
        self.session.join(
            &seat.name,
            &Destination::Address(ip_port),
            None,
            false,
            seats,
            wake,
        );
    }

    /// Shows a file dialog unless one is already showing; a dialog that cannot be shown is
    /// reported in the notice.
    fn show_dialog(&mut self, wanted: Wanted) {
        if self.desktop.file_dialog.is_some() {
            return;
        }
        let wake = self.desktop.wake();
        let shown = match wanted {
            Wanted::Open => FileDialog::open(wake),
            Wanted::Save(record) => FileDialog::save(*record, wake),
        };
        match shown {
            Ok(dialog) => self.desktop.file_dialog = Some(dialog),
            Err(event) => {
                let effects = self.file_answered(event);
                self.carry_out_each(effects);
            }
        }
    }

    /// A file dialog's answer: the game opened shows in the replay view; where a game was
    /// saved, or what went wrong, is said.
    fn file_answered(&self, event: FileEvent) -> Vec<Effect> {
        match event {
            FileEvent::Opened {
                name,
                result: Ok(record),
            } => vec![
                Effect::DismissNotice,
                Effect::Open(Open::Replay {
                    replay: Box::new(Replay::from_record(name, &record)),
                    from_history: matches!(self.screen, Screen::History),
                }),
            ],
            FileEvent::Opened {
                result: Err(message),
                ..
            }
            | FileEvent::Saved(Err(message)) => {
                tracing::warn!(%message, "game file");
                vec![Effect::Notice(message)]
            }
            FileEvent::Saved(Ok(path)) => vec![Effect::Toast(format!(
                "The game was saved to {}.",
                path.display()
            ))],
            FileEvent::Failed(message) => {
                tracing::warn!(%message, "file dialog");
                vec![Effect::Notice(message)]
            }
            FileEvent::NoChooser { why, wanted } => {
                tracing::info!(%why, "no file chooser");
                match wanted {
                    // Saved into the games folder instead, and where said.
                    Wanted::Save(record) => {
                        match game_file::save_into(&self.store.games, &record, &why) {
                            FileEvent::Saved(Ok(path)) => vec![Effect::Toast(format!(
                                "The game was saved to {} (this desktop shows no file chooser).",
                                path.display()
                            ))],
                            event => self.file_answered(event),
                        }
                    }
                    // The folder's games listed to open.
                    Wanted::Open => vec![Effect::Open(Open::OpenList(why))],
                }
            }
            FileEvent::Cancelled => Vec::new(),
        }
    }

    /// Writes the match at this computer that is being played or was left for the menu, if it
    /// changed; removes the file when there is none.
    fn persist_unfinished(&mut self) {
        let saved = self
            .screen
            .saved()
            .or_else(|| self.suspended.screen.as_ref().and_then(Screen::saved));
        if saved == self.suspended.written {
            return;
        }
        if let Err(error) = self.store.unfinished.save(saved.as_ref()) {
            tracing::warn!(%error, "could not keep the unfinished match");
        }
        self.suspended.written = saved;
    }

    /// Reads the history from the store; if part of the file was damaged, the player is told.
    pub(super) fn load_history(&mut self) {
        let loaded = self.store.history.load();
        self.records = loaded.records;
        if let Some(notice) = loaded.notice {
            self.notes.add(notice);
        }
    }

    /// Offers to continue the match left unfinished in the store, if any; one that cannot be
    /// continued has been set aside, and the player is told.
    pub(super) fn load_unfinished(&mut self) {
        let restored = self.store.unfinished.load().and_then(|saved| {
            let Some(saved) = saved else {
                return Ok(());
            };
            let series = saved.to_match().map_err(|error| error.to_string())?;
            let screen = match saved.mode {
                SavedMode::HotSeat => Screen::HotSeat(series),
                SavedMode::Computer { level, mark } => {
                    Screen::VsComputer(Box::new(self.computer_match(series, None, level, mark)))
                }
            };
            self.suspended.screen = Some(screen);
            self.suspended.from_last_run = true;
            self.suspended.written = Some(saved);
            Ok(())
        });
        if let Err(error) = restored {
            tracing::warn!(%error, "unfinished match not restored");
            self.notes.notice = Some(format!(
                "The match left unfinished last time could not be restored ({error})."
            ));
        }
    }
}
