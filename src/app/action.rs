//! Everything the player can ask the window to do, and the one place it is done.
//!
//! Screens never change state while they draw: each `*_ui` function returns an [`Action`], and
//! [`App::apply`] carries it out once, after layout. The computer's moves come the same way:
//! `App::logic` turns a move that has come due into [`Action::ComputerMove`]. Later modes (over
//! the network) add variants here and arms in `apply`, nothing else.

use rand::TryRngCore as _;

use jiff::Timestamp;

use super::game_file::{FileDialog, FileEvent};
use super::names::NamesForm;
use super::network::{HostForm, Hosting, JoinForm, NetMatch, NetSession};
use super::records::screen_record;
use super::replay::{Replay, ReplayStep};
use super::settings::ThemeChoice;
use super::vs_computer::{ComputerForm, ComputerMatch};
use super::{App, Screen};
use crate::game::{Cell, GameOver, Intent, Level, Match, Player, Role, name_or};
use crate::net::{HostConfig, JoinConfig, NetEvent, Stage, host, join};
use crate::record::stats::stats;
use crate::record::{Mode, Record};

/// Something the player asked for, or the computer's move coming due.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Action {
    /// Open the form that asks both names for a match on this computer.
    OpenHotSeatNames,
    /// Start a match on this computer between these two names (blank means a default name).
    /// The names are remembered for next time.
    StartHotSeat {
        /// Who plays X (and moves first in the first game).
        x_name: String,
        /// Who plays O.
        o_name: String,
    },
    /// Open the form that sets up a match against the computer.
    OpenComputerSetup,
    /// Start a match against the computer. The choices are remembered for next time.
    StartVsComputer {
        /// The player's name (blank means a default name).
        name: String,
        /// How strongly the computer plays.
        level: Level,
        /// The player's mark; X moves first in the first game.
        mark: Player,
    },
    /// Go back to the match that was left for the menu.
    ResumeMatch,
    /// Forget the match left unfinished when the window last closed.
    DiscardMatch,
    /// Place the mark of the player to move on this cell (against the computer: the player's
    /// mark, and only on the player's turn).
    Play(Cell),
    /// The computer's chosen move has come due: place the computer's mark on this cell.
    ComputerMove(Cell),
    /// Take back the last move; against the computer, the computer's reply too, so that it is the
    /// player's turn again. Never once the game is over: a finished game stands as it was played
    /// (and recorded).
    Undo,
    /// Start the next game of the match; the other player moves first.
    PlayAgain,
    /// Show or hide the perfect-play hints on empty squares, and remember the choice.
    SetShowHints(bool),
    /// Leave the current screen for the main menu. A match in progress is kept and can be resumed.
    BackToMenu,
    /// Switch to this theme and remember it.
    SetTheme(ThemeChoice),
    /// Hide the notice shown under the top bar.
    DismissNotice,
    /// Close the window.
    Quit,
    /// Open the form that sets up hosting a game over the network.
    OpenHostForm,
    /// Start the server. The name and port are remembered for next time.
    StartHost {
        /// The host's name (blank means a default name).
        name: String,
        /// The port typed; 0 picks a free one.
        port: String,
        /// Whether the joiner must type a seat code.
        seat_code: bool,
    },
    /// Open the form that joins a game over the network.
    OpenJoinForm,
    /// Start joining. The name and address are remembered for next time.
    StartJoin {
        /// The joiner's name (blank means a default name).
        name: String,
        /// The host's address, such as `192.168.1.5:7878`.
        ip_port: String,
        /// The seat code (blank when the host asks for none).
        seat_code: String,
    },
    /// Stop hosting or joining before the match starts, and go back to its form.
    CancelNetwork,
    /// Send this intent to the network side. [`Intent::Leave`] also ends the session and goes
    /// back to the menu.
    Net(Intent),
    /// Show or hide the confirmation before resigning.
    ConfirmResign(bool),
    /// The network side reported this (drained in `App::logic`).
    NetEvent(NetEvent),
    /// Show this past game in the replay view (from a file, or from the history).
    OpenReplay(Box<Replay>),
    /// Move through the replay being shown.
    Replay(ReplayStep),
    /// Choose a game file in the system's dialog and show it in the replay view.
    OpenGame,
    /// Save the game on screen (finished or not, or the one being replayed) to a file chosen in
    /// the system's dialog.
    SaveGame,
    /// A file dialog came back (drained in `App::logic`): show the game opened, or say what
    /// went wrong.
    File(FileEvent),
    /// Show the statistics drawn from the game history.
    OpenStatistics,
    /// Show the list of games played, newest first.
    OpenHistory,
}

