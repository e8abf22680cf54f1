// What the ARM64 engine observes in a parsed slice: PAC/BTI instruction
// counts over a linear sweep of the code as `llvm-objdump -d` walks it,
// per-function return-address signing and BTI landing pads, signal
// trampolines, and declared-against-observed notes. Pure: the caller passes
// the parsed slice and an engine (Node: ./node.ts; worker: engine.ts from
// the .wasm URL).

import { sectionBytes } from '../parsers/image.ts';
import type { ParsedSlice, SymbolRow } from '../parsers/types.ts';
import { hex, type Arm64Summary, type Hex, type MnemonicCounts, type Sigtramp, type SliceReport } from '../report/types.ts';
import { protectionOf } from './protection.ts';
import {
  FN_BTI_ENTRY,
  FN_NONLEAF,
  FN_PAC_ENTRY,
  FN_RETURNS,
  FN_SIGNS,
  FN_UNAUTH_RET,
  RF_BTI,
  RF_PAC,
  type Arm64Engine,
  type Syntax,
} from './engine.ts';
import {
  analyzeFunctions,
  bounds,
  functionSymbols,
  functionTableOf,
  isTextSection,
  plainName,
  rawNames,
  textSpace,
  type Facts,
  type FunctionInfo,
  type FunctionTable,
} from './functions.ts';

export { isTextSection, type FunctionInfo, type FunctionTable } from './functions.ts';

export interface CodeRange {
  section: string;
  address: bigint;
  bytes: Uint8Array;
}

export interface Arm64FunctionRow {
  address: bigint;
  name: string | null;
  size: number;
  /** Signs its return address (PACIASP, PACIBSP, PACIAZ…, PACIA/PACIB x30). */
  signs: boolean;
  /** Has a return of any kind. */
  returns: boolean;
  /** Address of a return reached with a signed, unauthenticated LR, or null. */
  unauthReturn: bigint | null;
  /** First instruction is BTI c/j/jc, or PACIASP/PACIBSP (an implicit BTI c landing pad). */
  btiEntry: boolean;
  /** Calls (BL/BLR*) or saves x30: needs its return address on the stack. */
  nonLeaf: boolean;
}

/** Mach-O files are printed by llvm-objdump in Apple syntax, ELF in LLVM's generic syntax. */
export function syntaxOf(slice: ParsedSlice): Syntax {
  return slice.report.fileTypeRaw.startsWith('MH_') ? 'apple' : 'llvm';
}

// Memoized per slice: the listing asks for pages of the same code again and again.
const rangeCache = new WeakMap<ParsedSlice, CodeRange[]>();

/**
 * The code of every text section, split where ELF mapping symbols mark data
 * (`$d` up to the next `$x`): llvm-objdump prints data-in-code as `.word`
 * and does not decode it. A trailing partial word is left out (llvm-objdump
 * prints it as one `<unknown>` line, not an instruction).
 */
export function codeRanges(slice: ParsedSlice): CodeRange[] {
  let out = rangeCache.get(slice);
  if (out) return out;
  out = [];
  rangeCache.set(slice, out);
  const maps = slice.mappingSymbols();
  for (const s of slice.image.sections) {
    if (!isTextSection(s)) continue;
    const bytes = sectionBytes(slice.reader, s);
    if (!bytes) continue;
    const start = s.addr;
    const end = start + BigInt(bytes.byteLength);
    // Mapping state at the section start is code; markers inside it switch it.
    let codeFrom: bigint | null = start;
    // Markers are in address order: start at the section's first one rather
    // than scanning all of them per section (quadratic with many sections).
    let lo = 0;
    let hi = maps.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (maps[mid]!.address < start) lo = mid + 1;
      else hi = mid;
    }
    for (let k = lo; k < maps.length && maps[k]!.address < end; k++) {
      const m = maps[k]!;
      if (m.kind === 'data' && codeFrom !== null) {
        if (m.address > codeFrom) out.push(range(s.name, start, bytes, codeFrom, m.address));
        codeFrom = null;
      } else if (m.kind === 'code' && codeFrom === null) codeFrom = m.address;
    }
    if (codeFrom !== null && codeFrom < end) out.push(range(s.name, start, bytes, codeFrom, end));
  }
  return out;
}

