//! The watchers: each connection that said `hello` with `"role": "watch"` gets a task of its
//! own, fed by the match's task ([`super::seat`]) through one bounded broadcast.
//!
//! The match's task never waits for a watcher. It serialises each message for the watchers
//! once, into a frame whose bytes every watcher's task shares, and puts it in a ring of
//! [`WATCH_QUEUE`] frames; a watcher that falls that far behind has missed frames, and is sent
//! the latest snapshot (also serialised once) instead of them. A watcher whose socket takes
//! nothing for the write timeout, or that answers no ping for the dead-link time, is dropped.
//! So a watcher costs the host at most the ring (shared), one WebSocket write buffer and a small
//! kernel send buffer, however slowly it reads. Owns no match: a watcher can change nothing.

use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Instant;

use futures_util::FutureExt as _;
use tokio::sync::{broadcast, mpsc, watch};
use tokio::time::{sleep_until, timeout};
use tokio_tungstenite::tungstenite::Utf8Bytes;

use crate::game::{Event, Snapshot};
use crate::net::api::Timing;
use crate::net::connection::{HostConnection, ReadError, to_json};
use crate::net::host::Limits;
use crate::net::session::{Beat, Heartbeat, RateLimit, RoundTrip};
use crate::net::wire::{ClientMsg, Refusal, ServerMsg, clean_chat, close_code};

/// How many frames the ring to the watchers holds: a watcher further behind is resynchronised
/// with a snapshot.
pub const WATCH_QUEUE: usize = 256;

/// The kernel's send buffer asked for on a watcher's socket, so that a watcher that does not
/// read holds little of the host's memory there either.
const WATCHER_SEND_BUFFER: usize = 32 * 1024;

/// One message for every watcher, serialised once.
#[derive(Clone, Debug)]
pub(super) struct Frame {
    /// For an event, its version: a watcher skips the events a snapshot it was sent holds.
    v: Option<u64>,
    /// The match ended with this event: the watcher is closed after it.
    last: bool,
    text: Utf8Bytes,
}

/// The latest snapshot, serialised once, for watchers that fell behind.
#[derive(Clone, Debug)]
pub(super) struct Snap {
    v: u64,
    over: bool,
    text: Utf8Bytes,
}

impl Snap {
    fn of(snapshot: &Snapshot, over: bool) -> Self {
        Self {
            v: snapshot.v,
            over,
            text: to_json(&ServerMsg::Snapshot(snapshot.clone())).into(),
        }
    }
}

/// How the watchers fare, counted as they go.
#[derive(Debug, Default)]
pub(super) struct Counters {
    watching: AtomicU64,
    admitted: AtomicU64,
    resynced: AtomicU64,
    dropped: AtomicU64,
    most_behind: AtomicU64,
}

impl Counters {
    pub(super) fn read(&self) -> WatchStats {
        WatchStats {
            watching: self.watching.load(Ordering::Relaxed),
            admitted: self.admitted.load(Ordering::Relaxed),
            resynced: self.resynced.load(Ordering::Relaxed),
            dropped: self.dropped.load(Ordering::Relaxed),
            most_behind: self.most_behind.load(Ordering::Relaxed),
        }
    }
}

/// How the watchers of a host fare.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct WatchStats {
    /// Watching now.
    pub watching: u64,
    /// Admitted since hosting started.
    pub admitted: u64,
    /// Times a watcher had fallen more than [`WATCH_QUEUE`] frames behind and was sent a
    /// snapshot instead.
    pub resynced: u64,
    /// Watchers dropped because they took nothing for the write timeout or went silent.
    pub dropped: u64,
    /// The most frames any watcher still had waiting for it in the ring when it took one (at
    /// most [`WATCH_QUEUE`]).
    pub most_behind: u64,
}

