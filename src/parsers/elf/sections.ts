// Section headers (gABI "Sections") and string tables.

import { FormatError, MemorySource, Reader, StringBudget, hex, type Problems } from '../reader.ts';
import {
  PT_DYNAMIC,
  PT_GNU_EH_FRAME,
  PT_GNU_MBIND_HI,
  PT_GNU_MBIND_LO,
  PT_GNU_RELRO,
  PT_GNU_SFRAME,
  PT_GNU_STACK,
  PT_LOAD,
  PT_NOTE,
  PT_PHDR,
  PT_TLS,
  SHF_ALLOC,
  SHF_TLS,
  SHT_NOBITS,
  SHT_STRTAB,
} from './constants.ts';
import { SHDR32_SIZE, SHDR64_SIZE, tableEntries, type ElfHeader } from './header.ts';
import type { ProgramHeader } from './program.ts';

export interface SectionHeader {
  index: number;
  /** File offset of this header. */
  at: number;
  name: string;
  sh_name: number;
  sh_type: number;
  sh_flags: bigint;
  sh_addr: bigint;
  sh_offset: number;
  sh_size: number;
  sh_link: number;
  sh_info: number;
  sh_addralign: bigint;
  sh_entsize: number;
}

/** Upper bound on section headers read (gigantic object files with -ffunction-sections reach ~10^6). */
export const MAX_SHNUM = 4_000_000;

/**
 * A copy of part of a file that still answers to file offsets, so a Reader
 * over it reports errors where the bytes are in the file. Reader reads a
 * MemorySource directly (one DataView), which is what makes the copy pay.
 */
class CopiedWindow extends MemorySource {
  constructor(
    private readonly copy: Uint8Array,
    private readonly start: number,
  ) {
    super(copy);
    // Reader checks a window against the source's size: the copy ends where it ends in the file.
    Object.defineProperty(this, 'size', { value: start + copy.byteLength });
  }
  override read(offset: number, length: number): Uint8Array {
    return this.copy.subarray(offset - this.start, offset - this.start + length);
  }
}

/** Largest table copied out of a chunked source (see tableReader). */
const MAX_TABLE_COPY = 256 << 20;

/**
 * A Reader over [offset, offset + length) of `r`; its offsets start at 0 and
 * its errors carry file offsets. Over an in-memory file it is a plain window.
 * Over a chunked source (a Blob in the worker) the bytes are copied once:
 * symbol and string tables are then read field by field, and a chunk lookup
 * per field would cost more than the copy.
 */
export function tableReader(r: Reader, offset: number, length: number, field: string): Reader {
  r.check(offset, length, field);
  if (r.source instanceof MemorySource || length > MAX_TABLE_COPY) return r.sub(offset, length);
  const start = r.base + offset;
  return new Reader(new CopiedWindow(r.bytes(offset, length, field).slice(), start), r.littleEndian, start, length);
}

/**
 * A string table (SHT_STRTAB or DT_STRTAB): offsets outside it, and strings
 * that run off its end, are FormatErrors naming the table and the offset.
 */
export class StringTable {
  private constructor(
    /** The table's bytes: offsets are string table indices. */
    private readonly r: Reader,
    /** File offset of the table. */
    readonly offset: number,
    readonly size: number,
    readonly field: string,
  ) {}

  static of(r: Reader, offset: number, size: number, field: string): StringTable {
    // Clamp a table that runs off the end of the file: strings before the end still read.
    const usable = Math.max(0, Math.min(size, r.remaining(offset)));
    const at = Math.min(Math.max(0, offset), r.length);
    return new StringTable(tableReader(r, at, usable, field), r.base + offset, usable, field);
  }

  /** The string at `index`. `field` names it in errors; a function is called only when there is one. */
  get(index: number, field: string | (() => string) = this.field): string {
    return this.read(index, field, true)!;
  }

  /**
   * What get(index) would throw, thrown the same way and counted against the
   * same budget, without decoding the string: for names that are checked but
   * not kept (the exports of a library with tens of thousands).
   */
  check(index: number, field: string | (() => string) = this.field): void {
    this.read(index, field, false);
  }

  /** get() and check(): the string at `index` (null when not `decode`), or the FormatError that says why it is not one. */
  private read(index: number, field: string | (() => string), decode: boolean): string | null {
    const name = () => (typeof field === 'string' ? field : field());
    if (!Number.isSafeInteger(index) || index < 0 || index >= this.size) {
      const f = name();
      throw new FormatError(
        `${f}: string offset ${hex(index)} is outside ${this.field} (${this.size} bytes at ${hex(this.offset)})`,
        this.offset,
        f,
        index,
      );
    }
    // In range, so the read itself cannot fail: the table's own name stands in for the field.
    const budget = (this.budget ??= new StringBudget(this.size));
    const s = decode
      ? budget.cstring(this.r, index, this.size - index, this.field)
      : budget.span(this.r, index, this.size - index, this.field);
    if (s.truncated && !s.cut) {
      const f = name();
      throw new FormatError(`${f}: string at offset ${hex(index)} of ${this.field} has no terminating NUL`, this.offset + index, f, index);
    }
    return 'value' in s ? (s.value as string) : null;
  }

