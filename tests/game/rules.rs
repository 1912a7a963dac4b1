//! The rules engine, checked over every reachable position against figures published for
//! Tic-Tac-Toe (e.g. Schaefer, "Tic-Tac-Toe" in *Mathematical Recreations*; OEIS and Wikipedia
//! "Game complexity"): 5,478 legal positions, 958 of them final (626 won by X, 316 by O, 16
//! drawn), and 255,168 complete games (131,184 won by X, 77,904 by O, 46,080 drawn).

#![expect(
    clippy::unwrap_used,
    reason = "test helpers: an unwrap that fails is a test that fails"
)]

use crate::support::cells;
use std::collections::{HashMap, HashSet};

use tictactoe::game::{
    Board, Cell, Digest, Game, Intent, LINES, Match, MoveError, Outcome, Player, Refusal,
};

/// Every position reachable from the empty board with X to move, keyed by board.
fn reachable() -> HashMap<Board, Game> {
    let mut seen = HashMap::new();
    let mut stack = vec![Game::new(Player::X)];
    while let Some(game) = stack.pop() {
        if seen.contains_key(game.board()) {
            continue;
        }
        for cell in game.legal_moves().collect::<Vec<_>>() {
            let mut child = game.clone();
            child.play(cell).unwrap();
            stack.push(child);
        }
        seen.insert(*game.board(), game);
    }
    seen
}

#[derive(Default, Debug, PartialEq, Eq)]
struct GameCounts {
    x: u64,
    o: u64,
    draw: u64,
}

fn count_games(game: &mut Game, counts: &mut GameCounts) {
    match game.outcome() {
        Outcome::Won {
            winner: Player::X, ..
        } => counts.x += 1,
        Outcome::Won {
            winner: Player::O, ..
        } => counts.o += 1,
        Outcome::Draw => counts.draw += 1,
        Outcome::InProgress { .. } => {
            for cell in Cell::ALL {
                if game.play(cell).is_ok() {
                    count_games(game, counts);
                    assert_eq!(game.undo(), Some(cell));
                }
            }
        }
    }
}

#[test]
fn reachable_positions_match_the_published_counts() {
    let all = reachable();
    assert_eq!(all.len(), 5478, "legal positions");
    let finals: Vec<_> = all.values().filter(|g| g.is_over()).collect();
    assert_eq!(finals.len(), 958, "final positions");
    let won_by = |p| {
        finals
            .iter()
            .filter(|g| g.outcome().winner() == Some(p))
            .count()
    };
    assert_eq!(won_by(Player::X), 626);
    assert_eq!(won_by(Player::O), 316);
    assert_eq!(
        finals
            .iter()
            .filter(|g| g.outcome() == Outcome::Draw)
            .count(),
        16
    );
}

#[test]
fn complete_games_match_the_published_counts() {
    let mut counts = GameCounts::default();
    count_games(&mut Game::new(Player::X), &mut counts);
    assert_eq!(
        counts,
        GameCounts {
            x: 131_184,
            o: 77_904,
            draw: 46_080
        }
    );
    assert_eq!(counts.x + counts.o + counts.draw, 255_168);
}

#[test]
#[expect(
    clippy::iter_over_hash_type,
    reason = "every position is checked on its own; order does not matter"
)]
fn legality_invariants_hold_in_every_reachable_position() {
    for game in reachable().values() {
        let legal: Vec<Cell> = game.legal_moves().collect();
        for cell in Cell::ALL {
            // One source of truth: is_legal agrees with legal_moves.
            assert_eq!(game.is_legal(cell), legal.contains(&cell));
            let mut after = game.clone();
            match after.play(cell) {
                Ok(_) => {
                    assert!(game.board().get(cell).is_none());
                    assert_eq!(after.board().get(cell), Some(game.side_to_move()));
                    assert_eq!(after.moves().len(), game.moves().len() + 1);
                    // Undo restores the position exactly.
                    after.undo();
                    assert_eq!(&after, game);
                }
                Err(err) => {
                    // A refused move changes nothing, and says why.
                    assert_eq!(&after, game);
                    match err {
                        MoveError::GameOver => assert!(game.is_over()),
                        MoveError::Occupied { by, .. } => {
                            assert_eq!(game.board().get(cell), Some(by));
                        }
                        MoveError::NotYourTurn { .. } => panic!("play never checks the mover"),
                        // The bigger games' refusals: never on the classic board's nine cells.
                        MoveError::OffBoard { .. }
                        | MoveError::Taken { .. }
                        | MoveError::WrongBoard { .. }
                        | MoveError::BoardClosed { .. } => panic!("a classic refusal: {err}"),
                    }
                }
            }
        }
        // Marks alternate: X has as many marks as O, or one more.
        let xs = Cell::ALL
            .iter()
            .filter(|&&c| game.board().get(c) == Some(Player::X))
            .count();
        let os = game.board().marks() - xs;
        assert!(xs == os || xs == os + 1);
        // The outcome agrees with the lines on the board.
        match game.outcome() {
            Outcome::Won { winner, line } => {
                assert!(
                    line.cells()
                        .iter()
                        .all(|&c| game.board().get(c) == Some(winner))
                );
                assert!(LINES.contains(&line));
            }
            Outcome::Draw => {
                assert_eq!(game.board().marks(), 9);
                assert!(game.board().winning_line().is_none());
            }
            Outcome::InProgress { to_move } => {
                assert!(game.board().marks() < 9);
                assert!(game.board().winning_line().is_none());
                assert_eq!(to_move, if xs == os { Player::X } else { Player::O });
            }
        }
        // Replaying the log gives the same game.
        assert_eq!(&Game::from_moves(Player::X, game.moves()).unwrap(), game);
    }
}

