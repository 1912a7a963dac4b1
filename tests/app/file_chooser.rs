//! "Save game…" and "Open game…" on the desktops a player may have: one whose portal shows a
//! file chooser (a portal on a private D-Bus bus the test starts, answering as a player choosing
//! a file would), asked again and again in one run; and one with no portal at all, where the
//! window saves into its games folder, says where, and lists that folder to open from.
//!
//! The bus a window talks to is its process's environment, so each desktop runs in a process of
//! its own: the test runs this binary again, once per desktop, with the address set.

#![expect(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "test helpers: an unwrap that fails is a test that fails"
)]

use std::collections::{HashMap, VecDeque};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use crate::support::app::{press, press_button, start_from_menu};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable as _;
use tictactoe::app::{App, Screen, SettingsStore};
use zbus::message::Header;
use zbus::zvariant::{OwnedObjectPath, Value};

/// Wall-clock time waited at most for a dialog's answer.
const DEADLINE: Duration = Duration::from_secs(15);

/// A private session bus: `dbus-daemon`, stopped when dropped.
struct Bus {
    daemon: Child,
    address: String,
}

impl Bus {
    fn start(dir: &Path) -> Self {
        let socket = dir.join("bus");
        let mut daemon = Command::new("dbus-daemon")
            .args(["--session", "--nofork", "--print-address=1"])
            .arg(format!("--address=unix:path={}", socket.display()))
            .stdout(Stdio::piped())
            .spawn()
            .expect("dbus-daemon (apt-get install dbus-daemon)");
        let mut line = String::new();
        std::io::BufRead::read_line(
            &mut std::io::BufReader::new(daemon.stdout.take().unwrap()),
            &mut line,
        )
        .unwrap();
        Self {
            daemon,
            address: line.trim().to_owned(),
        }
    }
}

impl Drop for Bus {
    fn drop(&mut self) {
        self.daemon.kill().ok();
        self.daemon.wait().ok();
    }
}

/// The portal's file chooser as a player uses it: each request is answered with the next path
/// in `answers` (none left: the player cancels), and counted.
#[derive(Clone, Default)]
struct Chooser {
    answers: Arc<Mutex<VecDeque<PathBuf>>>,
    asked: Arc<Mutex<Vec<String>>>,
}

impl Chooser {
    /// Answers the request `options` names, on the object the portal protocol gives it, a
    /// moment after the call has returned (as a person takes a moment to choose).
    fn answer(
        &self,
        method: &str,
        header: &Header<'_>,
        connection: &zbus::Connection,
        options: &HashMap<String, zbus::zvariant::OwnedValue>,
    ) -> zbus::fdo::Result<OwnedObjectPath> {
        self.asked.lock().unwrap().push(method.to_owned());
        let token: String = options
            .get("handle_token")
            .and_then(|v| String::try_from(v.clone()).ok())
            .ok_or_else(|| zbus::fdo::Error::InvalidArgs("no handle_token".into()))?;
        let sender = header.sender().unwrap().to_string();
        let path = format!(
            "/org/freedesktop/portal/desktop/request/{}/{token}",
            sender.trim_start_matches(':').replace('.', "_")
        );
        let handle = OwnedObjectPath::try_from(path.clone()).unwrap();
        let answer = self.answers.lock().unwrap().pop_front();
        let connection = connection.clone();
        tokio::spawn(async move {
            tokio::time::sleep(Duration::from_millis(100)).await;
            let (code, uris): (u32, Vec<String>) = match answer {
                Some(file) => (0, vec![format!("file://{}", file.display())]),
                None => (1, Vec::new()),
            };
            let mut results: HashMap<&str, Value<'_>> = HashMap::new();
            results.insert("uris", Value::from(uris));
            connection
                .emit_signal(
                    Some(sender.as_str()),
                    path.as_str(),
                    "org.freedesktop.portal.Request",
                    "Response",
                    &(code, results),
                )
                .await
                .unwrap();
        });
        Ok(handle)
    }
}

