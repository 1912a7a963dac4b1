//! The window icon, decoded from the committed render of `assets/icon.svg`.

/// The 256 px render: large enough for any taskbar or task switcher, small enough to decode at once.
const ICON_PNG: &[u8] = include_bytes!("../../assets/icons/tictactoe-256.png");

/// The application icon for the window's title bar, taskbar and task switcher.
///
/// A broken image only costs the icon, not the window: it is logged and the platform's default shows.
pub fn icon() -> egui::IconData {
    eframe::icon_data::from_png_bytes(ICON_PNG).unwrap_or_else(|e| {
        tracing::warn!("could not decode the window icon: {e}");
        egui::IconData::default()
    })
}

#[cfg(test)]
mod tests {
    #[test]
    fn icon_decodes_to_a_square_256_px_image() {
        let icon = super::icon();
        assert_eq!((icon.width, icon.height), (256, 256));
        assert_eq!(icon.rgba.len(), 256 * 256 * 4);
    }
}
