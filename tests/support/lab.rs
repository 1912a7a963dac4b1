//! A small home network inside this machine, for the reach tests.
//!
//! Network namespaces made with `ip netns`, veth pairs and a bridge, a router namespace with NAT
//! (nftables) and, when asked, Debian's real `miniupnpd`, a "WAN" namespace for the friend on the
//! internet, and the real `tictactoe` binary run in them with `ip netns exec`.
//!
//! ```text
//!  lan-a 192.168.77.2 ─┐                                 ┌─ wan 203.0.113.2 (the friend;
//!                      ├─ br0 192.168.77.1 [router] wan0 203.0.113.1   a STUN responder)
//!  lan-b 192.168.77.3 ─┘   nft: NAT, drop from WAN, miniupnpd chains
//! ```
//!
//! Every packet stays inside namespaces made here: each veth is created straight inside its
//! two namespaces, nothing is added to the machine's own. Every wait is bounded, and dropping
//! the [`Lab`] ends its processes (by PID) and deletes its namespaces, also when a test fails.
//!
//! Here too what every lab of these tests shares ([`super::internet`] as well): programs run in
//! a namespace and read line by line ([`Programs`], [`Program`]), `ip -batch` runs, and deleting
//! namespaces once whatever still runs in them has been ended by its PID.

#![expect(clippy::expect_used, reason = "the lab fails loudly")]

use std::ffi::OsStr;
use std::io::{BufRead as _, BufReader};
use std::net::UdpSocket;
use std::os::fd::AsFd as _;
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, ExitStatus, Stdio};
use std::sync::atomic::{AtomicBool, AtomicU32, Ordering};
use std::sync::{Arc, mpsc};
use std::time::{Duration, Instant};

/// The game's binary, as built for these tests.
pub const BIN: &str = env!("CARGO_BIN_EXE_tictactoe");

/// The host's address on the LAN (`lan-a`).
pub const HOST_IP: &str = "192.168.77.2";
/// The other LAN computer's address (`lan-b`).
pub const JOINER_IP: &str = "192.168.77.3";
/// The router's address on the LAN.
pub const ROUTER_LAN_IP: &str = "192.168.77.1";

/// What this machine lacks for the network namespace tests (not root, or a tool missing), if
/// anything: for [`super::skipped`].
pub fn unavailable(needs_daemon: bool) -> Option<String> {
    if !rustix::process::geteuid().is_root() {
        Some("needs root for network namespaces".to_owned())
    } else if !Path::new("/run").exists() || run(&["ip", "netns", "list"]).is_err() {
        Some("needs `ip netns`, which does not work here".to_owned())
    } else if run(&["nft", "--version"]).is_err() {
        Some("needs nft (apt-get install nftables)".to_owned())
    } else if needs_daemon && !Path::new(MINIUPNPD).exists() {
        Some(format!(
            "needs {MINIUPNPD} (apt-get install miniupnpd-nftables)"
        ))
    } else {
        None
    }
}

const MINIUPNPD: &str = "/usr/sbin/miniupnpd";

/// Runs a command to completion (bounded by `timeout`), failing on a non-zero status.
pub fn run(args: &[&str]) -> Result<String, String> {
    let output = Command::new("timeout")
        .arg("10")
        .args(args)
        .stdin(Stdio::null())
        .output()
        .map_err(|e| format!("{args:?}: {e}"))?;
    if output.status.success() {
        Ok(String::from_utf8_lossy(&output.stdout).into_owned())
    } else {
        Err(format!(
            "{args:?}: {}: {}",
            output.status,
            String::from_utf8_lossy(&output.stderr)
        ))
    }
}

fn must(args: &[&str]) -> String {
    run(args).unwrap_or_else(|e| panic!("{e}"))
}

/// How the router answers requests to open a port.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Daemon {
    /// No port-mapping daemon at all.
    None,
    /// miniupnpd serving NAT-PMP and PCP only.
    NatPmpPcp,
    /// miniupnpd serving UPnP only.
    Upnp,
    /// miniupnpd serving UPnP, refusing every mapping (`deny` for all).
    Refusing,
}

