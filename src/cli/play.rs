//! `tictactoe play`: a game in the terminal, for two people at one keyboard or against the computer.
//!
//! Needs no display: it never touches eframe or egui, so it works over SSH. The game is a
//! [`Match`] like every other mode's: the person's lines become intents, the computer is a
//! [`Bot`], and the game it ends is added to the history like a game in the window. The game
//! itself, [`play`], reads moves from any `BufRead` and writes to any `Write`, so tests drive it
//! with byte buffers; [`main`] hands it the real stdin, stdout and stderr, and records the game.
//!
//! When a person is typing (stdin is a terminal) it draws the board and prompts before each move.
//! When the moves come from a pipe or a file it reads one move per line, prompts for nothing, and
//! the last line it writes to stdout is the result: `result: x wins`, `result: o wins` or
//! `result: draw`.

use std::io::{BufRead, IsTerminal as _, Write};
use std::process::ExitCode;

use anyhow::Context as _;
use rand::TryRngCore as _;

use crate::game::{
    Board, Bot, Cell, Computer, Driver as _, Game, GameOver, Intent, Level, Match, MoveError,
    Player, Table, Variant,
};
use crate::record::Mode;
use crate::store::HistoryStore;

/// The command line of `tictactoe play`.
#[derive(Clone, Debug, clap::Args)]
pub struct PlayArgs {
    /// Play against the computer at LEVEL: easy, medium, hard or perfect
    #[arg(long, value_name = "LEVEL")]
    pub computer: Option<Level>,

    /// The mark you play against the computer, x or o (X always moves first)
    #[arg(
        long = "as",
        value_name = "MARK",
        default_value = "x",
        requires = "computer"
    )]
    pub person: Player,

    /// Seed the computer's random choices, to replay the same game (default: a random seed)
    #[arg(long, value_name = "N")]
    pub seed: Option<u64>,

    /// The game: classic (3×3), ultimate (nine small boards) or gomoku (15×15, five in a row)
    #[arg(long, value_name = "GAME", default_value = "classic")]
    pub game: Variant,
}

/// Who plays a terminal game, which game, and whether a person is watching it.
#[derive(Clone, Debug)]
pub struct Setup {
    /// The game played.
    pub game: Variant,
    /// The computer and the mark it plays, or `None` for two people taking turns.
    pub computer: Option<(Bot, Player)>,
    /// Whether a person types the moves as the game goes: draw the board and prompt before each
    /// move. Off when the moves come from a pipe or a file.
    pub interactive: bool,
}

