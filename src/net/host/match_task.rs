//! The match task: the one task that owns the host's [`Match`], decides who takes the seat and
//! who may watch, and carries every event to the seat and the watchers.
//!
//! Connections reach it only through [`super::admission`], already past their `hello`. It
//! keeps the parts of the host by the state each owns — the seat's connection
//! ([`SeatLink`]), the token and the clock of an absence ([`Resumption`]), the seat code
//! ([`Guard`]), the chat's rules ([`ChatRelay`]), the watchers' ring ([`Fan`]) — and turns what
//! arrives (an intent of the host player, a message from the joiner, a watcher's line, a tick
//! of the clock) into the match's events through the engine. The rules are the match's own:
//! this task never judges a move.

use std::future::pending;
use std::sync::Arc;
use std::time::{Duration, Instant};

use tokio::sync::mpsc;
use tokio_util::sync::CancellationToken;
use tokio_util::task::TaskTracker;

use crate::game::{Driver, Event, Facts, Intent, Match, Player, Role, Table};
use crate::net::connection::{ReadError, to_json};
use crate::net::front_end::{Command, Outbox};
use crate::net::link::{Beat, write_batch};
use crate::net::wire::{
    APP_VERSION, ClientMsg, HelloRole, PROTOCOL_VERSION, Refusal, RejectReason, ServerMsg,
    close_code,
};
use crate::net::{NetEvent, Presence, Stage, View};

use super::HostSettings;
use super::admission::{Arrival, SharedSlots, lock};
use super::chat::{ChatRelay, Heard};
use super::fan_out::{Counters, Fan, FromWatcher};
use super::resumption::{Resumption, SeatClaim, event_msg, replay};
use super::seat_code::Guard;
use super::seat_link::SeatLink;
use super::watcher_link::WatcherLink;

/// The name the empty seat shows.
const EMPTY_SEAT: &str = "Waiting…";

/// The owner of the match.
pub(super) struct MatchTask {
    settings: HostSettings,
    driver: Option<Box<dyn Driver>>,
    state: Match,
    /// The joiner's connection while it holds the seat.
    seat: Option<SeatLink>,
    resumption: Resumption,
    outbox: Outbox,
    tracker: TaskTracker,
    /// The front end has been told the match ended.
    ended: bool,
    /// The seat code and the guesses at it.
    guard: Guard,
    /// The waiting connections, told whose address holds the seat.
    slots: SharedSlots,
    chat: ChatRelay,
    /// The watchers' end of the match.
    fan: Fan,
    /// What the watchers say (taken by [`Self::run`]).
    from_watchers: Option<mpsc::Receiver<FromWatcher>>,
}

/// What woke the match task.
enum MatchInput {
    Shutdown,
    Command(Option<Command>),
    Watcher(Option<FromWatcher>),
    Arrival(Option<Box<Arrival>>),
    Read(Box<Result<Option<ClientMsg>, ReadError>>),
    Timer,
    Drained,
}

