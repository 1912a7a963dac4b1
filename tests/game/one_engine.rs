//! One match engine for every mode: every reachable game through `game::Match`, and a sample of
//! them through each driver — the window at one computer, the computer, the host and the joiner
//! over real loopback sockets, and the terminal — with identical events, digests, scores and
//! recorded endings.

#![expect(
    clippy::unwrap_used,
    reason = "test helpers: an unwrap that fails is a test that fails"
)]

use std::path::Path;
use std::process::{Command, Stdio};

use crate::support::net::{connected_pair, host_config, join_config, wait_event};
use egui_kittest::Harness;
use tictactoe::app::{App, AppOptions, Command as AppCommand, SettingsStore};
use tictactoe::game::{
    Bot, Cell, Computer, Driver, Ending, Event, Game, GameOver, Intent, Level, Match, Outcome,
    Player, Table, Variant, Verdict,
};
use tictactoe::net::{HostConfig, HostHandle, JoinConfig, JoinHandle, NetEvent};
use tictactoe::record::{Mode, Record};
use tictactoe::store::HistoryStore;

/// Walks every game from an empty board with `first` to move; `visit` gets each finished one.
fn walk(game: &mut Game, visit: &mut impl FnMut(&Game)) {
    if game.is_over() {
        visit(game);
        return;
    }
    for cell in Cell::ALL {
        if game.play(cell).is_ok() {
            walk(game, visit);
            game.undo();
        }
    }
}

/// Every finished game with `first` to move, in the order of the walk.
fn every_game(first: Player) -> Vec<Vec<Cell>> {
    let mut games = Vec::new();
    walk(&mut Game::new(first), &mut |game| {
        games.push(game.moves().to_vec());
    });
    games
}

/// A finished game of X: X wins along the top row.
fn top_row() -> Vec<Cell> {
    crate::support::cells(&[1, 4, 2, 5, 3])
}

/// Plays `moves` in the current game of `state`, each by the side to move; returns the game the
/// last one ended.
fn play_game(state: &mut Match, moves: &[Cell]) -> Option<GameOver> {
    let mut over = None;
    for (i, &cell) in moves.iter().enumerate() {
        let seat = state.to_move().unwrap();
        let ended = state.act(seat, Intent::Play(cell)).unwrap();
        assert_eq!(ended.is_some(), i + 1 == moves.len(), "{moves:?}");
        over = ended;
    }
    over
}

fn rematch(state: &mut Match) {
    for seat in Player::ALL {
        state.act(seat, Intent::Rematch).unwrap();
    }
}

#[test]
fn every_reachable_game_goes_through_the_one_engine() {
    for first in Player::ALL {
        let games = every_game(first);
        assert_eq!(games.len(), 255_168);
        // The match starts with X to move: an O-first game is game 2, after a first game.
        let mut start = Match::new("Ann", "Bob");
        if first == Player::O {
            play_game(&mut start, &top_row());
            rematch(&mut start);
        }
        let (base_v, base_score) = (start.v(), start.score());
        let mut verdicts = [0_u32; 3];
        for moves in &games {
            let mut state = start.clone();
            let over = play_game(&mut state, moves).unwrap();
            let game = Game::from_moves(first, moves).unwrap();
            // The engine's game, digest and version follow the rules, move for move.
            assert_eq!(over.game, game);
            assert_eq!(state.digest(), game.digest());
            assert_eq!(state.v(), base_v + moves.len() as u64);
            let ending = match game.outcome() {
                Outcome::Won { .. } => Ending::Won,
                Outcome::Draw => Ending::Draw,
                Outcome::InProgress { .. } => unreachable!("a finished game"),
            };
            assert_eq!(over.ending, ending);
            // The log is the moves, each by the player the rules say.
            let logged: Vec<Event> = state.events()[start.events().len()..].to_vec();
            let expected: Vec<Event> = moves
                .iter()
                .enumerate()
                .map(|(ply, &cell)| Event::Moved {
                    player: game.mover_of(ply),
                    cell,
                })
                .collect();
            assert_eq!(logged, expected);
            // One score rule, and one recorded ending.
            let mut score = base_score;
            score.count(over.verdict());
            assert_eq!(state.score(), score);
            assert_eq!(state.result(), Some(over.verdict()));
            let record =
                Record::of_game(jiff::Timestamp::UNIX_EPOCH, Mode::HotSeat, &over).unwrap();
            assert_eq!(
                (record.ending(), record.verdict()),
                (ending, over.verdict())
            );
            assert_eq!(record.moves(), &moves[..]);
            verdicts[match over.verdict() {
                Verdict::Win(Player::X) => 0,
                Verdict::Win(Player::O) => 1,
                Verdict::Draw | Verdict::Unfinished => 2,
            }] += 1;
        }
        // The published counts, by who won (mirrored when O moves first).
        let expected = match first {
            Player::X => [131_184, 77_904, 46_080],
            Player::O => [77_904, 131_184, 46_080],
        };
        assert_eq!(verdicts, expected, "{first:?} first");
    }
}

