//! The form that sets up hosting a game over the network: your name, the port, the seat code,
//! and (where the window may) opening the port to the internet.
//!
//! The form edits only its own fields; [`HostForm::update`] checks the port and asks the app to
//! start hosting, and shows here why hosting could not start.

use egui::Ui;

use crate::app::command::Command;
use crate::app::effect::{Effect, Remember};
use crate::app::event::SystemEvent;
use crate::app::widgets::{big_button, error_ui, field_ui, form_column};
use crate::game::MAX_NAME_CHARS;
use crate::net::NetEvent;
use crate::store::Settings;

/// The form asking how to host, before the server starts.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HostForm {
    /// The name typed.
    pub name: String,
    /// The port typed (0 picks a free one).
    pub port: String,
    /// Whether to ask the router to open the port to the internet; `None` when this window
    /// does not offer it.
    pub router: Option<bool>,
    /// Whether the joiner must type a seat code.
    pub seat_code: bool,
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
            port: settings.host_port.unwrap_or(default_port).to_string(),
            // A port open to the internet asks for a seat code by default.
            seat_code: router == Some(true),
            router,
            error: None,
        }
    }

    /// Carries out `command` on this form: a port that is not one stays here, said why.
    pub fn update(&mut self, command: Command) -> Vec<Effect> {
        match command {
            Command::StartHost {
                name,
                port,
                seat_code,
                router,
            } => {
                let Ok(number) = port.trim().parse::<u16>() else {
                    self.error = Some(format!(
                        "{:?} is not a port number. Type a number from 1024 to 65535, such as 7878.",
                        port.trim()
                    ));
                    return Vec::new();
                };
                // The router is asked only where the window offers it.
                let router = self.router.is_some() && router;
                vec![
                    Effect::Remember(Remember::Hosting {
                        name: name.clone(),
                        port: (number != 0).then_some(number),
                        router: self.router.map(|_| router),
                    }),
                    Effect::Host {
                        name,
                        port: number,
                        seat_code,
                        router,
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
            action = Some(Command::StartHost {
                name: form.name.clone(),
                port: form.port.clone(),
                seat_code: form.seat_code,
                router: form.router.unwrap_or(false),
            });
        }
        action
    })
}

#[cfg(test)]
mod tests {
    use super::*;
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
        };
        assert_eq!(form.update(start("seven")), []);
        assert!(
            form.error
                .as_deref()
                .unwrap()
                .starts_with("\"seven\" is not a port")
        );
        assert_eq!(
            form.update(start(" 0 ")),
            [
                Effect::Remember(Remember::Hosting {
                    name: "Ann".to_owned(),
                    port: None,
                    router: None,
                }),
                Effect::Host {
                    name: "Ann".to_owned(),
                    port: 0,
                    seat_code: true,
                    // Not offered by this window: never asked.
                    router: false,
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
}
