//! Matches against the computer, played through the window's accessibility tree as a player (or a
//! screen reader) would: the setup form, whole games at every level, the computer's delayed reply,
//! undo (also in hot-seat), hints, and an idle window once the computer has moved.

use std::path::Path;
use std::time::Duration;

use crate::support::app::{
    STEP_S, close_menu, open_menu_for, paced, press_button, start_from_menu,
};
use egui::{Key, Modifiers};
use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT as _, Queryable as _};
use tictactoe::app::{App, AppOptions, COMPUTER_DELAY, ComputerMatch};
use tictactoe::game::{Cell, Game, Level, Outcome, Player, evaluate};

/// Frames stepped at most while waiting for the computer (2 s of egui's clock, frames of
/// [`STEP_S`]: short next to the computer's delay).
const MAX_WAIT_STEPS: usize = 40;

/// A window on an app with `options`, timed frame by frame.
fn open_with(dir: &Path, options: AppOptions) -> Harness<'static, App> {
    paced(dir, options)
}

/// Now, on egui's clock, in seconds.
fn now_s(harness: &Harness<'_, App>) -> f64 {
    harness.ctx.input(|i| i.time)
}

/// An app whose computer replies at once, with a fixed seed.
fn open_instant(dir: &Path, seed: u64) -> Harness<'static, App> {
    open_with(
        dir,
        AppOptions {
            computer_delay: Duration::ZERO,
            computer_seed: Some(seed),
            ..AppOptions::default()
        },
    )
}

fn vs<'h>(harness: &'h Harness<'_, App>) -> &'h ComputerMatch {
    harness
        .state()
        .vs_computer()
        .unwrap_or_else(|| panic!("not playing the computer: {:?}", harness.state().screen()))
}

fn game(harness: &Harness<'_, App>) -> Game {
    vs(harness).series().game().clone()
}

/// From the menu, through the setup form, to the first game.
fn start(harness: &mut Harness<'_, App>, name: &str, level: &str, mark: &str) {
    press_button(harness, "Play against the computer…");
    press_button(harness, "Your name");
    harness.key_press_modifiers(Modifiers::COMMAND, Key::A);
    harness.key_press(Key::Backspace);
    harness.run();
    harness.get_by_label("Your name").type_text(name);
    harness.get_by_label(level).click();
    press_button(harness, mark);
    press_button(harness, "Start");
    assert!(harness.state().vs_computer().is_some());
}

/// Steps frames until the computer has moved (it is not thinking any more); returns how many.
fn wait_for_computer(harness: &mut Harness<'_, App>) -> usize {
    for steps in 0..MAX_WAIT_STEPS {
        if !vs(harness).is_thinking() {
            harness.run();
            return steps;
        }
        harness.step();
    }
    panic!("the computer did not move within {MAX_WAIT_STEPS} frames");
}

fn label(cell: Cell) -> String {
    format!("Row {}, column {}, empty", cell.row() + 1, cell.col() + 1)
}

/// Clicks `cell`, which must be empty and the player's to take.
fn click(harness: &mut Harness<'_, App>, cell: Cell) {
    press_button(harness, &label(cell));
}

/// The square numbered 1–9 in reading order.
fn cell(number: u8) -> Cell {
    Cell::ALL[usize::from(number) - 1]
}

/// The player's choice in `game`: the best move by perfect play when `best`, else the first
/// empty square in reading order.
fn pick(game: &Game, best: bool) -> Cell {
    let evals = evaluate(game);
    let mover = game.side_to_move();
    let rank = |cell: &Cell| match evals[cell.index()] {
        Some(eval) if eval.winner == Some(mover) => 0,
        Some(eval) if eval.winner.is_none() => 1,
        _ => 2,
    };
    let mut moves: Vec<Cell> = game.legal_moves().collect();
    if best {
        moves.sort_by_key(rank);
    }
    moves[0]
}

/// Plays the current game to its end by clicks; returns the outcome.
fn play_out(harness: &mut Harness<'_, App>, best: bool) -> Outcome {
    loop {
        wait_for_computer(harness);
        let game = game(harness);
        if game.is_over() {
            let outcome = game.outcome();
            match outcome {
                Outcome::Won { winner, .. } => {
                    // Worded from the player's side.
                    let vs = vs(harness);
                    let text = if winner == vs.player_mark() {
                        "You win!".to_owned()
                    } else {
                        format!("You lost — {} wins", vs.series().name(winner))
                    };
                    harness.get_by_label(&text);
                }
                Outcome::Draw => {
                    harness.get_by_label("It's a draw");
                }
                Outcome::InProgress { .. } => unreachable!(),
            }
            return outcome;
        }
        assert_eq!(game.to_move(), Some(vs(harness).player_mark()));
        click(harness, pick(&game, best));
    }
}

