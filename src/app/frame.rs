//! One frame of the window: [`App::logic`], which runs before drawing and turns what happened
//! into [`SystemEvent`]s for the screen shown, and [`App::ui`], which draws the header bar, the
//! notice, the screen and the note, and applies what the player asked for once, after layout.

use super::board::mark_color;
use super::chrome::{self, Header};
use super::command::Command;
use super::event::SystemEvent;
use super::match_screen::StatusTone;
use super::match_screen::UNDO_SHORTCUT;
use super::screens::menu::MenuView;
use super::screens::{Screen, Shared};
use super::style;
use super::{App, TOAST_SECONDS};

/// Events handled per frame at most, of each kind; the rest wait for the next frame.
const MAX_EVENTS_PER_FRAME: usize = 64;

impl App {
    /// Per-frame work that is not drawing: keep the theme, the animations and the remembered
    /// window size in step with the settings, then hand the screen what happened — the network
    /// side's events, where a hosted game is reached on the peer-to-peer path, the games found
    /// on this network, the time (the computer's move, autoplay,
    /// a countdown), a file dialog's answer — and close the window when asked.
    pub fn logic(&mut self, ctx: &egui::Context) {
        self.follow_settings(ctx);
        self.track_window_size(ctx);
        if self.desktop.ctx.is_none() {
            self.desktop.ctx = Some(ctx.clone());
            self.desktop.first_ctx.get_or_init(|| ctx.clone());
            style::install(ctx);
        }
        let mut drained = 0;
        while drained < MAX_EVENTS_PER_FRAME
            && let Some(event) = self.session.try_recv()
        {
            drained += 1;
            self.handle(SystemEvent::Net(event));
        }
        if drained == MAX_EVENTS_PER_FRAME {
            ctx.request_repaint();
        }
        // Cheap to ask: the relay connects a moment after hosting starts, and the link the
        // screen offers carries it from then on.
        if let Screen::Hosting(hosting) = &self.screen {
            let p2p = self.session.p2p_addr();
            if p2p != hosting.p2p {
                self.handle(SystemEvent::Reachable(p2p));
            }
        }
        if matches!(self.screen, Screen::Join(_)) {
            for found in self.session.discovered(MAX_EVENTS_PER_FRAME) {
                self.handle(SystemEvent::Discovery(found));
            }
        } else {
            self.session.stop_looking();
        }
        // Applied before `ui` draws this frame, so the frame shows a move that came due.
        self.handle(SystemEvent::Tick {
            now_s: ctx.input(|i| i.time),
        });
        self.want_suggestion();
        let answer = self
            .desktop
            .file_dialog
            .as_ref()
            .and_then(super::game_file::FileDialog::try_recv);
        if let Some(answer) = answer {
            self.desktop.file_dialog = None;
            self.handle(SystemEvent::File(answer));
        }
        let title = self.window_title();
        if title != self.desktop.title {
            ctx.send_viewport_cmd(egui::ViewportCommand::Title(title.clone()));
            self.desktop.title = title;
        }
        if self.desktop.quit_requested {
            self.desktop.quit_requested = false;
            ctx.send_viewport_cmd(egui::ViewportCommand::Close);
        }
    }

    /// With hints on in a bigger game at this computer, on the player's turn: the computer's
    /// suggestion for the position, searched once (the search wakes the window when done).
    fn want_suggestion(&mut self) {
        if !self.settings.show_hints {
            return;
        }
        let game = match &self.screen {
            Screen::HotSeat(series) => series.game(),
            Screen::VsComputer(vs) if !vs.is_thinking() => vs.series().game(),
            _ => return,
        };
        if game.variant().is_classic() || game.is_over() {
            return;
        }
        let desktop = &self.desktop;
        self.suggestions.want(game, || desktop.wake());
    }

    /// The theme as the settings say, and still when the player asked for it: egui's own
    /// animations and the board's follow the style's animation time.
    fn follow_settings(&self, ctx: &egui::Context) {
        let wanted = chrome::theme_preference(self.settings.theme);
        if ctx.options(|o| o.theme_preference) != wanted {
            ctx.set_theme(wanted);
        }
        let animation_time = if self.settings.motion {
            egui::Style::default().animation_time
        } else {
            0.0
        };
        if ctx
            .global_style()
            .animation_time
            .total_cmp(&animation_time)
            .is_ne()
        {
            ctx.all_styles_mut(|style| style.animation_time = animation_time);
        }
    }

