//! The real network: hosting, joining and watching through `crate::net`, over sockets.

use std::ops::DerefMut;

use super::{Hosted, Link, Network};
use crate::game::Intent;
use crate::net::join::Destination;
use crate::net::p2p::P2pAddr;
use crate::net::{
    HostConfig, HostHandle, JoinConfig, NetError, NetEvent, NetLink, Wake, host, join,
};

/// The network of the window: real sockets.
#[derive(Clone, Copy, Debug, Default)]
pub struct Sockets;

impl Network for Sockets {
    fn host(&mut self, config: HostConfig, wake: Wake) -> Result<Hosted, NetError> {
        let handle = host::start(config, wake)?;
        Ok(Hosted {
            port: handle.port(),
            seat_code: handle.seat_code().map(str::to_owned),
            link: Box::new(HostLink(handle)),
        })
    }

    fn join(&mut self, to: &Destination, jc: JoinConfig, watch: bool, wake: Wake) -> Box<dyn Link> {
        if watch {
            Box::new(join::watch_to(to, jc, wake))
        } else {
            Box::new(join::start_to(to, jc, wake))
        }
    }
}

/// The host's handle, which also says where it can be reached on the peer-to-peer path.
#[derive(Debug)]
struct HostLink(HostHandle);

impl Link for HostLink {
    fn send(&self, intent: Intent) {
        send(&self.0, intent);
    }

    fn chat(&self, text: String) {
        chat(&self.0, text);
    }

    fn try_recv(&mut self) -> Option<NetEvent> {
        self.0.try_recv()
    }

    fn p2p_addr(&self) -> Option<P2pAddr> {
        self.0.p2p_addr()
    }
}

/// The joiner's and the watcher's handles, each a [`NetLink`] with more around it.
impl<T> Link for T
where
    T: DerefMut<Target = NetLink> + std::fmt::Debug + Send,
{
    fn send(&self, intent: Intent) {
        send(self, intent);
    }

    fn chat(&self, text: String) {
        chat(self, text);
    }

    fn try_recv(&mut self) -> Option<NetEvent> {
        NetLink::try_recv(self)
    }
}

/// Sends `intent` without blocking; a full or closed channel is logged.
fn send(link: &NetLink, intent: Intent) {
    if let Err(error) = link.try_send(intent) {
        tracing::warn!(?intent, %error, "intent not sent");
    }
}

/// Sends a line of chat without blocking; a full or closed channel is logged.
fn chat(link: &NetLink, text: String) {
    if let Err(error) = link.try_chat(text) {
        tracing::warn!(%error, "chat not sent");
    }
}
