//! The match over the network, played or watched: [`NetMatch`], its update, the connection line.
//!
//! A [`NetMatch`] is the last view from the network side and what the screen adds to it: the
//! stage of the link, how a peer-to-peer connection runs (direct or through a relay), a refusal
//! or failure in words, the chat.
//!
//! Intents and chat go to the network side as effects; what it says comes back through
//! [`NetMatch::on_event`]. The view model is built in `net_view`. Nothing here blocks or does
//! I/O.

use std::time::{Duration, Instant};

use crate::app::command::Command;
use crate::app::effect::{Effect, Open};
use crate::app::event::SystemEvent;
use crate::game::{Ending, Event, Intent};
use crate::net::p2p::Route;
use crate::net::{NetEvent, Presence, Stage, View};
use crate::record::Mode;

use super::host_form::relay_name;

/// How many lines of chat a match screen keeps (the oldest go first).
pub const CHAT_KEPT: usize = 100;

/// The networked match screen's state: the last view from the network side and what the screen
/// adds to it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NetMatch {
    /// Everything the network side says about the match.
    pub view: Box<View>,
    /// Where the connection stands.
    pub stage: Stage,
    /// How the connection runs, when it is on the peer-to-peer path (`None`: over TCP, or not
    /// said yet).
    pub route: Option<Route>,
    /// The resign confirmation is showing.
    pub confirm_resign: bool,
    /// The last refusal or failure, in words.
    pub message: Option<String>,
    /// The failure that ended the match's connection, if one did.
    pub failure: Option<crate::net::NetError>,
    /// The chat so far, oldest first, at most [`CHAT_KEPT`] lines.
    pub chat: std::collections::VecDeque<crate::net::ChatLine>,
    /// Whether the chat is unfolded on a window too narrow to show it beside the board.
    pub chat_open: bool,
    /// Lines heard while the chat was folded away.
    pub unread: usize,
}

impl NetMatch {
    /// A match screen showing `view`.
    #[must_use]
    pub const fn new(view: Box<View>) -> Self {
        Self {
            view,
            stage: Stage::Playing,
            route: None,
            confirm_resign: false,
            message: None,
            failure: None,
            chat: std::collections::VecDeque::new(),
            chat_open: false,
            unread: 0,
        }
    }

    /// The same screen, its connection running as `route` says.
    #[must_use]
    pub fn with_route(mut self, route: Option<Route>) -> Self {
        self.route = route;
        self
    }

    /// Keeps a line of chat, said or heard; a line heard while the chat is folded away counts
    /// as unread.
    pub fn hear(&mut self, line: crate::net::ChatLine, mine: bool) {
        if self.chat.len() == CHAT_KEPT {
            self.chat.pop_front();
        }
        self.chat.push_back(line);
        if !mine && !self.chat_open {
            self.unread += 1;
        }
    }

    /// Whether the match is over for good (left, abandoned, connection lost).
    #[must_use]
    pub fn finished(&self) -> bool {
        self.view.state.over().is_some() || self.stage == Stage::Ended
    }

    /// Whether this screen only watches the match.
    #[must_use]
    pub const fn watching(&self) -> bool {
        self.view.watching
    }

    /// The opponent's name.
    #[must_use]
    pub fn opponent_name(&self) -> &str {
        self.view.name(self.view.me.other())
    }

    /// The mode of this match, for its records.
    #[must_use]
    pub const fn mode(&self) -> Mode {
        Mode::Network {
            role: self.view.role,
            you: self.view.me,
        }
    }

    /// The game this side is leaving before it is over, recorded, as the match itself ends it
    /// when this player leaves (a watcher records nothing).
    fn leaving(&self) -> Option<Effect> {
        if self.watching() {
            return None;
        }
        let over = self.view.state.leaving(self.view.me)?;
        Some(Effect::Record {
            mode: self.mode(),
            over: Box::new(over),
        })
    }

