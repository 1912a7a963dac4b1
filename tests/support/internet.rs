//! An internet inside this machine, for the tests of reaching a friend anywhere.
//!
//! Two homes, each a computer behind a home router behind its ISP's carrier-grade NAT, and
//! between them the internet, where servers run (a relay, a host, a responder telling a socket
//! its public address).
//!
//! ```text
//!  home A   a ─────── router-a ─────── isp-a ═══ 40 ms ═══╗
//!           192.168.1.2  192.168.1.1   100.64.1.1          ║  internet
//!                        100.64.1.2    203.0.113.10        ║  203.0.113.1
//!                        its NAT kind  NAT (moderate)      ║  198.51.100.1
//!  home B   b ─────── router-b ─────── isp-b ═══ 40 ms ═══╝
//!           192.168.1.2  192.168.1.1   100.64.2.1
//!                        100.64.2.2    198.51.100.10
//! ```
//!
//! Every place is a network namespace (`a`, `router-a`, `isp-a`, …, `internet`). No port is
//! mapped anywhere: a home is reached only through a connection it opened. Both homes use
//! 192.168.1.0/24, as many real ones do, so an address from one home names another computer (or
//! none) in the other. The internet is the documentation ranges 203.0.113.0/24 and
//! 198.51.100.0/24; the ISPs' own networks are carrier-grade NAT's 100.64.0.0/10.
//!
//! The links into the internet hold each frame 40 ms each way ([`super::delay`]); the others
//! are veth pairs, each made straight inside its two namespaces. Nothing is added to the
//! machine's own namespace. Every wait is bounded, and dropping the [`Internet`] ends its
//! programs (by PID), stops the links and deletes its namespaces, also when a test fails.

#![expect(clippy::expect_used, reason = "the lab fails loudly")]

use std::fmt::Write as _;
use std::net::Ipv4Addr;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use super::delay::{DelayedLinks, End};
use super::lab::{
    Program, Programs, Spawns, command_in, delete_namespaces, enter, finish, fresh_prefix, run,
    run_batch, start_batch,
};

/// The namespace of the internet, where servers run.
pub const INTERNET: &str = "internet";

/// The internet's address on the link to home A's ISP: where a server listens.
pub const INTERNET_IP: Ipv4Addr = Ipv4Addr::new(203, 0, 113, 1);

/// The internet's second address (on the link to home B's ISP, in the other documentation
/// range): a second server, to see whether a home's NAT gives a socket one public port for two
/// destinations.
pub const INTERNET_IP_2: Ipv4Addr = Ipv4Addr::new(198, 51, 100, 1);

/// How long a link into the internet holds each frame, each way.
pub const INTERNET_DELAY: Duration = Duration::from_millis(40);

/// The computer's address in either home.
pub const COMPUTER_IP: Ipv4Addr = Ipv4Addr::new(192, 168, 1, 2);

/// The home router's address on its home network, in either home.
pub const HOME_ROUTER_IP: Ipv4Addr = Ipv4Addr::new(192, 168, 1, 1);

/// What a home router lets out, and how it maps it (the kinds of RFC 4787, as iroh's tests name
/// them). The ISPs' carrier-grade NATs are always [`Nat::Moderate`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Nat {
    /// Linux's `masquerade`: one public port per socket, whatever it sends to, and only answers
    /// come in, from where it sent. Most home routers; two such homes can punch a hole.
    Moderate,
    /// `masquerade random`: a new public port for each destination, and only answers come in.
    /// Enterprise, cloud and many mobile networks; a hole cannot be punched to it.
    Strict,
    /// Moderate, but only TCP and DNS (UDP port 53) go out: guest Wi-Fi, hotels.
    TcpOnly,
}

/// One of the two homes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Home {
    /// Home A, behind `isp-a`.
    A,
    /// Home B, behind `isp-b`.
    B,
}

impl Home {
    /// Both homes.
    pub const BOTH: [Self; 2] = [Self::A, Self::B];

