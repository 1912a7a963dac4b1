//! [`App::apply`]: the one place where the screen, the match, the network session or the settings
//! change, carrying out one [`Action`] after layout.
//!
//! It knows every screen's state; no screen knows it (screens import only [`Action`]).

use jiff::Timestamp;

use super::action::Action;
use super::game_file::{self, FileDialog, FileEvent, Wanted};
use super::names::NamesForm;
use super::network::Internet;
use super::network::{HostForm, Hosting, JoinForm, NetMatch, NetSession};
use super::open_list::OpenList;
use super::replay::Replay;
use super::vs_computer::{ComputerForm, ComputerMatch, entropy_seed};
use super::{App, Screen};
use crate::game::{GameOver, Intent, Match, Player, Role, name_or};
use crate::net::discovery::Discovery;
use crate::net::{HostConfig, JoinConfig, NetEvent, Reach, RouterEvent, Stage, host, join};
use crate::record::stats::stats;
use crate::record::{Mode, Record};

/// The name shown for a player: the name typed, cleaned, or "Player X" when it is blank.
fn name_or_default(name: &str, player: Player) -> String {
    name_or(name, &format!("Player {player}"))
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
            Action::Rejoin => {
                if let Some((ip_port, seat)) = self.rejoin.take() {
                    self.start_join(seat.name, ip_port, String::new());
                }
            }
            Action::DiscardMatch => {
                self.suspended = None;
                self.unfinished = false;
            }
            Action::Intent(intent) => self.carry_out_intent(intent),
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
            Action::SetShowHints(show) => {
                if self.settings.show_hints != show {
                    self.settings.show_hints = show;
                    self.save_settings();
                }
            }
            Action::BackToMenu
                if self.replay_from_history && matches!(self.screen, Screen::Replay(_)) =>
            {
                self.replay_from_history = false;
                self.screen = Screen::History;
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
            Action::SetMotion(motion) => {
                if self.settings.motion != motion {
                    self.settings.motion = motion;
                    self.save_settings();
                }
            }
            Action::SetSound(sound) => {
                if self.settings.sound != sound {
                    self.settings.sound = sound;
                    self.save_settings();
                }
            }
            Action::DismissNotice => self.notice = None,
            Action::Quit => self.quit_requested = true,
            Action::OpenHostForm => {
                let router = self.reach.router.then_some(self.settings.router);
                self.screen = Screen::HostForm(HostForm {
                    name: self.settings.net_name.clone(),
                    port: self
                        .settings
                        .host_port
                        .unwrap_or(crate::net::DEFAULT_PORT)
                        .to_string(),
                    // A port open to the internet asks for a seat code by default.
                    seat_code: router == Some(true),
                    router,
                    error: None,
                });
            }
            Action::StartHost {
                name,
                port,
                seat_code,
                router,
            } => self.start_host(&name, &port, seat_code, router),
            Action::OpenJoinForm => {
                let games = self.look_for_games().then(Vec::new);
                self.screen = Screen::Join(JoinForm {
                    name: self.settings.net_name.clone(),
                    ip_port: self.settings.join_ip_port.clone(),
                    seat_code: String::new(),
                    stage: None,
                    error: None,
                    games,
                    invite: None,
                    watch: false,
                });
            }
            Action::Discovery(event) => {
                if let Screen::Join(JoinForm {
                    games: Some(games), ..
                }) = &mut self.screen
                {
                    match event {
                        Discovery::Found(game) => {
                            match games.iter_mut().find(|g| g.id == game.id) {
                                Some(known) => *known = game,
                                None => games.push(game),
                            }
                        }
                        Discovery::Lost { id } => games.retain(|g| g.id != id),
                    }
                }
            }
            Action::StartJoin {
                name,
                ip_port,
                seat_code,
            } => self.start_join(name, ip_port, seat_code),
            Action::StartWatch {
                name,
                ip_port,
                seat_code,
            } => self.start_watch(name, ip_port, seat_code),
            Action::Chat(text) => {
                if let (Screen::Network(_), Some(session)) = (&self.screen, &self.net) {
                    session.chat(text);
                }
            }
            Action::ShowChat(open) => {
                if let Screen::Network(net) = &mut self.screen {
                    net.chat_open = open;
                    if open {
                        net.unread = 0;
                    }
                }
            }
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
            Action::ConfirmResign(show) => {
                if let Screen::Network(net) = &mut self.screen {
                    net.confirm_resign = show;
                }
            }
            Action::NetEvent(event) => self.on_net_event(event),
            Action::OpenReplay(replay) => {
                let replay = Box::new(replay.with_autoplay_step(self.options.autoplay_step));
                if let Screen::VsComputer(vs) = &mut self.screen {
                    vs.forget_pending();
                }
                self.replay_from_history = matches!(self.screen, Screen::History);
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
            Action::OpenPath(path) => self.on_file_event(game_file::open_file(&path)),
            Action::DismissToast => self.toast = None,
            Action::Toast(text) => self.toast = Some((text, None)),
            Action::OpenInvite(link) => match crate::net::invite::Invite::parse(&link) {
                Ok(invite) => {
                    self.apply(Action::OpenJoinForm);
                    if let Screen::Join(form) = &mut self.screen {
                        form.ip_port = invite.addrs.first().cloned().unwrap_or_default();
                        form.seat_code = invite.seat_code.clone().unwrap_or_default();
                        form.invite = Some(invite);
                    }
                }
                Err(error) => self.notice = Some(error.to_string()),
            },
        }
    }

    /// What the person at this window wants in the match on screen, for their seat.
    fn carry_out_intent(&mut self, intent: Intent) {
        if let Screen::Network(net) = &self.screen
            && net.watching()
        {
            // A watcher can only stop watching; the screen offers nothing else.
            if intent == Intent::Leave {
                self.end_session();
                self.screen = Screen::Menu;
            }
            return;
        }
        if let Screen::Network(net) = &mut self.screen {
            net.confirm_resign = false;
            net.message = None;
            if intent == Intent::Leave {
                self.record_leaving();
            }
            if let Some(session) = &self.net {
                session.send(intent);
            }
            if intent == Intent::Leave {
                self.end_session();
                self.screen = Screen::Menu;
            }
            return;
        }
        let result = match &mut self.screen {
            Screen::HotSeat(hot_seat) => match intent {
                // Both players sit here: both ask, and the next game starts.
                Intent::Rematch => Player::ALL
                    .into_iter()
                    .try_for_each(|seat| hot_seat.act(seat, intent).map(drop))
                    .map(|()| None),
                // Whoever moved last takes it back.
                Intent::Undo => {
                    let game = hot_seat.game();
                    match game
                        .moves()
                        .len()
                        .checked_sub(1)
                        .map(|ply| game.mover_of(ply))
                    {
                        Some(seat) => hot_seat.act(seat, intent),
                        None => Ok(None),
                    }
                }
                _ => match hot_seat.to_move() {
                    Some(seat) => hot_seat.act(seat, intent),
                    None => Ok(None),
                },
            },
            Screen::VsComputer(vs) => match intent {
                Intent::Play(cell) => vs.play(cell),
                Intent::Undo => {
                    vs.undo();
                    Ok(None)
                }
                Intent::Rematch => {
                    vs.next_game();
                    Ok(None)
                }
                Intent::Resign | Intent::ClaimWin | Intent::Leave => Ok(None),
            },
            _ => Ok(None),
        };
        match result {
            Ok(over) => self.record_local_game(over),
            // The screens offer only what the match allows, so this is a bug, not a mistake.
            Err(refusal) => {
                tracing::warn!(?intent, %refusal, "the screen offered a refused intent");
            }
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
        if let Screen::Network(net) = &self.screen
            && !net.watching()
            && let Some(over) = net.view.state.leaving(net.view.me)
        {
            {
                let mode = net_mode(net.view.role, net.view.me);
                self.record_game(Record::of_game(Timestamp::now(), mode, &over));
            }
        }
    }

    /// Starts the server from the host form; a bad port or a failure to listen stays on the form.
    fn start_host(&mut self, name: &str, port_text: &str, seat_code: bool, router: bool) {
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
            self.settings.host_port = Some(port);
        }
        let router = router && self.reach.router;
        if self.reach.router {
            self.settings.router = router;
        }
        self.save_settings();
        self.end_session();
        let config = HostConfig {
            port,
            name: name_or_default(name, Player::X),
            mark: Player::X,
            seat_code: seat_code.then(host::new_seat_code),
            timing: self.net_timing.clone(),
            reach: Reach {
                listed: self.reach.listed,
                router,
                // The window asks before hosting (the seat code box is ticked by default).
                seat_code_when_open: false,
            },
            ..HostConfig::default()
        };
        match host::start(config, self.wake()) {
            Ok(handle) => {
                let mut hosting =
                    Hosting::new(handle.port(), handle.seat_code().map(str::to_owned));
                hosting.name = crate::game::clean_name(name);
                if router {
                    hosting.internet = Internet::Asking;
                }
                self.screen = Screen::Hosting(hosting);
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
        self.start_joining(name, ip_port, seat_code, false);
    }

    /// Starts watching; the match arrives as for a joiner, with [`crate::net::View::watching`]
    /// set.
    fn start_watch(&mut self, name: String, ip_port: String, seat_code: String) {
        self.start_joining(name, ip_port, seat_code, true);
    }

    fn start_joining(&mut self, name: String, ip_port: String, seat_code: String, watch: bool) {
        self.settings.net_name = name.trim().to_owned();
        self.settings.join_ip_port = ip_port.trim().to_owned();
        self.save_settings();
        self.end_session();
        if !watch {
            self.rejoin = None;
        }
        let config = JoinConfig {
            name: name_or_default(&name, Player::O),
            seat_code: Some(seat_code.trim().to_owned()).filter(|code| !code.is_empty()),
            timing: self.net_timing.clone(),
            seats: self.seats.clone(),
            ..JoinConfig::default()
        };
        let handle = if watch {
            join::watch(ip_port.trim(), config, self.wake())
        } else {
            join::start(ip_port.trim(), config, self.wake())
        };
        self.net = Some(NetSession::Join(handle));
        let (games, invite) = match &mut self.screen {
            Screen::Join(form) => (form.games.take(), form.invite.take()),
            _ => (None, None),
        };
        self.screen = Screen::Join(JoinForm {
            name,
            stage: Some(Stage::Connecting {
                ip_port: ip_port.trim().to_owned(),
            }),
            ip_port,
            seat_code,
            error: None,
            games,
            invite,
            watch,
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
                self.toast = Some((format!("The game was saved to {}.", path.display()), None));
            }
            FileEvent::Failed(message) => {
                tracing::warn!(%message, "file dialog");
                self.notice = Some(message);
            }
            FileEvent::NoChooser { why, wanted } => {
                tracing::info!(%why, "no file chooser");
                self.without_chooser(why, wanted);
            }
            FileEvent::Cancelled => {}
        }
    }

    /// What the player asked a file chooser for, done without one: a game saved into the games
    /// folder (and where said), or the folder's games listed to open.
    fn without_chooser(&mut self, why: String, wanted: Wanted) {
        match wanted {
            Wanted::Save(record) => {
                match game_file::save_into(
                    &crate::store::GamesFolder::at(self.games_dir.clone()),
                    &record,
                    &why,
                ) {
                    FileEvent::Saved(Ok(path)) => {
                        self.toast = Some((
                            format!(
                                "The game was saved to {} (this desktop shows no file chooser).",
                                path.display()
                            ),
                            None,
                        ));
                    }
                    event => self.on_file_event(event),
                }
            }
            Wanted::Open => {
                let dir = self.games_dir.clone();
                let games = crate::store::GamesFolder::at(dir.clone()).games();
                self.screen = Screen::OpenList(OpenList {
                    why,
                    dir,
                    games,
                    path: String::new(),
                });
            }
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
            (Screen::Network(net), NetEvent::Dispute(what)) => {
                net.message = Some(what.clone());
                self.disputes.push(what);
            }
            // A watcher's history holds the games it played, not the ones it watched.
            (Screen::Network(net), NetEvent::GameOver(over)) if !net.watching() => {
                let mode = net_mode(net.view.role, net.view.me);
                self.record_game(Record::of_game(Timestamp::now(), mode, &over));
            }
            (Screen::Network(net), NetEvent::Chat(line)) => net.hear(line, false),
            (Screen::Network(net), NetEvent::Said(line)) => net.hear(line, true),
            (Screen::Network(net), NetEvent::Stage(stage)) => net.stage = stage,
            (Screen::Network(net), NetEvent::Refused { message, .. }) => {
                net.message = Some(message);
            }
            (Screen::Network(net), NetEvent::Error(error)) => {
                net.message = Some(error.to_string());
                net.failure = Some(error);
            }
            (Screen::Hosting(hosting), NetEvent::Router(event)) => match event {
                RouterEvent::Open {
                    ip_port, seat_code, ..
                } => {
                    hosting.addrs.push(super::network::FriendAddr {
                        ip_port,
                        scope: "internet, through your router".to_owned(),
                    });
                    hosting.internet = Internet::Open;
                    if seat_code.is_some() {
                        hosting.seat_code = seat_code;
                    }
                }
                RouterEvent::Failed(error) => {
                    hosting.internet = Internet::Failed(error.to_string());
                }
            },
            (Screen::HostForm(form), NetEvent::Error(error)) => {
                form.error = Some(error.to_string());
            }
            (_, event) => tracing::debug!(?event, "network event not shown"),
        }
    }
}

/// The mode of a networked match, for its records.
const fn net_mode(role: Role, you: Player) -> Mode {
    Mode::Network { role, you }
}

/// The game shown on `screen` as a record, whether it has ended or not (a game still in progress
/// ends [`Ending::Unfinished`]); `None` on a screen without a game. What "Save game…" writes.
#[must_use]
pub fn screen_record(screen: &Screen, at: Timestamp) -> Option<Record> {
    let (mode, state): (Mode, &Match) = match screen {
        Screen::HotSeat(series) => (Mode::HotSeat, series),
        Screen::VsComputer(vs) => (
            Mode::Computer {
                level: vs.level(),
                you: vs.player_mark(),
            },
            vs.series(),
        ),
        Screen::Network(net) => (net_mode(net.view.role, net.view.me), &net.view.state),
        _ => return None,
    };
    let record = Record::of_game(at, mode, &state.game_so_far());
    if record.is_none() {
        // The screens only hold legal games, so this is a bug, not something a player did.
        tracing::error!("the game on screen could not be made a record");
    }
    record
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::game::{Cell, Ending};

    #[test]
    fn the_game_on_screen_can_be_saved_finished_or_not() {
        let at = Timestamp::UNIX_EPOCH;
        assert_eq!(screen_record(&Screen::Menu, at), None);
        let mut series = Match::new("Ann", "Bob");
        let record = screen_record(&Screen::HotSeat(series.clone()), at).unwrap();
        assert_eq!(record.ending(), Ending::Unfinished);
        assert!(record.moves().is_empty());
        let mut over = None;
        for n in [1, 4, 2, 5, 3] {
            let seat = series.to_move().unwrap();
            over = series
                .act(seat, Intent::Play(Cell::from_number(n).unwrap()))
                .unwrap();
        }
        let record = screen_record(&Screen::HotSeat(series.clone()), at).unwrap();
        assert_eq!(record.ending(), Ending::Won);
        let over = over.unwrap();
        assert_eq!(Some(record), Record::of_game(at, Mode::HotSeat, &over));
    }
}
