//! The one match screen, drawn by [`match_screen_ui`] for every mode from a [`MatchScreen`].
//!
//! Two people at this computer, against the computer, over the network, a replay: each mode's
//! screen builds this plain view model from its state every frame. A mode differs in what its
//! view model says, never in a copy of the screen; a replay is the same screen with input off.
//!
//! Layout:
//! - `model`: [`MatchScreen`] and its parts, and the wording every mode shares
//!   ([`status_text`], the score line, "Save game…").
//! - `draw`: [`match_screen_ui`], which draws a [`MatchScreen`] and returns the
//!   [`Command`](crate::app::Command) the player gave; it never changes state itself.
//! - `card`: the result card over the board of a game that has ended, placed clear of the
//!   winning line.

mod card;
mod draw;
mod look;
mod model;

pub use card::RESULT_CARD;
pub use draw::match_screen_ui;
pub use model::{
    Control, Line, MatchScreen, MenuItem, ResultCard, Row, ScoreLine, Shortcut, Status, StatusTone,
    THINKING_TEXT, Toggle, Tone, UNDO_SHORTCUT, save_control, score_caption, score_line,
    status_text, status_tone,
};
