// LC_DYLD_CHAINED_FIXUPS (<mach-o/fixup-chains.h>): a header, the imports
// table, and per segment the page starts of chains of fixups threaded
// through the pointers themselves. Each pointer holds the distance to the
// next one, so walking a chain reads the segment data. Chains never leave
// their page (dyld's page-in linking works page by page): a `next` that runs
// past the page, or past the segment's file data, ends the walk with an error,
// and a cap bounds the total.

import { FormatError, LimitError, StringBudget, type Problems, type Reader, hex } from '../reader.ts';
import type { MachImage } from './loader.ts';

export const DYLD_CHAINED_IMPORT = 1;
export const DYLD_CHAINED_IMPORT_ADDEND = 2;
export const DYLD_CHAINED_IMPORT_ADDEND64 = 3;
export const DYLD_CHAINED_SYMBOL_UNCOMPRESSED = 0;
export const DYLD_CHAINED_SYMBOL_ZLIB = 1;

export const DYLD_CHAINED_PTR_START_NONE = 0xffff;
export const DYLD_CHAINED_PTR_START_MULTI = 0x8000;
export const DYLD_CHAINED_PTR_START_LAST = 0x8000;

export const DYLD_CHAINED_PTR_ARM64E = 1;
export const DYLD_CHAINED_PTR_64 = 2;
export const DYLD_CHAINED_PTR_32 = 3;
export const DYLD_CHAINED_PTR_32_CACHE = 4;
export const DYLD_CHAINED_PTR_32_FIRMWARE = 5;
export const DYLD_CHAINED_PTR_64_OFFSET = 6;
export const DYLD_CHAINED_PTR_ARM64E_KERNEL = 7;
export const DYLD_CHAINED_PTR_64_KERNEL_CACHE = 8;
export const DYLD_CHAINED_PTR_ARM64E_USERLAND = 9;
export const DYLD_CHAINED_PTR_ARM64E_FIRMWARE = 10;
export const DYLD_CHAINED_PTR_X86_64_KERNEL_CACHE = 11;
export const DYLD_CHAINED_PTR_ARM64E_USERLAND24 = 12;
export const DYLD_CHAINED_PTR_ARM64E_SHARED_CACHE = 13;
export const DYLD_CHAINED_PTR_ARM64E_SEGMENTED = 14;

const POINTER_FORMAT_NAMES = new Map<number, string>([
  [1, 'DYLD_CHAINED_PTR_ARM64E'],
  [2, 'DYLD_CHAINED_PTR_64'],
  [3, 'DYLD_CHAINED_PTR_32'],
  [4, 'DYLD_CHAINED_PTR_32_CACHE'],
  [5, 'DYLD_CHAINED_PTR_32_FIRMWARE'],
  [6, 'DYLD_CHAINED_PTR_64_OFFSET'],
  [7, 'DYLD_CHAINED_PTR_ARM64E_KERNEL'],
  [8, 'DYLD_CHAINED_PTR_64_KERNEL_CACHE'],
  [9, 'DYLD_CHAINED_PTR_ARM64E_USERLAND'],
  [10, 'DYLD_CHAINED_PTR_ARM64E_FIRMWARE'],
  [11, 'DYLD_CHAINED_PTR_X86_64_KERNEL_CACHE'],
  [12, 'DYLD_CHAINED_PTR_ARM64E_USERLAND24'],
  [13, 'DYLD_CHAINED_PTR_ARM64E_SHARED_CACHE'],
  [14, 'DYLD_CHAINED_PTR_ARM64E_SEGMENTED'],
]);

export function pointerFormatName(format: number): string {
  return POINTER_FORMAT_NAMES.get(format) ?? `DYLD_CHAINED_PTR_${format}`;
}

/** Most fixups binlens walks in one image. */
export const MAX_CHAINED_FIXUPS = 8_000_000;

export interface ChainedFixupsHeader {
  fixups_version: number;
  starts_offset: number;
  imports_offset: number;
  symbols_offset: number;
  imports_count: number;
  imports_format: number;
  symbols_format: number;
}

export interface ChainedImport {
  /** Signed: 1.. a dylib, 0 self, -1 main executable, -2 flat lookup, -3 weak lookup. */
  lib_ordinal: number;
  weak_import: boolean;
  name_offset: number;
  /** Null when the symbol pool is compressed or the offset is bad. */
  name: string | null;
  addend: bigint;
}

