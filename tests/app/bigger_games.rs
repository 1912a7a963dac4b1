//! Ultimate Tic-Tac-Toe and Gomoku in the window, played through its accessibility tree as a
//! player (or a screen reader) would: the game chosen on the forms and remembered, whole games
//! by clicking cells by their names, the keyboard (two digits in Ultimate, arrows and Enter in
//! Gomoku), against the computer, the suggested move, and an unfinished match resumed.

use std::path::Path;
use std::time::Duration;

use crate::support::app::{
    cell_label, click_named, digit, local_game, named, open, open_resumable, press, press_button,
    start_game, step_until_one,
};
use crate::support::in_temp_dir;

use egui::Key;
use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT as _, Queryable as _};
use tictactoe::app::{App, Screen};
use tictactoe::game::{Cell, Game, Level, Outcome, Player, Variant};

/// A window whose computer replies at once with a fixed seed, keeping the unfinished match in
/// `dir`.
fn open_quick(dir: &Path) -> Harness<'static, App> {
    open_resumable(dir, 11)
}

/// The first legal move of `game` in index order.
fn first_legal(game: &Game) -> Cell {
    game.legal_moves()
        .next()
        .unwrap_or_else(|| panic!("no legal move in {game:?}"))
}

/// The words the header says for a game that has ended between two people at this computer.
fn result_text(game: &Game, names: [&str; 2]) -> String {
    match game.outcome() {
        Outcome::Won { winner, .. } => {
            format!("{} wins!", names[usize::from(winner == Player::O)])
        }
        Outcome::Draw => "It's a draw".to_owned(),
        Outcome::InProgress { .. } => panic!("the game is not over"),
    }
}

#[test]
fn an_ultimate_game_is_played_to_its_end_by_clicking_cells_by_name() {
    let (_dir, mut harness) = in_temp_dir(open);
    start_game(&mut harness, "Two players on this computer…", "Ultimate");
    let game = local_game(harness.state());
    assert_eq!(game.variant(), Variant::Ultimate);
    harness.get_by_label("Ultimate Tic-Tac-Toe");
    assert_eq!(harness.query_all_by_label_contains(", empty").count(), 81);

    // Each player takes the first cell the rules allow, until the game ends.
    let mut moves = 0;
    while !local_game(harness.state()).is_over() {
        let game = local_game(harness.state());
        let mover = game.side_to_move();
        let cell = first_legal(&game);
        // The cells of the small boards the mover may not play in are offered to nobody.
        if let Some(board) = game.sent_to() {
            assert!(game.legal_moves().all(|c| c.small_board() == board));
        }
        click_named(&mut harness, cell, mover);
        moves += 1;
        assert!(moves <= 81, "the game did not end");
    }
    let game = local_game(harness.state());
    assert_eq!(game.moves().len(), moves);
    harness.get_by_label(&result_text(&game, ["Player X", "Player O"]));
    harness.get_by_label("Play again");
    let series = harness.state().hot_seat().unwrap();
    assert_eq!(series.score().games(), 1);
}

#[test]
fn a_gomoku_game_is_won_with_five_in_a_row_by_clicking_points_by_name() {
    let (_dir, mut harness) = in_temp_dir(open);
    start_game(&mut harness, "Two players on this computer…", "Gomoku");
    assert_eq!(local_game(harness.state()).variant(), Variant::Gomoku);
    harness.get_by_label("Gomoku");
    assert_eq!(harness.query_all_by_label_contains(", empty").count(), 225);

    let gomoku = Variant::Gomoku;
    for (x, o) in [("a1", "a2"), ("b1", "b2"), ("c1", "c2"), ("d1", "d2")] {
        click_named(&mut harness, named(gomoku, x), Player::X);
        click_named(&mut harness, named(gomoku, o), Player::O);
    }
    assert!(!local_game(harness.state()).is_over());
    click_named(&mut harness, named(gomoku, "e1"), Player::X);
    let game = local_game(harness.state());
    let Outcome::Won { winner, line } = game.outcome() else {
        panic!("not won: {:?}", game.outcome());
    };
    assert_eq!(winner, Player::X);
    assert_eq!(line.cells().len(), 5);
    harness.get_by_label("Player X wins!");
    // A finished board takes no more stones.
    press_button(
        &mut harness,
        &cell_label(gomoku, named(gomoku, "h8"), "empty"),
    );
    assert_eq!(local_game(harness.state()).moves().len(), 9);
}

