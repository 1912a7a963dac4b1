//! The joiner's commands on their way to the host: numbered from 1, kept until the host answers
//! them (`ack` or `rejected`), and sent again with the same id after a reconnection, so that
//! the host answers a repeat from memory and nothing is applied twice.
//!
//! Sans-IO and rules-free: the joiner decides what to send; this only numbers and remembers.

use std::collections::VecDeque;

use crate::game::{Cell, Intent};
use crate::net::front_end::CHANNEL_CAPACITY;
use crate::net::wire::ClientMsg;

/// Commands sent and not yet answered.
#[derive(Debug)]
pub(super) struct Commands {
    unacked: VecDeque<ClientMsg>,
    next_id: u64,
}

impl Commands {
    /// None sent yet: the first gets id 1.
    pub(super) const fn new() -> Self {
        Self {
            unacked: VecDeque::new(),
            next_id: 1,
        }
    }

    /// The numbered message for `intent`, kept until answered; `None` for an intent that has
    /// no message on the wire (it still uses up an id).
    pub(super) fn send(&mut self, intent: Intent) -> Option<ClientMsg> {
        let id = self.next_id;
        self.next_id += 1;
        let msg = match intent {
            Intent::Play(cell) => ClientMsg::Play { id, cell },
            Intent::Rematch => ClientMsg::Rematch { id },
            Intent::Resign => ClientMsg::Resign { id },
            Intent::Undo | Intent::ClaimWin | Intent::Leave => return None,
        };
        if self.unacked.len() >= CHANNEL_CAPACITY {
            self.unacked.pop_front();
        }
        self.unacked.push_back(msg.clone());
        Some(msg)
    }

    /// The host answered the command `id`.
    pub(super) fn answered(&mut self, id: u64) {
        self.unacked.retain(|msg| msg.id() != Some(id));
    }

    /// Whether every command has been answered.
    pub(super) fn all_answered(&self) -> bool {
        self.unacked.is_empty()
    }

    /// The cell of a move sent and not yet confirmed.
    pub(super) fn pending_cell(&self) -> Option<Cell> {
        self.unacked.iter().find_map(|msg| match msg {
            ClientMsg::Play { cell, .. } => Some(*cell),
            _ => None,
        })
    }

    /// Every unanswered command, to send again on a new connection.
    pub(super) fn unanswered(&self) -> impl Iterator<Item = ClientMsg> + '_ {
        self.unacked.iter().cloned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn commands_are_numbered_kept_until_answered_and_sent_again() {
        let cell = Cell::from_number(5).unwrap();
        let mut commands = Commands::new();
        assert_eq!(
            commands.send(Intent::Play(cell)),
            Some(ClientMsg::Play { id: 1, cell })
        );
        assert_eq!(commands.send(Intent::ClaimWin), None);
        assert_eq!(
            commands.send(Intent::Resign),
            Some(ClientMsg::Resign { id: 3 })
        );
        assert_eq!(commands.pending_cell(), Some(cell));
        assert_eq!(commands.unanswered().count(), 2);
        commands.answered(1);
        assert_eq!(commands.pending_cell(), None);
        assert!(!commands.all_answered());
        commands.answered(3);
        assert!(commands.all_answered());
    }
}
