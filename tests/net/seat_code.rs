//! The seat code against a guessing crowd: the host checks few wrong codes (per address and in
//! all), a friend typing the right code gets in during the attack, and once the seat is taken no
//! answer tells a right code from a wrong one.

#![expect(clippy::unwrap_used, reason = "a test fails loudly")]

use std::net::{Ipv4Addr, SocketAddr};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use crate::support::net::{
    RawClient, both_playing, host_addr, host_config, join_config, start_host, start_join,
};
use futures_util::{SinkExt as _, StreamExt as _};
use serde_json::json;
use tictactoe::net::{HostConfig, HostHandle, JoinConfig, JoinHandle};
use tokio_tungstenite::tungstenite::Message;

/// What one guess got back.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Answer {
    /// `bad_seat_code`: the guess was checked, and wrong.
    Checked,
    /// `too_many_tries`: refused without checking.
    Unchecked,
    /// Closed before any answer (too many connections from that address).
    Closed,
    /// `match_full`: the friend has the seat; guessing is over.
    SeatTaken,
}

/// One guess from `ip`: a `hello` with `code`.
async fn guess(ip: Ipv4Addr, host: SocketAddr, code: &str) -> Answer {
    let socket = tokio::net::TcpSocket::new_v4().unwrap();
    socket.bind(SocketAddr::from((ip, 0))).unwrap();
    let Ok(stream) = socket.connect(host).await else {
        return Answer::Closed;
    };
    let Ok((mut ws, _)) = tokio_tungstenite::client_async(format!("ws://{host}/"), stream).await
    else {
        return Answer::Closed;
    };
    let hello =
        json!({"type": "hello", "protocol": 1, "app": "guess", "name": "G", "seat_code": code});
    if ws.send(Message::text(hello.to_string())).await.is_err() {
        return Answer::Closed;
    }
    match ws.next().await {
        Some(Ok(Message::Text(text))) => {
            let reply: serde_json::Value = serde_json::from_str(text.as_str()).unwrap();
            match reply["reason"].as_str() {
                Some("bad_seat_code") => Answer::Checked,
                Some("too_many_tries") => Answer::Unchecked,
                Some("match_full") => Answer::SeatTaken,
                other => panic!("a guess got {other:?}: {reply}"),
            }
        }
        _ => Answer::Closed,
    }
}

/// A friend joining `host` with the seat code `typed`, once both play.
async fn seated_with(host: &mut HostHandle, typed: &str) -> JoinHandle {
    let config = JoinConfig {
        seat_code: Some(typed.to_owned()),
        ..join_config()
    };
    let mut friend = start_join(&host_addr(host), config);
    both_playing(host, &mut friend).await;
    friend
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn guessing_the_seat_code_is_slowed_to_a_crawl_and_the_friend_gets_in_during_it() {
    crate::support::take_the_machine_alone();
    let code = tictactoe::net::host::new_seat_code();
    let mut host = start_host(HostConfig {
        seat_code: Some(code.clone()),
        ..host_config()
    });
    let addr: SocketAddr = host_addr(&host).parse().unwrap();
    let counts: Arc<[AtomicU64; 4]> = Arc::new(Default::default());
    let stop = tokio_util::sync::CancellationToken::new();
    // Fifty addresses guessing as fast as they can, each its own wrong codes.
    let guessers: Vec<_> = (0..50_u8)
        .map(|n| {
            let counts = Arc::clone(&counts);
            let stop = stop.clone();
            tokio::spawn(async move {
                let ip = Ipv4Addr::new(127, 2, 0, n + 1);
                let mut tries = 0_u64;
                while !stop.is_cancelled() && tries < 100_000 {
                    tries += 1;
                    let wrong = format!("2222-{:04}", tries % 10_000)
                        .replace('0', "3")
                        .replace('1', "4");
                    let answer = guess(ip, addr, &wrong).await;
                    if answer == Answer::SeatTaken {
                        return;
                    }
                    counts[answer as usize].fetch_add(1, Ordering::Relaxed);
                    if answer == Answer::Closed {
                        tokio::time::sleep(Duration::from_millis(20)).await;
                    }
                }
            })
        })
        .collect();
    let started = Instant::now();
    tokio::time::sleep(Duration::from_secs(3)).await;

    // The friend, from an address of its own, types the code as shown (in lower case).
    let asked = Instant::now();
    let _friend = seated_with(&mut host, &code.to_lowercase()).await;
    let waited = asked.elapsed();
    let seconds = started.elapsed().as_secs_f64();
    assert!(
        waited < Duration::from_secs(5),
        "the friend waited {waited:?}"
    );
    stop.cancel();
    for guesser in guessers {
        tokio::time::timeout(Duration::from_secs(10), guesser)
            .await
            .unwrap()
            .unwrap();
    }
    let [checked, unchecked, closed] = [0, 1, 2].map(|i| counts[i].load(Ordering::Relaxed));
    let per_minute = |n: u64| n as f64 * 60.0 / seconds;
    println!(
        "in {seconds:.1} s: {} guesses a minute tried, {:.0} a minute checked ({checked} checked, \
         {unchecked} refused unchecked, {closed} closed at once); the friend waited {waited:?}",
        per_minute(checked + unchecked + closed) as u64,
        per_minute(checked),
    );
    // The limits: 5 a minute from one address, and 30 a second in all (after a burst of 60).
    assert!(checked <= 50 * 5, "{checked} wrong codes checked");
    assert!(
        checked as f64 <= 60.0 + 30.0 * seconds + 50.0,
        "{checked} wrong codes checked"
    );
    assert!(
        unchecked + closed > checked,
        "most guesses were never checked"
    );
    // At that rate, half of the 30^8 codes take longer than 30 days to try.
    let days = 30_f64.powi(8) / 2.0 / (checked as f64 / seconds) / 86_400.0;
    assert!(days > 30.0, "{days} days");
    println!("at the measured rate of checks, guessing the code takes {days:.0} days on average");
}

#[tokio::test]
async fn once_the_seat_is_taken_a_right_code_and_a_wrong_one_get_the_same_answer() {
    let code = tictactoe::net::host::new_seat_code();
    let mut host = start_host(HostConfig {
        seat_code: Some(code.clone()),
        ..host_config()
    });
    let _friend = seated_with(&mut host, &code).await;
    let mut answers = Vec::new();
    for typed in [code.as_str(), "2222-3333"] {
        let mut stranger = RawClient::connect(&host_addr(&host)).await;
        stranger
            .send(json!({"type": "hello", "protocol": 1, "app": "x", "name": "S", "seat_code": typed}))
            .await;
        let reject = stranger.json().await;
        answers.push((
            reject["type"].clone(),
            reject["reason"].clone(),
            reject["message"].clone(),
        ));
    }
    assert_eq!(answers[0], answers[1]);
    assert_eq!(answers[0].1, "match_full");
}
