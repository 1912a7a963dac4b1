//! The seat and the match: one task owns the host's [`Match`], the opponent's connection and the
//! timers. Connections reach it only through [`super::admission`]. The rules are the match's own:
//! this task admits a joiner to the seat, carries the match's events and times the absences.

use std::collections::VecDeque;
use std::future::pending;
use std::net::SocketAddr;
use std::time::{Duration, Instant};

use rand::{Rng as _, SeedableRng as _};
use tokio::sync::mpsc;
use tokio::time::timeout;
use tokio_util::sync::CancellationToken;
use tokio_util::task::TaskTracker;

use crate::game::{Driver, Entry, Event, Facts, Intent, Match, Player, Role};

use super::Settings;
use super::admission::{AddrKey, Arrival, SharedSlots, refuse};
use super::seat_code::Guard;
use super::watchers::{Counters, Fan, FromWatcher, WatchThread, Watcher};
use crate::net::api::{Command, NetEvent, Outbox, Presence, Stage, View};
use crate::net::connection::{HostConnection, ReadError, to_json};
use crate::net::session::{Beat, Heartbeat, RateLimit, RoundTrip, write_batch};
use crate::net::wire::{
    APP_VERSION, ChatLine, ClientMsg, HelloRole, PROTOCOL_VERSION, Refusal, RejectReason, Rules,
    ServerMsg, clean_chat, close_code,
};

/// The joiner's seat while it is connected.
struct Seat {
    conn: HostConnection,
    peer: SocketAddr,
    heartbeat: Heartbeat,
    rate: RateLimit,
    chat_rate: RateLimit,
}

/// The countdown while the seat is held for an absent joiner.
#[derive(Clone, Copy, Debug)]
struct Away {
    claim_at: Instant,
    next_tick: Option<Instant>,
}

/// How many command results are remembered, so a resent command is answered, not replayed.
const RECENT_COMMANDS: usize = 64;

/// The owner of the match and the seat.
pub(super) struct Host {
    settings: Settings,
    driver: Option<Box<dyn Driver>>,
    state: Match,
    seat: Option<Seat>,
    /// The seat's resume token, once someone has joined.
    token: Option<String>,
    away: Option<Away>,
    recent: VecDeque<(u64, Result<u64, Refusal>)>,
    outbox: Outbox,
    round_trip: RoundTrip,
    tracker: TaskTracker,
    /// Messages for the seat, written and flushed together.
    queue: Vec<ServerMsg>,
    /// The front end has been told the match ended.
    ended: bool,
    /// The seat code and the guesses at it.
    guard: Guard,
    /// The waiting connections, told whose address holds the seat.
    slots: SharedSlots,
    /// The watchers' end of the match.
    fan: Fan,
    /// What the watchers say (taken by [`Self::run`]).
    from_watchers: Option<mpsc::Receiver<FromWatcher>>,
    /// Messages for the watchers, sent after the seat's.
    watch_queue: Vec<ServerMsg>,
    /// The number of watchers the players were last told, and when.
    watchers_told: (u64, Option<Instant>),
    /// Where the watchers' tasks run, once there is one.
    watch_thread: Option<WatchThread>,
}

/// How often the players are told how many watch, at most.
const WATCHERS_TOLD_EVERY: Duration = Duration::from_millis(500);

enum Wakeup {
    Shutdown,
    Command(Option<Command>),
    Watcher(Option<FromWatcher>),
    Arrival(Option<Box<Arrival>>),
    Read(Box<Result<Option<ClientMsg>, ReadError>>),
    Timer,
    Drained,
}

impl Host {
    pub(super) fn new(
        settings: Settings,
        driver: Option<Box<dyn Driver>>,
        outbox: Outbox,
        tracker: TaskTracker,
        slots: SharedSlots,
        counters: std::sync::Arc<Counters>,
    ) -> Self {
        let mut state = Match::networked("", "");
        state.set_name(settings.mark, settings.name.clone());
        state.set_name(settings.mark.other(), String::from("Waiting…"));
        let (fan, from_watchers) = Fan::new(counters, &state.snapshot());
        Self {
            fan,
            from_watchers: Some(from_watchers),
            watch_queue: Vec::new(),
            watchers_told: (0, None),
            watch_thread: None,
            guard: Guard::new(settings.seat_code.as_deref(), &settings.limits),
            slots,
            settings,
            driver,
            state,
            seat: None,
            token: None,
            away: None,
            recent: VecDeque::new(),
            outbox,
            round_trip: RoundTrip::new(),
            tracker,
            queue: Vec::new(),
            ended: false,
        }
    }