/// The name shown for a player: the name typed, cleaned, or "Player X" when it is blank.
fn name_or_default(name: &str, player: Player) -> String {
    name_or(name, &format!("Player {player}"))
}

/// The mode of a networked match, for its records.
pub(super) const fn net_mode(role: Role, you: Player) -> Mode {
    Mode::Network { role, you }
}

/// A fresh seed for the computer's random choices, from the operating system.
pub(super) fn entropy_seed() -> u64 {
    rand::rngs::OsRng.try_next_u64().unwrap_or_else(|error| {
        // Only the variety of the computer's play depends on it: the clock will do.
        tracing::warn!(%error, "no random seed from the operating system; using the clock");
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_secs() ^ (u64::from(d.subsec_nanos()) << 32))
    })
}

impl App {
    /// Carries out `action`: the only place where the screen, the match or the settings change.
    pub fn apply(&mut self, action: Action) {
        tracing::debug!(?action, "apply");
        self.carry_out(action);
        // After every change, so that closing the window (or a crash) loses nothing.
        self.persist_unfinished();
    }

    fn carry_out(&mut self, action: Action) {
        match action {
            Action::OpenHotSeatNames => {
                self.screen = Screen::HotSeatNames(NamesForm::new(
                    &self.settings.x_name,
                    &self.settings.o_name,
                ));
            }
            Action::StartHotSeat { x_name, o_name } => {
                self.settings.x_name = x_name.trim().to_owned();
                self.settings.o_name = o_name.trim().to_owned();
                self.save_settings();
                self.suspended = None;
                self.screen = Screen::HotSeat(Match::new(
                    name_or_default(&x_name, Player::X),
                    name_or_default(&o_name, Player::O),
                ));
            }
            Action::OpenComputerSetup => {
                self.screen = Screen::ComputerSetup(ComputerForm::new(
                    &self.settings.player_name,
                    self.settings.computer_level,
                    self.settings.player_mark,
                ));
            }
            Action::StartVsComputer { name, level, mark } => {
                self.settings.player_name = name.trim().to_owned();
                self.settings.computer_level = level;
                self.settings.player_mark = mark;
                self.save_settings();
                self.suspended = None;
                let seed = self.options.computer_seed.unwrap_or_else(entropy_seed);
                self.screen = Screen::VsComputer(Box::new(ComputerMatch::new(
                    name_or_default(&name, mark),
                    mark,
                    level,
                    seed,
                )));
            }
            Action::ResumeMatch => {
                if let Some(screen) = self.suspended.take() {
                    self.screen = screen;
                }
                self.unfinished = false;
            }
            Action::DiscardMatch => {
                self.suspended = None;
                self.unfinished = false;
            }
            Action::Play(cell) => {
                let played = match &mut self.screen {
                    Screen::HotSeat(hot_seat) => match hot_seat.to_move() {
                        Some(seat) => hot_seat.act(seat, Intent::Play(cell)),
                        None => Ok(None),
                    },
                    Screen::VsComputer(vs) => vs.play(cell),
                    _ => Ok(None),
                };
                match played {
                    Ok(over) => self.record_local_game(over),
                    // The board only offers legal cells, so this is a bug, not a player's mistake.
                    Err(refusal) => {
                        tracing::warn!(%cell, %refusal, "board offered an illegal move");
                    }
                }
            }
            Action::ComputerMove(cell) => {
                if let Screen::VsComputer(vs) = &mut self.screen {
                    match vs.play_computer(cell) {
                        Ok(over) => self.record_local_game(over),
                        Err(refusal) => {
                            tracing::warn!(%cell, %refusal, "the computer chose an illegal move");
                        }
                    }
                }
            }
            Action::Undo => match &mut self.screen {
                Screen::HotSeat(hot_seat) => {
                    // At one computer, whoever moved last takes it back.
                    let game = hot_seat.game();
                    if let Some(ply) = game.moves().len().checked_sub(1) {
                        let seat = game.mover_of(ply);
                        if let Err(refusal) = hot_seat.act(seat, Intent::Undo) {
                            tracing::debug!(%refusal, "nothing taken back");
                        }
                    }
                }
                Screen::VsComputer(vs) => vs.undo(),
                _ => {}
            },
            Action::PlayAgain => match &mut self.screen {
                Screen::HotSeat(hot_seat) => {
                    // Both players sit here: both ask, and the next game starts.
                    for seat in Player::ALL {
                        if let Err(refusal) = hot_seat.act(seat, Intent::Rematch) {
                            tracing::debug!(%refusal, "no next game yet");
                        }
                    }
                }
                Screen::VsComputer(vs) => vs.next_game(),
                _ => {}
            },
            Action::SetShowHints(show) => {
                if self.settings.show_hints != show {
                    self.settings.show_hints = show;
                    self.save_settings();
                }
            }
            Action::BackToMenu => {
                self.record_leaving();
                if let Some(session) = self.net.as_ref() {
                    session.send(Intent::Leave);
                    self.end_session();
                }
                let mut left = std::mem::replace(&mut self.screen, Screen::Menu);
                if let Screen::VsComputer(vs) = &mut left {
                    // Chosen again, with a fresh delay, when the match is resumed.
                    vs.forget_pending();
                }
                if let Some(series) = left.series() {
                    let started = !series.game().moves().is_empty() || series.game_number() > 1;
                    self.suspended = started.then_some(left);
                }
            }
            Action::SetTheme(theme) => {
                if self.settings.theme != theme {
                    self.settings.theme = theme;
                    self.save_settings();
                }
            }
            Action::DismissNotice => self.notice = None,
            Action::Quit => self.quit_requested = true,
            Action::OpenHostForm => {
                self.screen = Screen::HostForm(HostForm {
                    name: self.settings.net_name.clone(),
                    port: self.settings.host_port.to_string(),
                    seat_code: false,
                    error: None,
                });
            }
            Action::StartHost {
                name,
                port,
                seat_code,
            } => self.start_host(&name, &port, seat_code),
            Action::OpenJoinForm => {
                self.screen = Screen::Join(JoinForm {
                    name: self.settings.net_name.clone(),
                    ip_port: self.settings.join_ip_port.clone(),
                    seat_code: String::new(),
                    stage: None,
                    error: None,
                });
            }
            Action::StartJoin {
                name,
                ip_port,
                seat_code,
            } => self.start_join(name, ip_port, seat_code),
            Action::CancelNetwork => {
                self.end_session();
                match &mut self.screen {
                    Screen::Join(form) => {
                        form.stage = None;
                        form.error = None;
                    }
                    Screen::Hosting(_) => self.apply(Action::OpenHostForm),
                    _ => {}
                }
            }
            Action::Net(command) => {
                if let Some(session) = &self.net {
                    session.send(command);
                }
                if let Screen::Network(net) = &mut self.screen {
                    net.confirm_resign = false;
                    net.message = None;
                }
                if command == Intent::Leave {
                    self.record_leaving();
                    self.end_session();
                    self.screen = Screen::Menu;
                }
            }
            Action::ConfirmResign(show) => {
                if let Screen::Network(net) = &mut self.screen {
                    net.confirm_resign = show;
                }
            }
            Action::NetEvent(event) => self.on_net_event(event),
            Action::OpenReplay(replay) => {
                if let Screen::VsComputer(vs) = &mut self.screen {
                    vs.forget_pending();
                }
                let left = std::mem::replace(&mut self.screen, Screen::Replay(replay));
                // A match being played is kept, as when going back to the menu.
                if let Some(series) = left.series()
                    && (!series.game().moves().is_empty() || series.game_number() > 1)
                {
                    self.suspended = Some(left);
                }
            }
            Action::File(event) => self.on_file_event(event),
            Action::OpenGame => self.show_file_dialog(FileDialog::open),
            Action::SaveGame => {
                let record = match &self.screen {
                    Screen::Replay(replay) => replay.record().cloned(),
                    screen => screen_record(screen, Timestamp::now()),
                };
                if let Some(record) = record {
                    self.show_file_dialog(|wake| FileDialog::save(record, wake));
                }
            }
            Action::Replay(step) => {
                if let Screen::Replay(replay) = &mut self.screen {
                    replay.step(step);
                }
            }
            Action::OpenStatistics => {
                self.screen = Screen::Statistics(Box::new(stats(&self.records)));
            }
            Action::OpenHistory => self.screen = Screen::History,
        }
    }