    /// Carries out `command` on this screen: intents and chat go to the network side; leaving
    /// ends the session and goes back to the menu.
    pub fn update(&mut self, command: Command) -> Vec<Effect> {
        let leave = |leaving: Option<Effect>| {
            let mut effects: Vec<Effect> = leaving.into_iter().collect();
            effects.extend([
                Effect::Send(Intent::Leave),
                Effect::StopSession,
                Effect::Open(Open::Menu),
            ]);
            effects
        };
        match command {
            // A watcher can only stop watching; the screen offers nothing else.
            Command::Intent(Intent::Leave) if self.watching() => {
                vec![Effect::StopSession, Effect::Open(Open::Menu)]
            }
            Command::Intent(_) if self.watching() => Vec::new(),
            Command::Intent(intent) => {
                self.confirm_resign = false;
                self.message = None;
                if intent == Intent::Leave {
                    leave(self.leaving())
                } else {
                    vec![Effect::Send(intent)]
                }
            }
            Command::Chat(text) => vec![Effect::Chat(text)],
            Command::ShowChat(open) => {
                self.chat_open = open;
                if open {
                    self.unread = 0;
                }
                Vec::new()
            }
            Command::ConfirmResign(show) => {
                self.confirm_resign = show;
                Vec::new()
            }
            Command::SaveGame => Effect::save(&self.view.state, self.mode())
                .into_iter()
                .collect(),
            Command::BackToMenu => leave(self.leaving()),
            _ => Vec::new(),
        }
    }

    /// What the network side says, shown; a game that ends is recorded (by a player, not a
    /// watcher), and the opponent's move and a line of chat call for attention. While a
    /// countdown shows, the screen asks for a frame every second.
    pub fn on_event(&mut self, event: SystemEvent) -> Vec<Effect> {
        let event = match event {
            SystemEvent::Net(event) => event,
            SystemEvent::Tick { .. } => return self.countdown(),
            SystemEvent::Discovery(_) | SystemEvent::File(_) | SystemEvent::Reachable(_) => {
                return Vec::new();
            }
        };
        match event {
            NetEvent::State(view) => {
                // The opponent gone or away takes the route with it: it may come back by
                // another path, which says so.
                if !view.watching
                    && view.role == crate::game::Role::Host
                    && view.opponent != Presence::Connected
                {
                    self.route = None;
                }
                self.view = view;
            }
            NetEvent::Route(route) => self.route = Some(route),
            NetEvent::Dispute(what) => {
                self.message = Some(what.clone());
                return vec![Effect::Dispute(what)];
            }
            // A watcher's history holds the games it played, not the ones it watched.
            NetEvent::GameOver(over) if !self.watching() => {
                return vec![Effect::Record {
                    mode: self.mode(),
                    over,
                }];
            }
            NetEvent::Chat(line) => {
                self.hear(line, false);
                return vec![Effect::Attention];
            }
            NetEvent::Said(line) => self.hear(line, true),
            NetEvent::Stage(stage) => {
                // A link lost is found again by whichever path answers first, which says so.
                if matches!(stage, Stage::Reconnecting { .. } | Stage::Connecting { .. }) {
                    self.route = None;
                }
                self.stage = stage;
            }
            NetEvent::Refused { message, .. } => self.message = Some(message),
            NetEvent::Error(error) => {
                self.message = Some(error.to_string());
                self.failure = Some(error);
            }
            // The opponent moved: the sound, and a quiet call for attention.
            NetEvent::Applied(Event::Moved { player, .. })
                if !self.watching() && player != self.view.me =>
            {
                return vec![Effect::Chime, Effect::Attention];
            }
            event => tracing::debug!(?event, "network event not shown"),
        }
        Vec::new()
    }

    /// A countdown on screen ticks once a second: the claim, or giving up reconnecting.
    fn countdown(&self) -> Vec<Effect> {
        let counting = self.claim_in().is_some_and(|left| !left.is_zero())
            || matches!(self.stage, Stage::Reconnecting { .. });
        if counting {
            vec![Effect::RepaintAfter(Duration::from_secs(1))]
        } else {
            Vec::new()
        }
    }

    /// The time left before the win may be claimed, while the opponent is away.
    #[must_use]
    pub fn claim_in(&self) -> Option<Duration> {
        match self.view.opponent {
            Presence::Away { claim_at, .. } if !self.finished() => {
                Some(claim_at.saturating_duration_since(Instant::now()))
            }
            _ => None,
        }
    }
}