    const fn me(&self) -> Player {
        self.settings.mark
    }

    fn opponent(&self) -> Player {
        self.settings.mark.other()
    }

    pub(super) async fn run(
        &mut self,
        mut commands: mpsc::Receiver<Command>,
        mut arrivals: mpsc::Receiver<Arrival>,
        shutdown: &CancellationToken,
    ) {
        let Some(mut from_watchers) = self.from_watchers.take() else {
            return;
        };
        self.outbox.push(NetEvent::Stage(Stage::Waiting));
        self.publish();
        // One timer for the whole match, moved only when the next deadline moves: most messages
        // leave it where it is, so they cost no timer registration.
        let timer = tokio::time::sleep(Duration::ZERO);
        tokio::pin!(timer);
        let mut armed: Option<Instant> = None;
        loop {
            let deadline = self.next_deadline();
            if let Some(at) = deadline
                && armed != Some(at)
            {
                timer.as_mut().reset(at.into());
                armed = Some(at);
            }
            let wakeup = {
                let seat = &mut self.seat;
                let outbox = &mut self.outbox;
                let has_backlog = outbox.has_backlog();
                let read = async {
                    match seat.as_mut() {
                        Some(seat) => seat.conn.read_msg().await,
                        None => pending().await,
                    }
                };
                tokio::select! {
                    () = shutdown.cancelled() => Wakeup::Shutdown,
                    command = commands.recv() => Wakeup::Command(command),
                    arrival = arrivals.recv() => Wakeup::Arrival(arrival.map(Box::new)),
                    said = from_watchers.recv() => Wakeup::Watcher(said),
                    read = read => Wakeup::Read(Box::new(read)),
                    () = &mut timer, if deadline.is_some() => Wakeup::Timer,
                    () = outbox.drain_one(), if has_backlog => Wakeup::Drained,
                }
            };
            if matches!(wakeup, Wakeup::Timer) {
                // Fired: the next deadline re-arms it, even if it is the same instant.
                armed = None;
            }
            match wakeup {
                // The handle is gone: the app is closing, which ends the match like a leave.
                Wakeup::Shutdown | Wakeup::Arrival(None) | Wakeup::Command(None) => break,
                Wakeup::Command(Some(Command::Intent(intent))) => self.host_intent(intent).await,
                Wakeup::Command(Some(Command::Chat(text))) => self.host_chat(&text),
                Wakeup::Watcher(said) => self.on_watcher(said),
                Wakeup::Arrival(Some(arrival)) => self.arrive(*arrival).await,
                Wakeup::Read(read) => self.on_read(*read).await,
                Wakeup::Timer => self.on_timer().await,
                Wakeup::Drained => {}
            }
            self.tell_watchers();
            self.flush().await;
        }
        self.leave_on_shutdown().await;
    }

    /// The app is closing: tell the joiner the host left, then close.
    async fn leave_on_shutdown(&mut self) {
        if self.state.over().is_none() {
            self.apply_all(vec![Event::Left { player: self.me() }]);
        }
        self.flush().await;
        if let Some(mut seat) = self.seat.take() {
            let limit = self
                .settings
                .timing
                .write_timeout
                .min(Duration::from_secs(1));
            if timeout(
                limit,
                seat.conn.close(close_code::GOING_AWAY, "host closed"),
            )
            .await
            .is_err()
            {
                tracing::debug!("the joiner did not take the close frame");
            }
        }
        // The watchers get what is left in the ring, then are closed.
        self.fan.close();
        if !self.ended {
            self.outbox.push(NetEvent::Stage(Stage::Ended));
        }
        self.outbox.finish(Duration::from_millis(200)).await;
    }

    fn next_deadline(&self) -> Option<Instant> {
        let seat = self.seat.as_ref().map(|seat| seat.heartbeat.deadline());
        let away = self.away.and_then(|away| away.next_tick);
        let watchers = self.watchers_due();
        [seat, away, watchers].into_iter().flatten().min()
    }

