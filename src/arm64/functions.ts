// Function boundaries and per-function facts for a slice, as parallel typed
// arrays: one engine call per batch of functions, no object, BigInt or string
// per function until a caller asks for a row. A binary of 100,000 functions
// (Go's table) would otherwise spend most of its report time building and
// collecting objects. scan.ts keeps the public row-shaped API on top.
//
// Addresses are numbers relative to the lowest text section (`base`): exact
// while every text section lies within 2^53 bytes of it, which scan.ts checks
// before taking this path.

import type { ParsedSlice, SymbolRow } from '../parsers/types.ts';
import { sectionBytes, type ImageSection } from '../parsers/image.ts';
import type { Arm64Engine } from './engine.ts';

/** A function boundary supplied by another analysis (Go's function table in stripped binaries). */
export interface FunctionInfo {
  address: bigint;
  name: string | null;
  /** Bytes, when the source knows it. */
  size?: number | null;
}

/**
 * Caller-supplied functions by index (Go's table without an object per
 * function). Entries must be exact numbers; `size` is NaN where unknown.
 */
export interface FunctionTable {
  readonly count: number;
  readonly address: Float64Array;
  readonly size: Float64Array;
  name(i: number): string | null;
  /** True when name(i) is a non-empty string, decided without decoding it where possible. */
  named(i: number): boolean;
  /** Indices whose name may be one of `names` (a superset is fine: the caller compares name(i)). */
  maybeNamed(names: ReadonlySet<string>): number[];
}

/** Sections llvm-objdump -d disassembles: ELF SHF_EXECINSTR (`X` in the flags), Mach-O S_ATTR_PURE_INSTRUCTIONS (MachOObjectFile::isSectionText). No-bits and zero-fill sections have no bytes to sweep. */
export function isTextSection(s: ImageSection): boolean {
  return s.size !== 0 && !s.nobits && s.code;
}

/** Go and C names as written in the symbol table, without Mach-O's `_` and Go's ABI suffix. */
export function plainName(name: string, macho: boolean): string {
  let n = macho && name.startsWith('_') ? name.slice(1) : name;
  if (n.endsWith('.abi0') || n.endsWith('.abiinternal')) n = n.slice(0, n.lastIndexOf('.'));
  return n;
}

/** Every raw name whose plainName is one of `plain`. */
export function rawNames(plain: Iterable<string>, macho: boolean): Set<string> {
  const out = new Set<string>();
  for (const p of plain) {
    for (const v of [p, `${p}.abi0`, `${p}.abiinternal`]) {
      out.add(v);
      if (macho) out.add(`_${v}`);
    }
  }
  return out;
}

/** A FunctionInfo[] as a FunctionTable; null when an address is not exact as a number. */
export function functionTableOf(infos: readonly FunctionInfo[]): FunctionTable | null {
  const n = infos.length;
  const address = new Float64Array(n);
  const size = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const f = infos[i]!;
    if (f.address < 0n || f.address > BigInt(Number.MAX_SAFE_INTEGER)) return null;
    address[i] = Number(f.address);
    const s = f.size ?? null;
    size[i] = s === null ? NaN : s;
  }
  return {
    count: n,
    address,
    size,
    name: (i) => infos[i]!.name,
    named: (i) => !!infos[i]!.name,
    maybeNamed: (names) => {
      const out: number[] = [];
      for (let i = 0; i < n; i++) if (names.has(infos[i]!.name!)) out.push(i);
      return out;
    },
  };
}

const TWO53N = 2n ** 53n;

/** Text sections in base-relative numbers, or null when they span 2^53 bytes or more. */
export interface TextSpace {
  base: bigint;
  baseNum: number;
  /** Text sections in report order: start and end (start + size). */
  texts: { start: number; end: number }[];
  /** Address of a base-relative number. */
  at(rel: number): bigint;
  /** Base-relative number of an address, or NaN when it lies before the base or 2^53 bytes or more after it. */
  relBig(a: bigint): number;
}

