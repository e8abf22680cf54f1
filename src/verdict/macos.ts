// "Will it run there?" for the Apple targets: which slice the kernel or dyld
// would pick, then the checks they make on it, in the order they make them
// (architecture, platform, code signature, dependent libraries, minimum OS).

import type { Target } from '../report/targets.ts';
import type { Compatibility } from '../report/types.ts';
import { dyldArchName, isX86_64h, ptrAuthVersion } from './arch.ts';
import { cell, requiredLibraries, sliceLabel, type Ctx, type Slice } from './context.ts';
import { dyld, linux, macShell } from './messages.ts';
import { missingProviders, onlySystemLibraries } from './findings-imports.ts';
import { buildMachinePath, homebrewPrefix, isMacRelative, isMacSystemPath } from './paths.ts';
import { compareVersions, displayVersion, effectiveMacTarget } from './versions.ts';
import { article, WithArticle, withArticle } from '../text/article.ts';
import { appleFileTruncation, appleSliceTruncation } from './truncated.ts';
import { invalidSignature, killedError, killsOnIntel, pageWords, validationPhrase } from './signature.ts';

export type AppleTarget = 'macos-arm64' | 'macos-x86_64' | 'ios-arm64';

/** The process architecture a slice runs as on a target. */
type RunAs = 'arm64' | 'x86_64';

interface Pick {
  slice: Slice;
  runAs: RunAs;
  rosetta: boolean;
}

/**
 * The slice that would be used. Executables: the kernel's grading
 * (bsd/dev/arm/kern_machdep.c grade_binary prefers arm64e over arm64 on
 * Apple Silicon; Rosetta 2 takes an x86_64 slice only when no arm64 slice
 * exists). Libraries: dyld's list for the loading process
 * (mach_o/GradedArchitectures.cpp: an arm64 process loads arm64 only, an
 * x86_64 process x86_64h then x86_64).
 */
export function pickSlice(c: Ctx, t: AppleTarget, kind: 'exec' | 'library'): Pick | null {
  const by = (f: (x: Slice) => boolean) => c.slices.find(f) ?? null;
  if (t === 'macos-x86_64') {
    const s = by((x) => x.arch === 'x86_64' && isX86_64h(x.s)) ?? by((x) => x.arch === 'x86_64');
    return s ? { slice: s, runAs: 'x86_64', rosetta: false } : null;
  }
  if (t === 'ios-arm64') {
    // iOS refuses unversioned arm64e slices (grade_arm64e_binary returns 0).
    const e = kind === 'exec' ? by((x) => x.arch === 'arm64e' && ptrAuthVersion(x.s) !== null) : null;
    const s = e ?? by((x) => x.arch === 'arm64');
    return s ? { slice: s, runAs: 'arm64', rosetta: false } : null;
  }
  const native = kind === 'exec' ? (by((x) => x.arch === 'arm64e') ?? by((x) => x.arch === 'arm64')) : by((x) => x.arch === 'arm64');
  if (native) return { slice: native, runAs: 'arm64', rosetta: false };
  const x86 = by((x) => x.arch === 'x86_64' && isX86_64h(x.s)) ?? by((x) => x.arch === 'x86_64');
  return x86 ? { slice: x86, runAs: 'x86_64', rosetta: true } : null;
}

/** What dyld lists as "need" for a process of that target. */
function needArchs(t: AppleTarget, runAs: RunAs): string[] {
  if (t === 'macos-x86_64') return ['x86_64h', 'x86_64'];
  return [runAs];
}

function platformLabel(p: string | null): string {
  switch (p) {
    case 'macos':
    case null:
      return 'macOS';
    case 'ios':
      return 'iOS';
    case 'maccatalyst':
      return 'Mac Catalyst';
    case 'ios-simulator':
      return 'iOS Simulator';
    default:
      return p;
  }
}

/** One Apple target's look at the slice it picked; `ev` gathers the evidence each step reads. */
interface AppleCheck {
  c: Ctx;
  t: AppleTarget;
  ios: boolean;
  osName: string;
  kind: 'exec' | 'library';
  pick: Pick;
  /** dyld's name for the slice's architecture. */
  arch: string;
  ev: string[];
  /** `/path/to/NAME`, as dyld's messages name the program. */
  from: string;
}

