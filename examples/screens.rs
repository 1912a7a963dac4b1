//! A tour of every screen in the real window, each saved as a PNG: the pictures in
//! `docs/screens/`. `scripts/screens` runs it under Xvfb at each size in both themes:
//!
//! ```text
//! screens OUT_DIR WIDTHxHEIGHT light|dark
//! ```
//!
//! The window is the app's own, drawn by eframe's renderer; the opponent in the network screens
//! is a second `App` in an `egui_kittest` harness, over a real socket on 127.0.0.1. The last
//! steps, on the peer-to-peer path, go over the app's fake network instead, where the tour plays
//! the network side: a relay connected and a match through it, then direct, need two homes on
//! the internet that one computer does not have. Each step gives the commands a player would
//! (through `App::apply`), waits until the screen shows what it should, then asks the window
//! for a screenshot.

#![expect(
    clippy::unwrap_used,
    reason = "a maintainer's tool: a failure stops the tour"
)]

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::mpsc::{Receiver, SyncSender};
use std::time::{Duration, Instant};

use egui_kittest::Harness;
use tictactoe::app::screens::net_match::NetMatch;
use tictactoe::app::session::WindowRelays;
use tictactoe::app::session::fake::{FakeNetwork, FakePeer, FakePeers};
use tictactoe::app::{App, Command, Replay, Screen, SettingsStore};
use tictactoe::game::{Cell, Computer, Intent, Level, Match, Player, Variant};
use tictactoe::net::invite::Invite;
use tictactoe::net::p2p::{P2pAddr, RelaySpec, Route};
use tictactoe::net::{NetEvent, Presence, Stage, View};
use tictactoe::record::{Ending, Mode, Record, Role};
use tictactoe::store::{HistoryStore, RelayChoice, RelaySetting};

/// How long one step may wait for its screen before the tour gives up.
const STEP_DEADLINE: Duration = Duration::from_secs(20);
/// Frames drawn, and time let pass, after a screen is ready and before the picture: layout
/// settles, animations (the winning line's) end.
const SETTLE_FRAMES: u32 = 12;
const SETTLE: Duration = Duration::from_millis(700);

/// Who does what in a step.
struct Tour {
    /// The window photographed.
    app: App,
    /// The friend at the other end of the network screens.
    friend: Harness<'static, App>,
    /// A second friend, who plays the friend while the window watches.
    guest: Harness<'static, App>,
    /// The fake network the window moves to for the peer-to-peer steps, until it does.
    fake_network: Option<FakeNetwork>,
    /// Where the window's sessions on the fake network arrive.
    fake_peers: FakePeers,
    /// The other end of the window's session on the fake network.
    peer: Option<FakePeer>,
}

/// One picture: what to do, and when the screen is ready.
struct Step {
    name: &'static str,
    act: fn(&mut Tour),
    ready: fn(&Tour) -> bool,
}

fn play(cell: i64) -> Command {
    Command::Intent(Intent::Play(Cell::from_number(cell).unwrap()))
}

/// Both players of the match at this computer on screen play as the computer at medium would,
/// `moves` times or until the game ends: a game that looks played.
fn computer_plays(t: &mut Tour, moves: usize) {
    let mut computer = Computer::new(Level::Medium, 7);
    for _ in 0..moves {
        let Some(cell) = t
            .app
            .screen()
            .series()
            .and_then(|series| computer.choose(series.game()))
        else {
            break;
        };
        t.app.apply(Command::Intent(Intent::Play(cell)));
    }
}

fn always(_: &Tour) -> bool {
    true
}

fn net(app: &App) -> Option<&NetMatch> {
    app.net_match()
}

fn both_connected(tour: &Tour) -> bool {
    let connected = |app: &App| {
        net(app).is_some_and(|n| n.view.connected && n.view.opponent == Presence::Connected)
    };
    connected(&tour.app) && connected(tour.friend.state())
}

fn moves_seen(app: &App) -> usize {
    net(app).map_or(0, |n| n.view.state.game().moves().len())
}

/// A relay run by a friend, as its URL is pasted: an address for documentation and the
/// fingerprint of its certificate.
const FRIENDS_RELAY: &str = "https://203.0.113.10:3340/#sha256=\
    3f9a1c0e5b7d2846af13c9e07b5d4a2f8e6c1b3d9a0f7e5c2b4d6a8e0c1f3a5b";