    /// The namespace of the home's computer, where a player's program runs.
    pub const fn computer(self) -> &'static str {
        match self {
            Self::A => "a",
            Self::B => "b",
        }
    }

    /// The namespace of the home's router.
    pub const fn router(self) -> &'static str {
        match self {
            Self::A => "router-a",
            Self::B => "router-b",
        }
    }

    /// The namespace of the home's ISP, its carrier-grade NAT.
    pub const fn isp(self) -> &'static str {
        match self {
            Self::A => "isp-a",
            Self::B => "isp-b",
        }
    }

    /// The home's address on the internet: its ISP's carrier-grade NAT.
    pub const fn public_ip(self) -> Ipv4Addr {
        match self {
            Self::A => Ipv4Addr::new(203, 0, 113, 10),
            Self::B => Ipv4Addr::new(198, 51, 100, 10),
        }
    }

    /// The home router's address on its ISP's network, which the internet cannot reach.
    pub const fn router_isp_ip(self) -> Ipv4Addr {
        Ipv4Addr::new(100, 64, self.number(), 2)
    }

    /// The ISP's address on its own network (the home router's gateway).
    const fn isp_ip(self) -> Ipv4Addr {
        Ipv4Addr::new(100, 64, self.number(), 1)
    }

    /// The internet's address on the link to this home's ISP (the ISP's gateway).
    const fn internet_ip(self) -> Ipv4Addr {
        match self {
            Self::A => INTERNET_IP,
            Self::B => INTERNET_IP_2,
        }
    }

    const fn number(self) -> u8 {
        match self {
            Self::A => 1,
            Self::B => 2,
        }
    }
}

/// What this machine lacks for the internet (not root, a tool missing, no tap devices), if
/// anything: for [`super::skipped`].
pub fn unavailable() -> Option<String> {
    super::lab::unavailable(false).or_else(|| {
        (!Path::new("/dev/net/tun").exists())
            .then(|| "needs /dev/net/tun for the internet's delayed links".to_owned())
    })
}

/// The internet, the two homes and everything running in them.
pub struct Internet {
    prefix: String,
    namespaces: Vec<String>,
    programs: Programs,
    links: Option<DelayedLinks>,
    nats: [Nat; 2],
    /// The lab's own folder: each program's home.
    pub dir: tempfile::TempDir,
}

impl Internet {
    /// Builds the internet and the two homes, home A's router of the kind `nats[0]` and home
    /// B's of `nats[1]`.
    pub fn new(nats: [Nat; 2]) -> Self {
        let started = Instant::now();
        let mut net = Self {
            prefix: fresh_prefix(),
            namespaces: Vec::new(),
            programs: Programs::default(),
            links: None,
            nats,
            dir: tempfile::tempdir().expect("a temporary folder"),
        };
        let places = Home::BOTH
            .iter()
            .flat_map(|home| [home.computer(), home.router(), home.isp()])
            .chain([INTERNET]);
        net.namespaces = places.map(|place| net.ns(place)).collect();

        // The namespaces, and the cables inside each home and from it to its ISP.
        let mut script = String::new();
        for ns in &net.namespaces {
            writeln!(script, "netns add {ns}").expect("written");
        }
        for home in Home::BOTH {
            let (computer, router, isp) = (
                net.ns(home.computer()),
                net.ns(home.router()),
                net.ns(home.isp()),
            );
            writeln!(
                script,
                "link add eth0 netns {computer} type veth peer name lan0 netns {router}\n\
                 link add wan0 netns {router} type veth peer name lan0 netns {isp}"
            )
            .expect("written");
        }
        run_batch(None, &script).unwrap_or_else(|error| panic!("{error}"));

        // The long links: `wan0` of each ISP to `isp-a` or `isp-b` of the internet.
        let links = Home::BOTH.map(|home| {
            (
                End {
                    ns: net.ns(home.isp()),
                    name: "wan0".to_owned(),
                },
                End {
                    ns: net.ns(INTERNET),
                    name: home.isp().to_owned(),
                },
            )
        });
        net.links = Some(DelayedLinks::start(&links, INTERNET_DELAY));

        for home in Home::BOTH {
            net.forwards(home.router());
            net.forwards(home.isp());
        }
        net.forwards(INTERNET);

        // Addresses and routes, one `ip -batch` a place, and each router's firewall and NAT,
        // all at once.
        let mut jobs = Vec::new();
        for (place, script) in addresses() {
            let ns = net.ns(place);
            let batch = start_batch(Some(&ns)).unwrap_or_else(|error| panic!("{error}"));
            jobs.push((batch, script, format!("addresses of {place}")));
        }
        for home in Home::BOTH {
            for (place, nat) in [(home.router(), net.nat(home)), (home.isp(), Nat::Moderate)] {
                let nft = Command::new("timeout")
                    .args([
                        "10",
                        "ip",
                        "netns",
                        "exec",
                        &net.ns(place),
                        "nft",
                        "-f",
                        "-",
                    ])
                    .stdin(Stdio::piped())
                    .stdout(Stdio::null())
                    .stderr(Stdio::piped())
                    .spawn()
                    .expect("nft started");
                jobs.push((nft, nat_rules(nat), format!("the NAT of {place}")));
            }
        }
        let failures: Vec<String> = jobs
            .into_iter()
            .filter_map(|(child, input, name)| finish(child, &input, &name).err())
            .collect();
        assert!(failures.is_empty(), "the internet: {failures:#?}");
        eprintln!("the internet ({nats:?}) built in {:?}", started.elapsed());
        net
    }

