//! The match at this computer: two people taking turns, or one against the computer.
//!
//! Two people play a [`Match`]; against the computer it is a [`ComputerMatch`]. Here are its
//! update, the computer's move when it comes due, and its view model for the one match screen.
//!
//! Every game either ends becomes an [`Effect::Record`]; leaving the screen keeps a started match
//! to continue from the menu (the app does that), and what is kept on disk meanwhile is
//! [`saved`].

use super::game_choice::game_title;
use super::vs_computer::{ComputerMatch, ComputerTurn};
use crate::app::board::BoardOptions;
use crate::app::command::Command;
use crate::app::effect::{Effect, Open, Remember};
use crate::app::match_screen::{
    Control, Line, MatchScreen, MenuItem, ResultCard, Row, Shortcut, Status, Toggle, Tone,
    UNDO_SHORTCUT, save_control, score_caption, score_line, status_text, status_tone,
};
use crate::game::{Game, GameOver, Intent, Match, Player, Refusal, Variant};
use crate::record::Mode;
use crate::store::{SavedMatch, SavedMode};

/// Carries out `command` on a match between two people at this computer.
pub fn hot_seat_update(series: &mut Match, command: &Command) -> Vec<Effect> {
    let &Command::Intent(intent) = command else {
        return shared_update(series, Mode::HotSeat, command);
    };
    let ended = match intent {
        // Both players sit here: both ask, and the next game starts.
        Intent::Rematch => Player::ALL
            .into_iter()
            .try_for_each(|seat| series.act(seat, intent).map(drop))
            .map(|()| None),
        // Whoever moved last takes it back.
        Intent::Undo => {
            let game = series.game();
            match game
                .moves()
                .len()
                .checked_sub(1)
                .map(|ply| game.mover_of(ply))
            {
                Some(seat) => series.act(seat, intent),
                None => Ok(None),
            }
        }
        _ => match series.to_move() {
            Some(seat) => series.act(seat, intent),
            None => Ok(None),
        },
    };
    recorded(Mode::HotSeat, intent, ended)
}

/// Carries out `command` on a match against the computer.
pub fn computer_update(vs: &mut ComputerMatch, command: &Command) -> Vec<Effect> {
    let mode = computer_mode(vs);
    let &Command::Intent(intent) = command else {
        return shared_update(vs.series(), mode, command);
    };
    let ended = match intent {
        Intent::Play(cell) => vs.play(cell),
        Intent::Undo => {
            vs.undo();
            Ok(None)
        }
        Intent::Rematch => {
            vs.next_game();
            Ok(None)
        }
        Intent::Resign | Intent::ClaimWin | Intent::Leave => Ok(None),
    };
    recorded(mode, intent, ended)
}

/// At `now_s`, on egui's clock: the computer's move, once it is due (then the sound, and the
/// game recorded if it ended), or a frame asked for when it will be.
pub fn computer_tick(vs: &mut ComputerMatch, now_s: f64) -> Vec<Effect> {
    match vs.computer_turn(now_s) {
        // A search wakes the window when it has chosen.
        ComputerTurn::Idle | ComputerTurn::Thinking => Vec::new(),
        ComputerTurn::Due(cell) => {
            let mode = computer_mode(vs);
            let mut effects = match vs.play_computer(cell) {
                Ok(ended) => ended.map(|over| record(mode, over)).into_iter().collect(),
                Err(refusal) => {
                    tracing::warn!(%cell, %refusal, "the computer chose an illegal move");
                    Vec::new()
                }
            };
            effects.push(Effect::Chime);
            effects
        }
        ComputerTurn::Wait(left) => vec![Effect::RepaintAfter(left)],
    }
}

/// What both modes do alike: the hints, saving the game, going back.
fn shared_update(series: &Match, mode: Mode, command: &Command) -> Vec<Effect> {
    match command {
        Command::SetShowHints(show) => vec![Effect::Remember(Remember::Hints(*show))],
        Command::SaveGame => Effect::save(series, mode).into_iter().collect(),
        Command::BackToMenu => vec![Effect::Open(Open::Menu)],
        _ => Vec::new(),
    }
}

/// The mode of a match against the computer, for its records.
const fn computer_mode(vs: &ComputerMatch) -> Mode {
    Mode::Computer {
        level: vs.level(),
        you: vs.player_mark(),
    }
}

/// The game an intent ended, recorded; a refusal is a bug (the screen offers only what the
/// match allows), logged.
fn recorded(mode: Mode, intent: Intent, ended: Result<Option<GameOver>, Refusal>) -> Vec<Effect> {
    match ended {
        Ok(over) => over.map(|over| record(mode, over)).into_iter().collect(),
        Err(refusal) => {
            tracing::warn!(?intent, %refusal, "the screen offered a refused intent");
            Vec::new()
        }
    }
}

fn record(mode: Mode, over: GameOver) -> Effect {
    Effect::Record {
        mode,
        over: Box::new(over),
    }
}

/// Whether a match has begun: a move was played, or a game was finished.
#[must_use]
pub fn started(series: &Match) -> bool {
    !series.game().moves().is_empty() || series.game_number() > 1
}