function range(section: string, secStart: bigint, bytes: Uint8Array, from: bigint, to: bigint): CodeRange {
  const a = Number(from - secStart);
  const b = Number(to - secStart);
  return { section, address: from, bytes: bytes.subarray(a, a + ((b - a) & ~3)) };
}

// --------------------------------------------------------------- functions

interface Fn {
  start: bigint;
  end: bigint;
  name: string | null;
}

/**
 * Function boundaries inside the text sections: function symbols (.dynsym
 * when the symbol table has none), the FDEs of .eh_frame, Mach-O
 * LC_FUNCTION_STARTS and caller-supplied functions (Go's table). A function
 * ends at its size when known, else at the next start or its section's end.
 */
export function functionBounds(slice: ParsedSlice, extra: FunctionInfo[] = []): { fns: Fn[]; sources: string[] } {
  const space = textSpace(slice);
  const table = functionTableOf(extra);
  if (!space || !table) return functionBoundsExact(slice, extra);
  const b = bounds(slice, space, table);
  const fns: Fn[] = new Array<Fn>(b.count);
  for (let i = 0; i < b.count; i++) {
    fns[i] = { start: space.base + BigInt(b.start[i]!), end: space.base + BigInt(b.end[i]!), name: b.name(i) };
  }
  return { fns, sources: b.sources };
}

/**
 * functionBounds with BigInt addresses throughout: for the text sections
 * functions.ts cannot place on one number line (2^53 bytes apart or more,
 * only in a forged file), and the reference the tests hold the fast path to.
 */
export function functionBoundsExact(slice: ParsedSlice, extra: FunctionInfo[]): { fns: Fn[]; sources: string[] } {
  const texts = slice.image.sections.filter(isTextSection).map((s) => ({ start: s.addr, end: s.addr + BigInt(s.size) }));
  const inText = textLookup(texts);
  const byStart = new Map<bigint, { name: string | null; size: number | null }>();
  const sources: string[] = [];
  const add = (a: bigint, name: string | null, size: number | null) => {
    if (!inText(a)) return;
    const old = byStart.get(a);
    if (!old) byStart.set(a, { name, size });
    else {
      if (!old.name && name) old.name = name;
      if (!old.size && size) old.size = size;
    }
  };
  const fsyms = functionSymbols(slice);
  for (const s of fsyms.rows) {
    if (!s.defined || s.address === null || s.type !== 'func') continue;
    add(s.address, s.name, s.size && s.size > 0 ? s.size : null);
  }
  if (fsyms.source) sources.push(fsyms.source);
  const unwind = slice.unwindFunctions?.() ?? null;
  if (unwind && unwind.count > 0) {
    for (let i = 0; i < unwind.count; i++) {
      const z = unwind.size[i]!;
      const rel = unwind.start[i]!;
      if (!Number.isNaN(rel)) add(BigInt.asUintN(64, unwind.base + BigInt(rel)), null, z > 0 ? z : null);
    }
    sources.push(unwind.source!);
  }
  const starts = slice.functionStarts();
  for (const a of starts) add(a, null, null);
  if (starts.length > 0) sources.push('LC_FUNCTION_STARTS');
  for (const f of extra) add(f.address, f.name, f.size ?? null);
  if (extra.length > 0) sources.push('pclntab');
  const sorted = [...byStart.entries()].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  const fns: Fn[] = [];
  for (let i = 0; i < sorted.length; i++) {
    const [start, info] = sorted[i]!;
    const sec = inText(start)!;
    let end = i + 1 < sorted.length && sorted[i + 1]![0] < sec.end ? sorted[i + 1]![0] : sec.end;
    if (info.size !== null && start + BigInt(info.size) < end) end = start + BigInt(info.size);
    if (end > start) fns.push({ start, end, name: info.name });
  }
  return { fns, sources };
}

/** The text section holding an address (functions.ts textEndLookup, on BigInt addresses). */
function textLookup(texts: { start: bigint; end: bigint }[]): (a: bigint) => { start: bigint; end: bigint } | null {
  const sorted = [...texts].sort((x, y) => (x.start < y.start ? -1 : x.start > y.start ? 1 : 0));
  const maxEnd: bigint[] = [];
  let m = -1n;
  for (const t of sorted) maxEnd.push((m = t.end > m ? t.end : m));
  return (a) => {
    let lo = 0;
    let hi = sorted.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (sorted[mid]!.start <= a) lo = mid + 1;
      else hi = mid;
    }
    for (let k = lo - 1, steps = 0; k >= 0 && steps < 64 && maxEnd[k]! > a; k--, steps++) {
      if (a < sorted[k]!.end) return sorted[k]!;
    }
    return null;
  };
}

