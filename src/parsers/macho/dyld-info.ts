// LC_DYLD_INFO(_ONLY): the rebase and bind opcode streams (<mach-o/loader.h>
// "compressed dyld info"). Each stream is a small byte-code program; opcodes
// with a repeat count can ask for billions of fixups in three bytes, so every
// bind and rebase must land inside a segment, and the total is capped.
//
// Binds are decoded to one record per bound pointer, as llvm-objdump --bind,
// --lazy-bind and --weak-bind list them. Lazy-bind streams use
// BIND_OPCODE_DONE between entries, so DONE only ends the regular and weak
// streams (dyld's and LLVM's reading).

import { FormatError, LimitError, type Problems, type Reader, hex } from '../reader.ts';
import type { MachImage, MachSegment } from './loader.ts';

export const REBASE_OPCODE_MASK = 0xf0;
export const REBASE_IMMEDIATE_MASK = 0x0f;
export const REBASE_OPCODE_DONE = 0x00;
export const REBASE_OPCODE_SET_TYPE_IMM = 0x10;
export const REBASE_OPCODE_SET_SEGMENT_AND_OFFSET_ULEB = 0x20;
export const REBASE_OPCODE_ADD_ADDR_ULEB = 0x30;
export const REBASE_OPCODE_ADD_ADDR_IMM_SCALED = 0x40;
export const REBASE_OPCODE_DO_REBASE_IMM_TIMES = 0x50;
export const REBASE_OPCODE_DO_REBASE_ULEB_TIMES = 0x60;
export const REBASE_OPCODE_DO_REBASE_ADD_ADDR_ULEB = 0x70;
export const REBASE_OPCODE_DO_REBASE_ULEB_TIMES_SKIPPING_ULEB = 0x80;

export const BIND_OPCODE_MASK = 0xf0;
export const BIND_IMMEDIATE_MASK = 0x0f;
export const BIND_OPCODE_DONE = 0x00;
export const BIND_OPCODE_SET_DYLIB_ORDINAL_IMM = 0x10;
export const BIND_OPCODE_SET_DYLIB_ORDINAL_ULEB = 0x20;
export const BIND_OPCODE_SET_DYLIB_SPECIAL_IMM = 0x30;
export const BIND_OPCODE_SET_SYMBOL_TRAILING_FLAGS_IMM = 0x40;
export const BIND_OPCODE_SET_TYPE_IMM = 0x50;
export const BIND_OPCODE_SET_ADDEND_SLEB = 0x60;
export const BIND_OPCODE_SET_SEGMENT_AND_OFFSET_ULEB = 0x70;
export const BIND_OPCODE_ADD_ADDR_ULEB = 0x80;
export const BIND_OPCODE_DO_BIND = 0x90;
export const BIND_OPCODE_DO_BIND_ADD_ADDR_ULEB = 0xa0;
export const BIND_OPCODE_DO_BIND_ADD_ADDR_IMM_SCALED = 0xb0;
export const BIND_OPCODE_DO_BIND_ULEB_TIMES_SKIPPING_ULEB = 0xc0;
export const BIND_OPCODE_THREADED = 0xd0;
export const BIND_SUBOPCODE_THREADED_SET_BIND_ORDINAL_TABLE_SIZE_ULEB = 0x00;
export const BIND_SUBOPCODE_THREADED_APPLY = 0x01;

export const BIND_SYMBOL_FLAGS_WEAK_IMPORT = 0x1;
export const BIND_SYMBOL_FLAGS_NON_WEAK_DEFINITION = 0x8;

export const BIND_SPECIAL_DYLIB_SELF = 0;
export const BIND_SPECIAL_DYLIB_MAIN_EXECUTABLE = -1;
export const BIND_SPECIAL_DYLIB_FLAT_LOOKUP = -2;
export const BIND_SPECIAL_DYLIB_WEAK_LOOKUP = -3;

/** Most fixups one stream may produce before binlens stops listing them. */
export const MAX_FIXUPS = 4_000_000;

export type BindTable = 'bind' | 'lazy' | 'weak';

