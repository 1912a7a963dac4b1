//! Admission: every connection from its first byte to a valid `hello`, whatever transport
//! brought it ([`Acceptor`]). A connection that gets through is handed to the match task
//! ([`super::match_task`]) as an [`Arrival`]; everything else is refused here, in a task of its
//! own, and never touches the match.
//!
//! A crowd cannot block it. Every connection is accepted; each waits in a slot that lasts at most
//! the hello deadline. When the slots are full, the connection that has made no progress for the
//! longest gives up its slot to the newest — one from the same address first. A joiner moves on
//! within a millisecond at each step (connected, upgraded to WebSocket, `hello` read), so it is
//! through long before it is the most stalled; a crowd that connects and stalls pushes out only
//! its own. Connections from the seat holder's address (a joiner coming back) are never pushed
//! out by others. WebSocket pings and pongs before the `hello` count against a small allowance.
//!
//! Each address opens new connections at a rate: a burst, then a steady pace. A connection the
//! match takes in (a seat, a watcher's place) gives its token back, so that people behind one
//! address — a family, a school, a carrier-grade NAT — come in at the pace of their handshakes,
//! while connections that stall, flood or are refused keep paying. A connection over the rate is
//! told when to come back: its WebSocket upgrade is answered `429 Too Many Requests` with
//! `Retry-After`. One that comes faster still, over a second allowance of such answers, is reset
//! at once, which costs the host no more than its accept.
//!
//! Every limit counts by [`PeerKey`]: an IPv4 address, an IPv6 /64, or a peer's public key.
//! Owns the slots and the per-address rate of new connections; the seat and the match are the
//! match task's.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use tokio::io::AsyncReadExt as _;
use tokio::sync::{mpsc, oneshot};
use tokio::time::{timeout, timeout_at};
use tokio_tungstenite::tungstenite::handshake::server::{ErrorResponse, Request, Response};
use tokio_tungstenite::tungstenite::{self, http};
use tokio_util::sync::CancellationToken;
use tokio_util::task::TaskTracker;

use crate::game::{Variant, name_or};

use super::{HostSettings, Limits};
use crate::net::Timing;
use crate::net::connection::{HostConnection, ReadError, ws_config};
use crate::net::rate::{KeyedBuckets, Rate};
use crate::net::transport::{Acceptor, BoxedStream, Peer, PeerKey};
use crate::net::wire::{
    APP_VERSION, ClientMsg, HelloRole, PROTOCOL_VERSION, Reject, RejectReason, Resume, ServerMsg,
    close_code,
};

/// WebSocket pings and pongs a connection may send before its `hello`.
const CONTROL_FRAMES_BEFORE_HELLO: u32 = 4;

/// A connection that sent a well-formed `hello` of this protocol version. The seat's owner
/// decides; a refusal goes back through `refused`, so the waiting slot sends it.
pub(super) struct Arrival {
    pub(super) conn: HostConnection<BoxedStream>,
    pub(super) name: String,
    pub(super) seat_code: Option<String>,
    pub(super) resume: Option<Resume>,
    pub(super) peer: Peer,
    /// The joiner asked for every next game in advance.
    pub(super) auto_rematch: bool,
    /// A player or a watcher.
    pub(super) role: HelloRole,
    /// Where the owner sends the connection back with the reason, when it refuses it.
    pub(super) refused: oneshot::Sender<(HostConnection<BoxedStream>, RejectReason)>,
}

/// One connection waiting in a slot.
struct Waiting {
    key: PeerKey,
    /// When it last moved on: connected, upgraded, said `hello`.
    since: Instant,
    cancel: CancellationToken,
    /// Over its address's rate: only waiting to be told when to come back.
    told: bool,
}

/// What a new connection's slot is for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Admission {
    /// Within its address's rate: the WebSocket upgrade and the `hello`.
    Hello,
    /// Over its address's rate: the upgrade is answered `429` with `Retry-After` (this long).
    ComeBackIn(Duration),
}

/// The longest `Retry-After` told: a client waits no longer than that for an answer anyway.
const MAX_RETRY_AFTER_S: u64 = 60;

/// Addresses whose rate of new connections is remembered at most.
const MAX_RATED_ADDRESSES: usize = 8192;