const MAX_FUNCTION = 64 << 20;

/** The rows of arm64Functions, read by index: from Facts (typed arrays) or from row objects. */
interface Rows {
  count: number;
  sources: string[];
  address(k: number): bigint;
  name(k: number): string | null;
  flags(k: number): number;
  /** Address of the first unauthenticated return, when FN_UNAUTH_RET. */
  unauthReturn(k: number): bigint | null;
  size(k: number): number;
  /** The row whose function holds `a`, or -1 (binary search over the rows, in row order). */
  containing(a: bigint): number;
  /** Rows whose name may map to a trampoline (a superset; callers compare the name). */
  trampolineCandidates(macho: boolean): number[];
  /** The functions' bytes as address ranges, sorted, adjacent functions joined. */
  runs(): Run[];
}

interface Run {
  start: bigint;
  end: bigint;
}

/** Sorted runs from (start, end) pairs: adjacent or overlapping ones joined. */
function joinRuns(count: number, start: (k: number) => number, end: (k: number) => number, toBig: (v: number) => bigint): Run[] {
  // Rows come in address order within each text section; sort only when the sections do not.
  let order: Uint32Array | null = null;
  for (let k = 1; k < count; k++) {
    if (start(k) < start(k - 1)) {
      order = Uint32Array.from({ length: count }, (_, i) => i).sort((x, y) => start(x) - start(y));
      break;
    }
  }
  const out: Run[] = [];
  let s = NaN;
  let e = NaN;
  for (let i = 0; i < count; i++) {
    const k = order ? order[i]! : i;
    const a = start(k);
    const b = end(k);
    if (a <= e) {
      if (b > e) e = b;
      continue;
    }
    if (!Number.isNaN(s)) out.push({ start: toBig(s), end: toBig(e) });
    s = a;
    e = b;
  }
  if (!Number.isNaN(s)) out.push({ start: toBig(s), end: toBig(e) });
  return out;
}

function factsRows(f: Facts, table: FunctionTable | null): Rows {
  const b = f.bounds;
  const { fn, flags, unauth } = f;
  const starts = new Float64Array(f.count);
  for (let k = 0; k < f.count; k++) starts[k] = b.start[fn[k]!]!;
  return {
    count: f.count,
    sources: b.sources,
    address: (k) => b.space.at(starts[k]!),
    name: (k) => b.name(fn[k]!),
    flags: (k) => flags[k]!,
    unauthReturn: (k) => (flags[k]! & FN_UNAUTH_RET ? b.space.at(starts[k]! + unauth[k]!) : null),
    size: (k) => b.end[fn[k]!]! - starts[k]!,
    containing: (a) => {
      const rel = b.space.relBig(a);
      let lo = 0;
      let hi = f.count;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (starts[mid]! <= rel) lo = mid + 1;
        else hi = mid;
      }
      const k = lo - 1;
      return k >= 0 && rel < b.end[fn[k]!]! ? k : -1;
    },
    trampolineCandidates: (macho) => {
      const syms = b.symbolRows;
      const fromTable = new Set(table ? table.maybeNamed(rawNames(TRAMPOLINE_NAMES.keys(), macho)) : []);
      const out: number[] = [];
      for (let k = 0; k < f.count; k++) {
        const r = b.nameRef[fn[k]!]!;
        if (r < 0) continue;
        if (r < b.tableRef ? TRAMPOLINE_NAMES.has(plainName(syms[r]!.name, macho)) : fromTable.has(r - b.tableRef)) out.push(k);
      }
      return out;
    },
    runs: () => {
      const base = b.space.base;
      return joinRuns(
        f.count,
        (k) => starts[k]!,
        (k) => b.end[fn[k]!]!,
        (v) => base + BigInt(v),
      );
    },
  };
}

