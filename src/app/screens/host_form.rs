//! The form that sets up hosting a game over the network.
//!
//! Your name, the game, the port, the seat code, (where the window may) opening the port to the
//! internet, and the relay a friend anywhere joins through when no direct path works. The form
//! edits only its own fields; [`HostForm::update`] checks the port and the relay and asks the
//! app to start hosting, and shows here why hosting could not start. Also: [`chosen_relays`],
//! the relays a [`RelaySetting`] names.

use egui::{Button, RichText, Ui, Vec2};

use crate::app::command::Command;
use crate::app::effect::{Effect, Remember};
use crate::app::event::SystemEvent;
use crate::app::screens::game_choice::game_choice_ui;
use crate::app::widgets::{
    choice_row_ui, error_ui, field_ui, form_column, long_field_ui, primary_big_button,
};
use crate::game::{MAX_NAME_CHARS, Variant};
use crate::net::NetEvent;
use crate::net::p2p::{RelaySpec, RelaySpecError, Relays};
use crate::store::{RelayChoice, RelaySetting, Settings};

/// The longest relay URL the form takes: a domain name, a port and the certificate's
/// fingerprint fit with room to spare.
const RELAY_URL_MAX_CHARS: usize = 512;

/// The relays `setting` names, or why its friend's relay is not one.
pub fn chosen_relays(setting: &RelaySetting) -> Result<Relays, RelaySpecError> {
    Ok(match setting.choice {
        RelayChoice::Public => Relays::Public,
        RelayChoice::Own => Relays::Own(setting.url.parse::<RelaySpec>()?),
        RelayChoice::Off => Relays::Off,
    })
}

/// `relays` in a few words: "the public relays", "the relay 203.0.113.10:3340", "no relay".
#[must_use]
pub fn relays_words(relays: &Relays) -> String {
    match relays {
        Relays::Public => "the public relays".to_owned(),
        Relays::Own(spec) => format!("the relay {}", relay_name(&spec.to_string())),
        Relays::Off => "no relay".to_owned(),
    }
}

/// A relay as people read it: the host and port of its URL, without the scheme or the
/// certificate's fingerprint (`203.0.113.10:3340`, `euw1-1.relay.iroh.network`); the text as it
/// is when it is not a URL.
#[must_use]
pub fn relay_name(url: &str) -> String {
    match url::Url::parse(url.trim()) {
        Ok(parsed) => match (parsed.host_str(), parsed.port()) {
            (Some(host), Some(port)) => format!("{}:{port}", host.trim_end_matches('.')),
            (Some(host), None) => host.trim_end_matches('.').to_owned(),
            (None, _) => url.trim().to_owned(),
        },
        Err(_) => url.trim().to_owned(),
    }
}

/// The form asking how to host, before the server starts.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HostForm {
    /// The name typed.
    pub name: String,
    /// The game chosen (the one last chosen on any form).
    pub game: Variant,
    /// The port typed (0 picks a free one).
    pub port: String,
    /// Whether the joiner must type a seat code.
    pub seat_code: bool,
    /// Whether to ask the router to open the port to the internet; `None` when this window
    /// does not offer it.
    pub router: Option<bool>,
    /// The relay chosen, and a friend's relay's URL as typed.
    pub relay: RelaySetting,
    /// The relays `TICTACTOE_RELAY` sets instead, in words, when it does: the choice is then
    /// shown but cannot be made.
    pub relay_fixed: Option<String>,
    /// Why the server could not start, if it could not.
    pub error: Option<String>,
}

impl HostForm {
    /// The form filled with what was used last time (`port` is the protocol's until a game was
    /// hosted); the router box shows only when `router_offered`, ticked as last time.
    #[must_use]
    pub fn new(settings: &Settings, default_port: u16, router_offered: bool) -> Self {
        let router = router_offered.then_some(settings.router);
        Self {
            name: settings.net_name.clone(),
            game: settings.game,
            port: settings.host_port.unwrap_or(default_port).to_string(),
            // A port open to the internet asks for a seat code by default.
            seat_code: router == Some(true),
            router,
            relay: settings.relay.clone(),
            relay_fixed: None,
            error: None,
        }
    }

    /// The same form, saying that `relays` are used whatever is chosen here.
    #[must_use]
    pub fn with_relays_fixed(mut self, relays: Option<&Relays>) -> Self {
        self.relay_fixed = relays.map(relays_words);
        self
    }

