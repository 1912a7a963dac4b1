//! The hint of the bigger games: the move the computer suggests, searched off the UI thread.
//!
//! The move is [`Computer::suggest`]'s for the player to move, searched once per position on a
//! thread of its own, since a search takes up to a second. Classic's hints are a table look-up,
//! made by the board itself.
//!
//! The window asks [`Suggestions::want`] every frame while a bigger game's hints show; the
//! search wakes the window when it has chosen, and the board then lights the move. One search
//! runs at a time: a position left behind finishes its search (bounded by the computer's
//! budget), which is then dropped, and the newest position is searched next.

use std::sync::mpsc::{Receiver, TryRecvError, sync_channel};

use crate::game::{Cell, Computer, Digest, Game, Level};
use crate::net::Wake;

/// The suggestions known and the one being searched.
#[derive(Debug, Default)]
pub struct Suggestions {
    /// The last position searched and the move suggested there (`None` once the game is over).
    known: Option<(Digest, Option<Cell>)>,
    /// The search under way: its position and where its answer comes.
    running: Option<(Digest, Receiver<Option<Cell>>)>,
}

impl Suggestions {
    /// The move suggested for `game`, if already known; otherwise its search is started (or left
    /// running), and the callback `wake` makes is called when it has chosen.
    pub fn want(&mut self, game: &Game, wake: impl FnOnce() -> Wake) -> Option<Cell> {
        let digest = game.digest();
        self.collect();
        if let Some(known) = self.known(game) {
            return Some(known);
        }
        if self.known.is_some_and(|(at, _)| at == digest) {
            return None;
        }
        if self.running.is_none() {
            self.running = start(game, digest, wake());
        }
        None
    }

    /// The move suggested for `game`, if its search has answered.
    #[must_use]
    pub fn known(&self, game: &Game) -> Option<Cell> {
        match self.known {
            Some((at, cell)) if at == game.digest() => cell,
            _ => None,
        }
    }

    /// Takes the answer of the search under way, if it has come.
    fn collect(&mut self) {
        let Some((digest, answer)) = &self.running else {
            return;
        };
        match answer.try_recv() {
            Ok(cell) => {
                self.known = Some((*digest, cell));
                self.running = None;
            }
            Err(TryRecvError::Empty) => {}
            Err(TryRecvError::Disconnected) => {
                tracing::error!("the search for a suggestion ended without one");
                self.known = Some((*digest, None));
                self.running = None;
            }
        }
    }
}

/// Starts the search for `game`'s suggestion, seeded by its position so that a position always
/// gets the same one. `None` if no thread could be started (the board then shows none).
fn start(game: &Game, digest: Digest, wake: Wake) -> Option<(Digest, Receiver<Option<Cell>>)> {
    let (answer_tx, answer) = sync_channel(1);
    let game = game.clone();
    let spawned = std::thread::Builder::new()
        .name("suggestion".to_owned())
        .spawn(move || {
            let cell = Computer::new(Level::Hard, digest.0).suggest(&game);
            if answer_tx.send(cell).is_ok() {
                wake();
            }
        });
    match spawned {
        Ok(_) => Some((digest, answer)),
        Err(error) => {
            tracing::error!(%error, "no thread for the suggestion");
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::game::{Player, Variant};

    #[test]
    fn a_position_is_searched_once_and_its_suggestion_is_legal() {
        let mut game = Game::of(Variant::Gomoku, Player::X);
        game.play(Variant::Gomoku.parse_move("h8").unwrap())
            .unwrap();
        let (tx, rx) = sync_channel(4);
        let wake: Wake = std::sync::Arc::new(move || {
            let _sent = tx.try_send(());
        });
        let mut suggestions = Suggestions::default();
        assert_eq!(suggestions.want(&game, || wake.clone()), None);
        rx.recv_timeout(std::time::Duration::from_secs(30)).unwrap();
        let cell = suggestions.want(&game, || wake.clone()).unwrap();
        assert!(game.is_legal(cell));
        assert_eq!(suggestions.known(&game), Some(cell));
        // Asked again: known, no second search.
        assert_eq!(suggestions.want(&game, || wake.clone()), Some(cell));
        assert!(suggestions.running.is_none());
    }
}
