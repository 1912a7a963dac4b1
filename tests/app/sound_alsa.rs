//! The sound for the opponent's move reaches a real sound output: the app's own [`Chime`], on
//! the real ALSA library, plays into ALSA's `file` plugin (set up as the default device by an
//! `.asoundrc` in a home folder of the test's own), and the file holds the sound: about 90 ms
//! of a quiet tone, nothing louder. Linux only (ALSA).
//!
//! The ringing runs in a child process of this same test binary, so that its `HOME` (where
//! ALSA reads `.asoundrc`) is the test's folder from the start.

#![cfg(target_os = "linux")]

use std::path::Path;
use std::time::Duration;

use tictactoe::app::sound::Chime;

/// The child's part: rings once and waits for the sound to be played. Ignored in a test run:
/// the test below runs it, in a home whose `.asoundrc` makes the default device a file.
#[test]
#[ignore = "run by the test below, in a process whose home folder sets the sound device"]
fn ring_once_in_the_child() {
    let home = std::env::var_os("HOME").unwrap_or_default();
    assert!(
        Path::new(&home).join(".asoundrc").exists(),
        "no .asoundrc in {home:?}: run by a_ring_plays_a_short_quiet_tone_on_the_default_alsa_device"
    );
    let mut chime = Chime::speaker();
    chime.ring();
    std::thread::sleep(Duration::from_millis(600));
}

fn samples(path: &Path) -> Vec<f32> {
    let bytes = std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    bytes
        .chunks_exact(4)
        .map(|b| f32::from_le_bytes([b[0], b[1], b[2], b[3]]))
        .collect()
}

#[test]
fn a_ring_plays_a_short_quiet_tone_on_the_default_alsa_device() {
    let home = tempfile::tempdir().unwrap();
    let out = home.path().join("sound.raw");
    // 32-bit float, 2 channels, 48 kHz: the format cpal asks for is the device's default.
    std::fs::write(
        home.path().join(".asoundrc"),
        format!(
            "pcm.!default {{\n  type plug\n  slave {{\n    pcm {{ type file slave.pcm \"null\" file \"{}\" format \"raw\" }}\n    format FLOAT_LE\n    rate 48000\n    channels 2\n  }}\n}}\n",
            out.display()
        ),
    )
    .unwrap();
    let child = crate::support::this_test_alone(module_path!(), "ring_once_in_the_child")
        .env("HOME", home.path())
        .output()
        .unwrap();
    assert!(
        child.status.success(),
        "{}",
        String::from_utf8_lossy(&child.stderr)
    );
    let samples = samples(&out);
    let sounding: Vec<f32> = samples.iter().copied().filter(|s| *s != 0.0).collect();
    let loudest = sounding.iter().fold(0.0_f32, |m, s| m.max(s.abs()));
    // 90 ms at 48 kHz on 2 channels is 8,640 samples; the tone dies away before its end.
    assert!(
        (4_000..=9_000).contains(&sounding.len()),
        "{} samples sounding of {}",
        sounding.len(),
        samples.len()
    );
    assert!(
        loudest > 0.05 && loudest < 0.15,
        "quiet, but there: {loudest}"
    );
}
