// Python wheels (PEP 427, PEP 600, PEP 656): the platform tags of the file
// name and of `*.dist-info/WHEEL`, the extension modules inside, and the
// manylinux/musllinux level each extension's symbol versions and libraries
// allow — by the rules pypa/auditwheel publishes in its policy files
// (src/auditwheel/policy/manylinux-policy.json, musllinux-policy.json): for each
// level, the newest version of each symbol-version family a wheel may need
// (GLIBC, GLIBCXX, CXXABI, GCC, and zlib's ZLIB and libatomic's LIBATOMIC) and the
// libraries it may leave to the system.
// The table below restates those limits for x86_64 and aarch64, the two
// architectures binlens has targets for.

import type { Target } from '../report/targets.ts';
import { BLACKLIST, MUSL_BLACKLIST } from './blacklist.ts';
import type { BinarySlice } from './member.ts';

type Family = 'GLIBC' | 'GLIBCXX' | 'CXXABI' | 'GCC' | 'ZLIB' | 'LIBATOMIC';
/** The newest version of each family a level allows; null where its policy lists none (then any version of it fails). */
type Limits = Record<Family, string | null>;

interface Level {
  name: string;
  alias: string | null;
  /** glibc X.Y of manylinux_X_Y. */
  glibc: string;
  x86_64: Limits;
  aarch64: Limits | null;
}

// name, alias, x86_64 (GLIBC, GLIBCXX, CXXABI, GCC, ZLIB, LIBATOMIC), aarch64 (same, or null where the policy has none).
const L = (g: string, gxx: string, abi: string, gcc: string, zlib: string | null, atomic: string | null): Limits => ({
  GLIBC: g,
  GLIBCXX: gxx,
  CXXABI: abi,
  GCC: gcc,
  ZLIB: zlib,
  LIBATOMIC: atomic,
});
const LEVELS: Level[] = [
  { name: 'manylinux_2_5', alias: 'manylinux1', glibc: '2.5', x86_64: L('2.5', '3.4.8', '1.3.1', '4.2.0', null, null), aarch64: null },
  {
    name: 'manylinux_2_12',
    alias: 'manylinux2010',
    glibc: '2.12',
    x86_64: L('2.12', '3.4.13', '1.3.3', '4.3.0', '1.2.2.4', null),
    aarch64: null,
  },
  {
    name: 'manylinux_2_17',
    alias: 'manylinux2014',
    glibc: '2.17',
    x86_64: L('2.17', '3.4.19', '1.3.7', '4.8.0', '1.2.5.2', null),
    aarch64: L('2.18', '3.4.19', '1.3.7', '4.7.0', '1.2.5.2', '1.0'),
  },
  {
    name: 'manylinux_2_24',
    alias: null,
    glibc: '2.24',
    x86_64: L('2.24', '3.4.22', '1.3.10', '4.8.0', '1.2.5.2', '1.2'),
    aarch64: L('2.24', '3.4.22', '1.3.10', '4.7.0', '1.2.5.2', '1.2'),
  },
  {
    name: 'manylinux_2_26',
    alias: null,
    glibc: '2.26',
    x86_64: L('2.26', '3.4.22', '1.3.10', '4.8.0', '1.2.5.2', '1.2'),
    aarch64: L('2.26', '3.4.24', '1.3.11', '7.0.0', '1.2.5.2', '1.2'),
  },
  {
    name: 'manylinux_2_27',
    alias: null,
    glibc: '2.27',
    x86_64: L('2.27', '3.4.24', '1.3.11', '7.0.0', '1.2.9', '1.2'),
    aarch64: L('2.27', '3.4.24', '1.3.11', '7.0.0', '1.2.9', '1.2'),
  },
  {
    name: 'manylinux_2_28',
    alias: null,
    glibc: '2.28',
    x86_64: L('2.28', '3.4.24', '1.3.11', '7.0.0', '1.2.9', '1.2'),
    aarch64: L('2.28', '3.4.24', '1.3.11', '7.0.0', '1.2.9', '1.2'),
  },
  {
    name: 'manylinux_2_31',
    alias: null,
    glibc: '2.31',
    x86_64: L('2.31', '3.4.28', '1.3.12', '7.0.0', '1.2.9', '1.2'),
    aarch64: L('2.31', '3.4.28', '1.3.12', '7.0.0', '1.2.9', '1.2'),
  },
  {
    name: 'manylinux_2_34',
    alias: null,
    glibc: '2.34',
    x86_64: L('2.34', '3.4.29', '1.3.13', '7.0.0', '1.2.9', '1.2'),
    aarch64: L('2.34', '3.4.29', '1.3.13', '11.0', '1.2.9', '1.2'),
  },
  {
    name: 'manylinux_2_35',
    alias: null,
    glibc: '2.35',
    x86_64: L('2.35', '3.4.30', '1.3.13', '12.0.0', '1.2.9', '1.2'),
    aarch64: L('2.35', '3.4.30', '1.3.13', '11.0', '1.2.9', '1.2'),
  },
  {
    name: 'manylinux_2_36',
    alias: null,
    glibc: '2.36',
    x86_64: L('2.36', '3.4.30', '1.3.13', '12.0.0', '1.2.9', '1.2'),
    aarch64: L('2.36', '3.4.30', '1.3.13', '11.0', '1.2.9', '1.2'),
  },
  // glibc 2.37 added no symbol version: its policy's GLIBC limit is 2_36's (it differs in zlib's blacklist).
  {
    name: 'manylinux_2_37',
    alias: null,
    glibc: '2.37',
    x86_64: L('2.36', '3.4.30', '1.3.13', '12.0.0', '1.2.12', '1.2'),
    aarch64: L('2.36', '3.4.30', '1.3.13', '11.0', '1.2.12', '1.2'),
  },
  {
    name: 'manylinux_2_38',
    alias: null,
    glibc: '2.38',
    x86_64: L('2.38', '3.4.30', '1.3.13', '12.0.0', '1.2.12', '1.2'),
    aarch64: L('2.38', '3.4.30', '1.3.13', '11.0', '1.2.12', '1.2'),
  },
  {
    name: 'manylinux_2_39',
    alias: null,
    glibc: '2.39',
    x86_64: L('2.39', '3.4.33', '1.3.15', '14.0.0', '1.2.12', '1.2'),
    aarch64: L('2.39', '3.4.33', '1.3.15', '14.0.0', '1.2.12', '1.2'),
  },
  {
    name: 'manylinux_2_40',
    alias: null,
    glibc: '2.40',
    x86_64: L('2.40', '3.4.33', '1.3.15', '14.0.0', '1.2.12', '1.2'),
    aarch64: L('2.40', '3.4.33', '1.3.15', '14.0.0', '1.2.12', '1.2'),
  },
  {
    name: 'manylinux_2_41',
    alias: null,
    glibc: '2.41',
    x86_64: L('2.41', '3.4.33', '1.3.15', '14.0.0', '1.2.12', '1.2'),
    aarch64: L('2.41', '3.4.33', '1.3.15', '14.0.0', '1.2.12', '1.2'),
  },
];