export interface BindRecord {
  table: BindTable;
  segIndex: number;
  segOffset: bigint;
  /** Bound pointer's address; null for a weak-bind "strong definition" entry, which binds nothing. */
  address: bigint | null;
  /** BIND_TYPE_POINTER (1), BIND_TYPE_TEXT_ABSOLUTE32 (2), BIND_TYPE_TEXT_PCREL32 (3). */
  type: number;
  addend: bigint;
  /** Dylib ordinal (1-based) or a BIND_SPECIAL_DYLIB_* value (0, -1, -2, -3). */
  ordinal: number;
  symbol: string;
  flags: number;
  /** Weak table: the image has a non-weak definition of `symbol` (BIND_SYMBOL_FLAGS_NON_WEAK_DEFINITION). */
  strong?: boolean;
  /** Bound through a BIND_OPCODE_THREADED chain (arm64e before chained fixups). */
  threaded?: boolean;
  /** Threaded binds: the pointer is signed (bit 63 of the chained value). */
  auth?: boolean;
}

export const BIND_TYPE_NAMES = ['type-0', 'pointer', 'text abs32', 'text rel32'];

function segmentAt(img: MachImage, index: number, stream: Reader, at: number, field: string): MachSegment {
  const seg = img.segments[index];
  if (!seg)
    throw new FormatError(
      `${field}: segment index ${index} out of range (${img.segments.length} segments)`,
      stream.base + at,
      field,
      index,
    );
  return seg;
}

function checkInSegment(seg: MachSegment, offset: bigint, ptrSize: number, stream: Reader, at: number, field: string): void {
  if (offset < 0n || offset + BigInt(ptrSize) > seg.vmsize) {
    throw new FormatError(
      `${field}: offset ${hex(BigInt.asUintN(64, offset))} lies outside segment ${seg.segname} (vmsize ${hex(seg.vmsize)})`,
      stream.base + at,
      field,
      BigInt.asUintN(64, offset),
    );
  }
}

