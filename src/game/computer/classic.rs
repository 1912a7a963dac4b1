//! The classic computer player's four levels, and the perfect-play result of every move.
//!
//! Perfect play reads a table holding the value of every position, built once on first use (about
//! a millisecond; see `docs/PERFORMANCE.md`) and shared by all threads. A position is seen from the
//! side to move: its key is the board in base 3, one digit per cell (0 empty, 1 the mover's mark, 2
//! the other mark). Seen that way one table serves X and O, whoever started, and a move is at most
//! a few dozen look-ups.

use std::sync::OnceLock;

use rand::Rng as _;
use rand::rngs::StdRng;

use super::Level;
use crate::game::{Cell, Game, LINES, Player};

/// The result of a position under perfect play by both sides.
///
/// `plies` counts the moves still to be played after the move that was evaluated, up to the end of
/// the game: 0 means that move itself ends the game. So after X's move, "O wins in 1" means O
/// completes a line on the very next move, and "X wins in 2" means X completes it on X's next move.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Eval {
    /// Who wins under perfect play; `None` for a draw.
    pub winner: Option<Player>,
    /// Moves left to play after the evaluated one until the game ends (see above).
    pub plies: u8,
}

impl std::fmt::Display for Eval {
    /// `X wins now` (the move ends the game), `O wins in 3`, or `draw`.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match (self.winner, self.plies) {
            (Some(winner), 0) => write!(f, "{winner} wins now"),
            (Some(winner), plies) => write!(f, "{winner} wins in {plies}"),
            (None, _) => f.write_str("draw"),
        }
    }
}

/// For each empty cell (at [`Cell::index`]) of a classic game, the perfect-play result of the side
/// to move playing there.
///
/// `None` for taken cells, for every cell once the game is over, and for every cell of the bigger
/// games, which no table solves (their hint is [`super::Computer::suggest`]).
#[must_use]
pub fn evaluate(game: &Game) -> [Option<Eval>; 9] {
    let mut evals = [None; 9];
    if game.is_over() || !game.variant().is_classic() {
        return evals;
    }
    let mover = game.side_to_move();
    let position = Position::of(game);
    let table = table();
    for index in position.empty_indices().iter() {
        let after = position.after(index);
        let value = table.value(after);
        // `value` is seen from the side to move after the move: the opponent.
        let winner = match value.cmp(&0) {
            std::cmp::Ordering::Less => Some(mover),
            std::cmp::Ordering::Greater => Some(mover.other()),
            std::cmp::Ordering::Equal => None,
        };
        let plies = if winner.is_some() {
            plies_to_end(value)
        } else {
            after.empty_count()
        };
        evals[index] = Some(Eval { winner, plies });
    }
    evals
}

/// The cell `level` plays for the side to move in the classic `game`, which is not over.
pub(super) fn choose(level: Level, rng: &mut StdRng, game: &Game) -> Option<Cell> {
    let position = Position::of(game);
    let index = match level {
        Level::Easy => {
            pick(rng, position.winning_indices()).or_else(|| pick(rng, position.empty_indices()))
        }
        Level::Medium | Level::Hard => pick(rng, position.winning_indices())
            .or_else(|| pick(rng, position.blocking_indices()))
            .or_else(|| {
                if rng.random_bool(level.best_move_chance()) {
                    pick(rng, position.best_indices())
                } else {
                    pick(rng, position.empty_indices())
                }
            }),
        Level::Perfect => pick(rng, position.best_indices()),
    }?;
    Cell::from_index(index)
}

/// One of `indices` chosen uniformly at random; `None` if there are none.
fn pick(rng: &mut StdRng, indices: Indices) -> Option<usize> {
    match indices.len {
        0 => None,
        len => indices.items.get(rng.random_range(0..len)).copied(),
    }
}

/// Up to nine cell indices, without allocating: a move must stay well under a microsecond.
#[derive(Clone, Copy, Default)]
struct Indices {
    items: [usize; 9],
    len: usize,
}

impl Indices {
    fn push(&mut self, index: usize) {
        if let Some(slot) = self.items.get_mut(self.len) {
            *slot = index;
            self.len += 1;
        }
    }

    fn iter(&self) -> impl Iterator<Item = usize> + '_ {
        self.items.iter().take(self.len).copied()
    }
}