/// The slots of every connection not yet through admission, shared by the acceptors.
pub(super) struct Slots {
    waiting: HashMap<u64, Waiting>,
    next_id: u64,
    /// The seat holder's address, whose connections others never push out.
    seat_holder: Option<PeerKey>,
    /// Connections pushed out to make room, for the log.
    pushed_out: u64,
    /// How fast each address has been opening connections: a burst, then a steady rate.
    openings: KeyedBuckets<PeerKey>,
    /// How often each address over its rate has been told when to come back, at the same rate.
    told: KeyedBuckets<PeerKey>,
    /// Connections closed at once because their address opened too many too fast.
    too_fast: u64,
}

impl Slots {
    /// No connection waiting yet; new connections limited as `limits` say.
    pub(super) fn new(limits: &Limits) -> Self {
        let rate = Rate::new(limits.connection_burst, limits.connections_per_second);
        Self {
            waiting: HashMap::new(),
            next_id: 0,
            seat_holder: None,
            pushed_out: 0,
            openings: KeyedBuckets::new(rate, MAX_RATED_ADDRESSES),
            told: KeyedBuckets::new(rate, MAX_RATED_ADDRESSES),
            too_fast: 0,
        }
    }

    /// A slot for a new connection from `key`, and what it is for; `None` when it is to be
    /// closed at once. The seat holder's address is not limited. Within its address's rate, a
    /// connection always gets a slot ([`Self::take`]); over it, one is told when to come back
    /// while the address has answers of that kind left and there is a free slot (nobody is
    /// pushed out for it).
    fn admit(
        &mut self,
        key: PeerKey,
        limits: &Limits,
        now: Instant,
    ) -> Option<(u64, CancellationToken, Admission)> {
        if Some(key) == self.seat_holder || self.openings.take_at(key, now) {
            let max_total = limits.max_handshakes;
            let (id, cancel) = self.take(key, max_total, limits.max_handshakes_per_address);
            return Some((id, cancel, Admission::Hello));
        }
        if self.waiting.len() < limits.max_handshakes && self.told.take_at(key, now) {
            let wait = self.openings.wait_at(key, now);
            let (id, cancel) = self.insert(key, true);
            return Some((id, cancel, Admission::ComeBackIn(wait)));
        }
        self.too_fast += 1;
        None
    }

    /// The match took in a connection from `key`: its token is given back.
    fn welcomed(&mut self, key: PeerKey) {
        self.openings.refund(key);
    }

    /// Takes a slot for a connection from `key`, pushing out the oldest waiting connection (of
    /// the same address when it has its fill, else of any other address but the seat holder's)
    /// when there is no room. Returns the slot's id and its cancellation. Connections only
    /// waiting to be told when to come back do not count towards an address's fill.
    fn take(
        &mut self,
        key: PeerKey,
        max_total: usize,
        max_per_addr: usize,
    ) -> (u64, CancellationToken) {
        let same_address = |w: &Waiting| w.key == key && !w.told;
        let same = self.waiting.values().filter(|w| same_address(w)).count();
        let victim = if same >= max_per_addr {
            self.oldest(same_address)
        } else if self.waiting.len() >= max_total {
            let holder = self.seat_holder;
            self.oldest(|w| Some(w.key) != holder)
                .or_else(|| self.oldest(|w| w.key == key))
        } else {
            None
        };
        if let Some(id) = victim
            && let Some(old) = self.waiting.remove(&id)
        {
            old.cancel.cancel();
            self.pushed_out += 1;
        }
        self.insert(key, false)
    }

    fn insert(&mut self, key: PeerKey, told: bool) -> (u64, CancellationToken) {
        let id = self.next_id;
        self.next_id += 1;
        let cancel = CancellationToken::new();
        self.waiting.insert(
            id,
            Waiting {
                key,
                since: Instant::now(),
                cancel: cancel.clone(),
                told,
            },
        );
        (id, cancel)
    }

    fn oldest(&self, pick: impl Fn(&Waiting) -> bool) -> Option<u64> {
        self.waiting
            .iter()
            .filter(|(_, w)| pick(w))
            .min_by_key(|(_, w)| w.since)
            .map(|(&id, _)| id)
    }

