//! Helpers for the tests that run the real `tictactoe` binary, each in a home folder of its own.

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

/// The real `tictactoe` binary, run with its data and config folders inside `home`, in UTC, and
/// with no relay (a host would otherwise reach for the public ones on the internet).
pub fn tictactoe(home: &Path) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_tictactoe"));
    command
        .env("TICTACTOE_RELAY", "off")
        .env("XDG_DATA_HOME", home.join("data"))
        .env("XDG_CONFIG_HOME", home.join("config"))
        .env("HOME", home)
        .env("TZ", "UTC");
    command
}

/// Runs `tictactoe ARGS` in `home` to its end, with `input` typed into it and the input then
/// ended.
pub fn run(home: &Path, args: &[&str], input: &str) -> Output {
    let mut child = tictactoe(home)
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|error| panic!("tictactoe {args:?}: {error}"));
    if let Some(mut stdin) = child.stdin.take() {
        // The program may stop reading before the input ends; a broken pipe then is expected.
        let _ignored: std::io::Result<()> = stdin.write_all(input.as_bytes());
    }
    child
        .wait_with_output()
        .unwrap_or_else(|error| panic!("tictactoe {args:?}: {error}"))
}

/// What a run printed on its standard output.
pub fn stdout(output: &Output) -> String {
    String::from_utf8(output.stdout.clone()).unwrap_or_else(|error| panic!("stdout: {error}"))
}

/// What a run printed on its standard error.
pub fn stderr(output: &Output) -> String {
    String::from_utf8(output.stderr.clone()).unwrap_or_else(|error| panic!("stderr: {error}"))
}

/// The history file of the `tictactoe` binary run in `home`.
pub fn history_file(home: &Path) -> PathBuf {
    home.join("data").join("tictactoe").join("history.txt")
}
