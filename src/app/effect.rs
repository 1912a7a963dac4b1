//! What a screen asks the app to do: the [`Effect`] enum.
//!
//! A screen's update changes only the screen's own state; everything beyond it — another
//! screen, a setting saved, a game recorded, the network session started, stopped or spoken to,
//! a file dialog, a notice — it returns as effects, which the app carries out in order. A leaf
//! module: screens import it; it names no screen, only the plain data each effect carries.

use std::path::PathBuf;
use std::time::Duration;

use jiff::Timestamp;

use super::game_file::Wanted;
use super::replay::Replay;
use crate::game::{GameOver, Intent, Level, Match, Player, Variant};
use crate::net::View;
use crate::net::invite::Invite;
use crate::net::join::Destination;
use crate::net::p2p::Route;
use crate::record::{Mode, Record};
use crate::store::{RelaySetting, ThemeChoice};

/// Something for the app to do on a screen's behalf.
#[must_use]
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Effect {
    /// Show another screen. A match at this computer that is left, once started, is kept to
    /// continue from the menu.
    Open(Open),
    /// Go back to the match left for the menu.
    Resume,
    /// Forget the match left for the menu (and on disk).
    Discard,
    /// Remember a choice in the settings, saved at once.
    Remember(Remember),
    /// Add a game that has ended to the history, as played in `mode`.
    Record {
        /// How it was played, from this side.
        mode: Mode,
        /// The game.
        over: Box<GameOver>,
    },
    /// Keep where the host changed what this side had seen, with the next networked game
    /// recorded.
    Dispute(String),
    /// Start hosting a game over the network.
    Host {
        /// The host's name as typed (blank means a default name).
        name: String,
        /// The port to listen on; 0 picks a free one.
        port: u16,
        /// Whether the joiner must type a seat code.
        seat_code: bool,
        /// Whether to ask the router to open the port to the internet.
        router: bool,
        /// The game the match plays.
        game: Variant,
    },
    /// Start joining (or watching) the match at an address or an invite link's host (by every
    /// path it names); progress and failures come back as network events.
    Join {
        /// The joiner's name as typed (blank means a default name).
        name: String,
        /// The host's address as typed, or the link.
        to: Destination,
        /// The seat code, if one was typed.
        seat_code: Option<String>,
        /// Only watch.
        watch: bool,
    },
    /// Take the seat back in the networked match offered on the menu.
    Rejoin,
    /// Send this to the match over the network.
    Send(Intent),
    /// Send this line of chat over the network.
    Chat(String),
    /// Stop the network session, if one runs.
    StopSession,
    /// Show the system's file dialog for this (unless one is showing).
    Dialog(Wanted),
    /// Read the game file at this path and show it, or say what is wrong with it.
    ReadGame(PathBuf),
    /// Tell the player this under the header bar, until dismissed.
    Notice(String),
    /// Hide the notice.
    DismissNotice,
    /// Say that something was done, over the bottom of the window, for a while.
    Toast(String),
    /// Hide that note.
    DismissToast,
    /// Put this text on the clipboard.
    Copy(String),
    /// The opponent moved: the short sound, when the player has it on.
    Chime,
    /// Something the player should see happened: ask for their attention if the window is in
    /// the background.
    Attention,
    /// Draw again after this long (a move or a countdown's second comes due then).
    RepaintAfter(Duration),
    /// Close the window.
    Quit,
}

impl Effect {
    /// "Save game…" on a match screen: the game on screen, played in `mode`, as a record,
    /// finished or not (a game in progress ends [`Ending::Unfinished`](crate::game::Ending)),
    /// for the file dialog.
    #[must_use]
    pub fn save(series: &Match, mode: Mode) -> Option<Self> {
        let record = Record::of_game(Timestamp::now(), mode, &series.game_so_far());
        if record.is_none() {
            // The screens only hold legal games, so this is a bug, not something a player did.
            tracing::error!("the game on screen could not be made a record");
        }
        record.map(|record| Self::Dialog(Wanted::Save(Box::new(record))))
    }
}

