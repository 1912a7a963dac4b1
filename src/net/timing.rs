//! How long things take and may take, on both sides: heartbeat, deadlines, grace period and
//! reconnection backoff. Plain values; the host, the joiner and the watcher read them.

use std::time::Duration;

/// Timings of both sides. The defaults suit people; tests shorten them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Timing {
    /// How often each side sends `ping` (default 2.5 s).
    pub ping_every: Duration,
    /// Silence after which the link counts as dead (default 9 s).
    pub dead_after: Duration,
    /// Host: how long a new connection has to send `hello`. Joiner: how long to wait for the
    /// host's answer to `hello` (default 5 s).
    pub hello_timeout: Duration,
    /// Host: how long a dropped joiner's seat is held before the win may be claimed (default 60 s).
    pub grace: Duration,
    /// Joiner: how long to wait for each address to answer (default 5 s).
    pub connect_timeout: Duration,
    /// Joiner: the first wait before reconnecting; it doubles each time (default 1 s).
    pub backoff_first: Duration,
    /// Joiner: the longest wait between reconnection attempts (default 8 s).
    pub backoff_max: Duration,
    /// Joiner: the longest it keeps trying to reconnect (default 90 s). It stops sooner, once the
    /// host has certainly given the seat up: the host's grace period and its dead-link time after
    /// the link was lost, and a second more.
    pub give_up_after: Duration,
    /// How long one write may take before the peer counts as stuck (default 3 s).
    pub write_timeout: Duration,
    /// Joiner and watcher: how long to keep trying a host that turns this address's new
    /// connections away (too many came from it at once), from the first time it does, before
    /// saying it is busy (default 30 s).
    pub give_up_busy_after: Duration,
}

impl Default for Timing {
    fn default() -> Self {
        Self {
            ping_every: Duration::from_millis(2500),
            dead_after: Duration::from_secs(9),
            hello_timeout: Duration::from_secs(5),
            grace: Duration::from_secs(60),
            connect_timeout: Duration::from_secs(5),
            backoff_first: Duration::from_secs(1),
            backoff_max: Duration::from_secs(8),
            give_up_after: Duration::from_secs(90),
            write_timeout: Duration::from_secs(3),
            give_up_busy_after: Duration::from_secs(30),
        }
    }
}
