//! Every screen at the smallest window the app allows (360×480), the default (480×620) and a
//! large one (1280×900), in both themes: each button, field, check box and label lies inside the
//! window, and no two controls overlap. The rectangles are the ones the window reports to
//! screen readers, read through the harness. Lists that scroll (the history, the statistics)
//! may run below the window, never off its sides.

#![expect(
    clippy::unwrap_used,
    reason = "test helpers: an unwrap that fails is a test that fails"
)]

use crate::support::app::{
    click, close_menu, fill_join, host, join, loopback, open_with, settle, square, step_all_until,
    step_until_one, two, type_into, wait_in_match,
};
use crate::support::{against, over_network};

use std::path::Path;

use egui::accesskit::Role;
use egui::{Key, Rect, Vec2};
use egui_kittest::Harness;
use egui_kittest::kittest::{By, NodeT as _, Queryable as _};
use tictactoe::app::chat::CHAT_FIELD;
use tictactoe::app::chrome::HEADER_HEIGHT;
use tictactoe::app::match_screen::RESULT_CARD;
use tictactoe::app::screens::net_match::NetMatch;
use tictactoe::app::{App, Screen, ThemeChoice as Theme};
use tictactoe::game::{Intent, Level, Player, Variant};
use tictactoe::record::{Ending, Mode, Record, Role as RecordRole};
use tictactoe::store::HistoryStore;

const SIZES: [[f32; 2]; 3] = [[360.0, 480.0], [480.0, 620.0], [1280.0, 900.0]];

/// Whether the screen's content may run below the window (it scrolls).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Fit {
    Whole,
    ScrollsDown,
}

fn open(dir: &Path, size: [f32; 2], theme: Theme) -> Harness<'static, App> {
    let theme = match theme {
        Theme::Dark => "dark",
        _ => "light",
    };
    std::fs::write(
        dir.join("settings.json"),
        format!(r#"{{"theme":"{theme}"}}"#),
    )
    .unwrap();
    let history = HistoryStore::at(dir.join("history.txt"));
    let mut harness = open_with(dir, size, move |settings| {
        App::new(settings).with_history(history)
    });
    settle(&mut harness);
    harness
}

/// What a player sees and can press: the nodes checked.
fn checked(role: Role) -> bool {
    matches!(
        role,
        Role::Button
            | Role::CheckBox
            | Role::TextInput
            | Role::Label
            | Role::ComboBox
            | Role::RadioButton
            | Role::Link
    )
}

fn pressable(role: Role) -> bool {
    matches!(
        role,
        Role::Button | Role::CheckBox | Role::TextInput | Role::ComboBox | Role::RadioButton
    )
}

/// Fails, naming the widget, if one lies outside the window or two controls overlap.
fn check(harness: &Harness<'_, App>, screen: &str, size: [f32; 2], fit: Fit) {
    let window = Rect::from_min_size(egui::Pos2::ZERO, Vec2::from(size)).expand(0.5);
    let mut controls: Vec<(String, Rect)> = Vec::new();
    let mut labels: Vec<(String, Rect)> = Vec::new();
    let mut seen = 0;
    // A finished game's board lies under its result card: its cells, no longer playable, may.
    let card = result_card(harness);
    for node in harness.root().children_recursive() {
        let access = node.accesskit_node();
        if !checked(access.role()) || access.is_hidden() {
            continue;
        }
        let rect = node.rect();
        if rect.width() <= 0.0 || rect.height() <= 0.0 {
            continue;
        }
        if access.is_disabled() && card.is_some_and(|card| card.intersects(rect.shrink(1.0))) {
            continue;
        }
        let name = access
            .label()
            .or_else(|| access.value())
            .unwrap_or_default();
        seen += 1;
        let inside = match fit {
            Fit::Whole => window.contains_rect(rect),
            Fit::ScrollsDown => {
                rect.min.x >= window.min.x && rect.max.x <= window.max.x && rect.min.y >= 0.0
            }
        };
        assert!(
            inside,
            "{screen} at {}×{}: {:?} {name:?} at {rect:?} is outside the window",
            size[0],
            size[1],
            access.role()
        );
        if !pressable(access.role()) {
            labels.push((name.clone(), rect));
        }
        if pressable(access.role()) {
            for (other, other_rect) in &controls {
                assert!(
                    !rect.shrink(1.0).intersects(other_rect.shrink(1.0)),
                    "{screen} at {}×{}: {name:?} {rect:?} overlaps {other:?} {other_rect:?}",
                    size[0],
                    size[1]
                );
            }
            controls.push((name, rect));
        }
    }
    // Nor does any text lie on a control (a board squeezed under the chat, say).
    for (label, rect) in &labels {
        for (control, control_rect) in &controls {
            assert!(
                !rect.shrink(1.0).intersects(control_rect.shrink(1.0)),
                "{screen} at {}×{}: the text {label:?} {rect:?} lies on {control:?} {control_rect:?}",
                size[0],
                size[1]
            );
        }
    }
    assert!(seen > 3, "{screen}: only {seen} widgets found");
    text_readable(harness, screen, size);
    moves_in_rows(harness, screen, size);
}

