//! Statistics drawn from the history: wins, losses and draws against each opponent and each
//! computer level, streaks, and when you last played. Pure: a function of a list of records.
//!
//! "You" is the person at this computer: games against the computer and over the network count
//! from their side. Games between two people at this computer count for each pair of names.

use std::collections::BTreeMap;

use jiff::Timestamp;

use super::{Mode, Record, Verdict};
use crate::game::{Level, Player};

/// Who you played.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Opponent {
    /// The computer at this level.
    Computer(Level),
    /// A friend over the network, by name.
    Person(String),
}

impl std::fmt::Display for Opponent {
    /// "Computer (perfect)" or the friend's name.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Computer(level) => write!(f, "Computer ({level})"),
            Self::Person(name) => f.write_str(name),
        }
    }
}

/// Your games against one opponent.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Tally {
    /// Games you won.
    pub wins: u32,
    /// Games you lost.
    pub losses: u32,
    /// Games drawn.
    pub draws: u32,
    /// Games that stopped undecided (someone left).
    pub unfinished: u32,
    /// When the last of them was played.
    pub last_played: Timestamp,
}

impl Tally {
    const fn new(at: Timestamp) -> Self {
        Self {
            wins: 0,
            losses: 0,
            draws: 0,
            unfinished: 0,
            last_played: at,
        }
    }

    /// Every game counted, unfinished ones too.
    #[must_use]
    pub const fn games(&self) -> u32 {
        self.wins + self.losses + self.draws + self.unfinished
    }
}

/// Games between two people at this computer, for one pair of names (in alphabetical order).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PairTally {
    /// The two names, in alphabetical order.
    pub names: [String; 2],
    /// Games won by each, in the same order.
    pub wins: [u32; 2],
    /// Games drawn.
    pub draws: u32,
    /// Games that stopped undecided.
    pub unfinished: u32,
    /// When they last played.
    pub last_played: Timestamp,
}

impl PairTally {
    /// Every game they played, unfinished ones too.
    #[must_use]
    pub fn games(&self) -> u32 {
        self.wins[0] + self.wins[1] + self.draws + self.unfinished
    }
}

/// A run of the same result at the end of your games.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Streak {
    /// No decided games yet.
    #[default]
    None,
    /// This many wins in a row.
    Wins(u32),
    /// This many losses in a row.
    Losses(u32),
    /// This many draws in a row.
    Draws(u32),
}

impl std::fmt::Display for Streak {
    /// "3 wins", "1 loss", "2 draws", "none".
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let (n, one, many) = match *self {
            Self::None => return f.write_str("none"),
            Self::Wins(n) => (n, "win", "wins"),
            Self::Losses(n) => (n, "loss", "losses"),
            Self::Draws(n) => (n, "draw", "draws"),
        };
        write!(f, "{n} {}", if n == 1 { one } else { many })
    }
}

/// Everything the statistics screen and `tictactoe history --stats` show.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Stats {
    /// Every game in the history.
    pub games: usize,
    /// Your games against each computer level and each friend: levels weakest first, then names
    /// in alphabetical order.
    pub opponents: Vec<(Opponent, Tally)>,
    /// Your games against everyone together.
    pub total: Option<Tally>,
    /// Games between two people at this computer, by pair of names.
    pub pairs: Vec<PairTally>,
    /// The run of results at the end of your games (unfinished games do not break it).
    pub current_streak: Streak,
    /// Your longest run of wins.
    pub best_win_streak: u32,
    /// When the last game of any kind was played.
    pub last_played: Option<Timestamp>,
}

/// Computes the statistics of `records`, taken in the order they were played.
#[must_use]
pub fn stats(records: &[Record]) -> Stats {
    let mut ordered: Vec<&Record> = records.iter().collect();
    ordered.sort_by_key(|r| r.played_at());

    let mut opponents: BTreeMap<Opponent, Tally> = BTreeMap::new();
    let mut pairs: BTreeMap<[String; 2], PairTally> = BTreeMap::new();
    let mut total: Option<Tally> = None;
    let mut streak = Streak::None;
    let mut best_win_streak = 0;
    for record in &ordered {
        let at = record.played_at();
        let verdict = record.verdict();
        let Some(you) = record.mode().you() else {
            add_pair(&mut pairs, record);
            continue;
        };
        let opponent = match record.mode() {
            Mode::Computer { level, .. } => Opponent::Computer(level),
            Mode::Network { .. } | Mode::HotSeat => {
                Opponent::Person(record.name(you.other()).to_owned())
            }
        };
        for tally in [
            opponents.entry(opponent).or_insert_with(|| Tally::new(at)),
            total.get_or_insert_with(|| Tally::new(at)),
        ] {
            tally.last_played = at;
            match verdict {
                Verdict::Win(winner) if winner == you => tally.wins += 1,
                Verdict::Win(_) => tally.losses += 1,
                Verdict::Draw => tally.draws += 1,
                Verdict::Unfinished => tally.unfinished += 1,
            }
        }
        streak = match (verdict, streak) {
            (Verdict::Unfinished, _) => streak,
            (Verdict::Win(w), Streak::Wins(n)) if w == you => Streak::Wins(n + 1),
            (Verdict::Win(w), _) if w == you => Streak::Wins(1),
            (Verdict::Win(_), Streak::Losses(n)) => Streak::Losses(n + 1),
            (Verdict::Win(_), _) => Streak::Losses(1),
            (Verdict::Draw, Streak::Draws(n)) => Streak::Draws(n + 1),
            (Verdict::Draw, _) => Streak::Draws(1),
        };
        if let Streak::Wins(n) = streak {
            best_win_streak = best_win_streak.max(n);
        }
    }
    Stats {
        games: records.len(),
        opponents: opponents.into_iter().collect(),
        total,
        pairs: pairs.into_values().collect(),
        current_streak: streak,
        best_win_streak,
        last_played: ordered.last().map(|r| r.played_at()),
    }
}