/** Counts the rebases a rebase stream performs, checking each lands inside its segment. */
// eslint-disable-next-line max-lines-per-function -- one loop over the REBASE_OPCODE_* stream with a case per opcode, as dyld's interpreter is written
export function countRebases(s: Reader, img: MachImage, problems: Problems): number {
  const ptrSize = img.header.is64 ? 8 : 4;
  const field = 'rebase';
  // Offsets are kept as numbers: a rebase must land inside a segment, and
  // segment sizes past 2^53 are refused below, so every valid offset is exact.
  let segSize = 0;
  let seg: MachSegment | null = null;
  let offset = 0;
  let count = 0;
  let at = 0;
  const uleb = (): number => {
    const v = s.uleb(at, field);
    at = v.next;
    // Larger than any segment: keep it out of range without losing that fact.
    return v.value > BigInt(Number.MAX_SAFE_INTEGER) ? Number.MAX_SAFE_INTEGER : Number(v.value);
  };
  const outside = (o: number, opAt: number): FormatError =>
    new FormatError(
      `${field}: offset ${hex(o)} lies outside segment ${seg!.segname} (vmsize ${hex(seg!.vmsize)})`,
      s.base + opAt,
      field,
      o,
    );
  // Repeats advance through the segment; bounding each by the segment's size
  // and the total by MAX_FIXUPS keeps a hostile count from spinning.
  const doRebases = (times: number, skip: number, opAt: number): void => {
    if (!seg) throw new FormatError(`${field}: rebase before REBASE_OPCODE_SET_SEGMENT_AND_OFFSET_ULEB`, s.base + opAt, field);
    if (times <= 0) return;
    if (offset < 0 || offset + ptrSize > segSize) throw outside(offset, opAt);
    const last = offset + (times - 1) * (ptrSize + skip);
    if (!Number.isSafeInteger(last) || last + ptrSize > segSize) throw outside(last, opAt);
    if (count + times > MAX_FIXUPS) throw new LimitError(`${field}: more than ${MAX_FIXUPS} rebases`, s.base + opAt, field, count);
    count += times;
    offset += times * (ptrSize + skip);
  };
  try {
    while (at < s.length) {
      const opAt = at;
      const byte = s.u8(at++, field);
      const op = byte & REBASE_OPCODE_MASK;
      const imm = byte & REBASE_IMMEDIATE_MASK;
      switch (op) {
        case REBASE_OPCODE_DONE:
          return count;
        case REBASE_OPCODE_SET_TYPE_IMM:
          break;
        case REBASE_OPCODE_SET_SEGMENT_AND_OFFSET_ULEB:
          seg = segmentAt(img, imm, s, opAt, field);
          if (seg.vmsize > BigInt(Number.MAX_SAFE_INTEGER))
            throw new FormatError(
              `${field}: segment ${seg.segname} vmsize ${hex(seg.vmsize)} is too large`,
              s.base + opAt,
              field,
              seg.vmsize,
            );
          segSize = Number(seg.vmsize);
          offset = uleb();
          break;
        case REBASE_OPCODE_ADD_ADDR_ULEB:
          offset = Math.min(Number.MAX_SAFE_INTEGER, offset + uleb());
          break;
        case REBASE_OPCODE_ADD_ADDR_IMM_SCALED:
          offset += imm * ptrSize;
          break;
        case REBASE_OPCODE_DO_REBASE_IMM_TIMES:
          doRebases(imm, 0, opAt);
          break;
        case REBASE_OPCODE_DO_REBASE_ULEB_TIMES:
          doRebases(uleb(), 0, opAt);
          break;
        case REBASE_OPCODE_DO_REBASE_ADD_ADDR_ULEB: {
          const add = uleb();
          doRebases(1, 0, opAt);
          offset = Math.min(Number.MAX_SAFE_INTEGER, offset + add);
          break;
        }
        case REBASE_OPCODE_DO_REBASE_ULEB_TIMES_SKIPPING_ULEB: {
          const n = uleb();
          const skip = uleb();
          doRebases(n, skip, opAt);
          break;
        }
        default:
          throw new FormatError(`${field}: unknown rebase opcode ${hex(byte)} at ${hex(opAt)}`, s.base + opAt, field, byte);
      }
    }
  } catch (e) {
    if (!(e instanceof FormatError)) throw e;
    problems.error(e);
  }
  return count;
}

export interface ThreadedResult {
  rebases: number;
}

/**
 * Decodes one bind stream. `readSlice` reads the slice (for BIND_OPCODE_THREADED,
 * whose chains live in the segment data). Threaded rebases are added to `threaded.rebases`.
 */
