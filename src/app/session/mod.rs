//! The network as the window sees it: the [`Session`], behind a seam tests can drive.
//!
//! The session starts, speaks to and stops the network side through [`Network`] and [`Link`]:
//! the real network ([`Sockets`](sockets::Sockets)) in the window, a fake
//! ([`fake::FakeNetwork`]) that tests drive without sockets.
//!
//! Layout:
//! - [`Session`] (this file): what the app keeps of the network — the [`Link`] running while
//!   hosting, joining or watching, the timings, reach and relays it starts them with, the search
//!   for games on this network, the disputes to keep with the next game recorded, and the seat
//!   of a match this window may rejoin.
//! - [`sockets`]: the real network, through `crate::net`.
//! - [`fake`]: a network of channels: each session started hands its other end to the test.
//!
//! Nothing here draws or blocks the UI thread: a stopped link is dropped on a thread of its own.

pub mod fake;
pub mod sockets;

use crate::game::{Intent, Player, Variant, name_or};
use crate::net::discovery::{Browser, Discovery, Mdns};
use crate::net::host::P2pHost;
use crate::net::join::Destination;
use crate::net::p2p::{P2pAddr, Relays};
use crate::net::{HostConfig, JoinConfig, NetError, NetEvent, Reach, Timing, Wake, host};
use crate::store::{Seat, SeatStore};

/// A running network side, as the window uses it: intents and chat in, events out. Dropping it
/// stops the network side and tells the other player.
pub trait Link: std::fmt::Debug + Send {
    /// Sends `intent` without blocking; a full or closed channel is logged and dropped.
    fn send(&self, intent: Intent);
    /// Sends a line of chat without blocking; a full or closed channel is logged and dropped.
    fn chat(&self, text: String);
    /// The next event, if one is waiting. Never blocks.
    fn try_recv(&mut self) -> Option<NetEvent>;
    /// Where a host can be reached on the peer-to-peer path now (its key, its relay once
    /// connected, its direct addresses); `None` for a joiner, a watcher, or a host that does not
    /// listen there. Cheap: the hosting screen asks every frame.
    fn p2p_addr(&self) -> Option<P2pAddr> {
        None
    }
}

/// Where links come from: the real network, or a fake a test drives.
pub trait Network: std::fmt::Debug {
    /// Starts hosting as `config` says; the network side's events then say who joins.
    fn host(&mut self, config: HostConfig, wake: Wake) -> Result<Hosted, NetError>;
    /// Starts joining the match at `to` (an address, or an invite link's host by every path it
    /// names), or watching it when `watch`; progress and failures arrive as events.
    fn join(
        &mut self,
        to: &Destination,
        config: JoinConfig,
        watch: bool,
        wake: Wake,
    ) -> Box<dyn Link>;
}

/// A game being hosted: where, with which seat code, and its link.
#[derive(Debug)]
pub struct Hosted {
    /// The port the server listens on.
    pub port: u16,
    /// The seat code a joiner must type, if one is required.
    pub seat_code: Option<String>,
    /// The running server.
    pub link: Box<dyn Link>,
}

/// What the player asked for when hosting, as the host form says it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HostRequest {
    /// The host's name as typed (blank means a default name).
    pub name: String,
    /// The port to listen on; 0 picks a free one.
    pub port: u16,
    /// Whether the joiner must type a seat code.
    pub seat_code: bool,
    /// Whether to ask the router to open the port to the internet (when this window may).
    pub router: bool,
    /// The game the match plays.
    pub game: Variant,
}

/// A game just hosted, as its waiting screen first shows it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HostStarted {
    /// The port the server listens on.
    pub port: u16,
    /// The seat code a joiner must type, if one is required.
    pub seat_code: Option<String>,
    /// Where it can be reached on the peer-to-peer path, if it listens there.
    pub p2p: Option<P2pAddr>,
}

/// Which relays the games this window hosts can be reached through.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum WindowRelays {
    /// None: the peer-to-peer path takes direct paths only. The default, so that a window built
    /// in a test never reaches the internet.
    #[default]
    Off,
    /// The relay chosen in the settings (the window the player opens).
    Chosen,
    /// These, whatever the settings say (`TICTACTOE_RELAY`).
    Fixed(Relays),
}

