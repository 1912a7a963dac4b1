//! Games on this network: DNS-SD over multicast DNS, service type `_tictactoe._tcp`.
//!
//! A host waiting for a joiner is listed by an [`Advertiser`] (see `crate::net::reach`, which
//! starts and stops it with the seat); a joiner's [`Browser`] reports the games it sees, live,
//! as [`Discovery`] events on a bounded channel, waking the front end after each one. The TXT
//! keys are specified in `docs/PROTOCOL.md` ("Games on this network").
//!
//! Runs on `mdns-sd`'s own thread (it needs no async runtime) and one named thread per browser.
//! Never imports egui; never touches the match.

use std::collections::HashMap;
use std::net::{IpAddr, SocketAddr};
use std::sync::mpsc;
use std::time::Duration;

use mdns_sd::{IfKind, ServiceDaemon, ServiceEvent, ServiceInfo};

use super::front_end::Wake;
use super::wire::{APP_VERSION, PROTOCOL_VERSION};
use crate::game::Variant;

/// The DNS-SD service type, with its domain.
pub const SERVICE_TYPE: &str = "_tictactoe._tcp.local.";

/// The standard multicast DNS port.
pub const MDNS_PORT: u16 = 5353;

/// How many discovery events may wait for the front end.
const EVENT_CAPACITY: usize = 64;

/// How long stopping waits for the goodbye packets to be sent.
const STOP_WAIT: Duration = Duration::from_millis(500);

/// Where multicast DNS is spoken.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Interfaces {
    /// Every network interface of this computer: what people use.
    All,
    /// 127.0.0.1 only: two programs on this computer, and no packet leaves it (tests).
    Loopback,
}

/// How multicast DNS is spoken: on which interfaces, and on which UDP port.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Mdns {
    /// The interfaces used.
    pub interfaces: Interfaces,
    /// The UDP port ([`MDNS_PORT`]; tests on one computer pick another to keep to themselves).
    pub port: u16,
}

impl Mdns {
    /// Every interface, the standard port.
    #[must_use]
    pub const fn system() -> Self {
        Self {
            interfaces: Interfaces::All,
            port: MDNS_PORT,
        }
    }

    /// 127.0.0.1 only, on `port`: for tests, which must not send anything off this computer.
    #[must_use]
    pub const fn loopback(port: u16) -> Self {
        Self {
            interfaces: Interfaces::Loopback,
            port,
        }
    }

    fn daemon(self) -> Result<ServiceDaemon, DiscoveryError> {
        let daemon =
            ServiceDaemon::new_with_port(self.port).map_err(|e| DiscoveryError::start(&e))?;
        if self.interfaces == Interfaces::Loopback {
            // Commands are carried out in order: nothing is sent before these take effect.
            daemon
                .disable_interface(IfKind::All)
                .map_err(|e| DiscoveryError::start(&e))?;
            daemon
                .enable_interface(IfKind::LoopbackV4)
                .map_err(|e| DiscoveryError::start(&e))?;
        }
        Ok(daemon)
    }
}

/// Why listing or looking for games could not start.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum DiscoveryError {
    /// Multicast DNS could not start on this computer.
    #[error(
        "Could not look for games on this network ({detail}). Type your friend's address instead."
    )]
    Start {
        /// The library's words.
        detail: String,
    },
}

impl DiscoveryError {
    fn start(error: &mdns_sd::Error) -> Self {
        Self::Start {
            detail: error.to_string(),
        }
    }
}

/// What a host says about its game.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Advert {
    /// The host player's name.
    pub name: String,
    /// The port the host listens on.
    pub port: u16,
    /// Whether a joiner must type a seat code.
    pub seat_code: bool,
    /// The protocol version spoken (normally [`PROTOCOL_VERSION`]).
    pub protocol: u32,
    /// The app version (normally [`APP_VERSION`]).
    pub app: String,
    /// Whether the host admits watchers.
    pub watch: bool,
    /// Whether the seat is taken and the match being played (listed then only for watchers).
    pub playing: bool,
    /// The game the match plays.
    pub game: Variant,
}