/// Fails unless the move list is a table of turns: each odd move and the move after it side by
/// side on one row, the first on the left ("1. X top left" beside "2. O centre"). Its text is
/// held to the size and contrast of every other by [`text_readable`].
fn moves_in_rows(harness: &Harness<'_, App>, screen: &str, size: [f32; 2]) {
    let mut moves: std::collections::BTreeMap<usize, Rect> = std::collections::BTreeMap::new();
    for node in harness.root().children_recursive() {
        let label = node.accesskit_node().label().unwrap_or_default();
        let Some((number, rest)) = label.split_once(". ") else {
            continue;
        };
        let (Ok(number), true) = (
            number.parse::<usize>(),
            rest.starts_with("X ") || rest.starts_with("O "),
        ) else {
            continue;
        };
        moves.insert(number, node.rect());
    }
    for (&number, first) in moves.iter().filter(|(number, _)| *number % 2 == 1) {
        let Some(second) = moves.get(&(number + 1)) else {
            continue;
        };
        assert!(
            (first.center().y - second.center().y).abs() < 1.0 && first.right() <= second.left(),
            "{screen} at {size:?}: moves {number} {first:?} and {} {second:?} are not one row",
            number + 1
        );
    }
}

/// Where the result card of a finished game lies, if the screen shows one.
fn result_card(harness: &Harness<'_, App>) -> Option<Rect> {
    let prefix = format!("{RESULT_CARD}: ");
    harness
        .query_all(By::new().label_contains(&prefix))
        .next()
        .map(|node| node.rect())
}

/// Fails unless the result card of a finished game lies over the board, inside the window,
/// with its button (`action`, if any) on it; its text is held to the same size and contrast as
/// every other text by [`check`].
fn card_shown(harness: &Harness<'_, App>, screen: &str, size: [f32; 2], action: Option<&str>) {
    let window = Rect::from_min_size(egui::Pos2::ZERO, Vec2::from(size)).expand(0.5);
    let card =
        result_card(harness).unwrap_or_else(|| panic!("{screen} at {size:?}: no result card"));
    assert!(
        window.contains_rect(card),
        "{screen} at {size:?}: the result card {card:?} is outside the window"
    );
    let board = harness
        .query_all(
            By::new()
                .label_contains("Row 2, column 2")
                .role(Role::Button),
        )
        .chain(
            harness.query_all(
                By::new()
                    .label_contains("board 5, cell 5")
                    .role(Role::Button),
            ),
        )
        .chain(harness.query_all(By::new().label_contains("h8, ").role(Role::Button)))
        .next()
        .map(|node| node.rect());
    if let Some(centre) = board {
        assert!(
            (card.center().x - centre.center().x).abs() <= CENTRE_SLACK,
            "{screen} at {size:?}: the result card is not centred over the board"
        );
    }
    if let Some(action) = action {
        let button = harness.get_by_label(action).rect();
        assert!(
            card.contains_rect(button),
            "{screen} at {size:?}: {action:?} {button:?} is not on the card {card:?}"
        );
    }
}

