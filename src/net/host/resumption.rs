//! What lets the joiner come back: the seat's resume token, the answers to its last commands
//! (so that a command sent again is answered from memory, never applied twice), the events it
//! missed, and the clock of its absence (the grace period, after which the player who stayed
//! may claim the win).
//!
//! Sans-IO: the match task passes the time and the joiner's `hello`, and reads back what to do.
//! Owns no connection (that is [`super::seat_link`]) and no rules: the engine says whether a
//! command is legal and whether a win may be claimed; this says what was answered and how long
//! the joiner has been away.

use std::collections::VecDeque;
use std::time::{Duration, Instant};

use rand::{Rng as _, SeedableRng as _};

use crate::game::{Entry, EventLog};
use crate::net::Presence;
use crate::net::wire::{Refusal, RejectReason, Resume, ServerMsg};

/// How many command results are remembered, so a resent command is answered, not replayed.
const RECENT_COMMANDS: usize = 64;

/// How often the countdown is shown while the joiner is away.
const COUNTDOWN_EVERY: Duration = Duration::from_secs(1);

/// What a `hello` for the seat asks, once the token is checked.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum SeatClaim {
    /// Nobody holds the seat yet: this joiner takes it (if its seat code is right).
    Fresh,
    /// The seat's holder is back, with the last version it applied (`None`: it kept nothing).
    Back {
        /// The version after which events are replayed.
        v: Option<u64>,
    },
}

/// The countdown while the seat is held for an absent joiner.
#[derive(Clone, Copy, Debug)]
struct Away {
    claim_at: Instant,
    next_tick: Option<Instant>,
}

/// The seat's token, the answers remembered for it, and its absence.
#[derive(Debug, Default)]
pub(super) struct Resumption {
    /// The seat's resume token, once someone has joined.
    token: Option<String>,
    recent: VecDeque<(u64, Result<u64, Refusal>)>,
    away: Option<Away>,
}

impl Resumption {
    /// Whether someone has taken the seat (and holds it, connected or not).
    pub(super) const fn taken(&self) -> bool {
        self.token.is_some()
    }

    /// The seat's token; empty before anyone has joined.
    pub(super) fn token(&self) -> &str {
        self.token.as_deref().unwrap_or_default()
    }

    /// Reads a `hello`'s claim to the seat. Once the seat is taken only its token counts: the
    /// seat code is not even looked at, so that a refusal then tells nothing about a guess.
    pub(super) fn claim(&self, resume: Option<Resume>) -> Result<SeatClaim, RejectReason> {
        match (&self.token, resume) {
            (Some(token), Some(resume)) if *token == resume.token => {
                Ok(SeatClaim::Back { v: resume.v })
            }
            (_, Some(_)) => Err(RejectReason::BadToken),
            (Some(_), None) => Err(RejectReason::MatchFull),
            (None, None) => Ok(SeatClaim::Fresh),
        }
    }

    /// The seat is being taken: a fresh token when nobody held it. A joiner that kept no state
    /// (started again) has no command of its own in flight and numbers its commands from 1
    /// again, so the answers remembered for it are forgotten.
    pub(super) fn seat(&mut self, claim: SeatClaim) {
        if matches!(claim, SeatClaim::Fresh | SeatClaim::Back { v: None }) {
            self.recent.clear();
        }
        if claim == SeatClaim::Fresh {
            self.token = Some(new_token());
        }
    }

    /// A fresh joiner vanished before it had its token: the seat is free again.
    pub(super) fn unseat(&mut self) {
        self.token = None;
    }

    /// The answer given to command `id`, if it was answered lately.
    pub(super) fn answer(&self, id: u64) -> Option<Result<u64, Refusal>> {
        self.recent
            .iter()
            .find(|(seen, _)| *seen == id)
            .map(|&(_, result)| result)
    }

    /// Remembers the answer to command `id`.
    pub(super) fn remember(&mut self, id: u64, result: Result<u64, Refusal>) {
        if self.recent.len() == RECENT_COMMANDS {
            self.recent.pop_front();
        }
        self.recent.push_back((id, result));
    }

    /// The joiner's link dropped at `now`: its seat is held for `grace` (only once someone
    /// holds it, and while the match is on).
    pub(super) fn away_from(&mut self, now: Instant, grace: Duration) {
        if self.taken() {
            self.away = Some(Away {
                claim_at: now + grace,
                next_tick: Some(now + COUNTDOWN_EVERY.min(grace)),
            });
        }
    }

