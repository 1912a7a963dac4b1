//! `tictactoe relay`: a relay for friends whose computers cannot reach each other directly, and
//! how the terminal's host picks its relays and keeps its identity on the peer-to-peer path.

use std::process::ExitCode;

use anyhow::Context as _;

use crate::net::lan;
use crate::net::p2p::relay::{RelayCert, RelayServer};
use crate::net::p2p::{Identity, RelaySpec, Relays};
use crate::store::KeyStore;

/// The command line of `tictactoe relay`.
#[derive(Clone, Debug, clap::Args)]
pub struct RelayArgs {
    /// Where to serve: HTTPS on this TCP port and address discovery on the same UDP port
    #[arg(long, value_name = "IP:PORT", default_value_t = std::net::SocketAddr::from(([0, 0, 0, 0], crate::net::p2p::relay::DEFAULT_RELAY_PORT)))]
    pub listen: std::net::SocketAddr,
    /// The address friends reach this computer at, when it is not the one listened on (default:
    /// that one, or this computer's first public address)
    #[arg(long, value_name = "IP")]
    pub public: Option<std::net::IpAddr>,
}

/// The relays to use: `--relay`, else `TICTACTOE_RELAY`, else the public ones. `off` is none.
pub(crate) fn relays_from(arg: Option<&str>) -> anyhow::Result<Relays> {
    let env = std::env::var("TICTACTOE_RELAY").ok();
    match arg.or(env.as_deref()).map(str::trim) {
        None | Some("") => Ok(Relays::Public),
        Some(text) if text.eq_ignore_ascii_case("off") => Ok(Relays::Off),
        Some(text) => Ok(Relays::Own(text.parse::<RelaySpec>()?)),
    }
}

/// This computer's identity as a host, kept in the data folder.
pub(crate) fn identity() -> Identity {
    let key = KeyStore::from_os().load_or_make(|| Identity::generate().to_bytes());
    Identity::from_bytes(&key)
}

/// Runs `tictactoe relay` until Ctrl+C.
pub fn relay_main(args: &RelayArgs) -> anyhow::Result<ExitCode> {
    let public = args
        .public
        .or_else(|| (!args.listen.ip().is_unspecified()).then_some(args.listen.ip()))
        .or_else(|| lan::friend_addrs().first().map(|addr| addr.ip))
        .context("no address of this computer to announce: give one with --public")?;
    let cert = match crate::store::keys::relay_cert_path() {
        Some(path) => RelayCert::kept_at(&path, public)?,
        None => RelayCert::generate(public)?,
    };
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()?;
    runtime.block_on(async {
        let server = RelayServer::start(args.listen, public, &cert).await?;
        println!("relay: {}", server.spec());
        tokio::signal::ctrl_c().await?;
        eprintln!("stopping the relay…");
        server.stop().await;
        anyhow::Ok(())
    })?;
    Ok(ExitCode::SUCCESS)
}