fn add_pair(pairs: &mut BTreeMap<[String; 2], PairTally>, record: &Record) {
    let (x, o) = (record.name(Player::X), record.name(Player::O));
    let (names, x_slot) = if x <= o {
        ([x.to_owned(), o.to_owned()], 0)
    } else {
        ([o.to_owned(), x.to_owned()], 1)
    };
    let pair = pairs.entry(names.clone()).or_insert_with(|| PairTally {
        names,
        wins: [0; 2],
        draws: 0,
        unfinished: 0,
        last_played: record.played_at(),
    });
    pair.last_played = record.played_at();
    match record.verdict() {
        Verdict::Win(Player::X) => pair.wins[x_slot] += 1,
        Verdict::Win(Player::O) => pair.wins[1 - x_slot] += 1,
        Verdict::Draw => pair.draws += 1,
        Verdict::Unfinished => pair.unfinished += 1,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::record::{Ending, Role};
    use crate::testing::cells;

    /// A game `you` (X) won, lost or drew against `mode`'s opponent, at `seconds`.
    fn game(seconds: i64, mode: Mode, o_name: &str, result: Verdict) -> Record {
        let (moves, ending) = match result {
            Verdict::Win(Player::X) => (cells(&[1, 4, 2, 5, 3]), Ending::Won),
            Verdict::Win(Player::O) => (cells(&[1]), Ending::Resigned { player: Player::X }),
            Verdict::Draw => (cells(&[1, 5, 9, 3, 7, 4, 6, 8, 2]), Ending::Draw),
            Verdict::Unfinished => (cells(&[1]), Ending::Left { player: Player::O }),
        };
        Record::new(
            Timestamp::from_second(seconds).unwrap(),
            mode,
            ["Me", o_name],
            Player::X,
            &moves,
            ending,
        )
        .unwrap()
    }

    #[test]
    fn counts_each_opponent_and_the_streaks() {
        let perfect = Mode::Computer {
            level: Level::Perfect,
            you: Player::X,
        };
        let net = Mode::Network {
            role: Role::Host,
            you: Player::X,
        };
        let records = [
            game(1, perfect, "Computer (perfect)", Verdict::Draw),
            game(2, net, "Bob", Verdict::Win(Player::X)),
            game(3, net, "Bob", Verdict::Win(Player::X)),
            game(4, net, "Bob", Verdict::Win(Player::X)),
            game(5, perfect, "Computer (perfect)", Verdict::Win(Player::O)),
            game(6, net, "Bob", Verdict::Unfinished),
            game(7, net, "Cy", Verdict::Win(Player::X)),
            game(8, Mode::HotSeat, "Bob", Verdict::Win(Player::X)),
        ];
        let s = stats(&records);
        assert_eq!(s.games, 8);
        let names: Vec<String> = s.opponents.iter().map(|(o, _)| o.to_string()).collect();
        assert_eq!(names, ["Computer (perfect)", "Bob", "Cy"]);
        let bob = s.opponents[1].1;
        assert_eq!(
            (bob.wins, bob.losses, bob.draws, bob.unfinished),
            (3, 0, 0, 1)
        );
        assert_eq!(bob.last_played.as_second(), 6);
        let computer = s.opponents[0].1;
        assert_eq!((computer.wins, computer.losses, computer.draws), (0, 1, 1));
        assert_eq!(s.current_streak, Streak::Wins(1));
        assert_eq!(s.best_win_streak, 3);
        assert_eq!(s.last_played.map(Timestamp::as_second), Some(8));
        assert_eq!(s.pairs.len(), 1);
        assert_eq!(s.pairs[0].names, ["Bob".to_owned(), "Me".to_owned()]);
        assert_eq!(s.pairs[0].wins, [0, 1]);
        let total = s.total.unwrap();
        assert_eq!((total.wins, total.losses, total.draws), (4, 1, 1));
    }

    #[test]
    fn streak_words() {
        assert_eq!(Streak::Wins(1).to_string(), "1 win");
        assert_eq!(Streak::Losses(2).to_string(), "2 losses");
        assert_eq!(Streak::None.to_string(), "none");
    }
}
