// A neutral view of one parsed slice as a loaded image: bytes at virtual
// addresses and sections by name. Analyses that work the same on ELF and
// Mach-O (Go build info, function tables, the ARM64 scan) read through this,
// so the search is written once rather than once per format.

import type { Reader } from './reader.ts';
import type { ParsedSlice } from './types.ts';
import type { Section, SliceReport } from '../report/types.ts';

export interface Image {
  report: SliceReport;
  /** The slice's bytes. */
  reader: Reader;
  /** Bytes of the named section (`.text`, `__text`; `segment` disambiguates Mach-O), or null. */
  section(name: string, segment?: string): Uint8Array | null;
  /** Up to `length` file-backed bytes starting at virtual address `address`, or null when unmapped. */
  readAt(address: bigint, length: number): Uint8Array | null;
  /** File offset (slice-relative) of a virtual address, or null. */
  offsetOf(address: bigint): number | null;
}

export function imageOf(slice: ParsedSlice): Image {
  const { report, reader } = slice;
  const loads = report.segments
    .filter((s) => s.fileSize > 0 && (s.type === 'LOAD' || s.type.startsWith('LC_SEGMENT')))
    .map((s) => ({ address: BigInt(s.address), offset: Number(BigInt(s.offset)), fileSize: s.fileSize }));
  const offsetOf = (address: bigint): number | null => {
    for (const l of loads) {
      if (address >= l.address && address < l.address + BigInt(l.fileSize)) return l.offset + Number(address - l.address);
    }
    return null;
  };
  const sectionBytes = (s: Section): Uint8Array | null => {
    const off = Number(BigInt(s.offset));
    if (s.type === 'NOBITS' || s.type === 'S_ZEROFILL' || s.type === 'S_GB_ZEROFILL' || s.type === 'S_THREAD_LOCAL_ZEROFILL') return null;
    return reader.has(off, s.size) ? reader.bytes(off, s.size) : null;
  };
  return {
    report,
    reader,
    offsetOf,
    section(name, segment) {
      const s = report.sections.find((x) => x.name === name && (segment === undefined || x.segment === segment));
      return s ? sectionBytes(s) : null;
    },
    readAt(address, length) {
      for (const l of loads) {
        if (address >= l.address && address < l.address + BigInt(l.fileSize)) {
          const rel = Number(address - l.address);
          const n = Math.min(length, l.fileSize - rel, reader.remaining(l.offset + rel));
          return n > 0 ? reader.bytes(l.offset + rel, n) : null;
        }
      }
      return null;
    },
  };
}
