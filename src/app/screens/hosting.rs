//! The host's screen while the server waits for the friend.
//!
//! The game hosted, the addresses to read out (each with a Copy button), the seat code, the
//! invite link (with the game, the peer-to-peer path's key, relay and direct addresses, so that
//! it works from anywhere), and how opening the port to the internet goes.
//!
//! The network side's events change it: the router's answer, where the peer-to-peer path is
//! reached now (the app reads it every frame: the relay connects a moment after hosting
//! starts), the route of a friend's connection, and the friend joining, which opens the match.

use std::time::Duration;

use egui::{RichText, Ui};

use crate::app::command::Command;
use crate::app::effect::{Effect, Open};
use crate::app::event::SystemEvent;
use crate::app::widgets::{big_button, form_column};
use crate::game::{Intent, Variant};
use crate::net::p2p::{P2pAddr, Route};
use crate::net::router::RouterError;
use crate::net::{NetEvent, Presence, RouterEvent, lan};

use super::game_choice::game_title;
use super::host_form::relay_name;

/// How long the screen keeps drawing a frame a second while the relay is being reached, so
/// that the link it offers carries the relay as soon as it is connected.
pub const RELAY_WAIT: Duration = Duration::from_secs(30);

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
    /// The host's name, as the invite link gives it.
    pub name: String,
    /// The game hosted, as the screen and the invite link name it.
    pub game: Variant,
    /// The addresses of this computer a friend could type, with that port, most useful first
    /// (never loopback).
    pub addrs: Vec<FriendAddr>,
    /// The seat code the friend must type, if one is required.
    pub seat_code: Option<String>,
    /// What the router said about opening the port to the internet.
    pub internet: Internet,
    /// Where the game is reached on the peer-to-peer path now, if it listens there.
    pub p2p: Option<P2pAddr>,
    /// Whether the peer-to-peer path uses a relay (it may not be connected yet).
    pub relayed: bool,
    /// When, on egui's clock, the screen began waiting for the relay.
    pub relay_wait_from: Option<Duration>,
    /// How the friend's connection runs, once one on the peer-to-peer path has been taken.
    pub route: Option<Route>,
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
            game: Variant::Classic,
            p2p: None,
            relayed: false,
            relay_wait_from: None,
            route: None,
        }
    }

    /// The same screen for a game reached on the peer-to-peer path at `p2p`, through a relay
    /// when `relayed`.
    #[must_use]
    pub fn with_p2p(mut self, p2p: Option<P2pAddr>, relayed: bool) -> Self {
        self.relayed = relayed && p2p.is_some();
        self.p2p = p2p;
        self
    }

    /// Whether the relay is still being reached.
    #[must_use]
    pub fn reaching_relay(&self) -> bool {
        self.relayed && self.p2p.as_ref().is_some_and(|p2p| p2p.relay.is_none())
    }

    /// The invite link for the addresses listed (the internet one first, once open), the
    /// peer-to-peer path (key, relay, direct addresses), the seat code and the host's name;
    /// `None` with nothing to give.
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
        (!addrs.is_empty() || self.p2p.is_some()).then(|| {
            crate::net::invite::Invite {
                name: self.name.clone(),
                game: self.game,
                seat_code: self.seat_code.clone(),
                addrs,
                p2p: self.p2p.clone(),
            }
            .to_link()
        })
    }
}

impl Hosting {
    /// Carries out `command` on this screen.
    pub fn update(&mut self, command: Command) -> Vec<Effect> {
        match command {
            Command::CopyAddress(ip_port) => vec![Effect::Copy(ip_port)],
            Command::CopyInviteLink => match self.invite_link() {
                Some(link) => vec![
                    Effect::Copy(link),
                    Effect::Toast("Invite link copied".to_owned()),
                ],
                None => Vec::new(),
            },
            Command::CancelNetwork => vec![Effect::StopSession, Effect::Open(Open::HostForm)],
            Command::BackToMenu => vec![
                Effect::Send(Intent::Leave),
                Effect::StopSession,
                Effect::Open(Open::Menu),
            ],
            _ => Vec::new(),
        }
    }

