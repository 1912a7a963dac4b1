//! The match screen's view model: [`MatchScreen`] and its parts, built by each mode's screen
//! from its state every frame, and the wording every mode shares — [`status_text`], the one
//! wording of whose turn it is and how a game ended, the score line and "Save game…".

use egui::{Key, KeyboardShortcut, Modifiers};

use crate::app::board::BoardOptions;
use crate::app::chat::ChatView;
use crate::app::command::Command;
use crate::game::{Cell, Ending, Game, Match, Player, Score, Verdict};

/// How a line of text looks.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tone {
    /// Quiet, secondary text.
    Weak,
    /// Ordinary text.
    Plain,
    /// In the colour of `Player`'s mark.
    Mark(Player),
    /// Something the player should notice (the link is down, the opponent is away).
    Warn,
    /// Something went wrong or was refused.
    Error,
    /// A title: strong, cut short with "…" when too long.
    Title,
}

/// A line of text on the screen.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Line {
    /// What it says.
    pub text: String,
    /// How it looks.
    pub tone: Tone,
}

impl Line {
    /// A line saying `text` in `tone`.
    #[must_use]
    pub fn new(text: impl Into<String>, tone: Tone) -> Self {
        Self {
            text: text.into(),
            tone,
        }
    }
}

/// How the state in the header bar looks.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StatusTone {
    /// `Player` is to move, named in the text, which ends with their mark: "Ann's turn (X)".
    Turn(Player),
    /// It is my turn, with my mark: the whole text in its colour.
    Mine(Player),
    /// Waiting (for the computer, for the other player): plain text.
    Waiting,
    /// `Player` won: tinted in their colour.
    Won(Player),
    /// A draw, or a game decided without a winner's colour.
    Drawn,
    /// A caption (a replay's position): plain, smaller.
    Caption,
}

/// The state in the header bar: whose turn it is, or how the game ended.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Status {
    /// What it says.
    pub text: String,
    /// How it looks.
    pub tone: StatusTone,
}

/// What the players' plates show: the names and the games each has won.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ScoreLine {
    /// The names of X and O.
    pub names: [String; 2],
    /// The match score.
    pub score: Score,
}

/// A button the screen offers.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Control {
    /// Its text (also its accessible name).
    pub label: String,
    /// The tooltip.
    pub hover: Option<String>,
    /// The tooltip while it cannot be pressed.
    pub disabled_hover: Option<String>,
    /// What pressing it asks for.
    pub command: Command,
    /// Whether it can be pressed now.
    pub enabled: bool,
}

impl Control {
    /// An enabled button saying `label` that asks for `command`.
    #[must_use]
    pub fn new(label: impl Into<String>, command: Command) -> Self {
        Self {
            label: label.into(),
            command,
            enabled: true,
            hover: None,
            disabled_hover: None,
        }
    }

    /// The same button, enabled or not.
    #[must_use]
    pub const fn enabled(mut self, enabled: bool) -> Self {
        self.enabled = enabled;
        self
    }

    /// The same button with a tooltip.
    #[must_use]
    pub fn hover(mut self, text: impl Into<String>) -> Self {
        self.hover = Some(text.into());
        self
    }

    /// The same button with a tooltip for when it cannot be pressed.
    #[must_use]
    pub fn disabled_hover(mut self, text: impl Into<String>) -> Self {
        self.disabled_hover = Some(text.into());
        self
    }
}

/// One row of the controls under the board.
#[derive(Clone, Debug, PartialEq)]
pub enum Row {
    /// The next step, large, in a slot of fixed height: it takes Enter when nothing else has the
    /// keyboard ("Play again", "Rematch").
    Main(Control),
    /// A line of text in the same slot of fixed height.
    Guide(Line),
    /// A centred line of text.
    Text(Line),
    /// Buttons side by side, centred.
    Buttons(Vec<Control>),
    /// Empty space, in points.
    Space(f32),
}

/// A checkbox, such as "Show hints".
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Toggle {
    /// Its text.
    pub label: String,
    /// Whether it is on.
    pub on: bool,
    /// The tooltip.
    pub hover: String,
    /// What turning it on asks for.
    pub on_command: Command,
    /// What turning it off asks for.
    pub off_command: Command,
}

/// A keyboard shortcut of the screen.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Shortcut {
    /// The keys.
    pub keys: KeyboardShortcut,
    /// What they ask for.
    pub command: Command,
}