function objectRows(rows: Arm64FunctionRow[], sources: string[]): Rows {
  const flagsOf = (r: Arm64FunctionRow) =>
    (r.signs ? FN_SIGNS : 0) |
    (r.returns ? FN_RETURNS : 0) |
    (r.unauthReturn !== null ? FN_UNAUTH_RET : 0) |
    (r.btiEntry ? FN_BTI_ENTRY : 0) |
    (r.nonLeaf ? FN_NONLEAF : 0);
  return {
    count: rows.length,
    sources,
    address: (k) => rows[k]!.address,
    name: (k) => rows[k]!.name,
    flags: (k) => flagsOf(rows[k]!),
    unauthReturn: (k) => rows[k]!.unauthReturn,
    size: (k) => rows[k]!.size,
    containing: (a) => {
      let lo = 0;
      let hi = rows.length;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (rows[mid]!.address <= a) lo = mid + 1;
        else hi = mid;
      }
      const r = rows[lo - 1];
      return r && a < r.address + BigInt(r.size) ? lo - 1 : -1;
    },
    trampolineCandidates: () => rows.flatMap((r, k) => (r.name ? [k] : [])),
    runs: () => {
      // Addresses here may not fit a number (the exact path): join in BigInt.
      const spans = rows
        .map((r) => ({ start: r.address, end: r.address + BigInt(r.size) }))
        .sort((x, y) => (x.start < y.start ? -1 : x.start > y.start ? 1 : 0));
      const out: Run[] = [];
      for (const x of spans) {
        const last = out[out.length - 1];
        if (last && x.start <= last.end) {
          if (x.end > last.end) last.end = x.end;
        } else out.push({ ...x });
      }
      return out;
    },
  };
}

/** Per-function facts through functions.ts, or null when the text does not fit its number line. */
function functionFacts(slice: ParsedSlice, engine: Arm64Engine, table: FunctionTable | null): Facts | null {
  const space = textSpace(slice);
  if (!space) return null;
  return analyzeFunctions(slice, engine, bounds(slice, space, table));
}

/** Per-function facts for every function in the slice. */
export function arm64Functions(
  slice: ParsedSlice,
  engine: Arm64Engine,
  extra: FunctionInfo[] = [],
): { rows: Arm64FunctionRow[]; sources: string[] } {
  const table = functionTableOf(extra);
  const f = table ? functionFacts(slice, engine, table) : null;
  if (!f) return arm64FunctionsExact(slice, engine, extra);
  return { rows: functionRows(factsRows(f, table)), sources: f.bounds.sources };
}

/**
 * The per-function rows of the facts the report's summary was counted from
 * (analyzeArm64Table over this slice with this engine), or null when there are
 * none: the worker's function table reads them instead of analyzing every
 * function again (Biome's 92 MB: about half a second).
 */
export function reportedFunctions(slice: ParsedSlice, engine: Arm64Engine): { rows: Arm64FunctionRow[]; sources: string[] } | null {
  const m = reportedFacts.get(slice);
  return m && m.engine === engine ? { rows: functionRows(factsRows(m.facts, m.table)), sources: m.facts.bounds.sources } : null;
}

/** Where the functions start in the bounds the report's summary was counted from (by analyzeArm64Table), or null. */
export function reportedStarts(slice: ParsedSlice): bigint[] | null {
  const b = reportedFacts.get(slice)?.facts.bounds;
  if (!b) return null;
  const out = new Array<bigint>(b.count);
  for (let i = 0; i < b.count; i++) out[i] = b.space.base + BigInt(b.start[i]!);
  return out;
}

/** Facts analyzeArm64Table counted, by slice; they go with the slice. */
const reportedFacts = new WeakMap<ParsedSlice, { engine: Arm64Engine; table: FunctionTable | null; facts: Facts }>();

function functionRows(v: Rows): Arm64FunctionRow[] {
  const rows: Arm64FunctionRow[] = new Array<Arm64FunctionRow>(v.count);
  for (let k = 0; k < v.count; k++) {
    const flags = v.flags(k);
    rows[k] = {
      address: v.address(k),
      name: v.name(k),
      size: v.size(k),
      signs: (flags & FN_SIGNS) !== 0,
      returns: (flags & FN_RETURNS) !== 0,
      unauthReturn: v.unauthReturn(k),
      btiEntry: (flags & (FN_BTI_ENTRY | FN_PAC_ENTRY)) !== 0,
      nonLeaf: (flags & FN_NONLEAF) !== 0,
    };
  }
  return rows;
}