/** The verdict of one Apple target, in the order the kernel and dyld check: the file, the slice, then each step. */
export function appleVerdict(c: Ctx, t: AppleTarget): Compatibility {
  const refused = notAppleProgram(c, t);
  if (refused) return refused;
  const kind = c.slices[0]!.kind as 'exec' | 'library';
  // A universal file with a slice past the end is refused whole, before a slice is picked.
  const fileCut = appleFileTruncation(c, t, kind);
  if (fileCut) return fileCut;
  const pick = pickSlice(c, t, kind);
  if (!pick)
    return noSlice(
      c,
      t,
      kind,
      c.slices.map((x) => dyldArchName(c.report, x.s)),
    );

  const x = pick.slice;
  const ios = t === 'ios-arm64';
  const a: AppleCheck = {
    c,
    t,
    ios,
    osName: ios ? 'iOS' : 'macOS',
    kind,
    pick,
    arch: dyldArchName(c.report, x.s),
    ev: [c.fat ? `uses ${sliceLabel(c, x)}` : sliceLabel(c, x)],
    from: `/path/to/${c.name}`,
  };
  // The kernel reads the load commands and segments as it maps an executable; dyld checks a library's platform first.
  const sliceCut = appleSliceTruncation(c, x, t, kind);
  if (sliceCut && kind === 'exec') return sliceCut;
  const platform = platformCheck(a);
  if (platform) return platform;
  if (sliceCut) return sliceCut;
  const refusal = signatureCheck(a) ?? arm64eCheck(a);
  if (refusal) return refusal;
  const libraries = libraryChecks(a);
  if ('refusal' in libraries) return libraries.refusal;
  return flatLookupCheck(a) ?? minOSCheck(a) ?? runsVerdict(a, libraries.conditions, libraries.conditionError);
}

/** An ELF file, an unreadable one, an object file, a dylinker or a core dump: no slice to pick. */
function notAppleProgram(c: Ctx, t: AppleTarget): Compatibility | null {
  const name = c.name;
  if (c.elf) {
    const first = c.slices[0];
    const lib = first?.kind === 'library';
    return cell(
      t,
      'no',
      // The same words for every Apple target, so a folder table says it once.
      'macOS and iOS run only Mach-O files; this is an ELF file for Linux.',
      lib ? dyld.dlopen(name, dyld.notMachO()) : macShell.execFormat(name),
      [`format ELF${first ? `, ${first.s.arch} ${first.s.fileTypeRaw}` : ''}`],
      null,
    );
  }
  if (!c.macho || c.slices.length === 0) {
    const cut = c.macho ? appleFileTruncation(c, t, 'exec') : null;
    if (cut) return cut;
    return cell(t, 'unknown', 'binlens could not read a Mach-O or ELF header in this file.', null, [`format ${c.report.format}`], null);
  }
  const first = c.slices[0]!;
  if (first.kind === 'object') {
    return cell(
      t,
      'no',
      'An object file (MH_OBJECT) never runs by itself: it must first be linked into an executable or library.',
      macShell.execFormat(name),
      [`${sliceLabel(c, first)}`],
      null,
    );
  }
  if (first.kind === 'other') {
    const what =
      first.s.fileType === 'dylinker'
        ? 'This is a dynamic linker (MH_DYLINKER): the kernel maps it into every process, it is not run or loaded directly.'
        : first.s.fileType === 'core'
          ? 'This is a core dump (MH_CORE): a memory image for a debugger, not a program.'
          : `${WithArticle(`${first.s.fileTypeRaw} file`)} is not a program or library that a process runs or loads.`;
    return cell(t, first.s.fileType === 'other' ? 'unknown' : 'no', what, null, [sliceLabel(c, first)], null);
  }
  return null;
}