/// Why a terminal game stopped without a result.
#[derive(Debug, thiserror::Error)]
pub enum PlayError {
    /// The input ran out while the game was still going.
    #[error("the input ended before the game did, after {moves} {}: no result", plural(*moves, "move"))]
    InputEnded {
        /// How many moves had been played.
        moves: usize,
    },
    /// The computer asked for a move the rules refuse; a bug, never a person's mistake.
    #[error("the computer chose a move the rules refuse: {error}")]
    ComputerMove {
        /// Why the move was refused.
        error: MoveError,
    },
    /// Reading the moves or writing the game failed.
    #[error("could not read the moves or write the game: {0}")]
    Io(#[from] std::io::Error),
}

/// `word`, with an "s" unless there is exactly one.
fn plural(count: usize, word: &str) -> String {
    if count == 1 {
        word.to_owned()
    } else {
        format!("{word}s")
    }
}

/// Runs `tictactoe play` on the real terminal. Exit status 0 when the game ends, 2 when the input
/// ends first.
pub fn main(args: &PlayArgs) -> anyhow::Result<ExitCode> {
    let computer = match args.computer {
        Some(level) => {
            let seed = match args.seed {
                Some(seed) => seed,
                None => rand::rngs::OsRng
                    .try_next_u64()
                    .context("could not get a random seed from the operating system")?,
            };
            Some((Bot::new(Computer::new(level, seed)), args.person.other()))
        }
        None => None,
    };
    let stdin = std::io::stdin();
    let mode = match (&computer, args.computer) {
        (Some((_, computer_mark)), Some(level)) => Mode::Computer {
            level,
            you: computer_mark.other(),
        },
        _ => Mode::HotSeat,
    };
    let setup = Setup {
        game: args.game,
        computer,
        interactive: stdin.is_terminal(),
    };
    match play(
        setup,
        stdin.lock(),
        std::io::stdout().lock(),
        std::io::stderr().lock(),
    ) {
        Ok(over) => {
            record(mode, &over);
            Ok(ExitCode::SUCCESS)
        }
        Err(error @ PlayError::InputEnded { .. }) => {
            eprintln!("{error}");
            Ok(ExitCode::from(2))
        }
        Err(error) => Err(error.into()),
    }
}

/// Adds a finished terminal game to the history, as the window does; a failure is said on
/// stderr and changes nothing else.
fn record(mode: Mode, over: &GameOver) {
    if let Err(error) = HistoryStore::from_os().record_game(jiff::Timestamp::now(), mode, over) {
        eprintln!("This game could not be added to your history: {error}");
    }
}

/// The names of a terminal game's players: "Player X" and "Player O", and the computer by its
/// level.
fn names(setup: &Setup) -> [String; 2] {
    Player::ALL.map(|player| match &setup.computer {
        Some((bot, mark)) if *mark == player => format!("Computer ({})", bot.computer().level()),
        _ => format!("Player {player}"),
    })
}

/// Plays one game from the empty board, X first, and returns the game as it ended.
///
/// People's moves are read from `input`, one per line; the board, the computer's moves and the
/// result go to `out`; a one-line explanation of each line that is not a legal move goes to `err`,
/// and the same player is asked again.
///
/// Returns the game that ended, or [`PlayError::InputEnded`] if `input` runs out first.
pub fn play<R: BufRead, W: Write, E: Write>(
    mut setup: Setup,
    mut input: R,
    mut out: W,
    mut err: E,
) -> Result<GameOver, PlayError> {
    let [x_name, o_name] = names(&setup);
    let mut state = Match::new_variant(setup.game, Table::Local, x_name, o_name);
    if setup.interactive {
        write_intro(&mut out, setup.game, setup.computer.as_ref())?;
    }
    let mut line = Vec::new();
    let mut shown_after = None;
    loop {
        let Some(to_move) = state.to_move() else {
            // Only a move ends a terminal game, and every move's end is returned below.
            return Err(PlayError::ComputerMove {
                error: MoveError::GameOver,
            });
        };
        if let Some((bot, mark)) = setup.computer.as_mut()
            && *mark == to_move
        {
            let Some(Intent::Play(cell)) = bot.intent(&state, to_move) else {
                return Err(PlayError::ComputerMove {
                    error: MoveError::GameOver,
                });
            };
            let ended = state.act(to_move, Intent::Play(cell)).map_err(|_refused| {
                PlayError::ComputerMove {
                    error: state
                        .game()
                        .check(cell)
                        .err()
                        .unwrap_or(MoveError::GameOver),
                }
            })?;
            writeln!(
                out,
                "computer ({to_move}) plays {}",
                setup.game.move_text(cell)
            )?;
            if let Some(over) = ended {
                write_result(&mut out, &setup, &over)?;
                return Ok(over);
            }
            continue;
        }
        let game = state.game();
        if setup.interactive {
            // The board again only when it changed: after a refused line, just the prompt.
            if shown_after != Some(game.moves().len()) {
                write!(out, "\n{}\n", board_text(game.board()))?;
                shown_after = Some(game.moves().len());
            }
            write!(out, "{}", prompt(&setup, game, to_move))?;
            out.flush()?;
        }
        line.clear();
        if input.read_until(b'\n', &mut line)? == 0 {
            if setup.interactive {
                // End the prompt's line, so what follows starts on its own.
                writeln!(out)?;
            }
            return Err(PlayError::InputEnded {
                moves: game.moves().len(),
            });
        }
        let cell = match setup.game.parse_move(&String::from_utf8_lossy(&line)) {
            Ok(cell) => cell,
            Err(error) => {
                writeln!(err, "{error}")?;
                continue;
            }
        };
        // The rules say why a move is refused in words a person can act on.
        if let Err(error) = game.check(cell) {
            writeln!(err, "{}", explain(&error, game))?;
            continue;
        }
        if let Ok(Some(over)) = state.act(to_move, Intent::Play(cell)) {
            write_result(&mut out, &setup, &over)?;
            return Ok(over);
        }
    }
}

/// One line on why a move was refused, and what to do instead.
fn explain(error: &MoveError, game: &Game) -> String {
    match error {
        MoveError::Occupied { .. } | MoveError::Taken { .. } if !game.variant().is_classic() => {
            format!("{error}: choose a free point")
        }
        MoveError::Occupied { .. } => {
            let free: Vec<String> = game.board().empty_cells().map(|c| c.to_string()).collect();
            format!("{error}: choose a free cell ({})", free.join(", "))
        }
        MoveError::GameOver
        | MoveError::NotYourTurn { .. }
        | MoveError::OffBoard { .. }
        | MoveError::Taken { .. }
        | MoveError::WrongBoard { .. }
        | MoveError::BoardClosed { .. } => error.to_string(),
    }
}

/// The board in text. Classic shows each empty cell's number:
///
/// ```text
///  X | 2 | 3
/// ---+---+---
///  4 | O | 6
/// ---+---+---
///  7 | 8 | 9
/// ```
///
/// Ultimate shows its nine small boards apart, and Gomoku its grid with the column letters and
/// row numbers a move is typed with (`h8`); an empty point is `.` in both.
#[must_use]
pub fn board_text(board: &Board) -> String {
    match board.variant() {
        Variant::Classic => classic_text(board),
        Variant::Ultimate => ultimate_text(board),
        Variant::Gomoku => gomoku_text(board),
    }
}

/// A point of a bigger board: `X`, `O` or `.`.
fn point(board: &Board, cell: Option<Cell>) -> char {
    cell.and_then(|cell| board.get(cell))
        .map_or('.', Player::char)
}

/// Ultimate's 9×9 grid, the small boards apart:
///
/// ```text
///  . . . | . . . | . . .
///  ...
/// -------+-------+-------
/// ```
fn ultimate_text(board: &Board) -> String {
    let mut text = String::new();
    for row in 0..9 {
        if row == 3 || row == 6 {
            text.push_str("-------+-------+-------\n");
        }
        let mut line = String::new();
        for col in 0..9 {
            if col == 3 || col == 6 {
                line.push_str(" |");
            }
            line.push(' ');
            line.push(point(board, Variant::Ultimate.cell_at(row, col)));
        }
        text.push_str(&line);
        text.push('\n');
    }
    text
}

/// Gomoku's 15×15 grid with row numbers on the left (15 at the top) and column letters under it.
fn gomoku_text(board: &Board) -> String {
    let side = Variant::Gomoku.side();
    let mut text = String::new();
    for row in 0..side {
        let mut line = format!("{:>2}", side - row);
        for col in 0..side {
            line.push(' ');
            line.push(point(board, Variant::Gomoku.cell_at(row, col)));
        }
        text.push_str(&line);
        text.push('\n');
    }
    text.push_str("   a b c d e f g h i j k l m n o\n");
    text
}

fn classic_text(board: &Board) -> String {
    let rows: Vec<String> = Cell::ALL
        .chunks(3)
        .map(|row| {
            let marks: Vec<String> = row
                .iter()
                .map(|&cell| {
                    board
                        .get(cell)
                        .map_or_else(|| cell.to_string(), |p| p.to_string())
                })
                .collect();
            format!(" {}\n", marks.join(" | "))
        })
        .collect();
    rows.join("---+---+---\n")
}

fn write_intro(
    out: &mut impl Write,
    game: Variant,
    computer: Option<&(Bot, Player)>,
) -> std::io::Result<()> {
    let title = game.title();
    match computer {
        Some((bot, mark)) => writeln!(
            out,
            "{title} against the computer ({}). You are {}, the computer is {mark}; X moves first.",
            bot.computer().level(),
            mark.other()
        )?,
        None => writeln!(
            out,
            "{title} for two players at one keyboard. X moves first."
        )?,
    }
    let how = match game {
        Variant::Classic => "Type the number of a free cell",
        Variant::Ultimate => {
            "Type a small board and a cell in it, each numbered 1-9 as the classic board is (53: board 5, cell 3),"
        }
        Variant::Gomoku => "Type a column letter and a row number (h8),",
    };
    let end_of_input = if cfg!(windows) { "Ctrl-Z" } else { "Ctrl-D" };
    writeln!(out, "{how} and press Enter. {end_of_input} gives up.")
}

fn prompt(setup: &Setup, game: &Game, to_move: Player) -> String {
    let board = where_to_play(game);
    if setup.computer.is_some() {
        format!("Your move ({to_move}{board}): ")
    } else {
        format!("{to_move} to move{board}: ")
    }
}

/// In Ultimate, the small board the mover is sent to: `", board 5"` (or `", any board"`); empty
/// in the other games.
#[must_use]
pub fn where_to_play(game: &Game) -> String {
    if !game.variant().is_ultimate() || game.is_over() {
        return String::new();
    }
    game.sent_to().map_or_else(
        || ", any board".to_owned(),
        |board| format!(", board {board}"),
    )
}

/// The final board, a sentence for a person watching, and the `result:` line, always last.
fn write_result(out: &mut impl Write, setup: &Setup, over: &GameOver) -> std::io::Result<()> {
    write!(out, "\n{}\n", board_text(over.game.board()))?;
    let winner = over.verdict().winner();
    if setup.interactive {
        let computer_mark = setup.computer.as_ref().map(|(_, mark)| *mark);
        let sentence = match (winner, computer_mark) {
            (None, _) => "A draw.".to_owned(),
            (Some(winner), Some(mark)) if winner == mark => "The computer wins.".to_owned(),
            (Some(_), Some(_)) => "You win!".to_owned(),
            (Some(winner), None) => format!("{winner} wins!"),
        };
        writeln!(out, "{sentence}")?;
    }
    writeln!(out, "result: {}", over.verdict())?;
    out.flush()
}