/** arm64Functions over functionBoundsExact, one engine call per function (the fallback and the tests' reference). */
export function arm64FunctionsExact(
  slice: ParsedSlice,
  engine: Arm64Engine,
  extra: FunctionInfo[],
): { rows: Arm64FunctionRow[]; sources: string[] } {
  const { fns, sources } = functionBoundsExact(slice, extra);
  const rows: Arm64FunctionRow[] = [];
  const sections = slice.image.sections.filter(isTextSection);
  let i = 0;
  for (const s of sections) {
    const bytes = sectionBytes(slice.reader, s);
    const secStart = s.addr;
    const secEnd = secStart + BigInt(s.size);
    while (i < fns.length && fns[i]!.start < secStart) i++;
    if (!bytes) continue;
    // Load windows of whole functions so each function is analyzed in place.
    let winFrom = 0;
    let winTo = 0;
    for (; i < fns.length && fns[i]!.start < secEnd; i++) {
      const f = fns[i]!;
      const a = Number(f.start - secStart);
      // A "function" longer than MAX_FUNCTION (a bogus size or one symbol over
      // a whole blob) is analyzed over its first MAX_FUNCTION bytes.
      const len = Math.min(Number(f.end - f.start), bytes.byteLength - a, MAX_FUNCTION) & ~3;
      if (len <= 0) continue;
      if (a < winFrom || a + len > winTo) {
        const cap = Math.max(engine.inputCap, len);
        if (len > engine.inputCap) engine.reserve(len);
        winFrom = a;
        winTo = Math.min(bytes.byteLength, a + cap);
        engine.load(bytes.subarray(winFrom, winTo));
      }
      const r = engine.analyzeLoaded(a - winFrom, len);
      rows.push({
        address: f.start,
        name: f.name,
        size: Number(f.end - f.start),
        signs: (r.flags & FN_SIGNS) !== 0,
        returns: (r.flags & FN_RETURNS) !== 0,
        unauthReturn: r.flags & FN_UNAUTH_RET ? f.start + BigInt(r.unauthReturn) : null,
        btiEntry: (r.flags & (FN_BTI_ENTRY | FN_PAC_ENTRY)) !== 0,
        nonLeaf: (r.flags & FN_NONLEAF) !== 0,
      });
    }
  }
  return { rows, sources };
}

// ------------------------------------------------------------- trampolines

// A Map, not an object literal: a function named `constructor` or
// `toString` must not find Object.prototype's members.
const TRAMPOLINE_NAMES = new Map<string, string>([
  ['runtime.sigtramp', 'go-sigtramp'],
  ['runtime.cgoSigtramp', 'go-cgo-sigtramp'],
  ['runtime.sigreturn', 'go-sigreturn'],
  ['runtime.sigreturn__sigaction', 'go-sigreturn'],
  ['_sigtramp', 'darwin-sigtramp'],
]);

function snippet(engine: Arm64Engine, slice: ParsedSlice, syntax: Syntax, at: bigint, count: number): string[] {
  return listing(slice, engine, { start: at }, count, syntax).map((r) => `${r.address.toString(16)}:\t${r.text}`);
}

// ------------------------------------------------------------------ summary

function counts(m: Map<string, number>, which: (name: string) => boolean): MnemonicCounts {
  const byMnemonic: Record<string, number> = {};
  let total = 0;
  for (const [k, v] of [...m.entries()].sort((a, b) => (a[0] < b[0] ? -1 : 1))) {
    if (!which(k)) continue;
    byMnemonic[k] = v;
    total += v;
  }
  return { total, byMnemonic };
}

function plural(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}

function pct(a: number, b: number): string {
  return b === 0 ? '0%' : `${Math.round((100 * a) / b)}%`;
}

/**
 * Everything the engine observes in one arm64 slice. `instructions` counts
 * every word of the code ranges; llvm-objdump prints a run of eight or more
 * zero bytes as `...` rather than as `udf` lines, so its line count can be
 * lower on padded code.
 */
export function analyzeArm64(slice: ParsedSlice, engine: Arm64Engine, functions: FunctionInfo[] = []): Arm64Summary {
  return analyzeArm64Table(slice, engine, functionTableOf(functions), () => functions);
}

/**
 * analyzeArm64 with the caller's functions as a FunctionTable (the report
 * pipeline passes Go's table this way: no object or name per function).
 * `infos` gives them as objects for the rare slice functions.ts cannot take
 * (or when `table` is null).
 */