    /// Records a game that a move on a hot-seat or computer screen has just ended.
    fn record_local_game(&mut self, over: Option<GameOver>) {
        let Some(over) = over else {
            return;
        };
        let mode = match &self.screen {
            Screen::HotSeat(_) => Mode::HotSeat,
            Screen::VsComputer(vs) => Mode::Computer {
                level: vs.level(),
                you: vs.player_mark(),
            },
            _ => return,
        };
        self.record_game(Record::of_game(Timestamp::now(), mode, &over));
    }

    /// Records the networked game this side is leaving before it is over, as the match itself
    /// ends it when this player leaves.
    fn record_leaving(&mut self) {
        if let Screen::Network(net) = &self.screen {
            let mut state = net.view.state.clone();
            if let Ok(Some(over)) = state.act(net.view.me, Intent::Leave) {
                let mode = net_mode(net.view.role, net.view.me);
                self.record_game(Record::of_game(Timestamp::now(), mode, &over));
            }
        }
    }

    /// Starts the server from the host form; a bad port or a failure to listen stays on the form.
    fn start_host(&mut self, name: &str, port_text: &str, seat_code: bool) {
        let Ok(port) = port_text.trim().parse::<u16>() else {
            if let Screen::HostForm(form) = &mut self.screen {
                form.error = Some(format!(
                    "{:?} is not a port number. Type a number from 1024 to 65535, such as 7878.",
                    port_text.trim()
                ));
            }
            return;
        };
        self.settings.net_name = name.trim().to_owned();
        if port != 0 {
            self.settings.host_port = port;
        }
        self.save_settings();
        self.end_session();
        let config = HostConfig {
            port,
            name: name_or_default(name, Player::X),
            mark: Player::X,
            seat_code: seat_code.then(host::new_seat_code),
            timing: self.net_timing.clone(),
            ..HostConfig::default()
        };
        match host::start(config, self.wake()) {
            Ok(handle) => {
                self.screen = Screen::Hosting(Hosting::new(
                    handle.port(),
                    handle.seat_code().map(str::to_owned),
                ));
                self.net = Some(NetSession::Host(handle));
            }
            Err(error) => {
                tracing::warn!(%error, "could not host");
                if let Screen::HostForm(form) = &mut self.screen {
                    form.error = Some(error.to_string());
                }
            }
        }
    }

