//! The main menu: only what works today, one button per way to play.
//!
//! Draws and returns an [`Action`]; never changes state itself.

use egui::{Button, RichText, Ui, Vec2};

use super::action::Action;
use super::board::logo_ui;
use crate::game::{Match, Player};

/// What the menu shows besides its fixed buttons.
#[derive(Clone, Copy, Debug, Default)]
pub struct MenuView<'a> {
    /// A match left for the menu (two people, or against the computer), which can be resumed.
    pub suspended: Option<&'a Match>,
    /// Whether that match was left unfinished when the window last closed: it is offered with a
    /// way to discard it.
    pub unfinished: bool,
    /// A networked match this window was playing when it closed, whose host may still hold the
    /// seat: the host player's name.
    pub rejoin: Option<&'a str>,
}

/// Draws the menu and returns what the player picked.
pub fn menu_ui(ui: &mut Ui, view: MenuView<'_>) -> Option<Action> {
    let mut action = None;
    ui.vertical_centered(|ui| {
        ui.add_space((ui.available_height() * 0.08).min(64.0));
        logo_ui(ui, (ui.available_height() * 0.2).clamp(64.0, 140.0));
        ui.add_space(12.0);
        ui.label(RichText::new("Tic-Tac-Toe").size(40.0).strong());
        ui.add_space(4.0);
        ui.label(RichText::new("Three in a row wins").weak());
        ui.add_space(32.0);

        let width = (ui.available_width() - 32.0).clamp(160.0, 300.0);
        let size = Vec2::new(width, 44.0);
        if let Some(host) = view.rejoin {
            let text = format!("Rejoin the match with {host}");
            let rejoin = ui.add(Button::new(RichText::new(text).size(18.0)).min_size(size));
            if rejoin.clicked() {
                action = Some(Action::Rejoin);
            }
            ui.add_space(12.0);
        }
        if let Some(hot_seat) = view.suspended {
            let text = if view.unfinished {
                "Continue the unfinished game"
            } else {
                "Continue the match"
            };
            let resume = ui.add(Button::new(RichText::new(text).size(18.0)).min_size(size));
            ui.label(RichText::new(summary(hot_seat)).weak());
            if resume.clicked() {
                action = Some(Action::ResumeMatch);
            }
            if view.unfinished && ui.button("Discard it").clicked() {
                action = Some(Action::DiscardMatch);
            }
            ui.add_space(12.0);
        }
        for (text, asked) in [
            ("Play on this computer…", Action::OpenHotSeatNames),
            ("Play the computer…", Action::OpenComputerSetup),
            ("Host a game…", Action::OpenHostForm),
            ("Join a game…", Action::OpenJoinForm),
        ] {
            if ui
                .add(Button::new(RichText::new(text).size(18.0)).min_size(size))
                .clicked()
            {
                action = Some(asked);
            }
            ui.add_space(12.0);
        }
        // Two half-width buttons in one row, so the menu still fits the default window.
        let gap = 8.0;
        let half = Vec2::new((width - gap) / 2.0, size.y);
        ui.allocate_ui_with_layout(
            Vec2::new(width, size.y),
            egui::Layout::left_to_right(egui::Align::Center),
            |ui| {
                ui.spacing_mut().item_spacing.x = gap;
                if ui
                    .add(Button::new(RichText::new("Statistics").size(18.0)).min_size(half))
                    .clicked()
                {
                    action = Some(Action::OpenStatistics);
                }
                if ui
                    .add(Button::new(RichText::new("Open game…").size(18.0)).min_size(half))
                    .on_hover_text("Replay a game saved to a file")
                    .clicked()
                {
                    action = Some(Action::OpenGame);
                }
            },
        );
        ui.add_space(12.0);
        if ui
            .add(Button::new(RichText::new("Quit").size(18.0)).min_size(size))
            .clicked()
        {
            action = Some(Action::Quit);
        }
    });
    action
}

/// "Ann 2 – 1 Bob, game 4" for a suspended match.
fn summary(hot_seat: &Match) -> String {
    let score = hot_seat.score();
    format!(
        "{} {} – {} {}, game {}",
        hot_seat.name(Player::X),
        score.wins(Player::X),
        score.wins(Player::O),
        hot_seat.name(Player::O),
        hot_seat.game_number()
    )
}
