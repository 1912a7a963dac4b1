//! Everything the player can ask the window for: the [`Command`] enum.
//!
//! Screens never change state while they draw: each `*_ui` function returns a [`Command`], which
//! the app routes, once, after layout, to the screen shown (or, for the header bar's, to the
//! chrome). What the player did not ask for — network events, games found on the network, file
//! dialogs' answers, the passing of time — is a [`SystemEvent`](super::SystemEvent) instead. A
//! leaf module: the screens import it, and it imports no screen.

use super::replay::{Replay, ReplayStep};
use crate::game::{Intent, Level, Player, Variant};
use crate::store::{RelaySetting, ThemeChoice};

/// Something the player asked for at the window.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Command {
    /// Open the form that asks both names for a match on this computer.
    OpenHotSeatNames,
    /// Start a match on this computer between these two names (blank means a default name).
    /// The names and the game are remembered for next time.
    StartHotSeat {
        /// Who plays X (and moves first in the first game).
        x_name: String,
        /// Who plays O.
        o_name: String,
        /// The game played.
        game: Variant,
    },
    /// Open the form that sets up a match against the computer.
    OpenComputerSetup,
    /// Start a match against the computer. The choices are remembered for next time.
    StartVsComputer {
        /// The player's name (blank means a default name).
        name: String,
        /// How strongly the computer plays.
        level: Level,
        /// The player's mark; X moves first in the first game.
        mark: Player,
        /// The game played.
        game: Variant,
    },
    /// Go back to the match that was left for the menu.
    ResumeMatch,
    /// Take the seat back in the networked match this window was playing when it last closed.
    Rejoin,
    /// Forget the match left unfinished when the window last closed.
    DiscardMatch,
    /// What the person at this window wants in the match on screen, for whichever seat is theirs:
    /// at one computer the seat to move (for `Undo`, the one who moved last; for `Rematch`, both),
    /// against the computer the player's, over the network this side's. Undo takes back the last
    /// move (against the computer, the computer's reply too), never once the game is over; a
    /// `Leave` over the network also ends the session and goes back to the menu.
    Intent(Intent),
    /// Show or hide the perfect-play hints on empty squares, and remember the choice.
    SetShowHints(bool),
    /// Leave the current screen for the main menu. A match in progress is kept and can be resumed.
    BackToMenu,
    /// Switch to this theme and remember it.
    SetTheme(ThemeChoice),
    /// Turn the animations on or off, and remember it.
    SetMotion(bool),
    /// Turn the sound for the opponent's move on or off (saved).
    SetSound(bool),
    /// Hide the notice shown under the header bar.
    DismissNotice,
    /// Close the window.
    Quit,
    /// Open the form that sets up hosting a game over the network.
    OpenHostForm,
    /// Start the server. The name and port are remembered for next time.
    StartHost {
        /// The host's name (blank means a default name).
        name: String,
        /// The port typed; 0 picks a free one.
        port: String,
        /// Whether the joiner must type a seat code.
        seat_code: bool,
        /// Whether to ask the router to open the port to the internet (remembered).
        router: bool,
        /// The relay the game can be reached through on the peer-to-peer path (remembered).
        relay: RelaySetting,
        /// The game the match plays (remembered, as the other forms remember theirs).
        game: Variant,
    },
    /// Copy this address, one a friend could type, to the clipboard.
    CopyAddress(String),
    /// Copy the invite link of the game being hosted to the clipboard.
    CopyInviteLink,
    /// Open the form that joins a game over the network.
    OpenJoinForm,
    /// Start joining. The name and address are remembered for next time.
    StartJoin {
        /// The joiner's name (blank means a default name).
        name: String,
        /// The host's address, such as `192.168.1.5:7878`.
        ip_port: String,
        /// The seat code (blank when the host asks for none).
        seat_code: String,
    },
    /// Start joining, or watching when `watch`, by every path of the invite link the join
    /// screen shows (its addresses and its key at once). The name is remembered.
    StartJoinInvite {
        /// The joiner's name (blank means a default name).
        name: String,
        /// The seat code (blank when the host asks for none).
        seat_code: String,
        /// Only watch.
        watch: bool,
    },
    /// Start watching the match at this address (from the join screen). The name and address
    /// are remembered as for joining.
    StartWatch {
        /// The watcher's name, shown with their chat (blank means a default name).
        name: String,
        /// The host's address.
        ip_port: String,
        /// The seat code (a host that asks for one asks watchers too).
        seat_code: String,
    },
    /// Send this line of chat in the networked match on screen.
    Chat(String),
    /// Show or hide the chat beside a networked match (a narrow window folds it away).
    ShowChat(bool),
    /// Stop hosting or joining before the match starts, and go back to its form.
    CancelNetwork,
    /// Show or hide the confirmation before resigning.
    ConfirmResign(bool),
    /// Show this past game in the replay view (from a file, or from the history).
    OpenReplay(Box<Replay>),
    /// Move through the replay being shown.
    Replay(ReplayStep),
    /// Choose a game file in the system's dialog and show it in the replay view.
    OpenGame,
    /// Save the game on screen (finished or not, or the one being replayed) to a file chosen in
    /// the system's dialog.
    SaveGame,
    /// Show the statistics drawn from the game history.
    OpenStatistics,
    /// Show the statistics of this game (`None`: of every game together).
    StatisticsOf(Option<Variant>),
    /// Show the list of games played, newest first.
    OpenHistory,
    /// Open the game file at this path (typed, or picked from the games folder's list).
    OpenPath(std::path::PathBuf),
    /// Hide the note that something was done (a game saved).
    DismissToast,
    /// Show the join screen with what this invite link holds filled in; a link that is not a
    /// sound invite is refused in the notice.
    OpenInvite(String),
}
