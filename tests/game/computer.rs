//! The computer player, checked over every reachable position against a plain minimax written
//! here (independent of the table the player reads), and in seeded matches between the levels.

#![expect(
    clippy::unwrap_used,
    reason = "test helpers: an unwrap that fails is a test that fails"
)]

use crate::support::{cell, cells};
use std::cmp::Reverse;
use std::collections::HashMap;

use tictactoe::game::{Board, Cell, Computer, Eval, Game, LINES, Level, Outcome, Player, evaluate};

/// Every position reachable from an empty board, with either player moving first.
fn reachable() -> Vec<Game> {
    let mut seen: HashMap<(Board, Player), Game> = HashMap::new();
    let mut stack = vec![Game::new(Player::X), Game::new(Player::O)];
    while let Some(game) = stack.pop() {
        let key = (*game.board(), game.side_to_move());
        if seen.contains_key(&key) {
            continue;
        }
        for cell in game.legal_moves().collect::<Vec<_>>() {
            let mut child = game.clone();
            child.play(cell).unwrap();
            stack.push(child);
        }
        seen.insert(key, game);
    }
    seen.into_values().collect()
}

/// How much `player` likes a result: a win beats a draw beats a loss; a quick win beats a slow
/// one, a slow loss beats a quick one.
fn preference(result: Eval, player: Player) -> (u8, i16) {
    match result.winner {
        Some(winner) if winner == player => (2, -i16::from(result.plies)),
        Some(_) => (0, i16::from(result.plies)),
        None => (1, 0),
    }
}

/// Plain minimax over `Game::play`/`undo`: the result of `game` under perfect play, with `plies`
/// the moves left to the end. Remembers results by position, nothing more.
struct Minimax {
    known: HashMap<(Board, Player), Eval>,
}

impl Minimax {
    fn new() -> Self {
        Self {
            known: HashMap::new(),
        }
    }

    fn result(&mut self, game: &mut Game) -> Eval {
        let key = (*game.board(), game.side_to_move());
        if let Some(&result) = self.known.get(&key) {
            return result;
        }
        let result = match game.outcome() {
            Outcome::InProgress { to_move } => {
                let mut best: Option<Eval> = None;
                for cell in Cell::ALL {
                    if game.play(cell).is_err() {
                        continue;
                    }
                    let child = self.result(game);
                    game.undo();
                    let here = Eval {
                        winner: child.winner,
                        plies: child.plies + 1,
                    };
                    if best.is_none_or(|b| preference(here, to_move) > preference(b, to_move)) {
                        best = Some(here);
                    }
                }
                best.unwrap()
            }
            over => ended(over),
        };
        self.known.insert(key, result);
        result
    }

    /// The perfect-play result of playing `cell` in `game`, counted from after the move.
    fn after(&mut self, game: &Game, cell: Cell) -> Eval {
        let mut child = game.clone();
        child.play(cell).unwrap();
        self.result(&mut child)
    }
}

#[test]
fn evaluations_agree_with_plain_minimax_on_every_reachable_position() {
    let mut minimax = Minimax::new();
    let positions = reachable();
    assert_eq!(
        positions.len(),
        2 * 5478,
        "every legal position, once with X and once with O first"
    );
    for game in &positions {
        let evals = evaluate(game);
        for cell in Cell::ALL {
            let expected = game.is_legal(cell).then(|| minimax.after(game, cell));
            assert_eq!(
                evals[cell.index()],
                expected,
                "cell {cell} of {} with {} to move",
                game.board().to_text(),
                game.side_to_move()
            );
        }
    }
}

#[test]
fn the_empty_board_is_a_draw_whatever_the_first_move() {
    for first in Player::ALL {
        for eval in evaluate(&Game::new(first)) {
            assert_eq!(
                eval,
                Some(Eval {
                    winner: None,
                    plies: 8
                })
            );
        }
    }
}

/// Plays `computer` for `side` against every possible reply from `game` on, and returns the worst
/// result `side` gets, by [`preference`].
fn worst_result(game: &mut Game, side: Player, computer: &mut Computer) -> Eval {
    match game.outcome() {
        Outcome::InProgress { to_move } if to_move == side => {
            let cell = computer.choose(game).unwrap();
            game.play(cell).unwrap();
            let result = worst_result(game, side, computer);
            game.undo();
            Eval {
                plies: result.plies + 1,
                ..result
            }
        }
        Outcome::InProgress { .. } => {
            let mut worst: Option<Eval> = None;
            for cell in Cell::ALL {
                if game.play(cell).is_ok() {
                    let result = worst_result(game, side, computer);
                    game.undo();
                    let here = Eval {
                        plies: result.plies + 1,
                        ..result
                    };
                    if worst.is_none_or(|w| preference(here, side) < preference(w, side)) {
                        worst = Some(here);
                    }
                }
            }
            worst.unwrap()
        }
        over => ended(over),
    }
}

