//! The chat beside a networked match: the lines said so far, a few one-click phrases, and a
//! field to type in.
//!
//! Drawn by the match screen from a [`ChatView`], beside the board on a wide window, folded into
//! one line (the newest line heard and a "Chat" button) on a narrow one until unfolded. The
//! line being typed lives in egui's memory, not in the app: it is the field's own state, and
//! nothing but the field reads it. Returns a [`Command`]; changes nothing itself.

use egui::{Id, Label, RichText, ScrollArea, TextEdit, Ui};

use super::board::mark_color;
use super::command::Command;
use crate::net::ChatLine;
use crate::net::wire::MAX_CHAT_CHARS;

/// The phrases offered as one-click buttons.
pub const QUICK_PHRASES: [&str; 3] = ["Good game", "Rematch?", "Well played"];

/// What the chat shows.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ChatView {
    /// Whether this side may say something (a watcher only when the host allows it).
    pub can_send: bool,
    /// The lines said so far, oldest first: who said it (their mark, or none for a watcher),
    /// and what.
    pub lines: Vec<ChatLine>,
    /// Whether it is unfolded on a window too narrow to show it beside the board.
    pub open: bool,
    /// Lines heard while it was folded away.
    pub unread: usize,
    /// Why nothing can be said, shown in place of the field when `can_send` is off: "Only the
    /// players can chat in this match", "Bob has left: nobody reads the chat".
    pub closed: String,
}

/// The accessible name of the field a line is typed in.
pub const CHAT_FIELD: &str = "Message";

fn id() -> Id {
    Id::unique("chat_draft")
}

/// `Bob: Good game`, the name in its mark's colour (a watcher's quiet).
pub fn entry_ui(ui: &mut Ui, entry: &ChatLine, truncate: bool) {
    let visuals = ui.visuals();
    let color = entry.player.map_or(visuals.weak_text_color(), |player| {
        mark_color(visuals, player)
    });
    let mut job = egui::text::LayoutJob::default();
    let font = egui::TextStyle::Body.resolve(ui.style());
    job.append(
        &format!("{}: ", entry.name),
        0.0,
        egui::TextFormat::simple(font.clone(), color),
    );
    job.append(
        &entry.text,
        0.0,
        egui::TextFormat::simple(font, visuals.text_color()),
    );
    let label = Label::new(job);
    ui.add(if truncate {
        label.truncate()
    } else {
        label.wrap()
    });
}

/// The folded chat's button, and "2 new" beside it, on the opponent's plate; pressing it
/// unfolds the chat.
pub fn chat_button_ui(ui: &mut Ui, chat: &ChatView) -> Option<Command> {
    let hover = chat.lines.last().map_or_else(
        || "Show the chat, with a few phrases to send in one click".to_owned(),
        |last| format!("{}: {}", last.name, last.text),
    );
    // Right to left, as on the plate: the count, then the button to its left.
    if chat.unread > 0 {
        ui.label(RichText::new(format!("{} new", chat.unread)).strong());
    }
    let open = ui.small_button("Chat").on_hover_text(hover);
    open.clicked().then_some(Command::ShowChat(true))
}

/// The one-click phrases, one button each.
fn phrases_ui(ui: &mut Ui) -> Option<Command> {
    let mut action = None;
    for phrase in QUICK_PHRASES {
        if ui
            .small_button(phrase)
            .on_hover_text(format!("Send \"{phrase}\""))
            .clicked()
        {
            action = Some(Command::Chat(phrase.to_owned()));
        }
    }
    action
}

/// The whole chat: its lines, the phrases and the field. `beside` is true beside the board
/// (always shown), false under it (with a button to fold it away).
pub fn chat_ui(ui: &mut Ui, chat: &ChatView, beside: bool) -> Option<Command> {
    let mut action = None;
    // Under the board, where height is short, the phrases share their row with "Hide"; a
    // watcher who only reads has a title row instead.
    let phrases_on_top = chat.can_send && !beside;
    ui.horizontal(|ui| {
        if phrases_on_top {
            if let Some(said) = phrases_ui(ui) {
                action = Some(said);
            }
        } else {
            ui.label(RichText::new("Chat").strong());
        }
        if !beside {
            ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                if ui
                    .small_button("Hide")
                    .on_hover_text("Fold the chat away")
                    .clicked()
                {
                    action = Some(Command::ShowChat(false));
                }
            });
        }
    });
    let input_height = match (chat.can_send, phrases_on_top) {
        (true, false) => 72.0,
        (true, true) => 38.0,
        (false, _) => 40.0,
    };
    // Exactly the height left (egui's scroll areas are otherwise at least 64 points high).
    let lines_height = (ui.available_height() - input_height).max(18.0);
    ScrollArea::vertical()
        .id_salt("chat_lines")
        .auto_shrink([false, false])
        .min_scrolled_height(lines_height)
        .max_height(lines_height)
        .stick_to_bottom(true)
        .show(ui, |ui| {
            if chat.lines.is_empty() {
                ui.label(RichText::new("Nothing said yet").weak());
            }
            for entry in &chat.lines {
                entry_ui(ui, entry, false);
            }
        });
    if !chat.can_send {
        ui.label(RichText::new(&chat.closed).weak());
        return action;
    }
    if !phrases_on_top {
        ui.horizontal_wrapped(|ui| {
            if let Some(said) = phrases_ui(ui) {
                action = Some(said);
            }
        });
    }
    let mut draft: String = ui.data_mut(|d| d.get_temp(id())).unwrap_or_default();
    ui.horizontal(|ui| {
        let send_width = 52.0;
        let field = ui.add(
            TextEdit::singleline(&mut draft)
                .hint_text("Say something…")
                .char_limit(MAX_CHAT_CHARS)
                .desired_width((ui.available_width() - send_width).max(60.0)),
        );
        // The field's name for screen readers (the hint is only a placeholder).
        ui.ctx()
            .accesskit_node_builder(field.id, |node| node.set_label(CHAT_FIELD));
        let entered = field.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
        let send = ui.add_enabled(!draft.trim().is_empty(), egui::Button::new("Send"));
        if (send.clicked() || entered) && !draft.trim().is_empty() {
            action = Some(Command::Chat(std::mem::take(&mut draft)));
            // Ready for the next line.
            field.request_focus();
        }
    });
    ui.data_mut(|d| d.insert_temp(id(), draft));
    action
}
