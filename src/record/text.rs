//! The text format of a record (`docs/RECORD-FORMAT.md`): [`Record::to_text`], and
//! [`Record::parse`] and [`parse_many`], the one way a saved game comes back.
//!
//! Parsing replays the moves through the match's rules (as [`Record::new`] does), so a record
//! that parses is a legal game whose ending agrees with its board. Every error names its line
//! and the problem; nothing in the text can cause a panic. Pure: no I/O.

use std::fmt::Write as _;

use jiff::Timestamp;

use super::{Mode, Record, Replayed, check_ending, clean_line};
use crate::game::{
    CellError, Chain, Ending, Level, MoveError, Player, Role, Variant, Verdict, clean_name,
};

/// The first word of every record; the format version follows it on the same line.
pub const MAGIC: &str = "tictactoe-record";

/// The newest format version this program reads.
///
/// It writes version 1, or 2 for a record with a chain head or a dispute (the lines version 2
/// adds), or 3 for a game other than classic (the `game:` line version 3 adds).
pub const FORMAT_VERSION: u32 = 3;

/// Why a game cannot be made into a record (or a text read back as one).
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum RecordErrorKind {
    /// The first line does not start a record.
    #[error(
        "this is not a Tic-Tac-Toe record: expected \"{MAGIC} 1\" (or a later version), found {found:?}"
    )]
    NotARecord {
        /// The line found.
        found: String,
    },
    /// The record was written in a format version this program does not know.
    #[error(
        "this record uses format version {found}, but this version of Tic-Tac-Toe reads versions \
         up to {supported}: open it with a newer Tic-Tac-Toe"
    )]
    UnknownVersion {
        /// The version in the file.
        found: u32,
        /// The newest version this program reads.
        supported: u32,
    },
    /// The text ends before the record does.
    #[error(
        "the record ends too early: the \"{expected}:\" line is missing (the file may be cut short)"
    )]
    Truncated {
        /// The line that should come next.
        expected: &'static str,
    },
    /// A line other than the one the format puts here.
    #[error("expected a line \"{expected}: …\", found {found:?}")]
    MissingField {
        /// The line that should be here.
        expected: &'static str,
        /// The line found.
        found: String,
    },
    /// A field whose value cannot be understood.
    #[error("{value:?} is not a valid {field}: {why}")]
    BadValue {
        /// The field.
        field: &'static str,
        /// The value found.
        value: String,
        /// What is allowed.
        why: String,
    },
    /// A move that does not name a cell of the game.
    #[error("move {number} is not a cell: {error}")]
    BadMove {
        /// The 1-based position of the move.
        number: usize,
        /// Why.
        error: CellError,
    },
    /// A move the rules refuse at that point of the game.
    #[error("move {number} ({cell}) is illegal: {error}")]
    IllegalMove {
        /// The 1-based position of the move.
        number: usize,
        /// The move as the game writes it (`5`, `53`, `h8`).
        cell: String,
        /// Why the rules refuse it.
        error: MoveError,
    },
    /// The ending does not agree with the board.
    #[error("the game cannot end \"{ending}\": {why}")]
    EndingMismatch {
        /// The ending stated.
        ending: Ending,
        /// How the board disagrees.
        why: &'static str,
    },
    /// The result line does not agree with the ending and the board.
    #[error("the result should be \"{expected}\" for this game, not {found:?}")]
    ResultMismatch {
        /// What the ending and the board imply.
        expected: Verdict,
        /// The result line's value.
        found: String,
    },
    /// Text after the end of the record.
    #[error("unexpected text after the end of the record: {found:?}")]
    TrailingText {
        /// The line found.
        found: String,
    },
}

/// Why a text is not a valid record: the 1-based line and the problem.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("line {line}: {kind}")]
pub struct RecordError {
    /// The 1-based line number where the problem is (one past the last line when the text ends
    /// too early).
    pub line: usize,
    /// What is wrong.
    pub kind: RecordErrorKind,
}

impl Record {
    /// The record in the text format of `docs/RECORD-FORMAT.md`, ending with a line break:
    /// version 1, or 2 when it carries a chain head or disputes, or 3 for a game other than
    /// classic.
    #[must_use]
    pub fn to_text(&self) -> String {
        let version = if !self.variant().is_classic() {
            3
        } else if self.chain.is_none() && self.disputes.is_empty() {
            1
        } else {
            2
        };
        let mut text = format!("{MAGIC} {version}\n");
        // Writing to a String cannot fail.
        let _infallible = self.write_fields(&mut text);
        text
    }