export interface ChainedStartsInSegment {
  segIndex: number;
  /** Offset of this struct from the start of dyld_chained_starts_in_image. */
  seg_info_offset: number;
  size: number;
  page_size: number;
  pointer_format: number;
  segment_offset: bigint;
  max_valid_pointer: number;
  page_count: number;
  page_start: number[];
}

export interface ChainCounts {
  rebases: number;
  binds: number;
  authRebases: number;
  authBinds: number;
}

export interface ChainedFixups {
  header: ChainedFixupsHeader;
  seg_info_offset: number[];
  starts: ChainedStartsInSegment[];
  imports: ChainedImport[];
  counts: ChainCounts;
  pointerFormats: number[];
}

/** Stride of `next` in bytes, per pointer format (fixup-chains.h comments). */
function stride(format: number): number {
  switch (format) {
    case DYLD_CHAINED_PTR_ARM64E:
    case DYLD_CHAINED_PTR_ARM64E_USERLAND:
    case DYLD_CHAINED_PTR_ARM64E_USERLAND24:
    case DYLD_CHAINED_PTR_ARM64E_SHARED_CACHE:
      return 8;
    case DYLD_CHAINED_PTR_X86_64_KERNEL_CACHE:
      return 1;
    default:
      return 4;
  }
}

function pointerSize(format: number): number {
  return format === DYLD_CHAINED_PTR_32 || format === DYLD_CHAINED_PTR_32_CACHE || format === DYLD_CHAINED_PTR_32_FIRMWARE ? 4 : 8;
}

type Fixup = { kind: 'rebase' | 'bind' | 'auth-rebase' | 'auth-bind' | 'non-pointer'; next: number; ordinal?: number };

/** Decodes one chained value; `v` is the 32- or 64-bit pointer as stored. */
function decode(format: number, v: bigint, maxValid: number): Fixup {
  const bit = (n: bigint): boolean => ((v >> n) & 1n) === 1n;
  const bits = (lo: bigint, width: bigint): number => Number((v >> lo) & ((1n << width) - 1n));
  switch (format) {
    case DYLD_CHAINED_PTR_ARM64E:
    case DYLD_CHAINED_PTR_ARM64E_KERNEL:
    case DYLD_CHAINED_PTR_ARM64E_USERLAND:
    case DYLD_CHAINED_PTR_ARM64E_FIRMWARE:
    case DYLD_CHAINED_PTR_ARM64E_USERLAND24: {
      // auth:1 @63, bind:1 @62, next:11 @51; bind ordinal 16 bits (24 for USERLAND24).
      const auth = bit(63n);
      const bind = bit(62n);
      const next = bits(51n, 11n);
      const ordinal = bind ? bits(0n, format === DYLD_CHAINED_PTR_ARM64E_USERLAND24 ? 24n : 16n) : undefined;
      return { kind: bind ? (auth ? 'auth-bind' : 'bind') : auth ? 'auth-rebase' : 'rebase', next, ordinal };
    }
    case DYLD_CHAINED_PTR_64:
    case DYLD_CHAINED_PTR_64_OFFSET: {
      // bind:1 @63, next:12 @51, bind ordinal 24 bits.
      const bind = bit(63n);
      return { kind: bind ? 'bind' : 'rebase', next: bits(51n, 12n), ordinal: bind ? bits(0n, 24n) : undefined };
    }
    case DYLD_CHAINED_PTR_64_KERNEL_CACHE:
    case DYLD_CHAINED_PTR_X86_64_KERNEL_CACHE:
      // isAuth:1 @63, next:12 @51; rebases only.
      return { kind: bit(63n) ? 'auth-rebase' : 'rebase', next: bits(51n, 12n) };
    case DYLD_CHAINED_PTR_ARM64E_SHARED_CACHE:
      // auth:1 @63, next:11 @52.
      return { kind: bit(63n) ? 'auth-rebase' : 'rebase', next: bits(52n, 11n) };
    case DYLD_CHAINED_PTR_ARM64E_SEGMENTED:
      // Two 32-bit words; in the high one auth:1 @31, next:12 @19.
      return { kind: bit(63n) ? 'auth-rebase' : 'rebase', next: bits(51n, 12n) };
    case DYLD_CHAINED_PTR_32: {
      // bind:1 @31, next:5 @26; a rebase target above max_valid_pointer is
      // a non-pointer value folded into the chain (fixup-chains.h).
      const bind = bit(31n);
      const next = bits(26n, 5n);
      if (bind) return { kind: 'bind', next, ordinal: bits(0n, 20n) };
      if (maxValid && bits(0n, 26n) > maxValid) return { kind: 'non-pointer', next };
      return { kind: 'rebase', next };
    }
    case DYLD_CHAINED_PTR_32_CACHE:
      return { kind: 'rebase', next: bits(30n, 2n) };
    case DYLD_CHAINED_PTR_32_FIRMWARE:
      return { kind: 'rebase', next: bits(26n, 6n) };
    default:
      throw new Error(`unreachable pointer format ${format}`);
  }
}