/// The window on the fake network from now on, its hosted games using the relay it chooses.
fn onto_fake_network(t: &mut Tour) {
    if let Some(network) = t.fake_network.take() {
        let app = std::mem::replace(&mut t.app, App::new(SettingsStore::in_memory()));
        t.app = app.with_network(network).with_relays(WindowRelays::Chosen);
    }
}

/// The match between Bob, hosting, and the window (Ann, O), as the fake network shows it:
/// connected, with a round trip of `rtt_ms`.
fn joined_view(rtt_ms: u64) -> Box<View> {
    let mut view = View::of(
        &Match::networked("Bob", "Ann"),
        tictactoe::game::Role::Joiner,
        Player::O,
    );
    view.rtt = Some(Duration::from_millis(rtt_ms));
    Box::new(view)
}

fn route(t: &Tour) -> Option<&Route> {
    net(&t.app).and_then(|n| n.route.as_ref())
}

const STEPS: &[Step] = &[
    Step {
        name: "menu",
        act: |_| {},
        ready: always,
    },
    Step {
        name: "names",
        act: |t| t.app.apply(Command::OpenHotSeatNames),
        ready: always,
    },
    Step {
        name: "hot-seat-hints",
        act: |t| {
            t.app.apply(Command::StartHotSeat {
                x_name: "Ann".to_owned(),
                o_name: "Bob".to_owned(),
                game: Variant::Classic,
            });
            t.app.apply(Command::SetShowHints(true));
            for cell in [1, 5, 9] {
                t.app.apply(play(cell));
            }
        },
        ready: always,
    },
    Step {
        name: "hot-seat-won",
        act: |t| {
            t.app.apply(Command::SetShowHints(false));
            for cell in [2, 7, 4, 8] {
                t.app.apply(play(cell));
            }
        },
        ready: always,
    },
    Step {
        name: "menu-continue",
        act: |t| t.app.apply(Command::BackToMenu),
        ready: always,
    },
    Step {
        name: "computer-form",
        act: |t| t.app.apply(Command::OpenComputerSetup),
        ready: always,
    },
    Step {
        name: "computer-match",
        act: |t| {
            t.app.apply(Command::StartVsComputer {
                name: "Ann".to_owned(),
                level: Level::Hard,
                mark: Player::X,
                game: Variant::Classic,
            });
            t.app.apply(play(5));
        },
        ready: |t| {
            t.app
                .vs_computer()
                .is_some_and(|vs| vs.series().game().moves().len() == 2)
        },
    },
    Step {
        name: "ultimate-hints",
        act: |t| {
            t.app.apply(Command::StartHotSeat {
                x_name: "Ann".to_owned(),
                o_name: "Bob".to_owned(),
                game: Variant::Ultimate,
            });
            t.app.apply(Command::SetShowHints(true));
            computer_plays(t, 24);
        },
        // The suggestion is searched on a thread of its own.
        ready: |t| {
            t.app
                .hot_seat()
                .is_some_and(|series| t.app.suggestion(series.game()).is_some())
        },
    },
    Step {
        name: "ultimate-won",
        act: |t| {
            t.app.apply(Command::SetShowHints(false));
            computer_plays(t, 81);
        },
        ready: always,
    },
    Step {
        name: "gomoku",
        act: |t| {
            t.app.apply(Command::StartHotSeat {
                x_name: "Ann".to_owned(),
                o_name: "Bob".to_owned(),
                game: Variant::Gomoku,
            });
            computer_plays(t, 15);
        },
        ready: always,
    },
    Step {
        name: "gomoku-won",
        act: |t| computer_plays(t, 225),
        ready: always,
    },
    Step {
        name: "ultimate-computer",
        act: |t| {
            t.app.apply(Command::StartVsComputer {
                name: "Ann".to_owned(),
                level: Level::Hard,
                mark: Player::X,
                game: Variant::Ultimate,
            });
            t.app.apply(Command::Intent(Intent::Play(
                Variant::Ultimate.parse_move("5 5").unwrap(),
            )));
        },
        ready: |t| {
            t.app
                .vs_computer()
                .is_some_and(|vs| vs.series().game().moves().len() == 2)
        },
    },
    Step {
        name: "host-form",
        act: |t| t.app.apply(Command::OpenHostForm),
        ready: always,
    },
    Step {
        name: "hosting",
        act: |t| {
            t.app.apply(Command::StartHost {
                name: "Ann".to_owned(),
                port: "0".to_owned(),
                seat_code: true,
                router: false,
                relay: RelaySetting::default(),
                game: Variant::Classic,
            });
        },
        ready: |t| t.app.hosting().is_some(),
    },
    Step {
        name: "network-host",
        act: |t| {
            let hosting = t.app.hosting().unwrap();
            let join = Command::StartJoin {
                name: "Bob".to_owned(),
                ip_port: format!("127.0.0.1:{}", hosting.port),
                seat_code: hosting.seat_code.clone().unwrap_or_default(),
            };
            t.friend.state_mut().apply(join);
        },
        ready: |t| {
            let ready = both_connected(t);
            ready && moves_seen(&t.app) == 0
        },
    },
    Step {
        name: "network-host-playing",
        act: |t| t.app.apply(play(5)),
        ready: |t| moves_seen(t.friend.state()) == 1,
    },
    Step {
        name: "network-opponent-left",
        act: |t| t.friend.state_mut().apply(Command::BackToMenu),
        ready: |t| net(&t.app).is_some_and(NetMatch::finished),
    },
    Step {
        name: "join-form",
        act: |t| {
            t.app.apply(Command::BackToMenu);
            t.app.apply(Command::OpenJoinForm);
        },
        ready: always,
    },
    Step {
        name: "join-error",
        // Nobody listens on port 9 of this machine's loopback: the join fails and says so.
        act: |t| {
            t.app.apply(Command::StartJoin {
                name: "Ann".to_owned(),
                ip_port: "127.0.0.1:9".to_owned(),
                seat_code: String::new(),
            });
        },
        ready: |t| matches!(t.app.screen(), Screen::Join(form) if form.error.is_some()),
    },
    Step {
        name: "join-invite",
        act: |t| {
            t.app.apply(Command::BackToMenu);
            t.app.apply(Command::OpenInvite(
                "tictactoe://join?name=Bob&code=K7QM-3XRD&addr=203.0.113.7%3A7878\
                 &addr=192.168.1.5%3A7878"
                    .to_owned(),
            ));
        },
        ready: always,
    },
    Step {
        name: "network-joiner",
        act: |t| {
            t.friend.state_mut().apply(Command::StartHost {
                name: "Bob".to_owned(),
                port: "0".to_owned(),
                seat_code: false,
                router: false,
                relay: RelaySetting::default(),
                game: Variant::Classic,
            });
            for _ in 0..3 {
                t.friend.step();
            }
            let port = t.friend.state().hosting().unwrap().port;
            t.app.apply(Command::StartJoin {
                name: "Ann".to_owned(),
                ip_port: format!("127.0.0.1:{port}"),
                seat_code: String::new(),
            });
        },
        ready: both_connected,
    },
    Step {
        name: "network-joiner-your-turn",
        act: |t| t.friend.state_mut().apply(play(1)),
        ready: |t| moves_seen(&t.app) == 1,
    },
    Step {
        name: "network-chat",
        act: |t| {
            // The window's own line first: it is shown at once, the friend's after a trip over
            // the network, so the lines stand in the order the pictures have always shown.
            t.app.apply(Command::ShowChat(true));
            t.app.apply(Command::Chat("Thanks, you too".to_owned()));
            t.friend
                .state_mut()
                .apply(Command::Chat("Good luck!".to_owned()));
        },
        ready: |t| net(&t.app).is_some_and(|n| n.chat.len() == 2),
    },
    Step {
        name: "watching",
        // The friend hosts anew and the guest joins; the window watches their game.
        act: |t| {
            t.app.apply(Command::BackToMenu);
            t.friend.state_mut().apply(Command::BackToMenu);
            t.friend.state_mut().apply(Command::StartHost {
                name: "Bob".to_owned(),
                port: "0".to_owned(),
                seat_code: false,
                router: false,
                relay: RelaySetting::default(),
                game: Variant::Classic,
            });
            for _ in 0..3 {
                t.friend.step();
            }
            let ip_port = format!("127.0.0.1:{}", t.friend.state().hosting().unwrap().port);
            t.guest.state_mut().apply(Command::StartJoin {
                name: "Cy".to_owned(),
                ip_port: ip_port.clone(),
                seat_code: String::new(),
            });
            let start = Instant::now();
            while !net(t.friend.state()).is_some_and(|n| n.view.opponent == Presence::Connected)
                || net(t.guest.state()).is_none()
            {
                assert!(start.elapsed() < STEP_DEADLINE, "the guest never joined");
                t.friend.step();
                t.guest.step();
                std::thread::sleep(Duration::from_millis(5));
            }
            t.friend.state_mut().apply(play(5));
            t.app.apply(Command::StartWatch {
                name: "Ann".to_owned(),
                ip_port,
                seat_code: String::new(),
            });
        },
        ready: |t| {
            net(&t.app).is_some_and(|n| n.watching() && n.view.watchers == 1)
                && moves_seen(&t.app) == 1
        },
    },
    Step {
        name: "watching-chat",
        act: |t| {
            t.guest.state_mut().apply(play(1));
            t.friend
                .state_mut()
                .apply(Command::Chat("Nice one".to_owned()));
            t.app.apply(Command::ShowChat(true));
        },
        ready: |t| moves_seen(&t.app) == 2 && net(&t.app).is_some_and(|n| n.chat.len() == 1),
    },
    Step {
        name: "statistics",
        act: |t| {
            t.app.apply(Command::BackToMenu);
            t.guest.state_mut().apply(Command::BackToMenu);
            t.app.apply(Command::OpenStatistics);
        },
        ready: always,
    },
    Step {
        name: "history",
        act: |t| t.app.apply(Command::OpenHistory),
        ready: always,
    },
    Step {
        name: "replay",
        act: |t| {
            let record = t.app.records().first().unwrap().clone();
            let replay = Replay::from_record("Game of 2026-11-26 18:05".to_owned(), &record);
            t.app.apply(Command::OpenReplay(Box::new(replay)));
            t.app
                .apply(Command::Replay(tictactoe::app::ReplayStep::Back));
        },
        ready: always,
    },
    Step {
        name: "hosting-invite",
        // Hosting with a friend's relay: the relay answers a moment later, and the invite link
        // then carries it.
        act: |t| {
            t.app.apply(Command::BackToMenu);
            onto_fake_network(t);
            t.app.apply(Command::StartHost {
                name: "Ann".to_owned(),
                port: "7878".to_owned(),
                seat_code: true,
                router: false,
                relay: RelaySetting {
                    choice: RelayChoice::Own,
                    url: FRIENDS_RELAY.to_owned(),
                },
                game: Variant::Classic,
            });
            let peer = t.fake_peers.next().unwrap();
            let key = t.app.hosting().unwrap().p2p.clone().unwrap().key;
            peer.set_p2p_addr(Some(P2pAddr {
                key,
                relay: Some(FRIENDS_RELAY.parse::<RelaySpec>().unwrap()),
                direct: vec!["192.0.2.5:51820".parse().unwrap()],
            }));
            t.peer = Some(peer);
        },
        ready: |t| {
            t.app
                .hosting()
                .is_some_and(|h| h.p2p.as_ref().is_some_and(|p2p| p2p.relay.is_some()))
        },
    },
    Step {
        name: "network-relay",
        // Bob's link, with his key and his relay: the window joins through the relay first.
        act: |t| {
            t.app.apply(Command::BackToMenu);
            let link = Invite {
                name: "Bob".to_owned(),
                game: tictactoe::game::Variant::Classic,
                seat_code: None,
                addrs: Vec::new(),
                p2p: Some(P2pAddr {
                    key: "5e".repeat(32),
                    relay: Some(FRIENDS_RELAY.parse::<RelaySpec>().unwrap()),
                    direct: vec!["198.51.100.23:40112".parse().unwrap()],
                }),
            };
            t.app.apply(Command::OpenInvite(link.to_link()));
            t.app.apply(Command::StartJoinInvite {
                name: "Ann".to_owned(),
                seat_code: String::new(),
                watch: false,
            });
            let peer = t.fake_peers.next().unwrap();
            peer.send(NetEvent::Stage(Stage::Playing));
            peer.send(NetEvent::Route(Route::Relay {
                url: FRIENDS_RELAY.to_owned(),
            }));
            peer.send(NetEvent::State(joined_view(92)));
            t.peer = Some(peer);
        },
        ready: |t| matches!(route(t), Some(Route::Relay { .. })),
    },
    Step {
        name: "network-direct",
        // A moment later both routers are punched through: the same match, direct.
        act: |t| {
            let peer = t.peer.as_ref().unwrap();
            peer.send(NetEvent::Route(Route::Direct {
                through_routers: true,
            }));
            peer.send(NetEvent::State(joined_view(41)));
        },
        ready: |t| {
            route(t)
                == Some(&Route::Direct {
                    through_routers: true,
                })
                && net(&t.app).is_some_and(|n| n.view.rtt == Some(Duration::from_millis(41)))
        },
    },
    Step {
        name: "network-rematch-asked",
        // Bob (X) wins along the top row, and asks for a rematch at once.
        act: |t| {
            let mut state = Match::networked("Bob", "Ann");
            for (seat, cell) in [
                (Player::X, 1),
                (Player::O, 5),
                (Player::X, 2),
                (Player::O, 9),
                (Player::X, 3),
            ] {
                state
                    .act(seat, Intent::Play(Cell::from_number(cell).unwrap()))
                    .unwrap();
            }
            state.act(Player::X, Intent::Rematch).unwrap();
            let mut view = joined_view(41);
            view.state = state;
            t.peer.as_ref().unwrap().send(NetEvent::State(view));
        },
        ready: |t| net(&t.app).is_some_and(|n| n.view.state.wants_rematch(Player::X)),
    },
    Step {
        name: "network-reconnecting",
        // The link drops: the window tries again, and says until when.
        act: |t| {
            t.peer
                .as_ref()
                .unwrap()
                .send(NetEvent::Stage(Stage::Reconnecting {
                    attempt: 2,
                    retry_in: Duration::from_secs(2),
                    give_up_at: Instant::now() + Duration::from_secs(50),
                }));
        },
        ready: |t| net(&t.app).is_some_and(|n| matches!(n.stage, Stage::Reconnecting { .. })),
    },
];