  private view: Uint8Array | null = null;
  private budget: StringBudget | null = null;

  /** Whether the string at `index` starts with `prefix` (ASCII), without decoding it: cheap tests on huge tables. */
  startsWith(index: number, prefix: string): boolean {
    if (index < 0 || index + prefix.length > this.size) return false;
    const b = (this.view ??= this.r.bytes(0, this.size, this.field));
    for (let i = 0; i < prefix.length; i++) {
      if (b[index + i] !== prefix.charCodeAt(i)) return false;
    }
    return true;
  }
}

export function readSectionHeaders(r: Reader, h: ElfHeader, problems: Problems): SectionHeader[] {
  if (h.e_shoff === 0 || h.e_shnum === 0) return [];
  const size = h.is64 ? SHDR64_SIZE : SHDR32_SIZE;
  const count = tableEntries(r, problems, { field: 'e_shnum', offset: h.e_shoff, count: h.e_shnum, size, max: MAX_SHNUM });
  const out: SectionHeader[] = [];
  for (let i = 0; i < count; i++) {
    const at = h.e_shoff + i * size;
    const sh = problems.try(() => readOne(r, h.is64, at, i), null);
    // Keep indices aligned with the file even when one header is unreadable.
    out.push(sh ?? emptySection(i, at));
  }
  // Names come from the section name string table, e_shstrndx.
  const strndx = h.e_shstrndx;
  const shstr = strndx !== 0 && strndx < out.length ? out[strndx] : undefined;
  if (strndx !== 0 && !shstr) {
    problems.error(
      new FormatError(`e_shstrndx ${strndx} is not a section index (${out.length} sections)`, h.e_shoff, 'e_shstrndx', strndx),
    );
  }
  if (shstr) {
    const names = StringTable.of(r, shstr.sh_offset, shstr.sh_type === SHT_NOBITS ? 0 : shstr.sh_size, '.shstrtab');
    checkStringTable(r, shstr, problems);
    for (const s of out) {
      if (s.index === 0 && s.sh_name === 0) continue;
      s.name = problems.try(() => names.get(s.sh_name, `sh_name[${s.index}]`), '');
    }
  }
  // Contents past the end of the file (llvm-readobj: "has a sh_offset … + sh_size … that is greater than the file size").
  for (const s of out) {
    if (s.index === 0 || s.sh_type === SHT_NOBITS || s.sh_size === 0) continue;
    if (s.sh_offset + s.sh_size > r.length) {
      problems.error(
        new FormatError(
          `section [${s.index}] ${s.name || '(unnamed)'}: sh_offset ${hex(s.sh_offset)} + sh_size ${hex(s.sh_size)} runs past the end of the file (${hex(r.length)})`,
          s.at + (h.is64 ? 24 : 16),
          'sh_offset',
          s.sh_offset,
        ),
      );
    }
  }
  return out;
}

/** A SHT_STRTAB section must end in NUL, or its last string runs into whatever follows (gABI "String Table"). */
export function checkStringTable(r: Reader, s: SectionHeader, problems: Problems): void {
  if (s.sh_type !== SHT_STRTAB || s.sh_size === 0 || !r.has(s.sh_offset, s.sh_size)) return;
  if (r.u8(s.sh_offset + s.sh_size - 1, 'SHT_STRTAB') !== 0) {
    problems.error(
      new FormatError(
        `string table section [${s.index}] ${s.name || '(unnamed)'} does not end in a NUL byte`,
        s.sh_offset + s.sh_size - 1,
        'SHT_STRTAB',
        s.index,
      ),
    );
  }
}

function emptySection(index: number, at: number): SectionHeader {
  return {
    index,
    at,
    name: '',
    sh_name: 0,
    sh_type: 0,
    sh_flags: 0n,
    sh_addr: 0n,
    sh_offset: 0,
    sh_size: 0,
    sh_link: 0,
    sh_info: 0,
    sh_addralign: 0n,
    sh_entsize: 0,
  };
}

