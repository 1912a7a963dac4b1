//! The view model of each mode's match screen, built from the mode's state every frame.
//!
//! What [`match_screen_ui`](super::match_screen) draws for a match at this computer ([`local`]),
//! over the network ([`network`]) and in a replay ([`replay`]): the modes differ here, in plain
//! data, and nowhere in drawing code.
//!
//! [`status_text`] is the one wording of whose turn it is and how a game ended, for every mode.

use egui::{Key, KeyboardShortcut, Modifiers};

use super::action::Action;
use super::board::BoardOptions;
use super::chat::{ChatEntry, ChatView};
use super::match_screen::{
    Control, Line, MatchScreen, Row, ScoreLine, Shortcut, Status, StatusTone, Toggle, Tone,
};
use super::network::{NetMatch, connection_text};
use super::replay::{Replay, ReplayStep};
use crate::game::{Ending, Intent, Match, Player, Verdict};
use crate::net::{Presence, Stage};

/// The text shown while the computer is choosing its move.
pub const THINKING_TEXT: &str = "Computer is thinking…";

/// Ctrl+Z (Cmd+Z on a Mac) takes a move back.
pub const UNDO_SHORTCUT: KeyboardShortcut = KeyboardShortcut::new(Modifiers::COMMAND, Key::Z);

/// Whose turn it is or how the game ended, in words, for every mode, from the side of the person
/// at this screen.
///
/// "Ann's turn (X)", "Your turn", "Waiting for Bob…", "Computer is thinking…", "You win!", "You
/// lost — Bob wins", "Bob resigned — you win", "It's a draw". `you` is this screen's seat (none
/// for two people at one computer); `computer` the computer's seat. Turns are spoken to "you"
/// whenever there is one; against the computer the mark follows, "Your turn (X)", since the
/// player may have chosen either. Screen readers read the same text.
#[must_use]
pub fn status_text(state: &Match, you: Option<Player>, computer: Option<Player>) -> String {
    let name = |player: Player| state.name(player);
    if let Some(result) = state.result() {
        return match (state.ending(), result, you) {
            (Some(Ending::Resigned { player }), _, Some(you)) if player == you => {
                format!("You resigned — {} wins", name(you.other()))
            }
            (Some(Ending::Resigned { player }), _, Some(_)) => {
                format!("{} resigned — you win!", name(player))
            }
            (Some(Ending::Resigned { player }), _, None) => {
                format!("{} resigned — {} wins", name(player), name(player.other()))
            }
            (Some(Ending::Abandoned { player }), _, Some(you)) if player == you => {
                "You lost — you were away too long".to_owned()
            }
            (Some(Ending::Abandoned { player }), _, Some(_)) => {
                format!("You win — {} was away too long", name(player))
            }
            (Some(Ending::Abandoned { player }), _, None) => format!(
                "{} wins — {} was away too long",
                name(player.other()),
                name(player)
            ),
            (_, Verdict::Win(winner), Some(you)) if winner == you => "You win!".to_owned(),
            (_, Verdict::Win(winner), Some(_)) => format!("You lost — {} wins", name(winner)),
            (_, Verdict::Win(winner), None) => format!("{} wins!", name(winner)),
            (_, Verdict::Draw | Verdict::Unfinished, _) => "It's a draw".to_owned(),
        };
    }
    match (state.game().to_move(), you) {
        (Some(player), _) if Some(player) == computer => THINKING_TEXT.to_owned(),
        (Some(player), Some(you)) if player == you && computer.is_some() => {
            format!("Your turn ({player})")
        }
        (Some(player), Some(you)) if player == you => "Your turn".to_owned(),
        (_, Some(you)) => format!("Waiting for {}…", name(you.other())),
        (Some(player), _) => format!("{}'s turn ({player})", name(player)),
        (None, _) => String::new(),
    }
}