/** Platform: LC_BUILD_VERSION / LC_VERSION_MIN_*. No command at all is how old macOS binaries look. */
function platformCheck(a: AppleCheck): Compatibility | null {
  const { c, t, ios, kind, arch, ev } = a;
  const x = a.pick.slice;
  const s = x.s;
  ev.push(
    s.platform
      ? `platform ${s.platform}${s.minOS ? `, minos ${displayVersion(s.minOS)}` : ''}${s.sdk ? `, sdk ${displayVersion(s.sdk)}` : ''}`
      : 'no LC_BUILD_VERSION or LC_VERSION_MIN_* (treated as macOS)',
  );
  const okPlatform = ios ? x.platform === 'ios' : x.platform === 'macos' || x.platform === null || x.platform === 'maccatalyst';
  if (okPlatform) return null;
  const havePl = platformLabel(s.platform);
  const why = ios
    ? s.platform === null
      ? 'The file does not say it is built for iOS (no LC_BUILD_VERSION platform ios), so iOS treats it as a macOS binary.'
      : `The ${arch} slice is built for ${havePl}, not iOS.`
    : x.platform === 'ios'
      ? `The ${arch} slice is built for iOS; command-line tools and libraries built for iOS do not run on macOS.`
      : `The ${arch} slice is built for ${havePl}, not macOS.`;
  return cell(t, 'no', why, platformError(c, kind, havePl, a.osName), ev, s.index);
}

/** Code signature: every arm64 page must be signed (ad-hoc is enough on macOS); Rosetta does not ask. */
function signatureCheck(a: AppleCheck): Compatibility | null {
  const { c, t, ios, kind, arch, ev, pick } = a;
  const s = pick.slice.s;
  const sig = s.codeSignature;
  if (pick.runAs === 'arm64') {
    ev.push(
      sig
        ? `LC_CODE_SIGNATURE: ${sig.adhoc ? 'ad-hoc' : 'signed'}${sig.linkerSigned ? ', linker-signed' : ''}${sig.teamId ? `, team ${sig.teamId}` : ''}${validationPhrase(sig.validation)}`
        : 'no LC_CODE_SIGNATURE',
    );
    if (!sig) {
      return cell(
        t,
        'no',
        `The ${arch} code is not signed, and ${ios ? 'iOS' : 'Apple Silicon'} kills any process that runs unsigned arm64 code.`,
        macShell.killed(),
        ev,
        s.index,
      );
    }
    if (ios && (sig.adhoc || !sig.hasCmsSignature)) {
      return cell(
        t,
        'no',
        `iOS runs only code signed with an Apple-issued certificate and a provisioning profile; this signature ${sig.adhoc ? 'is ad-hoc' : 'has no certificate'}.`,
        macShell.killed(),
        ev,
        s.index,
      );
    }
    const bad = invalidSignature(s);
    if (!bad) return null;
    const page = bad.firstBad ? ` (${pageWords(bad)})` : '';
    const who =
      kind === 'exec' ? 'kills the process as it runs that code' : 'kills the process that loads it as soon as it touches that code';
    return cell(
      t,
      'no',
      `The ${arch} code signature does not match the file${page}: it was changed after it was signed, and ${ios ? 'iOS' : 'Apple Silicon'} ${bad.firstBad ? who : 'refuses the signature and kills the process'}. Re-sign it after the last change.`,
      killedError(c.name, pick.slice),
      ev,
      s.index,
    );
  }
  // x86_64 code (Intel, or Rosetta 2): the kernel kills on a bad page only when the signature asks it to.
  const bad = sig ? invalidSignature(s) : null;
  if (!sig || !bad) return null;
  const kills = killsOnIntel(sig);
  ev.push(`LC_CODE_SIGNATURE: ${sig.adhoc ? 'ad-hoc' : 'signed'}${validationPhrase(bad)}`);
  if (!kills) return null;
  return cell(
    t,
    'no',
    `The x86_64 code signature does not match the file${bad.firstBad ? ` (${pageWords(bad)})` : ''}, and its ${kills} tells the kernel to kill a process whose code does not match${pick.rosetta ? ', under Rosetta 2 too' : ''}. Re-sign it after the last change.`,
    killedError(c.name, pick.slice),
    ev,
    s.index,
  );
}