impl FromIterator<usize> for Indices {
    fn from_iter<I: IntoIterator<Item = usize>>(iter: I) -> Self {
        let mut indices = Self::default();
        for index in iter {
            indices.push(index);
        }
        indices
    }
}

/// All nine cells as bits.
pub(super) const FULL: u16 = 0x1ff;

/// The eight lines as bit masks over cell indices.
const LINE_MASKS: [u16; 8] = line_masks();

const fn line_masks() -> [u16; 8] {
    let mut masks = [0; 8];
    let mut i = 0;
    while i < LINES.len() {
        let [a, b, c] = LINES[i].three_cells();
        masks[i] = (1 << a.index()) | (1 << b.index()) | (1 << c.index());
        i += 1;
    }
    masks
}

/// Whether the marks in `mask` complete a line: one look-up, as a perfect move makes dozens.
pub(super) fn has_line(mask: u16) -> bool {
    HAS_LINE[usize::from(mask & FULL)]
}

/// For each set of cells (as bits), whether it holds a whole line.
const HAS_LINE: [bool; 512] = lines_held();

const fn lines_held() -> [bool; 512] {
    let mut table = [false; 512];
    let mut mask = 0;
    while mask < 512 {
        let mut i = 0;
        while i < LINE_MASKS.len() {
            // No cell of the line is missing from the set.
            if LINE_MASKS[i] & !mask == 0 {
                table[mask as usize] = true;
            }
            i += 1;
        }
        mask += 1;
    }
    table
}

/// The number of positions the table holds: 3^9.
const CODES: usize = 19_683;

/// For each set of cells (as bits), the sum of 3^index over its cells: the base-3 key of a board is
/// `BASE3[mover] + 2 * BASE3[other]`, two look-ups instead of a loop.
const BASE3: [u16; 512] = base3();

const fn base3() -> [u16; 512] {
    let mut table = [0; 512];
    let mut mask = 0;
    while mask < 512 {
        let mut sum = 0;
        let mut power = 1;
        let mut bit = 0;
        while bit < 9 {
            if mask & (1 << bit) != 0 {
                sum += power;
            }
            power *= 3;
            bit += 1;
        }
        table[mask] = sum;
        mask += 1;
    }
    table
}

/// A board seen from the side to move: the mover's marks and the other player's, as bits.
#[derive(Clone, Copy, Debug)]
struct Position {
    mover: u16,
    other: u16,
}

impl Position {
    fn of(game: &Game) -> Self {
        let mover = game.side_to_move();
        let mut position = Self { mover: 0, other: 0 };
        for cell in Cell::ALL {
            match game.board().get(cell) {
                Some(player) if player == mover => position.mover |= 1 << cell.index(),
                Some(_) => position.other |= 1 << cell.index(),
                None => {}
            }
        }
        position
    }

    /// The inverse of [`Position::code`].
    fn from_code(mut code: usize) -> Self {
        let mut position = Self { mover: 0, other: 0 };
        for bit in 0..9 {
            match code % 3 {
                1 => position.mover |= 1 << bit,
                2 => position.other |= 1 << bit,
                _ => {}
            }
            code /= 3;
        }
        position
    }

    /// The base-3 key of this position in the table, below [`CODES`].
    fn code(self) -> usize {
        let base3 = |mask: u16| usize::from(BASE3[usize::from(mask & FULL)]);
        base3(self.mover) + 2 * base3(self.other)
    }

    const fn empty(self) -> u16 {
        !(self.mover | self.other) & FULL
    }

    fn empty_count(self) -> u8 {
        // At most nine bits are set, so the conversion cannot fail.
        u8::try_from(self.empty().count_ones()).unwrap_or(9)
    }

    fn empty_indices(self) -> Indices {
        let mut indices = Indices::default();
        let mut empty = self.empty();
        while empty != 0 {
            indices.push(empty.trailing_zeros() as usize);
            // Clears the lowest set bit.
            empty &= empty - 1;
        }
        indices
    }

    /// The position after the mover plays on `index`, seen from the new side to move.
    const fn after(self, index: usize) -> Self {
        Self {
            mover: self.other,
            other: self.mover | (1 << index),
        }
    }

    /// Empty cells where the mover completes a line at once.
    fn winning_indices(self) -> Indices {
        self.empty_indices()
            .iter()
            .filter(|&i| has_line(self.mover | (1 << i)))
            .collect()
    }