/// How the banner looks for `state`: the winner's colour, a draw's, or the turn.
fn status_tone(state: &Match, you: Option<Player>, computer: Option<Player>) -> StatusTone {
    match (state.result(), state.game().to_move()) {
        (Some(Verdict::Win(winner)), _) => StatusTone::Won(winner),
        (Some(Verdict::Draw | Verdict::Unfinished), _) => StatusTone::Drawn,
        (None, Some(player)) if Some(player) == computer => StatusTone::Waiting,
        (None, Some(player)) if you.is_none() => StatusTone::Turn(player),
        (None, Some(player)) if Some(player) == you => StatusTone::Mine(player),
        (None, _) => StatusTone::Waiting,
    }
}

fn score_line(state: &Match) -> ScoreLine {
    ScoreLine {
        names: Player::ALL.map(|player| state.name(player).to_owned()),
        score: state.score(),
        game_number: state.game_number(),
    }
}

fn save_control() -> Control {
    Control::new("Save game…", Action::SaveGame)
        .hover("Save this game to a file, to replay it later")
}

/// A match at this computer: two people (`computer` is `None`), or one against the computer,
/// which plays `computer`. `undo_keys` is how the undo shortcut is written on this system.
#[must_use]
pub fn local(
    state: &Match,
    computer: Option<Player>,
    can_undo: bool,
    hints: bool,
    undo_keys: &str,
) -> MatchScreen {
    let game = state.game();
    let thinking = computer.is_some() && state.to_move() == computer;
    let main = if state.game_over() {
        Row::Main(Control::new("Play again", Action::Intent(Intent::Rematch)))
    } else if thinking {
        Row::Guide(Line::new("Wait for the computer's move", Tone::Weak))
    } else {
        Row::Guide(Line::new(
            "Click a square, or press 1–9, or arrows and Enter",
            Tone::Plain,
        ))
    };
    let what = if computer.is_some() {
        "your last move and the computer's reply"
    } else {
        "the last move"
    };
    let undo = Control::new("Undo", Action::Intent(Intent::Undo))
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
        hover: "Each empty square shows how the game ends with best play".to_owned(),
        on_action: Action::SetShowHints(true),
        off_action: Action::SetShowHints(false),
    };
    MatchScreen {
        header: Vec::new(),
        status: Status {
            text: status_text(state, computer.map(Player::other), computer),
            tone: status_tone(state, None, computer),
        },
        score: Some(score_line(state)),
        lines: Vec::new(),
        game: game.clone(),
        board: BoardOptions {
            interactive: !thinking,
            hints,
            pending: None,
        },
        moves: (game.first(), game.moves().to_vec(), None),
        controls: vec![
            main,
            Row::Tools {
                left: vec![undo, save_control()],
                toggle: Some(toggle),
            },
        ],
        controls_height: 92.0,
        shortcuts: can_undo
            .then_some(Shortcut {
                keys: UNDO_SHORTCUT,
                action: Action::Intent(Intent::Undo),
            })
            .into_iter()
            .collect(),
        chat: None,
    }
}

/// A match over the network, seen from this side.
#[must_use]
pub fn network(net: &NetMatch) -> MatchScreen {
    let view = &net.view;
    let state = &view.state;
    let me = view.me;
    let opponent = net.opponent_name().to_owned();
    let connection_tone = if view.connected && view.opponent == Presence::Connected {
        Tone::Weak
    } else {
        Tone::Warn
    };
    let who = if view.watching {
        Line::new("You are watching", Tone::Plain)
    } else {
        Line::new(format!("You play {me}"), Tone::Mark(me))
    };
    let mut lines = vec![vec![who, Line::new(connection_text(net), connection_tone)]];
    if let Some(message) = &net.message {
        lines.push(vec![Line::new(message, Tone::Error)]);
    }
    let game = state.game();
    MatchScreen {
        header: Vec::new(),
        status: network_status(net, &opponent),
        score: Some(score_line(state)),
        lines,
        game: game.clone(),
        board: BoardOptions {
            interactive: view.my_turn() && !net.finished(),
            hints: false,
            pending: view.pending,
        },
        moves: (game.first(), game.moves().to_vec(), None),
        controls: if view.watching {
            watch_controls(net)
        } else {
            network_controls(net, &opponent)
        },
        // A watcher has one button and a line about rematches; a player a few rows.
        controls_height: if view.watching { 76.0 } else { 112.0 },
        shortcuts: Vec::new(),
        chat: Some(chat_view(net)),
    }
}