    /// The kind of `home`'s router.
    pub const fn nat(&self, home: Home) -> Nat {
        match home {
            Home::A => self.nats[0],
            Home::B => self.nats[1],
        }
    }

    /// The full name of the namespace `place` (`internet`, `a`, `router-a`, `isp-a`, …).
    pub fn ns(&self, place: &str) -> String {
        format!("{}-{place}", self.prefix)
    }

    /// Runs `make` on a thread of its own inside `place`: the sockets it makes belong to that
    /// namespace, wherever they are used afterwards.
    pub fn within<T: Send>(&self, place: &str, make: impl FnOnce() -> T + Send) -> T {
        let ns = self.ns(place);
        std::thread::scope(|scope| {
            std::thread::Builder::new()
                .name(format!("in-{place}"))
                .spawn_scoped(scope, move || {
                    enter(&ns);
                    make()
                })
                .expect("a thread in the namespace")
                .join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
        })
    }

    /// Runs `PROGRAM ARGS` in `place` to its end (at most 10 s), failing unless it succeeds:
    /// what it printed.
    pub fn exec(&self, place: &str, program_args: &[&str]) -> String {
        let ns = self.ns(place);
        let mut full = vec!["ip", "netns", "exec", ns.as_str()];
        full.extend_from_slice(program_args);
        run(&full).unwrap_or_else(|error| panic!("{error}"))
    }

    /// Starts `tictactoe ARGS` in `place`, with a home folder of its own, its output read line by
    /// line.
    pub fn spawn(&mut self, place: &str, args: &[&str]) -> Program {
        let home = self.home(place);
        self.spawn_at(place, &home, args)
    }

    /// A new home folder for programs started in `place` with [`Self::spawn_at`].
    pub fn home(&self, place: &str) -> std::path::PathBuf {
        self.programs.home(self.dir.path(), place)
    }

    /// Starts `tictactoe ARGS` in `place` with its files in `home` (a program started again as
    /// itself: a relay with its certificate, a host with its key).
    pub fn spawn_at(&mut self, place: &str, home: &std::path::Path, args: &[&str]) -> Program {
        let ns = self.ns(place);
        self.programs.tictactoe(&ns, place, home, args)
    }

    /// Starts any `program ARGS` in `place`, its output read line by line.
    pub fn start(&mut self, place: &str, program: &str, args: &[&str]) -> Program {
        let mut command = command_in(&self.ns(place), program);
        command.args(args);
        self.programs
            .start(command, format!("{place}: {program} {}", args.join(" ")))
    }

