//! The one rate limiter: a token bucket, alone or one per key, for every limit on what peers
//! send — messages and chat on a connection, new connections from an address, wrong seat codes.
//!
//! Sans-IO: the time is read by the caller or passed in, nothing here sleeps or touches a
//! socket, and no limit is decided here (the host's [`Limits`](super::Limits) say how much).
//!
//! A crate such as `governor` was weighed against this type: its GCRA bucket has no refund
//! (an accepted command costs nothing, `docs/PROTOCOL.md`, "Limits"), no look without taking
//! (a seat code is counted only once it proves wrong) and no debt (wrong codes from new
//! addresses are always checked, and still spend the budget in all), so every use but one
//! would have changed what a peer sees.

use std::collections::HashMap;
use std::hash::Hash;
use std::time::{Duration, Instant};

/// How much a bucket holds and how fast it fills.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) struct Rate {
    /// Tokens at most, and at the start.
    pub(crate) burst: f64,
    /// Tokens added each second.
    pub(crate) per_second: f64,
}

impl Rate {
    /// `burst` at once, then `per_second`.
    pub(crate) fn new(burst: u32, per_second: u32) -> Self {
        Self {
            burst: f64::from(burst),
            per_second: f64::from(per_second),
        }
    }

    /// How long an empty bucket takes to fill up again.
    fn refill_time(self) -> Duration {
        Duration::try_from_secs_f64(self.burst / self.per_second.max(f64::MIN_POSITIVE))
            .unwrap_or(Duration::MAX)
    }
}

/// A token bucket: [`Rate::burst`] tokens at once, refilled at [`Rate::per_second`]. A bucket
/// may be charged into debt, which later tokens pay off first.
#[derive(Clone, Copy, Debug)]
pub(crate) struct TokenBucket {
    rate: Rate,
    tokens: f64,
    last: Instant,
}

impl TokenBucket {
    /// A full bucket.
    pub(crate) fn new(rate: Rate) -> Self {
        Self::full_at(rate, Instant::now())
    }

    /// A bucket full at `now`.
    pub(crate) const fn full_at(rate: Rate, now: Instant) -> Self {
        Self::holding(rate, rate.burst, now)
    }

    /// A bucket holding `tokens` at `now` (less than a burst: a budget that starts low).
    pub(crate) const fn holding(rate: Rate, tokens: f64, now: Instant) -> Self {
        Self {
            rate,
            tokens,
            last: now,
        }
    }

    fn refill(&mut self, now: Instant) {
        let elapsed = now.saturating_duration_since(self.last).as_secs_f64();
        self.tokens = (self.tokens + elapsed * self.rate.per_second).min(self.rate.burst);
        self.last = self.last.max(now);
    }

    /// Takes one token now; `false` when there is none.
    pub(crate) fn take(&mut self) -> bool {
        self.take_at(Instant::now())
    }

    /// Takes one token at `now`; `false` when there is none.
    pub(crate) fn take_at(&mut self, now: Instant) -> bool {
        self.refill(now);
        if self.tokens >= 1.0 {
            self.tokens -= 1.0;
            true
        } else {
            false
        }
    }

    /// Whether a token is there at `now`, without taking it.
    pub(crate) fn has_token_at(&mut self, now: Instant) -> bool {
        self.refill(now);
        self.tokens >= 1.0
    }

    /// Takes one token at `now` even when there is none: the bucket goes into debt.
    pub(crate) fn charge_at(&mut self, now: Instant) {
        self.refill(now);
        self.tokens -= 1.0;
    }

    /// Gives back the token of something that turned out to be free.
    pub(crate) fn refund(&mut self) {
        self.tokens = (self.tokens + 1.0).min(self.rate.burst);
    }

    /// How long from `now` until a token is there (zero when one is).
    pub(crate) fn wait_at(&mut self, now: Instant) -> Duration {
        self.refill(now);
        let missing = 1.0 - self.tokens;
        if missing <= 0.0 {
            return Duration::ZERO;
        }
        Duration::try_from_secs_f64(missing / self.rate.per_second).unwrap_or(Duration::MAX)
    }

    /// Whether the bucket is full again at `now` (so it can be forgotten).
    fn full_by(&self, now: Instant) -> bool {
        now.saturating_duration_since(self.last) >= self.rate.refill_time() && self.tokens >= 0.0
    }
}