/// A sample of every game: one in `step`, X first and O first in turn, so a match of them
/// alternates the first player as a match does.
fn sample(step: usize, count: usize) -> Vec<Vec<Cell>> {
    let x = every_game(Player::X);
    let o = every_game(Player::O);
    (0..count)
        .map(|i| {
            let games = if i % 2 == 0 { &x } else { &o };
            games[(i * step + 7) % games.len()].clone()
        })
        .collect()
}

/// A match of `games` between Ann (X) and Bob (O) at `table`: the reference every driver must
/// reproduce.
fn reference(networked: bool, games: &[Vec<Cell>]) -> (Match, Vec<GameOver>) {
    let mut state = if networked {
        Match::networked("Ann", "Bob")
    } else {
        Match::new("Ann", "Bob")
    };
    let mut overs = Vec::new();
    for (i, moves) in games.iter().enumerate() {
        if i > 0 {
            rematch(&mut state);
        }
        overs.extend(play_game(&mut state, moves));
    }
    (state, overs)
}

/// What a record keeps of a game, to compare records made by different drivers.
fn kept(record: &Record) -> (Player, Vec<Cell>, Ending, Verdict, String, String) {
    (
        record.first(),
        record.moves().to_vec(),
        record.ending(),
        record.verdict(),
        record.name(Player::X).to_owned(),
        record.name(Player::O).to_owned(),
    )
}

fn kept_over(over: &GameOver) -> (Player, Vec<Cell>, Ending, Verdict, String, String) {
    (
        over.game.first(),
        over.game.moves().to_vec(),
        over.ending,
        over.verdict(),
        over.names[0].clone(),
        over.names[1].clone(),
    )
}

#[test]
fn the_window_at_one_computer_plays_a_sample_with_the_same_events_and_records() {
    let games = sample(9_973, 24);
    let (expected, overs) = reference(false, &games);
    let dir = tempfile::tempdir().unwrap();
    let history = dir.path().join("history.txt");
    let mut app = App::new(SettingsStore::in_memory()).with_history(HistoryStore::at(&history));
    app.apply(AppCommand::StartHotSeat {
        x_name: "Ann".to_owned(),
        o_name: "Bob".to_owned(),
        game: tictactoe::game::Variant::Classic,
    });
    for (i, moves) in games.iter().enumerate() {
        if i > 0 {
            app.apply(AppCommand::Intent(Intent::Rematch));
        }
        for &cell in moves {
            app.apply(AppCommand::Intent(Intent::Play(cell)));
        }
    }
    let played = app.hot_seat().unwrap();
    assert_eq!(played.events(), expected.events());
    assert_eq!(played.digest(), expected.digest());
    assert_eq!(played.score(), expected.score());
    let read = HistoryStore::at(&history).read().unwrap();
    assert_eq!(read.records.len(), games.len());
    for (record, over) in read.records.iter().zip(&overs) {
        assert_eq!(record.mode(), Mode::HotSeat);
        assert_eq!(kept(record), kept_over(over));
    }
}

/// Plays a planned match: on its turn, the next move of the planned game; once a game is over,
/// a rematch while there is a next one.
struct Script {
    games: Vec<Vec<Cell>>,
}

impl Driver for Script {
    fn intent(&mut self, state: &Match, seat: Player) -> Option<Intent> {
        let planned = self
            .games
            .get(usize::try_from(state.game_number()).ok()? - 1)?;
        if state.to_move() == Some(seat) {
            planned
                .get(state.game().moves().len())
                .copied()
                .map(Intent::Play)
        } else if state.game_over()
            && !state.wants_rematch(seat)
            && usize::try_from(state.game_number()).ok()? < self.games.len()
        {
            Some(Intent::Rematch)
        } else {
            None
        }
    }
}

/// A host and a joiner of `game` on loopback, both playing the planned `games`.
async fn scripted_pair(game: Variant, games: &[Vec<Cell>]) -> (HostHandle, JoinHandle) {
    let script = || -> Option<Box<dyn Driver>> {
        Some(Box::new(Script {
            games: games.to_vec(),
        }))
    };
    connected_pair(
        HostConfig {
            game,
            driver: script(),
            ..host_config()
        },
        JoinConfig {
            driver: script(),
            ..join_config()
        },
    )
    .await
}

