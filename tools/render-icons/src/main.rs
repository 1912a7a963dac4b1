//! Renders the application icon from its vector source into the PNGs and the ICO that are committed
//! under `assets/`.
//!
//! Run after editing `assets/icon.svg` (or `assets/icon-small.svg`, the same drawing fitted to the
//! 16 px pixel grid), from the repository root:
//!
//! ```text
//! cargo run --manifest-path tools/render-icons/Cargo.toml
//! ```
//!
//! Writes `assets/icons/tictactoe-<N>.png` for every size in [`SIZES_PX`] and `assets/icon.ico`
//! (every size up to 256 px, the largest an ICO holds).

use std::io::Cursor;
use std::path::Path;

use anyhow::Context as _;
use resvg::{tiny_skia, usvg};

/// Every size rendered, in pixels (square).
const SIZES_PX: [u32; 8] = [16, 24, 32, 48, 64, 128, 256, 512];

/// Sizes at or below this use the drawing fitted to the 16 px pixel grid.
const SMALL_MAX_PX: u32 = 16;

/// The largest size an ICO entry can hold.
const ICO_MAX_PX: u32 = 256;

fn main() -> anyhow::Result<()> {
    let assets = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../assets");
    let full = load(&assets.join("icon.svg"))?;
    let small = load(&assets.join("icon-small.svg"))?;

    std::fs::create_dir_all(assets.join("icons"))?;
    let mut ico = ico::IconDir::new(ico::ResourceType::Icon);
    for size_px in SIZES_PX {
        let tree = if size_px <= SMALL_MAX_PX {
            &small
        } else {
            &full
        };
        let png = render(tree, size_px)?;
        let path = assets
            .join("icons")
            .join(format!("tictactoe-{size_px}.png"));
        std::fs::write(&path, &png).with_context(|| format!("writing {}", path.display()))?;
        println!("wrote assets/icons/tictactoe-{size_px}.png");
        if size_px <= ICO_MAX_PX {
            let image = ico::IconImage::read_png(Cursor::new(&png))?;
            ico.add_entry(ico::IconDirEntry::encode(&image)?);
        }
    }
    let path = assets.join("icon.ico");
    let file =
        std::fs::File::create(&path).with_context(|| format!("creating {}", path.display()))?;
    ico.write(std::io::BufWriter::new(file))?;
    println!("wrote assets/icon.ico");
    Ok(())
}

/// Parses one SVG file.
fn load(path: &Path) -> anyhow::Result<usvg::Tree> {
    let data = std::fs::read(path).with_context(|| format!("reading {}", path.display()))?;
    usvg::Tree::from_data(&data, &usvg::Options::default())
        .with_context(|| format!("parsing {}", path.display()))
}

/// Renders `tree` scaled to a `size_px` square and encodes it as PNG.
fn render(tree: &usvg::Tree, size_px: u32) -> anyhow::Result<Vec<u8>> {
    let mut pixmap =
        tiny_skia::Pixmap::new(size_px, size_px).context("icon size must not be zero")?;
    let scale = size_px as f32 / tree.size().width().max(tree.size().height());
    resvg::render(
        tree,
        tiny_skia::Transform::from_scale(scale, scale),
        &mut pixmap.as_mut(),
    );
    Ok(pixmap.encode_png()?)
}
