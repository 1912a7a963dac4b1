//! Whole matches between a host and a joiner over real sockets on loopback: moves, a win, a
//! rematch with the first player alternating, a resignation, refusals, and leaving.

use crate::support::net::*;
use tictactoe::game::{Ending, Intent, Player, Role, Score, Verdict};
use tictactoe::net::{Presence, Refusal, Stage};

#[tokio::test]
async fn a_full_match_with_rematch_and_resign() {
    let (mut host, mut joiner) = connected_pair(host_config(), join_config()).await;
    let view = wait_view(&mut joiner, "the joiner's first view", |v| {
        v.state.name(Player::O) == "Bob"
    })
    .await;
    assert_eq!(view.me, Player::O);
    assert_eq!(view.role, Role::Joiner);
    assert_eq!(view.state.name(Player::X), "Ann");
    let view = wait_view(&mut host, "the host sees Bob", |v| {
        v.state.name(Player::O) == "Bob"
    })
    .await;
    assert_eq!(view.me, Player::X);
    assert_eq!(view.opponent, Presence::Connected);

    // X: 1, 2, 3 wins; O: 4, 5.
    let mut v = 0;
    for (x, o) in [(1, Some(4)), (2, Some(5)), (3, None)] {
        host.try_send(Intent::Play(cell(x))).unwrap();
        v += 1;
        both_at(&mut host, &mut joiner, v).await;
        if let Some(o) = o {
            joiner.try_send(Intent::Play(cell(o))).unwrap();
            v += 1;
            both_at(&mut host, &mut joiner, v).await;
        }
    }
    let (h, j) = both_at(&mut host, &mut joiner, v).await;
    for view in [&h, &j] {
        assert_eq!(view.state.result(), Some(Verdict::Win(Player::X)));
        assert_eq!(view.state.game().board().to_text(), "XXXOO....");
        assert_eq!(
            view.state.score(),
            Score {
                x_wins: 1,
                o_wins: 0,
                draws: 0
            }
        );
    }

    // A move after the end is refused by the joiner's own engine before it is sent.
    joiner.try_send(Intent::Play(cell(9))).unwrap();
    assert_eq!(wait_refused(&mut joiner).await, Refusal::GameOver);

    // Rematch: game 2 starts when both have asked, with O first.
    joiner.try_send(Intent::Rematch).unwrap();
    v += 1;
    let (h, _) = both_at(&mut host, &mut joiner, v).await;
    assert!(h.state.wants_rematch(h.me.other()) && !h.state.wants_rematch(h.me));
    host.try_send(Intent::Rematch).unwrap();
    v += 2;
    let (h, j) = both_at(&mut host, &mut joiner, v).await;
    for view in [&h, &j] {
        assert_eq!(view.state.game_number(), 2);
        assert_eq!(view.state.game().first(), Player::O);
        assert_eq!(view.state.game().to_move(), Some(Player::O));
        assert!(!view.state.wants_rematch(view.me) && !view.state.wants_rematch(view.me.other()));
    }

    // Out of turn on the host's side is refused locally.
    host.try_send(Intent::Play(cell(5))).unwrap();
    assert_eq!(wait_refused(&mut host).await, Refusal::NotYourTurn);

    joiner.try_send(Intent::Play(cell(5))).unwrap();
    v += 1;
    both_at(&mut host, &mut joiner, v).await;
    joiner.try_send(Intent::Resign).unwrap();
    v += 1;
    let (h, j) = both_at(&mut host, &mut joiner, v).await;
    for view in [&h, &j] {
        assert_eq!(
            view.state.ended_off_board(),
            Some(Ending::Resigned { player: Player::O })
        );
        assert_eq!(view.state.result(), Some(Verdict::Win(Player::X)));
        assert_eq!(view.state.score().x_wins, 2);
        assert_eq!(view.state.score().games(), 2);
    }
    assert_eq!(h, {
        let mut same = j.clone();
        same.role = Role::Host;
        same.me = Player::X;
        same.rtt = h.rtt;
        same.opponent = h.opponent;
        same
    });
}

#[tokio::test]
async fn the_host_quitting_ends_the_match_for_the_joiner() {
    let (host, mut joiner) = connected_pair(host_config(), join_config()).await;
    host.try_send(Intent::Leave).unwrap();
    let view = wait_view(&mut joiner, "the match ended", |v| v.state.over().is_some()).await;
    assert_eq!(view.state.over(), Some(Ending::Left { player: Player::X }));
    assert_eq!(view.opponent, Presence::Gone);
    wait_stage(&mut joiner, Stage::Ended).await;
    drop(host);
}

#[tokio::test]
async fn dropping_the_host_handle_tells_the_joiner() {
    let (host, mut joiner) = connected_pair(host_config(), join_config()).await;
    drop(host);
    let view = wait_view(&mut joiner, "the match ended", |v| v.state.over().is_some()).await;
    assert_eq!(view.state.over(), Some(Ending::Left { player: Player::X }));
    wait_stage(&mut joiner, Stage::Ended).await;
}

#[tokio::test]
async fn the_joiner_leaving_ends_the_match_at_once() {
    let (mut host, joiner) = connected_pair(host_config(), join_config()).await;
    joiner.try_send(Intent::Leave).unwrap();
    let view = wait_view(&mut host, "the match ended", |v| v.state.over().is_some()).await;
    assert_eq!(view.state.over(), Some(Ending::Left { player: Player::O }));
    assert_eq!(view.opponent, Presence::Gone);
    // No countdown: a leave is not a dropped connection.
    host.try_send(Intent::ClaimWin).unwrap();
    assert_eq!(wait_refused(&mut host).await, Refusal::Unexpected);
}

#[tokio::test]
async fn the_joiner_reports_each_stage() {
    let host = start_host(host_config());
    let mut joiner = start_join(&host_addr(&host), join_config());
    let mut stages = Vec::new();
    wait_event(&mut joiner, "playing", |event| match event {
        tictactoe::net::NetEvent::Stage(stage) => {
            stages.push(stage.clone());
            (*stage == Stage::Playing).then_some(())
        }
        _ => None,
    })
    .await;
    assert_eq!(
        stages,
        [
            Stage::Connecting {
                ip_port: host_addr(&host)
            },
            Stage::Waiting,
            Stage::Playing
        ]
    );
}

#[tokio::test]
async fn two_computer_players_in_an_agreed_series_play_game_after_game() {
    let computer = |seed| computer_asking_rematch(tictactoe::game::Level::Hard, seed);
    let (mut host, mut joiner) = connected_pair(
        tictactoe::net::HostConfig {
            driver: computer(1),
            auto_rematch: true,
            ..host_config()
        },
        tictactoe::net::JoinConfig {
            driver: computer(2),
            auto_rematch: true,
            ..join_config()
        },
    )
    .await;
    // Nothing the joiner sends is refused: it never asks for a game the host already started.
    let view = wait_event(&mut joiner, "ten games played", |event| match event {
        tictactoe::net::NetEvent::Refused { reason, .. } => panic!("refused: {reason:?}"),
        tictactoe::net::NetEvent::State(view) if view.state.score().games() >= 10 => {
            Some(view.clone())
        }
        _ => None,
    })
    .await;
    assert!(view.state.game_number() >= 10);
    let host_view = wait_view(&mut host, "the host past game ten", |v| {
        v.state.score().games() >= 10
    })
    .await;
    assert_eq!(host_view.state.name(Player::X), "Ann");
}