/// The router's internet side.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Wan {
    /// 203.0.113.1, with the friend at 203.0.113.2 answering STUN so that miniupnpd takes this
    /// documentation range for a public address.
    Public,
    /// 100.64.0.1: behind carrier-grade NAT; no STUN, so miniupnpd sees what it is.
    Shared,
}

impl Wan {
    /// The router's address on this WAN.
    pub const fn router_ip(self) -> &'static str {
        match self {
            Self::Public => "203.0.113.1",
            Self::Shared => "100.64.0.1",
        }
    }

    /// The friend's address on this WAN.
    pub const fn friend_ip(self) -> &'static str {
        match self {
            Self::Public => "203.0.113.2",
            Self::Shared => "100.64.0.2",
        }
    }
}

static LABS: AtomicU32 = AtomicU32::new(0);

/// A prefix for the names of a new lab's namespaces, unique on this machine while the lab runs
/// (this process's id and a count).
pub fn fresh_prefix() -> String {
    let n = LABS.fetch_add(1, Ordering::SeqCst);
    format!("ttt{}-{n}", std::process::id())
}

/// The home network and everything running in it.
pub struct Lab {
    prefix: String,
    namespaces: Vec<String>,
    programs: Programs,
    stun: Option<(Arc<AtomicBool>, std::thread::JoinHandle<()>)>,
    /// The lab's own folder: configuration, logs, and each program's home.
    pub dir: tempfile::TempDir,
    /// The router's internet side.
    pub wan: Wan,
}

impl Lab {
    /// Builds the network: router, two LAN computers, the friend on the WAN; and starts the
    /// daemon asked for.
    pub fn new(daemon: Daemon, wan: Wan) -> Self {
        let prefix = fresh_prefix();
        let mut lab = Self {
            namespaces: Vec::new(),
            programs: Programs::default(),
            stun: None,
            dir: tempfile::tempdir().expect("a temporary folder"),
            wan,
            prefix,
        };
        lab.build();
        if wan == Wan::Public {
            lab.start_stun();
        }
        if daemon != Daemon::None {
            lab.start_miniupnpd(daemon);
        }
        lab
    }

    /// The full name of the namespace `short` (`router`, `a`, `b`, `wan`).
    pub fn ns(&self, short: &str) -> String {
        format!("{}-{short}", self.prefix)
    }

    fn exec(&self, short: &str, args: &[&str]) -> String {
        let ns = self.ns(short);
        let mut full = vec!["ip", "netns", "exec", ns.as_str()];
        full.extend_from_slice(args);
        must(&full)
    }

