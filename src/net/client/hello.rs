//! Saying `hello` on a fresh connection and reading the host's answer: a welcome (a player's or
//! a watcher's), a refusal told as the [`NetError`] a person needs, a welcome this version
//! cannot read ([`NetError::Unreadable`], worth a few more tries), or something that is not a
//! host of this game at all ([`NetError::NotAHost`]).
//!
//! Owns no match: what the welcome carries goes to the session that asked.

use std::time::Duration;

use tokio::time::timeout;

use crate::game::{Player, Snapshot};
use crate::net::NetError;
use crate::net::Timing;
use crate::net::connection::ReadError;
use crate::net::dial::HostLine;
use crate::net::wire::{
    APP_VERSION, ClientMsg, HelloRole, ParseError, Reject, RejectReason, Rules, ServerMsg,
};

/// What the host agreed to in its welcome, for as long as the connection lasts.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Terms {
    /// The rules and timings the host plays by.
    pub(crate) rules: Rules,
    /// Whether this side may chat: a player always, a watcher when the host says so.
    pub(crate) may_chat: bool,
    /// How many watch (a watcher's welcome says; a player learns it later).
    pub(crate) watchers: u64,
}

impl Terms {
    /// Both sides asked for every next game in advance: the host starts it, and no `rematch`
    /// is sent.
    pub(crate) const fn auto_rematch(&self) -> bool {
        self.rules.auto_rematch
    }

    /// How long the host holds a seat after losing the link.
    pub(crate) const fn grace(&self) -> Duration {
        Duration::from_millis(self.rules.grace_ms)
    }

    /// After how long without a message the host counts the link as dead.
    pub(crate) const fn dead_after(&self) -> Duration {
        Duration::from_millis(self.rules.dead_after_ms)
    }
}

/// A welcome, as the side that said `hello` reads it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Welcomed {
    /// A player's mark and resume token; `None` for a watcher.
    pub(crate) seat: Option<(Player, String)>,
    /// The whole state, or `None` when resuming (the missed events follow).
    pub(crate) snapshot: Option<Snapshot>,
    /// What the host agreed to.
    pub(crate) terms: Terms,
}

impl Welcomed {
    /// The welcome in `msg` for a `hello` asking to be `role`, if it is one.
    fn read(msg: ServerMsg, role: HelloRole) -> Option<Self> {
        match (role, msg) {
            (
                HelloRole::Play,
                ServerMsg::Welcome {
                    you,
                    token,
                    rules,
                    snapshot,
                    ..
                },
            ) => Some(Self {
                seat: Some((you, token)),
                snapshot,
                terms: Terms {
                    rules,
                    may_chat: true,
                    watchers: 0,
                },
            }),
            (
                HelloRole::Watch,
                ServerMsg::WatchWelcome {
                    rules,
                    chat,
                    watchers,
                    snapshot,
                    ..
                },
            ) => Some(Self {
                seat: None,
                snapshot: Some(snapshot),
                terms: Terms {
                    rules,
                    may_chat: chat,
                    watchers,
                },
            }),
            _ => None,
        }
    }
}

/// The `type` of the welcome a `hello` asking to be `role` gets.
const fn welcome_type(role: HelloRole) -> &'static str {
    match role {
        HelloRole::Play => "welcome",
        HelloRole::Watch => "watch_welcome",
    }
}

/// Says `hello` on `conn` and reads the answer within the hello timeout.
pub(crate) async fn say_hello(
    conn: &mut HostLine,
    hello: &ClientMsg,
    ip_port: &str,
    timing: &Timing,
) -> Result<Welcomed, NetError> {
    // The connection closed under the hello: the host let it go (it may have been pushed out
    // of its slot by a crowd), which is worth another try.
    conn.write_msg(hello).await.map_err(|error| {
        tracing::info!(%error, "the hello could not be sent");
        NetError::ConnectionLost
    })?;
    let answer = timeout(timing.hello_timeout, async {
        loop {
            match conn.read_msg().await {
                Err(ReadError::Control) => {}
                read => return read,
            }
        }
    })
    .await
    .map_err(|elapsed| {
        tracing::info!(%elapsed, "no answer to hello");
        NetError::Timeout {
            ip_port: ip_port.to_owned(),
        }
    })?;
    let (protocol, role) = match hello {
        ClientMsg::Hello { protocol, role, .. } => (*protocol, *role),
        _ => (crate::net::PROTOCOL_VERSION, HelloRole::Play),
    };
    let not_a_host = || NetError::NotAHost {
        ip_port: ip_port.to_owned(),
    };
    match answer {
        Ok(Some(ServerMsg::Reject(reject))) => Err(rejection(&reject, protocol)),
        Ok(Some(msg)) => {
            // A host from before watchers seats anyone who says hello.
            let seated = matches!(msg, ServerMsg::Welcome { .. });
            Welcomed::read(msg, role).ok_or_else(|| {
                if seated {
                    NetError::Rejected {
                        message: String::from("this host's version cannot take watchers"),
                    }
                } else {
                    not_a_host()
                }
            })
        }
        Err(ReadError::Parse(ParseError::Malformed {
            type_name: Some(type_name),
            detail,
            ..
        })) if type_name == welcome_type(role) => {
            tracing::warn!(%detail, "a welcome this version cannot read");
            Err(NetError::Unreadable)
        }
        Err(ReadError::Parse(_) | ReadError::Binary { .. }) => Err(not_a_host()),
        Ok(None) | Err(_) => Err(NetError::ConnectionLost),
    }
}

/// The error a person needs for the host's refusal.
fn rejection(reject: &Reject, my_protocol: u32) -> NetError {
    match reject.reason {
        RejectReason::VersionMismatch => NetError::VersionMismatch {
            host_app: reject.app.clone(),
            host_protocol: reject.protocol,
            my_app: APP_VERSION.to_owned(),
            my_protocol,
        },
        RejectReason::MatchFull => NetError::MatchFull,
        RejectReason::BadSeatCode => NetError::BadSeatCode,
        RejectReason::TooManyTries => NetError::TooManyTries,
        RejectReason::MatchOver => NetError::MatchOver,
        RejectReason::BadToken => NetError::BadToken,
        RejectReason::WatchingOff => NetError::WatchingOff,
        RejectReason::TooManyWatchers => NetError::TooManyWatchers,
        RejectReason::ExpectedHello | RejectReason::HelloTimeout => NetError::Rejected {
            message: reject.message.clone(),
        },
    }
}