/// Fails unless the board is the hero of the match screen: its nine squares all shown inside
/// the window, together at least [`BOARD_SHARE`] of the shorter side of the area under the
/// header bar, and centred on the window's centre line within [`CENTRE_SLACK`] points.
fn board_shown(harness: &Harness<'_, App>, screen: &str, size: [f32; 2]) {
    let squares =
        (1..=3).flat_map(|row| (1..=3).map(move |col| format!("Row {row}, column {col}")));
    cells_shown(harness, screen, size, squares);
}

/// [`board_shown`] for a bigger game's board: every one of its cells, named as people name
/// them ("board 5, cell 3", "h8").
fn big_board_shown(harness: &Harness<'_, App>, screen: &str, size: [f32; 2], variant: Variant) {
    let cells = variant
        .all_cells()
        .map(|cell| format!("{}, ", variant.cell_name(cell)));
    cells_shown(harness, screen, size, cells);
}

/// The board made of the cells whose names start with `names` is the hero of the screen (see
/// [`board_shown`]).
fn cells_shown(
    harness: &Harness<'_, App>,
    screen: &str,
    size: [f32; 2],
    names: impl Iterator<Item = String>,
) {
    let window = Rect::from_min_size(egui::Pos2::ZERO, Vec2::from(size)).expand(0.5);
    let mut board = Rect::NOTHING;
    for square in names {
        let node = harness
            .query_all(By::new().label_contains(&square))
            .next()
            .unwrap_or_else(|| panic!("{screen} at {size:?}: no square {square}"));
        let rect = node.rect();
        assert!(
            window.contains_rect(rect),
            "{screen} at {}×{}: {square} is {rect:?}, outside the window",
            size[0],
            size[1]
        );
        board = board.union(rect);
    }
    let shorter = size[0].min(size[1] - HEADER_HEIGHT);
    assert!(
        board.width() >= BOARD_SHARE * shorter - 0.5
            && board.height() >= BOARD_SHARE * shorter - 0.5,
        "{screen} at {}×{}: the board is {:.0}×{:.0}, under {:.0}% of {shorter}",
        size[0],
        size[1],
        board.width(),
        board.height(),
        BOARD_SHARE * 100.0
    );
    let off = (board.center().x - size[0] / 2.0).abs();
    assert!(
        off <= CENTRE_SLACK,
        "{screen} at {}×{}: the board's centre is {off:.1} points off the window's centre line",
        size[0],
        size[1]
    );
}

/// The least share of the shorter side of the area under the header bar the board takes.
const BOARD_SHARE: f32 = 0.7;
/// How far the board's centre may lie from the window's centre line, in points.
const CENTRE_SLACK: f32 = 4.0;
/// The least contrast of any text against what is behind it (WCAG AA for body text).
const MIN_CONTRAST: f32 = 4.5;
/// The smallest text, in points.
const MIN_TEXT: f32 = 12.0;

