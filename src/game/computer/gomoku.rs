//! The computer at Gomoku: alpha-beta over candidate moves near the stones, aware of threats.
//!
//! The board is read as its 572 windows of five cells in a row. A window holding stones of one
//! side only is worth more the more it holds ([`WEIGHTS`]); a position is worth its side's windows
//! less the other side's, kept up to date move by move. A side to move holding four in a window
//! wins; one facing two such fours loses; one facing a single four must block it, and that forced
//! reply costs no depth. Candidate moves are the empty cells within two of a stone, ordered by
//! what they make and what they block, the best few searched.
//!
//! Easy wins or blocks a four on the spot and otherwise plays near the stones at random; medium
//! looks two moves ahead; hard deepens until [`HARD_NODES`] positions are searched. Budgets are
//! counts of positions, never time.

use std::sync::OnceLock;

use rand::Rng as _;
use rand::rngs::StdRng;

use super::Level;
use crate::game::gomoku::{DIRECTIONS, FIVE, step};
use crate::game::{Cell, Game, Player, Variant};

/// Cells on the board.
const CELLS: usize = 225;

/// A window's worth to the side whose stones are all it holds, by how many it holds.
const WEIGHTS: [i32; 6] = [0, 1, 12, 140, 1_600, 0];

/// A won position's value; a win found sooner is worth a little more.
const WIN: i32 = 10_000_000;

/// Positions a hard move may search.
pub const HARD_NODES: u64 = 60_000;

/// How far the searches go at most, in moves.
const MAX_PLY: i32 = 24;

/// The board's windows of five, and which windows hold each cell.
struct Tables {
    windows: Vec<[u8; FIVE]>,
    of_cell: Vec<Vec<u16>>,
    near: Vec<Vec<u8>>,
}

fn tables() -> &'static Tables {
    static TABLES: OnceLock<Tables> = OnceLock::new();
    TABLES.get_or_init(|| {
        let mut windows = Vec::new();
        let mut of_cell = vec![Vec::new(); CELLS];
        for cell in Variant::Gomoku.all_cells() {
            for direction in DIRECTIONS {
                let run: Vec<Cell> = (0..5).filter_map(|n| step(cell, direction, n)).collect();
                let Ok(window) = <[Cell; FIVE]>::try_from(run) else {
                    continue;
                };
                let number = u16::try_from(windows.len()).unwrap_or(u16::MAX);
                for c in window {
                    if let Some(list) = of_cell.get_mut(c.index()) {
                        list.push(number);
                    }
                }
                windows.push(window.map(|c| u8::try_from(c.index()).unwrap_or(0)));
            }
        }
        let near = Variant::Gomoku
            .all_cells()
            .map(|cell| {
                let (row, col) = Variant::Gomoku.row_col(cell);
                Variant::Gomoku
                    .all_cells()
                    .filter(|&other| {
                        let (r, c) = Variant::Gomoku.row_col(other);
                        other != cell && row.abs_diff(r) <= 2 && col.abs_diff(c) <= 2
                    })
                    .map(|other| u8::try_from(other.index()).unwrap_or(0))
                    .collect()
            })
            .collect();
        Tables {
            windows,
            of_cell,
            near,
        }
    })
}

/// How one level searches.
#[derive(Clone, Copy, Debug)]
struct Budget {
    /// The deepest full search, in moves.
    depth: i32,
    /// Candidate moves searched at each position below the root.
    beam: usize,
    /// Candidate moves searched at the root.
    root_beam: usize,
    /// Positions searched at most.
    nodes: u64,
    /// Random noise added to the root's move order, in units of [`WEIGHTS`].
    noise: i32,
    /// Positions a search for a win by continuous fours may visit first (0: none).
    fours_nodes: u64,
}

const MEDIUM: Budget = Budget {
    depth: 2,
    beam: 8,
    root_beam: 10,
    nodes: 4_000,
    noise: 12,
    fours_nodes: 0,
};

const HARD: Budget = Budget {
    depth: 10,
    beam: 9,
    root_beam: 14,
    nodes: HARD_NODES,
    noise: 0,
    fours_nodes: 20_000,
};