// eslint-disable-next-line max-lines-per-function -- one loop over the BIND_OPCODE_* stream with a case per opcode, as dyld's interpreter is written
export function readBinds(
  s: Reader,
  table: BindTable,
  img: MachImage,
  slice: Reader,
  problems: Problems,
  threaded: ThreadedResult = { rebases: 0 },
): BindRecord[] {
  const ptrSize = img.header.is64 ? 8 : 4;
  const P = BigInt(ptrSize);
  const field = table === 'bind' ? 'bind' : table === 'lazy' ? 'lazy_bind' : 'weak_bind';
  const out: BindRecord[] = [];
  let segIndex = -1;
  let seg: MachSegment | null = null;
  let offset = 0n;
  let ordinal = 0;
  let symbol = '';
  let flags = 0;
  let type = 1;
  let addend = 0n;
  // BIND_OPCODE_THREADED: DO_BIND fills an ordinal table instead of binding.
  let ordinalTable: { symbol: string; ordinal: number; flags: number; type: number; addend: bigint }[] | null = null;
  let ordinalTableSize = 0;
  let at = 0;

  const push = (address: bigint | null, extra: Partial<BindRecord> = {}): void => {
    if (out.length >= MAX_FIXUPS) throw new LimitError(`${field}: more than ${MAX_FIXUPS} binds`, s.base + at, field, out.length);
    out.push({ table, segIndex, segOffset: offset, address, type, addend, ordinal, symbol, flags, ...extra });
  };
  const doBinds = (times: bigint, skip: bigint, opAt: number): void => {
    if (!seg) throw new FormatError(`${field}: bind before BIND_OPCODE_SET_SEGMENT_AND_OFFSET_ULEB`, s.base + opAt, field);
    if (times <= 0n) return;
    checkInSegment(seg, offset, ptrSize, s, opAt, field);
    checkInSegment(seg, offset + (times - 1n) * (P + skip), ptrSize, s, opAt, field);
    if (out.length + Number(times) > MAX_FIXUPS)
      throw new LimitError(`${field}: more than ${MAX_FIXUPS} binds`, s.base + opAt, field, out.length);
    for (let i = 0n; i < times; i++) {
      push(seg.vmaddr + offset);
      offset += P + skip;
    }
  };

  try {
    while (at < s.length) {
      const opAt = at;
      const byte = s.u8(at++, field);
      const op = byte & BIND_OPCODE_MASK;
      const imm = byte & BIND_IMMEDIATE_MASK;
      switch (op) {
        case BIND_OPCODE_DONE:
          if (table !== 'lazy') return out;
          break;
        case BIND_OPCODE_SET_DYLIB_ORDINAL_IMM:
          ordinal = imm;
          break;
        case BIND_OPCODE_SET_DYLIB_ORDINAL_ULEB: {
          const v = s.ulebn(at, `${field}.ordinal`);
          ordinal = v.value;
          at = v.next;
          break;
        }
        case BIND_OPCODE_SET_DYLIB_SPECIAL_IMM:
          // Sign-extend the 4-bit immediate: 0 self, -1 main executable, -2 flat, -3 weak.
          ordinal = imm === 0 ? 0 : ((imm | BIND_OPCODE_MASK) << 24) >> 24;
          break;
        case BIND_OPCODE_SET_SYMBOL_TRAILING_FLAGS_IMM: {
          const name = s.cstringEx(at, s.length - at, `${field}.symbol`);
          if (name.truncated) throw new FormatError(`${field}: symbol name at ${hex(at)} is not terminated`, s.base + at, field);
          symbol = name.value;
          flags = imm;
          at = name.end + 1;
          // A weak-bind entry with this flag says the image has a strong
          // definition; it binds no pointer (llvm-objdump prints it as "strong").
          if (table === 'weak' && flags & BIND_SYMBOL_FLAGS_NON_WEAK_DEFINITION) {
            if (out.length >= MAX_FIXUPS) throw new LimitError(`${field}: more than ${MAX_FIXUPS} binds`, s.base + opAt, field, out.length);
            out.push({ table, segIndex: -1, segOffset: 0n, address: null, type, addend, ordinal, symbol, flags, strong: true });
          }
          break;
        }
        case BIND_OPCODE_SET_TYPE_IMM:
          type = imm;
          break;
        case BIND_OPCODE_SET_ADDEND_SLEB: {
          const v = s.sleb(at, `${field}.addend`);
          addend = v.value;
          at = v.next;
          break;
        }
        case BIND_OPCODE_SET_SEGMENT_AND_OFFSET_ULEB: {
          segIndex = imm;
          seg = segmentAt(img, imm, s, opAt, field);
          const v = s.uleb(at, `${field}.offset`);
          offset = v.value;
          at = v.next;
          break;
        }
        case BIND_OPCODE_ADD_ADDR_ULEB: {
          const v = s.uleb(at, `${field}.offset`);
          offset = BigInt.asUintN(64, offset + v.value);
          at = v.next;
          break;
        }
        case BIND_OPCODE_DO_BIND:
          if (ordinalTable) {
            if (ordinalTable.length >= ordinalTableSize) {
              throw new FormatError(
                `${field}: threaded ordinal table overflows its size ${ordinalTableSize}`,
                s.base + opAt,
                field,
                ordinalTableSize,
              );
            }
            ordinalTable.push({ symbol, ordinal, flags, type, addend });
          } else doBinds(1n, 0n, opAt);
          break;
        case BIND_OPCODE_DO_BIND_ADD_ADDR_ULEB: {
          const v = s.uleb(at, `${field}.offset`);
          at = v.next;
          doBinds(1n, 0n, opAt);
          offset = BigInt.asUintN(64, offset + v.value);
          break;
        }
        case BIND_OPCODE_DO_BIND_ADD_ADDR_IMM_SCALED:
          doBinds(1n, 0n, opAt);
          offset += BigInt(imm) * P;
          break;
        case BIND_OPCODE_DO_BIND_ULEB_TIMES_SKIPPING_ULEB: {
          const n = s.uleb(at, `${field}.count`);
          const skip = s.uleb(n.next, `${field}.skip`);
          at = skip.next;
          doBinds(n.value, skip.value, opAt);
          break;
        }
        case BIND_OPCODE_THREADED:
          if (imm === BIND_SUBOPCODE_THREADED_SET_BIND_ORDINAL_TABLE_SIZE_ULEB) {
            const v = s.ulebn(at, `${field}.ordinal_table_size`);
            at = v.next;
            // Every table entry needs a DO_BIND byte, so the size cannot exceed the stream.
            if (v.value > s.length)
              throw new FormatError(`${field}: threaded ordinal table size ${v.value} exceeds the stream`, s.base + opAt, field, v.value);
            ordinalTableSize = v.value;
            ordinalTable = [];
          } else if (imm === BIND_SUBOPCODE_THREADED_APPLY) {
            if (!seg || !ordinalTable)
              throw new FormatError(`${field}: BIND_SUBOPCODE_THREADED_APPLY without a segment or ordinal table`, s.base + opAt, field);
            applyThreaded(slice, seg, segIndex, offset, ordinalTable, out, table, threaded, s.base + opAt, field);
          } else throw new FormatError(`${field}: unknown BIND_OPCODE_THREADED sub-opcode ${imm}`, s.base + opAt, field, imm);
          break;
        default:
          throw new FormatError(`${field}: unknown bind opcode ${hex(byte)} at ${hex(opAt)}`, s.base + opAt, field, byte);
      }
    }
  } catch (e) {
    if (!(e instanceof FormatError)) throw e;
    problems.error(e);
  }
  return out;
}

