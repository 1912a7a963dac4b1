//! The computer at Ultimate Tic-Tac-Toe: Monte Carlo tree search (UCT) over a compact copy of the
//! board, its budget counted in playouts so that a seeded game is replayed exactly.
//!
//! Easy wins the game or a small board, or blocks one, when it can, and otherwise plays at
//! random; medium searches [`MEDIUM_PLAYOUTS`] playouts, hard [`HARD_PLAYOUTS`] (within a second
//! on a slow two-core machine; figures in `docs/PERFORMANCE.md`).

use rand::rngs::{SmallRng, StdRng};
use rand::{Rng as _, SeedableRng as _};

use super::Level;
// The nine cells of a small board (or the nine small boards) as bits, and the look-up of a
// line among them: the same as the classic board's.
use super::classic::{FULL, has_line};
use crate::game::{Cell, Game, Player};

/// Playouts a medium move searches.
pub const MEDIUM_PLAYOUTS: u32 = 400;

/// Playouts a hard move searches.
pub const HARD_PLAYOUTS: u32 = 80_000;

/// The exploration constant of UCB1.
const EXPLORATION: f32 = 1.3;

/// How a position ended, if it has.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum End {
    Won(u8),
    Draw,
}

/// The board as bits: for each side (0 = X, 1 = O) and small board, the cells held.
#[derive(Clone, Copy, Debug)]
struct Position {
    marks: [[u16; 9]; 2],
    /// Small boards won by each side.
    won: [u16; 2],
    /// Small boards won or full.
    closed: u16,
    /// The small board the side to move is sent to, if it is open.
    sent: Option<u8>,
    to_move: u8,
    end: Option<End>,
}

/// The index of `player` in per-side arrays: X 0, O 1.
fn side(player: Player) -> u8 {
    u8::from(player == Player::O)
}

impl Position {
    fn of(game: &Game) -> Self {
        let mut position = Self {
            marks: [[0; 9]; 2],
            won: [0; 2],
            closed: 0,
            sent: None,
            to_move: side(game.first()),
            end: None,
        };
        for &cell in game.moves() {
            position.play(cell_index(cell));
        }
        position
    }

    /// The cells (0–80) the side to move may play, as (small board, cell bits).
    fn open_cells(&self, board: u8) -> u16 {
        let b = usize::from(board);
        if self.closed & (1 << board) != 0 {
            0
        } else {
            !(self.marks[0][b] | self.marks[1][b]) & FULL
        }
    }

    /// Every legal move, as indices 0–80.
    fn moves(&self, into: &mut Vec<u8>) {
        into.clear();
        if self.end.is_some() {
            return;
        }
        let boards = self.sent.map_or(0..9, |b| b..b + 1);
        for board in boards {
            let mut open = self.open_cells(board);
            while open != 0 {
                // The lowest set bit is below 9, so it fits in a u8.
                let cell = u8::try_from(open.trailing_zeros()).unwrap_or(0);
                into.push(board * 9 + cell);
                open &= open - 1;
            }
        }
    }

    /// Plays index `mv` (0–80) for the side to move.
    fn play(&mut self, mv: u8) {
        let (board, cell) = (usize::from(mv / 9), mv % 9);
        let me = usize::from(self.to_move);
        self.marks[me][board] |= 1 << cell;
        if has_line(self.marks[me][board]) {
            self.won[me] |= 1 << board;
            self.closed |= 1 << board;
            if has_line(self.won[me]) {
                self.end = Some(End::Won(self.to_move));
            }
        } else if self.marks[0][board] | self.marks[1][board] == FULL {
            self.closed |= 1 << board;
        }
        if self.end.is_none() && self.closed == FULL {
            self.end = Some(End::Draw);
        }
        self.sent = (self.closed & (1 << cell) == 0).then_some(cell);
        self.to_move ^= 1;
    }

    /// A random move, without building the list: the playouts' hot path.
    fn random_move(&self, rng: &mut SmallRng) -> Option<u8> {
        let boards = self.sent.map_or(0..9, |b| b..b + 1);
        let total: u32 = boards
            .clone()
            .map(|b| self.open_cells(b).count_ones())
            .sum();
        if total == 0 {
            return None;
        }
        let mut nth = rng.random_range(0..total);
        for board in boards {
            let mut open = self.open_cells(board);
            let count = open.count_ones();
            if nth >= count {
                nth -= count;
                continue;
            }
            for _ in 0..nth {
                open &= open - 1;
            }
            return u8::try_from(open.trailing_zeros())
                .ok()
                .map(|cell| board * 9 + cell);
        }
        None
    }

