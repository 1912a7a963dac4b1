//! Windows only, and part of the `tictactoe` binary rather than the library: lets the terminal
//! commands print in the console they are typed in.
//!
//! The release exe is a GUI program (`windows_subsystem = "windows"` in `main.rs`), so no console
//! window opens beside the game when it is started from the Start menu or Explorer. The price is
//! that Windows gives such a program no console, even when it is started from `cmd.exe`,
//! PowerShell or Windows Terminal: before `tictactoe --version`, `play`, `host`, … print or read
//! anything, the program joins the console of the process that started it.
//!
//! Holds the crate's only `unsafe` code: four kernel32 calls through `windows-sys`, none of which
//! takes or returns memory.

use windows_sys::Win32::Foundation::{HANDLE, INVALID_HANDLE_VALUE};
use windows_sys::Win32::Storage::FileSystem::{FILE_TYPE_DISK, FILE_TYPE_PIPE, GetFileType};
use windows_sys::Win32::System::Console::{
    ATTACH_PARENT_PROCESS, AttachConsole, GetStdHandle, STD_ERROR_HANDLE, STD_HANDLE,
    STD_INPUT_HANDLE, STD_OUTPUT_HANDLE, SetStdHandle,
};

/// Standard input, output and error.
const STREAMS: [STD_HANDLE; 3] = [STD_INPUT_HANDLE, STD_OUTPUT_HANDLE, STD_ERROR_HANDLE];

/// Points standard input, output and error at the console of the process that started this one,
/// if it has a console, except the streams redirected to a file or a pipe
/// (`tictactoe history > games.txt`, `tictactoe play < moves.txt`), which stay as they are. Call
/// it before anything is printed or read.
///
/// `AttachConsole` points all three streams at the console, so the redirected ones are put back
/// afterwards. When all three are redirected the console is not joined at all. Started from
/// Explorer or the Start menu there is no parent console, and nothing changes.
#[expect(
    unsafe_code,
    reason = "the Win32 console calls; each block states why it is sound"
)]
pub fn attach_to_parent_console() {
    let before = STREAMS.map(|stream| {
        // SAFETY: GetStdHandle takes a constant and only reads this process's table of
        // standard handles. The value it returns, valid or not, is only inspected by
        // `redirected` and handed back to SetStdHandle, never used for I/O here.
        unsafe { GetStdHandle(stream) }
    });
    if before.iter().all(|&handle| redirected(handle)) {
        return;
    }
    // SAFETY: AttachConsole takes a process id (here the constant meaning "my parent") and no
    // pointers. When it fails it changes nothing: with no parent console (started from Explorer)
    // the program prints nowhere, as any GUI program does; a console program (a debug build)
    // already has its own console and prints there.
    if unsafe { AttachConsole(ATTACH_PARENT_PROCESS) } == 0 {
        return;
    }
    for (stream, handle) in STREAMS.into_iter().zip(before) {
        if redirected(handle) {
            // SAFETY: puts back the handle the table held before AttachConsole replaced it. It is
            // still open (nothing here closed it), and SetStdHandle neither closes nor takes
            // ownership of either handle. Should it fail, the stream goes to the console instead,
            // and there is nothing better to do.
            unsafe { SetStdHandle(stream, handle) };
        }
    }
}

/// Whether a standard handle leads to a file or a pipe, rather than nowhere (a GUI program
/// started from a console gets null handles) or to a console (a character device, as is `NUL`).
#[expect(
    unsafe_code,
    reason = "GetFileType is a Win32 call; the block states why it is sound"
)]
fn redirected(handle: HANDLE) -> bool {
    if handle.is_null() || handle == INVALID_HANDLE_VALUE {
        return false;
    }
    // SAFETY: GetFileType only asks the kernel what kind of object the handle names; for a
    // handle that names nothing it returns FILE_TYPE_UNKNOWN, which counts as not redirected.
    let kind = unsafe { GetFileType(handle) };
    kind == FILE_TYPE_DISK || kind == FILE_TYPE_PIPE
}