/// Which screen to show, with what it needs that the app does not know already.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Open {
    /// The main menu.
    Menu,
    /// The form asking both names, filled with the names remembered.
    HotSeatNames,
    /// A new match on this computer; it replaces any match left for the menu.
    HotSeat {
        /// The names of X and O.
        names: [String; 2],
        /// The game played.
        game: Variant,
    },
    /// The form setting up a match against the computer, filled with the choices remembered.
    ComputerSetup,
    /// A new match against the computer; it replaces any match left for the menu.
    VsComputer {
        /// The player's name.
        name: String,
        /// How strongly the computer plays.
        level: Level,
        /// The player's mark.
        mark: Player,
        /// The game played.
        game: Variant,
    },
    /// The form to host a game, filled with what was used last time.
    HostForm,
    /// The form to join a game, filled with what was used last time, or with what an invite
    /// link holds.
    JoinForm(Option<Box<Invite>>),
    /// The match over the network, as the network side first shows it.
    NetMatch {
        /// The match.
        view: Box<View>,
        /// How the connection runs, if it is on the peer-to-peer path and already said so.
        route: Option<Route>,
    },
    /// A past game, move by move.
    Replay {
        /// The game.
        replay: Box<Replay>,
        /// Opened from the history, where going back leads.
        from_history: bool,
    },
    /// The statistics of every game played.
    Statistics,
    /// The list of games played.
    History,
    /// The window's own list of saved games, for a desktop with no file chooser (why there is
    /// none, for the player).
    OpenList(String),
}

/// A choice the settings remember.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Remember {
    /// The names last typed, and the game last chosen, for a match on this computer.
    HotSeatNames {
        /// X's.
        x_name: String,
        /// O's.
        o_name: String,
        /// The game.
        game: Variant,
    },
    /// The choices last made against the computer.
    ComputerChoices {
        /// The player's name as typed.
        name: String,
        /// The level.
        level: Level,
        /// The player's mark.
        mark: Player,
        /// The game.
        game: Variant,
    },
    /// What was last used to host.
    Hosting {
        /// The name as typed.
        name: String,
        /// The port, unless a free one was asked for.
        port: Option<u16>,
        /// Whether the router was asked to open the port, when the window offers it.
        router: Option<bool>,
        /// The relay chosen.
        relay: RelaySetting,
        /// The game (the same choice the other forms remember).
        game: Variant,
    },
    /// What was last used to join or watch.
    Joining {
        /// The name as typed.
        name: String,
        /// The address as typed.
        ip_port: String,
    },
    /// Whether the hints show.
    Hints(bool),
    /// The theme.
    Theme(ThemeChoice),
    /// Whether things move.
    Motion(bool),
    /// Whether the opponent's move sounds.
    Sound(bool),
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::game::{Cell, Ending, Intent};

    fn saved(series: &Match) -> Record {
        match Effect::save(series, Mode::HotSeat) {
            Some(Effect::Dialog(Wanted::Save(record))) => *record,
            other => panic!("not a save: {other:?}"),
        }
    }

    #[test]
    fn the_game_on_screen_can_be_saved_finished_or_not() {
        let mut series = Match::new("Ann", "Bob");
        let record = saved(&series);
        assert_eq!(record.ending(), Ending::Unfinished);
        assert!(record.moves().is_empty());
        let mut over = None;
        for n in [1, 4, 2, 5, 3] {
            let seat = series.to_move().unwrap();
            over = series
                .act(seat, Intent::Play(Cell::from_number(n).unwrap()))
                .unwrap();
        }
        let record = saved(&series);
        assert_eq!(record.ending(), Ending::Won);
        let over = over.unwrap();
        let at = record.played_at();
        assert_eq!(Some(record), Record::of_game(at, Mode::HotSeat, &over));
    }
}