impl Advert {
    /// A game by `name` on `port`, of this app's version.
    #[must_use]
    pub fn new(name: &str, port: u16, seat_code: bool) -> Self {
        Self {
            name: name.to_owned(),
            port,
            seat_code,
            protocol: PROTOCOL_VERSION,
            app: APP_VERSION.to_owned(),
            watch: true,
            playing: false,
            game: Variant::Classic,
        }
    }
}

fn yes_no(flag: bool) -> String {
    if flag { "yes" } else { "no" }.to_owned()
}

/// A short random tag that keeps two hosts' instance and host names apart.
fn tag() -> String {
    use rand::{Rng as _, SeedableRng as _};
    format!(
        "{:08x}",
        rand::rngs::SmallRng::from_os_rng().random::<u32>()
    )
}

/// DNS labels are at most 63 bytes; instance names are cut at a character boundary well before.
fn instance_name(name: &str, tag: &str) -> String {
    let clean: String = name
        .chars()
        .map(|c| if c == '.' || c.is_control() { ' ' } else { c })
        .collect();
    let mut short = String::new();
    for c in clean.trim().chars() {
        if short.len() + c.len_utf8() > 40 {
            break;
        }
        short.push(c);
    }
    if short.is_empty() {
        short.push_str("Tic-Tac-Toe");
    }
    format!("{short} [{tag}]")
}

/// A game listed on this network while it lives. Dropping it (or [`Advertiser::stop`]) says
/// goodbye, so browsers drop the game at once rather than when its records expire.
pub struct Advertiser {
    daemon: ServiceDaemon,
    fullname: String,
}

impl std::fmt::Debug for Advertiser {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Advertiser")
            .field("fullname", &self.fullname)
            .finish_non_exhaustive()
    }
}

impl Advertiser {
    /// Lists `advert` on the network. Returns at once; the records go out within milliseconds.
    pub fn start(advert: &Advert, mdns: Mdns) -> Result<Self, DiscoveryError> {
        let daemon = mdns.daemon()?;
        let tag = tag();
        let host_name = format!("tictactoe-{tag}.local.");
        let properties = [
            ("txtvers", "1".to_owned()),
            ("protocol", advert.protocol.to_string()),
            ("app", advert.app.clone()),
            ("name", advert.name.clone()),
            ("seat_code", yes_no(advert.seat_code)),
            ("watch", yes_no(advert.watch)),
            ("playing", yes_no(advert.playing)),
            ("game", advert.game.to_string()),
        ];
        let properties: Vec<(&str, &str)> =
            properties.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let no_ips: &[IpAddr] = &[];
        let mut info = ServiceInfo::new(
            SERVICE_TYPE,
            &instance_name(&advert.name, &tag),
            &host_name,
            no_ips,
            advert.port,
            &properties[..],
        )
        .map_err(|e| DiscoveryError::start(&e))?
        .enable_addr_auto();
        // The instance and host names carry a random tag, so no other host has them: probing
        // for a conflict would only delay the listing by most of a second.
        info.set_requires_probe(false);
        let fullname = info.get_fullname().to_owned();
        daemon
            .register(info)
            .map_err(|e| DiscoveryError::start(&e))?;
        tracing::debug!(%fullname, "listed on this network");
        Ok(Self { daemon, fullname })
    }

    /// The instance's full DNS-SD name.
    #[must_use]
    pub fn fullname(&self) -> &str {
        &self.fullname
    }

    /// Stops listing the game: says goodbye and stops the daemon, waiting at most half a second
    /// (blocking; an async caller runs this on a blocking thread).
    pub fn stop(self) {
        drop(self);
    }
}