#[test]
fn an_ultimate_game_against_the_computer_at_easy_reaches_a_result() {
    let (_dir, mut harness) = in_temp_dir(open_quick);
    harness.get_by_label("Play against the computer…").click();
    harness.run();
    press_button(&mut harness, "Ultimate");
    // The bigger games offer no perfect level.
    assert!(harness.query_by_label("Perfect").is_none());
    press_button(&mut harness, "Easy");
    press_button(&mut harness, "Start");
    let vs = harness.state().vs_computer().unwrap();
    assert_eq!(vs.level(), Level::Easy);
    assert_eq!(vs.series().variant(), Variant::Ultimate);
    let me = vs.player_mark();

    let mut moves = 0;
    loop {
        step_until_one(&mut harness, "the computer's move", |app| {
            app.vs_computer().is_some_and(|vs| !vs.is_thinking())
        });
        let game = local_game(harness.state());
        if game.is_over() {
            break;
        }
        assert_eq!(game.to_move(), Some(me));
        click_named(&mut harness, first_legal(&game), me);
        moves += 1;
        assert!(moves <= 41, "the game did not end");
    }
    let vs = harness.state().vs_computer().unwrap();
    let text = match vs.series().game().outcome() {
        Outcome::Won { winner, .. } if winner == me => "You win!".to_owned(),
        Outcome::Won { winner, .. } => format!("You lost — {} wins", vs.series().name(winner)),
        Outcome::Draw => "It's a draw".to_owned(),
        Outcome::InProgress { .. } => unreachable!(),
    };
    harness.get_by_label(&text);
    assert_eq!(
        vs.series().score().games(),
        1,
        "the game counts in the match"
    );
}

#[test]
fn ultimate_takes_a_board_then_a_cell_and_one_digit_when_the_board_is_given() {
    let (_dir, mut harness) = in_temp_dir(open);
    start_game(&mut harness, "Two players on this computer…", "Ultimate");
    let ultimate = Variant::Ultimate;
    // The first move may go anywhere: board 5, then cell 3.
    press(&mut harness, digit(5));
    assert!(
        local_game(harness.state()).moves().is_empty(),
        "one digit picks only the board"
    );
    press(&mut harness, digit(3));
    harness.get_by_label(&cell_label(ultimate, named(ultimate, "5 3"), "X"));
    // O is sent to board 3: one digit is the cell there.
    harness.get_by_label("Play in board 3: click, or press 1–9");
    press(&mut harness, digit(7));
    harness.get_by_label(&cell_label(ultimate, named(ultimate, "3 7"), "O"));
    // X is sent to board 7, and sends O back to board 3, where a digit naming the cell O
    // already holds changes nothing.
    press(&mut harness, digit(3));
    harness.get_by_label(&cell_label(ultimate, named(ultimate, "7 3"), "X"));
    press(&mut harness, digit(7));
    assert_eq!(local_game(harness.state()).moves().len(), 3);
    press(&mut harness, digit(5));
    harness.get_by_label(&cell_label(ultimate, named(ultimate, "3 5"), "O"));
}

#[test]
fn gomoku_is_played_with_the_arrows_and_enter_from_the_centre() {
    let (_dir, mut harness) = in_temp_dir(open);
    start_game(&mut harness, "Two players on this computer…", "Gomoku");
    let gomoku = Variant::Gomoku;
    // Digits mean nothing on a Gomoku board.
    press(&mut harness, digit(5));
    assert!(local_game(harness.state()).moves().is_empty());
    // The first arrow brings the focus onto the board, at the centre.
    press(&mut harness, Key::ArrowLeft);
    press(&mut harness, Key::Enter);
    harness.get_by_label(&cell_label(gomoku, named(gomoku, "h8"), "X"));
    press(&mut harness, Key::ArrowUp);
    press(&mut harness, Key::ArrowRight);
    press(&mut harness, Key::Space);
    harness.get_by_label(&cell_label(gomoku, named(gomoku, "i9"), "O"));
    assert_eq!(local_game(harness.state()).moves().len(), 2);
}

