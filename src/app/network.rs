//! Playing over the network in the window: the host form and its waiting screen, the join form,
//! and the networked match screen.
//!
//! Each form is a `*_ui` function that draws its state and returns an [`Action`]; the match is
//! drawn by the one match screen from `views::network`. The state is changed only by
//! [`App::apply`](super::App::apply), which also owns the running [`HostHandle`]/[`JoinHandle`]
//! ([`NetSession`]). Network events reach the screens through [`Action::NetEvent`], drained in
//! `App::logic`. Nothing here blocks or does I/O.

use std::time::{Duration, Instant};

use egui::{RichText, Ui};

use super::action::Action;
use super::widgets::{big_button, error_ui, field_ui, form_column};
use crate::game::{Ending, Intent, MAX_NAME_CHARS};
use crate::net::discovery::FoundGame;
use crate::net::wire::APP_VERSION;
use crate::net::{HostHandle, JoinHandle, NetEvent, PROTOCOL_VERSION, Presence, Stage, View, lan};

/// The running network side: the server when hosting, the client when joining. Dropping it stops
/// the network side and tells the other player.
#[derive(Debug)]
pub enum NetSession {
    /// Hosting a game.
    Host(HostHandle),
    /// Joined (or joining) a game.
    Join(JoinHandle),
}

impl NetSession {
    /// Sends `intent` without blocking; a full or closed channel is logged and dropped.
    pub fn send(&self, intent: Intent) {
        let sent = match self {
            Self::Host(handle) => handle.try_send(intent),
            Self::Join(handle) => handle.try_send(intent),
        };
        if let Err(error) = sent {
            tracing::warn!(?intent, %error, "intent not sent");
        }
    }

    /// Sends a line of chat without blocking; a full or closed channel is logged and dropped.
    pub fn chat(&self, text: String) {
        let sent = match self {
            Self::Host(handle) => handle.try_chat(text),
            Self::Join(handle) => handle.try_chat(text),
        };
        if let Err(error) = sent {
            tracing::warn!(%error, "chat not sent");
        }
    }

    /// The next event, if one is waiting. Never blocks.
    pub fn try_recv(&mut self) -> Option<NetEvent> {
        match self {
            Self::Host(handle) => handle.try_recv(),
            Self::Join(handle) => handle.try_recv(),
        }
    }
}

/// The form asking how to host, before the server starts.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HostForm {
    /// The name typed.
    pub name: String,
    /// The port typed (0 picks a free one).
    pub port: String,
    /// Whether the joiner must type a seat code.
    pub seat_code: bool,
    /// Whether to ask the router to open the port to the internet; `None` when this window
    /// does not offer it.
    pub router: Option<bool>,
    /// Why the server could not start, if it could not.
    pub error: Option<String>,
}

/// One address a friend could type, with how far it reaches.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FriendAddr {
    /// The text to type on the joining side, such as `192.168.1.5:7878`.
    pub ip_port: String,
    /// How far it reaches, such as "local network".
    pub scope: String,
}

/// The host's screen while the server waits for the friend.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Hosting {
    /// The port the server listens on.
    pub port: u16,
    /// The addresses of this computer a friend could type, with that port, most useful first
    /// (never loopback).
    pub addrs: Vec<FriendAddr>,
    /// The seat code the friend must type, if one is required.
    pub seat_code: Option<String>,
    /// What the router said about opening the port to the internet.
    pub internet: Internet,
    /// The host's name, as the invite link gives it.
    pub name: String,
}

/// Where opening the port to the internet stands, on the host's screen.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Internet {
    /// Not asked for.
    Off,
    /// The router is being asked (at most a few seconds).
    Asking,
    /// Open: the internet address is listed with the others.
    Open,
    /// It could not be opened; the message says what to do instead.
    Failed(String),
}

impl Hosting {
    /// The waiting screen for a server on `port`, listing the addresses of this computer that a
    /// friend could type.
    #[must_use]
    pub fn new(port: u16, seat_code: Option<String>) -> Self {
        let addrs = lan::friend_addrs()
            .into_iter()
            .map(|addr| FriendAddr {
                ip_port: addr.ip_port(port),
                scope: format!("{}, {}", addr.scope.label(), addr.interface),
            })
            .collect();
        Self {
            port,
            addrs,
            seat_code,
            internet: Internet::Off,
            name: String::new(),
        }
    }