    /// Lets `place` forward packets: it routes between its links.
    fn forwards(&self, place: &str) {
        self.within(place, || {
            // This thread's namespace is the one whose settings /proc/sys/net shows.
            std::fs::write("/proc/sys/net/ipv4/ip_forward", "1")
        })
        .unwrap_or_else(|error| panic!("{place}: forwarding not turned on: {error}"));
    }
}

/// The `ip` commands giving each place its addresses and routes.
/// The `ip` lines giving a place its addresses (each a /24 on its link, brought up) and its
/// default route.
fn configure(links: &[(Ipv4Addr, &str)], gateway: Ipv4Addr) -> String {
    let mut script = "link set lo up\n".to_owned();
    for (ip, link) in links {
        writeln!(script, "addr add {ip}/24 dev {link}\nlink set {link} up").expect("written");
    }
    writeln!(script, "route add default via {gateway}").expect("written");
    script
}

fn addresses() -> Vec<(&'static str, String)> {
    let mut scripts = Vec::new();
    for home in Home::BOTH {
        let (router_isp, isp, public, internet) = (
            home.router_isp_ip(),
            home.isp_ip(),
            home.public_ip(),
            home.internet_ip(),
        );
        let router = [(HOME_ROUTER_IP, "lan0"), (router_isp, "wan0")];
        scripts.push((
            home.computer(),
            configure(&[(COMPUTER_IP, "eth0")], HOME_ROUTER_IP),
        ));
        scripts.push((home.router(), configure(&router, isp)));
        scripts.push((
            home.isp(),
            configure(&[(isp, "lan0"), (public, "wan0")], internet),
        ));
    }
    let mut internet = "link set lo up\n".to_owned();
    for home in Home::BOTH {
        let (ip, link) = (home.internet_ip(), home.isp());
        writeln!(internet, "addr add {ip}/24 dev {link}\nlink set {link} up").expect("written");
    }
    scripts.push((INTERNET, internet));
    scripts
}

impl Spawns for Internet {
    fn spawn(&mut self, place: &str, args: &[&str]) -> Program {
        Self::spawn(self, place, args)
    }

    fn programs(&mut self) -> &mut Programs {
        &mut self.programs
    }
}

impl Drop for Internet {
    fn drop(&mut self) {
        let started = Instant::now();
        self.programs.end_all();
        // The links' thread and taps hold namespaces too.
        self.links = None;
        delete_namespaces(&self.namespaces);
        eprintln!("the internet taken down in {:?}", started.elapsed());
    }
}

/// The forward rules of a home that lets only TCP and DNS out.
const ONLY_TCP_OUT: &str = r#"        iifname "lan0" meta l4proto tcp accept
        iifname "lan0" udp dport 53 accept
        iifname "lan0" drop
"#;

/// A router's firewall and NAT of the kind `nat`, between its home side `lan0` and its internet
/// side `wan0`: nothing comes in from `wan0` unless it answers what went out.
fn nat_rules(nat: Nat) -> String {
    let masquerade = match nat {
        Nat::Moderate | Nat::TcpOnly => "masquerade",
        Nat::Strict => "masquerade random",
    };
    let only_tcp = match nat {
        Nat::TcpOnly => ONLY_TCP_OUT,
        Nat::Moderate | Nat::Strict => "",
    };
    format!(
        r#"table ip home {{
    chain input {{
        type filter hook input priority filter; policy accept;
        iifname "wan0" ct state established,related accept
        iifname "wan0" drop
    }}
    chain forward {{
        type filter hook forward priority filter; policy accept;
        iifname "wan0" ct state established,related accept
        iifname "wan0" drop
{only_tcp}    }}
    chain postrouting {{
        type nat hook postrouting priority srcnat; policy accept;
        oifname "wan0" {masquerade}
    }}
}}
"#
    )
}
