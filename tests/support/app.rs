//! Helpers shared by the window tests: windows on fresh apps, stepping them until something
//! holds, and the forms a player fills in to host, join and watch.

use std::path::Path;
use std::time::{Duration, Instant};

use egui::{Key, Modifiers};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable as _;
use tictactoe::app::screens::net_match::NetMatch;
use tictactoe::app::{App, AppOptions, Screen, SettingsStore};
use tictactoe::game::{Cell, Game, Player, Variant};
use tictactoe::net::{Presence, Stage, Timing};

/// The window's default size.
pub const SIZE: [f32; 2] = [480.0, 620.0];

/// A window tall enough for the network screens, the list of addresses included.
pub const TALL: [f32; 2] = [480.0, 720.0];

/// Wall-clock time waited at most for the network.
pub const DEADLINE: Duration = Duration::from_secs(20);

/// Seconds of egui's clock per frame, for the windows of [`paced`].
pub const STEP_S: f32 = 0.05;

/// A window of `size` on the app `make` builds from the settings kept in `dir`.
pub fn open_with(
    dir: &Path,
    size: [f32; 2],
    make: impl FnOnce(SettingsStore) -> App + 'static,
) -> Harness<'static, App> {
    let store = SettingsStore::at(dir.join("settings.json"));
    Harness::builder()
        .with_size(size)
        .build_eframe(move |_cc| make(store))
}

/// A window of the default size on a fresh app whose settings are kept in `dir`.
pub fn open(dir: &Path) -> Harness<'static, App> {
    open_with(dir, SIZE, App::new)
}

/// A window for a network match, with the network's `timing`.
pub fn networked(dir: &Path, timing: Timing) -> Harness<'static, App> {
    open_with(dir, TALL, move |store| {
        App::new(store).with_net_timing(timing)
    })
}

/// Settings in `dir` with the animations off, for tests that count frames or poll the network:
/// a mark growing into its square asks for frames of its own (animations are tested in
/// `hot_seat.rs`).
pub fn without_motion(dir: &Path) {
    std::fs::write(dir.join("settings.json"), r#"{"motion": false}"#)
        .unwrap_or_else(|error| panic!("settings written: {error}"));
}

/// A window that times the app's own pacing frame by frame: animations off, [`STEP_S`] of
/// egui's clock a frame, the app built with `options`.
pub fn paced(dir: &Path, options: AppOptions) -> Harness<'static, App> {
    without_motion(dir);
    let store = SettingsStore::at(dir.join("settings.json"));
    Harness::builder()
        .with_size(SIZE)
        .with_step_dt(STEP_S)
        // Short frames: the win line's animation takes more of them to settle.
        .with_max_steps(32)
        .build_eframe(move |_cc| App::with_options(store, options))
}

/// Two windows that `open` makes, each on a folder of its own; the folders come first, so that
/// they outlast the windows: `let (_dirs, mut a, mut b) = two(open);`.
pub fn two(
    open: impl Fn(&Path) -> Harness<'static, App>,
) -> (
    [tempfile::TempDir; 2],
    Harness<'static, App>,
    Harness<'static, App>,
) {
    let dirs = [super::temp_dir(), super::temp_dir()];
    let a = open(dirs[0].path());
    let b = open(dirs[1].path());
    (dirs, a, b)
}

/// A few frames: the click, the action applied, the new screen drawn.
pub fn settle(harness: &mut Harness<'_, App>) {
    for _ in 0..3 {
        harness.step();
    }
}

/// Clicks the widget labelled `label`, and lets the window settle.
pub fn click(harness: &mut Harness<'_, App>, label: &str) {
    open_menu_for(harness, label);
    harness.get_by_label(label).click();
    settle(harness);
}

/// Closes an open ☰ menu (Escape closes it and nothing else).
pub fn close_menu(harness: &mut Harness<'_, App>) {
    if egui::Popup::is_any_open(&harness.ctx) {
        harness.key_press(Key::Escape);
        settle(harness);
    }
}

/// Clicks the widget labelled `label`, and runs the window until it is still.
pub fn press_button(harness: &mut Harness<'_, App>, label: &str) {
    open_menu_for(harness, label);
    harness.get_by_label(label).click();
    harness.run();
}

/// Opens the header's ☰ menu when `label` is not on the screen: the settings and a match's
/// secondary actions (hints, undo, save, resign, leave) are there, as a player finds them.
pub fn open_menu_for(harness: &mut Harness<'_, App>, label: &str) {
    if harness.query_by_label(label).is_none() {
        harness
            .get_by_label(tictactoe::app::chrome::OPTIONS)
            .click();
        settle(harness);
    }
}