/**
 * Walks a threaded chain (the arm64e format dyld's BIND_SUBOPCODE_THREADED_APPLY
 * reads): 64-bit values, bit 62 bind, bit 63 authenticated, bits 51..61 the
 * distance to the next value in 8-byte units, bits 0..15 the ordinal-table index.
 */
function applyThreaded(
  slice: Reader,
  seg: MachSegment,
  segIndex: number,
  start: bigint,
  ordinals: { symbol: string; ordinal: number; flags: number; type: number; addend: bigint }[],
  out: BindRecord[],
  table: BindTable,
  threaded: ThreadedResult,
  opOffset: number,
  field: string,
): void {
  let offset = start;
  for (;;) {
    if (offset < 0n || offset + 8n > BigInt(seg.filesize)) {
      throw new FormatError(
        `${field}: threaded chain reaches ${hex(offset)}, outside the file data of ${seg.segname}`,
        opOffset,
        field,
        offset,
      );
    }
    if (out.length + threaded.rebases >= MAX_FIXUPS)
      throw new LimitError(`${field}: more than ${MAX_FIXUPS} threaded fixups`, opOffset, field);
    const value = slice.u64(seg.fileoff + Number(offset), `${field}.threaded_pointer`);
    const isBind = (value >> 62n) & 1n;
    const auth = ((value >> 63n) & 1n) === 1n;
    const delta = (value >> 51n) & 0x7ffn;
    if (isBind) {
      const index = Number(value & 0xffffn);
      const t = ordinals[index];
      if (!t)
        throw new FormatError(`${field}: threaded bind uses ordinal-table entry ${index} of ${ordinals.length}`, opOffset, field, index);
      out.push({
        table,
        segIndex,
        segOffset: offset,
        address: seg.vmaddr + offset,
        type: t.type,
        addend: t.addend,
        ordinal: t.ordinal,
        symbol: t.symbol,
        flags: t.flags,
        threaded: true,
        auth,
      });
    } else threaded.rebases++;
    if (delta === 0n) return;
    offset += delta * 8n;
  }
}