    /// The connection in slot `id` moved on a step: it is no longer stalled.
    fn progress(&mut self, id: u64) {
        if let Some(waiting) = self.waiting.get_mut(&id) {
            waiting.since = Instant::now();
        }
    }

    fn release(&mut self, id: u64) {
        self.waiting.remove(&id);
    }

    /// The seat is now held from `key` (or by nobody).
    pub(super) fn set_seat_holder(&mut self, key: Option<PeerKey>) {
        self.seat_holder = key;
    }
}

/// The slots, shared between the listeners and the seat's owner.
pub(super) type SharedSlots = Arc<Mutex<Slots>>;

pub(super) fn lock(slots: &SharedSlots) -> std::sync::MutexGuard<'_, Slots> {
    // A panic while holding the lock leaves plain bookkeeping behind: carry on with it.
    slots.lock().unwrap_or_else(PoisonError::into_inner)
}

/// Accepts connections from `acceptor` until `shutdown`, each into a slot of `slots`.
pub(super) async fn accept_loop(
    mut acceptor: Box<dyn Acceptor>,
    settings: HostSettings,
    arrivals: mpsc::Sender<Arrival>,
    slots: SharedSlots,
    tracker: TaskTracker,
    shutdown: CancellationToken,
) {
    loop {
        let accepted = tokio::select! {
            () = shutdown.cancelled() => return,
            accepted = acceptor.accept() => accepted,
        };
        let (stream, peer) = match accepted {
            Ok(pair) => pair,
            Err(error) => {
                // Out of file descriptors and the like: wait a little rather than spin.
                tracing::warn!(%error, "accept failed");
                tokio::select! {
                    () = shutdown.cancelled() => return,
                    () = tokio::time::sleep(Duration::from_millis(100)) => continue,
                }
            }
        };
        let admitted = lock(&slots).admit(peer.key(), &settings.limits, Instant::now());
        let Some((id, cancel, admission)) = admitted else {
            tracing::trace!(%peer, "too many new connections from one address: closed at once");
            // Reset, not closed: no goodbye exchanged and nothing left waiting in TIME_WAIT for
            // a connection that was never wanted.
            stream.reset_on_drop();
            continue;
        };
        let settings = settings.clone();
        let arrivals = arrivals.clone();
        let shutdown = shutdown.clone();
        let slot = Slot {
            slots: Arc::clone(&slots),
            id,
            key: peer.key(),
        };
        tracker.spawn(async move {
            let admitted = async {
                match admission {
                    Admission::Hello => {
                        handshake(stream, peer, &settings, &arrivals, &slot).await;
                    }
                    Admission::ComeBackIn(wait) => {
                        come_back_later(stream, peer, wait, &settings.timing).await;
                    }
                }
            };
            tokio::select! {
                () = shutdown.cancelled() => {}
                () = cancel.cancelled() => tracing::trace!(%peer, "pushed out of its slot"),
                () = admitted => {}
            }
            lock(&slot.slots).release(id);
        });
    }
}

/// One connection's slot, as its handshake sees it.
struct Slot {
    slots: SharedSlots,
    id: u64,
    key: PeerKey,
}

impl Slot {
    /// The connection moved on a step: it is no longer stalled.
    fn progress(&self) {
        lock(&self.slots).progress(self.id);
    }

    /// The match took the connection in: its address gets its token back.
    fn welcomed(&self) {
        lock(&self.slots).welcomed(self.key);
    }
}