impl MatchTask {
    pub(super) fn new(
        settings: HostSettings,
        driver: Option<Box<dyn Driver>>,
        outbox: Outbox,
        tracker: TaskTracker,
        slots: SharedSlots,
        counters: Arc<Counters>,
    ) -> Self {
        let mut state = Match::new_variant(settings.game, Table::Network, "", "");
        state.set_name(settings.mark, settings.name.clone());
        state.set_name(settings.mark.other(), String::from(EMPTY_SEAT));
        let (fan, from_watchers) = Fan::new(counters, &state.snapshot());
        Self {
            fan,
            from_watchers: Some(from_watchers),
            guard: Guard::new(settings.seat_code.as_deref(), &settings.limits),
            chat: ChatRelay::new(settings.name.clone(), settings.mark, settings.watchers_chat),
            slots,
            settings,
            driver,
            state,
            seat: None,
            resumption: Resumption::default(),
            outbox,
            tracker,
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
            let input = {
                let seat = &mut self.seat;
                let outbox = &mut self.outbox;
                let has_backlog = outbox.has_backlog();
                let read = async {
                    match seat.as_mut() {
                        Some(seat) => seat.read().await,
                        None => pending().await,
                    }
                };
                tokio::select! {
                    () = shutdown.cancelled() => MatchInput::Shutdown,
                    command = commands.recv() => MatchInput::Command(command),
                    arrival = arrivals.recv() => MatchInput::Arrival(arrival.map(Box::new)),
                    said = from_watchers.recv() => MatchInput::Watcher(said),
                    read = read => MatchInput::Read(Box::new(read)),
                    () = &mut timer, if deadline.is_some() => MatchInput::Timer,
                    () = outbox.drain_one(), if has_backlog => MatchInput::Drained,
                }
            };
            if matches!(input, MatchInput::Timer) {
                // Fired: the next deadline re-arms it, even if it is the same instant.
                armed = None;
            }
            match input {
                // The handle is gone: the app is closing, which ends the match like a leave.
                MatchInput::Shutdown | MatchInput::Arrival(None) | MatchInput::Command(None) => {
                    break;
                }
                MatchInput::Command(Some(Command::Intent(intent))) => {
                    self.host_intent(intent).await;
                }
                MatchInput::Command(Some(Command::Chat(text))) => self.host_chat(&text),
                MatchInput::Watcher(said) => self.on_watcher(said),
                MatchInput::Arrival(Some(arrival)) => self.arrive(*arrival).await,
                MatchInput::Read(read) => self.on_read(*read),
                MatchInput::Timer => self.on_timer(),
                MatchInput::Drained => {}
            }
            self.tell_watcher_count();
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
        if let Some(seat) = self.seat.take() {
            seat.close(
                close_code::GOING_AWAY,
                "host closed",
                self.settings.closing_limit(),
            )
            .await;
        }
        // The watchers get what is left in the ring, then are closed.
        self.fan.close();
        if !self.ended {
            self.outbox.push(NetEvent::Stage(Stage::Ended));
        }
        self.outbox.finish(Duration::from_millis(200)).await;
    }

    fn next_deadline(&self) -> Option<Instant> {
        let seat = self.seat.as_ref().map(SeatLink::deadline);
        let away = self.resumption.next_tick();
        let watchers = self.fan.count_due(Instant::now());
        [seat, away, watchers].into_iter().flatten().min()
    }

    /// Tells the players (and the watchers) how many watch, when it changed and is due.
    fn tell_watcher_count(&mut self) {
        if let Some(msg) = self.fan.tell_count(Instant::now()) {
            self.send_to_seat(msg);
            self.publish();
        }
    }

    fn on_timer(&mut self) {
        let now = Instant::now();
        if let Some(seat) = self.seat.as_mut()
            && seat.tick(now) == Beat::Dead
        {
            tracing::info!(peer = %seat.peer(), "the joiner went silent");
            self.drop_seat(None);
        }
        if self.resumption.tick(now) {
            self.publish();
        }
    }

    /// Decides what to do with a connection that said a valid `hello`.
    async fn arrive(&mut self, arrival: Arrival) {
        if arrival.role == HelloRole::Watch {
            self.admit_watcher(arrival);
            return;
        }
        let claim = if self.state.over().is_some() {
            Err(RejectReason::MatchOver)
        } else {
            self.resumption
                .claim(arrival.resume.clone())
                .and_then(|claim| {
                    if claim == SeatClaim::Fresh {
                        self.guard.follow(&mut self.settings.seat_code_later);
                        let code = arrival.seat_code.as_deref();
                        self.guard.check(arrival.peer.key(), code)?;
                    }
                    Ok(claim)
                })
        };
        let claim = match claim {
            Ok(claim) => claim,
            Err(reason) => {
                return arrival.turn_away(reason, &self.settings, &self.tracker);
            }
        };
        let Arrival {
            mut conn,
            name,
            peer,
            auto_rematch,
            ..
        } = arrival;
        if let Some(old) = self.seat.take() {
            // The same player came back on a new connection: the old one is stale.
            tracing::info!(peer = %old.peer(), "a resumed connection replaces the old one");
            let limit = self.settings.timing.write_timeout;
            self.tracker
                .spawn(old.close(close_code::REPLACED, "replaced", limit));
        }
        let fresh = claim == SeatClaim::Fresh;
        self.resumption.seat(claim);
        if fresh {
            self.state.set_name(self.opponent(), name);
        }
        let replayed = replay(claim, self.state.log());
        let auto_rematch = self.settings.auto_rematch && auto_rematch;
        let welcome = ServerMsg::Welcome {
            protocol: PROTOCOL_VERSION,
            app: APP_VERSION.to_owned(),
            you: self.opponent(),
            token: self.resumption.token().to_owned(),
            rules: self.settings.rules(auto_rematch),
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
                self.resumption.unseat();
                self.state
                    .set_name(self.opponent(), String::from(EMPTY_SEAT));
            } else {
                self.mark_away();
            }
            self.publish();
            return;
        }
        tracing::info!(%peer, resumed = !fresh, "the joiner took the seat");
        lock(&self.slots).set_seat_holder(Some(peer.key()));
        if let Some(route) = conn.get_ref().route() {
            self.outbox.follow_route(route);
        }
        let settings = &self.settings;
        self.seat = Some(SeatLink::new(
            conn,
            peer,
            &settings.timing,
            &settings.limits,
        ));
        // The new connection is told how many watch; the watchers learn the opponent's name.
        self.fan.tell_count_again();
        if fresh {
            self.fan.queue(ServerMsg::Snapshot(self.state.snapshot()));
        }
        self.resumption.stop_clock();
        self.state.agree_series(auto_rematch);
        if fresh {
            self.outbox.push(NetEvent::Stage(Stage::Playing));
        }
        self.drive();
        self.publish();
    }

