//! The host's screen while the server waits for the friend: the addresses to read out (each
//! with a Copy button), the seat code, the invite link, and how opening the port to the
//! internet goes.
//!
//! The network side's events change it: the router's answer, and the friend joining, which
//! opens the match.

use egui::{RichText, Ui};

use crate::app::command::Command;
use crate::app::effect::{Effect, Open};
use crate::app::event::SystemEvent;
use crate::app::widgets::{big_button, form_column};
use crate::game::Intent;
use crate::net::{NetEvent, Presence, RouterEvent, lan};

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
    /// The addresses of this computer a friend could type, with that port, most useful first
    /// (never loopback).
    pub addrs: Vec<FriendAddr>,
    /// The seat code the friend must type, if one is required.
    pub seat_code: Option<String>,
    /// What the router said about opening the port to the internet.
    pub internet: Internet,
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
                p2p: None,
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
                vec![Effect::Open(Open::NetMatch(view))]
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
                self.internet = Internet::Failed(error.to_string());
                Vec::new()
            }
            _ => Vec::new(),
        }
    }
}

/// Draws the host's waiting screen and returns what the player asked for.
pub fn hosting_ui(ui: &mut Ui, hosting: &Hosting) -> Option<Command> {
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
                "A tictactoe:// link with these addresses and the seat code, to paste into a \
                 chat: a click on it opens the game on your friend's computer, ready to join",
            );
            if copy.clicked() {
                action = Some(Command::CopyInviteLink);
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
