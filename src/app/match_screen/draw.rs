//! Drawing the match screen: four panels — the status at the top (a banner, the score, a few
//! lines), the controls at the bottom, the move list at the right, the board in the middle —
//! and the chat beside or under the board. Draws and returns a [`Command`]; never changes state
//! itself.

use egui::text::LayoutJob;
use egui::{
    Align, Button, Color32, Frame, Label, Layout, Margin, RichText, Stroke, Ui, Vec2, WidgetText,
};

use super::model::{
    Control, Line, MatchScreen, Row, ScoreLine, Shortcut, Status, StatusTone, Toggle, Tone,
};
use crate::app::board::{board_ui, mark_color};
use crate::app::chat::{CHAT_HEIGHT, CHAT_WIDTH, ChatView, chat_ui, folded_ui};
use crate::app::command::Command;
use crate::app::move_list::{MOVE_FLOW_HEIGHT, MOVE_LIST_WIDTH, MoveListView, move_list_ui};
use crate::app::replay::ReplayStep;
use crate::app::widgets::{STATUS_MAX_WIDTH, banner_ui, centre, text_format};
use crate::game::{Intent, Player};

/// Draws `screen` and returns what the player asked for.
pub fn match_screen_ui(ui: &mut Ui, screen: &MatchScreen) -> Option<Command> {
    // On a wide window the board, its list and its controls stay together in the middle, the
    // chat (when there is one) beside them.
    let full = ui.available_rect_before_wrap();
    let chat_beside = screen.chat.is_some() && full.width() >= CHAT_BESIDE_FROM;
    let max_width = if chat_beside {
        MAX_WIDTH + CHAT_WIDTH
    } else {
        MAX_WIDTH
    };
    let width = full.width().min(max_width);
    let column = egui::Rect::from_center_size(full.center(), Vec2::new(width, full.height()));
    ui.scope_builder(egui::UiBuilder::new().max_rect(column), |ui| {
        match_column_ui(ui, screen, chat_beside)
    })
    .inner
}

/// The widest the match screen grows, in points: the board, its move list and margins.
const MAX_WIDTH: f32 = 820.0;

/// The height the board (with its margins) keeps when the chat is unfolded under it.
const BOARD_KEEP: f32 = 170.0;

/// The height the chat under the board asks for: its title, the lines said (up to five) and
/// what it takes to say one.
fn chat_height(chat: &ChatView) -> f32 {
    let lines = chat.lines.len().clamp(1, 5) as f32;
    (chat_min_height(chat) + 18.0 * (lines - 1.0)).min(CHAT_HEIGHT)
}

/// The least height the chat under the board takes: the phrases, one line and the field (or
/// the title, one line and the note that only the players chat).
const fn chat_min_height(chat: &ChatView) -> f32 {
    if chat.can_send { 78.0 } else { 70.0 }
}

/// From this window width on, the chat stands beside the board; below it, it folds away.
const CHAT_BESIDE_FROM: f32 = 760.0;