#[test]
fn whole_games_at_every_level_reach_a_result_and_perfect_never_loses() {
    for (level, name) in [
        (Level::Easy, "Easy"),
        (Level::Medium, "Medium"),
        (Level::Hard, "Hard"),
        (Level::Perfect, "Perfect"),
    ] {
        for (seed, mark, best) in [(1, "X", true), (2, "O", true), (3, "X", false)] {
            let dir = tempfile::tempdir().unwrap();
            let mut harness = open_instant(dir.path(), seed);
            start(&mut harness, "Ann", name, mark);
            assert_eq!(vs(&harness).level(), level);
            harness.get_by_label_contains(&format!("Computer ({level})"));

            let outcome = play_out(&mut harness, best);
            let player = vs(&harness).player_mark();
            let score = vs(&harness).series().score();
            assert_eq!(score.games(), 1, "{level} {seed}: {outcome:?}");
            if level == Level::Perfect {
                assert!(
                    !matches!(outcome, Outcome::Won { winner, .. } if winner == player),
                    "the perfect player lost: {:?}",
                    game(&harness).moves()
                );
            }
        }
    }
}

#[test]
fn the_reply_shows_after_a_delay_while_the_board_waits_then_the_window_is_idle() {
    let dir = tempfile::tempdir().unwrap();
    let mut harness = open_with(
        dir.path(),
        AppOptions {
            computer_seed: Some(7),
            ..AppOptions::default()
        },
    );
    assert_eq!(COMPUTER_DELAY, Duration::from_millis(400));
    start(&mut harness, "Ann", "Perfect", "X");
    click(&mut harness, cell(5));
    let chosen_s = now_s(&harness);

    // Chosen, not shown: the board says so and takes no input.
    assert!(vs(&harness).is_thinking());
    harness.get_by_label("Computer is thinking…");
    let delay = harness.output().viewport_output[&egui::ViewportId::ROOT].repaint_delay;
    assert!(
        delay > Duration::ZERO && delay <= COMPUTER_DELAY,
        "a repaint is scheduled for the reply, not a busy loop: {delay:?}"
    );
    harness.get_by_label(&label(cell(1))).click();
    harness.key_press(Key::Num3);
    harness.step();
    assert_eq!(game(&harness).moves(), [cell(5)]);

    let steps = wait_for_computer(&mut harness);
    assert!(steps > 0);
    let waited_s = now_s(&harness) - chosen_s;
    assert!(
        (0.4 - 1e-6..0.4 + f64::from(STEP_S)).contains(&waited_s),
        "the reply came {waited_s} s after it was chosen"
    );
    assert_eq!(game(&harness).moves().len(), 2);
    harness.get_by_label("Your turn (X)");
    assert!(harness.query_by_label("Computer is thinking…").is_none());

    harness.run();
    harness.step();
    let delay = harness.output().viewport_output[&egui::ViewportId::ROOT].repaint_delay;
    assert_eq!(delay, Duration::MAX, "the idle window asks to repaint");
}

#[test]
fn the_computer_opens_when_the_player_takes_o_and_play_again_alternates() {
    let dir = tempfile::tempdir().unwrap();
    let mut harness = open_instant(dir.path(), 11);
    start(&mut harness, "Bo", "Hard", "O");
    wait_for_computer(&mut harness);
    let first = game(&harness);
    assert_eq!(first.first(), Player::X);
    assert_eq!(first.moves().len(), 1, "the computer (X) opened");
    harness.get_by_label("Your turn (O)");
    harness.get_by_label("X: Computer (hard)");

    play_out(&mut harness, true);
    press_button(&mut harness, "Play again");
    let second = game(&harness);
    assert_eq!(second.first(), Player::O);
    assert!(second.moves().is_empty(), "the player opens game 2");
    harness.get_by_label("Your turn (O)");

    play_out(&mut harness, true);
    press_button(&mut harness, "Play again");
    wait_for_computer(&mut harness);
    let third = game(&harness);
    assert_eq!(third.first(), Player::X);
    assert_eq!(third.moves().len(), 1, "the computer opens game 3");
    assert_eq!(vs(&harness).series().game_number(), 3);
}