/// Fails, naming the text, if any text painted on the screen is under [`MIN_TEXT`] points or
/// under [`MIN_CONTRAST`] against what is painted behind it.
///
/// Read from the shapes of the last frame, in the order they are painted: each glyph's colour
/// (its section's, or the text's fallback or override) against the filled rectangles under its
/// centre, blended over the window's background. The text of a disabled control is left out:
/// WCAG does not ask it of controls that cannot be used.
fn text_readable(harness: &Harness<'_, App>, screen: &str, size: [f32; 2]) {
    let window = Rect::from_min_size(egui::Pos2::ZERO, Vec2::from(size));
    let background = harness.ctx.global_style().visuals.panel_fill;
    let mut fills: Vec<(Rect, egui::Color32)> = Vec::new();
    let mut glyphs = 0;
    let disabled: Vec<Rect> = harness
        .root()
        .children_recursive()
        .filter(|node| node.accesskit_node().is_disabled())
        .map(|node| node.rect())
        .collect();
    let mut shapes: Vec<(egui::Shape, Rect)> = harness
        .output()
        .shapes
        .iter()
        .map(|clipped| (clipped.shape.clone(), clipped.clip_rect))
        .collect();
    shapes.reverse();
    while let Some((shape, clip)) = shapes.pop() {
        match shape {
            egui::Shape::Vec(inner) => {
                shapes.extend(inner.into_iter().rev().map(|shape| (shape, clip)));
            }
            egui::Shape::Rect(rect) if rect.fill.a() > 0 => {
                fills.push((rect.rect.intersect(clip), rect.fill));
            }
            egui::Shape::Text(text) => {
                let job = &text.galley.job;
                for section in &job.sections {
                    let range = section.byte_range.start.0..section.byte_range.end.0;
                    let words = job.text.get(range).unwrap_or_default();
                    assert!(
                        words.trim().is_empty() || section.format.font_id.size >= MIN_TEXT,
                        "{screen} at {}×{}: {words:?} is {} points, under {MIN_TEXT}",
                        size[0],
                        size[1],
                        section.format.font_id.size
                    );
                }
                for placed in &text.galley.rows {
                    let mesh = &placed.row.visuals.mesh;
                    for glyph in &placed.row.glyphs {
                        let Some(vertex) = mesh.vertices.get(glyph.first_vertex as usize) else {
                            continue;
                        };
                        if glyph.chr.is_whitespace() || glyph.is_color {
                            continue;
                        }
                        let centre = text.pos
                            + placed.pos.to_vec2()
                            + glyph.pos.to_vec2()
                            + Vec2::new(glyph.advance_width / 2.0, -glyph.font_height / 3.0);
                        if !clip.contains(centre)
                            || !window.contains(centre)
                            || disabled.iter().any(|rect| rect.contains(centre))
                        {
                            continue;
                        }
                        let color = text.override_text_color.unwrap_or(
                            if vertex.color == egui::Color32::PLACEHOLDER {
                                text.fallback_color
                            } else {
                                vertex.color
                            },
                        );
                        let behind = fills
                            .iter()
                            .filter(|(rect, _)| rect.contains(centre))
                            .fold(background, |under, &(_, fill)| over(fill, under));
                        let ratio = contrast(over(color, behind), behind);
                        let line: String = placed.row.glyphs.iter().map(|g| g.chr).collect();
                        assert!(
                            ratio >= MIN_CONTRAST,
                            "{screen} at {}×{}: {line:?} ({:?} at {centre:?}): contrast \
                             {ratio:.2} : 1 ({color:?} on {behind:?}), under {MIN_CONTRAST}",
                            size[0],
                            size[1],
                            glyph.chr
                        );
                        glyphs += 1;
                    }
                }
            }
            _ => {}
        }
    }
    assert!(glyphs > 10, "{screen}: only {glyphs} letters found");
}

/// `top` painted over the opaque `under` (egui's colours are premultiplied).
fn over(top: egui::Color32, under: egui::Color32) -> egui::Color32 {
    let keep = 1.0 - f32::from(top.a()) / 255.0;
    let mix = |a: u8, b: u8| (f32::from(a) + f32::from(b) * keep).round().min(255.0) as u8;
    egui::Color32::from_rgb(
        mix(top.r(), under.r()),
        mix(top.g(), under.g()),
        mix(top.b(), under.b()),
    )
}

/// The WCAG contrast ratio of two opaque colours.
fn contrast(a: egui::Color32, b: egui::Color32) -> f32 {
    let luminance = |c: egui::Color32| {
        let channel = |v: u8| {
            let v = f32::from(v) / 255.0;
            if v <= 0.039_28 {
                v / 12.92
            } else {
                ((v + 0.055) / 1.055).powf(2.4)
            }
        };
        0.2126 * channel(c.r()) + 0.7152 * channel(c.g()) + 0.0722 * channel(c.b())
    };
    let (la, lb) = (luminance(a), luminance(b));
    (la.max(lb) + 0.05) / (la.min(lb) + 0.05)
}

/// A game of Ann's (X) against `o_name`.
fn record(minute: i64, mode: Mode, o_name: &str, moves: &[i64], ending: Ending) -> Record {
    crate::support::record(minute, mode, ["Ann", o_name], moves, ending)
}

/// A history with a game of every kind, the names long enough to test the columns.
fn seed(dir: &Path) {
    let store = HistoryStore::at(dir.join("history.txt"));
    let hard = against(Level::Perfect);
    let net = over_network(RecordRole::Joiner);
    let records = [
        record(1, hard, "Computer", &[1, 4, 2, 5, 3], Ending::Won),
        record(
            2,
            net,
            "Bartholomew the Unbeatable",
            &[1, 5, 9, 3, 7, 4, 6, 8, 2],
            Ending::Draw,
        ),
        record(
            3,
            Mode::HotSeat,
            "Christabel",
            &[1],
            Ending::Resigned { player: Player::X },
        ),
        record(4, net, "Bob", &[1], Ending::Left { player: Player::O }),
    ];
    for record in records {
        store.append(&record).unwrap();
    }
}

