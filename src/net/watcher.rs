//! The watcher: follows a host's match without a seat. It says `hello` as a watcher, mirrors
//! the match from every event the host sends, may chat when the host allows it, and after a
//! dropped connection watches again from a fresh snapshot (there is no seat to take back).
//!
//! Takes no intent but leaving, and sends no command: what it asks of the host is `leave`,
//! `chat`, `sync` and the heartbeat. The connection's life and the replica are
//! [`super::client`]'s; the watcher owns only what it is told and what it may say.

use crate::game::{Intent, Player, Replica, Role};

use super::client::{self, Mirror, Side, Welcomed};
use super::front_end::NetLink;
use super::wire::{APP_VERSION, ClientMsg, HelloRole, Refusal, clean_chat};
use super::{NetError, Timing, View, Wake};

/// Starts watching the match hosted at `ip_port` (as a person typed it): no seat is taken, no
/// intent but leaving is taken, and a lost connection is watched again from a fresh snapshot.
/// The public entry is [`super::join::watch`].
pub(crate) fn start(ip_port: &str, watcher: Watcher, timing: Timing, wake: Wake) -> NetLink {
    client::start_tcp("watcher", ip_port, timing, wake, |_| watcher)
}

/// What a watcher says of itself in its `hello`.
pub(crate) struct Watcher {
    /// Its name, shown beside its chat.
    pub(crate) name: String,
    /// The seat code, when the host requires one (to watch too).
    pub(crate) seat_code: Option<String>,
    /// The protocol version to announce.
    pub(crate) protocol: u32,
}

impl Side for Watcher {
    /// Always a fresh `hello`: a watcher holds no seat, and watches again from the snapshot of
    /// the welcome.
    fn hello(&self, _replica: Option<&Replica>) -> ClientMsg {
        ClientMsg::Hello {
            protocol: self.protocol,
            app: APP_VERSION.to_owned(),
            name: self.name.clone(),
            seat_code: self.seat_code.clone(),
            resume: None,
            auto_rematch: false,
            role: HelloRole::Watch,
        }
    }

    fn welcomed(&mut self, _welcomed: &Welcomed, _mirror: &mut Mirror) {}

    fn refused(&mut self, _error: &NetError) -> bool {
        false
    }

    fn intent(&mut self, _intent: Intent, mirror: &mut Mirror) -> bool {
        mirror.refused(Refusal::Watching, Refusal::Watching.message().to_owned());
        false
    }

    /// A watcher's own line comes back from the host, as everyone's does: nothing is said here
    /// but a refusal, and the host keeps the rate.
    fn chat(&mut self, text: &str, mirror: &mut Mirror) {
        let said = clean_chat(text).and_then(|text| {
            if mirror.terms.may_chat {
                Ok(text)
            } else {
                Err(Refusal::ChatOff)
            }
        });
        match said {
            Ok(text) => mirror.queue.push(ClientMsg::Chat { text }),
            Err(reason) => mirror.refused(reason, reason.message().to_owned()),
        }
    }

    fn answered(&mut self, _id: u64) {}

    fn view(&self, mirror: &Mirror) -> View {
        let mut view = mirror.base_view(Role::Joiner, Player::X);
        view.watching = true;
        view
    }
}