export function textSpace(slice: ParsedSlice): TextSpace | null {
  const secs = slice.image.sections.filter(isTextSection);
  let base: bigint | null = null;
  for (const s of secs) {
    const a = s.addr;
    if (base === null || a < base) base = a;
  }
  base ??= 0n;
  const texts: { start: number; end: number }[] = [];
  for (const s of secs) {
    const d = s.addr - base;
    if (d + BigInt(s.size) > TWO53N) return null;
    texts.push({ start: Number(d), end: Number(d) + s.size });
  }
  const small = base <= BigInt(Number.MAX_SAFE_INTEGER);
  const baseNum = Number(base);
  const b = base;
  const relBig = (a: bigint): number => {
    const d = a - b;
    return d < 0n || d >= TWO53N ? NaN : Number(d);
  };
  return {
    base,
    baseNum,
    texts,
    at: (rel) => {
      const v = baseNum + rel;
      return small && v <= Number.MAX_SAFE_INTEGER ? BigInt(v) : b + BigInt(rel);
    },
    relBig,
  };
}

/**
 * The text section holding an address, by binary search: a forged file can
 * have tens of thousands of executable sections and as many symbols, and a
 * linear search per symbol made that quadratic. Sections may overlap in a
 * damaged file; the search then looks back at most 64 sections that start
 * earlier and still reach the address. Returns the section's end, or NaN.
 */
export function textEndLookup(texts: readonly { start: number; end: number }[]): (a: number) => number {
  const sorted = [...texts].sort((x, y) => (x.start < y.start ? -1 : x.start > y.start ? 1 : 0));
  const starts = Float64Array.from(sorted, (t) => t.start);
  const ends = Float64Array.from(sorted, (t) => t.end);
  const maxEnd = new Float64Array(sorted.length);
  let m = -1;
  for (let i = 0; i < sorted.length; i++) maxEnd[i] = m = ends[i]! > m ? ends[i]! : m;
  return (a) => {
    let lo = 0;
    let hi = starts.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (starts[mid]! <= a) lo = mid + 1;
      else hi = mid;
    }
    for (let k = lo - 1, steps = 0; k >= 0 && steps < 64 && maxEnd[k]! > a; k--, steps++) {
      if (a < ends[k]!) return ends[k]!;
    }
    return NaN;
  };
}

/** Function boundaries (see scan.ts functionBounds) as base-relative arrays sorted by start. */
export interface Bounds {
  space: TextSpace;
  count: number;
  start: Float64Array;
  end: Float64Array;
  /** Where each name comes from: -1 none, below `tableRef` an index into `symbolRows`, else the caller's table index + tableRef. */
  nameRef: Int32Array;
  tableRef: number;
  /** The symbol rows names come from: .symtab (LC_SYMTAB), or .dynsym when the symbol table has no function. */
  symbolRows: SymbolRow[];
  sources: string[];
  name(i: number): string | null;
}

/**
 * Function symbols: the file's symbol table, or its .dynsym when the symbol
 * table holds no function (a stripped ELF file; otherwise .symtab already has
 * every .dynsym definition). `source` names the table used, null when none.
 */
export function functionSymbols(slice: ParsedSlice): { rows: SymbolRow[]; source: string | null; count: number } {
  const isFunc = (s: SymbolRow) => s.defined && s.address !== null && s.type === 'func';
  const countOf = (rows: SymbolRow[]) => {
    let n = 0;
    for (const s of rows) if (isFunc(s)) n++;
    return n;
  };
  const macho = slice.report.fileTypeRaw.startsWith('MH_');
  const syms = safeRows(() => slice.symbols());
  const n = countOf(syms);
  if (n > 0 || !slice.dynamicSymbols) return { rows: syms, source: n > 0 ? (macho ? 'LC_SYMTAB' : 'symtab') : null, count: n };
  const dyn = safeRows(() => slice.dynamicSymbols!());
  const d = countOf(dyn);
  return d > 0 ? { rows: dyn, source: 'dynsym', count: d } : { rows: syms, source: null, count: 0 };
}

function safeRows(f: () => SymbolRow[]): SymbolRow[] {
  try {
    return f();
  } catch {
    return [];
  }
}

/**
 * functionBounds on typed arrays: function symbols (functionSymbols), then
 * the FDEs of .eh_frame, then LC_FUNCTION_STARTS, then the caller's table,
 * merged by start address as a Map in insertion order would (the first
 * entry makes the function; later ones fill a missing name or size), sorted
 * by address, each ending at its size, the next start or its section's end.
 */