/// The screens reached from the menu on one window.
fn local_screens(size: [f32; 2], theme: Theme) {
    let dir = tempfile::tempdir().unwrap();
    seed(dir.path());
    let mut harness = open(dir.path(), size, theme);
    check(&harness, "menu", size, Fit::Whole);

    click(&mut harness, "Two players on this computer…");
    check(&harness, "names form", size, Fit::Whole);
    type_into(&mut harness, "Name for X", "Maximilian Longname");
    type_into(&mut harness, "Name for O", "Bartholomew Evenlonger");
    click(&mut harness, "Start");
    check(&harness, "hot-seat match", size, Fit::Whole);
    board_shown(&harness, "hot-seat match", size);
    click(&mut harness, "Show hints");
    for key in [Key::Num1, Key::Num5, Key::Num2] {
        harness.key_press(key);
        settle(&mut harness);
    }
    check(&harness, "hot-seat match with hints", size, Fit::Whole);
    board_shown(&harness, "hot-seat match with hints", size);
    for key in [Key::Num7, Key::Num3] {
        harness.key_press(key);
        settle(&mut harness);
    }
    harness.get_by_label("Play again");
    check(&harness, "won game", size, Fit::Whole);
    board_shown(&harness, "won game", size);
    card_shown(&harness, "won game", size, Some("Play again"));
    click(&mut harness, "Back to menu");
    harness.get_by_label_contains("Continue");
    check(&harness, "menu with a match to continue", size, Fit::Whole);

    click(&mut harness, "Play against the computer…");
    check(&harness, "computer form", size, Fit::Whole);
    click(&mut harness, "Start");
    check(&harness, "match against the computer", size, Fit::Whole);
    board_shown(&harness, "match against the computer", size);
    click(&mut harness, "Back to menu");

    click(&mut harness, "Host a game…");
    check(&harness, "host form", size, Fit::Whole);
    click(&mut harness, "A friend's");
    check(
        &harness,
        "host form with a friend's relay",
        size,
        Fit::ScrollsDown,
    );
    click(&mut harness, "Public");
    type_into(&mut harness, "Port", "0");
    click(&mut harness, "Start hosting");
    check(&harness, "hosting", size, Fit::Whole);
    click(&mut harness, "Back to menu");

    click(&mut harness, "Join a game…");
    check(&harness, "join form", size, Fit::Whole);
    // Nobody listens on port 9 of this machine's loopback: the join fails with a message.
    type_into(&mut harness, "Address", "127.0.0.1:9");
    click(&mut harness, "Join");
    step_until_one(
        &mut harness,
        "the join failing",
        |app| matches!(app.screen(), Screen::Join(form) if form.error.is_some()),
    );
    check(&harness, "join form with an error", size, Fit::Whole);
    click(&mut harness, "Back to menu");

    // The join screen of an invite link: its addresses above the fields.
    harness
        .state_mut()
        .apply(tictactoe::app::Command::OpenInvite(
        "tictactoe://join?name=Bob&code=K7QM-3XRD&addr=203.0.113.7%3A7878&addr=192.168.1.5%3A7878"
            .to_owned(),
    ));
    settle(&mut harness);
    harness.get_by_label("Invited by Bob");
    check(&harness, "join form of an invite", size, Fit::Whole);
    click(&mut harness, "Back to menu");
    // An invite with a key: one Join (and Watch) for every path.
    let key = "ab".repeat(32);
    harness
        .state_mut()
        .apply(tictactoe::app::Command::OpenInvite(format!(
            "tictactoe://join?name=Bob&key={key}&udp=192.0.2.7%3A51000"
        )));
    settle(&mut harness);
    harness.get_by_label("Watch");
    check(
        &harness,
        "join form of an invite with a key",
        size,
        Fit::Whole,
    );
    click(&mut harness, "Back to menu");

    click(&mut harness, "Statistics");
    check(&harness, "statistics", size, Fit::ScrollsDown);
    click(&mut harness, "Game history");
    check(&harness, "history", size, Fit::ScrollsDown);
    harness.query_all_by_label("Replay").next().unwrap().click();
    settle(&mut harness);
    check(&harness, "replay", size, Fit::Whole);
    board_shown(&harness, "replay", size);
}