    /// Starts joining; progress and failures arrive as events.
    fn start_join(&mut self, name: String, ip_port: String, seat_code: String) {
        self.settings.net_name = name.trim().to_owned();
        self.settings.join_ip_port = ip_port.trim().to_owned();
        self.save_settings();
        self.end_session();
        let config = JoinConfig {
            name: name_or_default(&name, Player::O),
            seat_code: Some(seat_code.trim().to_owned()).filter(|code| !code.is_empty()),
            timing: self.net_timing.clone(),
            ..JoinConfig::default()
        };
        let handle = join::start(ip_port.trim(), config, self.wake());
        self.net = Some(NetSession::Join(handle));
        self.screen = Screen::Join(JoinForm {
            name,
            stage: Some(Stage::Connecting {
                ip_port: ip_port.trim().to_owned(),
            }),
            ip_port,
            seat_code,
            error: None,
        });
    }

    /// Shows a game opened from a file in the replay view; a problem, or where a game was saved,
    /// shows in the notice.
    fn on_file_event(&mut self, event: FileEvent) {
        match event {
            FileEvent::Opened {
                name,
                result: Ok(record),
            } => {
                self.notice = None;
                self.carry_out(Action::OpenReplay(Box::new(Replay::from_record(
                    name, &record,
                ))));
            }
            FileEvent::Opened {
                result: Err(message),
                ..
            }
            | FileEvent::Saved(Err(message)) => {
                tracing::warn!(%message, "game file");
                self.notice = Some(message);
            }
            FileEvent::Saved(Ok(path)) => {
                self.notice = Some(format!("The game was saved to {}.", path.display()));
            }
            FileEvent::Failed(message) => {
                tracing::warn!(%message, "file dialog");
                self.notice = Some(message);
            }
            FileEvent::Cancelled => {}
        }
    }

    /// Carries an event from the network side into the screen showing it.
    fn on_net_event(&mut self, event: NetEvent) {
        match (&mut self.screen, event) {
            (Screen::Hosting(_), NetEvent::State(view)) => {
                if view.opponent != crate::net::Presence::NotJoined {
                    self.screen = Screen::Network(Box::new(NetMatch::new(view)));
                }
            }
            (Screen::Join(form), NetEvent::State(view)) if form.error.is_none() => {
                self.screen = Screen::Network(Box::new(NetMatch::new(view)));
            }
            (Screen::Join(form), NetEvent::Stage(stage)) if form.error.is_none() => {
                form.stage = Some(stage);
            }
            (Screen::Join(form), NetEvent::Error(error)) => {
                form.error = Some(error.to_string());
                self.end_session();
            }
            (Screen::Network(net), NetEvent::State(view)) => net.view = view,
            (Screen::Network(net), NetEvent::GameOver(over)) => {
                let mode = net_mode(net.view.role, net.view.me);
                self.record_game(Record::of_game(Timestamp::now(), mode, &over));
            }
            (Screen::Network(net), NetEvent::Stage(stage)) => net.stage = stage,
            (Screen::Network(net), NetEvent::Refused { message, .. }) => {
                net.message = Some(message);
            }
            (Screen::Network(net), NetEvent::Error(error)) => {
                net.message = Some(error.to_string());
            }
            (Screen::HostForm(form), NetEvent::Error(error)) => {
                form.error = Some(error.to_string());
            }
            (_, event) => tracing::debug!(?event, "network event not shown"),
        }
    }
}