/** arm64e: xnu refuses third-party executables built against the preview pointer-auth ABI (bsd/kern/kern_exec.c, "-arm64e_preview_abi"). */
function arm64eCheck(a: AppleCheck): Compatibility | null {
  const x = a.pick.slice;
  if (a.ios || x.arch !== 'arm64e' || a.kind !== 'exec') return null;
  const v = ptrAuthVersion(x.s);
  a.ev.push(v === null ? 'arm64e, unversioned pointer-auth ABI' : `arm64e pointer-auth ABI version ${v}`);
  if (v !== null && v !== 0) return null;
  return cell(
    a.t,
    'no',
    'macOS picks the arm64e slice, and refuses to run third-party arm64e code built against the preview pointer-authentication ABI.',
    macShell.killed(),
    a.ev,
    x.s.index,
  );
}

/**
 * Dependent libraries: each one outside the system either refuses the target (an absolute path on iOS, @rpath
 * without LC_RPATH, another CPU's Homebrew, a build machine's path) or is a condition (it ships alongside, it is
 * installed), with dyld's message when it is not there.
 */
function libraryChecks(a: AppleCheck): { refusal: Compatibility } | { conditions: string[]; conditionError: string | null } {
  const { t, ios, kind, ev, pick, from } = a;
  const s = pick.slice.s;
  const rpaths = s.rpaths;
  for (const r of rpaths) ev.push(`LC_RPATH ${r}`);
  const conditions: string[] = [];
  let conditionError: string | null = null;
  const refuse = (reason: string, error: string) => ({ refusal: cell(t, 'no', reason, error, ev, s.index) });
  const condition = (text: string, error: string) => {
    conditions.push(text);
    conditionError ??= error;
  };
  const seen = new Set<string>();
  for (const lib of requiredLibraries(s)) {
    const p = lib.name;
    if (isMacSystemPath(p) || seen.has(p)) continue;
    seen.add(p);
    const notFound = dyld.libraryNotLoaded(p, from, dyld.triedNoSuchFile(p));
    if (ios && p.startsWith('/')) {
      ev.push(`${lib.source} ${p}`);
      return refuse(`It needs ${p}, and iOS apps cannot load libraries from outside the system or their own bundle.`, notFound);
    }
    if (p.startsWith('@rpath/')) {
      ev.push(`${lib.source} ${p}`);
      if (rpaths.length === 0 && kind === 'exec')
        return refuse(
          `It loads ${p}, but has no LC_RPATH for dyld to search, so dyld cannot find it.`,
          dyld.libraryNotLoaded(p, from, dyld.noRpaths()),
        );
      condition(
        `${p.slice('@rpath/'.length)} ships in ${kind === 'exec' ? 'one of its LC_RPATH directories' : 'an LC_RPATH directory of the program that loads it'}`,
        dyld.libraryNotLoaded(
          p,
          from,
          rpaths.length ? rpaths.map((r) => dyld.triedNoSuchFile(`${r}/${p.slice(7)}`)).join(', ') : dyld.noRpaths(),
        ),
      );
      continue;
    }
    if (isMacRelative(p)) {
      ev.push(`${lib.source} ${p}`);
      condition(`${p} ships next to it`, notFound);
      continue;
    }
    const brew = homebrewPrefix(p);
    if (brew) {
      ev.push(`${lib.source} ${p} (${brew.manager})`);
      if (brew.arch === 'arm64' && t === 'macos-x86_64') {
        // An Intel Mac has no Apple Silicon Homebrew: the path is missing
        // there, not of the wrong architecture, unless put there by hand.
        condition(`${p} is installed, which Homebrew does not do on Intel Macs (it uses /usr/local)`, notFound);
        continue;
      }
      if (brew.arch && brew.arch !== pick.runAs) {
        // On Apple Silicon both Homebrews can be installed, each with its own CPU's libraries.
        return refuse(
          `It needs ${p}, ${withArticle(`${brew.manager} path`)} whose libraries are ${brew.arch} code, which ${withArticle(`${pick.runAs} process`)}${pick.rosetta ? ' under Rosetta 2' : ''} cannot load.`,
          dyld.libraryNotLoaded(p, from, `tried: '${p}' (${dyld.incompatibleArch(brew.arch, needArchs(t, pick.runAs))})`),
        );
      }
      condition(`${p} is installed (${brew.manager})`, notFound);
      continue;
    }
    const bm = buildMachinePath(p);
    if (bm) {
      ev.push(`${lib.source} ${p} (${bm})`);
      return refuse(`It needs ${p}, which is in ${bm} of the machine that built it.`, notFound);
    }
    ev.push(`${lib.source} ${p}`);
    condition(`${p} is installed`, notFound);
  }
  return { conditions, conditionError };
}

