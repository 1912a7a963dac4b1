//! Helpers shared by the network tests: short timings, handles on loopback, bounded waits.

#![expect(clippy::unwrap_used, reason = "test helpers fail loudly")]

use std::time::Duration;

use tictactoe::net::discovery::{Advert, Advertiser, Mdns};
use tictactoe::net::{
    HostConfig, HostHandle, JoinConfig, JoinHandle, NetError, NetEvent, PROTOCOL_VERSION, Reach,
    Refusal, Stage, Timing, View, host, join, no_wake,
};

/// The longest any single wait in a test may take.
pub const LIMIT: Duration = Duration::from_secs(10);

/// Timings short enough for tests.
pub fn fast_timing() -> Timing {
    Timing {
        ping_every: Duration::from_millis(100),
        dead_after: Duration::from_millis(800),
        hello_timeout: Duration::from_millis(500),
        grace: Duration::from_millis(600),
        connect_timeout: Duration::from_secs(2),
        backoff_first: Duration::from_millis(20),
        backoff_max: Duration::from_millis(100),
        give_up_after: Duration::from_secs(5),
        write_timeout: Duration::from_secs(2),
        give_up_busy_after: Duration::from_secs(5),
    }
}

pub use super::cell;

/// A host called Ann with test timings.
pub fn host_config() -> HostConfig {
    HostConfig {
        name: "Ann".to_owned(),
        timing: fast_timing(),
        ..HostConfig::default()
    }
}

/// A joiner called Bob with test timings.
pub fn join_config() -> JoinConfig {
    JoinConfig {
        name: "Bob".to_owned(),
        timing: fast_timing(),
        ..JoinConfig::default()
    }
}

/// The computer at `level` (seeded with `seed`) as a player that asks for the next game as soon
/// as one ends: a host's or a joiner's `driver`.
pub fn computer_asking_rematch(
    level: tictactoe::game::Level,
    seed: u64,
) -> Option<Box<dyn tictactoe::game::Driver>> {
    let computer = tictactoe::game::Computer::new(level, seed);
    Some(Box::new(
        tictactoe::game::Bot::new(computer).asking_rematch(true),
    ))
}

/// A host on `127.0.0.1:0`, for a test sharing the machine ([`super::share_the_machine`]).
pub fn start_host(config: HostConfig) -> HostHandle {
    super::share_the_machine();
    init_logs();
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    host::start_on(vec![listener], config, no_wake()).unwrap()
}

/// A runtime for a [`Proxy`] used from a test without one (a window's test): the proxy's tasks
/// keep running on its worker between calls.
pub fn proxy_runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .thread_name("test-proxy")
        .enable_all()
        .build()
        .unwrap_or_else(|error| panic!("no runtime for the proxy: {error}"))
}

/// Multicast DNS kept on 127.0.0.1, on a UDP port no other test uses: no packet leaves this
/// computer. The test shares the machine from now on ([`super::share_the_machine`]).
pub fn loopback_mdns() -> Mdns {
    super::share_the_machine();
    let socket = std::net::UdpSocket::bind("127.0.0.1:0").unwrap();
    Mdns::loopback(socket.local_addr().unwrap().port())
}

/// A host on `127.0.0.1:0` listed on `mdns`, otherwise as `config` says; its port.
pub fn start_listed(mdns: Mdns, config: HostConfig) -> (HostHandle, u16) {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let config = HostConfig {
        reach: Reach {
            listed: Some(mdns),
            ..Reach::default()
        },
        ..config
    };
    let host = host::start_on(vec![listener], config, no_wake()).unwrap();
    (host, port)
}

/// A game called Old listed on `mdns` at 127.0.0.1:7001 by an app of the next protocol
/// version (9.0.0), waiting for a joiner.
pub fn old_version_listed(mdns: Mdns, seat_code: bool) -> Advertiser {
    let advert = Advert {
        name: "Old".to_owned(),
        port: 7001,
        seat_code,
        protocol: PROTOCOL_VERSION + 1,
        app: "9.0.0".to_owned(),
        watch: false,
        playing: false,
        game: tictactoe::game::Variant::Classic,
    };
    Advertiser::start(&advert, mdns).unwrap()
}

/// The loopback address of `host`.
pub fn host_addr(host: &HostHandle) -> String {
    format!("127.0.0.1:{}", host.port())
}

/// Logs to the test output when `RUST_LOG` is set.
pub fn init_logs() {
    use tracing_subscriber::prelude::*;

    let filter = std::env::var("RUST_LOG").ok().and_then(|directives| {
        directives
            .parse::<tracing_subscriber::filter::Targets>()
            .ok()
    });
    if let Some(filter) = filter {
        let _ignored = tracing_subscriber::registry()
            .with(tracing_subscriber::fmt::layer().with_test_writer())
            .with(filter)
            .try_init();
    }
}

