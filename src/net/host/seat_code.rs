//! The seat code: what a host can require of a joiner, and the limits on guessing it.
//!
//! A code is 8 characters from 30 that cannot be mistaken for one another when read out (the
//! digits 2–9 and the letters without I, L, O and U), shown as two groups: `K7QM-3XRD`. Typed
//! codes are read without regard to case, dashes or spaces. That is 30⁸ ≈ 6.6 × 10¹¹ codes, half
//! of which a guesser must try on average.
//!
//! The host checks at most [`Limits::wrong_codes_per_second`](super::Limits) wrong codes a second
//! in all, and [`Limits::wrong_codes_per_minute`](super::Limits) a minute from one address (an
//! IPv4 address, or an IPv6 /64). An address with no wrong code in the last minute is always
//! checked, so a friend typing the right code gets in at once, whatever strangers are trying.

use std::collections::HashMap;
use std::time::{Duration, Instant};

use rand::{Rng as _, SeedableRng as _};

use super::Limits;
use crate::net::rate::{Rate, TokenBucket};
use crate::net::transport::PeerKey;
use crate::net::wire::RejectReason;

/// The characters of a code: none looks like another.
const ALPHABET: &[u8; 30] = b"23456789ABCDEFGHJKMNPQRSTVWXYZ";

/// How long a wrong code counts against its address.
const WINDOW: Duration = Duration::from_secs(60);

/// Addresses remembered at most; the oldest are forgotten first.
const MAX_ADDRESSES: usize = 4096;

/// A fresh code, such as `K7QM-3XRD`.
#[must_use]
pub fn new_seat_code() -> String {
    let mut rng = rand::rngs::StdRng::from_os_rng();
    let mut code = String::with_capacity(9);
    for i in 0..8 {
        if i == 4 {
            code.push('-');
        }
        code.push(char::from(ALPHABET[rng.random_range(0..ALPHABET.len())]));
    }
    code
}

/// A code as it is compared: upper case, without dashes or white space.
#[must_use]
pub fn normalize(code: &str) -> String {
    code.chars()
        .filter(|c| *c != '-' && !c.is_whitespace())
        .flat_map(char::to_uppercase)
        .collect()
}

/// Wrong codes from one address in the current window.
#[derive(Clone, Copy, Debug)]
struct Tries {
    wrong: u32,
    since: Instant,
}

/// The required code and every guess at it.
#[derive(Debug)]
pub(super) struct Guard {
    code: Option<String>,
    per_minute: u32,
    /// Wrong codes that may still be checked from addresses that already guessed wrong. Every
    /// wrong code spends it, a new address's too (into debt: a new address is always checked).
    budget: TokenBucket,
    tries: HashMap<PeerKey, Tries>,
    /// Wrong codes checked so far, and refused unchecked, for the log and tests.
    pub(super) wrong: u64,
    pub(super) unchecked: u64,
}

impl Guard {
    pub(super) fn new(code: Option<&str>, limits: &Limits) -> Self {
        let per_second = limits.wrong_codes_per_second;
        // A second's worth to begin with, two at most.
        let rate = Rate::new(per_second.max(1) * 2, per_second);
        Self {
            code: code.map(normalize).filter(|code| !code.is_empty()),
            per_minute: limits.wrong_codes_per_minute,
            budget: TokenBucket::holding(rate, f64::from(per_second), Instant::now()),
            tries: HashMap::new(),
            wrong: 0,
            unchecked: 0,
        }
    }

    /// Requires the code sent on `later`, once one has been (the router opened the port).
    pub(super) fn follow(&mut self, later: &mut tokio::sync::watch::Receiver<Option<String>>) {
        if later.has_changed().unwrap_or(false)
            && let Some(code) = later.borrow_and_update().as_deref()
        {
            self.code = Some(normalize(code)).filter(|code| !code.is_empty());
        }
    }

