//! The form that sets up a match against the computer: your name, the level, your mark.
//!
//! The form edits only its own fields; starting the match is a [`Command`], which
//! [`ComputerForm::update`] turns into the choices remembered and the match opened.

use egui::{Align, Button, Layout, RichText, TextEdit, Ui, Vec2};

use crate::app::board::mark_color;
use crate::app::command::Command;
use crate::app::effect::{Effect, Open, Remember};
use crate::app::widgets::{choice_row_ui, title_ui};
use crate::game::{Level, MAX_NAME_CHARS, Player, name_or};

/// How a level plays, in a line.
#[must_use]
pub const fn level_text(level: Level) -> &'static str {
    match level {
        Level::Easy => "Takes a win it sees, otherwise plays anywhere.",
        Level::Medium => "Wins and blocks; otherwise its best move half the time.",
        Level::Hard => "Wins and blocks; otherwise its best move four times in five.",
        Level::Perfect => "Plays perfectly: it never loses.",
    }
}

/// A level's name as the form shows it: "Easy", "Medium", "Hard", "Perfect".
#[must_use]
pub const fn level_label(level: Level) -> &'static str {
    match level {
        Level::Easy => "Easy",
        Level::Medium => "Medium",
        Level::Hard => "Hard",
        Level::Perfect => "Perfect",
    }
}

/// The setup form for a match against the computer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ComputerForm {
    /// The player's name being typed.
    pub name: String,
    /// The level chosen.
    pub level: Level,
    /// The mark chosen for the player.
    pub mark: Player,
    /// Put the cursor in the name field when the form first shows.
    focus_pending: bool,
}

impl ComputerForm {
    /// A form filled with the remembered choices.
    #[must_use]
    pub fn new(name: &str, level: Level, mark: Player) -> Self {
        Self {
            name: name.to_owned(),
            level,
            mark,
            focus_pending: true,
        }
    }

    fn start(&self) -> Command {
        Command::StartVsComputer {
            name: self.name.clone(),
            level: self.level,
            mark: self.mark,
        }
    }

    /// Carries out `command` on this form.
    pub fn update(&mut self, command: Command) -> Vec<Effect> {
        match command {
            Command::StartVsComputer { name, level, mark } => {
                let shown = name_or(&name, &format!("Player {mark}"));
                vec![
                    Effect::Remember(Remember::ComputerChoices { name, level, mark }),
                    Effect::Open(Open::VsComputer {
                        name: shown,
                        level,
                        mark,
                    }),
                ]
            }
            _ => Vec::new(),
        }
    }
}

/// Draws the setup form. Enter in the name field, or the Start button, starts the match.
pub fn computer_setup_ui(ui: &mut Ui, form: &mut ComputerForm) -> Option<Command> {
    let mut action = None;
    ui.vertical_centered(|ui| {
        title_ui(ui, "Play the computer");
        ui.add_space(20.0);

        let width = (ui.available_width() - 32.0).clamp(160.0, 320.0);
        let visuals = ui.visuals().clone();
        let name = ui
            .allocate_ui_with_layout(Vec2::new(width, 0.0), Layout::top_down(Align::Min), |ui| {
                let label = ui.label(RichText::new("Your name").strong());
                ui.add(
                    TextEdit::singleline(&mut form.name)
                        .hint_text(format!("Player {}", form.mark))
                        .char_limit(MAX_NAME_CHARS)
                        .desired_width(width)
                        .font(egui::TextStyle::Heading),
                )
                .labelled_by(label.id)
            })
            .inner;
        if form.focus_pending {
            form.focus_pending = false;
            name.request_focus();
        }
        if name.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter)) {
            action = Some(form.start());
        }

        ui.add_space(16.0);
        choice_row_ui(ui, width, "Level", Level::ALL.len(), |ui, button_width| {
            for level in Level::ALL {
                let text = RichText::new(level_label(level)).size(16.0);
                let button = Button::selectable(form.level == level, text)
                    .frame_when_inactive(true)
                    .min_size(Vec2::new(button_width, 32.0));
                let button = ui.add(button).on_hover_text(level_text(level));
                if button.clicked() {
                    form.level = level;
                }
            }
        });
        ui.add_space(2.0);
        ui.label(RichText::new(level_text(form.level)).color(visuals.text_color()));
        ui.add_space(12.0);
        choice_row_ui(
            ui,
            width,
            "Your mark",
            Player::ALL.len(),
            |ui, button_width| {
                for mark in Player::ALL {
                    let selected = form.mark == mark;
                    // On the selection colour the mark's own colour would be hard to read.
                    let color = if selected {
                        visuals.selection.stroke.color
                    } else {
                        mark_color(&visuals, mark)
                    };
                    let text = RichText::new(mark.to_string())
                        .size(20.0)
                        .strong()
                        .color(color);
                    let button = Button::selectable(selected, text)
                        .frame_when_inactive(true)
                        .min_size(Vec2::new(button_width, 32.0));
                    if ui.add(button).clicked() {
                        form.mark = mark;
                    }
                }
            },
        );
        ui.add_space(4.0);
        ui.label(RichText::new("X moves first in the first game, then you take turns.").weak());

        ui.add_space(24.0);
        let start = ui.add(
            crate::app::style::primary_button(ui.visuals(), "Start", 17.0)
                .min_size(Vec2::new(width, 40.0)),
        );
        if start.clicked() {
            action = Some(form.start());
        }
    });
    action
}
