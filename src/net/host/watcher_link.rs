//! One watcher's connection at the host: a task of its own that sends the welcome, then every
//! frame of the fan-out in order (or the latest snapshot once it fell too far behind), answers
//! its pings and its `sync`, passes its chat to the match task when the host allows it, and
//! drops it when it takes nothing for the write timeout or falls silent.
//!
//! A watcher can change nothing: its commands are refused here and never reach the match. It
//! costs the host at most its share of the ring, one WebSocket write buffer and a small send
//! buffer, however slowly it reads. Owns the connection, its heartbeat and its rates; the ring
//! is [`super::fan_out`]'s.

use std::sync::atomic::Ordering;
use std::time::Instant;

use futures_util::FutureExt as _;
use tokio::sync::broadcast;
use tokio::time::{sleep_until, timeout};
use tokio_tungstenite::tungstenite::Utf8Bytes;

use crate::net::Timing;
use crate::net::connection::{HostConnection, ReadError, to_json};
use crate::net::link::{Beat, Heartbeat, RoundTrip};
use crate::net::rate::{Rate, TokenBucket};
use crate::net::transport::{BoxedStream, Peer};
use crate::net::wire::{ClientMsg, Refusal, ServerMsg, close_code};

use super::Limits;
use super::chat::ChatRelay;
use super::fan_out::{Frame, FromWatcher, Subscription, WATCH_QUEUE};

/// The kernel's send buffer asked for on a watcher's socket, so that a watcher that does not
/// read holds little of the host's memory there either.
const WATCHER_SEND_BUFFER: usize = 32 * 1024;

/// One watcher's connection.
pub(super) struct WatcherLink {
    pub(super) conn: HostConnection<BoxedStream>,
    pub(super) peer: Peer,
    pub(super) name: String,
    pub(super) sub: Subscription,
    pub(super) timing: Timing,
    pub(super) limits: Limits,
    /// Whether watchers may chat.
    pub(super) chat: bool,
}

/// What woke a watcher's task.
enum WatcherInput {
    Frame(Result<Frame, broadcast::error::RecvError>),
    Read(Result<Option<ClientMsg>, ReadError>),
    Timer,
}

/// What a watcher's task writes next, and whether it then closes.
#[derive(Default)]
struct Outgoing {
    texts: Vec<Utf8Bytes>,
    close: Option<u16>,
    /// The connection is gone: nothing to write.
    gone: bool,
}