const KNOWN_FORMATS = new Set(POINTER_FORMAT_NAMES.keys());

function readChainedFixups(slice: Reader, data: Reader, img: MachImage, problems: Problems): ChainedFixups | null {
  const F = 'dyld_chained_fixups_header';
  try {
    data.check(0, 28, F);
  } catch (e) {
    problems.error(e);
    return null;
  }
  const header: ChainedFixupsHeader = {
    fixups_version: data.u32(0, `${F}.fixups_version`),
    starts_offset: data.u32(4, `${F}.starts_offset`),
    imports_offset: data.u32(8, `${F}.imports_offset`),
    symbols_offset: data.u32(12, `${F}.symbols_offset`),
    imports_count: data.u32(16, `${F}.imports_count`),
    imports_format: data.u32(20, `${F}.imports_format`),
    symbols_format: data.u32(24, `${F}.symbols_format`),
  };
  const result: ChainedFixups = {
    header,
    seg_info_offset: [],
    starts: [],
    imports: [],
    counts: { rebases: 0, binds: 0, authRebases: 0, authBinds: 0 },
    pointerFormats: [],
  };
  if (header.fixups_version !== 0) {
    // An unknown version is unsupported, not malformed: say so and read nothing more.
    problems.warn(`LC_DYLD_CHAINED_FIXUPS: fixups_version ${header.fixups_version} is not supported (only 0 is defined)`);
    return result;
  }
  problems.try(() => readImports(data, header, result, problems), undefined);
  problems.try(() => readStarts(data, header, img, result), undefined);
  problems.try(() => walkChains(slice, data, img, result), undefined);
  return result;
}

function readImports(data: Reader, h: ChainedFixupsHeader, out: ChainedFixups, problems: Problems): void {
  const size =
    h.imports_format === DYLD_CHAINED_IMPORT
      ? 4
      : h.imports_format === DYLD_CHAINED_IMPORT_ADDEND
        ? 8
        : h.imports_format === DYLD_CHAINED_IMPORT_ADDEND64
          ? 16
          : 0;
  if (!size)
    throw new FormatError(
      `dyld_chained_fixups_header.imports_format ${h.imports_format} is unknown`,
      data.base + 20,
      'dyld_chained_fixups_header.imports_format',
      h.imports_format,
    );
  data.checkTable(h.imports_offset, h.imports_count, size, 'dyld_chained_import');
  const compressed = h.symbols_format === DYLD_CHAINED_SYMBOL_ZLIB;
  if (compressed) problems.warn('LC_DYLD_CHAINED_FIXUPS: symbol names are zlib-compressed (symbols_format 1); import names are not shown');
  else if (h.symbols_format !== DYLD_CHAINED_SYMBOL_UNCOMPRESSED)
    problems.warn(`LC_DYLD_CHAINED_FIXUPS: unknown symbols_format ${h.symbols_format}; import names are not shown`);
  const pool =
    !compressed && h.symbols_format === 0 && h.symbols_offset < data.length
      ? data.sub(h.symbols_offset, data.length - h.symbols_offset)
      : null;
  const budget = pool ? new StringBudget(pool.length) : null;
  let bad = 0;
  for (let i = 0; i < h.imports_count; i++) {
    const at = h.imports_offset + i * size;
    let lib_ordinal: number;
    let weak_import: boolean;
    let name_offset: number;
    let addend = 0n;
    if (size === 16) {
      const v = data.u64(at, 'dyld_chained_import_addend64');
      // lib_ordinal:16 is signed the same way as the 8-bit one: 0xFFF1..0xFFFF are the specials.
      const raw = Number(v & 0xffffn);
      lib_ordinal = raw >= 0xfff0 ? raw - 0x10000 : raw;
      weak_import = ((v >> 16n) & 1n) === 1n;
      name_offset = Number(v >> 32n);
      addend = data.u64(at + 8, 'dyld_chained_import_addend64.addend');
    } else {
      const v = data.u32(at, 'dyld_chained_import');
      const raw = v & 0xff;
      // 8-bit lib_ordinal: 0xF0..0xFF are negative (fixup-chains.h: -15 .. 240).
      lib_ordinal = raw >= 0xf0 ? raw - 0x100 : raw;
      weak_import = ((v >>> 8) & 1) === 1;
      name_offset = v >>> 9;
      if (size === 8) addend = BigInt(data.i32(at + 4, 'dyld_chained_import_addend.addend'));
    }
    let name: string | null = null;
    if (pool) {
      if (name_offset < pool.length) name = budget!.cstring(pool, name_offset, pool.length - name_offset, 'dyld_chained_import.name').value;
      else bad++;
    }
    out.imports.push({ lib_ordinal, weak_import, name_offset, name, addend });
  }
  if (bad)
    problems.error(
      new FormatError(
        `LC_DYLD_CHAINED_FIXUPS: ${bad} imports have a name_offset past the symbol pool`,
        data.base + h.symbols_offset,
        'dyld_chained_import.name_offset',
        bad,
      ),
    );
}

