//! Players that decide by themselves: a [`Driver`] looks at the match and says what it wants, as
//! an [`Intent`] like any person's. The engine never knows who is behind a seat.
//!
//! [`Bot`] is the computer player as a driver. The same `Bot` plays in the window, for
//! `tictactoe play --computer`, and for `tictactoe host --bot` and `join --bot`.

use super::{Computer, Intent, Match, Player};

/// Something that plays a seat of a match without a person: asked after every change, it
/// answers what it wants to do now, if anything.
pub trait Driver: Send {
    /// What this driver wants to do as `seat` in `state`, if anything. Asked again after every
    /// change, so it need not remember what it asked for.
    fn intent(&mut self, state: &Match, seat: Player) -> Option<Intent>;
}

/// The computer as a player: on its turn it chooses a move at its level; once a game is over it
/// asks for the next one, if told to.
#[derive(Clone, Debug)]
pub struct Bot {
    computer: Computer,
    rematch: bool,
}

impl Bot {
    /// A computer player that plays one game at a time (it never asks for a rematch itself).
    #[must_use]
    pub const fn new(computer: Computer) -> Self {
        Self {
            computer,
            rematch: false,
        }
    }

    /// Asks for the next game as soon as one is over (`true`), or leaves that to others.
    #[must_use]
    pub const fn asking_rematch(mut self, rematch: bool) -> Self {
        self.rematch = rematch;
        self
    }

    /// The computer behind it.
    #[must_use]
    pub const fn computer(&self) -> &Computer {
        &self.computer
    }
}

impl Driver for Bot {
    fn intent(&mut self, state: &Match, seat: Player) -> Option<Intent> {
        if state.over().is_some() {
            None
        } else if state.to_move() == Some(seat) {
            self.computer.choose(state.game()).map(Intent::Play)
        } else if self.rematch && state.game_over() && !state.wants_rematch(seat) {
            Some(Intent::Rematch)
        } else {
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::game::{Level, Verdict};

    #[test]
    fn two_perfect_bots_draw_game_after_game() {
        let mut state = Match::new("A", "B");
        let mut bots = [
            Bot::new(Computer::new(Level::Perfect, 1)).asking_rematch(true),
            Bot::new(Computer::new(Level::Perfect, 2)).asking_rematch(true),
        ];
        let mut verdicts = Vec::new();
        for _ in 0..200 {
            if state.game_number() > 4 {
                break;
            }
            let asked = Player::ALL.into_iter().find_map(|seat| {
                let slot = usize::from(seat == Player::O);
                bots[slot].intent(&state, seat).map(|intent| (seat, intent))
            });
            let Some((seat, intent)) = asked else {
                break;
            };
            if let Some(over) = state.act(seat, intent).unwrap() {
                verdicts.push(over.verdict());
            }
        }
        assert_eq!(verdicts, [Verdict::Draw; 4]);
    }
}
