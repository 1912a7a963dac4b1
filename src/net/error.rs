//! The failures a person can hit on the network side, each with its own plain-language message
//! saying what happened and what to do next. Decides nothing: the host, the dialer and the
//! joiner say which one happened.

/// A failure a person can hit, each with its own plain-language message.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum NetError {
    /// The text typed is not an address.
    #[error(
        "{text:?} is not an address. Type an IP address such as 192.168.1.5 or [fe80::1]:7878, or a computer name."
    )]
    BadAddress {
        /// What was typed.
        text: String,
    },
    /// The name did not resolve.
    #[error(
        "Could not find a computer named {host}. Check the spelling, or type its IP address instead."
    )]
    NameNotFound {
        /// The name.
        host: String,
    },
    /// Connection refused: nothing listens there.
    #[error("Nobody is hosting at {ip_port}. Check the address, or ask your friend to press Host.")]
    Refused {
        /// The address tried.
        ip_port: String,
    },
    /// No answer at all.
    #[error(
        "No answer from {ip_port}. A firewall may be blocking it, or you are on different networks. Check the address, or swap roles: you host and your friend joins."
    )]
    Timeout {
        /// The address tried.
        ip_port: String,
    },
    /// The host is there but turns new connections from this address away: too many came from
    /// it at once (everyone behind one address counts together), and trying again for a while
    /// did not get in.
    #[error(
        "The host at {ip_port} is busy: it is refusing new connections from your address, because too many came from it at once (everyone on your network counts as one address). Wait a minute, then try again."
    )]
    Busy {
        /// The address tried.
        ip_port: String,
        /// How long the host said to wait before trying again, when it said.
        retry_after: Option<std::time::Duration>,
    },
    /// Host and joiner speak different protocol versions.
    #[error(
        "Different versions: the host has Tic-Tac-Toe {host_app} (protocol {host_protocol}), you have {my_app} (protocol {my_protocol}). Both of you need the same version."
    )]
    VersionMismatch {
        /// The host's app version.
        host_app: String,
        /// The host's protocol version.
        host_protocol: u32,
        /// This app's version.
        my_app: String,
        /// This app's protocol version.
        my_protocol: u32,
    },
    /// Someone else already holds the seat.
    #[error("This match is already full. Ask your friend to host a new one.")]
    MatchFull,
    /// The seat code was missing or wrong.
    #[error("Wrong seat code. Check the code shown on your friend's screen and try again.")]
    BadSeatCode,
    /// Too many wrong seat codes came from this network lately.
    #[error(
        "Too many wrong seat codes were tried from your network. Wait a minute, check the code on your friend's screen, and try again."
    )]
    TooManyTries,
    /// An IPv6 address's zone names no network interface of this computer.
    #[error(
        "This computer has no network interface called {zone}. After the % comes the name of your own interface that reaches your friend (such as eth0 or wlan0)."
    )]
    NoSuchInterface {
        /// The zone as typed.
        zone: String,
    },
    /// The match has ended: there is nothing to join or resume.
    #[error("That match is over. Ask your friend to host a new one.")]
    MatchOver,
    /// The host does not know the seat this joiner kept (it hosts another match now).
    #[error("The host no longer knows your seat: it may have started a new match. Join again.")]
    BadToken,
    /// The host did not come back within the time it keeps a seat: the match is over.
    #[error(
        "The host has been gone for {seconds} s, longer than it keeps your seat, so the match is over. Ask your friend to host a new one."
    )]
    HostGone {
        /// How long this side tried.
        seconds: u64,
    },
    /// The host admits no watchers.
    #[error("This host does not let anyone watch. Ask your friend to allow watchers.")]
    WatchingOff,
    /// As many watch as the host admits.
    #[error("As many people are watching as this host admits. Try again later.")]
    TooManyWatchers,
    /// The host refused for another reason.
    #[error("The host refused to let you join: {message}")]
    Rejected {
        /// The host's words.
        message: String,
    },
    /// Something answers at that address, but not as a host of this game does: not a
    /// WebSocket upgrade, or something other than a welcome to `hello`.
    #[error(
        "Something answers at {ip_port}, but it is not a Tic-Tac-Toe host. Check the address and the port."
    )]
    NotAHost {
        /// The address tried.
        ip_port: String,
    },
    /// The host sent a match this version cannot read, again each time it was asked.
    #[error(
        "The host sent a game this version of Tic-Tac-Toe cannot read. Check that you both have the same version, then join again."
    )]
    Unreadable,
    /// The connection dropped and could not be restored.
    #[error(
        "Lost the connection to the other player and could not get it back. Check the network, then join again."
    )]
    ConnectionLost,
    /// An invite link's key is not a key.
    #[error("This invite link's key cannot be right. Ask your friend to copy the link again.")]
    BadKey,
    /// The computer that answered is not the one the link names: its key is another.
    #[error(
        "The computer that answered is not your friend's: its key does not match the invite link. Nobody else can take their place; ask your friend for a new link."
    )]
    WrongKey,
    /// No path reached the host named by its key in time.
    #[error(
        "Your friend's game (key {key}…) is not online. Check that they are still hosting, then join again."
    )]
    HostOffline {
        /// The start of the host's key.
        key: String,
    },
    /// The relay the link names could not be reached, and no other path was known.
    #[error(
        "Could not reach the relay {url}. Check this computer's internet connection, or ask your friend to host with another relay."
    )]
    RelayUnreachable {
        /// The relay.
        url: String,
    },
    /// The host could not listen on its port.
    #[error(
        "Could not listen on port {port}: {detail}. Another program may be using it: choose another port."
    )]
    Listen {
        /// The port.
        port: u16,
        /// The system's words.
        detail: String,
    },
    /// The background thread could not start.
    #[error("Could not start the network: {detail}")]
    Start {
        /// The system's words.
        detail: String,
    },
}
