//! Asking the home router to forward the host's port from the internet: PCP, then NAT-PMP
//! (crate `crab_nat`), then UPnP IGD ([`upnp`], a minimal client of our own).
//!
//! [`open`] makes one bounded attempt and returns a [`Mapping`] or the [`RouterError`] a person
//! is shown; the mapping is renewed with [`Mapping::renew`] before its lease ends and removed
//! with [`Mapping::close`]. A mapping left behind by a host that crashed is replaced, never
//! doubled: PCP requests carry a nonce fixed by this computer's address and port, and UPnP
//! mappings a fixed description per port, removed before the new one is added.
//!
//! Knows nothing of the match: `crate::net::reach` decides when to open and close.

mod upnp;

use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::num::NonZeroU16;
use std::time::{Duration, Instant};

use crab_nat::{InternetProtocol, PortMapping, PortMappingOptions, PortMappingType, TimeoutConfig};

/// How long the whole attempt may take, at most.
pub const ATTEMPT_LIMIT: Duration = Duration::from_secs(3);

/// The lease asked for. Short enough that a mapping a crash left behind is gone within it.
pub const LEASE: Duration = Duration::from_secs(900);

/// How long removing a mapping may take when hosting ends.
pub const CLOSE_LIMIT: Duration = Duration::from_secs(1);

/// PCP and NAT-PMP: 250 ms, then one retry at 500 ms (the RFCs' 15 s schedule is for daemons).
const UDP_TIMEOUTS: TimeoutConfig = TimeoutConfig {
    initial_timeout: Duration::from_millis(250),
    max_retries: 1,
    max_retry_timeout: Some(Duration::from_millis(500)),
};

/// The UPnP part of the attempt, at most.
const UPNP_LIMIT: Duration = Duration::from_millis(1800);

/// How a mapping was made.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Method {
    /// Port Control Protocol (RFC 6887).
    Pcp,
    /// NAT Port Mapping Protocol (RFC 6886).
    NatPmp,
    /// UPnP Internet Gateway Device.
    Upnp,
}

impl Method {
    /// Its usual name.
    #[must_use]
    pub const fn label(self) -> &'static str {
        match self {
            Self::Pcp => "PCP",
            Self::NatPmp => "NAT-PMP",
            Self::Upnp => "UPnP",
        }
    }
}

/// Why the port could not be opened to the internet; each says what to do instead.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum RouterError {
    /// No router answered PCP, NAT-PMP or UPnP within the time allowed.
    #[error(
        "No router answered the request to open port {port} to the internet. Your friend elsewhere can still join with the invite link, which finds a way through both routers or a relay; to let them join by address, forward port {port} (TCP) to {local} in your router's settings."
    )]
    NoAnswer {
        /// The host's port.
        port: u16,
        /// "this computer's address 192.168.1.5", or "this computer" when it is not known.
        local: String,
    },
    /// A router answered and would not forward the port.
    #[error(
        "The router refused to open port {port} to the internet ({detail}). Your friend can still join with the invite link; to let them join by address, forward port {port} (TCP) to {local} in your router's settings."
    )]
    Refused {
        /// The host's port.
        port: u16,
        /// "this computer's address 192.168.1.5", or "this computer".
        local: String,
        /// What the router said.
        detail: String,
    },
    /// The router's own internet address is private or shared (carrier-grade NAT), or the
    /// router says it has none that can be used.
    #[error(
        "Your router's own internet address{shown} is private or shared with other customers (carrier-grade NAT), so hosting from here cannot be reached from the internet by address. Your friend can still join with the invite link: it finds a way through both routers, or through a relay."
    )]
    SharedAddress {
        /// " (100.64.0.7)" when the router said it, else empty.
        shown: String,
    },
    /// Renewing the mapping failed: the internet address no longer reaches this host.
    #[error(
        "The router stopped forwarding port {port}: your friend can no longer join from the internet. Friends on this network still can."
    )]
    Lost {
        /// The host's port.
        port: u16,
    },
}