/// A few games of every kind in the history, as a player who has played a while has.
fn seed_history(path: &Path) {
    let store = HistoryStore::at(path.to_owned());
    let at = |day: i64| jiff::Timestamp::from_second(1_764_180_000 + 86_400 * day).unwrap();
    let games = [
        (
            0,
            Mode::Computer {
                level: Level::Perfect,
                you: Player::X,
            },
            "Computer (perfect)",
            &[5, 1, 9, 3, 2, 8, 7, 4, 6][..],
            Ending::Draw,
        ),
        (
            1,
            Mode::Network {
                role: Role::Joiner,
                you: Player::X,
            },
            "Bartholomew",
            &[1, 4, 2, 5, 3][..],
            Ending::Won,
        ),
        (
            2,
            Mode::HotSeat,
            "Christabel",
            &[5, 1, 9][..],
            Ending::Resigned { player: Player::O },
        ),
        (
            3,
            Mode::Computer {
                level: Level::Medium,
                you: Player::X,
            },
            "Computer (medium)",
            &[1, 5, 2, 3, 9, 7][..],
            Ending::Won,
        ),
    ];
    for (day, mode, o_name, moves, ending) in games {
        let moves: Vec<Cell> = moves
            .iter()
            .map(|&n| Cell::from_number(n).unwrap())
            .collect();
        let record =
            Record::new(at(day), mode, ["Ann", o_name], Player::X, &moves, ending).unwrap();
        store.append(&record).unwrap();
    }
}

