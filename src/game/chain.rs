//! The hash chain over a match's events: evidence that two sides saw the same history.

use serde::{Deserialize, Serialize};

use super::Event;

/// The head of a match's hash chain, evidence of the events seen.
///
/// SHA-256 over the previous head and each event's text, in order, from 32 zero bytes before the
/// first event. Two sides that applied the same events have the same head; a side whose history
/// was changed has another. Written as 64 lower-case hex digits.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(into = "String", try_from = "String")]
pub struct Chain(pub [u8; 32]);

impl Chain {
    /// The head before any event.
    pub const START: Self = Self([0; 32]);

    /// The head once `event` follows this one: SHA-256 of these 32 bytes and the event's text.
    #[must_use]
    pub fn after(self, event: &Event) -> Self {
        use sha2::Digest as _;
        let mut hash = sha2::Sha256::new();
        hash.update(self.0);
        hash.update(event.to_text().as_bytes());
        Self(hash.finalize().into())
    }
}

impl std::fmt::Display for Chain {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.iter().try_for_each(|byte| write!(f, "{byte:02x}"))
    }
}

impl std::fmt::Debug for Chain {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Chain({self})")
    }
}

impl From<Chain> for String {
    fn from(chain: Chain) -> Self {
        chain.to_string()
    }
}

impl TryFrom<String> for Chain {
    type Error = String;

    fn try_from(text: String) -> Result<Self, Self::Error> {
        let bad = || format!("{text:?} is not a 64-digit hex chain head");
        if text.len() != 64 || !text.is_ascii() {
            return Err(bad());
        }
        let mut bytes = [0_u8; 32];
        for (i, byte) in bytes.iter_mut().enumerate() {
            *byte = u8::from_str_radix(&text[2 * i..2 * i + 2], 16).map_err(|_not_hex| bad())?;
        }
        Ok(Self(bytes))
    }
}

impl std::str::FromStr for Chain {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        Self::try_from(text.to_owned())
    }
}