/// What a window may do to be found and reached beyond the addresses typed.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct WindowReach {
    /// List hosted games and look for others with multicast DNS (`None`: neither).
    pub listed: Option<Mdns>,
    /// Offer to ask the router to open the host's port.
    pub router: bool,
}

/// The running link and whether it hosts.
#[derive(Debug)]
struct Running {
    link: Box<dyn Link>,
    hosting: bool,
}

/// The window's network side: the running link, if any, and what starting one needs.
#[derive(Debug)]
pub struct Session {
    network: Box<dyn Network>,
    running: Option<Running>,
    /// The timings of the matches started from now on.
    timing: Timing,
    reach: WindowReach,
    /// Which relays a hosted game uses.
    relays: WindowRelays,
    /// The search for games on this network, while the join form shows.
    browser: Option<Browser>,
    /// Where the host changed what this window had seen, kept with the next game recorded.
    disputes: Vec<String>,
    /// The seat of a networked match this window was playing when it last closed, by host
    /// address, offered as "Rejoin the match".
    rejoin: Option<(String, Seat)>,
}

impl Session {
    /// A session over `network` that reaches only the addresses typed, with the default timings.
    #[must_use]
    pub fn new(network: Box<dyn Network>) -> Self {
        Self {
            network,
            running: None,
            timing: Timing::default(),
            reach: WindowReach::default(),
            relays: WindowRelays::Off,
            browser: None,
            disputes: Vec::new(),
            rejoin: None,
        }
    }

    /// Starts sessions over `network` from now on.
    pub fn set_network(&mut self, network: Box<dyn Network>) {
        self.network = network;
    }

    /// Uses `timing` for the matches started from now on.
    pub fn set_timing(&mut self, timing: Timing) {
        self.timing = timing;
    }

    /// Lets this window be found and reach as `reach` says.
    pub const fn set_reach(&mut self, reach: WindowReach) {
        self.reach = reach;
    }

    /// Lets hosted games be reached through the relays `relays` says.
    pub fn set_relays(&mut self, relays: WindowRelays) {
        self.relays = relays;
    }

    /// The relays a game hosted now uses, `chosen` being the settings' choice.
    #[must_use]
    pub fn relays(&self, chosen: Relays) -> Relays {
        match &self.relays {
            WindowRelays::Off => Relays::Off,
            WindowRelays::Chosen => chosen,
            WindowRelays::Fixed(relays) => relays.clone(),
        }
    }

    /// What sets the relays instead of the settings, in words for the host form: `None` when
    /// the settings' choice counts.
    #[must_use]
    pub const fn relays_fixed(&self) -> Option<&Relays> {
        match &self.relays {
            WindowRelays::Fixed(relays) => Some(relays),
            WindowRelays::Off | WindowRelays::Chosen => None,
        }
    }

    /// Whether this window offers to ask the router to open the host's port.
    #[must_use]
    pub const fn offers_router(&self) -> bool {
        self.reach.router
    }

    /// Offers to rejoin the match whose host was heard from last, if one may still hold a seat
    /// kept in `seats` under an address (a seat taken through an invite link's key is kept
    /// under the key, which only the link itself can reach again).
    pub fn offer_rejoin(&mut self, seats: &mut SeatStore) {
        self.rejoin = seats
            .held()
            .into_iter()
            .filter(|(host, _)| crate::net::join::parse_ip_port(host).is_ok())
            .max_by_key(|(_, seat)| seat.heard_s);
    }

    /// The networked match offered as "Rejoin the match", if any: the host's address and the
    /// seat.
    #[must_use]
    pub const fn rejoin_offer(&self) -> Option<&(String, Seat)> {
        self.rejoin.as_ref()
    }

    /// Takes the rejoin offer, to act on it.
    pub const fn take_rejoin(&mut self) -> Option<(String, Seat)> {
        self.rejoin.take()
    }