/** Libraries every manylinux level lets a wheel take from the system; libexpat.so.1 from manylinux2010, libmvec.so.1 from manylinux_2_24. */
const WHITELIST = [
  'libatomic.so.1',
  'libgcc_s.so.1',
  'libstdc++.so.6',
  'libm.so.6',
  'libanl.so.1',
  'libdl.so.2',
  'librt.so.1',
  'libc.so.6',
  'libnsl.so.1',
  'libutil.so.1',
  'libpthread.so.0',
  'libX11.so.6',
  'libXext.so.6',
  'libXrender.so.1',
  'libICE.so.6',
  'libSM.so.6',
  'libGL.so.1',
  'libgobject-2.0.so.0',
  'libgthread-2.0.so.0',
  'libglib-2.0.so.0',
  'libresolv.so.2',
  'libz.so.1',
];
const MUSL_WHITELIST = ['libc.so', 'libz.so.1'];

function whitelisted(level: Level, lib: string): boolean {
  if (WHITELIST.includes(lib)) return true;
  if (lib === 'libexpat.so.1') return cmp(level.glibc, '2.12') >= 0;
  if (lib === 'libmvec.so.1') return cmp(level.glibc, '2.24') >= 0;
  return false;
}

/** The blacklisted symbols an extension needs at a level (glibc X.Y of manylinux; null: musllinux), with their library. */
export function blacklisted(s: BinarySlice, glibc: string | null): { lib: string; symbol: string }[] {
  const out: { lib: string; symbol: string }[] = [];
  for (const b of glibc === null ? MUSL_BLACKLIST : BLACKLIST) {
    if ((b.through !== null && glibc !== null && cmp(glibc, b.through) > 0) || !s.needed.includes(b.lib)) continue;
    for (const sym of b.symbols) if (s.blacklistImports.includes(sym)) out.push({ lib: b.lib, symbol: sym });
  }
  return out;
}

/** The interpreter itself: an extension may link libpython (auditwheel leaves it out of its checks). */
function isLibpython(lib: string): boolean {
  return /^libpython\d+\.\d+[a-z]*\.so/.test(lib);
}