fn match_column_ui(ui: &mut Ui, screen: &MatchScreen, chat_beside: bool) -> Option<Command> {
    let mut action = shortcuts(ui, &screen.shortcuts);

    fixed(
        egui::Panel::top("match_status"),
        Margin::symmetric(0, 6),
        false,
    )
    .show(ui, |ui| {
        ui.vertical_centered(|ui| {
            for line in &screen.header {
                line_ui(ui, line);
            }
            if !screen.header.is_empty() {
                ui.add_space(4.0);
            }
            status_ui(ui, &screen.status);
            if let Some(score) = &screen.score {
                ui.add_space(6.0);
                score_line_ui(ui, score);
            }
            for parts in &screen.lines {
                parts_ui(ui, parts);
            }
            if let Some(chat) = &screen.chat
                && !chat_beside
                && !chat.open
                && let Some(asked) = folded_ui(ui, chat)
            {
                action = Some(asked);
            }
        });
    });

    fixed(
        egui::Panel::bottom("match_controls"),
        Margin::symmetric(0, 6),
        false,
    )
    .exact_size(screen.controls_height)
    .show(ui, |ui| {
        ui.vertical_centered(|ui| {
            for row in &screen.controls {
                if let Some(asked) = row_ui(ui, row) {
                    action = Some(asked);
                }
            }
        });
    });

    if let Some(chat) = &screen.chat {
        let mut chat_panel = |ui: &mut Ui| {
            if let Some(asked) = chat_ui(ui, chat, chat_beside) {
                action = Some(asked);
            }
        };
        if chat_beside {
            fixed(egui::Panel::left("chat"), Margin::symmetric(6, 8), true)
                .exact_size(CHAT_WIDTH)
                .show(ui, |ui| chat_panel(ui));
        } else if chat.open {
            // As tall as its lines need, up to CHAT_HEIGHT, and never so tall that the board
            // has less than BOARD_KEEP; on the smallest window both give a little.
            let height = (chat_height(chat))
                .min(ui.available_height() - BOARD_KEEP)
                .max(chat_min_height(chat));
            fixed(egui::Panel::bottom("chat"), Margin::symmetric(8, 4), true)
                .exact_size(height)
                .show(ui, |ui| chat_panel(ui));
        }
    }

    let (first, moves, shown) = &screen.moves;
    // The list goes beside the board, or under it when that leaves the board larger (a narrow,
    // tall window).
    let room = ui.available_size() - Vec2::splat(16.0);
    let beside = (room.x - MOVE_LIST_WIDTH).min(room.y);
    let under = room.x.min(room.y - MOVE_FLOW_HEIGHT);
    let flow = under > beside + 24.0;
    let mut list_ui = |ui: &mut Ui| {
        let picked = move_list_ui(
            ui,
            MoveListView {
                first: *first,
                moves,
                shown: *shown,
                flow,
            },
        );
        if let Some(shown) = picked {
            action = Some(Command::Replay(ReplayStep::To(shown)));
        }
    };
    let (list, margin, size) = if flow {
        (
            egui::Panel::bottom("move_list"),
            Margin::symmetric(8, 2),
            MOVE_FLOW_HEIGHT,
        )
    } else {
        (
            egui::Panel::right("move_list"),
            Margin::symmetric(4, 8),
            MOVE_LIST_WIDTH,
        )
    };
    fixed(list, margin, false)
        .exact_size(size)
        .show(ui, |ui| list_ui(ui));
    if !flow {
        // With room to spare, as much space at the left as the list takes at the right: the
        // board stands in the middle of the window (the chat takes that place when beside it).
        if !chat_beside && ui.available_width() >= 3.0 * MOVE_LIST_WIDTH + 240.0 {
            fixed(egui::Panel::left("move_list_balance"), Margin::ZERO, false)
                .exact_size(MOVE_LIST_WIDTH)
                .show(ui, |_ui| {});
        }
    }

    egui::CentralPanel::default()
        .frame(Frame::NONE.inner_margin(Margin::same(8)))
        .show(ui, |ui| {
            if let Some(cell) = board_ui(ui, &screen.game, screen.board) {
                action = Some(Command::Intent(Intent::Play(cell)));
            }
        });

    action
}

/// `panel` without a frame of its own beyond `margin`, with a separator line or not, never
/// resized by the player.
fn fixed(panel: egui::Panel, margin: Margin, separator: bool) -> egui::Panel {
    panel
        .frame(Frame::NONE.inner_margin(margin))
        .show_separator_line(separator)
        .resizable(false)
}

/// The first shortcut pressed, unless a text field has the keyboard.
fn shortcuts(ui: &Ui, shortcuts: &[Shortcut]) -> Option<Command> {
    if shortcuts.is_empty() || ui.ctx().egui_wants_keyboard_input() {
        return None;
    }
    ui.input_mut(|i| {
        shortcuts
            .iter()
            .filter(|shortcut| i.consume_shortcut(&shortcut.keys))
            .map(|shortcut| shortcut.command.clone())
            .last()
    })
}

