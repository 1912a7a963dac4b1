//! Build script. For Windows targets it embeds the icon (`assets/icon.ico`) and the version
//! information in `tictactoe.exe`, which Explorer, the taskbar, Alt-Tab and the file's
//! properties show. For every other target it does nothing.
//!
//! The resource compiler is the target's own: `x86_64-w64-mingw32-windres` when cross-compiling
//! from Linux (package `binutils-mingw-w64-x86-64`), `windres` in a MinGW shell, `rc.exe` from the
//! Windows SDK for MSVC targets (found by `winresource`).

fn main() -> std::io::Result<()> {
    println!("cargo::rerun-if-changed=build.rs");
    println!("cargo::rerun-if-changed=assets/icon.ico");
    // The target, not the machine running this script (a cross-build from Linux runs it on Linux).
    if std::env::var_os("CARGO_CFG_TARGET_OS").is_none_or(|os| os != "windows") {
        return Ok(());
    }
    let mut resource = winresource::WindowsResource::new();
    // FileVersion, ProductVersion and their numeric forms come from Cargo.toml's version.
    resource
        .set_icon("assets/icon.ico")
        .set("ProductName", "Tic-Tac-Toe")
        .set("FileDescription", "Tic-Tac-Toe")
        .set("CompanyName", "The Tic-Tac-Toe developers")
        .set(
            "LegalCopyright",
            "The Tic-Tac-Toe developers, MIT or Apache-2.0",
        )
        .set("InternalName", "tictactoe")
        .set("OriginalFilename", "tictactoe.exe");
    // Linked into the game only, not into tests, examples or benchmarks.
    resource.compile_for("tictactoe")
}