/// Presses `key`, and runs the window until it is still.
pub fn press(harness: &mut Harness<'_, App>, key: Key) {
    harness.key_press(key);
    harness.run();
}

/// Chooses `item` on the menu ("Two players on this computer…", "Play against the
/// computer…") and starts the match with the form as it is.
pub fn start_from_menu(harness: &mut Harness<'_, App>, item: &str) {
    harness.get_by_label(item).click();
    harness.run();
    harness.get_by_label("Start").click();
    harness.run();
}

/// From the menu, through the names form (replacing the names remembered), to the first game of
/// a match on this computer.
pub fn start_hot_seat(harness: &mut Harness<'_, App>, x_name: &str, o_name: &str) {
    harness
        .get_by_label("Two players on this computer…")
        .click();
    harness.run();
    for (label, name) in [("Name for X", x_name), ("Name for O", o_name)] {
        harness.get_by_label(label).click();
        harness.run();
        harness.key_press_modifiers(Modifiers::COMMAND, Key::A);
        harness.key_press(Key::Backspace);
        harness.run();
        harness.get_by_label(label).type_text(name);
        harness.run();
    }
    harness.get_by_label("Start").click();
    harness.run();
    assert!(
        matches!(harness.state().screen(), Screen::HotSeat(_)),
        "{:?}",
        harness.state().screen()
    );
}

/// Replaces the text of the field labelled `label` with `text` (an empty `text` clears it).
pub fn type_into(harness: &mut Harness<'_, App>, label: &str, text: &str) {
    harness.get_by_label(label).click();
    settle(harness);
    harness.key_press_modifiers(Modifiers::COMMAND, Key::A);
    harness.key_press(Key::Backspace);
    settle(harness);
    if !text.is_empty() {
        harness.get_by_label(label).type_text(text);
    }
    settle(harness);
}

/// The label of the square `number` (1–9) holding `content` ("empty", "X", "O").
pub fn square(number: usize, content: &str) -> String {
    let cell = Cell::ALL[number - 1];
    format!(
        "Row {}, column {}, {content}",
        cell.row() + 1,
        cell.col() + 1
    )
}

/// The accessible name of `cell` of a bigger game holding `content` ("empty", "X", "O"), such as
/// "board 5, cell 3, empty" or "h8, X".
pub fn cell_label(variant: Variant, cell: Cell, content: &str) -> String {
    format!("{}, {content}", variant.cell_name(cell))
}

/// The cell of `variant` people write as `text` ("5 3", "h8").
pub fn named(variant: Variant, text: &str) -> Cell {
    variant
        .parse_move(text)
        .unwrap_or_else(|error| panic!("{text:?}: {error}"))
}

/// From the menu's `item` (such as "Play against the computer…") to the first game, with
/// `game` ("Classic", "Ultimate", "Gomoku") chosen on its form and the rest of it as it is.
pub fn start_game(harness: &mut Harness<'_, App>, item: &str, game: &str) {
    harness.get_by_label(item).click();
    harness.run();
    harness.get_by_label(game).click();
    harness.run();
    harness.get_by_label("Start").click();
    harness.run();
}

/// The game of the match at this computer on screen (two people or against the computer).
pub fn local_game(app: &App) -> Game {
    app.screen()
        .series()
        .unwrap_or_else(|| panic!("no match at this computer: {:?}", app.screen()))
        .game()
        .clone()
}

/// Clicks the empty `cell` of the game on screen by its accessible name, checking that it then
/// holds `mark`.
pub fn click_named(harness: &mut Harness<'_, App>, cell: Cell, mark: Player) {
    let variant = local_game(harness.state()).variant();
    harness
        .get_by_label(&cell_label(variant, cell, "empty"))
        .click();
    // Not run until still: the computer's search may wake the window meanwhile.
    settle(harness);
    harness.get_by_label(&cell_label(variant, cell, &mark.to_string()));
}

/// The network match `app` shows; panics when it shows none.
pub fn net(app: &App) -> &NetMatch {
    app.net_match()
        .unwrap_or_else(|| panic!("not in a network match: {:?}", app.screen()))
}

/// Steps every window in turn until `done` holds for their apps; panics after [`DEADLINE`].
/// Every window then draws a few more frames, so that what it now shows can be clicked.
pub fn step_all_until<'h>(
    windows: &mut [&mut Harness<'h, App>],
    what: &str,
    done: impl Fn(&[&App]) -> bool,
) {
    let start = Instant::now();
    loop {
        for window in windows.iter_mut() {
            window.step();
        }
        let apps: Vec<&App> = windows.iter().map(|window| window.state()).collect();
        if done(&apps) {
            break;
        }
        assert!(
            start.elapsed() < DEADLINE,
            "timed out waiting for {what}: {:?}",
            apps.iter().map(|app| app.screen()).collect::<Vec<_>>()
        );
        std::thread::sleep(Duration::from_millis(5));
    }
    for window in windows.iter_mut() {
        settle(window);
    }
}

