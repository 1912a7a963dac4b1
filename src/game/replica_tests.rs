//! The replica without sockets: a host's match feeds it events and snapshots as the wire would,
//! and every way the host can disagree with what this side saw is caught and said.

use super::*;

fn cell(n: i64) -> Cell {
    Cell::from_number(n).unwrap()
}

/// A host's match and a joiner's replica (O) of it, both at the start.
fn pair() -> (Match, Replica) {
    let host = Match::networked("Ann", "Bob");
    let replica = Replica::new(&host.snapshot(), Some(Player::O)).unwrap();
    (host, replica)
}

/// The host decides `intent` for `seat` with its clock's `facts` and applies it; the events, as
/// its log has them, for the wire.
fn host_acts(host: &mut Match, seat: Player, intent: Intent, facts: Facts) -> Vec<Entry> {
    let before = host.v();
    host.act_with(seat, intent, facts).unwrap();
    host.log().after(before).unwrap().copied().collect()
}

fn feed(replica: &mut Replica, entries: &[Entry]) -> Vec<Update> {
    entries
        .iter()
        .flat_map(|e| replica.on_event(e.v, e.digest, e.chain, e.event))
        .collect()
}

fn play(host: &mut Match, replica: &mut Replica, moves: &[(Player, i64)]) -> Vec<Update> {
    let mut updates = Vec::new();
    for &(seat, n) in moves {
        let entries = host_acts(host, seat, Intent::Play(cell(n)), Facts::NONE);
        updates.extend(feed(replica, &entries));
    }
    updates
}

fn disputes(updates: &[Update]) -> Vec<Contradiction> {
    updates
        .iter()
        .filter_map(|u| match u {
            Update::Dispute(c) => Some(c.clone()),
            _ => None,
        })
        .collect()
}

/// X takes the top row while O plays the middle one.
const X_WINS_THE_TOP_ROW: [(Player, i64); 5] = [
    (Player::X, 1),
    (Player::O, 4),
    (Player::X, 2),
    (Player::O, 5),
    (Player::X, 3),
];

#[test]
fn events_in_order_are_applied_and_a_game_that_ends_is_reported_once() {
    let (mut host, mut replica) = pair();
    let updates = play(&mut host, &mut replica, &X_WINS_THE_TOP_ROW);
    assert_eq!(replica.state(), &host);
    let applied = updates
        .iter()
        .filter(|u| matches!(u, Update::Applied(_)))
        .count();
    assert_eq!(applied, 5);
    let over: Vec<_> = updates
        .iter()
        .filter_map(|u| match u {
            Update::GameOver(over) => Some(over.verdict()),
            _ => None,
        })
        .collect();
    assert_eq!(over, [Verdict::Win(Player::X)]);
    assert!(disputes(&updates).is_empty());
}

#[test]
fn a_gap_a_repeat_or_a_wrong_digest_asks_for_a_snapshot_and_waits_for_it() {
    let (mut host, mut replica) = pair();
    let first = host_acts(&mut host, Player::X, Intent::Play(cell(5)), Facts::NONE);
    let second = host_acts(&mut host, Player::O, Intent::Play(cell(1)), Facts::NONE);
    // The second before the first: a gap.
    assert_eq!(feed(&mut replica, &second), [Update::NeedSnapshot]);
    assert!(replica.syncing());
    // Events wait while the snapshot is on its way.
    assert!(feed(&mut replica, &first).is_empty());
    let updates = replica.on_snapshot(&host.snapshot()).unwrap();
    assert_eq!(updates, [Update::Replaced]);
    assert_eq!(replica.state(), &host);
    // A repeat of an event already applied is a gap too.
    assert_eq!(feed(&mut replica, &second), [Update::NeedSnapshot]);
    replica.on_snapshot(&host.snapshot()).unwrap();
    // The right version with the wrong digest.
    let mut next = host_acts(&mut host, Player::X, Intent::Play(cell(9)), Facts::NONE);
    next[0].digest = Digest(next[0].digest.0 ^ 1);
    assert_eq!(feed(&mut replica, &next), [Update::NeedSnapshot]);
    assert_eq!(
        replica.state().v(),
        2,
        "the state stays what was last confirmed"
    );
}

#[test]
fn an_event_the_rules_refuse_asks_for_a_snapshot() {
    let (host, mut replica) = pair();
    // O moving first: the host's own rules would never send it.
    let event = Event::Moved {
        player: Player::O,
        cell: cell(5),
    };
    let updates = replica.on_event(1, host.digest(), None, event);
    assert_eq!(updates, [Update::NeedSnapshot]);
    assert_eq!(replica.state().v(), 0);
}