    /// When the players are next due to be told how many watch, if the number changed.
    fn watchers_due(&self) -> Option<Instant> {
        let (told, at) = self.watchers_told;
        if told == self.fan.count() {
            return None;
        }
        Some(at.map_or_else(Instant::now, |at| at + WATCHERS_TOLD_EVERY))
    }

    /// Tells the players (and the watchers) how many watch, when it changed and is due.
    fn tell_watchers(&mut self) {
        if self.watchers_due().is_some_and(|due| due <= Instant::now()) {
            let count = self.fan.count();
            self.watchers_told = (count, Some(Instant::now()));
            let msg = ServerMsg::Watchers { count };
            self.queue.push(msg.clone());
            self.watch_queue.push(msg);
            self.publish();
        }
    }

    async fn on_timer(&mut self) {
        let now = Instant::now();
        if let Some(seat) = self.seat.as_mut() {
            match seat.heartbeat.tick(now) {
                Beat::Dead => {
                    tracing::info!(peer = %seat.peer, "the joiner went silent");
                    self.drop_seat(None).await;
                }
                Beat::Ping => {
                    let t = self.round_trip.stamp();
                    self.queue.push(ServerMsg::Ping { t });
                }
                Beat::Quiet => {}
            }
        }
        if let Some(away) = self.away.as_mut()
            && away.next_tick.is_some_and(|tick| now >= tick)
        {
            away.next_tick = if now >= away.claim_at {
                None
            } else {
                Some((now + Duration::from_secs(1)).min(away.claim_at))
            };
            self.publish();
        }
    }

    /// Decides what to do with a connection that said a valid `hello`.
    async fn arrive(&mut self, arrival: Arrival) {
        if arrival.role == HelloRole::Watch {
            self.admit_watcher(arrival);
            return;
        }
        let Arrival {
            mut conn,
            name,
            seat_code,
            resume,
            peer,
            auto_rematch,
            refused,
            ..
        } = arrival;
        // Once the seat is taken only its token counts: the seat code is not even looked at, so
        // a refusal then tells nothing about a guess.
        let decision = if self.state.over().is_some() {
            Err(RejectReason::MatchOver)
        } else {
            match (&self.token, resume) {
                (Some(token), Some(resume)) if *token == resume.token => Ok(resume.v),
                (_, Some(_)) => Err(RejectReason::BadToken),
                (Some(_), None) => Err(RejectReason::MatchFull),
                (None, None) => {
                    self.guard.follow(&mut self.settings.seat_code_later);
                    self.guard
                        .check(AddrKey::of(peer.ip()), seat_code.as_deref())
                        .map(|()| None)
                }
            }
        };
        let resume_v = match decision {
            Ok(resume_v) => resume_v,
            Err(reason) => {
                tracing::debug!(%peer, ?reason, "refused a connection");
                if refused.send((conn, reason)).is_err() {
                    tracing::debug!(%peer, "the refused connection's slot is gone");
                }
                return;
            }
        };
        if let Some(mut old) = self.seat.take() {
            // The same player came back on a new connection: the old one is stale.
            tracing::info!(peer = %old.peer, "a resumed connection replaces the old one");
            let limit = self.settings.timing.write_timeout;
            self.tracker.spawn(async move {
                if timeout(limit, old.conn.close(close_code::REPLACED, "replaced"))
                    .await
                    .is_err()
                {
                    tracing::debug!("the replaced connection did not take the close frame");
                }
            });
        }
        let fresh = self.token.is_none();
        // A joiner that kept no state (started again) has no command of its own in flight, and
        // numbers its commands from 1 again: the ids remembered for it are forgotten.
        if resume_v.is_none() {
            self.recent.clear();
        }
        if fresh {
            self.token = Some(new_token());
            self.state.set_name(self.opponent(), name);
        }
        // Replayed when every event after `v` is still in the match's log; otherwise a snapshot.
        let replayed: Option<Vec<ServerMsg>> =
            resume_v.and_then(|v| Some(self.state.log().after(v)?.map(event_msg).collect()));
        let series = self.settings.series && auto_rematch;
        let welcome = ServerMsg::Welcome {
            protocol: PROTOCOL_VERSION,
            app: APP_VERSION.to_owned(),
            you: self.opponent(),
            token: self.token.clone().unwrap_or_default(),
            rules: self.rules(series),
            snapshot: match replayed {
                Some(_) => None,
                None => Some(self.state.snapshot()),
            },
        };
        let mut msgs = vec![welcome];
        msgs.extend(replayed.into_iter().flatten());
        if !write_batch(&mut conn, &msgs, self.settings.timing.write_timeout).await {
            tracing::info!(%peer, "the joiner vanished during the welcome");
            if fresh {
                // It never got its token: the seat is free again.
                self.token = None;
                self.state
                    .set_name(self.opponent(), String::from("Waiting…"));
            } else {
                self.mark_away();
            }
            self.publish();
            return;
        }
        tracing::info!(%peer, resumed = !fresh, "the joiner took the seat");
        self.slots
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .set_seat_holder(Some(AddrKey::of(peer.ip())));
        self.seat = Some(Seat {
            conn,
            peer,
            heartbeat: Heartbeat::new(&self.settings.timing),
            rate: RateLimit::new(self.settings.limits.burst, self.settings.limits.per_second),
            chat_rate: RateLimit::new(
                self.settings.limits.chat_burst,
                self.settings.limits.chat_per_second,
            ),
        });
        // The new connection is told how many watch; the watchers learn the opponent's name.
        if self.fan.count() > 0 {
            self.watchers_told = (u64::MAX, None);
        }
        if fresh {
            self.watch_queue
                .push(ServerMsg::Snapshot(self.state.snapshot()));
        }
        self.away = None;
        self.state.agree_series(series);
        if fresh {
            self.outbox.push(NetEvent::Stage(Stage::Playing));
        }
        self.drive();
        self.publish();
    }

