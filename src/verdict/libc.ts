// Which C library an ELF file was linked against, from the facts the loader
// itself acts on: PT_INTERP, DT_NEEDED and the symbol versions it asks for.

import type { SliceReport } from '../report/types.ts';
import type { ArchKind } from './arch.ts';

export type Libc = 'glibc' | 'musl' | 'bionic' | 'none' | 'unknown';

/** The interpreter path each C library installs, per CPU (glibc's sysdeps/<arch>/ldsodefs.h, musl's Makefile). */
const STANDARD_INTERP: Record<string, { glibc: string[]; musl: string[] }> = {
  arm64: { glibc: ['/lib/ld-linux-aarch64.so.1'], musl: ['/lib/ld-musl-aarch64.so.1'] },
  x86_64: { glibc: ['/lib64/ld-linux-x86-64.so.2'], musl: ['/lib/ld-musl-x86_64.so.1'] },
  i386: { glibc: ['/lib/ld-linux.so.2'], musl: ['/lib/ld-musl-i386.so.1'] },
  arm: { glibc: ['/lib/ld-linux-armhf.so.3', '/lib/ld-linux.so.3'], musl: ['/lib/ld-musl-armhf.so.1', '/lib/ld-musl-arm.so.1'] },
};

export function standardInterpreter(arch: ArchKind, libc: 'glibc' | 'musl'): string | null {
  return STANDARD_INTERP[arch === 'arm64e' ? 'arm64' : arch]?.[libc][0] ?? null;
}

export function interpreterLibc(interp: string): Libc {
  const base = interp.slice(interp.lastIndexOf('/') + 1);
  if (/^ld-musl-/.test(base)) return 'musl';
  if (/^ld-linux[-.]/.test(base) || /^ld64\.so\.[12]$/.test(base) || base === 'ld.so.1') return 'glibc';
  if (base === 'linker' || base === 'linker64') return 'bionic';
  return 'unknown';
}

/** Whether the interpreter sits where that C library's packages put it (not under /nix/store, a build tree or Android's /system). */
export function isStandardInterpreter(interp: string, arch: ArchKind): boolean {
  const t = STANDARD_INTERP[arch === 'arm64e' ? 'arm64' : arch];
  if (!t) return false;
  return t.glibc.includes(interp) || t.musl.includes(interp);
}

// Alpine names musl's libc `libc.musl-<arch>.so.1`; other musl systems link `libc.so`.
const MUSL_NEEDED = /^libc\.musl-[a-z0-9_]+\.so\.1$/;
// Libraries only Android's system image has.
const ANDROID_NEEDED = /^(liblog|libandroid|libbinder|libutils|libcutils|libEGL|libGLESv[123]|libvulkan|libnativewindow|libmediandk)\.so$/;
const GLIBC_NEEDED = /^(libc\.so\.6|ld-linux[-a-z0-9_]*\.so\.\d|libc\.so\.6\.1|ld64\.so\.[12])$/;

export interface LibcEvidence {
  libc: Libc;
  evidence: string[];
}

/** The C library a slice needs at run time. `none` = no interpreter and no libc dependency (static, or freestanding). */
export function libcOf(s: SliceReport): LibcEvidence {
  if (s.interpreter) {
    const l = interpreterLibc(s.interpreter);
    if (l !== 'unknown') return { libc: l, evidence: [`PT_INTERP ${s.interpreter}`] };
  }
  const android = s.libraries.find((n) => ANDROID_NEEDED.test(n));
  if (android) return { libc: 'bionic', evidence: [`DT_NEEDED ${android}`] };
  const musl = s.libraries.find((n) => MUSL_NEEDED.test(n) || n === 'libc.so');
  if (musl) return { libc: 'musl', evidence: [`DT_NEEDED ${musl}`] };
  const glibc = s.libraries.find((n) => GLIBC_NEEDED.test(n));
  if (glibc) return { libc: 'glibc', evidence: [`DT_NEEDED ${glibc}`] };
  const v = s.imports.find((i) => i.version?.startsWith('GLIBC_'));
  if (v) return { libc: 'glibc', evidence: [`symbol version ${v.name}@${v.version}`] };
  if (s.interpreter) return { libc: 'unknown', evidence: [`PT_INTERP ${s.interpreter}`] };
  if (s.libraries.length === 0)
    return {
      libc: 'none',
      evidence: [s.linkage === 'static' ? 'statically linked: no PT_INTERP, no DT_NEEDED' : 'no PT_INTERP, no DT_NEEDED'],
    };
  return { libc: 'unknown', evidence: [`DT_NEEDED ${s.libraries.join(', ')}`] };
}

/**
 * Names musl's loader answers with itself (ldso/dynlink.c, load_library: the
 * `reserved` list "c.pthread.rt.m.dl.util.xnet."), so a glibc library that
 * needs libc.so.6 or libpthread.so.0 does not fail on those.
 */
export function muslProvidesItself(name: string): boolean {
  return /^lib(c|pthread|rt|m|dl|util|xnet)\./.test(name);
}

/**
 * glibc-only entry points musl does not export: the _FORTIFY_SOURCE checkers
 * and a few GNU extensions. A library importing them fails on musl with
 * `Error relocating …: symbol not found`.
 */
export function glibcOnlySymbol(name: string): boolean {
  if (name === '__stack_chk_fail') return false;
  if (/^__[a-z0-9_]+_chk$/.test(name)) return true;
  return GLIBC_ONLY.has(name);
}

const GLIBC_ONLY = new Set([
  'gnu_get_libc_version',
  'gnu_get_libc_release',
  '__libc_single_threaded',
  '__cxa_thread_atexit_impl',
  '__register_atfork',
  '_dl_find_object',
  '__libc_alloca_cutoff',
  'mallinfo2',
  '__res_nquery',
]);