/// The move `level` plays in the Gomoku `game`, which is not over.
pub(super) fn choose(level: Level, rng: &mut StdRng, game: &Game) -> Option<Cell> {
    let mut engine = Engine::of(game);
    let mv = match level {
        Level::Easy => engine.easy(rng),
        Level::Medium => engine.best(MEDIUM, rng),
        Level::Hard | Level::Perfect => engine.best(HARD, rng),
    }?;
    Cell::with_index(mv)
}

/// The board as the search keeps it, with each window's stones counted.
struct Engine {
    tables: &'static Tables,
    /// 0 empty, 1 + side of the stone.
    cells: [u8; CELLS],
    /// For each window, the stones of each side in it.
    counts: Vec<[u8; 2]>,
    /// Each side's sum of [`WEIGHTS`] over windows holding only its stones.
    score: [i32; 2],
    /// Each side's windows holding four of its stones and none of the other's.
    fours: [u32; 2],
    /// Stones within two cells.
    near: [u8; CELLS],
    stones: usize,
    to_move: usize,
    nodes: u64,
    limit: u64,
}

const fn side(player: Player) -> usize {
    match player {
        Player::X => 0,
        Player::O => 1,
    }
}

impl Engine {
    fn of(game: &Game) -> Self {
        let tables = tables();
        let mut engine = Self {
            tables,
            cells: [0; CELLS],
            counts: vec![[0; 2]; tables.windows.len()],
            score: [0; 2],
            fours: [0; 2],
            near: [0; CELLS],
            stones: 0,
            to_move: side(game.first()),
            nodes: 0,
            limit: u64::MAX,
        };
        for &cell in game.moves() {
            engine.play(cell.index());
        }
        engine
    }

    fn contribution(&self, window: usize, who: usize) -> (i32, u32) {
        let [mine, theirs] = self
            .counts
            .get(window)
            .map_or([0, 0], |c| if who == 0 { *c } else { [c[1], c[0]] });
        if theirs > 0 {
            return (0, 0);
        }
        let weight = WEIGHTS.get(usize::from(mine)).copied().unwrap_or(0);
        (weight, u32::from(mine == 4))
    }

    /// Adds (`add`) or takes away the stone of `who` on `cell`, keeping the counts.
    fn change(&mut self, cell: usize, who: usize, add: bool) {
        let tables = self.tables;
        for &window in tables.of_cell.get(cell).map_or(&[][..], Vec::as_slice) {
            let window = usize::from(window);
            let before = [self.contribution(window, 0), self.contribution(window, 1)];
            if let Some(count) = self.counts.get_mut(window).and_then(|c| c.get_mut(who)) {
                if add {
                    *count += 1;
                } else {
                    *count -= 1;
                }
            }
            for (s, old) in before.into_iter().enumerate() {
                let new = self.contribution(window, s);
                self.score[s] += new.0 - old.0;
                self.fours[s] = self.fours[s] + new.1 - old.1;
            }
        }
        for &other in tables.near.get(cell).map_or(&[][..], Vec::as_slice) {
            if let Some(n) = self.near.get_mut(usize::from(other)) {
                if add {
                    *n += 1;
                } else {
                    *n -= 1;
                }
            }
        }
        if let Some(slot) = self.cells.get_mut(cell) {
            *slot = if add { 1 + u8::from(who == 1) } else { 0 };
        }
        if add {
            self.stones += 1;
        } else {
            self.stones -= 1;
        }
    }

    fn play(&mut self, cell: usize) {
        self.change(cell, self.to_move, true);
        self.to_move ^= 1;
    }

    fn undo(&mut self, cell: usize) {
        self.to_move ^= 1;
        self.change(cell, self.to_move, false);
    }

    fn empty(&self, cell: usize) -> bool {
        self.cells.get(cell) == Some(&0)
    }