    /// The invite link for the addresses listed (the internet one first, once open), the seat
    /// code and the host's name; `None` with no address to give.
    #[must_use]
    pub fn invite_link(&self) -> Option<String> {
        let mut addrs: Vec<String> = self.addrs.iter().map(|a| a.ip_port.clone()).collect();
        // The router's address is pushed last but reaches furthest: it goes first.
        if let Some(internet) = self
            .addrs
            .iter()
            .position(|a| a.scope.starts_with("internet"))
        {
            let addr = addrs.remove(internet);
            addrs.insert(0, addr);
        }
        addrs.truncate(crate::net::invite::MAX_ADDRS);
        (!addrs.is_empty()).then(|| {
            crate::net::invite::Invite {
                name: self.name.clone(),
                seat_code: self.seat_code.clone(),
                addrs,
            }
            .to_link()
        })
    }
}

/// The form asking where to join, then how joining goes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct JoinForm {
    /// The name typed.
    pub name: String,
    /// The address typed, such as `192.168.1.5:7878`.
    pub ip_port: String,
    /// The seat code typed (may be empty).
    pub seat_code: String,
    /// Where joining stands, once started.
    pub stage: Option<Stage>,
    /// Why joining failed, if it did.
    pub error: Option<String>,
    /// The games seen on this network, in the order they appeared; `None` when this window
    /// does not look for them.
    pub games: Option<Vec<FoundGame>>,
    /// The invite link this window was opened with, if any: its addresses are offered first.
    pub invite: Option<crate::net::invite::Invite>,
    /// What was started (or last tried) watches the match instead of playing it.
    pub watch: bool,
}

impl JoinForm {
    /// Joining, or watching, the address typed: what "Try again" repeats.
    fn start(&self) -> Action {
        if self.watch {
            self.watch_at(self.ip_port.clone())
        } else {
            self.join_at(self.ip_port.clone())
        }
    }

    fn join_at(&self, ip_port: String) -> Action {
        Action::StartJoin {
            name: self.name.clone(),
            ip_port,
            seat_code: self.seat_code.clone(),
        }
    }

    fn watch_at(&self, ip_port: String) -> Action {
        Action::StartWatch {
            name: self.name.clone(),
            ip_port,
            seat_code: self.seat_code.clone(),
        }
    }
}

/// How many lines of chat a match screen keeps (the oldest go first).
pub const CHAT_KEPT: usize = 100;

/// The networked match screen's state: the last view from the network side and what the screen
/// adds to it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NetMatch {
    /// Everything the network side says about the match.
    pub view: Box<View>,
    /// Where the connection stands.
    pub stage: Stage,
    /// The resign confirmation is showing.
    pub confirm_resign: bool,
    /// The last refusal or failure, in words.
    pub message: Option<String>,
    /// The failure that ended the match's connection, if one did.
    pub failure: Option<crate::net::NetError>,
    /// The chat so far, oldest first, at most [`CHAT_KEPT`] lines.
    pub chat: std::collections::VecDeque<crate::net::ChatLine>,
    /// Whether the chat is unfolded on a window too narrow to show it beside the board.
    pub chat_open: bool,
    /// Lines heard while the chat was folded away.
    pub unread: usize,
}

impl NetMatch {
    /// A match screen showing `view`.
    #[must_use]
    pub const fn new(view: Box<View>) -> Self {
        Self {
            view,
            stage: Stage::Playing,
            confirm_resign: false,
            message: None,
            failure: None,
            chat: std::collections::VecDeque::new(),
            chat_open: false,
            unread: 0,
        }
    }

    /// Keeps a line of chat, said or heard; a line heard while the chat is folded away counts
    /// as unread.
    pub fn hear(&mut self, line: crate::net::ChatLine, mine: bool) {
        if self.chat.len() == CHAT_KEPT {
            self.chat.pop_front();
        }
        self.chat.push_back(line);
        if !mine && !self.chat_open {
            self.unread += 1;
        }
    }

    /// Whether the match is over for good (left, abandoned, connection lost).
    #[must_use]
    pub fn finished(&self) -> bool {
        self.view.state.over().is_some() || self.stage == Stage::Ended
    }

    /// Whether this screen only watches the match.
    #[must_use]
    pub const fn watching(&self) -> bool {
        self.view.watching
    }

    /// The opponent's name.
    #[must_use]
    pub fn opponent_name(&self) -> &str {
        self.view.name(self.view.me.other())
    }

    /// The time left before the win may be claimed, while the opponent is away.
    #[must_use]
    pub fn claim_in(&self) -> Option<Duration> {
        match self.view.opponent {
            Presence::Away { claim_at, .. } if !self.finished() => {
                Some(claim_at.saturating_duration_since(Instant::now()))
            }
            _ => None,
        }
    }
}