/// Whether `ip` cannot be reached from the internet as a router's own address: private
/// (10/8, 172.16/12, 192.168/16), shared (carrier-grade NAT, 100.64/10), link-local, loopback or
/// unspecified.
#[must_use]
pub fn is_private_or_shared(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => {
            let [a, b, ..] = v4.octets();
            v4.is_private()
                || (a == 100 && (64..128).contains(&b))
                || v4.is_link_local()
                || v4.is_loopback()
                || v4.is_unspecified()
        }
        IpAddr::V6(v6) => {
            v6.is_loopback()
                || v6.is_unspecified()
                || v6.is_unique_local()
                || v6.is_unicast_link_local()
        }
    }
}

/// The kind of failure, before it is worded.
#[derive(Debug)]
enum Failure {
    NoAnswer(String),
    Refused(String),
    /// The router has no usable internet address (`Some` when it said which it has).
    NoPublicAddress(Option<IpAddr>),
}

impl Failure {
    /// Of two failures, the one that says most: no public address, then a refusal.
    fn rank(&self) -> u8 {
        match self {
            Self::NoAnswer(_) => 0,
            Self::Refused(_) => 1,
            Self::NoPublicAddress(_) => 2,
        }
    }

    fn error(self, port: u16, local: Option<Ipv4Addr>) -> RouterError {
        let local = local.map_or_else(
            || "this computer".to_owned(),
            |ip| format!("this computer's address {ip}"),
        );
        match self {
            Self::NoAnswer(detail) => {
                tracing::info!(%detail, "no router answered");
                RouterError::NoAnswer { port, local }
            }
            Self::Refused(detail) => RouterError::Refused {
                port,
                local,
                detail,
            },
            Self::NoPublicAddress(ip) => RouterError::SharedAddress {
                shown: ip.map(|ip| format!(" ({ip})")).unwrap_or_default(),
            },
        }
    }
}

/// What renews and removes a mapping.
#[derive(Debug)]
enum Held {
    /// PCP or NAT-PMP.
    Udp(PortMapping),
    /// UPnP: the gateway and what was added.
    Upnp {
        gateway: upnp::Gateway,
        client: Ipv4Addr,
        lease_s: u32,
    },
}

/// A port forwarded by the router, until [`Mapping::close`].
#[derive(Debug)]
pub struct Mapping {
    held: Held,
    method: Method,
    internal_port: u16,
    external: SocketAddr,
    /// When to renew: half-way through the lease (`None`: the lease does not end).
    renew_at: Option<Instant>,
}

impl Mapping {
    /// The address a friend on the internet joins.
    #[must_use]
    pub const fn external(&self) -> SocketAddr {
        self.external
    }

    /// How it was made.
    #[must_use]
    pub const fn method(&self) -> Method {
        self.method
    }

    /// When it must be renewed (`None`: never).
    #[must_use]
    pub const fn renew_at(&self) -> Option<Instant> {
        self.renew_at
    }

    /// Asks for the lease again, before it ends.
    pub async fn renew(&mut self) -> Result<(), RouterError> {
        let port = self.internal_port;
        let lost = |detail: String| {
            tracing::warn!(%detail, "renewing the port mapping failed");
            RouterError::Lost { port }
        };
        let lease = match &mut self.held {
            Held::Udp(mapping) => {
                mapping.timeout_config = UDP_TIMEOUTS;
                mapping.renew().await.map_err(|e| lost(e.to_string()))?;
                Duration::from_secs(u64::from(mapping.lifetime()))
            }
            Held::Upnp {
                gateway,
                client,
                lease_s,
            } => {
                gateway
                    .add(
                        self.external.port(),
                        *client,
                        port,
                        &description(port),
                        *lease_s,
                    )
                    .await
                    .map_err(|e| lost(format!("{e:?}")))?;
                Duration::from_secs(u64::from(*lease_s))
            }
        };
        self.renew_at = renew_time(lease);
        Ok(())
    }

    /// Removes the mapping, waiting at most [`CLOSE_LIMIT`].
    pub async fn close(self) {
        let port = self.external.port();
        let removal = async {
            match self.held {
                Held::Udp(mut mapping) => {
                    mapping.timeout_config = UDP_TIMEOUTS;
                    mapping
                        .try_drop()
                        .await
                        .map_err(|(error, _mapping)| error.to_string())
                }
                Held::Upnp { gateway, .. } => {
                    gateway.delete(port).await.map_err(|e| format!("{e:?}"))
                }
            }
        };
        match tokio::time::timeout(CLOSE_LIMIT, removal).await {
            Ok(Ok(())) => tracing::info!(port, "port mapping removed"),
            Ok(Err(detail)) => tracing::warn!(%detail, "could not remove the port mapping"),
            Err(_elapsed) => tracing::warn!("the router did not confirm the removal in time"),
        }
    }
}

