/*
 * Test-only, never shipped: the one function of bcryptprimitives.dll that Rust programs import
 * (ProcessPrng, since Rust 1.78) and that wine 8 lacks; without it the game exits at once under
 * wine 8 (status 53). Fills the buffer from RtlGenRandom (advapi32's SystemFunction036), the
 * generator Rust used before. .ci/package-windows installs it into the test wine prefix only.
 */
#define WIN32_LEAN_AND_MEAN
#include <windows.h>

BOOLEAN WINAPI SystemFunction036(PVOID buffer, ULONG length);

BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T length) {
    while (length > 0) {
        ULONG chunk = length > 0x10000000 ? 0x10000000 : (ULONG)length;
        if (!SystemFunction036(data, chunk)) return FALSE;
        data += chunk;
        length -= chunk;
    }
    return TRUE;
}