    async fn on_read(&mut self, read: Result<Option<ClientMsg>, ReadError>) {
        let Some(seat) = self.seat.as_mut() else {
            return;
        };
        seat.heartbeat.heard();
        if !seat.rate.take() {
            tracing::warn!(peer = %seat.peer, "the joiner is flooding: disconnecting");
            self.refuse_msg(None, Refusal::RateLimited);
            self.drop_seat(Some(close_code::POLICY)).await;
            return;
        }
        match read {
            Ok(Some(msg)) => self.on_msg(msg).await,
            Ok(None) => {
                tracing::info!("the joiner's connection closed");
                self.drop_seat(None).await;
            }
            Err(ReadError::Parse(error)) => {
                tracing::debug!(%error, "a bad message from the joiner");
                self.refuse_msg(error.id(), error.refusal());
            }
            Err(ReadError::Binary { .. }) => self.refuse_msg(None, Refusal::Binary),
            // A WebSocket ping or pong: answered by the library, and paid for above.
            Err(ReadError::Control) => {}
            Err(ReadError::TooLarge { size, .. }) => {
                tracing::warn!(size, "an oversized message from the joiner: disconnecting");
                self.refuse_msg(None, Refusal::TooLarge);
                self.drop_seat(Some(close_code::TOO_BIG)).await;
            }
            Err(error @ ReadError::Transport { .. }) => {
                tracing::info!(%error, "the joiner's connection failed");
                self.drop_seat(None).await;
            }
        }
    }

    async fn on_msg(&mut self, msg: ClientMsg) {
        match msg {
            ClientMsg::Play { id, cell } => self.command(id, Intent::Play(cell)),
            ClientMsg::Rematch { id } => self.command(id, Intent::Rematch),
            ClientMsg::Resign { id } => self.command(id, Intent::Resign),
            ClientMsg::Sync => self.queue.push(ServerMsg::Snapshot(self.state.snapshot())),
            ClientMsg::Ping { t } => self.queue.push(ServerMsg::Pong { t }),
            ClientMsg::Pong { t } => {
                self.round_trip.pong(&t);
                self.publish();
            }
            ClientMsg::Hello { .. } => self.refuse_msg(None, Refusal::Unexpected),
            ClientMsg::Chat { text } => self.joiner_chat(&text),
            ClientMsg::Leave => {
                tracing::info!("the joiner left");
                self.apply_all(vec![Event::Left {
                    player: self.opponent(),
                }]);
                self.drop_seat(Some(close_code::NORMAL)).await;
            }
        }
    }