/// The connection line: "Connected · 3 ms · 2 watching", "Reconnecting… (attempt 2)", "Bob is
/// away — you can claim the win in 42 s", or why the match ended.
///
/// A watcher's says only how the link stands and how many watch.
#[must_use]
pub fn connection_text(net: &NetMatch) -> String {
    let view = &net.view;
    let opponent = net.opponent_name();
    if view.watching {
        return watch_connection_text(net);
    }
    if let Some(over) = view.state.over() {
        return match over {
            Ending::Left { player } if player == view.me => "You left the match".to_owned(),
            Ending::Left { .. } => format!("{opponent} left the match"),
            Ending::Abandoned { player } if player == view.me => {
                format!("{opponent} claimed the win: you were away too long")
            }
            Ending::Abandoned { .. } => {
                format!("You claimed the win: {opponent} was away too long")
            }
            Ending::Won | Ending::Draw | Ending::Resigned { .. } | Ending::Unfinished => {
                "The match has ended".to_owned()
            }
        };
    }
    if net.stage == Stage::Ended {
        return "The match has ended".to_owned();
    }
    if let Stage::Reconnecting {
        attempt,
        give_up_at,
        ..
    } = net.stage
    {
        let left = give_up_at.saturating_duration_since(Instant::now());
        return format!(
            "Reconnecting… (attempt {attempt}; giving up in {} s)",
            left.as_secs() + u64::from(left.subsec_nanos() > 0)
        );
    }
    if let Stage::Connecting { .. } = net.stage {
        return "Reconnecting…".to_owned();
    }
    match view.opponent {
        Presence::Away { .. } => match net.claim_in() {
            Some(left) if !left.is_zero() => format!(
                "{opponent} is away — you can claim the win in {} s",
                left.as_secs() + u64::from(left.subsec_nanos() > 0)
            ),
            _ if view.can_claim_win() => format!("{opponent} is away — you can claim the win"),
            _ => format!("{opponent} is away"),
        },
        Presence::NotJoined => "Waiting for your friend…".to_owned(),
        Presence::Gone => format!("{opponent} is gone"),
        Presence::Connected => {
            let mut text = match view.rtt {
                Some(rtt) => format!("Connected · {} ms", rtt.as_millis()),
                None => "Connected".to_owned(),
            };
            if let Some(watching) = watchers_text(view) {
                text.push_str(" · ");
                text.push_str(&watching);
            }
            text
        }
    }
}

/// "1 watching", "12 watching"; `None` when nobody watches.
#[must_use]
pub fn watchers_text(view: &View) -> Option<String> {
    (view.watchers > 0).then(|| format!("{} watching", view.watchers))
}

/// A watcher's connection line: "Connected · 3 ms · 2 watching", "Reconnecting…", "The match is
/// over".
fn watch_connection_text(net: &NetMatch) -> String {
    let view = &net.view;
    if view.state.over().is_some() || net.stage == Stage::Ended {
        return "The match is over".to_owned();
    }
    if let Stage::Reconnecting { attempt, .. } = net.stage {
        return format!("Reconnecting… (attempt {attempt})");
    }
    if let Stage::Connecting { .. } = net.stage {
        return "Reconnecting…".to_owned();
    }
    let mut text = match view.rtt {
        Some(rtt) => format!("Connected · {} ms", rtt.as_millis()),
        None => "Connected".to_owned(),
    };
    if let Some(watching) = watchers_text(view) {
        text.push_str(" · ");
        text.push_str(&watching);
    }
    text
}

/// Draws the host form and returns what the player asked for.
pub fn host_form_ui(ui: &mut Ui, form: &mut HostForm) -> Option<Action> {
    form_column(ui, "Host a game", |ui, width| {
        let mut action = None;
        let name = field_ui(ui, "Your name", &mut form.name, "Player X", width);
        if name.changed() {
            form.name = form.name.chars().take(MAX_NAME_CHARS).collect();
        }
        let port = field_ui(ui, "Port", &mut form.port, "7878", width);
        ui.checkbox(&mut form.seat_code, "Ask for a seat code")
            .on_hover_text("Your friend must type a code shown on your screen to join");
        if let Some(router) = &mut form.router {
            ui.checkbox(router, "Open the port to the internet")
                .on_hover_text(
                    "Asks your router (PCP, NAT-PMP or UPnP) to forward the port, so that a friend \
                 elsewhere can join. Keep the seat code on: anyone could try to join",
                );
        }
        ui.add_space(12.0);
        if let Some(error) = &form.error {
            error_ui(ui, error);
        }
        let entered = (name.lost_focus() || port.lost_focus())
            && ui.input(|i| i.key_pressed(egui::Key::Enter));
        if big_button(ui, "Start hosting", width) || entered {
            action = Some(Action::StartHost {
                name: form.name.clone(),
                port: form.port.clone(),
                seat_code: form.seat_code,
                router: form.router.unwrap_or(false),
            });
        }
        action
    })
}

