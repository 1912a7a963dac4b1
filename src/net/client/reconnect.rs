//! Connecting again after a dropped connection: waits that double up to a cap, given up once the
//! host has certainly given the seat up, with no intent taken meanwhile but leaving.
//!
//! [`Backoff`] is the plan, without I/O; [`Client::reconnect`] follows it. Owns no match: the
//! client's replica takes what the host sends on the new connection.

use std::time::{Duration, Instant};

use tokio::sync::mpsc;
use tokio_util::sync::CancellationToken;

use crate::game::Intent;
use crate::net::dial::{Dialer, HostLine};
use crate::net::front_end::Command;
use crate::net::wire::Refusal;
use crate::net::{NetError, NetEvent, Stage, Timing};

use super::{Client, SessionEnd, SessionInput, Side, Terms, connect, next_input};

/// When to try again, and when to stop.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Backoff {
    wait: Duration,
    max: Duration,
    attempt: u32,
    give_up_at: Instant,
}

impl Backoff {
    /// The plan after losing the link at `lost_at`: the first wait, doubling up to the cap,
    /// until the host has certainly given the seat up (its grace period and its dead-link time
    /// after the link was lost, and a second more) or `give_up_after`, whichever comes first.
    fn new(timing: &Timing, terms: &Terms, lost_at: Instant) -> Self {
        Self {
            wait: timing.backoff_first,
            max: timing.backoff_max,
            attempt: 0,
            give_up_at: lost_at
                + timing
                    .give_up_after
                    .min(terms.grace() + terms.dead_after() + Duration::from_secs(1)),
        }
    }

    /// The next attempt, as the stage the front end is shown, or `None` once it is time to give
    /// up.
    fn next(&mut self, now: Instant) -> Option<Stage> {
        if self.attempt > 0 {
            self.wait = (self.wait * 2).min(self.max);
        }
        if now + self.wait >= self.give_up_at {
            return None;
        }
        self.attempt += 1;
        Some(Stage::Reconnecting {
            attempt: self.attempt,
            retry_in: self.wait,
            give_up_at: self.give_up_at,
        })
    }
}

impl<S: Side, D: Dialer> Client<S, D> {
    /// Reconnects with backoff and resumes. Stops once the host has certainly given the seat up,
    /// when refused, when this side leaves (`Err(SessionEnd::Finished)`) or when the front end
    /// is gone (`Err(SessionEnd::Closed)`: a seat is kept).
    pub(super) async fn reconnect(
        &mut self,
        commands: &mut mpsc::Receiver<Command>,
        shutdown: &CancellationToken,
    ) -> Result<HostLine, SessionEnd> {
        self.mirror.connected = false;
        self.mirror.queue.clear();
        self.publish();
        let started = Instant::now();
        let mut backoff = Backoff::new(&self.timing, &self.mirror.terms, started);
        while let Some(stage) = backoff.next(Instant::now()) {
            let retry_at = Instant::now() + backoff.wait;
            self.mirror.outbox.push(NetEvent::Stage(stage));
            self.wait_until(retry_at, commands, shutdown).await?;
            self.mirror.outbox.push(NetEvent::Stage(Stage::Connecting {
                ip_port: self.dialer.describe(),
            }));
            let hello = self.side.hello(Some(&self.mirror.replica));
            let connected = tokio::select! {
                () = shutdown.cancelled() => return Err(SessionEnd::Closed),
                connected = connect::<S, D>(
                    hello,
                    &self.dialer,
                    &self.timing,
                    &mut self.mirror.outbox,
                ) => connected,
            };
            let error = match connected {
                Ok((conn, welcomed)) => {
                    tracing::info!(attempt = backoff.attempt, "reconnected");
                    if let Some(snapshot) = &welcomed.snapshot {
                        let updates = self.mirror.replica.on_snapshot(snapshot);
                        self.mirror.take_updates(updates);
                    }
                    if self.mirror.fatal.is_none() {
                        self.welcomed(&welcomed);
                        return Ok(conn);
                    }
                    None
                }
                Err(NetError::Unreadable) => {
                    let updates = self
                        .mirror
                        .replica
                        .on_unreadable("a welcome this version cannot read");
                    self.mirror.take_updates(updates);
                    None
                }
                Err(
                    NetError::Refused { .. }
                    | NetError::Timeout { .. }
                    | NetError::Busy { .. }
                    | NetError::ConnectionLost
                    | NetError::NameNotFound { .. },
                ) => None,
                Err(error) => Some(error),
            };
            if let Some(error) = error.or_else(|| self.mirror.fatal.take()) {
                self.mirror.outbox.push(NetEvent::Error(error));
                return Err(SessionEnd::Finished);
            }
        }
        let seconds = started.elapsed().as_secs();
        tracing::info!(seconds, "the host did not come back: giving up");
        self.mirror
            .outbox
            .push(NetEvent::Error(NetError::HostGone { seconds }));
        Err(SessionEnd::Finished)
    }

    /// Waits until `retry_at`, taking nothing from the front end but leaving.
    async fn wait_until(
        &mut self,
        retry_at: Instant,
        commands: &mut mpsc::Receiver<Command>,
        shutdown: &CancellationToken,
    ) -> Result<(), SessionEnd> {
        loop {
            let outbox = &mut self.mirror.outbox;
            let never = std::future::pending();
            match next_input(commands, shutdown, outbox, never, retry_at).await {
                SessionInput::Command(Some(Command::Intent(Intent::Leave))) => {
                    self.leave_here();
                    return Err(SessionEnd::Finished);
                }
                SessionInput::Shutdown | SessionInput::Command(None) => {
                    return Err(SessionEnd::Closed);
                }
                SessionInput::Command(Some(_)) => self.mirror.refused(
                    Refusal::Unexpected,
                    String::from("Not connected: wait for the connection to come back."),
                ),
                SessionInput::Timer => return Ok(()),
                SessionInput::Read(_) | SessionInput::Drained => {}
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn waits_double_up_to_the_cap_until_the_host_has_given_the_seat_up() {
        let timing = Timing {
            backoff_first: Duration::from_secs(1),
            backoff_max: Duration::from_secs(8),
            ..Timing::default()
        };
        let terms = Terms {
            rules: crate::net::wire::Rules {
                first: crate::game::Player::X,
                ping_ms: 2500,
                dead_after_ms: 9000,
                grace_ms: 20_000,
                auto_rematch: false,
                game: crate::game::Variant::Classic,
            },
            may_chat: true,
            watchers: 0,
        };
        let lost = Instant::now();
        let mut backoff = Backoff::new(&timing, &terms, lost);
        let mut now = lost;
        let mut waits = Vec::new();
        while let Some(stage) = backoff.next(now) {
            let Stage::Reconnecting {
                attempt, retry_in, ..
            } = stage
            else {
                panic!("{stage:?}");
            };
            assert_eq!(attempt as usize, waits.len() + 1);
            waits.push(retry_in.as_secs());
            now += retry_in;
        }
        // Given up 30 s after the loss: 20 s of grace, 9 s to notice, and a second more.
        assert_eq!(waits, [1, 2, 4, 8, 8]);
    }
}