/// Whether the ☰ menu's Undo can be pressed; the menu is opened to look and closed again.
fn undo_enabled(harness: &mut Harness<'_, App>) -> bool {
    open_menu_for(harness, "Undo");
    let enabled = !harness.get_by_label("Undo").accesskit_node().is_disabled();
    close_menu(harness);
    enabled
}

#[test]
fn undo_takes_back_the_reply_and_the_move_but_never_a_finished_game() {
    let dir = tempfile::tempdir().unwrap();
    let mut harness = open_instant(dir.path(), 3);
    start(&mut harness, "Ann", "Perfect", "X");
    assert!(
        !undo_enabled(&mut harness),
        "nothing to undo on an empty board"
    );

    click(&mut harness, cell(1));
    wait_for_computer(&mut harness);
    assert_eq!(game(&harness).moves().len(), 2);
    assert!(undo_enabled(&mut harness));
    press_button(&mut harness, "Undo");
    assert!(game(&harness).moves().is_empty());
    assert!(!undo_enabled(&mut harness));
    harness.get_by_label("Your turn (X)");

    // Lose on purpose (first empty squares): the loss stands, Ctrl+Z takes nothing back.
    let outcome = play_out(&mut harness, false);
    assert!(matches!(
        outcome,
        Outcome::Won {
            winner: Player::O,
            ..
        }
    ));
    assert_eq!(vs(&harness).series().score().o_wins, 1);
    let before = game(&harness);
    assert!(
        !undo_enabled(&mut harness),
        "a finished game cannot be taken back"
    );
    harness.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    harness.run();
    assert_eq!(game(&harness), before);
    assert_eq!(vs(&harness).series().score().o_wins, 1);
    harness.get_by_label("You lost — Computer (perfect) wins");
    harness.get_by_label("Play again");
}

#[test]
fn after_the_players_winning_move_undo_is_off_and_the_win_stands() {
    // Against the easy computer with this seed, best play wins.
    let dir = tempfile::tempdir().unwrap();
    let mut harness = open_instant(dir.path(), 5);
    start(&mut harness, "Ann", "Easy", "X");
    let outcome = play_out(&mut harness, true);
    assert!(
        matches!(
            outcome,
            Outcome::Won {
                winner: Player::X,
                ..
            }
        ),
        "{outcome:?}"
    );
    assert_eq!(vs(&harness).series().score().x_wins, 1);
    let before = game(&harness);

    assert!(!undo_enabled(&mut harness));
    harness.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    harness.run();
    assert_eq!(game(&harness), before);
    assert_eq!(vs(&harness).series().score().x_wins, 1);
    harness.get_by_label("Play again");
}

#[test]
fn undo_while_the_computer_thinks_cancels_its_reply() {
    let dir = tempfile::tempdir().unwrap();
    let mut harness = open_with(
        dir.path(),
        AppOptions {
            computer_seed: Some(2),
            ..AppOptions::default()
        },
    );
    start(&mut harness, "Ann", "Medium", "X");
    click(&mut harness, cell(5));
    assert!(vs(&harness).is_thinking());
    press_button(&mut harness, "Undo");
    for _ in 0..8 {
        harness.step();
    }
    assert!(game(&harness).moves().is_empty());
    harness.get_by_label("Your turn (X)");
}

#[test]
fn hot_seat_undo_takes_back_one_move_until_the_game_is_won() {
    let dir = tempfile::tempdir().unwrap();
    let mut harness = open_instant(dir.path(), 0);
    start_from_menu(&mut harness, "Two players on this computer…");
    let moves =
        |harness: &Harness<'_, App>| harness.state().hot_seat().unwrap().game().moves().len();
    assert!(!undo_enabled(&mut harness));

    for number in [1, 4, 2, 5] {
        click(&mut harness, cell(number));
    }
    harness.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    harness.run();
    assert_eq!(moves(&harness), 3);
    harness.get_by_label("Player O's turn (O)");
    for _ in 0..3 {
        press_button(&mut harness, "Undo");
    }
    assert_eq!(moves(&harness), 0);
    assert!(!undo_enabled(&mut harness));
    for number in [1, 4, 2, 5, 3] {
        click(&mut harness, cell(number));
    }
    harness.get_by_label("Player X wins!");
    assert_eq!(harness.state().hot_seat().unwrap().score().x_wins, 1);

    // The win stands: no undo once the game is over.
    assert!(!undo_enabled(&mut harness));
    harness.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    harness.run();
    assert_eq!(moves(&harness), 5);
    assert_eq!(harness.state().hot_seat().unwrap().score().x_wins, 1);
    harness.get_by_label("Player X wins!");
}
