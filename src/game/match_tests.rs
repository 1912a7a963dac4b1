//! Unit tests of the match: the examples `docs/PROTOCOL.md` gives, and the rules of a series.

use super::*;

fn cell(n: i64) -> Cell {
    Cell::from_number(n).unwrap()
}

/// X 1, O 4, X 2, O 5: X wins with 3 next.
fn opening(s: &mut Match) {
    for (p, c) in [
        (Player::X, 1),
        (Player::O, 4),
        (Player::X, 2),
        (Player::O, 5),
    ] {
        act(s, p, Intent::Play(cell(c))).unwrap();
    }
}

fn act(state: &mut Match, player: Player, intent: Intent) -> Result<(), Refusal> {
    state.act(player, intent).map(|_| ())
}

#[test]
fn digests_match_the_protocol_document() {
    let mut game = Game::new(Player::X);
    assert_eq!(game.digest().to_string(), "ca2b57e4e15671f9");
    game.play(cell(5)).unwrap();
    assert_eq!(game.digest().to_string(), "2ee4e6856bb78c69");
    let game = Game::from_moves(Player::X, &[5, 1, 9, 3, 2].map(cell)).unwrap();
    assert_eq!(game.digest().to_string(), "bff820149240668d");
}

#[test]
fn the_chain_matches_the_protocol_document() {
    let mut s = Match::networked("Ann", "Bob");
    assert_eq!(s.chain(), Some(Chain::START));
    act(&mut s, Player::X, Intent::Play(cell(5))).unwrap();
    assert_eq!(
        s.chain().unwrap().to_string(),
        "ae0db8ca4911486af08d7ba042177214e055e74f910c27753d1d49172688f542"
    );
    act(&mut s, Player::O, Intent::Play(cell(1))).unwrap();
    let head = s.chain().unwrap();
    assert_eq!(
        head.to_string(),
        "22cebe9980c2123efb5d0e3f1660623dbbdfc18959c0d5d85d5c9f985764fd6e"
    );
    assert_eq!(head.to_string().parse::<Chain>(), Ok(head));
    assert_eq!(
        Match::from_snapshot(&s.snapshot()).unwrap().chain(),
        Some(head)
    );
}

#[test]
fn a_match_with_rematch_and_resign() {
    let mut s = Match::networked("Ann", "Bob");
    assert_eq!(
        act(&mut s, Player::O, Intent::Play(cell(1))),
        Err(Refusal::Move(MoveError::NotYourTurn {
            player: Player::O,
            to_move: Player::X
        }))
    );
    opening(&mut s);
    assert_eq!(
        act(&mut s, Player::X, Intent::Play(cell(4))),
        Err(Refusal::Move(MoveError::Occupied {
            cell: cell(4),
            by: Player::O
        }))
    );
    assert_eq!(
        act(&mut s, Player::X, Intent::Rematch),
        Err(Refusal::GameInProgress)
    );
    assert_eq!(
        act(&mut s, Player::X, Intent::Undo),
        Err(Refusal::NoUndoOverNetwork)
    );
    let over = s.act(Player::X, Intent::Play(cell(3))).unwrap().unwrap();
    assert_eq!(over.ending, Ending::Won);
    assert_eq!(s.result(), Some(Verdict::Win(Player::X)));
    assert_eq!(
        act(&mut s, Player::O, Intent::Play(cell(9))),
        Err(Refusal::Move(MoveError::GameOver))
    );
    act(&mut s, Player::X, Intent::Rematch).unwrap();
    act(&mut s, Player::X, Intent::Rematch).unwrap();
    assert_eq!(s.game_number(), 1);
    act(&mut s, Player::O, Intent::Rematch).unwrap();
    assert_eq!(s.game_number(), 2);
    assert_eq!(s.game().first(), Player::O);
    act(&mut s, Player::X, Intent::Resign).unwrap();
    assert_eq!(s.result(), Some(Verdict::Win(Player::O)));
    assert_eq!(s.score().games(), 2);

    let copy = Match::from_snapshot(&s.snapshot()).unwrap();
    assert_eq!(copy, s);
    act(&mut s, Player::O, Intent::Leave).unwrap();
    assert_eq!(
        act(&mut s, Player::X, Intent::Rematch),
        Err(Refusal::MatchOver)
    );
}

#[test]
fn undo_takes_back_to_the_seats_last_move_and_never_past_the_end_of_a_game() {
    let mut s = Match::new("Ann", "Computer");
    assert_eq!(
        act(&mut s, Player::X, Intent::Undo),
        Err(Refusal::NothingToUndo)
    );
    for (p, c) in [(Player::X, 1), (Player::O, 5), (Player::X, 2)] {
        act(&mut s, p, Intent::Play(cell(c))).unwrap();
    }
    // O (the computer's seat, say) undoes: its move and X's reply go.
    assert_eq!(
        s.decide(Player::O, Intent::Undo, Facts::NONE),
        Ok(vec![
            Event::TookBack {
                player: Player::X,
                cell: cell(2)
            },
            Event::TookBack {
                player: Player::O,
                cell: cell(5)
            },
        ])
    );
    act(&mut s, Player::X, Intent::Undo).unwrap();
    assert_eq!(s.game().moves(), [cell(1), cell(5)]);
    for (p, c) in [(Player::X, 2), (Player::O, 6), (Player::X, 3)] {
        act(&mut s, p, Intent::Play(cell(c))).unwrap();
    }
    assert_eq!(s.score().x_wins, 1);
    assert_eq!(act(&mut s, Player::X, Intent::Undo), Err(Refusal::GameOver));
    assert_eq!(s.score().x_wins, 1);
    assert!(
        s.apply(Event::TookBack {
            player: Player::X,
            cell: cell(3)
        })
        .is_err()
    );
}

#[test]
fn an_agreed_series_starts_the_next_game_with_the_one_that_ends() {
    let mut s = Match::networked("Ann", "Bob");
    s.agree_series(true);
    opening(&mut s);
    let events = s
        .decide(Player::X, Intent::Play(cell(3)), Facts::NONE)
        .unwrap();
    assert_eq!(
        events,
        vec![
            Event::Moved {
                player: Player::X,
                cell: cell(3)
            },
            Event::Rematch { player: Player::X },
            Event::Rematch { player: Player::O },
            Event::NewGame { first: Player::O },
        ]
    );
    let mut ended = Vec::new();
    for event in events {
        ended.extend(s.apply(event).unwrap());
    }
    assert_eq!(ended.len(), 1);
    assert_eq!(ended[0].verdict(), Verdict::Win(Player::X));
    assert_eq!(ended[0].game.moves().len(), 5);
    assert_eq!((s.game_number(), s.score().x_wins), (2, 1));
}

#[test]
fn snapshots_that_do_not_fit_their_moves_are_refused() {
    let mut s = Match::networked("Ann", "Bob");
    for (p, c) in [
        (Player::X, 1),
        (Player::O, 4),
        (Player::X, 2),
        (Player::O, 5),
        (Player::X, 3),
    ] {
        act(&mut s, p, Intent::Play(cell(c))).unwrap();
    }
    let mut snapshot = s.snapshot();
    snapshot.state.ended = Some(Ending::Resigned { player: Player::X });
    assert!(
        Match::from_snapshot(&snapshot).is_err(),
        "resigned after a win"
    );
    let mut snapshot = s.snapshot();
    snapshot.state.over = Some(Ending::Won);
    assert!(Match::from_snapshot(&snapshot).is_err());
}