/// Draws the host's waiting screen and returns what the player asked for.
pub fn hosting_ui(ui: &mut Ui, hosting: &Hosting) -> Option<Action> {
    form_column(ui, "Waiting for your friend…", |ui, width| {
        let mut action = None;
        ui.label(format!(
            "Hosting on port {}. Your friend presses \"Join a game…\" and types one of these \
             addresses:",
            hosting.port
        ));
        ui.add_space(8.0);
        if hosting.addrs.is_empty() {
            ui.label(
                RichText::new(
                    "No address a friend could reach was found. Connect to the same network as \
                     your friend, or look up this computer's address in the system settings.",
                )
                .weak(),
            );
        }
        for addr in &hosting.addrs {
            ui.horizontal(|ui| {
                let copy = ui
                    .button("Copy")
                    .on_hover_text(format!("Copy {}", addr.ip_port));
                if copy.clicked() {
                    ui.ctx().copy_text(addr.ip_port.clone());
                }
                ui.vertical(|ui| {
                    ui.label(RichText::new(&addr.ip_port).monospace().strong());
                    ui.label(RichText::new(&addr.scope).weak().small());
                });
            });
        }
        match &hosting.internet {
            Internet::Off | Internet::Open => {}
            Internet::Asking => {
                ui.label(
                    RichText::new(format!(
                        "Asking your router to open port {} to the internet…",
                        hosting.port
                    ))
                    .weak(),
                );
            }
            Internet::Failed(message) => {
                ui.label(RichText::new(message).weak());
            }
        }
        if let Some(code) = &hosting.seat_code {
            ui.add_space(10.0);
            ui.horizontal(|ui| {
                ui.label("Seat code:");
                ui.label(RichText::new(code).monospace().size(20.0).strong());
            });
        }
        if let Some(link) = hosting.invite_link() {
            ui.add_space(10.0);
            let copy = ui.button("Copy invite link").on_hover_text(
                "A tictactoe:// link with these addresses and the seat code, to paste into a \
                 chat: a click on it opens the game on your friend's computer, ready to join",
            );
            if copy.clicked() {
                ui.ctx().copy_text(link);
                action = Some(Action::Toast("Invite link copied".to_owned()));
            }
        }
        ui.add_space(16.0);
        // Words, not a spinner: waiting may last minutes, and an idle window draws nothing.
        ui.label(RichText::new("The game starts as soon as your friend joins.").weak());
        ui.add_space(16.0);
        if big_button(ui, "Cancel", width) {
            action = Some(Action::CancelNetwork);
        }
        action
    })
}

/// The text for a joining stage.
fn stage_text(stage: &Stage) -> String {
    match stage {
        Stage::Connecting { ip_port } => format!("Connecting to {ip_port}…"),
        Stage::Waiting => "Connected, waiting for the host…".to_owned(),
        Stage::Playing => "Joined, starting the game…".to_owned(),
        Stage::Reconnecting { attempt, .. } => format!("Reconnecting… (attempt {attempt})"),
        Stage::Ended => "Stopped".to_owned(),
    }
}