/// The thread the watchers' tasks run on, started with the first watcher: their writes (a
/// thousand system calls for every event, with a thousand watchers) never hold up the match's
/// thread, which only hands frames to the ring. It runs at the app's own priority: a lower one
/// starves the watchers on a busy machine (docs/PERFORMANCE.md, "Watchers"). Their sockets stay
/// with the match's runtime, which only wakes them when one becomes ready. Dropping it stops the thread, once the tasks
/// are done.
pub(super) struct WatchThread {
    handle: tokio::runtime::Handle,
    stop: tokio_util::sync::CancellationToken,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl WatchThread {
    pub(super) fn start() -> std::io::Result<Self> {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()?;
        let handle = runtime.handle().clone();
        let stop = tokio_util::sync::CancellationToken::new();
        let stopped = stop.clone();
        let thread = std::thread::Builder::new()
            .name("tictactoe-watchers".to_owned())
            .spawn(move || runtime.block_on(stopped.cancelled()))?;
        Ok(Self {
            handle,
            stop,
            thread: Some(thread),
        })
    }

    /// Runs `task` on the watchers' thread.
    pub(super) fn spawn(&self, task: impl Future<Output = ()> + Send + 'static) {
        drop(self.handle.spawn(task));
    }
}

impl Drop for WatchThread {
    fn drop(&mut self) {
        self.stop.cancel();
        if let Some(thread) = self.thread.take()
            && thread.join().is_err()
        {
            tracing::error!("the watchers' thread panicked");
        }
    }
}

/// What a watcher's task tells the match's task.
#[derive(Debug)]
pub(super) enum FromWatcher {
    /// A line of chat, already cleaned and within the watcher's rate.
    Chat {
        /// The watcher's name.
        name: String,
        /// What was said.
        text: String,
    },
    /// A watcher is gone: the count changed.
    Left,
}

/// The match's end of the watchers.
pub(super) struct Fan {
    frames: Option<broadcast::Sender<Frame>>,
    snapshot: watch::Sender<Snap>,
    to_match: mpsc::Sender<FromWatcher>,
    counters: Arc<Counters>,
}

impl Fan {
    pub(super) fn new(
        counters: Arc<Counters>,
        snapshot: &Snapshot,
    ) -> (Self, mpsc::Receiver<FromWatcher>) {
        let (frames, _) = broadcast::channel(WATCH_QUEUE);
        let (snapshot, _) = watch::channel(Snap::of(snapshot, false));
        let (to_match, from_watchers) = mpsc::channel(64);
        let fan = Self {
            frames: Some(frames),
            snapshot,
            to_match,
            counters,
        };
        (fan, from_watchers)
    }

    /// How many are watching.
    pub(super) fn count(&self) -> u64 {
        self.counters.watching.load(Ordering::Relaxed)
    }

    /// Whether anybody is watching (nothing is serialised for the watchers otherwise).
    fn watched(&self) -> bool {
        self.frames
            .as_ref()
            .is_some_and(|frames| frames.receiver_count() > 0)
    }

    /// Sends `msgs` to every watcher, each serialised once, after the snapshot that holds them
    /// (`snapshot`) for those that fall behind. Never waits.
    pub(super) fn send(&self, msgs: &[ServerMsg], snapshot: impl FnOnce() -> (Snapshot, bool)) {
        let Some(frames) = self.frames.as_ref().filter(|_| self.watched()) else {
            return;
        };
        // The snapshot first: a watcher that falls behind while these frames go into the ring
        // is then never sent a snapshot older than a frame it already has.
        let (snapshot, over) = snapshot();
        self.snapshot.send_replace(Snap::of(&snapshot, over));
        for msg in msgs {
            let (v, last) = match msg {
                ServerMsg::Event { v, event, .. } => (
                    Some(*v),
                    matches!(event, Event::Left { .. } | Event::Abandoned { .. }),
                ),
                _ => (None, false),
            };
            let frame = Frame {
                v,
                last,
                text: to_json(msg).into(),
            };
            // Nobody left to receive it is not an error: they are gone.
            drop(frames.send(frame));
        }
    }

    /// Admits a watcher: its ring receiver, its snapshot, its welcome. Returns what its task
    /// needs, or `None` once the match's end has closed the ring.
    pub(super) fn admit(&self, snapshot: &Snapshot, over: bool) -> Option<Subscription> {
        let frames = self.frames.as_ref()?.subscribe();
        self.snapshot.send_replace(Snap::of(snapshot, over));
        self.counters.watching.fetch_add(1, Ordering::Relaxed);
        self.counters.admitted.fetch_add(1, Ordering::Relaxed);
        Some(Subscription {
            frames,
            snapshot: self.snapshot.subscribe(),
            to_match: self.to_match.clone(),
            counters: Arc::clone(&self.counters),
            sent_v: snapshot.v,
        })
    }