/// Starts joining `ip_port`, for a test sharing the machine ([`super::share_the_machine`]).
pub fn start_join(ip_port: &str, config: JoinConfig) -> JoinHandle {
    super::share_the_machine();
    join::start(ip_port, config, no_wake())
}

/// Either handle, for the waiting helpers.
pub trait Events {
    /// The next event; `None` once the handle stopped.
    fn next(&mut self) -> impl Future<Output = Option<NetEvent>>;
}

impl Events for HostHandle {
    fn next(&mut self) -> impl Future<Output = Option<NetEvent>> {
        self.recv()
    }
}

impl Events for JoinHandle {
    fn next(&mut self) -> impl Future<Output = Option<NetEvent>> {
        self.recv()
    }
}

/// Waits (bounded) for an event that `pick` accepts; panics with what was seen otherwise.
pub async fn wait_event<H: Events, T>(
    handle: &mut H,
    what: &str,
    mut pick: impl FnMut(&NetEvent) -> Option<T>,
) -> T {
    let mut seen = Vec::new();
    let found = tokio::time::timeout(LIMIT, async {
        while let Some(event) = handle.next().await {
            if let Some(found) = pick(&event) {
                return Some(found);
            }
            seen.push(event);
        }
        None
    })
    .await;
    match found {
        Ok(Some(found)) => found,
        Ok(None) => panic!("the handle stopped before {what}; saw {seen:#?}"),
        Err(elapsed) => panic!("{elapsed} waiting for {what}; saw {seen:#?}"),
    }
}

/// Waits for a view that satisfies `test`.
pub async fn wait_view<H: Events>(
    handle: &mut H,
    what: &str,
    test: impl Fn(&View) -> bool,
) -> View {
    wait_event(handle, what, |event| match event {
        NetEvent::State(view) if test(view) => Some((**view).clone()),
        _ => None,
    })
    .await
}

/// Waits for `stage`.
pub async fn wait_stage<H: Events>(handle: &mut H, stage: Stage) {
    let what = format!("stage {stage:?}");
    wait_event(handle, &what, |event| {
        (*event == NetEvent::Stage(stage.clone())).then_some(())
    })
    .await;
}

/// Waits until `host` holds the seat of a joiner gone away; the view then.
pub async fn wait_away(host: &mut HostHandle, what: &str) -> View {
    wait_view(host, what, |view| {
        matches!(view.opponent, tictactoe::net::Presence::Away { .. })
    })
    .await
}

/// Waits for a line of chat.
pub async fn wait_chat<H: Events>(handle: &mut H, what: &str) -> tictactoe::net::ChatLine {
    wait_event(handle, what, |event| match event {
        NetEvent::Chat(line) => Some(line.clone()),
        _ => None,
    })
    .await
}

/// Waits until both sides are playing.
pub async fn both_playing(host: &mut HostHandle, joiner: &mut JoinHandle) {
    wait_stage(joiner, Stage::Playing).await;
    wait_stage(host, Stage::Playing).await;
}

/// Waits for an error.
pub async fn wait_error<H: Events>(handle: &mut H) -> NetError {
    wait_event(handle, "an error", |event| match event {
        NetEvent::Error(error) => Some(error.clone()),
        _ => None,
    })
    .await
}

/// Waits for a refusal and returns its reason.
pub async fn wait_refused<H: Events>(handle: &mut H) -> Refusal {
    wait_event(handle, "a refusal", |event| match event {
        NetEvent::Refused { reason, .. } => Some(*reason),
        _ => None,
    })
    .await
}

/// Waits until both sides show the same version `v`, and returns both views.
pub async fn both_at(host: &mut HostHandle, joiner: &mut JoinHandle, v: u64) -> (View, View) {
    let h = wait_view(host, &format!("host at v{v}"), |view| view.state.v() == v).await;
    let j = wait_view(joiner, &format!("joiner at v{v}"), |view| {
        view.state.v() == v && view.pending.is_none()
    })
    .await;
    (h, j)
}

/// Host and joiner connected and both playing.
pub async fn connected_pair(hc: HostConfig, jc: JoinConfig) -> (HostHandle, JoinHandle) {
    let mut host = start_host(hc);
    let mut joiner = start_join(&host_addr(&host), jc);
    both_playing(&mut host, &mut joiner).await;
    (host, joiner)
}

/// A joiner's connection as a host scripted by the test sees it.
pub type JoinerSide = tokio_tungstenite::WebSocketStream<tokio::net::TcpStream>;

/// A listener on `127.0.0.1:0` for a scripted host, and its address.
pub async fn script_listener() -> (tokio::net::TcpListener, String) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap().to_string();
    (listener, addr)
}