    /// The empty cells that would give `who` five: one in each window holding four of theirs.
    fn five_cells(&self, who: usize) -> Vec<usize> {
        let mut cells = Vec::new();
        if self.fours[who] == 0 {
            return cells;
        }
        for (window, count) in self.counts.iter().enumerate() {
            if count[who] == 4 && count[1 - who] == 0 {
                let free = self
                    .tables
                    .windows
                    .get(window)
                    .and_then(|w| w.iter().map(|&c| usize::from(c)).find(|&c| self.empty(c)));
                if let Some(cell) = free
                    && !cells.contains(&cell)
                {
                    cells.push(cell);
                }
            }
        }
        cells
    }

    /// The empty cells that would give `who` four in a window holding three of theirs and none
    /// of the other side's.
    fn four_cells(&self, who: usize) -> Vec<usize> {
        let mut cells = Vec::new();
        for (window, count) in self.counts.iter().enumerate() {
            if count[who] != 3 || count[1 - who] != 0 {
                continue;
            }
            for &cell in self.tables.windows.get(window).map_or(&[][..], |w| &w[..]) {
                let cell = usize::from(cell);
                if self.empty(cell) && !cells.contains(&cell) {
                    cells.push(cell);
                }
            }
        }
        cells
    }

    /// A move that wins by continuous fours: each move makes a four, the only reply blocks it,
    /// until a four cannot be blocked. At most `depth` fours deep; `None` if none is found (or
    /// the budget runs out).
    fn win_by_fours(&mut self, depth: i32) -> Option<usize> {
        let me = self.to_move;
        if depth <= 0 || self.fours[1 - me] > 0 {
            return None;
        }
        for cell in self.four_cells(me) {
            self.nodes += 1;
            if self.nodes > self.limit {
                return None;
            }
            self.play(cell);
            let blocks = self.five_cells(me);
            let wins = match blocks.as_slice() {
                [] => false,
                [block] => {
                    // The other side may not block with a five of its own.
                    let block = *block;
                    if self.fours[1 - me] > 0 {
                        false
                    } else {
                        self.play(block);
                        let next = self.win_by_fours(depth - 1).is_some();
                        self.undo(block);
                        next
                    }
                }
                _ => true,
            };
            self.undo(cell);
            if wins {
                return Some(cell);
            }
        }
        None
    }

    /// What playing `cell` is worth to the side to move before any search: what it builds for
    /// them plus what it takes from the other side.
    fn order_value(&self, cell: usize) -> i64 {
        let me = self.to_move;
        let mut attack = 0;
        let mut defence = 0;
        for &window in self.tables.of_cell.get(cell).map_or(&[][..], Vec::as_slice) {
            let Some(count) = self.counts.get(usize::from(window)) else {
                continue;
            };
            let (mine, theirs) = (usize::from(count[me]), usize::from(count[1 - me]));
            let gain = |n: usize| {
                i64::from(
                    WEIGHTS.get(n + 1).copied().unwrap_or(WIN)
                        - WEIGHTS.get(n).copied().unwrap_or(0),
                )
            };
            if theirs == 0 {
                attack += if mine == 4 {
                    i64::from(WIN)
                } else {
                    gain(mine)
                };
            }
            if mine == 0 {
                defence += if theirs == 4 {
                    i64::from(WIN / 2)
                } else {
                    gain(theirs)
                };
            }
        }
        attack * 10 + defence * 9
    }

    /// The best `beam` candidate moves, best first, by [`Engine::order_value`] plus `noise`.
    fn candidates(&self, beam: usize, noise: i32, rng: Option<&mut StdRng>) -> Vec<usize> {
        if self.stones == 0 {
            return vec![CELLS / 2];
        }
        let mut scored: Vec<(i64, usize)> = (0..CELLS)
            .filter(|&c| self.empty(c) && self.near.get(c).is_some_and(|&n| n > 0))
            .map(|c| (self.order_value(c), c))
            .collect();
        if let Some(rng) = rng {
            for entry in &mut scored {
                entry.0 = entry.0 * 16 + i64::from(rng.random_range(0..16 * (noise * 10).max(1)));
            }
        }
        scored.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
        scored.truncate(beam);
        scored.into_iter().map(|(_, c)| c).collect()
    }

