//! Nothing a stranger sends can crash the host, change the match, or take the seat: bad commands,
//! bad frames, floods, a third connection, a wrong version, a wrong seat code, a silent client.

use crate::support::net::*;
use futures_util::SinkExt as _;
use serde_json::json;
use tictactoe::game::{Intent, Player, Variant};
use tictactoe::net::{HostConfig, JoinConfig, NetError, PROTOCOL_VERSION, Presence};
use tokio_tungstenite::tungstenite::Message;

/// Sends `msg` and expects `rejected` with `reason` (and, for commands, a snapshot at `v`).
async fn expect_rejected(client: &mut RawClient, msg: &str, reason: &str, snapshot_v: Option<u64>) {
    client.send_text(msg).await;
    let answer = client.json().await;
    assert_eq!(answer["type"], "rejected", "{msg} → {answer}");
    assert_eq!(answer["reason"], reason, "{msg} → {answer}");
    assert!(answer["message"].is_string());
    if let Some(v) = snapshot_v {
        let snapshot = client.json().await;
        assert_eq!(snapshot["type"], "snapshot", "{msg} → {snapshot}");
        assert_eq!(snapshot["v"], v, "{msg} → {snapshot}");
    }
}

#[tokio::test]
async fn bad_commands_get_typed_refusals_and_change_nothing() {
    let mut host = start_host(host_config());
    let mut client = RawClient::connect(&host_addr(&host)).await;
    let welcome = client.hello("Raw").await;
    assert_eq!(welcome["type"], "welcome");
    assert_eq!(welcome["you"], "o");

    // X moves first: O out of turn.
    expect_rejected(
        &mut client,
        r#"{"type":"play","id":1,"cell":1}"#,
        "not_your_turn",
        Some(0),
    )
    .await;
    host.try_send(Intent::Play(cell(5))).unwrap();
    let event = client.until("event").await;
    assert_eq!(event["v"], 1);

    let bad = [
        (r#"{"type":"play","id":2,"cell":5}"#, "occupied", Some(1)),
        (
            r#"{"type":"play","id":3,"cell":0}"#,
            "out_of_range",
            Some(1),
        ),
        (
            r#"{"type":"play","id":4,"cell":10}"#,
            "out_of_range",
            Some(1),
        ),
        (
            r#"{"type":"play","id":5,"cell":-3}"#,
            "out_of_range",
            Some(1),
        ),
        // Not a whole number: a type error, not a square out of range.
        (r#"{"type":"play","id":6,"cell":2.5}"#, "malformed", Some(1)),
        (
            r#"{"type":"play","id":11,"cell":5.0}"#,
            "malformed",
            Some(1),
        ),
        (r#"{"type":"play","id":7,"cell":"2"}"#, "malformed", Some(1)),
        (r#"{"type":"play","id":8}"#, "malformed", Some(1)),
        (r#"{"type":"rematch","id":9}"#, "game_in_progress", Some(1)),
        (r#"{"type":"teleport","id":10}"#, "unknown_type", Some(1)),
        (r#"{"type":"play","cell":2}"#, "malformed", None),
        (r#"{"type":7}"#, "malformed", None),
        (r#"{"cell":2}"#, "malformed", None),
        ("[1,2,3]", "malformed", None),
        ("{nope", "malformed", None),
        ("", "malformed", None),
        (
            r#"{"type":"hello","protocol":1,"app":"x","name":"again"}"#,
            "unexpected",
            None,
        ),
    ];
    for (msg, reason, v) in bad {
        expect_rejected(&mut client, msg, reason, v).await;
    }
    client
        .ws
        .send(Message::binary(vec![1_u8, 2, 3]))
        .await
        .unwrap();
    let answer = client.json().await;
    assert_eq!(
        (answer["type"].as_str(), answer["reason"].as_str()),
        (Some("rejected"), Some("binary"))
    );

    // Still the same match: one move, O to play; a legal move goes through.
    client.send(json!({"type": "sync"})).await;
    let snapshot = client.until("snapshot").await;
    assert_eq!(snapshot["v"], 1);
    assert_eq!(snapshot["state"]["moves"], json!([5]));
    client
        .send(json!({"type": "play", "id": 11, "cell": 1}))
        .await;
    let event = client.until("event").await;
    assert_eq!(event["v"], 2);
    assert_eq!(
        event["event"],
        json!({"kind": "moved", "player": "o", "cell": 1})
    );
    let ack = client.until("ack").await;
    assert_eq!(ack, json!({"type": "ack", "id": 11, "v": 2}));
    // The same id again is answered from memory, not applied twice.
    client
        .send(json!({"type": "play", "id": 11, "cell": 1}))
        .await;
    assert_eq!(
        client.until("ack").await,
        json!({"type": "ack", "id": 11, "v": 2})
    );

    // Finish the game (X: 5, 3, 7 wins; O: 1, 2) and play after the end.
    host.try_send(Intent::Play(cell(3))).unwrap();
    client.until("event").await;
    client
        .send(json!({"type": "play", "id": 12, "cell": 2}))
        .await;
    client.until("ack").await;
    host.try_send(Intent::Play(cell(7))).unwrap();
    client.until("event").await;
    client
        .send(json!({"type": "play", "id": 13, "cell": 7}))
        .await;
    let answer = client.until("rejected").await;
    assert_eq!(answer["reason"], "game_over");
    let view = wait_view(&mut host, "the host's view at v5", |v| v.state.v() == 5).await;
    assert_eq!(view.state.game().board().to_text(), "OOX.X.X..");
    assert_eq!(view.opponent, Presence::Connected);
}

#[tokio::test]
async fn an_oversized_message_closes_the_connection_but_the_seat_is_held() {
    let mut host = start_host(host_config());
    let mut client = RawClient::connect(&host_addr(&host)).await;
    let welcome = client.hello("Raw").await;
    let token = welcome["token"].as_str().unwrap().to_owned();
    host.try_send(Intent::Play(cell(5))).unwrap();
    client.until("event").await;

    let huge = format!(
        r#"{{"type":"play","id":1,"cell":1,"pad":"{}"}}"#,
        "x".repeat(8000)
    );
    client.send_text(huge).await;
    let answer = client.json().await;
    assert_eq!(answer["reason"], "too_large");
    assert_eq!(client.closed().await, Some(1009));
    wait_away(&mut host, "the seat held").await;

    // The player comes back with the token; nothing changed.
    let mut back = RawClient::connect(&host_addr(&host)).await;
    back.send(
        json!({"type": "hello", "protocol": 1, "app": "raw", "name": "Raw",
        "resume": {"token": token, "v": 0}}),
    )
    .await;
    let welcome = back.json().await;
    assert_eq!(welcome["type"], "welcome");
    assert_eq!(welcome["snapshot"], json!(null));
    let replay = back.json().await;
    assert_eq!(replay["v"], 1);
    assert_eq!(
        replay["event"],
        json!({"kind": "moved", "player": "x", "cell": 5})
    );
    wait_view(&mut host, "the joiner back", |v| {
        v.opponent == Presence::Connected && v.state.v() == 1
    })
    .await;
}

#[tokio::test]
async fn a_flood_is_rate_limited_and_disconnected() {
    let mut host = start_host(host_config());
    let mut client = RawClient::connect(&host_addr(&host)).await;
    client.hello("Flood").await;
    for i in 0..200 {
        let ping = Message::text(json!({"type": "ping", "t": i}).to_string());
        // The host may hang up before the flood is over.
        if client.ws.send(ping).await.is_err() {
            break;
        }
    }
    let mut pongs = 0;
    let refusal = loop {
        match client.next().await {
            Raw::Json(value) if value["type"] == "pong" => pongs += 1,
            Raw::Json(value) => break value,
            Raw::Closed(code) => panic!("closed ({code:?}) without a refusal"),
        }
    };
    assert_eq!(refusal["reason"], "rate_limited");
    assert!(pongs < 200, "{pongs} pongs");
    assert_eq!(client.closed().await, Some(1008));
    let view = wait_away(&mut host, "the seat held").await;
    assert_eq!(view.state.v(), 0);
}

#[tokio::test]
async fn a_third_connection_is_turned_away_and_the_match_goes_on() {
    let (mut host, mut joiner) = connected_pair(host_config(), join_config()).await;
    host.try_send(Intent::Play(cell(1))).unwrap();
    both_at(&mut host, &mut joiner, 1).await;

    let mut stranger = RawClient::connect(&host_addr(&host)).await;
    let reject = stranger.hello("Mallory").await;
    assert_eq!(reject["type"], "reject");
    assert_eq!(reject["reason"], "match_full");
    assert_eq!(stranger.closed().await, Some(4000));

    let mut forger = RawClient::connect(&host_addr(&host)).await;
    forger
        .send(
            json!({"type": "hello", "protocol": 1, "app": "raw", "name": "Mallory",
            "resume": {"token": "00000000000000000000000000000000", "v": 0}}),
        )
        .await;
    assert_eq!(forger.json().await["reason"], "bad_token");

    // A joiner through the app gets the plain-language error.
    let mut third = start_join(&host_addr(&host), join_config());
    assert_eq!(wait_error(&mut third).await, NetError::MatchFull);

    joiner.try_send(Intent::Play(cell(5))).unwrap();
    let (h, j) = both_at(&mut host, &mut joiner, 2).await;
    assert_eq!(h.state.game(), j.state.game());
    assert_eq!(h.opponent, Presence::Connected);
    assert_eq!(h.state.name(Player::O), "Bob");
}

#[tokio::test]
async fn a_wrong_version_is_refused_showing_both_versions() {
    let host = start_host(host_config());
    let mut raw = hello_of_version(&host, 99).await;
    let reject = raw.json().await;
    assert_eq!(reject["reason"], "version_mismatch");
    assert_eq!(reject["protocol"], PROTOCOL_VERSION);
    assert_eq!(reject["app"], env!("CARGO_PKG_VERSION"));
    assert_eq!(raw.closed().await, Some(4000));

    let mut joiner = start_join(
        &host_addr(&host),
        JoinConfig {
            protocol: PROTOCOL_VERSION + 1,
            ..join_config()
        },
    );
    let error = wait_error(&mut joiner).await;
    assert_eq!(
        error,
        NetError::VersionMismatch {
            host_app: env!("CARGO_PKG_VERSION").to_owned(),
            host_protocol: PROTOCOL_VERSION,
            my_app: env!("CARGO_PKG_VERSION").to_owned(),
            my_protocol: PROTOCOL_VERSION + 1,
        }
    );
    let text = error.to_string();
    assert!(
        text.contains(&format!("protocol {PROTOCOL_VERSION}"))
            && text.contains(&format!("protocol {}", PROTOCOL_VERSION + 1)),
        "{text}"
    );
}

#[tokio::test]
async fn a_classic_host_admits_the_first_protocol_and_a_bigger_game_says_what_it_needs() {
    // Classic is the same in protocols 1 and 2: a joiner of version 1 takes the seat.
    let welcome = hello_of_version(&start_host(host_config()), 1)
        .await
        .json()
        .await;
    assert_eq!(welcome["type"], "welcome", "{welcome}");
    assert_eq!(welcome["rules"].get("game"), None, "{welcome}");

    // A host of Ultimate turns it away, saying which game and which version it needs.
    let host = start_host(HostConfig {
        game: Variant::Ultimate,
        ..host_config()
    });
    let mut old = hello_of_version(&host, 1).await;
    let reject = old.json().await;
    assert_eq!(reject["reason"], "version_mismatch");
    assert_eq!(reject["protocol"], PROTOCOL_VERSION);
    let message = reject["message"].as_str().unwrap();
    assert!(
        message.contains("Ultimate Tic-Tac-Toe") && message.contains("update"),
        "{message}"
    );
    assert_eq!(old.closed().await, Some(4000));

    // A joiner of this version is welcomed, and told the game.
    let welcome = hello_of_version(&host, PROTOCOL_VERSION).await.json().await;
    assert_eq!(welcome["rules"]["game"], "ultimate", "{welcome}");
    assert_eq!(
        welcome["snapshot"]["state"]["variant"], "ultimate",
        "{welcome}"
    );
}

#[tokio::test]
async fn a_silent_client_never_holds_the_seat() {
    let mut host = start_host(host_config());
    let mut silent = RawClient::connect(&host_addr(&host)).await;
    // While it says nothing, a real joiner takes the seat at once.
    let mut joiner = start_join(&host_addr(&host), join_config());
    both_playing(&mut host, &mut joiner).await;
    // The silent one is told and closed after the hello deadline.
    let reject = silent.json().await;
    assert_eq!(reject["reason"], "hello_timeout");
    assert_eq!(silent.closed().await, Some(1008));
    // A first message that is not hello is refused too.
    let mut rude = RawClient::connect(&host_addr(&host)).await;
    rude.send(json!({"type": "play", "id": 1, "cell": 5})).await;
    assert_eq!(rude.json().await["reason"], "expected_hello");
    assert_eq!(rude.closed().await, Some(1008));

    host.try_send(Intent::Play(cell(5))).unwrap();
    let (_, j) = both_at(&mut host, &mut joiner, 1).await;
    assert_eq!(j.me, Player::O);
}

#[tokio::test]
async fn a_seat_code_is_required_when_set() {
    let config = HostConfig {
        seat_code: Some("482913".to_owned()),
        ..host_config()
    };
    let mut host = start_host(config);
    assert_eq!(host.seat_code(), Some("482913"));
    let mut none = start_join(&host_addr(&host), join_config());
    assert_eq!(wait_error(&mut none).await, NetError::BadSeatCode);
    let wrong = JoinConfig {
        seat_code: Some("000000".to_owned()),
        ..join_config()
    };
    let mut wrong = start_join(&host_addr(&host), wrong);
    assert_eq!(wait_error(&mut wrong).await, NetError::BadSeatCode);
    let right = JoinConfig {
        seat_code: Some("482913".to_owned()),
        ..join_config()
    };
    let mut joiner = start_join(&host_addr(&host), right);
    both_playing(&mut host, &mut joiner).await;
}

#[tokio::test]
async fn each_connection_failure_has_its_own_message() {
    // Nobody listening: a port that was just free.
    let port = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        listener.local_addr().unwrap().port()
    };
    let mut refused = start_join(&format!("127.0.0.1:{port}"), join_config());
    let error = wait_error(&mut refused).await;
    assert_eq!(
        error,
        NetError::Refused {
            ip_port: format!("127.0.0.1:{port}")
        }
    );
    assert!(error.to_string().contains("Nobody is hosting"));

    // Something accepts TCP but never answers: a listener nobody accepts from.
    let mute = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let mute_addr = mute.local_addr().unwrap().to_string();
    let mut timed_out = start_join(&mute_addr, join_config());
    let error = wait_error(&mut timed_out).await;
    assert_eq!(error, NetError::Timeout { ip_port: mute_addr });
    assert!(error.to_string().contains("firewall"));

    let mut unknown = start_join("no-such-host.invalid", join_config());
    assert_eq!(
        wait_error(&mut unknown).await,
        NetError::NameNotFound {
            host: "no-such-host.invalid".to_owned()
        }
    );
    let mut bad = start_join("not an address", join_config());
    assert!(matches!(
        wait_error(&mut bad).await,
        NetError::BadAddress { .. }
    ));
    drop(mute);
}

#[tokio::test]
async fn ipv6_loopback_works_when_available() {
    let listener = match std::net::TcpListener::bind("[::1]:0") {
        Ok(listener) => listener,
        Err(error) => {
            crate::support::skipped(Some(format!("needs IPv6 loopback ([::1]: {error})")));
            return;
        }
    };
    let port = listener.local_addr().unwrap().port();
    let mut host =
        tictactoe::net::host::start_on(vec![listener], host_config(), tictactoe::net::no_wake())
            .unwrap();
    let mut joiner = start_join(&format!("[::1]:{port}"), join_config());
    both_playing(&mut host, &mut joiner).await;
}

#[tokio::test]
async fn pings_carry_any_integer_and_an_oversized_first_message_closes_with_1009() {
    let host = start_host(host_config());
    let mut client = RawClient::connect(&host_addr(&host)).await;
    client.hello("Raw").await;
    for t in ["-5", "0", "18446744073709551615", "-9223372036854775808"] {
        client
            .send_text(format!(r#"{{"type":"ping","t":{t}}}"#))
            .await;
        let pong = client.until("pong").await;
        assert_eq!(pong["t"].to_string(), t, "{pong}");
    }
    client.send_text(r#"{"type":"ping","t":1.5}"#).await;
    assert_eq!(client.until("rejected").await["reason"], "malformed");

    let mut big = RawClient::connect(&host_addr(&host)).await;
    big.send_text(format!(
        r#"{{"type":"hello","protocol":1,"app":"x","name":"{}"}}"#,
        "a".repeat(5000)
    ))
    .await;
    assert_eq!(big.closed().await, Some(1009));
}

/// A raw connection to `host` that has sent a player's `hello` of `protocol`.
async fn hello_of_version(host: &tictactoe::net::HostHandle, protocol: u32) -> RawClient {
    let mut raw = RawClient::connect(&host_addr(host)).await;
    raw.send(json!({"type": "hello", "protocol": protocol, "app": "0.0.9", "name": "Raw"}))
        .await;
    raw
}
