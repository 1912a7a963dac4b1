//! Small widgets the screens share: form titles, columns and fields, wide
//! buttons, the error box, and the lists' column and heading.
//!
//! Pure drawing: each takes what it shows and returns what was clicked or typed; none knows any
//! screen, command or state.

use egui::{Align, Button, Frame, Layout, Margin, RichText, Stroke, TextEdit, Ui, Vec2};

/// A form's title, a little way down the window (less on a short one); in a centred layout.
pub fn title_ui(ui: &mut Ui, title: &str) {
    ui.add_space((ui.available_height() * 0.08).min(48.0));
    ui.label(crate::app::style::strong_text(title, 26.0));
}

/// A centred column of form width, with a heading; on a window taller than the form, the form
/// stands in the middle of it.
pub fn form_column<R>(ui: &mut Ui, title: &str, add: impl FnOnce(&mut Ui, f32) -> R) -> R {
    ui.vertical_centered(|ui| {
        let top = (ui.available_height() * 0.06).min(40.0);
        vertically_centred(ui, top, |ui| {
            ui.label(crate::app::style::strong_text(title, 26.0));
            ui.add_space(16.0);
            let width = (ui.available_width() - 32.0).clamp(160.0, 360.0);
            ui.allocate_ui_with_layout(Vec2::new(width, 0.0), Layout::top_down(Align::Min), |ui| {
                add(ui, width)
            })
            .inner
        })
    })
    .inner
}

/// Runs `add` in the middle of the height left, or `min_top` points from the top when it is
/// taller than that.
///
/// Its height is the one drawn last frame; when it changes, the frame is drawn again at once,
/// so nothing is seen out of place.
pub fn vertically_centred<R>(ui: &mut Ui, min_top: f32, add: impl FnOnce(&mut Ui) -> R) -> R {
    let id = ui.make_persistent_id("vertically centred");
    let available = ui.available_height();
    let drawn: Option<f32> = ui.data(|d| d.get_temp(id));
    let top = drawn.map_or(min_top, |height| ((available - height) / 2.0).max(min_top));
    ui.add_space(top);
    let start = ui.cursor().top();
    let inner = add(ui);
    let height = ui.min_rect().bottom() - start;
    if drawn.is_none_or(|drawn| (drawn - height).abs() > 1.0) {
        ui.data_mut(|d| d.insert_temp(id, height));
        ui.ctx().request_discard("a centred column changed height");
    }
    inner
}

/// A labelled single-line field of at most 64 characters; the label names it for screen
/// readers too.
pub fn field_ui(
    ui: &mut Ui,
    label: &str,
    text: &mut String,
    hint: &str,
    width: f32,
) -> egui::Response {
    long_field_ui(ui, label, text, hint, width, 64)
}

/// [`field_ui`] for up to `max_chars` characters (a link or a URL pasted whole).
pub fn long_field_ui(
    ui: &mut Ui,
    label: &str,
    text: &mut String,
    hint: &str,
    width: f32,
    max_chars: usize,
) -> egui::Response {
    let label = ui.label(RichText::new(label).strong());
    let response = ui
        .add(
            TextEdit::singleline(text)
                .hint_text(hint)
                .char_limit(max_chars)
                .desired_width(width),
        )
        .labelled_by(label.id);
    ui.add_space(10.0);
    response
}

/// A wide button with its text centred; whether it was clicked.
pub fn big_button(ui: &mut Ui, text: &str, width: f32) -> bool {
    ui.vertical_centered(|ui| {
        ui.add(Button::new(RichText::new(text).size(18.0)).min_size(Vec2::new(width, 40.0)))
            .clicked()
    })
    .inner
}

/// [`big_button`] for a screen's main action: filled with the accent colour.
pub fn primary_big_button(ui: &mut Ui, text: &str, width: f32) -> bool {
    ui.vertical_centered(|ui| {
        let button = crate::app::style::primary_button(ui.visuals(), text, 17.0);
        ui.add(button.min_size(Vec2::new(width, 40.0))).clicked()
    })
    .inner
}

