//! Helpers shared by every test binary.
//!
//! Each `tests/<layer>/main.rs` includes this tree once as `support`: here what tests of every
//! layer use (cells, records, folders, the skip rule, the machine shared or had alone), and in a
//! file each what one kind of test repeats (`app`: windows; `fake`: the network between two windows
//! played over the app's fake network; `net`: hosts, joiners, raw and
//! scripted peers; `cli`: the binary; `lab`: the network namespaces and a home network in them;
//! `internet`: an internet with two homes behind two NATs each, over `delay`'s slow links;
//! `flood.rs`: a crowd of hostile connections, which the network benchmark includes too).

pub mod app;
pub mod cli;
pub mod delay;
pub mod fake;
pub mod flood;
pub mod internet;
pub mod lab;
pub mod net;

use std::path::Path;

use jiff::Timestamp;
use tictactoe::game::{Cell, Level, Player};
use tictactoe::record::{Ending, Mode, Record, Role};

/// Cell `number` (1–9).
pub fn cell(number: i64) -> Cell {
    Cell::from_number(number).unwrap_or_else(|error| panic!("{error}"))
}

/// Cells by their numbers (1–9).
pub fn cells(numbers: &[i64]) -> Vec<Cell> {
    numbers.iter().map(|&number| cell(number)).collect()
}

/// A fresh folder of the test's own, removed when dropped.
pub fn temp_dir() -> tempfile::TempDir {
    tempfile::tempdir().unwrap_or_else(|error| panic!("a temporary folder: {error}"))
}

/// A fresh folder, and what `make` makes in it (a window, say). Keep the folder while it is
/// used: `let (_dir, mut window) = in_temp_dir(open);`.
pub fn in_temp_dir<T>(make: impl FnOnce(&Path) -> T) -> (tempfile::TempDir, T) {
    let dir = temp_dir();
    let made = make(dir.path());
    (dir, made)
}

/// A game against the computer at `level`, the player playing X.
pub const fn against(level: Level) -> Mode {
    Mode::Computer {
        level,
        you: Player::X,
    }
}

/// A game over the network in `role`, the player playing X.
pub const fn over_network(role: Role) -> Mode {
    Mode::Network {
        role,
        you: Player::X,
    }
}

/// `minute` minutes after a fixed moment (26 November 2025, 18:00 UTC).
pub fn at(minute: i64) -> Timestamp {
    Timestamp::from_second(1_764_180_000 + 60 * minute).unwrap_or_else(|error| panic!("{error}"))
}

/// The game record of `moves` (X first) between `names` (X, O), played in `mode` at
/// [`at`]`(minute)` and ended by `ending`.
pub fn record(minute: i64, mode: Mode, names: [&str; 2], moves: &[i64], ending: Ending) -> Record {
    Record::new(at(minute), mode, names, Player::X, &cells(moves), ending)
        .unwrap_or_else(|error| panic!("{error}"))
}

/// This test binary, set to run again only the ignored test `test` of the module `module_path`.
///
/// `module_path` is the module's `module_path!()`. The ignored test is the half of a test that
/// must run in a process of its own (another environment, another home folder); the test that
/// runs it checks what it did.
pub fn this_test_alone(module_path: &str, test: &str) -> std::process::Command {
    // Test names leave out the crate: `app::sound_alsa` runs as `sound_alsa::…`.
    let name = match module_path.split_once("::") {
        Some((_, module)) => format!("{module}::{test}"),
        None => test.to_owned(),
    };
    let exe =
        std::env::current_exe().unwrap_or_else(|error| panic!("this test binary's path: {error}"));
    let mut command = std::process::Command::new(exe);
    command.args(["--exact", &name, "--ignored", "--nocapture"]);
    command
}

/// Whether the test must stop because this machine lacks what it needs (`missing` says what).
///
/// On CI (`CI` set) nothing may be missing: the test fails. Elsewhere it says `skipped: …`
/// (straight to the terminal, past the test harness's capture) and the caller returns.
pub fn skipped(missing: Option<String>) -> bool {
    let Some(reason) = missing else {
        return false;
    };
    assert!(
        std::env::var_os("CI").is_none(),
        "CI must be able to run this test, but it {reason}"
    );
    let test = std::thread::current().name().unwrap_or("a test").to_owned();
    let mut terminal = std::io::stderr();
    drop(std::io::Write::write_all(
        &mut terminal,
        format!("skipped: {reason} ({test})\n").as_bytes(),
    ));
    true
}

/// The machine, shared by the tests of a binary running at once, or had by one test alone.
static MACHINE: std::sync::RwLock<()> = std::sync::RwLock::new(());

/// This thread's hold on [`MACHINE`]: libtest runs each test on a thread of its own, so the
/// hold ends with the test.
enum Hold {
    Shared(
        #[expect(dead_code, reason = "held, never read")] std::sync::RwLockReadGuard<'static, ()>,
    ),
    Alone(
        #[expect(dead_code, reason = "held, never read")] std::sync::RwLockWriteGuard<'static, ()>,
    ),
}

thread_local! {
    static HOLD: std::cell::RefCell<Option<Hold>> = const { std::cell::RefCell::new(None) };
}

/// Takes this test's share of the machine, until the test ends.
///
/// It waits while a test that loads the machine runs alone ([`take_the_machine_alone`]). The
/// network helpers call it for every test whose short timings (a link counted dead after
/// 800 ms) a starved machine would break.
pub fn share_the_machine() {
    HOLD.with_borrow_mut(|hold| {
        if hold.is_none() {
            let shared = MACHINE
                .read()
                .unwrap_or_else(std::sync::PoisonError::into_inner);
            *hold = Some(Hold::Shared(shared));
        }
    });
}

/// Has the machine to this test alone, until the test ends.
///
/// For a test that loads it to its limits (a thousand connections, a crowd guessing, hundreds
/// of watchers) and checks what a player gets meanwhile. Waits for the tests sharing it to end,
/// and holds new ones back.
pub fn take_the_machine_alone() {
    HOLD.with_borrow_mut(|hold| {
        if !matches!(hold, Some(Hold::Alone(_))) {
            // A share this thread held would keep the machine from it.
            *hold = None;
            let alone = MACHINE
                .write()
                .unwrap_or_else(std::sync::PoisonError::into_inner);
            *hold = Some(Hold::Alone(alone));
        }
    });
}
