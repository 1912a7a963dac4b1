//! The view model of the match over the network, played or watched, for the one match screen.
//!
//! The state (the result, or why nobody can move, before whose turn it is), my seat and the
//! connection on the plates, the controls (the claim, the rematch, resigning with its confirmation,
//! leaving), and the chat.

use super::local;
use super::net_match::{NetMatch, connection_text};
use crate::app::board::BoardOptions;
use crate::app::chat::ChatView;
use crate::app::command::Command;
use crate::app::match_screen::{
    Control, Line, MatchScreen, MenuItem, ResultCard, Row, Status, StatusTone, Tone, save_control,
    score_line, status_text, status_tone,
};
use crate::game::{Ending, Intent, Player};
use crate::net::{Presence, Stage};

/// A match over the network, seen from this side.
#[must_use]
pub fn view(net: &NetMatch) -> MatchScreen {
    let view = &net.view;
    let state = &view.state;
    let me = view.me;
    let opponent = net.opponent_name().to_owned();
    let connection_tone = if view.connected && view.opponent == Presence::Connected {
        Tone::Weak
    } else {
        Tone::Warn
    };
    let mut subtitle = local::subtitle(state);
    if view.watching {
        subtitle.insert(0, Line::new("You are watching", Tone::Plain));
    }
    let game = state.game();
    MatchScreen {
        header: Vec::new(),
        status: network_status(net, &opponent),
        score: Some(score_line(state)),
        subtitle,
        game: game.clone(),
        board: BoardOptions {
            interactive: view.my_turn() && !net.finished(),
            hints: false,
            pending: view.pending,
            suggestion: None,
        },
        moves: (game.first(), game.moves().to_vec(), None),
        controls: with_message(
            net.message.as_deref(),
            if view.watching {
                watch_controls(net)
            } else {
                network_controls(net, &opponent)
            },
        ),
        // A line (about rematches, the claim, a refusal) and a button or how to move.
        controls_height: 66.0,
        shortcuts: Vec::new(),
        chat: Some(chat_view(net)),
        you: (!view.watching).then_some(me),
        connection: Some(Line::new(connection_text(net), connection_tone)),
        menu: if view.watching {
            Vec::new()
        } else {
            network_menu(net)
        },
        result: result_card(net, &opponent),
    }
}

/// The result over the board once a game has ended: with the rematch (or where it stands)
/// while the match goes on, for a player; the result alone for a watcher and after the match.
fn result_card(net: &NetMatch, opponent: &str) -> Option<ResultCard> {
    let view = &net.view;
    let state = &view.state;
    state.result()?;
    let title = if view.watching {
        status_text(state, None, None)
    } else {
        status_text(state, Some(view.me), None)
    };
    let card = ResultCard::of(state, title);
    if view.watching || net.finished() || view.can_claim_win() || net.confirm_resign {
        return Some(card);
    }
    let me = view.me;
    let note = if state.wants_rematch(me) {
        format!("Waiting for {opponent} to accept…")
    } else if state.wants_rematch(me.other()) {
        format!("{opponent} wants a rematch")
    } else {
        String::new()
    };
    let card = card.note(Line::new(note, Tone::Plain));
    Some(if state.wants_rematch(me) {
        card
    } else {
        card.action(
            Control::new("Rematch", Command::Intent(Intent::Rematch)).enabled(view.connected),
        )
    })
}

/// `rows` with `message` (why the link ended, a refusal) as their first line: in the empty line
/// kept for notes, or above them.
fn with_message(message: Option<&str>, mut rows: Vec<Row>) -> Vec<Row> {
    let Some(message) = message else {
        return rows;
    };
    match rows.first_mut() {
        Some(Row::Text(line)) if line.text == message => {}
        Some(Row::Text(line)) if line.text.is_empty() => *line = Line::new(message, Tone::Error),
        _ => rows.insert(0, Row::Text(Line::new(message, Tone::Error))),
    }
    rows
}

/// The chat of a networked match.
fn chat_view(net: &NetMatch) -> ChatView {
    let view = &net.view;
    // Why nothing can be said, when nothing can: the truth of this match.
    let closed = if net.finished() || view.state.over().is_some() {
        match view.state.over() {
            Some(Ending::Left { player }) if !view.watching && player != view.me => {
                format!(
                    "{} has left: nobody reads the chat",
                    view.state.name(player)
                )
            }
            _ => "The match is over: the chat is closed".to_owned(),
        }
    } else if !view.may_chat {
        "Only the players can chat in this match".to_owned()
    } else {
        "The chat comes back with the connection".to_owned()
    };
    ChatView {
        can_send: view.may_chat && view.connected && !net.finished(),
        closed,
        lines: net.chat.iter().cloned().collect(),
        open: net.chat_open,
        unread: net.unread,
    }
}

/// The state of a watched match: the result, why nobody can move, or whose turn it is, all
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
        Control::new("Leave", Command::Intent(Intent::Leave)).hover("Back to the menu")
    } else {
        Control::new("Stop watching", Command::Intent(Intent::Leave))
            .hover("Back to the menu; the match goes on without you")
    };
    vec![Row::Text(Line::new(note, Tone::Plain)), Row::Main(leave)]
}

/// The state of a networked match: the result, or why nobody can move (the link is down, the
/// opponent is away or gone), and only then whose turn it is.
pub fn network_status(net: &NetMatch, opponent: &str) -> Status {
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
            Control::new("Stop trying", Command::Intent(Intent::Leave))
                .hover("Stop reconnecting and leave the match"),
        )];
    }
    if net.finished() {
        return vec![Row::Main(Control::new(
            "Leave",
            Command::Intent(Intent::Leave),
        ))];
    }
    if net.confirm_resign {
        return vec![
            Row::Text(Line::new(
                "Resign this game? It counts as a win for your opponent.",
                Tone::Plain,
            )),
            Row::Buttons(vec![
                Control::new("Yes, resign", Command::Intent(Intent::Resign)),
                Control::new("Keep playing", Command::ConfirmResign(false)),
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
            Control::new("Claim the win", Command::Intent(Intent::ClaimWin))
                .hover("End the match, the game counted as won by you"),
        ));
    } else if game_over {
        // The rematch and where it stands are on the result card over the board; the note's
        // place stays, for a refusal.
        rows.push(Row::Text(Line::new(
            net.message.clone().unwrap_or_default(),
            Tone::Error,
        )));
    } else {
        // A refusal of the host's, or nothing, in the note's place.
        rows.push(Row::Text(Line::new(
            net.message.clone().unwrap_or_default(),
            Tone::Error,
        )));
        let guide = if view.my_turn() {
            local::guide(state.game())
        } else {
            String::new()
        };
        rows.push(Row::Guide(Line::new(guide, Tone::Plain)));
    }
    rows
}

/// The header menu's entries in a networked match: saving, resigning while a game goes on,
/// leaving.
fn network_menu(net: &NetMatch) -> Vec<MenuItem> {
    let view = &net.view;
    let mut items = vec![MenuItem::Button(save_control())];
    if view.connected && view.state.result().is_none() && !net.finished() {
        items.push(MenuItem::Button(Control::new(
            "Resign…",
            Command::ConfirmResign(true),
        )));
    }
    // Once the match is over or the link is being tried again, leaving is the main button.
    let reconnecting = matches!(
        net.stage,
        Stage::Reconnecting { .. } | Stage::Connecting { .. }
    );
    if !net.finished() && !reconnecting {
        items.push(MenuItem::Button(Control::new(
            "Leave",
            Command::Intent(Intent::Leave),
        )));
    }
    items
}