    /// A command from the joiner: judged by the engine, answered `ack` or `rejected` + snapshot.
    fn command(&mut self, id: u64, intent: Intent) {
        if let Some(&(_, result)) = self.recent.iter().find(|(seen, _)| *seen == id) {
            match result {
                Ok(v) => self.queue.push(ServerMsg::Ack { id, v }),
                Err(reason) => self.refuse_msg(Some(id), reason),
            }
            return;
        }
        let result = match self
            .state
            .decide(self.opponent(), intent, Facts::NONE)
            .map_err(Refusal::from)
        {
            Ok(events) => {
                self.record(events);
                if let Some(seat) = self.seat.as_mut() {
                    seat.rate.refund();
                }
                self.queue.push(ServerMsg::Ack {
                    id,
                    v: self.state.v(),
                });
                Ok(self.state.v())
            }
            Err(reason) => {
                self.refuse_msg(Some(id), reason);
                Err(reason)
            }
        };
        if self.recent.len() == RECENT_COMMANDS {
            self.recent.pop_front();
        }
        self.recent.push_back((id, result));
        // The joiner's move, its ack and the computer's answer: one view for the front end.
        self.drive();
        self.after_events();
    }

    /// Queues `rejected` (and a snapshot after a refused command).
    fn refuse_msg(&mut self, id: Option<u64>, reason: Refusal) {
        self.queue.push(ServerMsg::Rejected {
            id,
            reason,
            message: reason.message().to_owned(),
        });
        if id.is_some() {
            self.queue.push(ServerMsg::Snapshot(self.state.snapshot()));
        }
    }

    /// Something the host player asked for.
    async fn host_intent(&mut self, intent: Intent) {
        match self.state.decide(self.me(), intent, self.facts()) {
            Ok(events) => {
                self.apply_all(events);
                if intent == Intent::Leave {
                    self.flush().await;
                    self.drop_seat(Some(close_code::NORMAL)).await;
                } else if intent == Intent::ClaimWin {
                    self.away = None;
                    self.publish();
                }
                if self.drive() {
                    self.after_events();
                }
            }
            Err(refusal) => self.outbox.push(NetEvent::Refused {
                reason: Refusal::from(refusal),
                message: refusal.sentence(),
            }),
        }
    }

    /// What the host's clock says, for the rules: whether the opponent has been away for the
    /// whole grace period.
    fn facts(&self) -> Facts {
        Facts::clock(
            self.seat.is_none()
                && self
                    .away
                    .is_some_and(|away| Instant::now() >= away.claim_at),
        )
    }

    /// Lets the driver of the host's seat (the computer) act for as long as it wants to: its
    /// move, its rematch request, its first move of the next game. In an agreed series the match
    /// itself starts the next game with the event that ends the last, so one write carries at
    /// most the winning move, two rematch requests, the next game's start and the first move.
    ///
    /// Records the events without showing them; returns whether there were any, for the caller
    /// to show them once with [`Self::after_events`].
    fn drive(&mut self) -> bool {
        let mut moved = false;
        for _ in 0..4 {
            let me = self.me();
            let Some(intent) = self
                .driver
                .as_mut()
                .and_then(|driver| driver.intent(&self.state, me))
            else {
                break;
            };
            match self.state.decide(me, intent, self.facts()) {
                Ok(events) if !events.is_empty() => {
                    self.record(events);
                    moved = true;
                }
                Ok(_) => break,
                Err(refusal) => {
                    tracing::warn!(?intent, %refusal, "the host's driver asked for something refused");
                    break;
                }
            }
        }
        moved
    }

    /// Applies events the host decided, logs them, queues them for the joiner and shows them.
    fn apply_all(&mut self, events: Vec<Event>) {
        self.record(events);
        self.after_events();
    }

    /// Applies events the host decided, logs them and queues them for the joiner; a game they
    /// end is reported to the front end at once.
    fn record(&mut self, events: Vec<Event>) {
        for event in events {
            match self.state.apply(event) {
                Ok(over) => {
                    self.outbox.push(NetEvent::Applied(event));
                    if let Some(over) = over {
                        self.outbox.push(NetEvent::GameOver(Box::new(over)));
                    }
                }
                Err(error) => {
                    tracing::error!(%error, "the host refused its own event");
                    continue;
                }
            }
            let Some(msg) = self.state.log().entries().next_back().map(event_msg) else {
                continue;
            };
            self.watch_queue.push(msg.clone());
            self.queue.push(msg);
        }
    }