/// Accepts a joiner's connection on `listener` (bounded) and reads its `hello`: the scripted
/// host's side, and the hello.
pub async fn accept_joiner(listener: &tokio::net::TcpListener) -> (JoinerSide, serde_json::Value) {
    let (tcp, _) = tokio::time::timeout(LIMIT, listener.accept())
        .await
        .unwrap()
        .unwrap();
    let mut ws = tokio_tungstenite::accept_async(tcp).await.unwrap();
    let hello = next_from_joiner(&mut ws).await;
    assert_eq!(hello["type"], "hello");
    (ws, hello)
}

/// A joiner (Bob, test timings) joining a host the test scripts: both sides of the connection.
pub async fn joined_to_script() -> (JoinHandle, JoinerSide, serde_json::Value) {
    let (listener, addr) = script_listener().await;
    let joiner = start_join(&addr, join_config());
    let (ws, hello) = accept_joiner(&listener).await;
    (joiner, ws, hello)
}

/// Sends `value` to the joiner as one text frame.
pub async fn send_json(ws: &mut JoinerSide, value: &serde_json::Value) {
    use futures_util::SinkExt as _;
    ws.send(tokio_tungstenite::tungstenite::Message::text(
        value.to_string(),
    ))
    .await
    .unwrap();
}

/// The next message from the joiner that is not a heartbeat, its pings answered (bounded).
pub async fn next_from_joiner(ws: &mut JoinerSide) -> serde_json::Value {
    use futures_util::StreamExt as _;
    for _ in 0..200 {
        let msg = tokio::time::timeout(LIMIT, ws.next())
            .await
            .unwrap()
            .unwrap()
            .unwrap();
        if let tokio_tungstenite::tungstenite::Message::Text(text) = msg {
            let value: serde_json::Value = serde_json::from_str(&text).unwrap();
            if value["type"] == "ping" {
                send_json(ws, &serde_json::json!({"type": "pong", "t": value["t"]})).await;
            } else if value["type"] != "pong" {
                return value;
            }
        }
    }
    panic!("nothing but heartbeats");
}

/// A plain WebSocket client speaking raw JSON text, knowing nothing of the project's message types.
pub struct RawClient {
    /// The WebSocket stream.
    pub ws: tokio_tungstenite::WebSocketStream<
        tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>,
    >,
}

/// What a raw client read.
#[derive(Debug)]
pub enum Raw {
    /// A JSON text message.
    Json(serde_json::Value),
    /// A close frame with its code.
    Closed(Option<u16>),
}

impl RawClient {
    /// Connects to `ip_port` (no `hello` yet), for a test sharing the machine.
    pub async fn connect(ip_port: &str) -> Self {
        super::share_the_machine();
        let url = format!("ws://{ip_port}/");
        let (ws, _) = tokio::time::timeout(LIMIT, tokio_tungstenite::connect_async(url))
            .await
            .unwrap()
            .unwrap();
        Self { ws }
    }

    /// Sends one text frame.
    pub async fn send_text(&mut self, text: impl Into<String>) {
        use futures_util::SinkExt as _;
        let text: String = text.into();
        self.ws
            .send(tokio_tungstenite::tungstenite::Message::text(text))
            .await
            .unwrap();
    }

    /// Sends a JSON value as one text frame.
    pub async fn send(&mut self, value: serde_json::Value) {
        self.send_text(value.to_string()).await;
    }

    /// The next JSON message or close, skipping the host's pings; bounded by [`LIMIT`].
    pub async fn next(&mut self) -> Raw {
        use futures_util::StreamExt as _;
        use tokio_tungstenite::tungstenite::Message;
        tokio::time::timeout(LIMIT, async {
            loop {
                match self.ws.next().await {
                    Some(Ok(Message::Text(text))) => {
                        let value: serde_json::Value = serde_json::from_str(&text).unwrap();
                        if value["type"] == "ping" {
                            continue;
                        }
                        return Raw::Json(value);
                    }
                    Some(Ok(Message::Close(frame))) => {
                        return Raw::Closed(frame.map(|f| u16::from(f.code)));
                    }
                    Some(Ok(_)) => {}
                    Some(Err(_)) | None => return Raw::Closed(None),
                }
            }
        })
        .await
        .unwrap()
    }

    /// The next JSON message; panics on a close.
    pub async fn json(&mut self) -> serde_json::Value {
        match self.next().await {
            Raw::Json(value) => value,
            Raw::Closed(code) => panic!("closed ({code:?}) while expecting a message"),
        }
    }

    /// Reads messages until one has `"type": ty`, and returns it; bounded.
    pub async fn until(&mut self, ty: &str) -> serde_json::Value {
        for _ in 0..100 {
            let value = self.json().await;
            if value["type"] == ty {
                return value;
            }
        }
        panic!("no {ty} in 100 messages");
    }

