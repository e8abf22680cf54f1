// Go release versions: the one table of release dates, which releases the Go
// team still supports on a given day, and recovering runtime.buildVersion
// from a binary whose build-info blob is gone.

import type { Image } from '../image.ts';
import type { SymbolRow } from '../types.ts';
import { FormatError } from '../reader.ts';
import { goString } from './buildinfo.ts';
import { findBytes, type GoMemory } from './memory.ts';

/**
 * First release (x.y.0) of each Go major version since modules (1.13).
 * Dates from go.dev/doc/devel/release; 1.26.0 and 1.27.0 from the tags'
 * publication dates on pkg.go.dev. Extend this table as Go releases; the
 * support rule below reads nothing else.
 */
export const GO_RELEASES: ReadonlyArray<{ major: string; released: string }> = [
  { major: '1.13', released: '2019-09-03' },
  { major: '1.14', released: '2020-02-25' },
  { major: '1.15', released: '2020-08-11' },
  { major: '1.16', released: '2021-02-16' },
  { major: '1.17', released: '2021-08-16' },
  { major: '1.18', released: '2022-03-15' },
  { major: '1.19', released: '2022-08-02' },
  { major: '1.20', released: '2023-02-01' },
  { major: '1.21', released: '2023-08-08' },
  { major: '1.22', released: '2024-02-06' },
  { major: '1.23', released: '2024-08-13' },
  { major: '1.24', released: '2025-02-11' },
  { major: '1.25', released: '2025-08-12' },
  { major: '1.26', released: '2026-02-10' },
  { major: '1.27', released: '2026-08-19' },
];

/** `go1.19.8` → `1.19`; `go1.21rc2` → `1.21`; `devel go1.27-abc…` → `1.27`; null when it is not a Go version. */
export function goMajor(version: string | null): string | null {
  if (!version) return null;
  const m = /^(?:devel )?go(\d+)\.(\d+)/.exec(version);
  return m ? `${Number(m[1])}.${Number(m[2])}` : null;
}

function majorKey(major: string): number {
  const [a, b] = major.split('.').map(Number);
  return (a ?? 0) * 1000 + (b ?? 0);
}

export interface GoSupport {
  major: string | null;
  /** Supported by the Go team on `today`; null when the version is unknown. */
  supported: boolean | null;
  /** The majors supported on `today`, newest first. */
  current: string[];
  reason: string;
}

/**
 * Go's release policy: each major release is supported until there are two
 * newer major releases (go.dev/doc/devel/release#policy), so the two newest
 * majors released on or before `today` are the supported ones.
 */
export function goSupport(version: string | null, today: Date = new Date()): GoSupport {
  const day = today.toISOString().slice(0, 10);
  const released = GO_RELEASES.filter((r) => r.released <= day).sort((a, b) => majorKey(b.major) - majorKey(a.major));
  const current = released.slice(0, 2).map((r) => r.major);
  const major = goMajor(version);
  if (!major) return { major: null, supported: null, current, reason: 'the Go version is not recorded in the binary' };
  if (current.includes(major))
    return { major, supported: true, current, reason: `Go ${major} is one of the two supported releases (${current.join(', ')})` };
  const newest = current[0];
  if (newest && majorKey(major) > majorKey(newest)) {
    return { major, supported: true, current, reason: `Go ${major} is newer than the newest release binlens knows (${newest})` };
  }
  const superseded = released.find((r) => majorKey(r.major) === majorKey(major) + 2);
  return {
    major,
    supported: false,
    current,
    reason: `Go ${major} is no longer supported${superseded ? ` since Go ${superseded.major} (${superseded.released})` : ''}; supported releases are ${current.join(' and ')}`,
  };
}

// runtime.buildVersion as the linker writes it: `go1.N[.P][rcN|betaN]`,
// optionally a ` X:experiment` suffix, or a `devel go1.N-hash date` string.
const VERSION_TEXT = /^(?:devel )?go1\.\d+(?:\.\d+)?(?:(?:rc|beta)\d+)?(?:[-+ ][\x20-\x7e]{0,200})?$/;
const GO1 = new Uint8Array([0x67, 0x6f, 0x31, 0x2e]); // "go1."
const DEVEL = [0x64, 0x65, 0x76, 0x65, 0x6c, 0x20]; // "devel "
const MAX_VERSION_CANDIDATES = 64;

/**
 * runtime.buildVersion of a Go binary without build info: through its symbol
 * when the symbol table has it, else by finding a string header {data, len}
 * in writable data whose bytes in read-only data are exactly a Go version
 * string. Only an unambiguous result (one distinct string) is returned.
 */
export function findBuildVersion(image: Image, mem: GoMemory, symbols?: SymbolRow[]): { version: string; source: string } | null {
  const sym = symbols?.find((s) => s.defined && (s.name === 'runtime.buildVersion' || s.name === '_runtime.buildVersion'));
  if (sym && sym.address !== null) {
    try {
      const span = goString(mem, sym.address, 'runtime.buildVersion');
      if (span) {
        const v = image.reader.utf8(span.offset, span.length, 'runtime.buildVersion');
        if (VERSION_TEXT.test(v)) return { version: v, source: 'runtime.buildVersion (symbol)' };
      }
    } catch (e) {
      if (!(e instanceof FormatError)) throw e;
    }
  }
  const found = new Set<string>();
  let tried = 0;
  for (const seg of mem.segments) {
    // String data is read-only; Mach-O keeps Go's __rodata in the executable __TEXT segment.
    if (seg.writable) continue;
    const hay = image.reader.bytes(seg.offset, seg.fileSize, 'segment');
    for (let i = findBytes(hay, GO1); i !== -1 && tried < MAX_VERSION_CANDIDATES; i = findBytes(hay, GO1, i + 1)) {
      tried++;
      const starts = [i];
      if (i >= DEVEL.length && DEVEL.every((b, k) => hay[i - DEVEL.length + k] === b)) starts.push(i - DEVEL.length);
      for (const start of starts) {
        const address = seg.address + BigInt(start);
        for (const header of mem.findPointers(address, 4)) {
          const len = mem.word(header + BigInt(mem.ptrSize));
          if (len === null || len < 5n || len > 256n || start + Number(len) > hay.length) continue;
          const text = image.reader.utf8(seg.offset + start, Number(len), 'runtime.buildVersion');
          if (VERSION_TEXT.test(text)) found.add(text);
        }
      }
    }
  }
  if (found.size === 1) return { version: [...found][0]!, source: 'runtime.buildVersion (string header in data)' };
  return null;
}
