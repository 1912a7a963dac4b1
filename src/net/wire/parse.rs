//! How a text frame becomes a message: one `serde_json` pass, and for invalid input a second,
//! loose reading that says what was wrong ([`ParseError`]).

use super::{ClientMsg, Refusal, ServerMsg};
use crate::game::MAX_CELLS;

/// Why a text frame is not a valid [`ClientMsg`] (or [`ServerMsg`]).
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ParseError {
    /// Not JSON, not an object, no string `type`, or a field missing or of the wrong type.
    #[error("malformed message: {detail}")]
    Malformed {
        /// The command id, when one could be read.
        id: Option<u64>,
        /// The message's `type`, when it is one this protocol knows: a known message that
        /// cannot be read (a snapshot with a mark this version does not know, say).
        type_name: Option<&'static str>,
        /// What was wrong.
        detail: String,
    },
    /// A `type` this protocol does not know.
    #[error("unknown message type {type_name:?}")]
    UnknownType {
        /// The command id, when one could be read.
        id: Option<u64>,
        /// The type given.
        type_name: String,
    },
    /// A cell number on no board: outside 1–225 (whether it is on the match's board is the
    /// rules' to say).
    #[error("there is no cell {cell}: cells are numbered from 1")]
    OutOfRange {
        /// The command id, when one could be read.
        id: Option<u64>,
        /// The number given.
        cell: serde_json::Value,
    },
}

impl ParseError {
    /// The command id, when one could be read.
    #[must_use]
    pub const fn id(&self) -> Option<u64> {
        match self {
            Self::Malformed { id, .. }
            | Self::UnknownType { id, .. }
            | Self::OutOfRange { id, .. } => *id,
        }
    }

    /// The refusal to send back.
    #[must_use]
    pub const fn refusal(&self) -> Refusal {
        match self {
            Self::Malformed { .. } => Refusal::Malformed,
            Self::UnknownType { .. } => Refusal::UnknownType,
            Self::OutOfRange { .. } => Refusal::OutOfRange,
        }
    }
}

const CLIENT_TYPES: [&str; 9] = [
    "hello", "play", "rematch", "resign", "sync", "leave", "ping", "pong", "chat",
];
const SERVER_TYPES: [&str; 11] = [
    "welcome",
    "reject",
    "event",
    "ack",
    "rejected",
    "snapshot",
    "ping",
    "pong",
    "watch_welcome",
    "watchers",
    "chat",
];

/// A message type that parses from a text frame: the fast path is one `serde_json` pass; only
/// invalid input pays for the second pass that says what was wrong.
pub trait Inbound: Sized + serde::de::DeserializeOwned {
    /// The `type` values this message enum knows.
    const TYPES: &'static [&'static str];

    /// Parses one text frame.
    fn parse(text: &str) -> Result<Self, ParseError> {
        serde_json::from_str(text).map_err(|error| classify(text, Self::TYPES, &error))
    }
}

impl Inbound for ClientMsg {
    const TYPES: &'static [&'static str] = &CLIENT_TYPES;
}

impl Inbound for ServerMsg {
    const TYPES: &'static [&'static str] = &SERVER_TYPES;
}

/// Says why `text` did not parse, reading it loosely.
fn classify(text: &str, types: &'static [&'static str], error: &serde_json::Error) -> ParseError {
    let value: serde_json::Value = match serde_json::from_str(text) {
        Ok(value) => value,
        Err(e) => {
            return ParseError::Malformed {
                id: None,
                type_name: None,
                detail: e.to_string(),
            };
        }
    };
    let Some(object) = value.as_object() else {
        return ParseError::Malformed {
            id: None,
            type_name: None,
            detail: "a message must be a JSON object".to_owned(),
        };
    };
    let id = object.get("id").and_then(serde_json::Value::as_u64);
    let Some(type_name) = object.get("type").and_then(serde_json::Value::as_str) else {
        return ParseError::Malformed {
            id,
            type_name: None,
            detail: "a message needs a string \"type\"".to_owned(),
        };
    };
    let Some(&known) = types.iter().find(|&&known| known == type_name) else {
        return ParseError::UnknownType {
            id,
            type_name: type_name.chars().take(64).collect(),
        };
    };
    // A whole number on no board is out of range; anything else (5.0, "5") is a type error.
    if type_name == "play"
        && let Some(cell) = object.get("cell")
        && (cell.is_u64() || cell.is_i64())
    {
        let in_range = cell
            .as_u64()
            .and_then(|n| usize::try_from(n).ok())
            .is_some_and(|n| (1..=MAX_CELLS).contains(&n));
        if !in_range {
            return ParseError::OutOfRange {
                id,
                cell: cell.clone(),
            };
        }
    }
    ParseError::Malformed {
        id,
        type_name: Some(known),
        detail: error.to_string(),
    }
}