#[tokio::test]
async fn host_and_joiner_over_loopback_play_a_sample_with_the_same_results() {
    let games = sample(7_919, 16);
    let (expected, overs) = reference(true, &games);
    let (mut host, mut joiner) = scripted_pair(Variant::Classic, &games).await;
    for handle_overs in [
        collect_games(&mut host, games.len()).await,
        collect_games(&mut joiner, games.len()).await,
    ] {
        let (ended, last) = handle_overs;
        assert_eq!(
            ended.iter().map(kept_over).collect::<Vec<_>>(),
            overs.iter().map(kept_over).collect::<Vec<_>>()
        );
        assert_eq!(
            last.snapshot(),
            expected.snapshot(),
            "the same state, version and digest"
        );
    }
}

/// Every game the network side reports ended, until `count` have, and the match as it then is.
async fn collect_games<H: crate::support::net::Events>(
    handle: &mut H,
    count: usize,
) -> (Vec<GameOver>, Match) {
    let mut ended = Vec::new();
    loop {
        let event = wait_event(handle, "the next game over", |event| match event {
            NetEvent::GameOver(over) => Some(Err((**over).clone())),
            NetEvent::State(view) if ended.len() == count => Some(Ok(view.state.clone())),
            _ => None,
        })
        .await;
        match event {
            Err(over) => ended.push(over),
            Ok(state) if state.game_over() && state.game_number() as usize == count => {
                return (ended, state);
            }
            Ok(_) => {}
        }
    }
}

/// The person's moves a terminal reads from "1\n2\n…9\n": each turn, the next line that names a
/// free cell.
struct EveryCell {
    next: u8,
}

impl Driver for EveryCell {
    fn intent(&mut self, state: &Match, seat: Player) -> Option<Intent> {
        if state.to_move() != Some(seat) {
            return None;
        }
        while self.next < 9 {
            self.next += 1;
            let cell = Cell::from_number(i64::from(self.next)).ok()?;
            if state.game().is_legal(cell) {
                return Some(Intent::Play(cell));
            }
        }
        None
    }
}

/// One game of a person typing 1–9 against the computer at `level` with `seed`, the computer
/// playing `computer`: the reference for the window and the terminal.
fn against_the_computer(level: Level, seed: u64, computer: Player) -> GameOver {
    let mut state = Match::new("", "");
    let mut bot = Bot::new(Computer::new(level, seed));
    let mut person = EveryCell { next: 0 };
    for _ in 0..9 {
        let seat = state.to_move().unwrap();
        let intent = if seat == computer {
            bot.intent(&state, seat)
        } else {
            person.intent(&state, seat)
        };
        if let Some(over) = state.act(seat, intent.unwrap()).unwrap() {
            return over;
        }
    }
    unreachable!("a game ends within nine moves")
}

/// Runs `tictactoe ARGS` with `input` on stdin and its files in `home`; the games it recorded.
fn terminal(home: &Path, args: &[&str], input: &str) -> Vec<Record> {
    let mut child = Command::new(env!("CARGO_BIN_EXE_tictactoe"))
        .args(args)
        .env("TICTACTOE_RELAY", "off")
        .env("XDG_DATA_HOME", home.join("data"))
        .env("XDG_CONFIG_HOME", home.join("config"))
        .env("HOME", home)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let _ignored = std::io::Write::write_all(&mut child.stdin.take().unwrap(), input.as_bytes());
    let output = child.wait_with_output().unwrap();
    assert!(output.status.success(), "{output:?}");
    let path = home.join("data").join("tictactoe").join("history.txt");
    HistoryStore::at(path).read().unwrap().records
}

#[test]
fn the_terminal_plays_a_sample_with_the_same_records() {
    // At one keyboard: games with X first (the terminal plays one game, X first).
    for moves in sample(31_337, 24).iter().step_by(2) {
        let home = tempfile::tempdir().unwrap();
        let input: String = moves.iter().map(|cell| format!("{cell}\n")).collect();
        let records = terminal(home.path(), &["play"], &input);
        let mut state = Match::new("Player X", "Player O");
        let over = play_game(&mut state, moves).unwrap();
        assert_eq!(records.len(), 1);
        assert_eq!(records[0].mode(), Mode::HotSeat);
        assert_eq!(kept(&records[0]), kept_over(&over));
    }
    // Against the computer, which is the same driver as the reference's.
    for (seed, person) in [(0, "x"), (1, "o"), (2, "x"), (3, "o")] {
        let home = tempfile::tempdir().unwrap();
        let seed_text = seed.to_string();
        let args = [
            "play",
            "--computer",
            "medium",
            "--as",
            person,
            "--seed",
            &seed_text,
        ];
        let records = terminal(home.path(), &args, "1\n2\n3\n4\n5\n6\n7\n8\n9\n");
        let computer = if person == "x" { Player::O } else { Player::X };
        let over = against_the_computer(Level::Medium, seed, computer);
        assert_eq!(records.len(), 1);
        assert_eq!(
            (records[0].first(), records[0].moves(), records[0].ending()),
            (over.game.first(), over.game.moves(), over.ending),
            "seed {seed}"
        );
        assert_eq!(
            records[0].mode(),
            Mode::Computer {
                level: Level::Medium,
                you: computer.other()
            }
        );
    }
}