/// Tells a connection over its address's rate when to come back: its WebSocket upgrade is
/// answered `429 Too Many Requests` with `Retry-After` in whole seconds, within the hello
/// deadline. The other side is then given a moment to close first, so that what is left in
/// `TIME_WAIT` is its own.
async fn come_back_later(mut stream: BoxedStream, peer: Peer, wait: Duration, timing: &Timing) {
    let seconds = wait
        .as_secs()
        .saturating_add(u64::from(wait.subsec_nanos() > 0))
        .clamp(1, MAX_RETRY_AFTER_S);
    #[expect(
        clippy::result_large_err,
        reason = "tungstenite's upgrade callback returns its error response by value"
    )]
    let answer = move |_: &Request, _: Response| -> Result<Response, ErrorResponse> {
        let mut refusal = ErrorResponse::new(None);
        *refusal.status_mut() = http::StatusCode::TOO_MANY_REQUESTS;
        let headers = refusal.headers_mut();
        headers.insert(http::header::RETRY_AFTER, seconds.into());
        headers.insert(
            http::header::CONTENT_LENGTH,
            http::HeaderValue::from_static("0"),
        );
        headers.insert(
            http::header::CONNECTION,
            http::HeaderValue::from_static("close"),
        );
        Err(refusal)
    };
    let told = timeout(
        timing.hello_timeout,
        tokio_tungstenite::accept_hdr_async_with_config(&mut stream, answer, Some(ws_config())),
    )
    .await;
    if !matches!(told, Ok(Err(tungstenite::Error::Http(_)))) {
        tracing::debug!(%peer, "a connection over its address's rate was not told to come back");
        stream.reset_on_drop();
        return;
    }
    tracing::trace!(%peer, seconds, "a connection over its address's rate told to come back");
    let closed = timeout(Duration::from_millis(500), async {
        let mut buf = [0_u8; 256];
        while matches!(stream.read(&mut buf).await, Ok(n) if n > 0) {}
    });
    if closed.await.is_err() {
        stream.reset_on_drop();
    }
}

/// Upgrades to WebSocket and reads the `hello`, all within the hello deadline, then waits for
/// the seat owner's answer (a refusal is sent from here, still within the slot).
async fn handshake(
    stream: BoxedStream,
    peer: Peer,
    settings: &HostSettings,
    arrivals: &mpsc::Sender<Arrival>,
    slot: &Slot,
) {
    let deadline = tokio::time::Instant::now() + settings.timing.hello_timeout;
    let ws = match timeout_at(
        deadline,
        tokio_tungstenite::accept_async_with_config(stream, Some(ws_config())),
    )
    .await
    {
        Ok(Ok(ws)) => ws,
        Ok(Err(error)) => {
            tracing::debug!(%peer, %error, "WebSocket handshake failed");
            return;
        }
        Err(_) => {
            tracing::debug!(%peer, "WebSocket handshake timed out");
            return;
        }
    };
    slot.progress();
    let mut conn = HostConnection::new(ws);
    let first = timeout_at(deadline, first_message(&mut conn)).await;
    slot.progress();
    let hello = match first {
        Err(_) => Err(RejectReason::HelloTimeout),
        Ok(Ok(None) | Err(ReadError::Transport { .. })) => return,
        Ok(Err(ReadError::TooLarge { size, .. })) => {
            tracing::debug!(%peer, size, "an oversized first message");
            let closing = timeout(
                settings.timing.write_timeout,
                conn.close(close_code::TOO_BIG, ""),
            );
            if closing.await.is_err() {
                tracing::debug!(%peer, "the close frame was not taken");
            }
            return;
        }
        Ok(Err(ReadError::Control)) => {
            tracing::debug!(%peer, "pings instead of a hello");
            Err(RejectReason::ExpectedHello)
        }
        Ok(Ok(Some(ClientMsg::Hello {
            protocol,
            app,
            name,
            seat_code,
            resume,
            auto_rematch,
            role,
        }))) => {
            if !settings.admits(protocol) {
                tracing::info!(%peer, protocol, %app, "refused a joiner with another version");
                Err(RejectReason::VersionMismatch)
            } else if role == HelloRole::Watch && !settings.watchers {
                Err(RejectReason::WatchingOff)
            } else {
                Ok((name, seat_code, resume, auto_rematch, role))
            }
        }
        Ok(Ok(Some(_)) | Err(_)) => Err(RejectReason::ExpectedHello),
    };
    let (conn, reason) = match hello {
        Ok((name, seat_code, resume, auto_rematch, role)) => {
            let (refused, answer) = oneshot::channel();
            let fallback = match role {
                HelloRole::Play => "Guest",
                HelloRole::Watch => "Watcher",
            };
            let arrival = Arrival {
                conn,
                name: name_or(&name, fallback),
                seat_code,
                resume,
                peer,
                auto_rematch,
                role,
                refused,
            };
            if arrivals.send(arrival).await.is_err() {
                tracing::debug!("the match has stopped");
                return;
            }
            let Ok(refusal) = answer.await else {
                // Dropped unanswered: the owner took the connection in (or has stopped).
                slot.welcomed();
                return;
            };
            refusal
        }
        Err(reason) => (conn, reason),
    };
    refuse(conn, reason, settings.game, &settings.timing).await;
}

