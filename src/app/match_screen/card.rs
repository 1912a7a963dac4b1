//! The result card: a game that has ended says so over its board — the result in words, the
//! score, what the other side asked, and the next step as the screen's filled primary button,
//! which takes Enter. Placed on the side of the board away from the winning line, so that the
//! line stays in sight as far as the board allows. Draws and returns a [`Command`]; never
//! changes state itself.

use egui::{CornerRadius, FontId, Rect, Role, Sense, Stroke, StrokeKind, Ui, Vec2, WidgetInfo};

use super::look::{hovered, in_rect, tone_color};
use super::model::{ResultCard, Tone};
use crate::app::board::mark_color;
use crate::app::command::Command;
use crate::app::style::{self, Palette};
use crate::game::{Game, Variant};

/// What screen readers hear the card as, before its result and score.
pub const RESULT_CARD: &str = "Result";

/// The space inside the card's edge.
const PADDING: f32 = 14.0;
/// The card's widest.
const MAX_WIDTH: f32 = 340.0;
/// The button's height.
const BUTTON_HEIGHT: f32 = 40.0;

/// Draws `card` over `board`, the square `game` is drawn in, and returns the command of its
/// button when pressed.
pub fn result_card_ui(ui: &mut Ui, card: &ResultCard, board: Rect, game: &Game) -> Option<Command> {
    let width = (board.width() - 2.0 * PADDING).clamp(0.0, MAX_WIDTH);
    let text_width = width - 2.0 * PADDING;
    let visuals = ui.visuals().clone();
    let palette = Palette::of(&visuals);
    let painter = ui.painter().clone();
    let layout = |text: &str, font: FontId, color| {
        painter.layout(text.to_owned(), font, color, text_width.max(1.0))
    };
    let title = layout(
        &card.title,
        style::semibold(style::TITLE - 4.0),
        tone_color(ui, card.tone),
    );
    let score = layout(
        &card.score,
        FontId::proportional(style::BODY),
        visuals.text_color(),
    );
    let note = card.note.as_ref().map(|line| {
        layout(
            &line.text,
            FontId::proportional(style::BODY),
            tone_color(ui, line.tone),
        )
    });
    let gap = 6.0;
    let mut height = PADDING + title.size().y + gap + score.size().y + PADDING;
    if let Some(note) = &note {
        height += gap + note.size().y;
    }
    if card.action.is_some() {
        height += 2.0 * gap + BUTTON_HEIGHT;
    }
    let rect = placed(board, game, Vec2::new(width, height));

    // The card's own node: screen readers hear the result and the score together; the header
    // bar already says the result alone.
    let response = ui.interact(rect, ui.scope_id().with("result card"), Sense::hover());
    response.widget_info(|| {
        WidgetInfo::labeled(
            Role::Group,
            true,
            format!("{RESULT_CARD}: {}. {}", card.title, card.score),
        )
    });
    let edge = match card.tone {
        Tone::Mark(player) => mark_color(&visuals, player),
        _ => visuals.widgets.noninteractive.bg_stroke.color,
    };
    let shadow = egui::Shadow {
        offset: [0, 4],
        blur: 18,
        spread: 0,
        color: egui::Color32::from_black_alpha(if visuals.dark_mode { 110 } else { 45 }),
    };
    painter.add(shadow.as_shape(rect, CornerRadius::same(12)));
    painter.rect_filled(rect, CornerRadius::same(12), palette.card);
    painter.rect_stroke(
        rect,
        CornerRadius::same(12),
        Stroke::new(2.0, edge),
        StrokeKind::Inside,
    );
    let mut y = rect.top() + PADDING;
    let text = |galley: std::sync::Arc<egui::Galley>, y: &mut f32| {
        let at = egui::pos2(rect.center().x - galley.size().x / 2.0, *y);
        *y += galley.size().y + gap;
        painter.galley(at, galley, visuals.text_color());
    };
    text(title, &mut y);
    text(score, &mut y);
    // The note is a label of its own: what the other side asked is heard, and said nowhere
    // else.
    if let (Some(galley), Some(line)) = (note, &card.note) {
        let at = Rect::from_center_size(
            egui::pos2(rect.center().x, y + galley.size().y / 2.0),
            galley.size() + Vec2::new(2.0, 0.0),
        );
        let color = tone_color(ui, line.tone);
        in_rect(ui, at, |ui| {
            ui.add(egui::Label::new(
                egui::RichText::new(&line.text).color(color),
            ))
        });
        y += galley.size().y + gap;
    }
    let control = card.action.as_ref()?;
    let button_rect = Rect::from_center_size(
        egui::pos2(rect.center().x, y + gap + BUTTON_HEIGHT / 2.0),
        Vec2::new(text_width.min(220.0), BUTTON_HEIGHT),
    );
    let centred = egui::UiBuilder::new()
        .max_rect(button_rect)
        .layout(egui::Layout::top_down(egui::Align::Center).with_cross_justify(true));
    let button = ui
        .scope_builder(centred, |ui| {
            ui.add_enabled(
                control.enabled,
                style::primary_button(ui.visuals(), &control.label, 17.0)
                    .min_size(button_rect.size()),
            )
        })
        .inner;
    // Enter takes the next step unless something else has the keyboard.
    if control.enabled && ui.memory(|m| m.focused().is_none()) {
        button.request_focus();
    }
    hovered(button, control)
        .clicked()
        .then(|| control.command.clone())
}

/// Where a card of `size` goes over `board`: in the larger band of the board above or below
/// the winning line, as near the line's far side of the board as it fits; centred when no line
/// was made (a draw, a resignation). Never outside the board.
fn placed(board: Rect, game: &Game, size: Vec2) -> Rect {
    let inside = board.shrink(4.0);
    let centred = Rect::from_center_size(board.center(), size);
    let Some((top, bottom)) = line_rows(game) else {
        return centred;
    };
    let above = top * board.height();
    let below = (1.0 - bottom) * board.height();
    let (min_y, max_y) = (inside.top(), inside.bottom() - size.y);
    let y = if above >= below {
        // Centred in the band above the line, or as low as the board's top allows.
        (board.top() + (above - size.y) / 2.0).clamp(min_y, max_y.max(min_y))
    } else {
        let band_top = board.bottom() - below;
        (band_top + (below - size.y) / 2.0).clamp(min_y, max_y.max(min_y))
    };
    Rect::from_min_size(egui::pos2(board.center().x - size.x / 2.0, y), size)
}

/// The rows the winning line spans, as shares of the board's height from its top: where its
/// highest cell begins and its lowest ends. `None` without a line.
fn line_rows(game: &Game) -> Option<(f32, f32)> {
    let (_, line) = game.board().winning_line()?;
    let variant = game.variant();
    #[expect(clippy::cast_precision_loss, reason = "a board side, at most 15")]
    let side = variant.side() as f32;
    let rows = line.cells().iter().map(|&cell| {
        if variant == Variant::Ultimate && line.of_small_boards() {
            // A small board spans three rows of cells.
            let row = f32::from(cell.row()) * 3.0;
            (row, row + 3.0)
        } else {
            let (row, _) = variant.row_col(cell);
            #[expect(clippy::cast_precision_loss, reason = "a row, at most 14")]
            let row = row as f32;
            (row, row + 1.0)
        }
    });
    let (top, bottom) = rows.fold((side, 0.0_f32), |(top, bottom), (from, to)| {
        (top.min(from), bottom.max(to))
    });
    Some((top / side, bottom / side))
}
