// What should happen to each corpus file on each target, written down by hand
// from ../shared/corpus/MANIFEST.md and the oracles (file, readelf,
// llvm-objdump --macho headers), not computed by src/verdict. The golden test
// test/verdict-corpus.test.ts compares the matrix with this table.
//
// Column order: macos-arm64, macos-x86_64, ios-arm64, linux-arm64-glibc,
// linux-arm64-musl, linux-x86_64-glibc, linux-x86_64-musl.
// `n` native, `r` rosetta, `-` no, `?` unknown.

import { TARGETS, type Target } from '../src/report/targets.ts';
import type { Compatibility } from '../src/report/types.ts';

export const COLUMNS: readonly Target[] = TARGETS;

export interface Expected {
  /** Seven letters, one per column. */
  row: string;
  /** Slice used where the file runs or loads (universal files), by column. */
  slices?: Partial<Record<Target, number>>;
  /** A piece of the error people would see, by column. */
  errors?: Partial<Record<Target, string>>;
  /** Why, from the oracles. */
  why: string;
}

export const EXPECTED: Record<string, Expected> = {
  'built-bare-aarch64-bti-note': {
    row: '---nn--',
    why: 'readelf: AArch64 EXEC, no PT_INTERP, no DT_NEEDED (freestanding static): any arm64 Linux',
  },
  'built-c-aarch64-musl-dynamic': {
    row: '----n--',
    errors: { 'linux-arm64-glibc': 'No such file or directory', 'linux-x86_64-glibc': 'Exec format error' },
    why: "readelf: AArch64 PIE, interpreter /lib/ld-musl-aarch64.so.1: only where musl's loader exists",
  },
  'built-c-aarch64-musl-static': {
    row: '---nn--',
    why: 'readelf: AArch64 EXEC, static (musl libc.a): any arm64 Linux',
  },
  'built-c-aarch64-pacbti': {
    row: '---n---',
    errors: { 'linux-arm64-musl': 'no such file or directory' },
    why: 'readelf: AArch64 PIE, interpreter /lib/ld-linux-aarch64.so.1, NEEDED libc.so.6: glibc only',
  },
  'built-c-aarch64-plain': {
    row: '---n---',
    why: 'readelf: same linkage as the pacbti build: glibc only',
  },
  'built-c-aarch64-static': {
    row: '---nn--',
    why: 'readelf: AArch64 EXEC, static glibc: any arm64 Linux',
  },
  'built-hello-darwin-arm64': {
    row: 'n------',
    errors: {
      'macos-x86_64': 'bad CPU type in executable',
      'ios-arm64': "have 'macOS', need 'iOS'",
      'linux-arm64-glibc': 'Exec format error',
    },
    why: 'macho-headers: arm64 MH_EXECUTE, platform macos minos 11.0, LC_CODE_SIGNATURE (Go linker), only libSystem',
  },
  'built-hello-darwin-arm64-stripped': {
    row: 'n------',
    why: 'macho-headers: as the unstripped build',
  },
  'built-hello-darwin-universal': {
    row: 'nn-----',
    slices: { 'macos-arm64': 1, 'macos-x86_64': 0 },
    why: 'macho-headers: fat x86_64 (slice 0, minos 10.9, needs no signature) + arm64 (slice 1, the signed Go build)',
  },
  'built-hello-linux-arm64': {
    row: '---nn--',
    why: 'readelf: AArch64 EXEC, no PT_INTERP (CGO_ENABLED=0): any arm64 Linux',
  },
  'built-hello-linux-arm64-stripped': {
    row: '---nn--',
    why: 'readelf: as the unstripped build',
  },
  'built-pa-arm64e.o': {
    row: '-------',
    why: 'macho-headers: MH_OBJECT (arm64e): not runnable anywhere until linked',
  },
  'built-sigm-macos-arm64': {
    row: 'n------',
    errors: { 'macos-arm64': 'Library not loaded: /opt/homebrew/opt/zlib/lib/libz.1.dylib' },
    why: 'macho-headers: arm64 MH_EXECUTE, minos 12.0, LC_CODE_SIGNATURE, libz from Apple Silicon Homebrew (needs brew install zlib)',
  },
  'built-sigm-macos-arm64-chained': {
    row: 'n------',
    why: 'macho-headers: as built-sigm-macos-arm64 with minos 13.0 and chained fixups',
  },
  'built-sigm-macos-x86_64': {
    row: '-n-----',
    errors: {
      'macos-arm64': "have 'arm64', need 'x86_64'",
      'macos-x86_64': "'/opt/homebrew/opt/zlib/lib/libz.1.dylib' (no such file)",
      'ios-arm64': 'Bad CPU type in executable',
    },
    why: 'macho-headers: x86_64 only, loads /opt/homebrew/opt/zlib/lib/libz.1.dylib: on Apple Silicon (Rosetta 2) that is where Homebrew keeps arm64 libraries; an Intel Mac runs it only if the library is put at that path (its Homebrew uses /usr/local)',
  },
  'debian-busybox-static-arm64': {
    row: '---nn--',
    why: 'readelf: AArch64 EXEC, static: any arm64 Linux',
  },
  'debian-coreutils-ls-arm64': {
    row: '---n---',
    why: 'readelf: AArch64 PIE, /lib/ld-linux-aarch64.so.1, NEEDED libselinux.so.1 libc.so.6: glibc only',
  },
  'debian-coreutils-ls-x86_64': {
    row: '-----n-',
    errors: { 'linux-x86_64-musl': 'no such file or directory', 'linux-arm64-glibc': 'Exec format error' },
    why: 'readelf: X86-64 PIE, /lib64/ld-linux-x86-64.so.2: x86_64 glibc only',
  },
  'debian-ld-linux-aarch64.so.1': {
    row: '---nn--',
    why: 'readelf: AArch64 shared object with no PT_INTERP and no DT_NEEDED: self-contained, loads (and runs) on any arm64 Linux',
  },
  'debian-libc.so.6-arm64': {
    row: '---n---',
    why: 'readelf: glibc itself, NEEDED ld-linux-aarch64.so.1, which musl systems lack',
  },
  'debian-libssl.so.3-arm64': {
    row: '---n---',
    errors: { 'linux-arm64-musl': 'ld-linux-aarch64.so.1' },
    why: 'readelf: NEEDED libcrypto.so.3 libc.so.6 ld-linux-aarch64.so.1, GLIBC_2.17/2.33 versions: glibc processes only',
  },
  'debian-musl-libc.so-arm64': {
    row: '---nn--',
    why: "readelf: musl's libc and loader, no PT_INTERP, no DT_NEEDED: self-contained on any arm64 Linux",
  },
  'debian-restic-0.14.0-arm64': {
    row: '---n---',
    why: 'readelf: AArch64 EXEC, /lib/ld-linux-aarch64.so.1, NEEDED libc.so.6 (Go with cgo): glibc only',
  },
  'esbuild-0.28.2-darwin-arm64': {
    row: 'n------',
    why: 'macho-headers: arm64 MH_EXECUTE, minos 12.0, LC_CODE_SIGNATURE, system libraries and frameworks only',
  },
  'esbuild-0.28.2-linux-arm64': {
    row: '---nn--',
    why: 'readelf: AArch64 EXEC, static: any arm64 Linux',
  },
  'esbuild-0.28.2-linux-ia32': {
    row: '-----nn',
    errors: { 'linux-arm64-glibc': 'Exec format error' },
    why: 'readelf: Intel 80386 EXEC, static: x86_64 kernels run it through IA32 emulation; arm64 cannot',
  },
  'npm-tailwindcss-oxide-4.3.3-darwin-arm64.node': {
    row: 'n------',
    errors: { 'macos-x86_64': "have 'arm64', need 'x86_64h' or 'x86_64'" },
    why: 'macho-headers: arm64 MH_DYLIB (Node addon), LC_CODE_SIGNATURE, only libSystem: loads into arm64 Node; x86_64 Node cannot load it',
  },
};

/** Cells that change when the user targets macOS 12.0 (minimum OS higher than that). */
export const EXPECTED_MACOS_12: Record<string, Partial<Record<Target, Compatibility['verdict']>>> = {
  'built-sigm-macos-arm64-chained': { 'macos-arm64': 'no' },
};

export function letter(v: Compatibility['verdict']): string {
  return v === 'native' ? 'n' : v === 'rosetta' ? 'r' : v === 'no' ? '-' : '?';
}
