//! The network between two windows, played by the test over the app's fake network.
//!
//! No sockets: the host's match is kept here; what each window sends is carried into it, and
//! each window is shown the match as its side would see it, with the link as the test sets it.

use std::time::{Duration, Instant};

use tictactoe::app::session::fake::{FakePeer, FakePeers, Sent, Started};
use tictactoe::game::{Facts, Match, Player, Role};
use tictactoe::net::{ChatLine, NetEvent, Presence, Refusal, Stage, View};

/// The host's window and the joiner's, joined by the test.
#[derive(Debug)]
pub struct Between {
    /// Where the host's window's sessions arrive, and the joiner's.
    peers: [FakePeers; 2],
    /// The host's match, once both have started.
    pub state: Option<Match>,
    /// The host's end, once it hosts.
    pub host: Option<FakePeer>,
    /// The joiner's end, once it joins.
    pub joiner: Option<FakePeer>,
    /// How the host sees the joiner: there, or away with the claim due at an instant.
    pub away_until: Option<Instant>,
    /// Whether the joiner's link is up.
    pub joiner_connected: bool,
    /// When set, every line of chat is refused for this, as a host refuses a flood.
    pub refuse_chat: Option<Refusal>,
}

impl Between {
    /// The network between the window that hosts, whose sessions arrive at `host`, and the one
    /// that joins, at `joiner`.
    #[must_use]
    pub fn new(host: FakePeers, joiner: FakePeers) -> Self {
        Self {
            peers: [host, joiner],
            state: None,
            host: None,
            joiner: None,
            away_until: None,
            joiner_connected: false,
            refuse_chat: None,
        }
    }

    /// Takes the sessions the windows started since, and carries what each sent into the
    /// match; both see the match whenever it changed.
    pub fn pump(&mut self) {
        if let Some(peer) = self.peers[0].next() {
            self.host = Some(peer);
            self.show_host();
        }
        if let Some(peer) = self.peers[1].next() {
            let names = [Self::name(self.host.as_ref()), Self::name(Some(&peer))];
            self.joiner = Some(peer);
            self.joiner_connected = true;
            self.state = Some(Match::networked(names[0].clone(), names[1].clone()));
            if let Some(joiner) = &self.joiner {
                joiner.send(NetEvent::Stage(Stage::Playing));
            }
            self.show();
        }
        let mut changed = false;
        for (seat, sent) in self.sent() {
            changed |= self.carry(seat, sent);
        }
        if changed && self.joiner_connected {
            self.show();
        } else if changed {
            self.show_host();
        }
    }

    fn name(peer: Option<&FakePeer>) -> String {
        match peer.map(|peer| &peer.started) {
            Some(
                Started::Host { name, .. }
                | Started::Join { name, .. }
                | Started::JoinInvite { name, .. },
            ) => name.clone(),
            None => String::new(),
        }
    }

    fn sent(&self) -> Vec<(Player, Sent)> {
        let mut sent = Vec::new();
        for (seat, peer) in [(Player::X, &self.host), (Player::O, &self.joiner)] {
            if let Some(peer) = peer {
                sent.extend(peer.sent().into_iter().map(|sent| (seat, sent)));
            }
        }
        sent
    }

    /// Carries what `seat` sent into the match, as the host would; whether it changed.
    fn carry(&mut self, seat: Player, sent: Sent) -> bool {
        let Some(state) = &mut self.state else {
            return false;
        };
        match sent {
            Sent::Intent(intent) => {
                let facts = Facts::clock(
                    self.away_until
                        .is_some_and(|claim_at| claim_at <= Instant::now()),
                );
                match state.act_with(seat, intent, facts) {
                    Ok(over) => {
                        for peer in [&self.host, &self.joiner].into_iter().flatten() {
                            if let Some(over) = &over {
                                peer.send(NetEvent::GameOver(Box::new(over.clone())));
                            }
                        }
                        true
                    }
                    Err(_) => false,
                }
            }
            Sent::Chat(_) if self.refuse_chat.is_some() => {
                let sender = if seat == Player::X {
                    &self.host
                } else {
                    &self.joiner
                };
                if let (Some(sender), Some(reason)) = (sender, self.refuse_chat) {
                    sender.send(NetEvent::Refused {
                        reason,
                        message: reason.message().to_owned(),
                    });
                }
                false
            }
            Sent::Chat(text) => {
                let line = ChatLine {
                    name: state.name(seat).to_owned(),
                    player: Some(seat),
                    text,
                };
                let (mine, theirs) = match seat {
                    Player::X => (&self.host, &self.joiner),
                    Player::O => (&self.joiner, &self.host),
                };
                if let Some(mine) = mine {
                    mine.send(NetEvent::Said(line.clone()));
                }
                if let Some(theirs) = theirs {
                    theirs.send(NetEvent::Chat(line));
                }
                false
            }
        }
    }

    /// Both windows shown the match as it stands (the joiner only while its link is up; once
    /// down, once more, to say so).
    pub fn show(&self) {
        self.show_host();
        if let (Some(joiner), Some(state)) = (&self.joiner, &self.state) {
            let mut view = View::of(state, Role::Joiner, Player::O);
            view.connected = self.joiner_connected;
            joiner.send(NetEvent::State(Box::new(view)));
        }
    }

    /// The host shown the match, or that nobody has joined yet.
    fn show_host(&self) {
        let Some(host) = &self.host else {
            return;
        };
        let name = Self::name(Some(host));
        let state = self
            .state
            .clone()
            .unwrap_or_else(|| Match::networked(name, ""));
        let mut view = View::of(&state, Role::Host, Player::X);
        view.opponent = match (&self.joiner, self.away_until) {
            (None, _) => Presence::NotJoined,
            (Some(_), None) => Presence::Connected,
            (Some(_), Some(claim_at)) => Presence::Away {
                remaining: claim_at.saturating_duration_since(Instant::now()),
                claim_at,
            },
        };
        host.send(NetEvent::State(Box::new(view)));
    }

    /// The joiner's link goes down: the host sees the joiner away for `grace`, the joiner
    /// reconnects for `give_up` at most.
    pub fn cut(&mut self, grace: Duration, give_up: Duration) {
        self.away_until = Some(Instant::now() + grace);
        self.joiner_connected = false;
        if let Some(joiner) = &self.joiner {
            joiner.send(NetEvent::Stage(Stage::Reconnecting {
                attempt: 1,
                retry_in: Duration::from_millis(400),
                give_up_at: Instant::now() + give_up,
            }));
        }
        self.show();
    }

    /// The host sees the grace period over: the win may be claimed.
    pub fn grace_over(&mut self) {
        self.away_until = Some(Instant::now());
        self.show_host();
    }

    /// Sends `event` to the host.
    pub fn to_host(&self, event: NetEvent) {
        if let Some(host) = &self.host {
            host.send(event);
        }
    }

    /// Sends `event` to the joiner.
    pub fn to_joiner(&self, event: NetEvent) {
        if let Some(joiner) = &self.joiner {
            joiner.send(event);
        }
    }
}
