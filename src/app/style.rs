//! The look of the window: its fonts, type scale and colours, in both themes.
//!
//! One visual system for every screen: Inter (shipped with the app, `assets/fonts`), regular for
//! the body and semibold for titles, nothing under [`SMALL`] points; one accent colour for the
//! main action of a screen and for focus; text colours that keep at least 4.5 : 1 against the
//! surfaces they sit on (WCAG AA, checked by `tests/app/layout.rs` on every screen).

use std::sync::Arc;

use egui::{
    Button, Color32, CornerRadius, FontData, FontDefinitions, FontFamily, FontId, RichText, Stroke,
    TextStyle, Theme, Visuals,
};

/// The body face: Inter Regular, limited to the Latin, Greek and Cyrillic letters and the
/// punctuation the app writes (`assets/fonts/README.md` says how it was made).
const INTER_REGULAR: &[u8] = include_bytes!("../../assets/fonts/Inter-Regular.otf");
/// The titles' face: Inter `SemiBold`, cut the same way.
const INTER_SEMIBOLD: &[u8] = include_bytes!("../../assets/fonts/Inter-SemiBold.otf");

/// The semibold family, for titles, the header's state and the names on the plates.
pub const SEMIBOLD: &str = "semibold";

/// The smallest text anywhere, in points.
pub const SMALL: f32 = 12.5;
/// Body text and buttons.
pub const BODY: f32 = 14.0;
/// The header bar's state and a plate's name.
pub const STATE: f32 = 17.0;
/// A screen's title.
pub const TITLE: f32 = 24.0;

/// A font of `size` points in the semibold face.
#[must_use]
pub fn semibold(size: f32) -> FontId {
    FontId::new(size, FontFamily::Name(SEMIBOLD.into()))
}

/// `text` in the semibold face at `size` points.
#[must_use]
pub fn strong_text(text: impl Into<String>, size: f32) -> RichText {
    RichText::new(text).font(semibold(size))
}

/// The colours of one theme beyond what egui's [`Visuals`] hold.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Palette {
    /// The accent: the main action's fill, focus, the side to move.
    pub accent: Color32,
    /// Text on the accent.
    pub on_accent: Color32,
    /// The accent as text or a thin line on the window's background.
    pub accent_ink: Color32,
    /// A raised surface: the board's card, the plates, the header bar.
    pub card: Color32,
    /// A faint tile under each square of the board.
    pub tile: Color32,
}

impl Palette {
    /// The palette of the theme `visuals` belong to.
    #[must_use]
    pub const fn of(visuals: &Visuals) -> Self {
        if visuals.dark_mode { DARK } else { LIGHT }
    }
}

const DARK: Palette = Palette {
    accent: Color32::from_rgb(0x62, 0x47, 0xe6),
    on_accent: Color32::WHITE,
    accent_ink: Color32::from_rgb(0xb0, 0xa2, 0xff),
    card: Color32::from_rgb(0x27, 0x29, 0x2e),
    tile: Color32::from_rgb(0x2f, 0x32, 0x38),
};

const LIGHT: Palette = Palette {
    accent: Color32::from_rgb(0x5b, 0x3f, 0xd6),
    on_accent: Color32::WHITE,
    accent_ink: Color32::from_rgb(0x4b, 0x2f, 0xc4),
    card: Color32::WHITE,
    tile: Color32::from_rgb(0xf0, 0xf0, 0xee),
};

/// The button for a screen's main action: filled with the accent, its text in semibold.
pub fn primary_button<'a>(visuals: &Visuals, text: impl Into<String>, size: f32) -> Button<'a> {
    let palette = Palette::of(visuals);
    Button::new(
        RichText::new(text)
            .font(semibold(size))
            .color(palette.on_accent),
    )
    .fill(palette.accent)
    .stroke(Stroke::NONE)
    .corner_radius(CornerRadius::same(8))
}

/// Installs the fonts, the type scale and both themes' colours on `ctx`.
pub fn install(ctx: &egui::Context) {
    ctx.set_fonts(fonts());
    for theme in [Theme::Dark, Theme::Light] {
        ctx.style_mut_of(theme, |style| {
            style.text_styles = [
                (TextStyle::Small, FontId::proportional(SMALL)),
                (TextStyle::Body, FontId::proportional(BODY)),
                (TextStyle::Button, FontId::proportional(BODY)),
                (TextStyle::Heading, semibold(TITLE)),
                (TextStyle::Monospace, FontId::monospace(14.0)),
            ]
            .into();
            colours(&mut style.visuals, theme);
        });
    }
}