// eslint-disable-next-line max-lines-per-function -- the function-bound sources in priority order (symbols, .dynsym, FDEs, LC_FUNCTION_STARTS, Go's table), each a few lines, then one sorted sweep
export function bounds(slice: ParsedSlice, space: TextSpace, table: FunctionTable | null): Bounds {
  const endOf = textEndLookup(space.texts);
  const fsyms = functionSymbols(slice);
  const syms = fsyms.rows;
  const unwind = slice.unwindFunctions?.() ?? null;
  const un = unwind?.count ?? 0;
  const starts = slice.functionStarts();
  const tn = table?.count ?? 0;
  const cap = syms.length + un + starts.length + tn;
  const at = new Float64Array(cap);
  const size = new Float64Array(cap);
  const ref = new Int32Array(cap);
  const sources: string[] = [];
  let n = 0;
  for (let i = 0; i < syms.length; i++) {
    const s = syms[i]!;
    if (!s.defined || s.address === null || s.type !== 'func') continue;
    const a = space.relBig(s.address);
    if (Number.isNaN(endOf(a))) continue;
    at[n] = a;
    size[n] = s.size && s.size > 0 ? s.size : NaN;
    ref[n++] = i;
  }
  if (fsyms.source) sources.push(fsyms.source);
  if (unwind && un > 0) {
    // FDE starts are relative to their own base: one BigInt subtraction for all of them.
    const dBig = unwind.base - space.base;
    const HALF = 2 ** 52;
    const d = dBig >= BigInt(-HALF) && dBig <= BigInt(HALF) ? Number(dBig) : NaN;
    for (let i = 0; i < un; i++) {
      const rel = unwind.start[i]!;
      const a = Number.isNaN(rel)
        ? NaN
        : !Number.isNaN(d) && rel >= -HALF && rel <= HALF
          ? d + rel
          : space.relBig(BigInt.asUintN(64, unwind.base + BigInt(rel)));
      if (!(a >= 0) || Number.isNaN(endOf(a))) continue;
      at[n] = a;
      const z = unwind.size[i]!;
      size[n] = z > 0 ? z : NaN;
      ref[n++] = -1;
    }
    sources.push(unwind.source!);
  }
  for (const s of starts) {
    const a = space.relBig(s);
    if (Number.isNaN(endOf(a))) continue;
    at[n] = a;
    size[n] = NaN;
    ref[n++] = -1;
  }
  if (starts.length > 0) sources.push('LC_FUNCTION_STARTS');
  const tableRef = syms.length;
  if (table) {
    const base = space.baseNum;
    const exactBase = space.base <= BigInt(Number.MAX_SAFE_INTEGER);
    for (let i = 0; i < tn; i++) {
      const abs = table.address[i]!;
      const a = exactBase ? abs - base : space.relBig(BigInt(abs));
      if (!(a >= 0) || Number.isNaN(endOf(a))) continue;
      at[n] = a;
      const z = table.size[i]!;
      size[n] = z;
      ref[n++] = tableRef + i;
    }
    if (tn > 0) sources.push('pclntab');
  }

  const named = (r: number): boolean => (r < 0 ? false : r < tableRef ? !!syms[r]!.name : table!.named(r - tableRef));
  // Insertion order decides among entries for one address: sort stably.
  let order: Uint32Array | null = null;
  for (let i = 1; i < n; i++) {
    if (at[i]! < at[i - 1]!) {
      order = stableOrder(at, n);
      break;
    }
  }
  const uStart = new Float64Array(n);
  const uSize = new Float64Array(n);
  const uRef = new Int32Array(n);
  let u = 0;
  for (let k = 0; k < n; k++) {
    const i = order ? order[k]! : k;
    const a = at[i]!;
    if (u > 0 && uStart[u - 1] === a) {
      // Map semantics: `if (!old.name && name)`, `if (!old.size && size)`.
      const o = u - 1;
      if (!named(uRef[o]!) && named(ref[i]!)) uRef[o] = ref[i]!;
      if (!uSize[o] && size[i]) uSize[o] = size[i]!;
      continue;
    }
    uStart[u] = a;
    uSize[u] = size[i]!;
    uRef[u] = ref[i]!;
    u++;
  }
  const start = new Float64Array(u);
  const end = new Float64Array(u);
  const nameRef = new Int32Array(u);
  let count = 0;
  for (let k = 0; k < u; k++) {
    const s = uStart[k]!;
    const secEnd = endOf(s);
    let e = k + 1 < u && uStart[k + 1]! < secEnd ? uStart[k + 1]! : secEnd;
    const z = uSize[k]!;
    if (!Number.isNaN(z) && s + z < e) e = s + z;
    if (e > s) {
      start[count] = s;
      end[count] = e;
      nameRef[count++] = uRef[k]!;
    }
  }
  const name = (i: number): string | null => {
    const r = nameRef[i]!;
    return r < 0 ? null : r < tableRef ? syms[r]!.name : table!.name(r - tableRef);
  };
  return {
    space,
    count,
    start: start.subarray(0, count),
    end: end.subarray(0, count),
    nameRef: nameRef.subarray(0, count),
    tableRef,
    symbolRows: syms,
    sources,
    name,
  };
}

