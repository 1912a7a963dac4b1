//! What frames every screen: the header bar (back, the state, the ☰ menu with the theme), the
//! one-time notice under it, and the note that something was done.
//!
//! Each draws and returns a [`Command`]; [`update`] turns the ones given here into effects. None
//! changes state itself.

use egui::{Button, Color32, Frame, Label, Rect, RichText, Stroke, Ui, Vec2};

use super::command::Command;
use super::effect::{Effect, Remember};
use super::match_screen::MenuItem;
use super::style;
use crate::store::ThemeChoice;

/// Carries out a command given in the header bar, the notice or the note; a command of the
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

/// The header bar's height, in points.
pub const HEADER_HEIGHT: f32 = 44.0;

/// What the header bar shows: the way back, the state in the middle and the ☰ menu's entries.
#[derive(Clone, Debug)]
pub struct Header<'a> {
    /// "Back to menu" or "Back to the list"; none on the menu.
    pub back: Option<&'a str>,
    /// The state in bold in the middle ("Your turn", "You win!"), on a match screen.
    pub state: Option<(String, Color32)>,
    /// Short parts under the state, side by side ("Game 2 · 1 draw", "You are watching").
    pub subtitle: Vec<String>,
    /// The theme chosen.
    pub theme: ThemeChoice,
    /// Whether the animations are on.
    pub motion: bool,
    /// Whether the move sound is on.
    pub sound: bool,
    /// The screen's own entries of the ☰ menu (hints, undo, save, resign, leave).
    pub items: &'a [MenuItem],
}

/// The accessible name (and tooltip) of the ☰ button.
pub const OPTIONS: &str = "Options";

/// The bar across the top, GNOME-style.
///
/// The way back at the left, the state in bold in the middle (centred on the window), the ☰
/// menu at the right with the screen's entries, the theme, the animations and the sound.
pub fn header_ui(ui: &mut Ui, header: &Header<'_>) -> Option<Command> {
    let mut action = None;
    let rect = ui.max_rect();
    let side = 96.0_f32.min(rect.width() * 0.25);
    let button_height = 32.0;
    if let Some(back) = header.back {
        let short = if back == "Back to the list" {
            "List"
        } else {
            "Menu"
        };
        let at = Rect::from_min_size(
            egui::pos2(rect.left(), rect.center().y - button_height / 2.0),
            Vec2::new(side.min(84.0), button_height),
        );
        let response = ui
            .put(
                at,
                Button::new(format!("\u{2190} {short}")).frame_when_inactive(false),
            )
            .on_hover_text(format!("{back} (Esc)"));
        let label = back.to_owned();
        response.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Button, true, &label));
        if response.clicked() {
            action = Some(Command::BackToMenu);
        }
    }
    let menu_at = Rect::from_min_size(
        egui::pos2(rect.right() - 40.0, rect.center().y - button_height / 2.0),
        Vec2::new(40.0, button_height),
    );
    let menu = ui
        .put(menu_at, Button::new("").frame_when_inactive(false))
        .on_hover_text(OPTIONS);
    menu.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Button, true, OPTIONS));
    paint_menu_icon(ui, menu.rect, ui.visuals().text_color());
    egui::Popup::menu(&menu)
        .align(egui::RectAlign::BOTTOM_END)
        .show(|ui| {
            ui.set_min_width(200.0);
            for item in header.items {
                if let Some(asked) = menu_item_ui(ui, item) {
                    action = Some(asked);
                }
            }
            if !header.items.is_empty() {
                ui.separator();
            }
            if let Some(asked) = settings_ui(ui, header.theme, header.motion, header.sound) {
                action = Some(asked);
            }
        });
    if let Some((text, color)) = &header.state {
        let width = (rect.width() - 2.0 * side.max(44.0)).max(40.0);
        let (state_y, sub_y) = if header.subtitle.is_empty() {
            (rect.center().y, rect.center().y)
        } else {
            (rect.center().y - 8.0, rect.center().y + 11.0)
        };
        let at =
            Rect::from_center_size(egui::pos2(rect.center().x, state_y), Vec2::new(width, 22.0));
        ui.put(
            at,
            Label::new(style::strong_text(text, style::STATE).color(*color)).truncate(),
        );
        if !header.subtitle.is_empty() {
            let at =
                Rect::from_center_size(egui::pos2(rect.center().x, sub_y), Vec2::new(width, 16.0));
            subtitle_ui(ui, at, &header.subtitle);
        }
    }
    action
}