#[test]
fn the_window_against_the_computer_plays_the_computers_games() {
    for (seed, person) in [(0, Player::X), (1, Player::O), (5, Player::X)] {
        let dir = tempfile::tempdir().unwrap();
        let history = dir.path().join("history.txt");
        let options = AppOptions {
            computer_delay: std::time::Duration::ZERO,
            computer_seed: Some(seed),
            ..AppOptions::default()
        };
        let mut harness = Harness::builder()
            .with_size([480.0, 620.0])
            .build_eframe(|_cc| {
                App::with_options(SettingsStore::in_memory(), options)
                    .with_history(HistoryStore::at(&history))
            });
        harness.state_mut().apply(AppCommand::StartVsComputer {
            name: String::new(),
            level: Level::Medium,
            mark: person,
            game: tictactoe::game::Variant::Classic,
        });
        let mut typed = EveryCell { next: 0 };
        for _ in 0..200 {
            harness.step();
            let Some(vs) = harness.state().vs_computer() else {
                break;
            };
            if vs.series().game_over() {
                break;
            }
            if let Some(intent) = typed.intent(vs.series(), person) {
                harness.state_mut().apply(AppCommand::Intent(intent));
            }
        }
        let over = against_the_computer(Level::Medium, seed, person.other());
        let records = HistoryStore::at(&history).read().unwrap().records;
        assert_eq!(records.len(), 1, "seed {seed}");
        assert_eq!(
            (records[0].first(), records[0].moves(), records[0].ending()),
            (over.game.first(), over.game.moves(), over.ending),
            "seed {seed}"
        );
    }
}

/// `count` whole games of `variant` played by two easy computers, the first player alternating
/// from X as a match's games do.
fn computer_games(variant: Variant, count: u64) -> Vec<Vec<Cell>> {
    (0..count)
        .map(|seed| {
            let first = if seed % 2 == 0 { Player::X } else { Player::O };
            let mut game = Game::of(variant, first);
            let mut computer = Computer::new(Level::Easy, seed);
            while let Some(cell) = computer.choose(&game) {
                game.play(cell).unwrap();
            }
            game.moves().to_vec()
        })
        .collect()
}

#[tokio::test]
async fn the_bigger_games_go_through_the_engine_the_network_and_the_terminal_alike() {
    for variant in [Variant::Ultimate, Variant::Gomoku] {
        let games = computer_games(variant, 4);
        // The engine alone: the reference.
        let mut expected = Match::new_variant(variant, Table::Network, "Ann", "Bob");
        let mut overs = Vec::new();
        for (i, moves) in games.iter().enumerate() {
            if i > 0 {
                rematch(&mut expected);
            }
            overs.extend(play_game(&mut expected, moves));
        }
        assert_eq!(overs.len(), games.len());

        // The host and the joiner over loopback, the joiner told the game by the host.
        let (mut host, mut joiner) = scripted_pair(variant, &games).await;
        for (ended, last) in [
            collect_games(&mut host, games.len()).await,
            collect_games(&mut joiner, games.len()).await,
        ] {
            assert_eq!(
                ended.iter().map(kept_over).collect::<Vec<_>>(),
                overs.iter().map(kept_over).collect::<Vec<_>>(),
                "{variant}"
            );
            assert_eq!(last.snapshot(), expected.snapshot(), "{variant}");
            assert_eq!(last.events(), expected.events(), "{variant}");
        }

        // The terminal at one keyboard, the moves typed as people write them: the games with X
        // first (a terminal game starts with X).
        for moves in games.iter().step_by(2) {
            let home = tempfile::tempdir().unwrap();
            let input: String = moves
                .iter()
                .map(|&cell| format!("{}\n", variant.move_text(cell)))
                .collect();
            let records = terminal(home.path(), &["play", "--game", variant.as_str()], &input);
            let mut state = Match::new_variant(variant, Table::Local, "Player X", "Player O");
            let over = play_game(&mut state, moves).unwrap();
            assert_eq!(records.len(), 1);
            assert_eq!(records[0].variant(), variant);
            assert_eq!(kept(&records[0]), kept_over(&over), "{variant}");
        }
    }
}