/// A network match between two windows on loopback, seen from both sides.
fn network_screens(size: [f32; 2], theme: Theme) {
    let (_dirs, mut a, mut b) = two(|dir| open(dir, size, theme));
    let port = host(&mut a, Some("Annabelle Longname"), false);
    join(&mut b, Some("Bartholomew"), &loopback(port));
    wait_in_match(&mut a, &mut b);
    check(&a, "network match, host", size, Fit::Whole);
    board_shown(&a, "network match, host", size);
    check(&b, "network match, joiner", size, Fit::Whole);
    board_shown(&b, "network match, joiner", size);

    // Cy watches; Annabelle opens the chat (beside the board on a wide window, unfolded under
    // it on a narrow one) and sends a phrase; Bartholomew's stays folded, with the line in it.
    let dir_c = tempfile::tempdir().unwrap();
    let mut c = open(dir_c.path(), size, theme);
    fill_join(&mut c, Some("Cy"), &loopback(port));
    click(&mut c, "Watch instead");
    step_all_until(&mut [&mut a, &mut b, &mut c], "Cy watching", |apps| {
        apps[2].net_match().is_some_and(NetMatch::watching)
            && apps[0].net_match().is_some_and(|n| n.view.watchers == 1)
    });
    if a.query_by_label(CHAT_FIELD).is_none() {
        click(&mut a, "Chat");
    }
    click(&mut a, "Well played");
    step_all_until(&mut [&mut a, &mut b, &mut c], "the line heard", |apps| {
        apps.iter()
            .all(|app| app.net_match().is_some_and(|n| n.chat.len() == 1))
    });
    check(&a, "network match, chat open", size, Fit::Whole);
    board_shown(&a, "network match, chat open", size);
    check(&b, "network match, chat folded", size, Fit::Whole);
    board_shown(&b, "network match, chat folded", size);
    check(&c, "watching", size, Fit::Whole);
    board_shown(&c, "watching", size);
    if c.query_by_label(CHAT_FIELD).is_none() && c.query_by_label("Hide").is_none() {
        click(&mut c, "Chat");
    }
    check(&c, "watching, chat open", size, Fit::Whole);
    board_shown(&c, "watching, chat open", size);

    // X: 1, 2, 3 wins; O: 4, 5. Each side sees the result card; the rematch asked by one is
    // on the other's card.
    for (played, number) in [1, 4, 2, 5, 3].into_iter().enumerate() {
        let mover = if played % 2 == 0 { &mut a } else { &mut b };
        mover.get_by_label(&square(number, "empty")).click();
        step_all_until(
            &mut [&mut a, &mut b, &mut c],
            "the move everywhere",
            |apps| {
                apps.iter().all(|app| {
                    app.net_match()
                        .is_some_and(|n| n.view.state.game().moves().len() == played + 1)
                })
            },
        );
    }
    check(&a, "network game won, host", size, Fit::Whole);
    card_shown(&a, "network game won, host", size, Some("Rematch"));
    click(&mut a, "Rematch");
    step_all_until(&mut [&mut a, &mut b, &mut c], "the rematch asked", |apps| {
        apps[1]
            .net_match()
            .is_some_and(|n| n.view.state.wants_rematch(Player::X))
    });
    check(&b, "network game lost, rematch asked", size, Fit::Whole);
    card_shown(
        &b,
        "network game lost, rematch asked",
        size,
        Some("Rematch"),
    );
    check(&c, "watching a finished game", size, Fit::Whole);
    card_shown(&c, "watching a finished game", size, None);
}

/// Each player of `app`'s match at this computer takes the first cell the rules allow, `moves`
/// times or until the game ends.
fn play_first_legal(harness: &mut Harness<'_, App>, moves: usize) {
    for _ in 0..moves {
        let Some(series) = harness.state().screen().series() else {
            break;
        };
        let Some(cell) = series.game().legal_moves().next() else {
            break;
        };
        harness
            .state_mut()
            .apply(tictactoe::app::Command::Intent(Intent::Play(cell)));
    }
    settle(harness);
}