#[zbus::interface(name = "org.freedesktop.portal.FileChooser")]
impl Chooser {
    async fn open_file(
        &self,
        #[zbus(header)] header: Header<'_>,
        #[zbus(connection)] connection: &zbus::Connection,
        _parent_window: String,
        _title: String,
        options: HashMap<String, zbus::zvariant::OwnedValue>,
    ) -> zbus::fdo::Result<OwnedObjectPath> {
        self.answer("open", &header, connection, &options)
    }

    async fn save_file(
        &self,
        #[zbus(header)] header: Header<'_>,
        #[zbus(connection)] connection: &zbus::Connection,
        _parent_window: String,
        _title: String,
        options: HashMap<String, zbus::zvariant::OwnedValue>,
    ) -> zbus::fdo::Result<OwnedObjectPath> {
        self.answer("save", &header, connection, &options)
    }

    #[zbus(property)]
    #[expect(
        clippy::unused_self,
        reason = "a D-Bus property is read from the object"
    )]
    fn version(&self) -> u32 {
        4
    }
}

fn open(dir: &Path) -> Harness<'static, App> {
    let store = SettingsStore::at(dir.join("settings.json"));
    let games = dir.join("games");
    Harness::builder()
        .with_size([480.0, 620.0])
        // A new screen's widgets take a frame or two each to settle their style; a list of
        // saved games has a few.
        .with_max_steps(16)
        .build_eframe(move |_cc| App::new(store).with_games_dir(Some(games)))
}

/// Steps the window until `done` holds; panics after a deadline.
fn wait_for(harness: &mut Harness<'_, App>, what: &str, done: impl Fn(&App) -> bool) {
    let start = Instant::now();
    while !done(harness.state()) {
        assert!(start.elapsed() < DEADLINE, "timed out waiting for {what}");
        harness.step();
        std::thread::sleep(Duration::from_millis(10));
    }
    harness.run();
}

/// A hot-seat game with two moves, on screen.
fn a_game(harness: &mut Harness<'_, App>) {
    start_from_menu(harness, "Two players on this computer…");
    for key in [egui::Key::Num5, egui::Key::Num1] {
        press(harness, key);
    }
}

fn saved(app: &App) -> bool {
    app.toast().is_some_and(|t| t.contains("was saved to"))
}

/// With a portal: every dialog opens, the second and third as the first, and what the player
/// chose is saved or opened.
fn with_a_portal(dir: &Path) {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let chooser = Chooser::default();
    let (first, second) = (dir.join("first.txt"), dir.join("second.txt"));
    chooser
        .answers
        .lock()
        .unwrap()
        .extend([first.clone(), second.clone(), first.clone()]);
    let _portal = runtime.block_on(async {
        zbus::connection::Builder::session()
            .unwrap()
            .name("org.freedesktop.portal.Desktop")
            .unwrap()
            .serve_at("/org/freedesktop/portal/desktop", chooser.clone())
            .unwrap()
            .build()
            .await
            .unwrap()
    });

    let mut harness = open(dir);
    a_game(&mut harness);
    let board_top = harness.get_by_label("Row 1, column 1, O").rect().top();
    for (path, n) in [(&first, 1), (&second, 2)] {
        press_button(&mut harness, "Save game…");
        wait_for(&mut harness, "the game saved", |app| {
            saved(app) && app.toast().unwrap().contains(&path.display().to_string())
        });
        assert!(path.exists(), "dialog {n} saved the game");
        // The note sits over the window: the board stays where it was.
        assert_eq!(
            harness.get_by_label("Row 1, column 1, O").rect().top(),
            board_top
        );
        assert!(harness.state().notice().is_none(), "success is no problem");
        press_button(&mut harness, "OK");
        assert!(harness.state().toast().is_none());
    }
    harness.key_press(egui::Key::Escape);
    harness.run();
    press_button(&mut harness, "Open game…");
    wait_for(&mut harness, "the game opened", |app| {
        app.replay().is_some()
    });
    assert_eq!(harness.state().replay().unwrap().title(), "first.txt");
    assert_eq!(
        *chooser.asked.lock().unwrap(),
        ["save", "save", "open"],
        "every dialog reached the portal"
    );

    // The player closes the chooser without choosing: nothing happens, nothing is said.
    harness.key_press(egui::Key::Escape);
    harness.run();
    press_button(&mut harness, "Open game…");
    let start = Instant::now();
    while chooser.asked.lock().unwrap().len() < 4 || start.elapsed() < Duration::from_millis(500) {
        assert!(start.elapsed() < DEADLINE, "the fourth dialog never came");
        harness.step();
        std::thread::sleep(Duration::from_millis(10));
    }
    harness.run();
    assert_eq!(harness.state().screen(), &Screen::Menu);
    assert!(harness.state().notice().is_none());
}

