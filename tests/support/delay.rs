//! Links between network namespaces that hold every frame for a while, as a long way across the
//! internet does: the kernel of these machines has no `netem` qdisc to add the delay.
//!
//! Each end of a link is a tap device made straight inside its namespace (a thread that has
//! entered it opens `/dev/net/tun`), so nothing appears in the machine's own. One thread runs
//! every link of a lab: it reads each frame from one end and writes it to the other end once the
//! delay has passed. Dropping [`DelayedLinks`] stops that thread and closes the taps, which
//! removes them.

#![expect(clippy::expect_used, reason = "the lab fails loudly")]

use std::sync::{Arc, mpsc};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use tokio::sync::oneshot;
use tokio_tun::Tun;

/// Frames a link holds at once in each direction (40 ms of a fast link); a frame beyond them is
/// lost, as on a link whose queue is full.
const FRAMES_ON_THE_WAY: usize = 4096;

/// Larger than any frame a tap gives (its MTU is 1500 bytes, and it does no offloading).
const FRAME_BYTES: usize = 65_536;

/// One end of a link: the tap device `name` in the network namespace `ns`.
#[derive(Clone, Debug)]
pub struct End {
    /// The namespace's name (as in `ip netns list`).
    pub ns: String,
    /// The tap device's name there.
    pub name: String,
}

/// Links carrying frames both ways after a delay, until dropped.
pub struct DelayedLinks {
    stop: Option<oneshot::Sender<()>>,
    thread: Option<JoinHandle<()>>,
}

impl DelayedLinks {
    /// Makes each link of `links` (its two ends, down, without addresses) and carries every frame
    /// across it `delay` after it was sent, either way. Returns once every tap is there.
    pub fn start(links: &[(End, End)], delay: Duration) -> Self {
        let links = links.to_vec();
        let (ready_tx, ready) = mpsc::sync_channel(1);
        let (stop, stopped) = oneshot::channel::<()>();
        let thread = std::thread::Builder::new()
            .name("delayed-links".to_owned())
            .spawn(move || {
                let runtime = tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                    .expect("a runtime for the links");
                let taps = {
                    let _in_runtime = runtime.enter();
                    links
                        .iter()
                        .map(|(one, other)| Ok((tap(one)?, tap(other)?)))
                        .collect::<Result<Vec<_>, String>>()
                };
                let taps = match taps {
                    Ok(taps) => taps,
                    Err(error) => {
                        drop(ready_tx.send(Err(error)));
                        return;
                    }
                };
                drop(ready_tx.send(Ok(())));
                runtime.block_on(async move {
                    for (one, other) in taps {
                        let (one, other) = (Arc::new(one), Arc::new(other));
                        tokio::spawn(carry(Arc::clone(&one), Arc::clone(&other), delay));
                        tokio::spawn(carry(other, one, delay));
                    }
                    // Sent, or its sender dropped: either way the lab is ending.
                    drop(stopped.await);
                });
                // Dropping the runtime drops its tasks and their taps: the kernel removes them.
            })
            .expect("the links' thread started");
        match ready.recv_timeout(Duration::from_secs(10)) {
            Ok(Ok(())) => Self {
                stop: Some(stop),
                thread: Some(thread),
            },
            Ok(Err(error)) => panic!("the links were not made: {error}"),
            Err(error) => panic!("the links' thread did not answer: {error}"),
        }
    }
}

impl Drop for DelayedLinks {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            // An error: the thread has ended already.
            let _ended: Result<(), ()> = stop.send(());
        }
        let Some(thread) = self.thread.take() else {
            return;
        };
        let deadline = Instant::now() + Duration::from_secs(5);
        while !thread.is_finished() && Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(5));
        }
        if thread.is_finished() {
            drop(thread.join());
        } else {
            eprintln!("the delayed links did not stop within 5 s");
        }
    }
}

/// The tap device `end`, made in its namespace by this thread (which stays there: only the
/// links' own thread calls it).
fn tap(end: &End) -> Result<Tun, String> {
    super::lab::enter(&end.ns);
    let mut taps = Tun::builder()
        .name(&end.name)
        .tap()
        .build()
        .map_err(|error| format!("tap {} in {}: {error}", end.name, end.ns))?;
    taps.pop()
        .ok_or_else(|| format!("tap {} in {}: no queue", end.name, end.ns))
}

/// Carries every frame from the tap `from` to the tap `to`, `delay` after it came. Runs until the
/// runtime ends (the lab's end) or `from` fails.
async fn carry(from: Arc<Tun>, to: Arc<Tun>, delay: Duration) {
    let (on_the_way, mut arriving) =
        tokio::sync::mpsc::channel::<(tokio::time::Instant, Vec<u8>)>(FRAMES_ON_THE_WAY);
    let take = async move {
        let mut frame = vec![0_u8; FRAME_BYTES];
        while let Ok(bytes) = from.recv(&mut frame).await {
            let due = tokio::time::Instant::now() + delay;
            // A full link loses the frame.
            drop(on_the_way.try_send((due, frame[..bytes].to_vec())));
        }
    };
    let deliver = async move {
        while let Some((due, frame)) = arriving.recv().await {
            tokio::time::sleep_until(due).await;
            // An end that is down loses the frame, as a cable to a switched-off computer would.
            drop(to.send(&frame).await);
        }
    };
    tokio::join!(take, deliver);
}
