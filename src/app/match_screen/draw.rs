//! Drawing the match screen: the opponent's plate, the board as large as the window allows,
//! your plate, and the controls under it, in one column on the window's centre line; the chat
//! and the move list beside it on a wide window. Draws and returns a [`Command`]; never changes
//! state itself. The state ("Your turn") and the ☰ menu are the header bar's (`chrome`).

use egui::{
    Align, Button, Color32, CornerRadius, Label, Layout, Rect, RichText, Stroke, StrokeKind, Ui,
    Vec2,
};

use super::card::result_card_ui;
use super::look::{hovered, in_rect, tone_color};
use super::model::{Control, Line, MatchScreen, Row, ScoreLine, Shortcut, Tone};
use crate::app::board::{board_ui, mark_color, paint_mark};
use crate::app::chat::{ChatView, chat_button_ui, chat_ui, entry_ui};
use crate::app::command::Command;
use crate::app::move_list::{MOVE_FLOW_HEIGHT, MoveListView, move_list_ui};
use crate::app::replay::ReplayStep;
use crate::app::style::{self, Palette};
use crate::app::widgets::centre;
use crate::game::{Intent, Player};

/// Draws `screen` and returns what the player asked for.
///
/// The board is the hero: as large as the area allows once the plates and the controls have
/// their height, centred on the window's centre line. The move list and the chat stand beside
/// it only when both side columns fit; otherwise the move list is left out and the chat, when
/// open, takes the place of the controls under the board — the board never shrinks for them.
pub fn match_screen_ui(ui: &mut Ui, screen: &MatchScreen) -> Option<Command> {
    let mut action = shortcuts(ui, &screen.shortcuts);
    let full = ui.available_rect_before_wrap();
    ui.allocate_rect(full, egui::Sense::hover());
    let beside = full.width() >= 2.0 * SIDE_WIDTH + BESIDE_BOARD;
    // The side columns grow with the window, up to a width where the move list's two columns
    // hold every classic move whole.
    let side_width = ((full.width() - BESIDE_BOARD) / 2.0).clamp(SIDE_WIDTH, SIDE_MAX_WIDTH);
    let centre = if beside {
        full.shrink2(Vec2::new(side_width, 0.0))
    } else {
        full
    };
    let chat_under = screen.chat.as_ref().is_some_and(|chat| chat.open) && !beside;

    if beside {
        let left = Rect::from_min_max(full.min, egui::pos2(centre.left(), full.bottom()));
        let right = Rect::from_min_max(egui::pos2(centre.right(), full.top()), full.max);
        if let Some(chat) = &screen.chat {
            let asked = in_rect(ui, left.shrink2(Vec2::new(10.0, 12.0)), |ui| {
                chat_ui(ui, chat, true)
            });
            action = asked.or(action);
        }
        let picked = in_rect(ui, right.shrink2(Vec2::new(16.0, 12.0)), |ui| {
            move_list_ui(ui, move_view(screen))
        });
        if let Some(shown) = picked {
            action = Some(Command::Replay(ReplayStep::To(shown)));
        }
    }

    // Heights, top to bottom: the replay's lines and the opponent's plate; the board; my
    // plate and the controls. With the chat open under the board, it takes the place of my
    // plate and the controls.
    let width = centre.width() - 2.0 * MARGIN;
    #[expect(clippy::cast_precision_loss, reason = "a handful of lines")]
    let top = LINE_HEIGHT * screen.header.len() as f32
        + if screen.score.is_some() {
            PLATE_HEIGHT + GAP
        } else {
            0.0
        };
    let bottom = if screen.score.is_some() {
        GAP + PLATE_HEIGHT
    } else {
        0.0
    } + screen.controls_height;
    let room = centre.height() - 2.0 * MARGIN - top - bottom;
    // Without the columns beside it, the move list goes under the board while the board keeps
    // [`BOARD_SHARE`] of the window's shorter side; on a smaller window it is left out.
    let list_under = !beside
        && (room - MOVE_FLOW_HEIGHT).min(width) >= BOARD_SHARE * full.width().min(full.height());
    let room = if list_under {
        room - MOVE_FLOW_HEIGHT
    } else {
        room
    };
    let side = room.min(width).max(0.0);
    let stack = top + side + bottom + if list_under { MOVE_FLOW_HEIGHT } else { 0.0 };
    let y0 = centre.top() + ((centre.height() - stack) / 2.0).max(MARGIN);
    let axis = centre.center().x;
    let board_rect =
        Rect::from_min_size(egui::pos2(axis - side / 2.0, y0 + top), Vec2::splat(side));
    let plate_width = side.max(width.min(PLATE_MIN_WIDTH));
    let column = |y: f32, height: f32, w: f32| {
        Rect::from_min_size(egui::pos2(axis - w / 2.0, y), Vec2::new(w, height))
    };

    if !screen.header.is_empty() {
        in_rect(ui, column(y0, top, width), |ui| {
            ui.vertical_centered(|ui| {
                ui.spacing_mut().item_spacing.y = 0.0;
                for line in &screen.header {
                    line_ui(ui, line);
                }
            });
        });
    }
    let (bottom_seat, top_seat) = match screen.you {
        Some(you) => (you, you.other()),
        None => (Player::X, Player::O),
    };
    // The folded chat's button sits on the top plate, so it takes no height from the board.
    let chat_button = screen.chat.as_ref().filter(|chat| !beside && !chat.open);
    if let Some(score) = &screen.score {
        let at = column(
            board_rect.top() - GAP - PLATE_HEIGHT,
            PLATE_HEIGHT,
            plate_width,
        );
        let asked = plate_ui(ui, at, screen, score, top_seat, chat_button);
        action = asked.or(action);
    }

    let picked = in_rect(ui, board_rect, |ui| {
        board_ui(ui, &screen.game, screen.board)
    });
    if let Some(cell) = picked {
        action = Some(Command::Intent(Intent::Play(cell)));
    }

    // Under the board.
    let mut y = board_rect.bottom();
    if chat_under && let Some(chat) = &screen.chat {
        let below = Rect::from_min_max(
            egui::pos2(axis - width / 2.0, y + GAP),
            egui::pos2(axis + width / 2.0, centre.bottom() - 4.0),
        );
        let asked = in_rect(ui, below, |ui| {
            // A refusal or why the link ended stays in sight over the chat.
            if let Some(Row::Text(line)) = screen.controls.first()
                && line.tone == Tone::Error
                && !line.text.is_empty()
            {
                line_ui(ui, line);
            }
            chat_ui(ui, chat, false)
        });
        action = asked.or(action);
        if let Some(card) = &screen.result {
            action = result_card_ui(ui, card, board_rect, &screen.game).or(action);
        }
        return action;
    }
    if let Some(score) = &screen.score {
        let at = column(y + GAP, PLATE_HEIGHT, plate_width);
        let asked = plate_ui(ui, at, screen, score, bottom_seat, None);
        action = asked.or(action);
        y += GAP + PLATE_HEIGHT;
    }
    if list_under {
        let at = column(y + 2.0, MOVE_FLOW_HEIGHT - 2.0, width);
        let picked = in_rect(ui, at, |ui| {
            move_list_ui(
                ui,
                MoveListView {
                    flow: true,
                    ..move_view(screen)
                },
            )
        });
        if let Some(shown) = picked {
            action = Some(Command::Replay(ReplayStep::To(shown)));
        }
        y += MOVE_FLOW_HEIGHT;
    }
    let controls = column(y, (centre.bottom() - y).max(screen.controls_height), width);
    let asked = in_rect(ui, controls, |ui| {
        let mut asked = None;
        ui.vertical_centered(|ui| {
            for row in &screen.controls {
                if let Some(pressed) = row_ui(ui, row) {
                    asked = Some(pressed);
                }
            }
        });
        asked
    });
    action = asked.or(action);
    // Last, so that it lies over everything else.
    if let Some(card) = &screen.result {
        action = result_card_ui(ui, card, board_rect, &screen.game).or(action);
    }
    action
}