/// The first message, allowing a few WebSocket pings or pongs before it.
async fn first_message(
    conn: &mut HostConnection<BoxedStream>,
) -> Result<Option<ClientMsg>, ReadError> {
    for _ in 0..CONTROL_FRAMES_BEFORE_HELLO {
        match conn.read_msg().await {
            Err(ReadError::Control) => {}
            read => return read,
        }
    }
    conn.read_msg().await
}

/// What a refused joiner is told.
fn reject_message(reason: RejectReason, game: Variant) -> String {
    match reason {
        RejectReason::VersionMismatch if !game.is_classic() => format!(
            "This host plays {}, which needs Tic-Tac-Toe {APP_VERSION} (protocol {PROTOCOL_VERSION}) on both sides: update to join.",
            game.title()
        ),
        RejectReason::VersionMismatch => format!(
            "This host runs Tic-Tac-Toe {APP_VERSION} (protocol {PROTOCOL_VERSION}). Both players need the same version."
        ),
        RejectReason::MatchFull => "This match is already full.".to_owned(),
        RejectReason::BadSeatCode => "The seat code is missing or wrong.".to_owned(),
        RejectReason::TooManyTries => {
            "Too many wrong seat codes from this address: wait a minute, then try again.".to_owned()
        }
        RejectReason::BadToken => "That resume token is not this match's.".to_owned(),
        RejectReason::MatchOver => "The match is over.".to_owned(),
        RejectReason::ExpectedHello => "The first message must be a valid hello.".to_owned(),
        RejectReason::HelloTimeout => "No hello arrived in time.".to_owned(),
        RejectReason::WatchingOff => "This host does not let anyone watch.".to_owned(),
        RejectReason::TooManyWatchers => {
            "As many are watching as this host admits: try again later.".to_owned()
        }
    }
}

impl Arrival {
    /// Refuses the connection: its slot sends `reject` and closes it, or, once the slot is gone,
    /// a task of `tracker`'s does.
    pub(super) fn turn_away(
        self,
        reason: RejectReason,
        settings: &HostSettings,
        tracker: &TaskTracker,
    ) {
        let game = settings.game;
        tracing::debug!(peer = %self.peer, ?reason, "refused a connection");
        if let Err((conn, reason)) = self.refused.send((self.conn, reason)) {
            let timing = settings.timing.clone();
            tracker.spawn(async move { refuse(conn, reason, game, &timing).await });
        }
    }
}