    fn build(&mut self) {
        for short in ["router", "a", "b", "wan"] {
            let ns = self.ns(short);
            must(&["ip", "netns", "add", &ns]);
            self.namespaces.push(ns);
            self.exec(short, &["ip", "link", "set", "lo", "up"]);
        }
        let (router, a, b, wan) = (
            self.ns("router"),
            self.ns("a"),
            self.ns("b"),
            self.ns("wan"),
        );
        // Each veth made inside its two namespaces: nothing appears in the machine's own.
        must(&[
            "ip", "link", "add", "eth0", "netns", &a, "type", "veth", "peer", "name", "la",
            "netns", &router,
        ]);
        must(&[
            "ip", "link", "add", "eth0", "netns", &b, "type", "veth", "peer", "name", "lb",
            "netns", &router,
        ]);
        must(&[
            "ip", "link", "add", "wan0", "netns", &router, "type", "veth", "peer", "name", "eth0",
            "netns", &wan,
        ]);
        // Written through /proc inside the namespace (no procps needed).
        let sysctl = |key: &str, value: &str| {
            let script = format!("echo {value} > /proc/sys/{key}");
            run(&["ip", "netns", "exec", &router, "sh", "-c", &script])
        };
        sysctl("net/ipv4/ip_forward", "1").unwrap_or_else(|e| panic!("{e}"));
        for key in ["iptables", "ip6tables", "arptables"] {
            // These exist only where br_netfilter is loaded; without it, bridged traffic (mDNS
            // between the two LAN computers) never meets the router's firewall anyway.
            drop(sysctl(&format!("net/bridge/bridge-nf-call-{key}"), "0"));
        }
        self.exec(
            "router",
            &[
                "ip",
                "link",
                "add",
                "br0",
                "type",
                "bridge",
                "mcast_snooping",
                "0",
            ],
        );
        self.exec(
            "router",
            &[
                "ip",
                "addr",
                "add",
                &format!("{ROUTER_LAN_IP}/24"),
                "dev",
                "br0",
            ],
        );
        for port in ["la", "lb"] {
            self.exec("router", &["ip", "link", "set", port, "master", "br0"]);
            self.exec("router", &["ip", "link", "set", port, "up"]);
        }
        self.exec("router", &["ip", "link", "set", "br0", "up"]);
        let wan_ip = self.wan.router_ip();
        self.exec(
            "router",
            &["ip", "addr", "add", &format!("{wan_ip}/24"), "dev", "wan0"],
        );
        self.exec("router", &["ip", "link", "set", "wan0", "up"]);
        for (short, ip) in [("a", HOST_IP), ("b", JOINER_IP)] {
            self.exec(
                short,
                &["ip", "addr", "add", &format!("{ip}/24"), "dev", "eth0"],
            );
            self.exec(short, &["ip", "link", "set", "eth0", "up"]);
            self.exec(
                short,
                &["ip", "route", "add", "default", "via", ROUTER_LAN_IP],
            );
        }
        let friend = self.wan.friend_ip();
        self.exec(
            "wan",
            &["ip", "addr", "add", &format!("{friend}/24"), "dev", "eth0"],
        );
        self.exec("wan", &["ip", "link", "set", "eth0", "up"]);
        // Up means settled, as on a computer that has been on the network a while: each LAN
        // link has its IPv6 link-local address, past duplicate address detection (about 1 s).
        // Multicast DNS sent before that is not heard on the other side.
        let deadline = Instant::now() + Duration::from_secs(10);
        for short in ["a", "b"] {
            loop {
                let addrs = self.exec(
                    short,
                    &["ip", "-6", "addr", "show", "dev", "eth0", "scope", "link"],
                );
                if addrs.contains("inet6") && !addrs.contains("tentative") {
                    break;
                }
                assert!(
                    Instant::now() < deadline,
                    "{short}: eth0 never settled: {addrs}"
                );
                std::thread::sleep(Duration::from_millis(50));
            }
        }
        let rules = self.dir.path().join("router.nft");
        std::fs::write(&rules, ROUTER_NFT).expect("nft rules written");
        self.exec("router", &["nft", "-f", &rules.to_string_lossy()]);
    }

    /// A thread in the WAN namespace answering STUN binding requests with the address they
    /// came from (RFC 5389), which is all miniupnpd needs to accept its WAN address.
    fn start_stun(&mut self) {
        let stop = Arc::new(AtomicBool::new(false));
        let (ready_tx, ready) = mpsc::sync_channel(1);
        let ns = self.ns("wan");
        let stopped = Arc::clone(&stop);
        let thread = std::thread::Builder::new()
            .name("stun-responder".to_owned())
            .spawn(move || {
                enter(&ns);
                let socket = UdpSocket::bind("0.0.0.0:3478").expect("STUN port bound");
                socket
                    .set_read_timeout(Some(Duration::from_millis(100)))
                    .expect("a read timeout");
                ready_tx.send(()).expect("ready told");
                let mut buffer = [0_u8; 1500];
                while !stopped.load(Ordering::SeqCst) {
                    let Ok((n, from)) = socket.recv_from(&mut buffer) else {
                        continue;
                    };
                    if let Some(answer) = stun_answer(&buffer[..n], from) {
                        drop(socket.send_to(&answer, from));
                    }
                }
            })
            .expect("STUN thread started");
        ready
            .recv_timeout(Duration::from_secs(5))
            .expect("the STUN responder started");
        self.stun = Some((stop, thread));
    }