/// One bucket per key (an address, a peer), holding at most `max_keys` of them: when full,
/// the keys whose buckets have filled up again are forgotten, for they would start full.
#[derive(Debug)]
pub(crate) struct KeyedBuckets<K> {
    rate: Rate,
    max_keys: usize,
    buckets: HashMap<K, TokenBucket>,
}

impl<K: Copy + Eq + Hash> KeyedBuckets<K> {
    /// No key has spent anything yet.
    pub(crate) fn new(rate: Rate, max_keys: usize) -> Self {
        Self {
            rate,
            max_keys,
            buckets: HashMap::new(),
        }
    }

    /// Takes one token from `key`'s bucket at `now`; `false` when it has none.
    pub(crate) fn take_at(&mut self, key: K, now: Instant) -> bool {
        if self.buckets.len() >= self.max_keys && !self.buckets.contains_key(&key) {
            self.buckets.retain(|_, bucket| !bucket.full_by(now));
        }
        self.buckets
            .entry(key)
            .or_insert_with(|| TokenBucket::full_at(self.rate, now))
            .take_at(now)
    }

    /// Gives `key` back the token of something that turned out to be free. A key forgotten
    /// meanwhile would start full anyway.
    pub(crate) fn refund(&mut self, key: K) {
        if let Some(bucket) = self.buckets.get_mut(&key) {
            bucket.refund();
        }
    }

    /// How long from `now` until `key`'s bucket has a token (zero when it has one).
    pub(crate) fn wait_at(&mut self, key: K, now: Instant) -> Duration {
        self.buckets
            .get_mut(&key)
            .map_or(Duration::ZERO, |bucket| bucket.wait_at(now))
    }

    /// How many keys are remembered.
    #[cfg(test)]
    fn len(&self) -> usize {
        self.buckets.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_burst_then_the_rate_with_refunds_and_debt() {
        let start = Instant::now();
        let mut bucket = TokenBucket::full_at(Rate::new(3, 2), start);
        assert!((0..3).all(|_| bucket.take_at(start)));
        assert!(!bucket.take_at(start));
        // Half a second brings one token back at 2 a second.
        assert!(bucket.take_at(start + Duration::from_millis(500)));
        assert!(!bucket.take_at(start + Duration::from_millis(500)));
        bucket.refund();
        assert!(bucket.has_token_at(start + Duration::from_millis(500)));
        assert!(bucket.take_at(start + Duration::from_millis(500)));
        // Two tokens of debt take a second to pay off before the next one.
        bucket.charge_at(start + Duration::from_millis(500));
        bucket.charge_at(start + Duration::from_millis(500));
        assert!(!bucket.has_token_at(start + Duration::from_millis(1400)));
        assert!(bucket.take_at(start + Duration::from_millis(2000)));
        // Half a second to the next token at 2 a second, none to wait with one there.
        let empty = start + Duration::from_secs(10);
        assert!((0..3).all(|_| bucket.take_at(empty)));
        assert_eq!(bucket.wait_at(empty), Duration::from_millis(500));
        assert_eq!(
            bucket.wait_at(empty + Duration::from_millis(500)),
            Duration::ZERO
        );
        // Never more than the burst, however long it rests.
        let later = start + Duration::from_secs(60);
        assert!((0..3).all(|_| bucket.take_at(later)));
        assert!(!bucket.take_at(later));
    }

    #[test]
    fn buckets_per_key_forget_the_full_ones_when_there_are_too_many() {
        let start = Instant::now();
        let mut keyed = KeyedBuckets::new(Rate::new(2, 1), 2);
        assert!(keyed.take_at(1, start) && keyed.take_at(1, start));
        assert!(!keyed.take_at(1, start), "key 1 spent its burst");
        assert!(keyed.take_at(2, start), "key 2 has its own");
        // A third key while two are remembered: only those full again are forgotten.
        assert!(keyed.take_at(3, start + Duration::from_millis(100)));
        assert_eq!(keyed.len(), 3);
        let later = start + Duration::from_secs(5);
        assert!(keyed.take_at(4, later));
        assert_eq!(keyed.len(), 1, "every bucket was full again");
        // A key out of tokens waits for the next; one given back can be spent again at once.
        assert!(keyed.take_at(4, later) && !keyed.take_at(4, later));
        assert_eq!(keyed.wait_at(4, later), Duration::from_secs(1));
        keyed.refund(4);
        assert_eq!(keyed.wait_at(4, later), Duration::ZERO);
        assert!(keyed.take_at(4, later));
        assert_eq!(
            keyed.wait_at(5, later),
            Duration::ZERO,
            "an unknown key has its burst"
        );
    }
}
