//! An empty eframe window built with the app's own features: the floor that egui itself costs.
//! `scripts/measure-window` measures it beside the real app (see docs/PERFORMANCE.md).

use std::time::Instant;

struct Empty {
    started: Instant,
    first_frame_logged: bool,
}

impl eframe::App for Empty {
    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        egui::CentralPanel::default().show(ui, |_ui| {});
        if !self.first_frame_logged {
            self.first_frame_logged = true;
            eprintln!(
                "first frame after {:.1} ms",
                self.started.elapsed().as_secs_f64() * 1000.0
            );
        }
    }
}

fn main() -> eframe::Result {
    let started = Instant::now();
    let options = eframe::NativeOptions {
        viewport: egui::ViewportBuilder::default()
            .with_app_id("empty-window")
            .with_inner_size([480.0, 600.0]),
        ..Default::default()
    };
    eframe::run_native(
        "Empty window",
        options,
        Box::new(move |_cc| {
            Ok(Box::new(Empty {
                started,
                first_frame_logged: false,
            }))
        }),
    )
}
