//! The form that joins a game over the network, and how joining goes.
//!
//! The name, the address and the seat code; an invite link (one Join for every path of a link
//! with a key, one per address for a link without), and the games seen on this network, each a
//! click away; then the stages of connecting, or why it failed with a way to try again. A link
//! typed or pasted as the address joins by every path it names too.
//!
//! [`JoinForm::update`] starts joining or watching (the app starts the session); the network
//! side's events and the games found on this network come back through
//! [`JoinForm::on_event`]. Also: [`open_invite`], an invite link read into this form.

use egui::{RichText, Ui};

use crate::app::command::Command;
use crate::app::effect::{Effect, Open, Remember};
use crate::app::event::SystemEvent;
use crate::app::screens::game_choice::{game_label, game_title};
use crate::app::widgets::{
    big_button, error_ui, field_ui, form_column, long_field_ui, primary_big_button,
};
use crate::game::{Intent, MAX_NAME_CHARS};
use crate::net::discovery::{Discovery, FoundGame};
use crate::net::invite::Invite;
use crate::net::join::Destination;
use crate::net::p2p::Route;
use crate::net::wire::APP_VERSION;
use crate::net::{NetEvent, PROTOCOL_VERSION, Stage};
use crate::store::Settings;

/// An invite link opened (from the command line, or a click on it): the join form filled in
/// with it, or why it is not one, in the notice.
pub fn open_invite(link: &str) -> Vec<Effect> {
    match Invite::parse(link) {
        Ok(invite) => vec![Effect::Open(Open::JoinForm(Some(Box::new(invite))))],
        Err(error) => vec![Effect::Notice(error.to_string())],
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
    pub invite: Option<Invite>,
    /// What was started (or last tried) watches the match instead of playing it.
    pub watch: bool,
    /// What was started (or last tried) goes by every path of the invite link.
    pub by_invite: bool,
    /// How the connection runs, once one on the peer-to-peer path has said so.
    pub route: Option<Route>,
}

impl JoinForm {
    /// The form filled with the name and address used last time; `games` lists the games found
    /// on this network (`None` when this window does not look), `invite` an invite link's.
    #[must_use]
    pub fn new(settings: &Settings, games: Option<Vec<FoundGame>>, invite: Option<Invite>) -> Self {
        let mut form = Self {
            name: settings.net_name.clone(),
            ip_port: settings.join_ip_port.clone(),
            seat_code: String::new(),
            stage: None,
            error: None,
            games,
            invite: None,
            watch: false,
            by_invite: false,
            route: None,
        };
        if let Some(invite) = invite {
            form.ip_port = invite.addrs.first().cloned().unwrap_or_default();
            form.seat_code = invite.seat_code.clone().unwrap_or_default();
            form.invite = Some(invite);
        }
        form
    }

    /// The form of a join already started as `name` at `ip_port` (taking a seat back).
    #[must_use]
    pub fn joining(name: String, ip_port: String) -> Self {
        Self {
            name,
            stage: Some(Stage::Connecting {
                ip_port: ip_port.trim().to_owned(),
            }),
            ip_port,
            seat_code: String::new(),
            error: None,
            games: None,
            invite: None,
            watch: false,
            by_invite: false,
            route: None,
        }
    }

    /// Carries out `command` on this form: joining or watching starts here, and shows how it
    /// goes; cancelling stops it.
    pub fn update(&mut self, command: Command) -> Vec<Effect> {
        let (name, ip_port, seat_code, watch) = match command {
            Command::StartJoinInvite {
                name,
                seat_code,
                watch,
            } => return self.start_invite(name, &seat_code, watch),
            Command::StartJoin {
                name,
                ip_port,
                seat_code,
            } => (name, ip_port, seat_code, false),
            Command::StartWatch {
                name,
                ip_port,
                seat_code,
            } => (name, ip_port, seat_code, true),
            Command::CancelNetwork => {
                self.stage = None;
                self.error = None;
                return vec![Effect::StopSession];
            }
            Command::BackToMenu => {
                return vec![
                    Effect::Send(Intent::Leave),
                    Effect::StopSession,
                    Effect::Open(Open::Menu),
                ];
            }
            _ => return Vec::new(),
        };
        self.ip_port.clone_from(&ip_port);
        if Invite::is_link(&ip_port) {
            // A link pasted as the address: the invite it holds, joined by every path.
            match Invite::parse(&ip_port) {
                Ok(invite) => {
                    let seat_code = if seat_code.trim().is_empty() {
                        invite.seat_code.clone().unwrap_or_default()
                    } else {
                        seat_code
                    };
                    self.invite = Some(invite);
                    return self.start_invite(name, &seat_code, watch);
                }
                Err(error) => {
                    self.name = name;
                    self.watch = watch;
                    self.by_invite = false;
                    self.error = Some(error.to_string());
                    return Vec::new();
                }
            }
        }
        let shown = ip_port.trim().to_owned();
        self.begin(
            name,
            &seat_code,
            watch,
            shown,
            Destination::Address(ip_port),
        )
    }

    /// Joins (or watches) the invite link's host by every path the link names.
    fn start_invite(&mut self, name: String, seat_code: &str, watch: bool) -> Vec<Effect> {
        let Some(invite) = self.invite.clone() else {
            return Vec::new();
        };
        let shown = self.host_name();
        let to = Destination::Invite(Box::new(invite));
        self.begin(name, seat_code, watch, shown, to)
    }

    /// Shows the form connecting to `shown` and asks for the join (or watch) of `to`.
    fn begin(
        &mut self,
        name: String,
        seat_code: &str,
        watch: bool,
        shown: String,
        to: Destination,
    ) -> Vec<Effect> {
        self.stage = Some(Stage::Connecting { ip_port: shown });
        self.error = None;
        self.watch = watch;
        self.by_invite = matches!(to, Destination::Invite(_));
        self.route = None;
        self.name.clone_from(&name);
        seat_code.clone_into(&mut self.seat_code);
        let seat_code = Some(seat_code.trim().to_owned()).filter(|code| !code.is_empty());
        vec![
            Effect::Remember(Remember::Joining {
                name: name.clone(),
                ip_port: self.ip_port.clone(),
            }),
            Effect::Join {
                name,
                to,
                seat_code,
                watch,
            },
        ]
    }

    /// The invite link's host as the form names it: its name, or "your friend".
    fn host_name(&self) -> String {
        match &self.invite {
            Some(invite) if !invite.name.is_empty() => invite.name.clone(),
            _ => "your friend".to_owned(),
        }
    }

    /// How joining goes (the match opens once the host's view arrives), and the games seen on
    /// this network.
    pub fn on_event(&mut self, event: SystemEvent) -> Vec<Effect> {
        match event {
            SystemEvent::Net(NetEvent::State(view)) if self.error.is_none() => {
                vec![Effect::Open(Open::NetMatch {
                    view,
                    route: self.route.take(),
                })]
            }
            SystemEvent::Net(NetEvent::Stage(stage)) if self.error.is_none() => {
                // A join by invite names its host as the link does, not by its key.
                self.stage = Some(match stage {
                    Stage::Connecting { .. } if self.by_invite => Stage::Connecting {
                        ip_port: self.host_name(),
                    },
                    stage => stage,
                });
                Vec::new()
            }
            SystemEvent::Net(NetEvent::Route(route)) => {
                self.route = Some(route);
                Vec::new()
            }
            SystemEvent::Net(NetEvent::Error(error)) => {
                self.error = Some(error.to_string());
                vec![Effect::StopSession]
            }
            SystemEvent::Discovery(found) => {
                if let Some(games) = &mut self.games {
                    match found {
                        Discovery::Found(game) => {
                            match games.iter_mut().find(|g| g.id == game.id) {
                                Some(known) => *known = game,
                                None => games.push(game),
                            }
                        }
                        Discovery::Lost { id } => games.retain(|g| g.id != id),
                    }
                }
                Vec::new()
            }
            _ => Vec::new(),
        }
    }

    /// Joining, or watching, the address typed (or the invite link, when that was tried): what
    /// "Try again" repeats.
    fn start(&self) -> Command {
        if self.by_invite && self.invite.is_some() {
            return self.invite_join(self.watch);
        }
        if self.watch {
            self.watch_at(self.ip_port.clone())
        } else {
            self.join_at(self.ip_port.clone())
        }
    }

    fn join_at(&self, ip_port: String) -> Command {
        Command::StartJoin {
            name: self.name.clone(),
            ip_port,
            seat_code: self.seat_code.clone(),
        }
    }

    fn invite_join(&self, watch: bool) -> Command {
        Command::StartJoinInvite {
            name: self.name.clone(),
            seat_code: self.seat_code.clone(),
            watch,
        }
    }

    fn watch_at(&self, ip_port: String) -> Command {
        Command::StartWatch {
            name: self.name.clone(),
            ip_port,
            seat_code: self.seat_code.clone(),
        }
    }
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
pub fn join_form_ui(ui: &mut Ui, form: &mut JoinForm) -> Option<Command> {
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
            // An invite link may be pasted here too.
            let addr = long_field_ui(
                ui,
                "Address",
                &mut form.ip_port,
                "192.168.1.5:7878",
                width,
                crate::net::invite::MAX_LINK_LEN,
            );
            let code = field_ui(ui, "Seat code (if asked)", &mut form.seat_code, "", width);
            let enter = ui.input(|i| i.key_pressed(egui::Key::Enter));
            if (addr.lost_focus() || code.lost_focus()) && enter {
                action = Some(form.start());
            }
        });
        ui.add_space(6.0);
        if let Some(error) = &form.error {
            error_ui(ui, error);
            // The fields above can be corrected first; the header bar goes back to the menu.
            if primary_big_button(ui, "Try again", width) {
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
                action = Some(Command::CancelNetwork);
            }
        } else {
            if primary_big_button(ui, "Join", width) {
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

/// The invite link: one Join for every path of a link with a key (and Watch), or its
/// addresses, each with its own Join button. Nothing connects before a click.
fn invite_ui(ui: &mut Ui, invite: &Invite, form: &JoinForm) -> Option<Command> {
    let mut action = None;
    let who = form.host_name();
    ui.horizontal_wrapped(|ui| {
        ui.label(RichText::new(format!("Invited by {who}")).strong());
        ui.label(format!("to play {}", game_title(invite.game)));
    });
    if invite.p2p.is_some() {
        let note = if invite.seat_code.is_some() {
            "The seat code is filled in below. Every way the link knows is tried at once: this \
             network, the internet, through both routers or a relay."
        } else {
            "Every way the link knows is tried at once: this network, the internet, through \
             both routers or a relay."
        };
        ui.label(RichText::new(note).weak().small());
        ui.horizontal(|ui| {
            let join = ui
                .button(format!("Join {who}"))
                .on_hover_text("Join by every path of the invite link");
            if join.clicked() {
                action = Some(form.invite_join(false));
            }
            let watch = ui
                .button("Watch")
                .on_hover_text("Follow the match without playing");
            if watch.clicked() {
                action = Some(form.invite_join(true));
            }
        });
        ui.add_space(8.0);
        return action;
    }
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

/// Which game a game seen on this network plays and whether it can be joined ("Gomoku · Open
/// to join"); a game of another version, or one this version does not know, says why not.
#[must_use]
pub fn found_game_note(game: &FoundGame) -> String {
    let app = if game.app.is_empty() { "?" } else { &game.app };
    let Some(variant) = game.game else {
        return format!(
            "A game this version does not know (Tic-Tac-Toe {app}); you have {APP_VERSION}: \
             update to join"
        );
    };
    let state = if !game.compatible() {
        format!(
            "Another version: Tic-Tac-Toe {app} (protocol {}); you have {APP_VERSION} \
             (protocol {PROTOCOL_VERSION})",
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
    format!("{} · {state}", game_label(variant))
}

/// The games seen on this network, each with its own Join button (a match being played, with
/// Watch instead) and the game it plays; one of another version, or of a game this version does
/// not know, is greyed, saying why. Returns the join or watch asked for.
fn found_games_ui(ui: &mut Ui, games: &[FoundGame], form: &JoinForm) -> Option<Command> {
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
                ui.label(RichText::new(found_game_note(game)).weak().small());
            });
        });
    }
    ui.add_space(8.0);
    ui.label("Or type your friend's address:");
    action
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::game::Variant;

    fn found(protocol: u32, game: Option<Variant>) -> FoundGame {
        FoundGame {
            id: "Ann".to_owned(),
            name: "Ann".to_owned(),
            addrs: Vec::new(),
            seat_code: false,
            protocol,
            app: "9.9.9".to_owned(),
            watch: true,
            playing: false,
            game,
        }
    }

    #[test]
    fn a_game_seen_on_this_network_says_which_game_and_why_it_cannot_be_joined() {
        assert_eq!(
            found_game_note(&found(PROTOCOL_VERSION, Some(Variant::Gomoku))),
            "Gomoku · Open to join"
        );
        let older = found_game_note(&found(0, Some(Variant::Classic)));
        assert!(
            older.starts_with("Classic · Another version: Tic-Tac-Toe 9.9.9"),
            "{older}"
        );
        let unknown = found(PROTOCOL_VERSION, None);
        assert!(!unknown.compatible());
        let note = found_game_note(&unknown);
        assert!(
            note.starts_with("A game this version does not know")
                && note.ends_with("update to join"),
            "{note}"
        );
    }
}