/// Runs the steps one after another, a screenshot each, and closes the window at the end.
struct Camera {
    tour: Tour,
    out: PathBuf,
    prefix: String,
    step: usize,
    /// The step's commands have been given; since when, and how many frames since ready.
    started: Option<Instant>,
    frames_ready: u32,
    ready_since: Option<Instant>,
    asked: bool,
    /// The window's pictures arrive here, from the renderer.
    shots: (
        SyncSender<Arc<egui::ColorImage>>,
        Receiver<Arc<egui::ColorImage>>,
    ),
}

impl eframe::App for Camera {
    fn logic(&mut self, ctx: &egui::Context, frame: &mut eframe::Frame) {
        eframe::App::logic(&mut self.tour.app, ctx, frame);
    }

    fn ui(&mut self, ui: &mut egui::Ui, frame: &mut eframe::Frame) {
        eframe::App::ui(&mut self.tour.app, ui, frame);
        self.tour.friend.step();
        self.tour.guest.step();
        let ctx = ui.ctx().clone();
        ctx.request_repaint_after(Duration::from_millis(10));

        if let Ok(image) = self.shots.1.try_recv() {
            let name = STEPS[self.step].name;
            let path = self.out.join(format!("{}-{name}.png", self.prefix));
            let [w, h] = image.size;
            let bytes: Vec<u8> = image.pixels.iter().flat_map(|p| p.to_array()).collect();
            image::save_buffer(
                &path,
                &bytes,
                u32::try_from(w).unwrap(),
                u32::try_from(h).unwrap(),
                image::ColorType::Rgba8,
            )
            .unwrap();
            println!("{}", path.display());
            self.step += 1;
            self.started = None;
            self.frames_ready = 0;
            self.ready_since = None;
            self.asked = false;
        }
        let Some(step) = STEPS.get(self.step) else {
            ctx.send_viewport_cmd(egui::ViewportCommand::Close);
            return;
        };
        let started = *self.started.get_or_insert_with(|| {
            (step.act)(&mut self.tour);
            Instant::now()
        });
        assert!(
            started.elapsed() < STEP_DEADLINE,
            "{}: the screen never became ready: {:?}",
            step.name,
            self.tour.app.screen()
        );
        if (step.ready)(&self.tour) {
            self.frames_ready += 1;
            self.ready_since.get_or_insert_with(Instant::now);
        }
        let settled = self
            .ready_since
            .is_some_and(|since| since.elapsed() > SETTLE);
        if self.frames_ready > SETTLE_FRAMES && settled && !self.asked {
            self.asked = true;
            let sender = self.shots.0.clone();
            ctx.request_screenshot(move |image| {
                // The tour waits for this picture; it ends if the window closed meanwhile.
                sender.try_send(image).ok();
            });
        }
    }
}