#[test]
fn digests_tell_every_reachable_position_apart_and_are_stable() {
    let all = reachable();
    let digests: HashSet<Digest> = all.values().map(Game::digest).collect();
    assert_eq!(digests.len(), all.len());
    // The same position reached by different move orders has the same digest.
    let a = Game::from_moves(Player::X, &cells(&[1, 5, 9])).unwrap();
    let b = Game::from_moves(Player::X, &cells(&[9, 5, 1])).unwrap();
    assert_eq!(a.digest(), b.digest());
    // Fixed value: the digest is part of the wire protocol and must not change between builds.
    assert_eq!(
        Game::new(Player::X).digest().to_string(),
        format!("{:016x}", fnv1a(b".........|X|0"))
    );
    let parsed: Digest =
        serde_json::from_str(&serde_json::to_string(&a.digest()).unwrap()).unwrap();
    assert_eq!(parsed, a.digest());
}

fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325_u64, |h, &b| {
        (h ^ u64::from(b)).wrapping_mul(0x100_0000_01b3)
    })
}

#[test]
fn cells_are_numbered_one_to_nine_left_to_right_top_to_bottom() {
    for n in 1..=9 {
        let cell = Cell::from_number(n).unwrap();
        assert_eq!(i64::from(cell.number()), n);
        assert_eq!(i64::from(cell.row() * 3 + cell.col() + 1), n);
        assert_eq!(format!("{n}").parse::<Cell>().unwrap(), cell);
    }
    assert!(Cell::from_number(0).is_err());
    assert!(Cell::from_number(10).is_err());
    assert!("x".parse::<Cell>().is_err());
    assert_eq!(Cell::at(0, 2).unwrap().number(), 3);
    assert_eq!(Cell::at(2, 0).unwrap().number(), 7);
    assert!(serde_json::from_str::<Cell>("0").is_err());
    assert!(serde_json::from_str::<Cell>("10").is_err());
    assert_eq!(
        serde_json::to_string(&Cell::from_number(7).unwrap()).unwrap(),
        "7"
    );
}

#[test]
fn play_as_refuses_the_wrong_player_and_leaves_the_game_untouched() {
    let mut game = Game::new(Player::X);
    let before = game.clone();
    let five = Cell::from_number(5).unwrap();
    assert_eq!(
        game.play_as(Player::O, five),
        Err(MoveError::NotYourTurn {
            player: Player::O,
            to_move: Player::X
        })
    );
    assert_eq!(game, before);
    game.play_as(Player::X, five).unwrap();
    assert_eq!(
        game.play_as(Player::O, five),
        Err(MoveError::Occupied {
            cell: five,
            by: Player::X
        })
    );
}

#[test]
fn a_match_alternates_the_first_player_and_keeps_score() {
    let mut m = Match::new("Ann", "Bob");
    let play = |m: &mut Match, n: i64| {
        let seat = m.to_move().unwrap();
        m.act(seat, Intent::Play(Cell::from_number(n).unwrap()))
            .unwrap()
    };
    let next_game = |m: &mut Match| {
        Player::ALL
            .into_iter()
            .all(|seat| m.act(seat, Intent::Rematch).is_ok())
    };
    assert_eq!(m.name(Player::X), "Ann");
    assert_eq!(m.game().first(), Player::X);
    assert!(!next_game(&mut m), "no next game while one is in progress");
    // X wins along the top row.
    for n in [1, 4, 2, 5, 3] {
        play(&mut m, n);
    }
    assert_eq!(m.score().x_wins, 1);
    // A finished game stands: the winning move cannot be taken back, the point stays.
    assert_eq!(m.act(Player::X, Intent::Undo), Err(Refusal::GameOver));
    assert_eq!(m.score().x_wins, 1);
    assert!(next_game(&mut m));
    assert_eq!(m.game_number(), 2);
    assert_eq!(m.game().first(), Player::O);
    assert_eq!(m.game().to_move(), Some(Player::O));
    // O wins the second game down the left column.
    for n in [1, 2, 4, 5, 7] {
        play(&mut m, n);
    }
    assert_eq!(m.game().outcome().winner(), Some(Player::O));
    assert!(next_game(&mut m));
    assert_eq!(m.game().first(), Player::X);
    let score = m.score();
    assert_eq!((score.x_wins, score.o_wins, score.draws), (1, 1, 0));
    // Undo in the game being played takes back the last move.
    play(&mut m, 5);
    assert_eq!(m.act(Player::X, Intent::Undo), Ok(None));
    assert!(m.game().moves().is_empty());
}