    /// The friend joins (the match opens), or the router answers.
    pub fn on_event(&mut self, event: SystemEvent) -> Vec<Effect> {
        match event {
            SystemEvent::Net(NetEvent::State(view)) if view.opponent != Presence::NotJoined => {
                vec![Effect::Open(Open::NetMatch {
                    view,
                    route: self.route.take(),
                })]
            }
            SystemEvent::Net(NetEvent::Route(route)) => {
                self.route = Some(route);
                Vec::new()
            }
            SystemEvent::Reachable(p2p) => {
                self.p2p = p2p;
                Vec::new()
            }
            SystemEvent::Tick { now_s } if self.reaching_relay() => {
                let now = Duration::try_from_secs_f64(now_s).unwrap_or_default();
                let from = *self.relay_wait_from.get_or_insert(now);
                if now.saturating_sub(from) < RELAY_WAIT {
                    vec![Effect::RepaintAfter(Duration::from_secs(1))]
                } else {
                    Vec::new()
                }
            }
            SystemEvent::Net(NetEvent::Router(RouterEvent::Open {
                ip_port, seat_code, ..
            })) => {
                self.addrs.push(FriendAddr {
                    ip_port,
                    scope: "internet, through your router".to_owned(),
                });
                self.internet = Internet::Open;
                if seat_code.is_some() {
                    self.seat_code = seat_code;
                }
                Vec::new()
            }
            SystemEvent::Net(NetEvent::Router(RouterEvent::Failed(error))) => {
                self.internet = Internet::Failed(self.router_failed(&error));
                Vec::new()
            }
            _ => Vec::new(),
        }
    }
}

impl Hosting {
    /// What the screen says when the router would not open the port: with the peer-to-peer
    /// path, the invite link still reaches a friend anywhere, so that is what to do instead.
    fn router_failed(&self, error: &RouterError) -> String {
        if self.p2p.is_none() {
            return error.to_string();
        }
        match error {
            RouterError::SharedAddress { shown } => format!(
                "Your router's own internet address{shown} is shared with other customers \
                 (carrier-grade NAT), so the port cannot be opened. Your friend can still join \
                 from anywhere with the invite link."
            ),
            RouterError::NoAnswer { .. } | RouterError::Refused { .. } => {
                format!("{error} Or send the invite link: it needs no open port.")
            }
            RouterError::Lost { .. } => error.to_string(),
        }
    }
}

/// What the invite link holds of the peer-to-peer path, in a line under its button.
fn p2p_note(hosting: &Hosting) -> Option<String> {
    let p2p = hosting.p2p.as_ref()?;
    Some(match (&p2p.relay, hosting.relayed) {
        (Some(relay), _) => format!(
            "The link works from anywhere: directly, through both routers, or through the relay \
             {}.",
            relay_name(&relay.to_string())
        ),
        (None, true) => "Reaching the relay… The link works without it too, directly or \
                         through both routers."
            .to_owned(),
        (None, false) => "The link works directly or through both routers (no relay).".to_owned(),
    })
}

/// Draws the host's waiting screen and returns what the player asked for.
pub fn hosting_ui(ui: &mut Ui, hosting: &Hosting) -> Option<Command> {
    form_column(ui, "Waiting for your friend…", |ui, width| {
        let mut action = None;
        ui.label(RichText::new(format!("Game: {}", game_title(hosting.game))).strong());
        ui.label(format!(
            "Hosting on port {}. Your friend presses \"Join a game…\" and types one of these \
             addresses:",
            hosting.port
        ));
        ui.add_space(8.0);
        if hosting.addrs.is_empty() {
            let text = if hosting.p2p.is_some() {
                "No address a friend could type was found. Send the invite link below instead."
            } else {
                "No address a friend could reach was found. Connect to the same network as your \
                 friend, or look up this computer's address in the system settings."
            };
            ui.label(RichText::new(text).weak());
        }
        for addr in &hosting.addrs {
            ui.horizontal(|ui| {
                let copy = ui
                    .button("Copy")
                    .on_hover_text(format!("Copy {}", addr.ip_port));
                if copy.clicked() {
                    action = Some(Command::CopyAddress(addr.ip_port.clone()));
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
        if hosting.invite_link().is_some() {
            ui.add_space(10.0);
            let copy = ui.button("Copy invite link").on_hover_text(
                "A tictactoe:// link with these addresses, this computer's key and the seat \
                 code, to paste into a chat: a click on it opens the game on your friend's \
                 computer, ready to join",
            );
            if copy.clicked() {
                action = Some(Command::CopyInviteLink);
            }
            if let Some(note) = p2p_note(hosting) {
                ui.label(RichText::new(note).weak());
            }
        }
        ui.add_space(16.0);
        // Words, not a spinner: waiting may last minutes, and an idle window draws nothing.
        ui.label(RichText::new("The game starts as soon as your friend joins.").weak());
        ui.add_space(16.0);
        if big_button(ui, "Cancel", width) {
            action = Some(Command::CancelNetwork);
        }
        action
    })
}