    /// Carries out `command` on this form: a port that is not one stays here, said why.
    pub fn update(&mut self, command: Command) -> Vec<Effect> {
        match command {
            Command::StartHost {
                name,
                port,
                seat_code,
                router,
                relay,
                game,
            } => {
                let Ok(number) = port.trim().parse::<u16>() else {
                    self.error = Some(format!(
                        "{:?} is not a port number. Type a number from 1024 to 65535, such as 7878.",
                        port.trim()
                    ));
                    return Vec::new();
                };
                // A friend's relay that is not one stays here; what TICTACTOE_RELAY sets needs
                // no check.
                if self.relay_fixed.is_none() {
                    if relay.choice == RelayChoice::Own && relay.url.trim().is_empty() {
                        self.error = Some(
                            "Paste the address of your friend's relay, or choose another relay."
                                .to_owned(),
                        );
                        return Vec::new();
                    }
                    if let Err(error) = chosen_relays(&relay) {
                        self.error = Some(error.to_string());
                        return Vec::new();
                    }
                }
                let relay = RelaySetting {
                    url: relay.url.trim().to_owned(),
                    ..relay
                };
                // The router is asked only where the window offers it.
                let router = self.router.is_some() && router;
                vec![
                    Effect::Remember(Remember::Hosting {
                        name: name.clone(),
                        port: (number != 0).then_some(number),
                        router: self.router.map(|_| router),
                        relay,
                        game,
                    }),
                    Effect::Host {
                        name,
                        port: number,
                        seat_code,
                        router,
                        game,
                    },
                ]
            }
            _ => Vec::new(),
        }
    }

    /// Hosting could not start: the form says why.
    pub fn on_event(&mut self, event: SystemEvent) -> Vec<Effect> {
        if let SystemEvent::Net(NetEvent::Error(error)) = event {
            self.error = Some(error.to_string());
        }
        Vec::new()
    }
}

/// Draws the host form and returns what the player asked for.
pub fn host_form_ui(ui: &mut Ui, form: &mut HostForm) -> Option<Command> {
    form_column(ui, "Host a game", |ui, width| {
        let mut action = None;
        let name = field_ui(ui, "Your name", &mut form.name, "Player X", width);
        if name.changed() {
            form.name = form.name.chars().take(MAX_NAME_CHARS).collect();
        }
        ui.add_space(4.0);
        game_choice_ui(ui, width, &mut form.game);
        ui.add_space(8.0);
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
        ui.add_space(8.0);
        relay_ui(ui, form, width);
        ui.add_space(12.0);
        if let Some(error) = &form.error {
            error_ui(ui, error);
        }
        let entered = (name.lost_focus() || port.lost_focus())
            && ui.input(|i| i.key_pressed(egui::Key::Enter));
        if primary_big_button(ui, "Start hosting", width) || entered {
            action = Some(Command::StartHost {
                name: form.name.clone(),
                port: form.port.clone(),
                seat_code: form.seat_code,
                router: form.router.unwrap_or(false),
                relay: form.relay.clone(),
                game: form.game,
            });
        }
        action
    })
}