/// [`step_all_until`] for two windows.
pub fn step_until<'h>(
    a: &mut Harness<'h, App>,
    b: &mut Harness<'h, App>,
    what: &str,
    done: impl Fn(&App, &App) -> bool,
) {
    step_all_until(&mut [a, b], what, |apps| done(apps[0], apps[1]));
}

/// [`step_all_until`] for one window.
pub fn step_until_one(window: &mut Harness<'_, App>, what: &str, done: impl Fn(&App) -> bool) {
    step_all_until(&mut [window], what, |apps| done(apps[0]));
}

/// Hosts in `window` on a free port, as `name` (`None`: the name the form offers), asking for
/// a seat code when `seat_code`; the port.
pub fn host(window: &mut Harness<'_, App>, name: Option<&str>, seat_code: bool) -> u16 {
    click(window, "Host a game…");
    if let Some(name) = name {
        type_into(window, "Your name", name);
    }
    type_into(window, "Port", "0");
    if seat_code {
        click(window, "Ask for a seat code");
    }
    click(window, "Start hosting");
    window
        .state()
        .hosting()
        .unwrap_or_else(|| panic!("not hosting: {:?}", window.state().screen()))
        .port
}

/// Fills in the join form in `window` for `ip_port`, as `name` (`None`: the name the form
/// offers); the test presses the button.
pub fn fill_join(window: &mut Harness<'_, App>, name: Option<&str>, ip_port: &str) {
    click(window, "Join a game…");
    if let Some(name) = name {
        type_into(window, "Your name", name);
    }
    type_into(window, "Address", ip_port);
}

/// Joins `ip_port` from `window` as `name` (see [`fill_join`]).
pub fn join(window: &mut Harness<'_, App>, name: Option<&str>, ip_port: &str) {
    fill_join(window, name, ip_port);
    click(window, "Join");
}

/// Steps both windows until `a`, hosting, has its opponent connected and `b` plays in the
/// match, both showing the same names.
pub fn wait_in_match<'h>(a: &mut Harness<'h, App>, b: &mut Harness<'h, App>) {
    step_until(a, b, "both in the match", |a, b| {
        let (Some(host), Some(joiner)) = (a.net_match(), b.net_match()) else {
            return false;
        };
        host.view.opponent == Presence::Connected
            && joiner.stage == Stage::Playing
            && joiner.view.connected
            && [Player::X, Player::O]
                .iter()
                .all(|&p| host.view.state.name(p) == joiner.view.state.name(p))
    });
}

/// Ann hosts in `a` and Bob joins from `b` at the host's own loopback address; both in the
/// match (Ann is X). The port.
pub fn ann_and_bob<'h>(a: &mut Harness<'h, App>, b: &mut Harness<'h, App>) -> u16 {
    let port = host(a, Some("Ann"), false);
    join(b, Some("Bob"), &loopback(port));
    wait_in_match(a, b);
    port
}

/// The loopback address of the host on `port`.
pub fn loopback(port: u16) -> String {
    format!("127.0.0.1:{port}")
}

/// What the window put on the clipboard on its last frame.
pub fn copied(window: &Harness<'_, App>) -> Option<String> {
    window
        .output()
        .platform_output
        .commands
        .iter()
        .find_map(|command| match command {
            egui::OutputCommand::CopyText(text) => Some(text.clone()),
            _ => None,
        })
}

/// The key of digit `number`, 1–9, on the top row.
pub fn digit(number: u8) -> Key {
    [
        Key::Num1,
        Key::Num2,
        Key::Num3,
        Key::Num4,
        Key::Num5,
        Key::Num6,
        Key::Num7,
        Key::Num8,
        Key::Num9,
    ][usize::from(number - 1)]
}

/// A window in `dir` whose computer replies at once, its choices drawn from `seed`, keeping the
/// unfinished match in `dir` as the app does on disk.
pub fn open_resumable(dir: &Path, seed: u64) -> Harness<'static, App> {
    let resume = tictactoe::app::ResumeStore::at(dir.join("data").join("unfinished-match.json"));
    let options = AppOptions {
        computer_delay: Duration::ZERO,
        computer_seed: Some(seed),
        ..AppOptions::default()
    };
    open_with(dir, SIZE, move |store| {
        App::with_options(store, options).with_resume(resume)
    })
}