export function analyzeArm64Table(
  slice: ParsedSlice,
  engine: Arm64Engine,
  table: FunctionTable | null,
  infos: () => FunctionInfo[],
): Arm64Summary {
  const syntax = syntaxOf(slice);
  engine.setSyntax(syntax);
  engine.scanReset();
  for (const r of codeRanges(slice)) engine.scan(r.bytes, r.address, false);
  const swept = engine.scannedWords();
  const all = engine.scanCounts();
  const pac = counts(all, (k) => k !== 'bti');
  const bti = counts(all, (k) => k === 'bti');
  const hits = engine.sigreturnHits();

  const f = table ? functionFacts(slice, engine, table) : null;
  if (f) reportedFacts.set(slice, { engine, table, facts: f });
  let rows: Rows;
  if (f) rows = factsRows(f, table);
  else {
    const r = arm64FunctionsExact(slice, engine, infos());
    rows = objectRows(r.rows, r.sources);
  }
  const macho = slice.report.fileTypeRaw.startsWith('MH_');

  const sigtramps: Sigtramp[] = [];
  for (const k of rows.trampolineCandidates(macho)) {
    const name = rows.name(k);
    const kind = name ? TRAMPOLINE_NAMES.get(plainName(name, macho)) : undefined;
    if (!kind) continue;
    const address = rows.address(k);
    sigtramps.push({
      address: hex(address),
      symbol: name,
      kind,
      pacSigned: (rows.flags(k) & FN_SIGNS) !== 0,
      snippet: snippet(engine, slice, syntax, address, 6),
    });
  }
  for (const svc of hits) {
    const at = svc - 4n;
    const k = rows.containing(at);
    if (k >= 0) {
      const address = hex(rows.address(k));
      if (sigtramps.some((t) => t.address === address)) continue;
    }
    sigtramps.push({
      address: hex(at),
      symbol: k >= 0 ? rows.name(k) : null,
      kind: 'linux-rt-sigreturn',
      pacSigned: k >= 0 ? (rows.flags(k) & FN_SIGNS) !== 0 : false,
      snippet: snippet(engine, slice, syntax, at, 2),
    });
  }

  const summary: Arm64Summary = { instructions: swept, pac, bti, sigtramps };
  let signing = 0;
  let nonLeaf = 0;
  let signedNonLeaf = 0;
  let btiEntry = 0;
  const unauthenticatedReturns: { address: Hex; name: string | null }[] = [];
  for (let k = 0; k < rows.count; k++) {
    const fl = rows.flags(k);
    if (fl & FN_SIGNS) signing++;
    if (fl & FN_NONLEAF) {
      nonLeaf++;
      if (fl & FN_SIGNS) signedNonLeaf++;
    }
    if (fl & (FN_BTI_ENTRY | FN_PAC_ENTRY)) btiEntry++;
    if (fl & FN_UNAUTH_RET) unauthenticatedReturns.push({ address: hex(rows.address(k)), name: rows.name(k) });
  }
  if (rows.count > 0) {
    summary.functions = { total: rows.count, signing, nonLeaf, btiEntry, unauthenticatedReturns, sources: rows.sources };
    summary.inFunctions = countInFunctions(slice, engine, rows.runs(), { instructions: swept, pac, bti });
  }
  summary.protection = protectionOf(slice.report, summary);
  summary.notes = notes(slice.report, summary, nonLeaf, signedNonLeaf);
  return summary;
}

/**
 * PAC/BTI counts over the bytes of the known functions only: the sweep's
 * code ranges (data-in-code already left out) cut to the functions' runs,
 * on the sweep's own 4-byte grid, so every word counted here is one the
 * sweep counted too. Uses the engine's scan counters (read the sweep first).
 */
function countInFunctions(
  slice: ParsedSlice,
  engine: Arm64Engine,
  runs: Run[],
  sweep: NonNullable<Arm64Summary['inFunctions']>,
): NonNullable<Arm64Summary['inFunctions']> {
  const ranges = [...codeRanges(slice)].sort((x, y) => (x.address < y.address ? -1 : x.address > y.address ? 1 : 0));
  const endOf = (r: CodeRange) => r.address + BigInt(r.bytes.byteLength);
  const pieces: { r: CodeRange; a: number; b: number }[] = [];
  let words = 0;
  let i = 0;
  for (const run of runs) {
    while (i < ranges.length && endOf(ranges[i]!) <= run.start) i++;
    for (let j = i; j < ranges.length && ranges[j]!.address < run.end; j++) {
      const r = ranges[j]!;
      const from = run.start > r.address ? run.start : r.address;
      const to = run.end < endOf(r) ? run.end : endOf(r);
      const a = (Number(from - r.address) + 3) & ~3;
      const b = Number(to - r.address);
      if (b - a < 4) continue;
      pieces.push({ r, a, b });
      words += (b - a) >> 2;
    }
  }
  // The pieces are disjoint parts of the swept ranges: as many words means
  // the functions cover all the code (Go's table does), and the sweep's
  // counts are already the answer.
  if (words === sweep.instructions) return sweep;
  engine.scanReset();
  for (const { r, a, b } of pieces) engine.scan(r.bytes.subarray(a, b), r.address + BigInt(a), false);
  const all = engine.scanCounts();
  return { instructions: engine.scannedWords(), pac: counts(all, (k) => k !== 'bti'), bti: counts(all, (k) => k === 'bti') };
}