/// Inter first in both families, egui's own fonts after it for what Inter lacks (symbols,
/// emoji, other scripts).
fn fonts() -> FontDefinitions {
    let mut fonts = FontDefinitions::default();
    for (name, bytes) in [("inter", INTER_REGULAR), (SEMIBOLD, INTER_SEMIBOLD)] {
        fonts
            .font_data
            .insert(name.to_owned(), Arc::new(FontData::from_static(bytes)));
    }
    let fallbacks = fonts
        .families
        .get(&FontFamily::Proportional)
        .cloned()
        .unwrap_or_default();
    fonts
        .families
        .entry(FontFamily::Proportional)
        .or_default()
        .insert(0, "inter".to_owned());
    let mut semibold = vec![SEMIBOLD.to_owned()];
    semibold.extend(fallbacks);
    fonts
        .families
        .insert(FontFamily::Name(SEMIBOLD.into()), semibold);
    fonts
}

/// The colours of `theme`: readable text on every surface, the accent for selection and focus.
fn colours(visuals: &mut Visuals, theme: Theme) {
    let dark = theme == Theme::Dark;
    let palette = if dark { DARK } else { LIGHT };
    let gray = Color32::from_rgb;
    let (panel, field, faint, text, weak, strong) = if dark {
        (
            gray(0x1d, 0x1e, 0x22),
            gray(0x14, 0x15, 0x18),
            gray(0x26, 0x28, 0x2d),
            gray(0xe4, 0xe5, 0xe8),
            gray(0xa7, 0xab, 0xb3),
            Color32::WHITE,
        )
    } else {
        (
            gray(0xf6, 0xf6, 0xf4),
            Color32::WHITE,
            gray(0xec, 0xec, 0xea),
            gray(0x1e, 0x1f, 0x23),
            gray(0x58, 0x5c, 0x64),
            Color32::BLACK,
        )
    };
    let (button, button_hover, button_active, edge) = if dark {
        (
            gray(0x33, 0x36, 0x3d),
            gray(0x3e, 0x42, 0x4a),
            gray(0x48, 0x4c, 0x55),
            gray(0x4a, 0x4e, 0x57),
        )
    } else {
        (
            gray(0xea, 0xea, 0xe7),
            gray(0xe0, 0xe0, 0xdd),
            gray(0xd6, 0xd6, 0xd3),
            gray(0x8c, 0x8f, 0x96),
        )
    };
    visuals.panel_fill = panel;
    visuals.window_fill = palette.card;
    visuals.extreme_bg_color = field;
    visuals.text_edit_bg_color = Some(field);
    visuals.faint_bg_color = faint;
    visuals.code_bg_color = faint;
    visuals.weak_text_color = Some(weak);
    visuals.hyperlink_color = palette.accent_ink;
    visuals.error_fg_color = if dark {
        gray(0xff, 0x8f, 0x87)
    } else {
        gray(0xb4, 0x23, 0x18)
    };
    visuals.warn_fg_color = if dark {
        gray(0xf0, 0xc3, 0x5a)
    } else {
        gray(0x8a, 0x53, 0x00)
    };
    visuals.selection.bg_fill = if dark {
        gray(0x34, 0x2b, 0x63)
    } else {
        gray(0xeb, 0xe7, 0xff)
    };
    visuals.selection.stroke = Stroke::new(2.0, palette.accent_ink);
    let widgets = &mut visuals.widgets;
    widgets.noninteractive.bg_fill = panel;
    widgets.noninteractive.weak_bg_fill = panel;
    widgets.noninteractive.fg_stroke = Stroke::new(1.0, text);
    widgets.noninteractive.bg_stroke = Stroke::new(1.0, edge.gamma_multiply(0.6));
    for (state, fill, ink) in [
        (&mut widgets.inactive, button, text),
        (&mut widgets.hovered, button_hover, strong),
        (&mut widgets.active, button_active, strong),
        (&mut widgets.open, button_hover, strong),
    ] {
        state.bg_fill = fill;
        state.weak_bg_fill = fill;
        state.fg_stroke = Stroke::new(1.5, ink);
        state.corner_radius = CornerRadius::same(8);
        state.bg_stroke = Stroke::NONE;
    }
    widgets.inactive.bg_stroke = Stroke::new(1.0, edge);
    widgets.hovered.bg_stroke = Stroke::new(1.0, palette.accent_ink);
}