/// Half-way through a lease, so that one lost renewal still leaves time for another.
fn renew_time(lease: Duration) -> Option<Instant> {
    (!lease.is_zero()).then(|| Instant::now() + lease / 2)
}

/// The UPnP description of the mapping of `port`: the same for every host on this port, so a
/// host started again finds the one a crash left behind.
fn description(port: u16) -> String {
    format!("Tic-Tac-Toe port {port}")
}

/// Asks the router to forward TCP `port` from the internet to this computer, within
/// [`ATTEMPT_LIMIT`]: PCP, then NAT-PMP, then UPnP.
pub async fn open(port: u16) -> Result<Mapping, RouterError> {
    // Finding the gateway counts against the bound: on Windows it may wait for an ARP reply.
    let deadline = tokio::time::Instant::now() + ATTEMPT_LIMIT;
    let gateway = tokio::time::timeout_at(deadline, tokio::task::spawn_blocking(default_gateway))
        .await
        .ok()
        .and_then(Result::ok)
        .flatten();
    let local = match gateway {
        Some(gateway) => local_ip_towards(gateway).await,
        None => None,
    };
    tracing::debug!(?gateway, ?local, "asking the router to forward port {port}");
    let attempt = async {
        let mut worst = Failure::NoAnswer("no default gateway".to_owned());
        let Some(internal_port) = NonZeroU16::new(port) else {
            return Err(Failure::Refused("port 0 cannot be forwarded".to_owned()));
        };
        if let (Some(gateway), Some(local)) = (gateway, local) {
            match pcp_or_natpmp(gateway, local, internal_port).await {
                Ok(mapping) => return Ok(mapping),
                Err(failure) => worst = failure,
            }
        }
        match open_upnp(gateway, port).await {
            Ok(mapping) => Ok(mapping),
            Err(failure) if failure.rank() >= worst.rank() => Err(failure),
            Err(_) => Err(worst),
        }
    };
    match tokio::time::timeout_at(deadline, attempt).await {
        Ok(Ok(mapping)) => {
            tracing::info!(external = %mapping.external, method = mapping.method.label(), "port forwarded");
            Ok(mapping)
        }
        Ok(Err(failure)) => Err(failure.error(port, local)),
        Err(_elapsed) => Err(Failure::NoAnswer("out of time".to_owned()).error(port, local)),
    }
}

/// A PCP nonce fixed by this computer's address and the port: a host started again after a
/// crash renews the mapping it left rather than being refused or adding another.
fn nonce(local: Ipv4Addr, port: NonZeroU16) -> crab_nat::pcp::Nonce {
    let mut words = [0_u32; 3];
    for (i, word) in words.iter_mut().enumerate() {
        let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
        let text = format!("tictactoe pcp {i} {local} {port}");
        for byte in text.bytes() {
            hash = (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3);
        }
        *word =
            u32::try_from(hash >> 32).unwrap_or(0) ^ u32::try_from(hash & 0xffff_ffff).unwrap_or(0);
    }
    words
}

fn lease_s() -> u32 {
    u32::try_from(LEASE.as_secs()).unwrap_or(u32::MAX)
}