    /// Empty cells where the other player would complete a line on their next move.
    fn blocking_indices(self) -> Indices {
        self.empty_indices()
            .iter()
            .filter(|&i| has_line(self.other | (1 << i)))
            .collect()
    }

    /// The empty cells that are best for the mover: by perfect-play result first (a win before a
    /// draw before a loss, the fastest win, the slowest loss), then by what they leave a fallible
    /// opponent (see [`Position::chances`]).
    fn best_indices(self) -> Indices {
        let table = table();
        let mut values = [i8::MIN; 9];
        for index in self.empty_indices().iter() {
            values[index] = from_parent_side(table.value(self.after(index)));
        }
        let best_value = values.iter().copied().max().unwrap_or(i8::MIN);
        let mut best = Indices::default();
        let mut best_chances = 0;
        for index in self.empty_indices().iter() {
            if values[index] != best_value {
                continue;
            }
            let chances = self.after(index).chances(table, best_value);
            if best.len == 0 || chances > best_chances {
                best_chances = chances;
                best = Indices::default();
            }
            if chances == best_chances {
                best.push(index);
            }
        }
        best
    }

    /// How good this position, just moved into, is against an opponent who may go wrong, for the
    /// player who moved, whose perfect-play value is `value`. First, the fewer replies that win on
    /// the spot the better: when every move loses, still block what can be blocked. Then, the more
    /// replies that throw away what the opponent has the better: a drawn game won, a lost one saved.
    /// Higher is better.
    fn chances(self, table: &Table, value: i8) -> u8 {
        let mut wins_on_the_spot = 0;
        let mut mistakes = 0;
        if has_line(self.other) {
            // The move ended the game: no replies at all.
            return 9 * 16;
        }
        for reply in self.empty_indices().iter() {
            if has_line(self.mover | (1 << reply)) {
                wins_on_the_spot += 1;
            } else if table.value(self.after(reply)).signum() > value.signum() {
                mistakes += 1;
            }
        }
        (9 - wins_on_the_spot) * 16 + mistakes
    }
}

/// The value of a finished game won by the side to move. A win with `t` moves still to play is
/// worth `WIN - t`, a loss `-(WIN - t)`, a draw 0: higher is better for the side to move, a quicker
/// win beats a slower one, a slower loss beats a quicker one.
const WIN: i8 = 10;

/// Moves to the end of the game under perfect play, from a won or lost value.
fn plies_to_end(value: i8) -> u8 {
    WIN.abs_diff(value.abs())
}

/// A position's value for the player who just moved into it, given its value for the side to move:
/// negated, and one move further from the end.
const fn from_parent_side(value: i8) -> i8 {
    -value + value.signum()
}

/// The perfect-play value of every position, seen from the side to move (see [`WIN`]).
struct Table {
    values: Box<[i8]>,
}

impl Table {
    fn value(&self, position: Position) -> i8 {
        self.values.get(position.code()).copied().unwrap_or(0)
    }

    /// Solves every one of the 3^9 boards, also those no game reaches, so every look-up is defined.
    fn build() -> Self {
        let mut values = vec![UNSOLVED; CODES].into_boxed_slice();
        for code in 0..CODES {
            solve(Position::from_code(code), &mut values);
        }
        Self { values }
    }
}

/// Marks a table entry not yet solved; no value reaches it.
const UNSOLVED: i8 = i8::MIN;

/// Negamax with memory: the value of `position` for the side to move, filling `values` on the way.
fn solve(position: Position, values: &mut [i8]) -> i8 {
    let code = position.code();
    if let Some(&value) = values.get(code)
        && value != UNSOLVED
    {
        return value;
    }
    let value = if has_line(position.other) {
        -WIN
    } else if has_line(position.mover) {
        // No game reaches this (the side to move cannot have a line already), but every board
        // gets a value.
        WIN
    } else if position.empty() == 0 {
        0
    } else {
        position
            .empty_indices()
            .iter()
            .map(|index| from_parent_side(solve(position.after(index), values)))
            .max()
            .unwrap_or(0)
    };
    if let Some(slot) = values.get_mut(code) {
        *slot = value;
    }
    value
}

/// The shared table, built on first use.
fn table() -> &'static Table {
    static TABLE: OnceLock<Table> = OnceLock::new();
    TABLE.get_or_init(Table::build)
}