    /// Shows the front end the state after recorded events, and whether the match ended.
    fn after_events(&mut self) {
        self.publish();
        if self.state.over().is_some() && !self.ended {
            self.ended = true;
            self.away = None;
            self.outbox.push(NetEvent::Stage(Stage::Ended));
        }
    }

    /// Writes everything queued for the seat in one flush (a failed write drops the seat),
    /// then hands what is queued for the watchers to their ring.
    async fn flush(&mut self) {
        if !self.queue.is_empty() {
            let msgs = std::mem::take(&mut self.queue);
            if let Some(seat) = self.seat.as_mut() {
                if !write_batch(&mut seat.conn, &msgs, self.settings.timing.write_timeout).await {
                    tracing::info!("could not write to the joiner");
                    self.drop_seat(None).await;
                }
                self.queue = msgs;
                self.queue.clear();
            }
        }
        if !self.watch_queue.is_empty() {
            let state = &self.state;
            self.fan.send(&self.watch_queue, || {
                (state.snapshot(), state.over().is_some())
            });
            self.watch_queue.clear();
        }
    }

    /// A watcher said `hello`: admitted with the match so far, or refused with a reason. The
    /// seat code, when the host requires one, is needed to watch too.
    fn admit_watcher(&mut self, arrival: Arrival) {
        let Arrival {
            conn,
            name,
            seat_code,
            peer,
            refused,
            ..
        } = arrival;
        let decision = if self.state.over().is_some() {
            Err(RejectReason::MatchOver)
        } else if usize::try_from(self.fan.count()).unwrap_or(usize::MAX)
            >= self.settings.limits.max_watchers
        {
            Err(RejectReason::TooManyWatchers)
        } else {
            self.guard.follow(&mut self.settings.seat_code_later);
            self.guard
                .check(AddrKey::of(peer.ip()), seat_code.as_deref())
        };
        let subscription = decision.and_then(|()| {
            self.fan
                .admit(&self.state.snapshot(), false)
                .ok_or(RejectReason::MatchOver)
        });
        let sub = match subscription {
            Ok(sub) => sub,
            Err(reason) => {
                tracing::debug!(%peer, ?reason, "refused a watcher");
                if let Err((conn, reason)) = refused.send((conn, reason)) {
                    // Its slot is gone already: refused from here.
                    let timing = self.settings.timing.clone();
                    self.tracker
                        .spawn(async move { refuse(conn, reason, &timing).await });
                }
                return;
            }
        };
        let welcome = ServerMsg::WatchWelcome {
            protocol: PROTOCOL_VERSION,
            app: APP_VERSION.to_owned(),
            rules: self.rules(self.state.series()),
            chat: self.settings.watchers_chat,
            watchers: self.fan.count(),
            snapshot: self.state.snapshot(),
        };
        tracing::debug!(%peer, watching = self.fan.count(), "a watcher joined");
        let watcher = Watcher {
            conn,
            peer,
            name,
            sub,
            timing: self.settings.timing.clone(),
            limits: self.settings.limits.clone(),
            chat: self.settings.watchers_chat,
        };
        let task = self
            .tracker
            .track_future(watcher.run(to_json(&welcome).into()));
        if self.watch_thread.is_none() {
            match WatchThread::start() {
                Ok(thread) => self.watch_thread = Some(thread),
                Err(error) => tracing::warn!(%error, "no thread of their own for the watchers"),
            }
        }
        match &self.watch_thread {
            Some(thread) => thread.spawn(task),
            None => drop(self.tracker.spawn(task)),
        }
    }

    /// The rules told in `welcome`.
    fn rules(&self, series: bool) -> Rules {
        Rules {
            first: Player::X,
            ping_ms: millis(self.settings.timing.ping_every),
            dead_after_ms: millis(self.settings.timing.dead_after),
            grace_ms: millis(self.settings.timing.grace),
            auto_rematch: series,
        }
    }

    /// A line of chat from the host player: to the joiner and the watchers.
    fn host_chat(&mut self, text: &str) {
        match clean_chat(text) {
            Ok(text) => {
                let line = ChatLine {
                    name: self.settings.name.clone(),
                    player: Some(self.me()),
                    text,
                };
                self.outbox.push(NetEvent::Said(line.clone()));
                self.say(line);
            }
            Err(reason) => self.outbox.push(NetEvent::Refused {
                reason,
                message: reason.message().to_owned(),
            }),
        }
    }