/// The relay a friend anywhere joins through when no direct path works: the public relays, a
/// friend's (its address typed under the choice), or none.
fn relay_ui(ui: &mut Ui, form: &mut HostForm, width: f32) {
    let fixed = form.relay_fixed.clone();
    ui.add_enabled_ui(fixed.is_none(), |ui| {
        choice_row_ui(ui, width, "Relay", RelayChoice::ALL.len(), |ui, button_width| {
            for choice in RelayChoice::ALL {
                let (label, hover) = match choice {
                    RelayChoice::Public => (
                        "Public",
                        "When no direct path works, your friend joins through the public relays \
                         run by iroh's maintainers. They pass on encrypted bytes they cannot read",
                    ),
                    RelayChoice::Own => (
                        "A friend's",
                        "A relay a friend runs (tictactoe relay): paste its address below",
                    ),
                    RelayChoice::Off => (
                        "None",
                        "Direct paths only: a friend behind a strict router may not get through",
                    ),
                };
                let button = Button::selectable(form.relay.choice == choice, label)
                    .frame_when_inactive(true)
                    .min_size(Vec2::new(button_width, 28.0));
                if ui.add(button).on_hover_text(hover).clicked() {
                    form.relay.choice = choice;
                }
            }
        });
    });
    ui.add_space(4.0);
    if let Some(fixed) = fixed {
        ui.label(
            RichText::new(format!("TICTACTOE_RELAY sets it: {fixed}"))
                .weak()
                .small(),
        );
    } else if form.relay.choice == RelayChoice::Own {
        long_field_ui(
            ui,
            "Relay address",
            &mut form.relay.url,
            "https://203.0.113.10:3340/#sha256=…",
            width,
            RELAY_URL_MAX_CHARS,
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The form's error, or nothing.
    fn error_of(form: &HostForm) -> &str {
        form.error.as_deref().unwrap_or_default()
    }
    use crate::net::NetError;

    #[test]
    fn a_port_that_is_not_one_stays_on_the_form_and_a_good_one_starts_hosting() {
        let mut form = HostForm::new(&Settings::default(), 7878, false);
        assert_eq!(form.port, "7878");
        assert_eq!(form.router, None);
        let start = |port: &str| Command::StartHost {
            name: "Ann".to_owned(),
            port: port.to_owned(),
            seat_code: true,
            router: true,
            relay: RelaySetting::default(),
            game: Variant::Gomoku,
        };
        assert_eq!(form.update(start("seven")), []);
        assert!(error_of(&form).starts_with("\"seven\" is not a port"));
        assert_eq!(
            form.update(start(" 0 ")),
            [
                Effect::Remember(Remember::Hosting {
                    name: "Ann".to_owned(),
                    port: None,
                    router: None,
                    relay: RelaySetting::default(),
                    game: Variant::Gomoku,
                }),
                Effect::Host {
                    name: "Ann".to_owned(),
                    port: 0,
                    seat_code: true,
                    // Not offered by this window: never asked.
                    router: false,
                    game: Variant::Gomoku,
                },
            ]
        );
        let failed = NetError::Listen {
            port: 7878,
            detail: "in use".to_owned(),
        };
        let _ignored = form.on_event(SystemEvent::Net(NetEvent::Error(failed.clone())));
        assert_eq!(form.error, Some(failed.to_string()));
    }

    #[test]
    fn a_friends_relay_must_be_one_and_is_kept_trimmed() {
        let mut form = HostForm::new(&Settings::default(), 7878, false);
        let start = |url: &str| Command::StartHost {
            name: String::new(),
            port: "7878".to_owned(),
            seat_code: false,
            router: false,
            relay: RelaySetting {
                choice: RelayChoice::Own,
                url: url.to_owned(),
            },
            game: Variant::Classic,
        };
        assert_eq!(form.update(start(" ")), []);
        assert!(error_of(&form).starts_with("Paste the address"));
        assert_eq!(form.update(start("http://203.0.113.10:3340/")), []);
        assert!(
            form.error
                .as_deref()
                .unwrap()
                .contains("is not a relay's address")
        );
        let url = format!("https://203.0.113.10:3340/#sha256={}", "ab".repeat(32));
        let effects = form.update(start(&format!(" {url} ")));
        let Some(Effect::Remember(Remember::Hosting { relay, .. })) = effects.first() else {
            panic!("not started: {effects:?}");
        };
        assert_eq!(relay.url, url);
        assert_eq!(
            chosen_relays(relay).map(|relays| relays_words(&relays)),
            Ok("the relay 203.0.113.10:3340".to_owned())
        );
        // What TICTACTOE_RELAY sets is used whatever the form says.
        let mut fixed =
            HostForm::new(&Settings::default(), 7878, false).with_relays_fixed(Some(&Relays::Off));
        assert_eq!(fixed.relay_fixed.as_deref(), Some("no relay"));
        assert_eq!(fixed.update(start("")).len(), 2);
    }

    #[test]
    fn a_relay_reads_as_its_host_and_port() {
        let pin = "ab".repeat(32);
        assert_eq!(
            relay_name(&format!("https://203.0.113.10:3340/#sha256={pin}")),
            "203.0.113.10:3340"
        );
        assert_eq!(
            relay_name("https://euw1-1.relay.iroh.network./"),
            "euw1-1.relay.iroh.network"
        );
        assert_eq!(relay_name("not a url"), "not a url");
    }
}