/// PCP first; NAT-PMP when PCP is not spoken or fails.
async fn pcp_or_natpmp(
    gateway: Ipv4Addr,
    local: Ipv4Addr,
    internal_port: NonZeroU16,
) -> Result<Mapping, Failure> {
    let options = PortMappingOptions {
        external_port: Some(internal_port),
        lifetime_seconds: Some(lease_s()),
        timeout_config: Some(UDP_TIMEOUTS),
    };
    let base = crab_nat::pcp::BaseMapRequest::new(
        gateway.into(),
        IpAddr::V4(local),
        InternetProtocol::Tcp,
        internal_port,
    );
    let pcp =
        crab_nat::pcp::port_mapping(base, Some(nonce(local, internal_port)), None, options).await;
    let pcp_failure = match pcp {
        Ok(mapping) => {
            let external_ip = match mapping.mapping_type() {
                PortMappingType::Pcp { external_ip, .. } => Some(external_ip),
                PortMappingType::NatPmp => None,
            };
            return checked(mapping, Method::Pcp, external_ip).await;
        }
        Err(error) => {
            use crab_nat::pcp::Failure as F;
            tracing::debug!(%error, "PCP");
            match error {
                F::Socket(_) | F::Timeout | F::UnsupportedVersion(_) => {
                    Failure::NoAnswer(error.to_string())
                }
                // Network failure, no resources, cannot provide an external address: refusals
                // that a router without an internet address of its own also gives; the check
                // below tells them apart.
                other => Failure::Refused(format!("PCP: {other}")),
            }
        }
    };
    let natpmp = crab_nat::natpmp::port_mapping(
        gateway.into(),
        InternetProtocol::Tcp,
        internal_port,
        options,
    )
    .await;
    let natpmp_failure = match natpmp {
        Ok(mapping) => {
            let external_ip =
                crab_nat::natpmp::external_address(gateway.into(), Some(UDP_TIMEOUTS))
                    .await
                    .ok()
                    .map(IpAddr::V4);
            return checked(mapping, Method::NatPmp, external_ip).await;
        }
        Err(error) => {
            use crab_nat::natpmp::Failure as F;
            tracing::debug!(%error, "NAT-PMP");
            match error {
                F::Socket(_) | F::Timeout | F::UnsupportedVersion(_) | F::InvalidResponse(_) => {
                    Failure::NoAnswer(error.to_string())
                }
                other => Failure::Refused(format!("NAT-PMP: {other}")),
            }
        }
    };
    let failure = if natpmp_failure.rank() >= pcp_failure.rank() {
        natpmp_failure
    } else {
        pcp_failure
    };
    // A refusal may come from a router with no internet address of its own: ask which.
    if let Failure::Refused(_) = failure {
        match crab_nat::natpmp::external_address(gateway.into(), Some(UDP_TIMEOUTS)).await {
            Ok(ip) if is_private_or_shared(IpAddr::V4(ip)) => {
                return Err(Failure::NoPublicAddress(Some(IpAddr::V4(ip))));
            }
            Err(crab_nat::natpmp::Failure::NetworkFailure) => {
                return Err(Failure::NoPublicAddress(None));
            }
            _ => {}
        }
    }
    Err(failure)
}

/// A PCP or NAT-PMP mapping, kept only if the router's internet address can be reached.
async fn checked(
    mapping: PortMapping,
    method: Method,
    external_ip: Option<IpAddr>,
) -> Result<Mapping, Failure> {
    match external_ip {
        Some(ip) if !is_private_or_shared(ip) => {
            let lease = Duration::from_secs(u64::from(mapping.lifetime()));
            Ok(Mapping {
                internal_port: mapping.internal_port().get(),
                external: SocketAddr::new(ip, mapping.external_port().get()),
                renew_at: renew_time(lease),
                method,
                held: Held::Udp(mapping),
            })
        }
        ip => {
            // Useless from the internet: remove it again.
            let mut mapping = mapping;
            mapping.timeout_config = UDP_TIMEOUTS;
            if let Err((error, _)) = mapping.try_drop().await {
                tracing::debug!(%error, "could not remove a useless mapping");
            }
            Err(Failure::NoPublicAddress(ip))
        }
    }
}

