//! The main menu: one button per way to play, the match left to continue, the statistics, a
//! saved game to open, and Quit.
//!
//! The menu has no state of its own: it draws what the app offers ([`MenuView`]); its
//! [`update`] continues, discards or rejoins what the app offers, or quits.

use egui::{Button, RichText, Ui, Vec2};

use crate::app::board::logo_ui;
use crate::app::command::Command;
use crate::app::effect::Effect;
use crate::app::screens::game_choice::{game_label, game_title};
use crate::app::widgets::vertically_centred;
use crate::game::{Match, Player};

/// Carries out `command` on the menu (the screens it opens are opened from anywhere).
#[must_use]
pub fn update(command: &Command) -> Vec<Effect> {
    match command {
        Command::ResumeMatch => vec![Effect::Resume],
        Command::DiscardMatch => vec![Effect::Discard],
        Command::Rejoin => vec![Effect::Rejoin],
        Command::Quit => vec![Effect::Quit],
        _ => Vec::new(),
    }
}

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

/// Draws the menu and returns what the player picked. It fits the window: the logo shrinks, then
/// goes, before anything scrolls.
pub fn menu_ui(ui: &mut Ui, view: MenuView<'_>) -> Option<Command> {
    let mut action = None;
    // The rows below the title: four ways to play, Statistics and Open, Quit, and the offers.
    let offers = usize::from(view.rejoin.is_some()) + usize::from(view.suspended.is_some());
    let rows = 6 + offers;
    let height = ui.available_height();
    let button_height = if height < 520.0 { 36.0 } else { 40.0 };
    let gap = if height < 520.0 { 6.0 } else { 10.0 };
    #[expect(clippy::cast_precision_loss, reason = "a handful of rows")]
    let below =
        rows as f32 * (button_height + gap) + if view.suspended.is_some() { 46.0 } else { 0.0 };
    let title = 34.0 + 22.0 + 20.0;
    let logo = (height - below - title - 24.0).min(120.0);
    ui.vertical_centered(|ui| {
        vertically_centred(ui, (height * 0.03).min(20.0), |ui| {
            // Too little room for a readable logo: none at all.
            if logo >= 48.0 {
                logo_ui(ui, logo);
                ui.add_space(8.0);
            }
            ui.label(crate::app::style::strong_text("Tic-Tac-Toe", 34.0));
            ui.label(RichText::new("Three in a row wins").color(ui.visuals().text_color()));
            ui.add_space(16.0);
            ui.spacing_mut().item_spacing.y = gap;

            let width = (ui.available_width() - 32.0).clamp(160.0, 300.0);
            let size = Vec2::new(width, button_height);
            if let Some(host) = view.rejoin {
                let text = format!("Rejoin the match with {host}");
                let rejoin = ui.add(
                    crate::app::style::primary_button(ui.visuals(), text, 17.0).min_size(size),
                );
                if rejoin.clicked() {
                    action = Some(Command::Rejoin);
                }
            }
            if let Some(hot_seat) = view.suspended {
                let game = hot_seat.variant();
                let text = match (view.unfinished, game.is_classic()) {
                    (true, true) => "Continue the unfinished game".to_owned(),
                    (false, true) => "Continue the match".to_owned(),
                    (true, false) => format!("Continue the {} game", game_label(game)),
                    (false, false) => format!("Continue the {} match", game_label(game)),
                };
                let resume = ui.add(
                    crate::app::style::primary_button(ui.visuals(), text, 17.0).min_size(size),
                );
                ui.label(RichText::new(summary(hot_seat)).weak());
                if resume.clicked() {
                    action = Some(Command::ResumeMatch);
                }
                if view.unfinished && ui.button("Discard it").clicked() {
                    action = Some(Command::DiscardMatch);
                }
            }
            for (text, asked, hover) in [
                (
                    "Two players on this computer…",
                    Command::OpenHotSeatNames,
                    "Take turns at this computer with a friend",
                ),
                (
                    "Play against the computer…",
                    Command::OpenComputerSetup,
                    "You against the computer, at the level you choose",
                ),
                (
                    "Host a game…",
                    Command::OpenHostForm,
                    "Play with a friend at another computer: you host, they join",
                ),
                (
                    "Join a game…",
                    Command::OpenJoinForm,
                    "Join, or watch, a game a friend hosts",
                ),
            ] {
                if ui
                    .add(Button::new(RichText::new(text).size(18.0)).min_size(size))
                    .on_hover_text(hover)
                    .clicked()
                {
                    action = Some(asked);
                }
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
                        action = Some(Command::OpenStatistics);
                    }
                    if ui
                        .add(Button::new(RichText::new("Open game…").size(18.0)).min_size(half))
                        .on_hover_text("Replay a game saved to a file")
                        .clicked()
                    {
                        action = Some(Command::OpenGame);
                    }
                },
            );
            if ui
                .add(Button::new(RichText::new("Quit").size(18.0)).min_size(size))
                .clicked()
            {
                action = Some(Command::Quit);
            }
        });
    });
    action
}

/// "Ann 2 – 1 Bob, game 4" for a suspended match; a bigger game's name comes first
/// ("Gomoku: Ann 2 – 1 Bob, game 4").
fn summary(hot_seat: &Match) -> String {
    let score = hot_seat.score();
    let game = hot_seat.variant();
    let name = if game.is_classic() {
        String::new()
    } else {
        format!("{}: ", game_title(game))
    };
    format!(
        "{name}{} {} – {} {}, game {}",
        hot_seat.name(Player::X),
        score.wins(Player::X),
        score.wins(Player::O),
        hot_seat.name(Player::O),
        hot_seat.game_number()
    )
}