    fn write_fields(&self, text: &mut String) -> std::fmt::Result {
        writeln!(text, "played: {}", self.played_at)?;
        let variant = self.variant();
        if !variant.is_classic() {
            writeln!(text, "game: {variant}")?;
        }
        match self.mode {
            Mode::HotSeat => writeln!(text, "mode: hot-seat")?,
            Mode::Computer { level, you } => {
                writeln!(text, "mode: computer")?;
                writeln!(text, "level: {level}")?;
                writeln!(text, "you: {}", you.as_str())?;
            }
            Mode::Network { role, you } => {
                writeln!(text, "mode: network")?;
                writeln!(text, "role: {}", role_word(role))?;
                writeln!(text, "you: {}", you.as_str())?;
            }
        }
        writeln!(text, "x: {}", clean_name(&self.x_name))?;
        writeln!(text, "o: {}", clean_name(&self.o_name))?;
        writeln!(text, "first: {}", self.first().as_str())?;
        let moves: Vec<String> = self
            .moves()
            .iter()
            .map(|&cell| variant.move_text(cell))
            .collect();
        writeln!(text, "moves: {}", moves.join(" "))?;
        writeln!(text, "end: {}", self.ending)?;
        writeln!(text, "result: {}", self.verdict())?;
        if let Some(chain) = self.chain {
            writeln!(text, "chain: {chain}")?;
        }
        for dispute in &self.disputes {
            writeln!(text, "dispute: {}", clean_line(dispute))?;
        }
        Ok(())
    }

    /// Reads one record from `text`. Blank lines after it are allowed; anything else is an error.
    /// Every error names its line and the problem; nothing in the text can cause a panic.
    pub fn parse(text: &str) -> Result<Self, RecordError> {
        // Some editors start a saved text file with a byte-order mark.
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        let mut lines = Lines::new(text, 0);
        let record = parse_one(&mut lines)?;
        while let Some((number, line)) = lines.next_line() {
            if !line.trim().is_empty() {
                return Err(RecordError {
                    line: number,
                    kind: RecordErrorKind::TrailingText {
                        found: line.to_owned(),
                    },
                });
            }
        }
        Ok(record)
    }
}

const fn role_word(role: Role) -> &'static str {
    match role {
        Role::Host => "host",
        Role::Joiner => "join",
    }
}

/// The lines of a text with their 1-based numbers, counted from `offset`.
struct Lines<'a> {
    inner: std::iter::Peekable<std::iter::Enumerate<std::str::Lines<'a>>>,
    offset: usize,
    /// The number of the last line handed out (the line after it is where "too early" points).
    last: usize,
}

impl<'a> Lines<'a> {
    fn new(text: &'a str, offset: usize) -> Self {
        Self {
            inner: text.lines().enumerate().peekable(),
            offset,
            last: offset,
        }
    }

    fn next_line(&mut self) -> Option<(usize, &'a str)> {
        let (i, line) = self.inner.next()?;
        self.last = self.offset + i + 1;
        Some((self.last, line))
    }

    /// The value of the next line if it is `key: value`; otherwise the line stays for the next
    /// read.
    fn optional(&mut self, key: &'static str) -> Option<(usize, &'a str)> {
        let (_, line) = self.inner.peek()?;
        let value = line.strip_prefix(key)?.strip_prefix(':')?;
        let value = value.trim();
        self.next_line().map(|(number, _)| (number, value))
    }

    /// The value of the next line, which must be `key: value`.
    fn field(&mut self, key: &'static str) -> Result<(usize, &'a str), RecordError> {
        let Some((number, line)) = self.next_line() else {
            return Err(RecordError {
                line: self.last + 1,
                kind: RecordErrorKind::Truncated { expected: key },
            });
        };
        line.strip_prefix(key)
            .and_then(|rest| rest.strip_prefix(':'))
            .map(|value| (number, value.trim()))
            .ok_or_else(|| RecordError {
                line: number,
                kind: RecordErrorKind::MissingField {
                    expected: key,
                    found: line.to_owned(),
                },
            })
    }

    /// The next line's value parsed by `parse`, whose error text says what is allowed.
    fn parsed<T>(
        &mut self,
        key: &'static str,
        parse: impl FnOnce(&str) -> Result<T, String>,
    ) -> Result<T, RecordError> {
        let (number, value) = self.field(key)?;
        parse(value).map_err(|why| RecordError {
            line: number,
            kind: RecordErrorKind::BadValue {
                field: key,
                value: value.to_owned(),
                why,
            },
        })
    }
}

fn parse_player(value: &str) -> Result<Player, String> {
    match value {
        "x" => Ok(Player::X),
        "o" => Ok(Player::O),
        _ => Err("use x or o".to_owned()),
    }
}

