//! The seat's link: the joiner's connection while it is connected, with its heartbeat, its
//! message and chat rates, the round trip measured on it, and the messages queued for it to be
//! written in one flush.
//!
//! Owns the connection and nothing of the match: the match task says what to send and reads
//! what arrives. A link ends in a task of its own ([`SeatLink::close_in_background`]), so that
//! a joiner slow to take its last messages never holds up the match.

use std::time::{Duration, Instant};

use tokio::time::timeout;
use tokio_util::task::TaskTracker;

use crate::net::Timing;
use crate::net::connection::{HostConnection, ReadError};
use crate::net::link::{Beat, Heartbeat, RoundTrip, write_batch};
use crate::net::rate::{Rate, TokenBucket};
use crate::net::transport::{BoxedStream, Peer};
use crate::net::wire::{ClientMsg, ServerMsg, Stamp};

use super::Limits;

/// The joiner's connection while it holds the seat.
pub(super) struct SeatLink {
    conn: HostConnection<BoxedStream>,
    peer: Peer,
    heartbeat: Heartbeat,
    round_trip: RoundTrip,
    /// Messages: every one costs a token, an accepted command gives its token back.
    rate: TokenBucket,
    chat_rate: TokenBucket,
    /// Messages for the joiner, written and flushed together.
    queue: Vec<ServerMsg>,
}

impl SeatLink {
    /// The link of a joiner that has just been welcomed.
    pub(super) fn new(
        conn: HostConnection<BoxedStream>,
        peer: Peer,
        timing: &Timing,
        limits: &Limits,
    ) -> Self {
        Self {
            conn,
            peer,
            heartbeat: Heartbeat::new(timing),
            round_trip: RoundTrip::new(),
            rate: TokenBucket::new(Rate::new(limits.burst, limits.per_second)),
            chat_rate: TokenBucket::new(Rate::new(limits.chat_burst, limits.chat_per_second)),
            queue: Vec::new(),
        }
    }

    /// Who holds the seat.
    pub(super) const fn peer(&self) -> Peer {
        self.peer
    }

    /// The next message from the joiner. Cancel-safe.
    pub(super) async fn read(&mut self) -> Result<Option<ClientMsg>, ReadError> {
        self.conn.read_msg().await
    }

    /// Something arrived: a sign of life, paid for with a token. `false` when the joiner is
    /// over its rate.
    pub(super) fn heard(&mut self) -> bool {
        self.heartbeat.heard();
        self.rate.take()
    }

    /// The message turned out to be an accepted command: it was free.
    pub(super) fn refund(&mut self) {
        self.rate.refund();
    }

    /// The joiner's chat rate.
    pub(super) const fn chat_rate(&mut self) -> &mut TokenBucket {
        &mut self.chat_rate
    }

    /// Queues a message for the next flush.
    pub(super) fn send(&mut self, msg: ServerMsg) {
        self.queue.push(msg);
    }

    /// When the heartbeat next needs attention.
    pub(super) fn deadline(&self) -> Instant {
        self.heartbeat.deadline()
    }

    /// The heartbeat at `now`: a due ping is queued; `Beat::Dead` when the joiner went silent.
    pub(super) fn tick(&mut self, now: Instant) -> Beat {
        let beat = self.heartbeat.tick(now);
        if beat == Beat::Ping {
            let t = self.round_trip.stamp();
            self.queue.push(ServerMsg::Ping { t });
        }
        beat
    }

    /// The joiner's answer to a ping.
    pub(super) fn pong(&mut self, t: &Stamp) {
        self.round_trip.pong(t);
    }

    /// The last round trip measured on this link.
    pub(super) const fn round_trip(&self) -> Option<Duration> {
        self.round_trip.last()
    }

    /// Writes everything queued in one flush, within `limit`; `false` when the connection
    /// failed or stalled.
    pub(super) async fn flush(&mut self, limit: Duration) -> bool {
        if self.queue.is_empty() {
            return true;
        }
        let written = write_batch(&mut self.conn, &self.queue, limit).await;
        self.queue.clear();
        written
    }

    /// Ends the link in a task of its own: what is queued is written, then a close frame with
    /// `code` when one is given, each within `limit`.
    pub(super) fn close_in_background(
        mut self,
        code: Option<u16>,
        limit: Duration,
        tracker: &TaskTracker,
    ) {
        tracker.spawn(async move {
            let closing = async {
                if self.flush(limit).await
                    && let Some(code) = code
                {
                    self.conn.close(code, "").await;
                }
            };
            if timeout(limit, closing).await.is_err() {
                tracing::debug!("the joiner did not take the last messages");
            }
            // Reading what is still in flight before dropping the socket keeps the kernel from
            // answering with a reset that could destroy the last messages on their way.
            if code.is_some() {
                self.conn.drain(limit).await;
            }
        });
    }

    /// Closes the link with `code` (and `reason`) within `limit`, here and now.
    pub(super) async fn close(mut self, code: u16, reason: &str, limit: Duration) {
        if timeout(limit, self.conn.close(code, reason)).await.is_err() {
            tracing::debug!("the joiner did not take the close frame");
        }
    }
}
