//! Dropped connections: the joiner reconnects by itself and resumes exactly where it was; the
//! host holds the seat for a grace period, then the player who stayed may claim the win.

use crate::support::net::*;
use tictactoe::game::Player;
use tictactoe::game::{Ending, Intent};
use tictactoe::net::{NetEvent, Presence, Stage};

/// Host and joiner connected through a proxy the test controls.
async fn through_proxy() -> (
    tictactoe::net::HostHandle,
    tictactoe::net::JoinHandle,
    Proxy,
) {
    let mut host = start_host(host_config());
    let upstream = std::net::SocketAddr::from(([127, 0, 0, 1], host.port()));
    let proxy = Proxy::start(upstream).await;
    let mut joiner = start_join(&proxy.ip_port(), join_config());
    both_playing(&mut host, &mut joiner).await;
    (host, joiner, proxy)
}

/// [`through_proxy`], with the host's X on the centre square, seen by both.
#[expect(clippy::unwrap_used, reason = "a test fails loudly")]
async fn centre_taken() -> (
    tictactoe::net::HostHandle,
    tictactoe::net::JoinHandle,
    Proxy,
) {
    let (mut host, mut joiner, proxy) = through_proxy().await;
    host.try_send(Intent::Play(cell(5))).unwrap();
    both_at(&mut host, &mut joiner, 1).await;
    (host, joiner, proxy)
}

/// Waits for the joiner to go through a reconnection and come back.
async fn reconnected(joiner: &mut tictactoe::net::JoinHandle) {
    wait_event(joiner, "a reconnection attempt", |e| {
        matches!(e, NetEvent::Stage(Stage::Reconnecting { .. })).then_some(())
    })
    .await;
    wait_stage(joiner, Stage::Playing).await;
}

#[tokio::test]
async fn a_cut_after_an_acknowledged_move_resumes_the_same_game() {
    let (mut host, mut joiner, proxy) = centre_taken().await;
    joiner.try_send(Intent::Play(cell(1))).unwrap();
    let (before, _) = both_at(&mut host, &mut joiner, 2).await;

    proxy.cut();
    let away = wait_away(&mut host, "the seat held").await;
    assert!(!away.can_claim_win());
    // The host may move while the joiner is away; the joiner catches up on resume.
    host.try_send(Intent::Play(cell(9))).unwrap();
    reconnected(&mut joiner).await;
    wait_view(&mut host, "the joiner back", |v| {
        v.opponent == Presence::Connected
    })
    .await;
    let (h, j) = both_at(&mut host, &mut joiner, 3).await;
    assert_eq!(h.state.game(), j.state.game());
    assert_eq!(h.state.game().moves(), &[cell(5), cell(1), cell(9)]);
    assert_eq!(h.opponent, Presence::Connected);
    assert_eq!(before.state.game().moves(), &h.state.game().moves()[..2]);

    // And the match simply goes on.
    joiner.try_send(Intent::Play(cell(2))).unwrap();
    both_at(&mut host, &mut joiner, 4).await;
}

#[tokio::test]
async fn a_cut_before_the_ack_applies_the_move_once() {
    let (mut host, mut joiner, proxy) = centre_taken().await;

    // The host hears the move, but its answer never reaches the joiner.
    proxy.hold_down();
    joiner.try_send(Intent::Play(cell(3))).unwrap();
    let pending = wait_view(&mut joiner, "the pending move", |v| v.pending.is_some()).await;
    assert_eq!(pending.pending, Some(cell(3)));
    assert!(!pending.my_turn());
    wait_view(&mut host, "the host applied it", |v| v.state.v() == 2).await;
    proxy.cut();

    reconnected(&mut joiner).await;
    let (h, j) = both_at(&mut host, &mut joiner, 2).await;
    assert_eq!(h.state.game(), j.state.game());
    assert_eq!(j.state.game().moves(), &[cell(5), cell(3)]);
    assert_eq!(j.pending, None);
    host.try_send(Intent::Play(cell(1))).unwrap();
    both_at(&mut host, &mut joiner, 3).await;
}

#[tokio::test]
async fn a_cut_before_the_host_hears_the_move_sends_it_again() {
    let (mut host, mut joiner, proxy) = centre_taken().await;
    // A dead link: nothing passes either way, nothing closes.
    proxy.freeze();
    joiner.try_send(Intent::Play(cell(7))).unwrap();
    wait_view(&mut joiner, "the pending move", |v| {
        v.pending == Some(cell(7))
    })
    .await;
    // The heartbeat notices the silence on both sides; the joiner comes back by itself.
    wait_away(&mut host, "the seat held").await;
    // The link heals; the stale connections go.
    proxy.cut();
    reconnected(&mut joiner).await;
    let (h, j) = both_at(&mut host, &mut joiner, 2).await;
    assert_eq!(h.state.game(), j.state.game());
    assert_eq!(j.state.game().moves(), &[cell(5), cell(7)]);
    drop(proxy);
}

#[tokio::test]
async fn no_input_while_disconnected() {
    let (mut host, mut joiner, proxy) = centre_taken().await;
    proxy.stop();
    wait_view(&mut joiner, "the joiner disconnected", |v| !v.connected).await;
    joiner.try_send(Intent::Play(cell(1))).unwrap();
    let refusal = wait_event(&mut joiner, "a refusal", |e| match e {
        NetEvent::Refused { message, .. } => Some(message.clone()),
        _ => None,
    })
    .await;
    assert!(refusal.contains("Not connected"), "{refusal}");
    let view = wait_away(&mut host, "the seat held").await;
    assert_eq!(view.state.v(), 1);
}

#[tokio::test]
async fn after_the_grace_period_the_host_claims_the_win() {
    let (mut host, joiner, proxy) = centre_taken().await;
    proxy.stop();

    // A countdown the screen can show, then the claim becomes possible.
    let first = wait_away(&mut host, "the countdown").await;
    let Presence::Away { remaining, .. } = first.opponent else {
        unreachable!()
    };
    assert!(remaining <= fast_timing().grace);
    // Claiming too early is refused.
    host.try_send(Intent::ClaimWin).unwrap();
    wait_refused(&mut host).await;
    wait_view(
        &mut host,
        "the claim allowed",
        tictactoe::net::View::can_claim_win,
    )
    .await;
    host.try_send(Intent::ClaimWin).unwrap();
    let over = wait_view(&mut host, "the match over", |v| v.state.over().is_some()).await;
    assert_eq!(
        over.state.over(),
        Some(Ending::Abandoned { player: Player::O })
    );
    assert_eq!(
        over.state.ended_off_board(),
        Some(Ending::Abandoned { player: Player::O })
    );
    assert_eq!(over.state.score().x_wins, 1);
    assert_eq!(over.opponent, Presence::Gone);
    wait_stage(&mut host, Stage::Ended).await;
    drop(joiner);
}

#[tokio::test]
async fn after_a_claim_the_absent_joiner_is_told_the_match_is_over() {
    let (mut host, mut joiner, proxy) = through_proxy().await;
    proxy.freeze();
    wait_view(
        &mut host,
        "the claim allowed",
        tictactoe::net::View::can_claim_win,
    )
    .await;
    host.try_send(Intent::ClaimWin).unwrap();
    wait_view(&mut host, "the match over", |v| v.state.over().is_some()).await;
    proxy.cut();
    assert_eq!(
        wait_error(&mut joiner).await,
        tictactoe::net::NetError::MatchOver
    );
    wait_stage(&mut joiner, Stage::Ended).await;
}