/** Flat-namespace imports whose provider nothing loaded with the program can supply. */
function flatLookupCheck(a: AppleCheck): Compatibility | null {
  const x = a.pick.slice;
  if (a.kind !== 'exec' || !onlySystemLibraries(x, true)) return null;
  const m = missingProviders(x, true)[0];
  if (!m) return null;
  a.ev.push(`undefined ${m.symbol} (${m.provider.name}), flat lookup`);
  return cell(
    a.t,
    'no',
    `It looks up ${m.symbol} from ${m.provider.name} in the flat namespace but links only libSystem, so dyld never finds it.`,
    `dyld[…]: ${dyld.flatNotFound(m.symbol)}`,
    a.ev,
    x.s.index,
  );
}

/** Whether the slice's platform is the target's own, so that its minimum OS speaks about it. */
function ownPlatform(a: AppleCheck): boolean {
  const p = a.pick.slice.s.platform;
  return a.ios ? p === 'ios' : p === 'macos';
}

/** Minimum OS against the user's target. */
function minOSCheck(a: AppleCheck): Compatibility | null {
  const { c, ios, osName, pick } = a;
  const s = pick.slice.s;
  const wanted = ios ? c.options.minVersions?.ios : c.options.minVersions?.macos;
  const chosen = wanted && !ios ? effectiveMacTarget(wanted, pick.runAs === 'arm64' && !pick.rosetta) : wanted;
  if (!chosen || !s.minOS || !ownPlatform(a) || (compareVersions(s.minOS, chosen) ?? 0) <= 0) return null;
  a.ev.push(`your target: ${osName} ${chosen}`);
  const tooNew = dyld.tooNew(osName, displayVersion(s.minOS));
  return cell(
    a.t,
    'no',
    `It needs ${osName} ${displayVersion(s.minOS)} or later, newer than the ${osName} ${chosen} you target.`,
    dyld.symbolNotFound('_…', a.from, '/usr/lib/libSystem.B.dylib', tooNew),
    a.ev,
    s.index,
  );
}

/** It runs (or loads): natively or under Rosetta 2, from which OS, provided its libraries are there. */
function runsVerdict(a: AppleCheck, conditions: string[], conditionError: string | null): Compatibility {
  const { c, t, osName, kind, pick, arch, ev } = a;
  const s = pick.slice.s;
  const verdict = pick.rosetta ? 'rosetta' : 'native';
  const how = pick.rosetta
    ? kind === 'exec'
      ? 'Runs under Rosetta 2, which translates its x86_64 code (there is no arm64 slice)'
      : 'Loads only into x86_64 processes running under Rosetta 2 (an arm64 process cannot load it)'
    : kind === 'exec'
      ? `Runs natively from the ${arch} slice`
      : `Loads natively into ${arch} processes`;
  // Apple Silicon Macs run macOS 11 or later, so an older minimum says nothing there.
  const minos =
    s.minOS && ownPlatform(a) && !pick.rosetta && !(t === 'macos-arm64' && (compareVersions(s.minOS, '11') ?? 0) <= 0)
      ? ` on ${osName} ${displayVersion(s.minOS)} or later`
      : '';
  // x86_64 code whose signature does not match runs when the signature does not ask to be killed (checked above).
  const broken = pick.runAs === 'x86_64' ? invalidSignature(s) : null;
  const brokenNote = broken
    ? ` Its signature does not match the file${broken.firstBad ? ` (${pageWords(broken)})` : ''}: the kernel lets x86_64 code run anyway because the signature does not ask it to kill (no CS_KILL, CS_HARD or hardened runtime), but Gatekeeper refuses a downloaded copy ("is damaged and can't be opened"); re-sign it.`
    : '';
  const reason = (conditions.length ? `${how}${minos}, provided ${joinAnd(conditions)}.` : `${how}${minos}.`) + brokenNote;
  if (kind === 'library' && t === 'macos-arm64') {
    // On Apple Silicon both process kinds exist; a .node or plug-in built for one fails in the other.
    const other: RunAs = pick.runAs === 'arm64' ? 'x86_64' : 'arm64';
    if (!c.slices.some((o) => (other === 'x86_64' ? o.arch === 'x86_64' : o.arch === 'arm64'))) {
      ev.push(
        `${article(other)} ${other} process${other === 'x86_64' ? ' (under Rosetta 2)' : ''} fails: ${dyld.incompatibleArch(arch, [other])}`,
      );
    }
  }
  return cell(t, verdict, reason, conditions.length ? conditionError : null, ev, s.index);
}