/// The result of a game that is over: its winner (none in a draw), and no move left to play.
fn ended(over: Outcome) -> Eval {
    let winner = match over {
        Outcome::Won { winner, .. } => Some(winner),
        Outcome::Draw | Outcome::InProgress { .. } => None,
    };
    Eval { winner, plies: 0 }
}

#[test]
fn perfect_never_loses_and_never_lets_a_win_slip_against_every_reply() {
    let mut minimax = Minimax::new();
    let mut computer = Computer::new(Level::Perfect, 1);
    let mut games_checked = 0;
    for mut game in reachable() {
        if game.is_over() {
            continue;
        }
        let side = game.side_to_move();
        let deserved = minimax.result(&mut game.clone());
        let got = worst_result(&mut game, side, &mut computer);
        // Perfect play: the worst the opponent can do to it is exactly what the position is worth.
        assert_eq!(
            got,
            deserved,
            "{side} on {} (first {})",
            game.board().to_text(),
            game.first()
        );
        if deserved.winner != Some(side.other()) {
            assert_ne!(
                got.winner,
                Some(side.other()),
                "lost a position it could hold"
            );
        }
        games_checked += 1;
    }
    // Both sides, both starters: every position in play, from the empty board on.
    assert!(games_checked > 9000, "{games_checked}");
}

#[test]
fn perfect_takes_the_fastest_win_and_the_slowest_loss() {
    let mut minimax = Minimax::new();
    let mut seen_fast_over_slow = false;
    for seed in 0..3 {
        let mut computer = Computer::new(Level::Perfect, seed);
        for game in reachable() {
            let Some(cell) = computer.choose(&game) else {
                assert!(game.is_over());
                continue;
            };
            let mover = game.side_to_move();
            let options: Vec<Eval> = game
                .legal_moves()
                .map(|c| minimax.after(&game, c))
                .collect();
            let best = options
                .iter()
                .copied()
                .max_by_key(|&e| preference(e, mover))
                .unwrap();
            let chosen = minimax.after(&game, cell);
            assert_eq!(
                preference(chosen, mover),
                preference(best, mover),
                "chose {cell} on {} for {mover}",
                game.board().to_text()
            );
            // Positions with a slower win on offer as well show the preference is real.
            if chosen.winner == Some(mover)
                && options
                    .iter()
                    .any(|e| e.winner == Some(mover) && e.plies > chosen.plies)
            {
                seen_fast_over_slow = true;
            }
        }
    }
    assert!(seen_fast_over_slow);

    // X to move on X X . / O O . / . . . : cell 3 wins now, cell 6 would only block.
    let game = Game::from_moves(Player::X, &cells(&[1, 4, 2, 5])).unwrap();
    for seed in 0..20 {
        assert_eq!(
            Computer::new(Level::Perfect, seed).choose(&game),
            Some(cell(3))
        );
    }
}

/// What `cell` leaves an opponent who may go wrong: how many replies win on the spot (fewer is
/// better), then how many would leave the mover better off than perfect play promises, a drawn
/// game won or a lost one saved (more is better).
fn chances_left(minimax: &mut Minimax, game: &Game, cell: Cell) -> (Reverse<usize>, usize) {
    let mover = game.side_to_move();
    let class = |result: Eval| preference(result, mover).0;
    let promised = class(minimax.after(game, cell));
    let mut after = game.clone();
    after.play(cell).unwrap();
    let replies: Vec<Eval> = after
        .clone()
        .legal_moves()
        .map(|reply| minimax.after(&after, reply))
        .collect();
    let wins_on_the_spot = replies
        .iter()
        .filter(|r| r.plies == 0 && r.winner == Some(mover.other()))
        .count();
    let mistakes = replies.iter().filter(|&&r| class(r) > promised).count();
    (Reverse(wins_on_the_spot), mistakes)
}

/// How a move ranks for the mover: its perfect-play result, then the chances it leaves.
type Rank = ((u8, i16), (Reverse<usize>, usize));