#[test]
fn a_different_history_at_the_same_move_is_a_dispute() {
    let (mut host, mut replica) = pair();
    let mut entries = host_acts(&mut host, Player::X, Intent::Play(cell(5)), Facts::NONE);
    entries[0].chain = Some(Chain([7; 32]));
    let updates = feed(&mut replica, &entries);
    assert_eq!(disputes(&updates), [Contradiction::HistoryChanged { v: 0 }]);
    assert!(updates.contains(&Update::NeedSnapshot));
    // A snapshot at the same version with another chain head says the same.
    replica.on_snapshot(&host.snapshot()).unwrap();
    let mut other = host.snapshot();
    other.chain = Some(Chain([9; 32]));
    let updates = replica.on_snapshot(&other).unwrap();
    assert_eq!(disputes(&updates), [Contradiction::HistoryChanged { v: 1 }]);
}

#[test]
fn every_way_a_snapshot_can_contradict_what_was_seen_is_said_and_the_host_wins() {
    // Moves seen taken back.
    let (mut host, mut replica) = pair();
    play(&mut host, &mut replica, &[(Player::X, 5), (Player::O, 1)]);
    let mut rewritten = Match::networked("Ann", "Bob");
    rewritten.act(Player::X, Intent::Play(cell(5))).unwrap();
    rewritten.act(Player::O, Intent::Play(cell(9))).unwrap();
    // At the same version the chain heads differ first; a host that sends none is caught by
    // the moves.
    let updates = replica.on_snapshot(&rewritten.snapshot()).unwrap();
    assert_eq!(disputes(&updates), [Contradiction::HistoryChanged { v: 2 }]);
    let (mut host, mut replica) = pair();
    play(&mut host, &mut replica, &[(Player::X, 5), (Player::O, 1)]);
    let mut unchained = rewritten.snapshot();
    unchained.chain = None;
    let updates = replica.on_snapshot(&unchained).unwrap();
    assert!(matches!(
        disputes(&updates)[..],
        [Contradiction::MovesChanged { game: 1, .. }]
    ));
    assert_eq!(replica.state(), &Match::from_snapshot(&unchained).unwrap());

    // The version going back.
    let (mut host, mut replica) = pair();
    play(&mut host, &mut replica, &[(Player::X, 5), (Player::O, 1)]);
    let start = Match::networked("Ann", "Bob");
    let updates = replica.on_snapshot(&start.snapshot()).unwrap();
    assert_eq!(
        disputes(&updates),
        [Contradiction::WentBack { seen: 2, now: 0 }]
    );

    // A score the games played do not add up to.
    let (host, mut replica) = pair();
    let mut snapshot = host.snapshot();
    snapshot.state.score.x_wins = 3;
    let updates = replica.on_snapshot(&snapshot).unwrap();
    assert!(matches!(
        disputes(&updates)[..],
        [Contradiction::ScoreOff { x: 3, games: 0, .. }]
    ));

    // A result seen taken back: X's win becomes O's.
    let (mut host, mut replica) = pair();
    play(&mut host, &mut replica, &X_WINS_THE_TOP_ROW);
    for seat in Player::ALL {
        let entries = host_acts(&mut host, seat, Intent::Rematch, Facts::NONE);
        feed(&mut replica, &entries);
    }
    let mut snapshot = host.snapshot();
    snapshot.state.score = Score {
        x_wins: 0,
        o_wins: 1,
        draws: 0,
    };
    let updates = replica.on_snapshot(&snapshot).unwrap();
    assert!(matches!(
        disputes(&updates)[..],
        [Contradiction::ResultTakenBack { .. }]
    ));
}

#[test]
fn endings_of_this_side_it_did_not_cause_are_disputes() {
    // A resignation this side never sent.
    let (mut host, mut replica) = pair();
    play(&mut host, &mut replica, &[(Player::X, 5)]);
    let entries = host_acts(&mut host, Player::O, Intent::Resign, Facts::NONE);
    let updates = feed(&mut replica, &entries);
    assert_eq!(
        disputes(&updates),
        [Contradiction::Invented {
            what: "you resigned"
        }]
    );
    // One it did send is no dispute.
    let (mut host, mut replica) = pair();
    replica.decide(Intent::Resign).unwrap();
    replica.resigning();
    let entries = host_acts(&mut host, Player::O, Intent::Resign, Facts::NONE);
    assert!(disputes(&feed(&mut replica, &entries)).is_empty());

    // Leaving, and staying away, while it was there to hear of it.
    for (intent, facts, what) in [
        (Intent::Leave, Facts::NONE, "you left"),
        (
            Intent::ClaimWin,
            Facts::clock(true),
            "you stayed away and lost",
        ),
    ] {
        let (mut host, mut replica) = pair();
        let seat = if intent == Intent::Leave {
            Player::O
        } else {
            Player::X
        };
        let entries = host_acts(&mut host, seat, intent, facts);
        let updates = feed(&mut replica, &entries);
        assert_eq!(disputes(&updates), [Contradiction::Invented { what }]);
    }
}

