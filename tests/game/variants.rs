//! The bigger games through the one match engine: seeded random games (and the computer's) played
//! through `Match`, replayed from their events, brought back from snapshots (also as JSON) and
//! mirrored by a `Replica`, with identical logs, digests and endings; snapshots that name another
//! game or hold moves its rules refuse are refused; classic snapshots read and write as before.

#![expect(
    clippy::unwrap_used,
    reason = "test helpers: an unwrap that fails is a test that fails"
)]

use rand::rngs::StdRng;
use rand::{Rng as _, SeedableRng as _};
use tictactoe::game::{
    Bot, Cell, Computer, Driver as _, Event, Game, GameOver, Intent, Level, Match, Player, Replica,
    Snapshot, Table, Update, Variant,
};

/// A match of `variant` played to the end of its first game by random legal moves, with now and
/// then an intent the rules refuse (which must change nothing), and the game that ended.
fn random_match(variant: Variant, table: Table, rng: &mut StdRng) -> (Match, GameOver) {
    let mut state = Match::new_variant(variant, table, "Ann", "Bob");
    loop {
        let seat = state.to_move().unwrap();
        if rng.random_bool(0.05) {
            let before = state.clone();
            let wrong = Cell::with_index(rng.random_range(0..variant.cells())).unwrap();
            if state.game().check(wrong).is_err() {
                assert!(state.act(seat, Intent::Play(wrong)).is_err());
                assert_eq!(state, before);
            }
            assert!(state.act(seat.other(), Intent::Play(wrong)).is_err());
            assert_eq!(state, before);
        }
        let legal: Vec<Cell> = state.game().legal_moves().collect();
        let cell = legal[rng.random_range(0..legal.len())];
        if let Some(over) = state.act(seat, Intent::Play(cell)).unwrap() {
            return (state, over);
        }
    }
}

/// Everything two matches must agree on.
fn assert_same(a: &Match, b: &Match) {
    assert_eq!(a.variant(), b.variant());
    assert_eq!(a.digest(), b.digest());
    assert_eq!(a.game(), b.game());
    assert_eq!(a.score(), b.score());
    assert_eq!(a.ending(), b.ending());
    assert_eq!(a.snapshot(), b.snapshot());
}

#[test]
fn random_games_replay_resume_and_mirror_identically() {
    let mut rng = StdRng::seed_from_u64(23);
    for variant in [Variant::Ultimate, Variant::Gomoku] {
        for _ in 0..12 {
            let (host, over) = random_match(variant, Table::Network, &mut rng);
            assert_eq!(over.game.variant(), variant);
            assert_eq!(over.verdict(), host.result().unwrap());
            let events = host.events();
            assert!(host.log().is_whole());

            // Replayed from its events.
            let replayed =
                Match::replay_variant(variant, Table::Network, ["Ann", "Bob"], &events).unwrap();
            assert_same(&host, &replayed);
            assert_eq!(replayed.log(), host.log());
            assert_eq!(replayed.chain(), host.chain());

            // The recorded game, replayed on its own.
            let game = Match::replay_game_of(
                variant,
                ["Ann", "Bob"],
                over.game_number,
                over.game.first(),
                &over.events(),
            )
            .unwrap();
            assert_eq!(game.game(), host.game());
            assert_eq!(game.game_over_as(over.ending).verdict(), over.verdict());

            // Back from a snapshot, directly and through its JSON.
            let snapshot = host.snapshot();
            let json = serde_json::to_string(&snapshot).unwrap();
            assert!(
                json.contains(&format!("\"variant\":\"{variant}\"")),
                "{json}"
            );
            let read: Snapshot = serde_json::from_str(&json).unwrap();
            assert_eq!(read, snapshot);
            assert_same(&host, &Match::from_snapshot(&read).unwrap());

            // Mirrored event by event from the first snapshot, as a joiner does.
            let start = Match::new_variant(variant, Table::Network, "Ann", "Bob");
            let mut replica = Replica::new(&start.snapshot(), Some(Player::O)).unwrap();
            let mut ended = Vec::new();
            for entry in host.log().entries() {
                for update in replica.on_event(entry.v, entry.digest, entry.chain, entry.event) {
                    match update {
                        Update::Applied(applied) => assert_eq!(applied, *entry),
                        Update::GameOver(over) => ended.push(*over),
                        other => panic!("unexpected {other:?}"),
                    }
                }
            }
            assert_same(&host, replica.state());
            assert_eq!(ended, [over]);
        }
    }
}