#[test]
fn the_game_chosen_is_remembered_across_a_restart_and_levels_follow_it() {
    let (dir, mut harness) = in_temp_dir(open);
    start_game(&mut harness, "Two players on this computer…", "Gomoku");
    assert_eq!(local_game(harness.state()).variant(), Variant::Gomoku);
    press_button(&mut harness, "Back to menu");
    // Perfect is chosen for classic; the form then remembers Gomoku, which does not offer it.
    harness.get_by_label("Play against the computer…").click();
    harness.run();
    assert!(harness.query_by_label("Perfect").is_none());
    press_button(&mut harness, "Classic");
    press_button(&mut harness, "Perfect");
    press_button(&mut harness, "Start");
    assert_eq!(
        harness.state().vs_computer().unwrap().level(),
        Level::Perfect
    );
    press_button(&mut harness, "Back to menu");
    start_game(&mut harness, "Play against the computer…", "Ultimate");
    // A game without a perfect level plays hard; classic's choice stays remembered.
    assert_eq!(harness.state().vs_computer().unwrap().level(), Level::Hard);
    assert_eq!(harness.state().settings().computer_level, Level::Perfect);
    drop(harness);

    let mut harness = open(dir.path());
    assert_eq!(harness.state().settings().game, Variant::Ultimate);
    harness
        .get_by_label("Two players on this computer…")
        .click();
    harness.run();
    press_button(&mut harness, "Start");
    assert_eq!(local_game(harness.state()).variant(), Variant::Ultimate);
    press_button(&mut harness, "Back to menu");
    harness.get_by_label("Play against the computer…").click();
    harness.run();
    assert!(harness.query_by_label("Perfect").is_none());
    press_button(&mut harness, "Classic");
    harness.get_by_label("Perfect");
    press_button(&mut harness, "Start");
    let vs = harness.state().vs_computer().unwrap();
    assert_eq!(
        (vs.series().variant(), vs.level()),
        (Variant::Classic, Level::Perfect)
    );
}

#[test]
fn an_unfinished_ultimate_match_is_continued_after_a_restart() {
    let (dir, mut harness) = in_temp_dir(open_quick);
    start_game(&mut harness, "Two players on this computer…", "Ultimate");
    for number in [5, 3, 7] {
        press(&mut harness, digit(number));
    }
    assert_eq!(local_game(harness.state()).moves().len(), 2);
    harness.state_mut().save_on_exit();
    drop(harness);

    let mut harness = open_quick(dir.path());
    assert!(harness.state().offers_unfinished());
    harness.get_by_label("Ultimate Tic-Tac-Toe: Player X 0 – 0 Player O, game 1");
    press_button(&mut harness, "Continue the Ultimate game");
    assert!(matches!(harness.state().screen(), Screen::HotSeat(_)));
    let ultimate = Variant::Ultimate;
    harness.get_by_label(&cell_label(ultimate, named(ultimate, "5 3"), "X"));
    harness.get_by_label(&cell_label(ultimate, named(ultimate, "3 7"), "O"));
    harness.get_by_label("2. O board 3, cell 7");
    // It goes on from there: X is sent to board 7.
    press(&mut harness, digit(1));
    harness.get_by_label(&cell_label(ultimate, named(ultimate, "7 1"), "X"));
}

#[test]
fn hints_in_a_bigger_game_light_the_move_the_computer_suggests() {
    let (_dir, mut harness) = in_temp_dir(open);
    start_game(&mut harness, "Two players on this computer…", "Gomoku");
    click_named(&mut harness, named(Variant::Gomoku, "h8"), Player::X);
    press_button(&mut harness, "Show hints");
    crate::support::app::close_menu(&mut harness);
    // The search runs on a thread of its own, and wakes the window when it has chosen.
    let deadline = std::time::Instant::now() + crate::support::app::DEADLINE;
    while harness.query_by_label_contains(", suggested").is_none() {
        assert!(
            std::time::Instant::now() < deadline,
            "no move was suggested"
        );
        harness.step();
        std::thread::sleep(Duration::from_millis(5));
    }
    harness.run();
    let suggested: Vec<String> = harness
        .query_all_by_label_contains(", suggested")
        .map(|node| node.accesskit_node().label().unwrap_or_default())
        .collect();
    assert_eq!(suggested.len(), 1, "{suggested:?}");
    assert!(
        suggested[0].ends_with(", empty, suggested"),
        "{suggested:?}"
    );
    let name = suggested[0].split(", ").next().unwrap();
    let cell = named(Variant::Gomoku, name);
    assert!(local_game(harness.state()).is_legal(cell));
    // Played, it is suggested no more.
    press_button(&mut harness, &suggested[0]);
    harness.get_by_label(&cell_label(Variant::Gomoku, cell, "O"));
}