/// UPnP: find the router, check its internet address, replace a mapping of ours left on this
/// port, and add the mapping (on another external port when this one is someone else's).
async fn open_upnp(gateway: Option<Ipv4Addr>, port: u16) -> Result<Mapping, Failure> {
    let describe = |failure: upnp::UpnpFailure| match failure {
        upnp::UpnpFailure::NoAnswer(detail) => Failure::NoAnswer(detail),
        upnp::UpnpFailure::Upnp { code, description } => {
            Failure::Refused(format!("UPnP error {code} {description}"))
        }
    };
    let device = upnp::search(gateway, UPNP_LIMIT).await.map_err(describe)?;
    let IpAddr::V4(router_ip) = device.ip else {
        return Err(Failure::NoAnswer("an IPv6 UPnP router".to_owned()));
    };
    let Some(client) = local_ip_towards(router_ip).await else {
        return Err(Failure::NoAnswer(
            "no local address towards the router".to_owned(),
        ));
    };
    let external_ip = device.external_ip().await.map_err(describe)?;
    if let Some(ip) = external_ip
        && is_private_or_shared(ip)
    {
        return Err(Failure::NoPublicAddress(Some(ip)));
    }
    let description = description(port);
    let mut candidates = vec![port];
    // Someone else's mapping on the port: a few other external ports, high and fixed by port.
    candidates
        .extend((1..=3).map(|i| 49152 + (port.wrapping_mul(7).wrapping_add(i * 4099)) % 16383));
    let mut last = Failure::NoAnswer("no port tried".to_owned());
    for external_port in candidates {
        if let Some((holder, held_for)) = device.entry(external_port).await.map_err(describe)? {
            if holder == client.to_string() && held_for == description {
                // Ours, left by a host that did not end cleanly: replace it.
                tracing::info!(external_port, "replacing a stale port mapping");
                if let Err(failure) = device.delete(external_port).await {
                    tracing::debug!(?failure, "could not remove the stale mapping");
                }
            } else {
                tracing::info!(external_port, %holder, "the port is forwarded to someone else");
                last = Failure::Refused(format!(
                    "port {external_port} is already forwarded to {holder}"
                ));
                continue;
            }
        }
        let mut lease = lease_s();
        let mut added = device
            .add(external_port, client, port, &description, lease)
            .await;
        if let Err(upnp::UpnpFailure::Upnp { code: 725, .. }) = added {
            // OnlyPermanentLeasesSupported.
            lease = 0;
            added = device
                .add(external_port, client, port, &description, lease)
                .await;
        }
        match added {
            Ok(()) => {
                let Some(ip) = external_ip else {
                    if let Err(failure) = device.delete(external_port).await {
                        tracing::debug!(?failure, "could not remove a useless mapping");
                    }
                    return Err(Failure::NoPublicAddress(None));
                };
                return Ok(Mapping {
                    internal_port: port,
                    external: SocketAddr::new(ip, external_port),
                    renew_at: renew_time(Duration::from_secs(u64::from(lease))),
                    method: Method::Upnp,
                    held: Held::Upnp {
                        gateway: device,
                        client,
                        lease_s: lease,
                    },
                });
            }
            // ConflictInMappingEntry: taken after all; try the next port.
            Err(upnp::UpnpFailure::Upnp {
                code: 718,
                description: text,
            }) => {
                last = Failure::Refused(format!("UPnP error 718 {text}"));
            }
            // ActionFailed with no internet address: the router has none it can forward from.
            Err(upnp::UpnpFailure::Upnp { code: 501, .. }) if external_ip.is_none() => {
                return Err(Failure::NoPublicAddress(None));
            }
            Err(failure) => return Err(describe(failure)),
        }
    }
    Err(last)
}

/// This computer's address on the way to `peer` (no packet is sent).
async fn local_ip_towards(peer: Ipv4Addr) -> Option<Ipv4Addr> {
    let socket = tokio::net::UdpSocket::bind((Ipv4Addr::UNSPECIFIED, 0))
        .await
        .ok()?;
    socket.connect((peer, 9)).await.ok()?;
    match socket.local_addr().ok()?.ip() {
        IpAddr::V4(ip) if !ip.is_unspecified() => Some(ip),
        _ => None,
    }
}

/// The IPv4 default gateway, or `None`: the router is then found by UPnP's search alone.
///
/// The router of the interface the default route leaves by, or failing that of any interface
/// with an IPv4 default route (a VPN that claims 10.0.0.0/8 makes its own interface look like the
/// default one, with no gateway). Asked of the system through `netdev`: netlink on Linux, the IP
/// Helper API on Windows. It may block (on Windows it may ask the network for the router's
/// hardware address): call it off the runtime's threads.
#[must_use]
pub fn default_gateway() -> Option<Ipv4Addr> {
    gateway_of(&netdev::get_interfaces())
}