impl WatcherLink {
    /// Sends `welcome`, then every frame in order, until the watcher leaves, falls silent or
    /// stalls, or the match's task closes the ring.
    pub(super) async fn run(mut self, welcome: Utf8Bytes) {
        self.conn.get_ref().limit_send_buffer(WATCHER_SEND_BUFFER);
        let mut heartbeat = Heartbeat::new(&self.timing);
        let round_trip = RoundTrip::new();
        let mut rate = TokenBucket::new(Rate::new(self.limits.burst, self.limits.per_second));
        let mut chat_rate = TokenBucket::new(Rate::new(
            self.limits.chat_burst,
            self.limits.chat_per_second,
        ));
        let mut out = Outgoing {
            texts: vec![welcome],
            ..Outgoing::default()
        };
        loop {
            if !out.gone && !self.write(&mut out).await {
                self.sub.counters.dropped.fetch_add(1, Ordering::Relaxed);
                tracing::debug!(peer = %self.peer, "a watcher took nothing: dropped");
                break;
            }
            if out.gone {
                break;
            }
            if let Some(code) = out.close {
                // The watcher may still be reading what came before the close: until it answers
                // it (or the write timeout), the socket is kept, so that closing it with its
                // pongs unread does not reset the connection and lose those last messages. A
                // host that is closing waits less.
                let limit = if code == close_code::GOING_AWAY {
                    self.timing
                        .write_timeout
                        .min(std::time::Duration::from_millis(500))
                } else {
                    self.timing.write_timeout
                };
                if timeout(limit, self.conn.close(code, "")).await.is_ok() {
                    self.conn.drain(limit).await;
                }
                break;
            }
            let wakeup = tokio::select! {
                frame = self.sub.frames.recv() => WatcherInput::Frame(frame),
                read = self.conn.read_msg() => WatcherInput::Read(read),
                () = sleep_until(heartbeat.deadline().into()) => WatcherInput::Timer,
            };
            match wakeup {
                WatcherInput::Frame(frame) => self.frames(frame, &mut out),
                WatcherInput::Read(read) => {
                    heartbeat.heard();
                    if rate.take() {
                        self.read(read, &mut chat_rate, &mut out);
                    } else {
                        tracing::debug!(peer = %self.peer, "a watcher is flooding: closed");
                        out.texts.push(rejected(None, Refusal::RateLimited));
                        out.close = Some(close_code::POLICY);
                    }
                }
                WatcherInput::Timer => match heartbeat.tick(Instant::now()) {
                    Beat::Dead => {
                        // While a write waited, what the watcher sent was not read: a message
                        // already here is a sign of life.
                        if let Some(read) = self.conn.read_msg().now_or_never() {
                            heartbeat.heard();
                            self.read(read, &mut chat_rate, &mut out);
                            continue;
                        }
                        tracing::debug!(peer = %self.peer, "a watcher went silent: dropped");
                        self.sub.counters.dropped.fetch_add(1, Ordering::Relaxed);
                        break;
                    }
                    Beat::Ping => out.texts.push(
                        to_json(&ServerMsg::Ping {
                            t: round_trip.stamp(),
                        })
                        .into(),
                    ),
                    Beat::Quiet => {}
                },
            }
        }
        self.sub.counters.watching.fetch_sub(1, Ordering::Relaxed);
        // Only to wake the match's task for the count; when its queue is full it is awake.
        drop(self.sub.to_match.try_send(FromWatcher::Left));
    }

    /// Writes what is queued in one flush, within the write timeout; `false` when it stalled
    /// or failed.
    async fn write(&mut self, out: &mut Outgoing) -> bool {
        if out.texts.is_empty() {
            return true;
        }
        let conn = &mut self.conn;
        let texts = std::mem::take(&mut out.texts);
        let writing = timeout(self.timing.write_timeout, async {
            for text in texts {
                conn.feed_text(text).await?;
            }
            conn.flush().await
        });
        tokio::pin!(writing);
        // The writer's turn, for as long as the socket takes the bytes at once; a socket that
        // would wait gives the turn back and waits alone.
        let turn = self.sub.writer.acquire().await;
        let written = tokio::select! {
            biased;
            written = &mut writing => written,
            () = std::future::ready(()) => {
                drop(turn);
                writing.await
            }
        };
        matches!(written, Ok(Ok(())))
    }

    /// A frame from the ring (or word that frames were missed), and every other frame already
    /// waiting, into one write.
    fn frames(&mut self, first: Result<Frame, broadcast::error::RecvError>, out: &mut Outgoing) {
        // More than the ring holds is a watcher that lost frames: counted as resynchronised.
        let behind = u64::try_from(self.sub.frames.len().min(WATCH_QUEUE)).unwrap_or(u64::MAX);
        self.sub
            .counters
            .most_behind
            .fetch_max(behind, Ordering::Relaxed);
        let mut next = Some(first);
        for _ in 0..=WATCH_QUEUE {
            let Some(received) = next.take() else { break };
            match received {
                Ok(frame) => self.frame(frame, out),
                Err(broadcast::error::RecvError::Lagged(missed)) => {
                    tracing::debug!(peer = %self.peer, missed, "a watcher fell behind: resynchronised");
                    self.sub.counters.resynced.fetch_add(1, Ordering::Relaxed);
                    self.snapshot(out);
                }
                Err(broadcast::error::RecvError::Closed) => {
                    out.close.get_or_insert(close_code::GOING_AWAY);
                }
            }
            if out.close.is_some() {
                break;
            }
            next = match self.sub.frames.try_recv() {
                Ok(frame) => Some(Ok(frame)),
                Err(broadcast::error::TryRecvError::Lagged(missed)) => {
                    Some(Err(broadcast::error::RecvError::Lagged(missed)))
                }
                Err(broadcast::error::TryRecvError::Closed) => {
                    Some(Err(broadcast::error::RecvError::Closed))
                }
                Err(broadcast::error::TryRecvError::Empty) => None,
            };
        }
    }