    fn on_read(&mut self, read: Result<Option<ClientMsg>, ReadError>) {
        let Some(seat) = self.seat.as_mut() else {
            return;
        };
        if !seat.heard() {
            tracing::warn!(peer = %seat.peer(), "the joiner is flooding: disconnecting");
            self.refuse_msg(None, Refusal::RateLimited);
            self.drop_seat(Some(close_code::POLICY));
            return;
        }
        match read {
            Ok(Some(msg)) => self.on_msg(msg),
            Ok(None) => {
                tracing::info!("the joiner's connection closed");
                self.drop_seat(None);
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
                self.drop_seat(Some(close_code::TOO_BIG));
            }
            Err(error @ ReadError::Transport { .. }) => {
                tracing::info!(%error, "the joiner's connection failed");
                self.drop_seat(None);
            }
        }
    }

    fn on_msg(&mut self, msg: ClientMsg) {
        match msg {
            ClientMsg::Play { id, cell } => self.command(id, Intent::Play(cell)),
            ClientMsg::Rematch { id } => self.command(id, Intent::Rematch),
            ClientMsg::Resign { id } => self.command(id, Intent::Resign),
            ClientMsg::Sync => self.send_to_seat(ServerMsg::Snapshot(self.state.snapshot())),
            ClientMsg::Ping { t } => self.send_to_seat(ServerMsg::Pong { t }),
            ClientMsg::Pong { t } => {
                if let Some(seat) = self.seat.as_mut() {
                    seat.pong(&t);
                }
                self.publish();
            }
            ClientMsg::Hello { .. } => self.refuse_msg(None, Refusal::Unexpected),
            ClientMsg::Chat { text } => self.joiner_chat(&text),
            ClientMsg::Leave => {
                tracing::info!("the joiner left");
                self.apply_all(vec![Event::Left {
                    player: self.opponent(),
                }]);
                self.drop_seat(Some(close_code::NORMAL));
            }
        }
    }

