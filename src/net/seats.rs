//! The seats this joiner holds, kept on disk so that a joiner started again takes its seat back:
//! the file is the store's ([`crate::store::seats`]); how often the joiner writes is decided here.

use std::time::Duration;

pub use crate::store::seats::{Seat, SeatStore, now_s};

/// How often a held seat's "last heard" time is written while the link is up.
pub const HEARD_EVERY: Duration = Duration::from_secs(5);