fn menu_item_ui(ui: &mut Ui, item: &MenuItem) -> Option<Command> {
    match item {
        MenuItem::Button(control) => {
            let response = ui.add_enabled(control.enabled, Button::new(&control.label));
            let response = match (&control.hover, &control.disabled_hover) {
                (Some(hover), _) if control.enabled => response.on_hover_text(hover),
                (_, Some(hover)) => response.on_disabled_hover_text(hover),
                _ => response,
            };
            response.clicked().then(|| control.command.clone())
        }
        MenuItem::Toggle(toggle) => {
            let mut on = toggle.on;
            let response = ui
                .checkbox(&mut on, &toggle.label)
                .on_hover_text(&toggle.hover);
            response.changed().then(|| {
                if on {
                    toggle.on_command.clone()
                } else {
                    toggle.off_command.clone()
                }
            })
        }
    }
}

/// The theme's three choices and the animation and sound switches.
fn settings_ui(ui: &mut Ui, theme: ThemeChoice, motion: bool, sound: bool) -> Option<Command> {
    let mut action = None;
    ui.label(RichText::new("Theme").weak());
    ui.horizontal(|ui| {
        for choice in ThemeChoice::ALL {
            if ui
                .selectable_label(choice == theme, choice.label())
                .clicked()
            {
                action = Some(Command::SetTheme(choice));
            }
        }
    });
    let hint = "Marks and the winning line appear in a short animation";
    if let Some(on) = toggle(ui, motion, "Animations", hint) {
        action = Some(Command::SetMotion(on));
    }
    let hint = "A short sound when the opponent moves";
    if let Some(on) = toggle(ui, sound, "Sound", hint) {
        action = Some(Command::SetSound(on));
    }
    action
}

/// `parts` side by side, " · " between them, centred in `rect`; each part its own label.
fn subtitle_ui(ui: &mut Ui, rect: Rect, parts: &[String]) {
    let font = egui::FontId::proportional(style::SMALL);
    let color = ui.visuals().weak_text_color();
    let separator = " · ";
    let width_of = |text: &str| {
        ui.painter()
            .layout_no_wrap(text.to_owned(), font.clone(), color)
            .size()
            .x
    };
    #[expect(clippy::cast_precision_loss, reason = "a handful of parts")]
    let total = parts.iter().map(|part| width_of(part)).sum::<f32>()
        + width_of(separator) * parts.len().saturating_sub(1) as f32;
    let start = rect.center().x - total.min(rect.width()) / 2.0;
    let row = Rect::from_min_max(egui::pos2(start, rect.top()), rect.max);
    ui.scope_builder(
        egui::UiBuilder::new()
            .max_rect(row)
            .layout(egui::Layout::left_to_right(egui::Align::Center)),
        |ui| {
            ui.spacing_mut().item_spacing.x = 0.0;
            for (index, part) in parts.iter().enumerate() {
                if index > 0 {
                    ui.label(RichText::new(separator).font(font.clone()).color(color));
                }
                ui.add(Label::new(RichText::new(part).font(font.clone()).color(color)).truncate());
            }
        },
    );
}

/// Three short rounded lines, the ☰ of a menu, centred in `rect`.
fn paint_menu_icon(ui: &Ui, rect: Rect, color: Color32) {
    let painter = ui.painter();
    let centre = rect.center();
    let stroke = Stroke::new(2.0, color);
    for dy in [-6.0, 0.0, 6.0] {
        let y = centre.y + dy;
        painter.line_segment(
            [egui::pos2(centre.x - 8.0, y), egui::pos2(centre.x + 8.0, y)],
            stroke,
        );
    }
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
