// "Will it run there?" for Linux: the kernel's checks in execve(2)
// (fs/binfmt_elf.c: e_machine, e_type, PT_INTERP must exist), then the C
// library's loader (glibc ld.so or musl's ldso) and the libraries it maps.

import type { Target } from '../report/targets.ts';
import type { Compatibility } from '../report/types.ts';
import { cell, requiredLibraries, type Ctx, type Slice } from './context.ts';
import { glibcOnlySymbol, isStandardInterpreter, libcOf, muslProvidesItself, standardInterpreter, type Libc } from './libc.ts';
import { isMusl, linux } from './messages.ts';
import { buildMachinePath } from './paths.ts';
import { article, WithArticle, withArticle } from '../text/article.ts';
import { missingProviders, onlySystemLibraries } from './findings-imports.ts';
import { machoOnLinux } from './macos.ts';
import { linuxHeaderCut, linuxTruncation } from './truncated.ts';

export type LinuxTarget = Extract<Target, `linux-${string}`>;

function targetArch(t: LinuxTarget): 'arm64' | 'x86_64' {
  return t.startsWith('linux-arm64') ? 'arm64' : 'x86_64';
}

function targetLibc(t: LinuxTarget): 'glibc' | 'musl' {
  return isMusl(t) ? 'musl' : 'glibc';
}

function libcName(l: 'glibc' | 'musl'): string {
  return l === 'glibc' ? 'glibc' : 'musl';
}

// Libraries every glibc system has: glibc's own sonames (libc6 is essential in
// Debian, glibc in RPM distributions).
export function isGlibcFamily(n: string): boolean {
  return /^(libc\.so\.6|libm\.so\.6|libpthread\.so\.0|libdl\.so\.2|librt\.so\.1|libutil\.so\.1|libresolv\.so\.2|libanl\.so\.1|libmvec\.so\.1|libnsl\.so\.1|libBrokenLocale\.so\.1|ld-linux[-a-z0-9_]*\.so\.\d)$/.test(
    n,
  );
}

export function isMuslFamily(n: string): boolean {
  return /^libc\.musl-[a-z0-9_]+\.so\.1$/.test(n) || n === 'libc.so' || muslProvidesItself(n);
}

/** One Linux target's look at the file; `ev` gathers the evidence each step reads. */
interface LinuxCheck {
  c: Ctx;
  t: LinuxTarget;
  x: Slice;
  lib: boolean;
  want: 'arm64' | 'x86_64';
  libcWant: 'glibc' | 'musl';
  ev: string[];
}

/** The verdict of one Linux target, in the order execve(2) and the loader check: the file, the OS, the CPU, then the loader's steps. */
export function linuxVerdict(c: Ctx, t: LinuxTarget): Compatibility {
  if (c.macho) return machoOnLinux(c, t);
  const x = c.slices[0];
  if (c.elf && !x) {
    const cut = linuxHeaderCut(c, t);
    if (cut) return cut;
  }
  if (!c.elf || !x)
    return cell(t, 'unknown', 'binlens could not read an ELF or Mach-O header in this file.', null, [`format ${c.report.format}`], null);
  const s = x.s;
  const a: LinuxCheck = {
    c,
    t,
    x,
    lib: x.kind === 'library',
    want: targetArch(t),
    libcWant: targetLibc(t),
    ev: [`${s.arch} ${s.bits}-bit ${s.fileTypeRaw}`],
  };
  const refusal = notLinuxProgram(a) ?? osCheck(a) ?? cpuCheck(a);
  if (refusal) return refusal;

  // A file cut short: execve(2) fails before the interpreter is opened, or the process dies once it runs.
  const cut = linuxTruncation(c, x, t, a.lib);
  if (cut && (cut.phase === 'exec' || a.lib)) return cut.cell;

  const libc = libcOf(s);
  a.ev.push(...libc.evidence);
  if (!a.lib) {
    const interp = interpreterCheck(a, libc.libc);
    if (interp) return interp;
    if (cut) return cut.cell;
    if (!s.interpreter && (s.linkage === 'static' || s.libraries.length === 0)) {
      return cell(
        t,
        'native',
        `Runs natively: it is statically linked (no interpreter), so it needs no C library from the system.`,
        null,
        a.ev,
        0,
      );
    }
  } else {
    const r = libraryLibc(c, x, t, libc.libc, a.ev);
    if (r) return r;
  }
  const needed = neededLibraries(a);
  if ('refusal' in needed) return needed.refusal;
  for (const r of s.rpathDetails) a.ev.push(`${r.source} ${r.path}`);
  return missingSymbolCheck(a) ?? runsVerdict(a, libc.libc, needed.conditions, needed.conditionError);
}