function joinAnd(xs: string[]): string {
  if (xs.length <= 1) return xs.join('');
  return `${xs.slice(0, -1).join(', ')} and ${xs[xs.length - 1]}`;
}

function platformError(c: Ctx, kind: 'exec' | 'library', have: string, need: string): string {
  return kind === 'library'
    ? dyld.dlopen(c.name, dyld.incompatiblePlatform(c.name, have, need))
    : `dyld[…]: ${dyld.incompatiblePlatform(`/path/to/${c.name}`, have, need)}`;
}

function noSlice(c: Ctx, t: AppleTarget, kind: 'exec' | 'library', have: string[]): Compatibility {
  const name = c.name;
  const runAs: RunAs = t === 'macos-x86_64' ? 'x86_64' : 'arm64';
  const need = needArchs(t, runAs);
  const haveText = have.join(', ');
  const ev = [c.fat ? `slices: ${haveText}` : `architecture ${haveText}`];
  const platformName = t === 'ios-arm64' ? 'iOS devices' : t === 'macos-x86_64' ? 'Intel Macs' : 'Apple Silicon Macs';
  let reason: string;
  if (t === 'macos-arm64' && kind === 'library' && have.includes('arm64e')) {
    reason = 'Its only arm64 code is arm64e, which third-party arm64 processes cannot load.';
  } else if (c.slices.every((x) => x.s.bits === 32)) {
    // 32-bit code: macOS 10.15 and iOS 11 dropped it.
    reason = `It has only 32-bit code (${haveText}), which ${t === 'ios-arm64' ? 'iOS stopped running in iOS 11' : 'macOS stopped running in 10.15'}.`;
  } else {
    reason = `There is no ${t === 'macos-x86_64' ? 'x86_64' : 'arm64'} code in it (${haveText}), so it cannot ${kind === 'exec' ? 'run' : 'load'} on ${platformName}.`;
  }
  if (kind === 'exec') return cell(t, 'no', reason, t === 'ios-arm64' ? macShell.badCpuErrno() : macShell.badCpu(name), ev, null);
  const why = c.fat ? dyld.fatMissingArch(have, need) : dyld.incompatibleArch(have[0] ?? '?', need);
  return cell(t, 'no', reason, dyld.dlopen(name, why), ev, null);
}

/** Mach-O on Linux: the kernel and ld.so know only ELF. */
export function machoOnLinux(c: Ctx, t: Target): Compatibility {
  const first = c.slices[0];
  const lib = first?.kind === 'library';
  return cell(
    t,
    'no',
    'Linux runs only ELF files; this is a Mach-O file for Apple platforms.',
    lib ? linux.dlopenNotElf(c.name, t) : linux.execFormat(c.name, t),
    [
      `format ${c.fat ? 'Mach-O universal' : 'Mach-O'}${first ? `, ${c.slices.map((x) => x.s.arch).join(', ')} ${first.s.fileTypeRaw}` : ''}`,
    ],
    null,
  );
}