/** Where the three answers disagree, and what the figures mean, in plain words. */
function notes(r: SliceReport, s: Arm64Summary, nonLeaf: number, signedNonLeaf: number): string[] {
  const out: string[] = [];
  const fn = s.functions;
  const inside = s.inFunctions;
  const p = s.protection;
  if (inside) {
    const outside = s.pac.total + s.bti.total - inside.pac.total - inside.bti.total;
    if (outside > 0) {
      out.push(
        `${plural(outside, 'PAC/BTI instruction', 'PAC/BTI instructions')} of the whole-section sweep ${outside === 1 ? 'lies' : 'lie'} outside every known function (data words in the code, or code no function bound covers): not counted as what the code does`,
      );
    }
  }
  if (p && fn && inside) {
    const bti = p.bti;
    if (bti.declared && bti.enforced) {
      const without = fn.total - fn.btiEntry;
      out.push(
        without === 0
          ? `declares BTI, and all ${fn.total} functions start with a landing pad`
          : `declares BTI, but ${without} of ${plural(fn.total, 'function starts', 'functions start')} without a landing pad (only functions reached by an indirect branch need one)`,
      );
    } else if (bti.declared === false && bti.does) {
      out.push(
        `the code has ${plural(inside.bti.total, 'BTI instruction', 'BTI instructions')} but does not declare BTI (no GNU property note), so ${bti.enforced === false ? 'Linux does not enforce it' : 'it is not enforced'}`,
      );
    }
    const signs = `${pct(signedNonLeaf, nonLeaf)} of non-leaf functions sign their return address (${signedNonLeaf} of ${nonLeaf})`;
    if (r.arch === 'arm64e')
      out.push(
        nonLeaf > 0
          ? `arm64e slice, ${signs}`
          : `arm64e slice; ${plural(inside.pac.total, 'pointer-authentication instruction', 'pointer-authentication instructions')} inside functions`,
      );
    else if (p.pac.declared && nonLeaf > 0) out.push(`declares PAC, ${signs}`);
    else if (fn.signing > 0) {
      const who = `${fn.signing} of ${plural(fn.total, 'function signs its', 'functions sign their')} return address`;
      out.push(
        p.pac.enforced === false && r.fileTypeRaw.startsWith('MH_')
          ? `${who}, but ${r.arch} processes run with pointer authentication off: only arm64e gets keys`
          : who,
      );
    }
  } else if (p?.bti.declared) {
    out.push(
      `declares BTI; ${plural(s.bti.total, 'BTI instruction', 'BTI instructions')} in the whole-section sweep (no function bounds are known)`,
    );
  }
  if (fn && fn.unauthenticatedReturns.length > 0) {
    const n = fn.unauthenticatedReturns.length;
    out.push(`${plural(n, 'function signs its', 'functions sign their')} return address but can return without authenticating it`);
  }
  return out;
}

// ----------------------------------------------------------------- listing

export interface ListingRow {
  address: bigint;
  word: number;
  /** Exactly as `llvm-objdump -d --no-show-raw-insn` prints it (without comments and annotations). */
  text: string;
  mnemonic: string;
  isPac: boolean;
  isBti: boolean;
  /** Branch or literal target, and the symbol it falls in (`name` or `name+0x10`). */
  target: bigint | null;
  targetName: string | null;
}

interface SymbolIndex {
  addrs: bigint[];
  names: string[];
  /** End of the section holding each symbol: a name speaks for addresses up to there only. */
  ends: bigint[];
  /** Sections with a size, for targets no symbol names. */
  sections: { name: string; start: bigint; end: bigint }[];
}