/// A match between two people as the unfinished-match file keeps it, once started.
#[must_use]
pub fn saved(series: &Match) -> Option<SavedMatch> {
    started(series).then(|| SavedMatch::of(SavedMode::HotSeat, series))
}

/// A match against the computer as the unfinished-match file keeps it, once started.
#[must_use]
pub fn saved_vs(vs: &ComputerMatch) -> Option<SavedMatch> {
    let mode = SavedMode::Computer {
        level: vs.level(),
        mark: vs.player_mark(),
    };
    started(vs.series()).then(|| SavedMatch::of(mode, vs.series()))
}

/// The match screen of two people at this computer. `undo_keys` is how the undo shortcut is
/// written on this system.
#[must_use]
pub fn hot_seat_view(series: &Match, hints: bool, undo_keys: &str) -> MatchScreen {
    let can_undo = series.game().last_move().is_some() && !series.game_over();
    view(series, None, can_undo, hints, undo_keys)
}

/// The match screen against the computer.
#[must_use]
pub fn computer_view(vs: &ComputerMatch, hints: bool, undo_keys: &str) -> MatchScreen {
    let computer = Some(vs.computer_mark());
    view(vs.series(), computer, vs.can_undo(), hints, undo_keys)
}

/// A match at this computer: two people (`computer` is `None`), or one against the computer,
/// which plays `computer`.
fn view(
    state: &Match,
    computer: Option<Player>,
    can_undo: bool,
    hints: bool,
    undo_keys: &str,
) -> MatchScreen {
    let game = state.game();
    let thinking = computer.is_some() && state.to_move() == computer;
    let you = computer.map(Player::other);
    // Once the game has ended, the result and "Play again" are on a card over the board.
    let result = state.game_over().then(|| {
        ResultCard::of(state, status_text(state, you, computer))
            .action(Control::new("Play again", Command::Intent(Intent::Rematch)))
    });
    let main = if state.game_over() {
        Row::Guide(Line::new("", Tone::Plain))
    } else if thinking {
        Row::Guide(Line::new("Wait for the computer's move", Tone::Weak))
    } else {
        Row::Guide(Line::new(guide(game), Tone::Plain))
    };
    let what = if computer.is_some() {
        "your last move and the computer's reply"
    } else {
        "the last move"
    };
    let undo = Control::new("Undo", Command::Intent(Intent::Undo))
        .enabled(can_undo)
        .hover(format!("Take back {what} ({undo_keys})"))
        .disabled_hover(if state.game_over() {
            "A finished game stands as it was played"
        } else {
            "Nothing to take back yet"
        });
    let toggle = Toggle {
        label: "Show hints".to_owned(),
        on: hints,
        hover: if game.variant().is_classic() {
            "Each empty square shows how the game ends with best play"
        } else {
            "The computer suggests a move, lit on the board"
        }
        .to_owned(),
        on_command: Command::SetShowHints(true),
        off_command: Command::SetShowHints(false),
    };
    MatchScreen {
        header: Vec::new(),
        status: Status {
            text: status_text(state, you, computer),
            tone: status_tone(state, None, computer),
        },
        score: Some(score_line(state)),
        subtitle: subtitle(state),
        game: game.clone(),
        board: BoardOptions {
            interactive: !thinking,
            hints,
            pending: None,
            // The app fills in the bigger games' suggestion once the computer has chosen it.
            suggestion: None,
        },
        moves: (game.first(), game.moves().to_vec(), None),
        controls: vec![main],
        controls_height: 52.0,
        shortcuts: can_undo
            .then_some(Shortcut {
                keys: UNDO_SHORTCUT,
                command: Command::Intent(Intent::Undo),
            })
            .into_iter()
            .collect(),
        chat: None,
        you,
        connection: None,
        result,
        menu: vec![
            MenuItem::Toggle(toggle),
            MenuItem::Button(undo),
            MenuItem::Button(save_control()),
        ],
    }
}

/// How to play a move now, under the board (the same words in every mode).
#[must_use]
pub fn guide(game: &Game) -> String {
    match (game.variant(), game.sent_to()) {
        (Variant::Classic, _) => "Click a square, or press 1–9".to_owned(),
        (Variant::Ultimate, Some(board)) => format!("Play in board {board}: click, or press 1–9"),
        (Variant::Ultimate, None) => "Click a square, or press a board then a cell".to_owned(),
        (Variant::Gomoku, _) => "Click a square, or use the arrows and Enter".to_owned(),
    }
}

/// The header's line under the state: the game number and the draws, after the game's name
/// in the bigger games ("Gomoku · Game 1 · no draws"). Every mode's.
#[must_use]
pub fn subtitle(state: &Match) -> Vec<Line> {
    let caption = score_caption(state);
    match state.variant() {
        Variant::Classic => vec![caption],
        game => vec![Line::new(game_title(game), Tone::Weak), caption],
    }
}

/// The window's title on this screen: whose turn it is, or how the game ended.
#[must_use]
pub fn title(series: &Match, computer: Option<&ComputerMatch>) -> String {
    match computer {
        Some(vs) => status_text(series, Some(vs.player_mark()), Some(vs.computer_mark())),
        None => status_text(series, None, None),
    }
}