/// The chat of a networked match.
fn chat_view(net: &NetMatch) -> ChatView {
    ChatView {
        lines: net
            .chat
            .iter()
            .map(|line| ChatEntry {
                name: line.name.clone(),
                player: line.player,
                text: line.text.clone(),
            })
            .collect(),
        can_send: net.view.may_chat && net.view.connected && !net.finished(),
        open: net.chat_open,
        unread: net.unread,
    }
}

/// The banner of a watched match: the result, why nobody can move, or whose turn it is, all
/// named (nobody here is "you").
fn watch_status(net: &NetMatch) -> Status {
    let state = &net.view.state;
    let waiting = |text: String| Status {
        text,
        tone: StatusTone::Waiting,
    };
    if state.result().is_some() {
        return Status {
            text: status_text(state, None, None),
            tone: status_tone(state, None, None),
        };
    }
    match (state.over(), &net.stage) {
        (Some(Ending::Left { player }), _) => {
            waiting(format!("Match over: {} left", state.name(player)))
        }
        (Some(_), _) | (None, Stage::Ended) => waiting("The match is over".to_owned()),
        (None, Stage::Reconnecting { .. } | Stage::Connecting { .. }) => {
            waiting("Connection lost".to_owned())
        }
        _ if !net.view.connected => waiting("Connection lost".to_owned()),
        _ => Status {
            text: status_text(state, None, None),
            tone: status_tone(state, None, None),
        },
    }
}

/// The rows under a watched board: what the players are about, and the way out.
fn watch_controls(net: &NetMatch) -> Vec<Row> {
    let state = &net.view.state;
    let note = if net.finished() || state.result().is_none() {
        String::new()
    } else {
        match Player::ALL.map(|player| state.wants_rematch(player)) {
            [true, false] => format!("{} wants a rematch", state.name(Player::X)),
            [false, true] => format!("{} wants a rematch", state.name(Player::O)),
            _ => String::new(),
        }
    };
    let leave = if net.finished() {
        Control::new("Leave", Action::Intent(Intent::Leave)).hover("Back to the menu")
    } else {
        Control::new("Stop watching", Action::Intent(Intent::Leave))
            .hover("Back to the menu; the match goes on without you")
    };
    vec![Row::Text(Line::new(note, Tone::Plain)), Row::Main(leave)]
}

/// The banner of a networked match: the result, or why nobody can move (the link is down, the
/// opponent is away or gone), and only then whose turn it is.
pub(super) fn network_status(net: &NetMatch, opponent: &str) -> Status {
    if net.view.watching {
        return watch_status(net);
    }
    let view = &net.view;
    let state = &view.state;
    let me = view.me;
    let waiting = |text: String| Status {
        text,
        tone: StatusTone::Waiting,
    };
    if state.result().is_some() {
        return Status {
            text: status_text(state, Some(me), None),
            tone: status_tone(state, Some(me), None),
        };
    }
    match (state.over(), &net.stage, view.opponent) {
        (Some(Ending::Left { player }), _, _) if player == me => {
            waiting("Match over: you left".to_owned())
        }
        (Some(Ending::Left { .. }), _, _) => waiting(format!("Match over: {opponent} left")),
        (None, Stage::Ended, _)
            if net
                .failure
                .as_ref()
                .is_some_and(|failure| *failure != crate::net::NetError::MatchOver) =>
        {
            waiting("Connection lost".to_owned())
        }
        (Some(_), _, _) | (None, Stage::Ended, _) => waiting("The match is over".to_owned()),
        (None, Stage::Reconnecting { .. } | Stage::Connecting { .. }, _) => {
            waiting("Connection lost".to_owned())
        }
        _ if !view.connected => waiting("Connection lost".to_owned()),
        (None, _, Presence::Away { .. }) => waiting(format!("{opponent} is away")),
        _ => Status {
            text: status_text(state, Some(me), None),
            tone: status_tone(state, Some(me), None),
        },
    }
}

