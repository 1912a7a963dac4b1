//! A game that has ended, as its record needs it: [`GameOver`], made in one place
//! ([`Match::game_over_as`]), and [`verdict_of`], the one rule of who won.

use super::{Chain, Ending, Event, Game, Intent, Match, Outcome, Player, Verdict};

/// A game that an event has just ended (or, for a game saved while it is played, the game so
/// far): what a record of it needs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GameOver {
    /// The names of the players of X and O.
    pub names: [String; 2],
    /// The 1-based number of the game in its match.
    pub game_number: u32,
    /// The game as it stood when it ended.
    pub game: Game,
    /// How it ended.
    pub ending: Ending,
    /// The match's chain head once the event that ended it was applied, when known.
    pub chain: Option<Chain>,
}

impl GameOver {
    /// Who won it.
    #[must_use]
    pub fn verdict(&self) -> Verdict {
        verdict_of(self.ending, &self.game)
    }

    /// The game's events, from its first move to the event that ended it: each move, then the
    /// resignation, the claim or the leaving that ended it off the board. A replay steps through
    /// them with [`Match::for_game`].
    #[must_use]
    pub fn events(&self) -> Vec<Event> {
        let game = &self.game;
        let mut events: Vec<Event> = (0..game.moves().len())
            .map(|ply| Event::Moved {
                player: game.mover_of(ply),
                cell: game.moves()[ply],
            })
            .collect();
        events.extend(match self.ending {
            Ending::Resigned { player } => Some(Event::Resigned { player }),
            Ending::Abandoned { player } => Some(Event::Abandoned { player }),
            Ending::Left { player } => Some(Event::Left { player }),
            Ending::Won | Ending::Draw | Ending::Unfinished => None,
        });
        events
    }
}

/// Who won a game that ended as `ending` in the position `game`.
#[must_use]
pub fn verdict_of(ending: Ending, game: &Game) -> Verdict {
    match ending {
        Ending::Resigned { player } | Ending::Abandoned { player } => Verdict::Win(player.other()),
        Ending::Left { .. } | Ending::Unfinished => Verdict::Unfinished,
        Ending::Won | Ending::Draw => match game.outcome() {
            Outcome::Won { winner, .. } => Verdict::Win(winner),
            Outcome::Draw => Verdict::Draw,
            Outcome::InProgress { .. } => Verdict::Unfinished,
        },
    }
}

impl Match {
    /// The record of the current game as ending `ending`: the one place a finished game's
    /// record is made, whether an event ended it, a snapshot showed it ended, or it is saved
    /// while it is played ([`Ending::Unfinished`]).
    #[must_use]
    pub fn game_over_as(&self, ending: Ending) -> GameOver {
        GameOver {
            names: Player::ALL.map(|player| self.name(player).to_owned()),
            game_number: self.game_number(),
            game: self.game().clone(),
            ending,
            chain: self.chain(),
        }
    }

    /// The record of the current game should `seat` leave the match now, as the match itself
    /// would end it (`None` when leaving ends no game), without changing this match: what a
    /// side that leaves and stops listening records.
    #[must_use]
    pub fn leaving(&self, seat: Player) -> Option<GameOver> {
        let mut after = self.clone();
        after.act(seat, Intent::Leave).ok().flatten()
    }

    /// The record of the current game as it stands: ended as it ended, or unfinished.
    #[must_use]
    pub fn game_so_far(&self) -> GameOver {
        self.game_over_as(self.ending().unwrap_or(Ending::Unfinished))
    }
}