impl Drop for Advertiser {
    fn drop(&mut self) {
        match self.daemon.unregister(&self.fullname) {
            Ok(done) => {
                if done.recv_timeout(STOP_WAIT).is_err() {
                    tracing::debug!("the goodbye was not confirmed in time");
                }
            }
            Err(error) => tracing::debug!(%error, "could not unlist the game"),
        }
        match self.daemon.shutdown() {
            Ok(done) => {
                if done.recv_timeout(STOP_WAIT).is_err() {
                    tracing::debug!("multicast DNS did not stop in time");
                }
            }
            Err(error) => tracing::debug!(%error, "multicast DNS had already stopped"),
        }
    }
}

/// A game seen on this network.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FoundGame {
    /// Its DNS-SD instance name: the same game keeps it while it is listed.
    pub id: String,
    /// The host player's name.
    pub name: String,
    /// The addresses the host is listed at, most useful first.
    pub addrs: Vec<SocketAddr>,
    /// Whether a seat code is needed.
    pub seat_code: bool,
    /// The host's protocol version (0 when it did not say).
    pub protocol: u32,
    /// The host's app version (empty when it did not say).
    pub app: String,
    /// Whether the host admits watchers (a host that does not say admits none).
    pub watch: bool,
    /// Whether the match is being played: the seat is taken, and only watching is offered.
    pub playing: bool,
    /// The game the host plays: classic when it did not say; `None` when it named a game this
    /// version does not know.
    pub game: Option<Variant>,
}

impl FoundGame {
    /// The address to join, exactly as `tictactoe join` and the join form take it
    /// (`192.168.1.5:7878`, `[fd00::5]:7878`); `None` when the host listed no usable address.
    #[must_use]
    pub fn ip_port(&self) -> Option<String> {
        self.addrs.first().map(SocketAddr::to_string)
    }

    /// Whether this app can join it: the same protocol version, and a game it knows.
    #[must_use]
    pub const fn compatible(&self) -> bool {
        self.protocol == PROTOCOL_VERSION && self.game.is_some()
    }

    fn from_resolved(service: &mdns_sd::ResolvedService) -> Self {
        let text = |key: &str| service.get_property_val_str(key).unwrap_or("").to_owned();
        let port = service.get_port();
        let mut ips: Vec<IpAddr> = service
            .get_addresses()
            .iter()
            .map(mdns_sd::ScopedIp::to_ip_addr)
            .filter(joinable)
            .collect();
        ips.sort_by_key(|ip| (ip.is_loopback(), ip.is_ipv6(), *ip));
        ips.dedup();
        let name = text("name");
        Self {
            id: service.get_fullname().to_owned(),
            name: if name.is_empty() {
                instance_of(service.get_fullname())
            } else {
                name
            },
            addrs: ips
                .into_iter()
                .map(|ip| SocketAddr::new(ip, port))
                .collect(),
            seat_code: text("seat_code") == "yes",
            protocol: text("protocol").parse().unwrap_or(0),
            app: text("app"),
            watch: text("watch") == "yes",
            playing: text("playing") == "yes",
            game: match service.get_property_val_str("game") {
                None => Some(Variant::Classic),
                Some(name) => name.parse().ok(),
            },
        }
    }
}

/// Whether `ip` can be typed on the joining side: an IPv6 link-local address needs the zone of
/// the joiner's own interface, which the address alone does not carry.
const fn joinable(ip: &IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => !v4.is_unspecified(),
        IpAddr::V6(v6) => !v6.is_unicast_link_local() && !v6.is_unspecified(),
    }
}

/// The instance part of a full name, without the type and domain.
fn instance_of(fullname: &str) -> String {
    fullname
        .strip_suffix(SERVICE_TYPE)
        .unwrap_or(fullname)
        .trim_end_matches('.')
        .to_owned()
}

/// What a [`Browser`] reports.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Discovery {
    /// A game appeared, or what is known of it changed (another address, a new version):
    /// replaces the game with the same `id`.
    Found(FoundGame),
    /// The game with this `id` is gone: its host stopped listing it or left the network.
    Lost {
        /// Its instance name.
        id: String,
    },
}

