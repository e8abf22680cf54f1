// One slice as a loaded image, in typed values: the loadable segments (ELF
// PT_LOAD, Mach-O LC_SEGMENT*), the sections, and the relocations the loader
// applies. Each format builds it from its own headers (elf/, macho/) and hands
// it up as ParsedSlice.image; analyses that work the same on ELF and Mach-O
// (Go build info and function tables, the ARM64 scan) read through it, so
// nothing reads addresses back out of the report's strings.

import type { Reader } from './reader.ts';
import type { SliceReport } from '../report/types.ts';

/** A loadable segment as the loader maps it. */
export interface ImageLoad {
  /** Its row in the report's `segments` (which names it for people). */
  row: number;
  /**
   * The sections it holds, as indexes into `Image.sections`: ELF, the section-to-segment mapping readelf -l prints
   * (none when the parser left the mapping out for forged counts); Mach-O, the sections whose segname is its name.
   */
  sections: number[];
  vaddr: bigint;
  /** Slice-relative file offset. */
  offset: number;
  filesz: number;
  memsz: number;
  r: boolean;
  w: boolean;
  x: boolean;
}

export interface ImageSection {
  name: string;
  /** Mach-O segment name; "" for ELF. */
  segment: string;
  addr: bigint;
  /** Slice-relative file offset (0 for a Mach-O zero-fill section). */
  offset: number;
  size: number;
  /** No bytes in the file: ELF SHT_NOBITS, Mach-O zero-fill. */
  nobits: boolean;
  /** Code as llvm-objdump -d takes it: ELF SHF_EXECINSTR, Mach-O S_ATTR_PURE_INSTRUCTIONS. */
  code: boolean;
  /** Holds any instructions: `code`, or Mach-O S_ATTR_SOME_INSTRUCTIONS. */
  instructions: boolean;
  /** Occupies addresses in the loaded image: ELF SHF_ALLOC; every Mach-O section. */
  alloc: boolean;
}

/** A dynamic relocation (ELF RELA or REL). */
export interface Relocation {
  /** Address of the word the loader writes (r_offset). */
  offset: bigint;
  type: number;
  /** Symbol index; 0 for a base-relative relocation. */
  symbol: number;
  /** r_addend; null for REL, whose addend is the word in the file. */
  addend: bigint | null;
}

export interface Image {
  /** Which loader maps it: the kernel and ld.so (ELF program headers) or dyld (Mach-O segment commands). */
  format: 'elf' | 'macho';
  report: SliceReport;
  /** The slice's bytes. */
  reader: Reader;
  loads: ImageLoad[];
  sections: ImageSection[];
  /**
   * ELF: the first PT_GNU_STACK (its row in the report's `segments`, and whether it asks for an executable stack),
   * null without one; null for Mach-O, whose header flags say it (MH_ALLOW_STACK_EXECUTION).
   */
  stack: { row: number; x: boolean } | null;
  /** Dynamic relocations, read on the first call and kept; empty for Mach-O (dyld's rebases leave the pointer in the file). */
  relocations(): Relocation[];
  /** Bytes of the named section (`.text`, `__text`; `segment` disambiguates Mach-O), or null. */
  section(name: string, segment?: string): Uint8Array | null;
  /** Up to `length` file-backed bytes starting at virtual address `address`, or null when unmapped. */
  readAt(address: bigint, length: number): Uint8Array | null;
  /** File offset (slice-relative) of a virtual address, or null. */
  offsetOf(address: bigint): number | null;
}

/** Bytes of a section, or null when it has none in the file or the file does not hold them all. */
export function sectionBytes(reader: Reader, s: ImageSection): Uint8Array | null {
  if (s.nobits) return null;
  return reader.has(s.offset, s.size) ? reader.bytes(s.offset, s.size) : null;
}

export function makeImage(
  format: Image['format'],
  report: SliceReport,
  reader: Reader,
  loads: ImageLoad[],
  sections: ImageSection[],
  readRelocations: () => Relocation[] = () => [],
  stack: Image['stack'] = null,
): Image {
  const backed = loads.filter((l) => l.filesz > 0);
  let relocs: Relocation[] | null = null;
  return {
    format,
    report,
    reader,
    loads,
    sections,
    stack,
    relocations: () => (relocs ??= readRelocations()),
    offsetOf(address) {
      for (const l of backed) {
        if (address >= l.vaddr && address < l.vaddr + BigInt(l.filesz)) return l.offset + Number(address - l.vaddr);
      }
      return null;
    },
    section(name, segment) {
      const s = sections.find((x) => x.name === name && (segment === undefined || x.segment === segment));
      return s ? sectionBytes(reader, s) : null;
    },
    readAt(address, length) {
      for (const l of backed) {
        if (address >= l.vaddr && address < l.vaddr + BigInt(l.filesz)) {
          const rel = Number(address - l.vaddr);
          const n = Math.min(length, l.filesz - rel, reader.remaining(l.offset + rel));
          return n > 0 ? reader.bytes(l.offset + rel, n) : null;
        }
      }
      return null;
    },
  };
}
