//! "Open game…" on a desktop with no file chooser: the games saved in the window's own games
//! folder, newest first, each with an Open button, and a field for any other file's path.
//!
//! The list edits only its path field; opening a file is the app's ([`update`]).

use std::path::PathBuf;

use egui::{Label, RichText, TextEdit, Ui};

use crate::app::command::Command;
use crate::app::effect::Effect;
use crate::app::widgets::{form_column, primary_big_button};

/// How many saved games the list shows.
const LIST_ROWS: usize = 50;

/// The built-in chooser's state.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OpenList {
    /// The games folder, if there is one.
    pub dir: Option<PathBuf>,
    /// The games found there, newest first.
    pub games: Vec<PathBuf>,
    /// Why the system's chooser was not shown, for the player.
    pub why: String,
    /// The path typed in the field.
    pub path: String,
}

/// Carries out `command` on this screen.
#[must_use]
pub fn update(command: Command) -> Vec<Effect> {
    match command {
        Command::OpenPath(path) => vec![Effect::ReadGame(path)],
        _ => Vec::new(),
    }
}

/// Draws the list and the path field.
pub fn open_list_ui(ui: &mut Ui, list: &mut OpenList) -> Option<Command> {
    let mut action = None;
    form_column(ui, "Open a game", |ui, width| {
        ui.label(
            RichText::new(format!("This desktop shows no file chooser: {}.", list.why)).weak(),
        );
        ui.add_space(8.0);
        match &list.dir {
            Some(dir) if list.games.is_empty() => {
                ui.label(format!("No games saved in {} yet.", dir.display()));
            }
            Some(dir) => {
                ui.label(format!("Games saved in {}:", dir.display()));
                for path in list.games.iter().take(LIST_ROWS) {
                    let name = path.file_name().map_or_else(
                        || path.display().to_string(),
                        |n| n.to_string_lossy().into(),
                    );
                    ui.horizontal(|ui| {
                        if ui
                            .button("Open")
                            .on_hover_text(path.display().to_string())
                            .clicked()
                        {
                            action = Some(Command::OpenPath(path.clone()));
                        }
                        ui.add(Label::new(name).truncate());
                    });
                }
            }
            None => {
                ui.label("There is no folder for saved games on this system.");
            }
        }
        ui.add_space(12.0);
        let label = ui.label(RichText::new("Or type the path of a game file").strong());
        let field = ui
            .add(
                TextEdit::singleline(&mut list.path)
                    .char_limit(4096)
                    .desired_width(width),
            )
            .labelled_by(label.id);
        let entered = field.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
        ui.add_space(10.0);
        let path = list.path.trim();
        if (primary_big_button(ui, "Open this file", width) || entered) && !path.is_empty() {
            action = Some(Command::OpenPath(PathBuf::from(path)));
        }
    });
    action
}