/// A message in the error colour after a painted warning sign (⚠), in a thin frame.
pub fn error_ui(ui: &mut Ui, error: &str) {
    let color = ui.visuals().error_fg_color;
    Frame::new()
        .stroke(Stroke::new(1.5, color))
        .corner_radius(6)
        .inner_margin(Margin::same(8))
        .show(ui, |ui| {
            // As wide as the fields above it.
            ui.set_width(ui.available_width());
            ui.horizontal_top(|ui| {
                // Not colour alone: the sign says it is an error too.
                warning_sign(ui, color);
                ui.add(egui::Label::new(RichText::new(error).color(color)).wrap());
            });
        });
    ui.add_space(10.0);
}

/// A warning sign (⚠) in `color`, painted: a triangle around an exclamation mark, as high as a
/// line of text.
fn warning_sign(ui: &mut Ui, color: egui::Color32) {
    let side = ui.text_style_height(&egui::TextStyle::Body).max(16.0);
    let (rect, _) = ui.allocate_exact_size(Vec2::splat(side), egui::Sense::hover());
    let rect = rect.shrink(1.0);
    let stroke = Stroke::new(1.6, color);
    let corners = vec![
        egui::pos2(rect.center().x, rect.top()),
        rect.right_bottom(),
        rect.left_bottom(),
    ];
    let painter = ui.painter();
    painter.add(egui::Shape::convex_polygon(
        corners,
        egui::Color32::TRANSPARENT,
        stroke,
    ));
    let x = rect.center().x;
    let top = rect.top() + rect.height() * 0.38;
    let bottom = rect.top() + rect.height() * 0.7;
    painter.line_segment([egui::pos2(x, top), egui::pos2(x, bottom)], stroke);
    painter.circle_filled(
        egui::pos2(x, rect.bottom() - rect.height() * 0.14),
        1.1,
        color,
    );
}

/// Moves the cursor so that a row about `width` points wide is centred.
pub fn centre(ui: &mut Ui, width: f32) {
    ui.add_space(((ui.available_width() - width) / 2.0).max(0.0));
}

/// A heading over a row of `count` equally wide buttons, `width` points in all. `add_buttons`
/// gets the width of one button.
pub fn choice_row_ui(
    ui: &mut Ui,
    width: f32,
    heading: &str,
    count: usize,
    add_buttons: impl FnOnce(&mut Ui, f32),
) {
    ui.allocate_ui_with_layout(Vec2::new(width, 0.0), Layout::top_down(Align::Min), |ui| {
        ui.label(RichText::new(heading).strong());
        ui.horizontal(|ui| {
            let gap = ui.spacing().item_spacing.x;
            #[expect(clippy::cast_precision_loss, reason = "a handful of buttons")]
            let count = count.max(1) as f32;
            add_buttons(ui, ((width - (count - 1.0) * gap) / count).floor());
        });
    });
}

/// The widest the history and statistics columns grow.
pub const COLUMN_MAX_WIDTH: f32 = 560.0;

/// A centred column as wide as the window allows, up to [`COLUMN_MAX_WIDTH`].
pub fn column<R>(ui: &mut Ui, add: impl FnOnce(&mut Ui, f32) -> R) -> R {
    let width = (ui.available_width() - 16.0).clamp(200.0, COLUMN_MAX_WIDTH);
    ui.vertical_centered(|ui| {
        ui.allocate_ui_with_layout(Vec2::new(width, 0.0), Layout::top_down(Align::Min), |ui| {
            ui.set_width(width);
            add(ui, width)
        })
        .inner
    })
    .inner
}

/// A title with a button to another screen under it; whether the button was clicked.
pub fn heading_ui(ui: &mut Ui, title: &str, other: &str) -> bool {
    let mut clicked = false;
    ui.vertical_centered(|ui| {
        ui.add_space(16.0);
        ui.label(crate::app::style::strong_text(title, 26.0));
        ui.add_space(8.0);
        clicked = ui.button(other).clicked();
        ui.add_space(12.0);
    });
    clicked
}