/// Plays `moves` ("h8", …) in the Gomoku match on screen, each for the player to move.
fn play_gomoku(harness: &mut Harness<'_, App>, moves: &[&str]) {
    for text in moves {
        let cell = Variant::Gomoku.parse_move(text).unwrap();
        harness
            .state_mut()
            .apply(tictactoe::app::Command::Intent(Intent::Play(cell)));
    }
    settle(harness);
}

/// The bigger games' screens: the forms with the game chosen, each board mid-game (with hints
/// on) and finished, the menu offering the match, the computer's form and match.
fn bigger_screens(size: [f32; 2], theme: Theme) {
    let dir = tempfile::tempdir().unwrap();
    let mut harness = open(dir.path(), size, theme);
    click(&mut harness, "Two players on this computer…");
    click(&mut harness, "Ultimate");
    check(&harness, "names form, Ultimate", size, Fit::Whole);
    type_into(&mut harness, "Name for X", "Maximilian Longname");
    type_into(&mut harness, "Name for O", "Bartholomew Evenlonger");
    click(&mut harness, "Start");
    check(&harness, "Ultimate match", size, Fit::Whole);
    big_board_shown(&harness, "Ultimate match", size, Variant::Ultimate);
    click(&mut harness, "Show hints");
    close_menu(&mut harness);
    play_first_legal(&mut harness, 24);
    check(&harness, "Ultimate mid-game", size, Fit::Whole);
    big_board_shown(&harness, "Ultimate mid-game", size, Variant::Ultimate);
    play_first_legal(&mut harness, 81);
    let over = harness
        .state()
        .screen()
        .series()
        .map(|s| s.game().outcome());
    assert!(over.is_some_and(|o| o.is_over()), "{over:?}");
    harness.get_by_label("Play again");
    check(&harness, "Ultimate finished", size, Fit::Whole);
    big_board_shown(&harness, "Ultimate finished", size, Variant::Ultimate);
    card_shown(&harness, "Ultimate finished", size, Some("Play again"));
    click(&mut harness, "Back to menu");
    harness.get_by_label("Continue the Ultimate match");
    check(&harness, "menu with an Ultimate match", size, Fit::Whole);

    click(&mut harness, "Two players on this computer…");
    click(&mut harness, "Gomoku");
    click(&mut harness, "Start");
    check(&harness, "Gomoku match", size, Fit::Whole);
    big_board_shown(&harness, "Gomoku match", size, Variant::Gomoku);
    play_gomoku(&mut harness, &["h8", "h9", "i8", "i9", "j8", "g7"]);
    check(&harness, "Gomoku mid-game", size, Fit::Whole);
    big_board_shown(&harness, "Gomoku mid-game", size, Variant::Gomoku);
    // X makes five along row 8.
    play_gomoku(&mut harness, &["k8", "k9", "l8"]);
    harness.get_by_label("Play again");
    check(&harness, "Gomoku finished", size, Fit::Whole);
    big_board_shown(&harness, "Gomoku finished", size, Variant::Gomoku);
    card_shown(&harness, "Gomoku finished", size, Some("Play again"));
    click(&mut harness, "Back to menu");

    click(&mut harness, "Play against the computer…");
    click(&mut harness, "Ultimate");
    check(&harness, "computer form, Ultimate", size, Fit::Whole);
    click(&mut harness, "Easy");
    click(&mut harness, "Start");
    check(&harness, "Ultimate against the computer", size, Fit::Whole);
    big_board_shown(
        &harness,
        "Ultimate against the computer",
        size,
        Variant::Ultimate,
    );
}

#[test]
fn the_bigger_boards_fit_every_size_in_both_themes() {
    for theme in [Theme::Light, Theme::Dark] {
        for size in SIZES {
            bigger_screens(size, theme);
        }
    }
}

#[test]
fn every_screen_fits_every_size_in_both_themes() {
    for theme in [Theme::Light, Theme::Dark] {
        for size in SIZES {
            local_screens(size, theme);
            network_screens(size, theme);
        }
    }
}
