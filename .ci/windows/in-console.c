/*
 * Test-only, never shipped: runs a command the way a console shell (cmd.exe) runs a GUI program,
 * and prints what that program wrote to the console.
 *
 * Usage: in-console.exe [--stdout FILE] COMMAND-LINE
 *
 * This process gets a console of its own, then starts COMMAND-LINE in it, detached from that
 * console and with no standard handles (null, as cmd.exe starts a GUI program), waits for it (at
 * most 60 s), and copies the text on the console's screen to its own original standard output.
 * It exits with the command's exit status, or 124 if the command did not finish in time. A GUI
 * program shows text here only if it attached itself to its parent's console.
 *
 * With --stdout FILE (a path without spaces), the command's standard output is FILE instead, as
 * in `cmd /c COMMAND > FILE`: what it prints must land there, not on the console.
 */
#define WIN32_LEAN_AND_MEAN
#include <windows.h>
#include <wchar.h>

static HANDLE out;

static void say(const char *text) {
    DWORD written;
    WriteFile(out, text, (DWORD)strlen(text), &written, NULL);
}

static void say_wide(const wchar_t *text, int length) {
    char utf8[4096];
    int n = WideCharToMultiByte(CP_UTF8, 0, text, length, utf8, sizeof utf8, NULL, NULL);
    DWORD written;
    if (n > 0) WriteFile(out, utf8, (DWORD)n, &written, NULL);
}

int wmain(void) {
    out = GetStdHandle(STD_OUTPUT_HANDLE);

    /* The command line after this program's own name, quoted or not. */
    const wchar_t *rest = GetCommandLineW();
    if (*rest == L'"') {
        rest = wcschr(rest + 1, L'"');
        rest = rest ? rest + 1 : L"";
    } else {
        while (*rest && *rest != L' ' && *rest != L'\t') rest++;
    }
    while (*rest == L' ' || *rest == L'\t') rest++;
    HANDLE redirect = NULL;
    if (wcsncmp(rest, L"--stdout ", 9) == 0) {
        rest += 9;
        wchar_t path[MAX_PATH];
        size_t n = 0;
        while (*rest && *rest != L' ' && n < MAX_PATH - 1) path[n++] = *rest++;
        path[n] = 0;
        while (*rest == L' ') rest++;
        SECURITY_ATTRIBUTES inherit = {sizeof inherit, NULL, TRUE};
        redirect = CreateFileW(path, GENERIC_WRITE, FILE_SHARE_READ, &inherit, CREATE_ALWAYS,
                               FILE_ATTRIBUTE_NORMAL, NULL);
        if (redirect == INVALID_HANDLE_VALUE) {
            say("in-console: cannot create the --stdout file\n");
            return 2;
        }
    }
    if (!*rest) {
        say("usage: in-console.exe COMMAND-LINE\n");
        return 2;
    }
    wchar_t command[4096];
    if (wcslen(rest) >= 4096) {
        say("in-console: command line too long\n");
        return 2;
    }
    wcscpy(command, rest);

    FreeConsole();
    if (!AllocConsole()) {
        say("in-console: AllocConsole failed\n");
        return 2;
    }

    STARTUPINFOW startup = {sizeof startup};
    startup.dwFlags = STARTF_USESTDHANDLES;
    startup.hStdInput = startup.hStdError = NULL;
    startup.hStdOutput = redirect;
    PROCESS_INFORMATION process;
    if (!CreateProcessW(NULL, command, NULL, NULL, redirect != NULL, DETACHED_PROCESS, NULL, NULL,
                        &startup, &process)) {
        say("in-console: CreateProcess failed\n");
        return 2;
    }
    DWORD status = 124;
    if (WaitForSingleObject(process.hProcess, 60000) == WAIT_OBJECT_0) {
        GetExitCodeProcess(process.hProcess, &status);
    } else {
        TerminateProcess(process.hProcess, 124);
    }
    if (redirect) CloseHandle(redirect);

    HANDLE screen = CreateFileW(L"CONOUT$", GENERIC_READ | GENERIC_WRITE,
                                FILE_SHARE_READ | FILE_SHARE_WRITE, NULL, OPEN_EXISTING, 0, NULL);
    CONSOLE_SCREEN_BUFFER_INFO info;
    if (screen == INVALID_HANDLE_VALUE || !GetConsoleScreenBufferInfo(screen, &info)) {
        say("in-console: cannot read the console\n");
        return 2;
    }
    int width = info.dwSize.X < 1024 ? info.dwSize.X : 1024;
    /* Every row up to the cursor's, and the cursor's row if anything is on it. */
    int rows = info.dwCursorPosition.Y + (info.dwCursorPosition.X > 0 ? 1 : 0);
    for (SHORT y = 0; y < rows; y++) {
        wchar_t line[1024];
        DWORD got = 0;
        COORD at = {0, y};
        ReadConsoleOutputCharacterW(screen, line, (DWORD)width, at, &got);
        while (got > 0 && line[got - 1] == L' ') got--;
        say_wide(line, (int)got);
        say("\n");
    }
    return (int)status;
}