fn main() -> eframe::Result {
    let args: Vec<String> = std::env::args().collect();
    let [_, out, size, theme] = args.as_slice() else {
        eprintln!("usage: screens OUT_DIR WIDTHxHEIGHT light|dark");
        std::process::exit(2);
    };
    let (w, h) = size.split_once('x').unwrap();
    let size: [f32; 2] = [w.parse().unwrap(), h.parse().unwrap()];
    let out = PathBuf::from(out);
    std::fs::create_dir_all(&out).unwrap();

    let dir = tempfile::tempdir().unwrap();
    let settings = dir.path().join("settings.json");
    std::fs::write(&settings, format!(r#"{{"theme":"{theme}"}}"#)).unwrap();
    let history = dir.path().join("history.txt");
    seed_history(&history);
    let app = App::new(SettingsStore::at(settings)).with_history(HistoryStore::at(history));
    let friend_dir = dir.path().join("friend");
    std::fs::create_dir_all(&friend_dir).unwrap();
    let friend_settings = SettingsStore::at(friend_dir.join("settings.json"));
    let friend = Harness::builder()
        .with_size([480.0, 620.0])
        .build_eframe(move |_cc| App::new(friend_settings));
    let guest_dir = dir.path().join("guest");
    std::fs::create_dir_all(&guest_dir).unwrap();
    let guest_settings = SettingsStore::at(guest_dir.join("settings.json"));
    let guest = Harness::builder()
        .with_size([480.0, 620.0])
        .build_eframe(move |_cc| App::new(guest_settings));

    let (fake_network, fake_peers) = FakeNetwork::new();

    let options = eframe::NativeOptions {
        viewport: egui::ViewportBuilder::default()
            .with_app_id("tictactoe-screens")
            .with_title("Tic-Tac-Toe")
            .with_inner_size(size)
            .with_resizable(false),
        ..Default::default()
    };
    let prefix = format!("{theme}-{}x{}", size[0], size[1]);
    eframe::run_native(
        "Tic-Tac-Toe",
        options,
        Box::new(move |_cc| {
            Ok(Box::new(Camera {
                tour: Tour {
                    app,
                    friend,
                    guest,
                    fake_network: Some(fake_network),
                    fake_peers,
                    peer: None,
                },
                out,
                prefix,
                step: 0,
                started: None,
                frames_ready: 0,
                ready_since: None,
                asked: false,
                shots: std::sync::mpsc::sync_channel(1),
            }))
        }),
    )
}