fn parse_mode(lines: &mut Lines<'_>) -> Result<Mode, RecordError> {
    let mode = lines.parsed("mode", |value| match value {
        "hot-seat" | "computer" | "network" => Ok(value.to_owned()),
        _ => Err("use hot-seat, computer or network".to_owned()),
    })?;
    Ok(match mode.as_str() {
        "computer" => {
            let level = lines.parsed("level", |value| {
                Level::ALL
                    .into_iter()
                    .find(|level| level.as_str() == value)
                    .ok_or_else(|| "use easy, medium, hard or perfect".to_owned())
            })?;
            let you = lines.parsed("you", parse_player)?;
            Mode::Computer { level, you }
        }
        "network" => {
            let role = lines.parsed("role", |value| match value {
                "host" => Ok(Role::Host),
                "join" => Ok(Role::Joiner),
                _ => Err("use host or join".to_owned()),
            })?;
            let you = lines.parsed("you", parse_player)?;
            Mode::Network { role, you }
        }
        _ => Mode::HotSeat,
    })
}

fn parse_ending(value: &str) -> Result<Ending, String> {
    let (word, player) = match value.split_once(' ') {
        Some((word, player)) => (word, Some(player.trim())),
        None => (value, None),
    };
    let who = || {
        player.map_or_else(
            || Err(format!("say who: \"{word} x\" or \"{word} o\"")),
            parse_player,
        )
    };
    match (word, player) {
        ("won", None) => Ok(Ending::Won),
        ("draw", None) => Ok(Ending::Draw),
        ("unfinished", None) => Ok(Ending::Unfinished),
        ("resigned", _) => Ok(Ending::Resigned { player: who()? }),
        ("left", _) => Ok(Ending::Left { player: who()? }),
        ("abandoned", _) => Ok(Ending::Abandoned { player: who()? }),
        _ => Err("use won, draw, resigned x|o, left x|o, abandoned x|o or unfinished".to_owned()),
    }
}

/// Reads one record from `lines`, starting at its version line.
fn parse_one(lines: &mut Lines<'_>) -> Result<Record, RecordError> {
    let Some((number, first_line)) = lines.next_line() else {
        return Err(RecordError {
            line: lines.last + 1,
            kind: RecordErrorKind::Truncated { expected: MAGIC },
        });
    };
    let not_a_record = || RecordError {
        line: number,
        kind: RecordErrorKind::NotARecord {
            found: first_line.to_owned(),
        },
    };
    let version = first_line
        .trim_end()
        .strip_prefix(MAGIC)
        .and_then(|rest| rest.strip_prefix(' '))
        .ok_or_else(not_a_record)?;
    let version: u32 = version.parse().map_err(|_not_a_number| not_a_record())?;
    if !(1..=FORMAT_VERSION).contains(&version) {
        return Err(RecordError {
            line: number,
            kind: RecordErrorKind::UnknownVersion {
                found: version,
                supported: FORMAT_VERSION,
            },
        });
    }

    let played_at = lines.parsed("played", |value| {
        value
            .parse::<Timestamp>()
            .map_err(|e| format!("{e} (write a UTC time such as 2026-11-26T18:05:09Z)"))
    })?;
    // Version 3: the game, when it is not classic.
    let game_line = if version >= 3 {
        lines.optional("game")
    } else {
        None
    };
    let variant = match game_line {
        None => Variant::Classic,
        Some((line, value)) => value.parse::<Variant>().map_err(|_unknown| RecordError {
            line,
            kind: RecordErrorKind::BadValue {
                field: "game",
                value: value.to_owned(),
                why: "use classic, ultimate or gomoku (a newer Tic-Tac-Toe may know more games)"
                    .to_owned(),
            },
        })?,
    };
    let mode = parse_mode(lines)?;
    let (_, x_name) = lines.field("x")?;
    let (_, o_name) = lines.field("o")?;
    let first = lines.parsed("first", parse_player)?;

    let (moves_line, moves_text) = lines.field("moves")?;
    let mut replayed = Replayed::new(variant, first);
    for (i, word) in moves_text.split_whitespace().enumerate() {
        let number = i + 1;
        let bad = |kind| RecordError {
            line: moves_line,
            kind,
        };
        let cell = variant
            .parse_move(word)
            .map_err(|error| bad(RecordErrorKind::BadMove { number, error }))?;
        replayed.play(number, cell).map_err(bad)?;
    }
    let game = replayed.game().clone();

    let (end_line, end_text) = lines.field("end")?;
    let ending = parse_ending(end_text).map_err(|why| RecordError {
        line: end_line,
        kind: RecordErrorKind::BadValue {
            field: "end",
            value: end_text.to_owned(),
            why,
        },
    })?;
    check_ending(&game, ending).map_err(|kind| RecordError {
        line: end_line,
        kind,
    })?;

    let mut record = Record {
        played_at,
        mode,
        x_name: clean_name(x_name),
        o_name: clean_name(o_name),
        game,
        ending,
        chain: None,
        disputes: Vec::new(),
    };
    let (result_line, result_text) = lines.field("result")?;
    let expected = record.verdict();
    if result_text != expected.to_string() {
        return Err(RecordError {
            line: result_line,
            kind: RecordErrorKind::ResultMismatch {
                expected,
                found: result_text.to_owned(),
            },
        });
    }
    // Version 2: the chain head, then any disputes.
    if version >= 2 {
        if let Some((line, value)) = lines.optional("chain") {
            let chain = value.parse::<Chain>().map_err(|why| RecordError {
                line,
                kind: RecordErrorKind::BadValue {
                    field: "chain",
                    value: value.to_owned(),
                    why,
                },
            })?;
            record.chain = Some(chain);
        }
        while let Some((_, value)) = lines.optional("dispute") {
            record.disputes.push(clean_line(value));
        }
    }
    Ok(record)
}