/// Looks for games on this network until dropped.
pub struct Browser {
    daemon: ServiceDaemon,
    events: mpsc::Receiver<Discovery>,
}

impl std::fmt::Debug for Browser {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Browser").finish_non_exhaustive()
    }
}

impl Browser {
    /// Starts looking. Games arrive as [`Discovery`] events; `wake` is called after each.
    pub fn start(mdns: Mdns, wake: Wake) -> Result<Self, DiscoveryError> {
        let daemon = mdns.daemon()?;
        let found = daemon
            .browse(SERVICE_TYPE)
            .map_err(|e| DiscoveryError::start(&e))?;
        let (tx, events) = mpsc::sync_channel(EVENT_CAPACITY);
        std::thread::Builder::new()
            .name("tictactoe-discovery".to_owned())
            .spawn(move || relay(&found, &tx, &wake))
            .map_err(|error| DiscoveryError::Start {
                detail: error.to_string(),
            })?;
        Ok(Self { daemon, events })
    }

    /// The next event, if one is waiting. Never blocks.
    pub fn try_recv(&mut self) -> Option<Discovery> {
        self.events.try_recv().ok()
    }

    /// Waits at most `limit` for the next event (terminal front ends, tests).
    pub fn recv_timeout(&mut self, limit: Duration) -> Option<Discovery> {
        self.events.recv_timeout(limit).ok()
    }

    /// Asks the game `id` to answer within two seconds, dropping it if it does not: for a game
    /// whose host vanished without saying goodbye (a joiner could not reach it).
    pub fn verify(&self, id: &str) {
        if let Err(error) = self.daemon.verify(id.to_owned(), Duration::from_secs(2)) {
            tracing::debug!(%error, "could not verify a listed game");
        }
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        // The relay thread ends once the daemon has stopped and closed its channel.
        if let Err(error) = self.daemon.shutdown() {
            tracing::debug!(%error, "multicast DNS had already stopped");
        }
    }
}

/// Turns the daemon's events into [`Discovery`] events until the daemon stops or the browser is
/// dropped. One game is resolved several times (IPv4, then IPv6): each is an update.
fn relay(found: &mdns_sd::Receiver<ServiceEvent>, tx: &mpsc::SyncSender<Discovery>, wake: &Wake) {
    let mut known: HashMap<String, FoundGame> = HashMap::new();
    while let Ok(event) = found.recv() {
        let discovery = match event {
            ServiceEvent::ServiceResolved(service) => {
                let game = FoundGame::from_resolved(&service);
                if game.addrs.is_empty() || known.get(&game.id) == Some(&game) {
                    continue;
                }
                known.insert(game.id.clone(), game.clone());
                Discovery::Found(game)
            }
            ServiceEvent::ServiceRemoved(_, fullname) => {
                if known.remove(&fullname).is_none() {
                    continue;
                }
                Discovery::Lost { id: fullname }
            }
            _ => continue,
        };
        // Blocking here only slows this thread; the daemon keeps its own queue.
        if tx.send(discovery).is_err() {
            return;
        }
        wake();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn instance_names_are_short_and_tagged() {
        assert_eq!(instance_name("Ann", "0badf00d"), "Ann [0badf00d]");
        assert_eq!(instance_name(" a.b ", "1"), "a b [1]");
        assert_eq!(instance_name("", "1"), "Tic-Tac-Toe [1]");
        let long = instance_name(&"é".repeat(40), "1");
        assert!(long.len() <= 63, "{long}");
    }

    #[test]
    fn link_local_ipv6_is_not_offered_to_type() {
        assert!(joinable(&"192.168.1.5".parse().unwrap()));
        assert!(joinable(&"fd00::5".parse().unwrap()));
        assert!(!joinable(&"fe80::1".parse().unwrap()));
    }
}