/// The connection line: "Connected · 3 ms · 2 watching", "Reconnecting… (attempt 2)", "Bob is
/// away — you can claim the win in 42 s", or why the match ended.
///
/// On the peer-to-peer path, "Connected" says how: "Direct · 3 ms", "Direct (through both
/// routers) · 40 ms" or "Through relay 203.0.113.10:3340 · 90 ms".
///
/// A watcher's says only how the link stands and how many watch.
#[must_use]
pub fn connection_text(net: &NetMatch) -> String {
    let view = &net.view;
    let opponent = net.opponent_name();
    if view.watching {
        return watch_connection_text(net);
    }
    if let Some(over) = view.state.over() {
        return match over {
            Ending::Left { player } if player == view.me => "You left the match".to_owned(),
            Ending::Left { .. } => format!("{opponent} left the match"),
            Ending::Abandoned { player } if player == view.me => {
                format!("{opponent} claimed the win: you were away too long")
            }
            Ending::Abandoned { .. } => {
                format!("You claimed the win: {opponent} was away too long")
            }
            Ending::Won | Ending::Draw | Ending::Resigned { .. } | Ending::Unfinished => {
                "The match has ended".to_owned()
            }
        };
    }
    match &net.stage {
        Stage::Ended => return "The match has ended".to_owned(),
        Stage::Reconnecting {
            attempt,
            give_up_at,
            ..
        } => {
            let left = give_up_at.saturating_duration_since(Instant::now());
            return format!(
                "Reconnecting… (attempt {attempt}; giving up in {} s)",
                whole_seconds(left)
            );
        }
        Stage::Connecting { .. } => return "Reconnecting…".to_owned(),
        Stage::Waiting | Stage::Playing => {}
    }
    match view.opponent {
        Presence::Away { .. } => match net.claim_in() {
            Some(left) if !left.is_zero() => format!(
                "{opponent} is away — you can claim the win in {} s",
                whole_seconds(left)
            ),
            _ if view.can_claim_win() => format!("{opponent} is away — you can claim the win"),
            _ => format!("{opponent} is away"),
        },
        Presence::NotJoined => "Waiting for your friend…".to_owned(),
        Presence::Gone => format!("{opponent} is gone"),
        Presence::Connected => connected_text(view, net.route.as_ref()),
    }
}

/// A watcher's connection line: "Connected · 3 ms · 2 watching", "Reconnecting…", "The match is
/// over".
fn watch_connection_text(net: &NetMatch) -> String {
    if net.finished() {
        return "The match is over".to_owned();
    }
    match net.stage {
        Stage::Reconnecting { attempt, .. } => format!("Reconnecting… (attempt {attempt})"),
        Stage::Connecting { .. } => "Reconnecting…".to_owned(),
        Stage::Waiting | Stage::Playing | Stage::Ended => {
            connected_text(&net.view, net.route.as_ref())
        }
    }
}

/// "Connected · 3 ms · 2 watching": how the connection runs (on the peer-to-peer path, direct
/// or through which relay), the round trip when measured, the watchers when any.
fn connected_text(view: &View, route: Option<&Route>) -> String {
    let mut text = route_text(route);
    if let Some(rtt) = view.rtt {
        text.push_str(&format!(" · {} ms", rtt.as_millis()));
    }
    if view.watchers > 0 {
        text.push_str(&format!(" · {} watching", view.watchers));
    }
    text
}

/// How the connection runs, in words: "Connected" over TCP; "Direct", "Direct (through both
/// routers)" or "Through relay 203.0.113.10:3340" on the peer-to-peer path.
#[must_use]
pub fn route_text(route: Option<&Route>) -> String {
    match route {
        None => "Connected".to_owned(),
        Some(Route::Direct {
            through_routers: false,
        }) => "Direct".to_owned(),
        Some(Route::Direct {
            through_routers: true,
        }) => "Direct (through both routers)".to_owned(),
        Some(Route::Relay { url }) => format!("Through relay {}", relay_name(url)),
    }
}