    /// A command from the joiner: judged by the engine, answered `ack` or `rejected` + snapshot.
    /// A command answered lately is answered again from memory.
    fn command(&mut self, id: u64, intent: Intent) {
        if let Some(answer) = self.resumption.answer(id) {
            match answer {
                Ok(v) => self.send_to_seat(ServerMsg::Ack { id, v }),
                Err(reason) => self.refuse_msg(Some(id), reason),
            }
            return;
        }
        let answer = match self.state.decide(self.opponent(), intent, Facts::NONE) {
            Ok(events) => {
                self.record(events);
                if let Some(seat) = self.seat.as_mut() {
                    seat.refund();
                }
                let v = self.state.v();
                self.send_to_seat(ServerMsg::Ack { id, v });
                Ok(v)
            }
            Err(refused) => {
                let reason = Refusal::from(refused);
                self.refuse_saying(Some(id), reason, reason.said(refused, self.state.variant()));
                Err(reason)
            }
        };
        self.resumption.remember(id, answer);
        // The joiner's move, its ack and the computer's answer: one view for the front end.
        self.drive();
        self.after_events();
    }

    /// Queues a message for the joiner, if it is connected.
    fn send_to_seat(&mut self, msg: ServerMsg) {
        if let Some(seat) = self.seat.as_mut() {
            seat.send(msg);
        }
    }

    /// Queues `rejected` in the reason's own words (and a snapshot after a refused command).
    fn refuse_msg(&mut self, id: Option<u64>, reason: Refusal) {
        self.refuse_saying(id, reason, reason.message().to_owned());
    }

    /// [`MatchTask::refuse_msg`] saying `message`.
    fn refuse_saying(&mut self, id: Option<u64>, reason: Refusal, message: String) {
        self.send_to_seat(ServerMsg::Rejected {
            id,
            reason,
            message,
        });
        if id.is_some() {
            self.send_to_seat(ServerMsg::Snapshot(self.state.snapshot()));
        }
    }

