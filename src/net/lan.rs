//! The addresses a host can read out to a friend, each labelled by its reach.
//!
//! Only lists interfaces; never opens a socket.

use std::net::IpAddr;

/// How far an address reaches.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Scope {
    /// A private LAN address (192.168.x.x, 10.x.x.x, 172.16–31.x.x, or IPv6 unique local `fd00::/8`):
    /// the one to read out to a friend on the same network.
    Lan,
    /// A link-local address (169.254.x.x, `fe80::/10`): works only on the same network segment.
    LinkLocal,
    /// A public (global) address: reachable from the internet if no firewall is in the way.
    Public,
    /// This computer only (127.0.0.1, `::1`).
    Loopback,
}

impl Scope {
    /// A short label to show beside the address.
    #[must_use]
    pub const fn label(self) -> &'static str {
        match self {
            Self::Lan => "local network",
            Self::LinkLocal => "link-local (same network segment)",
            Self::Public => "public",
            Self::Loopback => "this computer only",
        }
    }

    /// The scope of `ip`.
    #[must_use]
    pub fn of(ip: IpAddr) -> Self {
        match ip {
            IpAddr::V4(v4) if v4.is_loopback() => Self::Loopback,
            IpAddr::V4(v4) if v4.is_link_local() => Self::LinkLocal,
            IpAddr::V4(v4) if v4.is_private() => Self::Lan,
            IpAddr::V6(v6) if v6.is_loopback() => Self::Loopback,
            IpAddr::V6(v6) if v6.is_unicast_link_local() => Self::LinkLocal,
            IpAddr::V6(v6) if v6.is_unique_local() => Self::Lan,
            IpAddr::V4(_) | IpAddr::V6(_) => Self::Public,
        }
    }
}

/// One address of this computer.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct LanAddr {
    /// The address.
    pub ip: IpAddr,
    /// How far it reaches.
    pub scope: Scope,
    /// The interface it belongs to (e.g. `eth0`, `Wi-Fi`).
    pub interface: String,
}

impl LanAddr {
    /// The text to type on the joining side for `port`: `192.168.1.5:7878` or `[fe80::1]:7878`.
    #[must_use]
    pub fn ip_port(&self, port: u16) -> String {
        std::net::SocketAddr::new(self.ip, port).to_string()
    }
}

/// This computer's addresses, most useful first (LAN, link-local, public, loopback; IPv4 before
/// IPv6). Empty when the system will not say.
#[must_use]
pub fn lan_addrs() -> Vec<LanAddr> {
    let interfaces = match if_addrs::get_if_addrs() {
        Ok(interfaces) => interfaces,
        Err(error) => {
            tracing::warn!(%error, "could not list network interfaces");
            return Vec::new();
        }
    };
    let mut addrs: Vec<LanAddr> = interfaces
        .into_iter()
        .map(|interface| {
            let ip = interface.ip();
            LanAddr {
                ip,
                scope: Scope::of(ip),
                interface: interface.name,
            }
        })
        .collect();
    addrs.sort_by_key(|a| (a.scope, a.ip.is_ipv6(), a.ip));
    addrs.dedup_by(|a, b| a.ip == b.ip);
    addrs
}

/// The addresses of this computer a friend on another computer could type, most useful first.
///
/// Loopback reaches only this computer. An IPv6 link-local address needs the zone of the friend's
/// own network interface (`fe80::1%wlan0`), which this computer cannot know, so it is left out too.
#[must_use]
pub fn friend_addrs() -> Vec<LanAddr> {
    lan_addrs()
        .into_iter()
        .filter(|addr| match addr.scope {
            Scope::Loopback => false,
            Scope::LinkLocal => addr.ip.is_ipv4(),
            Scope::Lan | Scope::Public => true,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scopes() {
        let scope = |text: &str| Scope::of(text.parse().unwrap());
        assert_eq!(scope("192.168.1.5"), Scope::Lan);
        assert_eq!(scope("10.0.0.1"), Scope::Lan);
        assert_eq!(scope("169.254.3.4"), Scope::LinkLocal);
        assert_eq!(scope("fe80::1"), Scope::LinkLocal);
        assert_eq!(scope("fd12::1"), Scope::Lan);
        assert_eq!(scope("8.8.8.8"), Scope::Public);
        assert_eq!(scope("::1"), Scope::Loopback);
        assert!(lan_addrs().iter().any(|a| a.scope == Scope::Loopback));
        assert!(friend_addrs().iter().all(|a| !a.ip.is_loopback()));
    }
}