#[test]
fn a_watcher_has_nothing_of_its_own_to_dispute() {
    let host = Match::networked("Ann", "Bob");
    let mut watcher = Replica::new(&host.snapshot(), None).unwrap();
    let mut changed = Match::networked("Ann", "Bob");
    changed.act(Player::X, Intent::Play(cell(1))).unwrap();
    let mut snapshot = changed.snapshot();
    snapshot.state.score.o_wins = 2;
    let updates = watcher.on_snapshot(&snapshot).unwrap();
    assert!(disputes(&updates).is_empty());
    assert_eq!(watcher.decide(Intent::Resign), Err(Refusal::MatchOver));
}

#[test]
fn a_resume_applies_the_events_missed_and_a_snapshot_shows_a_game_that_ended_meanwhile() {
    let (mut host, mut replica) = pair();
    play(&mut host, &mut replica, &[(Player::X, 1), (Player::O, 4)]);
    let seen = replica.state().v();
    // Away: the host plays on, and the game ends.
    for (seat, n) in [(Player::X, 2), (Player::O, 5), (Player::X, 3)] {
        host.act(seat, Intent::Play(cell(n))).unwrap();
    }
    // Resumed with the events after what it saw, from the host's log.
    let missed: Vec<Entry> = host.log().after(seen).unwrap().copied().collect();
    let updates = feed(&mut replica, &missed);
    assert_eq!(replica.state(), &host);
    assert!(updates.iter().any(|u| matches!(u, Update::GameOver(_))));

    // Resumed with a snapshot instead: the game that ended while away is reported.
    let (mut host, mut replica) = pair();
    play(&mut host, &mut replica, &[(Player::X, 1), (Player::O, 4)]);
    for (seat, n) in [(Player::X, 2), (Player::O, 5), (Player::X, 3)] {
        host.act(seat, Intent::Play(cell(n))).unwrap();
    }
    let updates = replica.on_snapshot(&host.snapshot()).unwrap();
    let over: Vec<_> = updates
        .iter()
        .filter_map(|u| match u {
            Update::GameOver(over) => Some((over.game_number, over.verdict())),
            _ => None,
        })
        .collect();
    assert_eq!(over, [(1, Verdict::Win(Player::X))]);
    assert!(disputes(&updates).is_empty());
    // The same snapshot again reports nothing more.
    let again = replica.on_snapshot(&host.snapshot()).unwrap();
    assert_eq!(again, [Update::Replaced]);
}

#[test]
fn a_claim_before_the_grace_is_refused_and_after_it_ends_the_match() {
    let mut host = Match::networked("Ann", "Bob");
    host.act(Player::X, Intent::Play(cell(5))).unwrap();
    // Nobody without a clock claims; with it, only once the grace has run out.
    assert_eq!(
        host.decide(Player::X, Intent::ClaimWin, Facts::NONE),
        Err(Refusal::NoClock)
    );
    assert_eq!(
        host.decide(Player::X, Intent::ClaimWin, Facts::clock(false)),
        Err(Refusal::TooEarlyToClaim)
    );
    assert!(!host.may_claim_win(Player::X, Facts::clock(false)));
    assert!(host.may_claim_win(Player::X, Facts::clock(true)));
    let over = host
        .act_with(Player::X, Intent::ClaimWin, Facts::clock(true))
        .unwrap()
        .unwrap();
    assert_eq!(over.verdict(), Verdict::Win(Player::X));
    assert_eq!(host.over(), Some(Ending::Abandoned { player: Player::O }));
    // Once the match is over there is nothing left to claim.
    assert!(!host.may_claim_win(Player::X, Facts::clock(true)));
    // A replica never claims: it keeps no clock.
    let (_, replica) = pair();
    assert_eq!(replica.decide(Intent::ClaimWin), Err(Refusal::NoClock));
}

#[test]
fn a_snapshot_it_cannot_read_is_asked_again_then_given_up_with_a_plain_error() {
    let (mut host, mut replica) = pair();
    play(&mut host, &mut replica, &[(Player::X, 5)]);
    let mut bad = host.snapshot();
    bad.digest = Digest(0);
    for _ in 1..MAX_UNREADABLE {
        assert_eq!(replica.on_snapshot(&bad), Ok(vec![Update::NeedSnapshot]));
    }
    let error = replica.on_snapshot(&bad).unwrap_err();
    assert!(matches!(
        error,
        ReplicaError::Unreadable {
            tries: MAX_UNREADABLE,
            ..
        }
    ));
    assert!(
        error
            .to_string()
            .starts_with("the host sent a game this version cannot read")
    );

    // A readable one in between starts the count again; so does one after a message it could
    // not read at all.
    let (mut host, mut replica) = pair();
    play(&mut host, &mut replica, &[(Player::X, 5)]);
    for _ in 0..3 * MAX_UNREADABLE {
        assert!(replica.on_unreadable("an unknown mark \"z\"").is_ok());
        assert!(replica.on_snapshot(&host.snapshot()).is_ok());
    }
    assert_eq!(replica.state(), &host);
}