    /// Remembers the window's inner size (not while maximised or full screen), to be saved on
    /// exit.
    fn track_window_size(&mut self, ctx: &egui::Context) {
        let size = ctx.input(|i| {
            let viewport = i.viewport();
            let special = viewport.maximized == Some(true)
                || viewport.fullscreen == Some(true)
                || viewport.minimized == Some(true);
            viewport
                .inner_rect
                .filter(|_| !special)
                .map(|r| [r.width().round(), r.height().round()])
        });
        if let Some(size) = size
            && self.settings.window_size != Some(size)
        {
            self.settings.window_size = Some(size);
        }
    }

    /// Draws the current screen and applies what the player asked for, once, after layout.
    pub fn ui(&mut self, ui: &mut egui::Ui) {
        let mut command = None;
        // Escape closes an open drop-down while the frame is drawn; it must not also leave the
        // screen, so what counts is whether one was open before drawing.
        let popup_was_open = egui::Popup::is_any_open(ui.ctx());
        let undo_keys = ui.ctx().format_shortcut(&UNDO_SHORTCUT);
        let mut view = self.screen.match_view(self.settings.show_hints, &undo_keys);
        if let Some(view) = view
            .as_mut()
            .filter(|view| !view.game.variant().is_classic())
        {
            view.board.suggestion = self.suggestions.known(&view.game);
        }
        let settings = &self.settings;
        let visuals = ui.visuals().clone();
        let header = Header {
            back: self.screen.back(),
            state: view.as_ref().map(|view| {
                let color = match view.status.tone {
                    StatusTone::Mine(player) | StatusTone::Won(player) => {
                        mark_color(&visuals, player)
                    }
                    StatusTone::Turn(_)
                    | StatusTone::Waiting
                    | StatusTone::Drawn
                    | StatusTone::Caption => visuals.strong_text_color(),
                };
                (view.status.text.clone(), color)
            }),
            subtitle: view.as_ref().map_or_else(Vec::new, |view| {
                view.subtitle.iter().map(|line| line.text.clone()).collect()
            }),
            theme: settings.theme,
            motion: settings.motion,
            sound: settings.sound,
            items: view.as_ref().map_or(&[], |view| view.menu.as_slice()),
        };
        egui::Panel::top("header")
            .exact_size(chrome::HEADER_HEIGHT)
            .frame(
                egui::Frame::new()
                    .inner_margin(egui::Margin::symmetric(6, 0))
                    .fill(visuals.panel_fill),
            )
            .show(ui, |ui| {
                command = chrome::header_ui(ui, &header);
            });
        if let Some(notice) = &self.notes.notice {
            egui::Panel::top("notice")
                .show_separator_line(false)
                .show(ui, |ui| {
                    let dismissed = chrome::notice_ui(ui, notice);
                    command = command.take().or(dismissed);
                });
        }
        // A match screen keeps its own margins around the board; the others egui's.
        let mut central = egui::Frame::central_panel(ui.style());
        if view.is_some() {
            central = central.inner_margin(0);
        }
        egui::CentralPanel::default().frame(central).show(ui, |ui| {
            let shared = Shared {
                records: &self.records,
                menu: MenuView {
                    suspended: self.suspended.screen.as_ref().and_then(Screen::series),
                    unfinished: self.suspended.from_last_run,
                    rejoin: self.session.rejoin_offer().map(|(ip_port, seat)| {
                        if seat.host_name.is_empty() {
                            ip_port.as_str()
                        } else {
                            seat.host_name.as_str()
                        }
                    }),
                },
            };
            let asked = self.screen.ui(ui, &shared, view.as_ref());
            command = command.take().or(asked);
        });
        if let Some(dismissed) = self.toast_ui(ui) {
            command = command.take().or(Some(dismissed));
        }
        let escape = ui.input(|i| i.key_pressed(egui::Key::Escape));
        if command.is_none()
            && escape
            && self.screen.escape_goes_back()
            && !popup_was_open
            && !egui::Popup::is_any_open(ui.ctx())
        {
            command = Some(Command::BackToMenu);
        }
        if let Some(command) = command {
            self.apply(command);
            // The frame just drawn shows the old state; draw the new one.
            ui.ctx().request_repaint();
        }
    }

    /// The note that something was done, over the bottom of the window (it pushes nothing
    /// aside), until dismissed or [`TOAST_SECONDS`] have passed.
    fn toast_ui(&mut self, ui: &egui::Ui) -> Option<Command> {
        let (text, since) = self.notes.toast.as_mut()?;
        let now = ui.input(|i| i.time);
        let shown_at = *since.get_or_insert(now);
        let left = TOAST_SECONDS - (now - shown_at);
        if left <= 0.0 {
            self.notes.toast = None;
            return None;
        }
        ui.ctx()
            .request_repaint_after(std::time::Duration::from_secs_f64(left));
        chrome::toast_ui(ui.ctx(), text)
    }
}