    /// Something the host player asked for.
    async fn host_intent(&mut self, intent: Intent) {
        match self.state.decide(self.me(), intent, self.facts()) {
            Ok(events) => {
                self.apply_all(events);
                if intent == Intent::Leave {
                    self.flush().await;
                    self.drop_seat(Some(close_code::NORMAL));
                } else if intent == Intent::ClaimWin {
                    self.resumption.stop_clock();
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
        Facts::clock(self.seat.is_none() && self.resumption.past_grace(Instant::now()))
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

    /// Applies events the host decided, logs them and queues them for the joiner and the
    /// watchers; a game they end is reported to the front end at once.
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
            self.fan.queue(msg.clone());
            self.send_to_seat(msg);
        }
    }

    /// Shows the front end the state after recorded events, and whether the match ended.
    fn after_events(&mut self) {
        self.publish();
        if self.state.over().is_some() && !self.ended {
            self.ended = true;
            self.resumption.stop_clock();
            self.outbox.push(NetEvent::Stage(Stage::Ended));
        }
    }

    /// Writes everything queued for the seat in one flush (a failed write drops the seat),
    /// then hands what is queued for the watchers to their ring.
    async fn flush(&mut self) {
        if let Some(seat) = self.seat.as_mut()
            && !seat.flush(self.settings.timing.write_timeout).await
        {
            tracing::info!("could not write to the joiner");
            self.drop_seat(None);
        }
        let state = &self.state;
        self.fan.send(|| (state.snapshot(), state.over().is_some()));
    }

    /// A watcher said `hello`: admitted with the match so far, or refused with a reason. The
    /// seat code, when the host requires one, is needed to watch too.
    fn admit_watcher(&mut self, arrival: Arrival) {
        let decision = if self.state.over().is_some() {
            Err(RejectReason::MatchOver)
        } else if usize::try_from(self.fan.count()).unwrap_or(usize::MAX)
            >= self.settings.limits.max_watchers
        {
            Err(RejectReason::TooManyWatchers)
        } else {
            self.guard.follow(&mut self.settings.seat_code_later);
            let code = arrival.seat_code.as_deref();
            self.guard.check(arrival.peer.key(), code)
        };
        let subscription = decision.and_then(|()| {
            self.fan
                .admit(&self.state.snapshot(), false)
                .ok_or(RejectReason::MatchOver)
        });
        let sub = match subscription {
            Ok(sub) => sub,
            Err(reason) => {
                return arrival.turn_away(reason, &self.settings, &self.tracker);
            }
        };
        let welcome = ServerMsg::WatchWelcome {
            protocol: PROTOCOL_VERSION,
            app: APP_VERSION.to_owned(),
            rules: self.settings.rules(self.state.series()),
            chat: self.chat.watchers_chat(),
            watchers: self.fan.count(),
            snapshot: self.state.snapshot(),
        };
        tracing::debug!(peer = %arrival.peer, watching = self.fan.count(), "a watcher joined");
        let link = WatcherLink {
            conn: arrival.conn,
            peer: arrival.peer,
            name: arrival.name,
            sub,
            timing: self.settings.timing.clone(),
            limits: self.settings.limits.clone(),
            chat: self.chat.watchers_chat(),
        };
        self.tracker.spawn(link.run(to_json(&welcome).into()));
    }

    /// A line of chat from the host player: to the joiner and the watchers.
    fn host_chat(&mut self, text: &str) {
        match self.chat.said_by_host(text) {
            Ok(heard) => {
                self.outbox.push(NetEvent::Said(heard.line.clone()));
                self.relay(heard);
            }
            Err(reason) => self.outbox.push(NetEvent::Refused {
                reason,
                message: reason.message().to_owned(),
            }),
        }
    }

    /// A line of chat from the joiner: to the host player and the watchers.
    fn joiner_chat(&mut self, text: &str) {
        let name = self.state.name(self.opponent());
        let Some(seat) = self.seat.as_mut() else {
            return;
        };
        match self.chat.said_by_joiner(name, text, seat.chat_rate()) {
            Ok(heard) => self.relay(heard),
            Err(reason) => self.refuse_msg(None, reason),
        }
    }

    /// Something from a watcher's task.
    fn on_watcher(&mut self, said: Option<FromWatcher>) {
        match said {
            Some(FromWatcher::Chat { name, text }) => {
                self.relay(ChatRelay::said_by_watcher(name, text));
            }
            // The count changed: told when due.
            Some(FromWatcher::Left) | None => {}
        }
    }

    /// Passes a line of chat on to whoever hears it.
    fn relay(&mut self, heard: Heard) {
        if heard.by_host {
            self.outbox.push(NetEvent::Chat(heard.line.clone()));
        }
        if heard.by_joiner {
            self.send_to_seat(ServerMsg::Chat(heard.line.clone()));
        }
        self.fan.queue(ServerMsg::Chat(heard.line));
    }

    /// Ends the seat's connection (with a close frame when `code` is given, after what is
    /// queued for it) and holds the seat.
    fn drop_seat(&mut self, code: Option<u16>) {
        let Some(seat) = self.seat.take() else {
            return;
        };
        seat.close_in_background(code, self.settings.closing_limit(), &self.tracker);
        self.mark_away();
        self.publish();
    }

    /// The joiner is away: its seat is held for the grace period, while the match is on.
    fn mark_away(&mut self) {
        if self.state.over().is_none() {
            self.resumption
                .away_from(Instant::now(), self.settings.timing.grace);
        }
    }

    /// Sends the front end a fresh view.
    fn publish(&mut self) {
        let mut view = View::of(&self.state, Role::Host, self.me());
        view.rtt = self.seat.as_ref().and_then(SeatLink::round_trip);
        view.watchers = self.fan.count();
        view.opponent = if self.state.over().is_some() {
            Presence::Gone
        } else if self.seat.is_some() {
            Presence::Connected
        } else {
            self.resumption.absence(Instant::now())
        };
        self.outbox.push(NetEvent::State(Box::new(view)));
    }
}