/// Without a portal: saved into the games folder (a second time under another name), said
/// where; "Open game…" lists that folder, and a typed path opens too.
fn without_a_portal(dir: &Path) {
    let mut harness = open(dir);
    a_game(&mut harness);
    for n in 1..=2 {
        press_button(&mut harness, "Save game…");
        wait_for(&mut harness, "the game saved without a chooser", saved);
        let toast = harness.state().toast().unwrap().to_owned();
        assert!(
            toast.contains("this desktop shows no file chooser"),
            "{toast}"
        );
        assert!(
            toast.contains(&dir.join("games").display().to_string()),
            "{toast}"
        );
        assert_eq!(std::fs::read_dir(dir.join("games")).unwrap().count(), n);
        press_button(&mut harness, "OK");
    }
    harness.key_press(egui::Key::Escape);
    harness.run();
    press_button(&mut harness, "Open game…");
    wait_for(&mut harness, "the list of saved games", |app| {
        matches!(app.screen(), Screen::OpenList(_))
    });
    harness.get_by_label_contains("This desktop shows no file chooser");
    assert_eq!(
        harness.query_all_by_label("Open").count(),
        2,
        "both games listed"
    );
    harness.query_all_by_label("Open").next().unwrap().click();
    harness.run();
    assert!(harness.state().replay().is_some());

    // Any other file, by its path.
    let elsewhere = dir.join("elsewhere.txt");
    let record = harness.state().replay().unwrap().record().unwrap().clone();
    std::fs::write(&elsewhere, record.to_text()).unwrap();
    harness.key_press(egui::Key::Escape);
    harness.run();
    press_button(&mut harness, "Open game…");
    wait_for(&mut harness, "the list again", |app| {
        matches!(app.screen(), Screen::OpenList(_))
    });
    let field = "Or type the path of a game file";
    press_button(&mut harness, field);
    harness
        .get_by_label(field)
        .type_text(&elsewhere.display().to_string());
    harness.run();
    press_button(&mut harness, "Open this file");
    assert_eq!(harness.state().replay().unwrap().title(), "elsewhere.txt");
}

/// Which desktop the child process plays, and in which folder.
const DESKTOP: &str = "TICTACTOE_TEST_DESKTOP";
const FOLDER: &str = "TICTACTOE_TEST_FOLDER";

#[test]
fn every_file_dialog_opens_and_a_desktop_without_one_still_saves_and_opens() {
    let dir = tempfile::tempdir().unwrap();
    let bus = Bus::start(dir.path());
    for (desktop, address) in [
        ("portal", bus.address.clone()),
        // Nobody listens there: no bus, no portal.
        (
            "none",
            format!("unix:path={}", dir.path().join("no-bus").display()),
        ),
    ] {
        let folder = dir.path().join(desktop);
        std::fs::create_dir_all(&folder).unwrap();
        let status = crate::support::this_test_alone(module_path!(), "one_desktop")
            .env("DBUS_SESSION_BUS_ADDRESS", address)
            .env(DESKTOP, desktop)
            .env(FOLDER, &folder)
            .status()
            .unwrap();
        assert!(status.success(), "the {desktop} desktop failed");
    }
}

#[test]
#[ignore = "run by the test above, once per desktop, with its bus set"]
fn one_desktop() {
    let folder = PathBuf::from(std::env::var_os(FOLDER).unwrap());
    match std::env::var(DESKTOP).unwrap().as_str() {
        "portal" => with_a_portal(&folder),
        "none" => without_a_portal(&folder),
        other => panic!("no desktop {other:?}"),
    }
}