    /// The position's worth to the side to move.
    fn evaluate(&self) -> i32 {
        let me = self.to_move;
        self.score[me] - self.score[1 - me]
    }

    /// Negamax with alpha-beta; `None` once the budget is spent.
    fn negamax(
        &mut self,
        depth: i32,
        ply: i32,
        mut alpha: i32,
        beta: i32,
        beam: usize,
    ) -> Option<i32> {
        self.nodes += 1;
        if self.nodes > self.limit {
            return None;
        }
        let me = self.to_move;
        if self.fours[me] > 0 {
            return Some(WIN - ply);
        }
        let threats = self.five_cells(1 - me);
        if threats.len() >= 2 {
            return Some(-(WIN - ply - 1));
        }
        if self.stones == CELLS {
            return Some(0);
        }
        let forced = threats.len() == 1;
        if (depth <= 0 && !forced) || ply >= MAX_PLY {
            return Some(self.evaluate());
        }
        let (moves, next) = if forced {
            (threats, depth)
        } else {
            (self.candidates(beam, 0, None), depth - 1)
        };
        let mut best = -WIN - 1;
        for cell in moves {
            self.play(cell);
            let value = self.negamax(next, ply + 1, -beta, -alpha, beam).map(|v| -v);
            self.undo(cell);
            let value = value?;
            best = best.max(value);
            alpha = alpha.max(value);
            if alpha >= beta {
                break;
            }
        }
        Some(best)
    }

    /// The move to play by searching with `budget`, deepening while it lasts.
    fn best(&mut self, budget: Budget, rng: &mut StdRng) -> Option<usize> {
        let me = self.to_move;
        if let Some(&win) = self.five_cells(me).first() {
            return Some(win);
        }
        let threats = self.five_cells(1 - me);
        if let Some(&block) = threats.first() {
            return Some(block);
        }
        if budget.fours_nodes > 0 {
            self.nodes = 0;
            self.limit = budget.fours_nodes;
            if let Some(win) = self.win_by_fours(MAX_PLY / 2) {
                return Some(win);
            }
        }
        let mut moves = self.candidates(budget.root_beam, budget.noise, Some(rng));
        let mut chosen = moves.first().copied();
        self.nodes = 0;
        self.limit = budget.nodes;
        let mut depth = 1;
        while depth <= budget.depth {
            let mut alpha = -WIN - 1;
            let mut best = None;
            let mut values = Vec::with_capacity(moves.len());
            for &cell in &moves {
                self.play(cell);
                let value = self.negamax(depth - 1, 1, -WIN - 1, -alpha, budget.beam);
                self.undo(cell);
                let Some(value) = value.map(|v| -v) else {
                    return chosen;
                };
                values.push((value, cell));
                if best.is_none() || value > alpha {
                    alpha = value;
                    best = Some(cell);
                }
            }
            chosen = best.or(chosen);
            if alpha >= WIN - MAX_PLY || alpha <= -(WIN - MAX_PLY) {
                return chosen;
            }
            // The next, deeper search tries the best moves first.
            values.sort_by_key(|&(value, _)| std::cmp::Reverse(value));
            moves = values.into_iter().map(|(_, c)| c).collect();
            depth += 1;
        }
        chosen
    }

    /// A win or a block on the spot, else a random cell near the stones.
    fn easy(&self, rng: &mut StdRng) -> Option<usize> {
        let me = self.to_move;
        let urgent = [self.five_cells(me), self.five_cells(1 - me)];
        if let Some(&cell) = urgent.iter().find_map(|cells| cells.first()) {
            return Some(cell);
        }
        let near: Vec<usize> = (0..CELLS)
            .filter(|&c| self.empty(c) && self.near.get(c).is_some_and(|&n| n > 0))
            .collect();
        if near.is_empty() {
            let centre = CELLS / 2;
            return Some(if self.empty(centre) {
                centre
            } else {
                (0..CELLS).find(|&c| self.empty(c))?
            });
        }
        near.get(rng.random_range(0..near.len())).copied()
    }
}