/// The moves `perfect` may choose from: the best perfect-play result, then the best chances left.
fn truly_best(minimax: &mut Minimax, game: &Game) -> Vec<Cell> {
    let mover = game.side_to_move();
    let ranked: Vec<(Cell, Rank)> = game
        .legal_moves()
        .map(|cell| {
            let result = minimax.after(game, cell);
            let chances = chances_left(minimax, game, cell);
            (cell, (preference(result, mover), chances))
        })
        .collect();
    let top = ranked.iter().map(|&(_, rank)| rank).max().unwrap();
    ranked
        .into_iter()
        .filter(|&(_, rank)| rank == top)
        .map(|(cell, _)| cell)
        .collect()
}

#[test]
fn perfect_picks_at_random_among_truly_equal_moves_only() {
    const SEEDS: u64 = 30;
    let mut minimax = Minimax::new();
    let mut computers: Vec<Computer> = (0..SEEDS)
        .map(|seed| Computer::new(Level::Perfect, seed))
        .collect();
    let mut positions_with_a_choice = 0;
    for game in reachable() {
        if game.is_over() {
            continue;
        }
        let best = truly_best(&mut minimax, &game);
        let mut chosen: Vec<Cell> = computers
            .iter_mut()
            .map(|computer| computer.choose(&game).unwrap())
            .collect();
        chosen.sort();
        chosen.dedup();
        for cell in &chosen {
            assert!(
                best.contains(cell),
                "chose {cell} on {}, best are {best:?}",
                game.board().to_text()
            );
        }
        if best.len() > 1 {
            positions_with_a_choice += 1;
            assert!(
                chosen.len() > 1,
                "always {chosen:?} on {} of {best:?}",
                game.board().to_text()
            );
        }
    }
    assert!(positions_with_a_choice > 1000, "{positions_with_a_choice}");

    // From the empty board every move draws; the corners leave the most ways to go wrong (seven
    // of eight replies lose), and all four turn up.
    let empty = Game::new(Player::X);
    let corners: Vec<Cell> = [1, 3, 7, 9].into_iter().map(cell).collect();
    assert_eq!(truly_best(&mut minimax, &empty), corners);
    let mut seen: Vec<Cell> = (0..200)
        .map(|seed| Computer::new(Level::Perfect, seed).choose(&empty).unwrap())
        .collect();
    seen.sort();
    seen.dedup();
    assert_eq!(seen, corners);
}

#[test]
fn choose_returns_a_legal_move_exactly_while_the_game_is_on() {
    for level in Level::ALL {
        let mut computer = Computer::new(level, 7);
        assert_eq!(computer.level(), level);
        for game in reachable() {
            match computer.choose(&game) {
                Some(cell) => assert!(game.is_legal(cell), "{level} chose taken {cell}"),
                None => assert!(game.is_over(), "{level} gave up a game in progress"),
            }
        }
    }
}

#[test]
fn every_level_wins_on_the_spot_and_all_but_easy_block() {
    for level in Level::ALL {
        for seed in 0..3 {
            let mut computer = Computer::new(level, seed);
            for game in reachable() {
                let Some(cell) = computer.choose(&game) else {
                    continue;
                };
                let mover = game.side_to_move();
                let wins_now = |player: Player, c: Cell| completes_line(game.board(), player, c);
                let can_win = game.legal_moves().any(|c| wins_now(mover, c));
                if can_win {
                    assert!(wins_now(mover, cell), "{level} missed a win with {cell}");
                    continue;
                }
                let threats: Vec<Cell> = game
                    .legal_moves()
                    .filter(|&c| wins_now(mover.other(), c))
                    .collect();
                if level != Level::Easy && !threats.is_empty() {
                    assert!(
                        threats.contains(&cell),
                        "{level} did not block {threats:?} with {cell} on {} ({mover} to move)",
                        game.board().to_text()
                    );
                }
            }
        }
    }
}

#[test]
fn the_same_seed_plays_the_same_game() {
    for level in Level::ALL {
        let play = |seed| {
            let mut a = Computer::new(level, seed);
            let mut b = Computer::new(Level::Easy, seed + 1);
            let mut game = Game::new(Player::X);
            while !game.is_over() {
                let mover = if game.moves().len().is_multiple_of(2) {
                    &mut a
                } else {
                    &mut b
                };
                let cell = mover.choose(&game).unwrap();
                game.play(cell).unwrap();
            }
            game.moves().to_vec()
        };
        assert_eq!(play(42), play(42), "{level}");
    }
}

