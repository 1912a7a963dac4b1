//! What frames every screen: the top bar (back to the menu, the theme control), the one-time
//! notice under it, and the note that something was done.
//!
//! Each draws and returns a [`Command`]; [`update`] turns the ones given here into effects. None
//! changes state itself.

use egui::{Align, Color32, Frame, Layout, RichText, Stroke, Ui};

use super::command::Command;
use super::effect::{Effect, Remember};
use crate::store::ThemeChoice;

/// Carries out a command given in the top bar, the notice or the note; a command of the
/// screen's comes back as it was.
pub fn update(command: Command) -> Result<Vec<Effect>, Command> {
    Ok(match command {
        Command::SetTheme(theme) => vec![Effect::Remember(Remember::Theme(theme))],
        Command::SetMotion(motion) => vec![Effect::Remember(Remember::Motion(motion))],
        Command::SetSound(sound) => vec![Effect::Remember(Remember::Sound(sound))],
        Command::DismissNotice => vec![Effect::DismissNotice],
        Command::DismissToast => vec![Effect::DismissToast],
        command => return Err(command),
    })
}

/// The bar across the top: the way back, and the theme control at the right.
///
/// `back` is "Back to menu", or "Back to the list" for a game replayed from the history, on every
/// screen but the menu; the theme control's list also turns the animations and the sound on or
/// off.
pub fn top_bar_ui(
    ui: &mut Ui,
    back: Option<&str>,
    theme: ThemeChoice,
    motion: bool,
    sound: bool,
) -> Option<Command> {
    let mut action = None;
    ui.horizontal(|ui| {
        if let Some(back) = back
            && ui.button(back).on_hover_text("Esc").clicked()
        {
            action = Some(Command::BackToMenu);
        }
        ui.with_layout(Layout::right_to_left(Align::Center), |ui| {
            // Right to left: the control first, its label to the left of it.
            let combo = egui::ComboBox::from_id_salt("theme")
                .selected_text(theme.label())
                .width(80.0)
                .show_ui(ui, |ui| {
                    for choice in ThemeChoice::ALL {
                        if ui
                            .selectable_label(choice == theme, choice.label())
                            .clicked()
                        {
                            action = Some(Command::SetTheme(choice));
                        }
                    }
                    ui.separator();
                    let hint = "Marks and the winning line appear in a short animation";
                    if let Some(on) = toggle(ui, motion, "Animations", hint) {
                        action = Some(Command::SetMotion(on));
                    }
                    let hint = "A short sound when the opponent moves";
                    if let Some(on) = toggle(ui, sound, "Sound", hint) {
                        action = Some(Command::SetSound(on));
                    }
                });
            let label = ui.label("Theme");
            combo.response.labelled_by(label.id);
        });
    });
    action
}

/// How `theme` is asked of egui.
#[must_use]
pub const fn theme_preference(theme: ThemeChoice) -> egui::ThemePreference {
    match theme {
        ThemeChoice::System => egui::ThemePreference::System,
        ThemeChoice::Light => egui::ThemePreference::Light,
        ThemeChoice::Dark => egui::ThemePreference::Dark,
    }
}

/// A notice the player should read once, with a button to dismiss it.
pub fn notice_ui(ui: &mut Ui, text: &str) -> Option<Command> {
    let (fill, ink) = if ui.visuals().dark_mode {
        (
            Color32::from_rgb(0x4d, 0x3d, 0x0c),
            Color32::from_rgb(0xff, 0xec, 0xb3),
        )
    } else {
        (
            Color32::from_rgb(0xff, 0xf1, 0xc2),
            Color32::from_rgb(0x4a, 0x36, 0x00),
        )
    };
    let mut action = None;
    Frame::new()
        .fill(fill)
        .corner_radius(6)
        .inner_margin(10)
        .show(ui, |ui| {
            ui.set_width(ui.available_width());
            ui.label(RichText::new(text).color(ink));
            ui.add_space(4.0);
            if ui.button("Dismiss").clicked() {
                action = Some(Command::DismissNotice);
            }
        });
    action
}

/// The light theme, made readable: text fields and checkboxes get a visible edge on the light
/// background (egui draws them white on off-white, without one), and quiet text is darker.
pub fn set_up_themes(ctx: &egui::Context) {
    ctx.style_mut_of(egui::Theme::Light, |style| {
        let visuals = &mut style.visuals;
        let edge = Stroke::new(1.0, Color32::from_gray(140));
        visuals.widgets.inactive.bg_stroke = edge;
        visuals.widgets.hovered.bg_stroke = Stroke::new(1.0, Color32::from_gray(90));
        visuals.text_edit_bg_color = Some(Color32::WHITE);
        visuals.weak_text_color = Some(Color32::from_gray(90));
    });
}

/// A note that something was done, in a quiet frame over the bottom of the window, with a
/// button to dismiss it.
pub fn toast_ui(ctx: &egui::Context, text: &str) -> Option<Command> {
    let mut action = None;
    egui::Area::new(egui::Id::unique("toast"))
        .anchor(egui::Align2::CENTER_BOTTOM, egui::Vec2::new(0.0, -12.0))
        .order(egui::Order::Foreground)
        .show(ctx, |ui| {
            let visuals = ui.visuals().clone();
            Frame::popup(ui.style())
                .fill(visuals.extreme_bg_color)
                .stroke(visuals.widgets.noninteractive.bg_stroke)
                .corner_radius(6)
                .inner_margin(10)
                .show(ui, |ui| {
                    let width = (ctx.content_rect().width() - 48.0).clamp(160.0, 520.0);
                    ui.set_max_width(width);
                    ui.horizontal(|ui| {
                        ui.add(egui::Label::new(text).wrap());
                        if ui.button("OK").clicked() {
                            action = Some(Command::DismissToast);
                        }
                    });
                });
        });
    action
}

/// A checkbox for a setting that is `on`, with its hint: the new value when it was clicked.
fn toggle(ui: &mut egui::Ui, on: bool, label: &str, hint: &str) -> Option<bool> {
    let mut now = on;
    ui.checkbox(&mut now, label)
        .on_hover_text(hint)
        .changed()
        .then_some(now)
}