#[cfg(test)]
mod tests {
    use rand::SeedableRng as _;

    use super::*;

    fn game(moves: &[&str]) -> Game {
        let cells: Vec<Cell> = moves
            .iter()
            .map(|m| Variant::Gomoku.parse_move(m).unwrap())
            .collect();
        Game::from_moves_of(Variant::Gomoku, Player::X, &cells).unwrap()
    }

    fn chosen(level: Level, game: &Game) -> String {
        let mut rng = StdRng::seed_from_u64(5);
        Variant::Gomoku.move_text(choose(level, &mut rng, game).unwrap())
    }

    #[test]
    fn the_counts_follow_play_and_undo() {
        let game = game(&["h8", "a1", "h9", "b2", "h10", "o15", "h11"]);
        let mut engine = Engine::of(&game);
        assert_eq!(engine.fours[0], 2, "h8–h11 is in two open windows");
        assert_eq!(engine.five_cells(0).len(), 2);
        let before = (engine.score, engine.fours, engine.counts.clone());
        engine.play(Variant::Gomoku.parse_move("h12").unwrap().index());
        engine.undo(Variant::Gomoku.parse_move("h12").unwrap().index());
        assert_eq!((engine.score, engine.fours, engine.counts.clone()), before);
    }

    #[test]
    fn every_level_completes_five_and_blocks_a_four() {
        // X to move with four in a row (h8–h11), O's four (a1–d1) open at e1.
        let win = game(&["h8", "a1", "h9", "b1", "h10", "c1", "h11", "d1"]);
        for level in [Level::Easy, Level::Medium, Level::Hard] {
            assert!(["h7", "h12"].contains(&chosen(level, &win).as_str()));
        }
        // O to move, X threatening five at h7 or h12: O has no four, so it must block.
        let block = game(&["h8", "a1", "h9", "b1", "h10", "c1", "h11"]);
        for level in [Level::Easy, Level::Medium, Level::Hard] {
            assert!(["h7", "h12"].contains(&chosen(level, &block).as_str()));
        }
    }

    #[test]
    fn medium_and_hard_stop_an_open_three() {
        // X has h8, h9, h10 open at both ends; O to move must close one end.
        let three = game(&["h8", "a1", "h9", "o15", "h10"]);
        for level in [Level::Medium, Level::Hard] {
            let reply = chosen(level, &three);
            assert!(["h7", "h11"].contains(&reply.as_str()), "{level}: {reply}");
        }
    }

    #[test]
    fn hard_finds_a_win_by_continuous_fours() {
        // X: b5 c5 d5 (closed at a5 by O) and e6 e7. e5 makes four (O must take f5) and three
        // in column e; e8 then makes an open four. f5 first leads nowhere.
        let game = game(&["b5", "a5", "c5", "o15", "d5", "o1", "e6", "a15", "e7", "n1"]);
        let mut engine = Engine::of(&game);
        engine.limit = u64::MAX;
        let win = engine.win_by_fours(MAX_PLY / 2).unwrap();
        assert_eq!(
            Variant::Gomoku.move_text(Cell::with_index(win).unwrap()),
            "e5"
        );
        assert_eq!(chosen(Level::Hard, &game), "e5");
        // Without the stone on e7 there is no such win.
        let game = game_without_e7();
        let mut engine = Engine::of(&game);
        engine.limit = u64::MAX;
        assert_eq!(engine.win_by_fours(MAX_PLY / 2), None);
    }

    fn game_without_e7() -> Game {
        game(&["b5", "a5", "c5", "o15", "d5", "o1", "e6", "a15", "m8", "n1"])
    }

    #[test]
    fn hard_makes_an_open_four_from_an_open_three() {
        // X to move with an open three h8–h10 and O far away: h7 or h11 makes an open four.
        let three = game(&["h8", "a1", "h9", "a15", "h10", "o1"]);
        let reply = chosen(Level::Hard, &three);
        assert!(["h7", "h11"].contains(&reply.as_str()), "{reply}");
    }
}