const symbolIndexes = new WeakMap<ParsedSlice, SymbolIndex>();

function symbolIndex(slice: ParsedSlice): SymbolIndex {
  let idx = symbolIndexes.get(slice);
  if (idx) return idx;
  let syms: SymbolRow[];
  try {
    syms = slice.symbols();
  } catch {
    syms = [];
  }
  const named = syms
    .filter((s) => s.defined && s.address !== null && (s.type === 'func' || s.type === 'object' || s.type === 'other') && s.name !== '')
    .map((s) => ({ a: s.address!, n: s.name }))
    .sort((a, b) => (a.a < b.a ? -1 : a.a > b.a ? 1 : 0));
  // Only sections that occupy addresses: ELF non-SHF_ALLOC sections (.comment, .symtab) sit at address 0.
  const sections = slice.image.sections
    .filter((x) => x.size > 0 && x.name !== '' && x.alloc)
    .map((x) => ({ name: x.name, start: x.addr, end: x.addr + BigInt(x.size) }));
  idx = {
    addrs: named.map((s) => s.a),
    names: named.map((s) => s.n),
    // A symbol outside every section names its own address only.
    ends: named.map((s) => sections.find((x) => s.a >= x.start && s.a < x.end)?.end ?? s.a + 1n),
    sections,
  };
  symbolIndexes.set(slice, idx);
  return idx;
}

/**
 * `name` or `name+0x10` for an address, from the nearest symbol at or below
 * it in the same section, else the section's name (as llvm-objdump names
 * targets: a branch into .plt is `.plt+0x30`, not `_init+0x70`), or null
 * outside every section.
 */
export function symbolize(slice: ParsedSlice, a: bigint): string | null {
  const { addrs, names, ends, sections } = symbolIndex(slice);
  let lo = 0;
  let hi = addrs.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (addrs[mid]! <= a) lo = mid + 1;
    else hi = mid;
  }
  let base: bigint;
  let name: string;
  if (lo > 0 && a < ends[lo - 1]!) {
    base = addrs[lo - 1]!;
    name = names[lo - 1]!;
  } else {
    const sec = sections.find((x) => a >= x.start && a < x.end);
    if (!sec) return null;
    base = sec.start;
    name = sec.name;
  }
  return a === base ? name : `${name}+0x${(a - base).toString(16)}`;
}

/**
 * A page of disassembly: `count` instructions from a section's start or from
 * an address, in the syntax llvm-objdump uses for the file. Data marked by
 * mapping symbols is skipped, as llvm-objdump does not decode it.
 */
export function listing(
  slice: ParsedSlice,
  engine: Arm64Engine,
  from: { section?: string; start?: bigint },
  count: number,
  syntax: Syntax = syntaxOf(slice),
): ListingRow[] {
  engine.setSyntax(syntax);
  const ranges = codeRanges(slice);
  let i: number;
  let start: bigint;
  if (from.start !== undefined) {
    start = from.start;
    i = ranges.findIndex((r) => start >= r.address && start < r.address + BigInt(r.bytes.byteLength));
    if (i < 0) {
      // Not in code: begin at the next code range.
      i = ranges.findIndex((r) => r.address > start);
      if (i < 0) return [];
      start = ranges[i]!.address;
    }
  } else {
    i = from.section === undefined ? 0 : ranges.findIndex((r) => r.section === from.section);
    if (i < 0 || i >= ranges.length) return [];
    start = ranges[i]!.address;
  }
  const rows: ListingRow[] = [];
  for (; i < ranges.length && rows.length < count; i++) {
    const r = ranges[i]!;
    if (from.section !== undefined && r.section !== from.section) break;
    const off = Number(start - r.address) & ~3;
    engine.disasm(
      r.bytes.subarray(off),
      r.address + BigInt(off),
      (row) => {
        const tab = row.text.indexOf('\t');
        rows.push({
          address: row.address,
          word: row.word,
          text: row.text,
          mnemonic: tab < 0 ? row.text : row.text.slice(0, tab),
          isPac: (row.flags & RF_PAC) !== 0,
          isBti: (row.flags & RF_BTI) !== 0,
          target: row.target,
          targetName: row.target === null ? null : symbolize(slice, row.target),
        });
      },
      count - rows.length,
    );
    if (i + 1 < ranges.length) start = ranges[i + 1]!.address;
  }
  return rows;
}