    /// Checks `typed` from `key`: `Ok` when no code is required or it is right, otherwise why not.
    pub(super) fn check(&mut self, key: PeerKey, typed: Option<&str>) -> Result<(), RejectReason> {
        let Some(code) = &self.code else {
            return Ok(());
        };
        let now = Instant::now();
        let tries = self
            .tries
            .get(&key)
            .copied()
            .filter(|tries| now.duration_since(tries.since) < WINDOW);
        // An address that already guessed wrong is checked only within both limits.
        if let Some(tries) = tries
            && (tries.wrong >= self.per_minute || !self.budget.has_token_at(now))
        {
            self.unchecked += 1;
            return Err(RejectReason::TooManyTries);
        }
        let typed = typed.map(normalize).unwrap_or_default();
        if constant_time_eq(typed.as_bytes(), code.as_bytes()) {
            return Ok(());
        }
        self.wrong += 1;
        self.budget.charge_at(now);
        let tries = tries.map_or(
            Tries {
                wrong: 1,
                since: now,
            },
            |tries| Tries {
                wrong: tries.wrong + 1,
                ..tries
            },
        );
        if self.tries.len() >= MAX_ADDRESSES && !self.tries.contains_key(&key) {
            self.tries
                .retain(|_, tries| now.duration_since(tries.since) < WINDOW);
            if self.tries.len() >= MAX_ADDRESSES
                && let Some(oldest) = self
                    .tries
                    .iter()
                    .min_by_key(|(_, t)| t.since)
                    .map(|(k, _)| *k)
            {
                self.tries.remove(&oldest);
            }
        }
        self.tries.insert(key, tries);
        Err(RejectReason::BadSeatCode)
    }
}

/// Compares without stopping at the first difference, so timing tells nothing of the code.
fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0_u8, |diff, (x, y)| diff | (x ^ y)) == 0
}

#[cfg(test)]
mod tests {
    use std::net::IpAddr;

    use super::*;

    #[test]
    fn codes_read_out_and_typed_back() {
        let code = new_seat_code();
        assert_eq!(code.len(), 9);
        assert_eq!(&code[4..5], "-");
        assert!(
            code.bytes()
                .filter(|&b| b != b'-')
                .all(|b| ALPHABET.contains(&b))
        );
        assert_eq!(normalize(" k7qm-3xrd "), "K7QM3XRD");
        assert_eq!(normalize("K7QM 3XRD"), "K7QM3XRD");
    }

    #[test]
    fn wrong_codes_are_limited_per_address_and_in_all_but_a_new_address_is_checked() {
        let limits = Limits {
            wrong_codes_per_second: 4,
            wrong_codes_per_minute: 3,
            ..Limits::default()
        };
        let mut guard = Guard::new(Some("K7QM-3XRD"), &limits);
        let addr = |n: u8| PeerKey::of_ip(IpAddr::from([10, 0, 0, n]));
        for _ in 0..3 {
            assert_eq!(
                guard.check(addr(1), Some("AAAA-AAAA")),
                Err(RejectReason::BadSeatCode)
            );
        }
        // The fourth wrong try from that address is not even checked, nor is the right one.
        assert_eq!(
            guard.check(addr(1), Some("K7QM-3XRD")),
            Err(RejectReason::TooManyTries)
        );
        // The budget in all is spent: addresses that guessed wrong wait, a new one is checked.
        assert_eq!(
            guard.check(addr(2), Some("BBBB-BBBB")),
            Err(RejectReason::BadSeatCode)
        );
        assert_eq!(
            guard.check(addr(2), Some("K7QM-3XRD")),
            Err(RejectReason::TooManyTries)
        );
        assert_eq!(guard.check(addr(3), Some("k7qm3xrd")), Ok(()));
        assert_eq!((guard.wrong, guard.unchecked), (4, 2));
        assert_eq!(Guard::new(None, &limits).check(addr(4), None), Ok(()));
    }
}
