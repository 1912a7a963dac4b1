//! A short, quiet sound when the opponent moves: the friend over the network, or the computer.
//!
//! A player looking elsewhere hears that it is their turn. The player turns it off in the theme
//! list ("Sound"); [`Settings::sound`](crate::store::Settings::sound) remembers it.
//!
//! A [`Chime`] counts what it rings. Only the window's own ([`Chime::speaker`], from
//! [`super::run`]) reaches a loudspeaker: on a thread of its own, opened at the first sound, so
//! a window that never rings never opens the sound device, and a computer without one only logs
//! it once and stops trying. Tests build their apps with a silent chime and read the count.

use std::sync::mpsc;
use std::time::Duration;

/// How long the sound lasts.
const LENGTH: Duration = Duration::from_millis(90);

/// Its pitch, in hertz, and its loudness (1.0 is full scale).
const PITCH: f32 = 880.0;
const LOUDNESS: f32 = 0.12;

/// Rings waiting to be played at most; more are dropped (one sound says enough).
const QUEUE: usize = 2;

/// Rings a sound, or only counts it.
#[derive(Debug, Default)]
pub struct Chime {
    /// The loudspeaker's thread, once started; `None` for a silent chime.
    speaker: Option<Speaker>,
    rung: u64,
}

#[derive(Debug)]
enum Speaker {
    /// Not started yet: started at the first ring.
    Idle,
    Running(mpsc::SyncSender<()>),
    /// Could not start: silent from now on.
    Failed,
}

impl Chime {
    /// A chime that only counts (tests, and the terminal).
    #[must_use]
    pub const fn silent() -> Self {
        Self {
            speaker: None,
            rung: 0,
        }
    }

    /// A chime that plays on the system's default sound output.
    #[must_use]
    pub const fn speaker() -> Self {
        Self {
            speaker: Some(Speaker::Idle),
            rung: 0,
        }
    }

    /// Rings once. Never waits: the sound is played on the speaker's thread.
    pub fn ring(&mut self) {
        self.rung += 1;
        let Some(speaker) = &mut self.speaker else {
            return;
        };
        if matches!(speaker, Speaker::Idle) {
            let (tx, rx) = mpsc::sync_channel(QUEUE);
            let started = std::thread::Builder::new()
                .name("tictactoe-sound".to_owned())
                .spawn(move || play_each(&rx));
            *speaker = match started {
                Ok(_) => Speaker::Running(tx),
                Err(error) => {
                    tracing::debug!(%error, "no thread for the sound");
                    Speaker::Failed
                }
            };
        }
        if let Speaker::Running(tx) = speaker {
            // A full queue has sounds enough; a stopped thread has no device.
            if tx.try_send(()).is_err() {
                tracing::trace!("a sound left out");
            }
        }
    }

    /// How many times it has rung.
    #[must_use]
    pub const fn rung(&self) -> u64 {
        self.rung
    }
}

/// The sound itself at `t` seconds: a sine that starts softly and dies away.
fn sample_at(t: f32) -> f32 {
    let attack = (t / 0.004).min(1.0);
    let decay = (-t / 0.025).exp();
    LOUDNESS * attack * decay * (std::f32::consts::TAU * PITCH * t).sin()
}

/// Plays one sound for each ring until the app ends. Opens the default output device at the
/// first ring; when there is none, or it will not play, says so once and stops: the rings are
/// then dropped (a system without a sound card would otherwise print its errors at every move).
fn play_each(rings: &mpsc::Receiver<()>) {
    use cpal::traits::{DeviceTrait as _, HostTrait as _};
    let mut device = None;
    while rings.recv().is_ok() {
        if device.is_none() {
            device = cpal::default_host().default_output_device();
        }
        let Some(out) = &device else {
            tracing::info!("no sound output found: the opponent's moves are silent");
            return;
        };
        let played = out
            .default_output_config()
            .map_err(Into::into)
            .and_then(|config| play(out, &config));
        if let Err(error) = played {
            tracing::info!(%error, "the sound did not play: the opponent's moves are silent");
            return;
        }
    }
}

fn play(
    device: &cpal::Device,
    config: &cpal::SupportedStreamConfig,
) -> Result<(), Box<dyn std::error::Error>> {
    use cpal::SampleFormat;
    let stream_config: cpal::StreamConfig = (*config).into();
    let stream = match config.sample_format() {
        SampleFormat::F32 => stream::<f32>(device, &stream_config)?,
        SampleFormat::I16 => stream::<i16>(device, &stream_config)?,
        SampleFormat::U16 => stream::<u16>(device, &stream_config)?,
        SampleFormat::I32 => stream::<i32>(device, &stream_config)?,
        other => return Err(format!("sample format {other} not played").into()),
    };
    cpal::traits::StreamTrait::play(&stream)?;
    // The stream plays on the system's audio thread while this one waits; dropping it stops.
    std::thread::sleep(LENGTH + Duration::from_millis(40));
    Ok(())
}

fn stream<T>(
    device: &cpal::Device,
    config: &cpal::StreamConfig,
) -> Result<cpal::Stream, cpal::Error>
where
    T: cpal::SizedSample + cpal::FromSample<f32>,
{
    use cpal::traits::DeviceTrait as _;
    let rate = config.sample_rate as f32;
    let channels = usize::from(config.channels.max(1));
    let end = LENGTH.as_secs_f32();
    let mut n: u32 = 0;
    device.build_output_stream(
        *config,
        move |data: &mut [T], _: &cpal::OutputCallbackInfo| {
            for frame in data.chunks_mut(channels) {
                let t = n as f32 / rate;
                let value = if t < end { sample_at(t) } else { 0.0 };
                n = n.saturating_add(1);
                let value = T::from_sample(value);
                for sample in frame {
                    *sample = value;
                }
            }
        },
        |error| tracing::debug!(%error, "the sound stream failed"),
        None,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_sound_is_quiet_short_and_starts_without_a_click() {
        assert!(sample_at(0.0).abs() < 1e-6, "it starts at silence");
        let loudest = (0..4000)
            .map(|i| sample_at(i as f32 / 44_100.0).abs())
            .fold(0.0, f32::max);
        assert!(loudest > 0.05 && loudest <= LOUDNESS, "{loudest}");
        assert!(
            sample_at(LENGTH.as_secs_f32()).abs() < 0.005,
            "it has died away"
        );
    }

    #[test]
    fn a_speaker_rings_on_its_own_thread_with_or_without_a_sound_device() {
        // CI machines have no sound card: the rings are then drained, and nothing waits.
        let mut chime = Chime::speaker();
        for _ in 0..5 {
            chime.ring();
        }
        assert_eq!(chime.rung(), 5);
        assert!(matches!(chime.speaker, Some(Speaker::Running(_))));
    }

    #[test]
    fn a_silent_chime_counts_and_opens_nothing() {
        let mut chime = Chime::silent();
        chime.ring();
        chime.ring();
        assert_eq!(chime.rung(), 2);
        assert!(chime.speaker.is_none());
    }
}
