//! Everything the player can ask the window to do, and the one place it is done.
//!
//! Screens never change state while they draw: each `*_ui` function returns an [`Action`], and
//! [`App::apply`] carries it out once, after layout. Later modes (against the computer, over the
//! network) add variants here and arms in `apply`, nothing else.

use super::names::NamesForm;
use super::settings::ThemeChoice;
use super::{App, Screen};
use crate::game::{Cell, Match};

/// Something the player asked for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Action {
    /// Open the form that asks both names for a match on this computer.
    OpenHotSeatNames,
    /// Start a match on this computer between these two names (blank means a default name).
    /// The names are remembered for next time.
    StartHotSeat {
        /// Who plays X (and moves first in the first game).
        x_name: String,
        /// Who plays O.
        o_name: String,
    },
    /// Go back to the match on this computer that was left for the menu.
    ResumeHotSeat,
    /// Place the mark of the player to move on this cell.
    Play(Cell),
    /// Start the next game of the match; the other player moves first.
    PlayAgain,
    /// Leave the current screen for the main menu. A match in progress is kept and can be resumed.
    BackToMenu,
    /// Switch to this theme and remember it.
    SetTheme(ThemeChoice),
    /// Hide the notice shown under the top bar.
    DismissNotice,
    /// Close the window.
    Quit,
}

/// The name shown for a player who left their name blank.
fn name_or_default(name: &str, player: &str) -> String {
    let name = name.trim();
    if name.is_empty() {
        format!("Player {player}")
    } else {
        name.to_owned()
    }
}

impl App {
    /// Carries out `action`: the only place where the screen, the match or the settings change.
    pub fn apply(&mut self, action: Action) {
        tracing::debug!(?action, "apply");
        match action {
            Action::OpenHotSeatNames => {
                self.screen = Screen::HotSeatNames(NamesForm::new(
                    &self.settings.x_name,
                    &self.settings.o_name,
                ));
            }
            Action::StartHotSeat { x_name, o_name } => {
                self.settings.x_name = x_name.trim().to_owned();
                self.settings.o_name = o_name.trim().to_owned();
                self.save_settings();
                self.suspended = None;
                self.screen = Screen::HotSeat(Match::new(
                    name_or_default(&x_name, "X"),
                    name_or_default(&o_name, "O"),
                ));
            }
            Action::ResumeHotSeat => {
                if let Some(hot_seat) = self.suspended.take() {
                    self.screen = Screen::HotSeat(hot_seat);
                }
            }
            Action::Play(cell) => {
                if let Screen::HotSeat(hot_seat) = &mut self.screen
                    && let Err(error) = hot_seat.play(cell)
                {
                    // The board only offers legal cells, so this is a bug, not a player's mistake.
                    tracing::warn!(%cell, %error, "board offered an illegal move");
                }
            }
            Action::PlayAgain => {
                if let Screen::HotSeat(hot_seat) = &mut self.screen {
                    hot_seat.next_game();
                }
            }
            Action::BackToMenu => {
                if let Screen::HotSeat(hot_seat) = std::mem::replace(&mut self.screen, Screen::Menu)
                {
                    let started = !hot_seat.game().moves().is_empty() || hot_seat.game_number() > 1;
                    self.suspended = started.then_some(hot_seat);
                }
            }
            Action::SetTheme(theme) => {
                if self.settings.theme != theme {
                    self.settings.theme = theme;
                    self.save_settings();
                }
            }
            Action::DismissNotice => self.notice = None,
            Action::Quit => self.quit_requested = true,
        }
    }
}