function cmp(a: string, b: string): number {
  const x = a.split('.').map(Number);
  const y = b.split('.').map(Number);
  for (let i = 0; i < Math.max(x.length, y.length); i++) if ((x[i] ?? 0) !== (y[i] ?? 0)) return (x[i] ?? 0) - (y[i] ?? 0);
  return 0;
}

export interface PlatformTag {
  tag: string;
  target: Target;
  kind: 'manylinux' | 'musllinux' | 'macosx';
  /** manylinux: glibc X.Y; musllinux: musl 1.Y; macosx: the minimum macOS. */
  version: string;
}

const ARCH: Record<string, 'arm64' | 'x86_64'> = { x86_64: 'x86_64', aarch64: 'arm64', arm64: 'arm64' };

/** A platform tag as a target and a version; null for tags binlens has no target for (`win_amd64`, `any`, `linux_i686`). */
export function platformTag(tag: string): PlatformTag[] {
  let m = /^manylinux_(\d+)_(\d+)_(x86_64|aarch64)$/.exec(tag);
  if (m) return [{ tag, target: `linux-${ARCH[m[3]!]}-glibc` as Target, kind: 'manylinux', version: `${m[1]}.${m[2]}` }];
  m = /^(manylinux1|manylinux2010|manylinux2014)_(x86_64|aarch64)$/.exec(tag);
  if (m) {
    const level = LEVELS.find((l) => l.alias === m![1])!;
    return [{ tag, target: `linux-${ARCH[m[2]!]}-glibc` as Target, kind: 'manylinux', version: level.glibc }];
  }
  m = /^musllinux_(\d+)_(\d+)_(x86_64|aarch64)$/.exec(tag);
  if (m) return [{ tag, target: `linux-${ARCH[m[3]!]}-musl` as Target, kind: 'musllinux', version: `${m[1]}.${m[2]}` }];
  m = /^macosx_(\d+)_(\d+)_(arm64|x86_64|universal2|intel)$/.exec(tag);
  if (m) {
    const archs = m[3] === 'universal2' ? ['arm64', 'x86_64'] : m[3] === 'intel' ? ['x86_64'] : [m[3]!];
    return archs.map((a) => ({ tag, target: `macos-${a}` as Target, kind: 'macosx' as const, version: `${m![1]}.${m![2]}` }));
  }
  return [];
}

/** Platform tags of a wheel: the file name's last part (dotted sets expanded) and WHEEL's `Tag:` lines. */
export function wheelTags(fileName: string, wheelFile: string | null): string[] {
  const out = new Set<string>();
  const m = /^[^-]+-[^-]+(?:-\d[^-]*)?-([^-]+)-([^-]+)-([^-]+)\.whl$/i.exec(fileName);
  if (m) for (const p of m[3]!.split('.')) out.add(p);
  for (const line of (wheelFile ?? '').split('\n')) {
    const t = /^Tag:\s*(\S+)-(\S+)-(\S+)\s*$/.exec(line.trim());
    if (t) for (const p of t[3]!.split('.')) out.add(p);
  }
  return [...out];
}

/**
 * The lowest manylinux level whose policy allows every symbol version an extension needs and none of the symbols it
 * blacklists (libraries aside), or null when none does.
 */
export function requiredLevel(s: BinarySlice): string | null {
  const arch = s.arch === 'arm64' ? 'aarch64' : 'x86_64';
  for (const level of LEVELS) {
    const lim = level[arch];
    if (!lim) continue;
    if (offending(s, lim).length === 0 && blacklisted(s, level.glibc).length === 0) return level.name;
  }
  return null;
}

/** Needed symbol versions newer than a level's limits, `GLIBC_2.28` style, newest first per family. */
function offending(s: BinarySlice, lim: Limits): string[] {
  const out: string[] = [];
  for (const versions of Object.values(s.versionNeeds)) {
    for (const v of versions) {
      const m = /^(GLIBC|GLIBCXX|CXXABI|GCC|ZLIB|LIBATOMIC)_(\d+(?:\.\d+)*)$/.exec(v);
      const max = m ? lim[m[1] as Family] : undefined;
      if (m && (max === null || cmp(m[2]!, max!) > 0)) out.push(v);
    }
  }
  return out.sort((a, b) => cmp(b.replace(/^\D+_/, ''), a.replace(/^\D+_/, '')));
}

