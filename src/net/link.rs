//! What every live connection has, whoever holds it (the host's seat and watchers, the joiner,
//! the watcher client): the heartbeat, the round-trip time, and batched writes.
//!
//! Owns no match, no rules and no limits: the holders keep their own state and say what to send;
//! this module says when a link is due a ping or counts as dead, measures the round trip, and
//! writes a batch of messages in one flush.

use std::time::{Duration, Instant};

use serde::Serialize;
use tokio::time::timeout;

use super::Timing;
use super::connection::Connection;
use super::wire::{Inbound, Stamp};

/// What the heartbeat asks for at a moment.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Beat {
    /// Nothing heard for too long: the link is dead.
    Dead,
    /// Time to send a `ping`.
    Ping,
    /// Nothing to do yet.
    Quiet,
}

/// The heartbeat of one connection: when it was last heard from and last pinged.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Heartbeat {
    ping_every: Duration,
    dead_after: Duration,
    last_heard: Instant,
    last_ping: Instant,
}

impl Heartbeat {
    /// A heartbeat for a connection that has just been heard from.
    pub(crate) fn new(timing: &Timing) -> Self {
        let now = Instant::now();
        Self {
            ping_every: timing.ping_every,
            dead_after: timing.dead_after,
            last_heard: now,
            last_ping: now,
        }
    }

    /// Something arrived: a sign of life.
    pub(crate) fn heard(&mut self) {
        self.last_heard = Instant::now();
    }

    /// When the heartbeat next needs attention.
    pub(crate) fn deadline(&self) -> Instant {
        (self.last_ping + self.ping_every).min(self.last_heard + self.dead_after)
    }

    /// What is due at `now`. A due ping counts as sent.
    pub(crate) fn tick(&mut self, now: Instant) -> Beat {
        if now >= self.last_heard + self.dead_after {
            Beat::Dead
        } else if now >= self.last_ping + self.ping_every {
            self.last_ping = now;
            Beat::Ping
        } else {
            Beat::Quiet
        }
    }
}

/// The round-trip time, from the `t` of our pings that come back as pongs.
#[derive(Clone, Copy, Debug)]
pub(crate) struct RoundTrip {
    epoch: Instant,
    last: Option<Duration>,
}

impl RoundTrip {
    /// No round trip measured yet; stamps count from now.
    pub(crate) fn new() -> Self {
        Self {
            epoch: Instant::now(),
            last: None,
        }
    }

    /// The `t` for a ping sent now: microseconds since this side started.
    pub(crate) fn stamp(&self) -> Stamp {
        Stamp::from_micros(u64::try_from(self.epoch.elapsed().as_micros()).unwrap_or(u64::MAX))
    }

    /// The pong of a ping stamped `t` came back. A `t` this side never sent is ignored.
    pub(crate) fn pong(&mut self, t: &Stamp) {
        let now = self.stamp().micros().unwrap_or(0);
        if let Some(sent) = t.micros()
            && sent <= now
        {
            self.last = Some(Duration::from_micros(now - sent));
        }
    }

    /// The last measured round trip.
    pub(crate) const fn last(&self) -> Option<Duration> {
        self.last
    }
}

/// Writes `msgs` in one flush, within `limit`; `false` when the connection failed or stalled.
pub(crate) async fn write_batch<In, Out, S>(
    conn: &mut Connection<In, Out, S>,
    msgs: &[Out],
    limit: Duration,
) -> bool
where
    In: Inbound,
    Out: Serialize,
    S: tokio::io::AsyncRead + tokio::io::AsyncWrite + Unpin,
{
    let written = timeout(limit, async {
        for msg in msgs {
            conn.feed_msg(msg).await?;
        }
        conn.flush().await
    })
    .await;
    matches!(written, Ok(Ok(())))
}
