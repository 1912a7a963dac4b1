//! The form that sets up a match against the computer: your name, the game, the level (those the
//! game offers), your mark.
//!
//! The form edits only its own fields; starting the match is a [`Command`], which
//! [`ComputerForm::update`] turns into the choices remembered and the match opened.

use egui::{Align, Button, Layout, RichText, TextEdit, Ui, Vec2};

use crate::app::board::mark_color;
use crate::app::command::Command;
use crate::app::effect::{Effect, Open, Remember};
use crate::app::screens::game_choice::game_choice_ui;
use crate::app::widgets::{choice_row_ui, title_ui};
use crate::game::{Level, MAX_NAME_CHARS, Player, Variant, name_or};

/// How a level plays `game`, in a line (as the computer of each game does: see `game::computer`).
#[must_use]
pub const fn level_text(level: Level, game: Variant) -> &'static str {
    match (game, level) {
        (Variant::Classic, Level::Easy) => "Takes a win it sees, otherwise plays anywhere.",
        (Variant::Classic, Level::Medium) => {
            "Wins and blocks; otherwise its best move half the time."
        }
        (Variant::Classic, Level::Hard) => {
            "Wins and blocks; otherwise its best move four times in five."
        }
        (Variant::Classic, Level::Perfect) => "Plays perfectly: it never loses.",
        (Variant::Ultimate, Level::Easy) => {
            "Takes or blocks a small board it sees, otherwise plays anywhere."
        }
        (Variant::Ultimate, Level::Medium) => "Plays a few hundred games out before each move.",
        (Variant::Ultimate, Level::Hard | Level::Perfect) => {
            "Plays tens of thousands of games out; takes up to a second."
        }
        (Variant::Gomoku, Level::Easy) => {
            "Wins or blocks a four it sees, otherwise plays near the stones."
        }
        (Variant::Gomoku, Level::Medium) => "Weighs threats two moves ahead.",
        (Variant::Gomoku, Level::Hard | Level::Perfect) => {
            "Weighs threats further ahead; takes up to a second."
        }
    }
}

/// The level played at in `game` when `level` is the one chosen: that one if the game offers it,
/// else the strongest the game offers (a remembered "Perfect" plays the bigger games as hard).
#[must_use]
pub fn offered_level(level: Level, game: Variant) -> Level {
    let offered = Level::for_variant(game);
    if offered.contains(&level) {
        level
    } else {
        offered.last().copied().unwrap_or(Level::Hard)
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
    /// The level chosen (remembered as chosen; a game that does not offer it plays
    /// [`offered_level`]).
    pub level: Level,
    /// The game chosen.
    pub game: Variant,
    /// The mark chosen for the player.
    pub mark: Player,
    /// Put the cursor in the name field when the form first shows.
    focus_pending: bool,
}

impl ComputerForm {
    /// A form filled with the remembered choices.
    #[must_use]
    pub fn new(name: &str, level: Level, mark: Player, game: Variant) -> Self {
        Self {
            name: name.to_owned(),
            level,
            game,
            mark,
            focus_pending: true,
        }
    }

    fn start(&self) -> Command {
        Command::StartVsComputer {
            name: self.name.clone(),
            level: offered_level(self.level, self.game),
            mark: self.mark,
            game: self.game,
        }
    }

    /// Carries out `command` on this form.
    pub fn update(&mut self, command: Command) -> Vec<Effect> {
        match command {
            Command::StartVsComputer {
                name,
                level,
                mark,
                game,
            } => {
                let shown = name_or(&name, &format!("Player {mark}"));
                let level = offered_level(level, game);
                vec![
                    Effect::Remember(Remember::ComputerChoices {
                        name,
                        level,
                        mark,
                        game,
                    }),
                    Effect::Open(Open::VsComputer {
                        name: shown,
                        level,
                        mark,
                        game,
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
    // A short window (the smallest allowed) gets a tighter form, so that all of it shows.
    let compact = ui.clip_rect().height() < 520.0;
    let gap = if compact { 6.0 } else { 12.0 };
    ui.vertical_centered(|ui| {
        if compact {
            ui.add_space(gap);
            ui.label(crate::app::style::strong_text(
                "Play against the computer",
                26.0,
            ));
        } else {
            title_ui(ui, "Play against the computer");
        }
        ui.add_space(if compact { 8.0 } else { 20.0 });

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

        // Tighter on a short window, so that the whole form fits it.
        let gap = if ui.available_height() < 560.0 {
            8.0
        } else {
            12.0
        };
        ui.add_space(gap + 4.0);
        game_choice_ui(ui, width, &mut form.game);
        ui.add_space(gap);
        let game = form.game;
        let levels = Level::for_variant(game);
        let chosen = offered_level(form.level, game);
        choice_row_ui(ui, width, "Level", levels.len(), |ui, button_width| {
            for &level in levels {
                let text = RichText::new(level_label(level)).size(16.0);
                let button = Button::selectable(chosen == level, text)
                    .frame_when_inactive(true)
                    .min_size(Vec2::new(button_width, 32.0));
                let button = ui.add(button).on_hover_text(level_text(level, game));
                if button.clicked() {
                    form.level = level;
                }
            }
        });
        ui.add_space(2.0);
        ui.label(RichText::new(level_text(chosen, game)).color(visuals.text_color()));
        ui.add_space(gap);
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
        if !compact {
            ui.add_space(4.0);
            ui.label(RichText::new("X moves first in the first game, then you take turns.").weak());
        }

        ui.add_space(gap * 2.0);
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_game_offers_its_own_levels_each_said_in_its_own_words() {
        assert_eq!(
            offered_level(Level::Perfect, Variant::Classic),
            Level::Perfect
        );
        for game in [Variant::Ultimate, Variant::Gomoku] {
            assert_eq!(offered_level(Level::Perfect, game), Level::Hard);
            assert_eq!(offered_level(Level::Easy, game), Level::Easy);
        }
        let mut said = std::collections::HashSet::new();
        for game in Variant::ALL {
            for &level in Level::for_variant(game) {
                assert!(said.insert(level_text(level, game)), "{game} {level}");
            }
        }
        assert_eq!(said.len(), 10);
    }
}