const FAMILY_LIB: Record<Family, string> = {
  GLIBC: 'libc.so.6',
  GLIBCXX: 'libstdc++.so.6',
  CXXABI: 'libstdc++.so.6',
  GCC: 'libgcc_s.so.1',
  ZLIB: 'libz.so.1',
  LIBATOMIC: 'libatomic.so.1',
};

/**
 * What an extension module needs that a system of the tag's level does not give it: a symbol version newer than the
 * level allows (as the loader reports it when Python imports the module), or a library neither vendored in the wheel
 * (`found` says) nor on the policy's list. Null when the tag is honest for this extension.
 */
export function tagProblem(
  tag: PlatformTag,
  s: BinarySlice,
  path: string,
  found: (lib: string) => boolean,
): { step: 'version' | 'library' | 'symbol'; error: string; reason: string } | null {
  if (tag.kind === 'macosx') {
    if (s.minOS && cmp(s.minOS, tag.version) > 0) {
      return {
        step: 'version',
        error: `ImportError: dlopen(${path}, 0x0002): … (built for macOS ${s.minOS} which is newer than running OS)`,
        reason: `It needs macOS ${s.minOS}, newer than the macOS ${tag.version} its tag ${tag.tag} promises.`,
      };
    }
    return null;
  }
  if (tag.kind === 'musllinux') {
    for (const lib of s.needed) {
      if (MUSL_WHITELIST.includes(lib) || /^lib(c|pthread|rt|m|dl|util|xnet)\./.test(lib) || isLibpython(lib) || found(lib)) continue;
      return {
        step: 'library',
        error: `ImportError: Error loading shared library ${lib}: No such file or directory (needed by ${path})`,
        reason: `It needs ${lib}, which is neither in the wheel nor among the libraries musllinux lets a wheel take from the system (${MUSL_WHITELIST.join(', ')}).`,
      };
    }
    const bad = blacklisted(s, null);
    if (bad.length)
      return {
        step: 'symbol',
        // musl's dynamic linker (ldso/dynlink.c): "Error relocating %s: %s: symbol not found".
        error: `ImportError: Error relocating ${path}: ${bad[0]!.symbol}: symbol not found`,
        reason: blacklistReason(bad, tag.tag, 'musllinux'),
      };
    return null;
  }
  const arch = s.arch === 'arm64' ? 'aarch64' : 'x86_64';
  const level = [...LEVELS].reverse().find((l) => cmp(l.glibc, tag.version) <= 0 && l[arch]) ?? LEVELS[0]!;
  const lim = level[arch];
  if (lim) {
    const bad = offending(s, lim);
    const first = bad.find((v) => v.startsWith('GLIBC_')) ?? bad[0];
    if (first) {
      const family = first.slice(0, first.lastIndexOf('_')) as Family;
      return {
        step: 'version',
        error: `ImportError: /lib64/${FAMILY_LIB[family]}: version \`${first}' not found (required by ${path})`,
        reason: `It needs ${bad.join(', ')}, newer than ${tag.tag} allows (auditwheel's ${level.name} policy: ${lim[family] === null ? `no ${family} version` : `${family} up to ${lim[family]}`}); it needs ${requiredLevel(s) ?? 'a newer level than any manylinux policy'}.`,
      };
    }
  }
  const bad = blacklisted(s, level.glibc);
  if (bad.length)
    return {
      step: 'symbol',
      // glibc's dynamic linker (elf/dl-lookup.c): "undefined symbol: %s", as Python's ImportError repeats it.
      error: `ImportError: ${path}: undefined symbol: ${bad[0]!.symbol}`,
      reason: blacklistReason(bad, tag.tag, level.name),
    };
  for (const lib of s.needed) {
    if (whitelisted(level, lib) || isLibpython(lib) || found(lib)) continue;
    return {
      step: 'library',
      error: `ImportError: ${lib}: cannot open shared object file: No such file or directory`,
      reason: `It needs ${lib}, which is neither vendored in the wheel (a .libs folder its RPATH reaches) nor on the ${level.name} policy's list of system libraries.`,
    };
  }
  return null;
}

function blacklistReason(bad: { lib: string; symbol: string }[], tag: string, policy: string): string {
  const byLib = new Map<string, string[]>();
  for (const b of bad) byLib.set(b.lib, [...(byLib.get(b.lib) ?? []), b.symbol]);
  const list = [...byLib].map(([lib, syms]) => `${syms.join(', ')} from ${lib}`).join('; ');
  return `It needs ${list}, which auditwheel's ${policy} policy blacklists (not every system of ${tag} has ${bad.length === 1 ? 'it' : 'them'}): auditwheel repair refuses it ("depends on black-listed symbols"); build against an older glibc or vendor the library.`;
}