/// Reads records written one after another, as in a history file.
///
/// Each record starts at a line beginning with [`MAGIC`]; blank lines between records are
/// skipped. Returns the records that read cleanly, in order, and an error for each stretch of text
/// that did not (its line numbers count from the start of `text`).
#[must_use]
pub fn parse_many(text: &str) -> (Vec<Record>, Vec<RecordError>) {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut records = Vec::new();
    let mut errors = Vec::new();
    // The 0-based line index and byte offset of each record's first line.
    let mut starts = Vec::new();
    let mut offset = 0;
    let mut stray: Option<usize> = None;
    for (i, line) in text.split_inclusive('\n').enumerate() {
        if line.starts_with(MAGIC) {
            starts.push((i, offset));
        } else if starts.is_empty() && !line.trim().is_empty() && stray.is_none() {
            stray = Some(i);
        }
        offset += line.len();
    }
    if let Some(i) = stray {
        // Text before the first record: report it once, as where the file is not a record.
        let found = text.lines().nth(i).unwrap_or_default().to_owned();
        errors.push(RecordError {
            line: i + 1,
            kind: RecordErrorKind::NotARecord { found },
        });
    }
    for (k, &(line_index, start)) in starts.iter().enumerate() {
        let end = starts.get(k + 1).map_or(text.len(), |&(_, next)| next);
        let block = text.get(start..end).unwrap_or_default();
        let mut lines = Lines::new(block, line_index);
        match parse_one(&mut lines) {
            Ok(record) => {
                records.push(record);
                // A fragment after a whole record (the start of a write cut short) is damage of
                // its own; the record before it stands.
                if let Some((line, found)) =
                    std::iter::from_fn(|| lines.next_line()).find(|(_, l)| !l.trim().is_empty())
                {
                    errors.push(RecordError {
                        line,
                        kind: RecordErrorKind::TrailingText {
                            found: found.to_owned(),
                        },
                    });
                }
            }
            Err(error) => errors.push(error),
        }
    }
    (records, errors)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::cells;

    fn sample() -> Record {
        Record::new(
            "2026-11-26T18:05:09Z".parse().unwrap(),
            Mode::Computer {
                level: Level::Perfect,
                you: Player::O,
            },
            ["Computer (perfect)", "Ann"],
            Player::X,
            &cells(&[5, 1, 9]),
            Ending::Resigned { player: Player::O },
        )
        .unwrap()
    }

    #[test]
    fn text_matches_the_documented_example() {
        let text = sample().to_text();
        assert_eq!(
            text,
            "tictactoe-record 1\n\
             played: 2026-11-26T18:05:09Z\n\
             mode: computer\n\
             level: perfect\n\
             you: o\n\
             x: Computer (perfect)\n\
             o: Ann\n\
             first: x\n\
             moves: 5 1 9\n\
             end: resigned o\n\
             result: x wins\n"
        );
        assert_eq!(Record::parse(&text).unwrap(), sample());
    }

    #[test]
    fn names_are_kept_on_one_line() {
        let record = Record::new(
            Timestamp::UNIX_EPOCH,
            Mode::HotSeat,
            ["  Ann\nresult: draw ", "Bob"],
            Player::X,
            &[],
            Ending::Left { player: Player::O },
        )
        .unwrap();
        assert_eq!(record.name(Player::X), "Ann result: draw");
        assert_eq!(Record::parse(&record.to_text()).unwrap(), record);
    }

    #[test]
    fn history_keeps_good_records_around_a_damaged_one() {
        let good = sample().to_text();
        // Cut in the middle of its last line; the next append starts on a new line.
        let cut = &good[..good.len() - 10];
        let text = format!("{good}\n{cut}\n{good}");
        let (records, errors) = parse_many(&text);
        assert_eq!(records, [sample(), sample()]);
        assert_eq!(errors.len(), 1);
        assert_eq!(errors[0].line, 23);
        assert!(matches!(
            errors[0].kind,
            RecordErrorKind::MissingField {
                expected: "result",
                ..
            }
        ));
    }
}