function readStarts(data: Reader, h: ChainedFixupsHeader, img: MachImage, out: ChainedFixups): void {
  const S = 'dyld_chained_starts_in_image';
  const base = h.starts_offset;
  const seg_count = data.u32(base, `${S}.seg_count`);
  data.checkTable(base + 4, seg_count, 4, `${S}.seg_info_offset`);
  if (seg_count > img.segments.length) {
    throw new FormatError(
      `${S}.seg_count ${seg_count} exceeds the ${img.segments.length} segments of the image`,
      data.base + base,
      `${S}.seg_count`,
      seg_count,
    );
  }
  for (let i = 0; i < seg_count; i++) out.seg_info_offset.push(data.u32(base + 4 + i * 4, `${S}.seg_info_offset`));
  const T = 'dyld_chained_starts_in_segment';
  for (let i = 0; i < seg_count; i++) {
    const off = out.seg_info_offset[i]!;
    if (off === 0) continue;
    const at = base + off;
    data.check(at, 22, T);
    const size = data.u32(at, `${T}.size`);
    const page_count = data.u16(at + 20, `${T}.page_count`);
    // size covers the struct, page_start[] and any chain_starts[] after it.
    if (size < 22 + page_count * 2 || !data.has(at, size)) {
      throw new FormatError(
        `${T} for segment ${i}: size ${size} cannot hold ${page_count} page starts or runs past the data`,
        data.base + at,
        `${T}.size`,
        size,
      );
    }
    const page_start: number[] = [];
    for (let p = 0; p < page_count; p++) page_start.push(data.u16(at + 22 + p * 2, `${T}.page_start`));
    const s: ChainedStartsInSegment = {
      segIndex: i,
      seg_info_offset: off,
      size,
      page_size: data.u16(at + 4, `${T}.page_size`),
      pointer_format: data.u16(at + 6, `${T}.pointer_format`),
      segment_offset: data.u64(at + 8, `${T}.segment_offset`),
      max_valid_pointer: data.u32(at + 16, `${T}.max_valid_pointer`),
      page_count,
      page_start,
    };
    out.starts.push(s);
    if (!out.pointerFormats.includes(s.pointer_format)) out.pointerFormats.push(s.pointer_format);
  }
}

/** Page-relative chain starts for page `p`, reading chain_starts[] for DYLD_CHAINED_PTR_START_MULTI. */
function pageStarts(data: Reader, startsBase: number, s: ChainedStartsInSegment, p: number): number[] {
  const v = s.page_start[p]!;
  if (v === DYLD_CHAINED_PTR_START_NONE) return [];
  if (!(v & DYLD_CHAINED_PTR_START_MULTI) || pointerSize(s.pointer_format) === 8) return [v];
  // Multiple starts (32-bit formats only): an index into chain_starts[], which
  // follows page_start[]; the list ends at an entry with START_LAST, or at `size`.
  const at = startsBase + s.seg_info_offset + 22 + s.page_count * 2;
  const end = startsBase + s.seg_info_offset + s.size;
  const out: number[] = [];
  for (let i = v & ~DYLD_CHAINED_PTR_START_MULTI; ; i++) {
    const o = at + i * 2;
    if (o + 2 > end)
      throw new FormatError(`chain_starts for page ${p} run past dyld_chained_starts_in_segment.size`, data.base + o, 'chain_starts', i);
    const e = data.u16(o, 'chain_starts');
    out.push(e & ~DYLD_CHAINED_PTR_START_LAST);
    if (e & DYLD_CHAINED_PTR_START_LAST) return out;
  }
}