/// `left` in whole seconds, rounded up: a countdown reads 1 s until it reaches 0.
fn whole_seconds(left: Duration) -> u64 {
    left.as_secs() + u64::from(left.subsec_nanos() > 0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::game::{Cell, Match, Player, Role};

    fn playing(me: Player, watching: bool) -> NetMatch {
        let state = Match::networked("Ann", "Bob");
        let role = if me == Player::X {
            Role::Host
        } else {
            Role::Joiner
        };
        let mut view = View::of(&state, role, me);
        view.watching = watching;
        NetMatch::new(Box::new(view))
    }

    fn moved(player: Player) -> SystemEvent {
        SystemEvent::Net(NetEvent::Applied(Event::Moved {
            player,
            cell: Cell::ALL[4],
        }))
    }

    #[test]
    fn the_opponents_move_rings_and_calls_mine_and_a_watchers_do_not() {
        let mut net = playing(Player::O, false);
        assert_eq!(
            net.on_event(moved(Player::X)),
            [Effect::Chime, Effect::Attention]
        );
        assert_eq!(net.on_event(moved(Player::O)), []);
        let mut watcher = playing(Player::O, true);
        assert_eq!(watcher.on_event(moved(Player::X)), []);
    }

    #[test]
    fn leaving_records_the_game_left_sends_leave_and_stops_and_a_watcher_only_stops() {
        let mut net = playing(Player::X, false);
        let mut state = net.view.state.clone();
        state.act(Player::X, Intent::Play(Cell::ALL[4])).unwrap();
        net.view.state = state;
        let effects = net.update(Command::Intent(Intent::Leave));
        assert!(matches!(effects[0], Effect::Record { .. }), "{effects:?}");
        assert_eq!(
            effects[1..],
            [
                Effect::Send(Intent::Leave),
                Effect::StopSession,
                Effect::Open(Open::Menu)
            ]
        );
        let mut watcher = playing(Player::O, true);
        assert_eq!(
            watcher.update(Command::Intent(Intent::Leave)),
            [Effect::StopSession, Effect::Open(Open::Menu)]
        );
        assert_eq!(watcher.update(Command::Intent(Intent::Resign)), []);
    }

    #[test]
    fn the_connection_line_says_how_a_peer_to_peer_connection_runs_and_follows_it() {
        let mut net = playing(Player::O, false);
        net.view.rtt = Some(Duration::from_millis(42));
        assert_eq!(connection_text(&net), "Connected · 42 ms");
        let pin = "ab".repeat(32);
        let relay = Route::Relay {
            url: format!("https://203.0.113.10:3340/#sha256={pin}"),
        };
        assert_eq!(net.on_event(SystemEvent::Net(NetEvent::Route(relay))), []);
        assert_eq!(
            connection_text(&net),
            "Through relay 203.0.113.10:3340 · 42 ms"
        );
        let punched = Route::Direct {
            through_routers: true,
        };
        let _ignored = net.on_event(SystemEvent::Net(NetEvent::Route(punched)));
        assert_eq!(
            connection_text(&net),
            "Direct (through both routers) · 42 ms"
        );
        // Lost, the route goes with the link: the path that answers again says its own.
        let _ignored = net.on_event(SystemEvent::Net(NetEvent::Stage(Stage::Reconnecting {
            attempt: 1,
            retry_in: Duration::from_millis(100),
            give_up_at: Instant::now() + Duration::from_secs(30),
        })));
        assert_eq!(net.route, None);
        let mut watcher = playing(Player::O, true).with_route(Some(Route::Direct {
            through_routers: false,
        }));
        watcher.view.watchers = 2;
        assert_eq!(connection_text(&watcher), "Direct · 2 watching");
    }

    #[test]
    fn a_dispute_is_shown_and_kept_and_a_refusal_only_shown() {
        let mut net = playing(Player::O, false);
        let what = "The host changed move 1".to_owned();
        assert_eq!(
            net.on_event(SystemEvent::Net(NetEvent::Dispute(what.clone()))),
            [Effect::Dispute(what.clone())]
        );
        assert_eq!(net.message, Some(what));
        let refused = NetEvent::Refused {
            reason: crate::net::Refusal::NotYourTurn,
            message: "Not your turn".to_owned(),
        };
        assert_eq!(net.on_event(SystemEvent::Net(refused)), []);
        assert_eq!(net.message.as_deref(), Some("Not your turn"));
        // The next intent clears it.
        net.update(Command::Intent(Intent::Rematch));
        assert_eq!(net.message, None);
    }
}