/// Draws the join form (and how joining goes) and returns what the player asked for.
pub fn join_form_ui(ui: &mut Ui, form: &mut JoinForm) -> Option<Action> {
    form_column(ui, "Join a game", |ui, width| {
        let mut action = None;
        let busy = form.stage.is_some() && form.error.is_none();
        ui.add_enabled_ui(!busy, |ui| {
            let name = field_ui(ui, "Your name", &mut form.name, "Player O", width);
            if name.changed() {
                form.name = form.name.chars().take(MAX_NAME_CHARS).collect();
            }
            if let Some(invite) = &form.invite
                && let Some(join) = invite_ui(ui, invite, form)
            {
                action = Some(join);
            }
            if let Some(games) = &form.games
                && let Some(join) = found_games_ui(ui, games, form)
            {
                action = Some(join);
            }
            let addr = field_ui(ui, "Address", &mut form.ip_port, "192.168.1.5:7878", width);
            let code = field_ui(ui, "Seat code (if asked)", &mut form.seat_code, "", width);
            let enter = ui.input(|i| i.key_pressed(egui::Key::Enter));
            if (addr.lost_focus() || code.lost_focus()) && enter {
                action = Some(form.start());
            }
        });
        ui.add_space(6.0);
        if let Some(error) = &form.error {
            error_ui(ui, error);
            // The fields above can be corrected first; the top bar goes back to the menu.
            if big_button(ui, "Try again", width) {
                action = Some(form.start());
            }
        } else if let Some(stage) = &form.stage {
            ui.horizontal(|ui| {
                ui.spinner();
                let text = stage_text(stage);
                if form.watch {
                    ui.label(format!("{text} (to watch)"));
                } else {
                    ui.label(text);
                }
            });
            ui.add_space(12.0);
            if big_button(ui, "Cancel", width) {
                action = Some(Action::CancelNetwork);
            }
        } else {
            if big_button(ui, "Join", width) {
                action = Some(form.join_at(form.ip_port.clone()));
            }
            ui.vertical_centered(|ui| {
                let watch = ui
                    .button("Watch instead")
                    .on_hover_text("Follow the match at this address without playing");
                if watch.clicked() {
                    action = Some(form.watch_at(form.ip_port.clone()));
                }
            });
        }
        action
    })
}

/// The invite link's addresses, each with its own Join button: nothing connects before a click.
fn invite_ui(ui: &mut Ui, invite: &crate::net::invite::Invite, form: &JoinForm) -> Option<Action> {
    let mut action = None;
    let who = if invite.name.is_empty() {
        "your friend".to_owned()
    } else {
        invite.name.clone()
    };
    ui.label(RichText::new(format!("Invited by {who}")).strong());
    let note = if invite.seat_code.is_some() {
        "The seat code is filled in below. Join at the first address; if it does not answer, try the next."
    } else {
        "Join at the first address; if it does not answer, try the next."
    };
    ui.label(RichText::new(note).weak().small());
    for (index, ip_port) in invite.addrs.iter().enumerate() {
        ui.horizontal(|ui| {
            let label = if index == 0 {
                format!("Join {who}")
            } else {
                "Join here".to_owned()
            };
            let join = ui.button(label).on_hover_text(format!("Join {ip_port}"));
            ui.label(RichText::new(ip_port).monospace());
            if join.clicked() {
                action = Some(form.join_at(ip_port.clone()));
            }
        });
    }
    ui.add_space(8.0);
    action
}

/// The games seen on this network, each with its own Join button (a match being played, with
/// Watch instead); one of another version is greyed, with both versions. Returns the join or watch asked for.
fn found_games_ui(ui: &mut Ui, games: &[FoundGame], form: &JoinForm) -> Option<Action> {
    let mut action = None;
    ui.label(RichText::new("Games on this network").strong());
    if games.is_empty() {
        ui.label(RichText::new("Looking for games on this network…").weak());
    }
    for game in games {
        let Some(ip_port) = game.ip_port() else {
            continue;
        };
        ui.horizontal(|ui| {
            let (label, hover) = if game.playing {
                (format!("Watch {}", game.name), format!("Watch {ip_port}"))
            } else {
                (format!("Join {}", game.name), format!("Join {ip_port}"))
            };
            let enabled = game.compatible() && (game.watch || !game.playing);
            let main = ui
                .add_enabled(enabled, egui::Button::new(label))
                .on_hover_text(hover);
            if main.clicked() {
                action = Some(if game.playing {
                    form.watch_at(ip_port.clone())
                } else {
                    form.join_at(ip_port.clone())
                });
            }
            ui.vertical(|ui| {
                ui.label(RichText::new(&ip_port).monospace());
                let note = if !game.compatible() {
                    let app = if game.app.is_empty() { "?" } else { &game.app };
                    format!(
                        "Another version: Tic-Tac-Toe {app} (protocol {}); you have \
                         {APP_VERSION} (protocol {PROTOCOL_VERSION})",
                        game.protocol
                    )
                } else if game.playing && game.seat_code {
                    "Being played · watching asks for the seat code".to_owned()
                } else if game.playing {
                    "Being played · open to watch".to_owned()
                } else if game.seat_code {
                    "Asks for a seat code: type it below first".to_owned()
                } else {
                    "Open to join".to_owned()
                };
                ui.label(RichText::new(note).weak().small());
            });
        });
    }
    ui.add_space(8.0);
    ui.label("Or type your friend's address:");
    action
}