    fn start_miniupnpd(&mut self, daemon: Daemon) {
        let dir = self.dir.path();
        let (upnp, natpmp) = match daemon {
            Daemon::NatPmpPcp => ("no", "yes"),
            // Refusing over UPnP only: refused PCP and NAT-PMP requests send miniupnpd 2.3.1
            // looking through every other external port for one it may grant, for seconds,
            // answering nothing.
            Daemon::Upnp | Daemon::Refusing => ("yes", "no"),
            Daemon::None => ("yes", "yes"),
        };
        let permissions = if daemon == Daemon::Refusing {
            "deny 0-65535 0.0.0.0/0 0-65535\n".to_owned()
        } else {
            "allow 1024-65535 192.168.77.0/24 1024-65535\ndeny 0-65535 0.0.0.0/0 0-65535\n"
                .to_owned()
        };
        let stun = match self.wan {
            Wan::Public => format!(
                "ext_perform_stun=yes\next_stun_host={}\next_stun_port=3478\n",
                self.wan.friend_ip()
            ),
            Wan::Shared => String::new(),
        };
        let conf = format!(
            "ext_ifname=wan0\nlistening_ip=br0\nhttp_port=5000\nenable_upnp={upnp}\n\
             enable_natpmp={natpmp}\nsecure_mode=yes\nipv6_disable=yes\nsystem_uptime=yes\n\
             min_lifetime=120\nmax_lifetime=86400\nuuid=3d3cec3a-8cf0-11e0-98ee-001a6bd2d07b\n\
             upnp_table_name=ttt\nupnp_nat_table_name=ttt\nupnp_forward_chain=miniupnpd\n\
             upnp_nat_chain=prerouting_miniupnpd\nupnp_nat_postrouting_chain=postrouting_miniupnpd\n\
             lease_file={leases}\nminissdpdsocket={ssdp}\n{stun}{permissions}",
            leases = dir.join("leases").display(),
            ssdp = dir.join("minissdpd.sock").display(),
        );
        let conf_path = dir.join("miniupnpd.conf");
        std::fs::write(&conf_path, conf).expect("miniupnpd.conf written");
        let log = std::fs::File::create(dir.join("miniupnpd.log")).expect("log file");
        let ns = self.ns("router");
        let child = Command::new("ip")
            .args(["netns", "exec", &ns, MINIUPNPD, "-d", "-f"])
            .arg(&conf_path)
            .arg("-P")
            .arg(dir.join("miniupnpd.pid"))
            .stdin(Stdio::null())
            .stdout(log.try_clone().expect("log file"))
            .stderr(log)
            .spawn()
            .expect("miniupnpd started");
        self.programs.keep(child);
        // Ready once it listens: HTTP for UPnP, UDP 5351 for NAT-PMP and PCP.
        let deadline = Instant::now() + Duration::from_secs(5);
        let listening = |what: &str| self.exec("router", &["ss", "-lnH", what]).lines().count() > 0;
        loop {
            let ready = match daemon {
                Daemon::NatPmpPcp => listening("sport = :5351"),
                _ => listening("sport = :5000"),
            };
            if ready {
                break;
            }
            assert!(
                Instant::now() < deadline,
                "miniupnpd did not start: {}",
                self.daemon_log()
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// What miniupnpd logged (for failure messages).
    pub fn daemon_log(&self) -> String {
        std::fs::read_to_string(self.dir.path().join("miniupnpd.log")).unwrap_or_default()
    }

    /// The port forwardings the router holds for TCP `port`, as miniupnpd wrote them into its
    /// nftables chain.
    pub fn mappings(&self, port: u16) -> usize {
        let chain = self.exec(
            "router",
            &[
                "nft",
                "list",
                "chain",
                "inet",
                "ttt",
                "prerouting_miniupnpd",
            ],
        );
        chain
            .lines()
            .filter(|line| line.contains(&format!("dport {port} ")) && line.contains("dnat"))
            .count()
    }

    /// Adds `cidr` (such as `2001:db8::2/64`) to `eth0` of `short`, usable at once (no duplicate
    /// address detection: nothing else on the lab's network has it).
    pub fn add_address(&self, short: &str, cidr: &str) {
        self.exec(short, &["ip", "addr", "add", cidr, "dev", "eth0", "nodad"]);
    }

    /// The IPv6 link-local address of `eth0` in `short`, without its zone.
    pub fn link_local(&self, short: &str) -> String {
        let shown = self.exec(
            short,
            &["ip", "-6", "addr", "show", "dev", "eth0", "scope", "link"],
        );
        shown
            .split_whitespace()
            .skip_while(|&word| word != "inet6")
            .nth(1)
            .and_then(|cidr| cidr.split('/').next())
            .unwrap_or_else(|| panic!("{short}: no link-local address: {shown}"))
            .to_owned()
    }

    /// Starts `tictactoe ARGS` in namespace `short`, its output read line by line.
    pub fn spawn(&mut self, short: &str, args: &[&str]) -> Program {
        let home = self.programs.home(self.dir.path(), short);
        let ns = self.ns(short);
        self.programs.tictactoe(&ns, short, &home, args)
    }
}

impl Spawns for Lab {
    fn spawn(&mut self, short: &str, args: &[&str]) -> Program {
        Self::spawn(self, short, args)
    }

    fn programs(&mut self) -> &mut Programs {
        &mut self.programs
    }
}

/// A lab that starts `tictactoe` in its places: waiting for its programs, and running one to
/// its end.
pub trait Spawns {
    /// Starts `tictactoe ARGS` in `place`, its output read line by line.
    fn spawn(&mut self, place: &str, args: &[&str]) -> Program;

    /// The lab's programs.
    fn programs(&mut self) -> &mut Programs;

    /// The exit status of `program`, waiting at most `limit`.
    fn wait(&mut self, program: &Program, limit: Duration) -> ExitStatus {
        self.programs().wait(program, limit)
    }

    /// Runs `tictactoe ARGS` in `place` to its end (at most `limit`): status and every line.
    fn run_to_end(
        &mut self,
        place: &str,
        args: &[&str],
        limit: Duration,
    ) -> (ExitStatus, Vec<String>) {
        let program = self.spawn(place, args);
        self.programs().run_to_end(program, limit)
    }
}

/// Sends `signal` to the process `pid` (a program of the lab).
pub fn signal(pid: u32, signal: rustix::process::Signal) {
    let pid = rustix::process::Pid::from_raw(i32::try_from(pid).expect("a pid")).expect("a pid");
    rustix::process::kill_process(pid, signal).expect("signal sent");
}

impl Drop for Lab {
    fn drop(&mut self) {
        self.programs.end_all();
        if let Some((stop, thread)) = self.stun.take() {
            stop.store(true, Ordering::SeqCst);
            drop(thread.join());
        }
        delete_namespaces(&self.namespaces);
    }
}

/// `program`, to be started in the network namespace `ns` (`ip netns exec`).
pub fn command_in(ns: &str, program: impl AsRef<OsStr>) -> Command {
    let mut command = Command::new("ip");
    command.args(["netns", "exec", ns]).arg(program);
    command
}

/// The game's binary, to be started in the network namespace `ns` with its settings and
/// records in `home`, logging what it does, and with no relay unless `--relay` names one.
pub fn tictactoe_in(ns: &str, home: &Path) -> Command {
    let mut command = command_in(ns, BIN);
    command
        .env("TICTACTOE_RELAY", "off")
        .env("HOME", home)
        .env("XDG_CONFIG_HOME", home.join("config"))
        .env("XDG_DATA_HOME", home.join("data"))
        .env("RUST_LOG", "tictactoe=info");
    command
}

/// The programs a lab started in its namespaces, each ended by its PID when the lab ends.
#[derive(Default)]
pub struct Programs {
    children: Vec<Child>,
}

impl Programs {
    /// A fresh home folder in `dir` for the next program started in `short`.
    pub fn home(&self, dir: &Path, short: &str) -> PathBuf {
        let home = dir.join(format!("home-{short}-{}", self.children.len()));
        std::fs::create_dir_all(&home).expect("a home folder");
        home
    }

    /// Starts `tictactoe ARGS` in the namespace `ns` (the place a test calls `place`) with its
    /// files in `home`, its output read line by line.
    pub fn tictactoe(&mut self, ns: &str, place: &str, home: &Path, args: &[&str]) -> Program {
        let mut command = tictactoe_in(ns, home);
        command.args(args);
        self.start(command, format!("{place}: tictactoe {}", args.join(" ")))
    }

    /// Starts `command`, its output (standard output and error) read line by line; `name` is
    /// what failure messages call it.
    pub fn start(&mut self, mut command: Command, name: String) -> Program {
        let mut child = command
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap_or_else(|error| panic!("{name}: not started: {error}"));
        let started = Instant::now();
        // Bounded: a program printing more than this unread would wait, never be lost.
        let (tx, lines) = mpsc::sync_channel(4096);
        for (source, is_err) in [
            (
                Box::new(child.stdout.take().expect("stdout")) as Box<dyn std::io::Read + Send>,
                false,
            ),
            (Box::new(child.stderr.take().expect("stderr")), true),
        ] {
            let tx = tx.clone();
            std::thread::Builder::new()
                .name("program-output".to_owned())
                .spawn(move || {
                    for line in BufReader::new(source).lines() {
                        let Ok(line) = line else { return };
                        if tx.send((started.elapsed(), is_err, line)).is_err() {
                            return;
                        }
                    }
                })
                .expect("reader thread");
        }
        let stdin = child.stdin.take();
        let pid = child.id();
        self.children.push(child);
        Program {
            pid,
            stdin,
            lines,
            seen: Vec::new(),
            name,
        }
    }

    /// Keeps `child`, started by the caller, to end it with the others.
    pub fn keep(&mut self, child: Child) {
        self.children.push(child);
    }

    /// The exit status of `program`, waiting at most `limit`.
    pub fn wait(&mut self, program: &Program, limit: Duration) -> ExitStatus {
        let deadline = Instant::now() + limit;
        let child = self
            .children
            .iter_mut()
            .find(|c| c.id() == program.pid)
            .expect("a program of this lab");
        loop {
            if let Some(status) = child.try_wait().expect("waitable") {
                return status;
            }
            assert!(
                Instant::now() < deadline,
                "{} did not end within {limit:?}; it printed {:?}",
                program.name,
                program.seen
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// Lets `program` run to its end with its input closed (at most `limit`): its status and
    /// every line it printed.
    pub fn run_to_end(
        &mut self,
        mut program: Program,
        limit: Duration,
    ) -> (ExitStatus, Vec<String>) {
        program.close_stdin();
        let status = self.wait(&program, limit);
        program.drain(Duration::from_millis(300));
        (
            status,
            program.seen.into_iter().map(|(_, line)| line).collect(),
        )
    }

    /// Ends every program still running, by its PID, and waits for it.
    pub fn end_all(&mut self) {
        for child in &mut self.children {
            drop(child.kill());
            drop(child.wait());
        }
        self.children.clear();
    }
}

/// Deletes the network namespaces `namespaces`, after ending by PID whatever still runs in
/// them (a program's own child, say): `ip netns del` would not free a namespace in use.
pub fn delete_namespaces(namespaces: &[String]) {
    for ns in namespaces {
        end_everything_in(ns);
    }
    let script: String = namespaces
        .iter()
        .map(|ns| format!("netns del {ns}\n"))
        .collect();
    if let Err(error) = run_batch(None, &script) {
        eprintln!("could not delete the namespaces {namespaces:?}: {error}");
    }
}

/// Kills every process of the network namespace `ns` by its PID, and waits (at most 5 s) until
/// none is left.
fn end_everything_in(ns: &str) {
    let deadline = Instant::now() + Duration::from_secs(5);
    loop {
        let pids = pids_in(ns);
        if pids.is_empty() {
            return;
        }
        if Instant::now() >= deadline {
            eprintln!("processes {pids:?} are still running in {ns}");
            return;
        }
        for pid in pids {
            if let Some(pid) = rustix::process::Pid::from_raw(pid) {
                // An error: it has ended meanwhile.
                let _ended: rustix::io::Result<()> =
                    rustix::process::kill_process(pid, rustix::process::Signal::KILL);
            }
        }
        std::thread::sleep(Duration::from_millis(10));
    }
}

/// The processes whose network namespace is `ns` (by the namespace's inode, as
/// `ip netns pids` finds them), never this one.
fn pids_in(ns: &str) -> Vec<i32> {
    let Ok(namespace) = std::fs::metadata(PathBuf::from("/run/netns").join(ns)) else {
        return Vec::new();
    };
    let wanted = format!("net:[{}]", std::os::unix::fs::MetadataExt::ino(&namespace));
    let Ok(entries) = std::fs::read_dir("/proc") else {
        return Vec::new();
    };
    let me = std::process::id();
    entries
        .filter_map(|entry| entry.ok()?.file_name().to_str()?.parse::<u32>().ok())
        .filter(|&pid| pid != me)
        .filter(|pid| {
            std::fs::read_link(format!("/proc/{pid}/ns/net"))
                .is_ok_and(|link| link.as_os_str() == wanted.as_str())
        })
        .filter_map(|pid| i32::try_from(pid).ok())
        .collect()
}

/// Runs the `ip` commands of `script`, one a line, in one `ip -batch` (bounded at 10 s), in the
/// network namespace `ns` if one is named.
pub fn run_batch(ns: Option<&str>, script: &str) -> Result<(), String> {
    let child = start_batch(ns)?;
    finish(child, script, &format!("ip -batch in {ns:?}"))
}

/// Starts one `ip -batch` reading its commands from its standard input, in the network
/// namespace `ns` if one is named: give them with [`finish`]. Bounded at 10 s.
pub fn start_batch(ns: Option<&str>) -> Result<Child, String> {
    let mut command = Command::new("timeout");
    command.args(["10", "ip"]);
    if let Some(ns) = ns {
        command.args(["-n", ns]);
    }
    // Every line is tried; the status says whether any failed.
    command
        .args(["-force", "-batch", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|error| format!("ip -batch: {error}"))
}

/// Gives `input` to `child` and waits for it to end well (callers bound it with `timeout`).
pub fn finish(mut child: Child, input: &str, name: &str) -> Result<(), String> {
    if let Some(mut stdin) = child.stdin.take() {
        std::io::Write::write_all(&mut stdin, input.as_bytes())
            .map_err(|error| format!("{name}: input not written: {error}"))?;
    }
    let output = child
        .wait_with_output()
        .map_err(|error| format!("{name}: {error}"))?;
    if output.status.success() {
        Ok(())
    } else {
        Err(format!(
            "{name}: {}: {}\n{input}",
            output.status,
            String::from_utf8_lossy(&output.stderr)
        ))
    }
}

/// One program running in the lab.
pub struct Program {
    /// Its process id, for signals.
    pub pid: u32,
    stdin: Option<ChildStdin>,
    lines: mpsc::Receiver<(Duration, bool, String)>,
    /// Every line seen so far, with when it came (from the start).
    pub seen: Vec<(Duration, String)>,
    name: String,
}

impl Program {
    /// Waits (at most `limit`) for a line containing `text`; the line and when it came.
    pub fn expect_line(&mut self, text: &str, limit: Duration) -> (Duration, String) {
        if let Some(found) = self.seen.iter().find(|(_, line)| line.contains(text)) {
            return found.clone();
        }
        let deadline = Instant::now() + limit;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.lines.recv_timeout(left) {
                Ok((at, _, line)) => {
                    self.seen.push((at, line.clone()));
                    if line.contains(text) {
                        return (at, line);
                    }
                }
                Err(mpsc::RecvTimeoutError::Timeout | mpsc::RecvTimeoutError::Disconnected) => {
                    panic!(
                        "{}: no line with {text:?} within {limit:?}; it printed {:#?}",
                        self.name, self.seen
                    )
                }
            }
        }
    }

    /// Waits (at most `limit`) for a line containing `label`: what follows it on that line,
    /// trimmed (the URL after `relay: `, the link after `invite link: `).
    pub fn expect_value(&mut self, label: &str, limit: Duration) -> String {
        let (_, line) = self.expect_line(label, limit);
        line.split_once(label)
            .map(|(_, value)| value.trim().to_owned())
            .unwrap_or_default()
    }

    /// Reads what has come so far (waiting at most `limit` for more).
    pub fn drain(&mut self, limit: Duration) {
        let deadline = Instant::now() + limit;
        while let Ok((at, _, line)) = self
            .lines
            .recv_timeout(deadline.saturating_duration_since(Instant::now()))
        {
            self.seen.push((at, line));
        }
    }

    /// Whether a line containing `text` has been seen.
    pub fn printed(&self, text: &str) -> bool {
        self.seen.iter().any(|(_, line)| line.contains(text))
    }

    /// The next line (waiting at most `limit`), also kept in `seen`.
    pub fn next_line(&mut self, limit: Duration) -> Option<(Duration, String)> {
        let (at, _, line) = self.lines.recv_timeout(limit).ok()?;
        self.seen.push((at, line.clone()));
        Some((at, line))
    }

    /// Types `text` and Enter, as a person would.
    pub fn type_line(&mut self, text: &str) {
        let stdin = self.stdin.as_mut().expect("its input is open");
        std::io::Write::write_all(stdin, format!("{text}\n").as_bytes()).expect("typed");
        std::io::Write::flush(stdin).expect("typed");
    }

    /// Closes its standard input (a person's input ending).
    pub fn close_stdin(&mut self) {
        self.stdin = None;
    }
}

/// Moves this thread into the network namespace `ns` (only this thread).
pub fn enter(ns: &str) {
    let file = std::fs::File::open(PathBuf::from("/run/netns").join(ns)).expect("the namespace");
    rustix::thread::move_into_link_name_space(
        file.as_fd(),
        Some(rustix::thread::LinkNameSpaceType::Network),
    )
    .expect("moved into the namespace");
}

/// The STUN binding response to `request` from `from`, or `None` if it is not a binding request.
fn stun_answer(request: &[u8], from: std::net::SocketAddr) -> Option<Vec<u8>> {
    const COOKIE: [u8; 4] = [0x21, 0x12, 0xa4, 0x42];
    if request.len() < 20 || request[0..2] != [0x00, 0x01] {
        return None;
    }
    let std::net::SocketAddr::V4(from) = from else {
        return None;
    };
    let port = from.port().to_be_bytes();
    let ip = from.ip().octets();
    let mut answer = vec![0x01, 0x01, 0x00, 24];
    answer.extend_from_slice(&request[4..20]);
    // MAPPED-ADDRESS, for older clients.
    answer.extend_from_slice(&[0x00, 0x01, 0x00, 0x08, 0x00, 0x01]);
    answer.extend_from_slice(&port);
    answer.extend_from_slice(&ip);
    // XOR-MAPPED-ADDRESS.
    answer.extend_from_slice(&[0x00, 0x20, 0x00, 0x08, 0x00, 0x01]);
    answer.extend_from_slice(&[port[0] ^ COOKIE[0], port[1] ^ COOKIE[1]]);
    answer.extend((0..4).map(|i| ip[i] ^ COOKIE[i]));
    Some(answer)
}

/// The router's firewall: NAT from the LAN, nothing new in from the WAN except what miniupnpd
/// forwards (it fills the three `*miniupnpd` chains).
const ROUTER_NFT: &str = r#"
table inet ttt {
    chain input {
        type filter hook input priority 0; policy accept;
        iifname "wan0" ct state established,related accept
        iifname "wan0" drop
    }
    chain forward {
        type filter hook forward priority 0; policy drop;
        ct state established,related accept
        iifname "br0" oifname "wan0" accept
        jump miniupnpd
    }
    chain miniupnpd {
    }
    chain prerouting {
        type nat hook prerouting priority -100; policy accept;
        jump prerouting_miniupnpd
    }
    chain prerouting_miniupnpd {
    }
    chain postrouting {
        type nat hook postrouting priority 100; policy accept;
        jump postrouting_miniupnpd
        oifname "wan0" ip saddr 192.168.77.0/24 masquerade
    }
    chain postrouting_miniupnpd {
    }
}
"#;
