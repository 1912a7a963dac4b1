//! The small pieces the match screen and its result card both paint with: a tone's colour, a
//! control's hover texts, a rectangle to lay out in.

use egui::{Align, Color32, Layout, Rect, Ui};

use super::model::{Control, Tone};
use crate::app::board::mark_color;

/// Runs `add` in a child `Ui` confined to `rect`.
pub(super) fn in_rect<R>(ui: &mut Ui, rect: Rect, add: impl FnOnce(&mut Ui) -> R) -> R {
    ui.scope_builder(
        egui::UiBuilder::new()
            .max_rect(rect)
            .layout(Layout::top_down(Align::Min)),
        add,
    )
    .inner
}

/// The colour of text in `tone` on the current theme.
pub(super) fn tone_color(ui: &Ui, tone: Tone) -> Color32 {
    let visuals = ui.visuals();
    match tone {
        Tone::Weak => visuals.weak_text_color(),
        Tone::Plain => visuals.text_color(),
        Tone::Mark(player) => mark_color(visuals, player),
        Tone::Warn => visuals.warn_fg_color,
        Tone::Error => visuals.error_fg_color,
        Tone::Title => visuals.strong_text_color(),
    }
}

/// `response` with `control`'s tooltips.
pub(super) fn hovered(response: egui::Response, control: &Control) -> egui::Response {
    let response = match &control.hover {
        Some(text) => response.on_hover_text(text),
        None => response,
    };
    match &control.disabled_hover {
        Some(text) => response.on_disabled_hover_text(text),
        None => response,
    }
}