/// Plays `games` games of `level` against `easy`, alternating who starts, and returns the score
/// of `level`: wins plus half the draws. Also returns its losses.
fn score_against_easy(level: Level, games: u32, seed: u64) -> (f64, u32) {
    let mut strong = Computer::new(level, seed);
    let mut easy = Computer::new(Level::Easy, seed.wrapping_add(1));
    let (mut score, mut losses) = (0.0, 0);
    for i in 0..games {
        let strong_side = if i.is_multiple_of(2) {
            Player::X
        } else {
            Player::O
        };
        let mut game = Game::new(Player::X);
        while let Some(to_move) = game.to_move() {
            let computer = if to_move == strong_side {
                &mut strong
            } else {
                &mut easy
            };
            game.play(computer.choose(&game).unwrap()).unwrap();
        }
        match game.outcome().winner() {
            Some(winner) if winner == strong_side => score += 1.0,
            Some(_) => losses += 1,
            None => score += 0.5,
        }
    }
    (score, losses)
}

#[test]
fn stronger_levels_score_better_against_easy() {
    const GAMES: u32 = 2000;
    let results: Vec<(Level, f64, u32)> = Level::ALL
        .into_iter()
        .map(|level| {
            let (score, losses) = score_against_easy(level, GAMES, 2024);
            (level, score, losses)
        })
        .collect();
    for (level, score, losses) in &results {
        println!("{level:>8} against easy: {score:>6.1} of {GAMES}, {losses} lost");
    }
    for pair in results.windows(2) {
        let ((weaker, weak_score, _), (stronger, strong_score, _)) = (pair[0], pair[1]);
        assert!(
            strong_score > weak_score,
            "{stronger} ({strong_score}) should beat {weaker} ({weak_score}) against easy"
        );
    }
    let (_, _, perfect_losses) = results[3];
    assert_eq!(perfect_losses, 0);
}

#[test]
fn levels_read_and_print_as_lower_case_words() {
    for level in Level::ALL {
        let word = level.to_string();
        assert_eq!(word, word.to_lowercase());
        assert_eq!(word.parse::<Level>().unwrap(), level);
        assert_eq!(word.to_uppercase().parse::<Level>().unwrap(), level);
        assert_eq!(
            serde_json::to_string(&level).unwrap(),
            format!("\"{word}\"")
        );
        assert_eq!(
            serde_json::from_str::<Level>(&format!("\"{word}\"")).unwrap(),
            level
        );
    }
    assert_eq!(" Hard ".parse::<Level>().unwrap(), Level::Hard);
    let error = "impossible".parse::<Level>().unwrap_err().to_string();
    assert!(error.contains("impossible"), "{error}");
    for level in Level::ALL {
        assert!(error.contains(level.as_str()), "{error} lists {level}");
    }
    assert!(Level::ALL.windows(2).all(|w| w[0] < w[1]), "weakest first");
}

#[test]
fn evals_read_as_a_person_would_say_them() {
    let win = |winner, plies| Eval {
        winner: Some(winner),
        plies,
    };
    assert_eq!(win(Player::X, 3).to_string(), "X wins in 3");
    assert_eq!(win(Player::O, 0).to_string(), "O wins now");
    assert_eq!(
        Eval {
            winner: None,
            plies: 4
        }
        .to_string(),
        "draw"
    );
    // After X takes 3 on X X . / O O . / . . . the game is over: X wins now.
    let game = Game::from_moves(Player::X, &cells(&[1, 4, 2, 5])).unwrap();
    let evals = evaluate(&game);
    assert_eq!(evals[cell(3).index()], Some(win(Player::X, 0)));
    // Anything but 3 or 6 lets O complete the middle row on the next move.
    assert_eq!(evals[cell(9).index()], Some(win(Player::O, 1)));
    assert_eq!(evals[cell(1).index()], None, "taken");
    let mut over = game;
    over.play(cell(3)).unwrap();
    assert_eq!(evaluate(&over), [None; 9]);
}

/// Whether `player` placing a mark on `cell` of `board` completes a line.
fn completes_line(board: &Board, player: Player, cell: Cell) -> bool {
    LINES.iter().any(|line| {
        line.cells().contains(&cell)
            && line
                .cells()
                .iter()
                .all(|&c| c == cell || board.get(c) == Some(player))
    })
}