    /// Whether `side` playing `mv` would win a small board.
    fn takes_small_board(&self, side: u8, mv: u8) -> bool {
        let (board, cell) = (usize::from(mv / 9), mv % 9);
        has_line(self.marks[usize::from(side)][board] | (1 << cell))
    }
}

fn cell_index(cell: Cell) -> u8 {
    u8::try_from(cell.index()).unwrap_or(0)
}

/// The move `level` plays in the Ultimate `game`, which is not over.
pub(super) fn choose(level: Level, rng: &mut StdRng, game: &Game) -> Option<Cell> {
    let position = Position::of(game);
    let mut moves = Vec::with_capacity(81);
    position.moves(&mut moves);
    let mv = match level {
        Level::Easy => easy(&position, &moves, rng),
        Level::Medium => Some(search(position, MEDIUM_PLAYOUTS, rng)),
        Level::Hard | Level::Perfect => Some(search(position, HARD_PLAYOUTS, rng)),
    }?;
    Cell::with_index(usize::from(mv))
}

/// A move that wins the game, else one that wins a small board, else one that stops the
/// opponent's line in a small board, else any, at random.
fn easy(position: &Position, moves: &[u8], rng: &mut StdRng) -> Option<u8> {
    let winning: Vec<u8> = moves
        .iter()
        .copied()
        .filter(|&mv| {
            let mut after = *position;
            after.play(mv);
            after.end == Some(End::Won(position.to_move))
        })
        .collect();
    let taking = |side: u8| -> Vec<u8> {
        moves
            .iter()
            .copied()
            .filter(|&mv| position.takes_small_board(side, mv))
            .collect()
    };
    let (small, block) = (taking(position.to_move), taking(position.to_move ^ 1));
    [
        winning.as_slice(),
        small.as_slice(),
        block.as_slice(),
        moves,
    ]
    .into_iter()
    .find(|list| !list.is_empty())
    .and_then(|list| list.get(rng.random_range(0..list.len())).copied())
}

/// A node of the search tree.
#[derive(Clone, Copy, Debug)]
struct Node {
    /// The move that led here.
    mv: u8,
    /// The side that played it.
    mover: u8,
    /// Whether its children have been added.
    expanded: bool,
    /// How many children, from `first_child` on.
    children: u8,
    first_child: u32,
    visits: u32,
    /// Wins of `mover` over the playouts through here (a draw counts a half).
    wins: f32,
}

/// Monte Carlo tree search from `root` for `playouts` playouts: the most visited move.
fn search(root: Position, playouts: u32, rng: &mut StdRng) -> u8 {
    let mut fast = SmallRng::seed_from_u64(rng.random());
    let mut nodes = vec![Node {
        mv: 0,
        mover: root.to_move ^ 1,
        expanded: false,
        children: 0,
        first_child: 0,
        visits: 0,
        wins: 0.0,
    }];
    let mut moves = Vec::with_capacity(81);
    let mut path = Vec::with_capacity(81);
    for _ in 0..playouts {
        let mut position = root;
        let mut node = 0;
        path.clear();
        path.push(0);
        // Down the tree by UCB1 while every child has been tried.
        while let Some(&current) = nodes.get(node)
            && current.expanded
            && position.end.is_none()
        {
            let Some(child) = select(&nodes, current, &mut fast) else {
                break;
            };
            node = child;
            position.play(nodes.get(child).map_or(0, |n| n.mv));
            path.push(child);
        }
        // Adds the children of a leaf visited before, and steps into one of them.
        if position.end.is_none()
            && let Some(&leaf) = nodes.get(node)
            && !leaf.expanded
            && (leaf.visits > 0 || node == 0)
        {
            position.moves(&mut moves);
            let first = u32::try_from(nodes.len()).unwrap_or(u32::MAX);
            for &mv in &moves {
                nodes.push(Node {
                    mv,
                    mover: position.to_move,
                    expanded: false,
                    children: 0,
                    first_child: 0,
                    visits: 0,
                    wins: 0.0,
                });
            }
            if let Some(entry) = nodes.get_mut(node) {
                entry.expanded = true;
                entry.children = u8::try_from(moves.len()).unwrap_or(u8::MAX);
                entry.first_child = first;
            }
            let pick = fast.random_range(0..moves.len());
            let child = first as usize + pick;
            position.play(moves.get(pick).copied().unwrap_or(0));
            path.push(child);
        }
        let end = playout(position, &mut fast);
        for &visited in &path {
            if let Some(entry) = nodes.get_mut(visited) {
                entry.visits += 1;
                entry.wins += match end {
                    End::Won(winner) if winner == entry.mover => 1.0,
                    End::Won(_) => 0.0,
                    End::Draw => 0.5,
                };
            }
        }
    }
    let root = nodes.first().copied();
    root.and_then(|root| children(&nodes, root).max_by_key(|child| child.visits))
        .map_or(0, |child| child.mv)
}

