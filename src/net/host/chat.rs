//! The chat relay: who may say what, and who hears it. Each line is cleaned and checked
//! (`docs/PROTOCOL.md`, "Chat"), then passed on to everyone in the match but the one who said
//! it: the host player, the joiner and the watchers.
//!
//! Sans-IO: the match task hands in a line with its sender and sends the line where [`Heard`]
//! says. Owns the chat's rules and names; the rates are each connection's (the seat's link, a
//! watcher's task), counted in the same bucket type as every other limit.

use crate::game::Player;
use crate::net::rate::TokenBucket;
use crate::net::wire::{ChatLine, Refusal, clean_chat};

/// Where a line of chat goes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct Heard {
    /// The line.
    pub(super) line: ChatLine,
    /// The host player hears it (a line of the host player's own is shown as said instead).
    pub(super) by_host: bool,
    /// The joiner hears it.
    pub(super) by_joiner: bool,
}

/// A line cleaned, and within `rate` when there is one.
pub(super) fn rated_line(text: &str, rate: Option<&mut TokenBucket>) -> Result<String, Refusal> {
    let text = clean_chat(text)?;
    if rate.is_none_or(TokenBucket::take) {
        Ok(text)
    } else {
        Err(Refusal::ChatTooFast)
    }
}

/// The rules of the match's chat.
#[derive(Clone, Debug)]
pub(super) struct ChatRelay {
    host_name: String,
    host_mark: Player,
    /// Whether watchers may chat.
    watchers_chat: bool,
}

impl ChatRelay {
    /// The chat of a host called `host_name` playing `host_mark`.
    pub(super) const fn new(host_name: String, host_mark: Player, watchers_chat: bool) -> Self {
        Self {
            host_name,
            host_mark,
            watchers_chat,
        }
    }

    /// Whether watchers may chat.
    pub(super) const fn watchers_chat(&self) -> bool {
        self.watchers_chat
    }

    /// A line from the host player: to the joiner and the watchers.
    pub(super) fn said_by_host(&self, text: &str) -> Result<Heard, Refusal> {
        Ok(Heard {
            line: ChatLine {
                name: self.host_name.clone(),
                player: Some(self.host_mark),
                text: rated_line(text, None)?,
            },
            by_host: false,
            by_joiner: true,
        })
    }

    /// A line from the joiner called `name`, within its chat rate: to the host player and the
    /// watchers.
    pub(super) fn said_by_joiner(
        &self,
        name: &str,
        text: &str,
        rate: &mut TokenBucket,
    ) -> Result<Heard, Refusal> {
        Ok(Heard {
            line: ChatLine {
                name: name.to_owned(),
                player: Some(self.host_mark.other()),
                text: rated_line(text, Some(rate))?,
            },
            by_host: true,
            by_joiner: false,
        })
    }

    /// A line a watcher's task has already checked: to everyone, the watcher included.
    pub(super) const fn said_by_watcher(name: String, text: String) -> Heard {
        Heard {
            line: ChatLine {
                name,
                player: None,
                text,
            },
            by_host: true,
            by_joiner: true,
        }
    }

    /// Checks a watcher's line in its task: allowed by the host, cleaned, within its rate.
    pub(super) fn check_watcher_line(
        watchers_chat: bool,
        text: &str,
        rate: &mut TokenBucket,
    ) -> Result<String, Refusal> {
        if watchers_chat {
            rated_line(text, Some(rate))
        } else {
            Err(Refusal::ChatOff)
        }
    }
}
