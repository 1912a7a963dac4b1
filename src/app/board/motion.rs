//! How the board moves: a new mark grows into place, the winning line draws itself, a square
//! already taken flashes when tried — each shorter than a moment, and none at all with the
//! player's "Animations" off. Also whether the pointer has moved since the board appeared.

use egui::{Id, Ui};

use crate::game::{Cell, Game};

/// How long the winning line takes to draw itself across the board, with animations on.
pub const WIN_LINE_SECONDS: f32 = 0.3;
/// How long a new mark takes to grow into place, with animations on.
const NEW_MARK_SECONDS: f32 = 0.16;
/// How long a square already taken shows that it is, when clicked.
const TAKEN_SECONDS: f32 = 0.7;

/// Whether this board moves: the style's animation time, which the player's "Animations" setting
/// sets to zero when off.
#[derive(Clone, Copy, Debug)]
pub struct Motion {
    on: bool,
}

impl Motion {
    pub fn of(ui: &Ui) -> Self {
        Self {
            on: ui.style().animation_time > 0.0,
        }
    }

    /// `seconds` with animations on, none without.
    pub const fn scaled(self, seconds: f32) -> f32 {
        if self.on { seconds } else { 0.0 }
    }
}

/// The newest mark on the board and how far it has grown (0 to 1), while it grows. A mark grows
/// when it is added while the board is on screen: not on a board just shown, nor after an undo.
pub fn newest_mark(
    ui: &Ui,
    board_id: Id,
    game: &Game,
    now: f64,
    motion: Motion,
) -> Option<(Cell, f32)> {
    let count = game.moves().len();
    let since = ui.data_mut(|d| {
        let (seen, since) = d.get_temp_mut_or(board_id.with("newest"), (count, f64::NEG_INFINITY));
        if *seen != count {
            *since = if count == *seen + 1 {
                now
            } else {
                f64::NEG_INFINITY
            };
            *seen = count;
        }
        *since
    });
    let newest = *game.moves().last()?;
    let seconds = motion.scaled(NEW_MARK_SECONDS);
    #[expect(clippy::cast_possible_truncation, reason = "a fraction of a second")]
    let progress = ((now - since) as f32 / seconds.max(f32::EPSILON)).clamp(0.0, 1.0);
    if progress >= 1.0 || seconds == 0.0 {
        return None;
    }
    ui.ctx().request_repaint();
    // Eased out: quick at first, settling into place.
    let eased = 1.0 - (1.0 - progress).powi(3);
    Some((newest, 0.35 + 0.65 * eased))
}

/// A square already taken that the player tried to play, and how strongly it still says so.
#[derive(Clone, Copy, Debug, Default)]
pub struct Taken {
    /// The square and the strength of its outline (1 fading to 0).
    cell: Option<(Cell, f32)>,
}

impl Taken {
    /// Starts the outline on `cell` now.
    pub fn start(ui: &Ui, board_id: Id, cell: Cell, now: f64) -> Self {
        ui.data_mut(|d| d.insert_temp(board_id.with("taken"), (cell, now)));
        ui.ctx().request_repaint();
        Self {
            cell: Some((cell, 1.0)),
        }
    }

    /// The outline showing now, if any. Fades with animations on; without, it stays, then goes.
    pub fn read(ui: &Ui, board_id: Id, now: f64, motion: Motion) -> Self {
        let Some((cell, at)) = ui.data(|d| d.get_temp::<(Cell, f64)>(board_id.with("taken")))
        else {
            return Self::default();
        };
        #[expect(clippy::cast_possible_truncation, reason = "a fraction of a second")]
        let left = 1.0 - (now - at) as f32 / TAKEN_SECONDS;
        if left <= 0.0 {
            ui.data_mut(|d| d.remove::<(Cell, f64)>(board_id.with("taken")));
            return Self::default();
        }
        if motion.on {
            ui.ctx().request_repaint();
        } else {
            ui.ctx().request_repaint_after_secs(left * TAKEN_SECONDS);
        }
        let strength = if motion.on { left.sqrt() } else { 1.0 };
        Self {
            cell: Some((cell, strength)),
        }
    }

    pub fn strength(self, cell: Cell) -> Option<f32> {
        self.cell
            .and_then(|(taken, strength)| (taken == cell).then_some(strength))
    }
}

/// Whether the pointer has moved since the board was first drawn after not being drawn (a new
/// screen, a new match).
pub fn pointer_moved_since_shown(ui: &Ui, board_id: Id) -> bool {
    let (now, still_s) = ui.input(|i| (i.time, i.pointer.time_since_last_movement()));
    let frame_nr = ui.ctx().cumulative_frame_nr();
    // When the board appeared, and the frame it was last drawn in.
    let shown_at = ui.data_mut(|d| {
        let entry = d.get_temp_mut_or(board_id.with("shown"), (now, frame_nr));
        if entry.1 + 1 < frame_nr {
            entry.0 = now;
        }
        entry.1 = frame_nr;
        entry.0
    });
    now - f64::from(still_s) > shown_at
}
