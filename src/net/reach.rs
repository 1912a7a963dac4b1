//! What makes a host reachable beyond the addresses it reads out.
//!
//! The listing on this network ([`super::discovery`]) while it waits for a joiner, and the
//! router's port mapping ([`super::router`]) while the match lasts.
//!
//! One task per host, beside its match task on the network's runtime, driven by the host's own
//! events (a [`Phase`] read from what the host tells the front end): listed to join while
//! waiting, then (when watchers are admitted) listed again to watch once the seat is taken,
//! unlisted when the match is over; the mapping asked for at once, renewed half-way through its
//! lease, removed when the match is over or hosting ends. What happens is reported as
//! [`NetEvent::Router`]. Never delays the host, and never touches the match: everything here
//! runs beside it.

use std::pin::Pin;
use std::time::Duration;

use tokio::sync::watch;
use tokio_util::sync::CancellationToken;

use super::discovery::{Advert, Advertiser, Mdns};
use super::front_end::{NetEvent, Outbox, Presence, RouterEvent, Stage};
use super::router::{self, Mapping, RouterError};

/// How a host makes itself reachable beyond its own addresses. The default does nothing (as
/// tests on one computer want); front ends ask for what the player chose.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Reach {
    /// List the game on this network while waiting for a joiner (`None`: not listed).
    pub listed: Option<Mdns>,
    /// Ask the router to forward the port from the internet.
    pub router: bool,
    /// When the router opens the port and the host requires no seat code, require a fresh one
    /// from then on (reported in [`RouterEvent::Open`]).
    pub seat_code_when_open: bool,
}

/// Where the host stands, as far as reaching it goes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Phase {
    /// Nobody holds the seat yet: listed.
    Waiting,
    /// The seat is taken: listed only to watch (when watchers are admitted); the port stays
    /// open for the joiner's reconnection.
    Taken,
    /// The match is over: nothing more to reach.
    Over,
}

impl Phase {
    /// The phase an event from the host shows, if it shows one.
    pub(crate) fn of(event: &NetEvent) -> Option<Self> {
        match event {
            NetEvent::State(view) if view.state.over().is_some() => Some(Self::Over),
            NetEvent::State(view) if view.opponent == Presence::NotJoined => Some(Self::Waiting),
            NetEvent::State(_) => Some(Self::Taken),
            NetEvent::Stage(Stage::Ended) => Some(Self::Over),
            _ => None,
        }
    }
}

/// What the task needs from the host.
pub(crate) struct ReachTask {
    /// What to do.
    pub(crate) reach: Reach,
    /// The listing (its seat code flag is updated when a code is made).
    pub(crate) advert: Advert,
    /// The host's phase, from its events.
    pub(crate) phase: watch::Receiver<Phase>,
    /// Where a code made as the port opens goes (the host's admission reads it).
    pub(crate) seat_code: watch::Sender<Option<String>>,
    /// The front end's events.
    pub(crate) outbox: Outbox,
}

type Opening = Pin<Box<dyn Future<Output = Result<Mapping, RouterError>> + Send>>;

/// Runs until `shutdown` (hosting ends), then unlists the game and removes the mapping.
pub(crate) async fn run(mut host: ReachTask, shutdown: CancellationToken) {
    let port = host.advert.port;
    let mut listed: Option<Advertiser> = None;
    let mut mapping: Option<Mapping> = None;
    let mut opening: Option<Opening> = host
        .reach
        .router
        .then(|| Box::pin(router::open(port)) as Opening);
    loop {
        let phase = *host.phase.borrow_and_update();
        // Listed to join while the seat is free; then, when watchers are admitted, listed
        // again to watch until the match is over.
        let wanted = match phase {
            Phase::Waiting => Some(false),
            Phase::Taken if host.advert.watch => Some(true),
            Phase::Taken | Phase::Over => None,
        };
        let shown = listed.as_ref().map(|_| host.advert.playing);
        if shown != wanted {
            unlist(listed.take()).await;
            if let (Some(playing), Some(mdns)) = (wanted, host.reach.listed) {
                host.advert.playing = playing;
                match Advertiser::start(&host.advert, mdns) {
                    Ok(advertiser) => listed = Some(advertiser),
                    Err(error) => {
                        tracing::warn!(%error, "could not list the game on this network");
                        host.reach.listed = None;
                    }
                }
            }
        }
        if phase == Phase::Over {
            opening = None;
            if let Some(mapping) = mapping.take() {
                mapping.close().await;
            }
        }
        let renew_at = mapping.as_ref().and_then(Mapping::renew_at);
        tokio::select! {
            () = shutdown.cancelled() => break,
            changed = host.phase.changed() => {
                if changed.is_err() {
                    break;
                }
            }
            opened = async {
                match opening.as_mut() {
                    Some(opening) => opening.await,
                    None => std::future::pending().await,
                }
            } => {
                opening = None;
                match opened {
                    Ok(opened) => {
                        // A code for a seat still free: one taken is held by its token alone.
                        let seat_code = if phase == Phase::Waiting {
                            host.code_for_internet()
                        } else {
                            None
                        };
                        if seat_code.is_some() && listed.is_some() {
                            // The listing says a code is needed now.
                            unlist(listed.take()).await;
                        }
                        host.report(RouterEvent::Open {
                            ip_port: opened.external().to_string(),
                            method: opened.method(),
                            seat_code,
                        })
                        .await;
                        mapping = Some(opened);
                    }
                    Err(error) => host.report(RouterEvent::Failed(error)).await,
                }
            }
            () = async {
                match renew_at {
                    Some(at) => tokio::time::sleep_until(at.into()).await,
                    None => std::future::pending().await,
                }
            } => {
                if let Some(held) = mapping.as_mut()
                    && let Err(error) = held.renew().await
                {
                    mapping = None;
                    host.report(RouterEvent::Failed(error)).await;
                }
            }
        }
    }
    unlist(listed.take()).await;
    if let Some(mapping) = mapping.take() {
        mapping.close().await;
    }
}

impl ReachTask {
    /// A fresh seat code when the host asks for one as the port opens and has none yet.
    fn code_for_internet(&mut self) -> Option<String> {
        if !self.reach.seat_code_when_open || self.advert.seat_code {
            return None;
        }
        let code = super::host::seat_code::new_seat_code();
        self.seat_code.send_replace(Some(code.clone()));
        self.advert.seat_code = true;
        Some(code)
    }

    async fn report(&mut self, event: RouterEvent) {
        self.outbox.push(NetEvent::Router(event));
        self.outbox.finish(Duration::from_secs(1)).await;
    }
}

/// Stops listing, on a blocking thread: saying goodbye waits for the daemon.
async fn unlist(listed: Option<Advertiser>) {
    if let Some(advertiser) = listed
        && let Err(error) = tokio::task::spawn_blocking(move || advertiser.stop()).await
    {
        tracing::debug!(%error, "unlisting did not finish");
    }
}