    fn frame(&mut self, frame: Frame, out: &mut Outgoing) {
        if let Some(v) = frame.v {
            if v <= self.sub.sent_v {
                // A snapshot this watcher was sent holds it already.
                return;
            }
            self.sub.sent_v = v;
        }
        out.texts.push(frame.text);
        if frame.last {
            out.close = Some(close_code::NORMAL);
        }
    }

    /// The latest snapshot; a watcher sent one of a match that is over is closed after it.
    fn snapshot(&mut self, out: &mut Outgoing) {
        let snap = self.sub.snapshot.borrow_and_update().clone();
        self.sub.sent_v = snap.v;
        out.texts.push(snap.text);
        if snap.over {
            out.close = Some(close_code::NORMAL);
        }
    }

    /// A message from the watcher: it can change nothing, only ask for a snapshot, answer a
    /// ping, leave, and chat when the host allows it.
    fn read(
        &mut self,
        read: Result<Option<ClientMsg>, ReadError>,
        chat_rate: &mut TokenBucket,
        out: &mut Outgoing,
    ) {
        match read {
            Ok(Some(
                ClientMsg::Play { id, .. } | ClientMsg::Rematch { id } | ClientMsg::Resign { id },
            )) => {
                out.texts.push(rejected(Some(id), Refusal::Watching));
                self.snapshot(out);
            }
            Ok(Some(ClientMsg::Sync)) => self.snapshot(out),
            Ok(Some(ClientMsg::Ping { t })) => {
                out.texts.push(to_json(&ServerMsg::Pong { t }).into());
            }
            Ok(Some(ClientMsg::Pong { .. })) | Err(ReadError::Control) => {}
            Ok(Some(ClientMsg::Hello { .. })) => {
                out.texts.push(rejected(None, Refusal::Unexpected));
            }
            Ok(Some(ClientMsg::Leave)) => out.close = Some(close_code::NORMAL),
            Ok(Some(ClientMsg::Chat { text })) => {
                let said = ChatRelay::check_watcher_line(self.chat, &text, chat_rate);
                let sent = said.and_then(|text| {
                    let chat = FromWatcher::Chat {
                        name: self.name.clone(),
                        text,
                    };
                    self.sub
                        .to_match
                        .try_send(chat)
                        .map_err(|_full| Refusal::ChatTooFast)
                });
                if let Err(reason) = sent {
                    out.texts.push(rejected(None, reason));
                }
            }
            Err(ReadError::Parse(error)) => {
                out.texts.push(rejected(error.id(), error.refusal()));
                if error.id().is_some() {
                    self.snapshot(out);
                }
            }
            Err(ReadError::Binary { .. }) => out.texts.push(rejected(None, Refusal::Binary)),
            Err(ReadError::TooLarge { .. }) => {
                out.texts.push(rejected(None, Refusal::TooLarge));
                out.close = Some(close_code::TOO_BIG);
            }
            Ok(None) | Err(ReadError::Transport { .. }) => out.gone = true,
        }
    }
}

/// A `rejected`, serialised.
fn rejected(id: Option<u64>, reason: Refusal) -> Utf8Bytes {
    to_json(&ServerMsg::Rejected {
        id,
        reason,
        message: reason.message().to_owned(),
    })
    .into()
}