/** An object file or a core dump, or what no Linux process runs or loads. */
function notLinuxProgram(a: LinuxCheck): Compatibility | null {
  const { c, t, x, ev } = a;
  const s = x.s;
  if (x.kind === 'object') {
    return cell(
      t,
      'no',
      'An object file (ET_REL) never runs by itself: it must first be linked into an executable or shared library.',
      linux.execFormat(c.name, t),
      ev,
      null,
    );
  }
  if (x.kind !== 'other') return null;
  const core = s.fileType === 'core';
  return cell(
    t,
    core ? 'no' : 'unknown',
    core
      ? 'This is a core dump (ET_CORE): a memory image for a debugger, not a program.'
      : `${WithArticle(`${s.fileTypeRaw} file`)} is not something a Linux process runs or loads.`,
    core ? linux.execFormat(c.name, t) : null,
    ev,
    null,
  );
}

/** OS: Linux ignores EI_OSABI, but a FreeBSD or Android program asks for its own loader and system calls. */
function osCheck(a: LinuxCheck): Compatibility | null {
  const { x, ev } = a;
  const s = x.s;
  if (x.platform !== 'other' && x.platform !== 'android') return null;
  ev.push(`EI_OSABI / notes: ${s.platform}`);
  if (s.interpreter) ev.push(`PT_INTERP ${s.interpreter}`);
  return cell(
    a.t,
    'no',
    `It is built for ${s.platform}, not Linux.`,
    s.interpreter && !a.lib ? linux.missingInterpreter(a.c.name, a.t) : null,
    ev,
    null,
  );
}

/** CPU: e_machine against the target's. */
function cpuCheck(a: LinuxCheck): Compatibility | null {
  const { c, t, x, lib, want, ev } = a;
  const s = x.s;
  const name = c.name;
  if (x.arch === want || (x.arch === 'arm64e' && want === 'arm64')) return null;
  // 32-bit x86 runs on x86_64 kernels through IA32 emulation (CONFIG_IA32_EMULATION, on in the common distributions).
  if (x.arch === 'i386' && want === 'x86_64' && !lib) {
    const cut = linuxTruncation(c, x, t, false);
    if (cut && (cut.phase === 'exec' || !s.interpreter)) return cut.cell;
    return i386OnX86_64(c, x, t, ev);
  }
  if (x.arch === 'arm' && want === 'arm64' && !lib) {
    return cell(
      t,
      'unknown',
      'It is 32-bit ARM code, which runs on an arm64 Linux only where the CPU and kernel support AArch32 (many recent arm64 server CPUs do not).',
      linux.execFormat(name, t),
      ev,
      null,
    );
  }
  const what = `It is ${s.arch} code, which ${article(want)} ${want} Linux ${lib ? 'process cannot load' : 'cannot run'}.`;
  if (lib) {
    const sameFamily = (x.arch === 'i386' && want === 'x86_64') || (x.arch === 'arm' && want === 'arm64');
    return cell(t, 'no', what, sameFamily ? linux.dlopenWrongClass(name, 32) : linux.dlopenWrongMachine(name, t), ev, null);
  }
  return cell(t, 'no', what, linux.execFormat(name, t), ev, null);
}

/** Executables: PT_INTERP, which the kernel opens, must be the target's C library's loader. */
function interpreterCheck(a: LinuxCheck, libc: Libc): Compatibility | null {
  const { c, t, x, libcWant, ev } = a;
  const interp = x.s.interpreter;
  if (!interp) return null;
  if (!isStandardInterpreter(interp, x.arch)) {
    return cell(
      t,
      'no',
      `Its interpreter ${interp} is not where ${libcName(libcWant)} systems keep their loader (${standardInterpreter(x.arch, libcWant) ?? 'n/a'}), so the kernel cannot start it.`,
      linux.missingInterpreter(c.name, t),
      ev,
      null,
    );
  }
  if (libc === libcWant || (libc !== 'glibc' && libc !== 'musl')) return null;
  const fix = libcWant === 'musl' ? ' unless gcompat is installed (apk add gcompat)' : ' unless the musl package is installed';
  return cell(
    t,
    'no',
    `It asks for ${libcName(libc)}'s loader ${interp}, which ${withArticle(`${libcName(libcWant)} system`)} does not have${fix}.`,
    linux.missingInterpreter(c.name, t),
    ev,
    null,
  );
}

/** DT_NEEDED: the C library's own libraries are always there; a build machine's or a relative path refuses; anything else is a condition. */
function neededLibraries(a: LinuxCheck): { refusal: Compatibility } | { conditions: string[]; conditionError: string | null } {
  const { c, t, x, lib, libcWant, ev } = a;
  const name = c.name;
  const conditions: string[] = [];
  let conditionError: string | null = null;
  for (const l of requiredLibraries(x.s)) {
    const n = l.name;
    if (libcWant === 'glibc' ? isGlibcFamily(n) : isMuslFamily(n)) continue;
    if (n.includes('/')) {
      const bm = buildMachinePath(n);
      if (bm || !n.startsWith('/')) {
        ev.push(`DT_NEEDED ${n}`);
        const reason = bm
          ? `It needs ${n}, which is in ${bm} of the machine that built it.`
          : `It needs ${n}, a path relative to the current directory, so it loads only when started from one particular folder.`;
        const error = lib ? `${name}: ${n}: cannot open shared object file: No such file or directory` : linux.missingLibrary(name, n, t);
        return { refusal: cell(t, 'no', reason, error, ev, null) };
      }
    }
    ev.push(`DT_NEEDED ${n}`);
    conditions.push(n);
    conditionError ??= lib ? `${n}: cannot open shared object file: No such file or directory` : linux.missingLibrary(name, n, t);
  }
  return { conditions, conditionError };
}