/// Everything the match screen shows, built by each mode from its state every frame.
#[derive(Clone, Debug, PartialEq)]
pub struct MatchScreen {
    /// Lines above the board (a replay's title and players).
    pub header: Vec<Line>,
    /// The state, shown in the header bar.
    pub status: Status,
    /// The names and the score on the plates, if the mode keeps score.
    pub score: Option<ScoreLine>,
    /// Short parts in the header bar under the state, side by side: the game number and the
    /// draws, "You are watching".
    pub subtitle: Vec<Line>,
    /// The position on the board.
    pub game: Game,
    /// How the board behaves.
    pub board: BoardOptions,
    /// The moves listed beside the board: the whole game's, and in a replay how many the board
    /// shows (the list then jumps there when a move is clicked).
    pub moves: (Player, Vec<Cell>, Option<usize>),
    /// The rows under the board, top to bottom.
    pub controls: Vec<Row>,
    /// The height kept for them, so the board does not jump when they change.
    pub controls_height: f32,
    /// Keyboard shortcuts, taken before any widget sees the keys.
    pub shortcuts: Vec<Shortcut>,
    /// The chat, in a networked match.
    pub chat: Option<ChatView>,
    /// The seat of the person at this screen, whose plate is at the bottom marked "you"; none
    /// for two people at one computer, a watcher and a replay (X's plate is at the bottom).
    pub you: Option<Player>,
    /// The connection, on the opponent's plate, in a networked match.
    pub connection: Option<Line>,
    /// The screen's entries in the header's ☰ menu (hints, undo, save, resign, leave).
    pub menu: Vec<MenuItem>,
    /// The result over the board, once a game has ended (not in a replay).
    pub result: Option<ResultCard>,
}

/// The result of a game that has ended, shown as a card over the board.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ResultCard {
    /// The result in words, as the header says it ("You win!", "It's a draw").
    pub title: String,
    /// Its colour: the winner's mark, or plain.
    pub tone: Tone,
    /// The match score in words ("Ann 2 – 1 Bob · 1 draw").
    pub score: String,
    /// A line under the score ("Waiting for Bob to accept…"), if there is something to say.
    pub note: Option<Line>,
    /// The next step, a filled primary button that takes Enter ("Play again", "Rematch"), if
    /// this side has one.
    pub action: Option<Control>,
}

impl ResultCard {
    /// The card of `state`'s finished game, titled `title`, with nothing to press yet.
    #[must_use]
    pub fn of(state: &Match, title: String) -> Self {
        let tone = match state.result() {
            Some(Verdict::Win(winner)) => Tone::Mark(winner),
            _ => Tone::Plain,
        };
        let score = state.score();
        let draws = match score.draws {
            0 => "no draws".to_owned(),
            1 => "1 draw".to_owned(),
            n => format!("{n} draws"),
        };
        Self {
            title,
            tone,
            score: format!(
                "{} {} – {} {} · {draws}",
                state.name(Player::X),
                score.x_wins,
                score.o_wins,
                state.name(Player::O)
            ),
            note: None,
            action: None,
        }
    }

    /// The same card with `note` under the score (nothing when it is empty).
    #[must_use]
    pub fn note(mut self, note: Line) -> Self {
        self.note = (!note.text.is_empty()).then_some(note);
        self
    }

    /// The same card with `action` as its button.
    #[must_use]
    pub fn action(mut self, action: Control) -> Self {
        self.action = Some(action);
        self
    }
}

/// An entry of the header bar's ☰ menu.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum MenuItem {
    /// A button.
    Button(Control),
    /// A checkbox.
    Toggle(Toggle),
}

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

/// How the state looks for `state`: the winner's colour, a draw's, or the turn.
#[must_use]
pub fn status_tone(state: &Match, you: Option<Player>, computer: Option<Player>) -> StatusTone {
    match (state.result(), state.game().to_move()) {
        (Some(Verdict::Win(winner)), _) => StatusTone::Won(winner),
        (Some(Verdict::Draw | Verdict::Unfinished), _) => StatusTone::Drawn,
        (None, Some(player)) if Some(player) == computer => StatusTone::Waiting,
        (None, Some(player)) if you.is_none() => StatusTone::Turn(player),
        (None, Some(player)) if Some(player) == you => StatusTone::Mine(player),
        (None, _) => StatusTone::Waiting,
    }
}

/// The score line of `state`.
#[must_use]
pub fn score_line(state: &Match) -> ScoreLine {
    ScoreLine {
        names: Player::ALL.map(|player| state.name(player).to_owned()),
        score: state.score(),
    }
}

/// "Game 2 · 1 draw": the game played and the draws so far.
#[must_use]
pub fn score_caption(state: &Match) -> Line {
    let draws = match state.score().draws {
        0 => "no draws".to_owned(),
        1 => "1 draw".to_owned(),
        n => format!("{n} draws"),
    };
    Line::new(
        format!("Game {} · {draws}", state.game_number()),
        Tone::Weak,
    )
}

/// "Save game…", offered on every match screen.
#[must_use]
pub fn save_control() -> Control {
    Control::new("Save game…", Command::SaveGame)
        .hover("Save this game to a file, to replay it later")
}