/// The IPv4 gateway of the default interface among `interfaces`, else of the first with one.
fn gateway_of(interfaces: &[netdev::Interface]) -> Option<Ipv4Addr> {
    let ipv4_gateway =
        |interface: &netdev::Interface| interface.gateway.as_ref()?.ipv4.first().copied();
    interfaces
        .iter()
        .filter(|interface| interface.default)
        .find_map(ipv4_gateway)
        .or_else(|| interfaces.iter().find_map(ipv4_gateway))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shared_and_private_router_addresses_are_spotted() {
        let spotted = |text: &str| is_private_or_shared(text.parse().unwrap());
        assert!(spotted("100.64.0.1"));
        assert!(spotted("100.127.255.254"));
        assert!(!spotted("100.128.0.1"));
        assert!(!spotted("100.63.255.255"));
        assert!(spotted("10.1.2.3"));
        assert!(spotted("172.16.0.1"));
        assert!(spotted("192.168.1.1"));
        assert!(spotted("0.0.0.0"));
        assert!(!spotted("203.0.113.1"));
        assert!(!spotted("8.8.8.8"));
        assert!(spotted("fd00::1"));
        assert!(!spotted("2001:db8::1"));
    }

    /// An interface, the default one or not, with these default-route gateways.
    fn interface(default: bool, gateways: &[&str]) -> netdev::Interface {
        let mut interface = netdev::Interface::dummy();
        interface.default = default;
        if !gateways.is_empty() {
            let mut gateway = netdev::NetworkDevice::new();
            for ip in gateways {
                match ip.parse().unwrap() {
                    IpAddr::V4(ip) => gateway.ipv4.push(ip),
                    IpAddr::V6(ip) => gateway.ipv6.push(ip),
                }
            }
            interface.gateway = Some(gateway);
        }
        interface
    }

    #[test]
    fn the_default_interface_gateway_comes_first_then_any_ipv4_gateway() {
        let lan = interface(false, &["192.168.77.1"]);
        let wifi = interface(true, &["fe80::1", "10.0.0.1"]);
        let vpn = interface(true, &[]);
        let ipv6_only = interface(true, &["fe80::1"]);
        let ip = |text: &str| text.parse::<Ipv4Addr>().ok();
        assert_eq!(gateway_of(&[lan.clone(), wifi]), ip("10.0.0.1"));
        assert_eq!(gateway_of(&[vpn, lan.clone()]), ip("192.168.77.1"));
        assert_eq!(gateway_of(&[ipv6_only.clone(), lan]), ip("192.168.77.1"));
        assert_eq!(gateway_of(&[ipv6_only]), None);
        assert_eq!(gateway_of(&[]), None);
    }

    #[test]
    fn the_pcp_nonce_is_fixed_by_address_and_port() {
        let port = NonZeroU16::new(7878).unwrap();
        let ip = Ipv4Addr::new(192, 168, 77, 2);
        assert_eq!(nonce(ip, port), nonce(ip, port));
        assert_ne!(nonce(ip, port), nonce(ip, NonZeroU16::new(7879).unwrap()));
        assert_ne!(nonce(ip, port), nonce(Ipv4Addr::new(192, 168, 77, 3), port));
    }

    #[test]
    fn every_failure_has_its_own_message_and_next_step() {
        let local = Some(Ipv4Addr::new(192, 168, 77, 2));
        let none = Failure::NoAnswer(String::new())
            .error(7878, local)
            .to_string();
        assert!(none.contains("No router answered"), "{none}");
        assert!(
            none.contains("forward port 7878 (TCP) to this computer's address 192.168.77.2"),
            "{none}"
        );
        assert!(
            none.contains("can still join with the invite link"),
            "{none}"
        );
        let refused = Failure::Refused("UPnP error 606".to_owned())
            .error(7878, None)
            .to_string();
        assert!(
            refused.contains("refused") && refused.contains("to this computer in"),
            "{refused}"
        );
        let shared = Failure::NoPublicAddress("100.64.0.7".parse().ok())
            .error(7878, local)
            .to_string();
        assert!(
            shared.contains("(100.64.0.7)") && shared.contains("carrier-grade NAT"),
            "{shared}"
        );
        assert!(
            shared.contains("can still join with the invite link"),
            "{shared}"
        );
    }
}
