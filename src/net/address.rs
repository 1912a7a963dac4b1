//! Addresses as people type them, read into a [`Target`].
//!
//! What the Address field and `tictactoe join ADDR` accept: a host name or IP address, the zone
//! of an IPv6 link-local address, a port; and the network interface a zone names.
//! Owns no socket: [`super::dial`] connects to a target. `docs/PROTOCOL.md`, "Addresses and
//! invite links", is the specification.

use std::net::Ipv6Addr;

use super::NetError;
use super::wire::DEFAULT_PORT;

/// Where to connect: a host name or IP address and a port.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Target {
    /// The host name or IP address, without brackets.
    pub host: String,
    /// The zone of an IPv6 address, as typed after its `%`: the name (`eth0`) or number of the
    /// network interface of this computer that reaches it. Needed for a link-local address
    /// (`fe80::…`), which every interface has.
    pub zone: Option<String>,
    /// The port.
    pub port: u16,
}

impl std::fmt::Display for Target {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.zone {
            Some(zone) => write!(f, "[{}%{zone}]:{}", self.host, self.port),
            None if self.host.contains(':') => write!(f, "[{}]:{}", self.host, self.port),
            None => write!(f, "{}:{}", self.host, self.port),
        }
    }
}

/// The longest zone (interface name or number) accepted after an IPv6 address's `%`.
const MAX_ZONE_LEN: usize = 64;

/// An IPv6 address as typed, with its zone if it has one: `fe80::1` or `fe80::1%eth0`.
fn parse_ipv6_zoned(text: &str) -> Option<(Ipv6Addr, Option<String>)> {
    let (ip, zone) = match text.split_once('%') {
        Some((ip, zone)) => (ip, Some(zone)),
        None => (text, None),
    };
    let ip: Ipv6Addr = ip.parse().ok()?;
    let zone_ok = |zone: &str| {
        !zone.is_empty()
            && zone.len() <= MAX_ZONE_LEN
            && zone
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '.' | '_'))
    };
    match zone {
        Some(zone) if !zone_ok(zone) => None,
        zone => Some((ip, zone.map(str::to_owned))),
    }
}

/// Reads what a person typed: `host`, `host:port`, `192.168.1.5`, `192.168.1.5:7878`, `fe80::1`,
/// `fe80::1%eth0`, `[::1]`, `[::1]:7878` or `[fe80::1%eth0]:7878`. Without a port,
/// [`DEFAULT_PORT`].
pub fn parse_ip_port(text: &str) -> Result<Target, NetError> {
    let bad = || NetError::BadAddress {
        text: text.to_owned(),
    };
    let trimmed = text.trim();
    let trimmed = trimmed.strip_prefix("ws://").unwrap_or(trimmed);
    let trimmed = trimmed.strip_suffix('/').unwrap_or(trimmed);
    let parse_port = |port: &str| port.parse::<u16>().ok().filter(|&p| p != 0);
    if let Some(rest) = trimmed.strip_prefix('[') {
        let (inside, after) = rest.split_once(']').ok_or_else(bad)?;
        // A zone in a URL is written `%25eth0` (RFC 6874); people type `%eth0`.
        let inside = inside.replacen("%25", "%", 1);
        let (ip, zone) = parse_ipv6_zoned(&inside).ok_or_else(bad)?;
        let port = match after {
            "" => DEFAULT_PORT,
            _ => after
                .strip_prefix(':')
                .and_then(parse_port)
                .ok_or_else(bad)?,
        };
        return Ok(Target {
            host: ip.to_string(),
            zone,
            port,
        });
    }
    if let Some((ip, zone)) = parse_ipv6_zoned(trimmed) {
        return Ok(Target {
            host: ip.to_string(),
            zone,
            port: DEFAULT_PORT,
        });
    }
    let (host, port) = match trimmed.split_once(':') {
        Some((host, port)) => (host, parse_port(port).ok_or_else(bad)?),
        None => (trimmed, DEFAULT_PORT),
    };
    let valid_name = !host.is_empty()
        && host.len() <= 253
        && host
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '.' | '_'));
    if !valid_name {
        return Err(bad());
    }
    Ok(Target {
        host: host.to_owned(),
        zone: None,
        port,
    })
}

/// The number of the network interface a zone names: a number as it is, a name looked up among
/// this computer's interfaces.
pub(crate) fn zone_index(zone: &str) -> Option<u32> {
    if let Ok(index) = zone.parse::<u32>() {
        return Some(index);
    }
    if_addrs::get_if_addrs()
        .ok()?
        .into_iter()
        .find(|interface| interface.name == zone)
        .and_then(|interface| interface.index)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn target(host: &str, port: u16) -> Target {
        Target {
            host: host.to_owned(),
            zone: None,
            port,
        }
    }

    fn zoned(host: &str, zone: &str, port: u16) -> Target {
        Target {
            host: host.to_owned(),
            zone: Some(zone.to_owned()),
            port,
        }
    }

    #[test]
    fn addresses_people_type() {
        assert_eq!(
            parse_ip_port("192.168.1.5"),
            Ok(target("192.168.1.5", 7878))
        );
        assert_eq!(
            parse_ip_port(" 192.168.1.5:9000 "),
            Ok(target("192.168.1.5", 9000))
        );
        assert_eq!(parse_ip_port("fe80::1"), Ok(target("fe80::1", 7878)));
        assert_eq!(parse_ip_port("[::1]:7878"), Ok(target("::1", 7878)));
        assert_eq!(parse_ip_port("[::1]"), Ok(target("::1", 7878)));
        assert_eq!(
            parse_ip_port("my-pc.local"),
            Ok(target("my-pc.local", 7878))
        );
        assert_eq!(parse_ip_port("my-pc:80"), Ok(target("my-pc", 80)));
        assert_eq!(parse_ip_port("ws://[::1]:99/"), Ok(target("::1", 99)));
        assert_eq!(
            parse_ip_port("fe80::1%eth0"),
            Ok(zoned("fe80::1", "eth0", 7878))
        );
        assert_eq!(
            parse_ip_port("[fe80::1%eth0]:7000"),
            Ok(zoned("fe80::1", "eth0", 7000))
        );
        assert_eq!(
            parse_ip_port("[fe80::1%253]"),
            Ok(zoned("fe80::1", "3", 7878))
        );
        assert_eq!(
            zoned("fe80::1", "wlan0", 7).to_string(),
            "[fe80::1%wlan0]:7"
        );
        for bad in [
            "",
            "host:",
            "host:0",
            "host:99999",
            "[::1",
            "[x]:1",
            "a b",
            "1:2:3:zz",
            "fe80::1%",
            "[fe80::1%]:7",
            "fe80::1%a b",
            "[fe80::1%eth0/x]:7",
            "192.168.1.5%eth0",
        ] {
            assert!(
                matches!(parse_ip_port(bad), Err(NetError::BadAddress { .. })),
                "{bad:?}"
            );
        }
        assert_eq!(target("::1", 7).to_string(), "[::1]:7");
    }
}