    /// Starts hosting the match `request` asks for, listening on the peer-to-peer path too as
    /// `p2p` says. Any running link stops first.
    pub fn host(
        &mut self,
        request: &HostRequest,
        p2p: Option<P2pHost>,
        wake: Wake,
    ) -> Result<HostStarted, NetError> {
        self.stop();
        let config = HostConfig {
            port: request.port,
            name: name_or(&request.name, &format!("Player {}", Player::X)),
            mark: Player::X,
            game: request.game,
            seat_code: request.seat_code.then(host::new_seat_code),
            timing: self.timing.clone(),
            reach: Reach {
                listed: self.reach.listed,
                router: request.router && self.reach.router,
                // The window asks before hosting (the seat code box is ticked by default).
                seat_code_when_open: false,
            },
            p2p,
            ..HostConfig::default()
        };
        let hosted = self.network.host(config, wake)?;
        let started = HostStarted {
            port: hosted.port,
            seat_code: hosted.seat_code,
            p2p: hosted.link.p2p_addr(),
        };
        self.running = Some(Running {
            link: hosted.link,
            hosting: true,
        });
        Ok(started)
    }

    /// Where the game being hosted can be reached on the peer-to-peer path now, if it is hosted
    /// and listens there.
    #[must_use]
    pub fn p2p_addr(&self) -> Option<P2pAddr> {
        self.running
            .as_ref()
            .filter(|running| running.hosting)
            .and_then(|running| running.link.p2p_addr())
    }

    /// Starts joining (or, when `watch`, watching) the match at `to` as `name` (blank: a default
    /// name), keeping the seat in `seats`. Any running link stops first; a join replaces the
    /// rejoin offer.
    pub fn join(
        &mut self,
        name: &str,
        to: &Destination,
        seat_code: Option<String>,
        watch: bool,
        seats: SeatStore,
        wake: Wake,
    ) {
        self.stop();
        if !watch {
            self.rejoin = None;
        }
        let config = JoinConfig {
            name: name_or(name, &format!("Player {}", Player::O)),
            seat_code,
            timing: self.timing.clone(),
            seats,
            ..JoinConfig::default()
        };
        let link = self.network.join(to, config, watch, wake);
        self.running = Some(Running {
            link,
            hosting: false,
        });
    }

    /// Stops the running link, if any. Stopping waits for its thread, so that happens on a
    /// short-lived thread of its own rather than on the UI thread.
    pub fn stop(&mut self) {
        let Some(running) = self.running.take() else {
            return;
        };
        let spawned = std::thread::Builder::new()
            .name("tictactoe-net-stop".to_owned())
            .spawn(move || drop(running));
        if let Err(error) = spawned {
            tracing::warn!(%error, "could not stop the network side in the background");
        }
    }

    /// Stops a game being hosted, here and now (the window is closing: the joiner is told, and
    /// the router's port mapping is removed). A joined match is kept, for a rejoin.
    pub fn stop_hosting(&mut self) {
        if self.running.as_ref().is_some_and(|running| running.hosting) {
            drop(self.running.take());
        }
    }

    /// Sends `intent` to the running link, if any.
    pub fn send(&self, intent: Intent) {
        if let Some(running) = &self.running {
            running.link.send(intent);
        }
    }

    /// Sends a line of chat over the running link, if any.
    pub fn chat(&self, text: String) {
        if let Some(running) = &self.running {
            running.link.chat(text);
        }
    }

    /// The running link's next event, if one is waiting.
    pub fn try_recv(&mut self) -> Option<NetEvent> {
        self.running.as_mut()?.link.try_recv()
    }

    /// Starts looking for games on this network, if this window may; whether it looks.
    pub fn look_for_games(&mut self, wake: Wake) -> bool {
        let Some(mdns) = self.reach.listed else {
            return false;
        };
        if self.browser.is_none() {
            match Browser::start(mdns, wake) {
                Ok(browser) => self.browser = Some(browser),
                Err(error) => {
                    tracing::warn!(%error, "could not look for games on this network");
                    return false;
                }
            }
        }
        true
    }

    /// What the search for games has seen since last asked, at most `max`.
    pub fn discovered(&mut self, max: usize) -> Vec<Discovery> {
        let mut seen = Vec::new();
        if let Some(browser) = &mut self.browser {
            while seen.len() < max
                && let Some(event) = browser.try_recv()
            {
                seen.push(event);
            }
        }
        seen
    }

    /// Stops looking for games on this network.
    pub fn stop_looking(&mut self) {
        self.browser = None;
    }

    /// Keeps where the host changed what this window had seen, for the next game recorded.
    pub fn dispute(&mut self, what: String) {
        self.disputes.push(what);
    }

    /// The disputes kept since the last networked game was recorded.
    pub fn take_disputes(&mut self) -> Vec<String> {
        std::mem::take(&mut self.disputes)
    }
}