/**
 * Indices 0..n-1 ordered by at[i], then by i. Where every address is below
 * 2^31 and n below 2^22, address and index pack exactly into one float and
 * the typed array's own numeric sort does it (81,000 FDEs of a stripped Rust
 * program: about 6 ms against 25 ms through a comparator).
 */
function stableOrder(at: Float64Array, n: number): Uint32Array {
  const order = new Uint32Array(n);
  let max = 0;
  for (let k = 0; k < n; k++) if (at[k]! > max) max = at[k]!;
  if (max < 2 ** 31 && n < 2 ** 22) {
    const keys = new Float64Array(n);
    for (let k = 0; k < n; k++) keys[k] = at[k]! * 2 ** 22 + k;
    keys.sort();
    for (let k = 0; k < n; k++) order[k] = keys[k]! % 2 ** 22;
    return order;
  }
  for (let k = 0; k < n; k++) order[k] = k;
  return order.sort((x, y) => at[x]! - at[y]! || x - y);
}

const MAX_FUNCTION = 64 << 20;

/** What the engine found in each function that has bytes, in scan.ts arm64Functions' row order. */
export interface Facts {
  bounds: Bounds;
  /** Rows: index into bounds of each analyzed function. */
  count: number;
  fn: Uint32Array;
  flags: Uint32Array;
  /** Byte offset of the first unauthenticated return (meaningful when FN_UNAUTH_RET is set). */
  unauth: Int32Array;
}

/**
 * Analyze every function of `b` that lies in a text section's bytes, in the
 * order of arm64Functions: sections in report order, functions by address,
 * each over at most MAX_FUNCTION bytes. Code goes in through windows of the
 * engine's input buffer; the functions inside a window are analyzed in one call.
 */
export function analyzeFunctions(slice: ParsedSlice, engine: Arm64Engine, b: Bounds): Facts {
  const fn = new Uint32Array(b.count);
  const flags = new Uint32Array(b.count);
  const unauth = new Int32Array(b.count);
  const spans = new Uint32Array(2 * Math.min(b.count, engine.batchCap));
  let rows = 0;
  let pending = 0;
  const flush = () => {
    if (pending === 0) return;
    engine.analyzeBatch(spans, pending, flags, unauth, rows - pending);
    pending = 0;
  };
  const sections = slice.image.sections.filter(isTextSection);
  const { start, end } = b;
  let i = 0;
  let t = 0;
  for (const s of sections) {
    const { start: secStart, end: secEnd } = b.space.texts[t++]!;
    while (i < b.count && start[i]! < secStart) i++;
    const bytes = sectionBytes(slice.reader, s);
    if (!bytes) continue;
    let winFrom = 0;
    let winTo = 0;
    for (; i < b.count && start[i]! < secEnd; i++) {
      const a = start[i]! - secStart;
      // A "function" longer than MAX_FUNCTION (a bogus size or one symbol over
      // a whole blob) is analyzed over its first MAX_FUNCTION bytes.
      const len = Math.min(end[i]! - start[i]!, bytes.byteLength - a, MAX_FUNCTION) & ~3;
      if (len <= 0) continue;
      if (a < winFrom || a + len > winTo) {
        flush();
        const cap = Math.max(engine.inputCap, len);
        if (len > engine.inputCap) engine.reserve(len);
        winFrom = a;
        winTo = Math.min(bytes.byteLength, a + cap);
        engine.load(bytes.subarray(winFrom, winTo));
      }
      spans[2 * pending] = a - winFrom;
      spans[2 * pending + 1] = len;
      fn[rows++] = i;
      if (++pending === engine.batchCap) flush();
    }
  }
  flush();
  return { bounds: b, count: rows, fn, flags, unauth };
}