    /// The joiner is back, the win was claimed, or the match is over: no countdown.
    pub(super) const fn stop_clock(&mut self) {
        self.away = None;
    }

    /// When the countdown is next due to be shown.
    pub(super) fn next_tick(&self) -> Option<Instant> {
        self.away.and_then(|away| away.next_tick)
    }

    /// The clock at `now`: `true` when the countdown is due to be shown.
    pub(super) fn tick(&mut self, now: Instant) -> bool {
        let Some(away) = self.away.as_mut() else {
            return false;
        };
        if away.next_tick.is_none_or(|tick| now < tick) {
            return false;
        }
        away.next_tick = if now >= away.claim_at {
            None
        } else {
            Some((now + COUNTDOWN_EVERY).min(away.claim_at))
        };
        true
    }

    /// Whether the joiner has been away for the whole grace period at `now`.
    pub(super) fn past_grace(&self, now: Instant) -> bool {
        self.away.is_some_and(|away| now >= away.claim_at)
    }

    /// The opponent's presence at `now`, when not connected.
    pub(super) fn absence(&self, now: Instant) -> Presence {
        match self.away {
            Some(away) => Presence::Away {
                remaining: away.claim_at.saturating_duration_since(now),
                claim_at: away.claim_at,
            },
            None => Presence::NotJoined,
        }
    }
}

/// What a joiner back with `claim` is sent after its welcome: every event after the version it
/// applied, when the match's `log` still holds them all; otherwise `None`, and the welcome
/// carries a snapshot instead.
pub(super) fn replay(claim: SeatClaim, log: &EventLog) -> Option<Vec<ServerMsg>> {
    match claim {
        SeatClaim::Back { v: Some(v) } => Some(log.after(v)?.map(event_msg).collect()),
        SeatClaim::Back { v: None } | SeatClaim::Fresh => None,
    }
}

/// An event of the match's log as the wire carries it.
pub(super) const fn event_msg(entry: &Entry) -> ServerMsg {
    ServerMsg::Event {
        v: entry.v,
        digest: entry.digest,
        chain: entry.chain,
        event: entry.event,
    }
}

/// A fresh resume token: 128 random bits as hex.
fn new_token() -> String {
    let mut rng = rand::rngs::StdRng::from_os_rng();
    format!("{:032x}", rng.random::<u128>())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_token_answers_and_the_clock_of_an_absence() {
        let mut seat = Resumption::default();
        assert_eq!(seat.claim(None), Ok(SeatClaim::Fresh));
        let resume = |token: &str, v| Resume {
            token: token.to_owned(),
            v,
        };
        assert_eq!(
            seat.claim(Some(resume("x", None))),
            Err(RejectReason::BadToken)
        );
        seat.seat(SeatClaim::Fresh);
        let token = seat.token().to_owned();
        assert_eq!(token.len(), 32);
        assert_eq!(seat.claim(None), Err(RejectReason::MatchFull));
        assert_eq!(
            seat.claim(Some(resume(&token, Some(4)))),
            Ok(SeatClaim::Back { v: Some(4) })
        );
        seat.remember(7, Ok(3));
        seat.remember(8, Err(Refusal::Occupied));
        assert_eq!(seat.answer(8), Some(Err(Refusal::Occupied)));
        seat.seat(SeatClaim::Back { v: Some(4) });
        assert_eq!(
            seat.answer(7),
            Some(Ok(3)),
            "kept for a joiner that kept its state"
        );
        seat.seat(SeatClaim::Back { v: None });
        assert_eq!(seat.answer(7), None, "forgotten for one started again");

        let now = Instant::now();
        seat.away_from(now, Duration::from_millis(2500));
        assert!(
            matches!(seat.absence(now), Presence::Away { remaining, .. } if remaining == Duration::from_millis(2500))
        );
        assert!(!seat.tick(now + Duration::from_millis(999)));
        assert!(seat.tick(now + Duration::from_secs(1)));
        assert!(seat.tick(now + Duration::from_secs(2)));
        assert_eq!(seat.next_tick(), Some(now + Duration::from_millis(2500)));
        assert!(!seat.past_grace(now + Duration::from_secs(2)));
        assert!(seat.tick(now + Duration::from_millis(2500)));
        assert_eq!(seat.next_tick(), None);
        assert!(seat.past_grace(now + Duration::from_millis(2500)));
        seat.stop_clock();
        assert_eq!(seat.absence(now), Presence::NotJoined);
    }
}