/// The buttons under a networked board.
fn network_controls(net: &NetMatch, opponent: &str) -> Vec<Row> {
    let view = &net.view;
    let state = &view.state;
    if matches!(
        net.stage,
        Stage::Reconnecting { .. } | Stage::Connecting { .. }
    ) && !net.finished()
    {
        return vec![Row::Main(
            Control::new("Stop trying", Action::Intent(Intent::Leave))
                .hover("Stop reconnecting and leave the match"),
        )];
    }
    if net.finished() {
        return vec![Row::Main(Control::new(
            "Leave",
            Action::Intent(Intent::Leave),
        ))];
    }
    if net.confirm_resign {
        return vec![
            Row::Text(Line::new(
                "Resign this game? It counts as a win for your opponent.",
                Tone::Plain,
            )),
            Row::Buttons(vec![
                Control::new("Yes, resign", Action::Intent(Intent::Resign)),
                Control::new("Keep playing", Action::ConfirmResign(false)),
            ]),
        ];
    }
    let mut rows = Vec::new();
    // Finished on the board or by a resignation: either way, the next step is a rematch. The
    // note above it keeps its place, empty or not, so the button never jumps; during a game
    // the same places hold how to move.
    let game_over = state.result().is_some();
    if view.can_claim_win() {
        rows.push(Row::Text(Line::new(
            format!("{opponent} has been away too long"),
            Tone::Warn,
        )));
        rows.push(Row::Main(
            Control::new("Claim the win", Action::Intent(Intent::ClaimWin))
                .hover("End the match, the game counted as won by you"),
        ));
    } else if game_over {
        let note = if state.wants_rematch(view.me) {
            format!("Waiting for {opponent} to accept…")
        } else if state.wants_rematch(view.me.other()) {
            format!("{opponent} wants a rematch")
        } else {
            String::new()
        };
        rows.push(Row::Text(Line::new(note, Tone::Plain)));
        if !state.wants_rematch(view.me) {
            rows.push(Row::Main(
                Control::new("Rematch", Action::Intent(Intent::Rematch)).enabled(view.connected),
            ));
        }
    } else {
        rows.push(Row::Text(Line::new("", Tone::Plain)));
        let guide = if view.my_turn() {
            "Click a square, or press 1–9, or arrows and Enter"
        } else {
            ""
        };
        rows.push(Row::Guide(Line::new(guide, Tone::Plain)));
    }
    let mut buttons = vec![save_control()];
    if view.connected && !game_over {
        buttons.push(Control::new("Resign…", Action::ConfirmResign(true)));
    }
    buttons.push(Control::new("Leave", Action::Intent(Intent::Leave)));
    rows.push(Row::Space(6.0));
    rows.push(Row::Buttons(buttons));
    rows
}

/// A past game, move by move, read-only.
#[must_use]
pub fn replay(replay: &Replay) -> MatchScreen {
    let last = replay.moves().len();
    let shown = replay.shown();
    let (at_start, at_end) = (shown == 0, shown == last);
    let step = |label: &str, enabled: bool, tip: &str, step: ReplayStep| {
        Control::new(label, Action::Replay(step))
            .enabled(enabled)
            .hover(tip)
    };
    let play = if replay.is_playing() { "Pause" } else { "Play" };
    let mut controls = vec![
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
    if replay.record().is_some() {
        controls.push(Row::Buttons(vec![save_control()]));
    }
    let key = |key: Key, step: ReplayStep| Shortcut {
        keys: KeyboardShortcut::new(Modifiers::NONE, key),
        action: Action::Replay(step),
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
        lines: Vec::new(),
        game: replay.game().clone(),
        board: BoardOptions {
            interactive: false,
            hints: false,
            pending: None,
        },
        moves: (replay.first(), replay.moves().to_vec(), Some(shown)),
        controls,
        controls_height: 96.0,
        shortcuts: vec![
            key(Key::ArrowLeft, ReplayStep::Back),
            key(Key::ArrowRight, ReplayStep::Forward),
            key(Key::Home, ReplayStep::First),
            key(Key::End, ReplayStep::Last),
            key(Key::Space, ReplayStep::ToggleAutoplay),
        ],
        chat: None,
    }
}
