//! The one tokio runtime every host, joiner and watcher of the process runs on, started at the
//! first use, and the tasks a handle owns on it.
//!
//! A multi-threaded runtime with named threads (`tictactoe-net`), one worker per core (two at
//! least, so that the match's task always has a thread while the other writes to watchers;
//! `docs/PERFORMANCE.md`, "Watchers"). A handle owns its root task ([`HandleTask`]): dropping the
//! handle cancels the task, and waits for it to finish its goodbyes, as it once waited for a
//! thread of its own. Owns no connection and no match.

use std::future::Future;
use std::sync::OnceLock;
use std::sync::mpsc;
use std::time::Duration;

use tokio::runtime::{Builder, Handle, Runtime};

use super::NetError;

/// The name of the runtime's threads.
pub const THREAD_NAME: &str = "tictactoe-net";

/// How long dropping a handle waits at most for its task's goodbyes. Each goodbye has its own
/// shorter limit (the write timeout, the closing handshake): this only guards against a bug.
const FINISH_LIMIT: Duration = Duration::from_secs(10);

static RUNTIME: OnceLock<Result<Runtime, String>> = OnceLock::new();

/// How many worker threads: one per core, at least two and at most four.
fn workers() -> usize {
    std::thread::available_parallelism().map_or(2, |cores| cores.get().clamp(2, 4))
}

/// The runtime, started on first use.
pub(crate) fn handle() -> Result<&'static Handle, NetError> {
    let runtime = RUNTIME.get_or_init(|| {
        Builder::new_multi_thread()
            .worker_threads(workers())
            .thread_name(THREAD_NAME)
            .enable_all()
            .build()
            .map_err(|error| error.to_string())
    });
    match runtime {
        Ok(runtime) => Ok(runtime.handle()),
        Err(detail) => Err(NetError::Start {
            detail: detail.clone(),
        }),
    }
}

/// A handle's root task on the runtime: what dropping the handle waits for.
#[derive(Debug)]
pub(crate) struct HandleTask {
    name: &'static str,
    /// Disconnected once the task has finished (or panicked).
    finished: mpsc::Receiver<()>,
}

impl HandleTask {
    /// Spawns `task`, named `name` in the logs, on `runtime`.
    pub(crate) fn spawn(
        runtime: &Handle,
        name: &'static str,
        task: impl Future<Output = ()> + Send + 'static,
    ) -> Self {
        let (done, finished) = mpsc::sync_channel(0);
        let inner = runtime.spawn(task);
        runtime.spawn(async move {
            if let Err(error) = inner.await
                && error.is_panic()
            {
                tracing::error!(task = name, "a network task panicked");
            }
            drop(done);
        });
        Self { name, finished }
    }

    /// Waits (blocking the thread) until the task has finished; call after cancelling it.
    pub(crate) fn wait(&self) {
        if self.finished.recv_timeout(FINISH_LIMIT) == Err(mpsc::RecvTimeoutError::Timeout) {
            tracing::error!(task = self.name, "a network task did not finish in time");
        }
    }
}