function walkChains(slice: Reader, data: Reader, img: MachImage, out: ChainedFixups): void {
  let total = 0;
  let badOrdinals = 0;
  for (const s of out.starts) {
    const seg = img.segments[s.segIndex]!;
    if (!KNOWN_FORMATS.has(s.pointer_format)) {
      throw new FormatError(
        `segment ${seg.segname}: unknown pointer_format ${s.pointer_format}`,
        data.base,
        'dyld_chained_starts_in_segment.pointer_format',
        s.pointer_format,
      );
    }
    if (s.page_size === 0)
      throw new FormatError(`segment ${seg.segname}: page_size 0`, data.base, 'dyld_chained_starts_in_segment.page_size', 0);
    const psize = pointerSize(s.pointer_format);
    const step = stride(s.pointer_format);
    for (let p = 0; p < s.page_count; p++) {
      for (const start of pageStarts(data, out.header.starts_offset, s, p)) {
        let inPage = start;
        for (;;) {
          const segOff = p * s.page_size + inPage;
          const where = `segment ${seg.segname} page ${p} offset ${hex(inPage)}`;
          if (inPage + psize > s.page_size && psize <= s.page_size) {
            throw new FormatError(
              `chained fixup at ${where} runs past the page (the chain does not end inside its page)`,
              slice.base + seg.fileoff + segOff,
              'chained_fixup.next',
              inPage,
            );
          }
          if (segOff + psize > seg.filesize) {
            throw new FormatError(
              `chained fixup at ${where} lies past the segment's file data (${hex(seg.filesize)})`,
              slice.base + seg.fileoff + Math.min(segOff, seg.filesize),
              'chained_fixup.next',
              segOff,
            );
          }
          if (++total > MAX_CHAINED_FIXUPS)
            throw new LimitError(
              `more than ${MAX_CHAINED_FIXUPS} chained fixups`,
              slice.base + seg.fileoff + segOff,
              'chained_fixup',
              total,
            );
          const raw =
            psize === 8 ? slice.u64(seg.fileoff + segOff, 'chained_fixup') : BigInt(slice.u32(seg.fileoff + segOff, 'chained_fixup'));
          const fx = decode(s.pointer_format, raw, s.max_valid_pointer);
          if (fx.kind === 'rebase') out.counts.rebases++;
          else if (fx.kind === 'auth-rebase') out.counts.authRebases++;
          else if (fx.kind === 'bind') out.counts.binds++;
          else if (fx.kind === 'auth-bind') out.counts.authBinds++;
          if (fx.ordinal !== undefined && fx.ordinal >= out.imports.length) badOrdinals++;
          if (fx.next === 0) break;
          inPage += fx.next * step;
        }
      }
    }
  }
  if (badOrdinals) {
    throw new FormatError(
      `${badOrdinals} chained binds use an import ordinal past imports_count ${out.imports.length}`,
      data.base + 16,
      'dyld_chained_fixups_header.imports_count',
      out.imports.length,
    );
  }
}

/** Reads the LC_DYLD_CHAINED_FIXUPS payload at [dataoff, dataoff + datasize) of the slice. */
export function chainedFixups(slice: Reader, dataoff: number, datasize: number, img: MachImage, problems: Problems): ChainedFixups | null {
  if (!slice.has(dataoff, datasize)) {
    problems.error(
      new FormatError(
        `LC_DYLD_CHAINED_FIXUPS: ${datasize} bytes at ${hex(dataoff)} run past the end of the file`,
        slice.base + dataoff,
        'LC_DYLD_CHAINED_FIXUPS.datasize',
        datasize,
      ),
    );
    return null;
  }
  return readChainedFixups(slice, slice.sub(dataoff, datasize), img, problems);
}