#[test]
fn computer_games_at_every_level_go_through_the_engine() {
    for variant in [Variant::Ultimate, Variant::Gomoku] {
        let levels = Level::for_variant(variant);
        assert_eq!(levels, [Level::Easy, Level::Medium, Level::Hard]);
        for (seed, &level) in [Level::Easy, Level::Medium].iter().enumerate() {
            let mut state = Match::new_variant(variant, Table::Local, "Ann", "Computer");
            let seed = u64::try_from(seed).unwrap();
            let mut bots = [
                Bot::new(Computer::new(Level::Easy, seed)),
                Bot::new(Computer::new(level, seed + 10)),
            ];
            let mut over = None;
            while over.is_none() {
                let seat = state.to_move().unwrap();
                let intent = bots[usize::from(seat == Player::O)]
                    .intent(&state, seat)
                    .unwrap();
                assert!(matches!(intent, Intent::Play(cell) if state.game().is_legal(cell)));
                over = state.act(seat, intent).unwrap();
            }
            let replayed =
                Match::replay_variant(variant, Table::Local, ["Ann", "Computer"], &state.events())
                    .unwrap();
            assert_same(&state, &replayed);
            // The same seeds play the same game.
            let mut again = Match::new_variant(variant, Table::Local, "Ann", "Computer");
            let mut bots = [
                Bot::new(Computer::new(Level::Easy, seed)),
                Bot::new(Computer::new(level, seed + 10)),
            ];
            while let Some(seat) = again.to_move() {
                let intent = bots[usize::from(seat == Player::O)]
                    .intent(&again, seat)
                    .unwrap();
                again.act(seat, intent).unwrap();
            }
            assert_eq!(again.events(), state.events());
        }
    }
}

#[test]
fn a_hint_is_a_legal_move_of_the_game_and_none_once_it_is_over() {
    let mut rng = StdRng::seed_from_u64(5);
    let mut computer = Computer::new(Level::Easy, 9);
    for variant in Variant::ALL {
        let game = Game::of(variant, Player::X);
        let hint = computer.suggest(&game).unwrap();
        assert!(game.is_legal(hint));
    }
    let (_, over) = random_match(Variant::Ultimate, Table::Local, &mut rng);
    assert_eq!(computer.suggest(&over.game), None);
    assert_eq!(computer.choose(&over.game), None);
}

#[test]
fn new_games_continue_the_variant_and_undo_works_at_one_computer() {
    let mut rng = StdRng::seed_from_u64(77);
    let (mut state, _) = random_match(Variant::Gomoku, Table::Local, &mut rng);
    state.act(Player::X, Intent::Rematch).unwrap();
    state.act(Player::O, Intent::Rematch).unwrap();
    assert_eq!(state.game_number(), 2);
    assert_eq!(state.variant(), Variant::Gomoku);
    assert_eq!(state.game().first(), Player::O);
    let h8 = Variant::Gomoku.parse_move("h8").unwrap();
    state.act(Player::O, Intent::Play(h8)).unwrap();
    state.act(Player::O, Intent::Undo).unwrap();
    assert!(state.game().moves().is_empty());
    assert!(matches!(
        state.events().last(),
        Some(Event::TookBack { .. })
    ));
}

#[test]
fn snapshots_of_another_game_or_with_moves_its_rules_refuse_are_refused() {
    let mut rng = StdRng::seed_from_u64(41);
    let (ultimate, _) = random_match(Variant::Ultimate, Table::Network, &mut rng);
    let snapshot = ultimate.snapshot();

    let error = Match::from_snapshot_of(Variant::Gomoku, &snapshot).unwrap_err();
    assert_eq!(
        error.to_string(),
        "the snapshot is not a legal state: it is a snapshot of ultimate, but this match plays gomoku"
    );

    // The same moves read as another game do not fit (the digest, at least, names the game).
    let mut other = snapshot.clone();
    other.state.variant = Variant::Gomoku;
    assert!(Match::from_snapshot(&other).is_err());

    // Two moves in one small board, the second not where the first sent: refused.
    let mut illegal =
        Match::new_variant(Variant::Ultimate, Table::Network, "Ann", "Bob").snapshot();
    let ultimate_move = |text: &str| Variant::Ultimate.parse_move(text).unwrap();
    illegal.state.moves = vec![ultimate_move("51"), ultimate_move("52")];
    let error = Match::from_snapshot(&illegal).unwrap_err();
    assert_eq!(
        error.to_string(),
        "the snapshot is not a legal state: ultimate game: move 2 (52) is illegal: play in board 1"
    );

    // A joiner of an Ultimate match given a Gomoku snapshot asks again, and does not take it.
    let start = Match::new_variant(Variant::Ultimate, Table::Network, "Ann", "Bob");
    let mut replica = Replica::new(&start.snapshot(), Some(Player::O)).unwrap();
    let gomoku = Match::new_variant(Variant::Gomoku, Table::Network, "Ann", "Bob");
    let updates = replica.on_snapshot(&gomoku.snapshot()).unwrap();
    assert_eq!(updates, [Update::NeedSnapshot]);
    assert_eq!(replica.state().variant(), Variant::Ultimate);
}

#[test]
fn a_classic_snapshot_names_no_game_and_reads_as_classic() {
    let mut state = Match::networked("Ann", "Bob");
    state
        .act(Player::X, Intent::Play(Cell::from_number(5).unwrap()))
        .unwrap();
    let json = serde_json::to_string(&state.snapshot()).unwrap();
    assert!(!json.contains("variant"), "{json}");
    let read: Snapshot = serde_json::from_str(&json).unwrap();
    assert_eq!(read.state.variant, Variant::Classic);
    assert_eq!(Match::from_snapshot(&read).unwrap(), state);
}