function readOne(r: Reader, is64: boolean, at: number, index: number): SectionHeader {
  if (is64) {
    return {
      index,
      at,
      name: '',
      sh_name: r.u32(at, 'sh_name'),
      sh_type: r.u32(at + 4, 'sh_type'),
      sh_flags: r.u64(at + 8, 'sh_flags'),
      sh_addr: r.u64(at + 16, 'sh_addr'),
      sh_offset: r.u64n(at + 24, 'sh_offset'),
      sh_size: r.u64n(at + 32, 'sh_size'),
      sh_link: r.u32(at + 40, 'sh_link'),
      sh_info: r.u32(at + 44, 'sh_info'),
      sh_addralign: r.u64(at + 48, 'sh_addralign'),
      sh_entsize: r.u64n(at + 56, 'sh_entsize'),
    };
  }
  return {
    index,
    at,
    name: '',
    sh_name: r.u32(at, 'sh_name'),
    sh_type: r.u32(at + 4, 'sh_type'),
    sh_flags: BigInt(r.u32(at + 8, 'sh_flags')),
    sh_addr: BigInt(r.u32(at + 12, 'sh_addr')),
    sh_offset: r.u32(at + 16, 'sh_offset'),
    sh_size: r.u32(at + 20, 'sh_size'),
    sh_link: r.u32(at + 24, 'sh_link'),
    sh_info: r.u32(at + 28, 'sh_info'),
    sh_addralign: BigInt(r.u32(at + 32, 'sh_addralign')),
    sh_entsize: r.u32(at + 36, 'sh_entsize'),
  };
}

const SHF_TLS_BIG = BigInt(SHF_TLS);
const SHF_ALLOC_BIG = BigInt(SHF_ALLOC);
const MAX_SAFE_BIG = BigInt(Number.MAX_SAFE_INTEGER);

/**
 * Whether readelf's "Section to Segment mapping" lists section `s` under
 * segment `p` (binutils include/elf/internal.h, ELF_SECTION_IN_SEGMENT_STRICT
 * minus its .tbss special case). Arithmetic is unsigned 64-bit as in C, so
 * `p_memsz - 1` wraps when p_memsz is 0.
 */
export function sectionInSegment(s: SectionHeader, p: ProgramHeader): boolean {
  const tls = (s.sh_flags & SHF_TLS_BIG) !== 0n;
  const alloc = (s.sh_flags & SHF_ALLOC_BIG) !== 0n;
  const nobits = s.sh_type === SHT_NOBITS;
  const t = p.p_type;
  // .tbss occupies no memory in any segment but PT_TLS.
  if (tls && nobits && t !== PT_TLS) return false;
  // Only PT_LOAD, PT_GNU_RELRO and PT_TLS hold TLS sections; PT_TLS holds only those; PT_PHDR holds none.
  const tlsOk = tls ? t === PT_TLS || t === PT_GNU_RELRO || t === PT_LOAD : t !== PT_TLS && t !== PT_PHDR;
  if (!tlsOk) return false;
  // Loadable kinds of segments only hold SHF_ALLOC sections.
  const loadish =
    t === PT_LOAD ||
    t === PT_DYNAMIC ||
    t === PT_GNU_EH_FRAME ||
    t === PT_GNU_STACK ||
    t === PT_GNU_RELRO ||
    t === PT_GNU_SFRAME ||
    (t >= PT_GNU_MBIND_LO && t <= PT_GNU_MBIND_HI);
  if (!alloc && loadish) return false;
  // Offsets and sizes are safe integers (the reader's limit), so plain
  // numbers do; a size of 0 makes binutils' `size - 1` wrap to the largest
  // value, which no distance exceeds. Addresses stay 64-bit: only their
  // distance, once it is known to be small, becomes a number. (This runs for
  // every section and segment pair: BigInts here cost a second on 4M pairs.)
  const size = !tls || !nobits || t === PT_TLS ? s.sh_size : 0;
  const off = s.sh_offset;
  const poff = p.p_offset;
  const filesz = p.p_filesz;
  const memsz = p.p_memsz;
  // Sections with file contents lie within the segment's file image.
  if (!nobits) {
    if (off < poff) return false;
    if (filesz !== 0 && off - poff > filesz - 1) return false;
    if (off - poff + size > filesz) return false;
  }
  // Allocated sections lie within the segment's memory image.
  let addrDelta = -1;
  if (alloc || ((t === PT_DYNAMIC || t === PT_NOTE) && s.sh_size === 0 && memsz !== 0)) {
    const d = s.sh_addr - p.p_vaddr;
    addrDelta = d < 0n ? -1 : d > MAX_SAFE_BIG ? Number.MAX_SAFE_INTEGER : Number(d);
  }
  if (alloc) {
    if (addrDelta < 0) return false;
    if (memsz !== 0 && addrDelta > memsz - 1) return false;
    if (addrDelta + size > memsz) return false;
  }
  // An empty section at the very start or end of PT_DYNAMIC or PT_NOTE does not belong to it.
  if ((t === PT_DYNAMIC || t === PT_NOTE) && s.sh_size === 0 && memsz !== 0) {
    const inFile = nobits || (off > poff && off - poff < filesz);
    const inMem = !alloc || (addrDelta > 0 && addrDelta < memsz);
    if (!(inFile && inMem)) return false;
  }
  return true;
}
