//! Which game a match at this computer plays, as the forms offer it and the match screen and the
//! menu name it: Classic, Ultimate or Gomoku.
//!
//! Words and one row of buttons; no state of its own (the forms keep the choice).

use egui::{Button, RichText, Ui, Vec2};

use crate::app::widgets::choice_row_ui;
use crate::game::Variant;

/// A game's name on its button: "Classic", "Ultimate", "Gomoku".
#[must_use]
pub const fn game_label(game: Variant) -> &'static str {
    match game {
        Variant::Classic => "Classic",
        Variant::Ultimate => "Ultimate",
        Variant::Gomoku => "Gomoku",
    }
}

/// A game's full name, as the match screen and the menu show it: "Tic-Tac-Toe", "Ultimate
/// Tic-Tac-Toe", "Gomoku".
#[must_use]
pub const fn game_title(game: Variant) -> &'static str {
    match game {
        Variant::Classic => "Tic-Tac-Toe",
        Variant::Ultimate => "Ultimate Tic-Tac-Toe",
        Variant::Gomoku => "Gomoku",
    }
}

/// How a game is won, in a line.
#[must_use]
pub const fn game_text(game: Variant) -> &'static str {
    match game {
        Variant::Classic => "Three in a row on nine squares wins.",
        Variant::Ultimate => "Nine small boards: your move sends the other player to one.",
        Variant::Gomoku => "A 15×15 board: five in a row wins.",
    }
}

/// The row of game buttons, `width` points wide, under the heading "Game", with how the chosen
/// one is won under it; changes `game` when another is clicked.
pub fn game_choice_ui(ui: &mut Ui, width: f32, game: &mut Variant) {
    choice_row_ui(ui, width, "Game", Variant::ALL.len(), |ui, button_width| {
        for choice in Variant::ALL {
            let text = RichText::new(game_label(choice)).size(16.0);
            let button = Button::selectable(*game == choice, text)
                .frame_when_inactive(true)
                .min_size(Vec2::new(button_width, 32.0));
            if ui.add(button).on_hover_text(game_text(choice)).clicked() {
                *game = choice;
            }
        }
    });
    ui.add_space(2.0);
    ui.label(RichText::new(game_text(*game)).color(ui.visuals().text_color()));
}