    /// Expects the connection to close, and returns the close code.
    pub async fn closed(&mut self) -> Option<u16> {
        for _ in 0..100 {
            if let Raw::Closed(code) = self.next().await {
                return code;
            }
        }
        panic!("the connection stayed open");
    }

    /// Says `hello` as `name` and returns the answer (`welcome` or `reject`).
    pub async fn hello(&mut self, name: &str) -> serde_json::Value {
        self.send(serde_json::json!({"type": "hello", "protocol": 1, "app": "raw", "name": name}))
            .await;
        self.json().await
    }
}

/// A TCP proxy between a joiner and a host that a test can cut, black-hole or stop: the honest way
/// to drop a connection.
pub struct Proxy {
    /// The address joiners connect to.
    pub addr: std::net::SocketAddr,
    state: std::sync::Arc<ProxyState>,
    accept: tokio::task::JoinHandle<()>,
}

#[derive(Default)]
struct ProxyState {
    /// Bytes from the host are thrown away (the joiner hears nothing).
    hold_down: std::sync::atomic::AtomicBool,
    /// Bytes in both directions are thrown away (a dead link that never closes).
    freeze: std::sync::atomic::AtomicBool,
    /// New connections are closed at once (the link is down).
    down: std::sync::atomic::AtomicBool,
    pipes: std::sync::Mutex<Vec<tokio::task::AbortHandle>>,
}

impl Proxy {
    /// Starts a proxy to `upstream` on `127.0.0.1:0` (inside the test's runtime).
    pub async fn start(upstream: std::net::SocketAddr) -> Self {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let state = std::sync::Arc::new(ProxyState::default());
        let shared = std::sync::Arc::clone(&state);
        let accept = tokio::spawn(async move {
            while let Ok((down, _)) = listener.accept().await {
                if shared.down.load(std::sync::atomic::Ordering::SeqCst) {
                    continue;
                }
                let Ok(up) = tokio::net::TcpStream::connect(upstream).await else {
                    continue;
                };
                down.set_nodelay(true).unwrap();
                up.set_nodelay(true).unwrap();
                let (down_read, down_write) = down.into_split();
                let (up_read, up_write) = up.into_split();
                let to_host = tokio::spawn(pipe(
                    down_read,
                    up_write,
                    std::sync::Arc::clone(&shared),
                    false,
                ));
                let to_joiner = tokio::spawn(pipe(
                    up_read,
                    down_write,
                    std::sync::Arc::clone(&shared),
                    true,
                ));
                let mut pipes = shared.pipes.lock().unwrap();
                pipes.push(to_host.abort_handle());
                pipes.push(to_joiner.abort_handle());
            }
        });
        Self {
            addr,
            state,
            accept,
        }
    }

    /// The proxy's address as text.
    pub fn ip_port(&self) -> String {
        self.addr.to_string()
    }

    /// Cuts every open connection (both ends see it close); new connections still pass.
    pub fn cut(&self) {
        for pipe in self.state.pipes.lock().unwrap().drain(..) {
            pipe.abort();
        }
        self.state
            .hold_down
            .store(false, std::sync::atomic::Ordering::SeqCst);
        self.state
            .freeze
            .store(false, std::sync::atomic::Ordering::SeqCst);
    }

    /// From now on, throws away what the host sends (until [`Self::cut`]).
    pub fn hold_down(&self) {
        self.state
            .hold_down
            .store(true, std::sync::atomic::Ordering::SeqCst);
    }

    /// From now on, throws away everything both ways without closing (until [`Self::cut`]).
    pub fn freeze(&self) {
        self.state
            .freeze
            .store(true, std::sync::atomic::Ordering::SeqCst);
    }

    /// Cuts every open connection and closes new ones at once while `down` (the link is down), or
    /// lets them through again.
    pub fn set_down(&self, down: bool) {
        self.state
            .down
            .store(down, std::sync::atomic::Ordering::SeqCst);
        if down {
            self.cut();
        }
    }

    /// Cuts everything and stops accepting: the host is unreachable from now on.
    pub fn stop(&self) {
        self.accept.abort();
        self.cut();
    }
}

impl Drop for Proxy {
    fn drop(&mut self) {
        self.stop();
    }
}

async fn pipe(
    mut from: tokio::net::tcp::OwnedReadHalf,
    mut to: tokio::net::tcp::OwnedWriteHalf,
    state: std::sync::Arc<ProxyState>,
    downstream: bool,
) {
    use std::sync::atomic::Ordering::SeqCst;
    use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
    let mut buf = vec![0_u8; 16 * 1024];
    loop {
        let n = match from.read(&mut buf).await {
            Ok(0) | Err(_) => return,
            Ok(n) => n,
        };
        let drop_it = state.freeze.load(SeqCst) || (downstream && state.hold_down.load(SeqCst));
        if !drop_it && to.write_all(&buf[..n]).await.is_err() {
            return;
        }
    }
}