/// Sends `reject`, closes, and waits briefly for the closing handshake.
async fn refuse(
    mut conn: HostConnection<BoxedStream>,
    reason: RejectReason,
    game: Variant,
    timing: &Timing,
) {
    let reject = ServerMsg::Reject(Reject {
        reason,
        message: reject_message(reason, game),
        protocol: PROTOCOL_VERSION,
        app: APP_VERSION.to_owned(),
    });
    let code = match reason {
        RejectReason::HelloTimeout | RejectReason::ExpectedHello => close_code::POLICY,
        RejectReason::VersionMismatch
        | RejectReason::MatchFull
        | RejectReason::BadSeatCode
        | RejectReason::TooManyTries
        | RejectReason::BadToken
        | RejectReason::MatchOver
        | RejectReason::WatchingOff
        | RejectReason::TooManyWatchers => close_code::REJECTED,
    };
    let sent = timeout(timing.write_timeout, async {
        if conn.write_msg(&reject).await.is_ok() {
            conn.close(code, "rejected").await;
        }
    });
    // A joiner that said hello waits for the closing handshake, so the reject is not lost to a
    // reset; one that never said a valid hello is not worth the wait.
    let abuse = matches!(
        reason,
        RejectReason::HelloTimeout | RejectReason::ExpectedHello
    );
    if sent.await.is_ok() && !abuse {
        conn.drain(Duration::from_millis(500)).await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(last: u8) -> PeerKey {
        PeerKey::of_ip(std::net::IpAddr::from([127, 0, 0, last]))
    }

    #[test]
    fn a_full_house_pushes_out_the_oldest_never_the_seat_holders() {
        let mut slots = Slots::new(&Limits::default());
        slots.set_seat_holder(Some(key(9)));
        let (held, held_cancel) = slots.take(key(9), 3, 2);
        let (_, first) = slots.take(key(1), 3, 2);
        let (_, second) = slots.take(key(2), 3, 2);
        // Full: the oldest that is not the seat holder's goes.
        let (_, third) = slots.take(key(3), 3, 2);
        assert!(first.is_cancelled());
        assert!(!held_cancel.is_cancelled() && !second.is_cancelled() && !third.is_cancelled());
        // One address at its fill pushes out its own oldest, not others'.
        let (_, again) = slots.take(key(3), 3, 2);
        let (_, more) = slots.take(key(3), 3, 2);
        assert!(third.is_cancelled() && !again.is_cancelled() && !more.is_cancelled());
        assert!(!held_cancel.is_cancelled());
        slots.release(held);
        assert_eq!(slots.pushed_out, 3);
    }

    /// Default limits, their slots, and now.
    fn fresh() -> (Limits, Slots, Instant) {
        let limits = Limits::default();
        let slots = Slots::new(&limits);
        (limits, slots, Instant::now())
    }

    #[test]
    fn over_its_rate_an_address_is_told_when_to_come_back_then_closed_but_the_seat_holders_never() {
        let (limits, mut slots, now) = fresh();
        let admit = |slots: &mut Slots, k: u8, at: Instant| {
            slots
                .admit(key(k), &limits, at)
                .map(|(id, _, admission)| (id, admission))
        };
        let hellos: Vec<_> = (0..4).map(|_| admit(&mut slots, 1, now)).collect();
        assert!(
            hellos
                .iter()
                .all(|a| matches!(a, Some((_, Admission::Hello))))
        );
        // Over the rate: as many again are told to come back in the second it takes for a token.
        for _ in 0..4 {
            let told = admit(&mut slots, 1, now);
            assert!(
                matches!(told, Some((_, Admission::ComeBackIn(wait))) if wait == Duration::from_secs(1))
            );
        }
        assert_eq!(admit(&mut slots, 1, now), None, "closed at once");
        assert!(
            matches!(admit(&mut slots, 2, now), Some((_, Admission::Hello))),
            "another address has its own"
        );
        // Half a second later the next token is half a second away.
        let later = now + Duration::from_millis(500);
        assert_eq!(
            admit(&mut slots, 1, later),
            None,
            "no answer of that kind left either"
        );
        let next = admit(&mut slots, 1, later + Duration::from_millis(500));
        assert!(matches!(next, Some((_, Admission::Hello))), "{next:?}");
        slots.set_seat_holder(Some(key(1)));
        assert!(
            (0..10).all(|_| matches!(admit(&mut slots, 1, later), Some((_, Admission::Hello))))
        );
        assert_eq!(slots.too_fast, 2);
    }

    #[test]
    fn a_connection_taken_in_gives_its_address_its_token_back() {
        let (limits, mut slots, now) = fresh();
        // Twenty people behind one address, one after the other, each welcomed.
        for _ in 0..20 {
            let (id, _, admission) = slots.admit(key(1), &limits, now).unwrap();
            assert_eq!(admission, Admission::Hello);
            slots.release(id);
            slots.welcomed(key(1));
        }
        assert_eq!(slots.too_fast, 0);
    }

    #[test]
    fn being_told_to_come_back_pushes_nobody_out() {
        let limits = Limits {
            max_handshakes: 6,
            ..Limits::default()
        };
        let mut slots = Slots::new(&limits);
        let now = Instant::now();
        let hellos: Vec<_> = (0..4)
            .map(|_| slots.admit(key(1), &limits, now).unwrap())
            .collect();
        // Two told, beside the address's four: they count neither against its fill nor push.
        for _ in 0..2 {
            let (_, _, admission) = slots.admit(key(1), &limits, now).unwrap();
            assert!(matches!(admission, Admission::ComeBackIn(_)));
        }
        assert!(hellos.iter().all(|(_, cancel, _)| !cancel.is_cancelled()));
        // Every slot is taken: the next over the rate is closed at once.
        assert!(slots.admit(key(1), &limits, now).is_none());
        assert_eq!(slots.pushed_out, 0);
    }
}