fn children(nodes: &[Node], node: Node) -> impl Iterator<Item = &Node> {
    let first = node.first_child as usize;
    nodes
        .get(first..first + usize::from(node.children))
        .unwrap_or(&[])
        .iter()
}

/// The child of `node` to follow: an untried one at random, else the best by UCB1.
fn select(nodes: &[Node], node: Node, rng: &mut SmallRng) -> Option<usize> {
    let first = node.first_child as usize;
    let count = usize::from(node.children);
    if count == 0 {
        return None;
    }
    let untried = children(nodes, node).filter(|c| c.visits == 0).count();
    if untried > 0 {
        let nth = rng.random_range(0..untried);
        return children(nodes, node)
            .enumerate()
            .filter(|(_, c)| c.visits == 0)
            .nth(nth)
            .map(|(i, _)| first + i);
    }
    // Visit counts stay far below 2^24, so they are exact as `f32`.
    let log_parent = (node.visits.max(1) as f32).ln();
    let mut best = None;
    let mut best_value = f32::MIN;
    for (i, child) in children(nodes, node).enumerate() {
        let visits = child.visits as f32;
        let value = child.wins / visits + EXPLORATION * (log_parent / visits).sqrt();
        if value > best_value {
            best_value = value;
            best = Some(first + i);
        }
    }
    best
}

/// Random moves to the end of the game.
fn playout(mut position: Position, rng: &mut SmallRng) -> End {
    loop {
        if let Some(end) = position.end {
            return end;
        }
        match position.random_move(rng) {
            Some(mv) => position.play(mv),
            None => return End::Draw,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::game::Variant;

    #[test]
    fn the_compact_board_agrees_with_the_rules_over_random_games() {
        let mut rng = StdRng::seed_from_u64(7);
        for _ in 0..200 {
            let mut game = Game::of(Variant::Ultimate, Player::X);
            let mut position = Position::of(&game);
            let mut moves = Vec::new();
            while !game.is_over() {
                position.moves(&mut moves);
                let legal: Vec<u8> = game.legal_moves().map(cell_index).collect();
                assert_eq!(moves, legal);
                let mv = legal[rng.random_range(0..legal.len())];
                game.play(Cell::with_index(usize::from(mv)).unwrap())
                    .unwrap();
                position.play(mv);
            }
            match game.outcome().winner() {
                Some(winner) => assert_eq!(position.end, Some(End::Won(side(winner)))),
                // The rules may call a draw before the boards are closed.
                None => assert_ne!(position.end.map(|e| matches!(e, End::Won(_))), Some(true)),
            }
        }
    }

    #[test]
    fn every_level_but_easy_takes_a_win_on_the_spot_and_easy_too() {
        let mut rng = StdRng::seed_from_u64(11);
        let mut found = 0;
        for _ in 0..400 {
            let mut game = Game::of(Variant::Ultimate, Player::X);
            while !game.is_over() && found < 20 {
                let legal: Vec<Cell> = game.legal_moves().collect();
                let winning: Vec<Cell> = legal
                    .iter()
                    .copied()
                    .filter(|&cell| game.clone().play(cell).unwrap().winner().is_some())
                    .collect();
                if !winning.is_empty() {
                    found += 1;
                    for level in [Level::Easy, Level::Medium] {
                        let chosen = choose(level, &mut rng, &game).unwrap();
                        assert!(
                            winning.contains(&chosen),
                            "{level}: {chosen:?} not in {winning:?}"
                        );
                    }
                }
                game.play(legal[rng.random_range(0..legal.len())]).unwrap();
            }
        }
        assert_eq!(
            found, 20,
            "random games reach positions with a win on the spot"
        );
    }
}
