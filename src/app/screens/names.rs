//! The form that asks both players' names, and the game, before a match on this computer.
//!
//! The form edits only its own text fields; starting the match is a [`Command`], which
//! [`NamesForm::update`] turns into the names remembered and the match opened.

use egui::{Align, Layout, RichText, TextEdit, Ui, Vec2};

use crate::app::board::mark_color;
use crate::app::command::Command;
use crate::app::effect::{Effect, Open, Remember};
use crate::app::screens::game_choice::game_choice_ui;
use crate::app::widgets::title_ui;
use crate::game::{MAX_NAME_CHARS, Player, Variant, name_or};

/// The two names being typed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NamesForm {
    /// The name typed for X.
    pub x_name: String,
    /// The name typed for O.
    pub o_name: String,
    /// The game chosen.
    pub game: Variant,
    /// Put the cursor in the first field when the form first shows.
    focus_pending: bool,
}

impl NamesForm {
    /// A form filled with the remembered names and game.
    #[must_use]
    pub fn new(x_name: &str, o_name: &str, game: Variant) -> Self {
        Self {
            x_name: x_name.to_owned(),
            o_name: o_name.to_owned(),
            game,
            focus_pending: true,
        }
    }

    fn start(&self) -> Command {
        Command::StartHotSeat {
            x_name: self.x_name.clone(),
            o_name: self.o_name.clone(),
            game: self.game,
        }
    }

    /// Carries out `command` on this form.
    pub fn update(&mut self, command: Command) -> Vec<Effect> {
        match command {
            Command::StartHotSeat {
                x_name,
                o_name,
                game,
            } => {
                let names = [(&x_name, Player::X), (&o_name, Player::O)]
                    .map(|(name, player)| name_or(name, &format!("Player {player}")));
                vec![
                    Effect::Remember(Remember::HotSeatNames {
                        x_name,
                        o_name,
                        game,
                    }),
                    Effect::Open(Open::HotSeat { names, game }),
                ]
            }
            _ => Vec::new(),
        }
    }
}

/// Draws the form. Enter in the first field moves to the second; Enter in the second, or the
/// Start button, starts the match of the game chosen.
pub fn names_ui(ui: &mut Ui, form: &mut NamesForm) -> Option<Command> {
    ui.vertical_centered(|ui| {
        title_ui(ui, "Who is playing?");
        ui.add_space(4.0);
        ui.label(RichText::new("X moves first in the first game, then you take turns.").weak());
        ui.add_space(20.0);

        let field_width = (ui.available_width() - 32.0).clamp(160.0, 320.0);
        let x = name_field_ui(ui, Player::X, &mut form.x_name, field_width);
        ui.add_space(12.0);
        let o = name_field_ui(ui, Player::O, &mut form.o_name, field_width);
        ui.add_space(12.0);
        game_choice_ui(ui, field_width, &mut form.game);

        if form.focus_pending {
            form.focus_pending = false;
            x.request_focus();
        }
        let entered = ui.input(|i| i.key_pressed(egui::Key::Enter));
        if x.lost_focus() && entered {
            o.request_focus();
        }
        let submitted = o.lost_focus() && entered;

        ui.add_space(20.0);
        let start = ui.add(
            crate::app::style::primary_button(ui.visuals(), "Start", 17.0)
                .min_size(Vec2::new(field_width, 40.0)),
        );
        (start.clicked() || submitted).then(|| form.start())
    })
    .inner
}

/// One labelled name field; the label names the field for screen readers too.
fn name_field_ui(ui: &mut Ui, player: Player, name: &mut String, width: f32) -> egui::Response {
    let visuals = ui.visuals().clone();
    ui.allocate_ui_with_layout(Vec2::new(width, 0.0), Layout::top_down(Align::Min), |ui| {
        let label = ui.label(
            RichText::new(format!("Name for {player}"))
                .color(mark_color(&visuals, player))
                .strong(),
        );
        ui.add(
            TextEdit::singleline(name)
                .hint_text(format!("Player {player}"))
                .char_limit(MAX_NAME_CHARS)
                .desired_width(width)
                .font(egui::TextStyle::Heading),
        )
        .labelled_by(label.id)
    })
    .inner
}
