//! The replay screen: a past game on the match screen, read-only, stepped with buttons, keys and
//! the move list, or played by itself.
//!
//! The game and how far it is shown are a [`Replay`]; this screen adds where going back leads
//! (the history list, when it was opened from there), its update and its view model.

use egui::{Key, KeyboardShortcut, Modifiers};

use crate::app::board::BoardOptions;
use crate::app::command::Command;
use crate::app::effect::{Effect, Open};
use crate::app::event::SystemEvent;
use crate::app::game_file::Wanted;
use crate::app::match_screen::{
    Control, Line, MatchScreen, MenuItem, Row, Shortcut, Status, StatusTone, Tone, save_control,
};
use crate::app::replay::{Replay, ReplayStep};
use crate::game::{Player, Variant};

use super::game_choice::game_title;

/// A replay on screen.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReplayScreen {
    /// The game, and how far it is shown.
    pub replay: Replay,
    /// Whether it was opened from the history list, where going back leads.
    pub from_history: bool,
}

impl ReplayScreen {
    /// Carries out `command` on this screen.
    pub fn update(&mut self, command: &Command) -> Vec<Effect> {
        match command {
            Command::Replay(step) => {
                self.replay.step(*step);
                Vec::new()
            }
            Command::SaveGame => self
                .replay
                .record()
                .map(|record| Effect::Dialog(Wanted::Save(Box::new(record.clone()))))
                .into_iter()
                .collect(),
            Command::BackToMenu if self.from_history => vec![Effect::Open(Open::History)],
            Command::BackToMenu => vec![Effect::Open(Open::Menu)],
            _ => Vec::new(),
        }
    }

    /// Autoplay: the next move when it is due, and a frame asked for then.
    pub fn on_event(&mut self, event: &SystemEvent) -> Vec<Effect> {
        match event {
            SystemEvent::Tick { now_s } => self
                .replay
                .tick(*now_s)
                .map(Effect::RepaintAfter)
                .into_iter()
                .collect(),
            _ => Vec::new(),
        }
    }
}

/// A past game, move by move, read-only.
#[must_use]
pub fn view(replay: &Replay) -> MatchScreen {
    let last = replay.moves().len();
    let shown = replay.shown();
    let (at_start, at_end) = (shown == 0, shown == last);
    let step = |label: &str, enabled: bool, tip: &str, step: ReplayStep| {
        Control::new(label, Command::Replay(step))
            .enabled(enabled)
            .hover(tip)
    };
    let play = if replay.is_playing() { "Pause" } else { "Play" };
    let controls = vec![
        Row::Buttons(vec![
            step(
                "First",
                !at_start,
                "The empty board (Home)",
                ReplayStep::First,
            ),
            step(
                "Previous",
                !at_start,
                "One move back (Left arrow)",
                ReplayStep::Back,
            ),
            step(
                play,
                last > 0,
                "Play the moves one by one (Space)",
                ReplayStep::ToggleAutoplay,
            ),
            step(
                "Next",
                !at_end,
                "One move forward (Right arrow)",
                ReplayStep::Forward,
            ),
            step(
                "Last",
                !at_end,
                "The final position (End)",
                ReplayStep::Last,
            ),
        ]),
        Row::Text(Line::new(
            "Arrows step · Home, End · Space plays · Esc goes back",
            Tone::Weak,
        )),
    ];
    let key = |key: Key, step: ReplayStep| Shortcut {
        keys: KeyboardShortcut::new(Modifiers::NONE, key),
        command: Command::Replay(step),
    };
    MatchScreen {
        header: vec![
            Line::new(replay.title(), Tone::Title),
            Line::new(
                format!(
                    "X: {} · O: {}",
                    replay.name(Player::X),
                    replay.name(Player::O)
                ),
                Tone::Weak,
            ),
        ],
        status: Status {
            text: replay.status_text(),
            tone: StatusTone::Caption,
        },
        score: None,
        // A bigger game is named, as on every match screen.
        subtitle: match replay.game().variant() {
            Variant::Classic => Vec::new(),
            game => vec![Line::new(game_title(game), Tone::Weak)],
        },
        game: replay.game().clone(),
        board: BoardOptions {
            interactive: false,
            hints: false,
            pending: None,
            suggestion: None,
        },
        moves: (replay.first(), replay.moves().to_vec(), Some(shown)),
        controls,
        controls_height: 64.0,
        shortcuts: vec![
            key(Key::ArrowLeft, ReplayStep::Back),
            key(Key::ArrowRight, ReplayStep::Forward),
            key(Key::Home, ReplayStep::First),
            key(Key::End, ReplayStep::Last),
            key(Key::Space, ReplayStep::ToggleAutoplay),
        ],
        chat: None,
        you: None,
        connection: None,
        result: None,
        menu: if replay.record().is_some() {
            vec![MenuItem::Button(save_control())]
        } else {
            Vec::new()
        },
    }
}
