//! Disputes: how a later state of a networked match contradicts what one side saw of it. The
//! host's word is final, but a contradiction is said, and kept with the game's record.

use super::{Ending, Game, Match, Player, Score};

/// How a later state of a networked match contradicts what one side saw of it: the host's
/// word is final, but this is said, and kept.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum Contradiction {
    /// The version went back.
    #[error("it went back from event {seen} to event {now}")]
    WentBack {
        /// The version seen.
        seen: u64,
        /// The version now.
        now: u64,
    },
    /// A move seen in the current game is not the host's any more.
    #[error("game {game}: you saw the moves {seen}, it now says {now}")]
    MovesChanged {
        /// The game's number.
        game: u32,
        /// The moves seen, as people write them (cell numbers on the classic board).
        seen: String,
        /// The moves now.
        now: String,
    },
    /// An ending of this side that this side did not cause.
    #[error("it says {what}, which did not happen")]
    Invented {
        /// What it says this side did ("you resigned").
        what: &'static str,
    },
    /// A score the games played do not add up to.
    #[error("it gives a score of {x}–{o} and {draws} drawn after {games} games")]
    ScoreOff {
        /// X's wins.
        x: u32,
        /// O's wins.
        o: u32,
        /// Draws.
        draws: u32,
        /// The games finished, as the game number says.
        games: u32,
    },
    /// A result seen was taken back.
    #[error("it takes back a result you saw: the score was {seen}, it is now {now}")]
    ResultTakenBack {
        /// The score seen, as "X–O, D drawn".
        seen: String,
        /// The score now.
        now: String,
    },
    /// The hash chains differ at the same version: the history before it was changed.
    #[error("its record of the match up to event {v} differs from yours")]
    HistoryChanged {
        /// The version.
        v: u64,
    },
}

fn moves_text(game: &Game) -> String {
    let variant = game.variant();
    let moves: Vec<String> = game
        .moves()
        .iter()
        .map(|&cell| variant.move_text(cell))
        .collect();
    if moves.is_empty() {
        "(none)".to_owned()
    } else {
        moves.join(" ")
    }
}

fn score_text(score: Score) -> String {
    format!("{}–{}, {} drawn", score.x_wins, score.o_wins, score.draws)
}

impl Match {
    /// Whether `later`, a state of this match the host sent after this one, contradicts it, seen
    /// by `me` who resigned the games numbered `resigned`. An honest host's later state only
    /// extends what was seen.
    #[must_use]
    pub fn contradicted_by(
        &self,
        later: &Self,
        me: Player,
        resigned: &[u32],
    ) -> Option<Contradiction> {
        // Every game before the current one was decided (a next game starts only then), and the
        // current one counts once decided; a game cut short by a player leaving counts nothing.
        let games = later.game_number.saturating_sub(1) + u32::from(later.game_over());
        let score = later.score;
        if score.games() != games {
            return Some(Contradiction::ScoreOff {
                x: score.x_wins,
                o: score.o_wins,
                draws: score.draws,
                games,
            });
        }
        if later.v < self.v {
            return Some(Contradiction::WentBack {
                seen: self.v,
                now: later.v,
            });
        }
        if later.v == self.v
            && let (Some(seen), Some(now)) = (self.chain, later.chain)
            && seen != now
        {
            return Some(Contradiction::HistoryChanged { v: later.v });
        }
        let (seen, now) = (self.score, later.score);
        if now.x_wins < seen.x_wins || now.o_wins < seen.o_wins || now.draws < seen.draws {
            return Some(Contradiction::ResultTakenBack {
                seen: score_text(seen),
                now: score_text(now),
            });
        }
        if later.game_number < self.game_number
            || (later.game_number == self.game_number
                && !later.game.moves().starts_with(self.game.moves()))
        {
            return Some(Contradiction::MovesChanged {
                game: self.game_number,
                seen: moves_text(&self.game),
                now: if later.game_number == self.game_number {
                    moves_text(&later.game)
                } else {
                    format!(
                        "game {} with {}",
                        later.game_number,
                        moves_text(&later.game)
                    )
                },
            });
        }
        later.invented_for(me, resigned)
    }

    /// An ending of `me` in this state that `me` did not cause: a resignation it never sent, or
    /// leaving or staying away while it was there to hear of it.
    #[must_use]
    pub fn invented_for(&self, me: Player, resigned: &[u32]) -> Option<Contradiction> {
        if self.ended == Some(Ending::Resigned { player: me })
            && !resigned.contains(&self.game_number)
        {
            return Some(Contradiction::Invented {
                what: "you resigned",
            });
        }
        match self.over {
            Some(Ending::Abandoned { player }) if player == me => Some(Contradiction::Invented {
                what: "you stayed away and lost",
            }),
            Some(Ending::Left { player }) if player == me => {
                Some(Contradiction::Invented { what: "you left" })
            }
            _ => None,
        }
    }
}