    /// A line of chat from the joiner: to the host player and the watchers.
    fn joiner_chat(&mut self, text: &str) {
        let Some(seat) = self.seat.as_mut() else {
            return;
        };
        let said = clean_chat(text).and_then(|text| {
            if seat.chat_rate.take() {
                Ok(text)
            } else {
                Err(Refusal::ChatTooFast)
            }
        });
        match said {
            Ok(text) => {
                let line = ChatLine {
                    name: self.state.name(self.opponent()).to_owned(),
                    player: Some(self.opponent()),
                    text,
                };
                self.outbox.push(NetEvent::Chat(line.clone()));
                self.watch_queue.push(ServerMsg::Chat(line));
            }
            Err(reason) => self.refuse_msg(None, reason),
        }
    }

    /// Something from a watcher's task.
    fn on_watcher(&mut self, said: Option<FromWatcher>) {
        match said {
            Some(FromWatcher::Chat { name, text }) => {
                let line = ChatLine {
                    name,
                    player: None,
                    text,
                };
                self.outbox.push(NetEvent::Chat(line.clone()));
                self.queue.push(ServerMsg::Chat(line.clone()));
                self.watch_queue.push(ServerMsg::Chat(line));
            }
            // The count changed: told when due.
            Some(FromWatcher::Left) | None => {}
        }
    }

    /// A line of chat from a player to everyone else.
    fn say(&mut self, line: ChatLine) {
        self.queue.push(ServerMsg::Chat(line.clone()));
        self.watch_queue.push(ServerMsg::Chat(line));
    }

    /// Ends the seat's connection (with a close frame when `code` is given) and holds the seat.
    async fn drop_seat(&mut self, code: Option<u16>) {
        let Some(mut seat) = self.seat.take() else {
            return;
        };
        let queued = std::mem::take(&mut self.queue);
        let limit = self
            .settings
            .timing
            .write_timeout
            .min(Duration::from_secs(1));
        self.tracker.spawn(async move {
            let closing = async {
                for msg in &queued {
                    if seat.conn.feed_msg(msg).await.is_err() {
                        return;
                    }
                }
                if seat.conn.flush().await.is_ok()
                    && let Some(code) = code
                {
                    seat.conn.close(code, "").await;
                }
            };
            if timeout(limit, closing).await.is_err() {
                tracing::debug!("the joiner did not take the last messages");
            }
            // Reading what is still in flight before dropping the socket keeps the kernel from
            // answering with a reset that could destroy the last messages on their way.
            if code.is_some() {
                seat.conn.drain(limit).await;
            }
        });
        self.mark_away();
        self.publish();
    }

    fn mark_away(&mut self) {
        if self.state.over().is_none() && self.token.is_some() {
            let now = Instant::now();
            self.away = Some(Away {
                claim_at: now + self.settings.timing.grace,
                next_tick: Some(now + Duration::from_secs(1).min(self.settings.timing.grace)),
            });
        }
    }

    /// Sends the front end a fresh view.
    fn publish(&mut self) {
        let mut view = View::of(&self.state, Role::Host, self.me());
        view.rtt = self.round_trip.last();
        view.watchers = self.fan.count();
        view.opponent = if self.state.over().is_some() {
            Presence::Gone
        } else if self.seat.is_some() {
            Presence::Connected
        } else if let Some(away) = self.away {
            Presence::Away {
                remaining: away.claim_at.saturating_duration_since(Instant::now()),
                claim_at: away.claim_at,
            }
        } else {
            Presence::NotJoined
        };
        self.outbox.push(NetEvent::State(Box::new(view)));
    }
}

fn millis(duration: Duration) -> u64 {
    u64::try_from(duration.as_millis()).unwrap_or(u64::MAX)
}

/// A fresh resume token: 128 random bits as hex.
fn new_token() -> String {
    let mut rng = rand::rngs::StdRng::from_os_rng();
    format!("{:032x}", rng.random::<u128>())
}

/// An event of the match's log as the wire carries it.
const fn event_msg(entry: &Entry) -> ServerMsg {
    ServerMsg::Event {
        v: entry.v,
        digest: entry.digest,
        chain: entry.chain,
        event: entry.event,
    }
}
