//! The window: screens, widgets, settings, and the bridge to the network.

mod icon;

/// Opens the window and runs until it is closed.
pub fn run() -> anyhow::Result<()> {
    let options = eframe::NativeOptions {
        viewport: egui::ViewportBuilder::default()
            .with_app_id("tictactoe")
            .with_title("Tic-Tac-Toe")
            .with_inner_size([480.0, 600.0])
            .with_icon(icon::icon()),
        ..Default::default()
    };
    eframe::run_native(
        "Tic-Tac-Toe",
        options,
        Box::new(|_cc| Ok(Box::new(Placeholder))),
    )
    .map_err(|e| anyhow::anyhow!("could not open the window: {e}"))
}

struct Placeholder;

impl eframe::App for Placeholder {
    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        egui::CentralPanel::default().show(ui, |ui| {
            ui.heading("Tic-Tac-Toe");
        });
    }
}
