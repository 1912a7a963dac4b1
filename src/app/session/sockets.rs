//! The real network: hosting, joining and watching through `crate::net`, over sockets.

use std::ops::DerefMut;

use super::{Hosted, Link, Network};
use crate::game::Intent;
use crate::net::{HostConfig, JoinConfig, NetError, NetEvent, NetLink, Wake, host, join};

/// The network of the window: real sockets.
#[derive(Clone, Copy, Debug, Default)]
pub struct Sockets;

impl Network for Sockets {
    fn host(&mut self, config: HostConfig, wake: Wake) -> Result<Hosted, NetError> {
        let handle = host::start(config, wake)?;
        Ok(Hosted {
            port: handle.port(),
            seat_code: handle.seat_code().map(str::to_owned),
            link: Box::new(handle),
        })
    }

    fn join(&mut self, ip_port: &str, cfg: JoinConfig, watch: bool, wake: Wake) -> Box<dyn Link> {
        if watch {
            Box::new(join::watch(ip_port, cfg, wake))
        } else {
            Box::new(join::start(ip_port, cfg, wake))
        }
    }
}

/// The host's and the joiner's handles, each a [`NetLink`] with more around it.
impl<T> Link for T
where
    T: DerefMut<Target = NetLink> + std::fmt::Debug + Send,
{
    fn send(&self, intent: Intent) {
        if let Err(error) = self.try_send(intent) {
            tracing::warn!(?intent, %error, "intent not sent");
        }
    }

    fn chat(&self, text: String) {
        if let Err(error) = self.try_chat(text) {
            tracing::warn!(%error, "chat not sent");
        }
    }

    fn try_recv(&mut self) -> Option<NetEvent> {
        NetLink::try_recv(self)
    }
}