/// The least width of each side column (the chat's, the move list's) when they stand beside the
/// board.
const SIDE_WIDTH: f32 = 250.0;
/// The widest the side columns grow.
const SIDE_MAX_WIDTH: f32 = 320.0;
/// The least room the board keeps between the side columns for them to stand beside it.
const BESIDE_BOARD: f32 = 560.0;
/// The least share of the window's shorter side the board keeps when the move list goes under
/// it.
const BOARD_SHARE: f32 = 0.72;
/// The space around the board's column.
const MARGIN: f32 = 8.0;
/// The gap between the board and a plate.
const GAP: f32 = 6.0;
/// A player's plate.
const PLATE_HEIGHT: f32 = 40.0;
/// The least width of the plates, on a small board.
const PLATE_MIN_WIDTH: f32 = 300.0;
/// A line of text above the board.
const LINE_HEIGHT: f32 = 22.0;

fn move_view(screen: &MatchScreen) -> MoveListView<'_> {
    let (first, moves, shown) = &screen.moves;
    MoveListView {
        variant: screen.game.variant(),
        first: *first,
        moves,
        shown: *shown,
        flow: false,
    }
}

/// A player's plate: the mark, the name (with "you" on your own), the connection on the
/// opponent's in a networked match, and the games won; lit in the mark's colour while it is
/// that side's turn.
fn plate_ui(
    ui: &mut Ui,
    rect: Rect,
    screen: &MatchScreen,
    score: &ScoreLine,
    seat: Player,
    chat: Option<&ChatView>,
) -> Option<Command> {
    let visuals = ui.visuals().clone();
    let palette = Palette::of(&visuals);
    let color = mark_color(&visuals, seat);
    let to_move = screen.game.to_move() == Some(seat);
    let painter = ui.painter();
    painter.rect_filled(rect, CornerRadius::same(10), palette.card);
    if to_move {
        painter.rect_stroke(
            rect,
            CornerRadius::same(10),
            Stroke::new(2.0, color),
            StrokeKind::Inside,
        );
    }
    let icon = Rect::from_center_size(
        egui::pos2(rect.left() + 22.0, rect.center().y),
        Vec2::splat(26.0),
    );
    paint_mark(painter, icon, seat, Stroke::new(3.0, color));
    let name = &score.names[usize::from(seat == Player::O)];
    let wins = score.score.wins(seat);
    let opponent = screen.you.is_some_and(|you| you != seat);
    let connection = screen.connection.as_ref().filter(|_| opponent);
    let inner = Rect::from_min_max(
        egui::pos2(icon.right() + 8.0, rect.top()),
        egui::pos2(rect.right() - 12.0, rect.bottom()),
    );
    in_rect(ui, inner, |ui| {
        let mut asked = None;
        ui.with_layout(Layout::right_to_left(Align::Center), |ui| {
            ui.set_height(PLATE_HEIGHT);
            ui.label(style::strong_text(wins.to_string(), style::STATE));
            if let Some(chat) = chat {
                asked = chat_button_ui(ui, chat);
            }
            if let Some(line) = connection {
                // At most half the plate, cut short: the name keeps its room.
                let tone = tone_color(ui, line.tone);
                let room = Vec2::new(ui.available_width() * 0.5, PLATE_HEIGHT);
                ui.allocate_ui_with_layout(room, Layout::right_to_left(Align::Center), |ui| {
                    ui.add(Label::new(RichText::new(&line.text).color(tone).small()).truncate());
                });
            }
            ui.with_layout(Layout::left_to_right(Align::Center), |ui| {
                let shown = ui.add(Label::new(style::strong_text(name, style::BODY)).truncate());
                // Screen readers hear the mark the icon shows: "X: Ann".
                let spoken = format!("{seat}: {name}");
                shown.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Label, true, &spoken));
                if screen.you == Some(seat) {
                    ui.label(RichText::new("you").weak().small());
                }
                // The folded chat's last line, cut to the room left.
                if let Some(last) = chat.and_then(|chat| chat.lines.last()) {
                    ui.add_space(6.0);
                    entry_ui(ui, last, true);
                }
            });
        });
        asked
    })
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

fn line_ui(ui: &mut Ui, line: &Line) {
    let color = tone_color(ui, line.tone);
    match line.tone {
        Tone::Title => {
            ui.add(
                Label::new(RichText::new(&line.text).size(16.0).strong().color(color)).truncate(),
            );
        }
        _ => {
            ui.add(Label::new(RichText::new(&line.text).color(color)).truncate());
        }
    }
}

/// One row of controls; what was pressed.
fn row_ui(ui: &mut Ui, row: &Row) -> Option<Command> {
    match row {
        Row::Main(control) => main_slot(ui, |ui| {
            let button = ui.add_enabled(
                control.enabled,
                style::primary_button(ui.visuals(), &control.label, 17.0)
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