fn tone_color(ui: &Ui, tone: Tone) -> Color32 {
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

/// `parts` on one centred line, " · " between them, or one under the other if they do not fit.
fn parts_ui(ui: &mut Ui, parts: &[Line]) {
    let texts: Vec<RichText> = parts
        .iter()
        .map(|line| RichText::new(&line.text).color(tone_color(ui, line.tone)))
        .collect();
    let width_of = |text: RichText| {
        WidgetText::from(text)
            .into_galley(
                ui,
                Some(egui::TextWrapMode::Extend),
                f32::INFINITY,
                egui::TextStyle::Body,
            )
            .size()
            .x
    };
    let separator = RichText::new(" · ").weak();
    let gaps = parts.len().saturating_sub(1);
    #[expect(clippy::cast_precision_loss, reason = "a handful of parts")]
    let total = texts.iter().map(|text| width_of(text.clone())).sum::<f32>()
        + width_of(separator.clone()) * gaps as f32
        + 2.0;
    if parts.len() < 2 || total > ui.available_width() {
        for line in parts {
            line_ui(ui, line);
        }
        return;
    }
    ui.allocate_ui_with_layout(
        Vec2::new(total, ui.spacing().interact_size.y.min(20.0)),
        Layout::left_to_right(Align::Center),
        |ui| {
            ui.spacing_mut().item_spacing.x = 0.0;
            for (index, text) in texts.into_iter().enumerate() {
                if index > 0 {
                    ui.label(separator.clone());
                }
                ui.label(text);
            }
        },
    );
}

fn line_ui(ui: &mut Ui, line: &Line) {
    let color = tone_color(ui, line.tone);
    match line.tone {
        Tone::Title => {
            ui.add(
                Label::new(RichText::new(&line.text).size(16.0).strong().color(color)).truncate(),
            );
        }
        _ => {
            ui.label(RichText::new(&line.text).color(color));
        }
    }
}

/// The banner: whose turn it is, or the result.
fn status_ui(ui: &mut Ui, status: &Status) {
    let visuals = ui.visuals().clone();
    let strong = visuals.strong_text_color();
    let clear = (Color32::TRANSPARENT, Stroke::new(2.0, Color32::TRANSPARENT));
    let text = status.text.clone();
    let (fill, stroke, job) = match status.tone {
        StatusTone::Turn(player) => {
            let mut job = LayoutJob::default();
            let suffix = format!(" ({player})");
            let name_len = text.strip_suffix(&suffix).map_or(text.len(), str::len);
            job.append(&text[..name_len], 0.0, text_format(22.0, strong));
            job.append(
                &text[name_len..],
                0.0,
                text_format(22.0, mark_color(&visuals, player)),
            );
            (clear.0, clear.1, job)
        }
        StatusTone::Mine(player) => (
            clear.0,
            clear.1,
            LayoutJob::single_section(text, text_format(22.0, mark_color(&visuals, player))),
        ),
        StatusTone::Waiting => (
            clear.0,
            clear.1,
            LayoutJob::single_section(text, text_format(22.0, visuals.text_color())),
        ),
        // A result is a tint behind the words, never a border: nothing here is a button.
        StatusTone::Won(winner) => (
            mark_color(&visuals, winner).gamma_multiply(0.16),
            Stroke::NONE,
            LayoutJob::single_section(text, text_format(24.0, strong)),
        ),
        StatusTone::Drawn => (
            visuals.faint_bg_color,
            Stroke::NONE,
            LayoutJob::single_section(text, text_format(24.0, strong)),
        ),
        StatusTone::Caption => (
            clear.0,
            clear.1,
            LayoutJob::single_section(text, text_format(18.0, strong)),
        ),
    };
    banner_ui(ui, fill, stroke, job);
}

/// "X: Ann  2 – 1  O: Bob" with each name in its mark's colour, the mark first so that a long
/// name cut short with "…" keeps it; then the game number and draws.
fn score_line_ui(ui: &mut Ui, line: &ScoreLine) {
    let visuals = ui.visuals().clone();
    let width = ui.available_width().min(STATUS_MAX_WIDTH);
    let middle = 64.0;
    // A narrow window keeps "Computer (medium)" whole with a smaller type.
    let size = if width < 440.0 { 14.0 } else { 16.0 };
    let text = |player: Player| {
        let name = &line.names[usize::from(player == Player::O)];
        RichText::new(format!("{player}: {name}"))
            .size(size)
            .color(mark_color(&visuals, player))
    };
    let natural = |player: Player| {
        let galley = WidgetText::from(text(player)).into_galley(
            ui,
            Some(egui::TextWrapMode::Extend),
            f32::INFINITY,
            egui::TextStyle::Body,
        );
        galley.size().x + 1.0
    };
    // The score sits in the middle when both names fit either side of it; otherwise the
    // names take what they need, and only a name too long for any room is cut short.
    let (x_side, o_side) = {
        let (x, o) = (natural(Player::X), natural(Player::O));
        let half = ((width - middle) / 2.0).max(40.0);
        if x.max(o) <= half {
            (half, half)
        } else if x + o + middle <= width {
            (x, o)
        } else {
            (half, half)
        }
    };
    ui.allocate_ui_with_layout(
        Vec2::new(x_side + o_side + middle, 24.0),
        Layout::left_to_right(Align::Center),
        |ui| {
            ui.spacing_mut().item_spacing.x = 0.0;
            ui.allocate_ui_with_layout(
                Vec2::new(x_side, 24.0),
                Layout::right_to_left(Align::Center),
                |ui| {
                    ui.add(Label::new(text(Player::X)).truncate());
                },
            );
            ui.allocate_ui_with_layout(
                Vec2::new(middle, 24.0),
                Layout::centered_and_justified(egui::Direction::LeftToRight),
                |ui| {
                    ui.label(
                        RichText::new(format!(
                            "{} – {}",
                            line.score.wins(Player::X),
                            line.score.wins(Player::O)
                        ))
                        .size(18.0)
                        .color(visuals.strong_text_color()),
                    );
                },
            );
            ui.allocate_ui_with_layout(
                Vec2::new(o_side, 24.0),
                Layout::left_to_right(Align::Center),
                |ui| {
                    ui.add(Label::new(text(Player::O)).truncate());
                },
            );
        },
    );
    let draws = match line.score.draws {
        0 => "no draws".to_owned(),
        1 => "1 draw".to_owned(),
        n => format!("{n} draws"),
    };
    ui.label(RichText::new(format!("Game {} · {draws}", line.game_number)).weak());
}

/// One row of controls; what was pressed.
fn row_ui(ui: &mut Ui, row: &Row) -> Option<Command> {
    match row {
        Row::Main(control) => main_slot(ui, |ui| {
            let button = ui.add_enabled(
                control.enabled,
                Button::new(RichText::new(&control.label).size(18.0))
                    .min_size(Vec2::new(180.0, 40.0)),
            );
            // Enter takes the next step unless something else has the keyboard.
            if control.enabled && ui.memory(|m| m.focused().is_none()) {
                button.request_focus();
            }
            hovered(button, control)
                .clicked()
                .then(|| control.command.clone())
        }),
        Row::Guide(line) => main_slot(ui, |ui| {
            ui.label(RichText::new(&line.text).color(tone_color(ui, line.tone)));
            None
        }),
        Row::Text(line) => {
            ui.label(RichText::new(&line.text).color(tone_color(ui, line.tone)));
            None
        }
        Row::Buttons(controls) => {
            let mut action = None;
            let width = buttons_width(ui, controls);
            ui.horizontal(|ui| {
                centre(ui, width);
                for control in controls {
                    action = small_button(ui, control).or(action.take());
                }
            });
            action
        }
        Row::Tools { left, toggle } => tools_ui(ui, left, toggle.as_ref()),
        Row::Space(points) => {
            ui.add_space(*points);
            None
        }
    }
}

/// A slot 40 points high, content centred both ways, not stretched across the window.
fn main_slot(ui: &mut Ui, add: impl FnOnce(&mut Ui) -> Option<Command>) -> Option<Command> {
    ui.add_space(6.0);
    let action = ui
        .allocate_ui_with_layout(
            Vec2::new(ui.available_width(), 40.0),
            Layout::top_down(Align::Center)
                .with_main_align(Align::Center)
                .with_main_justify(true),
            add,
        )
        .inner;
    ui.add_space(6.0);
    action
}

/// The width a row of these buttons takes.
fn buttons_width(ui: &Ui, controls: &[Control]) -> f32 {
    let spacing = ui.spacing();
    let gap = spacing.item_spacing.x;
    let padding = spacing.button_padding.x * 2.0;
    let font = egui::TextStyle::Button.resolve(ui.style());
    let texts: f32 = controls
        .iter()
        .map(|control| {
            let galley =
                ui.painter()
                    .layout_no_wrap(control.label.clone(), font.clone(), Color32::WHITE);
            galley.size().x + padding
        })
        .sum();
    #[expect(clippy::cast_precision_loss, reason = "a handful of buttons")]
    let gaps = gap * controls.len().saturating_sub(1) as f32;
    texts + gaps
}

/// A button of ordinary size. A clicked one gives up the keyboard: Enter belongs to the board
/// and to the main step, and must not press it again.
fn small_button(ui: &mut Ui, control: &Control) -> Option<Command> {
    let response = ui.add_enabled(control.enabled, Button::new(&control.label));
    let response = hovered(response, control);
    if response.clicked() {
        response.surrender_focus();
        return Some(control.command.clone());
    }
    None
}

fn hovered(response: egui::Response, control: &Control) -> egui::Response {
    let response = match &control.hover {
        Some(text) => response.on_hover_text(text),
        None => response,
    };
    match &control.disabled_hover {
        Some(text) => response.on_disabled_hover_text(text),
        None => response,
    }
}

/// Buttons at the left and a checkbox at the right, as wide as the status banner.
fn tools_ui(ui: &mut Ui, left: &[Control], toggle: Option<&Toggle>) -> Option<Command> {
    let mut action = None;
    let width = ui.available_width().min(STATUS_MAX_WIDTH);
    ui.allocate_ui_with_layout(
        Vec2::new(width, 28.0),
        Layout::left_to_right(Align::Center),
        |ui| {
            let (pressed, toggled) = egui::Sides::new().show(
                ui,
                |ui| {
                    let mut pressed = None;
                    for control in left {
                        pressed = small_button(ui, control).or(pressed);
                    }
                    pressed
                },
                |ui| {
                    let toggle = toggle?;
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
                },
            );
            action = toggled.or(pressed);
        },
    );
    action
}