/** An import whose provider nothing loaded with the program can supply. */
function missingSymbolCheck(a: LinuxCheck): Compatibility | null {
  const { x, ev } = a;
  if (a.lib || !onlySystemLibraries(x, false)) return null;
  const m = missingProviders(x, false)[0];
  if (!m) return null;
  ev.push(`undefined ${m.symbol} (${m.provider.name}), not among DT_NEEDED`);
  return cell(
    a.t,
    'no',
    `It uses ${m.symbol} from ${m.provider.name} but links only the C library, so the symbol is never found.`,
    linux.missingSymbol(a.c.name, m.symbol, a.t),
    ev,
    null,
  );
}

/** It runs (or loads) natively, provided its libraries are installed. */
function runsVerdict(a: LinuxCheck, libc: Libc, conditions: string[], conditionError: string | null): Compatibility {
  const flavour = libc === 'glibc' || libc === 'musl' ? ` against ${libcName(libc)}` : '';
  const how = a.lib ? `Loads natively into ${a.want} ${libcName(a.libcWant)} processes` : `Runs natively: dynamically linked${flavour}`;
  const reason = conditions.length
    ? `${how}, provided ${conditions.length === 1 ? `${conditions[0]} is` : `${conditions.slice(0, -1).join(', ')} and ${conditions[conditions.length - 1]} are`} installed.`
    : `${how}.`;
  return cell(a.t, 'native', reason, conditions.length ? conditionError : null, a.ev, 0);
}

/** A shared library is judged by being loaded into a process of that target: the process's C library must be the one it was linked for. */
function libraryLibc(c: Ctx, x: Slice, t: LinuxTarget, libc: Libc, ev: string[]): Compatibility | null {
  const s = x.s;
  const name = c.name;
  const want = targetLibc(t);
  if (libc === 'bionic') {
    return cell(
      t,
      'no',
      "It is linked against Android's C library (bionic), which Linux distributions do not have.",
      `${name}: ${s.libraries[0] ?? 'libc.so'}: cannot open shared object file: No such file or directory`,
      ev,
      null,
    );
  }
  if (libc === 'glibc' && want === 'musl') {
    const ldso = s.libraries.find((n) => /^ld-linux/.test(n));
    if (ldso) {
      return cell(
        t,
        'no',
        `It is linked against glibc and needs ${ldso}, which musl's loader cannot provide.`,
        `Error loading shared library ${ldso}: No such file or directory (needed by ${name})`,
        ev,
        null,
      );
    }
    const only = s.imports.find((i) => !i.weak && glibcOnlySymbol(i.name));
    if (only) {
      ev.push(`imports ${only.name}${only.version ? `@${only.version}` : ''}`);
      return cell(
        t,
        'no',
        `It is linked against glibc and uses ${only.name}, which musl does not have.`,
        `Error relocating ${name}: ${only.name}: symbol not found`,
        ev,
        null,
      );
    }
    return cell(
      t,
      'unknown',
      "It is linked against glibc; musl's loader answers for libc.so.6 itself, so it loads only if every glibc symbol it uses also exists in musl.",
      null,
      ev,
      null,
    );
  }
  if (libc === 'musl' && want === 'glibc') {
    const m = s.libraries.find((n) => /^libc\.musl-/.test(n) || n === 'libc.so') ?? 'libc.so';
    return cell(
      t,
      'no',
      `It is linked against musl (${m}), which a glibc process does not have.`,
      `${name}: ${m}: cannot open shared object file: No such file or directory`,
      ev,
      null,
    );
  }
  return null;
}

function i386OnX86_64(c: Ctx, x: Slice, t: LinuxTarget, ev: string[]): Compatibility {
  const s = x.s;
  if (!s.interpreter) {
    return cell(
      t,
      'native',
      'Runs natively as a 32-bit process: it is static, and x86_64 kernels run i386 code through IA32 emulation (on by default in the common distributions).',
      linux.execFormat(c.name, t),
      ev,
      0,
    );
  }
  ev.push(`PT_INTERP ${s.interpreter}`);
  return cell(
    t,
    'no',
    `It is a dynamically linked 32-bit program that needs ${s.interpreter} and 32-bit libraries, which x86_64 systems do not install by default.`,
    linux.missingInterpreter(c.name, t),
    ev,
    null,
  );
}