    /// The match's task is ending: the watchers are sent what is left in the ring, then closed.
    pub(super) fn close(&mut self) {
        self.frames = None;
    }
}

/// A watcher's share of the fan-out.
pub(super) struct Subscription {
    frames: broadcast::Receiver<Frame>,
    snapshot: watch::Receiver<Snap>,
    to_match: mpsc::Sender<FromWatcher>,
    counters: Arc<Counters>,
    /// The version of the state the watcher was last sent.
    sent_v: u64,
}

/// One watcher's connection.
pub(super) struct Watcher {
    pub(super) conn: HostConnection,
    pub(super) peer: SocketAddr,
    pub(super) name: String,
    pub(super) sub: Subscription,
    pub(super) timing: Timing,
    pub(super) limits: Limits,
    /// Whether watchers may chat.
    pub(super) chat: bool,
}

/// What woke a watcher's task.
enum Wakeup {
    Frame(Result<Frame, broadcast::error::RecvError>),
    Read(Result<Option<ClientMsg>, ReadError>),
    Timer,
}

/// What a watcher's task writes next, and whether it then closes.
#[derive(Default)]
struct Out {
    texts: Vec<Utf8Bytes>,
    close: Option<u16>,
    /// The connection is gone: nothing to write.
    gone: bool,
}

impl Watcher {
    /// Sends `welcome`, then every frame in order, until the watcher leaves, falls silent or
    /// stalls, or the match's task closes the ring.
    pub(super) async fn run(mut self, welcome: Utf8Bytes) {
        let socket = socket2::SockRef::from(self.conn.get_ref());
        if let Err(error) = socket.set_send_buffer_size(WATCHER_SEND_BUFFER) {
            tracing::debug!(%error, "could not make a watcher's send buffer small");
        }
        let mut heartbeat = Heartbeat::new(&self.timing);
        let round_trip = RoundTrip::new();
        let mut rate = RateLimit::new(self.limits.burst, self.limits.per_second);
        let mut chat_rate = RateLimit::new(self.limits.chat_burst, self.limits.chat_per_second);
        let mut out = Out {
            texts: vec![welcome],
            ..Out::default()
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
                frame = self.sub.frames.recv() => Wakeup::Frame(frame),
                read = self.conn.read_msg() => Wakeup::Read(read),
                () = sleep_until(heartbeat.deadline().into()) => Wakeup::Timer,
            };
            match wakeup {
                Wakeup::Frame(frame) => self.frames(frame, &mut out),
                Wakeup::Read(read) => {
                    heartbeat.heard();
                    if rate.take() {
                        self.read(read, &mut chat_rate, &mut out);
                    } else {
                        tracing::debug!(peer = %self.peer, "a watcher is flooding: closed");
                        out.texts.push(rejected(None, Refusal::RateLimited));
                        out.close = Some(close_code::POLICY);
                    }
                }
                Wakeup::Timer => match heartbeat.tick(Instant::now()) {
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
    async fn write(&mut self, out: &mut Out) -> bool {
        if out.texts.is_empty() {
            return true;
        }
        let conn = &mut self.conn;
        let texts = std::mem::take(&mut out.texts);
        let written = timeout(self.timing.write_timeout, async {
            for text in texts {
                conn.feed_text(text).await?;
            }
            conn.flush().await
        })
        .await;
        matches!(written, Ok(Ok(())))
    }

    /// A frame from the ring (or word that frames were missed), and every other frame already
    /// waiting, into one write.
    fn frames(&mut self, first: Result<Frame, broadcast::error::RecvError>, out: &mut Out) {
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

    fn frame(&mut self, frame: Frame, out: &mut Out) {
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
    fn snapshot(&mut self, out: &mut Out) {
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
        chat_rate: &mut RateLimit,
        out: &mut Out,
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
                let said = if self.chat {
                    clean_chat(&text)
                } else {
                    Err(Refusal::ChatOff)
                };
                let said = said.and_then(|text| {
                    if chat_rate.take() {
                        Ok(text)
                    } else {
                        Err(Refusal::ChatTooFast)
                    }
                });
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
